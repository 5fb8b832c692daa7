"""crowdal_utils.learners's public names, for editors and type checkers (SPEC 1)."""

from .classifiers import (
    CrowdLayerInit as CrowdLayerInit,
)
from .classifiers import (
    DawidSkeneClassifier as DawidSkeneClassifier,
)
from .classifiers import (
    MajorityVoteClassifier as MajorityVoteClassifier,
)
from .classifiers import (
    MixUpCollate as MixUpCollate,
)
from .factory import make_learner as make_learner
from .factory import make_single_annotator_classifier as make_single_annotator_classifier
from .fit_checkpoints import fit_or_load as fit_or_load
from .fit_checkpoints import train_and_score as train_and_score
from .networks import (
    CNNBackbone as CNNBackbone,
)
from .networks import (
    MLPBackbone as MLPBackbone,
)
from .networks import (
    backbone_for as backbone_for,
)
from .networks import (
    cpu_capability as cpu_capability,
)
from .networks import (
    pick_device as pick_device,
)
from .registry import LEARNERS as LEARNERS
from .registry import Learner as Learner
from .registry import display_name as display_name
from .registry import get_learner as get_learner
from .training import (
    fit_seeded as fit_seeded,
)
from .training import (
    native_convolutions as native_convolutions,
)
from .training import (
    skorch_settings as skorch_settings,
)
from .training import (
    steps_per_fit as steps_per_fit,
)
from .training import (
    torch_threads as torch_threads,
)
from .training import (
    training_batches as training_batches,
)
