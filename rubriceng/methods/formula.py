"""``score``: a free formula with ``points``, ``value`` and the inputs in scope."""

from __future__ import annotations

from typing import Any

import attrs

from rubriceng.formula.language import Formula
from rubriceng.methods.base import CompileContext, Context, Method, Scored, Scorer


@attrs.frozen
class FormulaScorer(Scorer):
    """``score: <formula>`` with ``points``, ``value`` and the inputs in scope."""

    formula: Formula

    def formulas(self) -> tuple[Formula, ...]:
        return (self.formula,)

    def score(self, context: Context) -> Scored:
        return Scored(context.number(self.formula, "score"), {"formula": self.formula.text})


def _compile_formula(spec: Any, cc: CompileContext) -> Scorer | None:
    formula = cc.formula(spec, "score")
    return None if formula is None else FormulaScorer(formula)


METHOD = Method(
    "score",
    {"type": "formula"},
    _compile_formula,
    summary="a free formula with points, value and the inputs in scope",
)
"""The ``score`` method."""
