"""Annotators' confusion matrices: counted from labels, and read.

A **confusion array** here always has shape (n_annotators, n_classes, n_classes)::

    C[j, t, a] = P(annotator j answers classes[a] | the true class is classes[t])

Rows are true (or reference) classes and sum to 1; a row is NaN where there is no
evidence about that class (the annotator never labelled a sample of it). The diagonal
``C[j, t, t]`` is annotator ``j``'s accuracy on class ``t``; the smallest diagonal entry
is the annotator's **worst class**.

:func:`annotator_confusion_matrices` counts them from labels (against the truth or a
consensus); :func:`class_accuracies`, :func:`worst_classes`, :func:`expected_accuracy`
and :func:`confusion_error` read any such array, whether counted, Dawid–Skene's
(:mod:`.aggregation`) or a learner's (``evaluation.annotator_quality``).
"""

import numpy as np

from .._validation import check_classes, check_partial_labels

# --------------------------------------------------------------------------------------------------------------------
# Checks


def _check_reference(reference, n_samples, classes, name):
    """A 1-D array of ``n_samples`` class labels, NaN allowed (a sample without a reference label)."""
    reference = np.asarray(reference)
    if reference.dtype == bool or not np.issubdtype(reference.dtype, np.number):
        raise TypeError(f"`{name}` must hold class labels (NaN where unknown), got dtype {reference.dtype}.")
    reference = reference.astype(float)
    if reference.shape != (n_samples,):
        raise ValueError(f"`{name}` must have shape ({n_samples},), one label per sample, got {reference.shape}.")
    present = reference[~np.isnan(reference)]
    unknown = np.setdiff1d(present, classes)
    if unknown.size:
        raise ValueError(f"`{name}` holds labels {unknown.tolist()[:10]} that are not in `classes`.")
    return reference


def check_confusions(confusions, name="confusions", n_classes=None):
    """A float array (n_annotators, n_classes, n_classes) of probabilities in [0, 1] or NaN."""
    confusions = np.asarray(confusions, dtype=float)
    if confusions.ndim != 3 or confusions.shape[1] != confusions.shape[2] or 0 in confusions.shape:
        raise ValueError(f"`{name}` must have shape (n_annotators, n_classes, n_classes), got {confusions.shape}.")
    if n_classes is not None and confusions.shape[1] != n_classes:
        raise ValueError(f"`{name}` must have {n_classes} classes per axis, got shape {confusions.shape}.")
    known = confusions[~np.isnan(confusions)]
    if known.size and not np.all((known >= 0) & (known <= 1)):
        raise ValueError(f"`{name}` must hold probabilities in [0, 1] (NaN for a row without evidence).")
    return confusions


