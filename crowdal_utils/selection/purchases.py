"""How an arm buys its labels: one plan per run, asked once per cycle which (sample, annotator) pairs to buy.

The loop (:func:`crowdal_utils.experiment.run_repetition`) knows nothing of how labels are bought. Each cycle it
hands the plan what the last fit left (:class:`CycleState`) and gets back the pairs bought, already revealed in the
label matrix. A :class:`LabelPlan` carries out, in this order:

1. **gold tasks** (cycle 1, with ``ExperimentConfig.gold_share`` > 0): every annotator answers a few samples whose
   true label the requester knows (:class:`GoldTasks`);
2. the **first batch** at random (cycle 1): nothing is fitted yet, so every arm of a repetition buys the same pairs;
3. from cycle 2 on, the **arm's own purchase**: a sample strategy wrapped by scikit-activeml's
   ``SingleAnnotatorWrapper``, which asks the annotators the arm's choice scores best (:class:`WrappedStrategy`), or
   a strategy that picks the pairs itself (IEThresh, :class:`IEThreshPurchase`).

Labels are counted (``query_batch_size`` per cycle) or paid for (``budget_per_cycle`` cost units, with
:class:`~crowdal_utils.selection.costs.AnnotatorCosts`); the purchases spend what the plan allows them.
"""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from .._seeds import fit_seed
from .._validation import check_int
from .costs import AnnotatorCosts, buy_labels
from .strategies import get_strategy, make_query_strategy


@dataclass
class CycleState:
    """What a cycle's purchase may use besides the labels: computed by the loop after the previous cycle's fit.

    Attributes
    ----------
    X : np.ndarray of shape (n_samples, ...)
        What the strategy sees: the images, or the learner's embeddings (``features="embeddings"``).
    clf : fitted classifier or None
        The learner as the previous cycle left it (``None`` in cycle 1).
    scores : np.ndarray of shape (n_samples, n_annotators) or (n_annotators,), or None
        The annotator choice's scores (``A_perf`` of ``SingleAnnotatorWrapper``); ``None`` asks at random.
    limits : np.ndarray of shape (n_annotators,) or None
        The most labels the choice lets each annotator give this cycle.
    arguments : dict
        Extra keyword arguments of the strategy's ``query`` (``SampleStrategy.query_arguments``).
    """

    X: np.ndarray
    clf: Any = None
    scores: Any = None
    limits: Any = None
    arguments: dict = field(default_factory=dict)


def draw_gold_tasks(n_samples, n_annotators, n_labels, repetition):
    """Indices of the gold tasks of ``repetition``: ``n_labels // n_annotators`` samples, each for every annotator.

    The first samples of a permutation drawn from the repetition's own seed (not the
    strategies'): the same for every arm of a repetition, and a larger gold share
    keeps a smaller one's tasks and adds to them. Shape (n_gold,), sorted.
    """
    n_gold = check_int(n_labels, "n_labels", minimum=0) // check_int(n_annotators, "n_annotators", minimum=1)
    if n_gold == 0:
        return np.empty(0, dtype=int)
    rng = np.random.default_rng([repetition, 0, 7])
    return np.sort(rng.permutation(n_samples)[:n_gold])


class GoldTasks:
    """Gold tasks: every annotator answers each of ``samples``, whose true labels the requester knows.

    Parameters
    ----------
    samples : np.ndarray of shape (n_gold,), int
        Indices of the gold tasks (:func:`draw_gold_tasks`).
    y_true : np.ndarray of shape (n_samples,)
        The true labels; only those of ``samples`` are used.

    Attributes
    ----------
    asked, right : np.ndarray of shape (n_annotators,) or None
        After :meth:`buy`: how many gold tasks each annotator answered, and how many rightly (the record the choice
        ``"gold"`` uses).
    """

    def __init__(self, samples, y_true):
        self.samples = np.asarray(samples, dtype=int)
        self.y_true = np.asarray(y_true)
        self.asked = self.right = None

    @classmethod
    def draw(cls, n_labels, n_annotators, y_true, repetition):
        """The gold tasks ``n_labels`` labels buy in ``repetition`` (:func:`draw_gold_tasks`), or ``None`` if none."""
        samples = draw_gold_tasks(len(y_true), n_annotators, n_labels, repetition)
        return cls(samples, y_true) if len(samples) else None

    def truths(self):
        """shape (n_samples,): the true label on each gold task, NaN elsewhere (a learner's ``gold_truths``)."""
        return np.where(np.isin(np.arange(len(self.y_true)), self.samples), self.y_true, np.nan)

    def buy(self, y, crowd_labels):
        """Reveal every annotator's answer on the gold tasks in ``y``; return the pairs, shape (n_pairs, 2)."""
        gold = self.samples
        y[gold] = crowd_labels[gold]
        answered = ~np.isnan(crowd_labels[gold].astype(float))
        self.asked = answered.sum(axis=0)
        self.right = (crowd_labels[gold] == self.y_true[gold, None]).sum(axis=0)
        rows, annotators = np.nonzero(answered)
        return np.column_stack([gold[rows], annotators]).astype(int)


