"""Execute lesson notebooks the way ``make run`` does, and write the executed copies.

    python -m tools.run_notebooks --output-dir results/notebooks notebooks/0*.ipynb

Each notebook runs top to bottom in a fresh ``python3`` kernel of this environment, in the notebook's folder, with
no time limit; the first error stops the run with exit status 1 (the copy written so far shows where). Two things
differ from ``jupyter nbconvert --execute``:

* neighbouring outputs of the same stream are merged and their carriage returns applied
  (:func:`merge_neighbouring_streams`): a progress bar leaves its last state in the executed copy, not one output per
  refresh, and every output stays where the code made it. nbclient's own ``coalesce_streams`` merges *all* of a
  cell's stdout into its first stream output, so a cell that prints, displays a table, prints and displays again
  showed both prints above both tables;
* the kernel's own log goes through this script, which passes every line on to stderr except one: ipykernel's
  "Kernel is running over TCP without encryption" warning. The kernel talks to this process over the loopback
  interface only, so the warning says nothing a course reader must act on, yet it reads like an alarm; the rest of
  the kernel's log still shows.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[1]
#: A character a backspace takes back, and a line's text that a carriage return (not ending the line) overwrites.
BACKSPACED = re.compile("[^\n]\x08")
OVERWRITTEN = re.compile(r".*\r(?=[^\n])")
#: The one line of the kernel's log that is not passed on (see the module docstring).
LOOPBACK_WARNING = "Kernel is running over TCP without encryption"


def merge_neighbouring_streams(outputs):
    """``outputs`` of one cell with each run of consecutive same-name stream outputs merged into one, in place.

    Within a merged stream, text a carriage return or a backspace overwrote is removed, as a terminal shows it, so a
    progress bar's refreshes end as its last line. Displays, results and
    errors keep their places between the streams. Returns the new list of outputs.
    """
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output["output_type"] == "stream"
            and previous is not None
            and previous["output_type"] == "stream"
            and previous["name"] == output["name"]
        ):
            previous["text"] += output["text"]
        else:
            merged.append(output)
    for output in merged:
        if output["output_type"] == "stream":
            text, previous_text = output["text"], None
            while text != previous_text:
                previous_text, text = text, BACKSPACED.sub("", text)
            output["text"] = OVERWRITTEN.sub("", text)
    return merged


def run_notebook(path, output_dir, log=sys.stderr, drop=LOOPBACK_WARNING):
    """Execute the notebook at ``path`` and write it, with outputs, to ``output_dir``; return the written path.

    The kernel's log is passed on to ``log`` without the lines that contain ``drop`` (``None``: every line). A cell
    error raises ``nbclient.exceptions.CellExecutionError`` after the partly executed copy is written.
    """
    path, output_dir = Path(path), Path(output_dir)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=None,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / path.name
    with tempfile.TemporaryFile("w+", encoding="utf-8") as kernel_log:
        try:
            client.execute(stderr=kernel_log)  # passed on to the kernel's process
        finally:
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    cell.outputs = merge_neighbouring_streams(cell.outputs)
            nbformat.write(notebook, target)
            kernel_log.seek(0)
            for line in kernel_log:
                if drop is None or drop not in line:
                    log.write(line)
    return target


def run_in_order(paths, output_dir):
    """Execute ``paths`` one after the other (stopping at the first failure); return the exit status."""
    for path in paths:
        try:
            target = run_notebook(path, output_dir)
        except CellExecutionError as err:
            print(f"{path}: a cell failed; the executed copy so far is in {output_dir}\n{err}", file=sys.stderr)
            return 1
        print(f"{path} -> {target}", flush=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--output-dir", type=Path, required=True, help="where the executed copies go")
    parser.add_argument("--beside", nargs="+", type=Path, default=[], help="notebooks run in a second process")
    args = parser.parse_args(argv)
    side = None
    if args.beside:
        command = [sys.executable, "-m", "tools.run_notebooks", "--output-dir", str(args.output_dir.resolve())]
        side = subprocess.Popen(command + [str(p.resolve()) for p in args.beside], cwd=REPO)
    status = run_in_order(args.notebooks, args.output_dir)
    if side is not None:
        status = max(status, side.wait())
    return status


if __name__ == "__main__":
    sys.exit(main())
