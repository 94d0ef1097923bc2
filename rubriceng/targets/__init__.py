"""Performance targets (绩效目标): a feature package. It parses what a unit declared,
judges what it achieved, reads and writes target sheets, and contributes its scoring
method and input type through the same hooks as any plugin (:mod:`~rubriceng.targets.hooks`).

- :mod:`~rubriceng.targets.terms`: the words of a judgement (达成, ``met``) and of a comparison.
- :mod:`~rubriceng.targets.quantities`: Chinese numerals, units and measure words.
- :mod:`~rubriceng.targets.parse`: :func:`parse_target`, a target value as written.
- :mod:`~rubriceng.targets.judging`: :func:`judge`, an actual value against a target.
- :mod:`~rubriceng.targets.sheets`: the sheets and rows of a 申报表.
- :mod:`~rubriceng.targets.files`: :func:`load_sheets`, :func:`read_xlsx`, :func:`write_xlsx`.
- :mod:`~rubriceng.targets.method`: the method ``target_completion``, the input ``targets``.

The names below are the package's public face.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rubriceng.exports import lazy

if TYPE_CHECKING:
    from rubriceng.targets.files import load_sheets, read_xlsx, write_xlsx
    from rubriceng.targets.judging import Judgement, UnitMismatch, actual_value, judge
    from rubriceng.targets.parse import Target, amount, parse_target, unit_kind
    from rubriceng.targets.sheets import KeyTask, TargetRow, TargetSheet, row_of
    from rubriceng.targets.terms import (
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
    )

_EXPORTS = {
    "ABOVE": "terms",
    "AT_LEAST": "terms",
    "AT_MOST": "terms",
    "BELOW": "terms",
    "COMPARATORS": "terms",
    "EQUAL": "terms",
    "Judgement": "judging",
    "KeyTask": "sheets",
    "MET": "terms",
    "NEEDS_JUDGEMENT": "terms",
    "NOT_MET": "terms",
    "PARTLY_MET": "terms",
    "TIERS": "terms",
    "Target": "parse",
    "TargetRow": "sheets",
    "TargetSheet": "sheets",
    "UnitMismatch": "judging",
    "actual_value": "judging",
    "amount": "parse",
    "judge": "judging",
    "load_sheets": "files",
    "parse_target": "parse",
    "read_xlsx": "files",
    "row_of": "sheets",
    "unit_kind": "parse",
    "write_xlsx": "files",
}
"""Where each public name is defined. A name is imported when first asked for, so that
registering the feature, which every process does, loads no parser and no sheet code."""


__getattr__, __dir__ = lazy("rubriceng.targets", _EXPORTS, globals())


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
