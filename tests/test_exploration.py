"""Exploring whom to trust (notebook 08): the policies, gold tasks and IEThresh."""

from dataclasses import replace

import numpy as np
import pytest

from crowdal_utils.crowds.aggregation import fit_dawid_skene
from crowdal_utils.crowds.metrics import annotator_accuracies
from crowdal_utils.crowds.presets import default_crowd
from crowdal_utils.evaluation.analysis import cumulative_regret, estimate_error, gold_effects, paired_difference
from crowdal_utils.experiment.config import Arm, ExperimentConfig
from crowdal_utils.experiment.loop import fit_seed, run_experiment
from crowdal_utils.learners.classifiers import DawidSkeneClassifier
from crowdal_utils.learners.factory import make_learner
from crowdal_utils.learners.registry import get_learner
from crowdal_utils.learners.training import fit_seeded
from crowdal_utils.selection.annotator_choice import CHOICES, ChoiceContext, EpsilonGreedyChoice, beta_evidence
from crowdal_utils.selection.purchases import CycleState, IEThreshPurchase, draw_gold_tasks
from crowdal_utils.selection.strategies import get_strategy, make_query_strategy
from crowdal_utils.views.exploration_figures import plot_exploration
from crowdal_utils.views.style import CHOICE_MARKERS, arm_style

ESTIMATE = np.array([[0.9, 0.6, 0.7], [0.5, 0.8, 0.7], [0.6, 0.6, 0.95], [0.7, 0.2, 0.3]])


def _context(labels_given=(40, 40, 40), seed=0, **changes):
    fields = dict(estimate=ESTIMATE, oracle=None, costs=None, spent=np.zeros(3), labels_given=np.array(labels_given))
    return ChoiceContext(**fields, rng=np.random.default_rng(seed), **changes)


def test_epsilon_zero_is_the_greedy_choice_and_epsilon_one_is_random():
    greedy = CHOICES["own-estimate"].scores(_context())
    assert np.array_equal(EpsilonGreedyChoice("e", "e", epsilon=0.0).scores(_context()), greedy)
    explored = EpsilonGreedyChoice("e", "e", epsilon=1.0).scores(_context())
    assert not np.array_equal(explored.argmax(axis=1), greedy.argmax(axis=1))  # every row redrawn at random
    assert np.array_equal(
        CHOICES["epsilon-greedy"].scores(_context(seed=3)), CHOICES["epsilon-greedy"].scores(_context(seed=3))
    )


def test_upper_confidence_prefers_an_annotator_never_asked_and_trusts_evidence():
    scores = CHOICES["upper-confidence"].scores(_context(labels_given=(200, 0, 200)))
    # never asked, it could be the best: it wins where the others' upper bounds stay below Beta(1, 1)'s 0.9 quantile
    # (rows 1 and 3), not against estimates of 0.9 and 0.95 backed by 200 labels each (rows 0 and 2)
    assert scores.argmax(axis=1).tolist() == [0, 1, 2, 1]
    a, b = beta_evidence(ESTIMATE, np.array([200, 0, 200]))
    np.testing.assert_allclose(a[:, 1], 1)  # Beta(1, 1): no evidence
    np.testing.assert_allclose(b[:, 1], 1)
    many = CHOICES["upper-confidence"].scores(_context(labels_given=(10_000,) * 3))
    assert np.array_equal(many.argmax(axis=1), ESTIMATE.argmax(axis=1))  # with plenty of evidence: the greedy choice


def test_thompson_draws_are_reproducible_with_a_seed_and_follow_the_evidence():
    first, again = CHOICES["thompson"].scores(_context(seed=5)), CHOICES["thompson"].scores(_context(seed=5))
    assert np.array_equal(first, again) and not np.array_equal(first, CHOICES["thompson"].scores(_context(seed=6)))
    sure = CHOICES["thompson"].scores(_context(labels_given=(100_000,) * 3))
    np.testing.assert_allclose(sure, ESTIMATE, atol=0.01)


def test_the_gold_record_ranks_annotators_by_their_gold_answers_alone():
    scores = CHOICES["gold"].scores(_context(gold_right=np.array([1, 3, 2]), gold_asked=np.array([3, 3, 3])))
    assert scores.shape == ESTIMATE.shape and (scores.argmax(axis=1) == 1).all()
    np.testing.assert_allclose(scores[0], [2 / 5, 4 / 5, 3 / 5])  # Beta(1 + right, 1 + wrong) means


def test_gold_tasks_are_nested_across_shares_and_the_same_for_every_arm():
    small, large = draw_gold_tasks(900, 5, 16, 2), draw_gold_tasks(900, 5, 48, 2)
    assert len(small) == 3 and len(large) == 9 and set(small) <= set(large)
    assert np.array_equal(small, draw_gold_tasks(900, 5, 16, 2)) and not np.array_equal(
        small, draw_gold_tasks(900, 5, 16, 3)
    )
    assert len(draw_gold_tasks(900, 5, 4, 0)) == 0


