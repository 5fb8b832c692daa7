"""Time the reference's code path and crowdal's experiment side by side, on one machine, in one run.

    python benchmarks/compare_with_reference.py            # full configuration (~20 min on 2 cores)
    python benchmarks/compare_with_reference.py --quick    # small configuration (< 2 min)
    python benchmarks/compare_with_reference.py --levers   # also every lever on its own

Each variant runs in a fresh Python process, one after another (never two at
once), so timings and memory do not disturb each other. For each it prints the
experiment's wall time (imports excluded, worker start-up included), the
speed-up over the reference path, the peak memory of its whole process tree
(main process plus DataLoader/joblib workers, sampled every 50 ms) and the mean
over the learning curves of both arms. Run it on an otherwise idle machine.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import torch  # noqa: E402
from reference_path import REFERENCE_OVERRIDES, run_reference_path  # noqa: E402

from crowdal_utils.crowds.simulation import simulate_crowd  # noqa: E402
from crowdal_utils.data.digits import load_digits_split  # noqa: E402
from crowdal_utils.experiment.config import ExperimentConfig  # noqa: E402
from crowdal_utils.experiment.loop import run_experiment  # noqa: E402
from crowdal_utils.experiment.results import METRICS, curve_mean  # noqa: E402

QUICK = {"n_repetitions": 2, "n_cycles": 3, "query_batch_size": 64, "max_epochs": 50}
#: Variant name -> what it changes; the levers are cumulative from top to bottom.
VARIANTS = {
    "reference": "reference path: DataLoader with 1 worker process, default RAdam, oneDNN, default torch threads",
    "no-worker": "... DataLoader in the main process (num_workers=0)",
    "one-thread": "... and one torch thread",
    "cheaper-step": "... and RAdam(foreach=True), torch's own convolution: all of crowdal's settings",
    "crowdal-1": "crowdal run_experiment, n_jobs=1 (also: no zero-label fit, no unused last query)",
    "crowdal": "crowdal run_experiment, n_jobs={n_jobs}",
}
#: Settings of the cumulative levers on the reference path: (skorch overrides, torch threads, native convolutions).
LEVERS = {
    "reference": (None, None, False),
    "no-worker": ({**REFERENCE_OVERRIDES, "iterator_train__num_workers": 0}, None, False),
    "one-thread": ({**REFERENCE_OVERRIDES, "iterator_train__num_workers": 0}, 1, False),
    "cheaper-step": ({}, 1, True),
}


def run_child(variant, config, n_jobs):
    """Body of the child process: run one variant, return its timing and curve means."""
    config = ExperimentConfig(**config)
    data = load_digits_split()
    crowd = simulate_crowd(data.y_train, data.classes)
    start = time.perf_counter()
    if variant.startswith("crowdal"):
        n_jobs = 1 if variant == "crowdal-1" else n_jobs
        results = run_experiment(config, data, crowd, device="cpu", progress=False, n_jobs=n_jobs)
        curves = {a: {m: results.curves(a, m) for m in METRICS} for a in results.arms}
    else:
        overrides, threads, native = LEVERS[variant]
        curves = run_reference_path(
            config, data, crowd, overrides=overrides, torch_threads=threads, native_convolutions=native
        )
    seconds = time.perf_counter() - start
    means = {c: {m: curve_mean(v) for m, v in metrics.items()} for c, metrics in curves.items()}
    return {"variant": variant, "seconds": seconds, "means": means, "torch_threads": torch.get_num_threads()}


def _tree_rss_bytes(root_pid):
    """Summed resident memory of ``root_pid`` and all its descendants (Linux /proc)."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree)


def measure(variant, config, n_jobs):
    """Run ``variant`` in a child process; returns its result dict plus ``peak_mb``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, __file__, "--child", variant, "--config", json.dumps(config), "--n-jobs", str(n_jobs)]
        child = subprocess.Popen([*cmd, "--out", str(out)])
        peak, done = [0], threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss_bytes(child.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = child.wait()
        done.set()
        sampler.join()
        if code:
            raise SystemExit(f"variant {variant!r} failed with exit code {code}")
        result = json.loads(out.read_text())
    result["peak_mb"] = peak[0] / 2**20
    return result


def report(results, n_jobs):
    base = results[0]
    names = list(base["means"])
    header = f"{'variant':<16}{'wall s':>9}{'speed-up':>10}{'peak MB':>9}"
    for name in names:
        learner = name.split("/")[0]
        header += f"{learner + ' acc':>20}{learner + ' CAR':>20}"
    print(header)
    for r in results:
        line = f"{r['variant']:<16}{r['seconds']:>9.1f}{base['seconds'] / r['seconds']:>9.1f}x{r['peak_mb']:>9.0f}"
        for name in names:
            m = r["means"][name]
            line += f"{m['test_accuracy']:>20.3f}{m['correct_annotation_rate']:>20.3f}"
        print(line)
    print()
    for r in results:
        print(f"{r['variant']:<16}{VARIANTS[r['variant']].format(n_jobs=n_jobs)}")
    last = results[-1]
    worst = max(abs(last["means"][c][m] - base["means"][c][m]) for c in names for m in METRICS)
    print(
        f"\ncrowdal (n_jobs={n_jobs}) vs reference path: {base['seconds'] / last['seconds']:.1f}x faster; "
        f"largest difference of a curve mean: {worst:.3f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"small configuration {QUICK}")
    parser.add_argument("--levers", action="store_true", help="also time each lever on its own")
    parser.add_argument("--n-jobs", type=int, default=os.cpu_count(), help="crowdal's workers (default: all cores)")
    parser.add_argument("--json", type=Path, help="also write the measurements to this file")
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.out.write_text(json.dumps(run_child(args.child, json.loads(args.config), args.n_jobs)))
        return

    config = QUICK if args.quick else ExperimentConfig.full().to_dict()
    variants = list(VARIANTS) if args.levers else ["reference", "crowdal"]
    print(f"configuration: {config}; {os.cpu_count()} CPUs; crowdal n_jobs={args.n_jobs}", flush=True)
    results = []
    for variant in variants:
        results.append(measure(variant, config, args.n_jobs))
        print(f"  {variant}: {results[-1]['seconds']:.1f} s", flush=True)
    print()
    report(results, args.n_jobs)
    if args.json:
        args.json.write_text(json.dumps({"config": config, "n_jobs": args.n_jobs, "results": results}, indent=1))


if __name__ == "__main__":
    main()
