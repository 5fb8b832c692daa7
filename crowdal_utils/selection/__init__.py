"""Choosing what to label: which samples (query strategies), whom to ask (annotator choice), at what cost."""

from .._lazy import lazy_exports

#: One line per module of this subpackage: its name, then the public names it defines (imported on first use).
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    """
    annotator_choice AnnotatorChoice CHOICES ChoiceContext EpsilonGreedyChoice EqualShareChoice GoldChoice
                     IEThreshChoice OracleChoice OwnEstimateChoice PerCostChoice RandomChoice ThompsonChoice
                     UpperConfidenceChoice beta_evidence get_choice
    costs            AnnotatorCosts buy_labels
    pool_strategies  ActiveLabSampling RandomNewSampling
    strategies       QUERY_STRATEGIES SampleStrategy get_strategy make_activelab_sampling make_query_strategy
""",
)
