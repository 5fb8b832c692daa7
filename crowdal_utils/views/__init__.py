"""Figures and the two interactive explorers, in one colour per learner and one line style per choice."""

from .._lazy import lazy_exports

#: One line per module of this subpackage: its name, then the public names it defines (imported on first use).
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    """
    crowd_figures       plot_annotator_accuracies plot_confusion_matrices plot_digit_examples
                        plot_majority_vote_accuracy
    crowd_widget        CrowdExplorer crowd_explorer
    exploration_figures plot_exploration
    quality_figures     plot_class_accuracies plot_confusion_comparison plot_consensus_agreement
                        plot_correctness_by_difficulty
    results_figures     plot_active_learning_loop plot_annotator_usage plot_arm_grid plot_crowd_comparison
                        plot_estimate_quality plot_label_allocation plot_learning_curves plot_paired_differences
                        plot_second_opinions plot_test_accuracies
    results_widget      ARM_DIMENSIONS ResultsExplorer results_explorer
    style               ANNOTATOR_COLOURS CHOICE_COLOURS CHOICE_HATCHES CHOICE_LINESTYLES CHOICE_MARKERS LEARNER_COLOURS
                        STRATEGY_COLOURS STRATEGY_LINESTYLES STRATEGY_MARKERS arm_style
                        save_figure
""",
)
