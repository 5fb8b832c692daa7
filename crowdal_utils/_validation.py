"""Small input checks shared by the modules; every failure names the argument."""

from numbers import Integral, Real

import numpy as np


def check_int(value, name, minimum=None):
    """Return ``value`` as ``int`` or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"`{name}` must be an integer, got {type(value).__name__}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}, got {value}.")
    return int(value)


def check_probability(value, name):
    """Return ``value`` as ``float`` or raise if it is not a number in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"`{name}` must be a number in [0, 1], got {value!r}.")
    value = float(value)
    if not 0.0 <= value <= 1.0:  # also rejects NaN
        raise ValueError(f"`{name}` must lie in [0, 1], got {value}.")
    return value


def check_labels(y, name, classes=None):
    """Return ``y`` as a 1-D integer array; with ``classes``, every label must be one."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"`{name}` must be 1-D of shape (n_samples,), got {y.shape}.")
    if y.size == 0:
        raise ValueError(f"`{name}` must not be empty.")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"`{name}` must hold integer class labels, got {y.dtype}.")
    if classes is not None:
        unknown = np.setdiff1d(y, classes)
        if unknown.size:
            raise ValueError(f"`{name}` holds labels {unknown.tolist()} that are not in `classes`.")
    return y


def check_samples(X, name, n_samples=None):
    """Return ``X`` as a float array of shape (n_samples, ...) with finite values only."""
    if not isinstance(X, np.ndarray):
        raise TypeError(f"`{name}` must be a numpy array of shape (n_samples, ...), got {type(X).__name__}.")
    if X.ndim < 2 or X.shape[0] == 0:
        raise ValueError(f"`{name}` must have shape (n_samples, ...) with at least one sample, got {X.shape}.")
    if not np.issubdtype(X.dtype, np.floating):
        raise ValueError(f"`{name}` must hold floating-point pixels, got {X.dtype}.")
    if not np.isfinite(X).all():
        raise ValueError(f"`{name}` contains NaN or infinite values; every pixel must be a finite number.")
    if n_samples is not None and X.shape[0] != n_samples:
        raise ValueError(f"`{name}` has {X.shape[0]} samples but the labels number {n_samples}.")
    return X


def check_classes(classes):
    """Return ``classes`` as a sorted 1-D integer array of at least two unique labels."""
    classes = np.asarray(classes)
    if classes.ndim != 1 or not np.issubdtype(classes.dtype, np.integer):
        raise ValueError(f"`classes` must be a 1-D integer array, got {classes.dtype} {classes.shape}.")
    if classes.size < 2 or np.unique(classes).size != classes.size:
        raise ValueError(f"`classes` must hold at least two distinct labels, got {classes.tolist()}.")
    return np.sort(classes)


def check_crowd_labels(z, name="crowd_labels", n_samples=None, allow_missing=False, classes=None):
    """Return a crowd-label matrix of shape (n_samples, n_annotators) as an array.

    Complete matrices are integer; partial ones (``allow_missing=True``) are float
    with NaN marking a label not (yet) acquired. With ``classes``, every label
    present must be one of them.
    """
    z = np.asarray(z)
    if z.ndim != 2 or z.shape[1] == 0:
        raise ValueError(f"`{name}` must have shape (n_samples, n_annotators), got {z.shape}.")
    if n_samples is not None and z.shape[0] != n_samples:
        raise ValueError(f"`{name}` has {z.shape[0]} rows but the samples number {n_samples}.")
    if allow_missing:
        if not np.issubdtype(z.dtype, np.number):
            raise ValueError(f"`{name}` must be numeric with NaN for missing labels, got {z.dtype}.")
    elif not np.issubdtype(z.dtype, np.integer):
        raise ValueError(f"`{name}` must hold integer labels (no missing entries), got {z.dtype}.")
    if classes is not None:
        present = z[~np.isnan(z)] if np.issubdtype(z.dtype, np.floating) else z.ravel()
        unknown = np.setdiff1d(present, classes)
        if unknown.size:
            raise ValueError(f"`{name}` holds labels {unknown.tolist()[:10]} that are not in `classes`.")
    return z


def check_probabilities(p, name, shape=None):
    """Return ``p`` as a float array of values in [0, 1] (no NaN), optionally of the given shape."""
    p = np.asarray(p, dtype=float)
    if shape is not None and p.shape != tuple(shape):
        raise ValueError(f"`{name}` must have shape {tuple(shape)}, got {p.shape}.")
    if p.size and not np.all((p >= 0) & (p <= 1)):  # also rejects NaN
        raise ValueError(f"`{name}` must hold probabilities in [0, 1] without NaN.")
    return p


def check_partial_labels(crowd_labels, classes, name="crowd_labels"):
    """``crowd_labels`` as a float matrix (n_samples, n_annotators) with NaN for a missing label."""
    if isinstance(crowd_labels, str) or not hasattr(crowd_labels, "__len__"):
        raise TypeError(f"`{name}` must be an array of shape (n_samples, n_annotators), got {type(crowd_labels)}.")
    z = np.asarray(crowd_labels)
    if z.dtype == bool or not np.issubdtype(z.dtype, np.number):
        raise TypeError(f"`{name}` must hold class labels, NaN where missing, got dtype {z.dtype}.")
    return check_crowd_labels(z.astype(float), name, allow_missing=True, classes=classes)