def test_gold_answers_reach_crowd_kit_as_true_labels(monkeypatch):
    import crowdkit.aggregation

    seen = {}
    original = crowdkit.aggregation.DawidSkene.fit

    def spy(self, data, true_labels=None, *args, **kwargs):
        seen["true_labels"] = true_labels
        return original(self, data, true_labels, *args, **kwargs)

    monkeypatch.setattr(crowdkit.aggregation.DawidSkene, "fit", spy)
    z = np.array([[0, 1], [1, 1], [1, 0], [0, 0]], dtype=float)
    estimate = fit_dawid_skene(z, [0, 1], true_labels=[np.nan, 0, np.nan, 0])
    assert seen["true_labels"].to_dict() == {1: 0.0, 3: 0.0}
    assert estimate.labels[1] == 0  # the gold task's label is its truth, whatever its answers said


def test_a_gold_experiment_spends_its_first_cycle_on_gold_tasks_and_dawid_skene_gets_their_truth(
    data, crowd, monkeypatch
):
    config = ExperimentConfig(n_repetitions=1, n_cycles=2, query_batch_size=32, max_epochs=1, gold_share=0.25,
                              arms=(Arm("dawid-skene", "own-estimate"), Arm("annot-mix", "gold")))  # fmt: skip
    seen = []  # what every Dawid-Skene fit inside the experiment holds as its gold truths
    original_fit = DawidSkeneClassifier.fit

    def spy(self, X, y, **fit_params):
        seen.append(None if self.gold_truths is None else self.gold_truths.copy())
        return original_fit(self, X, y, **fit_params)

    monkeypatch.setattr(DawidSkeneClassifier, "fit", spy)
    results = run_experiment(config, data, crowd, progress=False, n_jobs=1, reuse=False)
    gold = draw_gold_tasks(len(crowd), crowd.shape[1], config.n_gold_labels, 0)
    for arm in results.arms:
        first = next(r for r in results.records if r["arm"] == arm and r["cycle"] == 1)
        assert first["n_annotations"] == 32 and min(first["annotations_per_annotator"]) >= len(gold)
    # one fit per cycle, and there are gold tasks
    assert len(seen) == config.n_cycles and len(gold) == config.n_gold_labels // crowd.shape[1] > 0
    for truths in seen:  # the gold tasks' true labels reached the fitted learner, NaN everywhere else
        assert truths is not None and np.array_equal(np.flatnonzero(~np.isnan(truths)), gold)
        np.testing.assert_array_equal(truths[gold], data.y_train[gold])
    assert get_learner("dawid-skene").takes_gold_truths and not get_learner("annot-mix").takes_gold_truths
    clf = make_learner("dawid-skene", data.classes, crowd.shape[1], 0, max_epochs=1, device="cpu")
    assert clf.gold_truths is None  # a learner made outside an experiment has none
    with pytest.raises(ValueError, match="gold_share"):
        replace(config, gold_share=0.0)  # the gold-record choice needs gold tasks


def test_iethresh_buys_the_pairs_scikit_activemls_class_queries(data, crowd):
    y = np.full(crowd.shape, np.nan)
    rng = np.random.default_rng(0)
    first = rng.choice(len(crowd), 40, replace=False)
    y[first, rng.integers(0, crowd.shape[1], 40)] = 0
    y[~np.isnan(y)] = crowd[~np.isnan(y)]
    clf = fit_seeded(make_learner("annot-mix", data.classes, crowd.shape[1], 0, max_epochs=2, device="cpu"),
                     data.X_train, y, 0)  # fmt: skip
    state = CycleState(data.X_train, clf, arguments=get_strategy("iethresh").query_arguments(clf=clf))
    np.random.seed(123)
    outside = np.random.get_state()[1].copy()
    ours = IEThreshPurchase(make_query_strategy("iethresh", 4), 4).buy(y.copy(), crowd, state, 12, cycle=3)
    assert np.array_equal(np.random.get_state()[1], outside)  # numpy's global generator is left as it was
    again = IEThreshPurchase(make_query_strategy("iethresh", 4), 4).buy(y.copy(), crowd, state, 12, cycle=3)
    theirs, y_theirs, strategy = [], y.copy(), make_query_strategy("iethresh", 4)
    np.random.seed(fit_seed(4, 3))  # its annotator model breaks majority-vote ties with numpy's global generator
    while len(theirs) < 12:  # the class itself, asked again after each answer
        pairs = strategy.query(data.X_train, y_theirs, clf=clf, fit_clf=False)[: 12 - len(theirs)]
        y_theirs[pairs[:, 0], pairs[:, 1]] = crowd[pairs[:, 0], pairs[:, 1]]
        theirs += pairs.tolist()
    assert ours.tolist() == theirs == again.tolist() and len(ours) == 12
    assert len(np.unique(ours[:, 0])) < 12  # several annotators per chosen sample: IEThresh's adaptive batches


