"""Annotator-choice policies and the cost layer, on hand-made examples and in the loop."""

import numpy as np
import pytest
from skactiveml.pool import RandomSampling
from skactiveml.pool.multiannotator import SingleAnnotatorWrapper

from crowdal_utils.experiment.config import ExperimentConfig
from crowdal_utils.experiment.loop import prepare_crowd, run_experiment, run_repetition
from crowdal_utils.selection import purchases as purchases_module
from crowdal_utils.selection.annotator_choice import CHOICES, ChoiceContext, get_choice
from crowdal_utils.selection.costs import AnnotatorCosts, buy_labels

#: Four samples, three annotators: who is best differs from sample to sample.
HAND_MADE = np.array([[0.9, 0.5, 0.7], [0.2, 0.8, 0.6], [0.3, 0.4, 0.95], [0.6, 0.61, 0.1]])


def _wrapper(seed=0):
    return SingleAnnotatorWrapper(RandomSampling(random_state=seed), random_state=seed)


def _query_all(a_perf, y=None, annotators=None):
    """Ask about every sample once (batch of 4) with ``a_perf`` as the wrapper's A_perf."""
    X = np.arange(8, dtype=float).reshape(4, 2)
    y = np.full((4, 3), np.nan) if y is None else y
    return _wrapper().query(X=X, y=y, A_perf=a_perf, annotators=annotators, batch_size=4, n_annotators_per_sample=1)


def test_the_wrapper_asks_each_chosen_sample_its_highest_scored_annotator():
    """This is how Annot-Mix's own estimate decides whom to ask (issue: no test showed it followed A_perf)."""
    pairs = _query_all(HAND_MADE)
    assert sorted(map(tuple, pairs)) == [(0, 0), (1, 1), (2, 2), (3, 1)]


def test_an_annotator_already_asked_is_skipped_for_the_next_best():
    y = np.full((4, 3), np.nan)
    y[0, 0] = y[2, 2] = 1  # the best annotators of samples 0 and 2 have answered already
    pairs = dict(map(tuple, _query_all(HAND_MADE, y)))
    assert pairs[0] == 2 and pairs[2] == 1 and pairs[1] == 1


def _context(estimate=None, oracle=None, costs=None, spent=(0.0, 0.0, 0.0), budget=None):
    return ChoiceContext(
        None if estimate is None else np.asarray(estimate),
        None if oracle is None else np.asarray(oracle),
        None if costs is None else np.asarray(costs, dtype=float),
        np.asarray(spent, dtype=float),
        budget,
    )


def test_own_estimate_and_oracle_hand_the_wrapper_their_scores():
    estimate, oracle = HAND_MADE, HAND_MADE[:, ::-1]
    context = _context(estimate, oracle)
    assert get_choice("own-estimate").scores(context) is estimate
    assert get_choice("oracle").scores(context) is oracle
    assert get_choice("random").scores(context) is None
    pairs = dict(map(tuple, _query_all(get_choice("oracle").scores(context))))
    assert pairs == {s: int(np.argmax(oracle[s])) for s in range(4)}


def test_accuracy_per_cost_prefers_the_cheap_annotator_when_it_is_worth_it():
    # Sample 0: the best annotator (0.9) costs 3, so 0.9/3 = 0.30 loses to the cheap 0.7/1 = 0.70.
    costs = (3.0, 1.0, 1.0)
    scores = get_choice("per-cost").scores(_context(HAND_MADE, costs=costs))
    np.testing.assert_allclose(scores, HAND_MADE / np.array(costs))
    pairs = dict(map(tuple, _query_all(scores)))
    assert pairs == {0: 2, 1: 1, 2: 2, 3: 1}
    assert dict(map(tuple, _query_all(HAND_MADE)))[0] == 0  # regardless of cost, sample 0 goes to annotator 0


def test_equal_share_caps_each_annotator_at_its_share_of_the_budget():
    policy = get_choice("equal-share")
    # budget 12 over 3 annotators = 4 each; annotator 0 has spent 4 already, annotator 1 costs 2 per label
    limits = policy.limits(_context(HAND_MADE, costs=(1, 2, 1), spent=(4, 2, 0), budget=12.0))
    assert limits.tolist() == [0, 1, 4]
    assert policy.scores(_context(HAND_MADE)) is HAND_MADE
    assert policy.limits(_context(HAND_MADE)) is None  # no budget, no cap


