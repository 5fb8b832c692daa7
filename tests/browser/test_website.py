"""The built website (``make book``) in headless Chromium: every page from a local server.

Opt in with ``CROWDAL_BROWSER=1`` (``make book-browser-test``); the site must have been built first
(``make run && make book``), else the tests fail saying so. ``CROWDAL_BOOK_HTML`` points at another built site
(default ``build/book/html``). Each page is opened once (:func:`visits`) and recorded: console errors, page errors
and failed requests, every image's ``naturalWidth``, every link, every element id, a full-page screenshot under
``build/book-screenshots/``. The tests then read the record.
"""

import dataclasses
import functools
import http.server
import os
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.browser.conftest import browser_opted_in
from tools import book

REPO_ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("CROWDAL_BOOK_HTML", REPO_ROOT / "build" / "book" / "html")).resolve()
SCREENSHOTS = REPO_ROOT / "build" / "book-screenshots"
#: A word of lesson 5 the search must find (checked to be in lesson 5's page, so the search test cannot pass vacuously).
LESSON_5_WORD = "factorial"


def site_pages():
    """Every page of the built site, relative to its root (``[]`` when nothing is built)."""
    return book.site_pages(SITE) if SITE.is_dir() else []


@dataclasses.dataclass
class Visit:
    """What one page showed in Chromium."""

    console_errors: list
    failed_requests: list
    images: list  # [(src, naturalWidth)]
    links: list  # absolute hrefs
    ids: set
    screenshot: Path


@pytest.fixture(scope="session")
def site_url():
    """A local HTTP server over the built site (a thread of this process)."""
    if not browser_opted_in():
        pytest.skip("set CROWDAL_BROWSER=1 to run the browser tests")
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site in {SITE}: run `make run` and `make book` first", pytrace=False)
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def visits(site_url, chromium_context):
    """``visits(page)``: the :class:`Visit` of each page, opened on first use."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # no screenshot of a page an earlier build had
    SCREENSHOTS.mkdir(parents=True)
    cache = {}

    def visit(page_name):
        if page_name not in cache:
            cache[page_name] = _visit(chromium_context, site_url, page_name)
        return cache[page_name]

    return visit


def _visit(context, site_url, page_name):
    page = context.new_page()
    errors, failed = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    try:
        page.goto(site_url + page_name, wait_until="load")
        page.wait_for_load_state("networkidle")
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.currentSrc || e.src, e.naturalWidth])")
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        ids = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        screenshot = SCREENSHOTS / (page_name.replace("/", "__").removesuffix(".html") + ".png")
        page.screenshot(path=str(screenshot), full_page=True)
    finally:
        page.close()
    return Visit(errors, failed, [tuple(i) for i in images], links, ids, screenshot)


def pytest_generate_tests(metafunc):
    if "page_name" in metafunc.fixturenames:
        pages = site_pages() or ["index.html"]  # nothing built: one test that fails, saying so
        metafunc.parametrize("page_name", pages)
    if "lesson_file" in metafunc.fixturenames:
        metafunc.parametrize("lesson_file", book.lesson_files())


def test_page_loads_without_console_errors(visits, page_name):
    visit = visits(page_name)
    assert visit.console_errors == [] and visit.failed_requests == []


def test_every_image_loaded(visits, page_name):
    visit = visits(page_name)
    assert [src for src, width in visit.images if not width] == []
    assert visit.screenshot.stat().st_size > 0


def test_every_internal_link_resolves(visits, site_url):
    """Every same-site link of every page answers 200, and its #fragment is an element id of the page it opens."""
    problems, checked = [], {}
    for page_name in site_pages():
        for href in visits(page_name).links:
            if not href.startswith(site_url):
                continue
            target, fragment = urldefrag(href)
            if target not in checked:
                try:
                    with urllib.request.urlopen(target, timeout=10) as response:
                        checked[target] = response.status
                except urllib.error.HTTPError as err:
                    checked[target] = err.code
            if checked[target] != 200:
                problems.append(f"{page_name}: {href} -> {checked[target]}")
            elif fragment and target.endswith(".html"):
                path = urlsplit(target).path.lstrip("/")
                if fragment not in visits(path).ids:
                    problems.append(f"{page_name}: {href}: no element #{fragment}")
    assert len(checked) > len(site_pages()) / 2  # the site's pages link each other
    assert problems == []


def test_search_finds_a_word_of_lesson_5(site_url, chromium_context):
    lesson_5 = next(n for n in book.lesson_files() if n.startswith("05_"))
    lesson_page = f"{book.LESSON_FOLDER}/{Path(lesson_5).stem}.html"
    assert LESSON_5_WORD in (SITE / lesson_page).read_text().lower()
    page = chromium_context.new_page()
    try:  # the landing page's search button, then the box it opens, as a reader would
        page.goto(site_url + "index.html", wait_until="load")
        page.locator(".bd-sidebar-primary button.search-button-field").click()
        box = page.locator('#pst-search-dialog input[name="q"]')
        box.fill(LESSON_5_WORD)
        box.press("Enter")
        page.wait_for_url("**/search.html?q=*")
        page.wait_for_selector("#search-results ul.search li a", timeout=30_000)
        hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    finally:
        page.close()
    assert any(urlsplit(h).path.endswith(lesson_page) for h in hits), hits


def test_launch_buttons_point_at_the_lesson(visits, lesson_file):
    """The page's Colab links (the theme's launch button and our student-copy link) open this lesson, as instructor
    version or student copy."""
    links = visits(f"{book.LESSON_FOLDER}/{Path(lesson_file).stem}.html").links
    colab = {link for link in links if link.startswith("https://colab.research.google.com/")}
    wanted = set(book.launch_links(lesson_file, book.repository_url()).values())
    assert wanted <= colab
    assert colab == wanted, colab - wanted  # the theme's launch button is the instructor link too
    downloads = [link for link in links if "/_downloads/" in link and link.endswith(lesson_file)]
    assert len(downloads) == 1  # the student copy; the theme's download button gives the lesson itself
    assert any(link.endswith(f"_sources/{book.LESSON_FOLDER}/{lesson_file}") for link in links)
