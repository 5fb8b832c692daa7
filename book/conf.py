"""Sphinx configuration of the course's website (built by ``python -m tools.book``; see its docstring)."""

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tools.book import BRANCH, repository_url  # noqa: E402

project = "crowdal"
author = "the crowdal authors"
html_title = "crowdal — active learning from crowds"
# githubpages writes .nojekyll, so that GitHub Pages serves the _static/ and _images/ folders as they are.
# sphinx_codeautolink links every name in the lessons' code cells to its API entry (autodoc's, below).
extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.githubpages", "sphinx_codeautolink"]
exclude_patterns = ["downloads/**"]

# MyST-NB shows the outputs `make run` stored; nothing is executed here.
nb_execution_mode = "off"
nb_output_stderr = "error"  # a stderr block fails the build (tools.book refuses one earlier, naming the cell)
myst_enable_extensions = ["attrs_inline", "attrs_block"]
myst_heading_anchors = 3

# The API reference: numpy-style docstrings, members in the order of each subpackage's __all__, signatures without
# type annotations.
autodoc_member_order = "bysource"
autodoc_typehints = "none"
napoleon_google_docstring = False
napoleon_use_rtype = False
napoleon_use_param = False  # parameter types as text: "list of arms" must not become links to every `arms`
napoleon_use_keyword = False
napoleon_use_ivar = True  # a class's "Attributes" section as fields: autodoc documents the attributes themselves
# Only references to crowdal_utils itself must resolve (nitpicky, -n); the rest of the ecosystem has no inventory
# offline (intersphinx needs the network).
# Modules inside a subpackage have no page of their own (their names are documented on the subpackage's page).
nitpick_ignore_regex = [(r"py:.*", r"(?!crowdal_utils\.).*"), (r"py:mod", r"crowdal_utils\.\w+\.\w+")]


def _skip_sklearn_request_methods(app, what, name, obj, skip, options):
    """scikit-learn generates set_fit_request & co. on every estimator; they are its API, not the course's."""
    return True if re.fullmatch(r"set_\w+_request", name) else None


def setup(app):
    app.connect("autodoc-skip-member", _skip_sklearn_request_methods)


html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["crowdal.css"]
html_favicon = "_static/favicon.png"  # without one, the browser's request for /favicon.ico is a 404 in the console
html_context = {"default_mode": "light"}  # the theme logs an error on a first visit with no mode stored
html_theme_options = {
    "repository_url": repository_url(),
    "repository_branch": BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},
    "show_toc_level": 2,
}
html_last_updated_fmt = None
