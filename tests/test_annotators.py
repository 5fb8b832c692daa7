from pathlib import Path

import numpy as np
import pytest

from crowdal_utils.crowds.aggregation import majority_vote_labels
from crowdal_utils.crowds.presets import (
    adversarial_crowd,
    cluster_specialist_crowd,
    default_crowd,
    instance_dependent_crowd,
    spammer_heavy_crowd,
)
from crowdal_utils.crowds.profiles import (
    AdversarialAnnotator,
    ClusterSpecialistAnnotator,
    InstanceDependentAnnotator,
    MajorityClassBiasedAnnotator,
    NoisyAnnotator,
    SpammerAnnotator,
    sample_difficulty,
)
from crowdal_utils.crowds.simulation import annotator_names, correct_probabilities, simulate_crowd

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


# --- Spammers, adversaries, instance-dependent and cluster-specialised annotators -------------------------------

DIGITS = np.arange(10)
SWAPS = ((3, 8), (1, 7))


def _hit_rate(labels, y):
    return float((labels == y).mean())


def test_spammer_answers_uniformly_whatever_the_sample():
    rng = np.random.default_rng(11)
    y = np.repeat(DIGITS, 2000)
    labels = SpammerAnnotator().annotate(y, DIGITS, rng)
    assert abs(_hit_rate(labels, y) - 0.1) < 0.01
    np.testing.assert_allclose(SpammerAnnotator().correct_probability(y, DIGITS), 0.1)
    # every true class gets the same spread of answers: about 200 of each of the ten digits
    answers = np.stack([np.bincount(labels[y == c], minlength=10) for c in DIGITS])
    assert answers.min() > 140 and answers.max() < 260


def test_partial_spammer_guesses_at_its_rate_and_lets_the_base_answer_otherwise():
    rng = np.random.default_rng(12)
    y = rng.integers(0, 10, size=5000)
    always_wrong_base = SpammerAnnotator(0.4, base=NoisyAnnotator(0.0))
    labels = always_wrong_base.annotate(y, DIGITS, rng)
    assert abs(_hit_rate(labels, y) - 0.4 / 10) < 0.01  # only a guess can be right
    lazy = SpammerAnnotator(0.4)  # honest unless it guesses
    assert abs(_hit_rate(lazy.annotate(y, DIGITS, rng), y) - (0.6 + 0.04)) < 0.02
    np.testing.assert_allclose(lazy.correct_probability(y, DIGITS), 0.64)
    np.testing.assert_allclose(always_wrong_base.correct_probability(y, DIGITS), 0.04)
    honest = SpammerAnnotator(0.0)
    assert np.array_equal(honest.annotate(y, DIGITS, rng), y)
    np.testing.assert_allclose(honest.correct_probability(y, DIGITS), 1.0)


def test_adversary_answers_the_partner_of_its_pairs_and_nothing_else():
    rng = np.random.default_rng(13)
    y = np.repeat(DIGITS, 2000)
    adversary = AdversarialAnnotator(SWAPS, strength=0.7)
    labels = adversary.annotate(y, DIGITS, rng)
    for a, b in SWAPS:
        for true, partner in ((a, b), (b, a)):
            answers = labels[y == true]
            assert set(np.unique(answers)) == {true, partner}
            assert abs((answers == partner).mean() - 0.7) < 0.025
    untouched = ~np.isin(y, [3, 8, 1, 7])
    assert np.array_equal(labels[untouched], y[untouched])
    np.testing.assert_allclose(adversary.correct_probability(y, DIGITS), np.where(untouched, 1.0, 0.3))


def test_adversary_composes_with_a_noisy_base():
    rng = np.random.default_rng(14)
    y = np.repeat(DIGITS, 2000)
    adversary = AdversarialAnnotator(SWAPS, strength=0.6, base=NoisyAnnotator(0.9))
    labels = adversary.annotate(y, DIGITS, rng)
    assert abs(_hit_rate(labels[y == 3], 3) - 0.4 * 0.9) < 0.03
    assert abs(_hit_rate(labels[y == 3], 8) - (0.6 + 0.4 * 0.1 / 9)) < 0.03
    assert abs(_hit_rate(labels[y == 0], 0) - 0.9) < 0.02
    np.testing.assert_allclose(adversary.correct_probability(y, DIGITS)[y == 8], 0.4 * 0.9)
    assert adversary.swaps == ((3, 8), (1, 7)) and AdversarialAnnotator([[3, 8]]).swaps == ((3, 8),)


