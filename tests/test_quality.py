"""Annotator quality per annotator and per class, on hand-made inputs with known answers; and their figures."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from sklearn.metrics import confusion_matrix

from crowdal_utils.crowds.aggregation import DawidSkeneEstimate, fit_dawid_skene
from crowdal_utils.crowds.confusions import (
    annotator_confusion_matrices,
    class_accuracies,
    confusion_error,
    expected_accuracy,
    worst_classes,
)
from crowdal_utils.evaluation.analysis import compare_arms, paired_difference
from crowdal_utils.evaluation.annotator_quality import (
    LearnedAnnotatorEstimate,
    annotator_quality_table,
    buy_random_labels,
    class_performance,
    confusions_from_annotator_class,
    consensus_agreement,
    learned_annotator_estimates,
)
from crowdal_utils.experiment.config import Arm, ExperimentConfig
from crowdal_utils.experiment.results import ExperimentResults
from crowdal_utils.views.quality_figures import (
    plot_class_accuracies,
    plot_confusion_comparison,
    plot_consensus_agreement,
    plot_correctness_by_difficulty,
)
from crowdal_utils.views.results_figures import plot_crowd_comparison, plot_paired_differences

NAN = np.nan
CLASSES = np.array([0, 1, 2])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def draw_from_confusions(confusions, y_true, seed=0):
    """Every annotator labels every sample: row ``y_true[i]`` of its confusion matrix is the answer's distribution."""
    rng = np.random.default_rng(seed)
    n_annotators, n_classes = confusions.shape[:2]
    z = np.empty((y_true.size, n_annotators))
    for j in range(n_annotators):
        cumulative = confusions[j, y_true].cumsum(axis=1)  # (n_samples, n_classes)
        z[:, j] = (rng.random((y_true.size, 1)) > cumulative).sum(axis=1)
    return z


#: Three annotators on three classes: a good one, one that answers 1 for every 2, one that guesses.
KNOWN = np.array(
    [
        [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]],
        [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.05, 0.9, 0.05]],
        [[1 / 3] * 3] * 3,
    ]
)


# --------------------------------------------------------------------------------------------------------------------
# From labels


def test_confusion_matrices_count_answers_per_reference_class():
    z = np.array([[0, 0], [0, 1], [1, NAN], [1, 1], [2, 2]], dtype=float)
    reference = np.array([0, 0, 1, 1, NAN])  # the last sample has no reference: left out
    confusions = annotator_confusion_matrices(z, reference, CLASSES)
    assert confusions.shape == (2, 3, 3)
    np.testing.assert_allclose(confusions[0, 0], [1, 0, 0])
    np.testing.assert_allclose(confusions[0, 1], [0, 1, 0])
    np.testing.assert_allclose(confusions[1, 0], [0.5, 0.5, 0])
    np.testing.assert_allclose(confusions[1, 1], [0, 1, 0])  # one label on class 1 (the other is NaN)
    assert np.isnan(confusions[:, 2]).all()  # nobody labelled a sample of reference class 2


def test_confusions_against_the_truth_equal_scikit_learns_on_a_complete_crowd():
    y = np.random.default_rng(1).integers(0, 3, 300)
    z = draw_from_confusions(KNOWN, y).astype(np.int64)
    expected = [confusion_matrix(y, z[:, j], labels=CLASSES, normalize="true") for j in range(z.shape[1])]
    np.testing.assert_allclose(annotator_confusion_matrices(z, y, CLASSES), expected)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(reference=[0, 1]), ValueError, r"`reference` must have shape \(3,\)"),
        (dict(reference=[0, 1, 5]), ValueError, r"`reference` holds labels \[5.0\]"),
        (dict(reference=["a", "b", "c"]), TypeError, "`reference` must hold class labels"),
        (dict(crowd_labels=[[0], [1], [7]]), ValueError, "`crowd_labels` holds labels"),
        (dict(crowd_labels="labels"), TypeError, "`crowd_labels` must be an array"),
        (dict(classes=[1]), ValueError, "`classes` must hold at least two"),
    ],
)
def test_confusion_matrices_name_bad_input(kwargs, error, match):
    arguments = dict(crowd_labels=[[0], [1], [2]], reference=[0, 1, 2], classes=CLASSES) | kwargs
    with pytest.raises(error, match=match):
        annotator_confusion_matrices(**arguments)


