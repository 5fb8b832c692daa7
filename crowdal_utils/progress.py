"""Progress bars that can be switched off from the environment, also inside a kernel."""

import os

from tqdm.auto import tqdm

PROGRESS_ENV = "CROWDAL_PROGRESS"


def progress_enabled(environ=None):
    """False when ``CROWDAL_PROGRESS`` is 0/false/no/off or ``TQDM_DISABLE`` is set to a true value.

    ``tqdm.auto`` picks the notebook widget inside a kernel, and that passes
    ``disable`` explicitly, so ``TQDM_DISABLE`` alone does not silence it: we read
    both variables here and pass ``disable=`` ourselves.
    """
    environ = os.environ if environ is None else environ
    if environ.get(PROGRESS_ENV, "").strip().lower() in {"0", "false", "no", "off"}:
        return False
    return environ.get("TQDM_DISABLE", "").strip().lower() not in {"1", "true", "yes", "on"}


def progress_bar(iterable=None, enabled=True, **kwargs):
    """``tqdm.auto.tqdm(iterable, **kwargs)``; shown only if ``enabled`` and :func:`progress_enabled`."""
    return tqdm(iterable, disable=not (enabled and progress_enabled()), **kwargs)
