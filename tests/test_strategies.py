import numpy as np
import pytest
from skactiveml.pool.multiannotator import SingleAnnotatorWrapper

from crowdal_utils.strategies import QUERY_STRATEGIES, make_query_strategy


@pytest.mark.parametrize("name", sorted(QUERY_STRATEGIES))
def test_strategies_pick_new_pairs_reproducibly(name, data, crowd):
    y = np.full(crowd.shape, np.nan)
    y[:10, 0] = crowd[:10, 0]
    picks = [make_query_strategy(name, 3).query(X=data.X_train, y=y, batch_size=20) for _ in range(2)]
    assert isinstance(make_query_strategy(name, 3), SingleAnnotatorWrapper)
    assert np.array_equal(picks[0], picks[1]) and picks[0].shape == (20, 2)
    assert np.isnan(y[picks[0][:, 0], picks[0][:, 1]]).all()  # never a pair asked before


@pytest.mark.parametrize(
    "args, err, match",
    [
        (("margin", 0), ValueError, "query_strategy.*'margin'"),
        (("random", -1), ValueError, "random_state"),
        (("random", "0"), TypeError, "random_state"),
    ],
)
def test_bad_arguments_are_named(args, err, match):
    with pytest.raises(err, match=match):
        make_query_strategy(*args)
