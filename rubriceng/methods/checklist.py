"""``checklist``: criteria worth points, judged or computed, with partial credit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.exact import Exact, add, multiply, rational, shown
from rubriceng.formula.language import Formula
from rubriceng.language.model import MAX_POINTS
from rubriceng.methods.base import (
    ID_RULES,
    ZERO,
    CompileContext,
    Context,
    Method,
    Scored,
    Scorer,
    ScoringFailure,
    present,
)


@attrs.frozen
class ChecklistItem:
    """A criterion worth ``points``: judged by the unit, or computed by ``fraction``."""

    id: str
    name: str
    points: Decimal
    fraction: Formula | None = None
    partial: bool = True


@attrs.frozen
class ChecklistScorer(Scorer):
    """The sum of the criteria met; judged criteria come from the indicator's own input."""

    items: tuple[ChecklistItem, ...]

    @property
    def judged(self) -> bool:  # type: ignore[override]
        return any(item.fraction is None for item in self.items)

    def formulas(self) -> tuple[Formula, ...]:
        return present(*(item.fraction for item in self.items))

    def own_input(self) -> Mapping[str, Any] | None:
        judged = {
            item.id: (
                {"type": "credit", "coerce": "credit", "required": True, "credit_max": item.points}
                if item.partial
                else {"type": "boolean", "coerce": "boolean", "required": True}
            )
            for item in self.items
            if item.fraction is None
        }
        return {"type": "dict", "schema": judged} if judged else None

    def score(self, context: Context) -> Scored:
        total: Exact = ZERO
        rows = []
        for item in self.items:
            if item.fraction is None:
                given = context.own[item.id]
                credit = (item.points if given else ZERO) if isinstance(given, bool) else given
            else:
                field = f"checklist.{item.id}.fraction"
                share = rational(context.number(item.fraction, field))
                if not 0 <= share <= 1:
                    raise ScoringFailure(
                        "fraction-out-of-range",
                        f"{item.fraction.text} = {shown(share)} is outside [0, 1]",
                        field,
                    )
                credit = multiply(item.points, share)
            total = add(total, credit)
            rows.append({"id": item.id, "name": item.name, "points": item.points, "credit": credit})
        return Scored(total, {"items": rows})


def _compile_checklist(spec: Sequence[Mapping[str, Any]], cc: CompileContext) -> Scorer | None:
    items = []
    seen: set[str] = set()
    for index, row in enumerate(spec):
        if row["id"] in seen:
            cc.problem(
                "duplicate-id",
                f"checklist item id {row['id']!r} is used twice",
                "checklist",
                index,
                "id",
            )
        seen.add(row["id"])
        fraction = None
        if "fraction" in row:
            fraction = cc.formula(row["fraction"], "checklist", index, "fraction")
        items.append(
            ChecklistItem(
                row["id"], row["name"], Decimal(row["points"]), fraction, row.get("partial", True)
            )
        )
    total = sum((item.points for item in items), ZERO)
    if total != cc.points:
        cc.problem(
            "points-mismatch",
            f"checklist items add up to {total}, the indicator has {cc.points} points",
            "checklist",
        )
    return ChecklistScorer(tuple(items))


_CHECKLIST_RULES = {
    "type": "list",
    "minlength": 1,
    "schema": {
        "type": "dict",
        "schema": {
            "id": ID_RULES,
            "name": {"type": "string", "required": True},
            "name_en": {"type": "string"},
            "points": {"type": "decimal", "required": True, "min": 0, "max": MAX_POINTS},
            "fraction": {"type": "formula"},
            "partial": {"type": "boolean"},
        },
    },
}


METHOD = Method(
    "checklist",
    _CHECKLIST_RULES,
    _compile_checklist,
    summary="criteria worth points, judged or computed, partial credit",
)
"""The ``checklist`` method."""
