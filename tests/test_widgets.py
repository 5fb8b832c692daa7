"""The crowd explorer: driven headless through its controls, checked against the metrics it claims to show."""

import base64
import io
import os

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from PIL import Image

from crowdal_utils.crowds import MajorityClassBiasedAnnotator, NoisyAnnotator, default_crowd, simulate_crowd
from crowdal_utils.crowds.confusions import annotator_confusion_matrices
from crowdal_utils.crowds.metrics import annotator_accuracies, majority_vote_accuracy
from crowdal_utils.crowds.presets import instance_dependent_crowd
from crowdal_utils.crowds.simulation import annotator_names
from crowdal_utils.views import rendering as widgets
from crowdal_utils.views.crowd_widget import NO_WEAK_CLASS, crowd_explorer
from crowdal_utils.views.rendering import FIGURE_WIDTH_PX
from crowdal_utils.views.results_widget import results_explorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def explorer(data):
    """One explorer for the read-only checks of the starting state."""
    return crowd_explorer(data)


def bars(view):
    """Heights of the accuracy bars and of the dashed majority-vote line, as drawn."""
    ax = view.figures["accuracies"].axes[0]
    return np.array([bar.get_height() for bar in ax.containers[0]]), ax.lines[0].get_ydata()[0]


def heatmaps(view):
    """The confusion matrices as drawn, shape (n_annotators, n_classes, n_classes), and their titles."""
    axes = view.figures["confusions"].axes[: len(view.names)]
    return np.stack([np.asarray(ax.images[0].get_array()) for ax in axes]), [ax.get_title() for ax in axes]


def vote_curve(view):
    return view.figures["majority_vote"].axes[0].lines[0].get_ydata()


def test_starting_state_is_the_default_crowd_and_the_figures_show_its_metrics(data, explorer):
    view = explorer.view
    assert explorer.profiles == default_crowd() == view.profiles
    assert np.array_equal(view.crowd_labels, simulate_crowd(data.y_train, data.classes))
    heights, line = bars(view)
    np.testing.assert_allclose(heights, annotator_accuracies(view.crowd_labels, data.y_train))
    assert line == majority_vote_accuracy(view.crowd_labels, data.y_train, data.classes)
    drawn, titles = heatmaps(view)
    np.testing.assert_allclose(drawn, annotator_confusion_matrices(view.crowd_labels, data.y_train, data.classes))
    assert titles == annotator_names() == view.names
    expected = [majority_vote_accuracy(view.crowd_labels, data.y_train, data.classes, n_voters=k) for k in range(1, 6)]
    np.testing.assert_allclose(vote_curve(view), expected)
    assert view.caption.endswith("A1 95% · A2 85% · A3 70% · A4 85%, on 9: 40% · A5 bias 50%")


def test_lowering_an_accuracy_lowers_its_bar_and_its_diagonal(data):
    explorer = crowd_explorer(data)
    before, _ = heatmaps(explorer.view)
    explorer.annotator_controls[0].accuracy.value = 0.5
    view = explorer.view
    assert view.profiles[0] == NoisyAnnotator(0.5, name="custom") and view.profiles[1:] == default_crowd()[1:]
    heights, _ = bars(view)
    assert abs(heights[0] - 0.5) < 0.05  # 898 samples: one standard deviation is 0.017
    drawn, titles = heatmaps(view)
    assert before[0].diagonal().mean() > 0.9 and abs(drawn[0].diagonal().mean() - 0.5) < 0.06
    assert titles[0] == "A1 custom" and "A1 50%" in view.caption
    np.testing.assert_allclose(heights, annotator_accuracies(view.crowd_labels, data.y_train))


def test_a_weak_class_changes_that_row_only(data):
    explorer = crowd_explorer(data)
    controls = explorer.annotator_controls[1]
    assert controls.weak_class.label == "none" and controls.weak_class_accuracy.disabled  # A2 has no weak class
    before, _ = heatmaps(explorer.view)
    controls.weak_class_accuracy.value = 0.2
    assert explorer.profiles == default_crowd()  # a disabled slider changes nothing
    controls.weak_class.value = 3
    assert not controls.weak_class_accuracy.disabled
    assert explorer.profiles[1] == NoisyAnnotator(0.85, class_accuracy={3: 0.2}, name="custom")
    after, _ = heatmaps(explorer.view)
    assert abs(after[1, 3, 3] - 0.2) < 0.15 < before[1, 3, 3] - 0.5  # ~90 threes: one standard deviation 0.04
    # The same uniform draw decides right or wrong for every sample, so the other rows' diagonals stay put.
    others = np.arange(10) != 3
    np.testing.assert_array_equal(after[1].diagonal()[others], before[1].diagonal()[others])
    assert "A2 85%, on 3: 20%" in explorer.view.caption
    controls.weak_class.value = NO_WEAK_CLASS
    assert controls.weak_class_accuracy.disabled and explorer.profiles == default_crowd()


