"""The scoring method ``target_completion`` (绩效目标完成率, scored from a unit's target
rows) and the input type ``targets`` that carries those rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from rubriceng.exact import Exact, divide, multiply, rational
from rubriceng.formula.language import Formula
from rubriceng.inputs.types import MAX_LIST_ITEMS, InputType
from rubriceng.language.model import CENT, InputSpec
from rubriceng.methods.base import (
    CompileContext,
    Context,
    Method,
    Part,
    Scored,
    Scorer,
    ScoringFailure,
    optional_decimal,
)
from rubriceng.targets.terms import COMPARATORS, MET, NEEDS_JUDGEMENT, TIERS


@attrs.frozen
class TargetCompletionScorer(Scorer):
    """绩效目标完成率: the declared targets met (or their mean completion) × points.

    ``rows`` gives the targets with their actual values (the 申报表 filled in); ``met``
    and ``declared``, where given, are the same thing typed in as two counts. A unit gives
    either, or both when they agree. ``tiers`` are the fractions a person's three-tier
    judgement earns (达成 / 部分达成 / 未达成); ``reasons`` requires a 偏差原因 for every
    target not met; ``flag_above`` flags targets exceeded beyond that factor as set too
    low (never rewarded beyond full marks).
    """

    rows: Formula
    count: str = "met"
    levels: tuple[str, ...] = ()
    met: Formula | None = None
    declared: Formula | None = None
    if_none: Decimal | None = None
    tiers: Mapping[str, Decimal] | None = None
    reasons: bool = False
    flag_above: Decimal | None = None

    def formulas(self) -> tuple[Formula, ...]:
        found = (self.rows, self.met, self.declared)
        return tuple(formula for formula in found if formula is not None)

    def score(self, context: Context) -> Scored:
        rows = context.value(self.rows, "target_completion.targets")
        counts = self._counts(context)
        if rows is None and counts is None:
            raise ScoringFailure(
                "targets-missing",
                "give the targets with their actual values (the 申报表), or the counts of "
                "targets met and declared",
                "target_completion.targets",
                input=True,
            )
        if rows is None:
            assert counts is not None
            return self._from_counts(context, *counts)
        if not isinstance(rows, list | tuple):
            raise ScoringFailure(
                "formula-type",
                f"{self.rows.text} is not a list of targets",
                "target_completion.targets",
            )
        return self._from_rows(context, rows, counts)

    def _counts(self, context: Context) -> tuple[Exact, Exact] | None:
        if self.met is None or self.declared is None:
            return None
        met = context.value(self.met, "target_completion.met")
        declared = context.value(self.declared, "target_completion.declared")
        if met is None and declared is None:
            return None
        if met is None or declared is None:
            raise ScoringFailure(
                "targets-missing",
                "give both counts: the targets met and the targets declared",
                "target_completion.met" if met is None else "target_completion.declared",
                input=True,
            )
        return context.number(self.met, "target_completion.met"), context.number(
            self.declared, "target_completion.declared"
        )

    def _from_counts(self, context: Context, met: Exact, declared: Exact) -> Scored:
        trace: dict[str, Any] = {"declared": declared, "met": met}
        if met < 0 or declared < 0:
            raise ScoringFailure(
                "negative-value", "counts must not be negative", "target_completion.met", input=True
            )
        if met > declared:
            raise ScoringFailure(
                "actual-exceeds-target",
                f"{met} targets met of {declared} declared",
                "target_completion.met",
                input=True,
            )
        if declared == 0:
            if self.if_none is None:
                raise ScoringFailure(
                    "targets-missing", "no targets to score", "target_completion.declared"
                )
            trace["rule"] = "no targets declared"
            return Scored(self.if_none, trace)
        share = divide(met, declared)
        trace["rate"] = share
        return Scored(multiply(context.points, share), trace)

    def _from_rows(
        self, context: Context, rows: Sequence[Any], counts: tuple[Exact, Exact] | None
    ) -> Scored:
        # the parser and the sheets load when a unit's rows are scored, not when the
        # method is registered (every process registers it)
        from rubriceng.targets.judging import UnitMismatch
        from rubriceng.targets.sheets import row_of

        field = "target_completion.targets"
        chosen = [row for row in map(row_of, rows) if not self.levels or row.level1 in self.levels]
        if not chosen and (self.if_none is None or (counts is not None and counts[1])):
            raise ScoringFailure("targets-missing", "no targets to score", field)
        weighed = [row.points for row in chosen if row.points is not None]
        if weighed and len(weighed) != len(chosen):
            raise ScoringFailure(
                "target-points", "give every target its points (分值), or none", field, input=True
            )
        if weighed and sum(weighed, Decimal(0)) != context.points:
            raise ScoringFailure(
                "target-points",
                f"the targets' points (分值) add up to {sum(weighed, Decimal(0))}, "
                f"the indicator has {context.points}",
                field,
                input=True,
            )
        completions: list[Fraction] = []
        reasons: list[str] = []
        judged_rows: list[dict[str, Any]] = []
        unmet: list[dict[str, Any]] = []
        low: list[str] = []
        problems: list[str] = []
        for row in chosen:
            try:
                judged = row.judgement()
            except UnitMismatch as error:
                raise ScoringFailure(
                    "target-unit",
                    f"{row.name}: {error}",
                    field,
                    input=True,
                    params={"name": row.name, "detail": error.said},
                ) from None
            if judged is None or judged.status == NEEDS_JUDGEMENT:
                raise ScoringFailure(
                    "target-unjudged",
                    f"{row.name} ({row.value}): give its actual value, or met: true/false"
                    + (", or tier: 达成/部分达成/未达成" if self.tiers else ""),
                    field,
                    input=True,
                )
            qualitative = row.tier is not None or row.met is not None or row.target().judgement
            if qualitative and self.tiers is not None:
                done = rational(self.tiers[judged.status])
            elif judged.status == MET:
                done = Fraction(1)
            elif self.count == "completion" and judged.completion is not None:
                done = rational(judged.completion)
            elif judged.completion is None:  # 部分达成 with no tiers to say what it earns
                raise ScoringFailure(
                    "target-unjudged",
                    f"{row.name}: 部分达成 needs the rubric's tiers (target_completion.tiers)",
                    field,
                )
            else:
                done = Fraction(0)
            completions.append(done)
            reason = f"{row.level2}：{judged.reason}" if row.level2 else judged.reason
            if row.tier is not None and row.tier in TIERS and TIERS[row.tier] != judged.status:
                reason += f"（{row.tier}）"  # pragma: no cover - tiers map onto statuses
            reasons.append(reason)
            judged_rows.append(
                {
                    "name": row.name,
                    "target": row.value,
                    "actual": row.actual,
                    "status": judged.status,
                    "reason": judged.reason,
                }
            )
            if judged.status != MET:
                if self.reasons and not row.reason:
                    problems.append(row.name)
                unmet.append(
                    {
                        "name": row.name,
                        "target": row.value,
                        "actual": row.actual,
                        "status": judged.status,
                        "completion": judged.completion,
                        "reason": judged.reason,
                        **({"deviation": row.reason} if row.reason else {}),
                        **({"points": row.points} if weighed else {}),
                    }
                )
            if (
                self.flag_above is not None
                and judged.achieved is not None
                and rational(judged.achieved) > rational(self.flag_above)
            ):
                low.append(row.name)
        if problems:
            raise ScoringFailure(
                "target-reason",
                "a target not met needs its 偏差原因 (reason): " + "、".join(problems),
                field,
                input=True,
            )
        met = sum(1 for row_completion in completions if row_completion == 1)
        if counts is not None and (counts[0] != met or counts[1] != len(chosen)):
            raise ScoringFailure(
                "target-counts",
                f"the 申报表 has {len(chosen)} targets, {met} met; the counts say "
                f"{counts[0]} met of {counts[1]}",
                "target_completion.met",
                input=True,
            )
        trace: dict[str, Any] = {
            "declared": len(chosen),
            "met": met,
            "targets": judged_rows,
            "unmet": unmet,
        }
        if low:
            trace["set_too_low"] = low
        if not chosen:
            assert self.if_none is not None
            trace["rule"] = "no targets declared"
            return Scored(self.if_none, trace)
        parts: tuple[Part, ...] = ()
        points = rational(context.points)
        if weighed:  # each target is a row of its own: its points × its completion
            parts = tuple(
                Part(row.name, _cents(weight), rational(weight) * done, reason, "scored")
                for row, weight, done, reason in zip(
                    chosen, weighed, completions, reasons, strict=True
                )
            )
            raw = sum((rational(part.raw) for part in parts), Fraction(0))
            share = raw / points if points else Fraction(1)
        else:
            share = sum(completions, Fraction(0)) / len(completions)
            raw = points * share
        trace["rate"] = share
        return Scored(raw, trace, parts)


def _cents(points: Decimal) -> Decimal:
    """Points as the table prints them (``20`` as ``20.00``), when they are whole cents."""
    quantized = points.quantize(CENT)
    return quantized if quantized == points else points


def _compile_target_completion(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    rows = cc.formula(spec["targets"], "target_completion", "targets")
    if rows is None:
        return None
    counts = spec.get("counts")
    met = declared = None
    if counts is not None:
        met = cc.formula(counts["met"], "target_completion", "counts", "met")
        declared = cc.formula(counts["declared"], "target_completion", "counts", "declared")
        if met is None or declared is None:
            return None
    if_none = optional_decimal(spec.get("if_none"))
    if if_none is not None:
        cc.check_score(if_none, "target_completion", "if_none")
    tiers = spec.get("tiers")
    if tiers is not None:
        tiers = {TIERS[name]: Decimal(str(value)) for name, value in tiers.items()}
        if set(tiers) != {"met", "partly_met", "not_met"}:
            cc.problem(
                "target-tiers",
                "tiers give 达成, 部分达成 and 未达成 their fractions",
                "target_completion",
                "tiers",
            )
            return None
    above = optional_decimal(spec.get("flag_above"))
    return TargetCompletionScorer(
        rows,
        spec.get("count", "met"),
        tuple(spec.get("levels", ())),
        met,
        declared,
        if_none,
        tiers,
        bool(spec.get("reasons", False)),
        above,
    )


_TARGET_COMPLETION_RULES = {
    "type": "dict",
    "schema": {
        "targets": {"type": "formula", "required": True},
        "count": {"type": "string", "allowed": ["met", "completion"]},
        "levels": {"type": "list", "schema": {"type": "string"}},
        "counts": {
            "type": "dict",
            "schema": {
                "met": {"type": "formula", "required": True},
                "declared": {"type": "formula", "required": True},
            },
        },
        "if_none": {"type": "decimal"},
        "tiers": {
            "type": "dict",
            "keysrules": {"type": "string", "allowed": list(TIERS)},
            "valuesrules": {"type": "decimal", "min": Decimal(0), "max": Decimal(1)},
        },
        "reasons": {"type": "boolean"},
        "flag_above": {"type": "decimal", "min": Decimal(1)},
    },
}


TARGET_COMPLETION = Method(
    "target_completion",
    _TARGET_COMPLETION_RULES,
    _compile_target_completion,
    summary="绩效目标完成率: declared targets met (or their completion) × points",
)
"""The scoring method 绩效目标完成率, registered by the built-in plugin."""


def _targets_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    return {
        "type": "list",
        "maxlength": MAX_LIST_ITEMS,
        "schema": {
            "type": "dict",
            "schema": {
                "level1": {"type": "string"},
                "level2": {"type": "string"},
                "name": {"type": "string", "required": True, "empty": False},
                "target": {"type": "string", "nullable": True},
                "actual": {"nullable": True},
                "comparator": {"type": "string", "allowed": list(COMPARATORS)},
                "met": {"type": "boolean", "coerce": "boolean"},
                "points": {"type": "decimal", "coerce": "decimal", "min": Decimal(0)},
                "baseline": {"nullable": True},
                "tier": {"type": "string", "allowed": list(TIERS)},
                "reason": {"type": "string", "nullable": True},
            },
        },
    }


TARGETS_INPUT = InputType(
    "targets",
    _targets_rules,
    False,
    "declared performance targets (绩效目标): rows of name, target, actual",
)
"""The input type ``targets``: a 申报表's rows, registered by the built-in plugin."""
