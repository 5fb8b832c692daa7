"""Annotator-choice policies: once a sample is chosen, *whom* to ask about it.

scikit-activeml's ``SingleAnnotatorWrapper`` turns a ranking of samples into
(sample, annotator) pairs. It takes two inputs about annotators, and a policy is
nothing more than a rule for filling them in:

``A_perf`` (n_samples, n_annotators)
    A score per (sample, annotator): the wrapper asks, for each chosen sample, the
    free annotator with the highest score; ``None`` means a random free annotator.
``annotators`` (n_samples, n_annotators), bool
    Which (sample, annotator) pairs may be asked at all; ``None`` means every pair
    not asked before. A policy may cap how many more labels each annotator may give
    (:meth:`AnnotatorChoice.limits`); the cost layer (:mod:`crowdal_utils.selection.costs`)
    turns caps, prices and capacities into this mask and enforces them pair by pair.

Every policy acts from the second cycle on. In the first cycle no learner has been
trained, so every arm of an experiment asks random annotators and all arms share
their first batch; that is also what makes arms comparable pair by pair.

Policies are small frozen objects registered by name in :data:`CHOICES`, so a
configuration names its choice and a results file records it.

Exploring policies (notebook 08) trade asking the annotator that looks best against
learning about the others: ε-greedy asks a random annotator now and then; upper
confidence and Thompson sampling turn the learner's point estimate into a Beta
posterior whose width comes from how many labels each annotator has given
(:func:`beta_evidence`), and ask the annotator that could plausibly be best (a high
quantile) or whose random draw is best. The gold-record policy trusts only the
answers on gold tasks.
"""

from dataclasses import dataclass

import numpy as np

from .._registry import lookup


@dataclass(frozen=True)
class ChoiceContext:
    """What a policy may look at when it scores annotators in one cycle.

    Attributes
    ----------
    estimate : np.ndarray of shape (n_samples, n_annotators) or None
        The learner's own estimate of each annotator's probability of a right
        answer (``None`` when the learner does not estimate annotators).
    oracle : np.ndarray of shape (n_samples, n_annotators) or None
        The true probability of a right answer, known only for a simulated crowd.
    costs : np.ndarray of shape (n_annotators,) or None
        Cost of one label from each annotator (``None``: every label costs 1).
    spent : np.ndarray of shape (n_annotators,)
        Cost units paid to each annotator so far.
    budget : float or None
        The experiment's total budget in cost units (``None`` without costs).
    labels_given : np.ndarray of shape (n_annotators,) or None
        Labels each annotator has given so far: the evidence behind the estimate
        (exploring policies turn it into an uncertainty, see :func:`beta_evidence`).
    rng : np.random.Generator or None
        The policy's own randomness, seeded by the repetition and the cycle.
    gold_right, gold_asked : np.ndarray of shape (n_annotators,) or None
        Each annotator's right answers and answers on the gold tasks (samples whose
        true label the requester knows); ``None`` without gold tasks.
    """

    estimate: np.ndarray | None
    oracle: np.ndarray | None
    costs: np.ndarray | None
    spent: np.ndarray
    budget: float | None = None
    labels_given: np.ndarray | None = None
    rng: np.random.Generator | None = None
    gold_right: np.ndarray | None = None
    gold_asked: np.ndarray | None = None


@dataclass(frozen=True)
class AnnotatorChoice:
    """Base of the policies: a name, a display name, and what the policy needs."""

    name: str
    display_name: str
    #: ``"estimate"`` (the learner's own estimate), ``"oracle"`` (a simulated crowd's truth), ``"gold"`` (answers
    #: on gold tasks, ``ExperimentConfig.gold_share``), ``"iethresh"`` (the sample strategy that also chooses
    #: annotators) or ``None``.
    needs: str | None = None

    def scores(self, context):
        """``A_perf`` for the wrapper, shape (n_samples, n_annotators), or ``None`` for a random annotator."""
        return None

    def limits(self, context):
        """How many more labels each annotator may give this cycle, shape (n_annotators,), or ``None``: no cap."""
        return None


@dataclass(frozen=True)
class RandomChoice(AnnotatorChoice):
    """Ask a random free annotator, as majority vote does in the reference tutorial."""


@dataclass(frozen=True)
class OwnEstimateChoice(AnnotatorChoice):
    """Ask the annotator the learner itself estimates most likely to be right about this sample."""

    def scores(self, context):
        return context.estimate


@dataclass(frozen=True)
class OracleChoice(AnnotatorChoice):
    """Ask the annotator who truly is most likely to be right: the ceiling of annotator choice."""

    def scores(self, context):
        return context.oracle


