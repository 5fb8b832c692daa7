"""Sample strategies through SingleAnnotatorWrapper with an already fitted crowd learner."""

import warnings

import numpy as np
import pytest
from skactiveml.pool.multiannotator import SingleAnnotatorWrapper

from crowdal_utils.experiment.config import ExperimentConfig
from crowdal_utils.experiment.loop import prepare_crowd, run_repetition
from crowdal_utils.learners.factory import make_learner
from crowdal_utils.learners.training import fit_seeded
from crowdal_utils.selection import purchases as purchases_module
from crowdal_utils.selection.strategies import QUERY_STRATEGIES, get_strategy, make_query_strategy


@pytest.fixture(scope="module")
def labelled(crowd):
    """100 samples with one label each, 20 of them with a second one."""
    rng = np.random.default_rng(3)
    y = np.full(crowd.shape, np.nan)
    samples = rng.choice(len(crowd), 100, replace=False)
    y[samples, 0] = crowd[samples, 0]
    y[samples[:20], 3] = crowd[samples[:20], 3]
    return y


@pytest.fixture(scope="module", params=["majority-vote", "annot-mix"])
def fitted(request, data, labelled):
    clf = make_learner(request.param, data.classes, 5, random_state=0, max_epochs=3, device="cpu")
    return fit_seeded(clf, data.X_train, labelled, seed=0)


def _query(name, clf, data, y, batch_size=16, seed=4, crowd=None):
    strategy = get_strategy(name)
    X = data.X_train
    if strategy.features == "embeddings":
        X = clf.predict_proba(data.X_train, extra_outputs=["embeddings"])[1]
    wrapper = make_query_strategy(name, seed)
    if strategy.chooses_annotators:  # IEThresh: queried until the batch is bought, as the loop does
        state = purchases_module.CycleState(X, clf, arguments=strategy.query_arguments(clf=clf))
        return purchases_module.IEThreshPurchase(wrapper, seed).buy(y.copy(), crowd, state, batch_size, cycle=2)
    extra = strategy.query_arguments(clf=clf, crowd_labels=y)
    return wrapper.query(X=X, y=y, batch_size=batch_size, n_annotators_per_sample=1, **extra)


@pytest.mark.parametrize("name", list(QUERY_STRATEGIES))
def test_every_strategy_returns_new_valid_pairs_reproducibly(name, fitted, data, labelled, crowd):
    pairs = _query(name, fitted, data, labelled, crowd=crowd)
    chooses_annotators = get_strategy(name).chooses_annotators
    assert isinstance(make_query_strategy(name, 4), SingleAnnotatorWrapper) != chooses_annotators
    assert pairs.shape == (16, 2) and pairs.dtype.kind == "i"
    assert np.all((0 <= pairs[:, 0]) & (pairs[:, 0] < len(data.y_train)))
    assert np.all((0 <= pairs[:, 1]) & (pairs[:, 1] < 5))
    assert np.isnan(labelled[pairs[:, 0], pairs[:, 1]]).all()  # never a pair asked before
    assert len({tuple(p) for p in pairs}) == 16
    assert np.array_equal(pairs, _query(name, fitted, data, labelled, crowd=crowd))
    if not get_strategy(name).second_opinions:
        assert np.isnan(labelled[pairs[:, 0]]).all()  # BADGE and CoreSet only pick unlabelled samples
    assert len(_query(name, fitted, data, labelled, batch_size=5, crowd=crowd)) == 5


def test_badge_reads_the_backbones_embeddings(fitted, data, labelled, monkeypatch):
    seen = []
    predict_proba = fitted.predict_proba

    def spy(X, **kwargs):
        out = predict_proba(X, **kwargs)
        seen.append((kwargs, out))
        return out

    monkeypatch.setattr(fitted, "predict_proba", spy)
    _query("badge", fitted, data, labelled)
    embedding_calls = [out for kwargs, out in seen if kwargs.get("extra_outputs") == "embeddings"]
    assert embedding_calls, "BADGE never asked for the embeddings"
    proba, embeddings = embedding_calls[0]
    assert embeddings.ndim == 2 and embeddings.shape[1] == 128 and len(embeddings) == len(proba)


