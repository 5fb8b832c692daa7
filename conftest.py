"""Safe defaults for a plain `pytest` (what `make test` sets explicitly): notebooks run in fast mode and write into
build/test-results, never into ./results where a full run's numbers live. Set the variables to override."""

import os
from pathlib import Path


def pytest_configure(config):
    os.environ.setdefault("CROWDAL_FAST", "1")
    os.environ.setdefault("CROWDAL_RESULTS_DIR", str(Path(__file__).resolve().parent / "build" / "test-results"))


def pytest_collection_modifyitems(config, items):
    """Student copies last: they reuse the checkpoints the instructor notebooks' runs leave behind."""
    items.sort(key=lambda item: "test_student_copies.py" in item.nodeid)
