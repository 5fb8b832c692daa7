"""Atomic files: written whole or not at all; JSON read with errors that name the file."""

import json
import os
import tempfile
from pathlib import Path


def write_atomic(path, write, binary=False):
    """Create ``path`` whole or not at all: ``write(file)`` fills a temporary file in the same folder, then a rename.

    A crash or a kill at any moment leaves either the old file or the new one,
    never half of one (at worst a stray ``*.tmp`` file). ``binary``: the file is
    opened in ``"wb"`` mode, else as UTF-8 text. Returns the path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_json_atomic(path, document):
    """Write ``document`` as JSON to ``path`` atomically (:func:`write_atomic`); returns the path."""
    return write_atomic(path, lambda f: json.dump(document, f, indent=1))


def read_json(path, recovery):
    """Parse the JSON file at ``path``; unreadable content raises ``ValueError`` naming the file and ``recovery``."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{path} is not a readable JSON file ({err}); {recovery}") from None


def read_versioned_json(path, format_name, format_version, recovery, note=""):
    """The JSON document at ``path`` when it says it is ``format_name`` in ``format_version``; else ``ValueError``.

    The message names the file and ends with ``recovery`` (what to do about it);
    ``note`` says, for an old version, where it came from.
    """
    doc = read_json(path, recovery)
    if not isinstance(doc, dict) or doc.get("format") != format_name:
        raise ValueError(f"{path} is not a {format_name} file; {recovery}")
    if doc.get("format_version") != format_version:
        raise ValueError(
            f"{path} has format version {doc.get('format_version')}, this code reads {format_version}{note}; {recovery}"
        )
    return doc
