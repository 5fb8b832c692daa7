"""Fingerprints: short digests of everything that decides a computation's numbers (checkpoints are kept under them).

Used by :mod:`crowdal_utils.experiment.checkpoints` (a run of the loop) and
:mod:`crowdal_utils.learners.fit_checkpoints` (one fitted classifier).
"""

import ast
import functools
import hashlib
import importlib
import inspect
import json
from importlib import metadata
from pathlib import Path

import numpy as np

from ._exports import exports

_VERSIONED_PACKAGES = (
    "crowdal_utils",
    "numpy",
    "torch",
    "skorch",
    "scikit-activeml",
    "scikit-learn",
    "crowd-kit",
    "cleanlab",
)


def package_versions():
    """Versions of the packages that shape the numbers, for results and checkpoint files."""
    versions = {}
    for name in _VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def array_digest(*arrays):
    """SHA-256 (hex) of the dtypes, shapes and contents of ``arrays``."""
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def code_digest(modules):
    """SHA-256 (hex) of the source files of ``modules`` (names inside ``crowdal_utils``)."""
    digest = hashlib.sha256()
    for name in modules:
        module = importlib.import_module(f"crowdal_utils.{name}")
        digest.update(name.encode())
        digest.update(Path(inspect.getsourcefile(module)).read_bytes())
    return digest.hexdigest()


@functools.cache
def imported_modules(*roots):
    """``roots`` and every crowdal_utils module they import, directly or not, as sorted dotted names below the package.

    Read from the source (imports inside functions count too), so the list of modules whose code decides a
    computation is derived, never kept by hand. A name imported from a subpackage (``from ..crowds import x``) counts
    as the module the subpackage takes it from.
    """
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen or not _module_path(name).is_file():
            continue
        seen.add(name)
        todo += direct_imports(name)
    return tuple(sorted(seen))


def _module_path(name):
    return Path(__file__).parent / (name.replace(".", "/") + ".py")


@functools.cache
def direct_imports(name):
    """The crowdal_utils modules module ``name`` (dotted below the package) imports itself, anywhere in its source."""
    parent = name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(_module_path(name).read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            found += [name.removeprefix("crowdal_utils.") for name in names if name.startswith("crowdal_utils.")]
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:  # relative: climb from this module's package
            base = parent.split(".") if parent else []
            base = base[: len(base) - (node.level - 1)] + (node.module.split(".") if node.module else [])
        elif node.module and (node.module + ".").startswith("crowdal_utils."):
            base = node.module.split(".")[1:]
        else:
            continue
        found += [_module_of(".".join(base), alias.name) for alias in node.names]
    return tuple(sorted(set(m for m in found if _module_path(m).is_file())))


def _module_of(base, name):
    """The module ``from <base> import <name>`` reads (``base`` dotted below crowdal_utils, "" for the package)."""
    dotted = f"{base}.{name}" if base else name
    if _module_path(dotted).is_file():  # a module
        return dotted
    if base and (Path(__file__).parent / base.replace(".", "/") / "__init__.pyi").is_file():  # a subpackage's name
        names = exports(base)
        return f"{base}.{names[name]}" if name in names else base
    return base


def describe_settings(value):
    """A plain-JSON description of skorch settings or an estimator: classes by qualified name, objects with
    ``get_params`` (callbacks, classifiers) by class and parameters, anything else by class and repr."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): describe_settings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [describe_settings(v) for v in value]
    if isinstance(value, type) or callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    if hasattr(value, "get_params"):
        return {"class": describe_settings(type(value)), "params": describe_settings(value.get_params())}
    return {"class": describe_settings(type(value)), "repr": repr(value)}


def fingerprint(description):
    """16 hex digits identifying ``description``, a plain-JSON dict (canonical JSON, SHA-256)."""
    canonical = json.dumps(description, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
