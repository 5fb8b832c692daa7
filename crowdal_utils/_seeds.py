"""The seed of one cycle of one repetition, shared by everything in that cycle that draws at random."""

import numpy as np


def fit_seed(repetition, cycle):
    """Torch seed of the fit in ``cycle`` of ``repetition``: distinct for every pair, stable across runs.

    The loop seeds torch with it before the cycle's fit; IEThresh's ties in that cycle's queries are broken with it.
    """
    return int(np.random.SeedSequence([repetition, cycle]).generate_state(1)[0])
