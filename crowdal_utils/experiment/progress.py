"""Progress bars that can be switched off from the environment, also inside a kernel.

The bars are tqdm's plain text bars, also in notebooks: a notebook executed by
nbconvert (``make run``) stores widget bars as the text they showed when they were
created, so JupyterLab would show the finished run's bar frozen at 0 %. A text bar
is stored as it ended.
"""

import os
import sys

from tqdm.std import tqdm

from .._environment import env_flag

PROGRESS_ENV = "CROWDAL_PROGRESS"


def progress_enabled(environ=None):
    """False when ``CROWDAL_PROGRESS`` is 0/false/no/off or ``TQDM_DISABLE`` is 1/true/yes/on; True when unset.

    Both are read here and passed on as ``disable=`` (tqdm's notebook bar ignores
    ``TQDM_DISABLE``). Other values raise ``ValueError`` naming the variable.
    """
    environ = os.environ if environ is None else environ
    return env_flag(PROGRESS_ENV, environ, default=True) and not env_flag("TQDM_DISABLE", environ)


def progress_bar(iterable=None, enabled=True, **kwargs):
    """A text ``tqdm`` bar over ``iterable`` on stdout; shown only if ``enabled`` and :func:`progress_enabled`."""
    kwargs.setdefault("file", sys.stdout)
    kwargs.setdefault("mininterval", 0.5)
    return tqdm(iterable, disable=not (enabled and progress_enabled()), **kwargs)
