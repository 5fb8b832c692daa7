"""Figures of the crowd (notebooks 01-02): digits, annotator accuracies, confusion matrices, the vote.

Every function returns a matplotlib Figure (nothing is shown or saved).
"""

import matplotlib.pyplot as plt
import numpy as np

from .._validation import check_classes, check_labels, check_probabilities
from .style import _check_names


def plot_digit_examples(X, y, classes):
    """The first image of every class in ``X`` (n, 1, h, w) with labels ``y`` (n,), in one row."""
    X, classes = np.asarray(X), check_classes(classes)
    y = check_labels(y, "y", classes)
    if X.ndim != 4 or X.shape[0] != y.shape[0]:
        raise ValueError(f"`X` must have shape (n_samples, 1, height, width) matching `y`, got {X.shape}.")
    fig, axes = plt.subplots(1, classes.size, figsize=(classes.size, 1.4), squeeze=False)
    for cls, ax in zip(classes, axes[0], strict=True):
        shown = np.flatnonzero(y == cls)
        if shown.size:
            ax.imshow(X[shown[0], 0], cmap="gray_r")
        ax.set_title(str(cls))
        ax.axis("off")
    return fig


def plot_annotator_accuracies(accuracies, annotator_names, reference_line=None, estimated=None):
    """Bar chart of each annotator's accuracy, optionally beside a model's estimate of it.

    Parameters
    ----------
    accuracies : array-like of shape (n_annotators,)
    annotator_names : sequence of str, length n_annotators
    reference_line : float or None
        Drawn as a dashed horizontal line (e.g. the majority vote's accuracy).
    estimated : array-like of shape (n_annotators,) or None
        Estimated accuracies (e.g. Annot-Mix's mean ``annotator_perf``), drawn as second bars.
    """
    accuracies = check_probabilities(accuracies, "accuracies")
    if accuracies.ndim != 1:
        raise ValueError(f"`accuracies` must be 1-D (n_annotators,), got {accuracies.shape}.")
    if reference_line is not None:
        check_probabilities(reference_line, "reference_line")
    names = _check_names(annotator_names, accuracies.size)
    fig, ax = plt.subplots(figsize=(7, 3.5), constrained_layout=True)
    x = np.arange(len(names))
    width = 0.8 if estimated is None else 0.4
    bars = ax.bar(x - (0 if estimated is None else width / 2), accuracies, width, label="true accuracy")
    ax.bar_label(bars, fmt="%.2f", label_type="center", color="white")
    if estimated is not None:
        estimated = check_probabilities(estimated, "estimated", shape=accuracies.shape)
        bars = ax.bar(x + width / 2, estimated, width, label="estimated")
        ax.bar_label(bars, fmt="%.2f", label_type="center", color="white")
    ax.set_xticks(x, names)
    if reference_line is not None:
        ax.axhline(reference_line, ls="--", color="k", label=f"majority vote of all: {reference_line:.3f}")
    if reference_line is not None or estimated is not None:
        ax.legend(loc="upper right", ncol=2)
    ax.set_ylim(0, 1.25)  # room for the legend above the bars
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel("accuracy on the training half")
    ax.tick_params(axis="x", labelrotation=20)
    return fig


def plot_confusion_matrices(confusions, classes, annotator_names):
    """One heatmap per annotator: rows are true classes, columns the label given.

    Parameters
    ----------
    confusions : array-like of shape (n_annotators, n_classes, n_classes)
        Row-normalised (see ``metrics.annotator_confusion_matrices``).
    classes : array-like of shape (n_classes,)
    annotator_names : sequence of str
    """
    confusions = check_probabilities(confusions, "confusions")
    classes = check_classes(classes)
    if confusions.ndim != 3 or confusions.shape[1:] != (classes.size, classes.size):
        raise ValueError(
            f"`confusions` must have shape (n_annotators, {classes.size}, {classes.size}), got {confusions.shape}."
        )
    names = _check_names(annotator_names, confusions.shape[0])
    # 1.7 in per heatmap keeps the figure narrow enough for JupyterLab's ~850-900 px output area to show
    # 10 pt text at >= 12 px; only the first heatmap labels the rows (fewer texts: faster, less clutter).
    fig, axes = plt.subplots(
        1, len(names), figsize=(1.7 * len(names) + 0.9, 2.5), sharey=True, constrained_layout=True, squeeze=False
    )
    for ax, matrix, name in zip(axes[0], confusions, names, strict=True):
        image = ax.imshow(matrix, vmin=0, vmax=1, cmap="viridis")
        ax.set_title(name, fontsize=10)
        ax.set_xticks(range(classes.size), classes)
        ax.set_xlabel("label given")
    axes[0, 0].set_yticks(range(classes.size), classes)
    axes[0, 0].set_ylabel("true class")
    fig.colorbar(image, ax=axes[0].tolist(), shrink=0.8, label="share of the true class")
    return fig


def plot_majority_vote_accuracy(n_voters, accuracies, best_single=None):
    """Accuracy of a majority vote against the number of voters per sample.

    The y-axis runs from 0.5 (lower if a value is lower, in steps of 0.1) to 1, and every point is labelled with its
    value: a zoomed axis would make a dip of a hundredth look like a cliff.
    """
    n_voters = np.asarray(n_voters)
    accuracies = check_probabilities(accuracies, "accuracies")
    if best_single is not None:
        check_probabilities(best_single, "best_single")
    if n_voters.shape != accuracies.shape or n_voters.ndim != 1:
        raise ValueError("`n_voters` and `accuracies` must be 1-D of the same length.")
    fig, ax = plt.subplots(figsize=(5, 3.5), constrained_layout=True)
    ax.plot(n_voters, accuracies, "o-", label="majority vote of k random annotators")
    for k, accuracy in zip(n_voters, accuracies, strict=True):
        ax.annotate(f"{accuracy:.3f}", (k, accuracy), textcoords="offset points", xytext=(7, -3), ha="left", fontsize=8)
    if best_single is not None:
        ax.axhline(best_single, ls="--", color="k", label=f"best single annotator: {best_single:.3f}")
    lowest = min(accuracies.min(), 1.0 if best_single is None else best_single)
    ax.set_ylim(min(0.5, np.floor(lowest * 10) / 10), 1.01)
    ax.set_xticks(n_voters)
    ax.set_xlim(n_voters.min() - 0.4, n_voters.max() + 0.6)  # room for the labels right of the points
    ax.set_xlabel("k (annotators asked per sample)")
    ax.set_ylabel("accuracy of the vote")
    ax.grid(True, alpha=0.3)
    fig.legend(loc="outside lower center", frameon=False)  # below the axes: never covers a point
    return fig
