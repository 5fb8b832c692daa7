"""Figures of the tutorial; every function returns a matplotlib Figure (nothing is shown or saved)."""

import matplotlib.pyplot as plt
import numpy as np

from ._validation import check_classes, check_labels, check_probabilities
from .choice import CHOICES
from .config import as_arm, results_dir
from .learners import LEARNERS
from .metrics import curve_mean
from .results import METRICS, ExperimentResults


def _check_names(names, n):
    names = list(names)
    if len(names) != n:
        raise ValueError(f"`annotator_names` has {len(names)} names for {n} annotators.")
    return names


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
    """Accuracy of a majority vote against the number of voters per sample."""
    n_voters = np.asarray(n_voters)
    accuracies = check_probabilities(accuracies, "accuracies")
    if best_single is not None:
        check_probabilities(best_single, "best_single")
    if n_voters.shape != accuracies.shape or n_voters.ndim != 1:
        raise ValueError("`n_voters` and `accuracies` must be 1-D of the same length.")
    fig, ax = plt.subplots(figsize=(5, 3.5), constrained_layout=True)
    ax.plot(n_voters, accuracies, "o-", label="majority vote of k random annotators")
    if best_single is not None:
        ax.axhline(best_single, ls="--", color="k", label=f"best single annotator: {best_single:.3f}")
    ax.set_xticks(n_voters)
    ax.set_xlabel("k (annotators asked per sample)")
    ax.set_ylabel("accuracy of the vote")
    ax.grid(True, alpha=0.3)
    fig.legend(loc="outside lower center", frameon=False)  # below the axes: never covers a point
    return fig


def plot_test_accuracies(accuracies):
    """Horizontal bars of test accuracy per training-label source (``{name: accuracy}``)."""
    if not accuracies:
        raise ValueError("`accuracies` must map at least one label source to an accuracy.")
    names, values = list(accuracies), check_probabilities(list(accuracies.values()), "accuracies")
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(names) + 1.2), constrained_layout=True)
    bars = ax.barh(names, values, color="tab:green")
    ax.bar_label(bars, fmt="%.3f", padding=3)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("test accuracy")
    return fig


def plot_learning_curves(results, metrics=tuple(METRICS), arms=None, x_axis="labels"):
    """Learning curves: mean over repetitions with a band of ± one standard deviation.

    The legend gives each arm's mean over the whole curve (the number the
    reference calls "ALCU"; see ``metrics.curve_mean``).

    Parameters
    ----------
    results : ExperimentResults
    metrics : sequence of keys of ``results.METRICS``
    arms : sequence of arms or None
        Which arms to draw (keys, ``Arm``s or tuples); ``None``: all.
    x_axis : {"labels", "cost"}
        Acquired labels, or cost units spent (mean over repetitions).
    """
    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
    unknown = [m for m in metrics if m not in METRICS]
    if unknown or not metrics:
        raise ValueError(f"`metrics` must be a non-empty subset of {sorted(METRICS)}, got {list(metrics)}.")
    if x_axis not in ("labels", "cost"):
        raise ValueError(f"`x_axis` must be 'labels' or 'cost', got {x_axis!r}.")
    arms = results.arms if arms is None else [as_arm(a, "arms").key for a in arms]
    if not arms:
        raise ValueError("`arms` must name at least one arm.")
    # 4.3 in per panel: two panels fit JupyterLab's ~880 px output area at 100 dpi without shrinking the text
    height = 3.4 + 0.18 * len(arms)  # room for the legend below the axes
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(4.3 * len(metrics), height), constrained_layout=True, squeeze=False
    )
    for ax, metric in zip(axes[0], metrics, strict=True):
        for arm in arms:
            curves = results.curves(arm, metric)
            x = results.n_annotations(arm) if x_axis == "labels" else results.cost_spent(arm)
            mean, std = curves.mean(axis=0), curves.std(axis=0)
            (line,) = ax.plot(x, mean, "o-", ms=4, label=f"{results.label(arm)}: {curve_mean(curves):.3f}")
            ax.fill_between(x, mean - std, mean + std, color=line.get_color(), alpha=0.2)
        ax.set_xlabel("acquired annotations" if x_axis == "labels" else "cost units spent")
        ax.set_ylabel(METRICS[metric])
        ax.grid(True, alpha=0.3)
        # below the axes, so it never covers a curve
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8, title="mean over the curve", frameon=False
        )
    n_reps = results.config["n_repetitions"]
    fig.suptitle(f"Mean over {n_reps} repetitions; band: ± one standard deviation")
    return fig


