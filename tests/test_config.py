import pytest

from crowdal_utils._environment import fast_mode, results_dir
from crowdal_utils.experiment.config import ExperimentConfig
from crowdal_utils.experiment.progress import progress_bar, progress_enabled


def test_full_configuration_is_the_references():
    full = ExperimentConfig.full()
    assert (full.n_repetitions, full.n_cycles, full.query_batch_size, full.max_epochs) == (3, 10, 64, 100)
    assert [arm.key for arm in full.arms] == ["majority-vote/random/random", "annot-mix/own-estimate/random"]


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
    assert progress_enabled({}) and progress_enabled({"CROWDAL_PROGRESS": "yes", "TQDM_DISABLE": "0"})
    assert not progress_enabled({"CROWDAL_PROGRESS": "0"})
    assert not progress_enabled({"TQDM_DISABLE": "1"})
    with pytest.raises(ValueError, match="CROWDAL_PROGRESS='none'"):
        progress_enabled({"CROWDAL_PROGRESS": "none"})


def test_a_bar_is_plain_text_that_ends_as_it_finished(capsys):
    """A notebook executed by nbconvert stores text as it was written last: the finished bar, not a frozen widget."""
    list(progress_bar(range(3), desc="runs"))
    out = capsys.readouterr().out
    assert "runs: 100%" in out.split("\r")[-1] and "3/3" in out


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
        ({"arms": (("annot-mix", "own-estimate"), ("svm",))}, ValueError, "learner.*'svm'"),
        ({"arms": ()}, TypeError, "arms"),
        ({"arms": "annot-mix"}, TypeError, "arms"),
        ({"arms": ("annot-mix", "annot-mix")}, ValueError, "twice"),
        ({"arms": (("annot-mix", "random", "uncertainty"),)}, ValueError, "strategy.*'uncertainty'"),
        ({"arms": (("annot-mix", ["own"]),)}, TypeError, "choice"),
        ({"arms": (("annot-mix", "random", {"margin"}),)}, TypeError, "strategy"),
        ({"arms": ((["annot-mix"],),)}, TypeError, "learner"),
        ({"arms": (("true-labels", "own-estimate"),)}, ValueError, "estimate.*'true-labels' makes none"),
        ({"arms": (42,)}, TypeError, r"arms\[0\]"),
        ({"budget_per_cycle": 10.0}, ValueError, "annotator_costs"),
    ],
)
def test_bad_configuration_is_rejected(kwargs, err, match):
    with pytest.raises(err, match=match):
        ExperimentConfig(**kwargs)


@pytest.mark.parametrize("value", ["y", "2", "fast", "tru"])
def test_a_misspelt_fast_switch_is_an_error_not_the_full_mode(value):
    with pytest.raises(ValueError, match=f"CROWDAL_FAST={value!r}"):
        fast_mode({"CROWDAL_FAST": value})


@pytest.mark.parametrize("value", ["1", "TRUE", " yes ", "on"])
def test_documented_spellings_select_the_fast_mode(value):
    assert fast_mode({"CROWDAL_FAST": value})


@pytest.mark.parametrize("value", ["", "0", "False", "no", "OFF"])
def test_documented_spellings_select_the_full_mode(value):
    assert not fast_mode({"CROWDAL_FAST": value})


def test_arms_accept_keys_and_tuples_and_round_trip_through_plain_json():
    config = ExperimentConfig(arms=["annot-mix/oracle/random", ("crowd-layer", "own-estimate"), "true-labels"])
    assert [a.key for a in config.arms] == [
        "annot-mix/oracle/random",
        "crowd-layer/own-estimate/random",
        "true-labels/random/random",
    ]
    assert ExperimentConfig.from_dict(config.to_dict()) == config
    assert config.learners == ("annot-mix", "crowd-layer", "true-labels")
    assert config.arms[0].label == "Annot-Mix · oracle"


def test_a_factorial_design_pairs_every_learner_with_every_choice_it_can_make():
    from crowdal_utils.experiment.config import factorial_arms

    arms = factorial_arms(["majority-vote", "annot-mix"], ["random", "own-estimate", "oracle"])
    assert [a.key for a in arms] == [
        "majority-vote/random/random",
        "majority-vote/own-estimate/random",
        "majority-vote/oracle/random",
        "annot-mix/random/random",
        "annot-mix/own-estimate/random",
        "annot-mix/oracle/random",
        "true-labels/random/random",
    ]
    assert [a.key for a in factorial_arms(["true-labels"], ["own-estimate", "random"], true_labels=False)] == [
        "true-labels/random/random"
    ]


def test_factorial_arms_leaves_out_the_excluded_pairs_and_names_a_bad_one():
    from crowdal_utils.experiment.config import Arm, factorial_arms

    full = factorial_arms(("majority-vote", "annot-mix"), ("random", "oracle"))
    fewer = factorial_arms(("majority-vote", "annot-mix"), ("random", "oracle"), exclude=[("majority-vote", "oracle")])
    assert [a.key for a in full if a not in fewer] == ["majority-vote/oracle/random"]
    assert fewer[-1] == Arm("true-labels")
    with pytest.raises(ValueError, match="exclude"):
        factorial_arms(("majority-vote",), ("random",), exclude=["majority-vote"])
