"""Comparing arms fairly: paired differences over repetitions, effect decompositions, estimate quality.

All arms of an experiment share their repetitions' seeds and first batch, so the
natural comparison is *paired*: the difference of two arms in each repetition, then
the mean and spread of those differences. A difference whose 95 % confidence
interval (Student's t over the repetitions) contains zero is reported as within
noise.

Each repetition's learning curve is first summarised by one number, in one of two
ways (:data:`SUMMARIES`): its **curve mean**, which weighs the first cycle like the
last and answers "how good along the way", or its **last cycle**, which answers "how
good in the end". Where arms differ early and converge, the two disagree; every
comparison the lessons draw shows both (:func:`compare_arms`, :func:`difference_table`).

This module imports neither torch nor scikit-activeml.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ..experiment.config import Arm, as_arm
from ..experiment.results import METRICS, ExperimentResults

#: How a repetition's learning curve becomes one number before two arms are compared: the mean over its cycles
#: ("how good along the way") or its last cycle ("how good in the end").
SUMMARIES = ("curve mean", "last cycle")


@dataclass(frozen=True)
class PairedDifference:
    """Arm A minus arm B, repetition by repetition.

    Attributes
    ----------
    per_repetition : np.ndarray of shape (n_repetitions,)
        Difference of the two arms' summaries (``at``) in each repetition.
    mean, std : float
        Mean and standard deviation (ddof=1; NaN with one repetition) of ``per_repetition``.
    low, high : float
        95 % confidence interval of the mean (Student's t; NaN with one repetition).
    at : str
        How each repetition's curve was summarised, one of :data:`SUMMARIES`.
    """

    per_repetition: np.ndarray
    mean: float
    std: float
    low: float
    high: float
    at: str = "curve mean"

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


def summarise(results, arm, metric, at="curve mean"):
    """Each repetition's learning curve of ``metric`` as one number, shape (n_repetitions,).

    ``at="curve mean"``: the mean over the cycles; ``"last cycle"``: the value after the last cycle.
    """
    _check_results(results)
    if at not in SUMMARIES:
        raise ValueError(f"`at` must be one of {SUMMARIES}, got {at!r}.")
    curves = results.curves(arm, metric)
    return curves.mean(axis=1) if at == "curve mean" else curves[:, -1]


def cycle_differences(results, arm_a, arm_b, metric, results_b=None):
    """``arm_a`` minus ``arm_b`` for ``metric`` in every repetition and cycle, shape (n_repetitions, n_cycles).

    ``results_b`` holds ``arm_b`` when it ran in another experiment on the same data
    and crowd (e.g. with gold tasks); repetitions are paired by their index, which
    seeds them. ``None``: both arms are in ``results``.
    """
    _check_results(results)
    other = results if results_b is None else results_b
    _check_results(other)
    if other.config["n_repetitions"] != results.config["n_repetitions"]:
        raise ValueError("`results` and `results_b` must have the same number of repetitions to be paired.")
    return results.curves(arm_a, metric) - other.curves(arm_b, metric)


def paired_difference(results, arm_a, arm_b, metric, results_b=None, at="curve mean"):
    """:class:`PairedDifference` of ``arm_a`` minus ``arm_b`` for ``metric``, repetition by repetition.

    ``at`` says how each repetition's curve is summarised first (:data:`SUMMARIES`):
    its mean over the cycles, or its last cycle; ``results_b`` as in
    :func:`cycle_differences`.
    """
    if at not in SUMMARIES:
        raise ValueError(f"`at` must be one of {SUMMARIES}, got {at!r}.")
    cycles = cycle_differences(results, arm_a, arm_b, metric, results_b)
    diff = cycles.mean(axis=1) if at == "curve mean" else cycles[:, -1]
    n = diff.size
    mean = float(diff.mean())
    if n < 2:
        return PairedDifference(diff, mean, float("nan"), float("nan"), float("nan"), at)
    std = float(diff.std(ddof=1))
    half = float(stats.t.ppf(0.975, n - 1) * std / np.sqrt(n))
    return PairedDifference(diff, mean, std, mean - half, mean + half, at)


def cycle_table(differences):
    """:func:`cycle_differences` of several comparisons as a pandas DataFrame: one row per comparison, one column per
    cycle, each cell the mean difference and in how many repetitions it is positive, e.g. ``"+0.132 (5/5)"``.

    ``differences`` maps a row label (str or tuple) to an array of shape (n_repetitions, n_cycles).
    """
    import pandas as pd

    rows = {}
    for label, diff in differences.items():
        diff = np.asarray(diff, dtype=float)
        if diff.ndim != 2:
            raise ValueError(f"`differences[{label!r}]` must have shape (n_repetitions, n_cycles), got {diff.shape}.")
        rows[label] = {
            f"cycle {c + 1}": f"{column.mean():+.3f} ({(column > 0).sum()}/{column.size})"
            for c, column in enumerate(diff.T)
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    if rows and all(isinstance(label, tuple) for label in rows):
        table.index = pd.MultiIndex.from_tuples(list(rows))
    return table


def compare_arms(results, arm_a, arm_b, metric, results_b=None):
    """``arm_a`` minus ``arm_b`` both ways: ``{"curve mean": PairedDifference, "last cycle": PairedDifference}``.

    Arguments as in :func:`paired_difference`.
    """
    return {at: paired_difference(results, arm_a, arm_b, metric, results_b, at) for at in SUMMARIES}


def agreement(curve_mean, last_cycle):
    """What the two summaries of one comparison say together, in words.

    ``"the same"`` (both outside the noise with the same sign, or both within it),
    ``"opposite signs"`` (at least one outside the noise), or ``"only the curve mean is
    outside the noise"`` (or the last cycle).
    """
    if curve_mean.mean * last_cycle.mean < 0 and not (curve_mean.within_noise and last_cycle.within_noise):
        return "opposite signs"
    if curve_mean.within_noise != last_cycle.within_noise:
        clear = "curve mean" if not curve_mean.within_noise else "last cycle"
        return f"only the {clear} is outside the noise"
    return "the same"


def difference_table(comparisons, per_repetition=False):
    """Paired differences as a pandas DataFrame: one row per comparison, curve mean beside last cycle.

    Parameters
    ----------
    comparisons : mapping {row label (str or tuple): {"curve mean": PairedDifference, "last cycle": PairedDifference}}
        E.g. ``{name: compare_arms(...)}``; tuple labels make a multi-level index.
    per_repetition : bool
        Also show each summary's difference in every repetition (rounded to 3 digits).

    Returns
    -------
    pandas.DataFrame
        Columns ``curve mean`` and ``last cycle`` ("mean ± sd", marked "(within noise)"),
        with ``per repetition`` after each when asked, and ``the two say``
        (:func:`agreement`).
    """
    import pandas as pd

    rows = {}
    for label, by_summary in comparisons.items():
        if not isinstance(by_summary, dict) or set(by_summary) != set(SUMMARIES):
            raise ValueError(f"`comparisons[{label!r}]` must map {SUMMARIES} to PairedDifference objects.")
        row = {}
        for at in SUMMARIES:
            row[at] = str(by_summary[at])
            if per_repetition:
                row[f"{at}, per repetition"] = " ".join(f"{v:+.3f}" for v in by_summary[at].per_repetition)
        row["the two say"] = agreement(by_summary["curve mean"], by_summary["last cycle"])
        rows[label] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    if rows and all(isinstance(label, tuple) for label in rows):
        table.index = pd.MultiIndex.from_tuples(list(rows))
    return table


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


def decompose(results, learner, metric, baseline=("majority-vote", "random"), at="curve mean"):
    """``{part: PairedDifference}`` for the parts of :func:`decomposition_arms` whose arms ``results`` has.

    ``at`` as in :func:`paired_difference`: both summaries decompose exactly. The gap to
    the true labels is a gap in test accuracy only: the true-labels learner never sees
    the crowd's labels, so its correct-annotation rate means nothing.
    """
    _check_results(results)
    present = set(results.arms)
    parts = decomposition_arms(learner, baseline)
    if metric == "correct_annotation_rate":
        del parts["gap to true labels"]
    return {
        part: paired_difference(results, a, b, metric, at=at)
        for part, (a, b) in parts.items()
        if a.key in present and b.key in present
    }


def decomposition_table(results, metric, learners=None, baseline=("majority-vote", "random")):
    """The decomposition of every learner, curve mean beside last cycle: :func:`difference_table` of its parts.

    One row per (learner, part); cells hold strings like ``"+0.052 ± 0.011"``, marked
    "(within noise)" when the 95 % interval contains 0.
    """
    _check_results(results)
    if metric not in METRICS:
        raise ValueError(f"`metric` must be one of {sorted(METRICS)}, got {metric!r}.")
    if learners is None:
        learners = [a.learner for a in map(Arm.from_key, results.arms) if a.choice == "own-estimate"]
        learners = list(dict.fromkeys(learners))
    comparisons = {}
    for learner in learners:
        by_summary = {at: decompose(results, learner, metric, baseline, at) for at in SUMMARIES}
        for part in by_summary["curve mean"]:
            comparisons[Arm(learner).label.split(" · ")[0], part] = {at: by_summary[at][part] for at in SUMMARIES}
    return difference_table(comparisons)


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


def split_model_effect(results, metric="test_accuracy", at="curve mean"):
    """Annot-Mix's model effect (Annot-Mix - majority vote, both asking random annotators), split in two.

    Annot-Mix differs from majority vote in two ways at once: it models each
    annotator instead of voting, and it trains with MixUp. The four arms of
    :data:`REGULARISATION_ARMS` cross the two, so each ingredient is measured twice,
    with and without the other.

    ``at`` as in :func:`paired_difference`.

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
    return {part: paired_difference(results, a, b, metric, at=at) for part, (a, b) in pairs.items()}


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


def training_label_table(results, arms):
    """What an aggregating learner trains on, per arm and repetition, as a pandas DataFrame.

    Majority vote and Dawid–Skene first turn the crowd's labels into one label per
    sample and train the network on those. Columns: ``bought right`` (share of the
    acquired labels that are right: the correct-annotation rate) and ``trained on
    right`` (share of labelled samples whose aggregated label is right), both as curve
    means; ``lone labels changed`` in the first and the last cycle (samples with a
    single label that the aggregation gave another class); ``most asked`` (the
    annotator with the most labels at the last cycle). Arms whose learner trains on
    the raw labels (Annot-Mix, CrowdLayer) have no aggregated labels: ``ValueError``.
    """
    import pandas as pd

    _check_results(results)
    rows = {}
    for arm in (as_arm(a, "arms") for a in arms):
        trained = results.values(arm, "training_label_accuracy")
        if np.isnan(trained).any():
            raise ValueError(f"`arms`: {arm.key!r} trains on the raw labels, not on one aggregated label per sample.")
        bought = results.values(arm, "correct_annotation_rate")
        changed = results.values(arm, "lone_labels_changed")
        _, top, share = label_allocation(results, arm)
        for r in range(len(trained)):
            rows[arm.label, r] = {
                "bought right": bought[r].mean(),
                "trained on right": trained[r].mean(),
                "lone labels changed, cycle 1": int(changed[r, 0]),
                "... last cycle": int(changed[r, -1]),
                "most asked": f"{results.annotator_names[top[r]].split()[0]} ({share[r]:.0%})",
            }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(list(rows), names=["arm", "repetition"])
    return table


def last_cycle_share(results, arm, part, whole):
    """``part`` over ``whole`` at the last cycle, summed over repetitions (e.g. second opinions over labels).

    ``part`` and ``whole`` are per-cycle values of ``results.values`` (cumulative counts such as
    ``"second_opinions"`` and ``"n_annotations"``). Returns a float, NaN when ``whole`` sums to 0.
    """
    _check_results(results)
    whole_sum = results.values(arm, whole)[:, -1].sum()
    return float(results.values(arm, part)[:, -1].sum() / whole_sum) if whole_sum else float("nan")


def second_opinion_table(results):
    """Per arm, as text, at the last cycle and all repetitions together: the share of labels that were second
    opinions, the share of those asked about a sample whose first label was wrong, and how often the vote of a sample
    with two or more labels is right ("-" where there is none)."""
    _check_results(results)
    width = max(len(results.label(arm)) for arm in results.arms) + 2
    columns = ("second opinions", "... first label wrong", "vote right, 2+ labels")
    lines = [f"{'':<{width}}" + "".join(f"{c:>24}" for c in columns)]
    for arm in results.arms:
        shares = (
            last_cycle_share(results, arm, "second_opinions", "n_annotations"),
            last_cycle_share(results, arm, "second_opinions_first_wrong", "second_opinions"),
            last_cycle_share(results, arm, "multi_labelled_correct", "multi_labelled"),
        )
        lines.append(
            f"{results.label(arm):<{width}}" + "".join(f"{'-' if np.isnan(v) else f'{v:.0%}':>24}" for v in shares)
        )
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
        One row per (arm, gold share), in the order given: ``arm`` (display label), ``gold share``, ``curve mean``
        and ``last cycle`` (:class:`PairedDifference` of test accuracy, arm minus reference), ``estimate error`` and
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
                    **compare_arms(gold, arm, against, "test_accuracy", results_b=results),
                    "estimate error": estimate_error(gold, arm, true_accuracy)[:, -1].mean(),
                    "without gold": without,
                }
            )
    return pd.DataFrame(rows)
