"""Time one full-configuration repetition of each learner in this process, with one torch thread.

    python benchmarks/time_per_repetition.py [--repetition R] [--learners majority-vote annot-mix ...]

Each learner runs the arm it is timed with in the course: its own estimate of the
annotators where it has one, random annotators otherwise (random sampling of
samples throughout). The ratios to majority vote are what each learner's
``relative_cost`` in ``crowdal_utils.learners.LEARNERS`` records; the loop uses them to
start the longest runs first. Run it on an otherwise idle machine.
"""

import argparse
import time

from crowdal_utils.data.digits import load_digits_split
from crowdal_utils.experiment.config import Arm, ExperimentConfig
from crowdal_utils.experiment.loop import prepare_crowd, run_repetition
from crowdal_utils.learners.registry import LEARNERS
from crowdal_utils.learners.training import torch_threads


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetition", type=int, default=0)
    parser.add_argument("--learners", nargs="+", default=list(LEARNERS), choices=list(LEARNERS))
    args = parser.parse_args()
    config = ExperimentConfig.full()
    data, crowd, _, correct_proba = prepare_crowd(load_digits_split())
    seconds = {}
    for name in args.learners:
        arm = Arm(name, "own-estimate" if LEARNERS[name].estimates_annotators else "random")
        with torch_threads(1):
            start = time.perf_counter()
            run_repetition(arm, data, crowd, config, args.repetition, correct_proba, device="cpu", progress=False)
            seconds[name] = time.perf_counter() - start
        print(f"{arm.label:<40} {seconds[name]:6.1f} s for repetition {args.repetition}", flush=True)
    if "majority-vote" in seconds:
        for name, s in seconds.items():
            ratio = s / seconds["majority-vote"]
            print(f"{name:<16} / majority vote: {ratio:.2f}  (relative_cost: {LEARNERS[name].relative_cost})")


if __name__ == "__main__":
    main()
