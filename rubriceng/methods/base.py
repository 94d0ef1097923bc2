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
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from rubriceng.exact import Exact, Mean, shown
from rubriceng.formula.language import Formula, FormulaEvaluator
from rubriceng.formula.values import FormulaRuntimeError

ZERO = Decimal(0)
ONE = Decimal(1)


class ScoringFailure(Exception):
    """Raised by a scorer when a unit cannot be scored; the engine locates it."""

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        *,
        input: bool = False,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.field = field
        self.input = input
        """True when the unit's inputs are at fault (more tasks done than due, points that
        do not add up): the unit's error is then an InputError, as a wrong input's is."""
        self.params = params
        """What the message is told with in any language, where ``code`` has a template in
        :data:`rubriceng.outputs.words.MESSAGES` (a value may be a
        :class:`~rubriceng.outputs.words.Phrase`); None: the message is read back through
        the code's English templates, or told as it is."""
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
    a result is rendered (:func:`~rubriceng.scoring.result.plain`, the explanations)."""

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


def optional_decimal(value: Decimal | int | None) -> Decimal | None:
    """``value`` as a Decimal, or None."""
    return None if value is None else Decimal(value)


def present(*formulas: Formula | None) -> tuple[Formula, ...]:
    """The formulas that are given (a scorer's optional ones may be None)."""
    return tuple(formula for formula in formulas if formula is not None)


ID_RULES = {"type": "string", "required": True, "regex": r"[a-z][a-z0-9_]*"}
"""The rules of an item's ``id`` in a checklist or a list of deductions."""
