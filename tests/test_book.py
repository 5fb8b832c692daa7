"""The course's website (tools/book.py): a smoke build of the whole site from one lesson, executed here in fast mode,
and the steps that prepare a lesson and check the HTML, each shown to catch what it is there to catch."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from tools import book
from tools.run_notebooks import run_notebook

ROOT = Path(__file__).resolve().parents[1]
LESSON = "01_simulating_annotators.ipynb"
REPO_URL = book.repository_url()


# ----------------------------------------------------------------------------------------------- the smoke build
@pytest.fixture(scope="module")
def smoke_site(tmp_path_factory):
    """Notebook 01 executed in fast mode (the test session's CROWDAL_FAST), then the site built from it alone: every
    non-lesson page, the API reference, Sphinx with warnings as errors, and tools.book's HTML check."""
    scratch = tmp_path_factory.mktemp("book")
    run_notebook(ROOT / "notebooks" / LESSON, scratch / "executed")
    html_dir = book.build(scratch / "executed", scratch / "book", lessons=["01"])
    return html_dir


def test_smoke_build_has_every_page(smoke_site):
    for page in book.expected_pages([LESSON]):
        assert (smoke_site / page).is_file(), page
    assert book.check_site(smoke_site, [LESSON]) == []
    api_pages = sorted(p.stem for p in (smoke_site / "api").glob("*.html"))
    assert api_pages == sorted(["index", *book.subpackages()])
    assert (smoke_site / ".nojekyll").is_file() and not (smoke_site / ".doctrees").exists()  # ready for GitHub Pages


def test_smoke_lesson_page_shows_outputs_launch_links_and_api_links(smoke_site):
    page = (smoke_site / "notebooks" / "01_simulating_annotators.html").read_text()
    links = book.launch_links(LESSON, REPO_URL)
    assert "/blob/main/student/01_simulating_annotators.ipynb" in links["student"]
    assert f'class="crowdal-launch crowdal-student reference external" href="{links["student"]}"' in page  # ours
    assert re.search(rf'<a href="{re.escape(links["instructor"])}"[^>]*\s+class="[^"]*dropdown-item', page)  # theme's
    downloads = sorted(p.name for p in (smoke_site / "_downloads").rglob("*.ipynb"))
    assert downloads == [LESSON]  # the student copy; the instructor version is the page's source (theme's button)
    assert (smoke_site / "_sources" / "notebooks" / LESSON).is_file()
    assert len(re.findall(r'<img [^>]*src="[^"]*_images/', page)) >= 4  # the lesson's figures, stored by the run
    assert book.WIDGET_NOTE in page  # the crowd explorer's controls, as a note over its starting figure
    # sphinx-codeautolink: names in the code cells link to their API entries
    assert re.search(
        r'class="sphinx-codeautolink-a" href="../api/crowds.html#crowdal_utils.crowds.simulate_crowd"', page
    )


def test_smoke_api_pages_document_every_public_name(smoke_site):
    import importlib

    missing = []
    for subpackage in book.subpackages():
        package = importlib.import_module(f"crowdal_utils.{subpackage}")
        page = (smoke_site / "api" / f"{subpackage}.html").read_text()
        missing += [name for name in package.__all__ if f'id="crowdal_utils.{subpackage}.{name}"' not in page]
    assert missing == []


def test_smoke_results_and_instructor_pages_come_from_the_readme(smoke_site):
    results = (smoke_site / "results.html").read_text()
    for figure in re.findall(r"\(docs/([\w.]+\.png)\)", book.readme_section("Results of the full run")):
        assert f'src="_images/{figure}"' in results
    instructors = (smoke_site / "instructors.html").read_text()
    assert "Exercise 1.1" in instructors or "1.1 ·" in instructors
    assert "student/08_exploring_whom_to_trust.ipynb" in instructors  # every lesson's exercises, built or not


# ----------------------------------------------------------------------------------------------- preparing lessons
def _executed_lesson():
    nb = nbformat.read(ROOT / "notebooks" / LESSON, as_version=4)
    for count, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = count + 1
    return nb


def _code_index(nb, text):
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and text in c.source)


def test_prepare_refuses_error_stderr_and_unexecuted_cells():
    nb = _executed_lesson()
    index = _code_index(nb, "simulate_crowd(")
    bad = nbformat.from_dict(json.loads(json.dumps(nb)))
    bad.cells[index].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[])]
    with pytest.raises(book.BookError, match=rf"cell {index}: error output ValueError: boom"):
        book.prepare_lesson(bad, LESSON, REPO_URL)
    bad.cells[index].outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful")]
    with pytest.raises(book.BookError, match=rf"cell {index}: stderr output"):
        book.prepare_lesson(bad, LESSON, REPO_URL)
    bad.cells[index].outputs, bad.cells[index].execution_count = [], None
    with pytest.raises(book.BookError, match=rf"cell {index}: not executed"):
        book.prepare_lesson(bad, LESSON, REPO_URL)
    book.prepare_lesson(nb, LESSON, REPO_URL)  # the same notebook without those outputs goes in


def test_prepare_makes_launch_links_from_the_given_repository(tmp_path):
    nb = book.prepare_lesson(_executed_lesson(), LESSON, "https://github.com/someone/fork")
    title = nb.cells[0].source
    assert "colab-badge.svg" not in title  # a remote image would not load offline
    assert "https://colab.research.google.com/github/someone/fork/blob/main/student/" + LESSON in title
    assert f"../downloads/student/{LESSON}" in title  # the instructor version: the theme's buttons
    with pytest.raises(book.BookError, match="github.com/<owner>/<repo>"):
        book.repository_url(_pyproject_with_url(tmp_path, "https://gitlab.com/a/b"))
    assert book.repository_url(_pyproject_with_url(tmp_path, "https://github.com/a/b")) == "https://github.com/a/b"


