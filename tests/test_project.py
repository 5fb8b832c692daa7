"""The project's own promises: stripped notebooks with badges, install cells, parameters and checks;
environment.yml agreeing with pyproject.toml; CI running the README's test command."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CONDA_NAMES = {"pytorch": "torch"}


def test_the_four_core_notebooks_exist_in_order():
    assert [p.name[:3] for p in NOTEBOOKS][:4] == ["01_", "02_", "03_", "04_"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped_and_complete(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "commit notebooks without outputs"
    first_markdown = "".join(nb["cells"][0]["source"])
    assert "colab.research.google.com/github/" in first_markdown and path.name in first_markdown
    install = "".join(code[0]["source"])
    assert 'if "google.colab" in sys.modules' in install and "check=True" in install
    assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in code) == 1
    checks = [c for c in code if re.search(r"^assert ", "".join(c["source"]), re.MULTILINE)]
    assert checks and code.index(checks[-1]) == len(code) - 1, "the last code cell must check the notebook's claims"


def _requirements(lines):
    return {Requirement(line).name.lower(): Requirement(line).specifier for line in lines}


def test_environment_yml_agrees_with_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += [d for d in dep["pip"] if not d.startswith("-e")]
        elif not dep.startswith(("python", "pip")):
            req = Requirement(dep)
            conda.append(CONDA_NAMES.get(req.name, req.name) + str(req.specifier))
    declared = _requirements(conda + pip)
    extras = PYPROJECT["project"]["optional-dependencies"]
    wanted = PYPROJECT["project"]["dependencies"] + [r for k, v in extras.items() if k != "dev" for r in v]
    assert declared == _requirements(wanted)


def test_constraints_satisfy_pyproject_and_pin_the_cpu_torch():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower()] = version
    assert pins["torch"] == "2.13.0"
    for name, spec in _requirements(PYPROJECT["project"]["dependencies"]).items():
        assert spec.contains(pins[name]), (name, pins[name], str(spec))


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


REPOSITORY = PYPROJECT["project"]["urls"]["Source"]


def test_the_repository_url_comes_from_pyproject_everywhere():
    """Colab badges, install cells and the README's clone/install commands name the repository of pyproject.toml."""
    owner_repo = REPOSITORY.removeprefix("https://github.com/")
    texts = {path.name: path.read_text() for path in NOTEBOOKS} | {"README.md": (ROOT / "README.md").read_text()}
    for name, text in texts.items():
        badges = set(re.findall(r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/", text))
        installs = set(re.findall(r"git\+https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?[\"@ ]", text))
        assert badges and badges | installs == {owner_repo}, (name, badges, installs)
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        install = "".join(nb["cells"][1]["source"])
        assert f'"git+{REPOSITORY}"' in install, path.name
        assert install.startswith("# @title "), f"{path.name}: the install cell is folded on Colab by a # @title line"


def test_colab_asks_for_a_restart_only_when_numpy_was_replaced(monkeypatch):
    import numpy

    from crowdal_utils.course import colab

    monkeypatch.setattr(colab, "version", lambda name: numpy.__version__)
    colab.stop_if_restart_needed()
    monkeypatch.setattr(colab, "version", lambda name: "99.0")
    with pytest.raises(RuntimeError, match="restart the session"):
        colab.stop_if_restart_needed()


#: What the kernel writes into a notebook when JupyterLab opens it (measured in the browser test): stored, opening a
#: lesson does not mark it modified (with this project's Python; another patch version changes "version").
KERNEL_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    },
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_store_the_metadata_the_kernel_would_write(path):
    assert json.loads(path.read_text())["metadata"] == KERNEL_METADATA


def test_every_module_of_the_package_imports_without_the_course_tooling_dependencies():
    """What students install holds what lessons call: no module needs nbformat, nbclient or jupyter_client (the
    student-copy and notebook-run tooling that does lives in tools/, outside the package)."""
    import pkgutil

    import crowdal_utils

    modules = sorted(m.name for m in pkgutil.walk_packages(crowdal_utils.__path__, "crowdal_utils."))
    script = (
        "import importlib, sys\n"
        "for blocked in ('nbformat', 'nbclient', 'jupyter_client', 'tools'):\n"
        "    sys.modules[blocked] = None  # importing them raises ImportError\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT / "tests")
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
    assert not any("exercises" in name for name in modules) and "crowdal_utils.experiment.regimes" in modules


SUBPACKAGES = ("data", "crowds", "learners", "selection", "experiment", "evaluation", "views", "course")


def test_the_folder_tree_is_the_story_and_every_subpackage_exports_names_that_resolve():
    import importlib
    import pkgutil

    import crowdal_utils
    from crowdal_utils._exports import exports

    on_disk = {m.name for m in pkgutil.iter_modules(crowdal_utils.__path__) if m.ispkg}
    assert on_disk == set(SUBPACKAGES) == set(crowdal_utils.SUBPACKAGES)
    for name in SUBPACKAGES:
        package = importlib.import_module(f"crowdal_utils.{name}")
        modules = {m.name for m in pkgutil.iter_modules(package.__path__)}
        # a module named like an exported function would shadow it once imported (`from ... import results_explorer`)
        assert not modules & set(package.__all__), (name, modules & set(package.__all__))
        names = exports(name)  # the stub __init__.pyi, which lazy_loader reads too
        assert sorted(names) == package.__all__ and set(names.values()) <= modules
        for exported, module in names.items():
            value = getattr(package, exported)  # raises if the module does not define it
            defined_there = getattr(value, "__module__", module).endswith(module) or not callable(value)
            reexported = value is getattr(importlib.import_module(f"crowdal_utils.{name}.{module}"), exported)
            assert defined_there or reexported, (exported, module)


def test_no_module_of_the_package_imports_itself_through_others():
    """No import cycle between modules, counting imports inside functions (once hidden in training.py)."""
    import crowdal_utils
    from crowdal_utils._fingerprints import direct_imports

    root = Path(crowdal_utils.__file__).parent
    modules = [".".join(p.relative_to(root).with_suffix("").parts) for p in root.rglob("*.py")]
    modules = [m for m in modules if not m.endswith("__init__")]
    cycles = []
    for start in modules:  # depth-first from every module: does any path lead back to it?
        todo, seen = [(start, (start,))], set()
        while todo:
            name, path = todo.pop()
            for imported in direct_imports(name):
                if imported == start:
                    cycles.append(" -> ".join((*path, start)))
                elif imported not in seen:
                    seen.add(imported)
                    todo.append((imported, (*path, imported)))
    assert cycles == []


def test_subpackages_depend_on_each_other_one_way():
    """No import cycle between subpackages: each imports only from those before it in the story (or private helpers)."""
    import ast

    order = {name: k for k, name in enumerate(SUBPACKAGES)}
    backwards = []
    for path in (ROOT / "crowdal_utils").rglob("*.py"):
        parts = path.relative_to(ROOT / "crowdal_utils").parts
        if len(parts) < 2:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                target = node.module.split(".")[0]
                if target in order and order[target] > order[parts[0]]:
                    backwards.append(f"{'/'.join(parts)} imports {target}")
    assert not backwards, backwards


def test_every_name_a_lesson_imports_comes_by_one_path_from_a_subpackage():
    import ast

    paths = {}
    for notebook in NOTEBOOKS:
        for cell in json.loads(notebook.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "\n".join(line for line in "".join(cell["source"]).splitlines() if not line.startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crowdal_utils"):
                    assert node.module.count(".") == 1, (
                        f"{notebook.name}: from {node.module} (a module, not a subpackage)"
                    )
                    for alias in node.names:
                        assert alias.asname is None and not alias.name.startswith("_"), (notebook.name, alias.name)
                        paths.setdefault(alias.name, set()).add(node.module)
    assert {name: p for name, p in paths.items() if len(p) > 1} == {}


def test_test_files_have_unique_names():
    """pytest imports test modules by file name (no __init__.py here): two test_x.py in different folders collide."""
    names = [path.name for path in (ROOT / "tests").rglob("test_*.py")]
    assert sorted(names) == sorted(set(names))


def test_every_shared_unit_of_the_scheduler_names_a_test_that_exists():
    """conftest.py keeps the tests in SHARED_UNITS on one worker; a renamed test would drop out of its unit silently."""
    import ast
    import importlib.util

    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")  # not tests/conftest.py
    scheduler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scheduler)
    SHARED_UNITS, scheduling_unit = scheduler.SHARED_UNITS, scheduler.scheduling_unit
    for key, unit in SHARED_UNITS.items():
        path, _, test = key.partition("::")
        assert (ROOT / path).is_file(), key
        if test:
            module = ast.parse((ROOT / path).read_text())
            assert test in {node.name for node in module.body if isinstance(node, ast.FunctionDef)}, key
        assert scheduling_unit(f"{key}[some-parameter]" if test else f"{key}::test_something") == unit


def test_xdist_keeps_an_xdist_group_on_one_worker(tmp_path):
    """`make test` keeps each notebook and the tests that follow it on one worker with xdist_group marks and
    --dist loadgroup (conftest.py); an upgrade that breaks the grouping (pytest 9.2: pytest-xdist#1386) fails here."""
    (tmp_path / "test_groups.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.parametrize('i', range(6))\n"
        "@pytest.mark.xdist_group('a')\n"
        "def test_a(i):\n    pass\n\n"
        "@pytest.mark.parametrize('i', range(6))\n"
        "@pytest.mark.xdist_group('b')\n"
        "def test_b(i):\n    pass\n"
    )
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider"]
    out = subprocess.run([*command, "test_groups.py"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stdout[-2000:]
    workers = {}
    for line in out.stdout.splitlines():
        match = re.match(r"\[(gw\d)\].*PASSED test_groups.py::test_([ab])\[", line)
        if match:
            workers.setdefault(match.group(2), set()).add(match.group(1))
    assert set(workers) == {"a", "b"} and all(len(w) == 1 for w in workers.values()), workers
