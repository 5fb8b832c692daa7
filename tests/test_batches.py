"""The training loader: torch's DataLoader, except that fewer samples than a batch still make one batch."""

import warnings

import numpy as np
import pytest
import torch
from skorch.dataset import Dataset
from torch.utils.data import DataLoader

from crowdal_utils.learners.classifiers import MixUpCollate
from crowdal_utils.learners.factory import make_learner
from crowdal_utils.learners.training import fit_seeded, training_batches


def _skorch_dataset(n=37):
    rng = np.random.default_rng(0)
    return Dataset(rng.random((n, 1, 8, 8), dtype=np.float32), rng.integers(0, 10, n))


def _batches(make_loader, dataset, seed, **kwargs):
    torch.manual_seed(seed)
    return [[t.clone() for t in batch] for epoch in range(2) for batch in make_loader(dataset, **kwargs)]


@pytest.mark.parametrize("n", [1, 7, 15, 16, 37])
def test_fewer_samples_than_a_batch_make_one_batch_and_more_are_batched_as_dataloader_does(n):
    dataset = _skorch_dataset(n)
    ours = _batches(training_batches, dataset, 3, batch_size=16, shuffle=True, drop_last=True)
    theirs = _batches(DataLoader, dataset, 3, batch_size=16, shuffle=True, drop_last=True)
    if n < 16:
        assert theirs == [] and [len(x) for x, _ in ours] == [n, n]  # one batch per epoch instead of none
        assert sorted(ours[0][1].tolist()) == sorted(dataset.y.tolist())  # every sample, once
    else:
        assert [len(x) for x, _ in ours] == [16] * (2 * (n // 16))
        assert all(torch.equal(a, b) for o, t in zip(ours, theirs, strict=True) for a, b in zip(o, t, strict=True))


def test_a_fit_on_fewer_labels_than_a_batch_trains(data, crowd):
    y = np.full(crowd.shape, np.nan)
    y[:8, 0] = crowd[:8, 0]
    clf = make_learner("majority-vote", data.classes, crowd.shape[1], 0, max_epochs=5, device="cpu")
    untrained = make_learner("majority-vote", data.classes, crowd.shape[1], 0, max_epochs=5, device="cpu")
    untrained.neural_net_param_dict["iterator_train"] = DataLoader  # the reference's loader
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "lr_scheduler.step() before optimizer.step()": the optimizer stepped
        trained = fit_seeded(clf, data.X_train, y, 0).predict_proba(data.X_test[:20])
    with pytest.warns(UserWarning, match="optimizer.step"):  # what the reference's loader does: no step at all
        initial = fit_seeded(untrained, data.X_train, y, 0).predict_proba(data.X_test[:20])
    assert not np.allclose(trained, initial)


def test_mixup_mixes_the_loaders_numpy_samples_into_soft_labels():
    torch.manual_seed(0)
    loader = training_batches(_skorch_dataset(16), batch_size=8, collate_fn=MixUpCollate(10, alpha=0.5))
    x, y = next(iter(loader))
    assert x.shape == (8, 1, 8, 8) and x.dtype == torch.float32 and y.shape == (8, 10)
    torch.testing.assert_close(y.sum(dim=1), torch.ones(8))  # each row mixes two one-hot labels
    assert ((y > 0).sum(dim=1) <= 2).all() and ((y > 0) & (y < 1)).any()


@pytest.mark.parametrize("batch_size, err", [(0, ValueError), (2.5, TypeError)])
def test_a_bad_batch_size_is_rejected(batch_size, err):
    with pytest.raises(err, match="batch_size"):
        training_batches(_skorch_dataset(), batch_size=batch_size)
