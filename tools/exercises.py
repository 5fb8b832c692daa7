"""Exercises with solutions: the notebooks in ``notebooks/`` are the instructor versions, ``student/`` holds copies
generated from them with every solution replaced by a stub.

How to write an exercise
------------------------
1. A markdown cell states the task under a heading ``### Exercise 3.1 · <title>`` (any heading level; the separator
   may be ``·``, ``:`` or a dash; the title is optional). Every ``exercise`` cell belongs to the nearest such heading
   above it; a heading of the same or a higher level in between ends the exercise.
2. A code cell tagged ``exercise`` (cell metadata ``tags``) holds the skeleton the student sees (imports, a function
   signature, a final ``print``) and one or more solution blocks, each between two comment lines::

       def annotator_accuracy(z, y):
           # BEGIN SOLUTION (hint: compare each column of z with y and average)
           return (z == y[:, None]).mean(axis=0)
           # END SOLUTION

       print(annotator_accuracy(z_train, data.y_train))

   In the student copy each block becomes one line at the indentation of its ``# BEGIN SOLUTION`` line:
   ``raise NotImplementedError("Exercise 3.1: compare each column of z with y and average")``. The text after
   ``Exercise 3.1:`` is the block's ``(hint: ...)`` if it has one, else the heading's title. The skeleton must reach
   a stub when it runs (call the function you left open), so the student's cell stops with that message.
3. Optionally, the code cell right after it is tagged ``exercise-check``: asserts that pass for a right answer. It
   is kept in the student copy so students can check themselves; without a solution it must fail.
4. A markdown cell tagged ``solution-text`` (the answer to a "predict first" prompt or a discussion question) is
   replaced in the student copy by a note that the answer is in the instructor version.
5. Lesson cells after an exercise must not use its results: the student copy has to run without errors outside
   the exercise cells and their checks (``assert_student_contract`` enforces this).
6. A check that cannot fail checks nothing, so every ``exercise`` cell with a check carries, in its cell metadata,
   plausible **wrong answers** the check must reject::

       "wrong_answers": [
           {"why": "a constant: the first batch's rate for every cycle", "source": "<the whole exercise cell>"},
           ...
       ]

   ``source`` replaces the whole exercise cell (skeleton included): take the solution and break it the way a
   student would (a constant, the hint's first step only, the baseline's numbers, the example from the prose).
   ``make_student_version`` drops this metadata; ``make_wrong_answer_probe`` builds the student copy with, after each
   ``exercise-check`` cell, one pair of cells per wrong answer: the wrong answer (tagged ``wrong-answer``), then a
   copy of the check (tagged ``wrong-answer-check``); the wrong answer's cell first forgets the names the
   solution binds. In a run of the probe each wrong answer must run without error
   and its check must fail with ``AssertionError``, ``ValueError`` or ``TypeError`` — a ``NameError`` means the
   wrong answer left out what the check reads, which proves nothing. Rule 5 keeps the inserted cells harmless.
   Checks end with ``print("Exercise 3.1: correct")``.

Everything else is copied unchanged, except that outputs and execution counts are emptied and Colab links to
``.../blob/<branch>/notebooks/`` point to ``.../student/``. A student copy has the same cells in the same order as
its instructor version, so cell indices agree. Malformed input raises ``ValueError`` naming the notebook and the
cell: BEGIN without END, END without BEGIN, nested blocks, an ``exercise`` cell without a block or without an
exercise heading, markers outside ``exercise`` cells, an ``exercise-check`` cell not right after an ``exercise``
cell, a tag on the wrong kind of cell.

Commands (from the repository root)::

    python -m tools.exercises           # (re)write student/ from notebooks/
    python -m tools.exercises --check   # exit 1 listing student copies that are missing or out of date

Running notebooks: ``run_notebook`` executes every cell in a kernel of this Python environment, continuing after
errors, and returns one ``CellRun`` per code cell; ``assert_instructor_runs`` and ``assert_student_contract`` check
the two sides (the student side run on ``make_wrong_answer_probe``'s notebook, so that the wrong answers are tried
too), ``check_exercises`` runs both versions of one notebook one after the other.
"""

