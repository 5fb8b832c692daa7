"""crowdal_utils: helpers for the tutorial on active learning from crowds.

One module per step of the story, in the order the notebooks use them:
``data`` -> ``annotators`` -> ``models`` (with ``batches``) -> ``strategies`` -> ``loop`` (with
``parallel`` and ``checkpoints``) -> ``results``/``metrics`` -> ``plotting``; ``config`` and
``progress`` hold the switches read from the environment.
"""

from .annotators import MajorityClassBiasedAnnotator, NoisyAnnotator, default_crowd, simulate_crowd
from .config import ExperimentConfig, fast_mode, results_dir
from .data import DigitsSplit, load_digits_split
from .loop import run_experiment, run_experiments, run_repetition
from .models import CLASSIFIERS, CNNBackbone, MajorityVoteClassifier, make_classifier, pick_device
from .results import ExperimentResults

__version__ = "0.2.0"

__all__ = [
    "CLASSIFIERS",
    "CNNBackbone",
    "DigitsSplit",
    "ExperimentConfig",
    "ExperimentResults",
    "MajorityClassBiasedAnnotator",
    "MajorityVoteClassifier",
    "NoisyAnnotator",
    "default_crowd",
    "fast_mode",
    "load_digits_split",
    "make_classifier",
    "pick_device",
    "results_dir",
    "run_experiment",
    "run_experiments",
    "run_repetition",
    "simulate_crowd",
]
