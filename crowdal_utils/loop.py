"""The active-learning loop: query (sample, annotator) pairs, reveal labels, retrain, measure."""

from pathlib import Path

import numpy as np
from skactiveml.utils import MISSING_LABEL, is_unlabeled

from ._validation import check_crowd_labels, check_int
from .annotators import annotator_names, simulate_crowd
from .checkpoints import CheckpointStore, describe_experiment
from .config import ExperimentConfig
from .data import check_split, load_digits_split
from .metrics import correct_annotation_rate
from .models import CLASSIFIERS, RELATIVE_TRAINING_COST, fit_seeded, make_classifier, pick_device
from .parallel import run_in_parallel, runs_in_this_process
from .progress import progress_bar
from .results import ExperimentResults
from .strategies import make_query_strategy

#: Classifiers that estimate annotator performance and use it to choose annotators.
USES_ANNOTATOR_PERFORMANCE = {"annot-mix"}


def fit_seed(repetition, cycle):
    """Torch seed of the fit in ``cycle`` of ``repetition``: distinct for every pair, stable across runs."""
    return int(np.random.SeedSequence([repetition, cycle]).generate_state(1)[0])


def run_repetition(classifier_name, data, crowd_labels, config, repetition, device=None, progress=True):
    """One run of active learning with one classifier.

    Every cycle: (1) the query strategy of ``config`` (random sampling in the
    tutorial), wrapped by ``SingleAnnotatorWrapper``, picks
    ``config.query_batch_size`` (sample, annotator) pairs not asked before; Annot-Mix
    passes its estimated annotator performance ``A_perf`` (n_samples, n_annotators)
    so the wrapper gives each chosen sample to its best estimated annotator, while
    MV (and Annot-Mix in the first cycle, before any training) leaves the choice of
    annotator to chance; (2) the labels of those pairs are revealed from
    ``crowd_labels``; (3) the classifier is refit from scratch with a torch seed of
    :func:`fit_seed`; (4) test accuracy and correct-annotation rate are recorded.

    Parameters
    ----------
    classifier_name : str
        A key of ``crowdal_utils.models.CLASSIFIERS``.
    data : DigitsSplit
    crowd_labels : array-like of shape (n_train, n_annotators), int
        Every annotator's answer for every training sample (the simulated crowd).
    config : ExperimentConfig
    repetition : int >= 0
        Seed of the query strategy, the classifier and the torch seeds.
    device : str or None
        ``None`` picks CUDA when available.
    progress : bool
        Show a progress bar over the cycles.

    Returns
    -------
    list of dict
        One record per cycle (keys in ``crowdal_utils.results``).
    """
    if classifier_name not in CLASSIFIERS:
        raise ValueError(f"`classifier_name` must be one of {sorted(CLASSIFIERS)}, got {classifier_name!r}.")
    check_split(data)
    if not isinstance(config, ExperimentConfig):
        raise TypeError(f"`config` must be an ExperimentConfig, got {type(config).__name__}.")
    z = check_crowd_labels(crowd_labels, n_samples=len(data.y_train))
    repetition = check_int(repetition, "repetition", minimum=0)
    n_pairs = z.size
    if config.n_cycles * config.query_batch_size > n_pairs:
        raise ValueError(
            f"`config` asks for {config.n_cycles} x {config.query_batch_size} labels but the crowd "
            f"has only {n_pairs} (sample, annotator) pairs."
        )

    clf = make_classifier(
        classifier_name, data.classes, z.shape[1], repetition, max_epochs=config.max_epochs, device=device
    )
    query_strategy = make_query_strategy(config.query_strategy, repetition)
    y = np.full(z.shape, MISSING_LABEL, dtype=np.float32)
    A_perf = None
    records = []
    cycles = progress_bar(
        range(1, config.n_cycles + 1),
        enabled=progress,
        desc=f"{CLASSIFIERS[classifier_name]} | repetition {repetition + 1}",
    )
    for cycle in cycles:
        pairs = query_strategy.query(
            X=data.X_train,
            y=y,
            batch_size=config.query_batch_size,
            A_perf=A_perf,
            n_annotators_per_sample=1,
        )
        samples, annotators = pairs[:, 0], pairs[:, 1]
        y[samples, annotators] = z[samples, annotators]

        fit_seeded(clf, data.X_train, y, fit_seed(repetition, cycle))
        acquired = ~is_unlabeled(y, missing_label=MISSING_LABEL)
        records.append(
            {
                "classifier": classifier_name,
                "repetition": repetition,
                "cycle": cycle,
                "n_annotations": int(acquired.sum()),
                "test_accuracy": float(clf.score(data.X_test, data.y_test)),
                "correct_annotation_rate": correct_annotation_rate(y, data.y_train),
                "annotations_per_annotator": acquired.sum(axis=0).tolist(),
            }
        )
        if classifier_name in USES_ANNOTATOR_PERFORMANCE and cycle < config.n_cycles:
            _, A_perf = clf.predict_proba(data.X_train, extra_outputs=["annotator_perf"])
    return records