import argparse
import ast
import copy
import json
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.run_notebooks import execute_notebook

INSTRUCTOR_DIR = "notebooks"
STUDENT_DIR = "student"
EXERCISE_TAG = "exercise"
CHECK_TAG = "exercise-check"
SOLUTION_TEXT_TAG = "solution-text"
WRONG_ANSWERS_KEY = "wrong_answers"
WRONG_ANSWER_TAG = "wrong-answer"
WRONG_ANSWER_CHECK_TAG = "wrong-answer-check"
#: Cell metadata of the cells ``make_wrong_answer_probe`` inserts: {"exercise": label, "why": text}.
PROBE_KEY = "crowdal_wrong_answer"
#: How a check may reject a wrong answer; anything else (a NameError above all) proves nothing.
WRONG_ANSWER_REJECTIONS = ("AssertionError", "ValueError", "TypeError")
SOLUTION_TEXT_NOTE = (
    "*The answer is left to you: work it out (and talk it over) before you look at the instructor version of this "
    "notebook, which has the same name under `notebooks/`.*"
)

_MARKER = re.compile(r"^(?P<indent>[ \t]*)#\s*(?P<word>BEGIN|END)\s+SOLUTION(?P<rest>.*)$", re.IGNORECASE)
_HINT = re.compile(r"^\s*\(hint:\s*(?P<hint>.*\S)\s*\)\s*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_EXERCISE_HEADING = re.compile(
    r"^Exercise\s+(?P<label>[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)(?:\s*[·:—–-]\s*(?P<title>.*))?$"
)
_FENCE = re.compile(r"^\s*(```|~~~)")
_COLAB_INSTRUCTOR_LINK = re.compile(r"(colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/[^/\s)]+/)notebooks/")


@dataclass(frozen=True)
class _Exercise:
    """Where an exercise or exercise-check cell belongs: the heading's label and title."""

    label: str
    title: str


def _tags(cell):
    return list(cell.get("metadata", {}).get("tags", []))


def _headings(markdown):
    """Yield (level, text) for every ATX heading of ``markdown`` outside fenced code blocks."""
    fenced = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            yield len(match["hashes"]), match["text"]


def _check_notebook(nb, name, argument="nb"):
    if isinstance(nb, Mapping) and not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.from_dict(nb)
    if not isinstance(nb, nbformat.NotebookNode):
        raise TypeError(f"`{argument}` must be a notebook (nbformat.NotebookNode), got {type(nb).__name__}.")
    if nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        raise ValueError(f"`{argument}` ({name}) must be an nbformat 4 notebook with a list of cells.")
    return nb


def _exercise_cells(nb, name):
    """Validate the tags of ``nb``; return {cell index: _Exercise} for its exercise and exercise-check cells."""
    found = {}
    current = None  # (level, _Exercise) of the open exercise heading
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index}"
        tags = _tags(cell)
        if cell.cell_type == "markdown":
            for level, text in _headings(cell.source):
                match = _EXERCISE_HEADING.match(text)
                if match:
                    current = (level, _Exercise(match["label"], (match["title"] or "").strip()))
                elif current is not None and level <= current[0]:
                    current = None
        for tag, kind in ((EXERCISE_TAG, "code"), (CHECK_TAG, "code"), (SOLUTION_TEXT_TAG, "markdown")):
            if tag in tags and cell.cell_type != kind:
                raise ValueError(f"{where}: the `{tag}` tag belongs on a {kind} cell, not a {cell.cell_type} cell.")
        if EXERCISE_TAG in tags and CHECK_TAG in tags:
            raise ValueError(f"{where}: a cell is either `{EXERCISE_TAG}` or `{CHECK_TAG}`, not both.")
        if cell.cell_type != "code":
            continue
        has_markers = any(_MARKER.match(line) for line in cell.source.splitlines())
        if EXERCISE_TAG in tags:
            if current is None:
                raise ValueError(
                    f"{where}: this `{EXERCISE_TAG}` cell has no `### Exercise <label> · <title>` heading above it."
                )
            found[index] = current[1]
        elif has_markers:
            raise ValueError(
                f"{where}: solution markers in a cell not tagged `{EXERCISE_TAG}` (its solution would be copied "
                "to the student version); tag the cell or remove the markers."
            )
        if CHECK_TAG in tags:
            if index == 0 or index - 1 not in found or CHECK_TAG in _tags(nb.cells[index - 1]):
                raise ValueError(f"{where}: an `{CHECK_TAG}` cell must come right after an `{EXERCISE_TAG}` cell.")
            found[index] = found[index - 1]
    for index, cell in enumerate(nb.cells):
        if WRONG_ANSWERS_KEY in cell.get("metadata", {}):
            _check_wrong_answers(nb, index, f"{name}, cell {index}")
    return found


