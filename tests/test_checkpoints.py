import inspect
import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from skactiveml.utils import _functions as skactiveml_functions

from crowdal_utils.experiment import ExperimentConfig, ExperimentResults, checkpoints, run_experiment
from crowdal_utils.experiment.checkpoints import CheckpointStore, describe_experiment, fingerprint
from crowdal_utils.experiment.loop import experiment_checkpoints
from crowdal_utils.learners import fit_checkpoints, make_learner, make_single_annotator_classifier, training

MV, AM = "majority-vote/random/random", "annot-mix/own-estimate/random"


@pytest.fixture
def store(tmp_path, data, crowd, tiny_config):
    return CheckpointStore(tmp_path, describe_experiment(tiny_config, data, crowd, list("ABCDE"), "cpu"))


def _records(tiny_results, arm, repetition):
    return [r for r in tiny_results.records if (r["arm"], r["repetition"]) == (arm, repetition)]


def test_fingerprint_changes_with_everything_that_decides_the_numbers(data, crowd, tiny_config, monkeypatch):
    def describe(config=tiny_config, z=crowd, names=tuple("ABCDE"), device="cpu", proba=None):
        return describe_experiment(config, data, z, list(names), device, proba)

    base = describe()
    changed = [
        describe(config=replace(tiny_config, max_epochs=3)),
        describe(config=replace(tiny_config, query_batch_size=8)),
        describe(z=np.roll(crowd, 1, axis=1)),
        describe(names="ABCDF"),
        describe(device="cuda"),
        describe(proba=np.full(crowd.shape, 0.5)),
        {**base, "versions": {**base["versions"], "torch": "0.0.1"}},
    ]
    # a CPU with other kernels (AVX-512 instead of AVX2) ...
    capability = checkpoints.cpu_capability
    monkeypatch.setattr(checkpoints, "cpu_capability", lambda: "ANOTHER-ISA")
    changed.append(describe())
    monkeypatch.setattr(checkpoints, "cpu_capability", capability)
    # ... and a change to the training settings made at run time (e.g. in a notebook) ...
    original = training.skorch_settings
    monkeypatch.setattr(training, "skorch_settings", lambda *a: {**original(*a), "optimizer__lr": 0.02})
    changed.append(describe())
    monkeypatch.setattr(training, "skorch_settings", original)
    prints = {fingerprint(d) for d in [base, *changed]}
    assert len(prints) == 1 + len(changed)
    assert fingerprint(base) == fingerprint(describe(device="cpu:0"))
    # ... but not the number of repetitions or the other arms: runs are shared between experiments
    more = replace(tiny_config, n_repetitions=5, arms=(("crowd-layer", "random"), *tiny_config.arms))
    assert fingerprint(describe(config=more)) == fingerprint(base)


def test_an_edit_to_the_training_code_changes_the_fingerprint(tmp_path, data, crowd, tiny_config, monkeypatch):
    """With an editable install the version stays the same when training.py changes; the source digest does not."""
    copy = tmp_path / "training.py"
    copy.write_text(Path(training.__file__).read_text())
    monkeypatch.setattr(inspect, "getsourcefile", lambda module: copy if module is training else module.__file__)
    before = fingerprint(describe_experiment(tiny_config, data, crowd, list("ABCDE"), "cpu"))
    copy.write_text(copy.read_text().replace('"optimizer__lr": 0.01', '"optimizer__lr": 0.01 * 1'))
    after = fingerprint(describe_experiment(tiny_config, data, crowd, list("ABCDE"), "cpu"))
    assert before != after


def test_every_module_the_loop_runs_on_is_in_the_code_digest():
    """A module that the loop imports but the digest skips could change numbers without a new fingerprint."""
    script = (
        "import sys, crowdal_utils.experiment.loop; "
        "print(sorted(m.removeprefix('crowdal_utils.') for m in sys.modules if m.startswith('crowdal_utils.')))"
    )
    imported = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
                          .stdout.replace("'", '"'))  # fmt: skip
    # the subpackages' lazy exports, which only name modules
    not_deciding = {name for name in imported if "." not in name and not name.startswith("_")}
    assert "learners.training" in imported
    assert "selection.pool_strategies" in checkpoints.number_modules()  # imported only when a strategy is built
    assert set(imported) - not_deciding <= set(checkpoints.number_modules())


