from pathlib import Path

import numpy as np
import pytest

from crowdal_utils import MajorityClassBiasedAnnotator, NoisyAnnotator, default_crowd, simulate_crowd
from crowdal_utils.annotators import annotator_names, correct_probabilities

REFERENCE_Z_TRAIN = Path(__file__).parent / "data" / "reference_z_train.npy"


def test_default_crowd_is_bit_identical_to_the_reference():
    # The fixture was computed by executing the reference notebook's own cells
    # (tests/data/make_reference_crowd.py).
    reference = np.load(REFERENCE_Z_TRAIN)
    z = simulate_crowd()
    assert z.shape == reference.shape == (898, 5)
    assert np.array_equal(z, reference)


def test_default_crowd_accuracies_match_the_reference_table(data, crowd):
    accuracies = (crowd == data.y_train[:, None]).mean(axis=0)
    np.testing.assert_allclose(accuracies, [0.9488, 0.8508, 0.7238, 0.8140, 0.5791], atol=5e-5)


def test_noisy_annotator_hits_its_accuracy_and_errs_uniformly():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 10, size=20_000)
    labels = NoisyAnnotator(0.6).annotate(y, np.arange(10), rng)
    assert abs((labels == y).mean() - 0.6) < 0.015
    wrong = labels != y
    # Wrong answers spread evenly over the 9 other classes.
    offsets = (labels[wrong] - y[wrong]) % 10
    assert set(np.unique(offsets)) == set(range(1, 10))
    assert np.bincount(offsets, minlength=10)[1:].min() > 0.8 * wrong.sum() / 9


def test_class_accuracy_overrides_one_class():
    rng = np.random.default_rng(2)
    y = np.repeat(np.arange(10), 2000)
    labels = NoisyAnnotator(0.9, class_accuracy={9: 0.3}).annotate(y, np.arange(10), rng)
    assert abs((labels == y)[y == 9].mean() - 0.3) < 0.04
    assert abs((labels == y)[y != 9].mean() - 0.9) < 0.015


def test_biased_annotator_forces_the_majority_class_and_composes():
    rng = np.random.default_rng(3)
    y = np.array([0] * 300 + [1] * 200 + [2] * 100)
    perfect_base = MajorityClassBiasedAnnotator(0.5).annotate(y, np.arange(3), rng)
    assert np.all((perfect_base == y) | (perfect_base == 0))
    assert abs((perfect_base[y != 0] == 0).mean() - 0.5) < 0.07
    noisy_base = MajorityClassBiasedAnnotator(0.0, base=NoisyAnnotator(0.0)).annotate(y, np.arange(3), rng)
    assert not np.any(noisy_base == y)  # a zero bias leaves the always-wrong base in charge


def test_same_seed_same_crowd_other_seed_other_crowd(data):
    a = simulate_crowd(data.y_train, random_state=5)
    assert np.array_equal(a, simulate_crowd(data.y_train, random_state=5))
    assert not np.array_equal(a, simulate_crowd(data.y_train, random_state=6))


def test_names_number_the_default_crowd():
    assert annotator_names() == [f"A{k + 1} {p.name}" for k, p in enumerate(default_crowd())]


@pytest.mark.parametrize(
    "make, err, match",
    [
        (lambda: NoisyAnnotator(1.2), ValueError, "accuracy"),
        (lambda: NoisyAnnotator(-0.1), ValueError, "accuracy"),
        (lambda: NoisyAnnotator(float("nan")), ValueError, "accuracy"),
        (lambda: NoisyAnnotator("high"), TypeError, "accuracy"),
        (lambda: NoisyAnnotator(0.9, class_accuracy={9: 2.0}), ValueError, r"class_accuracy\[9\]"),
        (lambda: MajorityClassBiasedAnnotator(1.5), ValueError, "bias"),
        (lambda: MajorityClassBiasedAnnotator(0.5, base="perfect"), TypeError, "base"),
    ],
)
def test_bad_profiles_are_rejected(make, err, match):
    with pytest.raises(err, match=match):
        make()


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"y_true": np.zeros((3, 2), dtype=int)}, ValueError, "y_true"),
        ({"y_true": np.array([0.5, 1.0])}, ValueError, "y_true"),
        ({"y_true": np.array([], dtype=int)}, ValueError, "y_true"),
        ({"y_true": np.array([0, 1, 7]), "classes": [0, 1, 2]}, ValueError, "not in `classes`"),
        ({"y_true": np.array([0, 1]), "profiles": []}, ValueError, "empty crowd"),
        ({"y_true": np.array([0, 1]), "profiles": [object()]}, TypeError, r"profiles\[0\]"),
        ({"y_true": np.array([0, 1]), "random_state": "zero"}, TypeError, "random_state"),
        ({"y_true": np.array([0, 1]), "classes": [1]}, ValueError, "classes"),
    ],
)
def test_bad_simulation_input_is_rejected(kwargs, err, match):
    with pytest.raises(err, match=match):
        simulate_crowd(**kwargs)