class WrappedStrategy:
    """A sample strategy in scikit-activeml's ``SingleAnnotatorWrapper``: it ranks samples, the scores pick whom.

    Parameters
    ----------
    query_strategy : SingleAnnotatorWrapper
        From :func:`crowdal_utils.selection.make_query_strategy`.
    costs : AnnotatorCosts
        Prices and capacities (unit prices when labels are counted).
    counted : bool
        Labels are counted (an allowance is a number of labels), not paid for (cost units).
    """

    def __init__(self, query_strategy, costs, counted):
        self.query_strategy, self.costs, self.counted = query_strategy, costs, counted

    def buy(self, y, crowd_labels, state, allowance):
        """Buy pairs for ``allowance`` labels (counted) or cost units (paid), reveal them in ``y``, return them."""
        query = partial(_query_pairs, self.query_strategy, state.X, y, state.scores, state.arguments)
        complete = not np.isnan(np.asarray(crowd_labels, dtype=float)).any()
        if self.counted and state.limits is None and complete and self.costs.capacity is None:
            pairs = query(batch_size=allowance)  # the reference's call: every free pair may be asked
            y[pairs[:, 0], pairs[:, 1]] = crowd_labels[pairs[:, 0], pairs[:, 1]]
            return pairs
        max_pairs = allowance if self.counted else None
        return buy_labels(query, y, crowd_labels, self.costs, allowance, state.limits, max_pairs)


def _query_pairs(strategy, X, y, scores, arguments, batch_size, candidates=None, annotators=None):
    """``strategy.query`` for ``batch_size`` pairs; with ``candidates``, ``A_perf`` is cut to their rows."""
    if scores is not None and candidates is not None and np.ndim(scores) == 2:
        scores = scores[candidates]
    return strategy.query(
        X=X,
        y=y,
        candidates=candidates,
        annotators=annotators,
        batch_size=batch_size,
        A_perf=scores,
        n_annotators_per_sample=1,
        **arguments,
    )


class IEThreshPurchase:
    """IEThresh (Donmez et al., 2009; scikit-activeml's ``IntervalEstimationThreshold``) picking pairs itself.

    It decides how many annotators to ask about each sample (every one whose upper confidence bound is close enough
    to the best one's), one sample per query; the answers are revealed in ``y`` before the next query, so its
    annotator model sees them. That model breaks ties of the majority vote with numpy's global generator
    (scikit-activeml passes it no seed), so this adapter seeds that generator with the cycle's seed
    (:func:`crowdal_utils.experiment.fit_seed`) for its queries and restores it afterwards: the same run buys the
    same pairs.

    Parameters
    ----------
    query_strategy : IntervalEstimationThreshold
    repetition : int >= 0
    """

    def __init__(self, query_strategy, repetition):
        self.query_strategy = query_strategy
        self.repetition = check_int(repetition, "repetition", minimum=0)

    def buy(self, y, crowd_labels, state, allowance, cycle):
        """Buy ``allowance`` labels (counted), reveal them in ``y``, return the pairs in the order bought."""
        bought = []
        saved = np.random.get_state()
        np.random.seed(fit_seed(self.repetition, cycle))
        try:
            while len(bought) < allowance:
                pairs = self.query_strategy.query(state.X, y, **state.arguments)[: allowance - len(bought)]
                if len(pairs) == 0:
                    break
                y[pairs[:, 0], pairs[:, 1]] = crowd_labels[pairs[:, 0], pairs[:, 1]]
                bought.extend(pairs.tolist())
        finally:
            np.random.set_state(saved)
        return np.array(bought, dtype=int).reshape(-1, 2)