class _Confident:
    """A stand-in classifier: sure of every sample's class (its first pixel), except sample 0, where it hesitates."""

    classes_ = np.arange(3)

    def predict_proba(self, X):
        proba = np.full((len(X), 3), 0.01)
        proba[np.arange(len(X)), X[:, 0].astype(int)] = 0.98
        proba[0] = [0.4, 0.35, 0.25]
        return proba


def test_activelab_chooses_between_a_new_sample_and_a_second_opinion():
    """Two annotators disagree about sample 0 and the model is unsure: ActiveLab asks a third one before new samples."""
    X = np.array([[0, 0], [1, 0], [2, 0], [0, 0], [1, 0], [2, 0]], dtype=float)
    y = np.full((6, 3), np.nan)
    y[0, :2] = [0, 1]  # a dispute
    y[1, 0], y[2, 1] = 1, 2  # settled samples
    wrapper = make_query_strategy("activelab", 0)
    pairs = wrapper.query(X=X, y=y, clf=_Confident(), crowd_labels=y, fit_clf=False, batch_size=2)
    assert tuple(pairs[0]) == (0, 2)  # the disputed sample goes to the annotator who has not answered
    assert pairs[1, 0] in (3, 4, 5)  # then a new sample, not one that is settled


def test_activelab_keeps_the_notebook_quiet_while_no_two_labels_agree():
    """In the first cycles no sample has two agreeing labels; cleanlab warns about that each call (a known, expected
    state, not a fault of the run): the query must still rank the samples, without a warning reaching the notebook."""
    from cleanlab.multiannotator import get_active_learning_scores

    X = np.array([[0, 0], [1, 0], [2, 0], [0, 0], [1, 0], [2, 0]], dtype=float)
    y = np.full((6, 3), np.nan)
    y[0, :2] = [0, 1]  # the only sample with two labels, and they differ
    y[1, 0], y[2, 1] = 1, 2
    with pytest.warns(UserWarning, match="do not agree on any example"):  # the state this test is about
        get_active_learning_scores(y[:3, :2], _Confident().predict_proba(X[:3]), _Confident().predict_proba(X[3:]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pairs = make_query_strategy("activelab", 0).query(
            X=X, y=y, clf=_Confident(), crowd_labels=y, fit_clf=False, batch_size=2
        )
    assert tuple(pairs[0]) == (0, 2)


def test_the_loop_hands_coreset_the_embeddings_after_the_first_cycle(data, monkeypatch):
    shapes = []
    real = purchases_module.make_query_strategy

    def spying(name, random_state):
        wrapper = real(name, random_state)
        query = wrapper.query

        def recorded(**kwargs):
            shapes.append((name, kwargs["X"].shape))
            return query(**kwargs)

        wrapper.query = recorded
        return wrapper

    monkeypatch.setattr(purchases_module, "make_query_strategy", spying)
    data_, z, _, proba = prepare_crowd(data)
    config = ExperimentConfig(n_repetitions=1, n_cycles=3, query_batch_size=16, max_epochs=2)
    run_repetition(("annot-mix", "own-estimate", "coreset"), data_, z, config, 0, proba, progress=False)
    assert shapes == [("random", (898, 1, 8, 8)), ("coreset", (898, 128)), ("coreset", (898, 128))]


@pytest.mark.parametrize(
    "args, err, match",
    [
        (("uncertainty", 0), ValueError, "query_strategy.*'uncertainty'"),
        (("random", -1), ValueError, "random_state"),
        (("random", "0"), TypeError, "random_state"),
        ((["random"], 0), TypeError, "query_strategy"),
    ],
)
def test_bad_arguments_are_named(args, err, match):
    with pytest.raises(err, match=match):
        make_query_strategy(*args)
