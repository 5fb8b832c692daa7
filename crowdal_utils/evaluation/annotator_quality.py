"""How well the learners and the consensus estimate each annotator, per class.

Besides the truth (``crowds.annotator_confusion_matrices``) and Dawid–Skene's EM
(``crowds.fit_dawid_skene``), a trained crowd learner estimates its annotators:

* :func:`learned_annotator_estimates` reads a fitted Annot-Mix (or CrowdLayer)
  classifier's ``annotator_class`` and ``annotator_perf`` outputs. Annot-Mix
  models a confusion matrix for every (sample, annotator) pair but returns only
  its consequence, the distribution of the annotator's answer on each sample,
  ``P(answer a | x_i) = sum_t P(t | x_i) C_ij[t, a]``;
  :func:`confusions_from_annotator_class` turns that back into one matrix per
  annotator by undoing the mix over the classifier's class probabilities.
* :func:`consensus_agreement` gives how often each annotator agrees with a
  consensus, the only quality measure available without a model or the truth.

:func:`annotator_quality_table` puts the sources side by side (confusion arrays as in
``crowds.confusions``). This module imports neither torch nor scikit-activeml.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validation import check_classes, check_int, check_partial_labels, check_probabilities
from ..crowds.confusions import check_confusions, expected_accuracy, row_normalise, worst_classes


def _check_class_proba(class_proba, n_samples=None, name="class_proba"):
    class_proba = check_probabilities(class_proba, name)
    if class_proba.ndim != 2 or class_proba.shape[1] < 2:
        raise ValueError(f"`{name}` must have shape (n_samples, n_classes), got {class_proba.shape}.")
    if n_samples is not None and class_proba.shape[0] != n_samples:
        raise ValueError(f"`{name}` has {class_proba.shape[0]} rows but there are {n_samples} samples.")
    return class_proba


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
    z = check_partial_labels(crowd_labels, None)
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
    return row_normalise(agree.sum(axis=0).astype(float), compared.sum(axis=0))


def buy_random_labels(crowd_labels, n_labels, random_state=0, one_per_sample=False):
    """Reveal ``n_labels`` (sample, annotator) pairs of a crowd, drawn uniformly without replacement.

    What an experiment that asks random annotators about random samples has bought
    after ``n_labels`` labels, up to the few samples that random sampling happens to
    ask twice. With ``one_per_sample``, ``n_labels`` distinct samples get one answer
    each, from an annotator drawn at random among those who answered it: exactly
    ``n_labels`` labelled samples, as a first batch of the loop has.

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators)
        Every answer the crowd would give (NaN where an annotator cannot be asked).
    n_labels : int >= 1
        At most the number of answers available (of samples with an answer, with
        ``one_per_sample``).
    random_state : int >= 0
    one_per_sample : bool, default=False

    Returns
    -------
    np.ndarray of shape (n_samples, n_annotators), float
        The bought labels, NaN elsewhere.
    """
    z = check_partial_labels(crowd_labels, None)
    n_labels = check_int(n_labels, "n_labels", minimum=1)
    random_state = check_int(random_state, "random_state", minimum=0)
    if not isinstance(one_per_sample, bool):
        raise TypeError(f"`one_per_sample` must be True or False, got {one_per_sample!r}.")
    rng = np.random.default_rng(random_state)
    answered = ~np.isnan(z)
    available = np.flatnonzero(answered.any(axis=1) if one_per_sample else answered)
    what = "samples with an answer" if one_per_sample else "answers"
    if n_labels > available.size:
        raise ValueError(f"`n_labels`={n_labels} exceeds the {available.size} {what} in `crowd_labels`.")
    chosen = rng.choice(available, size=n_labels, replace=False)
    if one_per_sample:  # one answer per chosen sample, from a random annotator who gave one
        who = [rng.choice(np.flatnonzero(answered[sample])) for sample in chosen]
        chosen = np.ravel_multi_index((chosen, np.array(who, dtype=int)), z.shape)
    bought = np.full(z.shape, np.nan)
    bought.flat[chosen] = z.flat[chosen]
    return bought


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
        return row_normalise(weighted, mass[None, :, None])
    known = mass > 1e-12 * class_proba.shape[0]
    confusions = np.full(weighted.shape, np.nan)
    if known.any():
        gram = class_proba[:, known].T @ class_proba[:, known]  # M, restricted to classes with weight
        for j in range(weighted.shape[0]):
            solved = np.linalg.lstsq(gram, weighted[j][known], rcond=None)[0].clip(min=0)
            confusions[j][known] = row_normalise(solved, solved.sum(axis=1, keepdims=True))
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
    return row_normalise(np.einsum("it,ij->jt", class_proba, annotator_perf), class_proba.sum(axis=0)[None, :])


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
        array = check_confusions(array, f"confusions[{source!r}]", n_classes=classes.size)
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
