"""Figures of notebook 08: what exploring costs and buys, cycle by cycle.

Every function returns a matplotlib Figure (nothing is shown or saved).
"""

import matplotlib.pyplot as plt
import numpy as np

from .._validation import check_probabilities
from ..evaluation.analysis import cumulative_regret, estimate_error
from ..experiment.config import as_arm
from ..experiment.results import ExperimentResults
from .style import _check_mapping, _integer_ticks, arm_style


def plot_exploration(results_by_crowd, arms, true_accuracy_by_crowd, title=None):
    """Per crowd (rows): test accuracy, cumulative regret and error of the learner's annotator estimate per cycle.

    Parameters
    ----------
    results_by_crowd : mapping {crowd name: ExperimentResults}
        Each holds every arm of ``arms`` (a simulated crowd: the regret needs the truth).
    arms : sequence of arms
        Lines of every panel, one colour and marker per way of choosing annotators
        (``style.CHOICE_COLOURS``); the estimate-error panel leaves out arms whose
        learner makes no estimate, and draws the oracle's learner too (it estimates the
        annotators from the labels the oracle chose).
    true_accuracy_by_crowd : mapping {crowd name: array-like of shape (n_annotators,)}
        Each annotator's true accuracy, for the estimate error.
    title : str or None
        Drawn above the panels' own titles.

    Lines are means over the repetitions; regret counts the labels that did not go to
    the truly best annotator for their sample (``analysis.cumulative_regret``).
    """
    results_by_crowd = _check_mapping(results_by_crowd, "results_by_crowd")
    true_accuracy_by_crowd = _check_mapping(true_accuracy_by_crowd, "true_accuracy_by_crowd")
    arms = [as_arm(a, "arms") for a in arms]
    fig, axes = plt.subplots(
        len(results_by_crowd), 3, figsize=(14, 3.6 * len(results_by_crowd) + 0.8), squeeze=False, sharex=True
    )
    for row, (crowd, results) in zip(axes, results_by_crowd.items(), strict=True):
        if not isinstance(results, ExperimentResults):
            raise TypeError(f"`results_by_crowd[{crowd!r}]` must be an ExperimentResults, got {type(results)}.")
        if crowd not in true_accuracy_by_crowd:
            raise ValueError(f"`true_accuracy_by_crowd` has no entry for crowd {crowd!r}.")
        truth = check_probabilities(true_accuracy_by_crowd[crowd], f"true_accuracy_by_crowd[{crowd!r}]")
        x = np.arange(1, results.config["n_cycles"] + 1)
        for arm in arms:
            style, label = arm_style(arm, marker_by="choice", colour_by="choice"), results.label(arm.key)
            row[0].plot(x, results.curves(arm.key, "test_accuracy").mean(axis=0), ms=5, label=label, **style)
            row[1].plot(x, cumulative_regret(results, arm.key).mean(axis=0), ms=5, **style)
            if results.estimated_accuracy(arm.key) is not None:
                row[2].plot(x, estimate_error(results, arm.key, truth).mean(axis=0), ms=5, **style)
        row[0].set_ylabel(f"{crowd} crowd\ntest accuracy")
        row[1].set_ylabel("labels not asked of the best annotator")
        row[2].set_ylabel("mean |estimated - true accuracy|")
        row[2].set_ylim(bottom=0)
        for ax in row:
            ax.grid(True, alpha=0.3)
            _integer_ticks(ax, x)
    axes[0, 0].set_title("Test accuracy")
    axes[0, 1].set_title("Cumulative regret (labels)")
    axes[0, 2].set_title("Error of the learner's annotator estimate")
    for ax in axes[-1]:
        ax.set_xlabel("cycle")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=9, frameon=False)
    top = 1.0
    if title is not None:
        fig.suptitle(title, fontsize=12)
        top = 1 - 0.5 / fig.get_figheight()  # half an inch for the title
    fig.tight_layout(rect=(0, 0.1 if len(labels) > 4 else 0.06, 1, top))
    return fig
