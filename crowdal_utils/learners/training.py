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
from torch.utils.data import DataLoader, RandomSampler

from .._validation import check_int, check_samples
from .networks import check_device


def training_batches(dataset, batch_size=16, shuffle=True, drop_last=True, min_batches_per_epoch=4, **loader_options):
    """torch's ``DataLoader`` over the training samples, as skorch's ``iterator_train``, with a floor on the steps.

    An epoch of ``DataLoader(dataset, batch_size, shuffle, drop_last)`` makes
    ⌊n / ``batch_size``⌋ optimizer steps for n samples, so a fit on few labelled
    samples trains far less than a fit on many (100 epochs: 100 steps on 28 samples,
    400 on 64) and can end near chance. Here an epoch over fewer than
    ``min_batches_per_epoch × batch_size`` samples draws that many samples instead,
    as consecutive random permutations of the dataset (torch's ``RandomSampler``
    with ``num_samples``): every sample once before any sample twice, and
    ``min_batches_per_epoch`` full batches however few samples there are. A dataset
    of ``min_batches_per_epoch × batch_size`` samples or more is batched exactly as
    the plain ``DataLoader`` batches it, with the same draws from torch's global
    generator, so those fits do not change by a bit.

    Parameters
    ----------
    dataset : torch map-style dataset (skorch's ``Dataset``) of n >= 1 samples
    batch_size : int >= 1
    shuffle, drop_last : bool
        As for ``DataLoader``; below the floor the batches are always full and, without
        ``shuffle``, the samples are taken in order, round and round.
    min_batches_per_epoch : int >= 1, default=4
        4 × 16 = 64 samples: the first batch of the course's loop. ``1`` is the
        reference's loader for 16 samples or more.
    **loader_options
        Passed on to ``DataLoader`` (e.g. ``collate_fn``, which Annot-Mix and
        :class:`~crowdal_utils.learners.classifiers.MixUpCollate` use).

    Returns
    -------
    torch.utils.data.DataLoader
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    min_batches_per_epoch = check_int(min_batches_per_epoch, "min_batches_per_epoch", minimum=1)
    floor = min_batches_per_epoch * batch_size
    if len(dataset) >= floor:
        return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, **loader_options)
    if shuffle:
        sampler = RandomSampler(dataset, replacement=False, num_samples=floor)
    else:
        sampler = [k % len(dataset) for k in range(floor)]
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, drop_last=True, **loader_options)


def skorch_settings(n_classes, max_epochs=100, device=None, min_batches_per_epoch=4):
    """Training settings shared by every network of the tutorial (one place to change them).

    The reference's hyperparameters: RAdam (lr 0.01, no weight decay), cosine
    schedule over ``max_epochs``, batches of 16 shuffled samples with the last
    incomplete batch dropped, no validation split. One change to what is trained: an
    epoch makes at least ``min_batches_per_epoch`` optimizer steps
    (:func:`training_batches`). The reference's epochs make ⌊n / 16⌋ steps for n
    labelled samples, so a fit on few samples — a first cycle with gold tasks, a
    strategy that buys many labels per sample, a student's small
    ``query_batch_size`` — also trains far less, and can end at chance; with the
    default floor every fit gets at least the 400 steps of a fit on the loop's first
    batch of 64 samples, and fits on 64 samples or more are exactly the reference's.
    One change to how batches are made: the reference loads them through a
    DataLoader with one worker process, which is re-spawned every epoch; here the
    DataLoader runs in the main process. That changes one thing that is computed:
    Annot-Mix draws its MixUp coefficients while batches are put together, so they
    now come from the main process's seeded generator instead of the worker's own
    random stream (same distribution, other numbers). Two implementation choices
    make a step cheaper: RAdam's ``foreach`` variant (one call per operation for all
    parameters instead of one per parameter) and, in :func:`fit_seeded`, torch's
    native convolution; the same arithmetic, rounded differently in the last bits.
    ``benchmarks/README.md`` measures each lever.

    Parameters
    ----------
    n_classes : int >= 2
    max_epochs : int >= 1, default=100
    device : str or None
        ``None`` picks CUDA when available.
    min_batches_per_epoch : int >= 1, default=4
        The floor on optimizer steps per epoch; ``1`` gives the reference's budget of
        ⌊n / 16⌋ steps per epoch (notebook 02 compares the two).

    Returns
    -------
    dict
        A fresh ``neural_net_param_dict`` (callbacks are not shared between calls).
    """
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
    min_batches_per_epoch = check_int(min_batches_per_epoch, "min_batches_per_epoch", minimum=1)
    return {
        "module__n_classes": n_classes,
        "max_epochs": max_epochs,
        "optimizer": RAdam,
        "optimizer__lr": 0.01,
        "optimizer__weight_decay": 0.0,
        "optimizer__foreach": True,  # same RAdam update, applied to all tensors at once: faster
        # torch's DataLoader, but an epoch over few samples draws min_batches_per_epoch batches (see training_batches)
        "iterator_train": training_batches,
        "iterator_train__shuffle": True,
        "iterator_train__batch_size": 16,
        "iterator_train__drop_last": True,
        "iterator_train__min_batches_per_epoch": min_batches_per_epoch,
        "iterator_valid__batch_size": 64,
        "train_split": None,
        "callbacks": [("lr_scheduler", LRScheduler(policy=CosineAnnealingLR, T_max=max_epochs))],
        "verbose": 0,
        "device": check_device(device),
    }


def steps_per_fit(n_samples, max_epochs=100, batch_size=16, min_batches_per_epoch=4):
    """Optimizer steps of one fit on ``n_samples`` labelled samples: ``max_epochs × max(⌊n / batch_size⌋, floor)``.

    What :func:`training_batches` makes: ⌊n / ``batch_size``⌋ full batches per epoch
    (the last incomplete one dropped), but never fewer than ``min_batches_per_epoch``.
    ``min_batches_per_epoch=1`` is the reference's budget for 16 samples or more.
    """
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    min_batches_per_epoch = check_int(min_batches_per_epoch, "min_batches_per_epoch", minimum=1)
    return max_epochs * max(n_samples // batch_size, min_batches_per_epoch)


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
