"""The classes the registry's learners are built from (beyond scikit-activeml's own).

:class:`MajorityVoteClassifier` and :class:`DawidSkeneClassifier` aggregate the crowd's
labels first (majority vote, Dawid–Skene) and train the backbone on the result;
:class:`MixUpCollate` gives a single-annotator model Annot-Mix's MixUp (a control of
notebook 05); :class:`CrowdLayerInit` starts CrowdLayer's annotator matrices at
"right 80 % of the time". CrowdLayer and Annot-Mix themselves are scikit-activeml's
classes, built in :mod:`.registry`.
"""

import numpy as np
import torch
import torch.nn.functional as F
from skactiveml.classifier import SkorchClassifier
from skactiveml.pool.multiannotator import IntervalEstimationAnnotModel
from skactiveml.utils import majority_vote
from skorch.callbacks import Callback
from torch import nn

from .._validation import check_int
from ..crowds.aggregation import fit_dawid_skene
from .networks import CNNBackbone

#: Named outputs of the single-annotator models: class probabilities, and the backbone's
#: embedding for strategies that read it (BADGE, CoreSet). Training uses the logits.
SINGLE_ANNOTATOR_OUTPUTS = {"proba": (0, nn.Softmax(dim=-1)), "embeddings": (1, None)}


class MajorityVoteClassifier(SkorchClassifier):
    """A single-annotator skorch classifier trained on majority-vote labels.

    ``fit(X, y)`` takes crowd labels ``y`` of shape (n_samples, n_annotators), NaN
    where not acquired, aggregates them per sample by majority vote (ties broken
    with ``random_state``) and trains on the samples that have at least one label.

    Its estimate of the annotators is the field's simplest: how often each agrees
    with the majority vote, from scikit-activeml's ``IntervalEstimationAnnotModel``
    (mean agreement, smoothed by one agreeing and one disagreeing pseudo-label). With
    one label per sample every label agrees with itself, so the estimate only
    learns from samples that were labelled more than once.

    Attributes
    ----------
    aggregated_labels_ : np.ndarray of shape (n_samples,)
        Set by ``fit``: the majority vote per sample (the labels the network trained on), NaN where there is none.
    """

    def __init__(self, module, **kwargs):
        kwargs.setdefault("forward_outputs", SINGLE_ANNOTATOR_OUTPUTS)
        super().__init__(module, **kwargs)

    def fit(self, X, y, **fit_params):
        y_mv = majority_vote(y, classes=self.classes, missing_label=self.missing_label, random_state=self.random_state)
        self.aggregated_labels_ = np.asarray(y_mv, dtype=float)
        self.annotator_model_ = IntervalEstimationAnnotModel(
            classes=self.classes, missing_label=self.missing_label, mode="mean", random_state=self.random_state
        ).fit(X, y)
        return super().fit(X, y_mv, **fit_params)

    def predict_annotator_perf(self, X):
        """Estimated probability that each annotator is right, (n_samples, n_annotators), equal for all samples."""
        return self.annotator_model_.predict_annotator_perf(np.asarray(X).reshape(len(X), -1))


class MixUpCollate:
    """MixUp (Zhang et al., 2018) for one label per sample: skorch's ``iterator_train__collate_fn``.

    Each training batch of images ``x`` (batch, ...) and class indices ``y`` (batch,)
    becomes ``lam * x + (1 - lam) * x[perm]`` and the same mix of the one-hot labels
    (batch, n_classes), with one ``lam`` per sample drawn from Beta(alpha, alpha) and
    a random permutation ``perm`` of the batch, both from torch's global generator
    (seeded per fit by :func:`fit_seeded`). This is the regularisation Annot-Mix
    applies to its (sample, annotator, label) triples, here on a single-annotator
    model: :class:`torch.nn.CrossEntropyLoss` takes the mixed labels as class
    probabilities. ``alpha=0`` returns the batch unchanged (labels as indices).

    Parameters
    ----------
    n_classes : int >= 2
    alpha : float >= 0, default=0.5
        Annot-Mix's default.
    """

    def __init__(self, n_classes, alpha=0.5):
        self.n_classes = check_int(n_classes, "n_classes", minimum=2)
        if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not alpha >= 0:
            raise ValueError(f"`alpha` must be a number >= 0, got {alpha!r}.")
        self.alpha = float(alpha)

    def __call__(self, batch):
        x = torch.stack([torch.as_tensor(sample) for sample, _ in batch])  # the loader yields numpy samples
        y = torch.stack([torch.as_tensor(label) for _, label in batch]).long()
        if self.alpha == 0:
            return x, y
        lam = torch.distributions.Beta(self.alpha, self.alpha).sample((len(y),))
        perm = torch.randperm(len(y))
        y = F.one_hot(y, self.n_classes).to(torch.float32)
        lam_x = lam.view((-1,) + (1,) * (x.dim() - 1)).to(x.dtype)
        lam_y = lam.view(-1, 1)
        return lam_x * x + (1 - lam_x) * x[perm], lam_y * y + (1 - lam_y) * y[perm]

    def __repr__(self):
        return f"MixUpCollate(n_classes={self.n_classes}, alpha={self.alpha})"


