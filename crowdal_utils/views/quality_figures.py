"""Figures of annotator quality per class (notebook 07): the sources of an estimate side by side.

Every function returns a matplotlib Figure (nothing is shown or saved).
"""

import matplotlib.pyplot as plt
import numpy as np

from .._validation import check_classes, check_labels, check_probabilities
from .style import ANNOTATOR_COLOURS, _check_mapping, _check_names


def plot_correctness_by_difficulty(
    correct_proba, difficulty, annotator_names, crowd_labels=None, y_true=None, n_bins=10
):
    """Each annotator's probability of a right answer against the samples' difficulty.

    Lines: the profiles' per-sample correctness probability, averaged in ``n_bins``
    equal-width bins of difficulty. Markers (with ``crowd_labels`` and ``y_true``):
    the share of the simulated answers in the bin that were right, which scatters
    around the line.

    Parameters
    ----------
    correct_proba : array-like of shape (n_samples, n_annotators)
        ``annotators.correct_probabilities(...)``.
    difficulty : array-like of shape (n_samples,), in [0, 1]
        ``annotators.sample_difficulty(X, y_true)``.
    annotator_names : sequence of n_annotators str
    crowd_labels : array-like of shape (n_samples, n_annotators) or None
    y_true : array-like of shape (n_samples,) or None
        Needed with ``crowd_labels``.
    n_bins : int >= 2
    """
    from .._validation import check_int

    correct_proba = check_probabilities(correct_proba, "correct_proba")
    if correct_proba.ndim != 2:
        raise ValueError(f"`correct_proba` must have shape (n_samples, n_annotators), got {correct_proba.shape}.")
    difficulty = check_probabilities(difficulty, "difficulty", shape=correct_proba.shape[:1])
    names = _check_names(annotator_names, correct_proba.shape[1])
    n_bins = check_int(n_bins, "n_bins", minimum=2)
    if (crowd_labels is None) != (y_true is None):
        raise ValueError("`crowd_labels` and `y_true` go together: give both or neither.")
    right = None
    if crowd_labels is not None:
        z = np.asarray(crowd_labels, dtype=float)
        if z.shape != correct_proba.shape:
            raise ValueError(f"`crowd_labels` must have shape {correct_proba.shape}, got {z.shape}.")
        y_true = check_labels(y_true, "y_true")
        if y_true.shape != difficulty.shape:
            raise ValueError(f"`y_true` must have shape {difficulty.shape}, got {y_true.shape}.")
        right = z == y_true[:, None]
    bins = np.minimum((difficulty * n_bins).astype(int), n_bins - 1)
    centres = (np.arange(n_bins) + 0.5) / n_bins
    occupied = np.bincount(bins, minlength=n_bins) > 0
    fig, ax = plt.subplots(figsize=(8.5, 3.8), constrained_layout=True)
    for j, name in enumerate(names):
        mean = np.array([correct_proba[bins == b, j].mean() if occupied[b] else np.nan for b in range(n_bins)])
        colour = ANNOTATOR_COLOURS[j % len(ANNOTATOR_COLOURS)]
        (line,) = ax.plot(centres, mean, "-", lw=2, label=name, color=colour)
        if right is not None:
            share = np.array([right[bins == b, j].mean() if occupied[b] else np.nan for b in range(n_bins)])
            ax.plot(centres, share, "o", ms=4, color=line.get_color(), alpha=0.7)
    ax.set(xlim=(0, 1), ylim=(0, 1.02), xlabel="sample difficulty (0 = easiest, 1 = hardest)")
    ax.set_ylabel("probability of a right answer")
    ax.grid(True, alpha=0.3)
    dots = "; dots: share of simulated answers right" if right is not None else ""
    ax.set_title(f"lines: the profile's probability{dots}", fontsize=10)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9, frameon=False)
    return fig


