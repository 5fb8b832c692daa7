"""Safe defaults for a plain `pytest` (what `make test` sets explicitly): notebooks run in fast mode and write into
build/test-results, never into ./results where a full run's numbers live. Set the variables to override.

`make test` runs pytest on two workers (pytest-xdist, ``--dist loadgroup``). What must happen in order stays on one
worker, in collection order: a notebook's cells, then the tests that reuse what that notebook left behind (its student
copy, notebook 4's run without a results file). Notebooks 3 and 4 are one group because 4 reads 3's results file.
"""

import os
import re
from pathlib import Path

import pytest


def pytest_configure(config):
    os.environ.setdefault("CROWDAL_FAST", "1")
    os.environ.setdefault("CROWDAL_RESULTS_DIR", str(Path(__file__).resolve().parent / "build" / "test-results"))


#: Tests that reuse a notebook's checkpoints or results file, by the notebook number they follow.
FOLLOWERS = {"tests/test_notebook_fallback.py": "03"}


def _notebook_number(item):
    """The two-digit number of the notebook an item runs or follows, or None for an ordinary unit test."""
    path = item.nodeid.split("::")[0]
    if path in FOLLOWERS:
        return FOLLOWERS[path]
    if path.startswith("notebooks/"):
        return Path(path).name[:2]
    if path == "tests/test_student_copies.py":
        match = re.search(r"\[(\d\d)_", item.nodeid)
        return match.group(1) if match else None
    return None


def _runs_after_notebooks(item):
    return item.nodeid.split("::")[0] in (*FOLLOWERS, "tests/test_student_copies.py")


def pytest_collection_modifyitems(config, items):
    """Followers after the notebooks; each notebook with its followers in one xdist group (3 and 4 share one)."""
    items.sort(key=_runs_after_notebooks)
    for item in items:
        number = _notebook_number(item)
        if number is not None:
            item.add_marker(pytest.mark.xdist_group(f"notebook-{'03' if number == '04' else number}"))
