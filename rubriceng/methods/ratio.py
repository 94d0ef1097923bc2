"""``ratio``: points × actual / target, capped at the points."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.exact import divide, multiply, shown
from rubriceng.formula.language import Formula
from rubriceng.methods.base import (
    ONE,
    ZERO,
    CompileContext,
    Context,
    Method,
    Scored,
    Scorer,
    ScoringFailure,
    optional_decimal,
)


@attrs.frozen
class RatioScorer(Scorer):
    """points × actual / target, capped at points.

    ``zero_when_exceeds``: an actual above its target scores 0 (decided before a zero
    target, so "plan 0, purchases > 0" scores 0). ``refuse_when_exceeds``: an actual above
    its target is refused (more tasks done than were due). ``if_target_zero``: the score
    when there was nothing to do (target and actual 0); without it that is refused.
    """

    actual: Formula
    target: Formula
    zero_when_exceeds: bool = False
    if_target_zero: Decimal | None = None
    refuse_when_exceeds: bool = False

    def formulas(self) -> tuple[Formula, ...]:
        return (self.actual, self.target)

    def score(self, context: Context) -> Scored:
        actual = context.number(self.actual, "ratio.actual")
        target = context.number(self.target, "ratio.target")
        trace: dict[str, Any] = {"actual": actual, "target": target}
        if actual < 0 or target < 0:
            raise ScoringFailure(
                "negative-value", "actual and target must not be negative", "ratio"
            )
        if actual > target:
            if self.zero_when_exceeds:
                trace["rule"] = "actual exceeds target: 0"
                return Scored(ZERO, trace)
            if self.refuse_when_exceeds:
                raise ScoringFailure(
                    "actual-exceeds-target",
                    f"{self.actual.text} ({shown(actual)}) is more than "
                    f"{self.target.text} ({shown(target)})",
                    "ratio.actual",
                    input=True,
                )
        if target == 0:
            if self.if_target_zero is None:
                raise ScoringFailure(
                    "zero-denominator", f"target {self.target.text} is zero", "ratio.target"
                )
            trace["rule"] = "target is zero"
            return Scored(self.if_target_zero, trace)
        rate = divide(actual, target)
        trace["rate"] = rate
        if rate > 1:
            trace["rule"] = "capped at full marks"
        return Scored(multiply(context.points, min(ONE, rate)), trace)


def _compile_ratio(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    actual = cc.formula(spec["actual"], "ratio", "actual")
    target = cc.formula(spec["target"], "ratio", "target")
    if_zero = optional_decimal(spec.get("if_target_zero"))
    if if_zero is not None:
        cc.check_score(if_zero, "ratio", "if_target_zero")
    if actual is None or target is None:
        return None
    return RatioScorer(
        actual,
        target,
        bool(spec.get("zero_when_exceeds", False)),
        if_zero,
        bool(spec.get("refuse_when_exceeds", False)),
    )


_RATIO_RULES = {
    "type": "dict",
    "schema": {
        "actual": {"type": "formula", "required": True},
        "target": {"type": "formula", "required": True},
        "zero_when_exceeds": {"type": "boolean"},
        "refuse_when_exceeds": {"type": "boolean"},
        "if_target_zero": {"type": "decimal"},
    },
}


METHOD = Method(
    "ratio",
    _RATIO_RULES,
    _compile_ratio,
    summary="points × actual / target, capped at points",
)
"""The ``ratio`` method."""