def test_consensus_agreement_counts_only_samples_with_enough_labels():
    z = np.array([[0, 0, NAN], [1, 2, NAN], [2, NAN, NAN], [NAN, 1, 1]])
    consensus = np.array([0, 1, 1, 1])  # e.g. a model's label: it may differ from a sole answer
    # annotator 0: samples 0 and 1 have two labels (agree, agree); sample 2 it labelled alone (not counted)
    np.testing.assert_allclose(consensus_agreement(z, consensus), [1.0, 2 / 3, 1.0])
    # counting sole labels too, annotator 0 disagrees on sample 2
    np.testing.assert_allclose(consensus_agreement(z, consensus, min_labels=1), [2 / 3, 2 / 3, 1.0])
    only_three = consensus_agreement(z, consensus, min_labels=3)
    assert np.isnan(only_three).all()  # no sample has three labels


def test_consensus_agreement_leaves_out_samples_without_a_consensus():
    z = np.array([[0, 1], [1, 1]], dtype=float)
    np.testing.assert_allclose(consensus_agreement(z, [1, 1]), [0.5, 1.0])
    np.testing.assert_allclose(consensus_agreement(z, [NAN, 1]), [1.0, 1.0])  # sample 0 is not compared


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(consensus=[0, 1]), ValueError, r"`consensus` must have shape \(3,\)"),
        (dict(consensus=np.array(["a", "b", "c"])), TypeError, "`consensus` must hold class labels"),
        (dict(min_labels=0), ValueError, "`min_labels` must be >= 1"),
        (dict(crowd_labels=np.array([["a"], ["b"], ["c"]])), TypeError, "`crowd_labels` must hold class labels"),
    ],
)
def test_consensus_agreement_names_bad_input(kwargs, error, match):
    arguments = dict(crowd_labels=[[0, 0], [1, 1], [2, 1]], consensus=[0, 1, 2]) | kwargs
    with pytest.raises(error, match=match):
        consensus_agreement(**arguments)


def test_buy_random_labels_reveals_that_many_answers_reproducibly():
    z = np.arange(40, dtype=float).reshape(10, 4) % 3
    z[0, 0] = NAN  # an answer that cannot be bought
    bought = buy_random_labels(z, 12, random_state=3)
    given = ~np.isnan(bought)
    assert given.sum() == 12 and not given[0, 0]
    np.testing.assert_array_equal(bought[given], z[given])
    np.testing.assert_array_equal(bought, buy_random_labels(z, 12, random_state=3))
    assert not np.array_equal(given, ~np.isnan(buy_random_labels(z, 12, random_state=4)))
    assert (~np.isnan(buy_random_labels(z, 39))).sum() == 39  # everything there is


