"""crowdal_utils.selection's public names, for editors and type checkers (SPEC 1)."""

from .annotator_choice import (
    CHOICES as CHOICES,
    AnnotatorChoice as AnnotatorChoice,
    ChoiceContext as ChoiceContext,
    EpsilonGreedyChoice as EpsilonGreedyChoice,
    EqualShareChoice as EqualShareChoice,
    GoldChoice as GoldChoice,
    IEThreshChoice as IEThreshChoice,
    OracleChoice as OracleChoice,
    OwnEstimateChoice as OwnEstimateChoice,
    PerCostChoice as PerCostChoice,
    RandomChoice as RandomChoice,
    ThompsonChoice as ThompsonChoice,
    UpperConfidenceChoice as UpperConfidenceChoice,
    beta_evidence as beta_evidence,
    get_choice as get_choice,
)
from .costs import AnnotatorCosts as AnnotatorCosts, buy_labels as buy_labels
from .pool_strategies import ActiveLabSampling as ActiveLabSampling, RandomNewSampling as RandomNewSampling
from .purchases import (
    CycleState as CycleState,
    GoldTasks as GoldTasks,
    IEThreshPurchase as IEThreshPurchase,
    LabelPlan as LabelPlan,
    WrappedStrategy as WrappedStrategy,
    draw_gold_tasks as draw_gold_tasks,
)
from .strategies import (
    QUERY_STRATEGIES as QUERY_STRATEGIES,
    SampleStrategy as SampleStrategy,
    get_strategy as get_strategy,
    make_activelab_sampling as make_activelab_sampling,
    make_query_strategy as make_query_strategy,
)
