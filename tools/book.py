"""Build the course as a website: the executed lessons, the course's pages and an API reference, with Sphinx.

    python -m tools.book                              # after `make run`: every lesson from results/notebooks
    python -m tools.book --lessons 01 --executed DIR  # a smoke build from one executed notebook (make test does this)

The site is Sphinx with MyST-NB and the book theme (Jupyter Book 1's stack; Jupyter Book 2 fetches its page template
from the network at build time, and CI has none). Nothing is executed again: each lesson page shows the outputs
``make run`` stored in ``results/notebooks/``. The build has three steps:

1. **Assemble** a Sphinx source folder (``build/book/source``): the hand-written pages of ``book/`` with their
   placeholders filled from ``README.md`` (one text for both: the lesson map, the instructors' section, the results
   with their figures), one API page per subpackage of ``crowdal_utils`` (autodoc, from the docstrings) and a copy of
   each executed lesson, prepared for reading (:func:`prepare_lesson`): its Colab badge (a remote image) becomes a
   link to the student copy in Colab and a download of it, built from the repository URL in ``pyproject.toml``; a
   widget's controls become a one-line note above the static figure the widget drew. A lesson that holds an error
   output, a stderr stream or an unexecuted code cell is refused, naming the cell.

   The site tooling does the rest: sphinx-book-theme's ``launch_buttons`` open the page's own notebook (the instructor
   version) in Colab and its download button gives the ``.ipynb``; sphinx-codeautolink links every name in the code
   cells to its entry in the API reference. What stays here is what no tool does: the student copy is another file
   than the page's notebook; widget controls need a kernel; and the README's sections keep their links to repository
   files (GitHub) and lesson files (pages), which MyST's ``{include}`` cannot rewrite, with headings one level up, which
   its ``heading-offset`` (non-negative only) cannot do.
2. **Sphinx** builds HTML with warnings as errors (``-W``; MyST-NB's ``nb_output_stderr = "error"`` as well).
3. **Check** the HTML without a browser (:func:`check_site`): every page present, every image file there, every
   internal link and anchor resolving (the API links among them), no error or stderr output, the launch links right.
   ``tests/browser/test_website.py`` checks the same site in Chromium.
"""

import argparse
import copy
import html.parser
import importlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat

from crowdal_utils._exports import exports

REPO = Path(__file__).resolve().parents[1]
PAGES_DIR = REPO / "book"
NOTEBOOK_DIR = REPO / "notebooks"
STUDENT_DIR = REPO / "student"
DEFAULT_EXECUTED = REPO / "results" / "notebooks"
DEFAULT_OUTPUT = REPO / "build" / "book"
#: Where the lesson pages live in the site; the same folder name as in the repository, so that a README link
#: ``notebooks/05_….ipynb`` is also the page's address relative to the site's root.
LESSON_FOLDER = "notebooks"
BRANCH = "main"
COLAB = "https://colab.research.google.com/github"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="crowdal-widget-note">Interactive controls appear here when you run the notebook (Colab or '
    "JupyterLab); the figure below shows the explorer's starting state.</p>"
)
_BADGE = re.compile(r"\[!\[Open in Colab\]\([^)]*\)\]\([^)]*\)\n*")
_PLACEHOLDER = re.compile(r"<!-- (readme|generate): ([^>]*?) -->")


class BookError(ValueError):
    """A lesson or page that cannot go into the site as it is (the message names the file and the cell)."""


# ----------------------------------------------------------------------------------------------- the repository URL
def repository_url(pyproject=REPO / "pyproject.toml"):
    """The repository URL of ``pyproject.toml`` (``[project.urls] Source``), checked to be ``https://github.com/o/r``."""
    url = tomllib.loads(Path(pyproject).read_text())["project"]["urls"]["Source"]
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise BookError(f"pyproject.toml: [project.urls] Source must be https://github.com/<owner>/<repo>, got {url!r}")
    return url


def launch_links(name, repo_url):
    """Colab URLs of lesson file ``name`` (e.g. ``05_where_the_gain_comes_from.ipynb``): instructor and student copy."""
    path = repo_url.removeprefix("https://github.com/")
    return {
        "instructor": f"{COLAB}/{path}/blob/{BRANCH}/notebooks/{name}",
        "student": f"{COLAB}/{path}/blob/{BRANCH}/student/{name}",
    }


def lesson_files(lessons=None):
    """The lesson notebooks' file names in course order; ``lessons`` (e.g. ``["01", "05"]``) picks some by number."""
    names = sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if lessons is None:
        return names
    chosen = [n for n in names if n[:2] in set(lessons)]
    unknown = set(lessons) - {n[:2] for n in chosen}
    if unknown:
        raise BookError(f"lessons: no notebook numbered {sorted(unknown)} in {NOTEBOOK_DIR}")
    return chosen


