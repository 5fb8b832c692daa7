"""Safe defaults for a plain `pytest` (what `make test` sets explicitly): notebooks run in fast mode and write into
build/test-results, never into ./results where a full run's numbers live, and run their experiments in their own
kernel (CROWDAL_N_JOBS=1). Set the variables to override.

`make test` runs pytest on two workers (pytest-xdist, ``-n 2 --dist loadgroup --no-loadscope-reorder``). What must
happen in order stays on one worker, in collection order: a notebook's cells, then the tests that reuse what that
notebook left behind (its student copy, which loads the checkpoints, and notebook 4's run without a results file).
Notebooks 3 and 4 are one unit because 4 reads 3's results file. Each unit is an ``xdist_group`` mark, xdist's public
way to keep tests on one worker; the marks are added before xdist's own hook reads them (``tryfirst``), and the units
are handed out in collection order (``--no-loadscope-reorder``), which puts the longest first. Every other test is a
unit of its own.
"""

import os
import re
from pathlib import Path

import pytest


def pytest_configure(config):
    os.environ.setdefault("CROWDAL_FAST", "1")
    os.environ.setdefault("CROWDAL_RESULTS_DIR", str(Path(__file__).resolve().parent / "build" / "test-results"))
    # The two xdist workers keep both cores busy; a pool of joblib workers in every notebook's kernel would only add
    # processes that import torch and the package (tests that compare worker counts pass n_jobs themselves).
    os.environ.setdefault("CROWDAL_N_JOBS", "1")


#: Tests that reuse a notebook's checkpoints or results file, by the notebook number they follow.
FOLLOWERS = {"tests/test_notebook_fallback.py": "03"}
STUDENT_COPIES = "tests/test_student_copies.py"
#: Tests that share something expensive, kept on one worker so that it is made once: by test file or single test.
SHARED_UNITS = {
    "tests/test_book.py": "book",  # one module fixture: the smoke build of the website (a notebook run + Sphinx)
    # The tests that start a pool of joblib worker processes (n_jobs=2). Each worker imports torch and the package; a
    # pytest worker keeps its pool between tests (loky keeps it 300 s), so on one pytest worker it starts once.
    "tests/test_parallel.py": "worker-pool",
    "tests/test_exploration.py::test_exploring_arms_give_the_same_numbers_for_one_and_two_workers": "worker-pool",
    "tests/test_regimes.py::test_compare_fits_every_learner_on_the_same_draw_for_any_n_jobs": "worker-pool",
}


def scheduling_unit(nodeid):
    """``notebook-NN`` for the items that run notebook NN or reuse what it left behind (04 joins 03), the unit of a
    file or test in SHARED_UNITS, else None."""
    path = nodeid.split("::")[0]
    test = nodeid.split("[")[0]
    for key in (test, path):
        if key in SHARED_UNITS:
            return SHARED_UNITS[key]
    number = FOLLOWERS.get(path)
    if path.startswith("notebooks/"):
        number = Path(path).name[:2]
    elif path == STUDENT_COPIES:  # notebook 1 trains nothing: its copy needs nothing left behind
        match = re.search(r"\[(\d\d)_", nodeid)
        number = match.group(1) if match and match.group(1) != "01" else None
    if number is None:
        return None
    return f"notebook-{'03' if number == '04' else number}"


#: Units by how long they take in fast mode, longest first (measured with pytest --durations), so
#: that on two workers no long unit starts last; unit tests follow in their own order.
UNITS_LONGEST_FIRST = ("notebook-03", "notebook-07", "notebook-05", "notebook-06", "worker-pool", "notebook-02", "book")


def _start_rank(item):
    unit = scheduling_unit(item.nodeid)
    if unit in UNITS_LONGEST_FIRST:
        return UNITS_LONGEST_FIRST.index(unit)
    return len(UNITS_LONGEST_FIRST) + (unit is None)  # the other notebooks, then the unit tests


@pytest.hookimpl(tryfirst=True)  # before xdist's hook, which turns the marks into the scopes it schedules by
def pytest_collection_modifyitems(config, items):
    """Long units first; within a unit, followers after the notebook they follow; each unit an ``xdist_group``."""
    items.sort(key=lambda item: (_start_rank(item), item.nodeid.split("::")[0] in (*FOLLOWERS, STUDENT_COPIES)))
    for item in items:
        unit = scheduling_unit(item.nodeid)
        if unit is not None:
            item.add_marker(pytest.mark.xdist_group(unit))
