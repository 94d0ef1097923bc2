"""``deductions``: full marks less deductions per event or condition, floor 0."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.exact import Exact, add, multiply, subtract
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
    present,
)


@attrs.frozen
class Deduction:
    """Deduct ``deduct`` once when ``when`` holds, or per event counted by ``count``."""

    name: str
    deduct: Decimal
    when: Formula | None = None
    count: Formula | None = None
    max: Decimal | None = None


@attrs.frozen
class DeductionsScorer(Scorer):
    """Full marks less the deductions, floor 0."""

    deductions: tuple[Deduction, ...]

    def formulas(self) -> tuple[Formula, ...]:
        return present(*(d.when for d in self.deductions), *(d.count for d in self.deductions))

    def score(self, context: Context) -> Scored:
        deducted: Exact = ZERO
        rows = []
        for index, item in enumerate(self.deductions):
            field = f"deductions[{index}]"
            events: Exact
            if item.when is not None:
                events = ONE if context.boolean(item.when, field + ".when") else ZERO
            else:
                assert item.count is not None
                events = context.number(item.count, field + ".count")
                if events < 0:
                    raise ScoringFailure("negative-value", f"{item.count.text} is negative", field)
            amount = multiply(item.deduct, events)
            if item.max is not None:
                amount = min(amount, item.max)
            deducted = add(deducted, amount)
            rows.append({"name": item.name, "events": events, "deducted": amount})
        raw = max(ZERO, subtract(context.points, deducted))
        return Scored(raw, {"deductions": rows, "deducted": subtract(context.points, raw)})


def _compile_deductions(spec: Sequence[Mapping[str, Any]], cc: CompileContext) -> Scorer | None:
    items = []
    for index, row in enumerate(spec):
        if ("when" in row) == ("count" in row):
            cc.problem(
                "deduction-form",
                "a deduction has exactly one of 'when' or 'count'",
                "deductions",
                index,
            )
            continue
        key = "when" if "when" in row else "count"
        formula = cc.formula(row[key], "deductions", index, key)
        if formula is None:
            continue
        items.append(
            Deduction(
                row["name"],
                Decimal(row["deduct"]),
                formula if key == "when" else None,
                formula if key == "count" else None,
                optional_decimal(row.get("max")),
            )
        )
    return DeductionsScorer(tuple(items))


_DEDUCTIONS_RULES = {
    "type": "list",
    "minlength": 1,
    "schema": {
        "type": "dict",
        "schema": {
            "name": {"type": "string", "required": True},
            "when": {"type": "formula"},
            "count": {"type": "formula"},
            "deduct": {"type": "decimal", "required": True, "min": 0},
            "max": {"type": "decimal", "min": 0},
        },
    },
}


METHOD = Method(
    "deductions",
    _DEDUCTIONS_RULES,
    _compile_deductions,
    summary="full marks less deductions per event or condition, floor 0",
)
"""The ``deductions`` method."""
