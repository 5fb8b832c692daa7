"""Simulated annotators: small profile objects and functions that ask a whole crowd.

A profile is any object with

``name`` : str
    Shown in tables and plots.
``annotate(y_true, classes, rng, X=None)``
    One label per sample, shape (n_samples,), drawn from the ``numpy.random.Generator``
    ``rng``; ``X`` (n_samples, ...) are the samples' features, for profiles whose
    answers depend on the sample itself (the built-in ones here ignore it).
``correct_probability(y_true, classes, X=None)``
    The probability, shape (n_samples,), that ``annotate`` answers each sample
    correctly. Only simulated annotators know it; notebook 05's *oracle* choice of
    annotator uses it as the ceiling of what choosing annotators can buy.

Profiles draw from the generator they are handed, so a crowd drawn with the same
seed and the same profiles in the same order is the same crowd.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ._validation import check_classes, check_int, check_labels, check_probability


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
    decides right or wrong, then one choice per wrong sample, in sample order.
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
        correct = rng.random(y_true.shape[0]) < self.correct_probability(y_true, classes)
        labels = y_true.copy()
        for i in np.flatnonzero(~correct):
            labels[i] = rng.choice(classes[classes != y_true[i]])
        return labels


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
        if self.base is not None and not callable(getattr(self.base, "annotate", None)):
            raise TypeError("`base` must be an annotator profile with an `annotate` method or None.")
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
        if self.base is None:
            base = np.ones(y_true.shape)
        else:
            base = _call(self.base, "correct_probability", y_true, classes, X=X)
        return self.bias * (y_true == self._majority_class(y_true)) + (1 - self.bias) * base

    def annotate(self, y_true, classes, rng, X=None):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true``."""
        rng = _check_rng(rng)
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        labels = y_true.copy() if self.base is None else _call(self.base, "annotate", y_true, classes, rng, X=X)
        labels[rng.random(y_true.shape[0]) < self.bias] = self._majority_class(y_true)
        return labels


def default_crowd():
    """The reference's five annotators, in the reference's order.

    Returns
    -------
    tuple of profiles
        near-perfect 95 %; strong 85 %; noisy 70 %; 85 % but 40 % on digit 9;
        half of the answers forced to the majority class.
    """
    return (
        NoisyAnnotator(0.95, name="near-perfect"),
        NoisyAnnotator(0.85, name="strong"),
        NoisyAnnotator(0.70, name="noisy"),
        NoisyAnnotator(0.85, class_accuracy={9: 0.40}, name="weak on 9"),
        MajorityClassBiasedAnnotator(0.50, name="majority-biased"),
    )


def simulate_crowd(y_true=None, classes=None, profiles=None, random_state=0, X=None):
    """Ask every annotator of a crowd to label every sample.

    Called without arguments it returns the reference tutorial's ``z_train``: the
    default crowd labelling the digits' training half, drawn from ``default_rng(0)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), default=None
        True labels; ``None`` means the training labels of ``load_digits_split()``.
    classes : array-like of shape (n_classes,), default=None
        All classes; ``None`` means the unique values of ``y_true``.
    profiles : sequence of annotator profiles, default=None
        The crowd; ``None`` means ``default_crowd()``.
    random_state : int >= 0 or numpy.random.Generator, default=0
        Seed (or generator) that all profiles draw from, one after the other.
    X : np.ndarray of shape (n_samples, ...) or None
        The samples, handed to profiles whose answers depend on them.

    Returns
    -------
    np.ndarray of shape (n_samples, n_annotators), int64
        ``z[i, j]`` is annotator ``j``'s label for sample ``i``.
    """
    y_true, classes, profiles, X = _crowd_inputs(y_true, classes, profiles, X, need=("annotate",))
    rng = _as_generator(random_state)
    return np.column_stack([_call(p, "annotate", y_true, classes, rng, X=X) for p in profiles]).astype(np.int64)


def correct_probabilities(y_true=None, classes=None, profiles=None, X=None):
    """Each annotator's probability of answering each sample correctly: the simulated crowd's ground truth.

    Arguments as in :func:`simulate_crowd`. Every profile must have a
    ``correct_probability`` method.

    Returns
    -------
    np.ndarray of shape (n_samples, n_annotators), float in [0, 1]
    """
    y_true, classes, profiles, X = _crowd_inputs(y_true, classes, profiles, X, need=("correct_probability",))
    return np.column_stack([_call(p, "correct_probability", y_true, classes, X=X) for p in profiles]).astype(float)


def _crowd_inputs(y_true, classes, profiles, X, need):
    if y_true is None:
        from .data import load_digits_split

        y_true = load_digits_split().y_train
    y_true = check_labels(y_true, "y_true")
    classes = check_classes(np.unique(y_true) if classes is None else classes)
    check_labels(y_true, "y_true", classes)
    profiles = check_profiles(default_crowd() if profiles is None else profiles, need)
    if X is not None:
        X = np.asarray(X)
        if X.ndim < 2 or X.shape[0] != y_true.shape[0]:
            raise ValueError(f"`X` must have shape (n_samples, ...) with {y_true.shape[0]} samples, got {X.shape}.")
    return y_true, classes, profiles, X


def annotator_names(profiles=None):
    """Names of a crowd's annotators, numbered from 1; ``None`` means the default crowd."""
    profiles = check_profiles(default_crowd() if profiles is None else profiles, need=())
    return [f"A{k + 1} {p.name}" for k, p in enumerate(profiles)]
