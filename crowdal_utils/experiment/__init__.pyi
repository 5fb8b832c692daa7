"""crowdal_utils.experiment's public names, for editors and type checkers (SPEC 1)."""

from .checkpoints import CheckpointStore as CheckpointStore
from .config import (
    REFERENCE_ARMS as REFERENCE_ARMS,
)
from .config import (
    Arm as Arm,
)
from .config import (
    ExperimentConfig as ExperimentConfig,
)
from .config import (
    as_arm as as_arm,
)
from .config import (
    factorial_arms as factorial_arms,
)
from .config import (
    fast_mode as fast_mode,
)
from .config import (
    results_dir as results_dir,
)
from .loop import (
    draw_gold_tasks as draw_gold_tasks,
)
from .loop import (
    experiment_checkpoints as experiment_checkpoints,
)
from .loop import (
    fit_seed as fit_seed,
)
from .loop import (
    load_or_run_fast as load_or_run_fast,
)
from .loop import (
    prepare_crowd as prepare_crowd,
)
from .loop import (
    run_experiment as run_experiment,
)
from .loop import (
    run_experiments as run_experiments,
)
from .loop import (
    run_repetition as run_repetition,
)
from .parallel import run_in_parallel as run_in_parallel
from .progress import progress_bar as progress_bar
from .regimes import compare_in_regimes as compare_in_regimes
from .regimes import draw_partial_labels as draw_partial_labels
from .results import (
    METRICS as METRICS,
)
from .results import (
    RESULTS_FILENAME as RESULTS_FILENAME,
)
from .results import (
    ExperimentResults as ExperimentResults,
)
from .results import (
    curve_mean as curve_mean,
)
