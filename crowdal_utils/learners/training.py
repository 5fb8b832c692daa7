"""How every network of the course is trained: skorch settings, seeding, batches, threads.

:func:`skorch_settings` holds the reference tutorial's hyperparameters in one place;
:func:`fit_seeded` seeds torch before a fit so the same fit gives the same network;
:func:`training_batches` is the training loader; :func:`torch_threads` and
:func:`native_convolutions` are the two speed settings ``benchmarks/README.md`` measures.
"""

from contextlib import contextmanager

import numpy as np
import torch
from skorch.callbacks import LRScheduler
from torch.optim import RAdam
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader

from .._validation import check_int, check_samples
from ..data.digits import check_split
from .networks import check_device


def training_batches(dataset, batch_size=16, shuffle=True, drop_last=True, **loader_options):
    """torch's ``DataLoader`` over the training samples, as skorch's ``iterator_train``; one change.

    With ``drop_last``, a ``dataset`` of fewer than ``batch_size`` samples (and at least
    one) is one smaller batch instead of none: without it a fit on very few labels
    would make no optimizer step at all. A dataset of ``batch_size`` samples or more
    is batched exactly as ``DataLoader(dataset, batch_size, shuffle, drop_last)``
    batches it, with the same draws from torch's global generator.

    Parameters
    ----------
    dataset : torch map-style dataset (skorch's ``Dataset``)
    batch_size : int >= 1
    shuffle, drop_last : bool
    **loader_options
        Passed on to ``DataLoader`` (e.g. ``collate_fn``, which Annot-Mix and
        :class:`~crowdal_utils.learners.classifiers.MixUpCollate` use).

    Returns
    -------
    torch.utils.data.DataLoader
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    drop_last = bool(drop_last) and len(dataset) >= batch_size
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, **loader_options)


def skorch_settings(n_classes, max_epochs=100, device=None):
    """Training settings shared by every network of the tutorial (one place to change them).

    The reference's hyperparameters: RAdam (lr 0.01, no weight decay), cosine
    schedule over ``max_epochs``, batches of 16 shuffled samples with the last
    incomplete batch dropped, no validation split. Where the reference's loader
    would make no step at all (fewer than 16 labelled samples, e.g. a student's
    ``query_batch_size=8``), the samples form one smaller batch instead
    (:func:`training_batches`); with 16 or more nothing changes. One deliberate
    change: the reference loads batches through a DataLoader with one worker
    process, which is re-spawned every epoch; here the DataLoader runs in the main
    process. That changes one thing that is computed: Annot-Mix draws its MixUp
    coefficients while batches are put together, so they now come from the main
    process's seeded generator instead of the worker's own random stream (same
    distribution, other numbers). Two implementation choices make a step cheaper:
    RAdam's ``foreach`` variant (one call per operation for all parameters instead
    of one per parameter) and, in :func:`fit_seeded`, torch's native convolution;
    the same arithmetic, rounded differently in the last bits.
    ``benchmarks/README.md`` measures each lever.

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
        # torch's DataLoader, but fewer samples than one batch form one batch instead of none (a fit always trains)
        "iterator_train": training_batches,
        "iterator_train__shuffle": True,
        "iterator_train__batch_size": 16,
        "iterator_train__drop_last": True,
        "iterator_valid__batch_size": 64,
        "train_split": None,
        "callbacks": [("lr_scheduler", LRScheduler(policy=CosineAnnealingLR, T_max=max_epochs))],
        "verbose": 0,
        "device": check_device(device),
    }


def fit_seeded(classifier, X, y, seed):
    """Seed torch with ``seed``, then ``classifier.fit(X, y)`` on one torch thread with :func:`native_convolutions`.

    scikit-activeml never seeds torch, so weight initialisation, shuffling and
    Annot-Mix's MixUp draws come from torch's global generator. Seeding it right
    before every fit makes the same fit give the same network on CPU. One thread:
    for this tiny network a second thread costs more than it saves, and the number
    of threads changes how sums are split, so with one the numbers do not depend on
    the machine's cores (see :mod:`crowdal_utils.experiment.parallel`). Returns the classifier
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


def train_and_score(classifier, data, y, seed=0, checkpoint_dir=None):
    """Fit ``classifier`` on ``(data.X_train, y)`` with torch seeded, return its test accuracy.

    ``y`` is whatever the classifier's ``fit`` takes: shape (n_train,) for a
    single-annotator model, (n_train, n_annotators) for the crowd classifiers.
    With ``checkpoint_dir``, the fitted classifier is kept there and the same fit
    (same settings, labels, seed and code) is loaded instead of trained again
    (:func:`crowdal_utils.learners.fit_or_load`); ``None`` trains every time.
    """
    check_split(data)
    if checkpoint_dir is None:
        fit_seeded(classifier, data.X_train, y, seed)
    else:
        from .fit_checkpoints import fit_or_load  # imported here: that module builds on this one

        fit_or_load(classifier, data.X_train, y, seed, checkpoint_dir)
    return float(classifier.score(data.X_test, data.y_test))


@contextmanager
def torch_threads(n_threads):
    """Let torch use ``n_threads`` intra-op threads inside the block, then restore the previous number."""
    n_threads = check_int(n_threads, "n_threads", minimum=1)
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
