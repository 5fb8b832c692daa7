"""One look for every figure: a colour per learner, a line style per annotator choice.

The same mappings serve the static figures and the explorers, so "Annot-Mix, asked by
its own estimate" looks the same in every notebook. :func:`save_figure` writes a
figure to the results folder.
"""

import numpy as np

from .._environment import results_dir
from ..experiment.config import as_arm

#: One colour per learner, in every figure of the course (related learners in related shades).
LEARNER_COLOURS = {
    "majority-vote": "#1f77b4",
    "majority-vote-mixup": "#7fb8e6",
    "dawid-skene": "#ff7f0e",
    "crowd-layer": "#8c564b",
    "crowd-layer-identity-start": "#c49c94",
    "annot-mix": "#d62728",
    "annot-mix-no-mixup": "#f29b9b",
    "true-labels": "#222222",
}
#: One colour per annotator (A1, A2, ...), in every figure that splits labels or money by annotator; none is a
#: learner's colour, so within a lesson a colour keeps one meaning.
ANNOTATOR_COLOURS = ("#1b9e77", "#7570b3", "#66a61e", "#e7298a", "#666666", "#e6ab02", "#a6761d", "#6a3d9a")
#: One colour per way of choosing annotators, for figures that compare the choices of one learner (notebook 08, where
#: every line is Annot-Mix): the greedy choice keeps Annot-Mix's red, the oracle the ceiling's near-black; the others
#: are no learner's colour.
CHOICE_COLOURS = {
    "random": "#7f7f7f",
    "own-estimate": "#d62728",
    "oracle": "#222222",
    "per-cost": "#dbdb8d",
    "equal-share": "#9edae5",
    "epsilon-greedy": "#17becf",
    "epsilon-greedy-0.5": "#2ca02c",
    "upper-confidence": "#9467bd",
    "thompson": "#e377c2",
    "gold": "#bcbd22",
    "iethresh": "#8c564b",
}
#: One colour per sample strategy, for figures that compare the strategies of one learner (notebook 06): none is a
#: learner's colour there or one of the five annotators'.
STRATEGY_COLOURS = {
    "random": "#000000",
    "random-new": "#a6761d",
    "margin": "#ff7f0e",
    "badge": "#17becf",
    "coreset": "#bcbd22",
    "activelab": "#e6ab02",
    "iethresh": "#8c564b",
}
#: One line style per sample strategy, beside its colour, where one learner's strategies share a figure.
STRATEGY_LINESTYLES = {
    "random": "-",
    "random-new": ":",
    "margin": "--",
    "badge": "-.",
    "coreset": (0, (8, 2)),
    "activelab": (0, (3, 1, 1, 1, 1, 1)),
}
#: One line style per way of choosing annotators.
CHOICE_LINESTYLES = {
    "random": "-",
    "own-estimate": "--",
    "oracle": ":",
    "per-cost": "-.",
    "equal-share": (0, (10, 3)),  # long dashes
    "epsilon-greedy": (0, (3, 1, 1, 1, 1, 1)),  # dash dot dot
    "epsilon-greedy-0.5": (0, (5, 1, 1, 1)),
    "upper-confidence": (0, (6, 2, 1, 2)),
    "thompson": (0, (1, 3)),  # loose dots
    "gold": (0, (8, 2, 2, 2, 2, 2)),
    "iethresh": (0, (4, 4)),
}
#: One hatch per way of choosing annotators, for bars (their colour is the learner's).
CHOICE_HATCHES = {
    "random": "",
    "own-estimate": "//",
    "oracle": "..",
    "per-cost": "xx",
    "equal-share": "--",
    "epsilon-greedy": "\\\\",
    "epsilon-greedy-0.5": "\\",
    "upper-confidence": "++",
    "thompson": "oo",
    "gold": "**",
    "iethresh": "||",
}
#: One marker per way of choosing annotators where lines of one learner would otherwise only differ by their dashes
#: (notebook 08 compares six choices of Annot-Mix).
CHOICE_MARKERS = {
    "random": "o",
    "own-estimate": "s",
    "oracle": "*",
    "per-cost": "<",
    "equal-share": "d",
    "epsilon-greedy": "^",
    "epsilon-greedy-0.5": ">",
    "upper-confidence": "v",
    "thompson": "D",
    "gold": "P",
    "iethresh": "X",
}
#: One marker per sample strategy.
STRATEGY_MARKERS = {"random": "o", "random-new": "X", "margin": "s", "badge": "^", "coreset": "D", "activelab": "v"}