def test_a_bias_forces_the_majority_class_column(data):
    explorer = crowd_explorer(data)
    majority = int(np.bincount(data.y_train).argmax())
    explorer.annotator_controls[0].bias.value = 0.6
    base = NoisyAnnotator(0.95, name="custom")
    assert explorer.profiles[0] == MajorityClassBiasedAnnotator(0.6, base=base, name="custom")
    drawn, _ = heatmaps(explorer.view)
    assert np.all(drawn[0][:, majority] > 0.4)  # 0.6 expected in every row
    assert f"bias to class {majority}" in explorer.view.caption and "A1 95%, bias 60%" in explorer.view.caption
    # Without its bias, the fifth annotator (whose base is the true label) is always right.
    explorer.annotator_controls[4].bias.value = 0.0
    assert explorer.profiles[4] == NoisyAnnotator(1.0, name="custom")
    assert bars(explorer.view)[0][4] == 1.0


def test_the_vote_curve_and_line_follow_the_crowd_and_their_seed(data):
    explorer = crowd_explorer(data, vote_random_state=3)
    explorer.annotator_controls[2].accuracy.value = 0.3
    view = explorer.view
    z = view.crowd_labels
    expected = [majority_vote_accuracy(z, data.y_train, data.classes, n_voters=k, random_state=3) for k in range(1, 6)]
    np.testing.assert_allclose(vote_curve(view), expected)
    assert bars(view)[1] == majority_vote_accuracy(z, data.y_train, data.classes, random_state=3)
    other_seed = crowd_explorer(data, vote_random_state=4)
    other_seed.annotator_controls[2].accuracy.value = 0.3
    assert np.array_equal(other_seed.view.crowd_labels, z)  # the vote's seed does not touch the crowd
    assert not np.array_equal(vote_curve(other_seed.view), vote_curve(view))


def test_same_controls_same_crowd_and_reset_brings_back_the_start(data):
    first, second = crowd_explorer(data), crowd_explorer(data)
    for explorer in (first, second):
        explorer.annotator_controls[3].weak_class.value = 5
        explorer.annotator_controls[1].accuracy.value = 0.6
    assert np.array_equal(first.view.crowd_labels, second.view.crowd_labels)
    assert not np.array_equal(first.view.crowd_labels, simulate_crowd(data.y_train, data.classes))
    assert not np.array_equal(crowd_explorer(data, random_state=1).view.crowd_labels, simulate_crowd(data.y_train))
    first.reset()
    assert first.profiles == default_crowd() and first.annotator_controls[3].weak_class.value == 9
    assert np.array_equal(first.view.crowd_labels, simulate_crowd(data.y_train, data.classes))
    # Moving a control back by hand also restores the starting profile, name and crowd.
    second.annotator_controls[3].weak_class.value = 9
    second.annotator_controls[1].accuracy.value = 0.85
    assert second.view.names == annotator_names()
    assert np.array_equal(second.view.crowd_labels, first.view.crowd_labels)


def test_profiles_without_controls_stay_as_given_and_the_start_is_exact(data):
    two_weak_classes = NoisyAnnotator(0.9, class_accuracy={1: 0.5, 2: 0.5}, name="two weak")
    looks_at_the_images = instance_dependent_crowd()[0]  # needs X
    # Rebuilt from its controls this would draw differently (a perfect base is the true label, no draws).
    noisy_perfect_base = MajorityClassBiasedAnnotator(0.3, base=NoisyAnnotator(1.0), name="biased")
    crowd = (two_weak_classes, looks_at_the_images, noisy_perfect_base, NoisyAnnotator(0.8, name="plain"))
    explorer = crowd_explorer(data, crowd, random_state=7)
    assert [controls is None for controls in explorer.annotator_controls] == [True, True, False, False]
    expected = simulate_crowd(data.y_train, data.classes, crowd, 7, X=data.X_train)
    assert np.array_equal(explorer.view.crowd_labels, expected)
    explorer.annotator_controls[3].accuracy.value = 0.4
    assert explorer.profiles[:3] == crowd[:3] and "A1 two weak (fixed) · A2 careful (fixed)" in explorer.view.caption
    assert len(explorer.view.figures["confusions"].axes) == 5  # four heatmaps and a colour bar


