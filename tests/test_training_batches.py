"""The training loader: torch's DataLoader, except that an epoch over few samples still makes four batches."""

import warnings

import numpy as np
import pytest
import torch
from skorch.dataset import Dataset
from torch.utils.data import DataLoader

from crowdal_utils.learners.classifiers import MixUpCollate
from crowdal_utils.learners.factory import make_learner
from crowdal_utils.learners.training import fit_seeded, steps_per_fit, training_batches


def _skorch_dataset(n=37):
    rng = np.random.default_rng(0)
    return Dataset(rng.random((n, 1, 8, 8), dtype=np.float32), rng.integers(0, 10, n))


def _batches(make_loader, dataset, seed, **kwargs):
    torch.manual_seed(seed)
    return [[t.clone() for t in batch] for epoch in range(2) for batch in make_loader(dataset, **kwargs)]


@pytest.mark.parametrize("n", [64, 65, 100])
def test_an_epoch_over_64_samples_or_more_is_batched_exactly_as_dataloader_batches_it(n):
    dataset = _skorch_dataset(n)
    ours = _batches(training_batches, dataset, 3, batch_size=16, shuffle=True, drop_last=True)
    theirs = _batches(DataLoader, dataset, 3, batch_size=16, shuffle=True, drop_last=True)
    assert [len(x) for x, _ in ours] == [16] * (2 * (n // 16))
    assert all(torch.equal(a, b) for o, t in zip(ours, theirs, strict=True) for a, b in zip(o, t, strict=True))


@pytest.mark.parametrize("n", [1, 7, 16, 28, 63])
def test_an_epoch_over_fewer_samples_makes_four_full_batches_every_sample_once_before_any_twice(n):
    dataset = _skorch_dataset(n)
    batches = _batches(training_batches, dataset, 3, batch_size=16, shuffle=True, drop_last=True)
    assert [len(x) for x, _ in batches] == [16] * 8  # 4 batches in each of the 2 epochs
    for epoch in (batches[:4], batches[4:]):
        drawn = torch.cat([y for _, y in epoch]).tolist()  # the samples' labels stand for the samples here
        x = torch.cat([x for x, _ in epoch])
        rows = [int(np.flatnonzero((dataset.X.reshape(n, -1) == row.numpy().ravel()).all(axis=1))[0]) for row in x]
        counts = np.bincount(rows, minlength=n)
        assert counts.max() - counts.min() <= 1  # consecutive permutations: nobody drawn twice before all once
        assert sorted(drawn) == sorted(dataset.y[rows].tolist())
    # the reference's loader makes floor(n / 16) batches: fewer steps, none at all below 16
    reference = _batches(DataLoader, dataset, 3, batch_size=16, shuffle=True, drop_last=True)
    assert len(reference) == 2 * (n // 16) < len(batches)


def test_the_floor_is_a_setting_and_one_batch_is_the_reference_budget():
    dataset = _skorch_dataset(40)
    one = _batches(training_batches, dataset, 0, batch_size=16, min_batches_per_epoch=1)
    reference = _batches(DataLoader, dataset, 0, batch_size=16, shuffle=True, drop_last=True)
    assert len(one) == len(reference) == 4  # 2 epochs x floor(40 / 16)
    assert all(torch.equal(a, b) for o, t in zip(one, reference, strict=True) for a, b in zip(o, t, strict=True))
    assert len(_batches(training_batches, dataset, 0, batch_size=8, min_batches_per_epoch=6)) == 12
    unshuffled = _batches(training_batches, _skorch_dataset(5), 0, batch_size=4, shuffle=False, min_batches_per_epoch=2)
    assert [y.tolist() for _, y in unshuffled[:2]] == [
        _skorch_dataset(5).y[[0, 1, 2, 3]].tolist(),
        _skorch_dataset(5).y[[4, 0, 1, 2]].tolist(),
    ]


@pytest.mark.parametrize("n", [28, 70])
def test_a_fit_makes_the_steps_steps_per_fit_counts(data, crowd, n):
    y = np.full(crowd.shape, np.nan)
    y[:n, 0] = crowd[:n, 0]
    steps = {}
    for floor in (1, 4):
        clf = make_learner("majority-vote", data.classes, crowd.shape[1], 0, max_epochs=3, device="cpu",
                           min_batches_per_epoch=floor)  # fmt: skip
        fit_seeded(clf, data.X_train, y, 0)
        steps[floor] = sum(len(epoch["batches"]) for epoch in clf.neural_net_.history)
        assert steps[floor] == steps_per_fit(n, max_epochs=3, min_batches_per_epoch=floor)
    # 28 samples: floor(28 / 16) = 1 step per epoch, or the floor's 4; 70 samples: 4 steps per epoch either way
    assert steps == ({1: 3, 4: 12} if n == 28 else {1: 12, 4: 12})


def test_a_fit_on_fewer_labels_than_a_batch_trains(data, crowd):
    y = np.full(crowd.shape, np.nan)
    y[:8, 0] = crowd[:8, 0]
    clf = make_learner("majority-vote", data.classes, crowd.shape[1], 0, max_epochs=5, device="cpu")
    untrained = make_learner("majority-vote", data.classes, crowd.shape[1], 0, max_epochs=5, device="cpu")
    untrained.neural_net_param_dict["iterator_train"] = DataLoader  # the reference's loader
    del untrained.neural_net_param_dict["iterator_train__min_batches_per_epoch"]  # DataLoader has no floor
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


@pytest.mark.parametrize("floor, err", [(0, ValueError), (1.5, TypeError)])
def test_a_bad_floor_is_rejected_by_name(floor, err):
    with pytest.raises(err, match="min_batches_per_epoch"):
        training_batches(_skorch_dataset(), min_batches_per_epoch=floor)
    with pytest.raises(err, match="min_batches_per_epoch"):
        make_learner("majority-vote", np.arange(10), 5, 0, min_batches_per_epoch=floor)
