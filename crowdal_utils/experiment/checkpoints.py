"""Checkpoints: every finished (arm, repetition) of an experiment in a file of its own, and single fits.

Layout::

    <checkpoint_dir>/<fingerprint>/majority-vote__random__random_repetition-0.json
                                   annot-mix__own-estimate__random_repetition-2.json
                                   ...
    <checkpoint_dir>/fits/<fingerprint>.pkl    one fitted classifier (crowdal_utils.learners.fit_or_load)

The **fingerprint** is a hash of everything that decides one run's numbers: the
run settings (cycles, batch size, epochs, costs: everything in the configuration
but the number of repetitions and the list of arms), the data, the crowd's
labels and true correctness probabilities, the annotators' names, the device
type, the CPU's instruction set as PyTorch uses it (AVX2, AVX-512, ...), the
skorch training settings as they are called at run time, the **source code** of
the package's modules that train, query and measure, and the versions of the
packages involved. A rerun finds its folder and skips the runs already there —
also runs another notebook made with the same settings (notebook 06 loads two of
notebook 05's arms: majority vote and Annot-Mix, each asking the annotator its
own estimate rates best, samples at random). Anything else, including an edit to
``skorch_settings``, the backbone or a learner, gets a folder of its own, so
stale or foreign numbers are never loaded.

Each file holds (JSON)::

    {"format": "crowdal-repetition", "format_version": 3,
     "fingerprint": "...",
     "experiment": {"settings": {...}, "versions": {...}, "code_sha256": "...", ...what the fingerprint hashes...},
     "arm": "annot-mix/own-estimate/random", "repetition": 2,
     "records": [...one per cycle, as in crowdal_utils.experiment.results...]}

Files are written atomically (temporary file, then rename): a run killed at any
moment leaves complete files only.
"""

from pathlib import Path

from .._fingerprints import (
    array_digest,
    code_digest,
    describe_settings,
    fingerprint,
    imported_modules,
    package_versions,
)
from .._io import read_versioned_json, write_json_atomic
from ..learners.networks import cpu_capability
from .results import RECORD_KEYS

CHECKPOINT_FORMAT = "crowdal-repetition"
FORMAT_VERSION = 3


def number_modules():
    """The crowdal_utils modules whose code decides a run's numbers: the loop and every module it imports
    (:func:`crowdal_utils._fingerprints.imported_modules`; figures are never imported by it)."""
    return imported_modules("experiment.loop")


def describe_experiment(config, data, crowd_labels, annotator_names, device, correct_proba=None):
    """What decides the numbers of an experiment's runs, as plain JSON (the input of the fingerprint).

    Parameters
    ----------
    config : ExperimentConfig
        Only :meth:`ExperimentConfig.run_settings` counts: runs of the same arm and
        repetition are the same under any number of repetitions and other arms.
    data : DataSplit
    crowd_labels : np.ndarray of shape (n_train, n_annotators)
    annotator_names : list of str
    device : str
        ``"cpu"``, ``"cuda"`` or ``"cuda:1"``; only the type (before ``:``) counts.
    correct_proba : np.ndarray of shape (n_train, n_annotators) or None
        The crowd's true correctness probabilities (the oracle's input).
    """
    from ..learners import training  # looked up at call time, so a patched skorch_settings counts

    settings = training.skorch_settings(len(data.classes), config.max_epochs, "cpu")  # the device counts by its type
    return {
        "settings": config.run_settings(),
        "data_sha256": array_digest(data.X_train, data.y_train, data.X_test, data.y_test, data.classes),
        "crowd_labels_sha256": array_digest(crowd_labels),
        "correct_proba_sha256": None if correct_proba is None else array_digest(correct_proba),
        "annotator_names": list(annotator_names),
        "device_type": str(device).split(":")[0],
        # AVX2 and AVX-512 kernels round differently and can send a run down another path
        "cpu_capability": cpu_capability(),
        "training_settings": describe_settings({k: v for k, v in settings.items() if k != "device"}),
        "code_sha256": code_digest(number_modules()),
        "versions": package_versions(),
    }


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
        if not isinstance(description, dict) or "settings" not in description:
            raise TypeError("`description` must be the dict made by describe_experiment().")
        self.description = description
        self.fingerprint = fingerprint(description)
        self.folder = Path(root) / self.fingerprint
        self.n_cycles = description["settings"]["n_cycles"]

    def path(self, arm, repetition):
        """File of one (arm, repetition); ``arm`` is an arm's key ``learner/choice/strategy``."""
        return self.folder / f"{arm.replace('/', '__')}_repetition-{repetition}.json"

    def save(self, arm, repetition, records):
        """Write the records of one finished (arm, repetition) atomically; returns the path."""
        self._check_records(records, arm, repetition, self.path(arm, repetition))
        document = {
            "format": CHECKPOINT_FORMAT,
            "format_version": FORMAT_VERSION,
            "fingerprint": self.fingerprint,
            "experiment": self.description,
            "arm": arm,
            "repetition": repetition,
            "records": records,
        }
        return write_json_atomic(self.path(arm, repetition), document)

    def load(self, arm, repetition):
        """Records of a finished (arm, repetition), or ``None`` if it has no file yet.

        A file that is unreadable, foreign, from another experiment or incomplete
        raises ``ValueError`` naming it and saying how to recover.
        """
        path = self.path(arm, repetition)
        if not path.is_file():
            return None
        recovery = f"delete it, and the next run recomputes {arm} repetition {repetition} only."
        doc = read_versioned_json(path, CHECKPOINT_FORMAT, FORMAT_VERSION, recovery)
        if doc.get("fingerprint") != self.fingerprint or doc.get("experiment") != self.description:
            raise ValueError(
                f"{path} was made by a different experiment (fingerprint {doc.get('fingerprint')!r}, "
                f"expected {self.fingerprint!r}); it does not belong in {self.folder}: {recovery}"
            )
        if doc.get("arm") != arm or doc.get("repetition") != repetition:
            raise ValueError(
                f"{path} holds {doc.get('arm')!r} repetition {doc.get('repetition')!r}, "
                f"not {arm!r} repetition {repetition}; {recovery}"
            )
        records = doc.get("records")
        self._check_records(records, arm, repetition, path, recovery)
        return records

    def _check_records(self, records, arm, repetition, path, recovery=""):
        """One complete record per cycle 1..n_cycles, all of this (arm, repetition)."""
        cycles = list(range(1, self.n_cycles + 1))
        ok = (
            isinstance(records, list)
            and all(isinstance(r, dict) and set(RECORD_KEYS) <= set(r) for r in records)
            and [(r["arm"], r["repetition"], r["cycle"]) for r in records] == [(arm, repetition, c) for c in cycles]
        )
        if not ok:
            raise ValueError(
                f"records for {path} must be one complete record for each cycle 1..{self.n_cycles} of "
                f"{arm!r} repetition {repetition}. {recovery}".strip()
            )
