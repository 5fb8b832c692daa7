# One entry point: `make run` (the whole tutorial) and `make test` (all tests).
# Both build the virtual environment first; nothing else needs to be installed
# beyond python3 (with venv), pip and make.
PYTHON ?= python3
VENV ?= .venv
RESULTS ?= results
BIN := $(abspath $(VENV))/bin
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
# The notebooks' kernel ("python3") must be the venv's interpreter.
export PATH := $(BIN):$(PATH)
# The install skips byte-compiling (see below), so Python caches what it imports on first use: let it write the cache.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install run test lint lab bench student browser-test book serve-book book-browser-test clean

install: $(VENV)/.installed

# PYTHONWARNINGS silences one warning: setuptools' "Editable installation. Please be careful with folders …", framed
# in !! lines, on every editable install; it reads like a failure in the first output of `make run`.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# --no-compile: byte-compiling all ~18,000 installed files took 78 s of a 115 s install on 2 cores; Python
	# compiles only the modules it imports, once, when they are first used.
	PYTHONWARNINGS="ignore:Editable installation" \
	  $(BIN)/python -m pip install --quiet --no-compile -c constraints.txt -e ".[dev]"
	touch $@

# Execute every notebook in full mode, headless; executed copies go to $(RESULTS)/notebooks, figures and the results
# file to $(RESULTS). tools/run_notebooks.py merges each cell's progress-bar refreshes into one final line per bar
# and passes the kernels' log on without ipykernel's loopback-TCP warning (its docstring says why).
# Notebooks 01 and 02 read nothing another notebook writes and train on one core at a time: they run in a second
# process beside 03 → 08, whose experiments use both cores and read each other's results in that order.
BESIDE := $(filter notebooks/01_% notebooks/02_%,$(NOTEBOOKS))
run: install
	mkdir -p $(RESULTS)/notebooks
	CROWDAL_FAST=0 CROWDAL_RESULTS_DIR=$(abspath $(RESULTS)) \
	  $(BIN)/python -m tools.run_notebooks --output-dir $(RESULTS)/notebooks $(filter-out $(BESIDE),$(NOTEBOOKS)) \
	  --beside $(BESIDE)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Lint, then unit tests and every notebook in fast mode through nbval, on two pytest-xdist workers
# (conftest.py marks each notebook and the tests that reuse its results as one xdist_group: one worker, in order). The two workers keep
# both cores busy, so each notebook runs its experiments in its own kernel (CROWDAL_N_JOBS=1), not in a pool of workers.
TEST_WORKERS ?= 2
test: lint
	rm -rf build/test-results
	CROWDAL_FAST=1 CROWDAL_N_JOBS=1 CROWDAL_RESULTS_DIR=$(abspath build/test-results) \
	  $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

# Extra options for JupyterLab, e.g. `make lab LAB_ARGS="--no-browser --allow-root"` in a container.
LAB_ARGS ?=
lab: install
	CROWDAL_RESULTS_DIR=$(abspath $(RESULTS)) $(BIN)/jupyter lab $(LAB_ARGS) notebooks

# The reference's code path and crowdal's experiment side by side (benchmarks/README.md);
# BENCH_ARGS=--quick for a small configuration, --levers to time each speed lever.
BENCH_ARGS ?=
bench: install
	$(BIN)/python benchmarks/compare_with_reference.py $(BENCH_ARGS)

# Student copies of the notebooks (solutions replaced by stubs), committed under student/;
# `make test` fails while one is out of date (tools/exercises.py explains the conventions).
student: install
	$(BIN)/python -m tools.exercises

# Every notebook run from JupyterLab's Run menu in headless Chromium (tests/browser/README.md).
# Needs Debian's Chromium: `apt-get install -y chromium`. Takes longer than CI's budget, so it is its own target.
browser-test: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[browser]"
	rm -rf build/browser-results
	CROWDAL_BROWSER=1 CROWDAL_FAST=1 CROWDAL_RESULTS_DIR=$(abspath build/browser-results) \
	  $(BIN)/python -m pytest -rs tests/browser/test_jupyterlab.py

# The course as a website, from the executed copies `make run` wrote (nothing runs again): Sphinx + MyST-NB, warnings
# as errors, then tools/book.py's check of the HTML. The site is build/book/html/ (tools/book.py explains the steps).
book: install
	$(BIN)/python -m tools.book --executed $(RESULTS)/notebooks --output build/book

# Serve the built site on http://127.0.0.1:$(BOOK_PORT)/ for a look (Ctrl-C stops it).
BOOK_PORT ?= 8000
serve-book:
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory build/book/html $(BOOK_PORT)

# Every page of the built site in headless Chromium (after `make book`; Chromium as for browser-test);
# screenshots go to build/book-screenshots/.
book-browser-test: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[browser]"
	CROWDAL_BROWSER=1 $(BIN)/python -m pytest -rs -p no:cacheprovider tests/browser/test_website.py

clean:
	rm -rf $(VENV) build
