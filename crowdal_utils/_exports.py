"""Which module of a subpackage defines each of its public names, read from the subpackage's ``__init__.pyi``.

The stub is what ``lazy_loader.attach_stub`` reads at run time; reading it here too keeps one list: the code
fingerprints (:func:`crowdal_utils._fingerprints.imported_modules`), the website's API pages and the tests use it.
"""

import ast
import functools
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent


@functools.cache
def exports(subpackage):
    """``{public name: module}`` of ``crowdal_utils.<subpackage>`` (module names below the subpackage)."""
    stub = PACKAGE_DIR / subpackage.replace(".", "/") / "__init__.pyi"
    if not stub.is_file():
        raise ValueError(f"`subpackage` must be a subpackage of crowdal_utils with a stub, got {subpackage!r}.")
    names = {}
    for node in ast.parse(stub.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names.update((alias.name, node.module) for alias in node.names)
    return names
