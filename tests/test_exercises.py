"""Student copies of exercise notebooks: the generator, the check mode, and the contracts both versions must keep.

The notebooks are built here with nbformat and written to tmp folders; five kernels run in this file.
"""

import ast
import copy
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import exercises
from tools.exercises import (
    SOLUTION_TEXT_NOTE,
    CellRun,
    assert_instructor_runs,
    assert_student_contract,
    check_exercises,
    check_student_versions,
    instructor_violations,
    make_student_version,
    make_wrong_answer_probe,
    run_notebook,
    student_contract_violations,
    write_student_versions,
)

BADGE = (
    "[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
    "(https://colab.research.google.com/github/crowdal/crowdal/blob/main/notebooks/07_demo.ipynb)"
)


def code(source, *tags, **metadata):
    return new_code_cell(source, metadata={"tags": list(tags), **metadata} if tags else metadata)


def markdown(source, *tags):
    return new_markdown_cell(source, metadata={"tags": list(tags)} if tags else {})


def demo_notebook():
    """Two exercises (one with two blocks), a check, a solution-text cell, and lesson cells with outputs."""
    nb = new_notebook(
        cells=[
            markdown(f"# 7 · Demo\n\n{BADGE}"),
            code("import numpy as np", "parameters"),
            markdown("### Exercise 7.1 · Mean accuracy per annotator\nAverage each column."),
            code(
                "def accuracy(z, y):\n"
                "    # BEGIN SOLUTION (hint: compare z with y[:, None], then average over axis 0)\n"
                "    hits = z == y[:, None]\n"
                "    return hits.mean(axis=0)\n"
                "    # END SOLUTION\n"
                "\n"
                "\n"
                "print(accuracy(np.array([[1, 0]]), np.array([1])))",
                "exercise",
                collapsed=False,
            ),
            code("assert accuracy(np.array([[1, 0]]), np.array([1])).tolist() == [1.0, 0.0]", "exercise-check"),
            markdown("Predict first: which annotator is best?"),
            markdown("The first one: it agrees with the truth.", "solution-text"),
            markdown("### Exercise 7.2: Two steps\n```python\n# not a heading: inside a fence\n```"),
            code(
                "# BEGIN SOLUTION\n"
                "first = 1\n"
                "# END SOLUTION\n"
                "for i in range(2):\n"
                "    if i:\n"
                '        # BEGIN SOLUTION (hint: add "i" to `first`, \\ included)\n'
                "        second = first + i\n"
                "        # END SOLUTION\n"
                "print(second)",
                "exercise",
            ),
            code("print('lesson goes on')"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}, "custom": 1},
    )
    nb.cells[1].outputs = [new_output("stream", text="old output\n")]
    nb.cells[1].execution_count = 4
    nb.cells[6].attachments = {"answer.png": {"image/png": "iVBORw0KGgo="}}
    return nb


# ---------------------------------------------------------------- generator


def test_solution_blocks_become_stubs_at_their_indentation():
    student = make_student_version(demo_notebook())
    assert student.cells[3].source == (
        "def accuracy(z, y):\n"
        '    raise NotImplementedError("Exercise 7.1: compare z with y[:, None], then average over axis 0")\n'
        "\n"
        "\n"
        "print(accuracy(np.array([[1, 0]]), np.array([1])))"
    )


def test_several_blocks_in_one_cell_each_get_a_stub_and_their_own_hint():
    source = make_student_version(demo_notebook()).cells[8].source
    lines = source.splitlines()
    assert lines[0] == 'raise NotImplementedError("Exercise 7.2: Two steps")'  # no hint: the heading's title
    assert lines[1:3] == ["for i in range(2):", "    if i:"]
    assert lines[3].startswith("        raise NotImplementedError(")
    assert lines[4] == "print(second)"
    assert "first = 1" not in source and "second = first" not in source and "SOLUTION" not in source
    # the hint holds a quote and a backslash: the stub must still be valid Python carrying the hint verbatim
    call = ast.parse(lines[3].strip()).body[0].exc
    assert ast.literal_eval(call.args[0]) == 'Exercise 7.2: add "i" to `first`, \\ included'
    ast.parse(source)


def test_without_hint_or_title_the_stub_still_names_the_exercise():
    nb = new_notebook(cells=[markdown("## Exercise 2"), code("# BEGIN SOLUTION\nx = 1\n# END SOLUTION", "exercise")])
    source = make_student_version(nb).cells[1].source
    assert source == 'raise NotImplementedError("Exercise 2: write your solution here")'