# ----------------------------------------------------------------------------------------------- lessons
def check_outputs(nb, name):
    """Raise :class:`BookError` if a code cell was not executed or holds an error output or a stderr stream."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        where = f"{name}, cell {index}"
        if cell.get("execution_count") is None:
            raise BookError(f"{where}: not executed; the book shows the outputs `make run` stored (run it first)")
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                raise BookError(f"{where}: error output {output.ename}: {output.evalue}")
            if output.output_type == "stream" and output.name == "stderr":
                raise BookError(f"{where}: stderr output {output.text[:200]!r}; the book shows no stderr blocks")


def prepare_lesson(nb, name, repo_url):
    """A copy of executed lesson ``nb`` (file name ``name``) as it goes into the site.

    The Colab badge becomes a link to the student copy in Colab and a download of it (the instructor version is the
    page's own notebook: the theme's launch and download buttons); widget controls become :data:`WIDGET_NOTE`; the
    Colab install cell is folded. Raises :class:`BookError` (see :func:`check_outputs`), or if the first cell has no
    Colab badge to replace.
    """
    check_outputs(nb, name)
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # widget state: MyST-NB would load the widget JavaScript from a CDN
    title = nb.cells[0]
    if title.cell_type != "markdown" or not _BADGE.search(title.source):
        raise BookError(f"{name}, cell 0: no Colab badge to turn into launch links")
    links = launch_links(name, repo_url)
    launch = (
        f"[Student copy in Colab]({links['student']}){{.crowdal-launch .crowdal-student}} · "
        f"{{download}}`Download the student copy <../downloads/student/{name}>` · this lesson with its solutions: the "
        "rocket (Colab) and download buttons at the top of the page\n\n"
    )
    title.source = _BADGE.sub(lambda _: launch, title.source, count=1)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [_static_widget(output) for output in cell.get("outputs", [])]
            if cell.source.startswith("# @title Colab only"):
                cell.metadata.setdefault("tags", []).append("hide-cell")
    return nb


def _static_widget(output):
    if output.get("output_type") in ("display_data", "execute_result") and WIDGET_MIME in output.get("data", {}):
        return nbformat.v4.new_output("display_data", data={"text/html": WIDGET_NOTE})
    return output


# ----------------------------------------------------------------------------------------------- pages
def readme_section(title, readme=REPO / "README.md"):
    """The README's ``## title`` section, its heading made the page title (``#``), sub-headings one level up."""
    text = Path(readme).read_text()
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    if not match:
        raise BookError(f"README.md: no section '## {title}'")
    body = re.sub(r"^###", "##", match.group(1), flags=re.M)
    return f"# {title}\n{body}"


def rewrite_links(markdown, built_lessons, repo_url):
    """Point a README text's links into the site: lessons built → their pages, figures → ``figures/``, any other
    repository file → GitHub. Colab badges (remote images) become text links."""

    def badge(match):
        return f"[Colab]({match.group(1)})"

    markdown = re.sub(r"\[!\[Open in Colab\]\([^)]*\)\]\(([^)]*)\)", badge, markdown)

    def link(match):
        bang, text, target = match.group(1), match.group(2), match.group(3)
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return match.group(0)
        path = target.split("#")[0]
        if bang and path.startswith("docs/"):
            return f"![{text}](figures/{Path(path).name})"
        if path.startswith(f"{LESSON_FOLDER}/") and Path(path).name in built_lessons:
            return f"[{text}]({path})"
        return f"{bang}[{text}]({repo_url}/blob/{BRANCH}/{target})"

    return re.sub(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)", link, markdown)


def lesson_map(built_lessons, repo_url):
    """The README's table of lessons with Colab links as text."""
    section = readme_section("The notebooks")
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    return rewrite_links(table, built_lessons, repo_url)


def exercise_table(built_lessons, repo_url):
    """One row per exercise of every lesson: its number and title, the lesson, the student copy in Colab."""
    from tools.exercises import _exercise_cells

    rows = ["| exercise | lesson | student copy |", "|---|---|---|"]
    for name in lesson_files():
        nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
        lesson = nb.cells[0].source.splitlines()[0].lstrip("# ")
        page = f"[{lesson}]({LESSON_FOLDER}/{name})" if name in built_lessons else lesson
        for exercise in dict.fromkeys(_exercise_cells(nb, name).values()):
            title = f"{exercise.label} · {exercise.title}" if exercise.title else exercise.label
            rows.append(f"| {title} | {page} | [Colab]({launch_links(name, repo_url)['student']}) |")
    return "\n".join(rows)