def test_difficulty_is_the_rank_of_the_distance_ratio_to_the_centroids():
    # Class 0 at -1, 0, 1 (centroid 0), class 1 at 9, 10, 11 (centroid 10). own / (own + other):
    # -1 -> 1/12, 0 -> 0, 1 -> 1/10, 9 -> 1/10, 10 -> 0, 11 -> 1/12; ranks 0..5 with ties sharing their mean.
    X = np.array([[-1.0], [0.0], [1.0], [9.0], [10.0], [11.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    np.testing.assert_allclose(sample_difficulty(X, y), [0.5, 0.1, 0.9, 0.9, 0.1, 0.5])
    np.testing.assert_allclose(sample_difficulty(X.astype(int), y), [0.5, 0.1, 0.9, 0.9, 0.1, 0.5])
    assert sample_difficulty(np.zeros((2, 3)), np.array([0, 1])).tolist() == [0.5, 0.5]  # ties: the mean rank


def test_instance_dependent_accuracy_falls_linearly_with_difficulty(data):
    difficulty = sample_difficulty(data.X_train, data.y_train)
    assert difficulty.shape == data.y_train.shape and difficulty.min() == 0.0 and difficulty.max() == 1.0
    annotator = InstanceDependentAnnotator(0.95, 0.35)
    proba = annotator.correct_probability(data.y_train, data.classes, X=data.X_train)
    np.testing.assert_allclose(proba, 0.95 - 0.6 * difficulty)
    hits = np.mean(
        [
            annotator.annotate(data.y_train, data.classes, np.random.default_rng(s), X=data.X_train) == data.y_train
            for s in range(40)
        ],
        axis=0,
    )
    quintile = np.minimum((difficulty * 5).astype(int), 4)
    rates = [hits[quintile == q].mean() for q in range(5)]
    np.testing.assert_allclose(rates, [proba[quintile == q].mean() for q in range(5)], atol=0.02)
    assert rates[0] > 0.85 and rates[4] < 0.5 and np.all(np.diff(rates) < 0)


def _nearest_other_centroid(X, y):
    """Independent of the module: the class whose mean image is nearest to each sample, its own excluded."""
    flat = X.reshape(len(X), -1).astype(float)
    classes = np.unique(y)
    distances = np.stack([np.linalg.norm(flat - flat[y == c].mean(axis=0), axis=1) for c in classes], axis=1)
    distances[np.arange(len(y)), np.searchsorted(classes, y)] = np.inf
    return classes[distances.argmin(axis=1)]


def test_instance_dependent_mistakes_are_the_nearest_class_or_uniform(data):
    nearest = _nearest_other_centroid(data.X_train, data.y_train)
    rng = np.random.default_rng(15)
    labels = InstanceDependentAnnotator(0.5, 0.0).annotate(data.y_train, data.classes, rng, X=data.X_train)
    wrong = labels != data.y_train
    assert wrong.sum() > 500 and np.array_equal(labels[wrong], nearest[wrong])
    uniform = InstanceDependentAnnotator(0.5, 0.0, wrong_answers="uniform")
    wrong_labels = []
    for s in range(10):
        labels = uniform.annotate(data.y_train, data.classes, np.random.default_rng(s), X=data.X_train)
        wrong_labels.append(np.c_[labels, nearest][labels != data.y_train])
    wrong_labels = np.concatenate(wrong_labels)
    assert abs((wrong_labels[:, 0] == wrong_labels[:, 1]).mean() - 1 / 9) < 0.02  # one of nine other digits
    assert np.bincount(wrong_labels[:, 0], minlength=10).min() > 0


def _blobs(n_per_blob=1500, seed=0):
    """Four well-separated blobs in the plane, labels drawn at random from ten classes."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [20.0, 0.0], [0.0, 20.0], [20.0, 20.0]])
    X = np.concatenate([c + rng.normal(size=(n_per_blob, 2)) for c in centres])
    return X, rng.integers(0, 10, size=len(X)), np.repeat(np.arange(4), n_per_blob)


def test_cluster_specialist_knows_its_clusters_and_guesses_elsewhere():
    X, y, blob = _blobs()
    specialist = ClusterSpecialistAnnotator(4, expert_clusters=(0, 2), expert_accuracy=0.9)
    clusters = specialist.clusters(X)
    # the k-means regions are the blobs, and the same on every call
    assert all(np.unique(clusters[blob == b]).size == 1 for b in range(4)) and np.unique(clusters).size == 4
    assert np.array_equal(clusters, ClusterSpecialistAnnotator(4, (1,)).clusters(X))
    expert = np.isin(clusters, (0, 2))
    np.testing.assert_allclose(specialist.correct_probability(y, DIGITS, X=X), np.where(expert, 0.9, 0.1))
    labels = specialist.annotate(y, DIGITS, np.random.default_rng(16), X=X)
    assert abs(_hit_rate(labels[expert], y[expert]) - 0.9) < 0.015
    assert abs(_hit_rate(labels[~expert], y[~expert]) - 0.1) < 0.015
    # outside its clusters the answers are uniform guesses, whatever the truth
    guesses = np.bincount(labels[~expert], minlength=10)
    assert guesses.min() > 0.8 * (~expert).sum() / 10
    partial = ClusterSpecialistAnnotator(4, (0, 2), expert_accuracy=0.9, other_accuracy=0.5)
    labels = partial.annotate(y, DIGITS, np.random.default_rng(17), X=X)
    assert abs(_hit_rate(labels[~expert], y[~expert]) - 0.5) < 0.025


def test_new_profiles_correct_probability_matches_the_simulated_draws(data):
    """Averaged over many crowds, the share of right answers per class, difficulty and cluster is the probability."""
    profiles = (
        SpammerAnnotator(),
        SpammerAnnotator(0.4, base=NoisyAnnotator(0.8)),
        AdversarialAnnotator(SWAPS, 0.7, base=NoisyAnnotator(0.9)),
        AdversarialAnnotator(((4, 9),), 0.5, base=MajorityClassBiasedAnnotator(0.2)),
        InstanceDependentAnnotator(0.95, 0.3),
        InstanceDependentAnnotator(0.9, 0.4, wrong_answers="uniform"),
        ClusterSpecialistAnnotator(5, (0, 2), expert_accuracy=0.9, other_accuracy=0.3),
    )
    y, X = data.y_train, data.X_train
    proba = correct_probabilities(y, data.classes, profiles, X=X)
    assert proba.shape == (len(y), len(profiles)) and ((0 <= proba) & (proba <= 1)).all()
    hits = np.mean(
        [simulate_crowd(y, data.classes, profiles, random_state=s, X=X) == y[:, None] for s in range(60)], axis=0
    )
    difficulty = np.minimum((sample_difficulty(X, y) * 5).astype(int), 4)
    clusters = profiles[-1].clusters(X)
    for groups in (y, difficulty, clusters):
        for g in np.unique(groups):
            rows = groups == g
            np.testing.assert_allclose(hits[rows].mean(axis=0), proba[rows].mean(axis=0), atol=0.03)


def _draw_order_cases():
    """(profile, the labels it must produce from generator g, rebuilt from the documented draw order)."""

    def spammer(y, X, g):
        base = NoisyAnnotator(0.8).annotate(y, DIGITS, g)
        guess, pick = g.random(len(y)) < 0.5, g.integers(10, size=len(y))
        return np.where(guess, pick, base)

    def adversary(y, X, g):
        partner = np.select([y == 3, y == 8, y == 1, y == 7], [8, 3, 7, 1], y)
        return np.where(g.random(len(y)) < 0.6, partner, y)

    def instance(y, X, g):
        p = InstanceDependentAnnotator(0.9, 0.2).correct_probability(y, DIGITS, X=X)
        return np.where(g.random(len(y)) < p, y, _nearest_other_centroid(X, y))

    def uniform_mistakes(profile):
        def rebuild(y, X, g):
            right = g.random(len(y)) < profile.correct_probability(y, DIGITS, X=X)
            pick = g.integers(9, size=(~right).sum())
            labels = y.copy()
            labels[~right] = pick + (pick >= y[~right])  # the pick-th of the other digits
            return labels

        return rebuild

    instance_uniform = InstanceDependentAnnotator(0.9, 0.2, wrong_answers="uniform")
    specialist = ClusterSpecialistAnnotator(3, (1,), expert_accuracy=0.9)
    return [
        (SpammerAnnotator(0.5, base=NoisyAnnotator(0.8)), spammer),
        (AdversarialAnnotator(SWAPS, 0.6), adversary),
        (InstanceDependentAnnotator(0.9, 0.2), instance),
        (instance_uniform, uniform_mistakes(instance_uniform)),
        (specialist, uniform_mistakes(specialist)),
    ]


@pytest.mark.parametrize(
    "profile, rebuild",
    _draw_order_cases(),
    ids=["spammer over noisy", "adversary", "instance nearest", "instance uniform", "cluster specialist"],
)
def test_new_profiles_draw_in_the_documented_order_and_nothing_else(data, profile, rebuild):
    y, X = data.y_train, data.X_train
    g_profile, g_rebuilt = np.random.default_rng(21), np.random.default_rng(21)
    labels = profile.annotate(y, DIGITS, g_profile, X=X)
    assert np.array_equal(labels, rebuild(y, X, g_rebuilt))
    assert g_profile.random() == g_rebuilt.random()  # the generators are left in the same state
    assert np.array_equal(labels, profile.annotate(y, DIGITS, np.random.default_rng(21), X=X))
    assert not np.array_equal(labels, profile.annotate(y, DIGITS, np.random.default_rng(22), X=X))


@pytest.mark.parametrize(
    "make, err, match",
    [
        (lambda: SpammerAnnotator(1.5), ValueError, "rate"),
        (lambda: SpammerAnnotator("all"), TypeError, "rate"),
        (lambda: SpammerAnnotator(0.5, base="noisy"), TypeError, "base"),
        (lambda: SpammerAnnotator(name=""), TypeError, "name"),
        (lambda: AdversarialAnnotator("38"), TypeError, "swaps"),
        (lambda: AdversarialAnnotator(()), ValueError, "swaps"),
        (lambda: AdversarialAnnotator(((3, 3),)), ValueError, r"swaps\[0\]"),
        (lambda: AdversarialAnnotator(((3, 8, 1),)), TypeError, r"swaps\[0\]"),
        (lambda: AdversarialAnnotator(((3, 8), 7)), TypeError, r"swaps\[1\]"),
        (lambda: AdversarialAnnotator(((3.0, 8),)), TypeError, r"swaps\[0\]"),
        (lambda: AdversarialAnnotator(((3, 8), (8, 1))), ValueError, r"`swaps` names classes \[8\]"),
        (lambda: AdversarialAnnotator(SWAPS, strength=2), ValueError, "strength"),
        (lambda: AdversarialAnnotator(SWAPS, base=1), TypeError, "base"),
        (lambda: AdversarialAnnotator(SWAPS, name=None), TypeError, "name"),
        (lambda: InstanceDependentAnnotator(1.1, 0.5), ValueError, "easy_accuracy"),
        (lambda: InstanceDependentAnnotator(0.9, -0.1), ValueError, "hard_accuracy"),
        (lambda: InstanceDependentAnnotator(0.5, 0.9), ValueError, "`hard_accuracy` .* must not exceed"),
        (lambda: InstanceDependentAnnotator("high", 0.5), TypeError, "easy_accuracy"),
        (lambda: InstanceDependentAnnotator(0.9, 0.5, wrong_answers="random"), ValueError, "wrong_answers"),
        (lambda: InstanceDependentAnnotator(0.9, 0.5, name=3), TypeError, "name"),
        (lambda: ClusterSpecialistAnnotator(1, (0,)), ValueError, "n_clusters"),
        (lambda: ClusterSpecialistAnnotator(2.5, (0,)), TypeError, "n_clusters"),
        (lambda: ClusterSpecialistAnnotator(5, ()), ValueError, "expert_clusters"),
        (lambda: ClusterSpecialistAnnotator(5, 1), TypeError, "expert_clusters"),
        (lambda: ClusterSpecialistAnnotator(5, (5,)), ValueError, "expert_clusters"),
        (lambda: ClusterSpecialistAnnotator(5, (-1,)), ValueError, r"expert_clusters\[0\]"),
        (lambda: ClusterSpecialistAnnotator(5, (1, 1)), ValueError, "expert_clusters"),
        (lambda: ClusterSpecialistAnnotator(5, (1,), expert_accuracy=1.2), ValueError, "expert_accuracy"),
        (lambda: ClusterSpecialistAnnotator(5, (1,), other_accuracy=-0.5), ValueError, "other_accuracy"),
        (lambda: ClusterSpecialistAnnotator(5, (1,), random_state=-1), ValueError, "random_state"),
        (lambda: ClusterSpecialistAnnotator(5, (1,), name=""), TypeError, "name"),
    ],
)
def test_bad_new_profiles_are_rejected(make, err, match):
    with pytest.raises(err, match=match):
        make()


Y_SMALL = np.array([0, 1, 2, 3, 8, 1])
X_SMALL = np.arange(12.0).reshape(6, 2)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (
            lambda: InstanceDependentAnnotator(0.9, 0.5).annotate(Y_SMALL, DIGITS, np.random.default_rng()),
            ValueError,
            "`X` is required",
        ),
        (lambda: InstanceDependentAnnotator(0.9, 0.5).correct_probability(Y_SMALL, DIGITS), ValueError, "`X`"),
        (
            lambda: ClusterSpecialistAnnotator(2, (0,)).annotate(Y_SMALL, DIGITS, np.random.default_rng()),
            ValueError,
            "`X` is required",
        ),
        (lambda: ClusterSpecialistAnnotator(2, (0,)).correct_probability(Y_SMALL, DIGITS), ValueError, "`X`"),
        (lambda: ClusterSpecialistAnnotator(2, (0,)).clusters(None), ValueError, "`X`"),
        (lambda: simulate_crowd(Y_SMALL, DIGITS, [InstanceDependentAnnotator(0.9, 0.5)]), ValueError, "`X`"),
        (lambda: sample_difficulty(None, Y_SMALL), ValueError, "`X` is required"),
        (lambda: sample_difficulty(X_SMALL[:4], Y_SMALL), ValueError, "`X` has 4 samples"),
        (lambda: sample_difficulty(np.full((6, 2), np.nan), Y_SMALL), ValueError, "`X`"),
        (lambda: sample_difficulty(X_SMALL, np.zeros(6, dtype=int)), ValueError, "`y_true` must hold at least two"),
        (lambda: ClusterSpecialistAnnotator(7, (0,)).clusters(X_SMALL), ValueError, "n_clusters"),
        (
            lambda: AdversarialAnnotator(((3, 12),)).annotate(Y_SMALL, DIGITS, np.random.default_rng()),
            ValueError,
            r"`swaps` names classes \[12\] not in `classes`",
        ),
        (lambda: SpammerAnnotator().annotate(Y_SMALL, DIGITS, 0), TypeError, "`rng`"),
    ],
)
def test_new_profiles_name_what_is_missing_or_wrong_in_a_call(call, err, match):
    with pytest.raises(err, match=match):
        call()


READY_MADE_CROWDS = [spammer_heavy_crowd, adversarial_crowd, instance_dependent_crowd, cluster_specialist_crowd]


@pytest.mark.parametrize("make_crowd", READY_MADE_CROWDS)
def test_ready_made_crowds_are_five_reproducible_annotators(data, make_crowd):
    profiles = make_crowd()
    assert len(profiles) == 5 and len(annotator_names(profiles)) == 5
    z = simulate_crowd(data.y_train, data.classes, profiles, random_state=3, X=data.X_train)
    assert z.shape == (len(data.y_train), 5) and z.dtype == np.int64
    assert np.array_equal(z, simulate_crowd(data.y_train, data.classes, make_crowd(), random_state=3, X=data.X_train))
    assert not np.array_equal(z, simulate_crowd(data.y_train, data.classes, profiles, random_state=4, X=data.X_train))
    accuracies = (z == data.y_train[:, None]).mean(axis=0)
    expected = correct_probabilities(data.y_train, data.classes, profiles, X=data.X_train).mean(axis=0)
    np.testing.assert_allclose(accuracies, expected, atol=0.05)
    assert accuracies.max() >= 0.45  # somebody is worth asking


def _majority_vote_is_right(z, y, classes):
    return majority_vote_labels(z, classes) == y


def test_spammer_heavy_crowd_outvotes_its_good_annotators(data):
    z = simulate_crowd(data.y_train, data.classes, spammer_heavy_crowd())
    accuracies = (z == data.y_train[:, None]).mean(axis=0)
    assert accuracies[0] > 0.85 and accuracies[1] > 0.75
    assert np.all((accuracies[2:] > 0.05) & (accuracies[2:] < 0.15))
    assert _majority_vote_is_right(z, data.y_train, data.classes).mean() < accuracies[1]  # worse than A2 alone


def test_adversarial_crowd_fools_the_majority_vote_on_the_swapped_digits(data):
    z = simulate_crowd(data.y_train, data.classes, adversarial_crowd())
    y = data.y_train
    swapped = np.isin(y, [3, 8, 1, 7, 4, 9])
    right = _majority_vote_is_right(z, y, data.classes)
    assert right[swapped].mean() < 0.75 and right[~swapped].mean() > 0.95
    # the adversaries' mistakes on swapped digits are (nearly all) the partner digit: consistent, hence invertible
    partner = AdversarialAnnotator(((3, 8), (1, 7), (4, 9))).partners(y, data.classes)
    for j in (0, 1):
        wrong = swapped & (z[:, j] != y)
        assert (z[wrong, j] == partner[wrong]).mean() > 0.95
    assert np.all((z[:, 2:] == y[:, None]).mean(axis=0) > 0.55)


def test_instance_dependent_crowd_is_right_on_easy_digits_and_wrong_together_on_hard_ones(data):
    z = simulate_crowd(data.y_train, data.classes, instance_dependent_crowd(), X=data.X_train)
    y = data.y_train
    quarter = np.minimum((sample_difficulty(data.X_train, y) * 4).astype(int), 3)
    easy, hard = quarter == 0, quarter == 3
    assert np.all((z[easy] == y[easy, None]).mean(axis=0) > (z[hard] == y[hard, None]).mean(axis=0) + 0.3)
    right = _majority_vote_is_right(z, y, data.classes)
    assert right[easy].mean() > 0.95 and right[hard].mean() < 0.6
    # on hard samples, wrong annotators agree: they all answer the nearest other digit
    nearest = _nearest_other_centroid(data.X_train, y)
    assert np.array_equal(z[z != y[:, None]], np.broadcast_to(nearest[:, None], z.shape)[z != y[:, None]])


def test_cluster_specialist_crowd_has_one_expert_per_region_and_no_good_generalist(data):
    profiles = cluster_specialist_crowd()
    z = simulate_crowd(data.y_train, data.classes, profiles, X=data.X_train)
    y = data.y_train
    regions = profiles[0].clusters(data.X_train)
    assert all(np.array_equal(regions, p.clusters(data.X_train)) for p in profiles)  # one map of regions
    for j in range(5):
        inside = regions == j
        assert (z[inside, j] == y[inside]).mean() > 0.85 and (z[~inside, j] == y[~inside]).mean() < 0.4
    assert np.all((z == y[:, None]).mean(axis=0) < 0.6)
    proba = correct_probabilities(y, data.classes, profiles, X=data.X_train)
    assert np.allclose(proba.max(axis=1), 0.95)  # every sample has its expert
    assert _majority_vote_is_right(z, y, data.classes).mean() < 0.8
