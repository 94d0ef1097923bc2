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
    return sorted(
        f"rubriceng.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem != "__init__"
    )


def test_every_module_has_exactly_one_place_in_the_layers():
    placed = [name for layer in _layers() for name in layer]
    assert sorted(placed) == _modules()


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
    found = [line for path in sorted(PACKAGE.glob("*.py")) for line in _private_imports(path)]
    assert found == []
