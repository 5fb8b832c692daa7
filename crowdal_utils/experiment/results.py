"""Tidy results of an active-learning experiment and their file format.

File format (JSON, UTF-8), written by :meth:`ExperimentResults.save`::

    {
      "format": "crowdal-learning-curves",
      "format_version": 3,
      "config": {"n_repetitions": 3, "n_cycles": 10, "query_batch_size": 64, "max_epochs": 100,
                 "arms": ["majority-vote/random/random", "annot-mix/own-estimate/random"],
                 "annotator_costs": null, "budget_per_cycle": null},
      "annotator_names": ["A1 near-perfect", ...],
      "versions": {"crowdal_utils": "...", "torch": "...", ...},
      "records": [
        {"arm": "annot-mix/own-estimate/random",   # learner/choice/strategy
         "learner": "annot-mix", "choice": "own-estimate", "strategy": "random",
         "repetition": 0, "cycle": 1,
         "n_annotations": 64,                 # labels acquired so far
         "n_labelled_samples": 64,            # distinct samples with at least one label so far
         "cost": 64.0,                        # cost units spent so far (1 per label without costs)
         "test_accuracy": 0.71,               # on the held-out test half
         "correct_annotation_rate": 0.83,     # share of acquired labels that are right
         "annotations_per_annotator": [13, 12, 14, 12, 13],  # who was asked, so far
         "estimated_accuracy": [0.9, ...],    # the learner's estimate per annotator (mean over
                                              # training samples) after this cycle's fit, or null
         "best_annotator_share": 0.2,         # share of this cycle's labels asked of an annotator
                                              # who truly was best for the sample, or null (no truth)
         "second_opinions": 0,                # labels so far that went to an already labelled sample
         "second_opinions_first_wrong": 0,    # ... to a sample whose first label was wrong
         "multi_labelled": 0,                 # samples with two or more labels now
         "multi_labelled_correct": 0,         # ... whose majority vote is right
         "training_label_accuracy": 0.83,     # share of labelled samples whose aggregated label (majority
                                              # vote, Dawid-Skene: what the network trained on) is right, or null
         "lone_labels_changed": 0},           # samples with one label that the aggregation gave another class,
                                              # or null (a learner that trains on the raw labels)
        ...
      ]
    }

One record per (arm, repetition, cycle); cycles count from 1. Every arm present
has every repetition 0..n_repetitions-1 and every cycle 1..n_cycles, and without
costs the same number of labels at each cycle in every repetition: anything else
is refused on construction and on load, so curves are never mixed up. The file is
written to a temporary name and renamed, so a crash never leaves half a file.

Older format versions are not read — 1 (crowdal_utils 0.2, "classifier" instead
of "arm") and 2 (without ``n_labelled_samples``, ``second_opinions_first_wrong``,
``training_label_accuracy`` and ``lone_labels_changed``): rerun the notebook that
wrote the file.

This module imports neither torch nor scikit-activeml.
"""

from pathlib import Path

import numpy as np

from .._environment import results_dir
from .._fingerprints import package_versions
from .._io import read_versioned_json, write_json_atomic
from .config import Arm, as_arm

#: File name of the reference experiment's results inside ``config.results_dir()``.
RESULTS_FILENAME = "learning_curves.json"
RESULTS_FORMAT = "crowdal-learning-curves"
FORMAT_VERSION = 3
#: The per-cycle measurements drawn as learning curves, with their axis labels.
METRICS = {"test_accuracy": "Test accuracy", "correct_annotation_rate": "Correct-annotation rate"}
RECORD_KEYS = (
    "arm",
    "learner",
    "choice",
    "strategy",
    "repetition",
    "cycle",
    "n_annotations",
    "n_labelled_samples",
    "cost",
    "test_accuracy",
    "correct_annotation_rate",
    "annotations_per_annotator",
    "estimated_accuracy",
    "best_annotator_share",
    "second_opinions",
    "second_opinions_first_wrong",
    "multi_labelled",
    "multi_labelled_correct",
    "training_label_accuracy",
    "lone_labels_changed",
)