def test_rerun_skips_saved_repetitions_and_gives_the_same_results(tmp_path, data, crowd, tiny_config, tiny_results):
    first = run_experiment(tiny_config, data, crowd, progress=False, n_jobs=1, checkpoint_dir=tmp_path)
    files = sorted(tmp_path.glob("*/*.json"))
    assert len(files) == 4 and len({f.parent for f in files}) == 1
    doc = json.loads(files[0].read_text())
    assert doc["experiment"]["settings"] == tiny_config.run_settings() and doc["experiment"]["versions"]["torch"]
    assert sorted(files) == sorted(experiment_checkpoints(tmp_path, tiny_config, data, crowd))
    stamps = [f.stat().st_mtime_ns for f in files]
    second = run_experiment(tiny_config, data, crowd, progress=False, n_jobs=1, checkpoint_dir=tmp_path)
    assert [f.stat().st_mtime_ns for f in files] == stamps  # nothing recomputed
    assert first.records == second.records == tiny_results.records


def test_another_configuration_gets_its_own_folder(tmp_path, data, crowd, tiny_config):
    run_experiment(tiny_config, data, crowd, progress=False, n_jobs=1, checkpoint_dir=tmp_path)
    other = ExperimentConfig(n_repetitions=1, n_cycles=1, query_batch_size=16, max_epochs=2)
    results = run_experiment(other, data, crowd, progress=False, n_jobs=1, checkpoint_dir=tmp_path)
    assert len(list(tmp_path.iterdir())) == 2
    assert {r["cycle"] for r in results.records} == {1}


def test_a_file_from_another_experiment_is_refused_by_name(tmp_path, data, crowd, tiny_config, store, tiny_results):
    store.save(AM, 0, _records(tiny_results, AM, 0))
    other = CheckpointStore(tmp_path, describe_experiment(tiny_config, data, crowd, list("VWXYZ"), "cpu"))
    other.folder.mkdir()
    os.replace(store.path(AM, 0), other.path(AM, 0))
    with pytest.raises(ValueError, match=r"random_repetition-0\.json was made by a different experiment.*delete"):
        other.load(AM, 0)


