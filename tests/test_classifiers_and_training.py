import numpy as np
import pytest
import torch
from skactiveml.classifier import SkorchClassifier
from skactiveml.classifier.multiannotator import AnnotMixClassifier, CrowdLayerClassifier
from torch.optim import RAdam
from torch.optim.lr_scheduler import CosineAnnealingLR

from crowdal_utils.learners.classifiers import (
    CrowdLayerInit,
    DawidSkeneClassifier,
    MajorityVoteClassifier,
    MixUpCollate,
)
from crowdal_utils.learners.factory import make_learner, make_single_annotator_classifier
from crowdal_utils.learners.fit_checkpoints import train_and_score
from crowdal_utils.learners.networks import CNNBackbone, pick_device
from crowdal_utils.learners.training import fit_seeded, skorch_settings, training_batches


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
#: Where crowdal departs, and why (skorch_settings' docstring): the loader in this process (at least four batches
#: per epoch when there are fewer than 64 samples), RAdam's foreach.
DEPARTURES = {
    "iterator_train": training_batches,
    "iterator_train__min_batches_per_epoch": 4,
    "optimizer__foreach": True,
}


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
    identity_start = make_learner("crowd-layer-identity-start", data.classes, 5, 0)
    assert isinstance(identity_start, CrowdLayerClassifier)
    assert "crowd_layer_init" not in dict(identity_start.neural_net_param_dict["callbacks"])
    assert isinstance(make_learner("annot-mix", data.classes, 5, 0), AnnotMixClassifier)
    assert type(make_learner("true-labels", data.classes, 5, 0)) is SkorchClassifier
    mixup_vote = make_learner("majority-vote-mixup", data.classes, 5, 0)
    assert isinstance(mixup_vote, MajorityVoteClassifier)
    assert mixup_vote.neural_net_param_dict["iterator_train__collate_fn"].alpha == 0.5
    assert "iterator_train__collate_fn" not in make_learner("majority-vote", data.classes, 5, 0).neural_net_param_dict
    no_mixup = make_learner("annot-mix-no-mixup", data.classes, 5, 0)
    assert isinstance(no_mixup, AnnotMixClassifier) and no_mixup.alpha == 0.0
    assert make_learner("annot-mix", data.classes, 5, 0).alpha == 0.5


def test_mixup_mixes_each_sample_with_a_partner_and_its_label_likewise():
    torch.manual_seed(0)
    x = torch.arange(8, dtype=torch.float32).view(8, 1, 1, 1) * torch.ones(8, 1, 2, 2)  # image k is all k
    y = torch.arange(8) % 4
    mixed_x, mixed_y = MixUpCollate(4, alpha=0.5)(list(zip(x.unbind(0), y.unbind(0), strict=True)))
    assert mixed_x.shape == x.shape and mixed_y.shape == (8, 4)
    np.testing.assert_allclose(mixed_y.sum(dim=1), 1, rtol=1e-6)  # still a distribution over the classes
    assert ((mixed_y > 0).sum(dim=1) <= 2).all()  # at most two classes per mixed label
    assert not torch.equal(mixed_x, x)  # Beta(0.5, 0.5) draws are never exactly 1 for eight samples
    # the same draws by hand: one weight per sample, one permutation, images and labels mixed alike
    torch.manual_seed(0)
    lam = torch.distributions.Beta(0.5, 0.5).sample((8,))
    perm = torch.randperm(8)
    np.testing.assert_allclose(mixed_x[:, 0, 0, 0], lam * x[:, 0, 0, 0] + (1 - lam) * x[perm, 0, 0, 0], rtol=1e-6)
    one_hot = torch.nn.functional.one_hot(y, 4).float()
    np.testing.assert_allclose(mixed_y, lam[:, None] * one_hot + (1 - lam[:, None]) * one_hot[perm], rtol=1e-6)
    unchanged = MixUpCollate(4, alpha=0)(list(zip(x.unbind(0), y.unbind(0), strict=True)))
    assert torch.equal(unchanged[0], x) and torch.equal(unchanged[1], y)


def test_mixup_trains_the_vote_through_skorch_and_changes_the_network(data, crowd):
    y = np.full(crowd.shape, np.nan)
    y[:200, 0] = crowd[:200, 0]

    def proba(name):
        clf = make_learner(name, data.classes, 5, random_state=0, max_epochs=3)
        return fit_seeded(clf, data.X_train, y, 0).predict_proba(data.X_test[:50])

    with_mixup = proba("majority-vote-mixup")
    assert np.array_equal(with_mixup, proba("majority-vote-mixup"))  # reproducible
    assert not np.allclose(with_mixup, proba("majority-vote"))  # the same vote, other training


def test_crowd_layer_starts_every_annotator_at_80_percent_and_still_learns_the_matrices(data, crowd):
    y = np.full(crowd.shape, np.nan)
    y[:100] = crowd[:100]
    clf = make_learner("crowd-layer", data.classes, 5, random_state=0, max_epochs=1)
    assert dict(clf.neural_net_param_dict["callbacks"])["crowd_layer_init"].accuracy == 0.8
    seen = {}

    class Spy(CrowdLayerInit):  # records W_annot right after the course's start is applied
        def on_train_begin(self, net, **kwargs):
            super().on_train_begin(net, **kwargs)
            seen["start"] = net.module_.W_annot.detach().clone()

    settings = dict(clf.neural_net_param_dict)
    settings["callbacks"] = [c for c in settings["callbacks"] if c[0] != "crowd_layer_init"] + [("init", Spy(0.8))]
    clf.set_params(neural_net_param_dict=settings)
    fit_seeded(clf, data.X_train, y, 0)
    start = seen["start"]
    assert start.shape == (5, 10, 10)
    # softmax of each row of the start: 0.8 on the diagonal, 0.2 / 9 elsewhere, for every annotator
    np.testing.assert_allclose(torch.softmax(start, dim=-1).diagonal(dim1=1, dim2=2), 0.8, rtol=1e-6)
    np.testing.assert_allclose(torch.softmax(start, dim=-1)[0, 0, 1], 0.2 / 9, rtol=1e-5)
    trained = clf.neural_net_.module_.W_annot.detach()
    assert not torch.allclose(trained, start)  # the optimizer still updates the parameter it started


def test_crowd_layer_init_rejects_accuracies_that_are_not_probabilities_above_chance():
    for accuracy in (0, 1, 1.5, "0.8", True):
        with pytest.raises(ValueError, match="accuracy"):
            CrowdLayerInit(accuracy)
    with pytest.raises(ValueError, match="above chance"):
        CrowdLayerInit(0.05).diagonal(10)
    assert CrowdLayerInit(0.8).diagonal(10) == pytest.approx(np.log(0.8 * 9 / 0.2))


@pytest.mark.parametrize("alpha", [-0.1, "0.5", True])
def test_mixup_rejects_a_bad_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        MixUpCollate(10, alpha=alpha)


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
    from crowdal_utils.learners.networks import MLPBackbone, backbone_for

    assert backbone_for((1, 8, 8)) == (CNNBackbone, {})
    assert backbone_for((124,)) == (MLPBackbone, {"module__n_features": 124})
    logits, embedding = MLPBackbone(n_features=64, n_classes=10)(torch.zeros(3, 64))
    assert logits.shape == (3, 10) and embedding.shape == (3, 128)
    clf = make_learner("annot-mix", data.classes, 5, 0, max_epochs=1, sample_shape=(64,))
    assert clf.clf_module is MLPBackbone and clf.neural_net_param_dict["module__n_features"] == 64
    with pytest.raises(ValueError, match="sample_shape"):
        backbone_for((3, 32, 32))