def _scripted_query(order):
    """A query that proposes free, allowed pairs in a fixed preference order (most expensive first)."""

    def query(candidates, annotators, batch_size):
        pairs = [(candidates[i], a) for a in order for i in range(len(candidates)) if annotators[i, a]]
        return np.array(pairs[:batch_size]).reshape(-1, 2)

    return query


@pytest.mark.parametrize("money", [0.5, 1.0, 7.0, 13.5, 40.0])
def test_buying_never_exceeds_the_money_nor_a_capacity_nor_asks_twice(money):
    crowd = np.tile(np.arange(6)[:, None], (1, 3)).astype(float)
    crowd[5, 2] = np.nan  # an annotator of a real crowd who never labelled sample 5
    costs = AnnotatorCosts((3.0, 2.0, 1.0), capacity=(2, 10, 3))
    y = np.full((6, 3), np.nan)
    y[0, 2] = 0.0  # asked before
    bought = buy_labels(_scripted_query([0, 1, 2]), y, crowd, costs, money)
    prices = np.array(costs.cost_per_label)
    assert prices[bought[:, 1]].sum() <= money
    given = (~np.isnan(y)).sum(axis=0)
    assert np.all(given <= np.array(costs.capacity))
    assert len({tuple(p) for p in bought}) == len(bought) and (0, 2) not in map(tuple, bought)
    assert (5, 2) not in map(tuple, bought)
    # whatever is left cannot buy one more label that is allowed
    open_ = (prices <= money - prices[bought[:, 1]].sum() + 1e-9) & (given < np.array(costs.capacity))
    assert not (np.isnan(y) & ~np.isnan(crowd) & open_).any()


def test_buying_respects_the_policys_caps_and_a_number_of_labels():
    crowd = np.zeros((10, 2))
    y = np.full((10, 2), np.nan)
    bought = buy_labels(_scripted_query([0, 1]), y, crowd, AnnotatorCosts((1.0, 1.0)), 100, np.array([3, 100]), 7)
    assert len(bought) == 7 and (bought[:, 1] == 0).sum() == 3


@pytest.mark.parametrize(
    "make, err, match",
    [
        (lambda: AnnotatorCosts((1.0, -2.0)), ValueError, "cost_per_label"),
        (lambda: AnnotatorCosts(("cheap", 1)), TypeError, "cost_per_label"),
        (lambda: AnnotatorCosts((1.0, 2.0), capacity=(3,)), ValueError, "capacity"),
        (lambda: AnnotatorCosts((1.0, 2.0), capacity=(3, -1)), ValueError, r"capacity\[1\]"),
        (lambda: get_choice("cheapest"), ValueError, "choice"),
        (lambda: get_choice(None), TypeError, "choice"),
    ],
)
def test_bad_costs_and_choices_are_named(make, err, match):
    with pytest.raises(err, match=match):
        make()


def test_every_choice_is_registered_under_its_name():
    assert all(name == choice.name for name, choice in CHOICES.items())


SMALL = ExperimentConfig(n_repetitions=1, n_cycles=3, query_batch_size=24, max_epochs=3)


def test_in_the_loop_annot_mix_asks_whom_its_estimate_ranks_first(data, monkeypatch):
    """Spy on the wrapper: from cycle 2, A_perf is the learner's estimate and each pair gets its best free annotator."""
    seen = []
    real = purchases_module.make_query_strategy

    def spying(name, random_state):
        wrapper = real(name, random_state)
        query = wrapper.query

        def recorded(**kwargs):
            y_before = kwargs["y"].copy()
            pairs = query(**kwargs)
            seen.append((kwargs["A_perf"], y_before, pairs))
            return pairs

        wrapper.query = recorded
        return wrapper

    monkeypatch.setattr(purchases_module, "make_query_strategy", spying)
    data_, z, _, proba = prepare_crowd(data)
    records = run_repetition(("annot-mix", "own-estimate"), data_, z, SMALL, 0, proba, progress=False)
    assert seen[0][0] is None  # the shared first batch: random annotators
    for cycle, (a_perf, y_before, pairs) in enumerate(seen[1:], start=2):
        np.testing.assert_allclose(a_perf.mean(axis=0), records[cycle - 2]["estimated_accuracy"])
        for sample, annotator in pairs:
            free = np.isnan(y_before[sample])
            assert a_perf[sample, annotator] == a_perf[sample, free].max()


