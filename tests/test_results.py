"""Results refuse records that would make wrong curves, in memory and on load."""

import json

import numpy as np
import pytest

from crowdal_utils.experiment.results import ExperimentResults

AM = "annot-mix/own-estimate/random"


def _rows(tiny_results, keep):
    return [dict(r) for r in tiny_results.records if keep(r)]


def test_three_plus_one_cycles_are_not_two_by_two(tiny_results):
    """Rows that divide by the number of repetitions used to be reshaped into wrong curves."""
    am = _rows(tiny_results, lambda r: r["arm"] == AM)
    third = {**am[1], "cycle": 3}  # repetition 0 gets cycles 1, 2, 3 ...
    bad = [am[0], am[1], third, am[2]]  # ... and repetition 1 only cycle 1
    with pytest.raises(ValueError, match=r"one record for each of the 2 repetitions x 2 cycles"):
        ExperimentResults(tiny_results.config, bad, tiny_results.annotator_names)


@pytest.mark.parametrize(
    "break_records, match",
    [
        (lambda rows: rows[:-1], "one record for each"),  # a missing cycle
        (lambda rows: rows + [rows[0]], "one record for each"),  # a cycle twice
        (lambda rows: [{**r, "repetition": r["repetition"] + 1} for r in rows], "one record for each"),  # reps 1, 2
        (
            lambda rows: [{**r, "n_annotations": r["n_annotations"] + r["repetition"]} for r in rows],
            "numbers of labels",
        ),
        (lambda rows: [{**r, "arm": "crowd-layer/random/random"} for r in rows], "does not name"),
        (lambda rows: [{**r, "learner": "crowd-layer"} for r in rows], "another learner"),
        (lambda rows: [{k: v for k, v in r.items() if k != "cost"} for r in rows], "lacks the keys"),
        (lambda rows: rows[0], "must be a list"),
    ],
)
def test_records_that_would_mix_curves_are_refused(tiny_results, break_records, match):
    rows = _rows(tiny_results, lambda r: r["arm"] == AM)
    with pytest.raises((ValueError, TypeError), match=match):
        ExperimentResults(tiny_results.config, break_records(rows), tiny_results.annotator_names)


def test_loading_checks_the_records_too_and_names_the_file(tiny_results, tmp_path):
    doc = tiny_results.to_dict()
    doc["records"] = [r for r in doc["records"] if not (r["arm"] == AM and r["cycle"] == 2 and r["repetition"] == 1)]
    path = tmp_path / "curves.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match=r"curves\.json is incomplete or inconsistent.*one record for each"):
        ExperimentResults.load(path)


def test_a_file_of_the_old_format_says_where_it_came_from(tiny_results, tmp_path):
    doc = {**tiny_results.to_dict(), "format_version": 1}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match=r"old\.json has format version 1.*crowdal_utils 0\.2.*rerun"):
        ExperimentResults.load(path)


def test_accessors_follow_the_records(tiny_results):
    curves = tiny_results.curves(AM, "test_accuracy")
    by_hand = [[r["test_accuracy"] for r in tiny_results.records if r["arm"] == AM and r["repetition"] == rep]
               for rep in range(2)]  # fmt: skip
    np.testing.assert_array_equal(curves, by_hand)
    np.testing.assert_array_equal(tiny_results.curve_means(AM, "test_accuracy"), np.mean(by_hand, axis=1))
    assert tiny_results.estimated_accuracy(AM).shape == (2, 2, 5)
    assert tiny_results.estimated_accuracy("majority-vote/random/random").shape == (2, 2, 5)
    np.testing.assert_array_equal(tiny_results.cost_spent(AM), tiny_results.n_annotations(AM))
    assert np.isnan(tiny_results.values(AM, "best_annotator_share")).all()  # no truth: the crowd came without profiles
    with pytest.raises(ValueError, match="field"):
        tiny_results.values(AM, "annotations_per_annotator")
