"""Why does scikit-activeml's CrowdLayerClassifier fall below majority vote on the course's crowd?

Fits scikit-activeml's CrowdLayer with its own start (skactiveml 1.0.1, the course's shared skorch settings),
the course's CrowdLayer (``make_learner("crowd-layer", ...)``, which starts the annotator matrices at 80 %) and a few
other configurations on the default simulated crowd, in three regimes:

    a  320 random training samples x 1 label from a random annotator (the active-learning loop's regime)
    b  107 samples x 3 distinct random annotators
    c  320 samples x all 5 annotators

For every seed the same draw of labels is given to majority vote and to every CrowdLayer variant; the seed also
seeds torch (``fit_seeded``). Per regime the table prints the test accuracy per seed, its mean and standard
deviation, the fewest classes any seed's classifier still predicts on the test set (10 = none lost), how much a
relabelling of the predicted classes could add at best (Hungarian matching of the test confusion matrix; > 0 would
mean the network learned a *permutation* of the classes), and the Spearman correlation between the learner's
estimated and the annotators' true accuracies (mean over seeds).

Variants (each changes one thing against the default):

    default        skactiveml's CrowdLayer as the library starts it: W_annot = identity, applied to the softmax
                   probabilities, so every annotator starts as "right with probability e/(e+9) = 0.23"
    lr_W=1e-3      the crowd layer's matrices learn 10x slower (skorch parameter group "W_annot")
    init 0.8       the course's learner: W_annot starts as 3.58 x identity (log(0.8 * 9 / 0.2), every annotator
                   "right 80 % of the time"; crowdal_utils.learners.CrowdLayerInit)
    warm start     the backbone starts from the majority-vote network of the same draw and seed
    init + warm    both

Run:  .venv/bin/python benchmarks/probe_crowd_layer.py            (5 seeds, about 5 minutes on 2 cores)
      .venv/bin/python benchmarks/probe_crowd_layer.py --quick    (2 seeds, default and init 0.8 only)
"""

import argparse
import time

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from scipy.stats import spearmanr
from skactiveml.classifier.multiannotator import CrowdLayerClassifier
from sklearn.metrics import confusion_matrix
from skorch.callbacks import Callback

from crowdal_utils.crowds.metrics import annotator_accuracies
from crowdal_utils.crowds.presets import default_crowd
from crowdal_utils.crowds.simulation import simulate_crowd
from crowdal_utils.data.digits import load_digits_split
from crowdal_utils.experiment.regimes import draw_partial_labels
from crowdal_utils.learners.classifiers import CrowdLayerInit
from crowdal_utils.learners.factory import make_learner
from crowdal_utils.learners.networks import CNNBackbone
from crowdal_utils.learners.training import fit_seeded, skorch_settings

REGIMES = {"a": (320, 1), "b": (107, 3), "c": (320, 5)}  # name -> (samples, labels per sample)
N_ANNOTATORS = 5


class WarmStart(Callback):
    """At the start of training, load a backbone state dict into CrowdLayer's classifier module.

    skorch calls ``on_train_begin`` after (re-)initialising module and optimizer, so the optimizer keeps
    the same parameter objects; only their values change.
    """

    def __init__(self, backbone_state):
        self.backbone_state = backbone_state

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        net.module_.clf_module.load_state_dict(self.backbone_state)


def build_crowd_layer(classes, seed, max_epochs, lr_annot=None, accuracy=None, backbone_state=None):
    """scikit-activeml's CrowdLayer on the course's backbone and skorch settings, with optional changes."""
    settings = skorch_settings(len(classes), max_epochs, device="cpu")
    if lr_annot is not None:
        settings["optimizer__param_groups"] = [("W_annot", {"lr": lr_annot})]
    if accuracy is not None:
        settings["callbacks"] = [*settings["callbacks"], ("crowd_layer_init", CrowdLayerInit(accuracy))]
    if backbone_state is not None:
        settings["callbacks"] = [*settings["callbacks"], ("warm_start", WarmStart(backbone_state))]
    return CrowdLayerClassifier(
        clf_module=CNNBackbone,
        n_annotators=N_ANNOTATORS,
        classes=classes,
        random_state=seed,
        neural_net_param_dict=settings,
    )


#: name -> keyword arguments of build_crowd_layer; "warm" asks for the majority-vote backbone, "course" for the
#: course's own learner (make_learner("crowd-layer")).
VARIANTS = {
    "default": {},
    "lr_W=1e-3": {"lr_annot": 1e-3},
    "init 0.8": {"course": True},
    "warm start": {"warm": True},
    "init 0.8 + warm": {"accuracy": 0.8, "warm": True},
}
QUICK_VARIANTS = ("default", "init 0.8")