class LabelPlan:
    """Which (sample, annotator) pairs one run buys, cycle by cycle (the module docstring lists the steps).

    Parameters
    ----------
    strategy : str
        The arm's sample strategy (``crowdal_utils.selection.QUERY_STRATEGIES``).
    repetition : int >= 0
        Seeds the strategies (and IEThresh's ties).
    costs : AnnotatorCosts or None
        ``None``: labels are counted, ``labels_per_cycle`` per cycle, at a unit price.
    labels_per_cycle : int or None
        Labels bought per cycle when they are counted.
    budget_per_cycle : float or None
        Cost units per cycle when they are paid for (unspent money carries over).
    gold : GoldTasks or None
        Gold tasks bought first in cycle 1, out of that cycle's labels.
    """

    def __init__(self, strategy, repetition, costs=None, labels_per_cycle=None, budget_per_cycle=None, gold=None):
        counted = costs is None
        if counted != (labels_per_cycle is not None) or counted != (budget_per_cycle is None):
            raise ValueError("give `labels_per_cycle` without `costs`, or `costs` with `budget_per_cycle`.")
        if costs is not None and not isinstance(costs, AnnotatorCosts):
            raise TypeError(f"`costs` must be an AnnotatorCosts or None, got {type(costs).__name__}.")
        if gold is not None and costs is not None:
            raise ValueError("gold tasks are counted in labels: they do not go with `costs`.")
        self.counted = counted
        self.labels_per_cycle, self.budget_per_cycle, self.gold = labels_per_cycle, budget_per_cycle, gold
        self.sample_strategy = get_strategy(strategy, "strategy")
        arm_strategy = make_query_strategy(strategy, repetition)
        # The first batch is chosen at random by every arm (nothing is fitted yet), from the same seed.
        first = arm_strategy if strategy == "random" else make_query_strategy("random", repetition)
        self.costs = costs
        self._first, self._arm_strategy = first, arm_strategy
        # a strategy that picks its pairs itself (IEThresh) buys through its adapter, made once
        self._pair_purchase = (
            IEThreshPurchase(arm_strategy, repetition) if self.sample_strategy.chooses_annotators else None
        )

    def prices(self, n_annotators):
        """shape (n_annotators,): the price of one label from each annotator (1 when labels are counted)."""
        return np.asarray(self._costs(n_annotators).cost_per_label)

    def _costs(self, n_annotators):
        return AnnotatorCosts((1.0,) * n_annotators) if self.counted else self.costs

    def budget(self, n_cycles):
        """What a run of ``n_cycles`` may spend in all: labels (counted) or cost units."""
        return float(n_cycles * self.labels_per_cycle) if self.counted else self.budget_per_cycle * n_cycles

    def buy(self, cycle, y, crowd_labels, state):
        """The pairs bought in ``cycle`` (1, 2, ...), revealed in ``y`` (updated in place); shape (n_pairs, 2).

        Gold pairs come first, then the others in the order they were bought.
        """
        costs = self._costs(y.shape[1])
        if self.counted:
            allowance = self.labels_per_cycle
        else:  # what is left of the money granted so far
            allowance = self.budget_per_cycle * cycle - float((~np.isnan(y)).sum(axis=0) @ self.prices(y.shape[1]))
        gold_pairs = np.empty((0, 2), dtype=int)
        if cycle == 1 and self.gold is not None:
            gold_pairs = self.gold.buy(y, crowd_labels)
            allowance -= len(gold_pairs)
        if cycle > 1 and self._pair_purchase is not None:
            pairs = self._pair_purchase.buy(y, crowd_labels, state, allowance, cycle)
        else:
            strategy = self._first if cycle == 1 else self._arm_strategy
            pairs = WrappedStrategy(strategy, costs, self.counted).buy(y, crowd_labels, state, allowance)
        return np.concatenate([gold_pairs, pairs]) if len(gold_pairs) else pairs
