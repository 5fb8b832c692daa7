"""Comparing arms fairly: paired differences over repetitions, effect decompositions, estimate quality.

All arms of an experiment share their repetitions' seeds and first batch, so the
natural comparison is *paired*: the difference of two arms' curve means in each
repetition, then the mean and spread of those differences. A difference whose 95 %
confidence interval (Student's t over the repetitions) contains zero is reported as
within noise.

This module imports neither torch nor scikit-activeml.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ..experiment.config import Arm, as_arm
from ..experiment.results import METRICS, ExperimentResults


@dataclass(frozen=True)
class PairedDifference:
    """Arm A minus arm B, repetition by repetition.

    Attributes
    ----------
    per_repetition : np.ndarray of shape (n_repetitions,)
        Difference of the two arms' curve means in each repetition.
    mean, std : float
        Mean and standard deviation (ddof=1; NaN with one repetition) of ``per_repetition``.
    low, high : float
        95 % confidence interval of the mean (Student's t; NaN with one repetition).
    """

    per_repetition: np.ndarray
    mean: float
    std: float
    low: float
    high: float

    @property
    def within_noise(self):
        """True when the confidence interval contains 0 (or cannot be computed)."""
        return not (self.low > 0 or self.high < 0)

    def __str__(self):
        if self.per_repetition.size == 1:
            return f"{self.mean:+.3f} (one repetition: no spread, no noise estimate)"
        if not self.per_repetition.any():
            return "0 (identical in every repetition)"
        noise = " (within noise)" if self.within_noise else ""
        return f"{self.mean:+.3f} ± {self.std:.3f}{noise}"


def paired_difference(results, arm_a, arm_b, metric, results_b=None):
    """:class:`PairedDifference` of the curve means of ``arm_a`` minus ``arm_b`` for ``metric``.

    ``results_b`` holds ``arm_b`` when it ran in another experiment on the same data
    and crowd (e.g. with another gold share); repetitions are paired by their index,
    which seeds them. ``None``: both arms are in ``results``.
    """
    _check_results(results)
    other = results if results_b is None else results_b
    _check_results(other)
    if other.config["n_repetitions"] != results.config["n_repetitions"]:
        raise ValueError("`results` and `results_b` must have the same number of repetitions to be paired.")
    diff = results.curve_means(arm_a, metric) - other.curve_means(arm_b, metric)
    n = diff.size
    mean = float(diff.mean())
    if n < 2:
        return PairedDifference(diff, mean, float("nan"), float("nan"), float("nan"))
    std = float(diff.std(ddof=1))
    half = float(stats.t.ppf(0.975, n - 1) * std / np.sqrt(n))
    return PairedDifference(diff, mean, std, mean - half, mean + half)


def decomposition_arms(learner, baseline=("majority-vote", "random"), strategy="random"):
    """The arm pairs of the decomposition for ``learner``.

    ``total = model + choice``, term by term in every repetition:
    model (learner asking at random - baseline), choice (learner asking by its own
    estimate - learner asking at random); and the gaps left: to the oracle's choice
    of annotator, and to a learner trained on the true labels of the same samples.
    """
    own, rand, oracle = (Arm(learner, c, strategy) for c in ("own-estimate", "random", "oracle"))
    base, truth = as_arm(baseline), Arm("true-labels", "random", strategy)
    return {
        "total": (own, base),
        "model": (rand, base),
        "choice": (own, rand),
        "gap to oracle": (oracle, own),
        "gap to true labels": (truth, own),
    }


def decompose(results, learner, metric, baseline=("majority-vote", "random")):
    """``{part: PairedDifference}`` for the parts of :func:`decomposition_arms` whose arms ``results`` has.

    The gap to the true labels is a gap in test accuracy only: the true-labels learner
    never sees the crowd's labels, so its correct-annotation rate means nothing.
    """
    _check_results(results)
    present = set(results.arms)
    parts = decomposition_arms(learner, baseline)
    if metric == "correct_annotation_rate":
        del parts["gap to true labels"]
    return {
        part: paired_difference(results, a, b, metric)
        for part, (a, b) in parts.items()
        if a.key in present and b.key in present
    }


def decomposition_table(results, metric, learners=None, baseline=("majority-vote", "random")):
    """The decomposition of every learner as a pandas DataFrame: one row per learner, one column per part.

    Cells hold strings like ``"+0.052 ± 0.011"``, marked "(within noise)" when the
    95 % interval contains 0.
    """
    import pandas as pd

    _check_results(results)
    if metric not in METRICS:
        raise ValueError(f"`metric` must be one of {sorted(METRICS)}, got {metric!r}.")
    if learners is None:
        learners = [a.learner for a in map(Arm.from_key, results.arms) if a.choice == "own-estimate"]
        learners = list(dict.fromkeys(learners))
    rows = {}
    for learner in learners:
        parts = decompose(results, learner, metric, baseline)
        rows[Arm(learner).label.split(" · ")[0]] = {part: str(diff) for part, diff in parts.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


#: The 2 x 2 inside the model effect: how the crowd's labels are used x whether training mixes samples (MixUp).
#: Every arm asks random annotators, so all four train on the same labels of the same samples.
REGULARISATION_ARMS = {
    ("vote", "no MixUp"): Arm("majority-vote"),
    ("vote", "MixUp"): Arm("majority-vote-mixup"),
    ("annotator model", "no MixUp"): Arm("annot-mix-no-mixup"),
    ("annotator model", "MixUp"): Arm("annot-mix"),
}


def _check_regularisation_arms(results):
    _check_results(results)
    missing = [arm.key for arm in REGULARISATION_ARMS.values() if arm.key not in results.arms]
    if missing:
        raise ValueError(f"`results` lacks the arms {missing} that split the model effect.")


def split_model_effect(results, metric="test_accuracy"):
    """Annot-Mix's model effect (Annot-Mix - majority vote, both asking random annotators), split in two.

    Annot-Mix differs from majority vote in two ways at once: it models each
    annotator instead of voting, and it trains with MixUp. The four arms of
    :data:`REGULARISATION_ARMS` cross the two, so each ingredient is measured twice,
    with and without the other.

    Returns
    -------
    dict of str -> PairedDifference
        ``"model effect (both)"``, ``"annotator model, without MixUp"``,
        ``"annotator model, with MixUp"``, ``"MixUp, on the vote"`` and
        ``"MixUp, in Annot-Mix"``.
    """
    _check_regularisation_arms(results)
    arm = REGULARISATION_ARMS
    pairs = {
        "model effect (both)": (arm["annotator model", "MixUp"], arm["vote", "no MixUp"]),
        "annotator model, without MixUp": (arm["annotator model", "no MixUp"], arm["vote", "no MixUp"]),
        "annotator model, with MixUp": (arm["annotator model", "MixUp"], arm["vote", "MixUp"]),
        "MixUp, on the vote": (arm["vote", "MixUp"], arm["vote", "no MixUp"]),
        "MixUp, in Annot-Mix": (arm["annotator model", "MixUp"], arm["annotator model", "no MixUp"]),
    }
    return {part: paired_difference(results, a, b, metric) for part, (a, b) in pairs.items()}


def regularisation_table(results, metric="test_accuracy"):
    """The 2 x 2 of :data:`REGULARISATION_ARMS` as a pandas DataFrame of curve means (mean over repetitions)."""
    import pandas as pd

    _check_regularisation_arms(results)
    if metric not in METRICS:
        raise ValueError(f"`metric` must be one of {sorted(METRICS)}, got {metric!r}.")
    table = {}
    for (labels, training), arm in REGULARISATION_ARMS.items():
        row = "majority vote" if labels == "vote" else "Annot-Mix's annotator model"
        table.setdefault(row, {})[training] = f"{results.curve_means(arm, metric).mean():.3f}"
    return pd.DataFrame.from_dict(table, orient="index")


def label_allocation(results, arm):
    """Who got the labels, repetition by repetition, at the last cycle.

    Returns
    -------
    counts : np.ndarray of shape (n_repetitions, n_annotators)
        Labels each annotator gave in each repetition.
    top : np.ndarray of shape (n_repetitions,)
        Index of the annotator who gave the most labels in each repetition.
    top_share : np.ndarray of shape (n_repetitions,)
        That annotator's share of the repetition's labels.
    """
    _check_results(results)
    counts = results.annotations_per_annotator(arm)[:, -1]
    top = counts.argmax(axis=1)
    return counts, top, counts.max(axis=1) / counts.sum(axis=1)


def allocation_table(results, arms):
    """:func:`label_allocation` of several arms as text: per arm and repetition, the top annotator and its share."""
    _check_results(results)
    arms = [as_arm(a, "arms") for a in arms]
    n_reps = results.config["n_repetitions"]
    width = max(len(arm.label) for arm in arms) + 2
    lines = [f"{'most-asked annotator (share)':<{width}}" + "".join(f"{'rep ' + str(r):>12}" for r in range(n_reps))]
    for arm in arms:
        _, top, share = label_allocation(results, arm)
        cells = [f"{results.annotator_names[t].split()[0]} ({s:.0%})" for t, s in zip(top, share, strict=True)]
        lines.append(f"{arm.label:<{width}}" + "".join(f"{c:>12}" for c in cells))
    return "\n".join(lines)


def last_cycle_share(results, arm, part, whole):
    """``part`` over ``whole`` at the last cycle, summed over repetitions (e.g. second opinions over labels).

    ``part`` and ``whole`` are per-cycle values of ``results.values`` (cumulative counts such as
    ``"second_opinions"`` and ``"n_annotations"``). Returns a float, NaN when ``whole`` sums to 0.
    """
    _check_results(results)
    whole_sum = results.values(arm, whole)[:, -1].sum()
    return float(results.values(arm, part)[:, -1].sum() / whole_sum) if whole_sum else float("nan")


def second_opinion_table(results):
    """Per arm, as text: the share of labels that were second opinions, and how often the vote of a sample with
    two or more labels is right ("-" where no sample has two), at the last cycle, all repetitions together."""
    _check_results(results)
    width = max(len(results.label(arm)) for arm in results.arms) + 2
    lines = [f"{'':<{width}}{'second opinions':>16}{'vote right on samples with 2+ labels':>40}"]
    for arm in results.arms:
        share = last_cycle_share(results, arm, "second_opinions", "n_annotations")
        right = last_cycle_share(results, arm, "multi_labelled_correct", "multi_labelled")
        lines.append(f"{results.label(arm):<{width}}{share:>16.0%}{'-' if np.isnan(right) else f'{right:.0%}':>40}")
    return "\n".join(lines)


def estimate_error(results, arm, true_accuracy):
    """Mean absolute error of the learner's per-annotator accuracy estimate after each cycle.

    Parameters
    ----------
    results : ExperimentResults
    arm : an arm whose learner estimates annotators
    true_accuracy : array-like of shape (n_annotators,)
        Each annotator's true accuracy (e.g. ``metrics.annotator_accuracies``).

    Returns
    -------
    np.ndarray of shape (n_repetitions, n_cycles)
    """
    _check_results(results)
    estimates = results.estimated_accuracy(arm)
    if estimates is None:
        raise ValueError(f"`arm` {as_arm(arm).key!r} has no estimate of the annotators.")
    true_accuracy = np.asarray(true_accuracy, dtype=float)
    if true_accuracy.shape != estimates.shape[-1:]:
        raise ValueError(f"`true_accuracy` must have shape {estimates.shape[-1:]}, got {true_accuracy.shape}.")
    return np.abs(estimates - true_accuracy).mean(axis=-1)


def _check_results(results):
    if not isinstance(results, ExperimentResults):
        raise TypeError(f"`results` must be an ExperimentResults, got {type(results).__name__}.")


def cumulative_regret(results, arm):
    """Labels that did not go to the truly best annotator for their sample, summed up to each cycle.

    The bandit's regret against the oracle, counted in labels: from each cycle's
    ``best_annotator_share`` (share of that cycle's labels asked of the annotator most
    likely to be right about the sample) and the labels bought in the cycle. Needs a
    simulated crowd (the truth of who is best).

    Returns
    -------
    np.ndarray of shape (n_repetitions, n_cycles)
    """
    _check_results(results)
    share = results.values(arm, "best_annotator_share")
    if not np.isfinite(share).all():
        raise ValueError(f"`arm` {as_arm(arm).key!r} has no record of who was best: a simulated crowd is needed.")
    bought = np.diff(results.values(arm, "n_annotations"), axis=1, prepend=0)
    return np.cumsum((1 - share) * bought, axis=1)


def gold_effects(gold_results, results, arms, true_accuracy, reference=None):
    """What gold tasks buy: each arm of the gold experiments against a learner without gold, share by share.

    Parameters
    ----------
    gold_results : mapping {gold share: ExperimentResults}
        Experiments with gold tasks (``ExperimentConfig.gold_share``) on the data and crowd of ``results``.
    results : ExperimentResults
        The experiment without gold, with as many repetitions (they are paired by index).
    arms : sequence of arms of the gold experiments
    true_accuracy : array-like of shape (n_annotators,)
        Each annotator's true accuracy, for the estimate errors.
    reference : mapping {arm: arm of ``results``} or None
        What each arm is compared with (e.g. the gold record's choice with greedy choice); by default the same arm.

    Returns
    -------
    pandas.DataFrame
        One row per (arm, gold share), in the order given: ``arm`` (display label), ``gold share``, ``difference``
        (:class:`PairedDifference` of test accuracy, curve means, arm minus reference), ``estimate error`` and
        ``without gold`` (the learner's mean absolute estimate error after the last cycle, mean over repetitions).
    """
    import pandas as pd

    _check_results(results)
    reference = {as_arm(a).key: as_arm(b) for a, b in (reference or {}).items()}
    rows = []
    for arm in (as_arm(a, "arms") for a in arms):
        against = reference.get(arm.key, arm)
        without = estimate_error(results, against, true_accuracy)[:, -1].mean()
        for share, gold in gold_results.items():
            rows.append(
                {
                    "arm": gold.label(arm.key),
                    "gold share": share,
                    "difference": paired_difference(gold, arm, against, "test_accuracy", results_b=results),
                    "estimate error": estimate_error(gold, arm, true_accuracy)[:, -1].mean(),
                    "without gold": without,
                }
            )
    return pd.DataFrame(rows)
