"""``all_or_nothing``: full marks when a condition holds, else 0."""

from __future__ import annotations

from typing import Any

import attrs

from rubriceng.formula.language import Formula
from rubriceng.methods.base import ZERO, CompileContext, Context, Method, Scored, Scorer


@attrs.frozen
class AllOrNothingScorer(Scorer):
    """Full marks when the condition holds, else 0."""

    condition: Formula

    def formulas(self) -> tuple[Formula, ...]:
        return (self.condition,)

    def score(self, context: Context) -> Scored:
        met = context.boolean(self.condition, "all_or_nothing")
        return Scored(
            context.points if met else ZERO, {"condition": self.condition.text, "met": met}
        )


def _compile_all_or_nothing(spec: Any, cc: CompileContext) -> Scorer | None:
    condition = cc.formula(spec, "all_or_nothing")
    return None if condition is None else AllOrNothingScorer(condition)


METHOD = Method(
    "all_or_nothing",
    {"type": "formula"},
    _compile_all_or_nothing,
    summary="full marks when a condition holds, else 0",
)
"""The ``all_or_nothing`` method."""
