"""The benchmark's baseline still runs and is the same experiment (no timing here: see benchmarks/)."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from reference_path import run_reference_path  # noqa: E402


def test_reference_path_asks_the_same_questions_as_crowdal(data, crowd, tiny_config, tiny_results):
    curves = run_reference_path(tiny_config, data, crowd)
    for name in tiny_config.classifiers:
        accuracy = curves[name]["test_accuracy"]
        assert accuracy.shape == (2, 2) and ((0 <= accuracy) & (accuracy <= 1)).all()
    # Majority vote's annotators are chosen at random, so both paths buy the very same labels.
    np.testing.assert_array_equal(
        curves["majority-vote"]["correct_annotation_rate"],
        tiny_results.curves("majority-vote", "correct_annotation_rate"),
    )
