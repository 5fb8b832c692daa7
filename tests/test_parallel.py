import os

import pytest
import torch

from crowdal_utils.experiment.config import ExperimentConfig
from crowdal_utils.experiment.loop import run_experiment, run_experiments
from crowdal_utils.experiment.parallel import check_n_jobs, default_n_jobs, run_in_parallel
from crowdal_utils.learners.training import torch_threads


def _square_with_threads(x):
    return x * x, torch.get_num_threads()


def test_tasks_run_with_one_torch_thread_and_restore_the_setting():
    before = torch.get_num_threads()
    results = dict(run_in_parallel(_square_with_threads, [(2,), (3,)]))
    assert results == {0: (4, 1), 1: (9, 1)}
    assert torch.get_num_threads() == before


def test_every_task_comes_back_once_from_worker_processes():
    results = dict(run_in_parallel(_square_with_threads, [(k,) for k in range(5)], n_jobs=2))
    assert results == {k: (k * k, 1) for k in range(5)}


def _process_id(k):
    return os.getpid()


def test_no_worker_count_means_the_default_workers_not_joblibs_one(monkeypatch):
    """``n_jobs=None`` (run_experiment's default) is default_n_jobs(); joblib alone would run it in this process."""
    monkeypatch.setattr("crowdal_utils.experiment.parallel.default_n_jobs", lambda: 2)
    processes = {pid for _, pid in run_in_parallel(_process_id, [(k,) for k in range(4)], n_jobs=None)}
    assert os.getpid() not in processes


def test_torch_threads_restores_after_an_error():
    before = torch.get_num_threads()
    with pytest.raises(RuntimeError), torch_threads(1):
        raise RuntimeError
    assert torch.get_num_threads() == before


def test_two_workers_give_the_numbers_of_one(data, crowd, tiny_config, tiny_results):
    parallel = run_experiment(tiny_config, data, crowd, progress=False, n_jobs=2, reuse=False)
    assert parallel.records == tiny_results.records


def test_a_grid_of_configurations_runs_as_one_and_matches_single_runs(tmp_path, data, crowd, tiny_config, tiny_results):
    other = ExperimentConfig(
        n_repetitions=1, n_cycles=3, query_batch_size=8, max_epochs=2, arms=(("annot-mix", "own-estimate"),)
    )
    grid = run_experiments([tiny_config, other], data, crowd, progress=False, n_jobs=2, checkpoint_dir=tmp_path)
    assert grid[0].records == tiny_results.records
    assert grid[1].records == run_experiment(other, data, crowd, progress=False, n_jobs=1, reuse=False).records
    assert len(list(tmp_path.iterdir())) == 2 and len(list(tmp_path.glob("*/*.json"))) == 5


@pytest.mark.parametrize("configs", [[], ExperimentConfig(), [ExperimentConfig(), {"n_cycles": 2}]])
def test_a_grid_must_be_a_list_of_configurations(configs):
    with pytest.raises(TypeError, match="configs"):
        run_experiments(configs, reuse=False)


def test_a_local_dask_cluster_gives_the_same_numbers(data, crowd, tiny_config, tiny_results):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        with distributed.Client(cluster):
            results = run_experiment(tiny_config, data, crowd, progress=False, n_jobs=2, backend="dask", reuse=False)
    assert results.records == tiny_results.records


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"n_jobs": 0}, ValueError, "n_jobs"),
        ({"n_jobs": 1.5}, TypeError, "n_jobs"),
        ({"n_jobs": "2"}, TypeError, "n_jobs"),
        ({"backend": 42}, TypeError, "backend"),
        ({"backend": "threading", "n_jobs": 2}, ValueError, "threading.*global random generator"),
        ({"backend": "no-such-backend", "n_jobs": 2}, ValueError, "no-such-backend"),
    ],
)
def test_bad_parallel_settings_are_rejected(kwargs, err, match):
    with pytest.raises(err, match=match):
        list(run_in_parallel(_square_with_threads, [(1,)], **kwargs))


def test_the_default_number_of_workers_is_all_cores_on_a_cpu_and_one_on_a_gpu(monkeypatch):
    monkeypatch.delenv("CROWDAL_N_JOBS", raising=False)  # the test session sets it (conftest.py)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert default_n_jobs() == -1
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert default_n_jobs() == 1