def row_normalise(weighted, totals):
    """``weighted / totals`` with NaN where ``totals`` is 0 (no evidence)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, weighted / np.where(totals > 0, totals, 1), np.nan)


# --------------------------------------------------------------------------------------------------------------------
# From labels


def annotator_confusion_matrices(crowd_labels, reference, classes):
    """Each annotator's confusion matrix, counted from its labels against reference labels.

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators)
        Class labels, NaN where an annotator gave none.
    reference : array-like of shape (n_samples,)
        The label each answer is compared with: the true classes (``C`` is then the
        annotators' real confusion matrices) or a consensus such as the majority
        vote (``C`` is then how each annotator's answers relate to the consensus).
        NaN where a sample has no reference label; such samples are left out.
    classes : array-like of shape (n_classes,)

    Returns
    -------
    np.ndarray of shape (n_annotators, n_classes, n_classes)
        ``C[j, t, a]``: share of annotator ``j``'s labels on samples of reference
        class ``classes[t]`` that were ``classes[a]``. NaN rows where ``j`` labelled
        no sample of class ``t``.
    """
    classes = check_classes(classes)
    z = check_partial_labels(crowd_labels, classes)
    reference = _check_reference(reference, z.shape[0], classes, "reference")
    n_annotators, n_classes = z.shape[1], classes.size
    counts = np.zeros((n_annotators, n_classes, n_classes))
    given = ~np.isnan(z) & ~np.isnan(reference)[:, None]
    samples, annotators = np.nonzero(given)
    true_index = np.searchsorted(classes, reference[samples].astype(np.int64))
    answer_index = np.searchsorted(classes, z[samples, annotators].astype(np.int64))
    np.add.at(counts, (annotators, true_index, answer_index), 1)
    return row_normalise(counts, counts.sum(axis=2, keepdims=True))


# --------------------------------------------------------------------------------------------------------------------
# Reading confusion arrays


def class_accuracies(confusions):
    """The diagonals: each annotator's accuracy on each class, shape (n_annotators, n_classes), NaN where unknown."""
    confusions = check_confusions(confusions)
    return np.diagonal(confusions, axis1=1, axis2=2).copy()


def worst_classes(confusions, classes):
    """Each annotator's worst class: the true class it labels correctly least often.

    Parameters
    ----------
    confusions : array-like of shape (n_annotators, n_classes, n_classes)
        Module convention (rows = true class); NaN rows are skipped.
    classes : array-like of shape (n_classes,)

    Returns
    -------
    worst : np.ndarray of shape (n_annotators,), int
        The class with the smallest diagonal entry (the lowest class on a tie).
    accuracy : np.ndarray of shape (n_annotators,)
        The annotator's accuracy on that class.

    Raises
    ------
    ValueError
        If an annotator has no row with evidence (it gave no label), naming it.
    """
    classes = check_classes(classes)
    diagonal = class_accuracies(check_confusions(confusions, n_classes=classes.size))
    unknown = np.isnan(diagonal).all(axis=1)
    if unknown.any():
        j = int(np.flatnonzero(unknown)[0])
        raise ValueError(f"`confusions[{j}]` has no row with evidence (all NaN): annotator {j} gave no label.")
    index = np.nanargmin(diagonal, axis=1)
    return classes[index], diagonal[np.arange(diagonal.shape[0]), index]


def expected_accuracy(confusions, weights=None):
    """Each annotator's overall accuracy implied by its confusion matrix: ``sum_t w[t] C[j, t, t]``.

    Parameters
    ----------
    confusions : array-like of shape (n_annotators, n_classes, n_classes)
    weights : array-like of shape (n_classes,) or None
        Share of each class (e.g. class frequencies or Dawid–Skene's priors);
        ``None``: equal shares. Renormalised over each annotator's known rows.

    Returns
    -------
    np.ndarray of shape (n_annotators,)
        NaN for an annotator without any known row.
    """
    diagonal = class_accuracies(confusions)
    n_classes = diagonal.shape[1]
    if weights is None:
        weights = np.ones(n_classes)
    weights = np.asarray(weights, dtype=float)
    if weights.shape != (n_classes,) or not np.all(np.isfinite(weights)) or (weights < 0).any():
        raise ValueError(f"`weights` must be {n_classes} non-negative numbers, one per class, got {weights}.")
    known = ~np.isnan(diagonal)
    mass = (weights * known).sum(axis=1)
    return row_normalise((np.nan_to_num(diagonal) * weights).sum(axis=1), mass)


def confusion_error(estimated, true):
    """Mean absolute difference between estimated and true confusion matrices, per annotator.

    Averaged over the cells of the rows known in both (NaN rows are skipped).

    Parameters
    ----------
    estimated, true : array-like of shape (n_annotators, n_classes, n_classes)

    Returns
    -------
    np.ndarray of shape (n_annotators,)
        NaN for an annotator with no row known in both.
    """
    estimated = check_confusions(estimated, "estimated")
    true = check_confusions(true, "true")
    if estimated.shape != true.shape:
        raise ValueError(f"`estimated` has shape {estimated.shape} but `true` has {true.shape}.")
    difference = np.abs(estimated - true)
    known = ~np.isnan(difference)
    return row_normalise(np.nan_to_num(difference).sum(axis=(1, 2)), known.sum(axis=(1, 2)))
