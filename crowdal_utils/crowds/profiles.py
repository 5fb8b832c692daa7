"""Simulated annotators: small profile objects and functions that ask a whole crowd.

A profile is any object with

``name`` : str
    Shown in tables and plots.
``annotate(y_true, classes, rng, X=None)``
    One label per sample, shape (n_samples,), drawn from the ``numpy.random.Generator``
    ``rng``; ``X`` (n_samples, ...) are the samples' features, for profiles whose
    answers depend on the sample itself.
``correct_probability(y_true, classes, X=None)``
    The probability, shape (n_samples,), that ``annotate`` answers each sample
    correctly. Only simulated annotators know it; notebook 05's *oracle* choice of
    annotator uses it as the ceiling of what choosing annotators can buy.

Profiles draw from the generator they are handed, so a crowd drawn with the same
seed and the same profiles in the same order is the same crowd.

Built-in profiles, composable through ``base`` where it makes sense:
:class:`NoisyAnnotator` (uniform mistakes, optionally per class),
:class:`MajorityClassBiasedAnnotator`, :class:`SpammerAnnotator` (uniform guesses),
:class:`AdversarialAnnotator` (swaps pairs of classes) and, needing ``X``,
:class:`InstanceDependentAnnotator` (worse on hard samples, see
:func:`sample_difficulty`) and :class:`ClusterSpecialistAnnotator` (expert on some
k-means regions). :mod:`.presets` builds crowds of five from them; :mod:`.simulation`
asks a crowd.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from .._validation import check_classes, check_int, check_labels, check_probability, check_samples


def _as_generator(random_state):
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(check_int(random_state, "random_state", minimum=0))


def _check_name(name, argument="name"):
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"`{argument}` must be a non-empty string that names the annotator, got {name!r}.")


def _call(profile, method, *args, X=None):
    """``profile.method(*args)``, with ``X=X`` only when there are features, so label-only profiles work too."""
    return getattr(profile, method)(*args) if X is None else getattr(profile, method)(*args, X=X)


def check_profiles(profiles, need=("annotate",)):
    """Return ``profiles`` as a non-empty tuple; each profile needs a ``name`` and the methods in ``need``.

    Raises ``TypeError`` naming ``profiles[k]`` and what it lacks.
    """
    if isinstance(profiles, str) or not hasattr(profiles, "__iter__"):
        raise TypeError(f"`profiles` must be a sequence of annotator profiles, got {type(profiles).__name__}.")
    profiles = tuple(profiles)
    if not profiles:
        raise ValueError("`profiles` must name at least one annotator, got an empty crowd.")
    for k, profile in enumerate(profiles):
        for method in need:
            if not callable(getattr(profile, method, None)):
                raise TypeError(f"`profiles[{k}]` has no `{method}` method: {profile!r}.")
        _check_name(getattr(profile, "name", None), f"profiles[{k}].name")
    return profiles


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"`rng` must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}.")
    return rng


def _check_base(base):
    if base is not None and not callable(getattr(base, "annotate", None)):
        raise TypeError("`base` must be an annotator profile with an `annotate` method or None.")


def _base_labels(base, y_true, classes, rng, X):
    """The base profile's answers (a copy), or the true labels for ``base=None`` (no draws)."""
    if base is None:
        return y_true.copy()
    return np.array(_call(base, "annotate", y_true, classes, rng, X=X), dtype=y_true.dtype)


def _base_correct_probability(base, y_true, classes, X):
    if base is None:
        return np.ones(y_true.shape)
    return np.asarray(_call(base, "correct_probability", y_true, classes, X=X), dtype=float)


def _features(X, n_samples, who):
    """Flatten the samples ``X`` (n_samples, ...) to float64 (n_samples, n_features); ``X`` is required.

    ``n_samples=None`` accepts any number of samples.
    """
    if X is None:
        raise ValueError(
            f"`X` is required: {who} depends on the samples themselves; pass them, "
            "e.g. simulate_crowd(y, classes, profiles, X=data.X_train)."
        )
    X = np.asarray(X)
    if X.dtype == bool or np.issubdtype(X.dtype, np.integer):
        X = X.astype(np.float64)
    X = check_samples(X, "X", n_samples=n_samples)
    return X.reshape(X.shape[0], -1).astype(np.float64)


