"""The crowd explorer of notebook 01: edit each annotator, see what the crowd becomes.

``crowd_explorer(data)`` shows a row of controls per annotator and, redrawn on every
change, the annotators' accuracies, the majority vote's and the confusion matrices
(shown as :mod:`.rendering` describes).
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .._validation import check_int
from ..crowds.confusions import annotator_confusion_matrices
from ..crowds.metrics import annotator_accuracies, majority_vote_accuracy
from ..crowds.presets import default_crowd
from ..crowds.profiles import MajorityClassBiasedAnnotator, NoisyAnnotator, check_profiles
from ..crowds.simulation import annotator_names, simulate_crowd
from ..data.digits import check_split
from .crowd_figures import plot_annotator_accuracies, plot_confusion_matrices, plot_majority_vote_accuracy
from .rendering import FIGURE_WIDTH_PX, _compose, _image_bundle, _LiveFigure, _text_figure

#: Name of an annotator whose controls no longer show its starting profile.
CUSTOM_NAME = "custom"
#: Value of the weak-class dropdown for "no weak class" (a dropdown's ``None`` would show an empty box).
NO_WEAK_CLASS = "none"


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
