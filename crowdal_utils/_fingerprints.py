"""Fingerprints: short digests of everything that decides a computation's numbers (checkpoints are kept under them).

Used by :mod:`crowdal_utils.experiment.checkpoints` (a run of the loop) and
:mod:`crowdal_utils.learners.fit_checkpoints` (one fitted classifier).
"""

import hashlib
import importlib
import inspect
import json
from importlib import metadata
from pathlib import Path

import numpy as np

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
