import numpy as np
import pytest

from crowdal_utils import load_digits_split


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