def draw_labels(crowd, regime, seed):
    """Partial crowd labels (n_samples, n_annotators), NaN where not acquired, for one regime and seed."""
    n_samples, k = REGIMES[regime]
    return draw_partial_labels(crowd, n_samples, k, seed)


def evaluate(clf, data, y, true_accuracy, estimates=True):
    """Test accuracy, classes predicted, gain of the best relabelling, estimate-vs-truth rank correlation."""
    pred = clf.predict(data.X_test)
    cm = confusion_matrix(data.y_test, pred, labels=data.classes)
    rows, cols = linear_sum_assignment(-cm)
    result = {
        "acc": np.trace(cm) / cm.sum(),
        "n_pred": len(np.unique(pred)),
        "perm_gain": (cm[rows, cols].sum() - np.trace(cm)) / cm.sum(),
        "rho": np.nan,
    }
    if estimates:
        labelled = ~np.isnan(y).all(axis=1)
        perf = clf.predict_proba(data.X_train[labelled], extra_outputs=["annotator_perf"])[1].mean(axis=0)
        result["rho"] = spearmanr(perf, true_accuracy).statistic
    return result


def run(seeds, variants, max_epochs):
    """{regime: {learner: [result per seed]}} for majority vote and every CrowdLayer variant."""
    data = load_digits_split()
    crowd = simulate_crowd(data.y_train, data.classes, default_crowd(), random_state=0, X=data.X_train)
    true_accuracy = annotator_accuracies(crowd, data.y_train)
    results = {}
    for regime in REGIMES:
        table = results[regime] = {name: [] for name in ("majority vote", *variants)}
        for seed in seeds:
            y = draw_labels(crowd, regime, seed)
            mv = make_learner("majority-vote", data.classes, N_ANNOTATORS, seed, max_epochs=max_epochs, device="cpu")
            fit_seeded(mv, data.X_train, y, seed)
            table["majority vote"].append(evaluate(mv, data, y, true_accuracy, estimates=False))
            mv_state = {k: v.detach().clone() for k, v in mv.neural_net_.module_.state_dict().items()}
            for name in variants:
                kwargs = dict(VARIANTS[name])
                if kwargs.pop("warm", False):
                    kwargs["backbone_state"] = mv_state
                if kwargs.pop("course", False):
                    clf = make_learner("crowd-layer", data.classes, N_ANNOTATORS, seed, max_epochs, device="cpu")
                else:
                    clf = build_crowd_layer(data.classes, seed, max_epochs, **kwargs)
                fit_seeded(clf, data.X_train, y, seed)
                table[name].append(evaluate(clf, data, y, true_accuracy))
    return results, true_accuracy


def print_table(results, seeds):
    seed_cols = " ".join(f"{f's{s}':>6}" for s in seeds)
    for regime, table in results.items():
        n_samples, k = REGIMES[regime]
        print(f"\nregime {regime}: {n_samples} samples x {k} label(s), test accuracy")
        print(f"{'learner':<16} {seed_cols}   {'mean':>5} ± {'sd':<5}  min #cls  perm gain  rho(est, true)")
        for name, rows in table.items():
            acc = np.array([r["acc"] for r in rows])
            per_seed = " ".join(f"{a:6.3f}" for a in acc)
            rho = np.nanmean([r["rho"] for r in rows]) if not np.isnan(rows[0]["rho"]) else np.nan
            rho_text = "  -" if np.isnan(rho) else f"{rho:+.2f}"
            print(
                f"{name:<16} {per_seed}   {acc.mean():.3f} ± {acc.std():.3f}  {min(r['n_pred'] for r in rows):>8}"
                f"  {max(r['perm_gain'] for r in rows):9.3f}  {rho_text:>14}"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 seeds, the default and 'init 0.8' only")
    parser.add_argument("--max-epochs", type=int, default=100)
    args = parser.parse_args()
    torch.set_num_threads(1)
    seeds = range(2) if args.quick else range(5)
    variants = QUICK_VARIANTS if args.quick else tuple(VARIANTS)
    start = time.perf_counter()
    results, true_accuracy = run(seeds, variants, args.max_epochs)
    print("true annotator accuracies on the training pool:", np.round(true_accuracy, 3))
    print_table(results, seeds)
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
