"""crowdal_utils.crowds's public names, for editors and type checkers (SPEC 1)."""

from .aggregation import (
    DawidSkeneEstimate as DawidSkeneEstimate,
    fit_dawid_skene as fit_dawid_skene,
    majority_vote_labels as majority_vote_labels,
)
from .confusions import (
    annotator_confusion_matrices as annotator_confusion_matrices,
    class_accuracies as class_accuracies,
    confusion_error as confusion_error,
    expected_accuracy as expected_accuracy,
    worst_classes as worst_classes,
)
from .metrics import (
    annotator_accuracies as annotator_accuracies,
    correct_annotation_rate as correct_annotation_rate,
    majority_vote_accuracy as majority_vote_accuracy,
    wrong_labels_reproduced as wrong_labels_reproduced,
)
from .presets import (
    COMMON_DIGIT_CONFUSIONS as COMMON_DIGIT_CONFUSIONS,
    adversarial_crowd as adversarial_crowd,
    cluster_specialist_crowd as cluster_specialist_crowd,
    default_crowd as default_crowd,
    instance_dependent_crowd as instance_dependent_crowd,
    spammer_heavy_crowd as spammer_heavy_crowd,
)
from .profiles import (
    AdversarialAnnotator as AdversarialAnnotator,
    ClusterSpecialistAnnotator as ClusterSpecialistAnnotator,
    InstanceDependentAnnotator as InstanceDependentAnnotator,
    MajorityClassBiasedAnnotator as MajorityClassBiasedAnnotator,
    NoisyAnnotator as NoisyAnnotator,
    SpammerAnnotator as SpammerAnnotator,
    sample_difficulty as sample_difficulty,
)
from .simulation import (
    annotator_labels as annotator_labels,
    annotator_names as annotator_names,
    correct_probabilities as correct_probabilities,
    simulate_crowd as simulate_crowd,
)