def _answer_with_accuracy(y_true, classes, accuracy, rng):
    """Right with probability ``accuracy`` (n_samples,), else a uniformly drawn other class.

    Draws one uniform number per sample (right or wrong), then one integer per
    wrong sample, in sample order, that picks one of the other ``n_classes - 1``
    classes (counted in increasing order). These are exactly the draws of the
    reference tutorial's ``rng.choice(other classes)`` sample by sample (numpy's
    ``choice`` draws one such integer), done at once.
    """
    correct = rng.random(y_true.shape[0]) < accuracy
    labels = y_true.copy()
    wrong = np.flatnonzero(~correct)
    picks = rng.integers(classes.size - 1, size=wrong.size)
    own_position = np.searchsorted(classes, y_true[wrong])
    labels[wrong] = classes[picks + (picks >= own_position)]
    return labels


@dataclass(frozen=True)
class NoisyAnnotator:
    """Answers the true class with probability ``accuracy``, else a wrong class at random.

    Parameters
    ----------
    accuracy : float in [0, 1]
        Probability of a correct answer.
    class_accuracy : dict {class: float in [0, 1]}, default={}
        Accuracies that replace ``accuracy`` for samples of the given true classes,
        e.g. ``{9: 0.4}`` for an annotator who often gets nines wrong.
    name : str
        Label used in tables and plots.

    Notes
    -----
    A wrong answer is drawn uniformly from the other ``n_classes - 1`` classes.
    Draw order (which makes crowds reproducible): one uniform number per sample
    decides right or wrong, then one integer per wrong sample, in sample order,
    picks one of the other classes (counted in increasing order; the same draws
    as the reference's ``rng.choice`` per wrong sample).
    """

    accuracy: float
    class_accuracy: dict = field(default_factory=dict)
    name: str = "noisy"

    def __post_init__(self):
        check_probability(self.accuracy, "accuracy")
        if not isinstance(self.class_accuracy, Mapping):
            raise TypeError(
                f"`class_accuracy` must be a mapping {{class: accuracy}}, got {type(self.class_accuracy).__name__}."
            )
        for cls, acc in self.class_accuracy.items():
            check_probability(acc, f"class_accuracy[{cls!r}]")
        _check_name(self.name)

    def correct_probability(self, y_true, classes, X=None):
        """Probability of a correct answer for each sample, shape (n_samples,): its class's accuracy."""
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        unknown = set(self.class_accuracy) - set(classes.tolist())
        if unknown:
            raise ValueError(f"`class_accuracy` names classes {sorted(unknown)} not in `classes`.")
        per_sample_accuracy = np.full(y_true.shape, self.accuracy)
        for cls, acc in self.class_accuracy.items():
            per_sample_accuracy[y_true == cls] = acc
        return per_sample_accuracy

    def annotate(self, y_true, classes, rng, X=None):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true``."""
        rng = _check_rng(rng)
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        return _answer_with_accuracy(y_true, classes, self.correct_probability(y_true, classes), rng)


@dataclass(frozen=True)
class MajorityClassBiasedAnnotator:
    """With probability ``bias`` answers the most frequent class, regardless of the sample.

    Parameters
    ----------
    bias : float in [0, 1]
        Probability that the answer is forced to the majority class of ``y_true``.
    base : annotator profile or None, default=None
        Who answers when the bias does not strike; ``None`` means the true label.
        Composes with any profile, e.g. ``MajorityClassBiasedAnnotator(0.3, NoisyAnnotator(0.8))``.
    name : str
        Label used in tables and plots.

    Notes
    -----
    Draw order: the base profile's draws (none for ``base=None``), then one uniform
    number per sample for the bias.
    """

    bias: float
    base: object = None
    name: str = "majority-biased"

    def __post_init__(self):
        check_probability(self.bias, "bias")
        _check_base(self.base)
        _check_name(self.name)

    @staticmethod
    def _majority_class(y_true):
        values, counts = np.unique(y_true, return_counts=True)
        return values[counts.argmax()]

    def correct_probability(self, y_true, classes, X=None):
        """Probability of a correct answer for each sample, shape (n_samples,).

        The forced answer is right for samples of the majority class; otherwise the
        base profile answers (always right for ``base=None``).
        """
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        base = _base_correct_probability(self.base, y_true, classes, X)
        return self.bias * (y_true == self._majority_class(y_true)) + (1 - self.bias) * base

    def annotate(self, y_true, classes, rng, X=None):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true``."""
        rng = _check_rng(rng)
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        labels = _base_labels(self.base, y_true, classes, rng, X)
        labels[rng.random(y_true.shape[0]) < self.bias] = self._majority_class(y_true)
        return labels


