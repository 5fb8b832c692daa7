import numpy as np
import pytest

from crowdal_utils.data.digits import DataSplit, load_digits_split


def test_split_matches_reference_shapes_and_scaling(data):
    assert data.X_train.shape == (898, 1, 8, 8)
    assert data.X_test.shape == (899, 1, 8, 8)
    assert data.X_train.dtype == np.float32
    assert 0.0 == data.X_train.min() and data.X_train.max() == 1.0
    assert data.classes.tolist() == list(range(10))


def test_split_is_stratified_and_deterministic(data):
    train_share = np.bincount(data.y_train) / len(data.y_train)
    test_share = np.bincount(data.y_test) / len(data.y_test)
    assert np.abs(train_share - test_share).max() < 0.01
    again = load_digits_split()
    assert np.array_equal(again.X_train, data.X_train) and np.array_equal(again.y_test, data.y_test)


def test_other_seed_gives_other_split(data):
    assert not np.array_equal(load_digits_split(random_state=1).y_train, data.y_train)


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"test_size": 1.5}, ValueError, "test_size"),
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"test_size": "half"}, TypeError, "test_size"),
        ({"random_state": -1}, ValueError, "random_state"),
        ({"random_state": 0.5}, TypeError, "random_state"),
    ],
)
def test_bad_arguments_are_named(kwargs, err, match):
    with pytest.raises(err, match=match):
        load_digits_split(**kwargs)


def _split_with(data, **changes):
    parts = dict(
        X_train=data.X_train, X_test=data.X_test, y_train=data.y_train, y_test=data.y_test, classes=data.classes
    )
    return DataSplit(**{**parts, **changes})


def _with_nan(X):
    X = X.copy()
    X[3, 0, 4, 4] = np.nan
    return X


@pytest.mark.parametrize(
    "changes, err, match",
    [
        (lambda d: {"X_train": _with_nan(d.X_train)}, ValueError, "`X_train` contains NaN"),
        (lambda d: {"X_test": np.full_like(d.X_test, np.inf)}, ValueError, "`X_test` contains NaN or infinite"),
        (lambda d: {"X_train": d.X_train.tolist()}, TypeError, "X_train"),
        (lambda d: {"X_train": (d.X_train * 16).astype(int)}, ValueError, "`X_train` must hold floating-point"),
        (lambda d: {"X_train": d.X_train[:10]}, ValueError, "`X_train` has 10 samples but the labels number 898"),
        (lambda d: {"X_test": d.X_test.reshape(len(d.X_test), 64)}, ValueError, "same sample shape"),
        (lambda d: {"y_train": np.where(d.y_train == 9, 11, d.y_train)}, ValueError, r"`y_train` holds labels \[11\]"),
        (lambda d: {"y_test": d.y_test.astype(float)}, ValueError, "`y_test` must hold integer"),
        (lambda d: {"classes": np.array([1])}, ValueError, "classes"),
    ],
)
def test_a_split_with_bad_parts_is_refused_by_name(data, changes, err, match):
    with pytest.raises(err, match=match):
        _split_with(data, **changes(data))
