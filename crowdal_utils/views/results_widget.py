"""The results explorer of notebooks 04-06: pick learners, choices and strategies, see their curves.

``results_explorer(results, start_with=...)`` starts with the lesson's telling arms and
offers the others one click away; colours and line styles are :mod:`.style`'s.
"""

import html
from dataclasses import dataclass
from functools import cached_property

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ..experiment.config import Arm
from ..experiment.results import METRICS, ExperimentResults
from ..learners.registry import get_learner
from ..selection.annotator_choice import get_choice
from ..selection.strategies import get_strategy
from .rendering import _FIGURE_INCHES, FIGURE_WIDTH_PX, _draw, _image_bundle, _LiveFigure, _png
from .results_figures import plot_learning_curves

#: The three parts of an arm (attributes of ``config.Arm``), as the results explorer names them.
ARM_DIMENSIONS = {"learner": "learner", "choice": "annotator choice", "strategy": "sample strategy"}
_REGISTRIES = {"learner": get_learner, "choice": get_choice, "strategy": get_strategy}
_DIMENSION_TIPS = {
    "learner": "how the crowd's labels are turned into a classifier",
    "choice": "who answers each chosen sample",
    "strategy": "which samples are chosen for labelling",
}
#: Inches the learning-curve figure is drawn taller than ``plot_learning_curves`` makes one panel (whose height
#: already leaves room for the legend of the arms drawn), as it is drawn wider (``_FIGURE_INCHES``).
_CURVES_EXTRA_HEIGHT = 1.0


@dataclass(frozen=True)
class CurvesView:
    """One drawing of the results explorer: the arms and metric chosen, and the figure or message shown.

    Attributes
    ----------
    arms : tuple of str
        Keys of the arms drawn, in the order of ``results.arms``; empty when nothing matches the controls.
    metric : str
        A key of ``results.METRICS``.
    x_axis : {"labels", "cost"}
        As passed to ``plot_learning_curves``.
    figure : matplotlib Figure or None
        ``plot_learning_curves(results, [metric], arms, x_axis)`` at the size shown, closed in pyplot (inspect
        it, it is not shown again); ``None`` when ``arms`` is empty. Each arm has one line (the mean over
        repetitions) and the same colour whichever other arms are drawn.
    caption : str
        What is shown, in words: the figure's text fallback, or the message shown instead of a figure.
    """

    arms: tuple
    metric: str
    x_axis: str
    figure: Figure | None
    caption: str

    @cached_property
    def png(self):
        """The figure as displayed (bytes of a PNG, twice :data:`FIGURE_WIDTH_PX` wide), drawn on first use;
        ``None`` without a figure."""
        return None if self.figure is None else _png(_draw(self.figure, *self.figure.get_size_inches()))


