"""Single fits kept on disk: a fitted classifier is pickled under a fingerprint of everything that decides it.

Layout::

    <checkpoint_dir>/fits/<fingerprint>.pkl

Each file holds a pickled dict ``{"format": "crowdal-fit", "format_version": 1, "fit": describe_fit(...),
"classifier": <the fitted classifier>}``, written atomically. ``train_and_score`` (notebook 02) keeps its networks
this way by default, in the folder the environment names (:func:`crowdal_utils._environment.checkpoint_dir`), so a
second run loads them; the active-learning loop keeps its runs as JSON records instead
(:mod:`crowdal_utils.experiment.checkpoints`).
"""

import pickle
from pathlib import Path

import numpy as np

from .._environment import checkpoint_dir as default_checkpoint_dir
from .._fingerprints import (
    array_digest,
    code_digest,
    describe_settings,
    fingerprint,
    imported_modules,
    package_versions,
)
from .._io import write_atomic
from .._validation import check_int
from ..data.digits import check_split
from .networks import cpu_capability
from .training import fit_seeded

FIT_FORMAT = "crowdal-fit"
FIT_FORMAT_VERSION = 1


def describe_fit(classifier, X, y, seed):
    """What decides a fitted classifier, as plain JSON (the input of its fingerprint).

        The classifier's settings (its class and ``get_params()``, the training settings and the device included), the
        training samples ``X`` and labels ``y`` (dtypes, shapes, contents), the torch seed, the CPU's instruction set,
        the code of every crowdal_utils module a fit can run (the learners' factory and this module, with all they
    import) and the packages' versions.
    """
    return {
        "classifier": describe_settings(classifier),
        "X_sha256": array_digest(X),
        "y_sha256": array_digest(y),
        "seed": seed,
        "cpu_capability": cpu_capability(),
        "code_sha256": code_digest(fit_modules()),
        "versions": package_versions(),
    }


def fit_modules():
    """The crowdal_utils modules whose code decides a fit: the factory of the learners and this module, with every
    module they import (:func:`crowdal_utils._fingerprints.imported_modules`)."""
    return imported_modules("learners.factory", "learners.fit_checkpoints")


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
    seed = check_int(seed, "seed", minimum=0)
    if not isinstance(checkpoint_dir, str | Path):
        raise TypeError(f"`checkpoint_dir` must be a folder (str or Path), got {type(checkpoint_dir).__name__}.")
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


def train_and_score(classifier, data, y, seed=0, reuse=True):
    """Fit ``classifier`` on ``(data.X_train, y)`` with torch seeded, return its test accuracy.

    ``y`` is whatever the classifier's ``fit`` takes: shape (n_train,) for a
    single-annotator model, (n_train, n_annotators) for the crowd classifiers.
    With ``reuse`` (the default), the fitted classifier is kept in the checkpoint folder
    the environment names and the same fit (same settings, labels, seed and code) is
    loaded instead of trained again (:func:`fit_or_load`); ``reuse=False`` trains every time.
    """
    check_split(data)
    if not isinstance(reuse, bool):
        raise TypeError(f"`reuse` must be True or False, got {reuse!r}.")
    if reuse:
        fit_or_load(classifier, data.X_train, y, seed, default_checkpoint_dir())
    else:
        fit_seeded(classifier, data.X_train, y, seed)
    return float(classifier.score(data.X_test, data.y_test))
