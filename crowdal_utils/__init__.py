"""crowdal_utils: helpers for the course on active learning from crowds.

One module per step of the story, in the order the notebooks use them:
``data`` -> ``annotators`` -> ``learners`` (the registry) and ``models`` (with
``batches``) -> ``strategies``, ``choice`` and ``costs`` -> ``loop`` (with ``parallel``
and ``checkpoints``) -> ``results``/``metrics`` -> ``plotting`` and ``widgets``;
``config`` and ``progress`` hold the switches read from the environment,
``crowd_table`` and ``datasets`` read crowds from files.

Names are imported on first use (``from crowdal_utils import ExperimentConfig``
does not load torch), so configurations, results files and figures stay light.
"""

from importlib import import_module

__version__ = "0.3.0"

#: Public name -> module that defines it.
_EXPORTS = {
    "Arm": "config",
    "CNNBackbone": "models",
    "DataSplit": "data",
    "DigitsSplit": "data",
    "ExperimentConfig": "config",
    "ExperimentResults": "results",
    "LEARNERS": "learners",
    "MajorityClassBiasedAnnotator": "annotators",
    "MajorityVoteClassifier": "models",
    "NoisyAnnotator": "annotators",
    "default_crowd": "annotators",
    "fast_mode": "config",
    "load_digits_split": "data",
    "make_learner": "models",
    "pick_device": "models",
    "results_dir": "config",
    "run_experiment": "loop",
    "run_experiments": "loop",
    "run_repetition": "loop",
    "simulate_crowd": "annotators",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'crowdal_utils' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