def test_buy_random_labels_one_per_sample_labels_that_many_distinct_samples_once():
    z = np.arange(40.0).reshape(10, 4) % 3
    z[2, :3] = np.nan  # sample 2: only the last annotator answers
    z[5] = np.nan  # sample 5: nobody
    for seed in range(5):
        bought = buy_random_labels(z, 9, random_state=seed, one_per_sample=True)
        given = ~np.isnan(bought)
        assert given.sum() == 9 and given.sum(axis=1).max() == 1 and not given[5].any()
        assert np.array_equal(bought[given], z[given])
    np.testing.assert_array_equal(
        buy_random_labels(z, 6, random_state=1, one_per_sample=True),
        buy_random_labels(z, 6, random_state=1, one_per_sample=True),
    )
    whom = {int(np.flatnonzero(~np.isnan(buy_random_labels(z, 9, s, one_per_sample=True))[0])[0]) for s in range(30)}
    assert whom == {0, 1, 2, 3}  # a random annotator, not always the first
    with pytest.raises(ValueError, match="9 samples with an answer"):
        buy_random_labels(z, 10, one_per_sample=True)
    with pytest.raises(TypeError, match="one_per_sample"):
        buy_random_labels(z, 3, one_per_sample=1)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(n_labels=41), ValueError, r"`n_labels`=41 exceeds the 40 answers"),
        (dict(n_labels=0), ValueError, "`n_labels` must be >= 1"),
        (dict(n_labels=2.5), TypeError, "`n_labels` must be an integer"),
        (dict(random_state=-1), ValueError, "`random_state` must be >= 0"),
    ],
)
def test_buy_random_labels_names_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        buy_random_labels(**(dict(crowd_labels=np.zeros((10, 4)), n_labels=5) | kwargs))


# --------------------------------------------------------------------------------------------------------------------
# Dawid–Skene


#: KNOWN plus two fair annotators (85 %): with enough honest voices Dawid–Skene can tell who errs how.
FIVE = np.concatenate([KNOWN, np.tile(np.full((3, 3), 0.075) + np.eye(3) * 0.775, (2, 1, 1))])


def test_dawid_skene_recovers_known_confusion_matrices_from_a_complete_crowd():
    y = np.random.default_rng(0).integers(0, 3, 1500)
    z = draw_from_confusions(FIVE, y)
    estimate = fit_dawid_skene(z, CLASSES)
    assert isinstance(estimate, DawidSkeneEstimate)
    assert estimate.confusions.shape == (5, 3, 3)
    np.testing.assert_allclose(estimate.confusions.sum(axis=2), 1, atol=1e-6)
    assert np.abs(estimate.confusions - FIVE).max() < 0.05  # the 2 -> 1 confusion of annotator 1 included
    assert confusion_error(estimate.confusions, FIVE).max() < 0.02
    np.testing.assert_allclose(estimate.priors, np.bincount(y) / y.size, atol=0.03)
    assert (estimate.labels == y).mean() > 0.95
    assert estimate.posteriors.shape == (1500, 3)
    np.testing.assert_array_equal(estimate.posteriors.argmax(axis=1), estimate.labels)
    np.testing.assert_allclose(estimate.accuracy, [0.9, (0.8 + 0.8 + 0.05) / 3, 1 / 3, 0.85, 0.85], atol=0.03)


def test_dawid_skene_leaves_unlabelled_samples_and_silent_annotators_and_unnamed_classes_nan():
    y = np.random.default_rng(0).integers(0, 2, 200)  # classes 0 and 1 only; class 2 is never named
    z = draw_from_confusions(KNOWN[:2, :2, :2] / KNOWN[:2, :2, :2].sum(axis=2, keepdims=True), y)
    z = np.column_stack([z, np.full(200, NAN)])  # a third annotator who never answered
    z[5] = NAN  # a sample nobody labelled
    estimate = fit_dawid_skene(z, CLASSES)
    assert np.isnan(estimate.labels[5]) and np.isnan(estimate.posteriors[5]).all()
    assert not np.isnan(np.delete(estimate.labels, 5)).any()
    assert np.isnan(estimate.confusions[2]).all()
    assert np.isnan(estimate.confusions[:2, 2]).all()  # no evidence about true class 2
    np.testing.assert_allclose(estimate.confusions[:2, :2, 2], 0)  # and class 2 was never answered
    assert estimate.priors[2] == 0
    assert np.isnan(estimate.accuracy[2]) and (estimate.accuracy[:2] > 0.7).all()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(crowd_labels=np.full((3, 2), NAN)), ValueError, "`crowd_labels` holds no label"),
        (dict(n_iter=0), ValueError, "`n_iter` must be >= 1"),
        (dict(crowd_labels=[[0, 4]]), ValueError, "`crowd_labels` holds labels"),
    ],
)
def test_dawid_skene_names_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_dawid_skene(**(dict(crowd_labels=[[0, 1], [1, 1]], classes=CLASSES) | kwargs))


