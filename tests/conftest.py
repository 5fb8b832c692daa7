import matplotlib
import pytest

from crowdal_utils.crowds.simulation import simulate_crowd
from crowdal_utils.data.digits import load_digits_split
from crowdal_utils.experiment.config import ExperimentConfig
from crowdal_utils.experiment.loop import run_experiment

matplotlib.use("Agg")  # unit tests only; the notebooks keep their inline backend


@pytest.fixture(scope="session")
def data():
    return load_digits_split()


@pytest.fixture(scope="session")
def crowd(data):
    return simulate_crowd(data.y_train, data.classes)


#: Two arms, two repetitions, two cycles of 16 labels, 2 epochs: a few seconds (a frozen dataclass).
TINY_CONFIG = ExperimentConfig(n_repetitions=2, n_cycles=2, query_batch_size=16, max_epochs=2)


@pytest.fixture
def tiny_config():
    return TINY_CONFIG


@pytest.fixture(scope="session")
def tiny_results(data, crowd):
    """The tiny configuration run once, in this process, with n_jobs=1."""
    return run_experiment(TINY_CONFIG, data, crowd, progress=False, n_jobs=1, reuse=False)
