"""``average``: points × the mean of per-period rates, each capped."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from rubriceng.exact import rational
from rubriceng.formula.language import Formula
from rubriceng.methods.base import (
    ONE,
    CompileContext,
    Context,
    Method,
    Scored,
    Scorer,
    ScoringFailure,
    optional_decimal,
    present,
)


def _numbers(context: Context, formula: Formula, field: str) -> list[Fraction]:
    value = context.value(formula, field)
    if not isinstance(value, list) or not value:
        raise ScoringFailure("formula-type", f"{formula.text}: expected a non-empty list", field)
    if any(isinstance(v, bool) or not isinstance(v, Decimal | Fraction | int) for v in value):
        raise ScoringFailure("formula-type", f"{formula.text}: expected numbers", field)
    return [rational(v) for v in value]


@attrs.frozen
class AverageScorer(Scorer):
    """points × mean of per-period rates (each ``actual/target``, capped at ``cap_each``)."""

    rates: Formula | None = None
    actual: Formula | None = None
    target: Formula | None = None
    cap_each: Decimal | None = ONE

    def formulas(self) -> tuple[Formula, ...]:
        return present(self.rates, self.actual, self.target)

    def score(self, context: Context) -> Scored:
        trace: dict[str, Any] = {}
        if self.rates is not None:
            rates = _numbers(context, self.rates, "average.rates")
        else:
            assert self.actual is not None and self.target is not None
            actual = _numbers(context, self.actual, "average.actual")
            target = _numbers(context, self.target, "average.target")
            if len(actual) != len(target):
                raise ScoringFailure(
                    "length-mismatch",
                    f"{len(actual)} actual values but {len(target)} targets",
                    "average",
                )
            if any(t == 0 for t in target):
                raise ScoringFailure(
                    "zero-denominator", "a period's target is zero", "average.target"
                )
            trace.update(actual=actual, target=target)
            rates = [a / t for a, t in zip(actual, target, strict=True)]
        if any(rate < 0 for rate in rates):
            raise ScoringFailure("negative-value", "a period's rate is negative", "average")
        if self.cap_each is not None:
            rates = [min(rate, rational(self.cap_each)) for rate in rates]
        mean = sum(rates, Fraction(0)) / len(rates)  # exactly: four quarters' mean
        trace.update(rates=rates, mean=mean)
        return Scored(rational(context.points) * min(Fraction(1), mean), trace)


def _compile_average(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    has_rates = "rates" in spec
    if has_rates == ("actual" in spec or "target" in spec) or (
        not has_rates and not ("actual" in spec and "target" in spec)
    ):
        cc.problem("average-form", "give either 'rates', or both 'actual' and 'target'", "average")
        return None
    cap = optional_decimal(spec.get("cap_each", ONE))
    if has_rates:
        rates = cc.formula(spec["rates"], "average", "rates")
        return None if rates is None else AverageScorer(rates=rates, cap_each=cap)
    actual = cc.formula(spec["actual"], "average", "actual")
    target = cc.formula(spec["target"], "average", "target")
    if actual is None or target is None:
        return None
    return AverageScorer(actual=actual, target=target, cap_each=cap)


_AVERAGE_RULES = {
    "type": "dict",
    "schema": {
        "rates": {"type": "formula"},
        "actual": {"type": "formula"},
        "target": {"type": "formula"},
        "cap_each": {"type": "decimal", "nullable": True, "min": 0},
    },
}


METHOD = Method(
    "average",
    _AVERAGE_RULES,
    _compile_average,
    summary="points × mean of per-period rates, each capped",
)
"""The ``average`` method."""
