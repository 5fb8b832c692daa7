"""The reference tutorial's code path, rewritten here as the benchmark's baseline.

What makes it the reference's path: the same classes (``MajorityVoteClassifier``
on the CNN backbone, scikit-activeml's ``AnnotMixClassifier``) and the same
hyperparameters (``crowdal_utils.learners.skorch_settings``), plus the reference's
ways of running them (:data:`REFERENCE_OVERRIDES` undoes crowdal's changes):

- batches come from torch's ``DataLoader`` with **one worker process**;
- RAdam runs its default (per-tensor) implementation, convolutions use oneDNN;
- torch keeps its default number of intra-op threads;
- torch is seeded once, at the start, not per fit;
- each repetition fits ``n_cycles + 1`` times (the first fit has no labels and
  trains nothing) and queries once more after the last fit;
- arms and repetitions run one after another.

``overrides`` switch single levers off this path, to measure them one by one.
"""

import numpy as np
import torch
from skactiveml.pool import RandomSampling
from skactiveml.pool.multiannotator import SingleAnnotatorWrapper
from skactiveml.utils import MISSING_LABEL, is_labeled
from torch.utils.data import DataLoader

from crowdal_utils.learners.factory import make_learner

#: skorch settings of the reference that crowdal changes: DataLoader with one worker, RAdam's default implementation.
REFERENCE_OVERRIDES = {"iterator_train": DataLoader, "iterator_train__num_workers": 1, "optimizer__foreach": None}


def run_reference_path(
    config, data, crowd_labels, device="cpu", overrides=None, torch_threads=None, native_convolutions=False
):
    """Run ``config`` the reference's way; returns ``{arm key: {metric: (n_reps, n_cycles) array}}``.

    The arms must be the reference's kind: a learner that asks random annotators,
    or one that asks by its own ``annotator_perf`` estimate (Annot-Mix).

    Parameters
    ----------
    config : crowdal_utils.ExperimentConfig
    data : crowdal_utils.DataSplit
    crowd_labels : np.ndarray of shape (n_train, n_annotators)
    device : str
    overrides : dict or None
        Changes to crowdal's skorch settings; ``None`` is :data:`REFERENCE_OVERRIDES`,
        ``{}`` keeps crowdal's own.
    torch_threads : int or None
        ``None`` leaves torch's default.
    native_convolutions : bool
        Train with torch's own convolution instead of oneDNN's, as crowdal does.
    """
    overrides = REFERENCE_OVERRIDES if overrides is None else overrides
    if native_convolutions:
        torch.backends.mkldnn.enabled = False
    if torch_threads is not None:
        torch.set_num_threads(torch_threads)
    torch.manual_seed(0)
    n_annotators = crowd_labels.shape[1]
    curves = {}
    for arm in config.arms:
        accuracy = np.full((config.n_repetitions, config.n_cycles), np.nan)
        label_quality = np.full_like(accuracy, np.nan)
        for rep in range(config.n_repetitions):
            clf = make_learner(arm.learner, data.classes, n_annotators, rep, config.max_epochs, device)
            clf.neural_net_param_dict.update(overrides)
            if clf.neural_net_param_dict["iterator_train"] is DataLoader:  # the reference's loader: no floor on steps
                clf.neural_net_param_dict.pop("iterator_train__min_batches_per_epoch", None)
            strategy = SingleAnnotatorWrapper(
                RandomSampling(missing_label=MISSING_LABEL, random_state=rep),
                missing_label=MISSING_LABEL,
                random_state=rep,
            )
            y = np.full(crowd_labels.shape, MISSING_LABEL, dtype=np.float32)
            A_perf = None
            for cycle in range(config.n_cycles + 1):
                clf.fit(data.X_train, y)
                if cycle > 0:
                    if arm.choice == "own-estimate":
                        _, A_perf = clf.predict_proba(data.X_train, extra_outputs=["annotator_perf"])
                    acquired = is_labeled(y, missing_label=MISSING_LABEL)
                    correct = (y == data.y_train[:, None]) & acquired
                    label_quality[rep, cycle - 1] = correct.sum() / acquired.sum()
                    accuracy[rep, cycle - 1] = clf.score(data.X_test, data.y_test)
                pairs = strategy.query(
                    X=data.X_train, y=y, batch_size=config.query_batch_size, A_perf=A_perf, n_annotators_per_sample=1
                )
                y[pairs[:, 0], pairs[:, 1]] = crowd_labels[pairs[:, 0], pairs[:, 1]]
        curves[arm.key] = {"test_accuracy": accuracy, "correct_annotation_rate": label_quality}
    return curves