class ResultsExplorer:
    """Learning curves of the arms a student switches on, for the metric chosen, redrawn on every change.

    Create it with :func:`results_explorer`, which documents the arguments and the display.

    Attributes
    ----------
    results : ExperimentResults
        The results shown.
    toggles : dict {dimension: {name: ipywidgets.ToggleButton}}
        For each dimension of :data:`ARM_DIMENSIONS` with two or more values in the results, one toggle per
        value present (in the order the arms first use it); a dimension with one value has no entry.
        Set a toggle's ``.value`` to drive it from code.
    metric_control : ipywidgets.ToggleButtons
        Its ``.value`` is the metric drawn, a key of ``results.METRICS``.
    x_axis : {"labels", "cost"}
        ``"cost"`` exactly when the experiment had annotator costs (``results.config["budget_per_cycle"]``).
    fixed : dict {dimension: name}
        The dimensions with one value, which have no toggles.
    controls : ipywidgets.VBox
        All controls as one widget.
    view : CurvesView
        What is shown now (a new one on every redraw).
    """

    def __init__(self, results, metric="test_accuracy", start_with=None):
        if not isinstance(results, ExperimentResults):
            raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")
        if not results.arms:
            raise ValueError("`results` holds no arm: there is no curve to explore.")
        if not isinstance(metric, str):
            raise TypeError(f"`metric` must be a metric name (str), got {type(metric).__name__}.")
        if metric not in METRICS:
            raise ValueError(f"`metric` must be one of {list(METRICS)}, got {metric!r}.")
        self.results = results
        self._arms = {key: Arm.from_key(key) for key in results.arms}
        self.x_axis = "labels" if results.config.get("budget_per_cycle") is None else "cost"
        self.fixed, self.toggles = {}, {}
        for dimension in ARM_DIMENSIONS:
            names = tuple(dict.fromkeys(getattr(arm, dimension) for arm in self._arms.values()))
            if len(names) == 1:
                self.fixed[dimension] = names[0]
            else:
                self.toggles[dimension] = {name: self._make_toggle(dimension, name) for name in names}
        for dimension, names in self._check_start(start_with).items():
            for name, toggle in self.toggles.get(dimension, {}).items():
                toggle.value = name in names
                toggle.icon = "check" if toggle.value else ""
        self.metric_control = widgets.ToggleButtons(
            options=[(label, key) for key, label in METRICS.items()],
            value=metric,
            tooltips=[f"draw the {label.lower()} at each cycle" for label in METRICS.values()],
            style={"button_width": "auto"},
        )
        self.controls = self._layout()
        self._output = _LiveFigure("results-explorer", self._figure_bundle)
        self.view = None
        self._redraw()
        for toggles in self.toggles.values():
            for toggle in toggles.values():
                toggle.observe(self._on_change, names="value")
        self.metric_control.observe(self._on_change, names="value")

    @property
    def metric(self):
        """The metric the control shows, a key of ``results.METRICS``."""
        return self.metric_control.value

    @property
    def selected_arms(self):
        """Keys of the arms whose learner, annotator choice and sample strategy are all switched on, in the order
        of ``results.arms`` (tuple of str, possibly empty)."""
        on = {dimension: set(self.switched_on(dimension)) for dimension in self.toggles}
        return tuple(
            key for key, arm in self._arms.items() if all(getattr(arm, dim) in names for dim, names in on.items())
        )

    @property
    def figure(self):
        """The figure shown now (``view.figure``), ``None`` when no arm is selected."""
        return self.view.figure

    def switched_on(self, dimension):
        """Names switched on in ``dimension`` (a key of :data:`ARM_DIMENSIONS`); a fixed dimension's one name."""
        if dimension not in ARM_DIMENSIONS:
            raise ValueError(f"`dimension` must be one of {list(ARM_DIMENSIONS)}, got {dimension!r}.")
        if dimension in self.fixed:
            return (self.fixed[dimension],)
        return tuple(name for name, toggle in self.toggles[dimension].items() if toggle.value)

    def describe(self):
        """What is shown now, in words (the controls' text where widgets cannot render)."""
        return f"Results explorer (its controls need a live Jupyter kernel): {self.view.caption}"

    def __repr__(self):
        return self.describe()

    def _ipython_display_(self):
        self._output.show(self.controls, self.describe())

    def _on_change(self, change):
        if isinstance(change["owner"], widgets.ToggleButton):
            change["owner"].icon = "check" if change["new"] else ""
        if (self.selected_arms, self.metric) != (self.view.arms, self.view.metric):
            self._redraw()

    def _redraw(self):
        arms, metric = self.selected_arms, self.metric
        if not arms:
            self.view = CurvesView(arms, metric, self.x_axis, None, self._nothing_to_draw())
        else:
            with plt.ioff():  # plot_learning_curves gives each arm its learner's colour and its choice's line style
                figure = plot_learning_curves(self.results, metrics=[metric], arms=arms, x_axis=self.x_axis)
            plt.close(figure)  # nothing left for the inline backend to show a second time, nothing piles up
            figure.set_size_inches(_FIGURE_INCHES, figure.get_figheight() + _CURVES_EXTRA_HEIGHT)
            (ax,) = figure.axes
            if self.x_axis == "cost":
                budget = self.results.config["budget_per_cycle"]
                ax.set_xlabel(f"cost units spent (the annotators have prices; {budget:g} units per cycle)")
            legend = "; ".join(text.get_text() for text in ax.get_legend().get_texts())
            caption = f"{METRICS[metric]} against {ax.get_xlabel()}. Mean over the curve: {legend}"
            self.view = CurvesView(arms, metric, self.x_axis, figure, caption)
        self._output.refresh()

    def _nothing_to_draw(self):
        off = [ARM_DIMENSIONS[d] for d in self.toggles if not self.switched_on(d)]
        if off:
            return f"Nothing to draw: switch on at least one {' and one '.join(off)}."
        chosen = "; ".join(
            f"{ARM_DIMENSIONS[d]}: {', '.join(self._display_name(d, name) for name in self.switched_on(d))}"
            for d in self.toggles
        )
        return f"Nothing to draw: these results have no arm that combines what is switched on ({chosen})."

    def _figure_bundle(self):
        view = self.view
        if view.figure is not None:
            return _image_bundle(view.png, view.caption)
        message = f"<p style='padding: 2em 0; font-size: 1.2em'><b>{html.escape(view.caption)}</b></p>"
        return {"text/html": message, "text/plain": view.caption}

    @staticmethod
    def _display_name(dimension, name):
        return _REGISTRIES[dimension](name).display_name

    def _check_start(self, start_with):
        """``start_with`` as {dimension: set of names}, every name present in the results."""
        if start_with is None:
            return {}
        if not isinstance(start_with, dict):
            raise TypeError(f"`start_with` must be a dict {{dimension: names}}, got {type(start_with).__name__}.")
        checked = {}
        for dimension, names in start_with.items():
            if dimension not in ARM_DIMENSIONS:
                raise ValueError(f"`start_with` keys must be among {list(ARM_DIMENSIONS)}, got {dimension!r}.")
            names = (names,) if isinstance(names, str) else tuple(names)
            present = {getattr(arm, dimension) for arm in self._arms.values()}
            unknown = [name for name in names if name not in present]
            if unknown or not names:
                raise ValueError(
                    f"`start_with[{dimension!r}]` must name some of the results' {sorted(present)}, got {list(names)}."
                )
            checked[dimension] = set(names)
        return checked

    def _make_toggle(self, dimension, name):
        return widgets.ToggleButton(
            value=True,
            description=self._display_name(dimension, name),
            icon="check",
            tooltip=f"show the arms whose {ARM_DIMENSIONS[dimension]} is {name!r}",
            layout=widgets.Layout(width="auto"),
        )

    def _layout(self):
        def row(title, tip, control):
            label = widgets.HTML(f"<b>{title}</b>", tooltip=tip, layout=widgets.Layout(width="140px"))
            return widgets.HBox([label, control], layout=widgets.Layout(align_items="center"))

        rows = [
            row(
                ARM_DIMENSIONS[d],
                _DIMENSION_TIPS[d],
                widgets.HBox(list(toggles.values()), layout=widgets.Layout(flex_flow="row wrap")),
            )
            for d, toggles in self.toggles.items()
        ]
        rows.append(row("metric", "what the curves measure", self.metric_control))
        intro = (
            "<b>Pick what to compare.</b> A curve is drawn when its learner, its annotator choice and its sample "
            "strategy are all switched on; the figure below is redrawn on every change."
        )
        if self.fixed:
            same = ", ".join(f"{ARM_DIMENSIONS[d]} <i>{self._display_name(d, n)}</i>" for d, n in self.fixed.items())
            intro += f" Every arm of these results has the same {same}."
        if self.x_axis == "cost":
            intro += " The annotators had prices, so the curves are drawn against the cost spent."
        return widgets.VBox([widgets.HTML(intro, layout=widgets.Layout(max_width=f"{FIGURE_WIDTH_PX}px")), *rows])


