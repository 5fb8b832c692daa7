"""Annotator quality per annotator *and* per class: the truth, Dawid–Skene's estimate, Annot-Mix's estimate.

A **confusion array** here always has shape (n_annotators, n_classes, n_classes)::

    C[j, t, a] = P(annotator j answers classes[a] | the true class is classes[t])

Rows are true classes and sum to 1; a row is NaN where there is no evidence about
that class (the annotator never labelled a sample of it). The diagonal
``C[j, t, t]`` is annotator ``j``'s accuracy on class ``t``; the smallest diagonal
entry is the annotator's **worst class**.

Three sources fill such arrays:

* :func:`label_confusions` counts what annotators answered against reference
  labels: the true classes (a simulated crowd, or a data set that ships its
  truth) or a consensus (majority vote, Dawid–Skene) when the truth is unknown.
* :func:`fit_dawid_skene` runs crowd-kit's ``DawidSkene`` (EM over the labels
  alone) and returns its estimated confusion matrices, class priors and
  per-sample posteriors.
* :func:`learned_annotator_estimates` reads a fitted Annot-Mix (or CrowdLayer)
  classifier's ``annotator_class`` and ``annotator_perf`` outputs. Annot-Mix
  models a confusion matrix for every (sample, annotator) pair but returns only
  its consequence, the distribution of the annotator's answer on each sample,
  ``P(answer a | x_i) = sum_t P(t | x_i) C_ij[t, a]``;
  :func:`confusions_from_annotator_class` turns that back into one matrix per
  annotator by undoing the mix over the classifier's class probabilities.

:func:`consensus_agreement` gives how often each annotator agrees with a
consensus, the only quality measure available without a model or the truth;
:func:`annotator_quality_table` puts the sources side by side.

This module imports neither torch nor scikit-activeml; crowd-kit is imported by
:func:`fit_dawid_skene` when it is called.
"""

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._validation import check_classes, check_crowd_labels, check_int, check_probabilities

# --------------------------------------------------------------------------------------------------------------------
# Checks


def _check_partial_labels(crowd_labels, classes, name="crowd_labels"):
    """``crowd_labels`` as a float matrix (n_samples, n_annotators) with NaN for a missing label."""
    if isinstance(crowd_labels, str) or not hasattr(crowd_labels, "__len__"):
        raise TypeError(f"`{name}` must be an array of shape (n_samples, n_annotators), got {type(crowd_labels)}.")
    z = np.asarray(crowd_labels)
    if z.dtype == bool or not np.issubdtype(z.dtype, np.number):
        raise TypeError(f"`{name}` must hold class labels, NaN where missing, got dtype {z.dtype}.")
    return check_crowd_labels(z.astype(float), name, allow_missing=True, classes=classes)


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


def _check_confusions(confusions, name="confusions", n_classes=None):
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


def _check_class_proba(class_proba, n_samples=None, name="class_proba"):
    class_proba = check_probabilities(class_proba, name)
    if class_proba.ndim != 2 or class_proba.shape[1] < 2:
        raise ValueError(f"`{name}` must have shape (n_samples, n_classes), got {class_proba.shape}.")
    if n_samples is not None and class_proba.shape[0] != n_samples:
        raise ValueError(f"`{name}` has {class_proba.shape[0]} rows but there are {n_samples} samples.")
    return class_proba


