"""Experiment configurations and the switches read from the environment.

Environment variables (they reach a notebook's kernel, which nbval cannot
parametrise otherwise):

``CROWDAL_FAST``
    ``1``/``true``/``yes``/``on`` selects the fast configuration (CI, a quick look).
``CROWDAL_RESULTS_DIR``
    Folder for results files and figures; default ``results`` in the working directory.
"""

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ._validation import check_int
from .models import CLASSIFIERS
from .strategies import QUERY_STRATEGIES

FAST_ENV = "CROWDAL_FAST"
RESULTS_DIR_ENV = "CROWDAL_RESULTS_DIR"
_TRUE = {"1", "true", "yes", "on"}


def env_flag(name, environ=None):
    """True when the environment variable ``name`` is set to 1/true/yes/on (any case)."""
    environ = os.environ if environ is None else environ
    return environ.get(name, "").strip().lower() in _TRUE


def fast_mode(environ=None):
    """True when ``CROWDAL_FAST`` asks for the fast configuration."""
    return env_flag(FAST_ENV, environ)


def results_dir(environ=None):
    """Folder for results and figures (``CROWDAL_RESULTS_DIR``, default ``./results``); created."""
    environ = os.environ if environ is None else environ
    path = Path(environ.get(RESULTS_DIR_ENV) or "results")
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class ExperimentConfig:
    """What one active-learning experiment runs.

    Attributes
    ----------
    n_repetitions : int
        Independent runs per classifier (repetition ``r`` uses seed ``r``).
    n_cycles : int
        Query-then-train cycles per run; the curves have one point per cycle.
    query_batch_size : int
        (sample, annotator) pairs acquired per cycle.
    max_epochs : int
        Training epochs of every fit.
    classifiers : tuple of str
        Names from ``crowdal_utils.models.CLASSIFIERS``.
    query_strategy : str
        A name from ``crowdal_utils.strategies.QUERY_STRATEGIES``.
    """

    n_repetitions: int = 3
    n_cycles: int = 10
    query_batch_size: int = 64
    max_epochs: int = 100
    classifiers: tuple = ("majority-vote", "annot-mix")
    query_strategy: str = "random"

    def __post_init__(self):
        for name in ("n_repetitions", "n_cycles", "query_batch_size", "max_epochs"):
            check_int(getattr(self, name), name, minimum=1)
        if isinstance(self.classifiers, str) or not self.classifiers:
            raise ValueError(f"`classifiers` must be a non-empty tuple of names, got {self.classifiers!r}.")
        object.__setattr__(self, "classifiers", tuple(self.classifiers))
        unknown = [c for c in self.classifiers if c not in CLASSIFIERS]
        if unknown:
            raise ValueError(f"`classifiers` has unknown names {unknown}; known: {sorted(CLASSIFIERS)}.")
        if len(set(self.classifiers)) != len(self.classifiers):
            raise ValueError(f"`classifiers` names a classifier twice: {self.classifiers}.")
        if self.query_strategy not in QUERY_STRATEGIES:
            raise ValueError(
                f"`query_strategy` must be one of {sorted(QUERY_STRATEGIES)}, got {self.query_strategy!r}."
            )

    @classmethod
    def full(cls):
        """The reference's configuration: 3 repetitions x 10 cycles x 64 pairs, 100 epochs."""
        return cls()

    @classmethod
    def fast(cls):
        """Fewer repetitions and cycles, same training: 2 x 5 x 64, 100 epochs (about 20 s with n_jobs=2 on 2 cores)."""
        return cls(n_repetitions=2, n_cycles=5, query_batch_size=64, max_epochs=100)

    @classmethod
    def from_environment(cls, environ=None):
        """``fast()`` when ``CROWDAL_FAST`` is set, else ``full()``."""
        return cls.fast() if fast_mode(environ) else cls.full()

    def to_dict(self):
        """Plain-JSON form (lists instead of tuples)."""
        d = asdict(self)
        d["classifiers"] = list(self.classifiers)
        return d
