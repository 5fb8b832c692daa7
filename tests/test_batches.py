import warnings

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


@pytest.mark.parametrize("n", [1, 7, 15, 16, 37])
def test_keep_a_batch_trains_on_fewer_samples_than_a_batch_and_changes_nothing_else(n):
    dataset = _skorch_dataset(n)
    kept = _batches(TensorBatchIterator, dataset, 3, batch_size=16, shuffle=True, drop_last=True, keep_a_batch=True)
    dropped = _batches(TensorBatchIterator, dataset, 3, batch_size=16, shuffle=True, drop_last=True)
    if n < 16:
        assert dropped == [] and [len(x) for x, _ in kept] == [n, n]  # one batch per epoch instead of none
        assert len(TensorBatchIterator(dataset, batch_size=16, drop_last=True, keep_a_batch=True)) == 1
        assert sorted(kept[0][1].tolist()) == sorted(dataset.y.tolist())  # every sample, once
    else:
        assert len(kept) == len(dropped) and all(
            torch.equal(a, b) for k, d in zip(kept, dropped, strict=True) for a, b in zip(k, d, strict=True)
        )


def test_a_fit_on_fewer_labels_than_a_batch_trains(data, crowd):
    y = np.full(crowd.shape, np.nan)
    y[:8, 0] = crowd[:8, 0]
    clf = make_learner("majority-vote", data.classes, crowd.shape[1], 0, max_epochs=5, device="cpu")
    untrained = make_learner("majority-vote", data.classes, crowd.shape[1], 0, max_epochs=5, device="cpu")
    untrained.neural_net_param_dict["iterator_train__keep_a_batch"] = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "lr_scheduler.step() before optimizer.step()": the optimizer stepped
        trained = fit_seeded(clf, data.X_train, y, 0).predict_proba(data.X_test[:20])
    with pytest.warns(UserWarning, match="optimizer.step"):  # what the reference's loader does: no step at all
        initial = fit_seeded(untrained, data.X_train, y, 0).predict_proba(data.X_test[:20])
    assert not np.allclose(trained, initial)


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
        if iterator is DataLoader:  # 96 samples: keep_a_batch changes nothing, and DataLoader does not take it
            del clf.neural_net_param_dict["iterator_train__keep_a_batch"]
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
