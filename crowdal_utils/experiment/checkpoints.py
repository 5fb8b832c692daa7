"""Checkpoints: every finished (arm, repetition) of an experiment in a file of its own, and single fits.

Layout::

    <checkpoint_dir>/<fingerprint>/majority-vote__random__random_repetition-0.json
                                   annot-mix__own-estimate__random_repetition-2.json
                                   ...
    <checkpoint_dir>/fits/<fingerprint>.pkl    one fitted classifier (fit_or_load, notebook 02's networks)

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

    {"format": "crowdal-repetition", "format_version": 2,
     "fingerprint": "...",
     "experiment": {"settings": {...}, "versions": {...}, "code_sha256": "...", ...what the fingerprint hashes...},
     "arm": "annot-mix/own-estimate/random", "repetition": 2,
     "records": [...one per cycle, as in crowdal_utils.experiment.results...]}

Files are written atomically (temporary file, then rename): a run killed at any
moment leaves complete files only.
"""

import hashlib
import importlib
import inspect
import json
import pickle
from pathlib import Path

import numpy as np

from .._io import read_versioned_json, write_atomic, write_json_atomic
from .._validation import check_int
from .results import RECORD_KEYS, package_versions

CHECKPOINT_FORMAT = "crowdal-repetition"
FORMAT_VERSION = 2
#: Modules of crowdal_utils (dotted, below the package) whose code decides a run's numbers (figures, progress bars
#: and bookkeeping do not).
#: ``tests/test_checkpoints.py`` checks that every module the loop imports is listed.
NUMBER_MODULES = (
    "_validation",
    "crowds.aggregation",
    "crowds.confusions",
    "crowds.metrics",
    "crowds.presets",
    "crowds.profiles",
    "crowds.simulation",
    "data.crowd_tables",
    "data.digits",
    "experiment.config",
    "experiment.loop",
    "experiment.parallel",
    "learners.classifiers",
    "learners.factory",
    "learners.networks",
    "learners.registry",
    "learners.training",
    "selection.annotator_choice",
    "selection.costs",
    "selection.strategies",
)


def cpu_capability():
    """The instruction set PyTorch's CPU kernels use here, e.g. ``"AVX2"`` or ``"AVX512"``."""
    import torch

    return torch.backends.cpu.get_cpu_capability()


def array_digest(*arrays):
    """SHA-256 (hex) of the dtypes, shapes and contents of ``arrays``."""
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def code_digest(modules=NUMBER_MODULES):
    """SHA-256 (hex) of the source files of ``modules`` (names inside ``crowdal_utils``)."""
    digest = hashlib.sha256()
    for name in modules:
        module = importlib.import_module(f"crowdal_utils.{name}")
        digest.update(name.encode())
        digest.update(Path(inspect.getsourcefile(module)).read_bytes())
    return digest.hexdigest()


def describe_settings(value):
    """A plain-JSON description of skorch settings: classes by qualified name, callbacks by class and parameters."""
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
        "code_sha256": code_digest(),
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


FIT_FORMAT = "crowdal-fit"
FIT_FORMAT_VERSION = 1


def describe_fit(classifier, X, y, seed):
    """What decides a fitted classifier, as plain JSON (the input of its fingerprint).

    The classifier's settings (its class and ``get_params()``, the training settings and the device included), the
    training samples ``X`` and labels ``y`` (dtypes, shapes, contents), the torch seed, the CPU's instruction set,
    the package's code that trains (as in :func:`describe_experiment`) and the packages' versions.
    """
    return {
        "classifier": describe_settings(classifier),
        "X_sha256": array_digest(X),
        "y_sha256": array_digest(y),
        "seed": seed,
        "cpu_capability": cpu_capability(),
        "code_sha256": code_digest(),
        "versions": package_versions(),
    }


