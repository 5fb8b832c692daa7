"""Two sample strategies the course adds to scikit-activeml's, as its own query-strategy classes.

:class:`ActiveLabSampling` adapts cleanlab's ActiveLab to scikit-activeml's ``query``;
:class:`RandomNewSampling` is random sampling that never asks about a labelled sample
(the control for strategies that never ask for a second opinion, notebook 06). Both
are plain module-level classes, so they pickle (joblib workers) and the API reference
shows them; :mod:`crowdal_utils.selection.strategies` imports this module only when it
builds one, since it imports scikit-activeml.
"""

import contextlib
import io
import warnings

import numpy as np
from skactiveml.base import SingleAnnotatorPoolQueryStrategy
from skactiveml.pool import RandomSampling
from skactiveml.utils import is_unlabeled, simple_batch


class RandomNewSampling(RandomSampling):
    """Random sampling among the candidates that have no label yet: every label goes to a new sample.

    scikit-activeml's ``RandomSampling`` inside ``SingleAnnotatorWrapper`` may pick a
    sample that already has a label and ask another annotator about it (a second
    opinion). BADGE and CoreSet never do, so they label more distinct samples with the
    same number of labels; this strategy labels exactly as many, and is otherwise
    random sampling: it separates "more distinct samples" from "more informative
    samples".
    """

    def query(self, X, y, candidates=None, batch_size=1, return_utilities=False):
        """As ``RandomSampling.query``; ``candidates`` (sample indices or ``None``) shrink to the unlabelled ones."""
        unlabelled = np.flatnonzero(is_unlabeled(y, missing_label=self.missing_label))
        if candidates is not None:
            candidates = np.asarray(candidates)
            if candidates.ndim != 1 or not np.issubdtype(candidates.dtype, np.integer):
                raise ValueError("`candidates` must be None or sample indices for RandomNewSampling.")
            unlabelled = np.intersect1d(candidates, unlabelled)
        return super().query(X, y, unlabelled, batch_size=batch_size, return_utilities=return_utilities)


class ActiveLabSampling(SingleAnnotatorPoolQueryStrategy):
    """cleanlab's ActiveLab as a scikit-activeml strategy, so ``SingleAnnotatorWrapper`` can wrap it.

    ActiveLab (``cleanlab.multiannotator.get_active_learning_scores``) scores labelled
    and unlabelled samples on one scale — how unsure we still are of each sample's
    true label, given its labels so far and the model's predicted probabilities —
    and asks about the lowest scores first. So it decides between a new sample and
    another opinion on a labelled one. This class only adapts that function to
    scikit-activeml's ``query`` interface; the scoring is cleanlab's.
    """

    def query(self, X, y, clf, crowd_labels, fit_clf=False, candidates=None, batch_size=1, return_utilities=False):
        """Pick the ``batch_size`` candidates with the lowest ActiveLab scores.

        ``crowd_labels`` (n_samples, n_annotators) are the acquired labels, NaN where
        missing; ``clf`` is the fitted learner whose ``predict_proba`` feeds cleanlab.
        """
        from cleanlab.multiannotator import get_active_learning_scores

        X, y, candidates, batch_size, return_utilities = self._validate_data(
            X, y, candidates, batch_size, return_utilities, reset=True
        )
        if fit_clf:
            raise ValueError("`fit_clf` must be False: ActiveLab scores with the learner as it was fitted.")
        crowd_labels = np.asarray(crowd_labels, dtype=float)
        if crowd_labels.shape[0] != len(X):
            raise ValueError(f"`crowd_labels` must have {len(X)} rows, got {crowd_labels.shape}.")
        _, mapping = self._transform_candidates(candidates, X, y)
        if mapping is None:
            raise ValueError("`candidates` must be None or sample indices for ActiveLab.")
        proba = clf.predict_proba(X)
        # cleanlab wants labels 0..K-1, the labelled and unlabelled rows apart, and no annotator without labels
        indices = np.where(np.isnan(crowd_labels), np.nan, np.searchsorted(clf.classes_, crowd_labels))
        indices = indices[:, ~np.isnan(indices).all(axis=0)]
        labelled = ~np.isnan(indices).all(axis=1)
        scores = np.full(len(X), np.nan)
        # cleanlab prints a note per call on sparse overlaps, and warns "Annotators do not agree on any example"
        # while no sample has two agreeing labels yet: expected in the first cycles, when most samples have one
        # label. Neither says anything about the run, so neither reaches the notebook.
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Annotators do not agree on any example", module=r"cleanlab\.")
            scores[labelled], scores[~labelled] = get_active_learning_scores(
                indices[labelled] if labelled.any() else None,
                proba[labelled] if labelled.any() else None,
                proba[~labelled] if (~labelled).any() else None,
            )
        utilities = np.full(len(X), np.nan)
        utilities[mapping] = -scores[mapping]  # lowest score first
        return simple_batch(utilities, self.random_state_, batch_size=batch_size, return_utilities=return_utilities)
