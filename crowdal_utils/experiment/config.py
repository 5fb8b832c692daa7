"""Experiment configurations: arms (learner, annotator choice, sample strategy) and the run settings.

The fast/full switch and the results folder come from the environment (:mod:`crowdal_utils._environment`).
"""

from dataclasses import asdict, dataclass

from .._environment import fast_mode, results_dir  # noqa: F401  (crowdal_utils.experiment exports them)
from .._validation import check_int
from ..learners.registry import get_learner
from ..selection.annotator_choice import get_choice
from ..selection.costs import AnnotatorCosts
from ..selection.strategies import get_strategy


@dataclass(frozen=True)
class Arm:
    """One arm of an experiment: a learner, how it chooses annotators, how it chooses samples.

    Attributes
    ----------
    learner : str
        A name from ``crowdal_utils.learners.LEARNERS``.
    choice : str, default="random"
        A name from ``crowdal_utils.selection.CHOICES``.
    strategy : str, default="random"
        A name from ``crowdal_utils.selection.QUERY_STRATEGIES``.
    """

    learner: str
    choice: str = "random"
    strategy: str = "random"

    def __post_init__(self):
        learner = get_learner(self.learner, "learner")
        choice = get_choice(self.choice, "choice")
        strategy = get_strategy(self.strategy, "strategy")
        if strategy.chooses_annotators != (choice.needs == "iethresh"):
            raise ValueError(
                f"`choice` {self.choice!r} and `strategy` {self.strategy!r} do not go together: the strategy "
                "'iethresh' picks its annotators itself and needs the choice 'iethresh', which needs that strategy."
            )
        if choice.needs == "estimate" and not learner.estimates_annotators:
            raise ValueError(
                f"`choice` {self.choice!r} needs the learner's estimate of the annotators; {self.learner!r} makes none."
            )

    @property
    def label(self):
        """Display name, e.g. ``"Annot-Mix · own estimate"`` (the sample strategy only when it is not random)."""
        parts = [get_learner(self.learner).display_name, get_choice(self.choice).display_name]
        if self.strategy not in ("random", self.choice):
            parts.append(get_strategy(self.strategy).display_name)
        return " · ".join(parts)

    @property
    def key(self):
        """``"learner/choice/strategy"``: the arm's name in results files and checkpoints."""
        return f"{self.learner}/{self.choice}/{self.strategy}"

    @classmethod
    def from_key(cls, key):
        """The arm whose :attr:`key` is ``key``."""
        if not isinstance(key, str) or key.count("/") != 2:
            raise ValueError(f"`key` must look like 'learner/choice/strategy', got {key!r}.")
        return cls(*key.split("/"))


def as_arm(arm, argument="arm"):
    """``arm`` as an :class:`Arm`: an Arm, its key, or a (learner, choice[, strategy]) tuple."""
    if isinstance(arm, Arm):
        return arm
    if isinstance(arm, str):
        return Arm.from_key(arm) if "/" in arm else Arm(arm)
    if isinstance(arm, tuple | list) and 1 <= len(arm) <= 3:
        return Arm(*arm)
    raise TypeError(f"`{argument}` must be an Arm, a key 'learner/choice/strategy' or a tuple, got {arm!r}.")


def factorial_arms(learners, choices, strategy="random", true_labels=True, exclude=()):
    """Every learner with every annotator choice it can make (learner x choice), plus the true-labels ceiling.

    A learner that makes no estimate of the annotators skips choices that need one;
    ``exclude`` lists (learner, choice) pairs left out on purpose (e.g. to save time).

    Returns
    -------
    tuple of Arm
    """
    excluded = set()
    for pair in exclude:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValueError(f"`exclude` must hold (learner, choice) pairs, got {pair!r}.")
        excluded.add(tuple(pair))
    arms = [
        Arm(learner, choice, strategy)
        for learner in learners
        for choice in choices
        if (get_choice(choice).needs != "estimate" or get_learner(learner).estimates_annotators)
        and (learner, choice) not in excluded
    ]
    if true_labels:
        arms.append(Arm("true-labels", "random", strategy))
    return tuple(arms)


#: The reference tutorial's two arms: majority vote asking random annotators, Annot-Mix asking by its own estimate.
REFERENCE_ARMS = (Arm("majority-vote", "random"), Arm("annot-mix", "own-estimate"))


