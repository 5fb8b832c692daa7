"""Both sides of the exercises: the committed student copies are up to date, and each runs up to its stubs.

The instructor notebooks (with solutions) run under nbval, where every exercise check must pass. Here each student
copy (solutions replaced by stubs, see tools/exercises.py) runs in a fresh kernel: every exercise cell must
stop at its stub, every exercise check must fail, and every other cell must run without error. The copy runs with
the exercises' wrong answers inserted after their checks (``make_wrong_answer_probe``): each wrong answer must run
and its check must reject it. The root conftest.py runs these tests last, after the notebooks, so the student copies
load the experiments' checkpoints instead of training again.
"""

import os
from pathlib import Path

import nbformat
import pytest

from tools.exercises import (
    CHECK_TAG,
    WRONG_ANSWERS_KEY,
    assert_student_contract,
    check_student_versions,
    make_wrong_answer_probe,
    run_notebook,
)

ROOT = Path(__file__).resolve().parents[1]
STUDENT_COPIES = sorted((ROOT / "student").glob("[0-9][0-9]_*.ipynb"))


def test_student_copies_are_up_to_date():
    assert check_student_versions(ROOT / "notebooks", ROOT / "student") == [], "run `make student`"
    assert [p.name for p in STUDENT_COPIES] == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", STUDENT_COPIES, ids=lambda p: p.name)
def test_every_checked_exercise_carries_wrong_answers(path):
    cells = nbformat.read(ROOT / "notebooks" / path.name, as_version=4).cells
    missing = [
        index
        for index, cell in enumerate(cells[:-1])
        if CHECK_TAG in cells[index + 1].metadata.get("tags", []) and len(cell.metadata.get(WRONG_ANSWERS_KEY, [])) < 2
    ]
    assert missing == [], f"exercise cells {missing} need at least two wrong answers their check rejects"


@pytest.mark.parametrize("path", STUDENT_COPIES, ids=lambda p: p.name)
def test_a_student_copy_runs_up_to_its_stubs_and_nothing_else_fails(path, tmp_path):
    # The committed copy (up to date, see the first test) with every wrong answer tried against its check.
    probe = make_wrong_answer_probe(nbformat.read(ROOT / "notebooks" / path.name, as_version=4), name=path.name)
    env = {name: os.environ[name] for name in ("CROWDAL_FAST", "CROWDAL_RESULTS_DIR") if name in os.environ}
    report = run_notebook(probe, tmp_path, env={**env, "CROWDAL_PROGRESS": "0"}, timeout=None)
    assert_student_contract(report)
