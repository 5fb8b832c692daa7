"""crowdal_utils.experiment's public names, for editors and type checkers (SPEC 1)."""

from .checkpoints import CheckpointStore as CheckpointStore
from .config import (
    REFERENCE_ARMS as REFERENCE_ARMS,
    Arm as Arm,
    ExperimentConfig as ExperimentConfig,
    as_arm as as_arm,
    factorial_arms as factorial_arms,
    fast_mode as fast_mode,
    results_dir as results_dir,
)
from .loop import (
    experiment_checkpoints as experiment_checkpoints,
    fit_seed as fit_seed,
    load_or_run_fast as load_or_run_fast,
    prepare_crowd as prepare_crowd,
    run_experiment as run_experiment,
    run_experiments as run_experiments,
    run_repetition as run_repetition,
)
from .parallel import run_in_parallel as run_in_parallel
from .progress import progress_bar as progress_bar
from .regimes import compare_in_regimes as compare_in_regimes, draw_partial_labels as draw_partial_labels
from .results import (
    METRICS as METRICS,
    RESULTS_FILENAME as RESULTS_FILENAME,
    ExperimentResults as ExperimentResults,
    curve_mean as curve_mean,
)