def _per_class_accuracy(array, name, n_annotators=None, n_classes=None):
    """(n_annotators, n_classes) accuracies from a 2-D array or the diagonals of a 3-D confusion array."""
    array = np.asarray(array, dtype=float)
    if array.ndim == 3 and array.shape[1] == array.shape[2]:
        array = np.diagonal(array, axis1=1, axis2=2)
    if array.ndim != 2:
        raise ValueError(
            f"`{name}` must have shape (n_annotators, n_classes) or (n_annotators, n_classes, n_classes), "
            f"got {array.shape}."
        )
    known = array[~np.isnan(array)]
    if known.size and not np.all((known >= 0) & (known <= 1)):
        raise ValueError(f"`{name}` must hold probabilities in [0, 1] (NaN where unknown).")
    if n_annotators is not None and array.shape[0] != n_annotators:
        raise ValueError(f"`{name}` has {array.shape[0]} annotators, `annotator_names` {n_annotators}.")
    if n_classes is not None and array.shape[1] != n_classes:
        raise ValueError(f"`{name}` has {array.shape[1]} classes, `classes` {n_classes}.")
    return array


def plot_class_accuracies(accuracies, classes, annotator_names, class_names=None):
    """Per annotator and per class, side by side for each source: how often the annotator is right on the class.

    One heatmap per source (two per row): rows are annotators, columns true classes,
    colour and number the accuracy; each annotator's worst class is framed in red.
    Grey cells: no evidence.

    Parameters
    ----------
    accuracies : mapping {source name: array}
        Each array of shape (n_annotators, n_classes) (accuracy per class) or
        (n_annotators, n_classes, n_classes) (confusion matrices, rows = true class,
        whose diagonals are used), e.g. ``{"truth": ..., "Dawid–Skene": ..., "Annot-Mix": ...}``.
    classes : array-like of shape (n_classes,)
    annotator_names : sequence of n_annotators str
    class_names : sequence of n_classes str or None
        Column labels instead of the class labels.
    """
    from matplotlib.patches import Rectangle

    accuracies = _check_mapping(accuracies, "accuracies")
    classes = check_classes(classes)
    first = next(iter(accuracies.values()))
    names = _check_names(annotator_names, np.asarray(first).shape[0])
    tables = {
        source: _per_class_accuracy(array, f"accuracies[{source!r}]", len(names), classes.size)
        for source, array in accuracies.items()
    }
    labels = [str(c) for c in classes] if class_names is None else [str(c) for c in class_names]
    if len(labels) != classes.size:
        raise ValueError(f"`class_names` has {len(labels)} names for {classes.size} classes.")
    n_cols = min(2, len(tables))
    n_rows = -(-len(tables) // n_cols)
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(4.4 * n_cols + 0.6, (0.32 * len(names) + 1.0) * n_rows + 0.3),
        squeeze=False,
        constrained_layout=True,
    )
    cmap = plt.get_cmap("viridis").with_extremes(bad="#d9d9d9")
    for ax, (source, table) in zip(axes.flat, tables.items(), strict=False):
        image = ax.imshow(np.ma.masked_invalid(table), vmin=0, vmax=1, cmap=cmap, aspect="auto")
        for (i, k), value in np.ndenumerate(table):
            if np.isfinite(value):
                text = f"{value:.2f}".lstrip("0") if value < 1 else "1"
                ax.text(k, i, text, ha="center", va="center", fontsize=7, color="white" if value < 0.6 else "black")
        for i, row in enumerate(table):
            if np.isfinite(row).any():
                k = int(np.nanargmin(row))
                ax.add_patch(Rectangle((k - 0.5, i - 0.5), 1, 1, fill=False, ec="red", lw=2))
        ax.set_xticks(range(classes.size), labels, fontsize=8, rotation=0 if class_names is None else 45)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.set_title(source, fontsize=10)
        ax.set_xlabel("true class", fontsize=9)
    for ax in list(axes.flat)[len(tables) :]:
        ax.axis("off")
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="accuracy on the class")
    return fig