def _check_wrong_answers(nb, index, where):
    """Validate the ``wrong_answers`` metadata of cell ``index`` (see rule 6 of the module docstring)."""
    cell = nb.cells[index]
    if EXERCISE_TAG not in _tags(cell):
        raise ValueError(f"{where}: `{WRONG_ANSWERS_KEY}` belongs in the metadata of an `{EXERCISE_TAG}` cell.")
    if index + 1 >= len(nb.cells) or CHECK_TAG not in _tags(nb.cells[index + 1]):
        raise ValueError(f"{where}: `{WRONG_ANSWERS_KEY}` needs an `{CHECK_TAG}` cell right after the exercise.")
    answers = cell.metadata[WRONG_ANSWERS_KEY]
    if not isinstance(answers, list) or not answers:
        raise ValueError(f"{where}: `{WRONG_ANSWERS_KEY}` must be a non-empty list of {{'why', 'source'}} items.")
    for k, answer in enumerate(answers):
        if (
            not isinstance(answer, Mapping)
            or set(answer) != {"why", "source"}
            or not all(isinstance(answer[key], str) and answer[key].strip() for key in ("why", "source"))
        ):
            raise ValueError(
                f"{where}: `{WRONG_ANSWERS_KEY}[{k}]` must have exactly the keys 'why' and 'source', both non-empty "
                "text."
            )
        if any(_MARKER.match(line) for line in answer["source"].splitlines()):
            raise ValueError(f"{where}: `{WRONG_ANSWERS_KEY}[{k}]` contains solution markers; a wrong answer has none.")


def _stub_source(source, exercise, where):
    """Return ``source`` with every solution block replaced by a ``raise NotImplementedError`` line."""
    lines = source.splitlines()
    kept, begin = [], None  # begin: (line number, indent, hint) of the open block
    n_blocks = 0
    for number, line in enumerate(lines, start=1):
        match = _MARKER.match(line)
        if match is None:
            if begin is None:
                kept.append(line)
            continue
        word, rest = match["word"], match["rest"]
        if word + " SOLUTION" not in line:
            raise ValueError(f"{where}, line {number}: write the marker as `# {word.upper()} SOLUTION`.")
        if word == "BEGIN":
            if begin is not None:
                raise ValueError(
                    f"{where}, line {number}: nested `# BEGIN SOLUTION` (block open since line {begin[0]})."
                )
            hint = _HINT.match(rest)
            if rest.strip() and hint is None:
                raise ValueError(
                    f"{where}, line {number}: after `# BEGIN SOLUTION` only an optional `(hint: ...)` may follow, "
                    f"got {rest.strip()!r}."
                )
            begin = (number, match["indent"], hint["hint"] if hint else None)
        else:
            if begin is None:
                raise ValueError(f"{where}, line {number}: `# END SOLUTION` without a `# BEGIN SOLUTION` before it.")
            if rest.strip():
                raise ValueError(f"{where}, line {number}: nothing may follow `# END SOLUTION`, got {rest.strip()!r}.")
            text = begin[2] or exercise.title or "write your solution here"
            message = json.dumps(f"Exercise {exercise.label}: {text}", ensure_ascii=False)
            kept.append(f"{begin[1]}raise NotImplementedError({message})")
            begin = None
            n_blocks += 1
    if begin is not None:
        raise ValueError(f"{where}, line {begin[0]}: `# BEGIN SOLUTION` without a matching `# END SOLUTION`.")
    if n_blocks == 0:
        raise ValueError(f"{where}: an `{EXERCISE_TAG}` cell needs at least one `# BEGIN SOLUTION` block.")
    return "\n".join(kept)


