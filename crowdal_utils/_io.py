"""Atomic JSON files: written whole or not at all, read with errors that name the file."""

import json
import os
import tempfile
from pathlib import Path


def write_json_atomic(path, document):
    """Write ``document`` as JSON to ``path`` via a temporary file in the same folder and a rename.

    A crash or a kill at any moment leaves either the old file or the new one,
    never half of one (at worst a stray ``*.tmp`` file). Returns the path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_json(path, recovery):
    """Parse the JSON file at ``path``; unreadable content raises ``ValueError`` naming the file and ``recovery``."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{path} is not a readable JSON file ({err}); {recovery}") from None
