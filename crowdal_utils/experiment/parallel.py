"""Running independent tasks side by side with joblib, one torch thread each.

The network is so small that torch's intra-op threads only add overhead, and
their number changes the last bits of the results (a sum split over two threads
is rounded differently). So every task runs with exactly one torch thread,
whether it runs in this process (``n_jobs=1``) or in a worker: that is what makes
``n_jobs=1`` and ``n_jobs=2`` give identical numbers. Parallelism comes from
running tasks in separate worker processes instead.

``backend`` is a joblib backend that runs tasks in separate processes: ``None``
(joblib's default, ``"loky"``), ``"multiprocessing"``, or ``"dask"``/``"ray"``
once a cluster client is connected — the same grid then spreads over a cluster;
see the README's "Bigger grids" section. Threads are refused: every fit seeds
torch's global random generator, which threads would share.

``CROWDAL_N_JOBS`` sets the number of workers that ``n_jobs=None`` means (every
notebook's ``N_JOBS = None``), e.g. ``1`` where something else already keeps every
core busy: ``make test`` runs two notebooks at once, one per core, and a pool of
workers in each kernel would only add processes that import torch and the package.
"""

import os
from contextlib import nullcontext

import torch
from joblib import Parallel, delayed, parallel_config
from joblib.parallel import ParallelBackendBase, ThreadingBackend

from .._validation import check_int
from ..learners.training import torch_threads

N_JOBS_ENV = "CROWDAL_N_JOBS"


def default_n_jobs(environ=None):
    """What ``n_jobs=None`` means: ``CROWDAL_N_JOBS`` if set, else -1 (a worker per CPU core) on a CPU and 1 when
    torch sees a GPU, where workers would queue for one device.

    Every worker process would also open its own CUDA context, which costs GPU memory. ``CROWDAL_N_JOBS`` takes
    joblib's numbers (``1``, ``2``, ``-1``, ...); anything else raises ``ValueError`` naming the variable.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(N_JOBS_ENV, "").strip()
    if value:
        try:
            n_jobs = int(value)
        except ValueError:
            n_jobs = 0
        if n_jobs == 0:
            raise ValueError(
                f"environment variable {N_JOBS_ENV}={environ[N_JOBS_ENV]!r} is not understood; use a number of "
                "workers (1, 2, ...) or -1 for one per core."
            )
        return n_jobs
    return 1 if torch.cuda.is_available() else -1


def check_n_jobs(n_jobs):
    """joblib's ``n_jobs``: a positive number of workers, -1, -2, ... for all cores, all but one, ...; or ``None``.

    ``None`` becomes :func:`default_n_jobs` (``CROWDAL_N_JOBS``, else one worker per core on a CPU, 1 on a GPU).
    """
    if n_jobs is None:
        return default_n_jobs()
    n_jobs = check_int(n_jobs, "n_jobs")
    if n_jobs == 0:
        raise ValueError("`n_jobs` must be a positive number of workers or negative (-1 = all cores), got 0.")
    return n_jobs


def check_backend(backend):
    """``None``, a joblib backend name or a joblib backend instance; not threads."""
    if not (backend is None or isinstance(backend, (str, ParallelBackendBase))):
        raise TypeError(f"`backend` must be None, a joblib backend name or instance, got {type(backend).__name__}.")
    if backend == "threading" or isinstance(backend, ThreadingBackend):
        raise ValueError(
            "`backend` 'threading' would let tasks share torch's global random generator, which every fit "
            "seeds, so results would depend on timing; use processes ('loky', the default) or a cluster."
        )
    return backend


def runs_in_this_process(n_jobs, backend):
    """Validate ``n_jobs`` and ``backend``; True when the tasks will run here, one after another."""
    n_jobs, backend = check_n_jobs(n_jobs), check_backend(backend)
    return n_jobs == 1 and backend is None


def run_in_parallel(function, tasks, n_jobs=1, backend=None):
    """Call ``function(*task)`` for every task, yielding ``(index, result)`` as each one finishes.

    Parameters
    ----------
    function : picklable callable (a module-level function)
    tasks : list of tuples
        Arguments of each call.
    n_jobs : int or None, default=1
        Workers; 1 runs the tasks one after another in this process; ``None``:
        :func:`default_n_jobs`.
    backend : str, joblib backend or None

    Yields
    ------
    (index, result)
        ``index`` is the task's position in ``tasks``. In the order the tasks
        finish, which depends on ``n_jobs``; results do not.
    """
    tasks = list(tasks)
    n_jobs = check_n_jobs(n_jobs)  # None: one worker per core (joblib would read None as 1)
    if runs_in_this_process(n_jobs, backend):  # no pickling, progress bars show
        for k, task in enumerate(tasks):
            yield _one_thread(function, k, task)
        return
    # parallel_config, unlike Parallel(backend=...), registers "dask" on first use;
    # with backend=None, Parallel takes the caller's parallel_config, if any.
    with parallel_config(backend=backend) if backend is not None else nullcontext():
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
    yield from parallel(delayed(_one_thread)(function, k, task) for k, task in enumerate(tasks))


def _one_thread(function, k, task):
    """``(k, function(*task))`` computed with one torch thread."""
    with torch_threads(1):
        return k, function(*task)