def plot_annotator_usage(results, arms=None, by=("labels",)):
    """Who was asked: each annotator's share of the labels (and of the money), per arm, as stacked bars.

    Parameters
    ----------
    results : ExperimentResults
    arms : sequence of arms or None
        ``None``: all.
    by : sequence of {"labels", "cost"}
        One panel per entry: shares of the labels bought, of the cost units spent.
    """
    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
    if isinstance(by, str) or not by or not set(by) <= {"labels", "cost"}:
        raise ValueError(f"`by` must be a non-empty sequence of 'labels' and 'cost', got {by!r}.")
    arms = results.arms if arms is None else [as_arm(a, "arms").key for a in arms]
    fig, axes = plt.subplots(
        1, len(by), figsize=(4.3 * len(by) + 1.5, 1.3 + 0.45 * len(arms)), constrained_layout=True, squeeze=False
    )
    for ax, what in zip(axes[0], by, strict=True):
        per_annotator = results.labels_per_annotator if what == "labels" else results.cost_per_annotator
        counts = np.array([per_annotator(a) for a in arms], dtype=float)  # (n_arms, n_annotators)
        shares = counts / counts.sum(axis=1, keepdims=True)
        left = np.zeros(len(arms))
        for j, annotator in enumerate(results.annotator_names):
            ax.barh([results.label(a) for a in arms], shares[:, j], left=left, label=annotator)
            left += shares[:, j]
        ax.set_xlim(0, 1)
        ax.invert_yaxis()
        ax.set_xlabel(f"share of the {'labels bought' if what == 'labels' else 'money spent'} (all repetitions)")
        if ax is not axes[0, 0]:
            ax.set_yticks([])
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, ncol=3, fontsize=8, loc="outside lower center", frameon=False)
    return fig


def plot_second_opinions(results, arms=None):
    """Per arm: the share of labels that were second opinions, and how often a multiply labelled sample's vote is right.

    Both at the last cycle, over all repetitions. A strategy that never asks about a
    labelled sample (BADGE, CoreSet) has no second opinions and no bar on the right.
    """
    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
    arms = results.arms if arms is None else [as_arm(a, "arms").key for a in arms]
    share = [
        results.values(a, "second_opinions")[:, -1].sum() / results.values(a, "n_annotations")[:, -1].sum()
        for a in arms
    ]
    multi = [results.values(a, "multi_labelled")[:, -1].sum() for a in arms]
    right = [results.values(a, "multi_labelled_correct")[:, -1].sum() for a in arms]
    fig, (left, right_ax) = plt.subplots(
        1, 2, figsize=(9, 1.3 + 0.45 * len(arms)), sharey=True, constrained_layout=True
    )
    names = [results.label(a) for a in arms]
    bars = left.barh(names, share, color="tab:purple")
    left.bar_label(bars, fmt="%.2f", padding=2, fontsize=8)
    left.set(xlabel="share of labels that were a second opinion", xlim=(0, max(max(share), 0.05) * 1.25))
    left.invert_yaxis()
    accuracy = [r / m if m else np.nan for r, m in zip(right, multi, strict=True)]
    bars = right_ax.barh(names, np.nan_to_num(accuracy), color="tab:green")
    texts = [f"{a:.2f} of {int(m)}" if m else "none" for a, m in zip(accuracy, multi, strict=True)]
    right_ax.bar_label(bars, labels=texts, padding=2, fontsize=8)
    right_ax.set(xlabel="majority vote right, on samples with 2+ labels", xlim=(0, 1.25))
    return fig