def run_experiment(
    config=None,
    data=None,
    crowd_labels=None,
    profiles=None,
    device=None,
    progress=True,
    n_jobs=1,
    backend=None,
    checkpoint_dir=None,
):
    """Run every classifier of ``config`` for every repetition.

    The (classifier, repetition) pairs are independent tasks. With ``n_jobs > 1``
    they run side by side in joblib workers, each with one torch thread; every fit
    is seeded, so the numbers are identical for any ``n_jobs`` and backend.

    Parameters
    ----------
    config : ExperimentConfig or None
        ``None`` reads ``ExperimentConfig.from_environment()``.
    data : DigitsSplit or None
        ``None`` loads the reference split.
    crowd_labels : array-like of shape (n_train, n_annotators) or None
        ``None`` lets ``profiles`` label the training half (the reference's ``z_train``
        for the default crowd).
    profiles : sequence of annotator profiles or None
        The crowd; ``None`` means ``default_crowd()``. With ``crowd_labels`` given, only
        used to name the annotators in the results.
    device : str or None
        ``None`` picks CUDA when available.
    progress : bool
        Progress bars: per cycle when running in this process, per task otherwise.
    n_jobs : int, default=1
        joblib workers (-1: one per core). 1 runs everything in this process.
    backend : str, joblib backend or None
        joblib backend, e.g. ``"loky"`` (default), ``"dask"`` with a connected
        ``dask.distributed.Client`` (see the README).
    checkpoint_dir : str, Path or None
        Save each finished (classifier, repetition) under
        ``checkpoint_dir/<fingerprint>/`` (see :mod:`crowdal_utils.checkpoints`) and
        skip the ones already saved there. ``None``: keep nothing on disk.

    Returns
    -------
    ExperimentResults
    """
    config = ExperimentConfig.from_environment() if config is None else config
    if not isinstance(config, ExperimentConfig):
        raise TypeError(f"`config` must be an ExperimentConfig, got {type(config).__name__}.")
    (results,) = run_experiments(
        [config], data, crowd_labels, profiles, device, progress, n_jobs, backend, checkpoint_dir
    )
    return results


