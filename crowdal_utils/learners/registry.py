"""The learners: one registry entry per way of learning from a crowd.

An entry says everything the rest of the package needs to know about a learner —
its display name, how it is built, which labels it trains on, whether and how it
estimates each annotator's performance, and how long it trains relative to
majority vote. Adding a learner is one entry here plus its class.

This module sits at the bottom of the import graph: it imports neither torch nor
scikit-activeml, so configurations, results and figures can name learners without
loading them. The builders import their classes when they are called.

Every built learner is a scikit-learn-style classifier on the CNN backbone with
``fit(X, y)`` and ``predict_proba(X)``/``score(X, y)``. Crowd learners take
``y`` of shape (n_samples, n_annotators), NaN where no label was acquired; the
true-labels ceiling takes the true class of every sample with at least one
acquired label, NaN elsewhere (shape (n_samples,)).
"""

from dataclasses import dataclass
from functools import partial
from typing import Any

from .._registry import lookup


@dataclass(frozen=True)
class Learner:
    """One learner of the tutorial.

    Attributes
    ----------
    name : str
        Key used in configurations and results files.
    display_name : str
        Shown in tables and figures.
    build : callable
        ``build(common, n_annotators, backbone)`` returns an unfitted classifier;
        ``common`` holds the keyword arguments every learner shares (classes,
        missing_label, sample_dtype, random_state, neural_net_param_dict) and
        ``backbone`` is the network class (``networks.backbone_for`` picks it).
    trains_on : {"crowd", "truth"}
        ``"crowd"``: the acquired crowd labels (n_samples, n_annotators);
        ``"truth"``: the true label of every sample that has an acquired label.
    estimate : callable or None
        ``estimate(fitted_learner, X)`` returns the estimated probability that each
        annotator labels each sample correctly, shape (n_samples, n_annotators) in
        [0, 1]; ``None`` for learners that do not estimate annotators.
    estimate_source : str
        How the estimate comes about, in words (for tables and the README).
    relative_cost : float
        Training time of one repetition relative to majority vote's, measured by
        ``benchmarks/time_per_repetition.py``; the loop starts the most expensive
        runs first so that parallel workers finish together.
    takes_gold_truths : bool
        The classifier has a ``gold_truths`` attribute, shape (n_samples,), NaN except
        on gold tasks, through which the loop passes their true labels (Dawid–Skene's EM
        fixes those samples' posteriors).
    """

    name: str
    display_name: str
    build: Any
    trains_on: str = "crowd"
    estimate: Any = None
    estimate_source: str = ""
    relative_cost: float = 1.0
    takes_gold_truths: bool = False

    @property
    def estimates_annotators(self):
        """True when the learner estimates each annotator's performance."""
        return self.estimate is not None


def _with_training(common, **changes):
    """``common`` with ``changes`` made to its skorch settings (``neural_net_param_dict``), which stays unshared."""
    return {**common, "neural_net_param_dict": {**common["neural_net_param_dict"], **changes}}


def _build_majority_vote(common, n_annotators, backbone, mixup_alpha=None):
    from .classifiers import MajorityVoteClassifier, MixUpCollate

    if mixup_alpha is not None:  # the vote trained with Annot-Mix's regularisation, MixUp with Beta(alpha, alpha)
        common = _with_training(common, iterator_train__collate_fn=MixUpCollate(len(common["classes"]), mixup_alpha))
    return MajorityVoteClassifier(module=backbone, **common)


def _build_dawid_skene(common, n_annotators, backbone):
    from .classifiers import DawidSkeneClassifier

    return DawidSkeneClassifier(module=backbone, **common)


def _build_crowd_layer(common, n_annotators, backbone, start_accuracy=0.8):
    from skactiveml.classifier.multiannotator import CrowdLayerClassifier

    from .classifiers import CrowdLayerInit

    # The course starts every annotator matrix at "right with probability start_accuracy" (see CrowdLayerInit);
    # None keeps scikit-activeml's own start, the identity.
    if start_accuracy is not None:
        start = ("crowd_layer_init", CrowdLayerInit(start_accuracy))
        common = _with_training(common, callbacks=[*common["neural_net_param_dict"]["callbacks"], start])
    return CrowdLayerClassifier(clf_module=backbone, n_annotators=n_annotators, **common)


