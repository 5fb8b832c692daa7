"""crowdal_utils.crowds's public names, for editors and type checkers (SPEC 1)."""

from .aggregation import (
    DawidSkeneEstimate as DawidSkeneEstimate,
)
from .aggregation import (
    fit_dawid_skene as fit_dawid_skene,
)
from .aggregation import (
    majority_vote_labels as majority_vote_labels,
)
from .confusions import (
    annotator_confusion_matrices as annotator_confusion_matrices,
)
from .confusions import (
    class_accuracies as class_accuracies,
)
from .confusions import (
    confusion_error as confusion_error,
)
from .confusions import (
    expected_accuracy as expected_accuracy,
)
from .confusions import (
    worst_classes as worst_classes,
)
from .metrics import (
    annotator_accuracies as annotator_accuracies,
)
from .metrics import (
    correct_annotation_rate as correct_annotation_rate,
)
from .metrics import (
    majority_vote_accuracy as majority_vote_accuracy,
)
from .metrics import (
    wrong_labels_reproduced as wrong_labels_reproduced,
)
from .presets import (
    COMMON_DIGIT_CONFUSIONS as COMMON_DIGIT_CONFUSIONS,
)
from .presets import (
    adversarial_crowd as adversarial_crowd,
)
from .presets import (
    cluster_specialist_crowd as cluster_specialist_crowd,
)
from .presets import (
    default_crowd as default_crowd,
)
from .presets import (
    instance_dependent_crowd as instance_dependent_crowd,
)
from .presets import (
    spammer_heavy_crowd as spammer_heavy_crowd,
)
from .profiles import (
    AdversarialAnnotator as AdversarialAnnotator,
)
from .profiles import (
    ClusterSpecialistAnnotator as ClusterSpecialistAnnotator,
)
from .profiles import (
    InstanceDependentAnnotator as InstanceDependentAnnotator,
)
from .profiles import (
    MajorityClassBiasedAnnotator as MajorityClassBiasedAnnotator,
)
from .profiles import (
    NoisyAnnotator as NoisyAnnotator,
)
from .profiles import (
    SpammerAnnotator as SpammerAnnotator,
)
from .profiles import (
    sample_difficulty as sample_difficulty,
)
from .simulation import (
    annotator_labels as annotator_labels,
)
from .simulation import (
    annotator_names as annotator_names,
)
from .simulation import (
    correct_probabilities as correct_probabilities,
)
from .simulation import (
    simulate_crowd as simulate_crowd,
)