def make_student_version(nb, *, name=None):
    """Return the student copy of the instructor notebook ``nb`` (a new notebook; ``nb`` is not modified).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The instructor version (nbformat 4), cells following the conventions of this module's docstring.
    name : str, optional
        How error messages name the notebook, usually its path.

    Returns
    -------
    nbformat.NotebookNode
        Same cells in the same order: solution blocks replaced by stubs, ``solution-text`` cells by a note,
        ``wrong_answers`` metadata removed, outputs and execution counts emptied, Colab links pointing to
        ``student/``.

    Raises
    ------
    ValueError
        If the notebook breaks a convention; the message names the notebook and the cell index.
    """
    name = "notebook" if name is None else str(name)
    nb = _check_notebook(nb, name)
    exercises = _exercise_cells(nb, name)
    student = copy.deepcopy(nb)
    for index, cell in enumerate(student.cells):
        tags = _tags(cell)
        cell.get("metadata", {}).pop(WRONG_ANSWERS_KEY, None)  # the wrong answers would give the game away
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if EXERCISE_TAG in tags:
                cell.source = _stub_source(cell.source, exercises[index], f"{name}, cell {index}")
        elif cell.cell_type == "markdown":
            if SOLUTION_TEXT_TAG in tags:
                cell.source = SOLUTION_TEXT_NOTE
                cell.pop("attachments", None)
            else:
                cell.source = _COLAB_INSTRUCTOR_LINK.sub(rf"\g<1>{STUDENT_DIR}/", cell.source)
    nbformat.validate(student)
    return student