def test_solution_text_is_replaced_by_a_note_keeping_the_cell_identity():
    nb = demo_notebook()
    cell = make_student_version(nb).cells[6]
    assert cell.source == SOLUTION_TEXT_NOTE
    assert "first one" not in cell.source and "attachments" not in cell
    assert cell.id == nb.cells[6].id and cell.metadata.tags == ["solution-text"]


def test_everything_else_is_copied_with_outputs_emptied():
    nb = demo_notebook()
    student = make_student_version(nb)
    assert student.metadata == nb.metadata
    assert [c.id for c in student.cells] == [c.id for c in nb.cells]
    assert [c.metadata for c in student.cells] == [c.metadata for c in nb.cells]  # tags and other metadata
    for index in (1, 2, 4, 5, 7, 9):  # lesson, headings, the check: same source
        assert student.cells[index].source == nb.cells[index].source
    code_cells = [c for c in student.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code_cells)


def test_colab_link_points_to_the_student_copy():
    title = make_student_version(demo_notebook()).cells[0].source
    assert "/blob/main/student/07_demo.ipynb" in title and "/notebooks/" not in title
    assert "colab.research.google.com/assets/colab-badge.svg" in title


def test_the_instructor_notebook_is_not_modified():
    nb = demo_notebook()
    before = copy.deepcopy(nb)
    make_student_version(nb)
    assert nb == before


def test_a_plain_dict_is_accepted_and_anything_else_refused():
    nb = demo_notebook()
    assert make_student_version(dict(nb)) == make_student_version(nb)
    with pytest.raises(TypeError, match="`nb` must be a notebook"):
        make_student_version(["not", "a", "notebook"])


EXERCISE = code("def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\nf()", "exercise")
MALFORMED = {
    "begin without end": ([code("# BEGIN SOLUTION\nx = 1", "exercise")], "without a matching `# END"),
    "end without begin": ([code("x = 1\n# END SOLUTION", "exercise")], "without a `# BEGIN SOLUTION` before"),
    "nested blocks": (
        [code("# BEGIN SOLUTION\n# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n# END SOLUTION", "exercise")],
        "nested",
    ),
    "no solution block": ([code("x = 1", "exercise")], "needs at least one"),
    "misspelt marker": ([code("# BEGIN SOLUTIONS\nx = 1\n# END SOLUTION", "exercise")], "may follow"),
    "lower-case marker": ([code("# begin solution\nx = 1\n# END SOLUTION", "exercise")], "write the marker as"),
    "text after end": ([code("# BEGIN SOLUTION\nx = 1\n# END SOLUTION here", "exercise")], "nothing may follow"),
    "markers in an untagged cell": ([code("# BEGIN SOLUTION\nx = 1\n# END SOLUTION")], "not tagged `exercise`"),
    "check after a lesson cell": ([EXERCISE, code("y = 2"), code("assert y", "exercise-check")], "right after"),
    "check after a check": (
        [EXERCISE, code("assert f()", "exercise-check"), code("assert f()", "exercise-check")],
        "right after",
    ),
    "exercise tag on markdown": ([markdown("Do it.", "exercise")], "belongs on a code cell"),
    "solution-text tag on code": ([code("x = 1", "solution-text")], "belongs on a markdown cell"),
}