def run_experiments(
    configs,
    data=None,
    crowd_labels=None,
    profiles=None,
    device=None,
    progress=True,
    n_jobs=1,
    backend=None,
    checkpoint_dir=None,
):
    """Run several configurations as one grid of (configuration, classifier, repetition) tasks.

    All tasks go to the workers at once, so a grid — say, several query batch
    sizes or strategies, each with its classifiers and repetitions — keeps every
    worker of a machine or cluster busy. Arguments as in :func:`run_experiment`;
    ``configs`` is a non-empty list of ``ExperimentConfig``.

    Returns
    -------
    list of ExperimentResults
        One per configuration, in the order of ``configs``.
    """
    if isinstance(configs, ExperimentConfig) or not isinstance(configs, list | tuple) or not configs:
        raise TypeError("`configs` must be a non-empty list of ExperimentConfig.")
    for k, config in enumerate(configs):
        if not isinstance(config, ExperimentConfig):
            raise TypeError(f"`configs[{k}]` must be an ExperimentConfig, got {type(config).__name__}.")
    data = load_digits_split() if data is None else data
    check_split(data)
    if crowd_labels is None:
        z = simulate_crowd(data.y_train, data.classes, profiles=profiles)
    else:
        z = check_crowd_labels(crowd_labels, n_samples=len(data.y_train))
    if profiles is None and crowd_labels is not None:
        names = [f"A{k + 1}" for k in range(z.shape[1])]  # somebody else's crowd: no names known
    else:
        names = annotator_names(profiles)
        if len(names) != z.shape[1]:
            raise ValueError(f"`profiles` names {len(names)} annotators but `crowd_labels` has {z.shape[1]}.")
    device = device or pick_device()
    in_process = runs_in_this_process(n_jobs, backend)
    stores = [None] * len(configs)
    if checkpoint_dir is not None:
        stores = [CheckpointStore(checkpoint_dir, describe_experiment(c, data, z, names, device)) for c in configs]

    tasks = [(k, c, r) for k, cfg in enumerate(configs) for c in cfg.classifiers for r in range(cfg.n_repetitions)]
    done = {}
    for k, classifier, repetition in tasks:
        records = stores[k].load(classifier, repetition) if stores[k] else None
        if records is not None:
            done[k, classifier, repetition] = records
    # Longest first: with few tasks per worker, the order decides when the last worker finishes.
    pending = sorted((task for task in tasks if task not in done), key=lambda t: -_task_cost(configs[t[0]], t[1]))
    arguments = [(c, data, z, configs[k], r, device, progress and in_process) for k, c, r in pending]
    finished = run_in_parallel(run_repetition, arguments, n_jobs=n_jobs, backend=backend)
    for i, records in progress_bar(
        finished, enabled=progress and not in_process, total=len(pending), desc="(classifier, repetition) tasks"
    ):
        k, classifier, repetition = pending[i]
        if stores[k]:
            stores[k].save(classifier, repetition, records)
        done[pending[i]] = records
    return [
        ExperimentResults(
            config.to_dict(),
            [r for (j, c, rep) in tasks if j == k for r in done[j, c, rep]],
            names,
        )
        for k, config in enumerate(configs)
    ]


def _task_cost(config, classifier):
    """Relative training time of one repetition: batches trained over all cycles times cost per batch."""
    samples_trained = config.query_batch_size * config.n_cycles * (config.n_cycles + 1) / 2
    return RELATIVE_TRAINING_COST[classifier] * config.max_epochs * samples_trained


def load_or_run_fast(path, progress=True, n_jobs=-1):
    """Load the results at ``path``; without a file there, say so and run the fast configuration.

    ``n_jobs`` as in :func:`run_experiment` (default: one worker per CPU core).

    Returns
    -------
    results : ExperimentResults
    source : str
        One sentence saying where the results come from, to print.
    """
    path = Path(path)
    if path.is_file():
        results = ExperimentResults.load(path)
        return results, f"Loaded {path} (configuration {results.config})."
    print(
        f"No results file at {path}. Make one with notebooks/03_active_learning_mv_vs_annotmix.ipynb "
        "or `make run` (full configuration). Meanwhile this runs the fast configuration (about 20 s on two cores); "
        "its curves are shorter and noisier than the tutorial's."
    )
    results = run_experiment(ExperimentConfig.fast(), progress=progress, n_jobs=n_jobs)
    return results, "Computed just now with ExperimentConfig.fast(); not saved."
