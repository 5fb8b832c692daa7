import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from crowdal_utils.crowds.confusions import annotator_confusion_matrices
from crowdal_utils.experiment.config import ExperimentConfig
from crowdal_utils.experiment.loop import run_experiment
from crowdal_utils.views.crowd_figures import (
    plot_annotator_accuracies,
    plot_confusion_matrices,
    plot_digit_examples,
    plot_majority_vote_accuracy,
)
from crowdal_utils.views.results_figures import plot_annotator_usage, plot_learning_curves, plot_test_accuracies


@pytest.fixture(scope="module")
def results(data, crowd):
    config = ExperimentConfig(n_repetitions=2, n_cycles=2, query_batch_size=16, max_epochs=1)
    return run_experiment(config, data, crowd, progress=False, n_jobs=1, reuse=False)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_learning_curves_have_one_line_and_band_per_classifier(results):
    fig = plot_learning_curves(results)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    for ax in fig.axes:
        assert len(ax.get_lines()) == 2 and len(ax.collections) == 2
        np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [16, 32])
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels[0].startswith("Majority vote (MV) · random annotator: 0.")
        assert labels[1].startswith("Annot-Mix · own estimate: 0.")
    mean = results.curves("annot-mix/own-estimate/random", "test_accuracy").mean(axis=0)
    np.testing.assert_allclose(fig.axes[0].get_lines()[1].get_ydata(), mean)


def test_crowd_figures(data, crowd):
    names = [f"A{k}" for k in range(5)]
    assert len(plot_annotator_accuracies([0.9, 0.8, 0.7, 0.8, 0.6], names, 0.85).axes) == 1
    fig = plot_confusion_matrices(annotator_confusion_matrices(crowd, data.y_train, data.classes), data.classes, names)
    assert len(fig.axes) == 6  # five heatmaps and a colour bar
    assert isinstance(plot_majority_vote_accuracy([1, 2, 3], [0.7, 0.75, 0.85], 0.95), Figure)


@pytest.mark.parametrize(
    "accuracies, best_single, bottom",
    [([0.784, 0.774, 0.918], 0.949, 0.5), ([0.3, 0.35, 0.4], None, 0.3), ([0.6, 0.7, 0.8], 0.45, 0.4)],
)
def test_the_majority_vote_axis_is_not_zoomed_in_and_every_point_is_labelled(accuracies, best_single, bottom):
    ax = plot_majority_vote_accuracy([1, 2, 3], accuracies, best_single).axes[0]
    assert ax.get_ylim()[0] == pytest.approx(bottom) and ax.get_ylim()[1] >= 1.0
    assert [t.get_text() for t in ax.texts] == [f"{a:.3f}" for a in accuracies]
    assert isinstance(plot_test_accuracies({"true labels": 0.95, "MV": 0.9}), Figure)


def test_annotator_usage_shares_sum_to_one(results):
    fig = plot_annotator_usage(results)
    widths = np.array([[p.get_width() for p in c] for c in fig.axes[0].containers])
    np.testing.assert_allclose(widths.sum(axis=0), 1.0)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda r: plot_learning_curves(r.to_dict()), TypeError, "results"),
        (lambda r: plot_learning_curves(r, metrics=("f1",)), ValueError, "metrics"),
        (lambda r: plot_annotator_usage(None), TypeError, "results"),
        (lambda r: plot_annotator_accuracies([0.9, 0.8], ["only one"]), ValueError, "annotator_names"),
        (lambda r: plot_annotator_accuracies([[0.9]], ["a"]), ValueError, "accuracies"),
        (lambda r: plot_confusion_matrices(np.ones((2, 3, 3)), [0, 1], ["a", "b"]), ValueError, "confusions"),
        (lambda r: plot_majority_vote_accuracy([1, 2], [0.5]), ValueError, "n_voters"),
        (lambda r: plot_test_accuracies({}), ValueError, "accuracies"),
        (lambda r: plot_test_accuracies({"MV": float("nan")}), ValueError, "accuracies"),
        (lambda r: plot_annotator_accuracies([0.9, 1.2], ["a", "b"]), ValueError, "accuracies"),
        (lambda r: plot_annotator_accuracies([0.9, np.nan], ["a", "b"]), ValueError, "accuracies"),
        (
            lambda r: plot_annotator_accuracies([0.9, 0.8], ["a", "b"], reference_line=-0.1),
            ValueError,
            "reference_line",
        ),
        (lambda r: plot_annotator_accuracies([0.9, 0.8], ["a", "b"], estimated=[0.5, 2]), ValueError, "estimated"),
        (lambda r: plot_annotator_accuracies([0.9, 0.8], ["a", "b"], estimated=[0.5]), ValueError, "estimated"),
        (lambda r: plot_confusion_matrices(np.full((1, 2, 2), np.nan), [0, 1], ["a"]), ValueError, "confusions"),
        (lambda r: plot_majority_vote_accuracy([1, 2], [0.5, 1.5]), ValueError, "accuracies"),
        (lambda r: plot_majority_vote_accuracy([1, 2], [0.5, 0.6], best_single=np.nan), ValueError, "best_single"),
    ],
)
def test_bad_input_is_rejected(results, call, err, match):
    with pytest.raises(err, match=match):
        call(results)


def test_the_loop_diagram_has_four_steps_in_order_and_four_arrows():
    from matplotlib.patches import FancyArrowPatch

    from crowdal_utils.views.results_figures import plot_active_learning_loop

    ax = plot_active_learning_loop().axes[0]
    titles = [t.get_text() for t in ax.texts if "·" in t.get_text()]
    assert titles == ["1 · query", "2 · reveal", "3 · retrain", "4 · measure"]
    assert sum(isinstance(p, FancyArrowPatch) for p in ax.patches) == 4


def test_digit_examples_show_one_image_per_class(data):
    fig = plot_digit_examples(data.X_train, data.y_train, data.classes)
    assert [ax.get_title() for ax in fig.axes] == [str(c) for c in data.classes]
    with pytest.raises(ValueError, match="X"):
        plot_digit_examples(data.X_train[:5], data.y_train, data.classes)


@pytest.mark.parametrize("name", ["curves", "", "sub/curves.png", "curves.txt", None, ".."])
def test_save_figure_names_a_bad_file_name(name, tmp_path, monkeypatch):
    from crowdal_utils.views.style import save_figure

    monkeypatch.setenv("CROWDAL_RESULTS_DIR", str(tmp_path))
    fig = plt.figure()
    with pytest.raises(ValueError, match="`name`"):
        save_figure(fig, name)
    assert list(tmp_path.iterdir()) == []
    assert save_figure(fig, "curves.svg") == tmp_path / "curves.svg" and (tmp_path / "curves.svg").is_file()
