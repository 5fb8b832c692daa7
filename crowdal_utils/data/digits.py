"""The data: a train/test split of samples with true labels; scikit-learn's 8x8 digits split as in the reference."""

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from .._validation import check_classes, check_int, check_labels, check_probability, check_samples


@dataclass(frozen=True)
class DataSplit:
    """A train/test split: the pool the crowd labels (train) and the held-out samples (test).

    Attributes
    ----------
    X_train, X_test : np.ndarray of shape (n, ...), float
        For the digits (:func:`load_digits_split`): images (n, 1, 8, 8), float32, scaled
        to [0, 1]. A real crowd's data set brings feature vectors (n, n_features).
    y_train, y_test : np.ndarray of shape (n,), int
        True class of each sample (the simulation and the evaluation need them).
    classes : np.ndarray of shape (n_classes,)
        All classes, e.g. the digits 0..9.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    classes: np.ndarray

    def __post_init__(self):
        classes = check_classes(self.classes)
        for part in ("train", "test"):
            y = check_labels(getattr(self, f"y_{part}"), f"y_{part}", classes)
            check_samples(getattr(self, f"X_{part}"), f"X_{part}", n_samples=len(y))
        if self.X_train.shape[1:] != self.X_test.shape[1:]:
            raise ValueError(
                f"`X_train` and `X_test` must have the same sample shape, got {self.X_train.shape[1:]} "
                f"and {self.X_test.shape[1:]}."
            )


#: The digits' split is a DataSplit; the old name stays for code written against crowdal_utils 0.2.
DigitsSplit = DataSplit


def check_split(data):
    """Return ``data`` if it is a :class:`DataSplit`, else raise ``TypeError`` naming the argument."""
    if not isinstance(data, DataSplit):
        raise TypeError(f"`data` must be a DataSplit, got {type(data).__name__}.")
    return data


def load_digits_split(test_size=0.5, random_state=42):
    """Load the digits and split them stratified into train and test halves.

    With the defaults this is exactly the reference's split: 898 training and
    899 test images.

    Parameters
    ----------
    test_size : float in (0, 1), default=0.5
        Share of the 1797 images held out for testing.
    random_state : int, default=42
        Seed of the shuffle before splitting.

    Returns
    -------
    DataSplit
    """
    test_size = check_probability(test_size, "test_size")
    if test_size in (0.0, 1.0):
        raise ValueError(f"`test_size` must lie strictly between 0 and 1, got {test_size}.")
    random_state = check_int(random_state, "random_state", minimum=0)
    digits = load_digits()
    X = (digits.images[:, np.newaxis, :, :] / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=random_state
    )
    return DataSplit(X_train, X_test, y_train, y_test, np.unique(y))
