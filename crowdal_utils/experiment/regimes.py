"""How many labels per sample: fits on a fixed set of crowd labels, outside the active-learning loop.

A learner that models every annotator needs enough labels to pin its model down. The active-learning loop buys one
label per sample; :func:`draw_partial_labels` draws the labels of other regimes (several annotators per sample, the
same number of labels in all), and :func:`compare_in_regimes` fits learners on the same draws, seed by seed.
"""

import numpy as np

from .._validation import check_int
from ..data.digits import check_split
from ..learners.registry import get_learner
from .parallel import run_in_parallel


def draw_partial_labels(z, n_samples, labels_per_sample, random_state):
    """Keep ``labels_per_sample`` labels from distinct random annotators on ``n_samples`` random samples.

    Parameters
    ----------
    z : np.ndarray of shape (n_train, n_annotators)
        Every annotator's label for every training sample (``simulate_crowd``).
    n_samples : int in [1, n_train]
    labels_per_sample : int in [1, n_annotators]
    random_state : int >= 0

    Returns
    -------
    np.ndarray of shape (n_train, n_annotators)
        ``z`` where kept, NaN elsewhere.
    """
    z = np.asarray(z, dtype=float)
    if z.ndim != 2:
        raise ValueError(f"`z` must have shape (n_train, n_annotators), got {z.shape}.")
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    labels_per_sample = check_int(labels_per_sample, "labels_per_sample", minimum=1)
    if n_samples > z.shape[0]:
        raise ValueError(f"`n_samples` must be at most the {z.shape[0]} samples of `z`, got {n_samples}.")
    if labels_per_sample > z.shape[1]:
        raise ValueError(
            f"`labels_per_sample` must be at most the {z.shape[1]} annotators of `z`, got {labels_per_sample}."
        )
    rng = np.random.default_rng(check_int(random_state, "random_state", minimum=0))
    y = np.full(z.shape, np.nan)
    for i in rng.choice(z.shape[0], n_samples, replace=False):
        who = rng.choice(z.shape[1], labels_per_sample, replace=False)
        y[i, who] = z[i, who]
    return y


def _fit_one(learner, data, y, seed, max_epochs):
    from ..learners.factory import make_learner
    from ..learners.fit_checkpoints import train_and_score

    classifier = make_learner(learner, data.classes, y.shape[1], seed, max_epochs=max_epochs)
    return train_and_score(classifier, data, y, seed, reuse=False)  # one fit per call: nothing to keep


def compare_in_regimes(learners, data, z, regimes, seeds=(0, 1, 2), max_epochs=100, n_jobs=None):
    """Test accuracy of every learner, in every regime, for every seed, on the same draws of labels.

    For each regime and seed, :func:`draw_partial_labels` draws the labels once (seeded by the seed) and every
    learner is fitted on them with torch seeded by the same seed (``learners.fit_seeded``).

    Parameters
    ----------
    learners : sequence of str
        Names of crowd learners (``crowdal_utils.learners.LEARNERS``).
    data : DigitsSplit
    z : np.ndarray of shape (n_train, n_annotators)
    regimes : sequence of (n_samples, labels_per_sample)
    seeds : sequence of int >= 0
    max_epochs : int >= 1
    n_jobs : int or None, default=None
        Fits run side by side (``None``: one worker per core); the numbers do not depend on it.

    Returns
    -------
    pandas.DataFrame
        One row per (regime, learner) with index levels "regime" ("107 x 3") and "learner" (display name), one
        column per seed.
    """
    import pandas as pd

    check_split(data)
    learners = [get_learner(name, "learners") for name in learners]
    if any(learner.trains_on != "crowd" for learner in learners):
        raise ValueError("`learners` must be crowd learners; the true-labels ceiling takes no crowd labels.")
    regimes = [(check_int(n, "regimes", minimum=1), check_int(k, "regimes", minimum=1)) for n, k in regimes]
    seeds = [check_int(seed, "seeds", minimum=0) for seed in seeds]
    if not learners or not regimes or not seeds:
        raise ValueError("`learners`, `regimes` and `seeds` must each hold at least one entry.")
    tasks, keys = [], []
    for n_samples, k in regimes:
        for seed in seeds:
            y = draw_partial_labels(z, n_samples, k, seed)
            for learner in learners:
                tasks.append((learner.name, data, y, seed, max_epochs))
                keys.append((f"{n_samples} x {k}", learner.display_name, seed))
    scores = dict(run_in_parallel(_fit_one, tasks, n_jobs=n_jobs))
    table = {}
    for index, (regime, learner, seed) in enumerate(keys):
        table.setdefault((regime, learner), {})[f"seed {seed}"] = scores[index]
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["regime", "learner"])
    return frame