def _bound_names(source):
    """The names a cell binds at its top level (assignments, ``def``, ``class``), sorted; () if it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return tuple(sorted(names))


def without_exercise(nb, label, *, name=None):
    """Return ``nb`` without the code cells of exercise ``label`` (its ``exercise`` and ``exercise-check`` cells).

    For tests whose subject the exercise does not touch: notebook 4's exercise 4.2 runs an experiment of its own
    whatever results file the notebook reads, so a test of how the notebook reads one can leave it out. Raises
    ``ValueError`` if the notebook has no such exercise. ``nb`` is not modified.
    """
    name = "notebook" if name is None else str(name)
    nb = copy.deepcopy(_check_notebook(nb, name))
    drop = {index for index, exercise in _exercise_cells(nb, name).items() if exercise.label == label}
    if not drop:
        raise ValueError(f"{name}: no exercise {label!r} to leave out")
    nb.cells = [cell for index, cell in enumerate(nb.cells) if index not in drop]
    return nb


def make_wrong_answer_probe(nb, *, name=None):
    """Return the student copy of ``nb`` with every wrong answer tried against its exercise's check.

    After each ``exercise-check`` cell whose exercise carries ``wrong_answers`` (rule 6 of the module docstring),
    one pair of code cells per wrong answer is inserted: the wrong answer's source (tagged ``wrong-answer``) and a
    copy of the check (tagged ``wrong-answer-check``). The wrong answer's cell first deletes the names the
    instructor's exercise cell binds at its top level, so that what an earlier wrong answer defined cannot stand in
    for what this one left out. Both cells carry ``{"exercise": label, "why": text}`` under the cell
    metadata key ``PROBE_KEY``. Run it with ``run_notebook`` and judge it with ``assert_student_contract``.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; ``nb`` is not modified.
    """
    name = "notebook" if name is None else str(name)
    nb = _check_notebook(nb, name)
    exercises = _exercise_cells(nb, name)
    student = make_student_version(nb, name=name)
    cells = []
    for index, cell in enumerate(student.cells):
        cells.append(cell)
        if CHECK_TAG not in _tags(cell):
            continue
        exercise_cell = nb.cells[index - 1]
        label = exercises[index].label
        forget = _bound_names(exercise_cell.source)
        reset = f"for _name in {forget!r}:  # forget the names the solution binds\n    globals().pop(_name, None)\n"
        for k, answer in enumerate(exercise_cell.get("metadata", {}).get(WRONG_ANSWERS_KEY, [])):
            probe = {"exercise": label, "why": answer["why"]}
            base = f"{cell.get('id') or f'cell{index}'}"[:48]
            cells.append(
                nbformat.v4.new_code_cell(
                    (reset if forget else "") + answer["source"],
                    id=f"{base}-wa{k}",
                    metadata={"tags": [WRONG_ANSWER_TAG], PROBE_KEY: probe},
                )
            )
            cells.append(
                nbformat.v4.new_code_cell(
                    cell.source,
                    id=f"{base}-wa{k}-check",
                    metadata={"tags": [WRONG_ANSWER_CHECK_TAG], PROBE_KEY: probe},
                )
            )
    student.cells = cells
    nbformat.validate(student)
    return student


def _serialize(nb):
    """The text ``nbformat.write`` would store, so committed copies compare byte for byte."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def _expected_copies(src_dir, dst_dir):
    """Map each student path to the text it should hold, generated from the instructor notebooks in ``src_dir``."""
    src_dir, dst_dir = Path(src_dir), Path(dst_dir)
    if not src_dir.is_dir():
        raise ValueError(f"`src_dir` must be a folder of instructor notebooks, got {str(src_dir)!r}.")
    if src_dir.resolve() == dst_dir.resolve():
        raise ValueError(f"`dst_dir` must differ from `src_dir`, got {str(dst_dir)!r} for both.")
    expected = {}
    for path in sorted(src_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        expected[dst_dir / path.name] = _serialize(make_student_version(nb, name=path))
    return expected


def write_student_versions(src_dir=INSTRUCTOR_DIR, dst_dir=STUDENT_DIR):
    """Generate the student copy of every notebook in ``src_dir`` into ``dst_dir`` (same file names).

    Copies already up to date are left untouched. Copies whose instructor version no longer exists are not
    deleted (``check_student_versions`` lists them).

    Returns
    -------
    list of pathlib.Path
        The student copies, one per instructor notebook, sorted by name.
    """
    expected = _expected_copies(src_dir, dst_dir)
    Path(dst_dir).mkdir(parents=True, exist_ok=True)
    for path, text in expected.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return list(expected)


def check_student_versions(src_dir=INSTRUCTOR_DIR, dst_dir=STUDENT_DIR):
    """List what is wrong with the committed student copies; an empty list means they are up to date.

    Returns
    -------
    list of str
        One line per student copy that is missing, differs from what the generator writes now, or has no
        instructor notebook any more.
    """
    expected = _expected_copies(src_dir, dst_dir)
    problems = []
    for path, text in expected.items():
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path}: out of date")
    for path in sorted(Path(dst_dir).glob("*.ipynb")):
        if path not in expected:
            problems.append(f"{path}: no instructor notebook {Path(src_dir) / path.name}; remove it")
    return problems


@dataclass(frozen=True)
class CellRun:
    """What happened to one code cell in ``run_notebook``.

    Attributes
    ----------
    index : int
        Position of the cell in the notebook (markdown cells counted).
    role : str
        ``"exercise"``, ``"exercise-check"``, ``"wrong-answer"``, ``"wrong-answer-check"`` or ``"lesson"`` (every
        other code cell).
    exercise : str or None
        The exercise's label (``"3.1"``) for every role but ``"lesson"``.
    error_name, error_value : str or None
        The exception's class name and message if the cell raised, else None.
    seconds : float
        Wall time of the cell.
    why : str or None
        For ``"wrong-answer"`` and ``"wrong-answer-check"`` cells (see ``make_wrong_answer_probe``): what is wrong
        with the answer.
    """

    index: int
    role: str
    exercise: str | None
    error_name: str | None
    error_value: str | None
    seconds: float
    why: str | None = None

    @property
    def ok(self):
        return self.error_name is None

    @property
    def where(self):
        """``"cell 7 (exercise 3.1)"``, ``"cell 9 (lesson)"``, ``"cell 8 (wrong-answer 3.1: a constant)"``."""
        why = f": {self.why}" if self.why else ""
        return f"cell {self.index} ({self.role}{f' {self.exercise}' if self.exercise else ''}{why})"

    def describe(self):
        """``where``, followed by the error if the cell raised one."""
        return self.where if self.ok else f"{self.where}: {self.error_name}: {self.error_value}"