def api_page(subpackage):
    """The MyST source of one subpackage's API page: its docstring, then every public name (autodoc).

    Functions and classes come from ``automodule``. Module-level data (the registries, constants) autodoc documents
    only with a ``#:`` comment in the module it reads, and they are defined in the subpackage's modules, not in its
    ``__init__``: they get a ``py:data`` entry each, with the ``#:`` comment of the module that defines them.
    """
    from sphinx.pycode import ModuleAnalyzer

    package = importlib.import_module(f"crowdal_utils.{subpackage}")
    # reStructuredText: MyST's own directive syntax passes an empty `:members:` to autodoc as "no members"
    lines = [f"# `crowdal_utils.{subpackage}`", "", "```{eval-rst}", f".. automodule:: crowdal_utils.{subpackage}"]
    lines += ["   :members:", "   :imported-members:", ""]
    for name in package.__all__:
        value = getattr(package, name)
        if callable(value):
            continue
        defining = f"crowdal_utils.{subpackage}.{exports(subpackage)[name]}"
        comment = ModuleAnalyzer.for_module(defining).find_attr_docs().get(("", name), [])
        lines += [f".. py:data:: {name}", f"   :module: crowdal_utils.{subpackage}", ""]
        lines += [f"   {line}" if line else "" for line in comment]
        if isinstance(value, dict):
            lines += ["   Names: " + ", ".join(f"``{key}``" for key in value), ""]
        elif isinstance(value, str):
            lines += [f"   Value: ``{value!r}``", ""]
    lines += ["```", ""]
    return "\n".join(lines)


def subpackages():
    """crowdal_utils.SUBPACKAGES (the package's one list of them)."""
    import crowdal_utils

    return crowdal_utils.SUBPACKAGES


def api_index(names):
    """The API reference's front page: a table of contents of the subpackage pages ``names``."""
    intro = "One page per subpackage of `crowdal_utils`, in the order the lessons meet them."
    lines = ["# API reference", "", intro, ""]
    lines += ["```{toctree}", ":maxdepth: 1", ""] + list(names) + ["```", ""]
    return "\n".join(lines)


def fill_page(text, page, built_lessons, repo_url):
    """Replace ``<!-- readme: Section -->`` and ``<!-- generate: what -->`` placeholders of a hand-written page."""
    generators = {
        "lesson map": lambda: lesson_map(built_lessons, repo_url),
        "exercise table": lambda: exercise_table(built_lessons, repo_url),
        "lesson toctree": lambda: "\n".join(f"{LESSON_FOLDER}/{Path(n).stem}" for n in built_lessons),
    }

    def replace(match):
        kind, what = match.groups()
        if kind == "readme":
            body = readme_section(what).split("\n", 1)[1]  # the page has its own title
            return rewrite_links(body, built_lessons, repo_url)
        if what not in generators:
            raise BookError(f"book/{page}: unknown placeholder {match.group(0)!r}")
        return generators[what]()

    return _PLACEHOLDER.sub(replace, text)


def assemble(source, executed_dir, lessons=None, repo_url=None):
    """Write the Sphinx source folder ``source`` from ``book/``, README, ``docs/`` and the executed lessons."""
    source, executed_dir = Path(source), Path(executed_dir)
    repo_url = repo_url or repository_url()
    names = lesson_files(lessons)
    missing = [n for n in names if not (executed_dir / n).exists()]
    if missing:
        raise BookError(f"no executed copy of {missing} in {executed_dir}: run `make run` first")
    if source.exists():
        shutil.rmtree(source)
    (source / LESSON_FOLDER).mkdir(parents=True)
    for page in sorted(PAGES_DIR.glob("*.md")):
        text = fill_page(page.read_text(), page.name, names, repo_url)
        (source / page.name).write_text(text)
    shutil.copytree(REPO / "docs", source / "figures", ignore=shutil.ignore_patterns("*.md"))
    (source / "api").mkdir()
    (source / "api" / "index.md").write_text(api_index(subpackages()))
    for subpackage in subpackages():
        (source / "api" / f"{subpackage}.md").write_text(api_page(subpackage))
    (source / "downloads" / STUDENT_DIR.name).mkdir(parents=True)  # the instructor version: the theme's download
    for name in names:
        shutil.copy2(STUDENT_DIR / name, source / "downloads" / STUDENT_DIR.name / name)
    for name in names:
        nb = nbformat.read(executed_dir / name, as_version=4)
        nbformat.write(prepare_lesson(nb, name, repo_url), source / LESSON_FOLDER / name)
    return names


