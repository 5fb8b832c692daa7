"""The active-learning loop: query (sample, annotator) pairs, reveal labels, retrain, measure."""

import numpy as np

from .._environment import checkpoint_dir as default_checkpoint_dir
from .._seeds import fit_seed
from .._validation import check_crowd_labels, check_int, check_probabilities
from ..crowds.aggregation import majority_vote_labels
from ..crowds.metrics import correct_annotation_rate
from ..crowds.simulation import annotator_names, correct_probabilities, simulate_crowd
from ..data.crowd_tables import CrowdLabels
from ..data.digits import check_split, load_digits_split
from ..learners.factory import make_learner
from ..learners.networks import check_device
from ..learners.registry import get_learner
from ..learners.training import fit_seeded
from ..selection.annotator_choice import ChoiceContext, get_choice
from ..selection.purchases import CycleState, GoldTasks, LabelPlan
from ..selection.strategies import get_strategy
from .checkpoints import CheckpointStore, describe_experiment
from .config import ExperimentConfig, as_arm
from .parallel import run_in_parallel, runs_in_this_process
from .progress import progress_bar
from .results import ExperimentResults, in_results_dir


def run_repetition(arm, data, crowd_labels, config, repetition, correct_proba=None, device=None, progress=True):
    """One run of active learning with one arm (learner, annotator choice, sample strategy).

    Every cycle:

    1. **query and reveal** — the run's :class:`crowdal_utils.selection.LabelPlan` buys
       this cycle's (sample, annotator) pairs and copies their answers from
       ``crowd_labels``: gold tasks and a random first batch in cycle 1 (all arms of a
       repetition share it), then the arm's sample strategy with its annotator
       choice's scores and limits;
    2. **retrain** — the learner is fitted from scratch, with torch seeded by
       :func:`crowdal_utils.experiment.fit_seed`;
    3. **measure** — test accuracy, correct-annotation rate and the other record
       fields (see :mod:`crowdal_utils.experiment.results`).

    Parameters
    ----------
    arm : Arm, its key or a (learner, choice, strategy) tuple
    data : DataSplit
    crowd_labels : array-like of shape (n_train, n_annotators)
        Every annotator's answer for every training sample (a simulated crowd), or
        NaN where an annotator of a real crowd gave no label (never asked).
    config : ExperimentConfig
    repetition : int >= 0
        Seed of the strategies, the learner and the torch seeds.
    correct_proba : array-like of shape (n_train, n_annotators) or None
        Each annotator's true probability of a right answer on each sample (a
        simulated crowd's ``correct_probabilities``); needed by the oracle policy and
        for the records' ``best_annotator_share``.
    device : str or None
        ``None`` picks CUDA when available.
    progress : bool
        Show a progress bar over the cycles.

    Returns
    -------
    list of dict
        One record per cycle (keys in ``crowdal_utils.experiment.results``).
    """
    arm = as_arm(arm)
    learner, choice, strategy = get_learner(arm.learner), get_choice(arm.choice), get_strategy(arm.strategy)
    check_split(data)
    if not isinstance(config, ExperimentConfig):
        raise TypeError(f"`config` must be an ExperimentConfig, got {type(config).__name__}.")
    z = check_crowd_labels(crowd_labels, n_samples=len(data.y_train), allow_missing=True, classes=data.classes)
    repetition = check_int(repetition, "repetition", minimum=0)
    n_annotators = z.shape[1]
    if correct_proba is not None:
        correct_proba = check_probabilities(correct_proba, "correct_proba", shape=z.shape)
    elif choice.needs == "oracle":
        raise ValueError(
            f"`correct_proba` is needed by the oracle choice of arm {arm.key!r}: a simulated crowd's truth."
        )
    askable = int((~np.isnan(z.astype(float))).sum())
    if config.annotator_costs is None and config.n_cycles * config.query_batch_size > askable:
        raise ValueError(
            f"`config` asks for {config.n_cycles} x {config.query_batch_size} labels but the crowd "
            f"has only {askable} (sample, annotator) pairs."
        )
    if config.annotator_costs is not None and config.annotator_costs.n_annotators != n_annotators:
        raise ValueError(
            f"`config.annotator_costs` prices {config.annotator_costs.n_annotators} annotators, "
            f"the crowd has {n_annotators}."
        )

    clf = make_learner(
        arm.learner, data.classes, n_annotators, repetition, config.max_epochs, device, data.X_train.shape[1:]
    )
    gold = GoldTasks.draw(config.n_gold_labels, n_annotators, data.y_train, repetition)  # None without gold
    if gold is not None and learner.takes_gold_truths:  # e.g. Dawid-Skene's EM: the gold tasks' true labels
        clf.gold_truths = gold.truths()
    plan = LabelPlan(
        arm.strategy,
        repetition,
        costs=config.annotator_costs,
        labels_per_cycle=None if config.annotator_costs else config.query_batch_size,
        budget_per_cycle=config.budget_per_cycle,
        gold=gold,
    )
    prices, budget = plan.prices(n_annotators), plan.budget(config.n_cycles)
    y = np.full(z.shape, np.nan, dtype=np.float32)
    first_label = np.full(len(z), np.nan)  # each sample's first acquired label, to judge its second opinions
    estimate = None
    second_opinions = second_opinions_first_wrong = 0
    records = []
    state = CycleState(data.X_train)  # what the first cycle's purchase sees: nothing is fitted yet
    cycles = progress_bar(
        range(1, config.n_cycles + 1), enabled=progress, desc=f"{arm.label} | repetition {repetition}"
    )
    for cycle in cycles:
        labelled_before = ~np.isnan(y).all(axis=1)
        pairs = plan.buy(cycle, y, z, state)
        reasked = pairs[labelled_before[pairs[:, 0]], 0]
        second_opinions += len(reasked)
        second_opinions_first_wrong += int((first_label[reasked] != data.y_train[reasked]).sum())
        samples, first = np.unique(pairs[:, 0], return_index=True)  # a sample's first pair in the order bought
        new = np.isnan(first_label[samples])
        first_label[samples[new]] = z[samples[new], pairs[first[new], 1]]

        fit_seeded(clf, data.X_train, _training_labels(learner, y, data.y_train), fit_seed(repetition, cycle))
        if learner.estimates_annotators:
            estimate = learner.estimate(clf, data.X_train)  # as the learner returns it: the wrapper ranks these numbers
            check_probabilities(estimate, f"{arm.learner}'s estimate", shape=z.shape)
        opinions = (second_opinions, second_opinions_first_wrong)
        records.append(_record(arm, repetition, cycle, clf, data, y, prices, pairs, estimate, correct_proba, opinions))

        # what the next cycle's purchase sees: the choice's scores and limits, the strategy's inputs
        given = (~np.isnan(y)).sum(axis=0)
        gold_record = (None, None) if gold is None else (gold.right, gold.asked)
        rng = np.random.default_rng([repetition, cycle + 1, 1])  # the policy's own draws (epsilon-greedy, Thompson)
        context = ChoiceContext(estimate, correct_proba, prices, given * prices, budget, given, rng, *gold_record)
        X = data.X_train
        if strategy.features == "embeddings":
            X = clf.predict_proba(data.X_train, extra_outputs=["embeddings"])[1]
        arguments = strategy.query_arguments(clf=clf, crowd_labels=y)
        state = CycleState(X, clf, choice.scores(context), choice.limits(context), arguments)
    return records