def plot_confusion_comparison(confusions, classes, annotator_names, annotators=None):
    """Confusion matrices of chosen annotators, one row per source (truth, estimates), one column per annotator.

    Parameters
    ----------
    confusions : mapping {source name: array of shape (n_annotators, n_classes, n_classes)}
        Rows = true class, columns = label given (``crowdal_utils.crowds.confusions`` convention);
        NaN rows (no evidence) are drawn grey.
    classes : array-like of shape (n_classes,)
    annotator_names : sequence of n_annotators str
    annotators : sequence of int or None
        Indices of the annotators to show (at most 5 keep the figure readable); ``None``: all.
    """
    confusions = _check_mapping(confusions, "confusions")
    classes = check_classes(classes)
    arrays = {}
    for source, array in confusions.items():
        array = np.asarray(array, dtype=float)
        if array.ndim != 3 or array.shape[1:] != (classes.size, classes.size):
            raise ValueError(
                f"`confusions[{source!r}]` must have shape (n_annotators, {classes.size}, {classes.size}), "
                f"got {array.shape}."
            )
        arrays[source] = array
    n_annotators = next(iter(arrays.values())).shape[0]
    if any(a.shape[0] != n_annotators for a in arrays.values()):
        raise ValueError("`confusions` must describe the same number of annotators in every source.")
    names = _check_names(annotator_names, n_annotators)
    chosen = list(range(n_annotators)) if annotators is None else list(annotators)
    if not chosen or not all(isinstance(j, int | np.integer) and 0 <= j < n_annotators for j in chosen):
        raise ValueError(f"`annotators` must be indices in [0, {n_annotators}), got {annotators!r}.")
    cmap = plt.get_cmap("viridis").with_extremes(bad="#d9d9d9")
    fig, axes = plt.subplots(
        len(arrays),
        len(chosen),
        figsize=(1.65 * len(chosen) + 1.6, 1.75 * len(arrays) + 0.5),
        squeeze=False,
        sharex=True,
        sharey=True,
        constrained_layout=True,
    )
    for r, (source, array) in enumerate(arrays.items()):
        for c, j in enumerate(chosen):
            ax = axes[r, c]
            image = ax.imshow(np.ma.masked_invalid(array[j]), vmin=0, vmax=1, cmap=cmap)
            if r == 0:
                ax.set_title(names[j], fontsize=9)
            if c == 0:
                wrapped = source.replace(", ", ",\n")  # long source names on two lines
                ax.set_ylabel(f"{wrapped}\ntrue class", fontsize=8)
            if r == len(arrays) - 1:
                ax.set_xlabel("label given", fontsize=9)
            ax.set_xticks(range(classes.size), classes, fontsize=6)
            ax.set_yticks(range(classes.size), classes, fontsize=6)
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.7, label="P(label given | true class)")
    return fig


def plot_consensus_agreement(values, annotator_names):
    """Grouped bars per annotator: e.g. its true accuracy next to how often it agrees with a consensus.

    Parameters
    ----------
    values : mapping {bar name: array of shape (n_annotators,)}
        E.g. ``{"true accuracy": ..., "agrees with majority vote": ..., "agrees with Dawid–Skene": ...}``;
        NaN bars are left out. Bars are shades of grey, darkest first, with a hatch each: no colour a learner
        or an annotator has in the same lesson.
    annotator_names : sequence of n_annotators str
    """
    values = _check_mapping(values, "values")
    first = np.asarray(next(iter(values.values())))
    names = _check_names(annotator_names, first.shape[0] if first.ndim == 1 else -1)
    series = {}
    for label, array in values.items():
        array = np.asarray(array, dtype=float)
        if array.shape != (len(names),):
            raise ValueError(f"`values[{label!r}]` must have shape ({len(names)},), got {array.shape}.")
        known = array[~np.isnan(array)]
        if known.size and not np.all((known >= 0) & (known <= 1)):
            raise ValueError(f"`values[{label!r}]` must hold shares in [0, 1].")
        series[label] = array
    fig, ax = plt.subplots(figsize=(8.5, 3.8), constrained_layout=True)
    width = 0.8 / len(series)
    x = np.arange(len(names))
    shades = np.linspace(0.15, 0.75, len(series)) if len(series) > 1 else [0.3]
    for k, (label, array) in enumerate(series.items()):
        look = {"color": str(shades[k]), "hatch": ("", "//", "..", "xx")[k % 4], "edgecolor": "white"}
        bars = ax.bar(x + (k - (len(series) - 1) / 2) * width, np.nan_to_num(array), width, label=label, **look)
        ax.bar_label(bars, labels=[f"{v:.2f}" if np.isfinite(v) else "" for v in array], fontsize=7, padding=1)
    ax.set_xticks(x, names, fontsize=9)
    ax.tick_params(axis="x", labelrotation=15)
    ax.set(ylim=(0, 1.18), ylabel="share of the annotator's labels")
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.legend(loc="upper center", ncol=len(series), fontsize=8, frameon=False)
    return fig
