"""crowdal_utils.selection's public names, for editors and type checkers (SPEC 1)."""

from .annotator_choice import (
    CHOICES as CHOICES,
)
from .annotator_choice import (
    AnnotatorChoice as AnnotatorChoice,
)
from .annotator_choice import (
    ChoiceContext as ChoiceContext,
)
from .annotator_choice import (
    EpsilonGreedyChoice as EpsilonGreedyChoice,
)
from .annotator_choice import (
    EqualShareChoice as EqualShareChoice,
)
from .annotator_choice import (
    GoldChoice as GoldChoice,
)
from .annotator_choice import (
    IEThreshChoice as IEThreshChoice,
)
from .annotator_choice import (
    OracleChoice as OracleChoice,
)
from .annotator_choice import (
    OwnEstimateChoice as OwnEstimateChoice,
)
from .annotator_choice import (
    PerCostChoice as PerCostChoice,
)
from .annotator_choice import (
    RandomChoice as RandomChoice,
)
from .annotator_choice import (
    ThompsonChoice as ThompsonChoice,
)
from .annotator_choice import (
    UpperConfidenceChoice as UpperConfidenceChoice,
)
from .annotator_choice import (
    beta_evidence as beta_evidence,
)
from .annotator_choice import (
    get_choice as get_choice,
)
from .costs import AnnotatorCosts as AnnotatorCosts
from .costs import buy_labels as buy_labels
from .pool_strategies import ActiveLabSampling as ActiveLabSampling
from .pool_strategies import RandomNewSampling as RandomNewSampling
from .purchases import (
    CycleState as CycleState,
)
from .purchases import (
    GoldTasks as GoldTasks,
)
from .purchases import (
    IEThreshPurchase as IEThreshPurchase,
)
from .purchases import (
    LabelPlan as LabelPlan,
)
from .purchases import (
    WrappedStrategy as WrappedStrategy,
)
from .strategies import (
    QUERY_STRATEGIES as QUERY_STRATEGIES,
)
from .strategies import (
    SampleStrategy as SampleStrategy,
)
from .strategies import (
    get_strategy as get_strategy,
)
from .strategies import (
    make_activelab_sampling as make_activelab_sampling,
)
from .strategies import (
    make_query_strategy as make_query_strategy,
)