def _training_labels(learner, y, y_true):
    """What ``learner`` fits on: the crowd labels, or the true label of every sample that has one."""
    if learner.trains_on == "truth":
        return np.where(np.isnan(y).all(axis=1), np.nan, y_true).astype(float)
    return y


def _record(arm, repetition, cycle, clf, data, y, prices, pairs, estimate, correct_proba, opinions):
    """The record of one cycle (fields in :mod:`crowdal_utils.experiment.results`); ``opinions`` are two counts so far:
    second opinions, and those asked about a sample whose first label was wrong."""
    acquired = ~np.isnan(y)
    n_labels = acquired.sum(axis=1)
    multi = n_labels >= 2
    best_share = None
    if correct_proba is not None and len(pairs):
        truly_best = correct_proba.max(axis=1)
        best_share = float(np.mean(correct_proba[pairs[:, 0], pairs[:, 1]] >= truly_best[pairs[:, 0]] - 1e-12))
    multi_correct = 0
    if multi.any():
        multi_correct = int((majority_vote_labels(y[multi], data.classes) == data.y_train[multi]).sum())
    # learners that aggregate first (majority vote, Dawid-Skene) train on one label per sample: how good is it, and
    # how many samples with a single label did the aggregation give another class?
    aggregated = getattr(clf, "aggregated_labels_", None)
    training_label_accuracy = lone_labels_changed = None
    if aggregated is not None:
        labelled, lone = n_labels >= 1, n_labels == 1
        training_label_accuracy = float(np.mean(aggregated[labelled] == data.y_train[labelled]))
        lone_labels_changed = int((aggregated[lone] != np.nanmax(y[lone], axis=1)).sum())
    return {
        "arm": arm.key,
        "learner": arm.learner,
        "choice": arm.choice,
        "strategy": arm.strategy,
        "repetition": repetition,
        "cycle": cycle,
        "n_annotations": int(acquired.sum()),
        "n_labelled_samples": int((n_labels >= 1).sum()),
        "cost": float(acquired.sum(axis=0) @ prices),
        "test_accuracy": float(clf.score(data.X_test, data.y_test)),
        "correct_annotation_rate": correct_annotation_rate(y, data.y_train),
        "annotations_per_annotator": acquired.sum(axis=0).tolist(),
        "estimated_accuracy": None if estimate is None else estimate.mean(axis=0).tolist(),
        "best_annotator_share": best_share,
        "second_opinions": opinions[0],
        "second_opinions_first_wrong": opinions[1],
        "multi_labelled": int(multi.sum()),
        "multi_labelled_correct": multi_correct,
        "training_label_accuracy": training_label_accuracy,
        "lone_labels_changed": lone_labels_changed,
    }


