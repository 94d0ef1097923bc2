"""``unit_defined``: sub-indicators the unit names itself, judged."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.language.model import CENT
from rubriceng.methods.base import (
    ZERO,
    CompileContext,
    Context,
    Method,
    Part,
    Scored,
    Scorer,
    ScoringFailure,
)


def split_evenly(points: Decimal, count: int) -> list[Decimal]:
    """``points`` split into ``count`` shares of whole cents, earlier shares larger."""
    cents = int(points / CENT)
    base, extra = divmod(cents, count)
    return [Decimal(base + (1 if index < extra else 0)) * CENT for index in range(count)]


@attrs.frozen
class UnitDefinedScorer(Scorer):
    """The unit names its own indicators under this one (e.g. 社会效益), each judged."""

    min_items: int = 1
    max_items: int | None = None
    judged = True

    def own_input(self) -> Mapping[str, Any] | None:
        rules: dict[str, Any] = {
            "type": "list",
            "minlength": self.min_items,
            "schema": {
                "type": "dict",
                "schema": {
                    "name": {"type": "string", "required": True, "empty": False},
                    "points": {"type": "decimal", "coerce": "decimal", "min": 0},
                    "score": {"type": "decimal", "coerce": "decimal", "required": True, "min": 0},
                    "reason": {"type": "string"},
                },
            },
        }
        if self.max_items is not None:
            rules["maxlength"] = self.max_items
        return rules

    def score(self, context: Context) -> Scored:
        items = context.own
        given = [item.get("points") for item in items]
        if all(points is None for points in given):
            shares = split_evenly(context.points, len(items))
        elif any(points is None for points in given):
            raise ScoringFailure(
                "points-mismatch",
                "give points for every sub-indicator or for none",
                "points",
                input=True,
            )
        else:
            shares = [Decimal(points) for points in given]
            if sum(shares, ZERO) != context.points:
                raise ScoringFailure(
                    "points-mismatch",
                    f"sub-indicator points add up to {sum(shares, ZERO)}, not {context.points}",
                    "points",
                    input=True,
                )
        parts = []
        for index, (item, points) in enumerate(zip(items, shares, strict=True)):
            if item["score"] > points:
                raise ScoringFailure(
                    "score-out-of-range",
                    f"{item['name']}: score {item['score']} is above {points}",
                    f"[{index}].score",
                    input=True,
                )
            parts.append(Part(item["name"], points, Decimal(item["score"]), item.get("reason")))
        return Scored(sum((part.raw for part in parts), ZERO), {"items": len(parts)}, tuple(parts))


def _compile_unit_defined(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    return UnitDefinedScorer(spec.get("min_items", 1), spec.get("max_items"))


_UNIT_DEFINED_RULES = {
    "type": "dict",
    "schema": {
        "min_items": {"type": "integer", "min": 1},
        "max_items": {"type": "integer", "min": 1},
    },
}


METHOD = Method(
    "unit_defined",
    _UNIT_DEFINED_RULES,
    _compile_unit_defined,
    summary="sub-indicators the unit names itself, judged",
)
"""The ``unit_defined`` method."""
