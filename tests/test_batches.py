import numpy as np
import pytest
import torch
from skorch.dataset import Dataset
from torch.utils.data import DataLoader, TensorDataset

from crowdal_utils.batches import TensorBatchIterator
from crowdal_utils.models import fit_seeded, make_learner


def _skorch_dataset(n=37):
    rng = np.random.default_rng(0)
    return Dataset(rng.random((n, 1, 8, 8), dtype=np.float32), rng.integers(0, 10, n))


def _batches(iterator_cls, dataset, seed, **kwargs):
    torch.manual_seed(seed)
    return [[t.clone() for t in batch] for epoch in range(2) for batch in iterator_cls(dataset, **kwargs)]


@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("drop_last", [True, False])
@pytest.mark.parametrize("make_dataset", [_skorch_dataset, lambda: TensorDataset(torch.arange(37.0), torch.arange(37))])
def test_same_batches_and_random_draws_as_dataloader(shuffle, drop_last, make_dataset):
    dataset = make_dataset()
    kwargs = dict(batch_size=16, shuffle=shuffle, drop_last=drop_last)
    ours, theirs = _batches(TensorBatchIterator, dataset, 3, **kwargs), _batches(DataLoader, dataset, 3, **kwargs)
    assert len(ours) == len(theirs) == 2 * len(TensorBatchIterator(dataset, **kwargs))
    for a, b in zip(ours, theirs, strict=True):
        for x, y in zip(a, b, strict=True):
            assert x.dtype == y.dtype and torch.equal(x, y)
    # both left torch's global generator in the same state
    torch.manual_seed(3)
    list(TensorBatchIterator(dataset, **kwargs))
    after_ours = torch.rand(1)
    torch.manual_seed(3)
    list(DataLoader(dataset, **kwargs))
    assert torch.equal(after_ours, torch.rand(1))


def test_collate_fn_receives_per_sample_pairs():
    seen = []
    batches = list(TensorBatchIterator(_skorch_dataset(10), batch_size=4, collate_fn=lambda b: seen.append(b) or 0))
    assert batches == [0, 0, 0] and [len(b) for b in seen] == [4, 4, 2]
    x, y = seen[0][0]
    assert x.shape == (1, 8, 8) and y.shape == ()


@pytest.mark.parametrize("name", ["majority-vote", "annot-mix"])
def test_a_seeded_fit_gives_the_same_network_as_with_dataloader(name, data, crowd):
    y = np.full(crowd.shape, np.nan, dtype=np.float32)
    rng = np.random.default_rng(1)
    samples, annotators = rng.choice(len(crowd), 96, replace=False), rng.integers(0, crowd.shape[1], 96)
    y[samples, annotators] = crowd[samples, annotators]
    probas = []
    for iterator in (TensorBatchIterator, DataLoader):
        clf = make_learner(name, data.classes, crowd.shape[1], 0, max_epochs=3, device="cpu")
        clf.neural_net_param_dict["iterator_train"] = iterator
        probas.append(fit_seeded(clf, data.X_train, y, 7).predict_proba(data.X_test))
    np.testing.assert_array_equal(probas[0], probas[1])


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"num_workers": 1}, ValueError, "num_workers"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 2.5}, TypeError, "batch_size"),
        ({"collate_fn": "stack"}, TypeError, "collate_fn"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, err, match):
    with pytest.raises(err, match=match):
        TensorBatchIterator(_skorch_dataset(), **kwargs)