def _average_rank(values):
    """0-based ranks of ``values`` (n,), tied values sharing the mean of their ranks."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    first_rank = np.cumsum(counts) - counts
    return (first_rank + (counts - 1) / 2)[inverse]


def _centroid_geometry(X, y_true):
    """Each sample's difficulty in [0, 1] and the class whose centroid is nearest after its own.

    See :func:`sample_difficulty`; ``X`` is already flat (n_samples, n_features).
    """
    present = np.unique(y_true)
    if present.size < 2:
        raise ValueError(
            f"`y_true` must hold at least two classes to tell easy from hard samples, got only {present.tolist()}."
        )
    n = y_true.shape[0]
    rows = np.arange(n)
    distances = np.column_stack([np.linalg.norm(X - X[y_true == c].mean(axis=0), axis=1) for c in present])
    own_column = np.searchsorted(present, y_true)
    own = distances[rows, own_column]
    distances[rows, own_column] = np.inf
    nearest_column = distances.argmin(axis=1)
    other = distances[rows, nearest_column]
    total = own + other
    ratio = np.divide(own, total, out=np.full(n, 0.5), where=total > 0)
    return _average_rank(ratio) / (n - 1), present[nearest_column]  # two classes: n >= 2


def sample_difficulty(X, y_true):
    """How hard each sample is to recognise, from the pixels alone, as a rank in [0, 1].

    For every sample, ``own`` is its Euclidean distance to the centroid (mean
    image) of its own class and ``other`` the distance to the nearest centroid
    of another class, both on the flattened features and with the centroids
    computed from the samples given (the sample itself included). The ratio
    ``own / (own + other)`` is 0 for a sample on its class centroid, 0.5 for one
    halfway between two classes and above 0.5 for one that looks more like
    another class. The difficulty is this ratio's rank among the samples given,
    scaled to [0, 1]: 0 for the easiest sample, 1 for the hardest, ties sharing
    their mean rank. No model is trained; the result depends only on ``X`` and
    ``y_true``.

    Parameters
    ----------
    X : array-like of shape (n_samples, ...)
        The samples, e.g. the digits' images of shape (n_samples, 1, 8, 8).
    y_true : array-like of shape (n_samples,), int
        Their true labels; at least two classes.

    Returns
    -------
    np.ndarray of shape (n_samples,), float in [0, 1]
    """
    y_true = check_labels(y_true, "y_true")
    X = _features(X, y_true.shape[0], "sample_difficulty")
    return _centroid_geometry(X, y_true)[0]


@dataclass(frozen=True)
class SpammerAnnotator:
    """With probability ``rate`` answers a class drawn uniformly at random, ignoring the sample.

    A full spammer (``rate=1``, the default) is right on ``1 / n_classes`` of the
    samples, whatever they show, and its answers are spread evenly over all classes.

    Parameters
    ----------
    rate : float in [0, 1], default=1.0
        Probability that an answer is a uniform guess.
    base : annotator profile or None, default=None
        Who answers when the annotator does not guess; ``None`` means the true
        label. E.g. ``SpammerAnnotator(0.3, NoisyAnnotator(0.9))`` is a good
        annotator who clicks at random on 30 % of the samples.
    name : str
        Label used in tables and plots.

    Notes
    -----
    Draw order: the base profile's draws (none for ``base=None``), then one
    uniform number per sample (guess or not), then one class index per sample
    (the guess, used only where the annotator guesses).
    """

    rate: float = 1.0
    base: object = None
    name: str = "spammer"

    def __post_init__(self):
        check_probability(self.rate, "rate")
        _check_base(self.base)
        _check_name(self.name)

    def correct_probability(self, y_true, classes, X=None):
        """Probability of a correct answer for each sample, shape (n_samples,).

        ``rate / n_classes + (1 - rate) * p_base``, with ``p_base = 1`` for ``base=None``.
        """
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        base = _base_correct_probability(self.base, y_true, classes, X)
        return self.rate / classes.size + (1 - self.rate) * base

    def annotate(self, y_true, classes, rng, X=None):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true``."""
        rng = _check_rng(rng)
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        labels = _base_labels(self.base, y_true, classes, rng, X)
        guesses = rng.random(y_true.shape[0]) < self.rate
        random_classes = classes[rng.integers(classes.size, size=y_true.shape[0])]
        labels[guesses] = random_classes[guesses]
        return labels