def run_notebook(notebook, cwd, *, env=None, timeout=600):
    """Execute every code cell of ``notebook`` in a fresh ``python3`` kernel of this environment.

    Errors do not stop the run: each cell's error is recorded and the next cell runs.

    Parameters
    ----------
    notebook : str, pathlib.Path or nbformat.NotebookNode
        The notebook to run (not modified).
    cwd : str or pathlib.Path
        The kernel's working directory; must exist.
    env : mapping of str to str, optional
        Variables added to this process's environment for the kernel, e.g. ``{"CROWDAL_FAST": "1",
        "CROWDAL_RESULTS_DIR": "/abs/path"}``. Variables already set here reach the kernel anyway.
    timeout : float or None
        Seconds one cell may take before the run stops with ``nbclient.exceptions.CellTimeoutError``;
        None for no limit.

    Returns
    -------
    list of CellRun
        One per code cell, in order.
    """
    if isinstance(notebook, str | Path):
        name = str(notebook)
        nb = nbformat.read(notebook, as_version=4)
    else:
        name = "notebook"
        nb = copy.deepcopy(_check_notebook(notebook, name, "notebook"))
    if not Path(cwd).is_dir():
        raise ValueError(f"`cwd` must be an existing folder, got {str(cwd)!r}.")
    if env is not None and not (
        isinstance(env, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())
    ):
        raise TypeError("`env` must map variable names (str) to values (str).")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0):
        raise ValueError(f"`timeout` must be a positive number of seconds or None, got {timeout!r}.")
    exercises = _exercise_cells(nb, name)
    started = {}
    seconds = {}

    def on_start(cell, cell_index, **_):
        started[cell_index] = time.perf_counter()

    def on_done(cell, cell_index, **_):
        seconds[cell_index] = time.perf_counter() - started.get(cell_index, time.perf_counter())

    hooks = {"on_cell_execute": on_start, "on_cell_executed": on_done}
    execute_notebook(nb, cwd, env=env, timeout=timeout, allow_errors=True, **hooks)
    report = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = _tags(cell)
        role = next(
            (tag for tag in (EXERCISE_TAG, CHECK_TAG, WRONG_ANSWER_TAG, WRONG_ANSWER_CHECK_TAG) if tag in tags),
            "lesson",
        )
        probe = cell.metadata.get(PROBE_KEY, {}) if role in (WRONG_ANSWER_TAG, WRONG_ANSWER_CHECK_TAG) else {}
        error = next((out for out in cell.outputs if out.output_type == "error"), None)
        report.append(
            CellRun(
                index=index,
                role=role,
                exercise=exercises[index].label if index in exercises else probe.get("exercise"),
                error_name=error.ename if error else None,
                error_value=error.evalue if error else None,
                seconds=seconds.get(index, 0.0),
                why=probe.get("why"),
            )
        )
    return report


def _check_report(report):
    if not isinstance(report, list | tuple) or not all(isinstance(run, CellRun) for run in report):
        raise TypeError("`report` must be the list of CellRun that `run_notebook` returns.")


def instructor_violations(report):
    """List the cells of an instructor run that raised; every cell, exercise checks included, must pass."""
    _check_report(report)
    problems = []
    for run in report:
        if run.ok:
            continue
        if run.role == CHECK_TAG:
            problems.append(f"{run.describe()} -- the solution of Exercise {run.exercise} fails its check")
        else:
            problems.append(run.describe())
    return problems


