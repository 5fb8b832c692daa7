"""The crowd: simulated annotators and preset crowds, their labels aggregated and measured."""

from .._lazy import lazy_exports

#: One line per module of this subpackage: its name, then the public names it defines (imported on first use).
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    """
    aggregation DawidSkeneEstimate fit_dawid_skene majority_vote_labels
    confusions  annotator_confusion_matrices class_accuracies confusion_error expected_accuracy worst_classes
    metrics     annotator_accuracies correct_annotation_rate majority_vote_accuracy wrong_labels_reproduced
    presets     COMMON_DIGIT_CONFUSIONS adversarial_crowd cluster_specialist_crowd default_crowd
                instance_dependent_crowd spammer_heavy_crowd
    profiles    AdversarialAnnotator ClusterSpecialistAnnotator InstanceDependentAnnotator
                MajorityClassBiasedAnnotator NoisyAnnotator SpammerAnnotator sample_difficulty
    simulation  annotator_names correct_probabilities simulate_crowd
""",
)
