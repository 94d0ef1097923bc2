"""``steps``: deduct per started or full step of ``value``, floor 0."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.exact import divide, multiply, subtract
from rubriceng.methods.base import ZERO, CompileContext, Context, Method, Scored, Scorer


@attrs.frozen
class StepsScorer(Scorer):
    """Deduct ``deduct`` for each started (or each full) ``size`` of ``value``; floor 0."""

    size: Decimal
    deduct: Decimal
    count: str = "started"
    start: Decimal = ZERO

    def score(self, context: Context) -> Scored:
        value = context.named_number("value", "value")
        steps = divide(subtract(value, self.start), self.size)  # exactly: 5% is 1 step
        count = max(0, math.ceil(steps) if self.count == "started" else math.floor(steps))
        points = context.points
        raw = max(ZERO, subtract(points, multiply(self.deduct, count)))
        return Scored(
            raw,
            {
                "value": value,
                "steps": Decimal(count),
                "deducted": subtract(points, raw),
                "rule": f"{self.deduct} for each {self.count} step of {self.size}",
            },
        )


def _compile_steps(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    if spec["size"] <= 0:
        cc.problem("steps-size", "the step size must be positive", "steps", "size")
        return None
    if spec["deduct"] < 0:
        cc.problem("steps-deduct", "the deduction must not be negative", "steps", "deduct")
        return None
    return StepsScorer(
        Decimal(spec["size"]),
        Decimal(spec["deduct"]),
        spec.get("count", "started"),
        Decimal(spec.get("start", ZERO)),
    )


_STEPS_RULES = {
    "type": "dict",
    "schema": {
        "size": {"type": "decimal", "required": True},
        "deduct": {"type": "decimal", "required": True},
        "count": {"type": "string", "allowed": ["started", "full"]},
        "start": {"type": "decimal"},
    },
}


METHOD = Method(
    "steps",
    _STEPS_RULES,
    _compile_steps,
    needs_value=True,
    summary="deduct per started or full step of value, floor 0",
)
"""The ``steps`` method."""
