"""Figures of experiment results (notebooks 03-07): learning curves, arm grids, allocations, paired differences.

Every function returns a matplotlib Figure (nothing is shown or saved).
"""

import matplotlib.pyplot as plt
import numpy as np

from .._validation import check_probabilities
from ..experiment.config import Arm, as_arm
from ..experiment.results import METRICS, ExperimentResults, curve_mean
from ..learners.registry import LEARNERS
from ..selection.annotator_choice import CHOICES
from ..selection.strategies import get_strategy
from .style import ANNOTATOR_COLOURS, CHOICE_HATCHES, STRATEGY_LINESTYLES, _check_mapping, _integer_ticks, arm_style


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


def plot_learning_curves(
    results, metrics=tuple(METRICS), arms=None, x_axis="labels", marker_by="strategy", colour_by="learner", bands=True
):
    """Learning curves: mean over repetitions with a band of ± one standard deviation.

    The legend gives each arm's mean over the whole curve (the number the
    reference calls "ALCU"; see ``metrics.curve_mean``).

    Parameters
    ----------
    results : ExperimentResults
    metrics : sequence of keys of ``results.METRICS``
    arms : sequence of arms or None
        Which arms to draw (keys, ``Arm`` objects or tuples); ``None``: all.
    x_axis : {"labels", "cost"}
        Acquired labels, or cost units spent (mean over repetitions).
    marker_by : {"strategy", "choice"}
        What the markers tell apart (``style.arm_style``): the sample strategies, or — where the curves are one
        learner's ways of choosing annotators, all in its colour — the choices, besides their line styles.
    colour_by : {"learner", "choice", "strategy"}
        What the colours tell apart (``style.arm_style``); ``"strategy"`` for one learner's sample strategies.
    bands : bool
        Draw the ± one standard deviation band of every curve; with many curves the bands hide each other.
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
    shared = {(as_arm(a).learner, as_arm(a).choice) for a in arms}
    short = colour_by == "strategy" and len(shared) == 1  # one learner's strategies: name them by strategy alone
    for ax, metric in zip(axes[0], metrics, strict=True):
        for arm in arms:
            if metric == "correct_annotation_rate" and as_arm(arm).learner == "true-labels":
                continue  # the true-labels learner never sees the crowd's labels: the rate means nothing for it
            curves = results.curves(arm, metric)
            x = results.n_annotations(arm) if x_axis == "labels" else results.cost_spent(arm)
            mean, std = curves.mean(axis=0), curves.std(axis=0)
            style = arm_style(arm, marker_by, colour_by)
            if colour_by == "strategy":
                style["linestyle"] = STRATEGY_LINESTYLES.get(as_arm(arm).strategy, "-")
            name = get_strategy(as_arm(arm).strategy).display_name if short else results.label(arm)
            label = f"{name}: {curve_mean(curves):.3f}"
            ax.plot(x, mean, ms=4 if marker_by == "strategy" else 6, label=label, **style)
            if bands:
                ax.fill_between(x, mean - std, mean + std, color=style["color"], alpha=0.15)
        # ticks where the points are: every cycle's labels, or the first arm's mean cost after each cycle
        _integer_ticks(ax, results.n_annotations(arms[0]) if x_axis == "labels" else results.cost_spent(arms[0]))
        ax.set_xlabel("acquired annotations" if x_axis == "labels" else "cost units spent")
        ax.set_ylabel(METRICS[metric])
        ax.grid(True, alpha=0.3)
        # below the axes, so it never covers a curve
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8, title="mean over the curve", frameon=False
        )
    n_reps = results.config["n_repetitions"]
    title = f"Mean over {n_reps} repetitions" + ("; band: ± one standard deviation" if bands else "")
    if short:
        first = as_arm(arms[0])
        title = f"{Arm(first.learner, first.choice).label}, by sample strategy — {title[0].lower()}{title[1:]}"
    fig.suptitle(title)
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
            colour = ANNOTATOR_COLOURS[j % len(ANNOTATOR_COLOURS)]
            ax.barh([results.label(a) for a in arms], shares[:, j], left=left, label=annotator, color=colour)
            left += shares[:, j]
        ax.set_xlim(0, 1)
        ax.invert_yaxis()
        ax.set_xlabel(f"share of the {'labels bought' if what == 'labels' else 'money spent'} (all repetitions)")
        if ax is not axes[0, 0]:
            ax.set_yticks([])
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, ncol=3, fontsize=8, loc="outside lower center", frameon=False)
    return fig


def plot_label_allocation(results, arms):
    """Who got the labels in each repetition: one panel per arm, one stacked bar per repetition.

    Averaging over repetitions hides a policy that gives almost every label to one
    annotator — a different one in each repetition. Each bar is one repetition's
    labels at the last cycle, split by annotator (the same colour per annotator in
    every panel).
    """
    from ..evaluation.analysis import label_allocation

    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
    arms = [as_arm(a, "arms").key for a in arms]
    if not arms:
        raise ValueError("`arms` must name at least one arm.")
    fig, axes = plt.subplots(1, len(arms), figsize=(2.6 * len(arms) + 0.6, 3.6), sharey=True, squeeze=False,
                             constrained_layout=True)  # fmt: skip
    for ax, arm in zip(axes[0], arms, strict=True):
        counts, _, _ = label_allocation(results, arm)
        bottom = np.zeros(len(counts))
        reps = np.arange(len(counts))  # numbered as in the records and tables: repetition 0, 1, ...
        for j, annotator in enumerate(results.annotator_names):
            colour = ANNOTATOR_COLOURS[j % len(ANNOTATOR_COLOURS)]
            ax.bar(reps, counts[:, j], bottom=bottom, color=colour, label=annotator, width=0.7)
            bottom += counts[:, j]
        ax.set_xticks(reps)
        ax.set_xlabel("repetition")
        ax.set_title(results.label(arm).replace(" · ", "\n"), fontsize=9)
    axes[0, 0].set_ylabel("labels given (last cycle)")
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, ncol=min(5, len(names)), fontsize=8, loc="outside lower center", frameon=False)
    return fig


def plot_second_opinions(results, arms=None):
    """Per arm: the share of labels that were second opinions, and how often a multiply labelled sample's vote is right.

    Both at the last cycle, over all repetitions. A strategy that never asks about a
    labelled sample (BADGE, CoreSet) has no second opinions and no bar on the right.
    """
    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
    arms = results.arms if arms is None else [as_arm(a, "arms").key for a in arms]
    from ..evaluation.analysis import last_cycle_share

    share = [last_cycle_share(results, a, "second_opinions", "n_annotations") for a in arms]
    multi = [results.values(a, "multi_labelled")[:, -1].sum() for a in arms]
    right = [results.values(a, "multi_labelled_correct")[:, -1].sum() for a in arms]
    fig, (left, right_ax) = plt.subplots(
        1, 2, figsize=(9, 1.3 + 0.45 * len(arms)), sharey=True, constrained_layout=True
    )
    names = [results.label(a) for a in arms]
    bars = left.barh(names, share, color="0.35")  # grey: in notebook 06 the colours belong to learners and annotators
    left.bar_label(bars, fmt="%.2f", padding=2, fontsize=8)
    left.set(xlabel="share of labels that were\na second opinion", xlim=(0, max(max(share), 0.05) * 1.25))
    left.invert_yaxis()
    accuracy = [r / m if m else np.nan for r, m in zip(right, multi, strict=True)]
    bars = right_ax.barh(names, np.nan_to_num(accuracy), color="0.6")
    texts = [f"{a:.2f} of {int(m)}" if m else "none" for a, m in zip(accuracy, multi, strict=True)]
    right_ax.bar_label(bars, labels=texts, padding=2, fontsize=8)
    right_ax.set(xlabel="majority vote right,\non samples with 2+ labels", xlim=(0, 1.25))
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

    The **oracle** column is the ceiling of annotator choice on average (one repetition of
    another choice can match it); the **true labels** row
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
        1,
        len(metrics),
        figsize=((1.3 * len(choices) + 2.9) * len(metrics), 0.5 * len(rows) + 1.6),  # room for two-line choice names
        squeeze=False,
        constrained_layout=True,
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
        # a scale on which the lesson's differences (a few hundredths) can be read: at most 0.25 wide, values
        # below its bottom drawn in its darkest colour (the colour bar's arrow), their numbers still printed
        vmax = finite.max() + 0.01
        vmin = max(finite.min() - 0.02, vmax - 0.25)
        image = ax.imshow(values, cmap="viridis", vmin=vmin, vmax=vmax, aspect="auto")
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                dark = value < (vmin + vmax) / 2
                ax.text(j, i, f"{value:.3f}", ha="center", va="center", color="white" if dark else "black", fontsize=10)
        names = [
            CHOICES[c].display_name.replace(" ", "\n") + ("\n(ceiling, mean)" if c == "oracle" else "") for c in choices
        ]
        ax.set_xticks(range(len(choices)), names, fontsize=9)
        ax.set_yticks(range(len(rows)), [LEARNERS[r].display_name.replace(" (ceiling)", "\n(ceiling)") for r in rows])
        ax.set_title(f"{METRICS[metric]}\n(mean over the curve)", fontsize=10)
        ax.set_xlabel("who answers each chosen sample")
        fig.colorbar(image, ax=ax, shrink=0.8, aspect=30, extend="min" if finite.min() < vmin else "neither")
    return fig


def plot_estimate_quality(results, true_accuracy, arms):
    """How good the learners' estimates of the annotators are, cycle by cycle.

    Left: mean absolute error of each arm's estimated per-annotator accuracy against
    ``true_accuracy`` (n_annotators,). Right: share of each cycle's labels asked of
    the truly best annotator for the sample (the oracle's share is the ceiling).
    Lines are means over repetitions.
    """
    from ..evaluation.analysis import estimate_error

    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
    true_accuracy = check_probabilities(true_accuracy, "true_accuracy")
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5), constrained_layout=True)
    x = np.arange(1, results.config["n_cycles"] + 1)
    for arm in [as_arm(a, "arms").key for a in arms]:
        style = arm_style(arm)
        if results.estimated_accuracy(arm) is not None:
            error = estimate_error(results, arm, true_accuracy).mean(axis=0)
            left.plot(x, error, ms=4, label=results.label(arm), **style)
        share = results.values(arm, "best_annotator_share")
        if np.isfinite(share).all():
            right.plot(x, share.mean(axis=0), ms=4, label=results.label(arm), **style)
    left.set(xlabel="cycle", ylabel="mean |estimated - true accuracy|", title="Error of the annotator estimate")
    right.set(xlabel="cycle", ylabel="share of the cycle's labels", title="Asked the truly best annotator")
    right.set_ylim(0, 1.05)
    left.set_ylim(bottom=0)
    for ax in (left, right):
        _integer_ticks(ax, x)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    return fig


def plot_crowd_comparison(results_by_crowd, arms, metric="test_accuracy", reference_line=None):
    """Mean over the learning curve of each arm on each crowd: bars (mean over repetitions) from zero, dots
    (repetitions).

    Parameters
    ----------
    results_by_crowd : mapping {crowd name: ExperimentResults}
        One experiment per crowd, all with the given ``arms``.
    arms : sequence of arms (keys, ``Arm`` objects or tuples)
    metric : key of ``results.METRICS``
    reference_line : (str, float) or None
        A labelled horizontal line, e.g. ``("true labels (ceiling)", 0.91)``.
    """
    results_by_crowd = _check_mapping(results_by_crowd, "results_by_crowd")
    for crowd, results in results_by_crowd.items():
        if not isinstance(results, ExperimentResults):
            raise TypeError(
                f"`results_by_crowd[{crowd!r}]` must be an ExperimentResults, got {type(results).__name__}."
            )
    if metric not in METRICS:
        raise ValueError(f"`metric` must be one of {sorted(METRICS)}, got {metric!r}.")
    arms = [as_arm(a, "arms").key for a in arms]
    if not arms:
        raise ValueError("`arms` must name at least one arm.")
    for crowd, results in results_by_crowd.items():
        missing = [a for a in arms if a not in results.arms]
        if missing:
            raise ValueError(f"`results_by_crowd[{crowd!r}]` lacks the arms {missing}.")
    if reference_line is not None:
        if not (isinstance(reference_line, tuple) and len(reference_line) == 2 and isinstance(reference_line[0], str)):
            raise TypeError("`reference_line` must be a (label, value) tuple or None.")
        check_probabilities(reference_line[1], "reference_line[1]")
    crowds = list(results_by_crowd)
    fig, ax = plt.subplots(figsize=(8.8, 4.2), constrained_layout=True)
    width = 0.8 / len(arms)
    for k, arm in enumerate(arms):
        offsets = np.arange(len(crowds)) + (k - (len(arms) - 1) / 2) * width
        per_rep = [results_by_crowd[c].curve_means(arm, metric) for c in crowds]
        means = np.array([values.mean() for values in per_rep])
        style = arm_style(arm)
        hatch = CHOICE_HATCHES.get(as_arm(arm).choice, "")
        bars = ax.bar(offsets, means, width, color=style["color"], hatch=hatch, edgecolor="white", linewidth=0,
                      label=ExperimentResults.label(arm))  # fmt: skip
        texts = ax.bar_label(bars, fmt="%.3f", fontsize=8, label_type="center", rotation=90, color="white")
        for text in texts:  # readable on a hatched bar
            text.set_bbox({"facecolor": style["color"], "edgecolor": "none", "pad": 1.0})
        for x, values in zip(offsets, per_rep, strict=True):
            ax.plot(np.full(values.shape, x), values, "k.", ms=4)
    if reference_line is not None:
        ax.axhline(reference_line[1], ls="--", color="k", lw=1, label=f"{reference_line[0]}: {reference_line[1]:.3f}")
    ax.set_xticks(range(len(crowds)), crowds)
    ax.set_ylim(0.0, 1.0)  # bars start at zero: their heights compare as the numbers do
    ax.set_ylabel(f"{METRICS[metric]}, mean over the curve")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3, fontsize=8, frameon=False)
    ax.set_title("bars: mean over repetitions; dots: one repetition each", fontsize=10)
    return fig


def plot_paired_differences(differences, styles=None):
    """Paired differences between arms, group by group: every repetition, and the mean with its 95 % interval.

    Parameters
    ----------
    differences : mapping {group: mapping {comparison: PairedDifference or {summary: PairedDifference}}}
        E.g. ``{"adversarial": {"model": compare_arms(...), "choice": ...}, ...}``, where
        ``analysis.compare_arms`` gives ``{"curve mean": ..., "last cycle": ...}``: one panel
        per summary, side by side. Every group names the same comparisons.
    styles : mapping {comparison: dict of matplotlib keywords} or None
        ``color`` and ``marker`` per comparison, e.g. ``arm_style(arm, marker_by="choice")``
        where the comparisons are arms; the others are drawn in dark grey: a row's label,
        not its colour, says what it compares.

    One row per (group, comparison). Small dots are single repetitions; the large marker
    is their mean, filled when its 95 % interval excludes 0 and open when it contains 0
    (within noise); an interval that cannot be computed (one repetition) is not drawn.
    """
    from matplotlib.lines import Line2D

    from ..evaluation.analysis import SUMMARIES, PairedDifference

    differences = _check_mapping(differences, "differences")
    parts, summaries, table = None, None, {}
    for group, by_part in differences.items():
        by_part = _check_mapping(by_part, f"differences[{group!r}]")
        for part, value in by_part.items():
            value = {value.at: value} if isinstance(value, PairedDifference) else value
            if not isinstance(value, dict) or not value or not set(value) <= set(SUMMARIES):
                raise TypeError(
                    f"`differences[{group!r}][{part!r}]` must be a PairedDifference or a dict {{summary: "
                    f"PairedDifference}} with summaries from {SUMMARIES}, got {value!r}."
                )
            if not all(isinstance(d, PairedDifference) for d in value.values()):
                raise TypeError(f"`differences[{group!r}][{part!r}]` must hold PairedDifference objects.")
            present = [at for at in SUMMARIES if at in value]
            if summaries is None:
                summaries = present
            elif present != summaries:
                raise ValueError(f"`differences[{group!r}][{part!r}]` has summaries {present}, others {summaries}.")
            table[group, part] = value
        if parts is None:
            parts = list(by_part)
        elif list(by_part) != parts:
            raise ValueError(f"`differences[{group!r}]` names {list(by_part)}, the first group {parts}.")
    styles = {} if styles is None else _check_mapping(styles, "styles")
    look = {part: {"color": "0.25", "marker": "o"} for part in parts}
    for part in parts:
        look[part].update({key: v for key, v in styles.get(part, {}).items() if key in ("color", "marker")})
    groups = list(differences)
    rows = [(group, part) for group in groups for part in parts]
    names = [part if len(groups) == 1 else f"{group} · {part}" for group, part in rows]
    fig, axes = plt.subplots(
        1, len(summaries), figsize=(3.9 * len(summaries) + 0.09 * max(map(len, names)) + 0.8, 0.32 * len(rows) + 1.8),
        sharey=True, squeeze=False, constrained_layout=True,
    )  # fmt: skip
    for ax, at in zip(axes[0], summaries, strict=True):
        values = [v for d in table.values() for v in (d[at].mean, *d[at].per_repetition)]
        low, high = min(min(values), 0.0), max(max(values), 0.0)
        for y, (group, part) in enumerate(rows):
            diff, colour, marker = table[group, part][at], look[part]["color"], look[part]["marker"]
            ax.plot(diff.per_repetition, np.full(diff.per_repetition.size, y), ".", color=colour, ms=4, alpha=0.7)
            if np.isfinite(diff.low):
                ax.plot([diff.low, diff.high], [y, y], "-", color=colour, lw=1.6)
            ax.plot(diff.mean, y, marker, ms=7, color=colour, mfc="white" if diff.within_noise else colour, mew=1.5)
            ax.text(diff.mean, y - 0.18, f"{diff.mean:+.3f}", ha="center", va="bottom", fontsize=7)
        for boundary in range(len(parts), len(rows), len(parts)):  # a line between groups
            ax.axhline(boundary - 0.5, color="0.7", lw=0.8)
        ax.axvline(0, color="k", lw=1)
        ax.set_xlim(low - 0.08 * (high - low) - 0.01, high + 0.08 * (high - low) + 0.01)  # wide intervals run off
        ax.set_xlabel(f"difference of {at}s, paired by repetition", fontsize=9)
        question = "how good along the way" if at == "curve mean" else "how good in the end"
        ax.set_title(f"{at} ({question})", fontsize=10)
        ax.grid(True, axis="x", alpha=0.3)
    axes[0, 0].set_yticks(range(len(rows)), names, fontsize=8)
    axes[0, 0].set_ylim(len(rows) - 0.5, -0.5)
    handles = [
        Line2D([], [], ls="", marker="o", ms=7, color="0.4", label="mean: interval excludes 0"),
        Line2D([], [], ls="", marker="o", ms=7, color="0.4", mfc="white", mew=1.5, label="mean: within noise"),
        Line2D([], [], ls="-", color="0.4", lw=1.6, label="95 % interval (cut at the axis)"),
        Line2D([], [], ls="", marker=".", ms=4, color="0.4", label="one repetition"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    return fig