def _check_swaps(swaps):
    """Return ``swaps`` as a tuple of (int, int) pairs; no class may appear twice."""
    if isinstance(swaps, str) or not hasattr(swaps, "__iter__"):
        raise TypeError(f"`swaps` must be a sequence of class pairs such as ((3, 8), (1, 7)), got {swaps!r}.")
    pairs = []
    for k, pair in enumerate(swaps):
        if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise TypeError(f"`swaps[{k}]` must be a pair of classes such as (3, 8), got {pair!r}.")
        pairs.append(tuple(check_int(c, f"swaps[{k}]") for c in pair))
        if pairs[-1][0] == pairs[-1][1]:
            raise ValueError(f"`swaps[{k}]` must pair two different classes, got {pair!r}.")
    if not pairs:
        raise ValueError("`swaps` must name at least one pair of classes.")
    swapped = [c for pair in pairs for c in pair]
    twice = sorted({c for c in swapped if swapped.count(c) > 1})
    if twice:
        raise ValueError(f"`swaps` names classes {twice} in more than one pair; each class may have one partner.")
    return tuple(pairs)


@dataclass(frozen=True)
class AdversarialAnnotator:
    """Systematically mistakes the classes of given pairs for each other, e.g. every 3 for an 8 and every 8 for a 3.

    On a sample whose true class belongs to a pair of ``swaps``, the annotator
    answers the other class of the pair with probability ``strength``; otherwise
    (and on every other class) the ``base`` profile answers. The errors are
    consistent: a majority vote of annotators who share a swap is fooled, while
    a model of each annotator's confusion matrix (Dawid–Skene, CrowdLayer) can
    learn the swap and invert it.

    Parameters
    ----------
    swaps : sequence of (class, class) pairs
        E.g. ``((3, 8), (1, 7))``; a class may appear in one pair only.
    strength : float in [0, 1], default=1.0
        Probability of the swapped answer on a sample of a swapped class.
    base : annotator profile or None, default=None
        Who answers when the swap does not strike; ``None`` means the true label.
    name : str
        Label used in tables and plots.

    Notes
    -----
    Draw order: the base profile's draws (none for ``base=None``), then one
    uniform number per sample (swap or not; used only on swapped classes).
    """

    swaps: tuple
    strength: float = 1.0
    base: object = None
    name: str = "adversarial"

    def __post_init__(self):
        object.__setattr__(self, "swaps", _check_swaps(self.swaps))
        check_probability(self.strength, "strength")
        _check_base(self.base)
        _check_name(self.name)

    def partners(self, y_true, classes):
        """The class each sample would be swapped to, shape (n_samples,); its own class if not swapped."""
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        unknown = sorted({c for pair in self.swaps for c in pair} - set(classes.tolist()))
        if unknown:
            raise ValueError(f"`swaps` names classes {unknown} not in `classes`.")
        partner = y_true.copy()
        for a, b in self.swaps:
            partner[y_true == a] = b
            partner[y_true == b] = a
        return partner

    def correct_probability(self, y_true, classes, X=None):
        """Probability of a correct answer for each sample, shape (n_samples,).

        ``(1 - strength) * p_base`` on the swapped classes, ``p_base`` elsewhere
        (``p_base = 1`` for ``base=None``).
        """
        swapped = self.partners(y_true, classes) != y_true
        base = _base_correct_probability(self.base, np.asarray(y_true), classes, X)
        return np.where(swapped, (1 - self.strength) * base, base)

    def annotate(self, y_true, classes, rng, X=None):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true``."""
        rng = _check_rng(rng)
        partner = self.partners(y_true, classes)
        classes, y_true = check_classes(classes), np.asarray(y_true)
        labels = _base_labels(self.base, y_true, classes, rng, X)
        strikes = (rng.random(y_true.shape[0]) < self.strength) & (partner != y_true)
        labels[strikes] = partner[strikes]
        return labels


_WRONG_ANSWERS = ("nearest", "uniform")


@dataclass(frozen=True)
class InstanceDependentAnnotator:
    """Reliable on easy samples, unreliable on hard ones: accuracy falls linearly with the sample's difficulty.

    The difficulty ``d`` in [0, 1] of each sample is :func:`sample_difficulty`
    (the rank of how close the sample lies to another class's centroid compared
    with its own, among the samples given), and the annotator is right with
    probability ``easy_accuracy + (hard_accuracy - easy_accuracy) * d``: exactly
    ``easy_accuracy`` on the easiest sample, ``hard_accuracy`` on the hardest.
    A wrong answer is, by default, the class whose centroid is nearest to the
    sample after its own (the digit it looks most like), so annotators who share
    this profile make the same mistakes on the same hard samples.

    Parameters
    ----------
    easy_accuracy : float in [0, 1]
        Accuracy on the easiest sample.
    hard_accuracy : float in [0, easy_accuracy]
        Accuracy on the hardest sample.
    wrong_answers : {"nearest", "uniform"}, default="nearest"
        ``"nearest"``: the nearest other class by centroid (classes with no
        sample among those given have no centroid and are never chosen);
        ``"uniform"``: any other class of ``classes``, uniformly.
    name : str
        Label used in tables and plots.

    Notes
    -----
    Needs the samples: ``annotate`` and ``correct_probability`` raise
    ``ValueError`` without ``X``. Difficulties are relative to the samples given,
    so label a pool in one call. Draw order: one uniform number per sample
    decides right or wrong; with ``"uniform"``, then one integer per wrong
    sample, in sample order, picks one of the other classes (counted in
    increasing order); ``"nearest"`` draws nothing more.
    """

    easy_accuracy: float
    hard_accuracy: float
    wrong_answers: str = "nearest"
    name: str = "instance-dependent"

    def __post_init__(self):
        easy = check_probability(self.easy_accuracy, "easy_accuracy")
        hard = check_probability(self.hard_accuracy, "hard_accuracy")
        if hard > easy:
            raise ValueError(f"`hard_accuracy` ({hard}) must not exceed `easy_accuracy` ({easy}).")
        if self.wrong_answers not in _WRONG_ANSWERS:
            raise ValueError(f"`wrong_answers` must be one of {_WRONG_ANSWERS}, got {self.wrong_answers!r}.")
        _check_name(self.name)

    def _accuracy_and_nearest(self, y_true, classes, X):
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        difficulty, nearest = _centroid_geometry(_features(X, y_true.shape[0], type(self).__name__), y_true)
        accuracy = self.easy_accuracy + (self.hard_accuracy - self.easy_accuracy) * difficulty
        return classes, y_true, accuracy, nearest

    def correct_probability(self, y_true, classes, X=None):
        """Probability of a correct answer for each sample, shape (n_samples,): linear in its difficulty."""
        return self._accuracy_and_nearest(y_true, classes, X)[2]

    def annotate(self, y_true, classes, rng, X=None):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true`` and samples ``X``."""
        rng = _check_rng(rng)
        classes, y_true, accuracy, nearest = self._accuracy_and_nearest(y_true, classes, X)
        if self.wrong_answers == "uniform":
            return _answer_with_accuracy(y_true, classes, accuracy, rng)
        return np.where(rng.random(y_true.shape[0]) < accuracy, y_true, nearest)


