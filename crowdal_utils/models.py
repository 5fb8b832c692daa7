"""The CNN backbone, the learners' classes and their shared skorch settings.

Which learners exist and how each is built is :mod:`crowdal_utils.learners`'
registry; this module holds the pieces they are built from.
"""

import warnings
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F
from skactiveml.classifier import SkorchClassifier
from skactiveml.pool.multiannotator import IntervalEstimationAnnotModel
from skactiveml.utils import MISSING_LABEL, majority_vote
from skorch.callbacks import Callback, LRScheduler
from torch import nn
from torch.optim import RAdam
from torch.optim.lr_scheduler import CosineAnnealingLR

from ._validation import check_classes, check_int, check_samples
from .batches import TensorBatchIterator
from .data import check_split
from .learners import get_learner
from .parallel import torch_threads

#: Named outputs of the single-annotator models: class probabilities, and the backbone's
#: embedding for strategies that read it (BADGE, CoreSet). Training uses the logits.
SINGLE_ANNOTATOR_OUTPUTS = {"proba": (0, nn.Softmax(dim=-1)), "embeddings": (1, None)}


def pick_device():
    """``"cuda"`` when a CUDA GPU is visible to torch, else ``"cpu"``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def check_device(device):
    """``device`` as a string torch accepts and can use here (``None`` picks one); else ``ValueError``/``TypeError``."""
    if device is None:
        return pick_device()
    if not isinstance(device, str):
        raise TypeError(f"`device` must be a string such as 'cpu' or 'cuda', or None, got {type(device).__name__}.")
    try:
        parsed = torch.device(device)
    except RuntimeError as err:
        raise ValueError(f"`device` {device!r} is not a torch device ({err}); use 'cpu', 'cuda' or None.") from None
    if parsed.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"`device` {device!r} asks for a GPU, but torch sees none here; use 'cpu' or None.")
    if parsed.type not in ("cpu", "cuda"):
        raise ValueError(f"`device` must be a CPU or CUDA device, got {device!r}.")
    return device


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


class MLPBackbone(nn.Module):
    """For samples that come as feature vectors (a real crowd's data set): one hidden layer of 128 units.

    ``forward(x)`` takes features of shape (batch, n_features) and returns
    ``(logits, embedding)`` of shapes (batch, n_classes) and (batch, 128), like
    :class:`CNNBackbone`, so every learner and strategy works with either.
    """

    embedding_dim = 128

    def __init__(self, n_features, n_classes=10):
        super().__init__()
        self.hidden = nn.Linear(n_features, self.embedding_dim)
        self.fc = nn.Linear(self.embedding_dim, n_classes)

    def forward(self, x):
        embedding = F.relu(self.hidden(x))
        return self.fc(embedding), embedding


def backbone_for(sample_shape):
    """The network class and its extra skorch arguments for samples of shape ``sample_shape``.

    (1, 8, 8) digits images get the reference's :class:`CNNBackbone`; feature vectors
    (n_features,) get :class:`MLPBackbone`.
    """
    sample_shape = tuple(sample_shape)
    if sample_shape == (1, 8, 8):
        return CNNBackbone, {}
    if len(sample_shape) == 1 and sample_shape[0] >= 1:
        return MLPBackbone, {"module__n_features": sample_shape[0]}
    raise ValueError(
        f"`sample_shape` must be (1, 8, 8) (digits images) or (n_features,) (feature vectors), got {sample_shape}."
    )


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
    """

    def __init__(self, module, **kwargs):
        kwargs.setdefault("forward_outputs", SINGLE_ANNOTATOR_OUTPUTS)
        super().__init__(module, **kwargs)

    def fit(self, X, y, **fit_params):
        y_mv = majority_vote(y, classes=self.classes, missing_label=self.missing_label, random_state=self.random_state)
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
        x = torch.stack([sample for sample, _ in batch])
        y = torch.stack([label for _, label in batch]).long()
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

    Attributes after ``fit``
    ------------------------
    aggregated_labels_ : np.ndarray of shape (n_samples,)
        Dawid–Skene's label per sample, NaN where there is none.
    annotator_accuracy_ : np.ndarray of shape (n_annotators,)
        Each annotator's accuracy implied by its estimated confusion matrix and the
        estimated class priors, sum_k prior_k * P(answer k | true k); annotators
        without any label get the mean of the others.
    """

    def __init__(self, module, **kwargs):
        kwargs.setdefault("forward_outputs", SINGLE_ANNOTATOR_OUTPUTS)
        super().__init__(module, **kwargs)

    def fit(self, X, y, **fit_params):
        self.aggregated_labels_, self.annotator_accuracy_ = dawid_skene(y)
        return super().fit(X, self.aggregated_labels_, **fit_params)

    def predict_annotator_perf(self, X):
        """The estimated accuracies, shape (n_samples, n_annotators) (same for every sample)."""
        return np.tile(self.annotator_accuracy_, (len(X), 1))


def dawid_skene(y):
    """Aggregate partial crowd labels with crowd-kit's ``DawidSkene``.

    Parameters
    ----------
    y : array-like of shape (n_samples, n_annotators), float
        Acquired labels, NaN where missing.

    Returns
    -------
    labels : np.ndarray of shape (n_samples,), float
        Most probable class per labelled sample (crowd-kit's ``labels_``), NaN elsewhere.
    annotator_accuracy : np.ndarray of shape (n_annotators,)
        See :class:`DawidSkeneClassifier`.
    """
    try:
        from crowdkit.aggregation import DawidSkene
    except ImportError as err:  # the `crowd` extra
        raise ImportError(
            'Dawid-Skene needs crowd-kit: pip install "crowdal-utils[crowd]" (make install does this).'
        ) from err
    from .crowd_table import wide_to_long

    y = np.asarray(y, dtype=float)
    labels = np.full(y.shape[0], np.nan)
    accuracy = np.full(y.shape[1], np.nan)
    frame = wide_to_long(y)
    if len(frame):
        with warnings.catch_warnings():  # crowd-kit 1.4.2 uses pandas keywords that pandas 3 deprecates
            warnings.filterwarnings("ignore", module=r"crowdkit\.")
            model = DawidSkene(n_iter=100).fit(frame)
        labels[model.labels_.index.to_numpy()] = model.labels_.to_numpy()
        errors = model.errors_
        for worker in errors.index.get_level_values("worker").unique():
            matrix = errors.loc[worker]  # rows: label given, columns: true label
            right = [matrix.loc[k, k] if k in matrix.index else 0.0 for k in model.priors_.index]
            accuracy[worker] = float(np.dot(model.priors_.to_numpy(), right))
    if np.isnan(accuracy).all():
        accuracy[:] = 0.5
    accuracy[np.isnan(accuracy)] = np.nanmean(accuracy)
    return labels, accuracy


def skorch_settings(n_classes, max_epochs=100, device=None):
    """Training settings shared by every network of the tutorial (one place to change them).

    The reference's hyperparameters: RAdam (lr 0.01, no weight decay), cosine
    schedule over ``max_epochs``, batches of 16 shuffled samples with the last
    incomplete batch dropped, no validation split. Where the reference's loader
    would make no step at all (fewer than 16 labelled samples, e.g. a student's
    ``query_batch_size=8``), the samples form one smaller batch instead; with 16
    or more nothing changes. One deliberate change: the
    reference loads batches through a DataLoader with one worker process, which is
    re-spawned every epoch; we slice them in the main process from ready tensors
    (:class:`crowdal_utils.batches.TensorBatchIterator`, which gives the same
    batches as ``DataLoader(num_workers=0)``). That changes one thing that is
    computed: Annot-Mix draws its MixUp coefficients while batches are put
    together, so they now come from the main process's seeded generator instead of
    the worker's own random stream (same distribution, other numbers). Two
    implementation choices make a step cheaper: RAdam's ``foreach`` variant (one
    call per operation for all parameters instead of one per parameter) and, in
    :func:`fit_seeded`, torch's native convolution; the same arithmetic, rounded
    differently in the last bits. ``benchmarks/README.md`` measures each lever.

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
        # ... except when there are fewer samples than one batch: then they form one batch (a fit always trains)
        "iterator_train__keep_a_batch": True,
        "iterator_valid__batch_size": 64,
        "train_split": None,
        "callbacks": [("lr_scheduler", LRScheduler(policy=CosineAnnealingLR, T_max=max_epochs))],
        "verbose": 0,
        "device": check_device(device),
    }