# --------------------------------------------------------------------------------------------------------------------
# Annot-Mix's outputs


def _answer_distributions(confusions, class_proba):
    """What Annot-Mix's annotator_class returns when every sample's annotators share one confusion matrix each."""
    return np.einsum("it,jta->ija", class_proba, confusions)


@pytest.mark.parametrize("unmix", [True, False])
def test_confusions_from_annotator_class_are_exact_for_a_certain_classifier(unmix):
    y = np.array([0, 0, 1, 2, 2, 2])
    proba = np.eye(3)[y]
    recovered = confusions_from_annotator_class(_answer_distributions(KNOWN, proba), proba, unmix=unmix)
    np.testing.assert_allclose(recovered, KNOWN, atol=1e-12)


def test_unmixing_recovers_the_confusions_behind_a_hesitant_classifier():
    proba = np.random.default_rng(0).dirichlet(np.ones(3), size=50)  # never certain
    answers = _answer_distributions(KNOWN, proba)
    np.testing.assert_allclose(confusions_from_annotator_class(answers, proba), KNOWN, atol=1e-9)
    plain = confusions_from_annotator_class(answers, proba, unmix=False)
    assert (np.diagonal(plain, axis1=1, axis2=2)[0] < 0.8).all()  # the plain mean pulls the 0.9 diagonal down
    np.testing.assert_allclose(plain.sum(axis=2), 1)


def test_plain_means_mix_the_rows_a_hesitant_classifier_confuses():
    proba = np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]])  # never class 2
    for unmix in (False, True):  # unmixing cannot separate two classes the classifier never tells apart
        recovered = confusions_from_annotator_class(_answer_distributions(KNOWN, proba), proba, unmix=unmix)
        assert np.isnan(recovered[:, 2]).all()
    mixed = (KNOWN[:, 0] + KNOWN[:, 1]) / 2
    plain = confusions_from_annotator_class(_answer_distributions(KNOWN, proba), proba, unmix=False)
    np.testing.assert_allclose(plain[:, 0], mixed)
    np.testing.assert_allclose(plain[:, 1], mixed)


def test_class_performance_averages_the_estimate_over_each_class():
    perf = np.array([[0.9, 0.2], [0.7, 0.4], [0.5, 0.6]])
    proba = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.5, 0.5]])
    np.testing.assert_allclose(class_performance(perf, proba), [[0.8, 0.5, 0.5], [0.3, 0.6, 0.6]])


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: confusions_from_annotator_class(np.ones((2, 3)), np.ones((2, 3))), ValueError, "`annotator_class`"),
        (lambda: confusions_from_annotator_class(np.ones((2, 1, 3)) / 3, np.ones((3, 3)) / 3), ValueError, "rows"),
        (lambda: confusions_from_annotator_class(np.ones((2, 1, 3)) / 3, np.ones((2, 2)) / 2), ValueError, "classes"),
        (lambda: confusions_from_annotator_class(np.full((2, 1, 3), 2.0), np.ones((2, 3))), ValueError, "`annot"),
        (lambda: confusions_from_annotator_class(np.ones((2, 1, 2)) / 2, np.ones((2, 2)) / 2, 1), TypeError, "`unmix`"),
        (lambda: class_performance(np.ones(3), np.ones((3, 2)) / 2), ValueError, "`annotator_perf` must have shape"),
        (lambda: class_performance(np.ones((3, 2)), np.ones(3)), ValueError, "`class_proba` must have shape"),
    ],
)
def test_annotator_output_readers_name_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_learned_annotator_estimates_read_a_real_annot_mix(data):
    from crowdal_utils.learners.factory import make_learner
    from crowdal_utils.learners.training import fit_seeded

    X, y = data.X_train[:120], data.y_train[:120]
    z = np.column_stack([y, np.where(np.arange(120) % 2 == 0, y, (y + 1) % 10), y]).astype(float)
    z[np.arange(120) % 3 == 0, 2] = NAN
    clf = make_learner("annot-mix", data.classes, 3, random_state=0, max_epochs=2)
    fit_seeded(clf, X, z, seed=0)
    estimate = learned_annotator_estimates(clf, X)
    assert isinstance(estimate, LearnedAnnotatorEstimate)
    assert estimate.confusions.shape == (3, 10, 10)
    assert estimate.class_accuracy.shape == (3, 10) and estimate.accuracy.shape == (3,)
    np.testing.assert_allclose(estimate.class_proba, clf.predict_proba(X), rtol=1e-5)
    known = ~np.isnan(estimate.confusions[:, :, 0])
    np.testing.assert_allclose(estimate.confusions.sum(axis=2)[known], 1, atol=1e-5)
    perf = clf.predict_proba(X, extra_outputs=["annotator_perf"])[1]
    np.testing.assert_allclose(estimate.accuracy, perf.mean(axis=0), rtol=1e-5)


