"""The learner registry: every learner fits, predicts and (where it has one) estimates the annotators."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from crowdkit.aggregation import DawidSkene
from skactiveml.pool.multiannotator import IntervalEstimationAnnotModel

from crowdal_utils.experiment.loop import _training_labels
from crowdal_utils.learners.factory import make_learner
from crowdal_utils.learners.registry import LEARNERS, display_name, get_learner
from crowdal_utils.learners.training import fit_seeded


@pytest.fixture(scope="module")
def partial_labels(crowd):
    """150 samples with one random annotator's label and 30 of them with a second opinion."""
    rng = np.random.default_rng(0)
    y = np.full(crowd.shape, np.nan)
    samples = rng.choice(len(crowd), 150, replace=False)
    first = rng.integers(0, crowd.shape[1], 150)
    y[samples, first] = crowd[samples, first]
    second = (first[:30] + 1) % crowd.shape[1]
    y[samples[:30], second] = crowd[samples[:30], second]
    return y


@pytest.mark.parametrize("name", list(LEARNERS))
def test_every_learner_fits_predicts_and_estimates(name, data, partial_labels):
    learner = LEARNERS[name]
    clf = make_learner(name, data.classes, partial_labels.shape[1], random_state=0, max_epochs=3, device="cpu")
    fit_seeded(clf, data.X_train, _training_labels(learner, partial_labels, data.y_train), seed=1)
    proba = clf.predict_proba(data.X_test[:40])
    assert proba.shape == (40, 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    if learner.estimates_annotators:
        perf = learner.estimate(clf, data.X_train)
        assert perf.shape == (len(data.X_train), partial_labels.shape[1])
        assert np.all((0 <= perf) & (perf <= 1))
    else:
        assert learner.trains_on == "truth"


def test_dawid_skene_trains_on_crowd_kits_own_labels(data, partial_labels):
    """The aggregate equals crowd-kit's DawidSkene called directly on the long task/worker/label frame."""
    rows, cols = np.nonzero(~np.isnan(partial_labels))
    frame = pd.DataFrame({"task": rows, "worker": cols, "label": partial_labels[rows, cols].astype(int)})
    direct = DawidSkene(n_iter=100).fit(frame).labels_
    clf = make_learner("dawid-skene", data.classes, 5, random_state=0, max_epochs=1, device="cpu")
    fit_seeded(clf, data.X_train, partial_labels, seed=0)
    labelled = np.flatnonzero(~np.isnan(clf.aggregated_labels_))
    assert labelled.tolist() == sorted(direct.index.tolist())
    assert clf.aggregated_labels_[direct.index.to_numpy()].tolist() == direct.to_numpy().astype(float).tolist()
    assert clf.annotator_accuracy_.shape == (5,) and np.all(
        (0 <= clf.annotator_accuracy_) & (clf.annotator_accuracy_ <= 1)
    )


def test_majority_votes_estimate_is_scikit_activemls_interval_estimation(data, partial_labels):
    clf = make_learner("majority-vote", data.classes, 5, random_state=0, max_epochs=1, device="cpu")
    fit_seeded(clf, data.X_train, partial_labels, seed=0)
    direct = IntervalEstimationAnnotModel(classes=data.classes, mode="mean", random_state=0).fit(None, partial_labels)
    np.testing.assert_array_equal(clf.predict_annotator_perf(data.X_train[:3]), np.tile(direct.A_perf_[:, 1], (3, 1)))


def test_the_single_annotator_models_expose_the_backbones_embeddings(data, partial_labels):
    clf = make_learner("majority-vote", data.classes, 5, random_state=0, max_epochs=1, device="cpu")
    fit_seeded(clf, data.X_train, partial_labels, seed=0)
    proba, embeddings = clf.predict_proba(data.X_train[:7], extra_outputs=["embeddings"])
    assert proba.shape == (7, 10) and embeddings.shape == (7, 128)


def test_the_true_labels_ceiling_sees_the_truth_of_acquired_samples_only(data, partial_labels):
    y = _training_labels(get_learner("true-labels"), partial_labels, data.y_train)
    acquired = ~np.isnan(partial_labels).all(axis=1)
    assert np.array_equal(y[acquired], data.y_train[acquired]) and np.isnan(y[~acquired]).all()


def test_names_and_display_names():
    assert list(LEARNERS) == [
        "majority-vote",
        "majority-vote-mixup",
        "dawid-skene",
        "crowd-layer",
        "crowd-layer-identity-start",
        "annot-mix",
        "annot-mix-no-mixup",
        "true-labels",
    ]
    assert display_name("annot-mix") == "Annot-Mix" and display_name("unknown") == "unknown"
    with pytest.raises(ValueError, match="`learner` must be one of"):
        get_learner("svm")
    with pytest.raises(TypeError, match="`learner` must be a learner name"):
        get_learner(["annot-mix"])


def test_configurations_results_and_figures_name_learners_without_loading_torch():
    script = (
        "import sys\n"
        "import crowdal_utils.experiment.config, crowdal_utils.experiment.results, crowdal_utils.views.style\n"
        "from crowdal_utils.experiment import ExperimentConfig\n"
        "from crowdal_utils.learners import LEARNERS, display_name\n"
        "display_name('annot-mix'), LEARNERS['dawid-skene'].estimate_source\n"
        "ExperimentConfig().arms[1].label\n"
        "print(sorted(m for m in ('torch', 'skactiveml', 'skorch') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
