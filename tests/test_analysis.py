"""Paired differences and the model/choice decomposition, on hand-made results with known answers."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from crowdal_utils.evaluation.analysis import (
    agreement,
    allocation_table,
    compare_arms,
    cycle_differences,
    cycle_table,
    decompose,
    decomposition_table,
    difference_table,
    estimate_error,
    label_allocation,
    paired_difference,
    regularisation_table,
    split_model_effect,
    summarise,
)
from crowdal_utils.experiment.config import ExperimentConfig, factorial_arms
from crowdal_utils.experiment.results import ExperimentResults
from crowdal_utils.views.results_figures import (
    plot_arm_grid,
    plot_estimate_quality,
    plot_label_allocation,
    plot_learning_curves,
)

ARMS = factorial_arms(["majority-vote", "annot-mix"], ["random", "own-estimate", "oracle"])
#: Curve level of each arm in each of three repetitions (every cycle the same, so the curve mean is this value).
LEVELS = {
    "majority-vote/random/random": [0.70, 0.72, 0.71],
    "majority-vote/own-estimate/random": [0.71, 0.72, 0.71],
    "majority-vote/oracle/random": [0.75, 0.78, 0.76],
    "annot-mix/random/random": [0.80, 0.83, 0.81],
    "annot-mix/own-estimate/random": [0.85, 0.86, 0.86],
    "annot-mix/oracle/random": [0.88, 0.90, 0.89],
    "true-labels/random/random": [0.93, 0.95, 0.94],
}


def _record(arm, repetition, cycle, level):
    learner, choice, strategy = arm.split("/")
    estimates = None if learner == "true-labels" else [0.9 - 0.1 / cycle, 0.6 + 0.1 / cycle]
    return {
        "arm": arm,
        "learner": learner,
        "choice": choice,
        "strategy": strategy,
        "repetition": repetition,
        "cycle": cycle,
        "n_annotations": 10 * cycle,
        "cost": 10.0 * cycle,
        "test_accuracy": level,
        "correct_annotation_rate": level - 0.1,
        "annotations_per_annotator": [5 * cycle, 5 * cycle],
        "estimated_accuracy": estimates,
        "best_annotator_share": 1.0 if choice == "oracle" else 0.5,
        "second_opinions": 0,
        "second_opinions_first_wrong": 0,
        "multi_labelled": 0,
        "multi_labelled_correct": 0,
        "n_labelled_samples": 10 * cycle,
        "training_label_accuracy": None,
        "lone_labels_changed": None,
    }


@pytest.fixture(scope="module")
def results():
    config = ExperimentConfig(n_repetitions=3, n_cycles=2, query_batch_size=10, max_epochs=1, arms=ARMS)
    records = [_record(a, r, c, LEVELS[a][r]) for a in LEVELS for r in range(3) for c in (1, 2)]
    return ExperimentResults(config.to_dict(), records, ["A1", "A2"], versions={})


def test_paired_difference_is_computed_repetition_by_repetition(results):
    diff = paired_difference(results, "annot-mix/own-estimate/random", "annot-mix/random/random", "test_accuracy")
    np.testing.assert_allclose(diff.per_repetition, [0.05, 0.03, 0.05])
    assert diff.mean == pytest.approx(0.13 / 3) and diff.std == pytest.approx(np.std([0.05, 0.03, 0.05], ddof=1))
    half = 4.302653 * diff.std / np.sqrt(3)  # Student's t, 2 degrees of freedom, 97.5 %
    assert (diff.low, diff.high) == pytest.approx((diff.mean - half, diff.mean + half))
    assert not diff.within_noise and str(diff) == f"+{diff.mean:.3f} ± {diff.std:.3f}"


def test_a_difference_whose_interval_holds_zero_is_within_noise(results):
    diff = paired_difference(
        results, "majority-vote/own-estimate/random", "majority-vote/random/random", "test_accuracy"
    )
    assert diff.within_noise and str(diff).endswith("(within noise)")


def test_the_gain_over_majority_vote_is_model_plus_choice_in_every_repetition(results):
    parts = decompose(results, "annot-mix", "test_accuracy")
    assert list(parts) == ["total", "model", "choice", "gap to oracle", "gap to true labels"]
    np.testing.assert_allclose(
        parts["total"].per_repetition, parts["model"].per_repetition + parts["choice"].per_repetition
    )
    np.testing.assert_allclose(parts["model"].per_repetition, [0.10, 0.11, 0.10])
    np.testing.assert_allclose(parts["gap to oracle"].per_repetition, [0.03, 0.04, 0.03])
    np.testing.assert_allclose(parts["gap to true labels"].per_repetition, [0.08, 0.09, 0.08])
    assert "gap to true labels" not in decompose(results, "annot-mix", "correct_annotation_rate")
    table = decomposition_table(results, "test_accuracy")
    assert list(table.index.get_level_values(0).unique()) == ["Majority vote (MV)", "Annot-Mix"]
    assert list(table.columns) == ["curve mean", "last cycle", "the two say"]
    assert table.loc[("Annot-Mix", "model"), "curve mean"] == str(parts["model"])
    last = decompose(results, "annot-mix", "test_accuracy", at="last cycle")
    assert table.loc[("Annot-Mix", "model"), "last cycle"] == str(last["model"])


def _rising_and_falling():
    """Two arms whose curves cross: A rises from 0.5 to 0.9, B falls from 0.9 to 0.6, in each of 3 repetitions."""
    arms = ("annot-mix/random/random", "majority-vote/random/random")
    config = ExperimentConfig(n_repetitions=3, n_cycles=2, query_batch_size=10, max_epochs=1, arms=arms)
    curves = {arms[0]: (0.5, 0.9), arms[1]: (0.9, 0.6)}
    records = []
    for arm, levels in curves.items():
        for r in range(3):
            for cycle, level in enumerate(levels, start=1):
                records.append(_record(arm, r, cycle, level + 0.01 * r * (arm == arms[0])))
    return ExperimentResults(config.to_dict(), records, ["A1", "A2"], versions={}), arms


def test_the_last_cycle_answers_how_good_in_the_end_and_can_disagree_with_the_curve_mean():
    results, (a, b) = _rising_and_falling()
    np.testing.assert_allclose(summarise(results, a, "test_accuracy"), [0.7, 0.71, 0.72])
    np.testing.assert_allclose(summarise(results, a, "test_accuracy", at="last cycle"), [0.9, 0.91, 0.92])
    both = compare_arms(results, a, b, "test_accuracy")
    assert list(both) == ["curve mean", "last cycle"]
    np.testing.assert_allclose(both["curve mean"].per_repetition, [-0.05, -0.04, -0.03])
    np.testing.assert_allclose(both["last cycle"].per_repetition, [0.3, 0.31, 0.32])
    assert both["last cycle"].at == "last cycle" and both["curve mean"].at == "curve mean"
    assert agreement(both["curve mean"], both["last cycle"]) == "opposite signs"
    table = difference_table({"A minus B": both}, per_repetition=True)
    assert table.loc["A minus B", "last cycle, per repetition"] == "+0.300 +0.310 +0.320"
    assert table.loc["A minus B", "the two say"] == "opposite signs"
    with pytest.raises(ValueError, match="at"):
        summarise(results, a, "test_accuracy", at="end")
    with pytest.raises(ValueError, match="comparisons"):
        difference_table({"A minus B": both["curve mean"]})


def test_cycle_differences_show_when_arms_differ_and_the_summaries_are_made_from_them():
    results, (a, b) = _rising_and_falling()
    cycles = cycle_differences(results, a, b, "test_accuracy")
    np.testing.assert_allclose(cycles, [[-0.4, 0.3], [-0.39, 0.31], [-0.38, 0.32]])
    np.testing.assert_allclose(paired_difference(results, a, b, "test_accuracy").per_repetition, cycles.mean(axis=1))
    table = cycle_table({("crowd", "A minus B"): cycles})
    assert table.loc[("crowd", "A minus B")].tolist() == ["-0.390 (0/3)", "+0.310 (3/3)"]
    with pytest.raises(ValueError, match="n_repetitions, n_cycles"):
        cycle_table({"flat": cycles[0]})


def test_agreement_names_a_difference_only_one_summary_clears():
    results, (a, b) = _rising_and_falling()
    clear = compare_arms(results, a, b, "test_accuracy")["last cycle"]
    noisy = paired_difference(results, b, b, "test_accuracy")  # zero in every repetition: within noise
    assert agreement(clear, clear) == "the same" and agreement(noisy, noisy) == "the same"
    assert agreement(noisy, clear) == "only the last cycle is outside the noise"
    assert agreement(clear, noisy) == "only the curve mean is outside the noise"


def test_estimate_error_is_the_mean_absolute_error_over_annotators(results):
    errors = estimate_error(results, "annot-mix/random/random", [0.9, 0.6])
    np.testing.assert_allclose(errors, [[0.1, 0.05]] * 3)  # (|-0.1| + |0.1|) / 2 after cycle 1, half after cycle 2
    with pytest.raises(ValueError, match="no estimate"):
        estimate_error(results, "true-labels/random/random", [0.9, 0.6])
    with pytest.raises(ValueError, match="true_accuracy"):
        estimate_error(results, "annot-mix/random/random", [0.9])


def test_the_grid_figure_shows_every_curve_mean_with_the_ceilings(results):
    fig = plot_arm_grid(results, metrics=("test_accuracy",))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["0.710", "0.713", "0.763", "0.813", "0.857", "0.890", "0.940"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "Majority vote (MV)",
        "Annot-Mix",
        "True labels\n(ceiling)",
    ]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "random\nannotator",
        "own\nestimate",
        "oracle\n(ceiling, mean)",
    ]
    car = [t.get_text() for t in plot_arm_grid(results).axes[1].texts]  # the heatmaps come first, then colour bars
    assert len(car) == 6  # the true-labels learner was never shown the crowd's labels: no rate for it
    plt.close("all")


def test_estimate_quality_and_subset_curves(results):
    fig = plot_estimate_quality(results, [0.9, 0.6], ["annot-mix/random/random", "annot-mix/oracle/random"])
    left, right = fig.axes
    np.testing.assert_allclose(left.get_lines()[0].get_ydata(), [0.1, 0.05])
    np.testing.assert_allclose(right.get_lines()[1].get_ydata(), [1.0, 1.0])
    fig = plot_learning_curves(results, arms=[("annot-mix", "oracle")], x_axis="cost")
    assert len(fig.axes[0].get_lines()) == 1 and fig.axes[0].get_xlabel() == "cost units spent"
    with pytest.raises(ValueError, match="x_axis"):
        plot_learning_curves(results, x_axis="time")
    plt.close("all")


def test_who_was_asked_by_labels_and_by_money():
    from crowdal_utils.selection.costs import AnnotatorCosts
    from crowdal_utils.views.results_figures import plot_annotator_usage, plot_second_opinions

    costs = AnnotatorCosts((3.0, 1.0))
    config = ExperimentConfig(
        n_repetitions=2, n_cycles=1, max_epochs=1, arms=[("annot-mix", "per-cost")], annotator_costs=costs,
        budget_per_cycle=12.0,
    )  # fmt: skip
    records = []
    for rep, (a1, a2, second, multi, right) in enumerate([(2, 6, 1, 1, 1), (3, 3, 2, 2, 1)]):
        record = _record("annot-mix/per-cost/random", rep, 1, 0.8)
        n = a1 + a2
        record.update(n_annotations=n, cost=3.0 * a1 + a2, annotations_per_annotator=[a1, a2], second_opinions=second,
                      multi_labelled=multi, multi_labelled_correct=right)  # fmt: skip
        records.append(record)
    results = ExperimentResults(config.to_dict(), records, ["A1", "A2"], versions={})
    np.testing.assert_array_equal(results.cost_per_annotator("annot-mix/per-cost/random"), [15.0, 9.0])
    fig = plot_annotator_usage(results, by=("labels", "cost"))
    labels_ax, cost_ax = fig.axes[:2]
    np.testing.assert_allclose([p.get_width() for p in labels_ax.patches], [5 / 14, 9 / 14])
    np.testing.assert_allclose([p.get_width() for p in cost_ax.patches], [15 / 24, 9 / 24])
    fig = plot_second_opinions(results)
    assert [p.get_width() for p in fig.axes[0].patches] == pytest.approx([3 / 14])
    assert [p.get_width() for p in fig.axes[1].patches] == pytest.approx([2 / 3])
    with pytest.raises(ValueError, match="by"):
        plot_annotator_usage(results, by="cost")
    plt.close("all")


def _flat_results(levels, n_reps=3, allocation=None):
    """Results with every curve flat at ``levels[arm][repetition]``; ``allocation[arm][rep]``: labels per annotator."""
    arms = tuple(levels)
    config = ExperimentConfig(n_repetitions=n_reps, n_cycles=2, query_batch_size=10, max_epochs=1, arms=arms)
    records = []
    for arm in arms:
        for r in range(n_reps):
            for c in (1, 2):
                record = _record(arm, r, c, levels[arm][r])
                if allocation is not None:
                    record["annotations_per_annotator"] = [c * n // 2 for n in allocation[arm][r]]
                records.append(record)
    return ExperimentResults(config.to_dict(), records, ["A1 good", "A2 bad"], versions={})


def test_the_model_effect_splits_into_annotator_model_and_mixup_both_ways():
    levels = {
        "majority-vote/random/random": [0.70, 0.72, 0.71],
        "majority-vote-mixup/random/random": [0.74, 0.75, 0.75],
        "annot-mix-no-mixup/random/random": [0.78, 0.80, 0.78],
        "annot-mix/random/random": [0.81, 0.83, 0.82],
    }
    results = _flat_results(levels)
    parts = split_model_effect(results)
    np.testing.assert_allclose(parts["model effect (both)"].per_repetition, [0.11, 0.11, 0.11])
    np.testing.assert_allclose(parts["MixUp, on the vote"].per_repetition, [0.04, 0.03, 0.04])
    np.testing.assert_allclose(parts["annotator model, without MixUp"].per_repetition, [0.08, 0.08, 0.07])
    np.testing.assert_allclose(parts["annotator model, with MixUp"].per_repetition, [0.07, 0.08, 0.07])
    np.testing.assert_allclose(parts["MixUp, in Annot-Mix"].per_repetition, [0.03, 0.03, 0.04])
    # either path through the 2 x 2 adds up to the whole model effect, in every repetition
    np.testing.assert_allclose(
        parts["MixUp, on the vote"].per_repetition + parts["annotator model, with MixUp"].per_repetition,
        parts["model effect (both)"].per_repetition,
    )
    table = regularisation_table(results)
    assert table.loc["majority vote", "MixUp"] == "0.747"
    assert table.loc["Annot-Mix's annotator model", "no MixUp"] == "0.787"
    del levels["annot-mix-no-mixup/random/random"]
    with pytest.raises(ValueError, match="annot-mix-no-mixup"):
        split_model_effect(_flat_results(levels))


def test_allocation_is_read_per_repetition_so_a_lock_in_on_different_annotators_shows():
    levels = {"majority-vote/own-estimate/random": [0.7, 0.7, 0.7], "annot-mix/own-estimate/random": [0.8, 0.8, 0.8]}
    allocation = {
        "majority-vote/own-estimate/random": [[18, 2], [2, 18], [16, 4]],
        "annot-mix/own-estimate/random": [[12, 8], [12, 8], [10, 10]],
    }
    results = _flat_results(levels, allocation=allocation)
    counts, top, share = label_allocation(results, "majority-vote/own-estimate/random")
    np.testing.assert_array_equal(counts, allocation["majority-vote/own-estimate/random"])
    np.testing.assert_array_equal(top, [0, 1, 0])
    np.testing.assert_allclose(share, [0.9, 0.9, 0.8])
    # summed over repetitions the lock-in disappears: 36 vs 24 labels
    np.testing.assert_array_equal(results.labels_per_annotator("majority-vote/own-estimate/random"), [36, 24])
    text = allocation_table(results, list(levels))
    assert "A2 (90%)" in text and "A1 (80%)" in text and "A1 (50%)" in text
    fig = plot_label_allocation(results, list(levels))
    heights = [[p.get_height() for p in c] for c in fig.axes[0].containers]
    assert heights == [[18, 2, 16], [2, 18, 4]]  # one stack per annotator, one bar per repetition
    plt.close(fig)


def test_one_repetition_says_it_has_no_spread_and_identical_arms_say_so(results):
    one = _flat_results({"majority-vote/random/random": [0.7], "annot-mix/random/random": [0.8]}, n_reps=1)
    text = str(paired_difference(one, "annot-mix/random/random", "majority-vote/random/random", "test_accuracy"))
    assert text == "+0.100 (one repetition: no spread, no noise estimate)" and "nan" not in text
    same = paired_difference(results, "majority-vote/random/random", "majority-vote/random/random", "test_accuracy")
    assert str(same) == "0 (identical in every repetition)"


def test_last_cycle_share_second_opinion_table_and_claim(tiny_results, capsys):
    from crowdal_utils.course.claims import claim
    from crowdal_utils.evaluation.analysis import last_cycle_share, second_opinion_table

    arm = tiny_results.arms[0]
    opinions, labels = (tiny_results.values(arm, key)[:, -1] for key in ("second_opinions", "n_annotations"))
    assert last_cycle_share(tiny_results, arm, "second_opinions", "n_annotations") == opinions.sum() / labels.sum()
    lines = second_opinion_table(tiny_results).splitlines()
    assert len(lines) == 1 + len(tiny_results.arms) and lines[1].startswith(tiny_results.label(arm))
    claim("the sky is up", True)
    assert capsys.readouterr().out == "holds: the sky is up\n"
    with pytest.raises(AssertionError, match="the sky is down"):
        claim("the sky is down", False)


def test_one_learners_strategies_are_told_apart_by_colour_line_and_a_short_name():
    arms = ("annot-mix/random/random", "annot-mix/random/margin", "annot-mix/random/badge")
    config = ExperimentConfig(n_repetitions=2, n_cycles=2, query_batch_size=10, max_epochs=1, arms=arms)
    records = [_record(a, r, c, 0.7 + 0.05 * k) for k, a in enumerate(arms) for r in range(2) for c in (1, 2)]
    results = ExperimentResults(config.to_dict(), records, ["A1", "A2"], versions={})
    fig = plot_learning_curves(results, metrics=("test_accuracy",), colour_by="strategy", bands=False)
    lines = fig.axes[0].get_lines()
    assert len({line.get_color() for line in lines}) == 3 and len({str(line.get_linestyle()) for line in lines}) == 3
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "random sampling: 0.700",
        "uncertainty (margin): 0.750",
        "BADGE: 0.800",
    ]
    assert len(fig.axes[0].collections) == 0  # no bands
    assert fig._suptitle.get_text().startswith("Annot-Mix · random annotator, by sample strategy")
    plt.close("all")