@dataclass(frozen=True)
class ExperimentConfig:
    """What one active-learning experiment runs.

    Attributes
    ----------
    n_repetitions : int
        Independent runs per arm (repetition ``r`` uses seed ``r``, so arms are
        paired by repetition: same first batch, same seeds).
    n_cycles : int
        Query-then-train cycles per run; the curves have one point per cycle.
    query_batch_size : int
        (sample, annotator) pairs acquired per cycle (without costs).
    max_epochs : int
        Training epochs of every fit.
    arms : tuple of Arm
        What to compare; anything :func:`as_arm` accepts. Default: the reference's
        majority vote (random annotators) and Annot-Mix (its own estimate).
    annotator_costs : AnnotatorCosts or None
        Prices (and capacities) of the annotators. With costs, each cycle spends
        ``budget_per_cycle`` cost units instead of buying ``query_batch_size`` labels.
    budget_per_cycle : float or None
        Cost units per cycle; required with ``annotator_costs``.
    gold_share : float in [0, 1), default=0
        Share of the labels spent on **gold tasks**: in the first cycle, a few
        samples (drawn with the repetition's seed) whose true label the requester
        knows are answered by every annotator. The answers are training labels like
        any others; their right/wrong record drives the choice ``"gold"``, and
        Dawid–Skene takes the gold samples' true labels into its EM. They come out
        of the same budget: the first cycle buys that many fewer other labels.
    """

    n_repetitions: int = 3
    n_cycles: int = 10
    query_batch_size: int = 64
    max_epochs: int = 100
    arms: tuple = REFERENCE_ARMS
    annotator_costs: AnnotatorCosts | None = None
    budget_per_cycle: float | None = None
    gold_share: float = 0.0

    def __post_init__(self):
        for name in ("n_repetitions", "n_cycles", "query_batch_size", "max_epochs"):
            check_int(getattr(self, name), name, minimum=1)
        if isinstance(self.arms, str | Arm) or not isinstance(self.arms, tuple | list) or not self.arms:
            raise TypeError(f"`arms` must be a non-empty tuple of arms, got {self.arms!r}.")
        arms = tuple(as_arm(arm, f"arms[{k}]") for k, arm in enumerate(self.arms))
        keys = [arm.key for arm in arms]
        if len(set(keys)) != len(keys):
            raise ValueError(f"`arms` names an arm twice: {keys}.")
        object.__setattr__(self, "arms", arms)
        if self.annotator_costs is not None and not isinstance(self.annotator_costs, AnnotatorCosts):
            raise TypeError(f"`annotator_costs` must be an AnnotatorCosts or None, got {self.annotator_costs!r}.")
        if (self.annotator_costs is None) != (self.budget_per_cycle is None):
            raise ValueError("`annotator_costs` and `budget_per_cycle` go together: give both or neither.")
        if self.budget_per_cycle is not None:
            budget = self.budget_per_cycle
            if isinstance(budget, bool) or not isinstance(budget, int | float) or not budget > 0:
                raise ValueError(f"`budget_per_cycle` must be a positive number, got {budget!r}.")
            costs = self.annotator_costs
            available = [c for j, c in enumerate(costs.cost_per_label) if costs.capacity is None or costs.capacity[j]]
            if budget < min(available):
                raise ValueError(
                    f"`budget_per_cycle` = {budget} buys no label in a cycle: the cheapest annotator with capacity "
                    f"costs {min(available)}; raise the budget or lower the prices."
                )

        share = self.gold_share
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share < 1:
            raise ValueError(f"`gold_share` must be a number in [0, 1), got {share!r}.")
        if share and self.annotator_costs is not None:
            raise ValueError("`gold_share` and `annotator_costs` do not go together (gold is counted in labels).")
        if self.n_gold_labels > self.query_batch_size:
            raise ValueError(
                f"`gold_share` = {share} spends {self.n_gold_labels} labels on gold tasks, more than the first cycle "
                f"buys ({self.query_batch_size}); lower it."
            )
        needs_gold = [arm.key for arm in arms if get_choice(arm.choice).needs == "gold"]
        if needs_gold and not self.n_gold_labels:
            raise ValueError(f"`arms` {needs_gold} choose by the gold record; set `gold_share` > 0.")

    @property
    def n_gold_labels(self):
        """The gold budget: ``gold_share`` of all labels, rounded (0 without gold).

        It buys ``n_gold_labels // n_annotators`` gold tasks, each answered by every annotator;
        what is left of it (fewer labels than annotators) buys ordinary labels.
        """
        return int(round(self.gold_share * self.n_cycles * self.query_batch_size))

    @property
    def learners(self):
        """Names of the learners in :attr:`arms`, in order, each once."""
        return tuple(dict.fromkeys(arm.learner for arm in self.arms))

    @property
    def budget(self):
        """Total budget in cost units (``None`` without costs)."""
        return None if self.budget_per_cycle is None else self.budget_per_cycle * self.n_cycles

    @classmethod
    def full(cls, **changes):
        """The reference's configuration: 3 repetitions x 10 cycles x 64 pairs, 100 epochs (``changes`` override)."""
        return cls(**changes)

    @classmethod
    def fast(cls, **changes):
        """Fewer repetitions and cycles, same training: 2 x 5 x 64, 100 epochs (``changes`` override)."""
        return cls(**{"n_repetitions": 2, "n_cycles": 5, "query_batch_size": 64, "max_epochs": 100, **changes})

    @classmethod
    def from_environment(cls, environ=None, **changes):
        """``fast(**changes)`` when ``CROWDAL_FAST`` is set, else ``full(**changes)``."""
        return cls.fast(**changes) if fast_mode(environ) else cls.full(**changes)

    def to_dict(self):
        """Plain-JSON form (arms as their keys)."""
        d = asdict(self)
        d["arms"] = [arm.key for arm in self.arms]
        if self.annotator_costs is not None:
            d["annotator_costs"] = {
                "cost_per_label": list(self.annotator_costs.cost_per_label),
                "capacity": None if self.annotator_costs.capacity is None else list(self.annotator_costs.capacity),
            }
        return d

    @classmethod
    def from_dict(cls, d):
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        if d.get("annotator_costs") is not None:
            d["annotator_costs"] = AnnotatorCosts(**d["annotator_costs"])
        d["arms"] = tuple(Arm.from_key(k) for k in d["arms"])
        return cls(**d)

    def run_settings(self):
        """What decides one (arm, repetition)'s numbers besides the arm: everything but ``n_repetitions`` and ``arms``.

        Checkpoints are keyed by it, so a run of notebook 05 finds the arms that
        notebook 03 already computed with the same settings.
        """
        d = self.to_dict()
        del d["n_repetitions"], d["arms"]
        return d
