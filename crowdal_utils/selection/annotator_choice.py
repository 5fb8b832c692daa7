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
    """

    estimate: np.ndarray | None
    oracle: np.ndarray | None
    costs: np.ndarray | None
    spent: np.ndarray
    budget: float | None = None


@dataclass(frozen=True)
class AnnotatorChoice:
    """Base of the policies: a name, a display name, and what the policy needs."""

    name: str
    display_name: str
    #: ``"estimate"`` (the learner's own estimate), ``"oracle"`` (a simulated crowd's truth) or ``None``.
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


#: Every policy by name.
CHOICES = {
    choice.name: choice
    for choice in (
        RandomChoice("random", "random annotator"),
        OwnEstimateChoice("own-estimate", "own estimate", needs="estimate"),
        OracleChoice("oracle", "oracle", needs="oracle"),
        PerCostChoice("per-cost", "accuracy per cost", needs="estimate"),
        EqualShareChoice("equal-share", "equal share", needs="estimate"),
    )
}


def get_choice(name, argument="choice"):
    """The policy called ``name``; an unknown or unhashable name raises naming ``argument``."""
    return lookup(CHOICES, name, argument, "annotator-choice")