@dataclass(frozen=True)
class PerCostChoice(AnnotatorChoice):
    """Ask the annotator with the highest estimated accuracy per unit of cost."""

    def scores(self, context):
        costs = np.ones(context.estimate.shape[1]) if context.costs is None else context.costs
        return context.estimate / costs


@dataclass(frozen=True)
class EqualShareChoice(AnnotatorChoice):
    """Best estimated annotator, but no annotator may take more than an equal share of the budget."""

    def scores(self, context):
        return context.estimate

    def limits(self, context):
        """The labels that still fit into each annotator's equal share of the budget."""
        if context.budget is None:
            return None
        share = context.budget / len(context.spent)
        costs = np.ones(len(context.spent)) if context.costs is None else context.costs
        return np.floor((share - context.spent) / costs + 1e-9).clip(min=0)


def beta_evidence(estimate, labels_given):
    """Beta(a, b) parameters per (sample, annotator): the learner's estimate as the mean, label counts as evidence.

    A learner's estimate is a point value; how far to trust it grows with the
    labels an annotator has given so far (the evidence the learner estimated it
    from). ``a = 1 + n_j p_ij`` and ``b = 1 + n_j (1 - p_ij)``: an annotator never
    asked is Beta(1, 1) (anything is possible), one asked 100 times is sharply
    around its estimate.

    Parameters
    ----------
    estimate : np.ndarray of shape (n_samples, n_annotators), in [0, 1]
    labels_given : np.ndarray of shape (n_annotators,), counts >= 0

    Returns
    -------
    a, b : np.ndarray of shape (n_samples, n_annotators)
    """
    n = np.asarray(labels_given, dtype=float)[None, :]
    return 1.0 + n * estimate, 1.0 + n * (1.0 - estimate)


@dataclass(frozen=True)
class EpsilonGreedyChoice(AnnotatorChoice):
    """Own estimate, but each chosen sample goes to a random annotator with probability ``epsilon``."""

    epsilon: float = 0.1

    def scores(self, context):
        scores = np.array(context.estimate, dtype=float)
        explore = context.rng.random(len(scores)) < self.epsilon
        scores[explore] = context.rng.random((int(explore.sum()), scores.shape[1]))
        return scores


@dataclass(frozen=True)
class UpperConfidenceChoice(AnnotatorChoice):
    """Ask the annotator whose accuracy could plausibly be highest: the ``quantile`` of its Beta posterior."""

    quantile: float = 0.9

    def scores(self, context):
        from scipy.stats import beta

        a, b = beta_evidence(context.estimate, context.labels_given)
        return beta.ppf(self.quantile, a, b)


@dataclass(frozen=True)
class ThompsonChoice(AnnotatorChoice):
    """Draw each annotator's accuracy from its Beta posterior, per sample, and ask the best draw."""

    def scores(self, context):
        a, b = beta_evidence(context.estimate, context.labels_given)
        return context.rng.beta(a, b)


@dataclass(frozen=True)
class GoldChoice(AnnotatorChoice):
    """Ask the annotator with the best record on the gold tasks (posterior mean of Beta(1 + right, 1 + wrong))."""

    def scores(self, context):
        accuracy = (1.0 + context.gold_right) / (2.0 + context.gold_asked)
        n_samples = len(context.estimate if context.estimate is not None else context.oracle)
        return np.tile(accuracy, (n_samples, 1))


@dataclass(frozen=True)
class IEThreshChoice(AnnotatorChoice):
    """IEThresh chooses its annotators itself, with its samples (sample strategy ``"iethresh"``); this names it."""


#: Every policy by name.
CHOICES = {
    choice.name: choice
    for choice in (
        RandomChoice("random", "random annotator"),
        OwnEstimateChoice("own-estimate", "own estimate", needs="estimate"),
        OracleChoice("oracle", "oracle", needs="oracle"),
        PerCostChoice("per-cost", "accuracy per cost", needs="estimate"),
        EqualShareChoice("equal-share", "equal share", needs="estimate"),
        EpsilonGreedyChoice("epsilon-greedy", "ε-greedy (ε = 0.1)", needs="estimate", epsilon=0.1),
        EpsilonGreedyChoice("epsilon-greedy-0.5", "ε-greedy (ε = 0.5)", needs="estimate", epsilon=0.5),
        UpperConfidenceChoice("upper-confidence", "upper confidence", needs="estimate", quantile=0.9),
        ThompsonChoice("thompson", "Thompson sampling", needs="estimate"),
        GoldChoice("gold", "gold record", needs="gold"),
        IEThreshChoice("iethresh", "IEThresh", needs="iethresh"),
    )
}


def get_choice(name, argument="choice"):
    """The policy called ``name``; an unknown or unhashable name raises naming ``argument``."""
    return lookup(CHOICES, name, argument, "annotator-choice")
