import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from crowdal_utils import ExperimentConfig, run_experiment
from crowdal_utils.checkpoints import CheckpointStore, describe_experiment, fingerprint


@pytest.fixture
def store(tmp_path, data, crowd, tiny_config):
    return CheckpointStore(tmp_path, describe_experiment(tiny_config, data, crowd, list("ABCDE"), "cpu"))


def _records(tiny_results, classifier, repetition):
    return [r for r in tiny_results.records if (r["classifier"], r["repetition"]) == (classifier, repetition)]


def test_fingerprint_changes_with_everything_that_decides_the_numbers(data, crowd, tiny_config):
    base = describe_experiment(tiny_config, data, crowd, list("ABCDE"), "cpu")
    changed = [
        describe_experiment(
            ExperimentConfig(n_repetitions=2, n_cycles=2, query_batch_size=16, max_epochs=3),
            data,
            crowd,
            list("ABCDE"),
            "cpu",
        ),  # fmt: skip
        describe_experiment(tiny_config, data, np.roll(crowd, 1, axis=1), list("ABCDE"), "cpu"),
        describe_experiment(tiny_config, data, crowd, list("ABCDF"), "cpu"),
        describe_experiment(tiny_config, data, crowd, list("ABCDE"), "cuda"),
        {**base, "versions": {**base["versions"], "torch": "0.0.1"}},
    ]
    prints = {fingerprint(d) for d in [base, *changed]}
    assert len(prints) == 6
    assert fingerprint(base) == fingerprint(describe_experiment(tiny_config, data, crowd, list("ABCDE"), "cpu:0"))


def test_rerun_skips_saved_repetitions_and_gives_the_same_results(tmp_path, data, crowd, tiny_config, tiny_results):
    first = run_experiment(tiny_config, data, crowd, progress=False, checkpoint_dir=tmp_path)
    files = sorted(tmp_path.glob("*/*.json"))
    assert len(files) == 4 and len({f.parent for f in files}) == 1
    doc = json.loads(files[0].read_text())
    assert doc["experiment"]["config"] == tiny_config.to_dict() and doc["experiment"]["versions"]["torch"]
    stamps = [f.stat().st_mtime_ns for f in files]
    second = run_experiment(tiny_config, data, crowd, progress=False, checkpoint_dir=tmp_path)
    assert [f.stat().st_mtime_ns for f in files] == stamps  # nothing recomputed
    assert first.records == second.records == tiny_results.records


def test_another_configuration_gets_its_own_folder(tmp_path, data, crowd, tiny_config):
    run_experiment(tiny_config, data, crowd, progress=False, checkpoint_dir=tmp_path)
    other = ExperimentConfig(n_repetitions=1, n_cycles=1, query_batch_size=16, max_epochs=2)
    results = run_experiment(other, data, crowd, progress=False, checkpoint_dir=tmp_path)
    assert len(list(tmp_path.iterdir())) == 2
    assert {r["cycle"] for r in results.records} == {1}


def test_a_file_from_another_experiment_is_refused_by_name(tmp_path, data, crowd, tiny_config, store, tiny_results):
    store.save("annot-mix", 0, _records(tiny_results, "annot-mix", 0))
    other = CheckpointStore(tmp_path, describe_experiment(tiny_config, data, crowd, list("VWXYZ"), "cpu"))
    other.folder.mkdir()
    os.replace(store.path("annot-mix", 0), other.path("annot-mix", 0))
    with pytest.raises(ValueError, match=r"annot-mix_repetition-0\.json was made by a different experiment.*delete"):
        other.load("annot-mix", 0)


@pytest.mark.parametrize(
    "damage, match",
    [
        (lambda text: text[: len(text) // 2], "not a readable JSON file"),
        (lambda text: "\x00\xff garbage", "not a readable JSON file"),
        (lambda text: "[]", "not a crowdal-repetition file"),
        (lambda text: text.replace('"format_version": 1', '"format_version": 9'), "format version 9"),
        (lambda text: text.replace('"repetition": 1,\n "records"', '"repetition": 0,\n "records"'), "holds"),
        (lambda text: text.replace('"cycle": 2', '"cycle": 3'), "one complete record for each cycle"),
    ],
)
def test_a_damaged_file_names_itself_and_the_way_out(store, tiny_results, damage, match):
    path = store.save("majority-vote", 1, _records(tiny_results, "majority-vote", 1))
    path.write_text(damage(path.read_text()), encoding="utf-8")
    with pytest.raises(ValueError, match=match) as err:
        store.load("majority-vote", 1)
    assert str(path) in str(err.value) and "delete it" in str(err.value)


def test_incomplete_records_are_not_saved(store, tiny_results):
    with pytest.raises(ValueError, match="one complete record for each cycle"):
        store.save("majority-vote", 0, _records(tiny_results, "majority-vote", 0)[:1])
    assert not store.path("majority-vote", 0).exists()


def test_a_failed_run_keeps_the_good_results(tmp_path, data, crowd, tiny_config, monkeypatch):
    good = run_experiment(tiny_config, data, crowd, progress=False, checkpoint_dir=tmp_path)
    path = good.save(tmp_path / "learning_curves.json")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("simulated crash")

    monkeypatch.setattr("crowdal_utils.loop.run_repetition", broken)
    with pytest.raises(RuntimeError, match="simulated crash"):
        other = ExperimentConfig(n_repetitions=1, n_cycles=1, query_batch_size=16, max_epochs=2)
        run_experiment(other, data, crowd, progress=False, checkpoint_dir=tmp_path).save(path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("**/*.tmp"))


KILLED_RUN = """
from crowdal_utils import ExperimentConfig, run_experiment
config = ExperimentConfig(n_repetitions=2, n_cycles=3, query_batch_size=32, max_epochs=15)
run_experiment(config, progress=False, checkpoint_dir={folder!r})
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

    resumed = run_experiment(config, progress=False, checkpoint_dir=folder)
    assert {f: f.stat().st_mtime_ns for f in saved} == stamps  # finished work was not redone
    assert len(list(folder.glob("*/*.json"))) == 4
    uninterrupted = run_experiment(config, progress=False)
    assert resumed.records == uninterrupted.records
