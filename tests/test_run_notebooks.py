"""`make run`'s notebook runner: one final line per progress bar, the kernel's log without the loopback warning."""

import io
import json

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from tools.run_notebooks import LOOPBACK_WARNING, main, run_notebook


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_streams_are_merged_and_only_the_loopback_warning_is_dropped_from_the_kernels_log(tmp_path):
    path = _notebook(
        tmp_path / "tiny.ipynb",
        "import time\nfor k in range(5):\n    print(f'\\rstep {k}', end='', flush=True)\n    time.sleep(0.05)\nprint()",
        "import os\nos.write(2, b'the kernel says hello\\n')",  # the kernel process's own stderr
    )
    kept, everything = io.StringIO(), io.StringIO()
    executed = run_notebook(path, tmp_path / "out", log=kept)
    run_notebook(path, tmp_path / "all", log=everything, drop=None)
    assert LOOPBACK_WARNING in everything.getvalue()  # ipykernel still says it: the filter still has work to do
    assert LOOPBACK_WARNING not in kept.getvalue() and "the kernel says hello" in kept.getvalue()
    outputs = json.loads(executed.read_text())["cells"][0]["outputs"]
    assert len(outputs) == 1 and "".join(outputs[0]["text"]).rstrip().endswith("step 4")  # one output, its last state


def test_a_failing_cell_stops_the_run_and_leaves_the_copy_so_far(tmp_path):
    path = _notebook(tmp_path / "broken.ipynb", "x = 1", "raise RuntimeError('on purpose')", "y = 2")
    with pytest.raises(CellExecutionError, match="on purpose"):
        run_notebook(path, tmp_path / "out", log=io.StringIO())
    cells = json.loads((tmp_path / "out" / "broken.ipynb").read_text())["cells"]
    assert cells[1]["outputs"][0]["ename"] == "RuntimeError" and cells[2]["outputs"] == []
    assert main([str(path), "--output-dir", str(tmp_path / "cli")]) == 1


def test_notebooks_beside_the_main_ones_run_at_the_same_time_and_their_failure_counts(tmp_path):
    timed = "import time\nstart = time.time()\ntime.sleep(3)\nprint(start, time.time())"
    main_nb, side_nb = _notebook(tmp_path / "main.ipynb", timed), _notebook(tmp_path / "side.ipynb", timed)
    assert main([str(main_nb), "--output-dir", str(tmp_path / "out"), "--beside", str(side_nb)]) == 0
    (main_start, main_end), (side_start, side_end) = (
        map(float, "".join(json.loads((tmp_path / "out" / name).read_text())["cells"][0]["outputs"][0]["text"]).split())
        for name in ("main.ipynb", "side.ipynb")
    )
    assert side_start < main_end and main_start < side_end  # the two 3-second cells overlapped in time
    broken = _notebook(tmp_path / "broken.ipynb", "raise RuntimeError('on purpose')")
    assert main([str(main_nb), "--output-dir", str(tmp_path / "out2"), "--beside", str(broken)]) == 1
