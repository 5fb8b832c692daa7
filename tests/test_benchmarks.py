"""The benchmark's baseline still runs and is the same experiment (no timing here: see benchmarks/)."""

import sys
from pathlib import Path

import numpy as np
from skactiveml.classifier.multiannotator import AnnotMixClassifier

from crowdal_utils.experiment.loop import run_experiment
from crowdal_utils.learners.classifiers import MajorityVoteClassifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from reference_path import run_reference_path  # noqa: E402


def _questions_asked(monkeypatch, run):
    """The label matrices every fit of ``run()`` trains on, per learner class (fits on no label at all skipped)."""
    asked = {MajorityVoteClassifier: [], AnnotMixClassifier: []}
    for cls in asked:
        fit = cls.fit

        def recording(self, X, y, *args, _fit=fit, _cls=cls, **kwargs):
            if not np.isnan(y).all():
                asked[_cls].append(np.array(y, copy=True))
            return _fit(self, X, y, *args, **kwargs)

        monkeypatch.setattr(cls, "fit", recording)
    out = run()
    monkeypatch.undo()
    return out, asked


def test_reference_path_asks_the_same_questions_as_crowdal(monkeypatch, data, crowd, tiny_config):
    """Cycle by cycle, majority vote acquires the very same (sample, annotator) labels on both paths; Annot-Mix the
    same first batch (after that each path asks whom its own, differently trained model estimates best)."""
    curves, reference = _questions_asked(monkeypatch, lambda: run_reference_path(tiny_config, data, crowd))
    results, crowdal = _questions_asked(
        monkeypatch, lambda: run_experiment(tiny_config, data, crowd, progress=False, n_jobs=1, reuse=False)
    )
    n_fits = tiny_config.n_repetitions * tiny_config.n_cycles
    assert len(reference[MajorityVoteClassifier]) == len(crowdal[MajorityVoteClassifier]) == n_fits
    for ours, theirs in zip(crowdal[MajorityVoteClassifier], reference[MajorityVoteClassifier], strict=True):
        np.testing.assert_array_equal(ours, theirs)
    first_batches = slice(0, None, tiny_config.n_cycles)
    for ours, theirs in zip(crowdal[AnnotMixClassifier][first_batches], reference[AnnotMixClassifier][first_batches],
                            strict=True):  # fmt: skip
        np.testing.assert_array_equal(ours, theirs)
    for arm in results.arms:
        assert curves[arm]["test_accuracy"].shape == (2, 2)
        np.testing.assert_array_equal(curves[arm]["correct_annotation_rate"][:, 0],
                                      results.curves(arm, "correct_annotation_rate")[:, 0])  # fmt: skip