def test_figures_are_closed_and_the_image_is_one_png_of_the_display_width(data):
    open_before = plt.get_fignums()
    explorer = crowd_explorer(data)
    for accuracy in (0.6, 0.7, 0.8):
        explorer.annotator_controls[0].accuracy.value = accuracy
    assert plt.get_fignums() == open_before  # nothing left for the inline backend, nothing piling up
    image = Image.open(io.BytesIO(explorer.view.png))
    assert image.format == "PNG" and image.width == 2 * FIGURE_WIDTH_PX  # drawn at twice the shown size
    assert "A1 custom: accuracy 0.7" in repr(explorer)  # the text shown where widgets cannot render


def test_display_shows_controls_then_the_image_and_a_change_replaces_the_image(data, monkeypatch):
    published = []

    def recorder(kind):
        return lambda obj, **options: published.append((kind, obj, options))

    monkeypatch.setattr(widgets, "display", recorder("display"))
    monkeypatch.setattr(widgets, "update_display", recorder("update"))
    explorer = crowd_explorer(data)
    assert not published  # nothing is shown before the explorer is
    explorer._ipython_display_()  # what IPython calls for the last expression of a cell
    (_, controls, _), (_, figure, options) = published
    assert WIDGET_VIEW in controls and controls["text/plain"] == explorer.describe()
    assert base64.b64decode(figure["image/png"]) == explorer.view.png and figure["text/plain"] == explorer.view.caption
    assert options["raw"] and options["metadata"] == {"image/png": {"width": FIGURE_WIDTH_PX}}
    explorer.annotator_controls[0].accuracy.value = 0.5
    kind, updated, update_options = published[-1]
    assert len(published) == 3 and kind == "update" and update_options["display_id"] == options["display_id"]
    assert "A1 50%" in updated["text/plain"] and base64.b64decode(updated["image/png"]) == explorer.view.png
    explorer.annotator_controls[1].weak_class_accuracy.value = 0.1  # no weak class: the crowd stays, no redraw
    assert len(published) == 3


def test_bad_arguments_name_the_argument(data):
    with pytest.raises(TypeError, match="`data`"):
        crowd_explorer(data.y_train)
    with pytest.raises(ValueError, match="`profiles`"):
        crowd_explorer(data, profiles=[])
    with pytest.raises(TypeError, match=r"`profiles\[1\]`"):
        crowd_explorer(data, profiles=[NoisyAnnotator(0.9), "an annotator"])
    with pytest.raises(ValueError, match=r"`profiles\[0\]`.*12"):
        crowd_explorer(data, profiles=[NoisyAnnotator(0.9, class_accuracy={12: 0.5})])
    with pytest.raises(ValueError, match="`random_state`"):
        crowd_explorer(data, random_state=-1)
    with pytest.raises(TypeError, match="`random_state`"):
        crowd_explorer(data, random_state=0.5)
    with pytest.raises(TypeError, match="`vote_random_state`"):
        crowd_explorer(data, vote_random_state="0")


