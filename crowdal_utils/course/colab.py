"""What the notebooks' first cell calls on Colab, after pip has installed this package.

Colab preinstalls an older numpy than scikit-activeml needs; pip upgrades it, but a
session that has already imported numpy keeps the old one in memory until it restarts.
"""

from importlib.metadata import version


def stop_if_restart_needed():
    """Raise with one clear sentence when pip replaced a numpy that this session has already loaded."""
    import numpy

    if version("numpy") != numpy.__version__:
        raise RuntimeError(
            f"numpy {version('numpy')} was installed but {numpy.__version__} is loaded: restart the session "
            "(Runtime > Restart session) and run the notebook again from the top."
        )
