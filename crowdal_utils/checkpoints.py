"""Checkpoints: every finished (classifier, repetition) of an experiment in a file of its own.

Layout::

    <checkpoint_dir>/<fingerprint>/majority-vote_repetition-0.json
                                   annot-mix_repetition-2.json
                                   ...

The **fingerprint** is a hash of everything that decides the numbers: the
configuration, the data, the crowd's labels, the annotators' names, the device
type and the versions of crowdal_utils, numpy, torch, skorch, scikit-activeml and
scikit-learn. A rerun of the same experiment finds its folder and skips the
repetitions already there; a different experiment (or an upgrade) gets a folder
of its own, so results of two configurations never mix.

Each file holds (JSON)::

    {"format": "crowdal-repetition", "format_version": 1,
     "fingerprint": "...",
     "experiment": {"config": {...}, "versions": {"torch": "...", ...}, ...what the fingerprint hashes...},
     "classifier": "annot-mix", "repetition": 2,
     "records": [...one per cycle, as in crowdal_utils.results...]}

Files are written atomically (temporary file, then rename): a run killed at any
moment leaves complete files only.
"""

import hashlib
import json
from pathlib import Path

import numpy as np

from ._io import read_json, write_json_atomic
from .results import RECORD_KEYS, package_versions

CHECKPOINT_FORMAT = "crowdal-repetition"
FORMAT_VERSION = 1


def array_digest(*arrays):
    """SHA-256 (hex) of the dtypes, shapes and contents of ``arrays``."""
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def describe_experiment(config, data, crowd_labels, annotator_names, device):
    """What decides an experiment's numbers, as plain JSON (the input of the fingerprint).

    Parameters
    ----------
    config : ExperimentConfig
    data : DigitsSplit
    crowd_labels : np.ndarray of shape (n_train, n_annotators)
    annotator_names : list of str
    device : str
        ``"cpu"``, ``"cuda"`` or ``"cuda:1"``; only the type (before ``:``) counts.
    """
    return {
        "config": config.to_dict(),
        "data_sha256": array_digest(data.X_train, data.y_train, data.X_test, data.y_test, data.classes),
        "crowd_labels_sha256": array_digest(crowd_labels),
        "annotator_names": list(annotator_names),
        "device_type": str(device).split(":")[0],
        "versions": package_versions(),
    }


def fingerprint(description):
    """16 hex digits identifying ``description`` (from :func:`describe_experiment`)."""
    canonical = json.dumps(description, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


class CheckpointStore:
    """The checkpoint folder of one experiment.

    Parameters
    ----------
    root : str or Path
        Folder holding one sub-folder per experiment fingerprint.
    description : dict
        :func:`describe_experiment` of the experiment.
    """

    def __init__(self, root, description):
        if not isinstance(description, dict) or "config" not in description:
            raise TypeError("`description` must be the dict made by describe_experiment().")
        self.description = description
        self.fingerprint = fingerprint(description)
        self.folder = Path(root) / self.fingerprint
        self.n_cycles = description["config"]["n_cycles"]

    def path(self, classifier, repetition):
        """File of one (classifier, repetition)."""
        return self.folder / f"{classifier}_repetition-{repetition}.json"

    def save(self, classifier, repetition, records):
        """Write the records of one finished (classifier, repetition) atomically; returns the path."""
        self._check_records(records, classifier, repetition, self.path(classifier, repetition))
        document = {
            "format": CHECKPOINT_FORMAT,
            "format_version": FORMAT_VERSION,
            "fingerprint": self.fingerprint,
            "experiment": self.description,
            "classifier": classifier,
            "repetition": repetition,
            "records": records,
        }
        return write_json_atomic(self.path(classifier, repetition), document)

    def load(self, classifier, repetition):
        """Records of a finished (classifier, repetition), or ``None`` if it has no file yet.

        A file that is unreadable, foreign, from another experiment or incomplete
        raises ``ValueError`` naming it and saying how to recover.
        """
        path = self.path(classifier, repetition)
        if not path.is_file():
            return None
        recovery = f"delete it, and the next run recomputes {classifier} repetition {repetition} only."
        doc = read_json(path, recovery)
        if not isinstance(doc, dict) or doc.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"{path} is not a {CHECKPOINT_FORMAT} file; {recovery}")
        if doc.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{path} has format version {doc.get('format_version')}, this code reads {FORMAT_VERSION}; {recovery}"
            )
        if doc.get("fingerprint") != self.fingerprint or doc.get("experiment") != self.description:
            raise ValueError(
                f"{path} was made by a different experiment (fingerprint {doc.get('fingerprint')!r}, "
                f"expected {self.fingerprint!r}); it does not belong in {self.folder}: {recovery}"
            )
        if doc.get("classifier") != classifier or doc.get("repetition") != repetition:
            raise ValueError(
                f"{path} holds {doc.get('classifier')!r} repetition {doc.get('repetition')!r}, "
                f"not {classifier!r} repetition {repetition}; {recovery}"
            )
        records = doc.get("records")
        self._check_records(records, classifier, repetition, path, recovery)
        return records

    def _check_records(self, records, classifier, repetition, path, recovery=""):
        """One complete record per cycle 1..n_cycles, all of this (classifier, repetition)."""
        cycles = list(range(1, self.n_cycles + 1))
        ok = (
            isinstance(records, list)
            and all(isinstance(r, dict) and set(RECORD_KEYS) <= set(r) for r in records)
            and [(r["classifier"], r["repetition"], r["cycle"]) for r in records]
            == [(classifier, repetition, c) for c in cycles]
        )
        if not ok:
            raise ValueError(
                f"records for {path} must be one complete record for each cycle 1..{self.n_cycles} of "
                f"{classifier!r} repetition {repetition}. {recovery}".strip()
            )