def test_learned_annotator_estimates_refuse_a_classifier_without_annotator_outputs(data):
    from sklearn.linear_model import LogisticRegression

    X = data.X_train[:60].reshape(60, -1)
    plain = LogisticRegression(max_iter=200).fit(X, data.y_train[:60])
    with pytest.raises(TypeError, match="`classifier` must return annotator_perf and annotator_class"):
        learned_annotator_estimates(plain, X)
    with pytest.raises(TypeError, match="`classifier` must be a fitted multi-annotator classifier"):
        learned_annotator_estimates("annot-mix", X)
    with pytest.raises(ValueError, match="`X` must be a numpy array"):
        learned_annotator_estimates(plain, [[0.0]])


# --------------------------------------------------------------------------------------------------------------------
# Reading confusion arrays


def test_worst_class_is_the_smallest_diagonal_entry_skipping_rows_without_evidence():
    confusions = KNOWN.copy()
    confusions[0, 1] = NAN
    worst, accuracy = worst_classes(confusions, np.array([3, 5, 7]))
    np.testing.assert_array_equal(worst, [3, 7, 3])  # a tie (the guesser) goes to the lowest class
    np.testing.assert_allclose(accuracy, [0.9, 0.05, 1 / 3])
    np.testing.assert_allclose(class_accuracies(confusions)[1], [0.8, 0.8, 0.05])


def test_worst_class_names_an_annotator_without_evidence():
    confusions = KNOWN.copy()
    confusions[1] = NAN
    with pytest.raises(ValueError, match=r"`confusions\[1\]` has no row with evidence"):
        worst_classes(confusions, CLASSES)
    with pytest.raises(ValueError, match="must have 3 classes per axis"):
        worst_classes(KNOWN[:, :2, :2], CLASSES)


def test_expected_accuracy_weights_the_diagonal_by_class_shares():
    np.testing.assert_allclose(expected_accuracy(KNOWN), [0.9, 0.55, 1 / 3])
    np.testing.assert_allclose(expected_accuracy(KNOWN, weights=[0, 0, 1]), [0.9, 0.05, 1 / 3])
    confusions = KNOWN.copy()
    confusions[1, 2] = NAN  # renormalised over the known rows
    np.testing.assert_allclose(expected_accuracy(confusions)[1], 0.8)
    with pytest.raises(ValueError, match="`weights` must be 3 non-negative numbers"):
        expected_accuracy(KNOWN, weights=[1, -1, 1])
    with pytest.raises(ValueError, match="`confusions` must hold probabilities"):
        expected_accuracy(KNOWN * 2)