class CrowdLayerInit(Callback):
    """Start CrowdLayer's annotator matrices as "every annotator is right with probability ``accuracy``".

    scikit-activeml's ``CrowdLayerClassifier`` (like the CrowdLayer authors' code) starts every annotator's
    confusion matrix ``W_annot`` (n_annotators, n_classes, n_classes) at the identity and applies it to the
    backbone's class *probabilities*. A softmax of an identity row gives the annotator's own class only
    e / (e + n_classes - 1): 0.23 for ten classes, below every annotator of the course's crowd. With a few hundred
    labels and 100 epochs of small batches the matrices never grow out of that start, and the backbone merges
    classes instead (``benchmarks/probe_crowd_layer.py`` measures it). This callback sets ``W_annot`` to
    ``d * identity`` with ``d = log(accuracy * (n_classes - 1) / (1 - accuracy))``, so that a perfect backbone
    starts with every annotator right with probability ``accuracy``.

    skorch calls ``on_train_begin`` after it has (re-)initialised module and optimizer; only the values of the
    parameter change, so the optimizer keeps tracking it.

    Parameters
    ----------
    accuracy : float in (1 / n_classes, 1), default=0.8
    """

    def __init__(self, accuracy=0.8):
        if isinstance(accuracy, bool) or not isinstance(accuracy, int | float) or not 0 < accuracy < 1:
            raise ValueError(f"`accuracy` must be a number strictly between 0 and 1, got {accuracy!r}.")
        self.accuracy = float(accuracy)

    def diagonal(self, n_classes):
        """The value d of ``d * identity``: the logit that gives ``accuracy`` on the diagonal after the softmax."""
        n_classes = check_int(n_classes, "n_classes", minimum=2)
        if not self.accuracy > 1 / n_classes:
            raise ValueError(
                f"`accuracy` must be above chance (1 / {n_classes}) for {n_classes} classes, got {self.accuracy}."
            )
        return float(np.log(self.accuracy * (n_classes - 1) / (1 - self.accuracy)))

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        weights = net.module_.W_annot  # (n_annotators, n_classes, n_classes)
        n_annotators, n_classes, _ = weights.shape
        start = self.diagonal(n_classes) * torch.eye(n_classes, dtype=weights.dtype, device=weights.device)
        with torch.no_grad():
            weights.copy_(start.expand(n_annotators, n_classes, n_classes))


class DawidSkeneClassifier(SkorchClassifier):
    """The backbone trained on the labels aggregated by crowd-kit's ``DawidSkene``.

    ``fit(X, y)`` takes crowd labels ``y`` of shape (n_samples, n_annotators), NaN
    where not acquired. Dawid and Skene's EM estimates every annotator's confusion
    matrix and every sample's posterior over the classes from the labels alone;
    the backbone then trains on each labelled sample's most probable class. This is
    the classic *truth-inference* baseline: aggregate first, then train.

    ``gold_truths`` (n_samples,), NaN except on gold tasks, passes their true classes
    to the EM (``fit_dawid_skene(..., true_labels=...)``); the loop sets it when an
    experiment spends part of its budget on gold tasks (the registry entry says
    ``takes_gold_truths=True``).

    Attributes
    ----------
    aggregated_labels_ : np.ndarray of shape (n_samples,)
        Set by ``fit``: Dawid–Skene's label per sample, NaN where there is none.
    annotator_accuracy_ : np.ndarray of shape (n_annotators,)
        Set by ``fit``: each annotator's accuracy implied by its estimated confusion matrix and the
        estimated class priors, sum_k prior_k * P(answer k | true k); annotators
        without any label get the mean of the others.
    """

    def __init__(self, module, gold_truths=None, **kwargs):
        kwargs.setdefault("forward_outputs", SINGLE_ANNOTATOR_OUTPUTS)
        super().__init__(module, **kwargs)
        self.gold_truths = gold_truths

    def fit(self, X, y, **fit_params):
        y = np.asarray(y, dtype=float)
        self.aggregated_labels_ = np.full(y.shape[0], np.nan)
        self.annotator_accuracy_ = np.full(y.shape[1], 0.5)  # no label at all: nothing is known about anyone
        if not np.isnan(y).all():
            estimate = fit_dawid_skene(y, self.classes, true_labels=self.gold_truths)
            self.aggregated_labels_ = estimate.labels
            accuracy = estimate.accuracy
            accuracy[np.isnan(accuracy)] = np.nanmean(accuracy)  # an annotator without labels: the others' mean
            self.annotator_accuracy_ = accuracy
        return super().fit(X, self.aggregated_labels_, **fit_params)

    def predict_annotator_perf(self, X):
        """The estimated accuracies, shape (n_samples, n_annotators) (same for every sample)."""
        return np.tile(self.annotator_accuracy_, (len(X), 1))


def single_annotator_classifier(common, backbone=None):
    """``SkorchClassifier`` on ``backbone`` (default: the CNN) with cross-entropy; ``common`` as in make_learner."""
    return SkorchClassifier(
        module=backbone or CNNBackbone,
        criterion=nn.CrossEntropyLoss,
        forward_outputs=SINGLE_ANNOTATOR_OUTPUTS,
        **common,
    )
