"""Aggregating a crowd's labels into one label per sample: majority vote and Dawid–Skene.

Both take the crowd labels as a float matrix of shape (n_samples, n_annotators),
NaN where an annotator gave no label. Majority vote counts; Dawid and Skene's EM
(crowd-kit's ``DawidSkene``) estimates every annotator's confusion matrix and
weighs the answers by it. The Dawid–Skene learner (``learners``) trains on the
labels :func:`fit_dawid_skene` returns, and notebook 07 reads its confusion matrices.
crowd-kit comes with the ``crowd`` extra and is imported when Dawid–Skene is fitted.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import check_classes, check_crowd_labels, check_int, check_partial_labels
from .confusions import expected_accuracy


def majority_vote_labels(crowd_labels, classes, random_state=0):
    """Aggregate crowd labels per sample by majority vote (ties broken at random).

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators)
        May contain NaN for labels not acquired; a sample without any label gets NaN.
    classes : array-like of shape (n_classes,)
    random_state : int, default=0
        Seed of the tie-breaking.

    Returns
    -------
    np.ndarray of shape (n_samples,), float
    """
    classes = check_classes(classes)
    z = check_crowd_labels(crowd_labels, allow_missing=True).astype(float)
    random_state = check_int(random_state, "random_state", minimum=0)
    from skactiveml.utils import majority_vote

    return majority_vote(z, classes=classes, missing_label=np.nan, random_state=random_state)


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


def fit_dawid_skene(crowd_labels, classes, n_iter=100, true_labels=None):
    """Fit crowd-kit's ``DawidSkene`` to partial crowd labels and return its estimates.

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators)
        Class labels, NaN where an annotator gave none; at least one label.
    classes : array-like of shape (n_classes,)
    n_iter : int >= 1, default=100
        Maximum number of EM iterations.
    true_labels : array-like of shape (n_samples,) or None
        Known true classes of some samples (**gold tasks**), NaN elsewhere. crowd-kit's
        EM fixes their posteriors to the truth (``DawidSkene.fit(..., true_labels=...)``),
        so their answers measure the annotators directly.

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
    from ..data.crowd_tables import wide_to_long

    classes = check_classes(classes)
    z = check_partial_labels(crowd_labels, classes)
    n_iter = check_int(n_iter, "n_iter", minimum=1)
    frame = wide_to_long(z)
    if len(frame) == 0:
        raise ValueError("`crowd_labels` holds no label: Dawid–Skene needs at least one.")
    gold = None
    if true_labels is not None:
        import pandas as pd

        truth = check_partial_labels(np.asarray(true_labels, dtype=float)[:, None], classes, "true_labels")[:, 0]
        if truth.shape != (z.shape[0],):
            raise ValueError(f"`true_labels` must have shape ({z.shape[0]},), one per sample, got {truth.shape}.")
        known = np.flatnonzero(~np.isnan(truth))
        gold = pd.Series(truth[known], index=known) if len(known) else None
    with warnings.catch_warnings():  # crowd-kit 1.4.2 uses pandas keywords that pandas 3 deprecates
        warnings.filterwarnings("ignore", module=r"crowdkit\.")
        model = DawidSkene(n_iter=n_iter).fit(frame, true_labels=gold)

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
