"""Sample-selection strategies by name: which samples to ask about next.

Each entry builds a scikit-activeml strategy and wraps it in
``SingleAnnotatorWrapper``, which turns a ranking of samples into (sample,
annotator) pairs (the choice of annotator is :mod:`crowdal_utils.selection.annotator_choice`'s job).
An entry also says what its ``query`` needs, so the loop hands every strategy what
it asks for from one place instead of growing a branch per strategy:

``needs`` — a subset of
    ``"clf"``: the already fitted crowd learner, passed with ``fit_clf=False`` (a
    strategy that refits would clone the crowd learner and train it on a 1-D
    aggregate, which fails);
    ``"crowd_labels"``: the acquired (n_samples, n_annotators) label matrix;
``features`` — what the strategy sees as ``X``:
    ``"input"``: the images, (n_samples, 1, 8, 8);
    ``"embeddings"``: the learner's 128-d backbone embeddings, (n_samples, 128), for
    strategies that measure distances (CoreSet).

Which samples a strategy may pick again: random and uncertainty sampling and
ActiveLab consider every sample that still has a free annotator, so they may ask a
second annotator about a labelled sample (a *second opinion*); BADGE, CoreSet and
"random, new samples only" (the control that labels as many distinct samples as
BADGE and CoreSet do) consider only samples with no label yet.

This module imports scikit-activeml only when a strategy is built, so naming
strategies (configurations, results files, figures) stays cheap.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._registry import lookup
from .._validation import check_int

MISSING_LABEL = np.nan  # scikit-activeml's MISSING_LABEL


@dataclass(frozen=True)
class SampleStrategy:
    """One sample-selection strategy of the tutorial.

    Attributes
    ----------
    name, display_name : str
    build : callable
        ``build(random_state)`` returns the unwrapped scikit-activeml strategy.
    needs : frozenset of {"clf", "crowd_labels"}
        Extra arguments of ``query`` (see the module docstring).
    features : {"input", "embeddings"}
        What the strategy receives as ``X``.
    second_opinions : bool
        Whether the strategy may choose a sample that already has a label.
    chooses_annotators : bool
        The strategy picks (sample, annotator) pairs itself and is not wrapped in
        ``SingleAnnotatorWrapper`` (IEThresh); its arm's choice is ``"iethresh"``.
    """

    name: str
    display_name: str
    build: Any
    needs: frozenset = frozenset()
    features: str = "input"
    second_opinions: bool = True
    chooses_annotators: bool = False

    def query_arguments(self, clf=None, crowd_labels=None):
        """The keyword arguments of ``query`` this strategy needs, from what the loop has."""
        available = {"clf": {"clf": clf, "fit_clf": False}, "crowd_labels": {"crowd_labels": crowd_labels}}
        arguments = {}
        for need in sorted(self.needs):
            arguments.update(available[need])
        return arguments


def _random(random_state):
    from skactiveml.pool import RandomSampling

    return RandomSampling(missing_label=MISSING_LABEL, random_state=random_state)


def _margin(random_state):
    from skactiveml.pool import UncertaintySampling

    return UncertaintySampling(method="margin_sampling", missing_label=MISSING_LABEL, random_state=random_state)


def _badge(random_state):
    from skactiveml.pool import Badge

    return Badge(
        clf_embedding_flag_name={"extra_outputs": "embeddings"}, missing_label=MISSING_LABEL, random_state=random_state
    )


def _coreset(random_state):
    from skactiveml.pool import CoreSet

    return CoreSet(missing_label=MISSING_LABEL, random_state=random_state)


def _random_new(random_state):
    from .pool_strategies import RandomNewSampling

    return RandomNewSampling(missing_label=MISSING_LABEL, random_state=random_state)


def _activelab(random_state):
    return make_activelab_sampling(random_state)


def _iethresh(random_state):
    from skactiveml.pool.multiannotator import IntervalEstimationThreshold

    # Donmez et al.'s defaults as scikit-activeml sets them: ask every annotator whose upper confidence bound u (95 %
    # t-interval of its agreement with the majority vote) satisfies u + 1 >= 0.9 * (max u + 1), i.e. nearly every one.
    return IntervalEstimationThreshold(epsilon=0.9, alpha=0.05, missing_label=MISSING_LABEL, random_state=random_state)


#: Every strategy by name.
QUERY_STRATEGIES = {
    strategy.name: strategy
    for strategy in (
        SampleStrategy("random", "random sampling", _random),
        SampleStrategy("random-new", "random, new samples only", _random_new, second_opinions=False),
        SampleStrategy("margin", "uncertainty (margin)", _margin, needs=frozenset({"clf"})),
        SampleStrategy("badge", "BADGE", _badge, needs=frozenset({"clf"}), second_opinions=False),
        SampleStrategy("coreset", "CoreSet", _coreset, features="embeddings", second_opinions=False),
        SampleStrategy("activelab", "ActiveLab", _activelab, needs=frozenset({"clf", "crowd_labels"})),
        SampleStrategy(
            "iethresh", "IEThresh", _iethresh, needs=frozenset({"clf"}), second_opinions=False, chooses_annotators=True
        ),
    )
}


def get_strategy(name, argument="strategy"):
    """The :class:`SampleStrategy` called ``name``; an unknown or unhashable name raises naming ``argument``."""
    return lookup(QUERY_STRATEGIES, name, argument, "query-strategy")


def make_query_strategy(name, random_state):
    """Build strategy ``name`` wrapped by ``SingleAnnotatorWrapper``, both seeded with ``random_state`` (int >= 0).

    A strategy that chooses annotators itself (IEThresh) is returned unwrapped.
    """
    from skactiveml.pool.multiannotator import SingleAnnotatorWrapper

    strategy = get_strategy(name, "query_strategy")
    random_state = check_int(random_state, "random_state", minimum=0)
    if strategy.chooses_annotators:  # already a multi-annotator strategy: it picks the pairs itself
        return strategy.build(random_state)
    return SingleAnnotatorWrapper(strategy.build(random_state), missing_label=MISSING_LABEL, random_state=random_state)


def make_activelab_sampling(random_state=None):
    """cleanlab's ActiveLab as a scikit-activeml strategy: a seeded :class:`.pool_strategies.ActiveLabSampling`."""
    from .pool_strategies import ActiveLabSampling

    return ActiveLabSampling(missing_label=MISSING_LABEL, random_state=random_state)
