"""crowdal_utils.views's public names, for editors and type checkers (SPEC 1)."""

from .crowd_figures import (
    plot_annotator_accuracies as plot_annotator_accuracies,
    plot_confusion_matrices as plot_confusion_matrices,
    plot_digit_examples as plot_digit_examples,
    plot_majority_vote_accuracy as plot_majority_vote_accuracy,
)
from .crowd_widget import CrowdExplorer as CrowdExplorer, crowd_explorer as crowd_explorer
from .exploration_figures import plot_exploration as plot_exploration
from .quality_figures import (
    plot_class_accuracies as plot_class_accuracies,
    plot_confusion_comparison as plot_confusion_comparison,
    plot_consensus_agreement as plot_consensus_agreement,
    plot_correctness_by_difficulty as plot_correctness_by_difficulty,
)
from .results_figures import (
    plot_active_learning_loop as plot_active_learning_loop,
    plot_annotator_usage as plot_annotator_usage,
    plot_arm_grid as plot_arm_grid,
    plot_crowd_comparison as plot_crowd_comparison,
    plot_estimate_quality as plot_estimate_quality,
    plot_label_allocation as plot_label_allocation,
    plot_learning_curves as plot_learning_curves,
    plot_paired_differences as plot_paired_differences,
    plot_second_opinions as plot_second_opinions,
    plot_test_accuracies as plot_test_accuracies,
)
from .results_widget import (
    ARM_DIMENSIONS as ARM_DIMENSIONS,
    ResultsExplorer as ResultsExplorer,
    results_explorer as results_explorer,
)
from .style import (
    ANNOTATOR_COLOURS as ANNOTATOR_COLOURS,
    CHOICE_COLOURS as CHOICE_COLOURS,
    CHOICE_HATCHES as CHOICE_HATCHES,
    CHOICE_LINESTYLES as CHOICE_LINESTYLES,
    CHOICE_MARKERS as CHOICE_MARKERS,
    LEARNER_COLOURS as LEARNER_COLOURS,
    STRATEGY_COLOURS as STRATEGY_COLOURS,
    STRATEGY_LINESTYLES as STRATEGY_LINESTYLES,
    STRATEGY_MARKERS as STRATEGY_MARKERS,
    arm_style as arm_style,
    save_figure as save_figure,
)
