"""The installed package, as a student gets it: the wheel, in a fresh virtual environment."""

import importlib.metadata
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]

#: Runs at the fresh environment's start-up: a top-level module that no declared dependency provides cannot be
#: imported (the standard library and the environment's own site-packages always can).
BLOCKER = """
import importlib.abc, sys
ALLOWED = {allowed!r}
SHARED = {shared!r}


class OnlyDeclared(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if path is None and top not in ALLOWED and top not in sys.stdlib_module_names:
            for finder in sys.meta_path[1:]:
                spec = finder.find_spec(name, path, target)
                if spec is not None and spec.origin and spec.origin.startswith(SHARED):
                    raise ImportError(f"{{name}} is not a declared dependency of crowdal-utils[crowd]")
        return None


sys.meta_path.insert(0, OnlyDeclared())
"""


def _dependency_closure(extras=("crowd",)):
    """Names of the distributions ``crowdal-utils[extras]`` needs, directly or through others."""
    todo = [(req, extras) for req in importlib.metadata.requires("crowdal-utils")]
    seen = set()
    while todo:
        requirement, active = todo.pop()
        req = Requirement(requirement)
        if req.marker and not any(req.marker.evaluate({"extra": e}) for e in (*active, "")):
            continue
        name = req.name.lower().replace("_", "-")
        if name in seen or name == "crowdal-utils":
            continue
        seen.add(name)
        try:
            todo += [(r, tuple(req.extras)) for r in importlib.metadata.requires(name) or []]
        except importlib.metadata.PackageNotFoundError:
            pass  # an optional dependency of a dependency, not installed: it cannot be imported either way
    return seen


def test_the_wheel_holds_every_subpackage_and_imports_with_only_the_declared_dependencies(tmp_path):
    """Builds the wheel (not editable), installs it into a new venv and imports every module of it there.

    Downloading torch, scikit-activeml and crowd-kit into that venv again would cost minutes of `make test`'s
    budget, so the venv sees the dev environment's site-packages, but only the distributions that
    crowdal-utils[crowd] declares (and what they require): importing anything else from there fails, as it
    would after `pip install "crowdal-utils[crowd]"` on a clean machine.
    """
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", tmp_path, ROOT],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("crowdal_utils-*.whl")
    in_wheel = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".py")}
    in_repo = {str(p.relative_to(ROOT)) for p in (ROOT / "crowdal_utils").rglob("*.py")}
    assert in_repo <= in_wheel, f"missing from the wheel: {sorted(in_repo - in_wheel)}"
    stubs = {str(p.relative_to(ROOT)) for p in (ROOT / "crowdal_utils").rglob("*.pyi")}  # lazy_loader reads them
    assert stubs and stubs <= set(zipfile.ZipFile(wheel).namelist()), "the subpackages' __init__.pyi must ship"
    assert not any(name.startswith(("tools/", "tests/", "benchmarks/")) for name in in_wheel)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())  # fmt: skip
    with zipfile.ZipFile(wheel) as archive:  # what pip does for a pure-Python wheel, without pip in the venv
        archive.extractall(site)
    shared = sysconfig.get_paths()["purelib"]
    closure = _dependency_closure()
    modules = importlib.metadata.packages_distributions()
    allowed = {m for m, dists in modules.items() if {d.lower().replace("_", "-") for d in dists} & closure}
    (site / "shared.pth").write_text(shared + "\n")
    (site / "sitecustomize.py").write_text(BLOCKER.format(allowed=sorted(allowed), shared=shared))

    script = (
        "import importlib, pkgutil, crowdal_utils\n"
        f"assert crowdal_utils.__file__.startswith({str(site)!r}), crowdal_utils.__file__\n"
        "names = [m.name for m in pkgutil.walk_packages(crowdal_utils.__path__, 'crowdal_utils.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "try:\n"
        "    import nbformat\n"
        "except ImportError:\n"
        "    print(len(names), 'modules; nbformat blocked')\n"
    )
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    n_modules, _ = out.stdout.split(" ", 1)
    assert int(n_modules) == len(in_repo) - 1 and "nbformat blocked" in out.stdout  # every module but the top __init__
