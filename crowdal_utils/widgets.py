"""Interactive explorers for the notebooks: ipywidgets controls that redraw the package's figures.

``crowd_explorer(data)`` (notebook 01) lets a student edit each annotator of a simulated
crowd and see at once what the change does to the annotators' accuracies, the majority
vote and the confusion matrices.

``results_explorer(results)`` (notebooks 04-06) lets a student pick the learners,
annotator-choice policies and sample strategies of an experiment's results, and the
metric, and see their learning curves.

How an explorer is shown
------------------------
It displays as **two outputs** of its cell: the controls (an ipywidgets ``VBox``) and the
figure, an ordinary ``image/png`` output with a ``display_id``. Every change redraws the
figure and replaces that image in place (IPython's ``update_display``), so the live
notebook holds exactly one figure. Because the figure is a plain image, it survives where
widgets do not render: GitHub's notebook viewer, ``jupyter nbconvert --to html``, an
executed copy opened untrusted in JupyterLab. There the controls fall back to their text
(the state as first shown) and the image shows the state as it was when the notebook was
saved; its caption says what it shows, so it explains itself. Both explorers share this
through one helper (``_LiveFigure``).
"""

import base64
import html
import io
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display, update_display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ._validation import check_int
from .annotators import (
    MajorityClassBiasedAnnotator,
    NoisyAnnotator,
    annotator_names,
    check_profiles,
    default_crowd,
    simulate_crowd,
)
from .choice import get_choice
from .config import Arm
from .data import check_split
from .learners import get_learner
from .metrics import annotator_accuracies, annotator_confusion_matrices, majority_vote_accuracy
from .plotting import (
    plot_annotator_accuracies,
    plot_confusion_matrices,
    plot_learning_curves,
    plot_majority_vote_accuracy,
)
from .results import METRICS, ExperimentResults
from .strategies import get_strategy

#: Width in CSS pixels at which the figure is shown. JupyterLab 4.6's output area measured 848 px in a 952 px
#: notebook panel and 898 px in a 1002 px one (Chromium): the image is not scaled down there, and its 10 pt
#: text shows at 12.5 px (9.4 figure inches in 846 px).
FIGURE_WIDTH_PX = 846
#: Width in inches at which every explorer's figure is drawn (shown at FIGURE_WIDTH_PX).
_FIGURE_INCHES = 9.4
_PX_PER_INCH = FIGURE_WIDTH_PX / _FIGURE_INCHES
_RENDER_SCALE = 2  # the PNG holds twice the pixels, sharp on high-density screens
#: Inches at which each figure is redrawn; rows of the composed image: caption, accuracies | majority
#: vote of k, confusion matrices.
_INCHES = {
    "caption": (_FIGURE_INCHES, 0.3),
    "accuracies": (5.5, 3.2),
    "majority_vote": (_FIGURE_INCHES - 5.5, 3.2),
    "confusions": (_FIGURE_INCHES, 2.5),
}
_ROWS = (("caption",), ("accuracies", "majority_vote"), ("confusions",))
#: Name of an annotator whose controls no longer show its starting profile.
CUSTOM_NAME = "custom"
#: Value of the weak-class dropdown for "no weak class" (a dropdown's ``None`` would show an empty box).
NO_WEAK_CLASS = "none"


class _LiveFigure:
    """An explorer's two outputs: its controls, then its figure as a plain output replaced in place.

    Parameters
    ----------
    name : str
        Prefix of the output's ``display_id`` (a unique suffix is added).
    figure_bundle : callable () -> dict
        The figure's current MIME bundle (:func:`_image_bundle`, or text when there is no figure). Called only
        once the explorer is shown, so headless code never pays for drawing the image.
    """

    def __init__(self, name, figure_bundle):
        self.display_id = f"{name}-{uuid.uuid4().hex}"
        self.shown = False
        self._figure_bundle = figure_bundle

    def show(self, controls, text):
        """Display ``controls`` (an ipywidget, with ``text`` as its fallback where widgets cannot render), then the
        figure with :attr:`display_id`."""
        bundle = controls._repr_mimebundle_()
        bundle["text/plain"] = text
        display(bundle, raw=True)
        display(self._figure_bundle(), raw=True, metadata=_IMAGE_METADATA, display_id=self.display_id)
        self.shown = True

    def refresh(self):
        """Replace the figure's output in place with the current bundle (nothing before :meth:`show`)."""
        if self.shown:
            update_display(self._figure_bundle(), raw=True, metadata=_IMAGE_METADATA, display_id=self.display_id)