def make_learner(name, classes, n_annotators, random_state, max_epochs=100, device=None, sample_shape=(1, 8, 8)):
    """Build the learner ``name`` of ``crowdal_utils.learners.LEARNERS`` on the backbone for ``sample_shape``.

    Parameters
    ----------
    name : str
        e.g. ``"majority-vote"``, ``"dawid-skene"``, ``"crowd-layer"``, ``"annot-mix"``, ``"true-labels"``.
    classes : array-like of shape (n_classes,)
    n_annotators : int >= 1
    random_state : int >= 0
        Seed of skorch/scikit-activeml's own randomness (tie-breaking). It does
        **not** seed torch: use :func:`fit_seeded` for reproducible training.
    max_epochs : int >= 1, default=100
    device : str or None, default=None
        ``None`` picks CUDA when available.
    sample_shape : tuple, default=(1, 8, 8)
        Shape of one sample: the digits' images get the CNN, feature vectors an MLP
        (:func:`backbone_for`).

    Returns
    -------
    classifier
        Crowd learners take labels of shape (n_samples, n_annotators) in ``fit``;
        the true-labels learner takes shape (n_samples,).
    """
    learner = get_learner(name, "name")
    backbone, module_arguments = backbone_for(sample_shape)
    classes = check_classes(classes)
    n_annotators = check_int(n_annotators, "n_annotators", minimum=1)
    random_state = check_int(random_state, "random_state", minimum=0)
    common = dict(
        classes=classes,
        missing_label=MISSING_LABEL,
        sample_dtype=np.float32,
        random_state=random_state,
        neural_net_param_dict={**skorch_settings(len(classes), max_epochs, device), **module_arguments},
    )
    return learner.build(common, n_annotators, backbone)


