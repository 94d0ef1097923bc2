"""Scoring methods (评分方法): how a leaf indicator turns a unit's data into a score.

A method is named by the key that introduces it in an indicator (``bands:``,
``ratio:``, …). Each :class:`Method` has the cerberus rules for that key's value and a
``compile`` function that checks the value and returns a frozen :class:`Scorer`. A
scorer's :meth:`Scorer.score` returns the *raw* score on the indicator's own points
scale; the engine then scales it to the indicator's effective points (after
not-applicable reweighting), rounds it and checks ``0 ≤ raw ≤ points``.

Built-in methods: ``score`` (free formula), ``ratio``, ``bands``, ``steps``,
``checklist``, ``deductions``, ``all_or_nothing``, ``average``, ``peer``, ``judgement``,
``unit_defined``. Plugins add more through the same registry.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from rubriceng.exact import Exact, Mean, add, divide, multiply, rational, shown, subtract
from rubriceng.formula import Formula, FormulaEvaluator, FormulaRuntimeError
from rubriceng.model import CENT, MAX_POINTS

ZERO = Decimal(0)
ONE = Decimal(1)


class ScoringFailure(Exception):
    """Raised by a scorer when a unit cannot be scored; the engine locates it."""

    def __init__(
        self, code: str, message: str, field: str | None = None, *, input: bool = False
    ) -> None:
        self.code = code
        self.message = message
        self.field = field
        self.input = input
        """True when the unit's inputs are at fault (more tasks done than due, points that
        do not add up): the unit's error is then an InputError, as a wrong input's is."""
        super().__init__(message)


@attrs.frozen
class Part:
    """A row scored under an indicator: a sub-indicator the unit defined itself
    (unit_defined, ``judged``) or a declared target with its own points
    (target_completion, ``scored``). The indicator's score is the sum of its parts'."""

    name: str
    points: Decimal
    raw: Exact
    reason: str | None = None
    status: str = "judged"


@attrs.frozen
class Scored:
    """What a scorer found: the raw score (on the indicator's points) and its trace.

    Numbers in the trace stay exact (Fractions too); they become decimals for people when
    a result is rendered (:func:`~rubriceng.result.plain`, the explanations)."""

    raw: Exact
    """Exact: a Decimal, a Fraction or an int, rounded only by the engine."""
    trace: Mapping[str, Any] = attrs.field(factory=dict)
    parts: tuple[Part, ...] = ()


class Context:
    """What a scorer sees while scoring one indicator for one unit."""

    __slots__ = ("_decimals", "_evaluator", "names", "own", "peer", "points")

    def __init__(
        self,
        evaluator: FormulaEvaluator,
        names: Mapping[str, Any],
        points: Decimal,
        own: Any = None,
        peer: Exact | Mean | None = None,
        decimals: bool = False,
    ) -> None:
        self._evaluator = evaluator
        self.names = names
        self.points = points
        self.own = own
        self.peer = peer
        self._decimals = decimals

    def _exact(self, value: Exact) -> Exact:
        """A number as scorers get it: exact (a Decimal, or a Fraction where no decimal
        is exact); for a plugin's scorer written for Decimals, always a Decimal (exact if
        it terminates, else 34 digits)."""
        if self._decimals:
            return shown(value)
        return int(value) if type(value) is bool else value

    def private(self) -> Context:
        """A copy whose names and own input are copies too: what a plugin's scorer does
        to them stays with the indicator it scores."""
        names = {
            key: list(value) if isinstance(value, list) else value
            for key, value in self.names.items()
        }
        own = copy.deepcopy(self.own) if isinstance(self.own, list | dict) else self.own
        peer = None if self.peer is None else shown(self.peer)
        return Context(self._evaluator, names, self.points, own, peer, decimals=True)

    def value(self, formula: Formula, field: str) -> Any:
        """Evaluate ``formula``; failures name ``field``."""
        try:
            return self._evaluator.evaluate(formula, self.names)
        except FormulaRuntimeError as error:
            raise ScoringFailure(error.code, f"{formula.text}: {error}", field) from None

    def number(self, formula: Formula, field: str) -> Exact:
        """Evaluate ``formula`` and insist on a number (booleans count as 1 and 0)."""
        value = self.value(formula, field)
        if isinstance(value, Decimal | Fraction | int):  # bool is an int
            return self._exact(value)
        raise ScoringFailure("formula-type", f"{formula.text}: expected a number", field)

    def boolean(self, formula: Formula, field: str) -> bool:
        """Evaluate ``formula`` and insist on true or false."""
        value = self.value(formula, field)
        if isinstance(value, bool):
            return value
        raise ScoringFailure("formula-type", f"{formula.text}: expected true or false", field)

    def named_number(self, name: str, field: str) -> Exact:
        """A number already in scope (an input or the indicator's ``value``)."""
        value = self.names[name]
        if isinstance(value, bool) or not isinstance(value, Decimal | Fraction | int):
            raise ScoringFailure("formula-type", f"{name} is not a number", field)
        return self._exact(value)


class Scorer:
    """Base of compiled scoring methods. Subclasses are frozen attrs classes."""

    judged = False
    """True when the score is an assessor's or the unit's judgement (status ``judged``)."""

    def formulas(self) -> tuple[Formula, ...]:
        """Every formula the scorer evaluates (their names are required inputs)."""
        return ()

    def own_input(self) -> Mapping[str, Any] | None:
        """Cerberus rules of the input named after the indicator, if the method needs one."""
        return None

    def peer_statistic(self) -> str | None:
        """``mean`` or ``median`` if the score compares ``value`` with the peers'."""
        return None

    def score(self, context: Context) -> Scored:
        """Score one unit."""
        raise NotImplementedError


class CompileContext:
    """Given to a method's compile function: formulas, problems and the indicator."""

    def __init__(
        self,
        indicator_id: str,
        points: Decimal,
        compile_formula: Callable[[Any, tuple[str | int, ...]], Formula | None],
        report: Callable[[str, str, tuple[str | int, ...]], None],
        declared_inputs: Mapping[str, str],
    ) -> None:
        self.indicator_id = indicator_id
        self.points = points
        self._compile = compile_formula
        self._report = report
        self.declared_inputs = declared_inputs

    def formula(self, text: Any, *field: str | int) -> Formula | None:
        """Compile a formula at ``field`` (relative to the indicator); None if it is bad."""
        return self._compile(text, field)

    def problem(self, code: str, message: str, *field: str | int) -> None:
        """Report a problem at ``field`` (relative to the indicator)."""
        self._report(code, message, field)

    def check_score(self, value: Decimal, *field: str | int) -> None:
        """Report a constant score that lies outside ``[0, points]``."""
        if not ZERO <= value <= self.points:
            self.problem(
                "score-out-of-range", f"score {value} is outside [0, {self.points}]", *field
            )


@attrs.frozen
class Method:
    """A scoring method: the document key, its cerberus rules and its compiler.

    ``words`` say how the keys of its trace read in an explanation, by language:
    ``{"zh": {"bonus": "奖励 {value} 分"}, "en": {"bonus": "bonus {value}"}}``. A key the
    explanation does not know and the method gives no words for is shown as it is.
    """

    key: str
    rules: Mapping[str, Any]
    compile: Callable[[Any, CompileContext], Scorer | None]
    needs_value: bool = False
    summary: str = ""
    words: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)


