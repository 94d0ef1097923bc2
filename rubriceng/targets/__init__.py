"""Performance targets (绩效目标): a feature package. It parses what a unit declared,
judges what it achieved, reads and writes target sheets, and contributes its scoring
method and input type through the same hooks as any plugin (:mod:`~rubriceng.targets.hooks`).

- :mod:`~rubriceng.targets.quantities`: Chinese numerals, units and measure words.
- :mod:`~rubriceng.targets.parse`: :func:`parse_target`, a target value as written.
- :mod:`~rubriceng.targets.judge`: :func:`judge`, an actual value against a target.
- :mod:`~rubriceng.targets.sheets`: the sheets and rows of a 申报表.
- :mod:`~rubriceng.targets.files`: :func:`load_sheets`, :func:`read_xlsx`, :func:`write_xlsx`.
- :mod:`~rubriceng.targets.method`: the method ``target_completion``, the input ``targets``.

The names below are the package's public face.
"""

from __future__ import annotations

from rubriceng.targets.files import load_sheets, read_xlsx, write_xlsx
from rubriceng.targets.judge import Judgement, UnitMismatch, actual_value, judge
from rubriceng.targets.parse import (
    ABOVE,
    AT_LEAST,
    AT_MOST,
    BELOW,
    COMPARATORS,
    EQUAL,
    MET,
    NEEDS_JUDGEMENT,
    NOT_MET,
    PARTLY_MET,
    TIERS,
    Target,
    amount,
    parse_target,
    unit_kind,
)
from rubriceng.targets.sheets import KeyTask, TargetRow, TargetSheet, row_of

__all__ = [
    "ABOVE",
    "AT_LEAST",
    "AT_MOST",
    "BELOW",
    "COMPARATORS",
    "EQUAL",
    "MET",
    "NEEDS_JUDGEMENT",
    "NOT_MET",
    "PARTLY_MET",
    "TIERS",
    "Judgement",
    "KeyTask",
    "Target",
    "TargetRow",
    "TargetSheet",
    "UnitMismatch",
    "actual_value",
    "amount",
    "judge",
    "load_sheets",
    "parse_target",
    "read_xlsx",
    "row_of",
    "unit_kind",
    "write_xlsx",
]