def test_in_a_kernel_the_figure_is_an_image_output_replaced_in_place(tmp_path):
    """Executed like `make run` does: a widget output, then the figure as a plain image; a change replaces the image.

    A reader without a widget frontend still sees the figure: nbconvert's HTML holds it as an <img>.
    """
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from crowdal_utils.data import load_digits_split\nfrom crowdal_utils.views import crowd_explorer\n"
            "explorer = crowd_explorer(load_digits_split())\nexplorer"
        ),
        nbformat.v4.new_code_cell("explorer.annotator_controls[0].accuracy.value = 0.5"),
    ]
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env={**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"})
    shown, after_change = nb.cells[0].outputs, nb.cells[1].outputs
    assert [output.output_type for output in shown] == ["display_data", "display_data"] and not after_change
    controls, figure = shown
    assert WIDGET_VIEW in controls.data and "A1 near-perfect: accuracy 0.949" in controls.data["text/plain"]
    assert set(figure.data) == {"image/png", "text/plain"} and figure.metadata["image/png"]["width"] == FIGURE_WIDTH_PX
    assert "A1 50% · A2 85%" in figure.data["text/plain"]  # the second cell's change replaced the first cell's image
    assert Image.open(io.BytesIO(base64.b64decode(figure.data["image/png"]))).width == 2 * FIGURE_WIDTH_PX
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata["widgets"]  # stored, as nbconvert does
    html, _ = HTMLExporter().from_notebook_node(nb)
    assert html.count("<img") == 1 and 'src="data:image/png;base64,' in html


# ---------------------------------------------------------------------------------------------------------------------
# The results explorer, on hand-made results (no training): every curve differs by arm, repetition and cycle.

#: Three learners, two annotator choices, two sample strategies; most combinations are absent (no oracle, no BADGE,
#: no majority vote by its own estimate).
EXPLORED_ARMS = (
    "majority-vote/random/random",
    "majority-vote/random/margin",
    "annot-mix/random/random",
    "annot-mix/own-estimate/random",
    "annot-mix/own-estimate/margin",
    "true-labels/random/random",
)
N_REPS, N_CYCLES = 3, 4


def _explored_record(arm, repetition, cycle, with_costs):
    learner, choice, strategy = arm.split("/")
    level = 0.5 + 0.06 * EXPLORED_ARMS.index(arm) if arm in EXPLORED_ARMS else 0.6
    accuracy = level + 0.04 * cycle + 0.01 * repetition**2
    labels = 10 * cycle + (repetition if with_costs else 0)  # with costs the label counts may differ
    return {
        "arm": arm,
        "learner": learner,
        "choice": choice,
        "strategy": strategy,
        "repetition": repetition,
        "cycle": cycle,
        "n_annotations": labels,
        "cost": 25.0 * cycle - 2.0 * repetition if with_costs else float(labels),
        "test_accuracy": accuracy,
        "correct_annotation_rate": 1.0 - accuracy / 2 - 0.02 * cycle,
        "annotations_per_annotator": [labels, 0],
        "estimated_accuracy": None,
        "best_annotator_share": None,
        "second_opinions": 0,
        "second_opinions_first_wrong": 0,
        "multi_labelled": 0,
        "multi_labelled_correct": 0,
        "n_labelled_samples": labels,
        "training_label_accuracy": None,
        "lone_labels_changed": None,
    }


def explored_results(arms=EXPLORED_ARMS, with_costs=False):
    from crowdal_utils.experiment.config import ExperimentConfig
    from crowdal_utils.experiment.results import ExperimentResults
    from crowdal_utils.selection.costs import AnnotatorCosts

    costs = {"annotator_costs": AnnotatorCosts([1.0, 3.0]), "budget_per_cycle": 25.0} if with_costs else {}
    config = ExperimentConfig(n_repetitions=N_REPS, n_cycles=N_CYCLES, query_batch_size=10, arms=arms, **costs)
    records = [
        _explored_record(arm, rep, cycle, with_costs)
        for arm in arms
        for rep in range(N_REPS)
        for cycle in range(1, N_CYCLES + 1)
    ]
    return ExperimentResults(config.to_dict(), records, ["A1", "A2"], versions={})


@pytest.fixture(scope="module")
def curves_results():
    return explored_results()


def drawn_lines(explorer):
    """{arm key: Line2D} of the figure shown, matched through the legend text 'label: curve mean'."""
    by_label = {explorer.results.label(arm): arm for arm in explorer.results.arms}
    (ax,) = explorer.figure.axes
    return {by_label[line.get_label().rsplit(": ", 1)[0]]: line for line in ax.get_lines()}


def test_controls_offer_exactly_what_the_results_contain(curves_results):
    explorer = results_explorer(curves_results)
    assert {dim: list(toggles) for dim, toggles in explorer.toggles.items()} == {
        "learner": ["majority-vote", "annot-mix", "true-labels"],
        "choice": ["random", "own-estimate"],  # no oracle: no arm asks it
        "strategy": ["random", "margin"],  # no BADGE
    }
    assert [t.description for t in explorer.toggles["learner"].values()] == [
        "Majority vote (MV)",
        "Annot-Mix",
        "True labels (ceiling)",
    ]
    assert explorer.toggles["strategy"]["margin"].description == "uncertainty (margin)"
    assert explorer.selected_arms == curves_results.arms and explorer.fixed == {}
    assert set(drawn_lines(explorer)) == set(curves_results.arms)
    # Absent combinations never appear, whatever is switched on: majority vote by its own estimate does not exist.
    explorer.toggles["learner"]["annot-mix"].value = False
    explorer.toggles["choice"]["random"].value = False
    assert explorer.selected_arms == () and explorer.figure is None
    assert "no arm that combines" in explorer.view.caption and "own estimate" in explorer.view.caption
    explorer.toggles["learner"]["annot-mix"].value = True
    assert explorer.selected_arms == ("annot-mix/own-estimate/random", "annot-mix/own-estimate/margin")
    assert set(drawn_lines(explorer)) == set(explorer.selected_arms)


def test_deselecting_a_learner_removes_exactly_its_lines_and_keeps_the_others_as_they_were(curves_results):
    explorer = results_explorer(curves_results)
    before = {arm: (line.get_ydata().copy(), line.get_color()) for arm, line in drawn_lines(explorer).items()}
    explorer.toggles["learner"]["majority-vote"].value = False
    after = drawn_lines(explorer)
    assert set(before) - set(after) == {"majority-vote/random/random", "majority-vote/random/margin"}
    assert explorer.selected_arms == tuple(arm for arm in curves_results.arms if not arm.startswith("majority-vote"))
    for arm, line in after.items():  # the same heights and the same colour as before
        np.testing.assert_array_equal(line.get_ydata(), before[arm][0])
        assert line.get_color() == before[arm][1]
    assert explorer.toggles["learner"]["majority-vote"].icon == "" and explorer.toggles["learner"]["annot-mix"].icon
    explorer.toggles["strategy"]["margin"].value = False
    assert set(drawn_lines(explorer)) == {"annot-mix/random/random", "annot-mix/own-estimate/random", EXPLORED_ARMS[-1]}


def test_lines_are_the_mean_curves_against_the_labels_acquired(curves_results):
    explorer = results_explorer(curves_results)
    lines = drawn_lines(explorer)
    assert explorer.x_axis == "labels" and explorer.figure.axes[0].get_xlabel() == "acquired annotations"
    for arm, line in lines.items():
        np.testing.assert_allclose(line.get_ydata(), curves_results.curves(arm, "test_accuracy").mean(0))
        np.testing.assert_allclose(line.get_xdata(), curves_results.n_annotations(arm))
    # The curves differ by arm, so the check above tells the arms apart.
    assert len({tuple(line.get_ydata()) for line in lines.values()}) == len(lines)


def test_switching_the_metric_changes_the_label_and_the_data(curves_results):
    explorer = results_explorer(curves_results)
    assert explorer.figure.axes[0].get_ylabel() == "Test accuracy"
    accuracy = {arm: line.get_ydata().copy() for arm, line in drawn_lines(explorer).items()}
    explorer.metric_control.value = "correct_annotation_rate"
    assert explorer.metric == explorer.view.metric == "correct_annotation_rate"
    assert explorer.figure.axes[0].get_ylabel() == "Correct-annotation rate"
    for arm, line in drawn_lines(explorer).items():
        expected = curves_results.curves(arm, "correct_annotation_rate").mean(0)
        np.testing.assert_allclose(line.get_ydata(), expected)
        assert not np.allclose(expected, accuracy[arm])
    assert explorer.view.caption.startswith("Correct-annotation rate against acquired annotations")
    started_on_rate = results_explorer(curves_results, metric="correct_annotation_rate")
    assert started_on_rate.figure.axes[0].get_ylabel() == "Correct-annotation rate"


def test_a_dimension_with_one_value_has_no_control():
    arms = ("majority-vote/random/random", "annot-mix/own-estimate/random", "annot-mix/random/random")
    explorer = results_explorer(explored_results(arms))
    assert list(explorer.toggles) == ["learner", "choice"] and explorer.fixed == {"strategy": "random"}
    assert "sample strategy <i>random sampling</i>" in explorer.controls.children[0].value
    assert explorer.switched_on("strategy") == ("random",)
    single = results_explorer(explored_results(arms[:1]))
    assert single.toggles == {} and len(single.controls.children) == 2  # the sentence and the metric switch
    assert set(drawn_lines(single)) == {arms[0]}


def test_results_with_costs_are_drawn_against_the_cost_spent():
    arms = ("majority-vote/random/random", "annot-mix/own-estimate/random")
    results = explored_results(arms, with_costs=True)
    explorer = results_explorer(results)
    assert explorer.x_axis == "cost"
    xlabel = explorer.figure.axes[0].get_xlabel()
    assert xlabel.startswith("cost units spent") and "25 units per cycle" in xlabel and xlabel in explorer.view.caption
    assert "against the cost spent" in explorer.controls.children[0].value
    for arm, line in drawn_lines(explorer).items():
        np.testing.assert_allclose(line.get_xdata(), results.cost_spent(arm))  # 25, 50, ... less the mean of 2 * rep
        np.testing.assert_allclose(line.get_ydata(), results.curves(arm, "test_accuracy").mean(0))
    assert not np.allclose(results.cost_spent(arms[0]), results.n_annotations(arms[0]))


def test_an_empty_selection_shows_a_message_instead_of_a_figure(curves_results, monkeypatch):
    published = []
    monkeypatch.setattr(widgets, "display", lambda obj, **options: published.append(("display", obj, options)))
    monkeypatch.setattr(widgets, "update_display", lambda obj, **options: published.append(("update", obj, options)))
    open_before = plt.get_fignums()
    explorer = results_explorer(curves_results)
    explorer._ipython_display_()  # what IPython calls for the last expression of a cell
    (_, controls, _), (_, figure, options) = published
    assert WIDGET_VIEW in controls and controls["text/plain"] == explorer.describe()
    assert base64.b64decode(figure["image/png"]) == explorer.view.png
    assert options["metadata"] == {"image/png": {"width": FIGURE_WIDTH_PX}}
    assert Image.open(io.BytesIO(explorer.view.png)).width == 2 * FIGURE_WIDTH_PX
    for toggle in explorer.toggles["choice"].values():
        toggle.value = False
    kind, message, update_options = published[-1]
    assert kind == "update" and update_options["display_id"] == options["display_id"]
    assert explorer.figure is None and explorer.view.png is None and explorer.selected_arms == ()
    expected = "Nothing to draw: switch on at least one annotator choice."
    assert explorer.view.caption == message["text/plain"] == expected and "image/png" not in message
    assert expected in message["text/html"]
    explorer.toggles["learner"]["true-labels"].value = False  # still nothing selected: no redraw
    assert len(published) == 4
    explorer.toggles["choice"]["own-estimate"].value = True
    kind, figure_again, _ = published[-1]
    assert kind == "update" and base64.b64decode(figure_again["image/png"]) == explorer.view.png
    assert set(drawn_lines(explorer)) == {"annot-mix/own-estimate/random", "annot-mix/own-estimate/margin"}
    assert "Annot-Mix · own estimate · uncertainty (margin): " in figure_again["text/plain"]
    assert plt.get_fignums() == open_before  # every figure closed in pyplot: nothing piles up


def test_results_explorer_bad_arguments_name_the_argument(curves_results):
    from crowdal_utils.experiment.config import ExperimentConfig
    from crowdal_utils.experiment.results import ExperimentResults

    with pytest.raises(TypeError, match="`results`"):
        results_explorer(curves_results.to_dict())
    with pytest.raises(ValueError, match="`results`"):
        results_explorer(ExperimentResults(ExperimentConfig().to_dict(), [], ["A1"], versions={}))
    with pytest.raises(ValueError, match="`metric`"):
        results_explorer(curves_results, metric="accuracy")
    with pytest.raises(TypeError, match="`metric`"):
        results_explorer(curves_results, metric=["test_accuracy"])
    with pytest.raises(ValueError, match="`dimension`"):
        results_explorer(curves_results).switched_on("learners")


def test_the_explorer_can_start_with_the_telling_arms_and_the_others_one_click_away(curves_results):
    explorer = results_explorer(curves_results, start_with={"learner": ("annot-mix",)})
    assert explorer.selected_arms == tuple(a for a in curves_results.arms if a.startswith("annot-mix"))
    assert set(drawn_lines(explorer)) == set(explorer.selected_arms)
    assert explorer.toggles["learner"]["majority-vote"].icon == "" and explorer.toggles["learner"]["annot-mix"].icon
    for toggle in explorer.toggles["learner"].values():  # the others are one click away
        toggle.value = True
    assert explorer.selected_arms == curves_results.arms
    bad_starts = (({"learner": ("svm",)}, ValueError), ({"colour": "red"}, ValueError), (("annot-mix",), TypeError))
    for bad, error in bad_starts:
        with pytest.raises(error, match="start_with"):
            results_explorer(curves_results, start_with=bad)
