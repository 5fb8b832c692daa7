"""The parameters cells at their edges (issue 18): every notebook either runs to the end or stops early and clearly.

Each notebook has one code cell tagged ``parameters`` that students are invited to edit. For a value at an edge, the
wanted behaviour is one of two: the notebook runs to the end (its final check cell skips the claims that only hold
at the default parameters), or it stops **at the parameters cell, or at the first cell that uses the value**, with a
``ValueError``/``TypeError`` whose message names the parameter or the value to change. Not wanted: a crash in a
later cell, a confusing library error, a silent nonsense result (NaN, chance-level accuracy), a warning that signals
nonsense.

How a case was run: the override lines were appended to the source of the cell tagged ``parameters`` (papermill's
convention; derived objects such as ``config`` rebuilt in the override) and the notebook executed in a fresh kernel
with ``CROWDAL_FAST=1``, ``CROWDAL_PROGRESS=0`` and a fresh ``CROWDAL_RESULTS_DIR``, continuing after errors. A
lesson's parameters cell holds no checks of its own: the package checks a value where it uses it, and the setup cell
right after the parameters cell hands the values that later sections depend on to
``crowdal_utils.course.check_lesson_parameters`` ("the setup cell" below). "cell N" in the table is the index in
``nb.cells`` (markdown counted) when the case was run by hand; the tests find the cells by tag and by name.

The audit (fast mode; "test" marks the cases run below, the others were run once by hand)
-----------------------------------------------------------------------------------------

==  =====================================================  ==========================================================
nb  parameter change                                       outcome
==  =====================================================  ==========================================================
01  CROWD_SEED = 1, 12345, 2**32 (1: test)                 runs to the end
01  MV_SEED = 1                                            runs to the end
01  CROWD_SEED = -1 (test)                                 stops at cell 10 (first use), ValueError "`random_state`
                                                           must be >= 0, got -1." (names the value, not CROWD_SEED)
01  CROWD_SEED = 1.5 / None / "0"                          stops at cell 10, TypeError "`random_state` must be an
                                                           integer, got float/NoneType/str."
01  MV_SEED = -1 / None / 0.5                       stops at cell 13 (first use), ValueError/TypeError naming
                                                           `random_state`
02  MAX_EPOCHS = 1                                         runs to the end; undertrained as expected (true labels
                                                           0.588, Annot-Mix 0.101 with flat estimates ~0.90)
02  NOISY_ANNOTATOR = 5 (test)                           stops at its first use (annotator_labels): "`annotator` must
                                                           be an annotator's index, 0 (A1) to 4 (A5), got 5." (was:
                                                           IndexError in cell 11)
03  (HAND_CYCLES is gone: the hand-written loop runs three cycles, as the prose says)
04  (default, fresh results folder)                        runs to the end (31 s: trains the fast configuration)
04  FIGURE_NAME = "curves" (test), "curves.txt", ""      stops at cell 6 (save_figure): ValueError "`name` must end
                                                           in a figure format ..., got 'curves'" / "`name` must be a
                                                           file name such as 'curves.png', without a folder, got ''"
                                                           (was: "saved .../curves" while writing curves.png, and a
                                                           file written outside the results folder)
04  FIGURE_NAME = "sub/curves.png"                         stops at cell 6: "`name` must be a file name ... without a
                                                           folder"
04  RESULTS_FILE = file of another configuration (test)    runs to the end: the prose's claims are checked only for
                                                           notebook 3's configurations (AT_DEFAULTS)
04  RESULTS_FILE = file with 1 repetition / 1 arm (test)   stops at cell 4: "RESULTS_FILE must hold notebook 3's two
                                                           arms with two or more repetitions ..."
05  n_repetitions = 1; n_cycles = 1                        runs to the end ("one repetition: no spread, no noise
                                                           estimate" in the tables)
05  query_batch_size = 8                                   runs to the end; every fit trains (fewer samples than a
                                                           batch form one batch), 16 labels: every arm near chance
05  max_epochs = 1 (and REGIME_EPOCHS = 1)                 runs to the end, every arm at chance (0.10-0.12): one
                                                           epoch of a few batches trains nothing; NOT turned into an
                                                           error (a student may want to see it)
05  LEARNERS without "majority-vote", CHOICES = ("random",),
    CONTROLS = () (LEARNERS and CHOICES: test)             stops at the setup cell: "LEARNERS must include
                                                           "majority-vote" (the baseline), CHOICES "random" and
                                                           "own-estimate" ..., and CONTROLS both controls" (was:
                                                           errors in cells 15-36)
05  REGIMES = () / REGIME_SEEDS = ()                       stops at cell 25 (first use): "`learners`, `regimes` and
                                                           `seeds` must each hold at least one entry."
06  COSTS prices (0, 2, 1, 2, 1)                           stops at cell 3: "`cost_per_label` must be positive"
06  COSTS for 3 annotators                                 stops at cell 8 (first cell that meets the crowd):
                                                           "`config.annotator_costs` prices 3 annotators, the crowd
                                                           has 5."
06  COSTS capacity (0, 0, 0, 0, 0) (test)                  stops at cell 3: "`capacity` must let at least one
                                                           annotator give a label" (was: 0 labels, NaN rates)
06  BUDGET_PER_CYCLE = 0.5 (test)                          stops at cell 3: "`budget_per_cycle` = 0.5 buys no label
                                                           in a cycle: the cheapest annotator with capacity costs 1"
06  COSTS without capacity                                 was: TypeError in the check cell; the check now skips
                                                           the capacity (fixed by reading, not rerun)
06  STRATEGIES without "random", POLICIES without
    "own-estimate" (STRATEGIES: test)                      stops at the setup cell: "STRATEGIES must include "random"
                                                           and POLICIES "own-estimate" ..."
06  STRATEGIES without "badge"                             was: ValueError in the check cell; the second-opinion
                                                           check now loops over the strategies present (not rerun)
06  n_repetitions = 1                                      runs to the end
07  ARMS = a single arm (test), CROWDS with a crowd of two
    annotators                                             stops at the setup cell: "Every crowd of CROWDS must have
                                                           five annotators, and ARMS five arms ..." (was: errors in
                                                           cells 17-56 after the experiments had run)
07  QUALITY_CROWD = "no-such-crowd" (test)                 stops at the setup cell: "QUALITY_CROWD must be one of the
                                                           CROWDS"
08  REPETITIONS without a crowd of CROWDS (test)           stops at the setup cell: "REPETITIONS and GOLD_SHARES need
                                                           one entry per crowd of CROWDS"
07  QUALITY_BUDGET = 0                                     stops at cell 34 (first use), ValueError "`n_labels` must
                                                           be >= 1, got 0."
==  =====================================================  ==========================================================

The cases below are the cheap ones: notebooks 01 and 04, and the parameters cells of the others. A case that expects a
stop runs the notebook only up to the last cell where the stop may happen (overrides go where a student would edit:
above the cell's own checks of its values); notebook 04's cases other than the default read a small
results file written by this module (2 repetitions x 2 cycles x 16 labels, 2 epochs) instead of training. A case
found to misbehave goes in as a strict xfail (``problem``) until it is fixed.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from crowdal_utils.experiment.config import ExperimentConfig
from crowdal_utils.experiment.loop import run_experiment
from tools.exercises import run_notebook, without_exercise

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = {path.name[:2]: path for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
PARAMETERS_TAG = "parameters"
#: Small results files for notebook 04's RESULTS_FILE, by name: (n_repetitions, arms).
RESULTS_FILES = {
    "two-repetitions": (2, None),
    "one-repetition": (1, None),
    "one-arm": (2, (("annot-mix", "own-estimate"),)),
}


@dataclass(frozen=True)
class Expect:
    """What a case must do.

    ``stop_at``: where the notebook may stop, with a ValueError or TypeError whose message contains one of ``names``:
    ``"parameters"`` (the tagged cell), ``"setup"`` (the code cell after it), or a parameter's name for the first
    code cell after the parameters cell that uses it. The run is cut after the last of these cells. ``clean``: running
    without any error (up to the cut) is fine too. ``upto``: cut the run before the first cell that contains this text
    instead. ``skip``: exercises left out of the run because they do not read the parameter.
    """

    stop_at: tuple = ()
    names: tuple = ()
    clean: bool = False
    upto: str | None = None
    skip: tuple = ()


RUNS_TO_END = Expect(clean=True)


def stops(*where, names):
    return Expect(stop_at=("parameters", *where), names=names)


CASES = [
    pytest.param("01", "CROWD_SEED = 1", None, RUNS_TO_END, id="01-crowd-seed-1"),
    pytest.param(
        "01", "CROWD_SEED = -1", None, stops("CROWD_SEED", names=("CROWD_SEED", "-1")), id="01-crowd-seed-negative"
    ),
    pytest.param(
        "02", "NOISY_ANNOTATOR = 5", None, stops("NOISY_ANNOTATOR", names=("annotator", "5")), id="02-noisy-annotator-5"
    ),
    pytest.param(
        "05",
        'LEARNERS = ("annot-mix",)',
        None,
        stops("setup", names=("LEARNERS",)),
        id="05-learners-without-the-baseline",
    ),
    pytest.param("05", 'CHOICES = ("random",)', None, stops("setup", names=("CHOICES",)), id="05-choices-random-only"),
    pytest.param(
        "06", 'STRATEGIES = ("margin",)', None, stops("setup", names=("STRATEGIES",)), id="06-no-random-sampling"
    ),
    pytest.param(
        "06",
        "COSTS = AnnotatorCosts(cost_per_label=(4, 2, 1, 2, 1), capacity=(0, 0, 0, 0, 0))",
        None,
        stops(names=("capacity",)),
        id="06-capacity-zero",
    ),
    pytest.param(
        "06",
        "costs_config = ExperimentConfig(**SIZE, arms=[('annot-mix', p) for p in POLICIES], annotator_costs=COSTS, "
        "budget_per_cycle=0.5)",
        None,
        stops(names=("budget_per_cycle",)),
        id="06-budget-below-every-price",
    ),
    pytest.param(
        "07",
        'QUALITY_CROWD = "no-such-crowd"',
        None,
        stops("setup", names=("QUALITY_CROWD",)),
        id="07-unknown-quality-crowd",
    ),
    pytest.param("07", "ARMS = ARMS[:1]", None, stops("setup", names=("ARMS",)), id="07-one-arm"),
    pytest.param(
        "08",
        'REPETITIONS = {"default": 3}',
        None,
        stops("setup", names=("REPETITIONS",)),
        id="08-a-crowd-without-repetitions",
    ),
    pytest.param(
        "04",
        'FIGURE_NAME = "curves"',
        "two-repetitions",
        stops("FIGURE_NAME", names=("FIGURE_NAME", "'curves'")),
        id="04-figure-name-without-extension",
    ),
    pytest.param(
        "04",
        "",
        "two-repetitions",
        # exercise 4.2 runs an experiment of its own, whatever results file the notebook reads (19 s saved)
        Expect(clean=True, skip=("4.2",)),
        id="04-results-of-another-configuration",
    ),
    pytest.param(
        "04",
        "",
        "one-repetition",
        Expect(stop_at=("parameters", "RESULTS_FILE"), names=("repetition",), clean=True, upto="Exercise 4.2"),
        id="04-results-of-one-repetition",
    ),
    pytest.param(
        "04",
        "",
        "one-arm",
        stops("RESULTS_FILE", names=("RESULTS_FILE", "arm")),
        id="04-results-of-one-arm",
    ),
]


@pytest.fixture(scope="module")
def results_files(tmp_path_factory):
    """The small results files of RESULTS_FILES, written once (a few seconds of training in this process)."""
    folder = tmp_path_factory.mktemp("results-files")
    paths = {}
    for name, (n_repetitions, arms) in RESULTS_FILES.items():
        size = dict(n_repetitions=n_repetitions, n_cycles=2, query_batch_size=16, max_epochs=2)
        config = ExperimentConfig(**size) if arms is None else ExperimentConfig(**size, arms=arms)
        paths[name] = folder / f"{name}.json"
        run_experiment(config, progress=False, n_jobs=1, reuse=False).save(paths[name])
    return paths


def parameters_cell(nb, number):
    """Index of the one cell tagged ``parameters``."""
    tagged = [i for i, cell in enumerate(nb.cells) if PARAMETERS_TAG in cell.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells[tagged[0]].cell_type == "code", f"notebook {number}: one parameters cell"
    return tagged[0]


def where(nb, at, place):
    """Index of the cell ``place`` names (see Expect.stop_at), the parameters cell being ``at``."""
    if place == "parameters":
        return at
    later = [i for i in range(at + 1, len(nb.cells)) if nb.cells[i].cell_type == "code"]
    if place == "setup":
        return later[0]
    using = [i for i in later if place in nb.cells[i].source]
    assert using, f"no cell after the parameters cell uses {place}"
    return using[0]


def with_overrides(number, override, expect):
    """Notebook ``number`` with ``override`` appended to its parameters cell and cut as ``expect`` says; returns the
    notebook and the indices of the cells where it may stop."""
    nb = nbformat.read(NOTEBOOKS[number], as_version=4)
    at = parameters_cell(nb, number)
    if override:  # where a student would edit: the end of the parameters cell
        nb.cells[at].source += "\n" + override
    stop_cells = {where(nb, at, place) for place in expect.stop_at}
    if expect.upto is not None:
        nb.cells = nb.cells[: next(i for i, cell in enumerate(nb.cells) if i > at and expect.upto in cell.source)]
    elif stop_cells:
        nb.cells = nb.cells[: max(stop_cells) + 1]
    for label in expect.skip:
        nb = without_exercise(nb, label, name=f"notebook {number}")
    return nb, stop_cells


@pytest.mark.parametrize(("number", "override", "results_file", "expect"), CASES)
def test_a_parameter_at_its_edge_runs_or_stops_clearly(number, override, results_file, expect, results_files, tmp_path):
    if results_file is not None:
        override = f"from pathlib import Path\nRESULTS_FILE = Path({str(results_files[results_file])!r})\n{override}"
    nb, stop_cells = with_overrides(number, override, expect)
    results = tmp_path / "results"
    results.mkdir()
    env = {"CROWDAL_FAST": os.environ.get("CROWDAL_FAST", "1"), "CROWDAL_PROGRESS": "0"}
    report = run_notebook(nb, tmp_path, env={**env, "CROWDAL_RESULTS_DIR": str(results)}, timeout=600)
    errors = [run for run in report if run.error_name is not None]
    if not errors:
        assert expect.clean, f"ran without an error; expected a stop at one of the cells {sorted(stop_cells)}"
        return
    first = errors[0]
    said = f"cell {first.index}: {first.error_name}: {first.error_value}"
    assert first.index in stop_cells, f"stopped too late or in the wrong place, {said}"
    assert first.error_name in ("ValueError", "TypeError"), f"not a clear error, {said}"
    assert any(name in first.error_value for name in expect.names), f"the message names none of {expect.names}, {said}"
