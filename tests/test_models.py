import numpy as np
import pytest
import torch
from skactiveml.classifier import SkorchClassifier
from skactiveml.classifier.multiannotator import AnnotMixClassifier, CrowdLayerClassifier
from torch.optim import RAdam
from torch.optim.lr_scheduler import CosineAnnealingLR

from crowdal_utils.batches import TensorBatchIterator
from crowdal_utils.models import (
    CNNBackbone,
    DawidSkeneClassifier,
    MajorityVoteClassifier,
    fit_seeded,
    make_learner,
    make_single_annotator_classifier,
    pick_device,
    skorch_settings,
    train_and_score,
)


def test_backbone_returns_logits_and_embedding():
    logits, embedding = CNNBackbone(n_classes=10)(torch.zeros(3, 1, 8, 8))
    assert logits.shape == (3, 10) and embedding.shape == (3, CNNBackbone.embedding_dim)


#: The reference tutorial's neural_net_param_dict, written out (callbacks and device are compared below).
REFERENCE_SETTINGS = {
    "module__n_classes": 10,
    "max_epochs": 100,
    "optimizer": RAdam,
    "optimizer__weight_decay": 0.0,
    "optimizer__lr": 0.01,
    "iterator_train__shuffle": True,
    "iterator_train__num_workers": 1,
    "iterator_train__batch_size": 16,
    "iterator_valid__batch_size": 64,
    "iterator_train__drop_last": True,
    "train_split": None,
    "verbose": 0,
}
#: Where crowdal departs, and why (skorch_settings' docstring): batches sliced in this process, RAdam's foreach.
DEPARTURES = {"iterator_train": TensorBatchIterator, "optimizer__foreach": True}


def test_settings_are_the_references_but_for_the_documented_departures_and_fresh_per_call():
    a, b = skorch_settings(10), skorch_settings(10)
    expected = {k: v for k, v in REFERENCE_SETTINGS.items() if k != "iterator_train__num_workers"} | DEPARTURES
    assert {k: v for k, v in a.items() if k not in ("callbacks", "device")} == expected
    ((name, scheduler),) = a["callbacks"]
    assert name == "lr_scheduler" and scheduler.policy is CosineAnnealingLR and scheduler.kwargs == {"T_max": 100}
    assert skorch_settings(10, max_epochs=30)["callbacks"][0][1].kwargs == {"T_max": 30}
    assert a["callbacks"][0][1] is not b["callbacks"][0][1]
    assert a["device"] == pick_device() == ("cuda" if torch.cuda.is_available() else "cpu")


def test_factory_builds_every_registered_learner(data):
    assert isinstance(make_learner("majority-vote", data.classes, 5, 0), MajorityVoteClassifier)
    assert isinstance(make_learner("dawid-skene", data.classes, 5, 0), DawidSkeneClassifier)
    assert isinstance(make_learner("crowd-layer", data.classes, 5, 0), CrowdLayerClassifier)
    assert isinstance(make_learner("annot-mix", data.classes, 5, 0), AnnotMixClassifier)
    assert type(make_learner("true-labels", data.classes, 5, 0)) is SkorchClassifier


@pytest.mark.parametrize("name", ["majority-vote", "annot-mix"])
def test_seeded_fit_is_reproducible_and_seed_matters(data, crowd, name):
    y = np.full(crowd.shape, np.nan)
    y[:200] = crowd[:200]

    def proba(seed):
        clf = make_learner(name, data.classes, 5, random_state=0, max_epochs=2)
        return fit_seeded(clf, data.X_train, y, seed).predict_proba(data.X_test[:50])

    first = proba(7)
    assert np.array_equal(first, proba(7))
    assert not np.array_equal(first, proba(8))


def test_majority_vote_classifier_trains_on_the_vote(data):
    # Two annotators agree on the truth, a third always says 0: MV recovers the truth.
    y = np.full((len(data.y_train), 3), np.nan)
    y[:, 0] = y[:, 1] = data.y_train
    y[:, 2] = 0
    clf = fit_seeded(make_learner("majority-vote", data.classes, 3, 0, max_epochs=20), data.X_train, y, 0)
    assert clf.score(data.X_test, data.y_test) > 0.85


def test_single_annotator_classifier_learns(data):
    clf = make_single_annotator_classifier(data.classes, 0, max_epochs=20)
    assert fit_seeded(clf, data.X_train, data.y_train.astype(float), 0).score(data.X_test, data.y_test) > 0.85


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda d: make_learner("logistic", d.classes, 5, 0), ValueError, "name"),
        (lambda d: make_learner("annot-mix", d.classes, 0, 0), ValueError, "n_annotators"),
        (lambda d: make_learner("annot-mix", d.classes, 5, -3), ValueError, "random_state"),
        (lambda d: make_learner("annot-mix", d.classes, 5, 0, max_epochs=0), ValueError, "max_epochs"),
        (lambda d: make_learner("annot-mix", [3], 5, 0), ValueError, "classes"),
        (lambda d: skorch_settings(10, max_epochs=2.5), TypeError, "max_epochs"),
        (lambda d: fit_seeded(None, d.X_train, d.y_train, -1), ValueError, "seed"),
        (
            lambda d: fit_seeded(make_learner("annot-mix", d.classes, 5, 0), d.X_train, np.zeros((898, 3)), 0),
            ValueError,
            r"`y` must have shape \(n_samples, 5\)",
        ),
        (
            lambda d: fit_seeded(make_learner("annot-mix", d.classes, 5, 0), d.X_train, np.zeros(898), 0),
            ValueError,
            "one column per annotator",
        ),
        (lambda d: fit_seeded(None, np.full_like(d.X_train, np.nan), d.y_train, 0), ValueError, "`X` contains NaN"),
        (lambda d: fit_seeded(None, d.X_train, d.y_train[:5], 0), ValueError, "`X` has 898 samples"),
        (lambda d: train_and_score(None, (d.X_train, d.y_train), d.y_train), TypeError, "`data` must be a DataSplit"),
    ],
)
def test_bad_input_is_rejected(data, call, err, match):
    with pytest.raises(err, match=match):
        call(data)


def test_fit_seeded_trains_on_one_thread_without_onednn_and_restores_the_settings(data):
    seen = []

    class Spy:
        def fit(self, X, y):
            seen.append((torch.backends.mkldnn.enabled, torch.get_num_threads()))
            raise RuntimeError("stop")

    before = torch.backends.mkldnn.enabled, torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with pytest.raises(RuntimeError, match="stop"):
            fit_seeded(Spy(), data.X_train, data.y_train, 0)
        assert seen == [(False, 1)] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before[1])
    assert torch.backends.mkldnn.enabled == before[0]


def test_the_backbone_follows_the_shape_of_the_samples(data):
    from crowdal_utils.models import MLPBackbone, backbone_for

    assert backbone_for((1, 8, 8)) == (CNNBackbone, {})
    assert backbone_for((124,)) == (MLPBackbone, {"module__n_features": 124})
    logits, embedding = MLPBackbone(n_features=64, n_classes=10)(torch.zeros(3, 64))
    assert logits.shape == (3, 10) and embedding.shape == (3, 128)
    clf = make_learner("annot-mix", data.classes, 5, 0, max_epochs=1, sample_shape=(64,))
    assert clf.clf_module is MLPBackbone and clf.neural_net_param_dict["module__n_features"] == 64
    with pytest.raises(ValueError, match="sample_shape"):
        backbone_for((3, 32, 32))