def test_class_accuracy_for_unknown_class_is_rejected():
    with pytest.raises(ValueError, match="class_accuracy"):
        NoisyAnnotator(0.9, class_accuracy={12: 0.1}).annotate(np.array([0, 1]), np.arange(10), np.random.default_rng())


def test_correct_probability_matches_the_simulated_draws(data):
    """Averaged over many crowds, each annotator is right on each sample as often as its probability says."""
    profiles = (*default_crowd(), MajorityClassBiasedAnnotator(0.3, base=NoisyAnnotator(0.8), name="biased and noisy"))
    proba = correct_probabilities(data.y_train, data.classes, profiles)
    assert proba.shape == (len(data.y_train), len(profiles)) and ((0 <= proba) & (proba <= 1)).all()
    hits = np.mean(
        [
            simulate_crowd(data.y_train, data.classes, profiles, random_state=s) == data.y_train[:, None]
            for s in range(200)
        ],
        axis=0,
    )
    # per annotator and per class, the share of right answers agrees with the mean probability
    for cls in data.classes:
        rows = data.y_train == cls
        np.testing.assert_allclose(hits[rows].mean(axis=0), proba[rows].mean(axis=0), atol=0.02)
    majority = np.bincount(data.y_train).argmax()
    assert proba[data.y_train == majority, 4].min() == 1.0  # A5's forced answer is right on the majority class
    np.testing.assert_allclose(proba[data.y_train == 9, 3], 0.40)
    np.testing.assert_allclose(proba[data.y_train != majority, 5], 0.7 * 0.8)


class _LabelsOnly:
    """A custom profile written before profiles could see the samples: three arguments, no features."""

    name = "copycat"

    def annotate(self, y_true, classes, rng):
        return np.asarray(y_true).copy()


class _SeesTheSamples:
    name = "pixel counter"

    def annotate(self, y_true, classes, rng, X=None):
        return np.where(X.reshape(len(X), -1).sum(axis=1) > 30, y_true, classes[0])

    def correct_probability(self, y_true, classes, X=None):
        return (X.reshape(len(X), -1).sum(axis=1) > 30) | (y_true == classes[0])


def test_profiles_get_the_samples_only_when_there_are_some(data):
    z = simulate_crowd(data.y_train, data.classes, [_LabelsOnly()])
    assert np.array_equal(z[:, 0], data.y_train)
    z = simulate_crowd(data.y_train, data.classes, [_SeesTheSamples()], X=data.X_train)
    proba = correct_probabilities(data.y_train, data.classes, [_SeesTheSamples()], X=data.X_train)
    assert np.array_equal(z[:, 0] == data.y_train, proba[:, 0] == 1)
    with pytest.raises(TypeError, match=r"profiles\[0\]` has no `correct_probability`"):
        correct_probabilities(data.y_train, data.classes, [_LabelsOnly()])


class _Nameless:
    def annotate(self, y_true, classes, rng):
        return y_true


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: simulate_crowd(np.array([0, 1]), profiles=[_Nameless()]), TypeError, r"profiles\[0\]\.name"),
        (lambda: annotator_names([NoisyAnnotator(0.9), _Nameless()]), TypeError, r"profiles\[1\]\.name"),
        (lambda: simulate_crowd(np.array([0, 1]), random_state=-1), ValueError, "random_state"),
        (lambda: simulate_crowd(np.array([0, 1]), profiles=NoisyAnnotator(0.9)), TypeError, "profiles"),
        (lambda: NoisyAnnotator(0.9).annotate(np.array([0, 1]), [0, 1], 0), TypeError, "`rng` must be a numpy"),
        (lambda: NoisyAnnotator(0.9, class_accuracy=[(9, 0.4)]), TypeError, "class_accuracy"),
        (lambda: NoisyAnnotator(0.9, name=""), TypeError, "name"),
        (lambda: MajorityClassBiasedAnnotator(0.5, name=None), TypeError, "name"),
        (lambda: simulate_crowd(np.array([0, 1]), X=np.zeros((3, 4))), ValueError, "`X` must have shape"),
    ],
)
def test_bad_profiles_and_generators_are_named(call, err, match):
    with pytest.raises(err, match=match):
        call()