#: k-means clusterings already computed, by (samples' digest, shape, n_clusters, random_state).
_KMEANS_REGIONS = {}


@dataclass(frozen=True)
class ClusterSpecialistAnnotator:
    """An expert on some regions of the input space who is much worse (by default guessing) elsewhere.

    The regions are ``n_clusters`` k-means clusters of the flattened samples
    (scikit-learn's ``KMeans`` with ``n_init=10`` and this profile's own
    ``random_state``, fitted on one thread, so they are reproducible, the same
    on any number of cores and independent of the crowd's generator). On
    samples of the ``expert_clusters`` the annotator is right with probability
    ``expert_accuracy``, elsewhere with ``other_accuracy``; a wrong answer is
    any other class, uniformly. With the default
    ``other_accuracy = 1 / n_classes`` every answer outside the expert's
    clusters is a uniform guess over all classes.

    Parameters
    ----------
    n_clusters : int >= 2
        Number of regions.
    expert_clusters : sequence of int in [0, n_clusters)
        The clusters the annotator knows (at least one; see :meth:`clusters`).
    expert_accuracy : float in [0, 1], default=0.95
    other_accuracy : float in [0, 1] or None, default=None
        ``None`` means ``1 / n_classes``.
    random_state : int >= 0, default=0
        Seed of the k-means clustering.
    name : str
        Label used in tables and plots.

    Notes
    -----
    Needs the samples: ``annotate`` and ``correct_probability`` raise
    ``ValueError`` without ``X``. The clusters are those of the samples given,
    so label a pool in one call. The clustering of a pool is computed once and
    remembered (it is deterministic), so simulating many crowds on the same
    samples is fast. Draw order: one uniform number per sample decides right or
    wrong, then one integer per wrong sample, in sample order, picks one of the
    other classes (counted in increasing order).
    """

    n_clusters: int
    expert_clusters: tuple
    expert_accuracy: float = 0.95
    other_accuracy: float | None = None
    random_state: int = 0
    name: str = "cluster specialist"

    def __post_init__(self):
        check_int(self.n_clusters, "n_clusters", minimum=2)
        if isinstance(self.expert_clusters, str) or not hasattr(self.expert_clusters, "__iter__"):
            raise TypeError(f"`expert_clusters` must be a sequence of cluster indices, got {self.expert_clusters!r}.")
        known = tuple(check_int(c, f"expert_clusters[{k}]", minimum=0) for k, c in enumerate(self.expert_clusters))
        if not known:
            raise ValueError("`expert_clusters` must name at least one cluster.")
        if max(known) >= self.n_clusters:
            raise ValueError(f"`expert_clusters` must be cluster indices below `n_clusters`={self.n_clusters}.")
        if len(set(known)) != len(known):
            raise ValueError(f"`expert_clusters` names a cluster twice: {list(known)}.")
        object.__setattr__(self, "expert_clusters", tuple(sorted(known)))
        check_probability(self.expert_accuracy, "expert_accuracy")
        if self.other_accuracy is not None:
            check_probability(self.other_accuracy, "other_accuracy")
        check_int(self.random_state, "random_state", minimum=0)
        _check_name(self.name)

    def clusters(self, X):
        """The k-means cluster of each sample, shape (n_samples,), int in [0, n_clusters)."""
        return self._clusters_of(_features(X, None, type(self).__name__))

    def _clusters_of(self, flat_X):
        if self.n_clusters > flat_X.shape[0]:
            raise ValueError(f"`n_clusters`={self.n_clusters} exceeds the {flat_X.shape[0]} samples given.")
        key = (hashlib.sha1(flat_X.tobytes()).hexdigest(), flat_X.shape, self.n_clusters, self.random_state)
        if key not in _KMEANS_REGIONS:
            if len(_KMEANS_REGIONS) >= 32:
                _KMEANS_REGIONS.clear()
            kmeans = KMeans(n_clusters=self.n_clusters, n_init=10, random_state=self.random_state)
            with threadpool_limits(1):  # k-means on 898 small images: threads only add overhead
                _KMEANS_REGIONS[key] = kmeans.fit_predict(flat_X)
        return _KMEANS_REGIONS[key].copy()

    def correct_probability(self, y_true, classes, X=None):
        """Probability of a correct answer for each sample, shape (n_samples,): by the sample's cluster."""
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        expert = np.isin(self._clusters_of(_features(X, y_true.shape[0], type(self).__name__)), self.expert_clusters)
        other = 1 / classes.size if self.other_accuracy is None else self.other_accuracy
        return np.where(expert, self.expert_accuracy, other)

    def annotate(self, y_true, classes, rng, X=None):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true`` and samples ``X``."""
        rng = _check_rng(rng)
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        return _answer_with_accuracy(y_true, classes, self.correct_probability(y_true, classes, X), rng)
