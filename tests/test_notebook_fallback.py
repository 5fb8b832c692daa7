"""Notebook 4 on its own: without notebook 3's results file it says so and computes the fast configuration.

The root conftest.py runs this test after notebook 3 (same pytest-xdist worker). When notebook 3's fast run left its
checkpoints in CROWDAL_RESULTS_DIR, they are copied into the empty results folder, so the fallback loads the same
repetitions instead of training them again; the results file is never copied. Exercise 4.2 is left out: it runs an
experiment of its own, with or without a results file (nbval runs it).
"""

import os
import shutil
from pathlib import Path

import nbformat

from tools.exercises import without_exercise
from tools.run_notebooks import execute_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_plotting_results.ipynb"


def test_plotting_notebook_runs_without_a_results_file(tmp_path):
    checkpoints = Path(os.environ.get("CROWDAL_RESULTS_DIR", "results")) / "checkpoints"
    if checkpoints.is_dir():
        shutil.copytree(checkpoints, tmp_path / "checkpoints")
    nb = without_exercise(nbformat.read(NOTEBOOK, as_version=4), "4.2")
    # an empty results folder: notebook 3 never ran here
    env = {"CROWDAL_FAST": "1", "CROWDAL_RESULTS_DIR": str(tmp_path), "CROWDAL_PROGRESS": "0"}
    execute_notebook(nb, tmp_path, env=env, timeout=600)
    printed = "".join(
        output.get("text", "") for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs
    )
    assert f"No results file at {tmp_path / 'learning_curves.json'}" in printed
    assert "Computed just now with a fast configuration (2 repetitions x 5 cycles); not saved." in printed
    assert "all checks passed" in printed  # the notebook's own check cell ran to its end
    assert (tmp_path / "learning_curves.png").is_file()
    assert not (tmp_path / "learning_curves.json").exists()  # a fallback never poses as notebook 3's results
