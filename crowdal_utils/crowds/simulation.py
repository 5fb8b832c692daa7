"""Asking a crowd: every profile labels every sample, and what the simulation knows about it.

:func:`simulate_crowd` returns the crowd labels, shape (n_samples, n_annotators);
:func:`correct_probabilities` the probability that each annotator answers each sample
correctly (the oracle's input); :func:`annotator_names` the names tables and figures
use. Called without arguments they use the digits' training half and the default crowd.
"""

import numpy as np

from .._validation import check_classes, check_labels
from .presets import default_crowd
from .profiles import _as_generator, _call, check_profiles


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
        from ..data.digits import load_digits_split

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


def annotator_labels(crowd_labels, annotator):
    """One annotator's answers: column ``annotator`` (0 for A1, ...) of ``crowd_labels``, shape (n_samples,).

    ``crowd_labels`` has shape (n_samples, n_annotators); an index outside 0 .. n_annotators - 1 raises ``ValueError``
    naming it (numpy would count a negative one from the end).
    """
    crowd_labels = np.asarray(crowd_labels)
    if crowd_labels.ndim != 2:
        raise ValueError(f"`crowd_labels` must have shape (n_samples, n_annotators), got {crowd_labels.shape}.")
    n = crowd_labels.shape[1]
    if isinstance(annotator, bool) or not isinstance(annotator, int | np.integer) or not 0 <= annotator < n:
        raise ValueError(f"`annotator` must be an annotator's index, 0 (A1) to {n - 1} (A{n}), got {annotator!r}.")
    return crowd_labels[:, annotator]


def annotator_names(profiles=None):
    """Names of a crowd's annotators, numbered from 1; ``None`` means the default crowd."""
    profiles = check_profiles(default_crowd() if profiles is None else profiles, need=())
    return [f"A{k + 1} {p.name}" for k, p in enumerate(profiles)]
