import numpy as np
import pytest

from crowdal_utils.crowds.aggregation import majority_vote_labels
from crowdal_utils.crowds.confusions import annotator_confusion_matrices
from crowdal_utils.crowds.metrics import (
    annotator_accuracies,
    correct_annotation_rate,
    majority_vote_accuracy,
    wrong_labels_reproduced,
)
from crowdal_utils.experiment.results import curve_mean

Y = np.array([0, 1, 2, 2])
Z = np.array([[0, 0, 1], [1, 2, 1], [2, 2, 2], [0, 2, 1]])


def test_annotator_accuracies():
    np.testing.assert_allclose(annotator_accuracies(Z, Y), [0.75, 0.75, 0.5])


def test_confusion_matrices_are_row_normalised():
    c = annotator_confusion_matrices(Z, Y, [0, 1, 2])
    assert c.shape == (3, 3, 3)
    np.testing.assert_allclose(c.sum(axis=2), 1.0)
    np.testing.assert_allclose(c[0, 2], [0.5, 0.0, 0.5])  # annotator 0 on the two 2s


def test_majority_vote_labels_and_missing_samples():
    z = np.array([[0, 0, 1], [np.nan, np.nan, np.nan], [2, np.nan, 2]])
    mv = majority_vote_labels(z, [0, 1, 2])
    assert mv[0] == 0 and np.isnan(mv[1]) and mv[2] == 2


def test_majority_vote_accuracy_of_all_voters_equals_plain_vote(data, crowd):
    full = majority_vote_accuracy(crowd, data.y_train, data.classes)
    plain = (majority_vote_labels(crowd, data.classes) == data.y_train).mean()
    assert full == pytest.approx(plain)
    single = majority_vote_accuracy(crowd, data.y_train, data.classes, n_voters=1)
    # One random voter per sample averages the annotators' accuracies.
    assert single == pytest.approx(annotator_accuracies(crowd, data.y_train).mean(), abs=0.03)
    assert full > single


def test_correct_annotation_rate_counts_acquired_labels_only():
    y = np.full((4, 3), np.nan)
    assert np.isnan(correct_annotation_rate(y, Y))
    y[0, 0], y[1, 2], y[3, 1] = 0, 1, 0
    assert correct_annotation_rate(y, Y) == pytest.approx(2 / 3)


def test_wrong_labels_reproduced_counts_only_wrongly_labelled_samples():
    y_true = np.array([0, 1, 2, 2, 1])
    labels = np.array([0, 2, 0, 2, 0])  # samples 1, 2 and 4 are labelled wrongly
    # Sample 1 reproduced, sample 2 predicted correctly, sample 4 neither; samples 0 and 3 do not count.
    predictions = np.array([1, 2, 2, 0, 2])
    assert wrong_labels_reproduced(predictions, labels, y_true) == pytest.approx(1 / 3)
    assert wrong_labels_reproduced(labels, labels, y_true) == 1.0  # memorised every wrong label
    assert wrong_labels_reproduced(y_true, labels, y_true) == 0.0  # ignored the noise
    assert np.isnan(wrong_labels_reproduced(predictions, y_true, y_true))  # no wrong label


def test_curve_mean_is_a_mean_not_an_area():
    curves = np.array([[0.2, 0.4, 0.9], [0.4, 0.6, 0.7]])
    assert curve_mean(curves) == pytest.approx(0.5333333)
    assert curve_mean(curves) != pytest.approx(np.trapezoid(curves.mean(0)) / 2)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: annotator_accuracies(Z[:3], Y), ValueError, "crowd_labels"),
        (lambda: annotator_accuracies(Z[:, 0], Y), ValueError, "crowd_labels"),
        (lambda: annotator_accuracies(Z.astype(float), Y), ValueError, "crowd_labels"),
        (lambda: annotator_confusion_matrices(Z, Y, [0, 1]), ValueError, "not in `classes`"),
        (lambda: majority_vote_accuracy(Z, Y, [0, 1, 2], n_voters=4), ValueError, "n_voters"),
        (lambda: majority_vote_accuracy(Z, Y, [0, 1, 2], n_voters=0), ValueError, "n_voters"),
        (lambda: majority_vote_labels(np.array([["a"]]), [0, 1]), ValueError, "crowd_labels"),
        (lambda: correct_annotation_rate(np.zeros((3, 2)), Y), ValueError, "partial_labels"),
        (lambda: wrong_labels_reproduced(Y[:3], Y, Y), ValueError, "`predictions`"),
        (lambda: wrong_labels_reproduced(Y, Y[:3], Y), ValueError, "`labels`"),
        (lambda: wrong_labels_reproduced(Y, Y, Y.astype(float)), ValueError, "`y_true`"),
        (lambda: curve_mean(np.array([0.5, 0.6])), ValueError, "curves"),
        (lambda: curve_mean(np.array([[0.5, np.nan]])), ValueError, "NaN"),
    ],
)
def test_bad_input_is_rejected(call, err, match):
    with pytest.raises(err, match=match):
        call()


def test_one_annotators_labels_are_a_column_and_an_index_outside_the_crowd_is_named():
    from crowdal_utils.crowds import annotator_labels

    z = np.arange(12).reshape(4, 3)
    np.testing.assert_array_equal(annotator_labels(z, 2), [2, 5, 8, 11])
    for bad in (3, -1, 1.0, True, "A1"):  # numpy would take -1 as the last annotator and 1.0 as an error of its own
        with pytest.raises(ValueError, match=r"`annotator` must be an annotator's index, 0 \(A1\) to 2 \(A3\)"):
            annotator_labels(z, bad)
    with pytest.raises(ValueError, match="crowd_labels"):
        annotator_labels(z[0], 0)


def test_a_lessons_parameters_are_checked_by_the_names_the_lesson_gives_them():
    from crowdal_utils.course import check_lesson_parameters
    from crowdal_utils.crowds import adversarial_crowd, default_crowd
    from crowdal_utils.experiment import Arm

    crowds = {"default": default_crowd(), "adversarial": adversarial_crowd()}
    greedy = Arm("annot-mix", "own-estimate")
    arms = (greedy, Arm("annot-mix", "oracle"))
    good = dict(CROWDS=crowds, REPETITIONS={"default": 3, "adversarial": 5}, GOLD_SHARES=dict.fromkeys(crowds, (0.15,)))
    check_lesson_parameters(8, **good, ARMS=arms, GREEDY=greedy)  # the lesson's values pass
    with pytest.raises(ValueError, match="ARMS must hold GREEDY"):
        check_lesson_parameters(8, **good, ARMS=arms[1:], GREEDY=greedy)
    with pytest.raises(ValueError, match="REPETITIONS and GOLD_SHARES need one entry per crowd"):
        check_lesson_parameters(8, **{**good, "REPETITIONS": {"default": 3}}, ARMS=arms, GREEDY=greedy)
    check_lesson_parameters(6, STRATEGIES=("random", "margin"), POLICIES=("own-estimate",))
    with pytest.raises(ValueError, match='STRATEGIES must include "random"'):
        check_lesson_parameters(6, STRATEGIES=("margin",), POLICIES=("own-estimate",))
    with pytest.raises(TypeError, match="lesson 6's parameters are"):
        check_lesson_parameters(6, STRATEGIES=("random",))  # a parameter left out
    with pytest.raises(ValueError, match="`lesson` must be one of"):
        check_lesson_parameters(3)
