"""crowdal_utils.views's public names, for editors and type checkers (SPEC 1)."""

from .crowd_figures import (
    plot_annotator_accuracies as plot_annotator_accuracies,
)
from .crowd_figures import (
    plot_confusion_matrices as plot_confusion_matrices,
)
from .crowd_figures import (
    plot_digit_examples as plot_digit_examples,
)
from .crowd_figures import (
    plot_majority_vote_accuracy as plot_majority_vote_accuracy,
)
from .crowd_widget import CrowdExplorer as CrowdExplorer
from .crowd_widget import crowd_explorer as crowd_explorer
from .exploration_figures import plot_exploration as plot_exploration
from .quality_figures import (
    plot_class_accuracies as plot_class_accuracies,
)
from .quality_figures import (
    plot_confusion_comparison as plot_confusion_comparison,
)
from .quality_figures import (
    plot_consensus_agreement as plot_consensus_agreement,
)
from .quality_figures import (
    plot_correctness_by_difficulty as plot_correctness_by_difficulty,
)
from .results_figures import (
    plot_active_learning_loop as plot_active_learning_loop,
)
from .results_figures import (
    plot_annotator_usage as plot_annotator_usage,
)
from .results_figures import (
    plot_arm_grid as plot_arm_grid,
)
from .results_figures import (
    plot_crowd_comparison as plot_crowd_comparison,
)
from .results_figures import (
    plot_estimate_quality as plot_estimate_quality,
)
from .results_figures import (
    plot_label_allocation as plot_label_allocation,
)
from .results_figures import (
    plot_learning_curves as plot_learning_curves,
)
from .results_figures import (
    plot_paired_differences as plot_paired_differences,
)
from .results_figures import (
    plot_second_opinions as plot_second_opinions,
)
from .results_figures import (
    plot_test_accuracies as plot_test_accuracies,
)
from .results_widget import (
    ARM_DIMENSIONS as ARM_DIMENSIONS,
)
from .results_widget import (
    ResultsExplorer as ResultsExplorer,
)
from .results_widget import (
    results_explorer as results_explorer,
)
from .style import (
    ANNOTATOR_COLOURS as ANNOTATOR_COLOURS,
)
from .style import (
    CHOICE_COLOURS as CHOICE_COLOURS,
)
from .style import (
    CHOICE_HATCHES as CHOICE_HATCHES,
)
from .style import (
    CHOICE_LINESTYLES as CHOICE_LINESTYLES,
)
from .style import (
    CHOICE_MARKERS as CHOICE_MARKERS,
)
from .style import (
    LEARNER_COLOURS as LEARNER_COLOURS,
)
from .style import (
    STRATEGY_COLOURS as STRATEGY_COLOURS,
)
from .style import (
    STRATEGY_LINESTYLES as STRATEGY_LINESTYLES,
)
from .style import (
    STRATEGY_MARKERS as STRATEGY_MARKERS,
)
from .style import (
    arm_style as arm_style,
)
from .style import (
    save_figure as save_figure,
)