def _row_normalise(weighted, totals):
    """``weighted / totals`` with NaN where ``totals`` is 0 (no evidence)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, weighted / np.where(totals > 0, totals, 1), np.nan)


# --------------------------------------------------------------------------------------------------------------------
# From labels


def label_confusions(crowd_labels, reference, classes):
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
    z = _check_partial_labels(crowd_labels, classes)
    reference = _check_reference(reference, z.shape[0], classes, "reference")
    n_annotators, n_classes = z.shape[1], classes.size
    counts = np.zeros((n_annotators, n_classes, n_classes))
    given = ~np.isnan(z) & ~np.isnan(reference)[:, None]
    samples, annotators = np.nonzero(given)
    true_index = np.searchsorted(classes, reference[samples].astype(np.int64))
    answer_index = np.searchsorted(classes, z[samples, annotators].astype(np.int64))
    np.add.at(counts, (annotators, true_index, answer_index), 1)
    return _row_normalise(counts, counts.sum(axis=2, keepdims=True))


def consensus_agreement(crowd_labels, consensus, min_labels=2):
    """How often each annotator's label equals the consensus label of the same sample.

    The only measure of an annotator that needs neither the truth nor a model. An
    annotator's own answer is part of the consensus it is compared with, so a sample
    it labelled alone always agrees: only samples with at least ``min_labels`` labels
    count. Even then, with few annotators per sample everyone looks a little better
    than they are, and an annotator whose errors the crowd shares (the same wrong
    answer on the same hard samples) looks better still.

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators)
        Class labels, NaN where an annotator gave none.
    consensus : array-like of shape (n_samples,)
        One label per sample (e.g. ``metrics.majority_vote_labels`` or Dawid–Skene's
        ``labels``), NaN where there is none.
    min_labels : int >= 1, default=2
        Compare only on samples with at least this many labels.

    Returns
    -------
    np.ndarray of shape (n_annotators,)
        Share of each annotator's labels (on the samples compared) that agree with
        the consensus; NaN for an annotator without such labels.
    """
    z = _check_partial_labels(crowd_labels, None)
    consensus = np.asarray(consensus)
    if consensus.dtype == bool or not np.issubdtype(consensus.dtype, np.number):
        raise TypeError(f"`consensus` must hold class labels (NaN where none), got dtype {consensus.dtype}.")
    consensus = consensus.astype(float)
    if consensus.shape != (z.shape[0],):
        raise ValueError(f"`consensus` must have shape ({z.shape[0]},), one label per sample, got {consensus.shape}.")
    min_labels = check_int(min_labels, "min_labels", minimum=1)
    given = ~np.isnan(z)
    counted = given.sum(axis=1) >= min_labels
    compared = given & (~np.isnan(consensus) & counted)[:, None]
    agree = (z == consensus[:, None]) & compared
    return _row_normalise(agree.sum(axis=0).astype(float), compared.sum(axis=0))


def buy_random_labels(crowd_labels, n_labels, random_state=0):
    """Reveal ``n_labels`` (sample, annotator) pairs of a crowd, drawn uniformly without replacement.

    What an experiment that asks random annotators about random samples has bought
    after ``n_labels`` labels, up to the few samples that random sampling happens to
    ask twice.

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators)
        Every answer the crowd would give (NaN where an annotator cannot be asked).
    n_labels : int >= 1
        At most the number of answers available.
    random_state : int >= 0

    Returns
    -------
    np.ndarray of shape (n_samples, n_annotators), float
        The bought labels, NaN elsewhere.
    """
    z = _check_partial_labels(crowd_labels, None)
    n_labels = check_int(n_labels, "n_labels", minimum=1)
    random_state = check_int(random_state, "random_state", minimum=0)
    available = np.flatnonzero(~np.isnan(z))
    if n_labels > available.size:
        raise ValueError(f"`n_labels`={n_labels} exceeds the {available.size} answers in `crowd_labels`.")
    chosen = np.random.default_rng(random_state).choice(available, size=n_labels, replace=False)
    bought = np.full(z.shape, np.nan)
    bought.flat[chosen] = z.flat[chosen]
    return bought


# --------------------------------------------------------------------------------------------------------------------
# Dawid–Skene


@dataclass(frozen=True, eq=False)
class DawidSkeneEstimate:
    """What crowd-kit's ``DawidSkene`` estimates from crowd labels alone.

    Attributes
    ----------
    classes : np.ndarray of shape (n_classes,)
    labels : np.ndarray of shape (n_samples,), float
        Most probable class of every labelled sample; NaN for samples without a label.
    posteriors : np.ndarray of shape (n_samples, n_classes)
        Estimated probability of each true class per sample; NaN rows for unlabelled samples.
    priors : np.ndarray of shape (n_classes,)
        Estimated share of each class (0 for classes no annotator ever named).
    confusions : np.ndarray of shape (n_annotators, n_classes, n_classes)
        Estimated confusion matrices, rows = true class (module convention). NaN
        rows for classes no annotator ever named, all-NaN for an annotator without labels.
    """

    classes: np.ndarray
    labels: np.ndarray
    posteriors: np.ndarray
    priors: np.ndarray
    confusions: np.ndarray

    @property
    def accuracy(self):
        """Estimated accuracy of each annotator, ``sum_t priors[t] * C[j, t, t]``, shape (n_annotators,).

        NaN for an annotator without labels.
        """
        return expected_accuracy(self.confusions, self.priors)


def fit_dawid_skene(crowd_labels, classes, n_iter=100):
    """Fit crowd-kit's ``DawidSkene`` to partial crowd labels and return its estimates.

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators)
        Class labels, NaN where an annotator gave none; at least one label.
    classes : array-like of shape (n_classes,)
    n_iter : int >= 1, default=100
        Maximum number of EM iterations.

    Returns
    -------
    DawidSkeneEstimate
    """
    try:
        from crowdkit.aggregation import DawidSkene
    except ImportError as err:  # the `crowd` extra
        raise ImportError(
            'Dawid-Skene needs crowd-kit: pip install "crowdal-utils[crowd]" (make install does this).'
        ) from err
    from .crowd_table import wide_to_long

    classes = check_classes(classes)
    z = _check_partial_labels(crowd_labels, classes)
    n_iter = check_int(n_iter, "n_iter", minimum=1)
    frame = wide_to_long(z)
    if len(frame) == 0:
        raise ValueError("`crowd_labels` holds no label: Dawid–Skene needs at least one.")
    with warnings.catch_warnings():  # crowd-kit 1.4.2 uses pandas keywords that pandas 3 deprecates
        warnings.filterwarnings("ignore", module=r"crowdkit\.")
        model = DawidSkene(n_iter=n_iter).fit(frame)

    n_samples, n_annotators, n_classes = z.shape[0], z.shape[1], classes.size
    labels = np.full(n_samples, np.nan)
    labels[model.labels_.index.to_numpy(dtype=np.int64)] = model.labels_.to_numpy(dtype=float)
    posteriors = np.full((n_samples, n_classes), np.nan)
    probas = model.probas_.reindex(columns=classes, fill_value=0.0)
    posteriors[probas.index.to_numpy(dtype=np.int64)] = probas.to_numpy(dtype=float)
    priors = model.priors_.reindex(classes, fill_value=0.0).to_numpy(dtype=float)

    confusions = np.full((n_annotators, n_classes, n_classes), np.nan)
    known_true = [t for t, cls in enumerate(classes) if cls in set(model.errors_.columns)]
    for worker in model.errors_.index.get_level_values("worker").unique():
        given_by_true = model.errors_.loc[worker]  # rows: label given, columns: true class
        given_by_true = given_by_true.reindex(index=classes, fill_value=0.0)  # labels never given: probability 0
        for t in known_true:
            confusions[int(worker), t] = given_by_true[classes[t]].to_numpy(dtype=float)
    return DawidSkeneEstimate(classes, labels, posteriors, priors, confusions)


# --------------------------------------------------------------------------------------------------------------------
# Annot-Mix (and CrowdLayer)


def confusions_from_annotator_class(annotator_class, class_proba, unmix=True):
    """Per-annotator confusion matrices from Annot-Mix's per-sample answer distributions.

    Annot-Mix's ``annotator_class`` output gives, for every sample ``i`` and
    annotator ``j``, the distribution of ``j``'s answer, a mix of the rows of ``j``'s
    confusion matrix weighted by the classifier's class probabilities ``p_i``::

        P[i, j, a] = sum_t p_i[t] C_ij[t, a]

    Summing over the samples with weights ``p_i[t]`` gives ``B_j[t, a] =
    sum_i p_i[t] P[i, j, a]``. If annotator ``j`` answers every sample of a class
    alike (``C_ij = C_j``), then ``B_j = M C_j`` with ``M = sum_i p_i p_i^T``
    (n_classes, n_classes), and:

    * ``unmix=True`` solves that linear system for ``C_j`` (least squares), clips
      the small negative entries noise leaves to 0 and renormalises the rows. This
      undoes the mixing that the classifier's uncertainty causes: exact when the
      annotator's confusion does not depend on the sample, the best single matrix
      otherwise.
    * ``unmix=False`` divides each row of ``B_j`` by the class's total weight: the
      plain weighted mean of the answers over the samples assigned to each class.
      Exact only where the classifier is certain; elsewhere every row takes in
      some of the rows of the classes the classifier hesitates between, which pulls
      the diagonal down.

    Only the model's own outputs are used, so this works on a real crowd too.

    Parameters
    ----------
    annotator_class : array-like of shape (n_samples, n_annotators, n_classes)
        ``predict_proba(X, extra_outputs=["annotator_class"])[1]``.
    class_proba : array-like of shape (n_samples, n_classes)
        The classifier's class probabilities for the same samples.
    unmix : bool, default=True

    Returns
    -------
    np.ndarray of shape (n_annotators, n_classes, n_classes)
        NaN rows for a class no sample is assigned to.
    """
    annotator_class = check_probabilities(annotator_class, "annotator_class")
    if annotator_class.ndim != 3:
        raise ValueError(
            f"`annotator_class` must have shape (n_samples, n_annotators, n_classes), got {annotator_class.shape}."
        )
    class_proba = _check_class_proba(class_proba, annotator_class.shape[0])
    if class_proba.shape[1] != annotator_class.shape[2]:
        raise ValueError(
            f"`class_proba` has {class_proba.shape[1]} classes but `annotator_class` has {annotator_class.shape[2]}."
        )
    if not isinstance(unmix, bool):
        raise TypeError(f"`unmix` must be True or False, got {unmix!r}.")
    weighted = np.einsum("it,ija->jta", class_proba, annotator_class)  # B_j, (n_annotators, n_classes, n_classes)
    mass = class_proba.sum(axis=0)
    if not unmix:
        return _row_normalise(weighted, mass[None, :, None])
    known = mass > 1e-12 * class_proba.shape[0]
    confusions = np.full(weighted.shape, np.nan)
    if known.any():
        gram = class_proba[:, known].T @ class_proba[:, known]  # M, restricted to classes with weight
        for j in range(weighted.shape[0]):
            solved = np.linalg.lstsq(gram, weighted[j][known], rcond=None)[0].clip(min=0)
            confusions[j][known] = _row_normalise(solved, solved.sum(axis=1, keepdims=True))
    return confusions


def class_performance(annotator_perf, class_proba):
    """Each annotator's estimated accuracy on each class, from a per-sample estimate of its accuracy.

    ``A[j, t] = sum_i p(t | x_i) perf[i, j] / sum_i p(t | x_i)``: the mean of the
    estimate over the samples the classifier assigns to class ``t``.

    Parameters
    ----------
    annotator_perf : array-like of shape (n_samples, n_annotators)
        Estimated probability that each annotator labels each sample correctly
        (Annot-Mix's ``annotator_perf``; any learner's estimate in the loop).
    class_proba : array-like of shape (n_samples, n_classes)

    Returns
    -------
    np.ndarray of shape (n_annotators, n_classes)
        NaN for a class no sample is assigned to.
    """
    annotator_perf = check_probabilities(annotator_perf, "annotator_perf")
    if annotator_perf.ndim != 2:
        raise ValueError(f"`annotator_perf` must have shape (n_samples, n_annotators), got {annotator_perf.shape}.")
    class_proba = _check_class_proba(class_proba, annotator_perf.shape[0])
    return _row_normalise(np.einsum("it,ij->jt", class_proba, annotator_perf), class_proba.sum(axis=0)[None, :])


@dataclass(frozen=True, eq=False)
class LearnedAnnotatorEstimate:
    """What a fitted multi-annotator network (Annot-Mix, CrowdLayer) believes about its annotators.

    Attributes
    ----------
    confusions : np.ndarray of shape (n_annotators, n_classes, n_classes)
        From ``annotator_class``, unmixed (:func:`confusions_from_annotator_class`).
    class_accuracy : np.ndarray of shape (n_annotators, n_classes)
        From ``annotator_perf`` (:func:`class_performance`): what its own-estimate
        choice of annotator acts on, per class.
    accuracy : np.ndarray of shape (n_annotators,)
        Mean ``annotator_perf`` over the samples (the number the loop records).
    class_proba : np.ndarray of shape (n_samples, n_classes)
        The classifier's class probabilities on the samples used.
    """

    confusions: np.ndarray
    class_accuracy: np.ndarray
    accuracy: np.ndarray
    class_proba: np.ndarray


def learned_annotator_estimates(classifier, X):
    """Read a fitted Annot-Mix or CrowdLayer classifier's estimates of its annotators on the samples ``X``.

    Parameters
    ----------
    classifier : fitted scikit-activeml ``AnnotMixClassifier`` or ``CrowdLayerClassifier``
        Anything whose ``predict_proba(X, extra_outputs=["annotator_perf", "annotator_class"])``
        returns (class probabilities, ``annotator_perf``, ``annotator_class``).
    X : np.ndarray of shape (n_samples, ...)
        The samples to average over (e.g. the training pool).

    Returns
    -------
    LearnedAnnotatorEstimate
    """
    if not callable(getattr(classifier, "predict_proba", None)):
        raise TypeError(f"`classifier` must be a fitted multi-annotator classifier, got {type(classifier).__name__}.")
    if not isinstance(X, np.ndarray) or X.ndim < 2 or X.shape[0] == 0:
        raise ValueError("`X` must be a numpy array of shape (n_samples, ...) with at least one sample.")
    try:
        proba, perf, answers = classifier.predict_proba(X, extra_outputs=["annotator_perf", "annotator_class"])
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"`classifier` must return annotator_perf and annotator_class from predict_proba (Annot-Mix, "
            f"CrowdLayer); {type(classifier).__name__} raised {type(err).__name__}: {err}"
        ) from None
    proba = _check_class_proba(proba, X.shape[0], "classifier's class probabilities")
    return LearnedAnnotatorEstimate(
        confusions=confusions_from_annotator_class(answers, proba),
        class_accuracy=class_performance(perf, proba),
        accuracy=np.asarray(perf, dtype=float).mean(axis=0),
        class_proba=proba,
    )


# --------------------------------------------------------------------------------------------------------------------
# Reading confusion arrays


def class_accuracies(confusions):
    """The diagonals: each annotator's accuracy on each class, shape (n_annotators, n_classes), NaN where unknown."""
    confusions = _check_confusions(confusions)
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
    diagonal = class_accuracies(_check_confusions(confusions, n_classes=classes.size))
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
    return _row_normalise((np.nan_to_num(diagonal) * weights).sum(axis=1), mass)


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
    estimated = _check_confusions(estimated, "estimated")
    true = _check_confusions(true, "true")
    if estimated.shape != true.shape:
        raise ValueError(f"`estimated` has shape {estimated.shape} but `true` has {true.shape}.")
    difference = np.abs(estimated - true)
    known = ~np.isnan(difference)
    return _row_normalise(np.nan_to_num(difference).sum(axis=(1, 2)), known.sum(axis=(1, 2)))


