"""Both sides of the exercises: the committed student copies are up to date, and each runs up to its stubs.

The instructor notebooks (with solutions) run under nbval, where every exercise check must pass. Here each student
copy (solutions replaced by stubs, see crowdal_utils/exercises.py) runs in a fresh kernel: every exercise cell must
stop at its stub, every exercise check must fail, and every other cell must run without error. The root conftest.py
runs these tests last, after the notebooks, so the student copies load the experiments' checkpoints instead of
training again.
"""

import os
from pathlib import Path

import pytest

from crowdal_utils.exercises import assert_student_contract, check_student_versions, run_notebook

ROOT = Path(__file__).resolve().parents[1]
STUDENT_COPIES = sorted((ROOT / "student").glob("[0-9][0-9]_*.ipynb"))


def test_student_copies_are_up_to_date():
    assert check_student_versions(ROOT / "notebooks", ROOT / "student") == [], "run `make student`"
    assert [p.name for p in STUDENT_COPIES] == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", STUDENT_COPIES, ids=lambda p: p.name)
def test_a_student_copy_runs_up_to_its_stubs_and_nothing_else_fails(path, tmp_path):
    env = {name: os.environ[name] for name in ("CROWDAL_FAST", "CROWDAL_RESULTS_DIR") if name in os.environ}
    report = run_notebook(path, tmp_path, env={**env, "CROWDAL_PROGRESS": "0"}, timeout=None)
    assert_student_contract(report)