def prepare_crowd(data=None, crowd_labels=None, profiles=None):
    """The data, crowd labels, annotator names and true correctness probabilities an experiment runs on.

    Parameters as in :func:`run_experiment`.

    Returns
    -------
    data : DataSplit
    crowd_labels : np.ndarray of shape (n_train, n_annotators)
    names : list of str
    correct_proba : np.ndarray of shape (n_train, n_annotators) or None
        ``None`` when the crowd is not simulated from known profiles.
    """
    data = load_digits_split() if data is None else check_split(data)
    worker_names = None
    if isinstance(crowd_labels, CrowdLabels):  # labels as they arrive: rows must follow data.X_train
        if not np.array_equal(crowd_labels.classes, data.classes):
            raise ValueError(
                f"`crowd_labels` has classes {crowd_labels.classes.tolist()}, `data` {data.classes.tolist()}."
            )
        worker_names = [str(w) for w in crowd_labels.workers]
        crowd_labels = crowd_labels.matrix
    if crowd_labels is None:
        z = simulate_crowd(data.y_train, data.classes, profiles=profiles, X=data.X_train)
    else:
        z = check_crowd_labels(crowd_labels, n_samples=len(data.y_train), allow_missing=True, classes=data.classes)
    if profiles is None and crowd_labels is not None:  # somebody else's crowd: no profiles, no truth
        return data, z, worker_names or [f"A{k + 1}" for k in range(z.shape[1])], None
    names = annotator_names(profiles)
    if len(names) != z.shape[1]:
        raise ValueError(f"`profiles` names {len(names)} annotators but `crowd_labels` has {z.shape[1]}.")
    knows_truth = profiles is None or all(callable(getattr(p, "correct_probability", None)) for p in profiles)
    correct_proba = None
    if knows_truth:
        correct_proba = correct_probabilities(data.y_train, data.classes, profiles, X=data.X_train)
    return data, z, names, correct_proba


