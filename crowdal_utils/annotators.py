"""Simulated annotators: small profile objects and a function that asks a whole crowd.

Every profile answers ``annotate(y_true, classes, rng)`` with one label per sample.
Profiles draw from the ``numpy.random.Generator`` they are handed, so a crowd drawn
with the same seed and the same profiles in the same order is the same crowd.
"""

from dataclasses import dataclass, field

import numpy as np

from ._validation import check_classes, check_labels, check_probability


def _as_generator(random_state):
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)):
        raise TypeError(f"`random_state` must be an int or a numpy Generator, got {type(random_state).__name__}.")
    return np.random.default_rng(random_state)


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
        for cls, acc in self.class_accuracy.items():
            check_probability(acc, f"class_accuracy[{cls!r}]")

    def annotate(self, y_true, classes, rng):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true``."""
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        unknown = set(self.class_accuracy) - set(classes.tolist())
        if unknown:
            raise ValueError(f"`class_accuracy` names classes {sorted(unknown)} not in `classes`.")
        per_sample_accuracy = np.full(y_true.shape, self.accuracy)
        for cls, acc in self.class_accuracy.items():
            per_sample_accuracy[y_true == cls] = acc
        correct = rng.random(y_true.shape[0]) < per_sample_accuracy
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

    def annotate(self, y_true, classes, rng):
        """Return this annotator's labels, shape (n_samples,), for true labels ``y_true``."""
        classes = check_classes(classes)
        y_true = check_labels(y_true, "y_true", classes)
        labels = y_true.copy() if self.base is None else self.base.annotate(y_true, classes, rng)
        values, counts = np.unique(y_true, return_counts=True)
        majority_class = values[counts.argmax()]
        labels[rng.random(y_true.shape[0]) < self.bias] = majority_class
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


def simulate_crowd(y_true=None, classes=None, profiles=None, random_state=0):
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
    random_state : int or numpy.random.Generator, default=0
        Seed (or generator) that all profiles draw from, one after the other.

    Returns
    -------
    np.ndarray of shape (n_samples, n_annotators), int64
        ``z[i, j]`` is annotator ``j``'s label for sample ``i``.
    """
    if y_true is None:
        from .data import load_digits_split

        y_true = load_digits_split().y_train
    y_true = check_labels(y_true, "y_true")
    classes = check_classes(np.unique(y_true) if classes is None else classes)
    check_labels(y_true, "y_true", classes)
    profiles = default_crowd() if profiles is None else tuple(profiles)
    if not profiles:
        raise ValueError("`profiles` must name at least one annotator, got an empty crowd.")
    for k, profile in enumerate(profiles):
        if not callable(getattr(profile, "annotate", None)):
            raise TypeError(f"`profiles[{k}]` has no `annotate` method: {profile!r}.")
    rng = _as_generator(random_state)
    return np.column_stack([p.annotate(y_true, classes, rng) for p in profiles]).astype(np.int64)


def annotator_names(profiles=None):
    """Names of a crowd's annotators, numbered from 1; ``None`` means the default crowd."""
    profiles = default_crowd() if profiles is None else profiles
    return [f"A{k + 1} {p.name}" for k, p in enumerate(profiles)]