def results_explorer(results, metric="test_accuracy", start_with=None):
    """Toggles for the learners, annotator choices and sample strategies of ``results``, and their learning curves.

    The controls are built from what the results contain: for each part of an arm
    (learner, annotator choice, sample strategy) with two or more values in
    ``results.arms``, one toggle per value present; a part with one value gets no
    toggle (the controls' sentence names it). A metric switch chooses between the
    keys of ``results.METRICS``. The figure is the package's ``plot_learning_curves(
    results, metrics=[metric], arms=selected, x_axis=...)``: the mean over repetitions
    with a band of ± one standard deviation, each arm's mean over the curve in the
    legend, each arm in the same colour whatever else is drawn. When the experiment
    had annotator costs (``results.config["budget_per_cycle"]`` is set) the curves are
    drawn against the cost units spent and the x label says so; otherwise against the
    acquired annotations. An arm is drawn when all three of its parts are switched on;
    when none is, a message replaces the figure.

    Parameters
    ----------
    results : ExperimentResults
        With at least one arm.
    metric : str, default="test_accuracy"
        The metric shown first, a key of ``results.METRICS``.
    start_with : dict {dimension: names} or None
        The toggles switched on at the start, e.g. ``{"learner": ("majority-vote", "annot-mix")}`` (the lesson's
        telling arms rather than all of them); dimensions not named start all on. ``None``: everything on.

    Returns
    -------
    ResultsExplorer
        Show it as the last expression of a cell: two outputs appear, the controls and the
        figure, a plain PNG image replaced in place on every change (so the notebook never
        holds two figures); where no widget frontend runs, the image still shows the curves
        as saved and the controls show as text. From code: ``explorer.toggles["learner"][
        "majority-vote"].value = False`` switches a learner off, ``explorer.metric_control.value
        = "correct_annotation_rate"`` changes the metric, ``explorer.selected_arms`` are the
        arms drawn and ``explorer.figure`` is the figure (``None`` when nothing is selected).

    Raises
    ------
    TypeError
        ``results`` is not an ExperimentResults; ``metric`` is not a string.
    ValueError
        ``results`` holds no arm; ``metric`` is not a key of ``results.METRICS``.
    """
    return ResultsExplorer(results, metric, start_with)