def sphinx_build(source, html_dir, quiet=True):
    """Run Sphinx (HTML, warnings as errors) with ``book/conf.py``; raise :class:`BookError` with its output if it
    fails. Sphinx's cache (doctrees, 3 MB of pickles) goes beside ``html_dir``, not into the site that is published;
    ``-E`` reads every page afresh (the source folder is written anew on every build)."""
    doctrees = Path(html_dir).parent / "doctrees"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-d", str(doctrees), "-W", "--keep-going", "-n"]
    command += ["-c", str(PAGES_DIR)]
    command += ["-q"] if quiet else []
    result = subprocess.run(
        command + [str(source), str(html_dir)], capture_output=True, text=True, cwd=REPO, check=False
    )
    if result.returncode != 0:
        raise BookError(f"Sphinx failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


# ----------------------------------------------------------------------------------------------- checking the HTML
class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.images, self.classes = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        self.classes.append(classes)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append((attrs["href"], classes))
        if tag == "img":
            self.images.append(attrs.get("src", ""))


def _parse_html(path):
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def expected_pages(lessons):
    """Every HTML page the site must have, relative to its root."""
    pages = ["index.html", "instructors.html", "results.html", "search.html", "api/index.html"]
    pages += [f"api/{s}.html" for s in subpackages()]
    pages += [f"{LESSON_FOLDER}/{Path(n).stem}.html" for n in lessons]
    return pages


def site_pages(html_dir):
    """The site's pages (relative paths), without the theme's HTML fragments and Sphinx's copies in ``_*/`` folders."""
    html_dir = Path(html_dir)
    pages = (p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html"))
    return sorted(p for p in pages if not p.startswith("_"))


def check_site(html_dir, lessons, repo_url=None):
    """Problems of the built site (an empty list when it is fine); see the module docstring, step 3."""
    html_dir, repo_url = Path(html_dir), repo_url or repository_url()
    problems = [f"missing page {p}" for p in expected_pages(lessons) if not (html_dir / p).exists()]
    pages = {name: _parse_html(html_dir / name) for name in site_pages(html_dir)}
    for name, page in pages.items():
        here = (html_dir / name).parent
        for src in page.images:
            if src.startswith("data:"):
                continue
            if urlsplit(src).scheme:
                problems.append(f"{name}: remote image {src} (the site must work offline)")
            elif not (here / unquote(urlsplit(src).path)).exists():
                problems.append(f"{name}: image {src} not found")
        for href, _ in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("mailto:"):
                continue
            target = (here / unquote(parts.path)).resolve() if parts.path else (html_dir / name).resolve()
            if not target.exists():
                problems.append(f"{name}: link {href} leads nowhere")
            elif parts.fragment and target.suffix == ".html":
                key = target.relative_to(html_dir.resolve()).as_posix()
                ids = pages[key].ids if key in pages else _parse_html(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{name}: link {href}: no anchor #{parts.fragment}")
        for classes in page.classes:
            if "stderr" in classes or "traceback" in classes or "output_error" in classes:
                problems.append(f"{name}: error or stderr output ({' '.join(classes)})")
    for lesson in lessons:
        name = f"{LESSON_FOLDER}/{Path(lesson).stem}.html"
        if name not in pages:
            continue
        links = launch_links(lesson, repo_url)
        ours = {href for href, classes in pages[name].links if "crowdal-launch" in classes}
        if ours != {links["student"]}:
            problems.append(f"{name}: student-copy links {sorted(ours)} instead of {links['student']}")
        theirs = {href for href, classes in pages[name].links if "dropdown-item" in classes and "colab" in href}
        if theirs != {links["instructor"]}:
            problems.append(f"{name}: the theme's Colab button leads to {sorted(theirs)}, not {links['instructor']}")
        if not any("sphinx-codeautolink-a" in classes and "api/" in href for href, classes in pages[name].links):
            problems.append(f"{name}: no link to the API reference (sphinx-codeautolink)")
    return problems


def build(executed_dir=DEFAULT_EXECUTED, output=DEFAULT_OUTPUT, lessons=None, quiet=True):
    """Assemble, build and check the site; return the HTML folder. Raises :class:`BookError` on any problem."""
    output = Path(output)
    names = assemble(output / "source", executed_dir, lessons)
    html_dir = output / "html"
    if html_dir.exists():
        shutil.rmtree(html_dir)
    sphinx_build(output / "source", html_dir, quiet=quiet)
    problems = check_site(html_dir, names)
    if problems:
        raise BookError("the built site has problems:\n" + "\n".join(problems))
    return html_dir


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--executed", type=Path, default=DEFAULT_EXECUTED, help="folder of executed lessons")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="build folder (source/ and html/)")
    parser.add_argument("--lessons", nargs="+", help="lesson numbers to include, e.g. 01 05 (default: all)")
    args = parser.parse_args(argv)
    try:
        html_dir = build(args.executed, args.output, args.lessons, quiet=False)
    except BookError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"site built and checked: {html_dir / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