def test_confusion_error_averages_over_rows_known_in_both():
    estimated = KNOWN.copy()
    estimated[0, 0] = [0.8, 0.1, 0.1]  # off by 0.1, 0.05, 0.05 in one row of nine cells
    estimated[1, 2] = NAN
    error = confusion_error(estimated, KNOWN)
    np.testing.assert_allclose(error, [0.2 / 9, 0.0, 0.0])
    with pytest.raises(ValueError, match="`estimated` has shape"):
        confusion_error(KNOWN[:2], KNOWN)
    with pytest.raises(ValueError, match="`true` must have shape"):
        confusion_error(KNOWN, KNOWN[0])


def test_quality_table_puts_sources_side_by_side():
    estimate = KNOWN.copy()
    estimate[1, 2] = [0.5, 0.4, 0.1]
    table = annotator_quality_table(
        {"truth": KNOWN, "estimate": estimate},
        CLASSES,
        ["A1", "A2", "A3"],
        agreement={"agrees with MV": [0.9, 0.6, 0.35]},
        class_names=["cat", "dog", "eel"],
    )
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == ["truth", "estimate", "agrees with MV"]
    assert list(table.index) == ["A1", "A2", "A3"]
    assert table.loc["A2", "truth"] == "0.55 · worst eel: 0.05"
    assert table.loc["A2", "estimate"] == "0.57 · worst eel: 0.10"
    assert table.loc["A3", "agrees with MV"] == 0.35


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(confusions={}), TypeError, "`confusions` must be a non-empty mapping"),
        (dict(annotator_names="A1"), TypeError, "`annotator_names` must be a sequence of strings"),
        (dict(annotator_names=["A1", "A2"]), ValueError, r"`confusions\['truth'\]` has 3 annotators"),
        (dict(class_names=["a"]), ValueError, "`class_names` has 1 names for 3 classes"),
        (dict(agreement={"MV": [1.0]}), ValueError, r"`agreement\['MV'\]` must have shape \(3,\)"),
    ],
)
def test_quality_table_names_bad_input(kwargs, error, match):
    arguments = dict(confusions={"truth": KNOWN}, classes=CLASSES, annotator_names=["A1", "A2", "A3"]) | kwargs
    with pytest.raises(error, match=match):
        annotator_quality_table(**arguments)


# --------------------------------------------------------------------------------------------------------------------
# Figures


def test_correctness_by_difficulty_draws_a_line_per_annotator_and_the_observed_shares():
    rng = np.random.default_rng(0)
    difficulty = rng.random(400)
    proba = np.column_stack([np.full(400, 0.1), 1 - 0.7 * difficulty])
    y = rng.integers(0, 3, 400)
    z = np.where(rng.random((400, 2)) < proba, y[:, None], (y[:, None] + 1) % 3)
    fig = plot_correctness_by_difficulty(proba, difficulty, ["spammer", "hasty"], z, y, n_bins=5)
    assert isinstance(fig, Figure)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 4  # a line and a row of dots per annotator
    np.testing.assert_allclose(lines[0].get_ydata(), 0.1)
    np.testing.assert_allclose(lines[2].get_ydata(), 1 - 0.7 * np.array([0.1, 0.3, 0.5, 0.7, 0.9]), atol=0.03)
    assert np.abs(lines[3].get_ydata() - lines[2].get_ydata()).max() < 0.15  # draws scatter around the line
    assert fig.get_figwidth() <= 9
    with pytest.raises(ValueError, match="`crowd_labels` and `y_true` go together"):
        plot_correctness_by_difficulty(proba, difficulty, ["a", "b"], crowd_labels=z)
    with pytest.raises(ValueError, match="`difficulty` must have shape"):
        plot_correctness_by_difficulty(proba, difficulty[:5], ["a", "b"])
    with pytest.raises(ValueError, match="`annotator_names` has 1 names"):
        plot_correctness_by_difficulty(proba, difficulty, ["a"])