def student_contract_violations(report):
    """List where a student run breaks the contract.

    Every ``exercise`` cell stops with ``NotImplementedError("Exercise <label>: ...")`` naming its exercise; every
    ``exercise-check`` cell fails (a check that passes without a solution checks nothing); in a run of
    ``make_wrong_answer_probe``'s notebook every ``wrong-answer`` cell runs without error and the
    ``wrong-answer-check`` after it fails with one of ``WRONG_ANSWER_REJECTIONS``; every other cell runs without
    error.
    """
    _check_report(report)
    problems = []
    wrong_answer_ran = False  # whether the last wrong-answer cell ran cleanly (its check is judged only then)
    for run in report:
        if run.role == WRONG_ANSWER_TAG:
            wrong_answer_ran = run.ok
            if not run.ok:
                problems.append(f"{run.describe()} -- a wrong answer must itself run without error; fix its source")
            continue
        if run.role == WRONG_ANSWER_CHECK_TAG:
            if not wrong_answer_ran:
                continue
            if run.ok:
                problems.append(f"{run.where}: the check passes this wrong answer; harden the check")
            elif run.error_name not in WRONG_ANSWER_REJECTIONS:
                problems.append(
                    f"{run.describe()} -- the check must reject the wrong answer with an assertion (or a ValueError or "
                    "TypeError), not crash on a name the wrong answer left out"
                )
            continue
        if run.role == EXERCISE_TAG:
            prefix = f"Exercise {run.exercise}:"
            if run.error_name != "NotImplementedError" or not (run.error_value or "").startswith(prefix):
                got = "ran without error" if run.ok else f"raised {run.error_name}: {run.error_value}"
                problems.append(
                    f"{run.where}: should stop at its stub with NotImplementedError('{prefix} ...') but {got}"
                )
        elif run.role == CHECK_TAG:
            if run.ok:
                problems.append(f"{run.describe()}: passes without a solution, so it cannot tell a right answer")
        elif not run.ok:
            problems.append(f"{run.describe()} -- a lesson cell must not depend on an exercise's result")
    return problems


def _assert_none(problems, what):
    if problems:
        raise AssertionError(f"{what}:\n  " + "\n  ".join(problems))


def assert_instructor_runs(report):
    """Raise ``AssertionError`` listing every cell of an instructor run that raised (see ``instructor_violations``)."""
    _assert_none(instructor_violations(report), "the instructor version does not run cleanly")


def assert_student_contract(report):
    """Raise ``AssertionError`` listing every break of the student contract (see ``student_contract_violations``)."""
    _assert_none(student_contract_violations(report), "the student version breaks the exercise contract")


def check_exercises(instructor_path, cwd, *, env=None, timeout=600):
    """Run the instructor version of a notebook, then its student copy, in the same folder and environment.

    The student run comes second so that it reuses what the instructor run checkpointed under
    ``$CROWDAL_RESULTS_DIR``; it runs ``make_wrong_answer_probe``'s notebook, so the wrong answers are tried too.
    Raises ``AssertionError`` if either side fails (``assert_instructor_runs``, ``assert_student_contract``).

    Returns
    -------
    (list of CellRun, list of CellRun)
        The instructor and the student report.
    """
    path = Path(instructor_path)
    if not path.is_file():
        raise ValueError(f"`instructor_path` must be a notebook file, got {str(instructor_path)!r}.")
    instructor_nb = nbformat.read(path, as_version=4)
    student_nb = make_wrong_answer_probe(instructor_nb, name=path)
    instructor = run_notebook(instructor_nb, cwd, env=env, timeout=timeout)
    assert_instructor_runs(instructor)
    student = run_notebook(student_nb, cwd, env=env, timeout=timeout)
    assert_student_contract(student)
    return instructor, student


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.exercises",
        description="Generate the student copies of the instructor notebooks (solutions replaced by stubs).",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a copy is missing or stale")
    parser.add_argument("--src", default=INSTRUCTOR_DIR, help="folder of instructor notebooks (default: %(default)s)")
    parser.add_argument("--dst", default=STUDENT_DIR, help="folder of student copies (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check_student_versions(args.src, args.dst)
            if problems:
                print("student copies to regenerate (make student):", *problems, sep="\n  ", file=sys.stderr)
                return 1
            print(f"{args.dst}/ is up to date with {args.src}/")
        else:
            paths = write_student_versions(args.src, args.dst)
            print(f"{len(paths)} student copies in {args.dst}/")
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