@pytest.mark.parametrize("cells, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_notebooks_are_refused_naming_notebook_and_cell(cells, message):
    nb = new_notebook(cells=[markdown("# Title"), markdown("### Exercise 1.1 · Task"), *copy.deepcopy(cells)])
    bad_index = 2 + len(cells) - 1  # the last cell is the offending one
    with pytest.raises(ValueError, match=rf"my_lesson\.ipynb, cell {bad_index}\b.*{message}"):
        make_student_version(nb, name="my_lesson.ipynb")


@pytest.mark.parametrize(
    "heading",
    ["No exercise heading", "### Exercise 1.1 · Task\n\n## Next section", "```\n### Exercise 1.1 · In a fence\n```"],
    ids=["none", "closed by a later section", "inside a code fence"],
)
def test_an_exercise_cell_needs_an_exercise_heading_above_it(heading):
    nb = new_notebook(cells=[markdown(heading), EXERCISE])
    with pytest.raises(ValueError, match=r"lesson\.ipynb, cell 1: .*no `### Exercise"):
        make_student_version(nb, name="lesson.ipynb")


def test_a_subheading_inside_the_exercise_keeps_it_open():
    nb = new_notebook(cells=[markdown("## Exercise 4 · Outer\n### Hint\nUse f."), EXERCISE])
    assert "Exercise 4: Outer" in make_student_version(nb).cells[1].source


# ---------------------------------------------------------------- wrong answers


def wrong(why, source):
    return {"why": why, "source": source}


def probed_notebook():
    """The demo notebook with two wrong answers for Exercise 7.1 (the one with a check)."""
    nb = demo_notebook()
    nb.cells[3].metadata["wrong_answers"] = [
        wrong("a constant", "def accuracy(z, y):\n    return np.zeros(z.shape[1])"),
        wrong("averages the rows", "def accuracy(z, y):\n    return (z == y[:, None]).mean(axis=1)"),
    ]
    return nb


def test_the_student_copy_does_not_contain_the_wrong_answers():
    nb = probed_notebook()
    student = make_student_version(nb)
    assert "wrong_answers" not in student.cells[3].metadata
    assert student.cells[3].metadata == {"tags": ["exercise"], "collapsed": False}
    assert "np.zeros" not in nbformat.writes(student)
    assert "wrong_answers" in nb.cells[3].metadata  # the instructor notebook keeps them


def test_the_probe_tries_each_wrong_answer_against_a_copy_of_the_check():
    nb = probed_notebook()
    student, probe = make_student_version(nb), make_wrong_answer_probe(nb)
    assert len(probe.cells) == len(student.cells) + 4
    assert probe.cells[:5] == student.cells[:5] and probe.cells[9:] == student.cells[5:]  # the rest is the copy
    check = student.cells[4].source
    inserted = probe.cells[5:9]
    reset = "for _name in ('accuracy',):  # forget the names the solution binds\n    globals().pop(_name, None)\n"
    answers = [reset + answer["source"] for answer in nb.cells[3].metadata["wrong_answers"]]
    assert [c.source for c in inserted] == [answers[0], check, answers[1], check]
    assert [c.metadata.tags for c in inserted] == [["wrong-answer"], ["wrong-answer-check"]] * 2
    assert [c.metadata[exercises.PROBE_KEY] for c in inserted] == [{"exercise": "7.1", "why": "a constant"}] * 2 + [
        {"exercise": "7.1", "why": "averages the rows"}
    ] * 2
    assert len({c.id for c in probe.cells}) == len(probe.cells)
    plain = demo_notebook()
    assert make_wrong_answer_probe(plain) == make_student_version(plain)  # no wrong answers: just the copy


MALFORMED_WRONG_ANSWERS = {
    "on a lesson cell": (lambda nb: nb.cells[1], "belongs in the metadata of an `exercise` cell"),
    "on an exercise without a check": (lambda nb: nb.cells[8], "needs an `exercise-check` cell"),
    "not a list": (lambda nb: nb.cells[3], "non-empty list", "x = 1"),
    "an empty list": (lambda nb: nb.cells[3], "non-empty list", []),
    "without why": (lambda nb: nb.cells[3], r"wrong_answers\[0\]` must have", [{"source": "x = 1"}]),
    "an empty source": (lambda nb: nb.cells[3], r"wrong_answers\[1\]` must have", [wrong("a", "x"), wrong("b", " ")]),
    "with markers": (
        lambda nb: nb.cells[3],
        "contains solution markers",
        [wrong("a", "# BEGIN SOLUTION\nx = 1\n# END SOLUTION")],
    ),
}


@pytest.mark.parametrize("case", MALFORMED_WRONG_ANSWERS.values(), ids=MALFORMED_WRONG_ANSWERS.keys())
def test_malformed_wrong_answers_are_refused_naming_the_cell(case):
    nb = demo_notebook()
    where, message, *value = case
    cell = where(nb)
    cell.metadata["wrong_answers"] = value[0] if value else [wrong("a constant", "x = 0")]
    index = nb.cells.index(cell)
    for build in (make_student_version, make_wrong_answer_probe):
        with pytest.raises(ValueError, match=rf"demo\.ipynb, cell {index}: .*{message}"):
            build(nb, name="demo.ipynb")


# ---------------------------------------------------------------- contracts on hand-made reports


def run(index, role, exercise=None, error=None, why=None):
    name, value = error if error else (None, None)
    return CellRun(index, role, exercise, name, value, 0.1, why)


def test_a_student_report_that_keeps_the_contract_has_no_violations():
    report = [
        run(1, "lesson"),
        run(3, "exercise", "3.1", ("NotImplementedError", "Exercise 3.1: do it")),
        run(4, "exercise-check", "3.1", ("NameError", "name 'x' is not defined")),
        run(5, "lesson"),
    ]
    assert student_contract_violations(report) == []
    assert_student_contract(report)


@pytest.mark.parametrize(
    "cell, message",
    [
        (run(3, "exercise", "3.1"), "cell 3 .*ran without error"),
        (run(3, "exercise", "3.1", ("NameError", "name 'np' is not defined")), "cell 3 .*raised NameError"),
        (run(3, "exercise", "3.1", ("NotImplementedError", "Exercise 3.11: other")), "cell 3 .*Exercise 3.11"),
        (run(4, "exercise-check", "3.1"), "cell 4 .*passes without a solution"),
        (run(5, "lesson", None, ("NameError", "name 'acc' is not defined")), "cell 5 .*must not depend"),
    ],
    ids=["stub never reached", "wrong error", "another exercise's stub", "check passes", "lesson cell fails"],
)
def test_each_break_of_the_student_contract_is_reported(cell, message):
    problems = student_contract_violations([run(1, "lesson"), cell])
    assert len(problems) == 1 and re.search(message, problems[0])
    with pytest.raises(AssertionError, match=message):
        assert_student_contract([cell])


def wrong_answer_pair(check_error, answer_error=None, why="a constant"):
    return [
        run(5, "wrong-answer", "3.1", answer_error, why),
        run(6, "wrong-answer-check", "3.1", check_error, why),
    ]


@pytest.mark.parametrize("rejection", ["AssertionError", "ValueError", "TypeError"])
def test_a_wrong_answer_its_check_rejects_keeps_the_contract(rejection):
    report = [
        run(3, "exercise", "3.1", ("NotImplementedError", "Exercise 3.1: do it")),
        run(4, "exercise-check", "3.1"),
    ]
    report[1] = run(4, "exercise-check", "3.1", ("NameError", "name 'x' is not defined"))
    assert student_contract_violations(report + wrong_answer_pair((rejection, "no"))) == []


@pytest.mark.parametrize(
    "pair, message",
    [
        (wrong_answer_pair(None), r"cell 6 \(wrong-answer-check 3.1: a constant\): the check passes this wrong answer"),
        (wrong_answer_pair(("NameError", "name 'rate' is not defined")), "cell 6 .*NameError.*not crash on a name"),
        (
            wrong_answer_pair(("NameError", "x"), answer_error=("ZeroDivisionError", "division by zero")),
            r"cell 5 \(wrong-answer 3.1: a constant\): ZeroDivisionError.*must itself run without error",
        ),
    ],
    ids=["check passes", "check crashes with NameError", "wrong answer raises"],
)
def test_each_way_a_wrong_answer_breaks_the_contract_is_reported_once(pair, message):
    problems = student_contract_violations([run(1, "lesson"), *pair])
    assert len(problems) == 1 and re.search(message, problems[0]), problems
    with pytest.raises(AssertionError, match=message):
        assert_student_contract(pair)


def test_the_instructor_side_reports_every_failing_cell_and_names_failed_checks():
    report = [run(1, "lesson", None, ("ValueError", "bad")), run(3, "exercise", "3.1"), run(4, "exercise-check", "3.1")]
    assert instructor_violations(report) == ["cell 1 (lesson): ValueError: bad"]
    report[2] = run(4, "exercise-check", "3.1", ("AssertionError", ""))
    assert instructor_violations(report)[1] == (
        "cell 4 (exercise-check 3.1): AssertionError:  -- the solution of Exercise 3.1 fails its check"
    )


def test_reports_must_come_from_run_notebook():
    with pytest.raises(TypeError, match="`report` must be"):
        student_contract_violations([{"index": 1}])


# ---------------------------------------------------------------- kernels (4 runs)


def kernel_notebook(solution, lesson_after):
    """An exercise with a check, then a lesson cell; the first cell proves cwd, env and interpreter."""
    return new_notebook(
        cells=[
            code(
                "import os, sys\n"
                "assert os.getcwd() == os.environ['EXPECTED_CWD'], os.getcwd()\n"
                f"assert sys.executable == {sys.executable!r}, sys.executable\n"
                "assert os.environ['CROWDAL_FAST'] == '1'"
            ),
            markdown("### Exercise 1.1 · Double a number"),
            code(
                f"def double(x):\n    # BEGIN SOLUTION\n    {solution}\n    # END SOLUTION\n\ndoubled = double(21)",
                "exercise",
            ),
            code("assert doubled == 42, doubled", "exercise-check"),
            code(lesson_after),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("kernel_cwd")
    return cwd, {"EXPECTED_CWD": str(cwd.resolve()), "CROWDAL_FAST": "1"}


def test_a_correct_exercise_passes_both_sides(tmp_path, kernel_env):
    cwd, env = kernel_env
    path = tmp_path / "01_good.ipynb"
    nbformat.write(kernel_notebook("return 2 * x", "print('independent of the exercise')"), path)
    instructor, student = check_exercises(path, cwd, env=env, timeout=60)  # raises if either side fails
    assert [r.role for r in student] == ["lesson", "exercise", "exercise-check", "lesson"]
    assert all(r.ok for r in instructor) and all(r.seconds > 0 for r in instructor)
    assert (student[1].error_name, student[1].error_value) == ("NotImplementedError", "Exercise 1.1: Double a number")
    assert student[2].error_name == "NameError"  # the check fails without a solution, and that is allowed
    assert student[0].ok and student[3].ok  # cwd, env and interpreter reached the kernel


@pytest.fixture(scope="module")
def broken_reports(tmp_path_factory, kernel_env):
    """A wrong solution (its check fails) followed by a lesson cell that uses the exercise's result."""
    cwd, env = kernel_env
    nb = kernel_notebook("return x + 2", "print(doubled + 1)")
    return run_notebook(nb, cwd, env=env, timeout=60), run_notebook(make_student_version(nb), cwd, env=env)


def test_a_failing_exercise_check_is_reported_on_the_instructor_side(broken_reports):
    instructor, _ = broken_reports
    assert instructor[2].error_name == "AssertionError"
    assert instructor_violations(instructor) == [
        "cell 3 (exercise-check 1.1): AssertionError: 23 -- the solution of Exercise 1.1 fails its check"
    ]
    with pytest.raises(AssertionError, match="the instructor version does not run cleanly"):
        assert_instructor_runs(instructor)


def test_a_lesson_cell_that_uses_an_exercise_result_breaks_the_student_contract(broken_reports):
    _, student = broken_reports
    assert student_contract_violations(student) == [
        "cell 4 (lesson): NameError: name 'doubled' is not defined -- a lesson cell must not depend on an "
        "exercise's result"
    ]


def test_the_probe_runs_every_wrong_answer_and_its_check(tmp_path, kernel_env):
    cwd, env = kernel_env
    nb = kernel_notebook("return 2 * x", "print('independent of the exercise')")
    skeleton = "def double(x):\n    {}\n\ndoubled = double(21)"
    nb.cells[2].metadata["wrong_answers"] = [
        wrong("adds instead of doubling", skeleton.format("return x + 2")),
        wrong("the example's number", skeleton.format("return 42")),
        wrong("forgets the result", "def double(x):\n    return 2 * x"),
        wrong("raises", skeleton.format("return x / 0")),
    ]
    nb.cells[3].source = "assert doubled == 42, doubled\nprint('Exercise 1.1: correct')"
    report = run_notebook(make_wrong_answer_probe(nb), cwd, env=env, timeout=60)
    roles = [r.role for r in report]
    assert roles == ["lesson", "exercise", "exercise-check", *["wrong-answer", "wrong-answer-check"] * 4, "lesson"]
    assert [(r.error_name, r.why) for r in report[3:11:2]] == [
        (None, "adds instead of doubling"),
        (None, "the example's number"),
        (None, "forgets the result"),
        ("ZeroDivisionError", "raises"),
    ]
    assert [r.error_name for r in report[4:11:2]] == ["AssertionError", None, "NameError", "NameError"]
    assert report[-1].ok
    assert [re.sub(r": .*", "", p) for p in student_contract_violations(report)] == [
        "cell 7 (wrong-answer-check 1.1",  # passes "the example's number": a check that cannot tell
        "cell 9 (wrong-answer-check 1.1",  # NameError: the wrong answer left out `doubled`
        "cell 10 (wrong-answer 1.1",  # the wrong answer itself raised (its check is not judged)
    ]


def test_run_notebook_checks_its_arguments(tmp_path):
    nb = kernel_notebook("return 2 * x", "pass")
    with pytest.raises(ValueError, match="`cwd` must be an existing folder"):
        run_notebook(nb, tmp_path / "missing")
    with pytest.raises(TypeError, match="`env` must map"):
        run_notebook(nb, tmp_path, env={"CROWDAL_FAST": 1})
    with pytest.raises(ValueError, match="`timeout` must be"):
        run_notebook(nb, tmp_path, timeout=0)
    with pytest.raises(TypeError, match="`notebook` must be a notebook"):
        run_notebook(42, tmp_path)


# ---------------------------------------------------------------- writing and checking student/


@pytest.fixture
def course(tmp_path):
    src, dst = tmp_path / "notebooks", tmp_path / "student"
    src.mkdir()
    nbformat.write(demo_notebook(), src / "07_demo.ipynb")
    nbformat.write(kernel_notebook("return 2 * x", "pass"), src / "08_more.ipynb")
    return src, dst


def test_written_copies_are_the_generated_student_versions_and_check_clean(course):
    src, dst = course
    assert check_student_versions(src, dst) == [
        f"{dst / '07_demo.ipynb'}: missing",
        f"{dst / '08_more.ipynb'}: missing",
    ]
    paths = write_student_versions(src, dst)
    assert paths == [dst / "07_demo.ipynb", dst / "08_more.ipynb"]
    for path in paths:
        expected = make_student_version(nbformat.read(src / path.name, as_version=4))
        assert nbformat.read(path, as_version=4) == expected
    assert check_student_versions(src, dst) == []
    assert write_student_versions(src, dst) == paths and check_student_versions(src, dst) == []  # idempotent


def test_check_mode_finds_stale_missing_and_orphaned_copies(course):
    src, dst = course
    write_student_versions(src, dst)
    nb = nbformat.read(src / "07_demo.ipynb", as_version=4)
    nb.cells[8].source = nb.cells[8].source.replace("second = first + i", "second = first + 2 * i")
    nbformat.write(nb, src / "07_demo.ipynb")  # only a solution changed: the stub is the same
    assert check_student_versions(src, dst) == []
    nb.cells[9].source = "print('a new lesson line')"
    nbformat.write(nb, src / "07_demo.ipynb")
    (dst / "08_more.ipynb").unlink()
    nbformat.write(new_notebook(), dst / "09_gone.ipynb")
    assert check_student_versions(src, dst) == [
        f"{dst / '07_demo.ipynb'}: out of date",
        f"{dst / '08_more.ipynb'}: missing",
        f"{dst / '09_gone.ipynb'}: no instructor notebook {src / '09_gone.ipynb'}; remove it",
    ]


def test_cli_writes_then_checks(course, capsys):
    src, dst = course
    args = ["--src", str(src), "--dst", str(dst)]
    assert exercises.main(args) == 0 and "2 student copies" in capsys.readouterr().out
    assert exercises.main(["--check", *args]) == 0
    (dst / "07_demo.ipynb").write_text((dst / "07_demo.ipynb").read_text().replace("Demo", "Edited by hand"))
    assert exercises.main(["--check", *args]) == 1
    assert "07_demo.ipynb: out of date" in capsys.readouterr().err


def test_cli_reports_a_malformed_notebook_by_name(course, capsys):
    src, dst = course
    nbformat.write(new_notebook(cells=[code("# END SOLUTION", "exercise")]), src / "10_bad.ipynb")
    assert exercises.main(["--src", str(src), "--dst", str(dst)]) == 2
    assert "10_bad.ipynb, cell 0" in capsys.readouterr().err


def test_source_and_destination_folders_are_checked(tmp_path):
    with pytest.raises(ValueError, match="`src_dir` must be a folder"):
        write_student_versions(tmp_path / "missing", tmp_path / "student")
    with pytest.raises(ValueError, match="`dst_dir` must differ"):
        check_student_versions(tmp_path, tmp_path)


def test_without_exercise_leaves_out_its_code_cells_only():
    from tools.exercises import without_exercise

    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "04_plotting_results.ipynb", as_version=4)
    shorter = without_exercise(nb, "4.2", name="04")
    gone = [c for c in nb.cells if c not in shorter.cells]
    assert len(gone) == 2 and [c.metadata["tags"] for c in gone] == [["exercise"], ["exercise-check"]]
    assert "equal_crowd_experiment" in gone[0].source and len(nb.cells) == len(shorter.cells) + 2
    with pytest.raises(ValueError, match="04: no exercise '9.9'"):
        without_exercise(nb, "9.9", name="04")