def _tuple_aware_criterion(base, selector):
    """scikit-activeml's loss class that hands output ``selector`` (an index or a tuple of them) of the network's
    tuple of outputs to the loss ``base``; made on demand, under the name a fit gives it."""
    from skactiveml.utils import make_criterion_tuple_aware

    indices = (selector,) if isinstance(selector, int) else tuple(selector)
    names = [f"output_{index}" for index in indices]
    outputs = {name: (index, None) for name, index in zip(names, indices, strict=True)}
    return make_criterion_tuple_aware(base, names[0] if len(names) == 1 else names, outputs)


class _FitPickler(pickle.Pickler):
    """A pickler that saves scikit-activeml's loss classes by how to make them, not by name.

    ``SkorchClassifier`` makes such a class (``TupleAwareCrossEntropyLossIdx0``) while it fits; a new process that
    loads a fitted classifier has not made it yet, and plain pickle would not find it.
    """

    def reducer_override(self, obj):
        if (
            isinstance(obj, type)
            and obj.__module__.startswith("skactiveml.")
            and "_criterion_output_selector" in vars(obj)
        ):
            return _tuple_aware_criterion, (obj.__bases__[0], obj._criterion_output_selector)
        return NotImplemented


def fit_checkpoint_path(checkpoint_dir, description):
    """``<checkpoint_dir>/fits/<fingerprint>.pkl``: where the fit :func:`describe_fit` describes is kept."""
    return Path(checkpoint_dir) / "fits" / f"{fingerprint(description)}.pkl"


def fit_or_load(classifier, X, y, seed, checkpoint_dir):
    """``fit_seeded(classifier, X, y, seed)``, kept on disk: a second call with the same fit loads it instead.

    The fitted classifier is pickled under :func:`fit_checkpoint_path` (written atomically). When that file exists,
    ``classifier`` takes over the state of the one saved there, as if it had been fitted here: a fit with the same
    seed gives the same network on a CPU (see :func:`crowdal_utils.learners.fit_seeded`). A change to anything
    :func:`describe_fit` lists is another file, so a changed fit is never loaded. Only load files you made: a pickle
    can run code.

    Parameters
    ----------
    classifier : a crowdal classifier (skorch or scikit-activeml)
    X : np.ndarray of shape (n_samples, ...)
    y : np.ndarray of shape (n_samples,) or (n_samples, n_annotators)
    seed : int >= 0
    checkpoint_dir : str or Path

    Returns
    -------
    classifier
        The same object, fitted.
    """
    from ..learners.training import fit_seeded

    seed = check_int(seed, "seed", minimum=0)
    y = np.asarray(y)
    description = describe_fit(classifier, X, y, seed)
    path = fit_checkpoint_path(checkpoint_dir, description)
    if not path.is_file():
        fit_seeded(classifier, X, y, seed)
        document = {
            "format": FIT_FORMAT,
            "format_version": FIT_FORMAT_VERSION,
            "fit": description,
            "classifier": classifier,
        }
        write_atomic(path, lambda f: _FitPickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(document), binary=True)
        return classifier
    recovery = "delete it, and the next run fits again."
    try:
        with open(path, "rb") as f:
            document = pickle.load(f)
    except Exception as err:  # a truncated or foreign file fails in many ways, all of them "not readable"
        raise ValueError(f"{path} is not a readable fit checkpoint ({type(err).__name__}: {err}); {recovery}") from None
    if not isinstance(document, dict) or document.get("format") != FIT_FORMAT:
        raise ValueError(f"{path} is not a {FIT_FORMAT} file; {recovery}")
    if document.get("format_version") != FIT_FORMAT_VERSION:
        raise ValueError(
            f"{path} has format version {document.get('format_version')}, this code reads {FIT_FORMAT_VERSION}; "
            f"{recovery}"
        )
    fit = document.get("fit")  # compared by fingerprint: the settings hold NaN, which equals nothing
    if (
        not isinstance(fit, dict)
        or fingerprint(fit) != path.stem
        or type(document.get("classifier")) is not type(classifier)
    ):
        raise ValueError(f"{path} holds another fit than the one its name stands for; {recovery}")
    vars(classifier).update(vars(document["classifier"]))  # the caller's object becomes the fitted one
    return classifier