def annotator_quality_table(confusions, classes, annotator_names, weights=None, agreement=None, class_names=None):
    """Per annotator, side by side for each source: overall accuracy, worst class and accuracy on it.

    Parameters
    ----------
    confusions : mapping {source name: array of shape (n_annotators, n_classes, n_classes)}
        E.g. ``{"truth": ..., "Dawid–Skene": ..., "Annot-Mix": ...}``; at least one.
    classes : array-like of shape (n_classes,)
    annotator_names : sequence of n_annotators str
    weights : array-like of shape (n_classes,) or None
        Class shares for the overall accuracy (:func:`expected_accuracy`); ``None``: equal.
    agreement : mapping {column name: array of shape (n_annotators,)} or None
        Extra numeric columns, e.g. ``{"agrees with MV": consensus_agreement(...)}``.
    class_names : sequence of n_classes str or None
        Shown instead of the class labels.

    Returns
    -------
    pandas.DataFrame
        One row per annotator; one text column per source, e.g. ``"0.43 · worst 9: 0.05"``
        (overall accuracy · worst class: accuracy on it), then the ``agreement`` columns.
    """
    if not isinstance(confusions, Mapping) or not confusions:
        raise TypeError("`confusions` must be a non-empty mapping {source name: confusion array}.")
    classes = check_classes(classes)
    names = list(annotator_names) if not isinstance(annotator_names, str) else None
    if names is None or not all(isinstance(n, str) for n in names):
        raise TypeError("`annotator_names` must be a sequence of strings.")
    if class_names is not None:
        class_names = list(class_names)
        if len(class_names) != classes.size:
            raise ValueError(f"`class_names` has {len(class_names)} names for {classes.size} classes.")
    shown = dict(zip(classes.tolist(), class_names or classes.tolist(), strict=True))
    columns = {}
    for source, array in confusions.items():
        array = _check_confusions(array, f"confusions[{source!r}]", n_classes=classes.size)
        if array.shape[0] != len(names):
            raise ValueError(
                f"`confusions[{source!r}]` has {array.shape[0]} annotators but `annotator_names` {len(names)}."
            )
        accuracy = expected_accuracy(array, weights)
        worst, worst_accuracy = worst_classes(array, classes)
        columns[source] = [
            f"{acc:.2f} · worst {shown[int(w)]}: {wa:.2f}"
            for acc, w, wa in zip(accuracy, worst, worst_accuracy, strict=True)
        ]
    for column, values in (agreement or {}).items():
        values = np.asarray(values, dtype=float)
        if values.shape != (len(names),):
            raise ValueError(f"`agreement[{column!r}]` must have shape ({len(names)},), got {values.shape}.")
        columns[column] = np.round(values, 3)
    return pd.DataFrame(columns, index=pd.Index(names, name="annotator"))