def test_the_oracle_asks_the_truly_best_annotator(data):
    data_, z, _, proba = prepare_crowd(data)
    oracle = run_repetition(("majority-vote", "oracle"), data_, z, SMALL, 0, proba, progress=False)
    randomly = run_repetition(("majority-vote", "random"), data_, z, SMALL, 0, proba, progress=False)
    assert oracle[0] == {**randomly[0], "arm": oracle[0]["arm"], "choice": "oracle"}  # shared first batch
    # all but second opinions on a sample whose best annotator has answered already
    assert all(r["best_annotator_share"] > 0.9 for r in oracle[1:]), [r["best_annotator_share"] for r in oracle]
    assert all(r["best_annotator_share"] < 0.6 for r in randomly)


def test_with_costs_no_cycle_overspends_and_no_capacity_is_exceeded(data):
    costs = AnnotatorCosts((4.0, 2.0, 1.0, 2.0, 1.0), capacity=(6, 30, 30, 30, 30))
    config = ExperimentConfig(
        n_repetitions=1,
        n_cycles=3,
        max_epochs=2,
        arms=[("annot-mix", c) for c in ("own-estimate", "per-cost", "equal-share")],
        annotator_costs=costs,
        budget_per_cycle=30.0,
    )
    results = run_experiment(config, data, progress=False, n_jobs=1, reuse=False)
    for arm in results.arms:
        spent = results.values(arm, "cost")[0]
        assert np.all(spent <= 30.0 * np.arange(1, 4) + 1e-9), (arm, spent)
        assert spent[-1] >= 90.0 - 4.0  # the money is used up to less than the dearest label
        counts = results.annotations_per_annotator(arm)[0, -1]
        assert np.all(counts <= np.array(costs.capacity))
    equal = results.annotations_per_annotator(("annot-mix", "equal-share"))[0, -1] * np.array(costs.cost_per_label)
    assert np.all(equal <= 90.0 / 5 + 1e-9)  # nobody got more than an equal share of the money


def test_buying_from_a_nearly_exhausted_crowd_ends_with_what_is_left():
    """Only three samples can still be asked. The wrapper must not be offered the others: it picked samples nobody
    could answer and then looped for ever trying to fill its batch (seen in notebook 07's real-crowd run)."""
    import signal

    from crowdal_utils.selection.purchases import _query_pairs

    crowd = np.tile(np.arange(10.0)[:, None] % 3, (1, 2))
    crowd[3:, 1] = np.nan  # annotator 1 never labelled samples 3..9
    y = np.full((10, 2), np.nan)
    y[3:, 0] = crowd[3:, 0]  # and annotator 0 has answered them already
    y[:3, 0] = crowd[:3, 0]
    wrapper = SingleAnnotatorWrapper(RandomSampling(random_state=0), random_state=0)
    query = lambda **kw: _query_pairs(wrapper, np.zeros((10, 2)), y, HAND_MADE[:1].repeat(10, 0)[:, :2], {}, **kw)  # noqa: E731

    def give_up(signum, frame):
        raise TimeoutError("buy_labels did not return within 20 s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(20)
    try:
        bought = buy_labels(query, y, crowd, AnnotatorCosts((1.0, 1.0)), money_left=5.0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert sorted(map(tuple, bought)) == [(0, 1), (1, 1), (2, 1)]


def test_a_cost_configuration_that_buys_no_label_stops_at_once():
    from crowdal_utils.experiment.config import ExperimentConfig
    from crowdal_utils.selection.costs import AnnotatorCosts

    with pytest.raises(ValueError, match="capacity"):
        AnnotatorCosts(cost_per_label=(4, 2, 1), capacity=(0, 0, 0))
    costs = AnnotatorCosts(cost_per_label=(4, 2, 1), capacity=(80, 80, 0))
    with pytest.raises(ValueError, match="`budget_per_cycle` = 1.5 buys no label.*costs 2"):
        ExperimentConfig(annotator_costs=costs, budget_per_cycle=1.5)
    assert ExperimentConfig(annotator_costs=costs, budget_per_cycle=2).budget_per_cycle == 2
