"""Measures of a crowd's labels against the truth.

Each annotator's accuracy, the accuracy of a majority vote of ``n`` annotators, the
share of acquired labels that are correct (recorded by the loop every cycle), and how
many of the wrong labels a trained network reproduces (notebook 02's memorisation).
"""

import numpy as np

from .._validation import check_classes, check_crowd_labels, check_int, check_labels
from ..crowds.aggregation import majority_vote_labels


def annotator_accuracies(crowd_labels, y_true):
    """Share of correct labels per annotator.

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators), int
    y_true : array-like of shape (n_samples,), int

    Returns
    -------
    np.ndarray of shape (n_annotators,)
    """
    y_true = check_labels(y_true, "y_true")
    z = check_crowd_labels(crowd_labels, n_samples=y_true.shape[0])
    return (z == y_true[:, None]).mean(axis=0)


def majority_vote_accuracy(crowd_labels, y_true, classes, n_voters=None, random_state=0):
    """Accuracy of a majority vote over ``n_voters`` annotators drawn at random per sample.

    Parameters
    ----------
    crowd_labels : array-like of shape (n_samples, n_annotators), int
    y_true : array-like of shape (n_samples,), int
    classes : array-like of shape (n_classes,)
    n_voters : int in [1, n_annotators] or None, default=None
        How many annotators vote on each sample; ``None`` means all of them.
    random_state : int, default=0
        Seed of the choice of voters and of the tie-breaking.

    Returns
    -------
    float
    """
    classes = check_classes(classes)
    y_true = check_labels(y_true, "y_true", classes)
    z = check_crowd_labels(crowd_labels, n_samples=y_true.shape[0])
    n_samples, n_annotators = z.shape
    n_voters = n_annotators if n_voters is None else check_int(n_voters, "n_voters", minimum=1)
    if n_voters > n_annotators:
        raise ValueError(f"`n_voters` must be at most the {n_annotators} annotators, got {n_voters}.")
    random_state = check_int(random_state, "random_state", minimum=0)
    rng = np.random.default_rng(random_state)
    # Rank the annotators of every sample in random order and keep the first n_voters.
    rank = rng.random((n_samples, n_annotators)).argsort(axis=1).argsort(axis=1)
    votes = np.where(rank < n_voters, z, np.nan)
    aggregated = majority_vote_labels(votes, classes, random_state=random_state)
    return float((aggregated == y_true).mean())


def wrong_labels_reproduced(predictions, labels, y_true):
    """Share of the wrong training labels that a trained model reproduces: how much label noise it memorised.

    A model trained on noisy ``labels`` that learns the digits and ignores the noise predicts the true class for
    a wrongly labelled sample (share near 0); one that memorises its training set predicts the wrong label
    itself (share near 1).

    Parameters
    ----------
    predictions : array-like of shape (n_samples,), int
        The model's predictions for its training samples.
    labels : array-like of shape (n_samples,), int
        The labels it was trained on.
    y_true : array-like of shape (n_samples,), int
        The samples' true classes.

    Returns
    -------
    float
        Among the samples whose label is wrong (``labels != y_true``), the share with ``predictions == labels``;
        NaN when no label is wrong.
    """
    y_true = check_labels(y_true, "y_true")
    labels = check_labels(labels, "labels")
    predictions = check_labels(predictions, "predictions")
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.shape != y_true.shape:
            raise ValueError(f"`{name}` must have the shape of `y_true`, {y_true.shape}, got {values.shape}.")
    wrong = labels != y_true
    if not wrong.any():
        return float("nan")
    return float((predictions[wrong] == labels[wrong]).mean())


def correct_annotation_rate(partial_labels, y_true):
    """Share of the acquired labels that are correct.

    Parameters
    ----------
    partial_labels : array-like of shape (n_samples, n_annotators), float
        Acquired labels, NaN where a (sample, annotator) pair was not asked.
    y_true : array-like of shape (n_samples,), int

    Returns
    -------
    float
        NaN when no label has been acquired yet.
    """
    y_true = check_labels(y_true, "y_true")
    y = check_crowd_labels(partial_labels, "partial_labels", n_samples=y_true.shape[0], allow_missing=True)
    acquired = ~np.isnan(y.astype(float))
    if not acquired.any():
        return float("nan")
    return float((y == y_true[:, None])[acquired].mean())
