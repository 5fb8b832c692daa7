"""The CNN backbone, the two crowd classifiers and their shared skorch settings."""

from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F
from skactiveml.classifier import SkorchClassifier
from skactiveml.classifier.multiannotator import AnnotMixClassifier
from skactiveml.utils import MISSING_LABEL, majority_vote
from skorch.callbacks import LRScheduler
from torch import nn
from torch.optim import RAdam
from torch.optim.lr_scheduler import CosineAnnealingLR

from ._validation import check_classes, check_int, check_samples
from .batches import TensorBatchIterator
from .data import check_split

#: Classifier names accepted by :func:`make_classifier`, with their display names.
CLASSIFIERS = {"majority-vote": "Majority vote (MV)", "annot-mix": "Annot-Mix"}
#: Time of one repetition relative to majority vote, measured on CPU (benchmarks/time_per_repetition.py:
#: 14.3 s vs 32.1 s); the loop starts the most expensive runs first so that parallel workers finish together.
RELATIVE_TRAINING_COST = {"majority-vote": 1.0, "annot-mix": 2.2}


def pick_device():
    """``"cuda"`` when a CUDA GPU is visible to torch, else ``"cpu"``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


class CNNBackbone(nn.Module):
    """One convolution, ReLU and 2x2 max-pooling, then a linear layer.

    ``forward(x)`` takes images of shape (batch, 1, 8, 8) and returns
    ``(logits, embedding)`` of shapes (batch, n_classes) and (batch, 128): the
    embedding is the flattened pooled feature map (8 channels x 4 x 4), which
    Annot-Mix and embedding-based query strategies read.
    """

    embedding_dim = 128

    def __init__(self, n_classes=10):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, kernel_size=3, padding=1)  # (B, 8, 8, 8)
        self.fc = nn.Linear(self.embedding_dim, n_classes)

    def forward(self, x):
        features = F.max_pool2d(F.relu(self.conv(x)), kernel_size=2)  # (B, 8, 4, 4)
        embedding = features.flatten(start_dim=1)  # (B, 128)
        return self.fc(embedding), embedding


class MajorityVoteClassifier(SkorchClassifier):
    """A single-annotator skorch classifier trained on majority-vote labels.

    ``fit(X, y)`` takes crowd labels ``y`` of shape (n_samples, n_annotators), NaN
    where not acquired, aggregates them per sample by majority vote (ties broken
    with ``random_state``) and trains on the samples that have at least one label.
    """

    def fit(self, X, y, **fit_params):
        y_mv = majority_vote(y, classes=self.classes, missing_label=self.missing_label, random_state=self.random_state)
        return super().fit(X, y_mv, **fit_params)


def skorch_settings(n_classes, max_epochs=100, device=None):
    """Training settings shared by every network of the tutorial (one place to change them).

    The reference's hyperparameters: RAdam (lr 0.01, no weight decay), cosine
    schedule over ``max_epochs``, batches of 16 shuffled samples with the last
    incomplete batch dropped, no validation split. One deliberate change: the
    reference loads batches through a DataLoader with one worker process, which is
    re-spawned every epoch; we slice them in the main process from ready tensors
    (:class:`crowdal_utils.batches.TensorBatchIterator`, which gives the same
    batches as ``DataLoader(num_workers=0)``). Two implementation choices make a
    step cheaper without changing what it computes: RAdam's ``foreach`` variant
    (one call per operation for all parameters instead of one per parameter) and,
    in :func:`fit_seeded`, torch's native convolution. Both round differently in the
    last bits. ``benchmarks/README.md`` measures each lever.

    Returns
    -------
    dict
        A fresh ``neural_net_param_dict`` (callbacks are not shared between calls).
    """
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
    return {
        "module__n_classes": n_classes,
        "max_epochs": max_epochs,
        "optimizer": RAdam,
        "optimizer__lr": 0.01,
        "optimizer__weight_decay": 0.0,
        "optimizer__foreach": True,  # same RAdam update, applied to all tensors at once: faster
        "iterator_train": TensorBatchIterator,
        "iterator_train__shuffle": True,
        "iterator_train__batch_size": 16,
        "iterator_train__drop_last": True,
        "iterator_valid__batch_size": 64,
        "train_split": None,
        "callbacks": [("lr_scheduler", LRScheduler(policy=CosineAnnealingLR, T_max=max_epochs))],
        "verbose": 0,
        "device": device or pick_device(),
    }


def make_classifier(name, classes, n_annotators, random_state, max_epochs=100, device=None):
    """Build one of :data:`CLASSIFIERS` on the CNN backbone.

    Parameters
    ----------
    name : {"majority-vote", "annot-mix"}
    classes : array-like of shape (n_classes,)
    n_annotators : int >= 1
    random_state : int >= 0
        Seed of skorch/scikit-activeml's own randomness (tie-breaking). It does
        **not** seed torch: use :func:`fit_seeded` for reproducible training.
    max_epochs : int >= 1, default=100
    device : str or None, default=None
        ``None`` picks CUDA when available.

    Returns
    -------
    MajorityVoteClassifier or AnnotMixClassifier
        Both take crowd labels of shape (n_samples, n_annotators) in ``fit``.
    """
    if name not in CLASSIFIERS:
        raise ValueError(f"`name` must be one of {sorted(CLASSIFIERS)}, got {name!r}.")
    classes = check_classes(classes)
    n_annotators = check_int(n_annotators, "n_annotators", minimum=1)
    random_state = check_int(random_state, "random_state", minimum=0)
    common = dict(
        classes=classes,
        missing_label=MISSING_LABEL,
        sample_dtype=np.float32,
        random_state=random_state,
        neural_net_param_dict=skorch_settings(len(classes), max_epochs, device),
    )
    if name == "majority-vote":
        return MajorityVoteClassifier(module=CNNBackbone, criterion=nn.CrossEntropyLoss, **common)
    # As in the reference: a 2-d learned sample embedding lets the estimated
    # annotator performance depend on the sample, not only on its class.
    return AnnotMixClassifier(clf_module=CNNBackbone, sample_embed_dim=2, n_annotators=n_annotators, **common)


def make_single_annotator_classifier(classes, random_state, max_epochs=100, device=None):
    """The backbone as a plain skorch classifier for one label per sample (NaN = unlabelled)."""
    classes = check_classes(classes)
    random_state = check_int(random_state, "random_state", minimum=0)
    return SkorchClassifier(
        module=CNNBackbone,
        criterion=nn.CrossEntropyLoss,
        classes=classes,
        missing_label=MISSING_LABEL,
        sample_dtype=np.float32,
        random_state=random_state,
        neural_net_param_dict=skorch_settings(len(classes), max_epochs, device),
    )


def fit_seeded(classifier, X, y, seed):
    """Seed torch with ``seed``, then ``classifier.fit(X, y)`` with :func:`native_convolutions`; returns the classifier.

    scikit-activeml never seeds torch, so weight initialisation, shuffling and
    Annot-Mix's MixUp draws come from torch's global generator. Seeding it right
    before every fit makes the same fit give the same network on CPU.
    (``AnnotMixClassifier.fit`` returns ``None``; this returns the classifier.)
    """
    seed = check_int(seed, "seed", minimum=0)
    y = np.asarray(y)
    check_samples(X, "X", n_samples=len(y))
    n_annotators = getattr(classifier, "n_annotators", None)
    if n_annotators is not None and (y.ndim != 2 or y.shape[1] != n_annotators):
        raise ValueError(
            f"`y` must have shape (n_samples, {n_annotators}), one column per annotator the classifier was "
            f"built for, got {y.shape}."
        )
    torch.manual_seed(seed)
    with native_convolutions():
        classifier.fit(X, y)
    return classifier


@contextmanager
def native_convolutions():
    """Inside the block, torch computes convolutions with its own CPU kernels instead of oneDNN's.

    For 16 images of 8x8 pixels oneDNN's setup costs more than the arithmetic.
    Together with RAdam's ``foreach`` variant it cut the sequential full run from
    165.0 s to 128.8 s on our 2-core CPU (``benchmarks/README.md``). Same
    convolution, summed in another order, so the last bits of the weights differ.
    No effect on a GPU.
    """
    previous = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = False
    try:
        yield
    finally:
        torch.backends.mkldnn.enabled = previous


def train_and_score(classifier, data, y, seed=0):
    """Fit ``classifier`` on ``(data.X_train, y)`` with torch seeded, return its test accuracy.

    ``y`` is whatever the classifier's ``fit`` takes: shape (n_train,) for a
    single-annotator model, (n_train, n_annotators) for the crowd classifiers.
    """
    check_split(data)
    fit_seeded(classifier, data.X_train, y, seed)
    return float(classifier.score(data.X_test, data.y_test))