#: Every figure image is shown at :data:`FIGURE_WIDTH_PX` (its PNG holds twice the pixels).
_IMAGE_METADATA = {"image/png": {"width": FIGURE_WIDTH_PX}}


def _image_bundle(png, caption):
    """The MIME bundle of a figure: the PNG, and ``caption`` as its text fallback (terminals, text-only viewers)."""
    return {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": caption}


def _plain(probability):
    """A probability as a float without the floating-point noise a browser's slider may add."""
    return round(float(probability), 9)


@dataclass(frozen=True)
class AnnotatorSetting:
    """What one annotator's controls say, as plain values.

    Attributes
    ----------
    accuracy : float in [0, 1]
        Probability of a correct answer on the classes without their own accuracy.
    weak_class : int or None
        A class answered with ``weak_class_accuracy`` instead; ``None`` for none.
    weak_class_accuracy : float in [0, 1] or None
        ``None`` exactly when ``weak_class`` is ``None``.
    bias : float in [0, 1]
        Probability that the answer is forced to the majority class.
    """

    accuracy: float
    weak_class: int | None
    weak_class_accuracy: float | None
    bias: float

    @classmethod
    def from_profile(cls, profile):
        """The setting of a profile the controls can express, or ``None`` for any other profile."""
        bias, base = 0.0, profile
        if isinstance(profile, MajorityClassBiasedAnnotator):
            if profile.base is None:
                return cls(1.0, None, None, _plain(profile.bias))
            bias, base = _plain(profile.bias), profile.base
        if not isinstance(base, NoisyAnnotator) or len(base.class_accuracy) > 1:
            return None
        ((weak_class, weak_accuracy),) = base.class_accuracy.items() or ((None, None),)
        return cls(
            _plain(base.accuracy),
            None if weak_class is None else int(weak_class),
            None if weak_accuracy is None else _plain(weak_accuracy),
            bias,
        )

    def describe(self):
        """The setting in a few characters, e.g. ``"95%"``, ``"85%, on 9: 40%"``, ``"bias 50%"``."""
        parts = [] if self._base_is_true_label() else [f"{self.accuracy:.0%}"]
        if self.weak_class is not None:
            parts.append(f"on {self.weak_class}: {self.weak_class_accuracy:.0%}")
        if self.bias > 0:
            parts.append(f"bias {self.bias:.0%}")
        return ", ".join(parts)

    def profile(self, name=CUSTOM_NAME):
        """The annotator profile of this setting.

        A bias > 0 composes ``MajorityClassBiasedAnnotator(bias, base=NoisyAnnotator(...))``;
        with a perfect base (accuracy 1, no weak class) the base is ``None`` (the true
        label, no random draws), as in the reference's fifth annotator.
        """
        if self._base_is_true_label():
            return MajorityClassBiasedAnnotator(self.bias, name=name)
        weak = {} if self.weak_class is None else {self.weak_class: self.weak_class_accuracy}
        noisy = NoisyAnnotator(self.accuracy, class_accuracy=weak, name=name)
        return noisy if self.bias == 0 else MajorityClassBiasedAnnotator(self.bias, base=noisy, name=name)

    def _base_is_true_label(self):
        return self.bias > 0 and self.accuracy == 1 and self.weak_class is None


@dataclass(frozen=True)
class AnnotatorControls:
    """The four widgets that set one annotator's profile (set their ``.value`` to drive them from code).

    ``weak_class.value`` is a class of ``data.classes`` or :data:`NO_WEAK_CLASS`.
    """

    accuracy: widgets.FloatSlider
    weak_class: widgets.Dropdown
    weak_class_accuracy: widgets.FloatSlider
    bias: widgets.FloatSlider

    def setting(self):
        """The current values as an :class:`AnnotatorSetting`."""
        weak = None if self.weak_class.value == NO_WEAK_CLASS else int(self.weak_class.value)
        return AnnotatorSetting(
            _plain(self.accuracy.value),
            weak,
            None if weak is None else _plain(self.weak_class_accuracy.value),
            _plain(self.bias.value),
        )

    def show(self, setting):
        """Set the widgets to ``setting`` (with no weak class, its accuracy slider keeps its value)."""
        self.accuracy.value = setting.accuracy
        self.weak_class.value = NO_WEAK_CLASS if setting.weak_class is None else setting.weak_class
        if setting.weak_class is not None:
            self.weak_class_accuracy.value = setting.weak_class_accuracy
        self.bias.value = setting.bias

    def as_tuple(self):
        """The four widgets, in the order of the grid's columns."""
        return (self.accuracy, self.weak_class, self.weak_class_accuracy, self.bias)


@dataclass(frozen=True)
class CrowdView:
    """One drawing of the explorer: the crowd and every number and figure shown for it.

    Attributes
    ----------
    profiles : tuple of annotator profiles, length n_annotators
    names : list of str
        ``annotator_names(profiles)``, as in the figures.
    caption : str
        The image's top line: every annotator's setting.
    crowd_labels : np.ndarray of shape (n_samples, n_annotators), int64
        ``simulate_crowd(data.y_train, data.classes, profiles, random_state, X=data.X_train)`` (profiles
        that depend on the samples see the images; the others ignore them).
    accuracies : np.ndarray of shape (n_annotators,)
    confusions : np.ndarray of shape (n_annotators, n_classes, n_classes)
    majority_vote_by_k : np.ndarray of shape (n_annotators,)
        Accuracy of a majority vote over k = 1 .. n_annotators annotators drawn at random
        per sample; the last entry (all of them) is the dashed line of the accuracy chart.
    figures : dict {"caption", "accuracies", "majority_vote", "confusions"} -> matplotlib Figure
        The figures composed into :attr:`png`; closed in pyplot (inspect them, they are not shown again).
    """

    profiles: tuple
    names: list
    caption: str
    crowd_labels: np.ndarray
    accuracies: np.ndarray
    confusions: np.ndarray
    majority_vote_by_k: np.ndarray
    figures: dict

    @cached_property
    def png(self):
        """The composed image as displayed (bytes of a PNG), drawn on first use: headless code that never
        displays the explorer does not pay for drawing."""
        return _compose(self.figures)


class CrowdExplorer:
    """A crowd editor: a row of controls per annotator and a figure redrawn on every change.

    Create it with :func:`crowd_explorer`, which documents the arguments and the display.

    Attributes
    ----------
    controls : ipywidgets.VBox
        All controls as one widget: a sentence, a grid with one row per annotator, a reset button.
    annotator_controls : tuple of (AnnotatorControls or None), length n_annotators
        Each annotator's widgets; ``None`` for a profile the controls cannot express (it stays as given).
    view : CrowdView
        The crowd shown now, its numbers and figures (a new one on every redraw).
    redraw_seconds : float
        Wall time of the last redraw: crowd, metrics, figures and, once displayed, the image.
    """

    def __init__(self, data, profiles=None, random_state=0, vote_random_state=0):
        self._data = check_split(data)
        self._random_state = check_int(random_state, "random_state", minimum=0)
        self._vote_random_state = check_int(vote_random_state, "vote_random_state", minimum=0)
        self._initial_profiles = check_profiles(default_crowd() if profiles is None else profiles)
        classes = [int(c) for c in self._data.classes]
        self._initial_settings = tuple(AnnotatorSetting.from_profile(p) for p in self._initial_profiles)
        for k, setting in enumerate(self._initial_settings):
            if setting is not None and setting.weak_class is not None and setting.weak_class not in classes:
                raise ValueError(
                    f"`profiles[{k}]` has a class accuracy for {setting.weak_class}, which is not in `data.classes`."
                )
        values, counts = np.unique(self._data.y_train, return_counts=True)
        self._majority_class = int(values[counts.argmax()])
        self.annotator_controls = tuple(
            None if setting is None else self._make_controls(setting, classes) for setting in self._initial_settings
        )
        self.controls = self._layout()
        self._output = _LiveFigure("crowd-explorer", self._figure_bundle)
        self._holding = False
        self.view = None
        self._redraw()
        for controls in self.annotator_controls:
            if controls is not None:
                for widget in controls.as_tuple():
                    widget.observe(self._on_change, names="value")

    @property
    def profiles(self):
        """The crowd the controls describe now: tuple of profiles, length n_annotators.

        An annotator whose controls show its starting values keeps its starting profile and
        name (so the starting state reproduces the given crowd exactly); any other is
        rebuilt from its controls (:meth:`AnnotatorSetting.profile`) and named ``"custom"``.
        """
        profiles = []
        for profile, start, controls in zip(
            self._initial_profiles, self._initial_settings, self.annotator_controls, strict=True
        ):
            setting = None if controls is None else controls.setting()
            profiles.append(profile if setting is None or setting == start else setting.profile())
        return tuple(profiles)

    def reset(self):
        """Show the starting crowd again (one redraw)."""
        with self._hold():
            for controls, setting in zip(self.annotator_controls, self._initial_settings, strict=True):
                if controls is not None:
                    controls.show(setting)
        self._redraw()

    def describe(self):
        """The crowd shown now in words: each annotator's profile and measured accuracy, the majority vote."""
        view = self.view
        lines = [f"Crowd explorer (its controls need a live Jupyter kernel); random_state={self._random_state}:"]
        for name, profile, accuracy in zip(view.names, view.profiles, view.accuracies, strict=True):
            lines.append(f"  {name}: accuracy {accuracy:.3f}, {profile!r}")
        lines.append(f"  majority vote of all {len(view.names)}: {view.majority_vote_by_k[-1]:.3f}")
        return "\n".join(lines)

    def __repr__(self):
        return self.describe()

    def _ipython_display_(self):
        self._output.show(self.controls, self.describe())

    def _on_change(self, change):
        self._sync_enabled()
        if not self._holding and self.profiles != self.view.profiles:  # e.g. the slider of no weak class moved
            self._redraw()

    def _redraw(self):
        start = time.perf_counter()
        data, profiles = self._data, self.profiles
        z = simulate_crowd(data.y_train, data.classes, profiles, random_state=self._random_state, X=data.X_train)
        accuracies = annotator_accuracies(z, data.y_train)
        confusions = annotator_confusion_matrices(z, data.y_train, data.classes)
        n_voters = np.arange(1, z.shape[1] + 1)
        by_k = np.array(
            [
                majority_vote_accuracy(z, data.y_train, data.classes, n_voters=k, random_state=self._vote_random_state)
                for k in n_voters
            ]
        )
        names = annotator_names(profiles)
        caption = self._caption()
        figures = {}
        try:
            with plt.ioff():
                figures["accuracies"] = plot_annotator_accuracies(accuracies, names, reference_line=by_k[-1])
                figures["majority_vote"] = plot_majority_vote_accuracy(n_voters, by_k, best_single=accuracies.max())
                figures["confusions"] = plot_confusion_matrices(confusions, data.classes, names)
            figures["caption"] = _text_figure(caption)
        finally:
            for fig in figures.values():
                plt.close(fig)  # nothing left for the inline backend to show a second time, nothing piles up
        self.view = CrowdView(profiles, names, caption, z, accuracies, confusions, by_k, figures)
        self._output.refresh()
        self.redraw_seconds = time.perf_counter() - start

    def _caption(self):
        parts = []
        for k, (profile, controls) in enumerate(zip(self._initial_profiles, self.annotator_controls, strict=True)):
            setting = f"{profile.name} (fixed)" if controls is None else controls.setting().describe()
            parts.append(f"A{k + 1} {setting}")
        head = f"Annotators (accuracy, weak class, bias to class {self._majority_class}; seed {self._random_state}):"
        return head + "  " + " · ".join(parts)

    def _figure_bundle(self):
        return _image_bundle(self.view.png, self.view.caption)

    def _make_controls(self, setting, classes):
        def slider(value, tooltip):
            return widgets.FloatSlider(
                value=value,
                min=0.0,
                max=1.0,
                step=0.01,
                readout_format=".0%",
                continuous_update=False,  # redraw when the slider is released
                tooltip=tooltip,
                layout=widgets.Layout(width="auto"),
            )

        controls = AnnotatorControls(
            accuracy=slider(setting.accuracy, "probability of a correct answer"),
            weak_class=widgets.Dropdown(
                options=[("none", NO_WEAK_CLASS)] + [(str(c), c) for c in classes],
                value=NO_WEAK_CLASS if setting.weak_class is None else setting.weak_class,
                tooltip="a class this annotator answers with an accuracy of its own",
                layout=widgets.Layout(width="auto"),
            ),
            weak_class_accuracy=slider(
                0.4 if setting.weak_class_accuracy is None else setting.weak_class_accuracy,
                "probability of a correct answer on samples of the weak class",
            ),
            bias=slider(setting.bias, f"share of answers forced to class {self._majority_class}"),
        )
        controls.weak_class_accuracy.disabled = setting.weak_class is None
        return controls

    def _sync_enabled(self):
        for controls in self.annotator_controls:
            if controls is not None:
                controls.weak_class_accuracy.disabled = controls.weak_class.value == NO_WEAK_CLASS

    def _layout(self):
        majority = self._majority_class
        headers = [
            ("annotator", "A1, A2, ... as in the figure"),
            ("accuracy", "probability of a correct answer; a wrong answer is another class drawn at random"),
            ("weak class", "a class answered with an accuracy of its own (none: every class alike)"),
            ("accuracy on that class", "replaces the accuracy for samples of the weak class"),
            (f"bias to class {majority}", f"share of answers replaced by {majority}, the most frequent class"),
        ]
        cells = [widgets.HTML(f"<b>{text}</b>", tooltip=tip) for text, tip in headers]
        for k, (profile, controls) in enumerate(zip(self._initial_profiles, self.annotator_controls, strict=True)):
            cells.append(widgets.HTML(f"A{k + 1} {profile.name}", tooltip=repr(profile)))
            if controls is None:
                note = widgets.HTML(f"<i>{type(profile).__name__}: stays as given</i>", tooltip=repr(profile))
                note.layout.grid_column = "2 / span 4"
                cells.append(note)
            else:
                cells.extend(controls.as_tuple())
        grid = widgets.GridBox(
            cells,
            layout=widgets.Layout(
                grid_template_columns="140px minmax(130px, 1fr) 92px minmax(130px, 1fr) minmax(130px, 1fr)",
                grid_gap="0px 10px",
                align_items="center",
                width=f"{FIGURE_WIDTH_PX}px",
                max_width="100%",
            ),
        )
        intro = widgets.HTML(
            "<b>Build your own crowd.</b> One row per annotator. Releasing a slider or picking a class draws the "
            "crowd again and redraws the figure below; a changed annotator is called <i>custom</i>."
        )
        reset = widgets.Button(
            description="Reset to the starting crowd", icon="undo", layout=widgets.Layout(width="230px")
        )
        reset.on_click(lambda _button: self.reset())
        return widgets.VBox([intro, grid, reset])

    @contextmanager
    def _hold(self):
        """Change several controls, then redraw once (the caller redraws)."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
            self._sync_enabled()


def _text_figure(text, max_chars=125):
    """A strip of text the width of the composed image, broken only after " · " (a plain Figure, not in pyplot)."""
    lines = [""]
    for part in text.split(" · "):
        joined = f"{lines[-1]} · {part}" if lines[-1] else part
        if len(joined) <= max_chars or not lines[-1]:
            lines[-1] = joined
        else:
            lines[-1] += " ·"
            lines.append(part)
    width, line_height = _INCHES["caption"]
    fig = Figure(figsize=(width, line_height * len(lines)))
    fig.text(0.005, 0.5, "\n".join(lines), va="center", ha="left", fontsize=10)
    return fig


def _draw(fig, width, height):
    """Pixels of ``fig`` drawn at ``width`` x ``height`` inches and the display scale, shape (h, w, 3) uint8.

    The figure is drawn once on an Agg canvas of its own, independent of the pyplot backend (inline, ipympl, Agg).
    """
    fig.set_size_inches(width, height)
    fig.set_dpi(_PX_PER_INCH * _RENDER_SCALE)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3]


def _png(pixels):
    """Bytes of a PNG of ``pixels`` (h, w, 3) uint8."""
    out = io.BytesIO()
    PILImage.fromarray(pixels).save(out, format="png")
    return out.getvalue()


def _compose(figures):
    """One PNG of the figures in ``_ROWS``, each resized to ``_INCHES`` (the caption keeps its height)."""
    pixels = {}
    for key, fig in figures.items():
        width, height = _INCHES[key]
        pixels[key] = _draw(fig, width, height if key != "caption" else fig.get_figheight())
    rows = [[pixels[key] for key in row] for row in _ROWS]
    width = max(sum(p.shape[1] for p in row) for row in rows)
    heights = [max(p.shape[0] for p in row) for row in rows]
    image = np.full((sum(heights), width, 3), 255, dtype=np.uint8)
    top = 0
    for row, height in zip(rows, heights, strict=True):
        left = 0
        for p in row:
            image[top : top + p.shape[0], left : left + p.shape[1]] = p
            left += p.shape[1]
        top += height
    return _png(image)


def crowd_explorer(data, profiles=None, random_state=0, vote_random_state=0):
    """Controls to edit a simulated crowd, and a figure of the crowd redrawn on every change.

    Each annotator gets a row of controls: its accuracy, a weak class (none or one class)
    with an accuracy of its own, and a bias towards the majority class of ``data.y_train``
    (a bias > 0 composes ``MajorityClassBiasedAnnotator(bias, base=NoisyAnnotator(...))``).
    Any change draws the crowd again, ``simulate_crowd(data.y_train, data.classes,
    profiles, random_state)``, and redraws one image: a line stating every annotator's
    setting; each annotator's accuracy (bars; dashed line: the majority vote of all);
    the majority vote of k annotators drawn at random per sample, k = 1 .. n; the
    confusion matrices. The figures are the package's own (``plotting``), resized to fit
    JupyterLab's output area. The starting state is exactly ``profiles``: with the defaults
    the crowd is ``simulate_crowd(data.y_train, data.classes)``, the reference tutorial's.
    The same control values always give the same crowd.

    Parameters
    ----------
    data : DataSplit
        Its training half is labelled (``y_train`` of shape (n_samples,), ``classes``).
    profiles : sequence of annotator profiles, default=None
        The starting crowd; ``None`` means ``default_crowd()``. A ``NoisyAnnotator`` with
        at most one class accuracy, or a ``MajorityClassBiasedAnnotator`` whose base is such
        a profile or ``None``, gets controls; any other profile (a spammer, an annotator that
        depends on the sample, which sees ``data.X_train``, ...) stays as given.
    random_state : int >= 0, default=0
        Seed of the crowd's draws (``simulate_crowd``).
    vote_random_state : int >= 0, default=0
        Seed of the choice of voters and of the tie-breaking in the majority votes.

    Returns
    -------
    CrowdExplorer
        Show it as the last expression of a cell: two outputs appear, the controls and the
        figure, a plain PNG image replaced in place on every change (so the notebook never
        holds two figures). Where no widget frontend runs (GitHub, ``nbconvert --to html``, an
        executed copy opened untrusted) the image still shows the crowd as saved and the
        controls show as text. From code: ``explorer.annotator_controls[0].accuracy.value =
        0.5`` moves a control, ``explorer.profiles`` is the crowd the controls describe and
        ``explorer.view`` holds what was drawn (labels, accuracies, figures, PNG).

    Raises
    ------
    TypeError
        ``data`` is not a DataSplit; ``profiles`` is not a sequence of profiles with an
        ``annotate`` method and a name; a seed is not an integer.
    ValueError
        ``profiles`` is empty; a seed is negative; a class accuracy names a class not in
        ``data.classes``.
    """
    return CrowdExplorer(data, profiles, random_state=random_state, vote_random_state=vote_random_state)


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