class ExperimentResults:
    """Records of an experiment with accessors for curves and summaries.

    Parameters
    ----------
    config : dict
        ``ExperimentConfig.to_dict()`` of the run.
    records : list of dict
        One per (arm, repetition, cycle), keys as in the module docstring.
    annotator_names : list of str
    versions : dict or None
        Package versions; ``None`` records the running ones.

    Arms are named by their key (``"annot-mix/own-estimate/random"``), an ``Arm`` or
    a ``(learner, choice, strategy)`` tuple in every accessor.
    """

    def __init__(self, config, records, annotator_names, versions=None):
        if not isinstance(config, dict) or not isinstance(config.get("arms"), list):
            raise ValueError("`config` must be ExperimentConfig.to_dict() of the run, with its list of `arms`.")
        self.config = dict(config)
        self.annotator_names = list(annotator_names)
        self.versions = package_versions() if versions is None else dict(versions)
        if not isinstance(records, list):
            raise TypeError(f"`records` must be a list of dicts, got {type(records).__name__}.")
        for k, record in enumerate(records):
            if not isinstance(record, dict):
                raise TypeError(f"`records[{k}]` must be a dict, got {type(record).__name__}.")
            missing = set(RECORD_KEYS) - set(record)
            if missing:
                raise ValueError(f"`records[{k}]` lacks the keys {sorted(missing)}.")
        self.records = sorted(records, key=lambda r: (r["arm"], r["repetition"], r["cycle"]))
        self._rows = {}
        for record in self.records:
            self._rows.setdefault(record["arm"], []).append(record)
        self._check_complete()

    def _check_complete(self):
        """Every present arm: repetitions 0..R-1, cycles 1..C each, the same label counts across repetitions."""
        known = self.config["arms"]
        n_reps, n_cycles = self.config["n_repetitions"], self.config["n_cycles"]
        with_costs = self.config.get("budget_per_cycle") is not None
        for arm, rows in self._rows.items():
            if arm not in known:
                raise ValueError(f"records of arm {arm!r}, which the configuration does not name ({known}).")
            parts = Arm.from_key(arm)
            if any(
                (r["learner"], r["choice"], r["strategy"]) != (parts.learner, parts.choice, parts.strategy)
                for r in rows
            ):
                raise ValueError(f"records of arm {arm!r} name another learner, choice or strategy.")
            got = [(r["repetition"], r["cycle"]) for r in rows]
            expected = [(rep, cycle) for rep in range(n_reps) for cycle in range(1, n_cycles + 1)]
            if got != expected:
                raise ValueError(
                    f"arm {arm!r} must have one record for each of the {n_reps} repetitions x {n_cycles} cycles "
                    f"(repetition 0.., cycle 1..); got (repetition, cycle) = {got[:12]}"
                    + (" ..." if len(got) > 12 else "")
                )
            if not with_costs:
                counts = np.array([r["n_annotations"] for r in rows]).reshape(n_reps, n_cycles)
                if not (counts == counts[0]).all():
                    raise ValueError(f"arm {arm!r}: the repetitions acquired different numbers of labels per cycle.")

    @property
    def arms(self):
        """Keys of the arms present, in the order of the configuration."""
        return tuple(a for a in self.config["arms"] if a in self._rows)

    @staticmethod
    def label(arm):
        """Display name of ``arm``, e.g. ``"Annot-Mix · own estimate"``."""
        return as_arm(arm).label

    def _select(self, arm):
        key = as_arm(arm).key
        if key not in self._rows:
            raise ValueError(f"`arm` must be one of {self.arms}, got {key!r}.")
        return self._rows[key]

    def values(self, arm, field):
        """Per-repetition values of a numeric record field, shape (n_repetitions, n_cycles) (NaN where null)."""
        if field not in RECORD_KEYS or field in ("arm", "learner", "choice", "strategy", "annotations_per_annotator"):
            raise ValueError(f"`field` must be a numeric record key of {RECORD_KEYS}, got {field!r}.")
        rows = self._select(arm)
        values = [np.nan if r[field] is None else r[field] for r in rows]
        return np.array(values, dtype=float).reshape(self.config["n_repetitions"], -1)

    def curves(self, arm, metric):
        """Per-repetition learning curves of ``metric`` (a key of :data:`METRICS`), shape (n_repetitions, n_cycles)."""
        if metric not in METRICS:
            raise ValueError(f"`metric` must be one of {sorted(METRICS)}, got {metric!r}.")
        return self.values(arm, metric)

    def n_annotations(self, arm=None):
        """Labels acquired at each cycle, shape (n_cycles,): the x-axis of the curves without costs.

        With costs the counts differ between repetitions; this returns their mean.
        """
        return self.values(arm or self.arms[0], "n_annotations").mean(axis=0)

    def cost_spent(self, arm=None):
        """Cost units spent by each cycle, mean over repetitions, shape (n_cycles,): the x-axis with costs."""
        return self.values(arm or self.arms[0], "cost").mean(axis=0)

    def annotations_per_annotator(self, arm):
        """Cumulative labels asked of each annotator, shape (n_repetitions, n_cycles, n_annotators)."""
        counts = np.array([r["annotations_per_annotator"] for r in self._select(arm)], dtype=int)
        return counts.reshape(self.config["n_repetitions"], -1, counts.shape[-1])

    def estimated_accuracy(self, arm):
        """The learner's estimated accuracy of each annotator after each cycle, (n_reps, n_cycles, n_annotators).

        ``None`` for a learner that does not estimate annotators.
        """
        rows = self._select(arm)
        if any(r["estimated_accuracy"] is None for r in rows):
            return None
        estimates = np.array([r["estimated_accuracy"] for r in rows], dtype=float)
        return estimates.reshape(self.config["n_repetitions"], -1, estimates.shape[-1])

    def labels_per_annotator(self, arm):
        """Labels each annotator gave by the last cycle, summed over repetitions, shape (n_annotators,)."""
        return self.annotations_per_annotator(arm)[:, -1].sum(axis=0)

    def cost_per_annotator(self, arm):
        """Cost units paid to each annotator by the last cycle, summed over repetitions, shape (n_annotators,).

        Every label costs 1 when the experiment had no annotator costs.
        """
        costs = self.config.get("annotator_costs")
        prices = np.ones(len(self.annotator_names)) if costs is None else np.asarray(costs["cost_per_label"])
        return self.labels_per_annotator(arm) * prices

    def curve_means(self, arm, metric):
        """Each repetition's mean over its learning curve, shape (n_repetitions,)."""
        return self.curves(arm, metric).mean(axis=1)

    def summary(self):
        """``{arm: {metric: mean over repetitions and cycles}}`` (the reference's "ALCU")."""
        return {a: {m: curve_mean(self.curves(a, m)) for m in METRICS} for a in self.arms}

    def _table(self, column_names, values_of, width, fmt):
        """Aligned text: a row per arm, its display name, then ``values_of(arm)``."""
        name_width = max(12, *(len(self.label(a)) + 2 for a in self.arms))
        lines = [f"{'arm':<{name_width}}" + "".join(f"{name:>{width}}" for name in column_names)]
        for a in self.arms:
            lines.append(f"{self.label(a):<{name_width}}" + "".join(f"{v:>{width}{fmt}}" for v in values_of(a)))
        return "\n".join(lines)

    def summary_table(self):
        """The summary as aligned text, one row per arm."""
        summary = self.summary()
        return self._table(METRICS.values(), lambda a: summary[a].values(), 26, ".3f")

    def annotator_usage_table(self):
        """:meth:`labels_per_annotator` of every arm as aligned text."""
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
        """Write the results to ``path`` atomically (temporary file, then rename); returns the path.

        A relative ``path`` (e.g. ``"learning_curves.json"``) is taken inside the results folder the environment
        names (:func:`crowdal_utils.experiment.results_dir`), where the next notebook finds it.
        """
        return write_json_atomic(in_results_dir(path), self.to_dict())

    @classmethod
    def load(cls, path):
        """Read a results file; a missing, corrupt, foreign, old or incomplete file raises an error naming it."""
        path = in_results_dir(path)
        if not path.is_file():
            raise FileNotFoundError(
                f"no results file at {path}: run the notebook that writes it (or `make run`) to make one."
            )
        recovery = "delete it and rerun the notebook that wrote it."
        note = " (version 1 came from crowdal_utils 0.2; version 2 lacks four record fields)"
        doc = read_versioned_json(path, RESULTS_FORMAT, FORMAT_VERSION, recovery, note)
        try:
            return cls(doc["config"], doc["records"], doc["annotator_names"], doc["versions"])
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{path} is incomplete or inconsistent ({err}); {recovery}") from None


def curve_mean(curves):
    """Mean of a learning curve over repetitions and cycles.

    The reference tutorial prints this number as "ALCU" (area under the learning
    curve). It is the plain mean of the mean curve, not an area: equal to the
    trapezoidal area divided by the x-range only for a straight line. We keep it
    because it is comparable with the reference, and name it for what it is.

    Parameters
    ----------
    curves : array-like of shape (n_repetitions, n_cycles)

    Returns
    -------
    float
    """
    curves = np.asarray(curves, dtype=float)
    if curves.ndim != 2 or curves.size == 0:
        raise ValueError(f"`curves` must have shape (n_repetitions, n_cycles), got {curves.shape}.")
    if np.isnan(curves).any():
        raise ValueError("`curves` holds NaN: a cycle without a measurement.")
    return float(curves.mean())


def in_results_dir(path):
    """``path`` as a Path; a relative one inside :func:`crowdal_utils.experiment.results_dir`."""
    if not isinstance(path, str | Path):
        raise TypeError(f"`path` must be a file name or path (str or Path), got {type(path).__name__}.")
    path = Path(path)
    return path if path.is_absolute() else results_dir() / path
