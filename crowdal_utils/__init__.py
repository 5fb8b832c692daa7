"""crowdal_utils: helpers for the course on active learning from crowds.

One subpackage per step of the story, in the order the notebooks meet them::

    data        the digits, crowd-label tables (wide/long files) and a real crowd data set
    crowds      simulated annotators, preset crowds, and aggregating a crowd's labels
    learners    the learner registry, the networks and the classes built on them
    selection   which samples to label (strategies), whom to ask (choice), what it costs
    experiment  the active-learning loop: configuration, runs, checkpoints, results files
    evaluation  metrics, estimates of annotator quality, paired differences between arms
    views       figures and the two interactive explorers
    course      what lessons call besides the story: the Colab restart check, checks of prose claims

Lessons import from the subpackages, e.g. ``from crowdal_utils.crowds import simulate_crowd``.
Every subpackage names its public functions lazily: importing it loads neither torch
nor matplotlib until a name that needs them is used.
"""

from importlib import import_module

__version__ = "0.4.0"

SUBPACKAGES = ("data", "crowds", "learners", "selection", "experiment", "evaluation", "views", "course")
__all__ = list(SUBPACKAGES)


def __getattr__(name):
    if name in SUBPACKAGES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crowdal_utils' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(SUBPACKAGES))
