"""crowdal_utils.evaluation's public names, for editors and type checkers (SPEC 1)."""

from .analysis import (
    REGULARISATION_ARMS as REGULARISATION_ARMS,
)
from .analysis import (
    SUMMARIES as SUMMARIES,
)
from .analysis import (
    PairedDifference as PairedDifference,
)
from .analysis import (
    agreement as agreement,
)
from .analysis import (
    allocation_table as allocation_table,
)
from .analysis import (
    compare_arms as compare_arms,
)
from .analysis import (
    cumulative_regret as cumulative_regret,
)
from .analysis import (
    cycle_differences as cycle_differences,
)
from .analysis import (
    cycle_table as cycle_table,
)
from .analysis import (
    decompose as decompose,
)
from .analysis import (
    decomposition_arms as decomposition_arms,
)
from .analysis import (
    decomposition_table as decomposition_table,
)
from .analysis import (
    difference_table as difference_table,
)
from .analysis import (
    estimate_error as estimate_error,
)
from .analysis import (
    gold_effects as gold_effects,
)
from .analysis import (
    label_allocation as label_allocation,
)
from .analysis import (
    last_cycle_share as last_cycle_share,
)
from .analysis import (
    paired_difference as paired_difference,
)
from .analysis import (
    regularisation_table as regularisation_table,
)
from .analysis import (
    second_opinion_table as second_opinion_table,
)
from .analysis import (
    split_model_effect as split_model_effect,
)
from .analysis import (
    summarise as summarise,
)
from .analysis import (
    training_label_table as training_label_table,
)
from .annotator_quality import (
    LearnedAnnotatorEstimate as LearnedAnnotatorEstimate,
)
from .annotator_quality import (
    annotator_quality_table as annotator_quality_table,
)
from .annotator_quality import (
    buy_random_labels as buy_random_labels,
)
from .annotator_quality import (
    class_performance as class_performance,
)
from .annotator_quality import (
    confusions_from_annotator_class as confusions_from_annotator_class,
)
from .annotator_quality import (
    consensus_agreement as consensus_agreement,
)
from .annotator_quality import (
    learned_annotator_estimates as learned_annotator_estimates,
)