def run_experiment(config=None, data=None, crowd_labels=None, profiles=None, **options):
    """Run every arm of ``config`` for every repetition: :func:`run_experiments` with one configuration.

    The (arm, repetition) pairs are independent tasks. With more than one worker they
    run side by side in joblib workers, each with one torch thread; every fit is
    seeded, so the numbers are identical for any ``n_jobs`` and backend.

    Parameters
    ----------
    config : ExperimentConfig or None
        ``None`` reads ``ExperimentConfig.from_environment()``.
    data, crowd_labels, profiles, **options
        As in :func:`run_experiments`: ``device``, ``progress``, ``n_jobs``,
        ``backend``, ``reuse``, ``checkpoint_dir``.

    Returns
    -------
    ExperimentResults
    """
    config = ExperimentConfig.from_environment() if config is None else config
    if not isinstance(config, ExperimentConfig):
        raise TypeError(f"`config` must be an ExperimentConfig, got {type(config).__name__}.")
    (results,) = run_experiments([config], data, crowd_labels, profiles, **options)
    return results


def run_experiments(
    configs,
    data=None,
    crowd_labels=None,
    profiles=None,
    device=None,
    progress=True,
    n_jobs=None,
    backend=None,
    reuse=True,
    checkpoint_dir=None,
):
    """Run several configurations as one grid of (configuration, arm, repetition) tasks.

    All tasks go to the workers at once, longest first, so a grid keeps every worker
    of a machine or cluster busy.

    Parameters
    ----------
    configs : list of ExperimentConfig
        One or more configurations (:func:`run_experiment` takes one).
    data : DataSplit or None
        ``None`` loads the reference split.
    crowd_labels : array-like of shape (n_train, n_annotators), CrowdLabels or None
        ``None`` lets ``profiles`` label the training half (the reference's ``z_train``
        for the default crowd). NaN marks labels a real crowd never gave. A
        :class:`crowdal_utils.data.CrowdLabels` (labels read in the long format)
        whose rows follow ``data.X_train`` also works; its workers name the annotators.
    profiles : sequence of annotator profiles or None
        The crowd; ``None`` means ``default_crowd()``. With ``crowd_labels`` given, the
        profiles those labels were drawn from: they name the annotators and give the
        oracle its truth. ``crowd_labels`` without ``profiles`` is somebody else's
        crowd: annotators are called A1, A2, ... and there is no oracle.
    device : str or None
        ``None`` picks CUDA when available.
    progress : bool
        Progress bars: per cycle when running in this process, per task otherwise.
    n_jobs : int or None, default=None
        joblib workers (-1: one per core). 1 runs everything in this process;
        ``None`` takes ``CROWDAL_N_JOBS`` if set, else one worker per core on a CPU and 1 on a GPU
        (``parallel.default_n_jobs``).
    backend : str, joblib backend or None
        joblib backend, e.g. ``"loky"`` (default), ``"dask"`` with a connected
        ``dask.distributed.Client`` (see the README).
    reuse : bool, default=True
        Save each finished (arm, repetition) under ``<checkpoint folder>/<fingerprint>/``
        (see :mod:`crowdal_utils.experiment.checkpoints`) and load the ones already saved there
        instead of running them again — also those another notebook computed with the same
        settings. ``False``: run everything, keep nothing on disk.
    checkpoint_dir : str, Path or None
        The checkpoint folder; ``None`` (what the notebooks use): ``checkpoints`` in the
        results folder the environment names (``CROWDAL_RESULTS_DIR``).

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
    data, z, names, correct_proba = prepare_crowd(data, crowd_labels, profiles)
    device = check_device(device)
    in_process = runs_in_this_process(n_jobs, backend)
    if not isinstance(reuse, bool):
        raise TypeError(f"`reuse` must be True or False, got {reuse!r}.")
    stores = [None] * len(configs)
    if reuse:
        folder = default_checkpoint_dir() if checkpoint_dir is None else checkpoint_dir
        stores = [experiment_store(folder, c, data, z, names, correct_proba, device) for c in configs]

    tasks = [(k, arm, r) for k, cfg in enumerate(configs) for arm in cfg.arms for r in range(cfg.n_repetitions)]
    done = {}
    for k, arm, repetition in tasks:
        records = stores[k].load(arm.key, repetition) if stores[k] else None
        if records is not None:
            done[k, arm, repetition] = records
    # Longest first: with few tasks per worker, the order decides when the last worker finishes.
    pending = sorted((task for task in tasks if task not in done), key=lambda t: -_task_cost(configs[t[0]], t[1]))
    arguments = [(arm, data, z, configs[k], r, correct_proba, device, progress and in_process) for k, arm, r in pending]
    finished = run_in_parallel(run_repetition, arguments, n_jobs=n_jobs, backend=backend)
    for i, records in progress_bar(
        finished, enabled=progress and not in_process, total=len(pending), desc="(arm, repetition) runs"
    ):
        k, arm, repetition = pending[i]
        if stores[k]:
            stores[k].save(arm.key, repetition, records)
        done[pending[i]] = records
    return [
        ExperimentResults(
            config.to_dict(),
            [record for (j, arm, rep) in tasks if j == k for record in done[j, arm, rep]],
            names,
        )
        for k, config in enumerate(configs)
    ]


def experiment_store(checkpoint_dir, config, data, crowd_labels, names, correct_proba, device):
    """The :class:`CheckpointStore` where ``config``'s runs on this crowd are (or will be) saved."""
    return CheckpointStore(
        checkpoint_dir, describe_experiment(config, data, crowd_labels, names, check_device(device), correct_proba)
    )


