"""Building a learner by its registry name: :func:`make_learner`.

The registry (:mod:`.registry`) says what each learner is; this module puts together
the arguments every learner shares (classes, seed, skorch settings, the backbone for
the sample shape) and calls the entry's builder. It sits above the registry and the
classes, so neither imports the other's module.
"""

import numpy as np
from skactiveml.utils import MISSING_LABEL

from .._validation import check_classes, check_int
from .networks import backbone_for
from .registry import get_learner
from .training import skorch_settings


def make_learner(
    name,
    classes,
    n_annotators,
    random_state,
    max_epochs=100,
    device=None,
    sample_shape=(1, 8, 8),
    min_batches_per_epoch=4,
):
    """Build the learner ``name`` of ``crowdal_utils.learners.LEARNERS`` on the backbone for ``sample_shape``.

    Parameters
    ----------
    name : str
        e.g. ``"majority-vote"``, ``"dawid-skene"``, ``"crowd-layer"``, ``"annot-mix"``, ``"true-labels"``.
    classes : array-like of shape (n_classes,)
    n_annotators : int >= 1
    random_state : int >= 0
        Seed of skorch/scikit-activeml's own randomness (tie-breaking). It does
        **not** seed torch: use :func:`fit_seeded` for reproducible training.
    max_epochs : int >= 1, default=100
    device : str or None, default=None
        ``None`` picks CUDA when available.
    sample_shape : tuple, default=(1, 8, 8)
        Shape of one sample: the digits' images get the CNN, feature vectors an MLP
        (:func:`backbone_for`).
    min_batches_per_epoch : int >= 1, default=4
        Every epoch makes at least this many optimizer steps (``skorch_settings``);
        ``1`` is the reference's budget, ⌊n / 16⌋ steps per epoch for n labelled samples.

    Returns
    -------
    classifier
        Crowd learners take labels of shape (n_samples, n_annotators) in ``fit``;
        the true-labels learner takes shape (n_samples,).
    """
    learner = get_learner(name, "name")
    backbone, module_arguments = backbone_for(sample_shape)
    classes = check_classes(classes)
    n_annotators = check_int(n_annotators, "n_annotators", minimum=1)
    random_state = check_int(random_state, "random_state", minimum=0)
    common = dict(
        classes=classes,
        missing_label=MISSING_LABEL,
        sample_dtype=np.float32,
        random_state=random_state,
        neural_net_param_dict={
            **skorch_settings(len(classes), max_epochs, device, min_batches_per_epoch),
            **module_arguments,
        },
    )
    return learner.build(common, n_annotators, backbone)


def make_single_annotator_classifier(classes, random_state, max_epochs=100, device=None, min_batches_per_epoch=4):
    """The backbone as a plain skorch classifier for one label per sample (NaN = unlabelled): ``"true-labels"``."""
    return make_learner(
        "true-labels", classes, 1, random_state, max_epochs, device, min_batches_per_epoch=min_batches_per_epoch
    )
