"""Execute lesson notebooks the way ``make run`` does, and write the executed copies.

    python -m tools.run_notebooks --output-dir results/notebooks notebooks/0*.ipynb

Each notebook runs top to bottom in a fresh ``python3`` kernel of this environment, in the notebook's folder, with
no time limit; the first error stops the run with exit status 1 (the copy written so far shows where). Two things
differ from ``jupyter nbconvert --execute``:

* every cell's output streams are merged (nbclient's ``coalesce_streams``): a progress bar leaves its last state
  in the executed copy, not one output per refresh (``--ExecutePreprocessor.coalesce_streams`` on nbconvert's
  command line is ignored: the option is not configurable there);
* the kernel's own log goes through this script, which passes every line on to stderr except one: ipykernel's
  "Kernel is running over TCP without encryption" warning. The kernel talks to this process over the loopback
  interface only, so the warning says nothing a course reader must act on, yet it reads like an alarm; the rest of
  the kernel's log still shows.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[1]
#: The one line of the kernel's log that is not passed on (see the module docstring).
LOOPBACK_WARNING = "Kernel is running over TCP without encryption"


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
        coalesce_streams=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / path.name
    with tempfile.TemporaryFile("w+", encoding="utf-8") as kernel_log:
        try:
            client.execute(stderr=kernel_log)  # passed on to the kernel's process
        finally:
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
