import numpy as np
import pytest

from crowdal_utils.experiment.regimes import compare_in_regimes, draw_partial_labels


def test_draw_keeps_k_distinct_annotators_on_n_samples_and_their_own_labels(crowd):
    y = draw_partial_labels(crowd, 40, 3, random_state=7)
    kept = ~np.isnan(y)
    assert y.shape == crowd.shape
    assert kept.any(axis=1).sum() == 40 and set(kept.sum(axis=1)) == {0, 3}
    np.testing.assert_array_equal(y[kept], crowd[kept])
    assert np.array_equal(draw_partial_labels(crowd, 40, 3, 7), y, equal_nan=True)
    assert not np.array_equal(draw_partial_labels(crowd, 40, 3, 8), y, equal_nan=True)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((0, 1, 0), ValueError, "n_samples"),
        ((10**6, 1, 0), ValueError, "n_samples"),
        ((10, 6, 0), ValueError, "labels_per_sample"),
        ((10, 1.5, 0), TypeError, "labels_per_sample"),
        ((10, 1, -1), ValueError, "random_state"),
    ],
)
def test_draw_names_the_bad_argument(crowd, args, error, match):
    with pytest.raises(error, match=match):
        draw_partial_labels(crowd, *args)


def test_compare_fits_every_learner_on_the_same_draw_for_any_n_jobs(data, crowd):
    args = (["majority-vote", "crowd-layer"], data, crowd, [(30, 1), (10, 3)])
    one = compare_in_regimes(*args, seeds=(0, 1), max_epochs=1, n_jobs=1)
    assert list(one.columns) == ["seed 0", "seed 1"]
    assert list(one.index) == [
        ("30 x 1", "Majority vote (MV)"),
        ("30 x 1", "CrowdLayer (80 % start)"),
        ("10 x 3", "Majority vote (MV)"),
        ("10 x 3", "CrowdLayer (80 % start)"),
    ]
    assert ((one.to_numpy() >= 0) & (one.to_numpy() <= 1)).all()
    two = compare_in_regimes(*args, seeds=(0, 1), max_epochs=1, n_jobs=2)
    assert one.equals(two)
    with pytest.raises(ValueError, match="crowd learners"):
        compare_in_regimes(["true-labels"], data, crowd, [(30, 1)], max_epochs=1)
    with pytest.raises(ValueError, match="`learners` must be one of|`learner` must be one of"):
        compare_in_regimes(["svm"], data, crowd, [(30, 1)], max_epochs=1)
