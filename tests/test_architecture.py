"""The layering is declared and held: every module has its place in the import-linter
contract of pyproject.toml, no import goes against it (lazy and TYPE_CHECKING imports
included), and no module takes another module's underscore names."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "rubriceng"


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return [
        [name.strip() for name in layer.replace("|", ":").split(":")]
        for layer in contract["layers"]
    ]


def _modules() -> list[str]:
    """Every module of the package, a package's ``__init__`` named by the package."""
    names = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(set(names) - {"rubriceng"})


def _covers(layer_name: str, module: str) -> bool:
    return module == layer_name or module.startswith(layer_name + ".")


def test_every_module_has_exactly_one_place_in_the_layers():
    placed = [name for layer in _layers() for name in layer]
    places = {module: [n for n in placed if _covers(n, module)] for module in _modules()}
    # a package's __init__ is covered by the package, or is the parent of layers inside it
    unplaced = [
        module
        for module, where in places.items()
        if len(where) != 1 and not any(_covers(module, name) for name in placed)
    ]
    assert unplaced == []
    assert [name for name in placed if not any(_covers(name, m) for m in _modules())] == []


def test_the_packages_mirror_the_pipeline():
    packages = sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py"))
    assert packages == [
        "authoring",
        "batch",
        "cycle",
        "formula",
        "host",
        "inputs",
        "language",
        "methods",
        "outputs",
        "scoring",
        "targets",
    ]
    flat = sorted(path.stem for path in PACKAGE.glob("*.py"))
    assert flat == [
        "__init__",
        "__main__",
        "cli",
        "commandhelp",
        "decimals",
        "errors",
        "exact",
        "exports",
        "loader",
        "plugin",
        "sanitize",
        "service",
    ]


def test_no_import_goes_against_the_layers():
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rubriceng"):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{path.name}:{node.lineno} takes {alias.name} from {node.module}")
    return found


def test_no_module_takes_another_modules_underscore_names():
    found = [line for path in sorted(PACKAGE.rglob("*.py")) for line in _private_imports(path)]
    assert found == []


def test_the_engines_doctests_use_no_jurisdictions_rubric():
    """The engine's doctests run on the rubrics it ships (``rubrics/``) or rubrics they
    write inline, never on a jurisdiction plugin's: they pass with no plugin at all."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            example = line.strip()
            if example.startswith((">>>", "...")) and ("cn.gd" in example or "plugins/" in example):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


def test_every_package_ships_in_the_wheel():
    """pyproject.toml lists the packages a wheel holds; a package left out would import
    in a checkout and be missing once installed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {
        ".".join(path.parent.relative_to(PACKAGE.parent).parts)
        for path in PACKAGE.rglob("__init__.py")
    }
    assert packages <= listed, sorted(packages - listed)