@pytest.mark.parametrize(("value", "expected"), [("1", 1), (" 2 ", 2), ("-1", -1), ("", -1)])
def test_crowdal_n_jobs_sets_the_default_number_of_workers(monkeypatch, value, expected):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert default_n_jobs({"CROWDAL_N_JOBS": value}) == expected
    monkeypatch.setenv("CROWDAL_N_JOBS", value)
    assert check_n_jobs(None) == expected


@pytest.mark.parametrize("value", ["0", "two", "1.5"])
def test_a_crowdal_n_jobs_that_is_not_a_worker_count_is_an_error_naming_the_variable(value):
    with pytest.raises(ValueError, match=f"CROWDAL_N_JOBS='{value}'"):
        default_n_jobs({"CROWDAL_N_JOBS": value})


def test_with_crowdal_n_jobs_1_a_run_without_n_jobs_stays_in_this_process(monkeypatch):
    monkeypatch.setenv("CROWDAL_N_JOBS", "1")
    processes = {pid for _, pid in run_in_parallel(_process_id, [(k,) for k in range(3)], n_jobs=None)}
    assert processes == {os.getpid()}


#: One repetition of two cycles of 8 labels, 2 epochs: arms of notebooks 5 and 6 in seconds.
ONE_SHORT_RUN = dict(n_repetitions=1, n_cycles=2, query_batch_size=8, max_epochs=2)


def test_notebook_5s_factorial_grid_is_the_same_for_one_and_two_workers_and_resumes(tmp_path, data, crowd):
    """Every learner x every choice (with the oracle and the true-labels ceiling), tiny: n_jobs 1 == n_jobs 2, and a
    rerun after losing some checkpoints recomputes only those and gives the same records."""
    from crowdal_utils.crowds.presets import default_crowd
    from crowdal_utils.experiment.config import factorial_arms
    from crowdal_utils.learners.registry import LEARNERS

    learners = [name for name in LEARNERS if name in ("majority-vote", "dawid-skene", "crowd-layer", "annot-mix")]
    config = ExperimentConfig(**ONE_SHORT_RUN, arms=factorial_arms(learners, ("random", "own-estimate", "oracle")))
    assert len(config.arms) == 13
    run = dict(profiles=default_crowd(), progress=False)  # the oracle needs the profiles
    one = run_experiment(config, data, crowd, n_jobs=1, **run, reuse=False)
    two = run_experiment(config, data, crowd, n_jobs=2, checkpoint_dir=tmp_path, **run)
    assert two.records == one.records
    files = sorted(tmp_path.glob("*/*.json"))
    lost = files[::3]
    kept = {f: f.stat().st_mtime_ns for f in files if f not in lost}
    for f in lost:
        f.unlink()
    resumed = run_experiment(config, data, crowd, n_jobs=2, checkpoint_dir=tmp_path, **run)
    assert resumed.records == one.records
    assert {f: f.stat().st_mtime_ns for f in kept} == kept  # what was saved is loaded, not recomputed
    assert all(f.exists() for f in lost)


def test_notebook_6s_strategies_and_costs_are_the_same_for_one_and_two_workers(data, crowd):
    """Every informative strategy (each needs something else from the loop) and every cost policy, tiny."""
    from crowdal_utils.selection.costs import AnnotatorCosts

    strategies = ExperimentConfig(
        **ONE_SHORT_RUN,
        arms=[
            (learner, "own-estimate", strategy)
            for learner in ("majority-vote", "annot-mix")
            for strategy in ("margin", "badge", "coreset", "activelab")
        ],
    )
    costs = ExperimentConfig(
        **ONE_SHORT_RUN,
        arms=[("annot-mix", policy) for policy in ("own-estimate", "per-cost", "equal-share")],
        annotator_costs=AnnotatorCosts((4, 2, 1, 2, 1), (6, 100, 100, 100, 100)),
        budget_per_cycle=12,
    )
    one = run_experiments([strategies, costs], data, crowd, progress=False, n_jobs=1, reuse=False)
    two = run_experiments([strategies, costs], data, crowd, progress=False, n_jobs=2, reuse=False)
    assert [r.records for r in two] == [r.records for r in one]
    assert len(one[0].arms) == 8 and len(one[1].arms) == 3