def _pyproject_with_url(folder, url):
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "x"\n[project.urls]\nSource = "{url}"\n')
    return path


def test_prepare_turns_widget_controls_into_a_note_and_keeps_the_figure():
    nb = _executed_lesson()
    index = _code_index(nb, "crowd_explorer(")
    figure = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "figure"})
    controls = nbformat.v4.new_output(
        "display_data", data={book.WIDGET_MIME: {"model_id": "abc"}, "text/plain": "VBox(...)"}
    )
    nb.cells[index].outputs = [controls, figure]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    prepared = book.prepare_lesson(nb, LESSON, REPO_URL)
    outputs = prepared.cells[_code_index(prepared, "crowd_explorer(")].outputs
    assert outputs[0].data == {"text/html": book.WIDGET_NOTE} and outputs[1] == figure
    assert "widgets" not in prepared.metadata
    assert nb.cells[index].outputs[0] == controls  # the input notebook is not changed


def test_readme_links_point_into_the_site_or_to_github():
    text = (
        "[05](notebooks/05_where_the_gain_comes_from.ipynb) [01](notebooks/01_simulating_annotators.ipynb) "
        "![fig](docs/learning_curves.png) [bench](benchmarks/README.md) [web](https://example.org) [top](#a)"
    )
    out = book.rewrite_links(text, [LESSON], "https://github.com/o/r")
    assert "[05](https://github.com/o/r/blob/main/notebooks/05_where_the_gain_comes_from.ipynb)" in out
    assert "[01](notebooks/01_simulating_annotators.ipynb)" in out
    assert "![fig](figures/learning_curves.png)" in out
    assert "[bench](https://github.com/o/r/blob/main/benchmarks/README.md)" in out
    assert "[web](https://example.org)" in out and "[top](#a)" in out


def test_unknown_placeholder_and_missing_section_are_refused():
    with pytest.raises(book.BookError, match="unknown placeholder"):
        book.fill_page("<!-- generate: weather -->", "x.md", [LESSON], REPO_URL)
    with pytest.raises(book.BookError, match="no section '## Weather'"):
        book.readme_section("Weather")


def test_missing_executed_lesson_says_run_make_run(tmp_path):
    with pytest.raises(book.BookError, match="run `make run` first"):
        book.assemble(tmp_path / "source", tmp_path / "nothing-here", lessons=["01"])


# ----------------------------------------------------------------------------------------------- checking HTML
def _site(tmp_path, body, extra=None):
    (tmp_path / "index.html").write_text(f"<html><body>{body}</body></html>")
    for name, text in (extra or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def _problems(site):
    return [p for p in book.check_site(site, []) if not p.startswith("missing page")]


def test_check_site_finds_broken_images_links_anchors_and_error_outputs(tmp_path):
    good = _site(tmp_path, '<img src="a.png"><a href="b.html#x">b</a>', {"a.png": "", "b.html": '<p id="x"></p>'})
    assert _problems(good) == []
    (tmp_path / "a.png").unlink()
    assert _problems(good) == ["index.html: image a.png not found"]
    (tmp_path / "a.png").write_text("")
    (tmp_path / "b.html").write_text('<p id="y"></p>')
    assert _problems(good) == ["index.html: link b.html#x: no anchor #x"]
    (tmp_path / "b.html").write_text('<p id="x"></p><div class="output stderr">warning</div>')
    assert _problems(good) == ["b.html: error or stderr output (output stderr)"]
    (tmp_path / "b.html").write_text('<p id="x"></p><img src="https://example.org/x.png">')
    assert _problems(good) == ["b.html: remote image https://example.org/x.png (the site must work offline)"]


def test_check_site_wants_the_student_link_the_themes_colab_button_and_api_links_on_a_lesson(tmp_path):
    links, stem = book.launch_links(LESSON, REPO_URL), LESSON.removesuffix(".ipynb")
    page = (
        f'<a class="crowdal-launch crowdal-student" href="{links["student"]}">student copy</a>'
        f'<a class="btn btn-sm dropdown-item" href="{links["instructor"]}">Colab</a>'
        '<a class="sphinx-codeautolink-a" href="../api/x.html#f">f</a>'
    )
    site = _site(tmp_path, "", {f"notebooks/{stem}.html": page, "api/x.html": '<p id="f"></p>'})

    def problems():
        return [p for p in book.check_site(site, [LESSON], REPO_URL) if not p.startswith("missing page")]

    assert problems() == []
    (site / "notebooks" / f"{stem}.html").write_text(page.replace(links["instructor"], links["student"]))
    assert problems() == [
        f"notebooks/{stem}.html: the theme's Colab button leads to {[links['student']]}, not {links['instructor']}"
    ]
    (site / "notebooks" / f"{stem}.html").write_text(page.replace("sphinx-codeautolink-a", "other"))
    assert problems() == [f"notebooks/{stem}.html: no link to the API reference (sphinx-codeautolink)"]
    (site / "notebooks" / f"{stem}.html").write_text(page.replace("#f", "#g"))
    assert problems() == [f"notebooks/{stem}.html: link ../api/x.html#g: no anchor #g"]  # an API link that misses