def test_class_accuracies_frame_each_annotators_worst_class_in_every_panel():
    fig = plot_class_accuracies({"truth": KNOWN, "estimate": class_accuracies(KNOWN) * 0.9}, CLASSES, ["A", "B", "C"])
    heatmaps = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in heatmaps] == ["truth", "estimate"]
    for ax in heatmaps:
        frames = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert sorted((round(p.get_x() + 0.5), round(p.get_y() + 0.5)) for p in frames) == [(0, 0), (0, 2), (2, 1)]
    assert fig.get_figwidth() <= 9.5
    with pytest.raises(ValueError, match=r"`accuracies\['x'\]` has 2 classes"):
        plot_class_accuracies({"x": np.ones((3, 2))}, CLASSES, ["A", "B", "C"])
    with pytest.raises(TypeError, match="`accuracies` must be a non-empty mapping"):
        plot_class_accuracies(KNOWN, CLASSES, ["A", "B", "C"])


def test_confusion_comparison_has_a_row_per_source_and_a_column_per_chosen_annotator():
    fig = plot_confusion_comparison({"truth": KNOWN, "Dawid–Skene": KNOWN}, CLASSES, ["A", "B", "C"], annotators=[0, 2])
    heatmaps = [ax for ax in fig.axes if ax.images]
    assert len(heatmaps) == 4
    assert [ax.get_title() for ax in heatmaps[:2]] == ["A", "C"]
    with pytest.raises(ValueError, match="`annotators` must be indices in"):
        plot_confusion_comparison({"truth": KNOWN}, CLASSES, ["A", "B", "C"], annotators=[3])
    with pytest.raises(ValueError, match="same number of annotators"):
        plot_confusion_comparison({"truth": KNOWN, "x": KNOWN[:2]}, CLASSES, ["A", "B", "C"])


def test_consensus_agreement_bars_per_annotator_and_series():
    fig = plot_consensus_agreement({"true accuracy": [0.9, 0.5], "agrees with MV": [0.8, NAN]}, ["A", "B"])
    bars = fig.axes[0].patches
    assert len(bars) == 4
    assert [round(b.get_height(), 2) for b in bars] == [0.9, 0.5, 0.8, 0.0]
    with pytest.raises(ValueError, match=r"`values\['x'\]` must have shape \(2,\)"):
        plot_consensus_agreement({"a": [0.5, 0.5], "x": [0.5]}, ["A", "B"])
    with pytest.raises(ValueError, match="must hold shares in"):
        plot_consensus_agreement({"x": [0.5, 2.0]}, ["A", "B"])


def _results(levels):
    """ExperimentResults whose arm ``key`` stays at ``levels[key][r]`` in every cycle of repetition ``r``."""
    config = ExperimentConfig(n_repetitions=3, n_cycles=2, query_batch_size=5, max_epochs=1, arms=tuple(levels))
    records = []
    for arm, values in levels.items():
        learner, choice, strategy = arm.split("/")
        for r, level in enumerate(values):
            for cycle in (1, 2):
                records.append(
                    dict(arm=arm, learner=learner, choice=choice, strategy=strategy, repetition=r, cycle=cycle,
                         n_annotations=5 * cycle, cost=5.0 * cycle, test_accuracy=level,
                         correct_annotation_rate=level, annotations_per_annotator=[5 * cycle],
                         estimated_accuracy=None, best_annotator_share=None, second_opinions=0, multi_labelled=0,
                         multi_labelled_correct=0, n_labelled_samples=5 * cycle, second_opinions_first_wrong=0,
                         training_label_accuracy=None, lone_labels_changed=None)
                )  # fmt: skip
    return ExperimentResults(config.to_dict(), records, ["A1"])


MV, AM = Arm("majority-vote").key, Arm("annot-mix", "own-estimate").key


