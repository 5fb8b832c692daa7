"""Annotators who cost and tire: a price per label and a most-labels capacity per annotator.

scikit-activeml has neither. Both are a thin layer over what its
``SingleAnnotatorWrapper`` already takes: the ``annotators`` mask of the
(sample, annotator) pairs that may be asked. Before each query the mask keeps only
annotators that are below their capacity and whose price still fits the money
left; the wrapper's answer is then accepted pair by pair, in its order, while the
money lasts, and the rest is asked for again with the updated mask. So a batch
never costs more than what is left, and no annotator ever exceeds its capacity.
"""

from dataclasses import dataclass

import numpy as np

from .._validation import check_int

_EPS = 1e-9


@dataclass(frozen=True)
class AnnotatorCosts:
    """Prices and capacities of a crowd.

    Parameters
    ----------
    cost_per_label : array-like of shape (n_annotators,), float > 0
        What one label from each annotator costs, in cost units.
    capacity : array-like of shape (n_annotators,), int >= 0, or None
        The most labels each annotator may give over a whole run; ``None``: no limit.
    """

    cost_per_label: tuple
    capacity: tuple | None = None

    def __post_init__(self):
        try:
            costs = np.asarray(self.cost_per_label, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"`cost_per_label` must be numbers, one per annotator, got {self.cost_per_label!r}."
            ) from None
        if costs.ndim != 1 or costs.size == 0 or not np.all(np.isfinite(costs)) or np.any(costs <= 0):
            raise ValueError(
                f"`cost_per_label` must be positive numbers, one per annotator, got {self.cost_per_label}."
            )
        object.__setattr__(self, "cost_per_label", tuple(costs.tolist()))
        if self.capacity is not None:
            capacity = tuple(check_int(c, f"capacity[{j}]", minimum=0) for j, c in enumerate(self.capacity))
            if len(capacity) != costs.size:
                raise ValueError(f"`capacity` has {len(capacity)} entries for {costs.size} annotators.")
            if not any(capacity):
                raise ValueError(f"`capacity` must let at least one annotator give a label, got {capacity}.")
            object.__setattr__(self, "capacity", capacity)

    @property
    def n_annotators(self):
        return len(self.cost_per_label)


def buy_labels(query, y, crowd_labels, costs, money_left, limits=None, max_pairs=None):
    """Acquire labels for at most ``money_left`` cost units, asking ``query`` for pairs with an availability mask.

    Parameters
    ----------
    query : callable
        ``query(candidates=samples, annotators=mask, batch_size=n)`` returns up to ``n``
        (sample, annotator) pairs, sample indices into ``y``, among the ``True`` entries of
        ``mask`` (n_candidates, n_annotators), the rows of ``samples``, best first: a
        ``SingleAnnotatorWrapper.query`` with everything else bound. Only samples with an
        open pair are candidates: the wrapper would otherwise pick samples it cannot ask
        anybody about (and loop for ever when too few pairs are left).
    y : np.ndarray of shape (n_samples, n_annotators), float
        Acquired labels, NaN where not asked; updated in place.
    crowd_labels : np.ndarray of shape (n_samples, n_annotators)
        What each annotator would answer; NaN (for a real crowd) where an annotator
        gave no label, which is never asked.
    costs : AnnotatorCosts
    money_left : float
    limits : np.ndarray of shape (n_annotators,) or None
        The most labels the annotator-choice policy lets each annotator give in this
        call (``None``: no cap besides the capacity).
    max_pairs : int or None
        Stop after this many labels (``None``: as many as the money buys).

    Returns
    -------
    np.ndarray of shape (n_bought, 2), int
        The pairs bought, in the order they were accepted.
    """
    prices = np.asarray(costs.cost_per_label)
    askable = np.isnan(y) & ~np.isnan(np.asarray(crowd_labels, dtype=float))
    given = (~np.isnan(y)).sum(axis=0)
    room = np.full(len(prices), np.inf)  # labels each annotator may still give
    if costs.capacity is not None:
        room = np.asarray(costs.capacity, dtype=float) - given
    if limits is not None:
        room = np.minimum(room, limits)
    bought = []
    while max_pairs is None or len(bought) < max_pairs:
        open_ = (prices <= money_left + _EPS) & (room >= 1)
        mask = askable & open_[None, :]
        if not mask.any():
            break
        batch_size = int(money_left // prices[open_].min() + _EPS)
        if max_pairs is not None:
            batch_size = min(batch_size, max_pairs - len(bought))
        batch_size = min(batch_size, int(mask.any(axis=1).sum()))
        accepted_any = False
        candidates = np.flatnonzero(mask.any(axis=1))
        for sample, annotator in query(candidates=candidates, annotators=mask[candidates], batch_size=batch_size):
            if not mask[sample, annotator] or prices[annotator] > money_left + _EPS or room[annotator] < 1:
                continue
            y[sample, annotator] = crowd_labels[sample, annotator]
            askable[sample, annotator] = mask[sample, annotator] = False
            room[annotator] -= 1
            money_left -= prices[annotator]
            bought.append((sample, annotator))
            accepted_any = True
            if max_pairs is not None and len(bought) >= max_pairs:
                break
        if not accepted_any:
            break
    return np.array(bought, dtype=int).reshape(-1, 2)