@pytest.mark.parametrize(
    "damage, match",
    [
        (lambda text: text[: len(text) // 2], "not a readable JSON file"),
        (lambda text: "\x00\xff garbage", "not a readable JSON file"),
        (lambda text: "[]", "not a crowdal-repetition file"),
        (lambda text: text.replace('"format_version": 3', '"format_version": 9'), "format version 9"),
        (lambda text: text.replace('"repetition": 1,\n "records"', '"repetition": 0,\n "records"'), "holds"),
        (lambda text: text.replace('"cycle": 2', '"cycle": 3'), "one complete record for each cycle"),
    ],
)
def test_a_damaged_file_names_itself_and_the_way_out(store, tiny_results, damage, match):
    path = store.save(MV, 1, _records(tiny_results, MV, 1))
    path.write_text(damage(path.read_text()), encoding="utf-8")
    with pytest.raises(ValueError, match=match) as err:
        store.load(MV, 1)
    assert str(path) in str(err.value) and "delete it" in str(err.value)


def test_incomplete_records_are_not_saved(store, tiny_results):
    with pytest.raises(ValueError, match="one complete record for each cycle"):
        store.save(MV, 0, _records(tiny_results, MV, 0)[:1])
    assert not store.path(MV, 0).exists()


def test_a_write_that_fails_midway_keeps_the_good_results_file(tmp_path, tiny_results, monkeypatch):
    """The write itself breaks after half the document is on disk: the old file must survive untouched."""
    path = tiny_results.save(tmp_path / "learning_curves.json")
    before = path.read_bytes()
    real_dump = json.dump

    def dump_half_then_fail(document, f, **kwargs):
        text = json.dumps(document, **kwargs)
        f.write(text[: len(text) // 2])
        f.flush()
        raise OSError("disk full")

    monkeypatch.setattr(json, "dump", dump_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        ExperimentResults(tiny_results.config, tiny_results.records[:0], ["other"]).save(path)
    monkeypatch.setattr(json, "dump", real_dump)
    assert path.read_bytes() == before
    assert ExperimentResults.load(path).records == tiny_results.records
    assert [p.name for p in tmp_path.iterdir()] == ["learning_curves.json"]  # no temporary file left


KILLED_RUN = """
from crowdal_utils.experiment.config import ExperimentConfig
from crowdal_utils.experiment.loop import run_experiment
config = ExperimentConfig(n_repetitions=2, n_cycles=3, query_batch_size=32, max_epochs=15)
run_experiment(config, progress=False, n_jobs=1, checkpoint_dir={folder!r})
"""


def test_killed_run_resumes_to_identical_results(tmp_path):
    """SIGKILL while the second (classifier, repetition) trains, restart, compare with an uninterrupted run."""
    config = ExperimentConfig(n_repetitions=2, n_cycles=3, query_batch_size=32, max_epochs=15)
    folder = tmp_path / "runs"
    script = textwrap.dedent(KILLED_RUN.format(folder=str(folder)))
    child = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 120
    while not list(folder.glob("*/*.json")):
        assert child.poll() is None, "the run ended before its first checkpoint"
        assert time.monotonic() < deadline, "no checkpoint within 120 s"
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    saved = sorted(folder.glob("*/*.json"))
    assert 1 <= len(saved) < 4, "the kill must land mid-run"
    stamps = {f: f.stat().st_mtime_ns for f in saved}

    resumed = run_experiment(config, progress=False, n_jobs=1, checkpoint_dir=folder)
    assert {f: f.stat().st_mtime_ns for f in saved} == stamps  # finished work was not redone
    assert len(list(folder.glob("*/*.json"))) == 4
    uninterrupted = run_experiment(config, progress=False, n_jobs=1, reuse=False)
    assert resumed.records == uninterrupted.records


# ---- one fitted classifier kept on disk (crowdal_utils.learners.fit_checkpoints, notebook 02's networks) ----
def test_every_module_the_learners_import_is_in_the_code_digest_of_a_fit():
    """A module that a learner imports but the fit's digest skips could change a fit without a new fingerprint."""
    script = (
        "import sys, pkgutil, importlib, crowdal_utils.learners as pkg; "
        "[importlib.import_module(f'crowdal_utils.learners.{m.name}') for m in pkgutil.iter_modules(pkg.__path__)]; "
        "print(sorted(m.removeprefix('crowdal_utils.') for m in sys.modules if m.startswith('crowdal_utils.')))"
    )
    imported = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
                          .stdout.replace("'", '"'))  # fmt: skip
    # the subpackages' lazy exports, which only name modules
    not_deciding = {name for name in imported if "." not in name and not name.startswith("_")}
    assert "learners.training" in imported
    assert set(imported) - not_deciding <= set(fit_checkpoints.fit_modules())


#: 64 training samples, 2 epochs: a fit in a fraction of a second.
FIT_SAMPLES, FIT_EPOCHS = 64, 2


def _small_fit(data, crowd, learner="single", seed=0, epochs=FIT_EPOCHS, labels=None):
    """(classifier, X, y) of a small fit: one annotator's labels for a SkorchClassifier, all five for Annot-Mix."""
    X = data.X_train[:FIT_SAMPLES]
    if learner == "single":
        clf = make_single_annotator_classifier(data.classes, random_state=0, max_epochs=epochs)
        y = crowd[:FIT_SAMPLES, 0].astype(float) if labels is None else labels
    else:
        clf = make_learner("annot-mix", data.classes, n_annotators=5, random_state=0, max_epochs=epochs)
        y = crowd[:FIT_SAMPLES].astype(float)
    return clf, X, y


@pytest.mark.parametrize("learner", ["single", "annot-mix"])
def test_a_kept_fit_is_loaded_in_a_new_process_and_predicts_as_the_fitted_one(tmp_path, data, crowd, learner):
    fitted, X, y = _small_fit(data, crowd, learner)
    fit_checkpoints.fit_or_load(fitted, X, y, 0, tmp_path)
    (path,) = (tmp_path / "fits").glob("*.pkl")
    # A new process has not fitted yet, so scikit-activeml has not made its loss class there: remove it here.
    made = [name for name in vars(skactiveml_functions) if name.startswith("TupleAware")]
    if learner == "single":  # Annot-Mix brings its own loss
        assert made, "scikit-activeml no longer makes a loss class while it fits: is the pickler's special case needed?"
    for name in made:
        delattr(skactiveml_functions, name)
    loaded, _, _ = _small_fit(data, crowd, learner)
    before = path.stat().st_mtime_ns
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fit_checkpoints, "fit_seeded", lambda *args: pytest.fail("fitted again instead of loading"))
        assert fit_checkpoints.fit_or_load(loaded, X, y, 0, tmp_path) is loaded
    assert path.stat().st_mtime_ns == before
    np.testing.assert_array_equal(loaded.predict_proba(data.X_test), fitted.predict_proba(data.X_test))
    if learner == "annot-mix":
        perf = [c.predict_proba(X, extra_outputs=["annotator_perf"])[1] for c in (loaded, fitted)]
        np.testing.assert_array_equal(*perf)


def test_train_and_score_reuses_a_fit_in_the_results_folder_and_scores_as_without(tmp_path, data, crowd, monkeypatch):
    monkeypatch.setenv("CROWDAL_RESULTS_DIR", str(tmp_path))
    scores = []
    for reuse in (False, True, True):  # train, train and keep, load
        clf = make_single_annotator_classifier(data.classes, random_state=0, max_epochs=1)
        scores.append(fit_checkpoints.train_and_score(clf, data, crowd[:, 0].astype(float), reuse=reuse))
        assert len(list((tmp_path / "checkpoints" / "fits").glob("*.pkl"))) == int(reuse)
    assert scores[0] == scores[1] == scores[2]


def test_another_seed_labels_or_setting_is_another_fit(tmp_path, data, crowd):
    base = _small_fit(data, crowd)
    changed_labels = crowd[:FIT_SAMPLES, 1].astype(float)
    variants = [
        (base, 0),
        (base, 1),
        (_small_fit(data, crowd, labels=changed_labels), 0),
        (_small_fit(data, crowd, epochs=FIT_EPOCHS + 1), 0),
        (_small_fit(data, crowd, learner="annot-mix"), 0),
    ]
    paths = {
        fit_checkpoints.fit_checkpoint_path(tmp_path, fit_checkpoints.describe_fit(c, X, y, s))
        for (c, X, y), s in variants
    }
    assert len(paths) == len(variants)


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        (lambda path: path.write_bytes(path.read_bytes()[:100]), "not a readable fit checkpoint"),
        (lambda path: path.write_bytes(pickle.dumps({"format": "something else"})), "not a crowdal-fit file"),
        (lambda path: path.write_bytes(pickle.dumps({"format": "crowdal-fit", "format_version": 0})), "version 0"),
        (
            lambda path: path.write_bytes(pickle.dumps({"format": "crowdal-fit", "format_version": 1, "fit": {}})),
            "another fit",
        ),
    ],
)
def test_a_damaged_fit_checkpoint_names_itself_and_the_way_out(tmp_path, data, crowd, damage, match):
    clf, X, y = _small_fit(data, crowd)
    fit_checkpoints.fit_or_load(clf, X, y, 0, tmp_path)
    (path,) = (tmp_path / "fits").glob("*.pkl")
    damage(path)
    with pytest.raises(ValueError, match=match) as err:
        fit_checkpoints.fit_or_load(_small_fit(data, crowd)[0], X, y, 0, tmp_path)
    assert str(path) in str(err.value) and "delete it" in str(err.value)


def test_a_fit_checkpoint_folder_that_is_not_a_path_is_refused_by_name(data, crowd):
    clf, X, y = _small_fit(data, crowd)
    with pytest.raises(TypeError, match="`checkpoint_dir` must be a folder"):
        fit_checkpoints.fit_or_load(clf, X, y, 0, checkpoint_dir=5)
    with pytest.raises(ValueError, match="`seed` must be >= 0"):
        fit_checkpoints.fit_or_load(clf, X, y, -1, checkpoint_dir="unused")
