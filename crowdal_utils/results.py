"""Tidy results of an active-learning experiment and their file format.

File format (JSON, UTF-8), written by :meth:`ExperimentResults.save`::

    {
      "format": "crowdal-learning-curves",
      "format_version": 1,
      "config": {"n_repetitions": 3, "n_cycles": 10, "query_batch_size": 64,
                 "max_epochs": 100, "classifiers": ["majority-vote", "annot-mix"]},
      "annotator_names": ["A1 near-perfect", ...],
      "versions": {"crowdal_utils": "...", "torch": "...", ...},
      "records": [
        {"classifier": "annot-mix", "repetition": 0, "cycle": 1,
         "n_annotations": 64,                 # labels acquired so far
         "test_accuracy": 0.71,               # on the held-out test half
         "correct_annotation_rate": 0.83,     # share of acquired labels that are right
         "annotations_per_annotator": [13, 12, 14, 12, 13]},  # who was asked, so far
        ...
      ]
    }

One record per (classifier, repetition, cycle); cycles count from 1. The file is
written to a temporary name and renamed, so a crash never leaves half a file.
"""

from importlib import metadata
from pathlib import Path

import numpy as np

from ._io import read_json, write_json_atomic
from .metrics import curve_mean
from .models import CLASSIFIERS

#: File name of the experiment's results inside ``config.results_dir()``.
RESULTS_FILENAME = "learning_curves.json"
RESULTS_FORMAT = "crowdal-learning-curves"
FORMAT_VERSION = 1
#: The per-cycle measurements, with their axis labels.
METRICS = {"test_accuracy": "Test accuracy", "correct_annotation_rate": "Correct-annotation rate"}
RECORD_KEYS = (
    "classifier",
    "repetition",
    "cycle",
    "n_annotations",
    "test_accuracy",
    "correct_annotation_rate",
    "annotations_per_annotator",
)


def package_versions():
    """Versions of the packages that shape the numbers, for the results file."""
    names = ("crowdal_utils", "numpy", "torch", "skorch", "scikit-activeml", "scikit-learn")
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


class ExperimentResults:
    """Records of an experiment with accessors for curves and summaries.

    Parameters
    ----------
    config : dict
        ``ExperimentConfig.to_dict()`` of the run.
    records : list of dict
        One per (classifier, repetition, cycle), keys as in the module docstring.
    annotator_names : list of str
    versions : dict or None
        Package versions; ``None`` records the running ones.
    """

    def __init__(self, config, records, annotator_names, versions=None):
        self.config = dict(config)
        self.records = sorted(records, key=lambda r: (r["classifier"], r["repetition"], r["cycle"]))
        self.annotator_names = list(annotator_names)
        self.versions = package_versions() if versions is None else dict(versions)
        for k, record in enumerate(self.records):
            missing = set(RECORD_KEYS) - set(record)
            if missing:
                raise ValueError(f"`records[{k}]` lacks the keys {sorted(missing)}.")

    @property
    def classifiers(self):
        """Classifier names in the order of the configuration."""
        present = {r["classifier"] for r in self.records}
        return tuple(c for c in self.config["classifiers"] if c in present)

    def _select(self, classifier):
        if classifier not in self.classifiers:
            raise ValueError(f"`classifier` must be one of {self.classifiers}, got {classifier!r}.")
        rows = [r for r in self.records if r["classifier"] == classifier]
        n_reps = len({r["repetition"] for r in rows})
        if len(rows) % n_reps:
            raise ValueError(f"the repetitions of {classifier!r} have different numbers of cycles.")
        return rows, n_reps

    def curves(self, classifier, metric):
        """Per-repetition learning curves, shape (n_repetitions, n_cycles)."""
        if metric not in METRICS:
            raise ValueError(f"`metric` must be one of {sorted(METRICS)}, got {metric!r}.")
        rows, n_reps = self._select(classifier)
        return np.array([r[metric] for r in rows], dtype=float).reshape(n_reps, -1)

    def n_annotations(self, classifier=None):
        """Labels acquired at each cycle, shape (n_cycles,) (the x-axis of the curves)."""
        rows, n_reps = self._select(classifier or self.classifiers[0])
        return np.array([r["n_annotations"] for r in rows[: len(rows) // n_reps]])

    def annotations_per_annotator(self, classifier):
        """Cumulative labels asked of each annotator, shape (n_repetitions, n_cycles, n_annotators)."""
        rows, n_reps = self._select(classifier)
        counts = np.array([r["annotations_per_annotator"] for r in rows])
        return counts.reshape(n_reps, -1, counts.shape[-1])

    def labels_per_annotator(self, classifier):
        """Labels each annotator gave by the last cycle, summed over repetitions, shape (n_annotators,)."""
        return self.annotations_per_annotator(classifier)[:, -1].sum(axis=0)

    def summary(self):
        """``{classifier: {metric: mean over repetitions and cycles}}`` (the reference's "ALCU")."""
        return {c: {m: curve_mean(self.curves(c, m)) for m in METRICS} for c in self.classifiers}

    def _table(self, column_names, values_of, width, fmt):
        """Aligned text: a row per classifier, its display name, then ``values_of(classifier)``."""
        lines = [f"{'classifier':<22}" + "".join(f"{name:>{width}}" for name in column_names)]
        for c in self.classifiers:
            lines.append(f"{CLASSIFIERS.get(c, c):<22}" + "".join(f"{v:>{width}{fmt}}" for v in values_of(c)))
        return "\n".join(lines)

    def summary_table(self):
        """The summary as aligned text, one row per classifier."""
        summary = self.summary()
        return self._table(METRICS.values(), lambda c: summary[c].values(), 26, ".3f")

    def annotator_usage_table(self):
        """:meth:`labels_per_annotator` of every classifier as aligned text."""
        short_names = [name.split()[0] for name in self.annotator_names]
        return self._table(short_names, self.labels_per_annotator, 6, "d")

    def to_dict(self):
        """The JSON document described in the module docstring."""
        return {
            "format": RESULTS_FORMAT,
            "format_version": FORMAT_VERSION,
            "config": self.config,
            "annotator_names": self.annotator_names,
            "versions": self.versions,
            "records": self.records,
        }

    def save(self, path):
        """Write the results to ``path`` atomically (temporary file, then rename); returns the path."""
        return write_json_atomic(path, self.to_dict())

    @classmethod
    def load(cls, path):
        """Read a results file; a missing, corrupt or foreign file raises ``ValueError`` naming it."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(
                f"no results file at {path}: run notebooks/03_active_learning_mv_vs_annotmix.ipynb "
                "(or `make run`) to make one."
            )
        doc = read_json(path, "delete it and rerun the experiment.")
        if not isinstance(doc, dict) or doc.get("format") != RESULTS_FORMAT:
            raise ValueError(f"{path} is not a {RESULTS_FORMAT} file.")
        if doc.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{path} has format version {doc.get('format_version')}, this code reads {FORMAT_VERSION}."
            )
        try:
            return cls(doc["config"], doc["records"], doc["annotator_names"], doc["versions"])
        except (KeyError, TypeError) as err:
            raise ValueError(f"{path} is incomplete ({err!r}); delete it and rerun the experiment.") from None
