"""The learners: one registry entry per way of learning from a crowd, the networks and classes behind them."""

from .._lazy import lazy_exports

#: One line per module of this subpackage: its name, then the public names it defines (imported on first use).
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    """
    classifiers CrowdLayerInit DawidSkeneClassifier MajorityVoteClassifier MixUpCollate
    factory     make_learner make_single_annotator_classifier
    fit_checkpoints fit_or_load
    networks    CNNBackbone MLPBackbone backbone_for cpu_capability pick_device
    registry    LEARNERS Learner display_name get_learner
    training    fit_seeded native_convolutions skorch_settings steps_per_fit torch_threads train_and_score
                training_batches
""",
)
