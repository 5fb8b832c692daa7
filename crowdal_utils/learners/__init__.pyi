"""crowdal_utils.learners's public names, for editors and type checkers (SPEC 1)."""

from .classifiers import (
    CrowdLayerInit as CrowdLayerInit,
    DawidSkeneClassifier as DawidSkeneClassifier,
    MajorityVoteClassifier as MajorityVoteClassifier,
    MixUpCollate as MixUpCollate,
)
from .factory import make_learner as make_learner, make_single_annotator_classifier as make_single_annotator_classifier
from .fit_checkpoints import fit_or_load as fit_or_load, train_and_score as train_and_score
from .networks import (
    CNNBackbone as CNNBackbone,
    MLPBackbone as MLPBackbone,
    backbone_for as backbone_for,
    cpu_capability as cpu_capability,
    pick_device as pick_device,
)
from .registry import LEARNERS as LEARNERS, Learner as Learner, display_name as display_name, get_learner as get_learner
from .training import (
    fit_seeded as fit_seeded,
    native_convolutions as native_convolutions,
    skorch_settings as skorch_settings,
    steps_per_fit as steps_per_fit,
    torch_threads as torch_threads,
    training_batches as training_batches,
)
