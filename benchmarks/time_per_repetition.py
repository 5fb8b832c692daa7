"""Time one full-configuration repetition of each classifier in this process, with one torch thread.

    python benchmarks/time_per_repetition.py [--repetition R]

The ratio of the two times is what ``crowdal_utils.models.RELATIVE_TRAINING_COST``
records; the loop uses it to start the longest runs first. Run it on an otherwise
idle machine.
"""

import argparse
import time

from crowdal_utils import ExperimentConfig, load_digits_split, run_repetition, simulate_crowd
from crowdal_utils.models import CLASSIFIERS, RELATIVE_TRAINING_COST
from crowdal_utils.parallel import torch_threads


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetition", type=int, default=0)
    args = parser.parse_args()
    config = ExperimentConfig.full()
    data = load_digits_split()
    crowd = simulate_crowd(data.y_train, data.classes)
    seconds = {}
    for name in config.classifiers:
        with torch_threads(1):
            start = time.perf_counter()
            run_repetition(name, data, crowd, config, args.repetition, device="cpu", progress=False)
            seconds[name] = time.perf_counter() - start
        print(f"{CLASSIFIERS[name]:<20} {seconds[name]:6.1f} s for repetition {args.repetition}")
    ratio = seconds["annot-mix"] / seconds["majority-vote"]
    print(f"Annot-Mix / MV: {ratio:.2f} (RELATIVE_TRAINING_COST: {RELATIVE_TRAINING_COST['annot-mix']})")


if __name__ == "__main__":
    main()