def make_single_annotator_classifier(classes, random_state, max_epochs=100, device=None):
    """The backbone as a plain skorch classifier for one label per sample (NaN = unlabelled): ``"true-labels"``."""
    return make_learner("true-labels", classes, 1, random_state, max_epochs=max_epochs, device=device)


def single_annotator_classifier(common, backbone=None):
    """``SkorchClassifier`` on ``backbone`` (default: the CNN) with cross-entropy; ``common`` as in make_learner."""
    return SkorchClassifier(
        module=backbone or CNNBackbone,
        criterion=nn.CrossEntropyLoss,
        forward_outputs=SINGLE_ANNOTATOR_OUTPUTS,
        **common,
    )


def fit_seeded(classifier, X, y, seed):
    """Seed torch with ``seed``, then ``classifier.fit(X, y)`` on one torch thread with :func:`native_convolutions`.

    scikit-activeml never seeds torch, so weight initialisation, shuffling and
    Annot-Mix's MixUp draws come from torch's global generator. Seeding it right
    before every fit makes the same fit give the same network on CPU. One thread:
    for this tiny network a second thread costs more than it saves, and the number
    of threads changes how sums are split, so with one the numbers do not depend on
    the machine's cores (see :mod:`crowdal_utils.parallel`). Returns the classifier
    (``AnnotMixClassifier.fit`` returns ``None``).
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
    with native_convolutions(), torch_threads(1):
        classifier.fit(X, y)
    return classifier


@contextmanager
def native_convolutions():
    """Inside the block, torch computes convolutions with its own CPU kernels instead of oneDNN's.

    For 16 images of 8x8 pixels oneDNN's setup costs more than the arithmetic;
    ``benchmarks/README.md`` measures what this and RAdam's ``foreach`` variant save.
    Same convolution, summed in another order, so the last bits of the weights
    differ. No effect on a GPU.
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
