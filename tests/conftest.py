import matplotlib
import pytest

from crowdal_utils import ExperimentConfig, load_digits_split, simulate_crowd

matplotlib.use("Agg")  # unit tests only; the notebooks keep their inline backend


@pytest.fixture(scope="session")
def data():
    return load_digits_split()


@pytest.fixture(scope="session")
def crowd(data):
    return simulate_crowd(data.y_train, data.classes)


@pytest.fixture
def tiny_config():
    """Two classifiers, two repetitions, two cycles of 16 labels, 2 epochs: a few seconds."""
    return ExperimentConfig(n_repetitions=2, n_cycles=2, query_batch_size=16, max_epochs=2)
