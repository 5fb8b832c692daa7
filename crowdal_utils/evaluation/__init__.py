"""Reading results: estimates of annotator quality and paired differences between arms."""

from .._lazy import lazy_exports

#: One line per module of this subpackage: its name, then the public names it defines (imported on first use).
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    """
    analysis          PairedDifference REGULARISATION_ARMS SUMMARIES agreement allocation_table compare_arms
                      cumulative_regret cycle_differences cycle_table decompose decomposition_arms decomposition_table
                      difference_table estimate_error gold_effects label_allocation last_cycle_share paired_difference
                      regularisation_table second_opinion_table split_model_effect summarise training_label_table
    annotator_quality LearnedAnnotatorEstimate annotator_quality_table buy_random_labels class_performance
                      confusions_from_annotator_class consensus_agreement learned_annotator_estimates
""",
)
