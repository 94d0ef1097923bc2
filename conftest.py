"""pytest's settings for the whole checkout (the engine's doctests, tests/ and plugins/).

The bundled jurisdictions' rubric folders are found by id even where their plugins are
not installed — a core-only environment (``pip install -e '.[test]'``) runs the engine's
tests and doctests against the same rubric files, through ``$RUBRICENG_PATH``. Tests of
the plugins themselves (their names, their hooks) skip there.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

BUNDLED = {
    name: ROOT / "plugins" / f"rubriceng-gd-{name.removeprefix('rubriceng_gd_')}" / "src" / name
    / "rubrics"
    for name in ("rubriceng_gd_huizhou", "rubriceng_gd_lianjiang", "rubriceng_gd_province")
}
"""The bundled plugins' packages and their rubric folders."""

MISSING = [name for name in BUNDLED if importlib.util.find_spec(name) is None]
"""The bundled plugins not installed here."""

if MISSING:
    os.environ["RUBRICENG_PATH"] = os.pathsep.join(
        [*(str(BUNDLED[name]) for name in MISSING),
         *filter(None, [os.environ.get("RUBRICENG_PATH")])]
    )  # fmt: skip
