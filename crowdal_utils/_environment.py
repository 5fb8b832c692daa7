"""The course's switches read from the environment: fast or full mode, and the results folder.

Environment variables (they reach a notebook's kernel, which nbval cannot
parametrise otherwise):

``CROWDAL_FAST``
    ``1``/``true``/``yes``/``on`` selects the fast configuration (CI, a quick look);
    ``0``/``false``/``no``/``off`` or unset the full one. Anything else is an error.
``CROWDAL_RESULTS_DIR``
    Folder for results files and figures; default ``results`` in the working directory.
    Earlier identical runs and fits are reused from its ``checkpoints`` sub-folder.
``CROWDAL_N_JOBS``
    Worker processes of an experiment (:func:`crowdal_utils.experiment.parallel.default_n_jobs`).
"""

import os
from pathlib import Path

FAST_ENV = "CROWDAL_FAST"
RESULTS_DIR_ENV = "CROWDAL_RESULTS_DIR"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_flag(name, environ=None, default=False):
    """True/False for the environment variable ``name`` set to 1/true/yes/on or 0/false/no/off (any case).

    Unset or empty gives ``default``. Any other value raises ``ValueError`` naming
    the variable: a typo must not silently select, say, the slow full mode.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(
        f"environment variable {name}={environ[name]!r} is not understood; use 1/true/yes/on or 0/false/no/off."
    )


def fast_mode(environ=None):
    """True when ``CROWDAL_FAST`` asks for the fast configuration."""
    return env_flag(FAST_ENV, environ)


def results_dir(environ=None):
    """Folder for results and figures (``CROWDAL_RESULTS_DIR``, default ``./results``); created."""
    environ = os.environ if environ is None else environ
    path = Path(environ.get(RESULTS_DIR_ENV) or "results")
    path.mkdir(parents=True, exist_ok=True)
    return path


def checkpoint_dir(environ=None):
    """Where finished runs and fits are kept for reuse: ``checkpoints`` in :func:`results_dir`."""
    return results_dir(environ) / "checkpoints"
