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


def test_outputs_stay_in_the_order_the_code_made_them(tmp_path):
    path = _notebook(
        tmp_path / "order.ipynb",
        "from IPython.display import display\nprint('first title')\ndisplay({'text/plain': 'table 1'}, raw=True)\n"
        "print('second title')\nprint('more of it')\ndisplay({'text/plain': 'table 2'}, raw=True)",
    )
    outputs = json.loads(run_notebook(path, tmp_path / "out", log=io.StringIO()).read_text())["cells"][0]["outputs"]
    shown = ["".join(o["text"] if o["output_type"] == "stream" else o["data"]["text/plain"]) for o in outputs]
    assert shown == ["first title\n", "table 1", "second title\nmore of it\n", "table 2"]


def test_a_failing_cell_stops_the_run_and_leaves_the_copy_so_far(tmp_path):
    path = _notebook(tmp_path / "broken.ipynb", "x = 1", "raise RuntimeError('on purpose')", "y = 2")
    with pytest.raises(CellExecutionError, match="on purpose"):
        run_notebook(path, tmp_path / "out", log=io.StringIO())
    cells = json.loads((tmp_path / "out" / "broken.ipynb").read_text())["cells"]
    assert cells[1]["outputs"][0]["ename"] == "RuntimeError" and cells[2]["outputs"] == []
    assert main([str(path), "--output-dir", str(tmp_path / "cli")]) == 1


def test_notebooks_beside_the_main_ones_run_at_the_same_time_and_their_failure_counts(tmp_path):
    # Each notebook announces itself with a file and waits (at most 60 s) for the other's: run one after the other,
    # the first would wait in vain and print False; side by side, both see each other whatever the machine's load.
    def meeting(me, other):
        return (
            f"import pathlib, time\npathlib.Path({str(tmp_path / me)!r}).touch()\ndeadline = time.time() + 60\n"
            f"while not pathlib.Path({str(tmp_path / other)!r}).exists() and time.time() < deadline:\n"
            "    time.sleep(0.1)\n"
            f"print(pathlib.Path({str(tmp_path / other)!r}).exists())"
        )

    main_nb = _notebook(tmp_path / "main.ipynb", meeting("main-started", "side-started"))
    side_nb = _notebook(tmp_path / "side.ipynb", meeting("side-started", "main-started"))
    assert main([str(main_nb), "--output-dir", str(tmp_path / "out"), "--beside", str(side_nb)]) == 0
    saw_the_other = [
        "".join(json.loads((tmp_path / "out" / name).read_text())["cells"][0]["outputs"][0]["text"]).strip()
        for name in ("main.ipynb", "side.ipynb")
    ]
    assert saw_the_other == ["True", "True"]
    quick = _notebook(tmp_path / "quick.ipynb", "x = 1")
    broken = _notebook(tmp_path / "broken.ipynb", "raise RuntimeError('on purpose')")
    assert main([str(quick), "--output-dir", str(tmp_path / "out2"), "--beside", str(broken)]) == 1
