"""The rubric model: frozen attrs classes built by :mod:`rubriceng.language.compiler`.

A :class:`Rubric` is an indicator tree. Leaves carry a compiled scoring method; every
formula in it has been parsed and checked. Objects here are immutable and safe to share
between threads.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any, Protocol

import attrs

from rubriceng.exact import Exact, round_to
from rubriceng.formula.language import Formula
from rubriceng.language.documents import freeze
from rubriceng.language.lookup import find_id


class ScorerProtocol(Protocol):
    """What the model knows of a compiled scoring method (the base class plugins build
    on is :class:`rubriceng.plugin.Scorer`): the formulas it reads, the input it takes
    as its own, the peer statistic it compares with, whether its score is a judgement,
    and how it scores a unit's context."""

    judged: bool

    def formulas(self) -> tuple[Formula, ...]:
        """The formulas the method evaluates."""
        ...

    def own_input(self) -> Mapping[str, Any] | None:
        """The rules of the input named after the indicator, if it takes one."""
        ...

    def peer_statistic(self) -> str | None:
        """``mean`` or ``median`` when it compares with peers."""
        ...

    def score(self, context: Any) -> Any:
        """The raw score and trace (a ``Scored``) of one unit's context."""
        ...


ROUNDING_MODES: Mapping[str, str] = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}
"""Rounding modes a rubric may declare (``half_up`` is the default and the usual rule)."""

CENT = Decimal("0.01")

MAX_POINTS = 1_000_000
"""The most points an indicator, criterion or rubric may have (rubrics use 100)."""

NOT_APPLICABLE_STRATEGIES = ("proportional", "even", "move", "rescale", "full_marks")
"""How the points of a not-applicable indicator are reassigned."""


@attrs.frozen
class Rounding:
    """How each scored leaf is rounded: ``digits`` after the point, ``mode``."""

    digits: int = 2
    mode: str = "half_up"
    quantum: Decimal = attrs.field(init=False, eq=False, repr=False)
    """The smallest step of a rounded score, e.g. ``Decimal("0.01")``."""
    _decimal_mode: str = attrs.field(init=False, eq=False, repr=False)

    @quantum.default
    def _quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.digits)

    @_decimal_mode.default
    def _mode(self) -> str:
        return ROUNDING_MODES[self.mode]

    def apply(self, value: Exact) -> Decimal:
        """``value`` (a Decimal or an exact Fraction) rounded as the rubric says, exactly;
        zero is never ``-0.00``."""
        return round_to(value, self.quantum, self.mode)

    def cap(self, points: Decimal) -> Decimal:
        """The highest rounded score a row of ``points`` may have: ``points`` rounded down
        to the step (2.50 points with whole-point rounding: 2, never 3)."""
        return points.quantize(self.quantum, rounding=ROUND_FLOOR)

    def score(self, raw: Exact, points: Decimal) -> Decimal:
        """``raw`` (at most ``points``) rounded, and never above :meth:`cap`."""
        return min(self.apply(raw), self.cap(points))


def parse_day(raw: int | str, last: bool = False) -> datetime.date:
    """A year (its first day, or its ``last``) or an ISO date ``YYYY-MM-DD``, as a date.

    Raises ValueError for anything else: a year out of 1–9999, a day that is none, a
    value of another kind."""
    try:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return datetime.date(raw, 12, 31) if last else datetime.date(raw, 1, 1)
        if isinstance(raw, str) and len(raw) == 4 and raw.isdigit():
            return parse_day(int(raw), last)
        if isinstance(raw, str):
            return datetime.date.fromisoformat(raw)
    except (ValueError, OverflowError):
        pass
    try:
        shown = repr(raw)
    except ValueError:  # an integer of thousands of digits
        shown = "…"
    raise ValueError(f"{shown} is not a date (YYYY-MM-DD) or a year")


@attrs.frozen
class InForce:
    """The days a rubric is in force: from ``start`` to ``end`` inclusive (open if None)."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def covers(self, day: datetime.date) -> bool:
        """True if the rubric is in force on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        start = self.start.isoformat() if self.start else "…"
        end = self.end.isoformat() if self.end else "…"
        return f"{start} – {end}"


@attrs.frozen
class Grade:
    """A grade (等级) given to totals of at least ``minimum``."""

    name: str
    minimum: Decimal
    name_en: str | None = None
    """The grade's English name (``Excellent``), for ``--lang en``."""


@attrs.frozen
class InputSpec:
    """An input the unit supplies (declared in ``inputs:`` or implied by an indicator)."""

    id: str
    type: str
    label: str | None = None
    unit: str | None = None
    description: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    items: str | None = None
    """The type of each item of a ``list`` input."""
    length: int | None = None
    implicit_for: str | None = None
    """The indicator or adjustment whose own judgement this input carries, if any."""
    default: Decimal | bool | None = None
    """The value taken when a unit does not give the input (an optional input)."""
    optional: bool = False
    """A unit may leave the input out, with no default: formulas then see ``None`` (for a
    method that takes one of two inputs, such as ``target_completion``)."""


@attrs.frozen
class NotApplicable:
    """What happens to an indicator's points when it does not apply (不适用)."""

    strategy: str
    to: tuple[str, ...] = ()