def experiment_checkpoints(checkpoint_dir, config, data=None, crowd_labels=None, profiles=None, device=None):
    """Paths of the checkpoint files of every (arm, repetition) of ``config``, whether they exist yet or not."""
    data, z, names, correct_proba = prepare_crowd(data, crowd_labels, profiles)
    store = experiment_store(checkpoint_dir, config, data, z, names, correct_proba, device)
    return [store.path(arm.key, r) for arm in config.arms for r in range(config.n_repetitions)]


def _task_cost(config, arm):
    """Relative training time of one repetition: samples trained over all cycles times the learner's cost."""
    samples_trained = config.query_batch_size * config.n_cycles * (config.n_cycles + 1) / 2
    return get_learner(arm.learner).relative_cost * config.max_epochs * samples_trained


def load_or_run_fast(path, progress=True, n_jobs=None, config=None):
    """Load the results at ``path``; without a file there, say so and run a fast configuration.

    Parameters
    ----------
    path : str or Path
        A relative path is taken inside the results folder (:func:`crowdal_utils.experiment.results_dir`).
    progress : bool
    n_jobs : int or None
        As in :func:`run_experiments`.
    config : ExperimentConfig or None
        What to run without a file; ``None``: ``ExperimentConfig.fast()``.

    Returns
    -------
    results : ExperimentResults
    source : str
        One sentence saying where the results come from, to print.
    """
    path = in_results_dir(path)
    if path.is_file():
        results = ExperimentResults.load(path)
        return results, f"Loaded {path} (configuration {results.config})."
    config = ExperimentConfig.fast() if config is None else config
    print(
        f"No results file at {path}. The notebook that writes it (or `make run`) makes it in the full "
        "configuration. Meanwhile this runs a fast configuration (benchmarks/README.md lists how long each takes); "
        "its curves are shorter and noisier than the lesson's."
    )
    results = run_experiment(config, progress=progress, n_jobs=n_jobs)
    shape = f"{config.n_repetitions} repetitions x {config.n_cycles} cycles"
    return results, f"Computed just now with a fast configuration ({shape}); not saved."