def plot_active_learning_loop():
    """A diagram of one cycle of active learning from a crowd: who chooses what, in which order."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    steps = [
        ("1 · query", "the sample strategy picks samples;\nthe annotator-choice policy\npicks whom to ask about each"),
        ("2 · reveal", "the chosen annotators answer\n(the simulated crowd's labels)"),
        ("3 · retrain", "the learner is fitted from scratch\non every label bought so far"),
        ("4 · measure", "test accuracy of the learner;\ncorrect-annotation rate of the labels"),
    ]
    centres = [(0.25, 0.72), (0.75, 0.72), (0.75, 0.22), (0.25, 0.22)]
    fig, ax = plt.subplots(figsize=(8, 4.6))
    ax.set(xlim=(0, 1), ylim=(-0.05, 1), aspect="auto")
    ax.axis("off")
    for (title, text), (x, y) in zip(steps, centres, strict=True):
        ax.add_patch(
            FancyBboxPatch((x - 0.2, y - 0.14), 0.4, 0.28, boxstyle="round,pad=0.01", fc="#eef3fb", ec="#3b6db3")
        )
        ax.text(x, y + 0.08, title, ha="center", va="center", fontsize=12, weight="bold")
        ax.text(x, y - 0.04, text, ha="center", va="center", fontsize=9)
    # query -> reveal -> retrain -> measure -> query, box edge to box edge
    arrows = [((0.45, 0.72), (0.55, 0.72)), ((0.75, 0.58), (0.75, 0.36)), ((0.55, 0.22), (0.45, 0.22)),
              ((0.25, 0.36), (0.25, 0.58))]  # fmt: skip
    for start, end in arrows:
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=18, color="#3b6db3", lw=1.5))
    ax.text(0.5, 0.47, "next cycle: the learner's estimate of the\nannotators guides whom to ask", ha="center",
            va="center", fontsize=9, style="italic", color="#555555")  # fmt: skip
    ax.text(0.5, -0.03, "cycle 1 starts with no labels: random samples, random annotators, shared by every arm",
            ha="center", fontsize=9, color="#555555")  # fmt: skip
    return fig


def plot_arm_grid(results, metrics=tuple(METRICS), learners=None, choices=("random", "own-estimate", "oracle")):
    """Annotated heatmaps of the curve means: one row per learner, one column per annotator choice.

    The **oracle** column is the ceiling of annotator choice; the **true labels** row
    (if the results have that arm) is the ceiling of any crowd method with the same
    samples, shown in its own row. Missing arms stay blank.

    Parameters
    ----------
    results : ExperimentResults
    metrics : sequence of keys of ``results.METRICS``
    learners : sequence of learner names or None
        Rows; ``None``: every crowd learner the results have, in registry order.
    choices : sequence of annotator-choice names
        Columns.
    """
    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
    present = {as_arm(a).learner for a in results.arms}
    if learners is None:
        learners = [name for name in LEARNERS if name in present and name != "true-labels"]
    summary = results.summary()
    rows = list(learners) + (["true-labels"] if "true-labels/random/random" in summary else [])
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(4.3 * len(metrics), 0.5 * len(rows) + 1.5), squeeze=False, constrained_layout=True
    )
    for ax, metric in zip(axes[0], metrics, strict=True):
        values = np.full((len(rows), len(choices)), np.nan)
        for i, learner in enumerate(rows):
            for j, choice in enumerate(choices):
                key = f"{learner}/{choice}/random"
                # the true labels are the ceiling of test accuracy; the labels it was shown were never the crowd's
                if key in summary and not (learner == "true-labels" and metric == "correct_annotation_rate"):
                    values[i, j] = summary[key][metric]
        finite = values[np.isfinite(values)]
        image = ax.imshow(values, cmap="viridis", vmin=finite.min() - 0.02, vmax=finite.max() + 0.01, aspect="auto")
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                dark = value < (finite.min() + finite.max()) / 2
                ax.text(j, i, f"{value:.3f}", ha="center", va="center", color="white" if dark else "black", fontsize=10)
        names = [CHOICES[c].display_name.replace(" ", "\n") + ("\n(ceiling)" if c == "oracle" else "") for c in choices]
        ax.set_xticks(range(len(choices)), names, fontsize=9)
        ax.set_yticks(range(len(rows)), [LEARNERS[r].display_name.replace(" (ceiling)", "\n(ceiling)") for r in rows])
        ax.set_title(f"{METRICS[metric]}\n(mean over the curve)", fontsize=10)
        ax.set_xlabel("who answers each chosen sample")
        fig.colorbar(image, ax=ax, shrink=0.8, aspect=30)
    return fig


def plot_estimate_quality(results, true_accuracy, arms):
    """How good the learners' estimates of the annotators are, cycle by cycle.

    Left: mean absolute error of each arm's estimated per-annotator accuracy against
    ``true_accuracy`` (n_annotators,). Right: share of each cycle's labels asked of
    the truly best annotator for the sample (the oracle's share is the ceiling).
    Lines are means over repetitions.
    """
    from .analysis import estimate_error

    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
    true_accuracy = check_probabilities(true_accuracy, "true_accuracy")
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5), constrained_layout=True)
    for arm in [as_arm(a, "arms").key for a in arms]:
        x = np.arange(1, results.config["n_cycles"] + 1)
        if results.estimated_accuracy(arm) is not None:
            left.plot(x, estimate_error(results, arm, true_accuracy).mean(axis=0), "o-", ms=4, label=results.label(arm))
        share = results.values(arm, "best_annotator_share")
        if np.isfinite(share).all():
            right.plot(x, share.mean(axis=0), "o-", ms=4, label=results.label(arm))
    left.set(xlabel="cycle", ylabel="mean |estimated - true accuracy|", title="Error of the annotator estimate")
    right.set(xlabel="cycle", ylabel="share of the cycle's labels", title="Asked the truly best annotator")
    right.set_ylim(0, 1.05)
    for ax in (left, right):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    return fig


def save_figure(fig, name, dpi=120):
    """Save ``fig`` as ``name`` (e.g. ``"learning_curves.png"``) in ``config.results_dir()``; returns the path."""
    path = results_dir() / name
    fig.savefig(path, dpi=dpi)
    return path