def arm_style(arm, marker_by="strategy", colour_by="learner"):
    """Matplotlib keywords (color, linestyle, marker) of ``arm``: colour = learner, line = choice.

    The marker shows the sample strategy (``marker_by="strategy"``) or, where the lines
    compare ways of choosing annotators of one learner, the choice again (``"choice"``).
    ``colour_by="choice"`` colours by the way of choosing (:data:`CHOICE_COLOURS`), for a
    lesson whose figures all compare one learner's choices (notebook 08); ``"strategy"`` by
    the sample strategy (:data:`STRATEGY_COLOURS`), for curves of one learner's strategies.
    """
    arm = as_arm(arm)
    if marker_by not in ("strategy", "choice"):
        raise ValueError(f"`marker_by` must be 'strategy' or 'choice', got {marker_by!r}.")
    if colour_by not in ("learner", "choice", "strategy"):
        raise ValueError(f"`colour_by` must be 'learner', 'choice' or 'strategy', got {colour_by!r}.")
    marker = STRATEGY_MARKERS.get(arm.strategy, "o") if marker_by == "strategy" else CHOICE_MARKERS.get(arm.choice, "o")
    colour = {"learner": LEARNER_COLOURS.get(arm.learner), "choice": CHOICE_COLOURS.get(arm.choice),
              "strategy": STRATEGY_COLOURS.get(arm.strategy)}[colour_by]  # fmt: skip
    return {"color": colour or "#7f7f7f", "linestyle": CHOICE_LINESTYLES.get(arm.choice, "-"), "marker": marker}


def _integer_ticks(ax, values):
    """x-ticks exactly at ``values`` (cycles, label counts) when there are few of them."""
    values = np.asarray(values, dtype=float)
    if 1 <= len(values) <= 12:
        ax.set_xticks(values, [f"{v:.0f}" for v in values])


def _check_names(names, n):
    names = list(names)
    if len(names) != n:
        raise ValueError(f"`annotator_names` has {len(names)} names for {n} annotators.")
    return names


def save_figure(fig, name, dpi=120):
    """Save ``fig`` as ``name`` (e.g. ``"learning_curves.png"``) in ``config.results_dir()``; returns the path.

    ``name`` is a file name with a format matplotlib writes (``.png``, ``.pdf``, ``.svg``, ...), no folder part.
    """
    from pathlib import PurePath

    formats = fig.canvas.get_supported_filetypes()
    if not isinstance(name, str) or not name or PurePath(name).name != name or name in (".", ".."):
        raise ValueError(f"`name` must be a file name such as 'curves.png', without a folder, got {name!r}.")
    suffix = PurePath(name).suffix.lstrip(".").lower()
    if suffix not in formats:
        raise ValueError(
            f"`name` must end in a figure format ({', '.join('.' + f for f in sorted(formats))}), got {name!r}."
        )
    path = results_dir() / name
    fig.savefig(path, dpi=dpi)
    return path


# --- Annotator-quality views (notebook 07) ---


def _check_mapping(values, name):
    """A non-empty mapping {label: array}; labels must be strings."""
    from collections.abc import Mapping

    if not isinstance(values, Mapping) or not values:
        raise TypeError(f"`{name}` must be a non-empty mapping {{name: array}}, got {type(values).__name__}.")
    for key in values:
        if not isinstance(key, str):
            raise TypeError(f"`{name}` must be keyed by strings (shown in the figure), got {key!r}.")
    return dict(values)
