"""Training batches served from ready tensors: a drop-in for skorch's ``iterator_train``.

skorch trains through ``iterator_train(dataset, **iterator_train__params)``, by
default torch's ``DataLoader``. For our few hundred 8x8 images the DataLoader's
machinery is a visible share of each step: it fetches 16 samples one by one from
skorch's ``Dataset`` (one multi-indexing call each), turns every numpy array into
a tensor and stacks them. :class:`TensorBatchIterator` converts the training
arrays to tensors once per epoch and slices batches out of them.

It draws from torch's global generator exactly as ``DataLoader(num_workers=0)``
with a ``RandomSampler`` does (one draw for the loader's base seed, one for the
shuffling seed, then ``randperm``), so a seeded fit gives the **same network,
bit for bit**, with either iterator (``tests/test_batches.py`` checks this for
both classifiers of the tutorial).
"""

import numpy as np
import torch
from skorch.dataset import Dataset

from ._validation import check_int


def _as_tensor(array):
    """A tensor sharing memory with ``array`` when it is numeric, else ``None``."""
    if isinstance(array, torch.Tensor):
        return array
    if isinstance(array, np.ndarray) and array.dtype.kind in "biuf":
        return torch.as_tensor(array)
    return None


class TensorBatchIterator:
    """Iterate over a skorch ``Dataset`` in mini-batches, like ``DataLoader`` without workers.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset or any map-style torch dataset
        With a plain skorch ``Dataset`` over numeric arrays ``X`` of shape
        (n_samples, ...) and ``y`` of shape (n_samples, ...), batches are sliced from
        tensors; any other dataset is fetched sample by sample, as ``DataLoader`` does.
    batch_size : int >= 1
    shuffle : bool
        A new random order every epoch, drawn from torch's global generator (or
        ``generator``).
    drop_last : bool
        Drop the last batch when it is smaller than ``batch_size``.
    keep_a_batch : bool, default=False
        With ``drop_last``: when the dataset holds fewer than ``batch_size`` samples
        (and at least one), yield them as one smaller batch instead of none, so that a
        fit on very few labels still trains. ``DataLoader`` has no such switch: with
        ``drop_last`` it would make no optimizer step at all. Datasets of at least
        ``batch_size`` samples are batched exactly as without it.
    collate_fn : callable or None
        ``None`` yields ``(X_batch, y_batch)`` tensors of shapes (batch_size, ...).
        Otherwise it is called, as by ``DataLoader``, with a list of per-sample
        ``(x_i, y_i)`` pairs (here tensors rather than numpy arrays; skactiveml's
        Annot-Mix collate passes them through ``default_collate``, which treats both alike).
    num_workers : int
        Only 0 is accepted: worker processes are what this class avoids.
    generator : torch.Generator or None
        As ``DataLoader``'s ``generator``.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, collate_fn=None, num_workers=0,
                 generator=None, keep_a_batch=False):  # fmt: skip
        if num_workers != 0:
            raise ValueError(
                f"`num_workers` must be 0 for TensorBatchIterator, got {num_workers!r}; "
                "use torch.utils.data.DataLoader for worker processes."
            )
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"`collate_fn` must be callable or None, got {type(collate_fn).__name__}.")
        self.dataset = dataset
        self.batch_size = check_int(batch_size, "batch_size", minimum=1)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.keep_a_batch = bool(keep_a_batch)
        self.collate_fn = collate_fn
        self.generator = generator

    def _stop(self, n):
        """Where the last batch ends: ``n``, or the last full batch's end when ``drop_last`` drops a partial one."""
        if not self.drop_last or (self.keep_a_batch and n < self.batch_size):
            return n
        return n - n % self.batch_size

    def __len__(self):
        return -(-self._stop(len(self.dataset)) // self.batch_size)

    def _order(self, n):
        """Sample order of one epoch, consuming random numbers as ``DataLoader`` does."""
        torch.empty((), dtype=torch.int64).random_(generator=self.generator)  # DataLoader's base seed
        if not self.shuffle:
            return torch.arange(n)
        generator = self.generator
        if generator is None:  # RandomSampler seeds a private generator from the global one
            generator = torch.Generator()
            generator.manual_seed(int(torch.empty((), dtype=torch.int64).random_().item()))
        return torch.randperm(n, generator=generator)

    def _tensors(self):
        """``(X, y)`` as tensors when the dataset is a plain skorch Dataset of numeric arrays, else ``None``."""
        if type(self.dataset) is not Dataset or self.dataset.y is None:
            return None
        X, y = _as_tensor(self.dataset.X), _as_tensor(self.dataset.y)
        return None if X is None or y is None else (X, y)

    def __iter__(self):
        n = len(self.dataset)
        order = self._order(n)
        stop = self._stop(n)
        tensors = self._tensors()
        for start in range(0, stop, self.batch_size):
            idx = order[start : start + self.batch_size]
            if tensors is None:
                samples = [self.dataset[i] for i in idx.tolist()]
                yield (self.collate_fn or torch.utils.data.default_collate)(samples)
                continue
            X_batch, y_batch = tensors[0][idx], tensors[1][idx]
            if self.collate_fn is None:
                yield X_batch, y_batch
            else:
                yield self.collate_fn(list(zip(X_batch.unbind(0), y_batch.unbind(0), strict=True)))
