"""The course's one notebook runner, :func:`execute_notebook`, and ``make run``'s use of it (executed copies).

    python -m tools.run_notebooks --output-dir results/notebooks notebooks/0*.ipynb

:func:`execute_notebook` runs a notebook top to bottom in a fresh ``python3`` kernel of *this* interpreter (whatever
kernel.json says), in a given folder and environment. ``make run`` (:func:`run_notebook` here), the exercise checks
(``tools.exercises.run_notebook``, which keeps going after errors and reports every cell) and the tests that run a
notebook by hand all use it; nbval runs the notebooks under pytest. ``make run`` runs each notebook in its own folder,
with no time limit; the first error stops the run with exit status 1 (the copy written so far shows where). Two
things differ from ``jupyter nbconvert --execute``:

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
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets import default

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


class _CurrentEnvKernelSpecs(KernelSpecManager):
    """Kernel specs whose command runs ipykernel in this interpreter, whatever kernel.json says."""

    def get_kernel_spec(self, kernel_name):
        spec = super().get_kernel_spec(kernel_name)
        spec.argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        return spec


class _CurrentEnvKernelManager(AsyncKernelManager):
    @default("kernel_spec_manager")
    def _current_env_specs(self):
        return _CurrentEnvKernelSpecs(data_dir=self.data_dir)


def execute_notebook(
    notebook, cwd, *, env=None, timeout=None, allow_errors=False, log=sys.stderr, drop=LOOPBACK_WARNING, **hooks
):
    """Execute ``notebook`` (an ``nbformat`` notebook, changed in place) in a fresh ``python3`` kernel of this
    interpreter; return it.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
    cwd : str or Path
        The kernel's working directory.
    env : mapping of str to str or None
        Variables added to this process's environment for the kernel.
    timeout : float or None
        Seconds one cell may take (``None``: no limit).
    allow_errors : bool
        Keep going after a cell's error (recorded in its outputs) instead of raising
        ``nbclient.exceptions.CellExecutionError``.
    log : file or None
        Where the kernel's own log goes, without the lines that contain ``drop`` (``None``: every line); ``None``
        drops the log.
    **hooks
        nbclient's cell hooks, e.g. ``on_cell_execute``, ``on_cell_executed``.

    Each code cell's neighbouring stream outputs are merged (:func:`merge_neighbouring_streams`), also when a cell
    error stops the run.
    """
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=_CurrentEnvKernelManager,
        timeout=timeout,
        allow_errors=allow_errors,
        **hooks,
    )
    with tempfile.TemporaryFile("w+", encoding="utf-8") as kernel_log:
        try:  # stderr: passed on to the kernel's process
            client.execute(cwd=str(Path(cwd).resolve()), env={**os.environ, **(env or {})}, stderr=kernel_log)
        finally:
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    cell.outputs = merge_neighbouring_streams(cell.outputs)
            kernel_log.seek(0)
            for line in kernel_log if log is not None else ():
                if drop is None or drop not in line:
                    log.write(line)
    return notebook


def run_notebook(path, output_dir, log=sys.stderr, drop=LOOPBACK_WARNING):
    """Execute the notebook at ``path`` in its folder and write it, with outputs, to ``output_dir``; return the
    written path.

    The kernel's log is passed on to ``log`` without the lines that contain ``drop`` (``None``: every line). A cell
    error raises ``nbclient.exceptions.CellExecutionError`` after the partly executed copy is written.
    """
    path, output_dir = Path(path), Path(output_dir)
    notebook = nbformat.read(path, as_version=4)
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / path.name
    try:
        execute_notebook(notebook, path.parent, log=log, drop=drop)
    finally:
        nbformat.write(notebook, target)
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