def test_crowd_comparison_draws_a_bar_per_arm_and_crowd_at_the_curve_mean():
    by_crowd = {
        "spammers": _results({MV: [0.5, 0.6, 0.7], AM: [0.8, 0.8, 0.8]}),
        "swaps": _results({MV: [0.7, 0.7, 0.7], AM: [0.75, 0.76, 0.77]}),
    }
    fig = plot_crowd_comparison(by_crowd, [MV, AM], reference_line=("true labels", 0.9))
    heights = [round(b.get_height(), 3) for b in fig.axes[0].patches]
    assert heights == [0.6, 0.7, 0.8, 0.76]  # MV on both crowds, then Annot-Mix on both
    assert fig.axes[0].get_ylim() == (0.0, 1.0)  # bars from zero, so their heights compare as the numbers do
    assert all(b.get_y() == 0 for b in fig.axes[0].patches)
    assert fig.get_figwidth() <= 9
    with pytest.raises(ValueError, match=r"`results_by_crowd\['spammers'\]` lacks the arms"):
        plot_crowd_comparison(by_crowd, [Arm("dawid-skene", "own-estimate")])
    with pytest.raises(ValueError, match="`metric` must be one of"):
        plot_crowd_comparison(by_crowd, [MV], metric="accuracy")
    with pytest.raises(TypeError, match=r"`results_by_crowd\['x'\]` must be an ExperimentResults"):
        plot_crowd_comparison({"x": 1}, [MV])


def test_paired_differences_mark_intervals_that_contain_zero_as_open_and_show_every_repetition():
    clear = _results({MV: [0.5, 0.6, 0.7], AM: [0.8, 0.9, 1.0]})  # +0.3 in every repetition
    noisy = _results({MV: [0.5, 0.6, 0.7], AM: [0.6, 0.5, 0.75]})
    differences = {
        "clear": {"total": paired_difference(clear, AM, MV, "test_accuracy")},
        "noisy": {"total": paired_difference(noisy, AM, MV, "test_accuracy")},
    }
    fig = plot_paired_differences(differences)
    markers = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
    assert [line.get_markerfacecolor() == "white" for line in markers] == [False, True]
    assert markers[0].get_xdata()[0] == pytest.approx(0.3)
    dots = [line for line in fig.axes[0].get_lines() if line.get_marker() == "."]
    np.testing.assert_allclose(dots[1].get_xdata(), [0.1, -0.1, 0.05])  # the noisy crowd's three repetitions
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["clear · total", "noisy · total"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        "mean: interval excludes 0",
        "mean: within noise",
        "95 % interval (cut at the axis)",
        "one repetition",
    ]
    with pytest.raises(ValueError, match=r"`differences\['noisy'\]` names \['model'\]"):
        plot_paired_differences({"clear": differences["clear"], "noisy": {"model": differences["noisy"]["total"]}})
    with pytest.raises(TypeError, match=r"must be a PairedDifference"):
        plot_paired_differences({"clear": {"total": 0.3}})


def test_paired_differences_put_the_last_cycle_beside_the_curve_mean():
    results = _results({MV: [0.5, 0.6, 0.7], AM: [0.8, 0.9, 1.0]})
    both = {"crowd": {"total": compare_arms(results, AM, MV, "test_accuracy")}}
    fig = plot_paired_differences(both, styles={"total": {"color": "#d62728", "marker": "s"}})
    assert [ax.get_title() for ax in fig.axes] == [
        "curve mean (how good along the way)",
        "last cycle (how good in the end)",
    ]
    squares = [line for ax in fig.axes for line in ax.get_lines() if line.get_marker() == "s"]
    assert len(squares) == 2 and all(line.get_color() == "#d62728" for line in squares)
    with pytest.raises(ValueError, match="summaries"):
        plot_paired_differences(
            {"a": {"total": both["crowd"]["total"]}, "b": {"total": both["crowd"]["total"]["last cycle"]}}
        )