def _decimal(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _formulas(*formulas: Formula | None) -> tuple[Formula, ...]:
    return tuple(formula for formula in formulas if formula is not None)


# -- score: a free formula ------------------------------------------------------------


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


# -- ratio -------------------------------------------------------------------------------


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
    if_zero = _decimal(spec.get("if_target_zero"))
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


# -- bands ------------------------------------------------------------------------------


@attrs.frozen
class Band:
    """One row of a band table: scores ``score`` for values up to ``bound``."""

    score: Decimal
    bound: Decimal | None = None
    inclusive: bool = True

    def holds(self, value: Exact) -> bool:
        """Whether ``value`` falls in this band, given it was not in an earlier one."""
        if self.bound is None:
            return True
        return value <= self.bound if self.inclusive else value < self.bound

    def describe(self) -> str:
        """The band's condition in words, e.g. ``value ≤ 0.10``."""
        if self.bound is None:
            return "otherwise"
        return f"value {'≤' if self.inclusive else '<'} {self.bound}"


@attrs.frozen
class BandsScorer(Scorer):
    """Ordered bands over ``value``; the first band that holds gives the score."""

    bands: tuple[Band, ...]

    def score(self, context: Context) -> Scored:
        value = context.named_number("value", "value")
        for index, band in enumerate(self.bands):
            if band.holds(value):
                trace = {"value": value, "band": index, "rule": band.describe()}
                return Scored(band.score, trace)
        raise AssertionError("band tables end with 'else'")  # pragma: no cover - checked at load


def _compile_bands(spec: Sequence[Mapping[str, Any]], cc: CompileContext) -> Scorer | None:
    bands: list[Band] = []
    ok = True
    for index, row in enumerate(spec):
        keys = [key for key in ("upto", "below", "else") if key in row]
        if len(keys) != 1:
            cc.problem(
                "band-form",
                "each band has exactly one of 'upto', 'below' or 'else'",
                "bands",
                index,
            )
            ok = False
            continue
        if keys[0] == "else":
            score = Decimal(row["else"])
            if "score" in row:
                cc.problem(
                    "band-form", "'else' carries the score itself: {else: 0}", "bands", index
                )
            band = Band(score)
        else:
            if "score" not in row:
                cc.problem("band-form", "the band needs a 'score'", "bands", index)
                ok = False
                continue
            score = Decimal(row["score"])
            band = Band(score, Decimal(row[keys[0]]), keys[0] == "upto")
        cc.check_score(score, "bands", index)
        bands.append(band)
    if not ok:
        return None
    for index, (before, after) in enumerate(itertools.pairwise(bands), start=1):
        if before.bound is None:
            cc.problem("band-order", "'else' must be the last band", "bands", index - 1)
            return None
        if after.bound is None:
            continue
        if after.bound < before.bound or (
            after.bound == before.bound and not (not before.inclusive and after.inclusive)
        ):
            cc.problem(
                "band-order",
                f"band '{after.describe()}' overlaps or is empty after '{before.describe()}': "
                "bounds must increase (equal bounds only as 'below x' then 'upto x')",
                "bands",
                index,
            )
            return None
    if not bands or bands[-1].bound is not None:
        cc.problem(
            "band-gap", "the last band must be {else: <score>} so every value is covered", "bands"
        )
        return None
    return BandsScorer(tuple(bands))


_BANDS_RULES = {
    "type": "list",
    "minlength": 1,
    "schema": {
        "type": "dict",
        "schema": {
            "upto": {"type": "decimal"},
            "below": {"type": "decimal"},
            "else": {"type": "decimal"},
            "score": {"type": "decimal"},
            "label": {"type": "string"},
        },
    },
}


# -- steps -------------------------------------------------------------------------------


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


# -- checklist --------------------------------------------------------------------------


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
        return _formulas(*(item.fraction for item in self.items))

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


_ID_RULES = {"type": "string", "required": True, "regex": r"[a-z][a-z0-9_]*"}

_CHECKLIST_RULES = {
    "type": "list",
    "minlength": 1,
    "schema": {
        "type": "dict",
        "schema": {
            "id": _ID_RULES,
            "name": {"type": "string", "required": True},
            "name_en": {"type": "string"},
            "points": {"type": "decimal", "required": True, "min": 0, "max": MAX_POINTS},
            "fraction": {"type": "formula"},
            "partial": {"type": "boolean"},
        },
    },
}


# -- deductions ------------------------------------------------------------------------


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
        return _formulas(*(d.when for d in self.deductions), *(d.count for d in self.deductions))

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
                _decimal(row.get("max")),
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


# -- all or nothing ----------------------------------------------------------------------


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


# -- average over periods ------------------------------------------------------------------


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
        return _formulas(self.rates, self.actual, self.target)

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
    cap = _decimal(spec.get("cap_each", ONE))
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


# -- comparison with peers -------------------------------------------------------------------


@attrs.frozen
class PeerScorer(Scorer):
    """Full marks when ``value`` is at least (or above) the peers' mean or median."""

    statistic: str
    compare: str = "at_least"
    given: str | None = None

    def peer_statistic(self) -> str | None:
        return self.statistic

    def score(self, context: Context) -> Scored:
        value = context.named_number("value", "value")
        trace: dict[str, Any] = {"value": value, "statistic": self.statistic}
        if context.peer is not None:
            peer = context.peer
            trace["source"] = "computed over the units scored together"
        elif self.given is not None and context.names.get(self.given) is not None:
            peer = context.named_number(self.given, self.given)
            trace["source"] = f"input {self.given}"
        else:
            hint = f" or supply input {self.given!r}" if self.given else ""
            raise ScoringFailure(
                "peer-statistic-missing",
                f"no peer {self.statistic}: score the unit together with its peers{hint}",
                self.given or "peer",
            )
        met = value >= peer if self.compare == "at_least" else value > peer  # exactly: 2/3 = 2/3
        trace.update(
            peer=peer,
            rule=f"value {'≥' if self.compare == 'at_least' else '>'} peer {self.statistic}",
            met=met,
        )
        return Scored(context.points if met else ZERO, trace)


def _compile_peer(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    given = spec.get("given")
    if given is not None and given not in cc.declared_inputs:
        cc.problem(
            "unknown-input",
            f"'given' names {given!r}, which is not a declared input",
            "peer",
            "given",
        )
        return None
    return PeerScorer(spec.get("statistic", "mean"), spec.get("compare", "at_least"), given)


_PEER_RULES = {
    "type": "dict",
    "schema": {
        "statistic": {"type": "string", "allowed": ["mean", "median"]},
        "compare": {"type": "string", "allowed": ["at_least", "above"]},
        "given": {"type": "string"},
    },
}


# -- assessor judgement ------------------------------------------------------------------------


@attrs.frozen
class JudgementScorer(Scorer):
    """A score chosen by the assessor within bounds, with a written reason (酌情)."""

    minimum: Decimal
    maximum: Decimal
    judged = True

    def own_input(self) -> Mapping[str, Any] | None:
        return {
            "type": "dict",
            "schema": {
                "score": {
                    "type": "decimal",
                    "coerce": "decimal",
                    "required": True,
                    "min": self.minimum,
                    "max": self.maximum,
                },
                "reason": {"type": "string", "required": True, "empty": False},
            },
        }

    def score(self, context: Context) -> Scored:
        return Scored(context.own["score"], {"reason": context.own["reason"]})


def _compile_judgement(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    minimum = Decimal(spec.get("min", ZERO))
    maximum = Decimal(spec.get("max", cc.points))
    cc.check_score(minimum, "judgement", "min")
    cc.check_score(maximum, "judgement", "max")
    if minimum > maximum:
        cc.problem("judgement-bounds", "'min' is above 'max'", "judgement")
    return JudgementScorer(minimum, maximum)


_JUDGEMENT_RULES = {
    "type": "dict",
    "schema": {"min": {"type": "decimal"}, "max": {"type": "decimal"}},
}


# -- unit-defined sub-indicators -------------------------------------------------------------------


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


BUILTIN_METHODS: Mapping[str, Method] = {
    method.key: method
    for method in (
        Method(
            "score",
            {"type": "formula"},
            _compile_formula,
            summary="a free formula with points, value and the inputs in scope",
        ),
        Method(
            "ratio",
            _RATIO_RULES,
            _compile_ratio,
            summary="points × actual / target, capped at points",
        ),
        Method(
            "bands",
            _BANDS_RULES,
            _compile_bands,
            needs_value=True,
            summary="ordered thresholds on value, explicit edges",
        ),
        Method(
            "steps",
            _STEPS_RULES,
            _compile_steps,
            needs_value=True,
            summary="deduct per started or full step of value, floor 0",
        ),
        Method(
            "checklist",
            _CHECKLIST_RULES,
            _compile_checklist,
            summary="criteria worth points, judged or computed, partial credit",
        ),
        Method(
            "deductions",
            _DEDUCTIONS_RULES,
            _compile_deductions,
            summary="full marks less deductions per event or condition, floor 0",
        ),
        Method(
            "all_or_nothing",
            {"type": "formula"},
            _compile_all_or_nothing,
            summary="full marks when a condition holds, else 0",
        ),
        Method(
            "average",
            _AVERAGE_RULES,
            _compile_average,
            summary="points × mean of per-period rates, each capped",
        ),
        Method(
            "peer",
            _PEER_RULES,
            _compile_peer,
            needs_value=True,
            summary="full marks when value reaches the peers' mean or median",
        ),
        Method(
            "judgement",
            _JUDGEMENT_RULES,
            _compile_judgement,
            summary="an assessor's score within bounds, with a reason",
        ),
        Method(
            "unit_defined",
            _UNIT_DEFINED_RULES,
            _compile_unit_defined,
            summary="sub-indicators the unit names itself, judged",
        ),
    )
}
"""The scoring methods every rubric may use, by the key that introduces them."""
