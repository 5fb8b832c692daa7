"""The active-learning loop: its configuration, runs side by side, checkpoints and results files."""

from .._lazy import lazy_exports

#: One line per module of this subpackage: its name, then the public names it defines (imported on first use).
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    """
    checkpoints CheckpointStore
    config      Arm ExperimentConfig REFERENCE_ARMS as_arm factorial_arms fast_mode results_dir
    loop        draw_gold_tasks experiment_checkpoints fit_seed load_or_run_fast prepare_crowd run_experiment
                run_experiments run_repetition
    parallel    run_in_parallel
    progress    progress_bar
    regimes     compare_in_regimes draw_partial_labels
    results     ExperimentResults METRICS RESULTS_FILENAME curve_mean
""",
)