def _build_annot_mix(common, n_annotators, backbone, alpha=0.5):
    from skactiveml.classifier.multiannotator import AnnotMixClassifier

    # As in the reference: a 2-d learned sample embedding lets the estimated annotator performance depend on the
    # sample, not only on its class. alpha is MixUp's Beta(alpha, alpha); 0 turns MixUp off (scikit-activeml's
    # docstring), which leaves Annot-Mix's annotator model alone.
    return AnnotMixClassifier(clf_module=backbone, sample_embed_dim=2, n_annotators=n_annotators, alpha=alpha, **common)


def _build_single_annotator(common, n_annotators, backbone):
    from .classifiers import single_annotator_classifier

    return single_annotator_classifier(common, backbone)


def _annotator_perf_output(clf, X):
    """scikit-activeml's multi-annotator models return the estimate as an extra output of ``predict_proba``."""
    return clf.predict_proba(X, extra_outputs=["annotator_perf"])[1]


def _own_method(clf, X):
    return clf.predict_annotator_perf(X)


#: Every learner by name, in the order tables and figures list them.
LEARNERS = {
    learner.name: learner
    for learner in (
        Learner(
            "majority-vote",
            "Majority vote (MV)",
            _build_majority_vote,
            estimate=_own_method,
            estimate_source="agreement with the majority vote (scikit-activeml's IntervalEstimationAnnotModel)",
            relative_cost=1.0,
        ),
        Learner(
            "majority-vote-mixup",
            "MV + MixUp",
            partial(_build_majority_vote, mixup_alpha=0.5),
            estimate=_own_method,
            estimate_source="agreement with the majority vote (as majority vote)",
            relative_cost=1.1,
        ),
        Learner(
            "dawid-skene",
            "Dawid–Skene",
            _build_dawid_skene,
            estimate=_own_method,
            estimate_source="crowd-kit's DawidSkene confusion matrices, weighted by the predicted class",
            relative_cost=1.6,
            takes_gold_truths=True,
        ),
        Learner(
            "crowd-layer",
            "CrowdLayer (80 % start)",
            _build_crowd_layer,
            estimate=_annotator_perf_output,
            estimate_source="predict_proba(..., extra_outputs=['annotator_perf'])",
            relative_cost=1.6,
        ),
        Learner(
            "crowd-layer-identity-start",
            "CrowdLayer (identity start, as published)",
            partial(_build_crowd_layer, start_accuracy=None),
            estimate=_annotator_perf_output,
            estimate_source="predict_proba(..., extra_outputs=['annotator_perf'])",
            relative_cost=1.6,
        ),
        Learner(
            "annot-mix",
            "Annot-Mix",
            _build_annot_mix,
            estimate=_annotator_perf_output,
            estimate_source="predict_proba(..., extra_outputs=['annotator_perf'])",
            relative_cost=2.1,
        ),
        Learner(
            "annot-mix-no-mixup",
            "Annot-Mix without MixUp",
            partial(_build_annot_mix, alpha=0.0),
            estimate=_annotator_perf_output,
            estimate_source="predict_proba(..., extra_outputs=['annotator_perf'])",
            relative_cost=2.0,
        ),
        Learner(
            "true-labels",
            "True labels (ceiling)",
            _build_single_annotator,
            trains_on="truth",
            relative_cost=1.0,
        ),
    )
}


def get_learner(name, argument="learner"):
    """The :class:`Learner` called ``name``; an unknown or unhashable name raises naming ``argument``."""
    return lookup(LEARNERS, name, argument, "learner")


def display_name(name):
    """The display name of learner ``name`` (the name itself when it is not registered)."""
    return LEARNERS[name].display_name if name in LEARNERS else name