@attrs.frozen
class Case:
    """A special case checked before the scoring method: first ``when`` that holds wins."""

    when: Formula
    score: Decimal
    reason: str | None = None


@attrs.frozen
class Indicator:
    """A node of the indicator tree (指标). Leaves have a ``scorer``; groups have children."""

    id: str
    name: str
    points: Decimal
    children: tuple[Indicator, ...] = ()
    scorer: ScorerProtocol | None = attrs.field(default=None, eq=False, repr=False)
    method: str | None = None
    name_en: str | None = None
    applies: Formula | None = None
    not_applicable: NotApplicable | None = None
    values: tuple[tuple[str, Formula], ...] = ()
    cases: tuple[Case, ...] = ()
    description: str | None = None
    standard: str | None = None
    remarks: str | None = None
    """The table's 备注: where the figures come from, and the like."""
    notes: tuple[str, ...] = ()
    """What the rubric's author says of the indicator, in the rubric's language."""
    notes_en: tuple[str, ...] = ()
    """The same notes in English, where the author gives them."""
    provenance: Mapping[str, Any] | None = attrs.field(default=None, converter=freeze)
    """Where the points and rule come from (the indicator's own, else its rubric's)."""
    source: str | None = None
    """The file the indicator was written in."""
    line: int | None = None
    origin: str | None = None
    """The rubric document (``id@version``) the indicator came from; differs from the
    rubric's own for indicators a variant inherited."""

    @property
    def is_leaf(self) -> bool:
        """True for a scored indicator, False for a group of indicators."""
        return not self.children

    def walk(self) -> Iterator[Indicator]:
        """This indicator and all below it, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen
class Adjustment:
    """A bonus or penalty item outside the total (加减分项): ``per_event`` × events, capped."""

    id: str
    name: str
    per_event: Decimal
    max: Decimal | None = None
    name_en: str | None = None
    description: str | None = None
    standard: str | None = None


@attrs.frozen
class InputNeeds:
    """What a rubric asks of a unit, known once it is compiled (see
    :func:`rubriceng.language.needs.input_needs`).

    Attributes:
        schema: the rules of each input a unit may give (cerberus rules, by input id;
            judged indicators and adjustments included).
        required: the declared inputs each leaf's formulas read, by leaf id.
        users: the indicators that read each input, by input id.
        defaults: the values of optional inputs a unit leaves out.
        optional: the inputs a unit may leave out with no default (formulas see None).
    """

    schema: Mapping[str, Mapping[str, Any]]
    required: Mapping[str, tuple[str, ...]]
    users: Mapping[str, tuple[str, ...]]
    defaults: Mapping[str, Any]
    optional: frozenset[str]


@attrs.frozen
class Rubric:
    """A loaded, validated and compiled rubric (指标评分表). Build it with ``load_rubric``."""

    id: str
    version: str
    title: str
    total: Decimal
    indicators: tuple[Indicator, ...]
    rounding: Rounding = Rounding()
    grades: tuple[Grade, ...] = ()
    inputs: tuple[InputSpec, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    total_bounds: tuple[Decimal, Decimal] | None = None
    level: str | None = None
    region: Mapping[str, Any] | None = attrs.field(default=None, converter=freeze)
    title_en: str | None = None
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    provenance: Mapping[str, Any] | None = attrs.field(default=None, converter=freeze)
    source: str | None = None
    in_force: InForce | None = None
    extends: str | None = None
    """The rubric this one is a variant of (``id@version``), if any."""
    subject: str = "unit"
    """What one result is of: ``unit`` (a budget unit's whole spending, 单位) or
    ``project`` (one project, 项目); batch outputs name their rows so."""
    needs: InputNeeds | None = attrs.field(default=None, eq=False, repr=False)
    """What the rubric asks of a unit; set by the compiler."""
    trace_words: Mapping[str, Mapping[str, Mapping[str, str]]] = attrs.field(
        factory=dict, eq=False, repr=False
    )
    """How the trace keys of the scoring methods it uses read, by method and language
    (the methods' ``words``)."""
    plan: Any = attrs.field(default=None, eq=False, repr=False)
    document: Any = attrs.field(default=None, eq=False, repr=False)
    """The merged document the rubric was compiled from: what travels when the rubric is
    pickled (to a Dask or Spark worker), to be compiled again on arrival."""

    @property
    def ref(self) -> str:
        """``id@version``, the name of this rubric in registries and results."""
        return f"{self.id}@{self.version}"

    def walk(self) -> Iterator[Indicator]:
        """Every indicator, depth first, in document order."""
        for indicator in self.indicators:
            yield from indicator.walk()

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator by its id, its name or a unique beginning of its name;
        :class:`~rubriceng.language.lookup.IndicatorNotFoundError` (a :class:`KeyError` too) with
        suggestions if there is none."""
        nodes = {node.id: node for node in self.walk()}
        if indicator_id in nodes:
            return nodes[indicator_id]
        return nodes[find_id(indicator_id, ((node.id, node.name) for node in nodes.values()))]

    def grade_for(self, total: Decimal) -> str | None:
        """The grade name for a total, or None if the rubric declares no grades."""
        for grade in self.grades:
            if total >= grade.minimum:
                return grade.name
        return None
