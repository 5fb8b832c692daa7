"""Time every lesson notebook end to end, in full or fast mode, the way `make run` and `make test` execute them.

    python benchmarks/time_notebooks.py            # full mode, fresh results folder (nothing cached)
    python benchmarks/time_notebooks.py --fast     # fast mode, as CI runs them
    python benchmarks/time_notebooks.py --only 05  # one notebook (it may load what earlier ones left behind)
    python benchmarks/time_notebooks.py --output-dir build/executed  # also keep the executed notebooks

The notebooks run in order, in one fresh results folder, so each finds what the earlier ones left there — notebook 4
reads notebook 3's results file, notebook 6 loads two of notebook 5's arms from its checkpoints — exactly as in
`make run`. Prints the wall time of each notebook (kernel start included) and the total, and writes them as JSON
with `--json`. Run it on an otherwise idle machine.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the course's tooling (tools/) is not installed
from tools.run_notebooks import run_notebook  # noqa: E402  (make run's runner; timed one notebook after the other)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fast", action="store_true", help="CROWDAL_FAST=1, as make test")
    parser.add_argument("--only", nargs="+", default=None, help="notebook number prefixes, e.g. 05 06")
    parser.add_argument("--results-dir", type=Path, help="results folder (default: a fresh temporary one)")
    parser.add_argument("--json", type=Path, help="also write the timings to this file")
    parser.add_argument("--output-dir", type=Path, help="also save the executed notebooks (with outputs) here")
    args = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        notebooks = [p for p in notebooks if p.name[:2] in args.only]
    results_dir = args.results_dir or Path(tempfile.mkdtemp(prefix="crowdal-timing-"))
    os.environ.update(
        CROWDAL_FAST="1" if args.fast else "0", CROWDAL_RESULTS_DIR=str(results_dir), CROWDAL_PROGRESS="0"
    )
    print(f"{'fast' if args.fast else 'full'} mode, results in {results_dir}, {os.cpu_count()} CPUs", flush=True)
    seconds, failed = {}, []
    output_dir = args.output_dir or results_dir / "executed"
    for path in notebooks:
        start = time.perf_counter()
        try:
            run_notebook(path, output_dir)
        except CellExecutionError as error:  # the later notebooks still run; this one's time is not a full run's
            failed.append(path.name)
            print(f"{path.name} FAILED: {str(error).strip().splitlines()[-1]}", flush=True)
        seconds[path.name] = time.perf_counter() - start
        print(f"{path.name:<50} {seconds[path.name]:7.1f} s", flush=True)
    total = sum(seconds.values())
    print(f"{'total':<50} {total:7.1f} s ({total / 60:.1f} min)")
    if args.json:
        args.json.write_text(
            json.dumps({"fast": args.fast, "seconds": seconds, "total": total, "failed": failed}, indent=1)
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
