import pytest

from crowdal_utils import ExperimentConfig, fast_mode, results_dir
from crowdal_utils.progress import progress_bar, progress_enabled


def test_full_configuration_is_the_references():
    full = ExperimentConfig.full()
    assert (full.n_repetitions, full.n_cycles, full.query_batch_size, full.max_epochs) == (3, 10, 64, 100)
    assert full.classifiers == ("majority-vote", "annot-mix")


def test_fast_mode_switch_reads_the_environment():
    assert fast_mode({"CROWDAL_FAST": "1"}) and fast_mode({"CROWDAL_FAST": "True"})
    assert not fast_mode({}) and not fast_mode({"CROWDAL_FAST": "0"})
    assert ExperimentConfig.from_environment({"CROWDAL_FAST": "yes"}) == ExperimentConfig.fast()
    assert ExperimentConfig.from_environment({}) == ExperimentConfig.full()
    fast, full = ExperimentConfig.fast(), ExperimentConfig.full()
    assert fast.n_cycles < full.n_cycles and fast.n_repetitions < full.n_repetitions
    assert (fast.max_epochs, fast.query_batch_size) == (full.max_epochs, full.query_batch_size)


def test_results_dir_from_environment(tmp_path):
    target = tmp_path / "out"
    assert results_dir({"CROWDAL_RESULTS_DIR": str(target)}) == target and target.is_dir()


def test_progress_switch():
    assert progress_enabled({})
    assert not progress_enabled({"CROWDAL_PROGRESS": "0"})
    assert not progress_enabled({"TQDM_DISABLE": "1"})


def test_progress_bar_honours_the_switch(monkeypatch):
    monkeypatch.setenv("CROWDAL_PROGRESS", "off")
    assert progress_bar(range(3)).disable
    monkeypatch.delenv("CROWDAL_PROGRESS")
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    assert not progress_bar(range(3)).disable
    assert progress_bar(range(3), enabled=False).disable


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"n_cycles": 0}, ValueError, "n_cycles"),
        ({"max_epochs": -5}, ValueError, "max_epochs"),
        ({"n_repetitions": 1.5}, TypeError, "n_repetitions"),
        ({"query_batch_size": True}, TypeError, "query_batch_size"),
        ({"classifiers": ("annot-mix", "crowd-layer")}, ValueError, "crowd-layer"),
        ({"classifiers": ()}, ValueError, "classifiers"),
        ({"classifiers": "annot-mix"}, ValueError, "classifiers"),
        ({"classifiers": ("annot-mix", "annot-mix")}, ValueError, "twice"),
        ({"query_strategy": "uncertainty"}, ValueError, "query_strategy.*'uncertainty'"),
    ],
)
def test_bad_configuration_is_rejected(kwargs, err, match):
    with pytest.raises(err, match=match):
        ExperimentConfig(**kwargs)