def test_exploring_arms_give_the_same_numbers_for_one_and_two_workers(data, crowd):
    arms = (Arm("annot-mix", "thompson"), Arm("annot-mix", "epsilon-greedy"), Arm("annot-mix", "iethresh", "iethresh"))
    config = ExperimentConfig(n_repetitions=2, n_cycles=2, query_batch_size=16, max_epochs=1, arms=arms)
    one = run_experiment(config, data, crowd, progress=False, n_jobs=1, reuse=False)
    two = run_experiment(config, data, crowd, progress=False, n_jobs=2, reuse=False)
    assert one.records == two.records


@pytest.mark.parametrize(
    "arm, changes, match",
    [
        (("annot-mix", "iethresh"), {}, "do not go together"),
        (("annot-mix", "own-estimate", "iethresh"), {}, "do not go together"),
        (("annot-mix",), {"gold_share": 1.0}, "gold_share"),
        (("annot-mix",), {"gold_share": 0.6}, "more than the first cycle"),
    ],
)
def test_bad_exploration_settings_stop_with_a_clear_message(arm, changes, match):
    with pytest.raises(ValueError, match=match):
        ExperimentConfig(n_cycles=2, query_batch_size=32, arms=(Arm(*arm),), **changes)


@pytest.fixture(scope="module")
def explored(data, crowd):
    arms = (Arm("annot-mix"), Arm("annot-mix", "own-estimate"), Arm("annot-mix", "thompson"), Arm("majority-vote"))
    config = ExperimentConfig(n_repetitions=2, n_cycles=3, query_batch_size=16, max_epochs=1, arms=arms)
    # the truth known
    return run_experiment(config, data, crowd, profiles=default_crowd(), progress=False, n_jobs=1, reuse=False)


def test_cumulative_regret_counts_the_labels_that_missed_the_best_annotator(explored):
    for arm in explored.arms:
        regret = cumulative_regret(explored, arm)
        bought = explored.values(arm, "n_annotations")
        assert regret.shape == (2, 3) and (np.diff(regret, axis=1) >= 0).all() and (regret <= bought).all()
        missed = (1 - explored.values(arm, "best_annotator_share")[:, 0]) * 16
        np.testing.assert_allclose(regret[:, 0], missed)  # the first cycle: its 16 labels times the share that missed


def test_the_exploration_figures_draw_what_they_are_given(explored, data, crowd):
    import matplotlib.pyplot as plt

    truth = annotator_accuracies(crowd, data.y_train)
    fig = plot_exploration(
        {"default": explored, "again": explored}, explored.arms[:3], {"default": truth, "again": truth}
    )
    assert len(fig.axes) == 6 and len(fig.axes[0].lines) == 3 and len(fig.axes[2].lines) == 3
    np.testing.assert_allclose(fig.axes[1].lines[2].get_ydata(), cumulative_regret(explored, explored.arms[2]).mean(0))
    with pytest.raises(ValueError, match="true_accuracy_by_crowd"):
        plot_exploration({"default": explored}, explored.arms, {"other": truth})
    assert arm_style(Arm("annot-mix", "thompson"), marker_by="choice")["marker"] == CHOICE_MARKERS["thompson"]
    plt.close("all")


def test_gold_effects_pair_each_gold_arm_with_its_reference_without_gold(explored, data, crowd):
    config = ExperimentConfig(n_repetitions=2, n_cycles=3, query_batch_size=16, max_epochs=1, gold_share=0.25,
                              arms=(Arm("annot-mix", "gold"),))  # fmt: skip
    gold = run_experiment(config, data, crowd, profiles=default_crowd(), progress=False, n_jobs=1, reuse=False)
    truth = annotator_accuracies(crowd, data.y_train)
    greedy = Arm("annot-mix", "own-estimate")
    table = gold_effects({0.25: gold}, explored, [Arm("annot-mix", "gold")], truth, {Arm("annot-mix", "gold"): greedy})
    (row,) = table.to_dict("records")
    expected = paired_difference(gold, Arm("annot-mix", "gold"), greedy, "test_accuracy", results_b=explored)
    assert row["gold share"] == 0.25 and np.array_equal(row["curve mean"].per_repetition, expected.per_repetition)
    at_end = paired_difference(
        gold, Arm("annot-mix", "gold"), greedy, "test_accuracy", results_b=explored, at="last cycle"
    )
    assert np.array_equal(row["last cycle"].per_repetition, at_end.per_repetition)
    assert row["without gold"] == pytest.approx(estimate_error(explored, greedy, truth)[:, -1].mean())
    assert row["estimate error"] == pytest.approx(estimate_error(gold, Arm("annot-mix", "gold"), truth)[:, -1].mean())
