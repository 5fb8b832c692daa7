"""Query strategies by name: which (sample, annotator) pairs to label next.

Each entry builds a scikit-activeml strategy wrapped by ``SingleAnnotatorWrapper``,
which turns a ranking of samples into (sample, annotator) pairs: for each chosen
sample it asks the annotator with the highest ``A_perf`` (estimated performance)
when the classifier provides one, a random free annotator otherwise.

The tutorial's loop uses ``"random"`` (as the reference does); a configuration
names its strategy, so results files say how their labels were chosen.
"""

from skactiveml.pool import RandomSampling
from skactiveml.pool.multiannotator import SingleAnnotatorWrapper
from skactiveml.utils import MISSING_LABEL

from ._validation import check_int

#: Strategy names accepted by :func:`make_query_strategy`, with their display names.
QUERY_STRATEGIES = {"random": "Random sampling"}


def make_query_strategy(name, random_state):
    """Build the strategy ``name`` of :data:`QUERY_STRATEGIES`, seeded with ``random_state`` (int >= 0)."""
    if name not in QUERY_STRATEGIES:
        raise ValueError(f"`query_strategy` must be one of {sorted(QUERY_STRATEGIES)}, got {name!r}.")
    random_state = check_int(random_state, "random_state", minimum=0)
    return SingleAnnotatorWrapper(
        RandomSampling(missing_label=MISSING_LABEL, random_state=random_state),
        missing_label=MISSING_LABEL,
        random_state=random_state,
    )
