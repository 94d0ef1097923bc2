"""Performance targets (绩效目标): parse what a unit declared, judge what it achieved.

A unit's 绩效目标申报表 has one sheet for the department as a whole and one per project,
each a three-level list of indicators — 一级 成本/产出/效益/满意度指标, 二级 such as 数量,
质量, 时效, 经济效益, 社会效益, 服务对象满意度, 三级 named by the unit — with a target value
for the whole period (实施周期指标值) and for the year (年度指标值), written as people
write them: ``≥90%``, ``2项``, ``5天内``, ``减少10%``, ``≥40.9万``, ``1.3元/户``,
``民兵点验310人次，入队训练61人次``, ``按规定标准发放补助``.

- :func:`parse_target` reads such a value: comparator, number, unit, direction — or flags
  it as needing judgement. Nothing is guessed silently.
- :func:`judge` compares an actual value with a target: met, not met, partly met (with a
  completion ratio capped at 1) or needs judgement; units are checked.
- :func:`load_sheets` reads a 申报表 from YAML/JSON or from an Excel workbook laid out like
  the published form (:func:`write_xlsx` writes one).

The scoring method ``target_completion`` scores 绩效目标完成率 from these rows.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.errors import InputError, Problem
from rubriceng.exact import Exact, divide, multiply, rational, round_to, settled
from rubriceng.formula import Formula
from rubriceng.inputs import MAX_LIST_ITEMS, InputType
from rubriceng.methods import (
    CompileContext,
    Context,
    Method,
    Part,
    Scored,
    Scorer,
    ScoringFailure,
)
from rubriceng.model import CENT, InputSpec
from rubriceng.quantities import Incomparable, Unit, arabic, convert, read_unit
from rubriceng.sanitize import harden_workbook, printable_cells, sheet_title
from rubriceng.tablefiles import open_workbook, sheet_rows
from rubriceng.words import TARGET_WORDS

MET = "met"
NOT_MET = "not_met"
PARTLY_MET = "partly_met"
NEEDS_JUDGEMENT = "needs_judgement"

AT_LEAST, ABOVE, AT_MOST, BELOW, EQUAL = ">=", ">", "<=", "<", "="
COMPARATORS = (AT_LEAST, ABOVE, AT_MOST, BELOW, EQUAL)
"""How an actual value must relate to the target's number."""

TIERS = {
    "达成": MET,
    "部分达成": PARTLY_MET,
    "未达成": NOT_MET,
    MET: MET,
    PARTLY_MET: PARTLY_MET,
    NOT_MET: NOT_MET,
}
"""A person's judgement of a target, in the form's words or rubriceng's."""

_WORDS_BEFORE = (  # longest first: 不低于 before 低于
    ("不低于", AT_LEAST),
    ("不少于", AT_LEAST),
    ("不小于", AT_LEAST),
    ("至少", AT_LEAST),
    ("达到", AT_LEAST),
    ("大于等于", AT_LEAST),
    ("小于等于", AT_MOST),
    ("不高于", AT_MOST),
    ("不超过", AT_MOST),
    ("不大于", AT_MOST),
    ("不多于", AT_MOST),
    ("至多", AT_MOST),
    ("最多", AT_MOST),
    ("低于", BELOW),
    ("少于", BELOW),
    ("小于", BELOW),
    ("高于", ABOVE),
    ("超过", ABOVE),
    ("大于", ABOVE),
    ("多于", ABOVE),
    (">=", AT_LEAST),
    ("≥", AT_LEAST),
    ("≧", AT_LEAST),
    ("=>", AT_LEAST),
    ("<=", AT_MOST),
    ("≤", AT_MOST),
    ("≦", AT_MOST),
    ("=<", AT_MOST),
    (">", ABOVE),
    ("<", BELOW),
    ("=", EQUAL),
)
_WORDS_AFTER = (
    ("及以上", AT_LEAST),
    ("及以下", AT_MOST),
    ("以上", AT_LEAST),
    ("以下", AT_MOST),
    ("以内", AT_MOST),
    ("之内", AT_MOST),
    ("内", AT_MOST),
)
_DIRECTIONS = (
    ("减少", "decrease"),
    ("下降", "decrease"),
    ("降低", "decrease"),
    ("压减", "decrease"),
    ("增加", "increase"),
    ("增长", "increase"),
    ("提高", "increase"),
    ("提升", "increase"),
)
_BASELINES = (
    "较上年度",
    "比上年度",
    "较上年",
    "比上年",
    "较去年",
    "比去年",
    "较上期",
    "比上期",
    "同比",
    "环比",
)
"""Words naming the baseline of a change (同比下降5%): the change is what counts."""
_SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_AT_MOST_NAMES = (
    "误判率",
    "差错",
    "错误率",
    "出错率",
    "发生率",
    "投诉",
    "事故",
    "失误",
    "误差",
    "损失",
    "超支",
    "返工率",
    "故障率",
    "违规",
    "成本",
    "费用",
    "用时",
    "耗时",
    "时长",
    "时限",
    "办结时间",
    "响应时间",
    "等待时间",
)
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_SEPARATORS = re.compile(r"[,;、]")


@attrs.frozen
class Target:
    """A target value as parsed.

    Attributes:
        text: the value as written.
        comparator: ``>=``, ``>``, ``<=``, ``<`` or ``=``, as written (words included:
            不低于, 以内, …); None when the value has none (see :meth:`implied`).
        number: the number, scaled (``40.9万`` is 409000) and, for ``%``, ``‰`` and
            ``个百分点``, a fraction (``90%`` is 0.9, ``0.5‰`` 0.0005).
        unit: the unit as written after its scale: ``%``, ``‰``, ``个百分点``, ``元``,
            ``元/户``, ``公里``, ``分钟``, ``分``, or the measure word and noun of a count
            (``项``, ``人次``, ``家企业``; empty for a bare number).
        direction: ``decrease`` or ``increase`` for a change against a baseline
            (``同比下降5%``, ``较上年提高2个百分点``): the number is the change the actual
            must reach, relative (``%``) or in percentage points (``个百分点``).
        label: the name written before the value (``满意度≥90%``, ``民兵点验310人次``).
        parts: the parts of a compound value, each a Target.
        judgement: True for text with no number (``按规定标准发放补助``): a person decides.
    """

    text: str
    comparator: str | None = None
    number: Decimal | None = None
    unit: str = ""
    direction: str | None = None
    label: str | None = None
    parts: tuple[Target, ...] = ()
    judgement: bool = False

    @property
    def quantity(self) -> Unit:
        """The unit, read: its kind (money, length, time, count, …) and measure."""
        return read_unit(self.unit, zero=self.number == 0) or Unit(self.unit, "count")

    @property
    def kind(self) -> str:
        """``percent``, ``points``, ``money``, ``length``, ``area``, ``time``, ``score``,
        ``per`` or ``count``: what units an actual may have."""
        return unit_kind(self.unit)

    def describe(
        self, comparator: str | None = None, lang: str = "zh", *, implied: bool = False
    ) -> str:
        """The parsed form in words, ``lang`` ``zh`` or ``en``: ``不低于 90%``,
        ``at least 90%``; ``需人工判断``, ``needs judgement``. ``implied`` marks a
        comparator the indicator implies rather than the value states (``（默认）``)."""
        words = TARGET_WORDS[lang]
        if self.judgement:
            return words[NEEDS_JUDGEMENT]
        if self.parts:
            return words["all"] + words[";"].join(
                f"{part.label} {part.describe(comparator, lang, implied=implied)}"
                for part in self.parts
            )
        how = words[comparator or self.comparator or AT_LEAST]
        change = words[self.direction] if self.direction else ""
        mark = words["implied"] if implied and self.comparator is None else ""
        return f"{change}{how} {amount(self.number, self.unit)}{mark}"

    def implied(self, level1: str = "", level2: str = "", name: str = "") -> str:
        """The comparator: as written, else implied by the value and the indicator.

        A target of zero (``0起``, ``零事故``) is at most zero; a change (``下降10%``) must
        reach at least its number; 成本 indicators, and incident, complaint, error, cost
        and time-limit words in the name (事故, 投诉, 差错, 误判率, 费用, 用时, …), are at
        most; everything else (数量, 质量, 时效 rates, 效益, 满意度) is at least.
        """
        if self.comparator is not None:
            return self.comparator
        if self.direction is not None:
            return AT_LEAST
        if self.number == 0:
            return AT_MOST
        if "成本" in level1 or "成本" in level2 or any(word in name for word in _AT_MOST_NAMES):
            return AT_MOST
        return AT_LEAST


"""The words of parsed forms and judgements, by language."""


def unit_kind(unit: str) -> str:
    """The kind of a unit as :class:`Target` has it: ``percent``, ``points``, ``money``,
    ``length``, ``area``, ``time``, ``score``, ``per`` or ``count`` (a bare number, or
    words of a zero target, count)."""
    found = read_unit(unit, zero=True)
    return found.kind if found is not None and found.kind else "count"


def amount(number: Exact | None, unit: str) -> str:
    """A number in its unit as people write it: ``90%``, ``0.5‰``, ``2 个百分点``,
    ``3 公里``. A number that has no finite decimal (2000/3) is shown to four places,
    with ``≈``."""
    if number is None:
        return ""
    if unit in ("%", "‰"):
        return f"{_plain(rational(number) * (100 if unit == '%' else 1000))}{unit}"
    if unit == "个百分点":
        return f"{_plain(rational(number) * 100)} {unit}"
    return _plain(number) + (f" {unit}" if unit else "")


def _plain(number: Exact | None) -> str:
    if number is None:
        return ""
    number = settled(number)
    if isinstance(number, Fraction):
        return "≈" + format(round_to(number, Decimal("0.0001")).normalize(), "f")
    return format(Decimal(number).normalize(), "f")


def _normal(text: str) -> str:
    """Full-width forms made half-width (NFKC), spaces removed, ㎡ and m² as 平方米 (NFKC
    would make them m2, a number)."""
    for sign, unit in _SIGNS:
        text = text.replace(sign, unit)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_SIGNS = (("㎡", "平方米"), ("m²", "平方米"), ("㎢", "平方公里"), ("㎞", "公里"))


@isolated
@functools.lru_cache(maxsize=4096)
def parse_target(text: str) -> Target:
    """Parse a target value as a unit wrote it (cached: a batch repeats the same targets).

    >>> parse_target("≥90%").describe()
    '不低于 90%'
    >>> parse_target("5天内").describe(lang="en")
    'at most 5 天'
    >>> parse_target("≥40.9万").number
    Decimal('409000.0')
    >>> parse_target("减少10%").describe()
    '减少幅度不低于 10%'
    >>> parse_target("民兵点验310人次，入队训练61人次").describe(lang="en")
    'all of: 民兵点验 at least 310 人次; 入队训练 at least 61 人次'
    >>> parse_target("按规定标准发放补助").judgement
    True
    >>> parse_target("满意度≥百分之九十").label, parse_target("≥三次").describe()
    ('满意度', '不低于 3 次')
    """
    clean = arabic(_normal(text))
    if not _NUMBER.search(clean):
        return Target(text, judgement=True)
    pieces = [piece for piece in _SEPARATORS.split(clean) if piece]
    if len(pieces) > 1 and all(_NUMBER.search(piece) for piece in pieces):
        parts = tuple(_single(piece, piece, labelled=True) for piece in pieces)
        if all(part is not None for part in parts):
            return Target(text, parts=tuple(part for part in parts if part is not None))
    single = _single(clean, text, labelled=False)
    return single if single is not None else Target(text, judgement=True)


_SHAPE = re.compile(r"^(?P<before>\D*?)(?P<number>\d+(?:\.\d+)?)(?P<after>\D*)$")


def _single(clean: str, text: str, *, labelled: bool) -> Target | None:
    """One value: [label][:][baseline][direction][comparator] number [scale][unit][以上…]."""
    match = _SHAPE.match(clean)
    if match is None:
        return None
    before, after = match.group("before"), match.group("after")
    comparator = direction = None
    for word, found in _DIRECTIONS:
        if word in before:
            direction, before = found, before.replace(word, "", 1)
            break
    for word, found in _WORDS_BEFORE:
        if before.endswith(word):
            comparator, before = found, before[: -len(word)]
            break
    if direction is not None:
        for word in _BASELINES:
            if before.endswith(word):
                before = before[: -len(word)]
                break
    separated = before.endswith(":")
    if comparator == EQUAL and before:  # 满意度=90%: the = separates the name from the value
        comparator, separated = None, True
    label = before.rstrip(":") or None
    if label is not None and not labelled and not (separated or comparator or direction):
        return None  # text before the number that is not a label: not a target form
    for word, found in _WORDS_AFTER:
        if after.endswith(word) and comparator is None:
            comparator, after = found, after[: -len(word)]
            break
    try:
        number = Decimal(match.group("number"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    if after[:1] in _SCALES and (len(after) == 1 or read_unit(after[1:]) is not None):
        number *= _SCALES[after[0]]
        after = after[1:]
    unit = read_unit(after, zero=number == 0)
    if unit is None:
        return None  # 2026年底前完成 and the like: words, not a unit — a person judges
    if unit.text in ("%", "‰", "个百分点"):
        number /= 100 if unit.text != "‰" else 1000
    return Target(text, comparator, number, unit.text, direction, label)


# -- judging -------------------------------------------------------------------------------


@attrs.frozen
class Judgement:
    """How an actual value compares with a target.

    ``status`` is ``met``, ``not_met``, ``partly_met`` or ``needs_judgement``;
    ``completion`` is actual ÷ target (target ÷ actual for at-most targets), capped at 1,
    exactly (a ``Decimal``, or a ``Fraction`` such as 2/3; None when a person must judge);
    ``reason`` says why, in words (Chinese or English); ``achieved`` is the same ratio
    before the cap (1.6 for 160 against ≥100), where one is defined.
    """

    status: str
    completion: Exact | None
    reason: str
    achieved: Exact | None = attrs.field(default=None, repr=False)


class UnitMismatch(ValueError):
    """An actual value whose unit cannot be compared with the target's (``52次`` for ``%``,
    ``3个月`` for ``≤90天``), or a change judged without its baseline."""


def _given(value: Any, what: str) -> tuple[Fraction, Target | None]:
    """A number as given: (its value, the parsed text or None for a bare number)."""
    if isinstance(value, bool):
        raise UnitMismatch(f"expected a number for {what}, got {value}")
    if isinstance(value, int | Decimal | float):
        if (
            isinstance(value, float | Decimal)
            and not Decimal(repr(value) if isinstance(value, float) else value).is_finite()
        ):
            raise UnitMismatch(f"expected a finite number for {what}, got {value}")
        return rational(Decimal(repr(value)) if isinstance(value, float) else value), None
    if isinstance(value, str):
        parsed = parse_target(value)
        if parsed.judgement or parsed.parts or parsed.number is None:
            raise UnitMismatch(f"{value!r} is not a number to compare with {what}")
        return rational(parsed.number), parsed
    raise UnitMismatch(f"expected a number for {what}, got {type(value).__name__}")


def actual_value(value: Any, target: Target) -> Exact:
    """An actual value in the target's terms, exactly: numbers as they are — for a ``%``
    target a fraction, as rates are everywhere in rubriceng (``0.95``, ``"0.95"``) — and
    text parsed like a target (``95%``, ``41.2万``, ``50次``, ``2.5小时``), converted to
    the target's unit where the conversion is exact (``150分钟`` for ``≤3小时`` is 2.5).
    Units that measure different things (``人次`` and ``人``, ``月`` and ``天``, a count and
    a ``%``) are refused, and so is a bare number above 10 for a ``%`` target of at most
    1000% (``95`` for ``≥90%``), as a percentage written without its ``%``."""
    number, parsed = _given(value, repr(target.text))
    if parsed is not None and parsed.direction is not None:
        raise UnitMismatch(f"{value!r} is a change; {target.text!r} is not")
    if parsed is not None and parsed.unit:
        try:
            number = convert(number, parsed.quantity, target.quantity)
        except Incomparable:
            raise UnitMismatch(
                f"{value!r} is a {parsed.kind} ({parsed.unit}) and {target.text!r} a "
                f"{target.kind}{f' ({target.unit})' if target.unit else ''}: "
                "they cannot be compared"
            ) from None
    goal = rational(target.number or 0)
    if (parsed is None or not parsed.unit) and target.unit == "%" and number > 10 >= goal:
        raise UnitMismatch(
            f"{value} for the % target {target.text!r}: write {value}% or a fraction "
            f"({_plain(number / 100)})"
        )
    return settled(number)


def _change(target: Target, actual: Any, baseline: Any) -> tuple[Fraction, str]:
    """The change from ``baseline`` to ``actual`` in the target's terms (a fraction of the
    baseline for ``%``, a difference of rates for ``个百分点``), positive in the target's
    direction, and the words for it."""
    number, parsed = _given(actual, repr(target.text))
    if parsed is not None and parsed.direction is not None:  # the change itself: 减少12%
        if parsed.unit != target.unit and {parsed.unit, target.unit} != {"%", "‰"}:
            raise UnitMismatch(
                f"{actual!r} and {target.text!r}: a change in {parsed.unit or 'a number'} "
                f"is not a change in {target.unit}"
            )
        return (number if parsed.direction == target.direction else -number), ""
    if baseline is None:
        raise UnitMismatch(
            f"{target.text!r} is a change against a baseline: give the baseline "
            "(上年实际值, 'baseline'), or write the actual value as the change "
            f"(e.g. '{'减少' if target.direction == 'decrease' else '增加'}12%')"
        )
    before, base_parsed = _given(baseline, f"the baseline of {target.text!r}")
    points = target.unit == "个百分点"
    if points:  # both are rates; the change is their difference
        for value, found in ((number, parsed), (before, base_parsed)):
            if (found is not None and found.kind != "percent") or (found is None and value > 10):
                raise UnitMismatch(
                    f"{target.text!r} is a change in percentage points: give the actual "
                    "value and the baseline as rates (93%, or 0.93)"
                )
    elif parsed is not None and base_parsed is not None and (parsed.unit or base_parsed.unit):
        try:
            number = convert(number, parsed.quantity, base_parsed.quantity)
        except Incomparable:
            raise UnitMismatch(
                f"{actual!r} and its baseline {baseline!r} cannot be compared"
            ) from None
    difference = number - before
    if target.direction == "decrease":
        difference = -difference
    if points:
        return difference, ""
    if before <= 0:
        raise UnitMismatch(
            f"the baseline of {target.text!r} is {baseline}: a change relative to it is not defined"
        )
    return difference / before, ""


@isolated
def judge(
    target: Target,
    actual: Any,
    comparator: str | None = None,
    lang: str = "zh",
    *,
    baseline: Any = None,
    implied: bool = False,
) -> Judgement:
    """Judge ``actual`` against ``target``, exactly; ``comparator`` overrides the
    target's, ``lang`` (``zh`` or ``en``) is the language of the reason, ``implied`` marks
    the comparator as implied in it, and ``baseline`` is the value a change
    (``同比下降5%``) is measured from.

    ``actual`` is a number (a fraction for ``%`` targets), text in the target's units
    (``"95%"``, ``"41.2万"``, ``"2.5小时"``), a change as written (``"减少12%"``), a mapping
    of part label to value for a compound target, or ``True``/``False`` for one that
    needs judgement. Raises :class:`UnitMismatch`.

    >>> judge(parse_target("≥90%"), "95%").status
    'met'
    >>> judge(parse_target("2项"), 1)
    Judgement(status='partly_met', completion=Decimal('0.5'), reason='实际 1，目标不低于 2 项')
    >>> judge(parse_target("2项"), 1, lang="en").reason
    '1 against at least 2 项'
    >>> judge(parse_target("≤3日"), 4).completion
    Decimal('0.75')
    >>> judge(parse_target("同比下降5%"), "95万元", baseline="100万元").status
    'met'
    """
    words = TARGET_WORDS[lang]
    if target.judgement:
        if isinstance(actual, bool):
            return Judgement(MET if actual else NOT_MET, Decimal(int(actual)), words["judged"])
        return Judgement(NEEDS_JUDGEMENT, None, words["person"].format(text=target.text))
    if target.parts:
        return _judge_parts(target, actual, comparator, lang, implied)
    assert target.number is not None
    goal = rational(target.number)
    how = comparator or target.comparator or AT_LEAST
    if target.direction is not None:
        value, _ = _change(target, actual, baseline)
        moved = words[
            "decreased" if (value >= 0) == (target.direction == "decrease") else "increased"
        ]
        shown = f"{moved} {amount(abs(value), target.unit)}"
        if baseline is not None and not (
            isinstance(actual, str) and parse_target(actual).direction
        ):
            shown = words["change"].format(
                direction=moved,
                change=amount(abs(value), target.unit),
                baseline=baseline,
                actual=actual,
            )
    else:
        value = rational(actual_value(actual, target))
        shown = amount(value, target.unit if target.unit in ("%", "‰") else "")
    met = {
        AT_LEAST: value >= goal,
        ABOVE: value > goal,
        AT_MOST: value <= goal,
        BELOW: value < goal,
        EQUAL: value == goal,
    }[how]
    achieved: Fraction | None
    if how in (AT_MOST, BELOW):
        achieved = None if value <= 0 else goal / value
        ratio = Fraction(1) if achieved is None else achieved
    elif how == EQUAL:
        achieved = None
        ratio = min(value, goal) / max(value, goal) if max(value, goal) > 0 else Fraction(1)
    else:
        achieved = None if goal <= 0 else value / goal
        ratio = Fraction(1) if achieved is None else achieved
    ratio = max(Fraction(0), min(Fraction(1), ratio))
    reason = words["against"].format(
        actual=shown, target=target.describe(how, lang, implied=implied)
    )
    kept = None if achieved is None else settled(achieved)
    if met:
        return Judgement(MET, Decimal(1), reason, kept)
    return Judgement(PARTLY_MET if ratio > 0 else NOT_MET, settled(ratio), reason, kept)


def _judge_parts(
    target: Target, actual: Any, comparator: str | None, lang: str, implied: bool
) -> Judgement:
    if isinstance(actual, str):
        given = parse_target(actual)
        values: Mapping[str, Any] = {
            part.label or "": f"{_plain(part.number)}{part.unit}" for part in given.parts
        }
        if not given.parts:
            raise UnitMismatch(f"{actual!r} does not give the parts of {target.text!r}")
    elif isinstance(actual, Mapping):
        values = actual
    else:
        raise UnitMismatch(f"give each part of {target.text!r}: a mapping of label to value")
    missing = [part.label for part in target.parts if part.label not in values]
    if missing:
        raise UnitMismatch(f"no actual value for {', '.join(map(str, missing))}")
    judged = [
        judge(
            attrs.evolve(part, label=None),
            values[str(part.label)],
            comparator,
            lang,
            implied=implied,
        )
        for part in target.parts
    ]
    ratio = sum((rational(j.completion or 0) for j in judged), Fraction(0)) / len(judged)
    words = TARGET_WORDS[lang]
    reason = words[";"].join(
        words["part"].format(label=part.label, reason=j.reason)
        for part, j in zip(target.parts, judged, strict=True)
    )
    if all(j.status == MET for j in judged):
        return Judgement(MET, Decimal(1), reason)
    return Judgement(PARTLY_MET if ratio > 0 else NOT_MET, settled(ratio), reason)


# -- sheets --------------------------------------------------------------------------------


@attrs.frozen
class TargetRow:
    """One three-level indicator of a target sheet, with the unit's actual value if known.

    ``comparator`` overrides the implied one; ``met`` is a person's judgement (for values
    that need one, or to overrule), and ``tier`` one in three tiers (达成, 部分达成,
    未达成); ``baseline`` is the value a change is measured from (上年实际值); ``reason``
    is the 偏差原因 of a target not met.
    """

    level1: str
    level2: str
    name: str
    period_value: str | None = None
    annual_value: str | None = None
    actual: Any = None
    comparator: str | None = None
    met: bool | None = None
    line: int | None = None
    points: Decimal | None = None
    """The row's 分值 where the form gives one (a self-evaluation form weighs each 三级
    indicator); rows without points weigh the same."""
    baseline: Any = None
    tier: str | None = None
    reason: str | None = None

    @property
    def value(self) -> str | None:
        """The year's target value, else the period's."""
        return self.annual_value or self.period_value

    def target(self) -> Target:
        """The parsed target value."""
        return parse_target(self.value or "")

    def comparator_used(self) -> str:
        """The comparator that applies: the row's override, as written, or implied."""
        return self.comparator or self.target().implied(self.level1, self.level2, self.name)

    def comparator_implied(self) -> bool:
        """Whether the comparator is implied (neither written in the value nor the row's)."""
        target = self.target()
        return (
            self.comparator is None
            and target.comparator is None
            and not target.judgement
            and target.direction is None
        )

    def judgement(self, lang: str = "zh") -> Judgement | None:
        """The row's judgement, its reason in ``lang``; None if it has no actual value, no
        ``met`` and no ``tier``."""
        judged = TARGET_WORDS[lang]["judged"]
        if self.tier is not None:
            status = TIERS.get(self.tier)
            if status is None:
                raise UnitMismatch(f"{self.tier!r} is not a tier: 达成, 部分达成 or 未达成")
            done = {MET: Decimal(1), NOT_MET: Decimal(0)}.get(status)
            return Judgement(status, done, judged)
        if self.met is not None:
            return Judgement(MET if self.met else NOT_MET, Decimal(int(self.met)), judged)
        if self.actual is None:
            return None
        return judge(
            self.target(),
            self.actual,
            self.comparator_used(),
            lang,
            baseline=self.baseline,
            implied=self.comparator_implied(),
        )


@attrs.frozen
class KeyTask:
    """A 年度重点工作任务 of the department's sheet: what, how, the funds (元), the aim."""

    name: str
    content: str | None = None
    funds: Decimal | None = None
    goal: str | None = None


@attrs.frozen
class TargetSheet:
    """One sheet of a 申报表: the department's overall targets or one project's."""

    name: str
    kind: str = "project"
    """``department`` or ``project``."""
    unit: str | None = None
    year: int | None = None
    period: tuple[int | None, int | None] = (None, None)
    budget: Decimal | None = None
    """The year's budget, in 元."""
    spent: Decimal | None = None
    """What was spent of it, in 元, where known (for 预算执行率)."""
    rows: tuple[TargetRow, ...] = ()
    source: str | None = None
    amounts: Mapping[str, Decimal] = attrs.field(factory=dict)
    """Budget lines as the form prints them (基本支出, 项目支出, 财政拨款, …), in 元."""
    tasks: tuple[KeyTask, ...] = ()
    """The department's 年度重点工作任务."""
    goal: str | None = None
    """The 总体绩效目标 (the year's, for a project)."""

    def as_input(self, levels: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The rows (of the level-1 groups ``levels``, else all) as the ``targets`` input of
        a rubric (method ``target_completion``)."""
        rows = [row for row in self.rows if levels is None or row.level1 in levels]
        return [
            {
                key: value
                for key, value in (
                    ("level1", row.level1),
                    ("level2", row.level2),
                    ("name", row.name),
                    ("target", row.value),
                    ("actual", row.actual),
                    ("comparator", row.comparator),
                    ("met", row.met),
                    ("points", row.points),
                    ("baseline", row.baseline),
                    ("tier", row.tier),
                    ("reason", row.reason),
                )
                if value is not None
            }
            for row in rows
        ]

    def project_inputs(self) -> dict[str, Any]:
        """The inputs of the project rubric ``cn/project-self-evaluation``: budget, spent
        and the targets by level-1 group (成本 with 产出)."""
        inputs: dict[str, Any] = {
            "output_targets": self.as_input(("成本指标", "产出指标")),
            "effect_targets": self.as_input(("效益指标",)),
            "satisfaction_targets": self.as_input(("满意度指标",)),
        }
        if self.budget is not None:
            inputs["budget"] = self.budget
        if self.spent is not None:
            inputs["spent"] = self.spent
        return inputs


def row_of(data: Mapping[str, Any], line: int | None = None) -> TargetRow:
    """A row from a mapping: a sheet's (``annual``, ``period``) or a ``targets`` input's
    (``target``), with ``level1, level2, name, actual, comparator, met, points, baseline,
    tier, reason``."""
    return TargetRow(
        str(data.get("level1", "")),
        str(data.get("level2", "")),
        str(data.get("name", "")),
        _text(data.get("period")),
        _text(data.get("annual", data.get("target"))),
        data.get("actual"),
        data.get("comparator"),
        data.get("met"),
        line,
        _decimal(data.get("points")),
        data.get("baseline"),
        _text(data.get("tier")),
        _text(data.get("reason")),
    )


def _decimal(value: Any, scale: Decimal = Decimal(1)) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value).replace(",", "")) * scale


_ROW_KEYS = ("level1", "level2", "name", "period", "annual", "actual")


def _row_problems(document: Any) -> list[Problem]:
    """Rows written as lists become mappings (in place); a list of the wrong length is a
    problem. Target values written as numbers become text."""
    found: list[Problem] = []
    sheets = document.data.get("sheets") if isinstance(document.data, dict) else None
    for index, sheet in enumerate(sheets if isinstance(sheets, list) else ()):
        rows = sheet.get("rows") if isinstance(sheet, dict) else None
        if not isinstance(rows, list):
            continue
        for number, row in enumerate(rows):
            if isinstance(row, list):
                if not 5 <= len(row) <= 6:
                    found.append(
                        document.problem(
                            "targets-form",
                            "a row is [一级指标, 二级指标, 三级指标, 实施周期指标值, "
                            "年度指标值] and optionally the actual value",
                            ("sheets", index, "rows", number),
                        )
                    )
                    continue
                row = dict(zip(_ROW_KEYS, row, strict=False))
                rows[number] = row
            if isinstance(row, dict):
                for key in ("period", "annual"):
                    if isinstance(row.get(key), int | Decimal) and not isinstance(
                        row.get(key), bool
                    ):
                        row[key] = str(row[key])
    return found


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


_UNIT_SCALES = {"元": Decimal(1), "万元": Decimal(10_000)}

_SHEET_SCHEMA: dict[str, Any] = {
    "name": {"type": "string", "required": True, "empty": False},
    "kind": {"type": "string", "allowed": ["department", "project"]},
    "period": {
        "type": "list",
        "minlength": 2,
        "maxlength": 2,
        "schema": {"type": "integer", "nullable": True},
    },
    "budget": {"type": ["decimal", "integer", "string"]},
    "spent": {"type": ["decimal", "integer", "string"]},
    "money_unit": {"type": "string", "allowed": list(_UNIT_SCALES)},
    "notes": {"type": ["string", "list"]},
    "goal": {"type": "string"},
    "amounts": {
        "type": "dict",
        "keysrules": {"type": "string"},
        "valuesrules": {"type": ["decimal", "integer"]},
    },
    "tasks": {
        "type": "list",
        "schema": {
            "type": "dict",
            "schema": {
                "name": {"type": "string", "required": True, "empty": False},
                "content": {"type": "string"},
                "funds": {"type": ["decimal", "integer"]},
                "goal": {"type": "string"},
            },
        },
    },
    "rows": {
        "type": "list",
        "required": True,
        "schema": {
            "type": "dict",
            "schema": {
                "level1": {"type": "string", "required": True},
                "level2": {"type": "string", "required": True},
                "name": {"type": "string", "required": True, "empty": False},
                "period": {"type": "string", "nullable": True},
                "annual": {"type": "string", "nullable": True},
                "actual": {"nullable": True},
                "comparator": {"type": "string", "allowed": list(COMPARATORS)},
                "met": {"type": "boolean"},
                "points": {"type": ["decimal", "integer"], "min": 0},
                "baseline": {"nullable": True},
                "tier": {"type": "string", "allowed": list(TIERS)},
                "reason": {"type": "string", "nullable": True},
            },
        },
    },
}
_BOOK_SCHEMA: dict[str, Any] = {
    "unit": {"type": "string"},
    "year": {"type": "integer"},
    "notes": {"type": ["string", "list"]},
    "sheets": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "schema": {"type": "dict", "schema": _SHEET_SCHEMA},
    },
}


@isolated
def load_sheets(source: str | os.PathLike[str] | Mapping[str, Any]) -> list[TargetSheet]:
    """The sheets of a 申报表: a YAML/JSON file or mapping ``{unit, year, sheets: [...]}``,
    or an ``.xlsx`` workbook laid out like the published form (one sheet per worksheet).

    A YAML sheet is ``{name, kind, period: [start, end], budget, money_unit, rows}``;
    each row ``[一级, 二级, 三级, 实施周期指标值, 年度指标值]`` (optionally a sixth item,
    the actual value) or a mapping with ``level1, level2, name, period, annual, actual,
    comparator, met, points`` (``points``: the row's 分值 in a self-evaluation form).
    Problems are reported all at once with their lines.

    >>> sheets = load_sheets("examples/huizhou-2026-targets.yaml")
    >>> [(sheet.name, len(sheet.rows)) for sheet in sheets[:2]]
    [('市府办 部门整体', 33), ('援派干部经费', 5)]
    >>> sheets[1].rows[0].target().describe()
    '不低于 3 人'
    """
    from rubriceng.documents import is_workbook, name_of, read_input
    from rubriceng.schema import make_validator, problems

    if is_workbook(source):
        return read_xlsx(source)
    document = read_input(source, "targets")
    validator = make_validator(_BOOK_SCHEMA)
    found_rows = _row_problems(document)
    if found_rows:
        raise InputError(f"cannot read targets {name_of(source)}", found_rows)
    if not isinstance(document.data, dict) or not validator.validate(document.data):
        found = (
            problems(validator, document, code="targets-form")
            if isinstance(document.data, dict)
            else [document.problem("targets-form", "a targets file is a mapping with 'sheets'", ())]
        )
        raise InputError(f"cannot read targets {name_of(source)}", found)
    data = document.data
    sheets = []
    for index, raw in enumerate(data["sheets"]):
        scale = _UNIT_SCALES[raw.get("money_unit", "元")]
        period = tuple(raw.get("period") or (None, None))
        rows = tuple(
            row_of(row, document.line_of(("sheets", index, "rows", number)))
            for number, row in enumerate(raw["rows"])
        )
        amounts = {
            name: Decimal(value) * scale for name, value in (raw.get("amounts") or {}).items()
        }
        tasks = tuple(
            KeyTask(
                task["name"], task.get("content"), _decimal(task.get("funds")), task.get("goal")
            )
            for task in raw.get("tasks") or ()
        )
        sheets.append(
            TargetSheet(
                raw["name"],
                raw.get("kind", "project"),
                data.get("unit"),
                data.get("year"),
                (period[0], period[1]),
                _decimal(raw.get("budget"), scale),
                _decimal(raw.get("spent"), scale),
                rows,
                document.source,
                amounts,
                tasks,
                raw.get("goal"),
            )
        )
    return sheets


# -- Excel, laid out like the published form -------------------------------------------------

_HEADINGS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "实施周期指标值",
    "年度指标值",
    "实际完成值",
    "分值",
)
_EXTRA = (("上年实际值", "baseline"), ("达成情况", "tier"), ("偏差原因", "reason"))
"""Columns a sheet has when any of its rows uses them: heading, row attribute."""


def write_xlsx(sheets: Sequence[TargetSheet], path: str | os.PathLike[str]) -> None:
    """Write ``sheets`` as a workbook like the published 申报表: one worksheet each, the
    project's details, then the indicator table with a column for the actual values."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    for empty in list(book.worksheets):
        book.remove(empty)
    bold = Font(name="宋体", bold=True)
    for index, sheet in enumerate(sheets, start=1):
        page = book.create_sheet(sheet_title(f"{index:02d} {sheet.name}"))
        title = "部门整体预算绩效目标申报表" if sheet.kind == "department" else "项目绩效目标表"
        weighed = any(row.points is not None for row in sheet.rows)
        extra = [
            (heading, key)
            for heading, key in _EXTRA
            if any(getattr(row, key) is not None for row in sheet.rows)
        ]
        lines: list[list[Any]] = [
            [title],
            ["部门名称" if sheet.kind == "department" else "项目名称", sheet.name],
            ["用款单位", sheet.unit],
            ["实施周期", "起始年度", sheet.period[0], "到期年度", sheet.period[1]],
            [f"{sheet.year or ''}年预算金额", sheet.budget],
            ["实际支出金额", sheet.spent],
            ["年度绩效目标", sheet.goal],
            [],
            [*(_HEADINGS if weighed else _HEADINGS[:-1]), *(heading for heading, _ in extra)],
        ]
        lines += [
            [
                row.level1,
                row.level2,
                row.name,
                row.period_value,
                row.annual_value,
                row.actual if not isinstance(row.actual, Mapping) else None,
                *([row.points] if weighed else []),
                *(_cell(getattr(row, key)) for _, key in extra),
            ]
            for row in sheet.rows
        ]
        for line in lines:
            page.append(printable_cells(line))
        page["A1"].font = Font(name="宋体", bold=True, size=14)
        for cell in page[9]:
            cell.font = bold
        widths = (12, 16, 40, 18, 18, 18, 8, 18, 12, 30)
        for letter, width in zip("ABCDEFGHIJ", widths, strict=True):
            page.column_dimensions[letter].width = width
        for cells in page.iter_rows(min_row=10):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    harden_workbook(book)
    book.save(path)


def _cell(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | Decimal) else str(value)


def read_xlsx(path: str | os.PathLike[str]) -> list[TargetSheet]:
    """Sheets from a workbook laid out like the published form: a worksheet per sheet
    with 部门名称 or 项目名称, 用款单位, 实施周期, 预算金额 and the indicator table under a
    heading row 一级指标 | 二级指标 | 三级指标 | 实施周期指标值 | 年度指标值 [| 实际完成值]
    [| 分值]. Blank 一级/二级 cells (merged in the form) repeat the cell above."""
    book = open_workbook(path, "targets")
    sheets = []
    problems: list[Problem] = []
    for page in book.worksheets:
        found = _read_page(page, str(path), problems)
        if found is not None:
            sheets.append(found)
    book.close()
    if problems or not sheets:
        heading = "no worksheet has a heading row 一级指标 | 二级指标 | 三级指标"
        problems = problems or [Problem("targets-form", heading, file=str(path))]
        raise InputError(f"cannot read targets {path}", problems)
    return sheets


def _read_page(page: Any, source: str, problems: list[Problem]) -> TargetSheet | None:
    details: dict[str, Any] = {}
    rows: list[TargetRow] = []
    heading: list[str] | None = None
    level1 = level2 = ""
    for number, cells in sheet_rows(page, source, "targets"):
        values = [None if cell is None else str(cell).strip() for cell in cells]
        values = [value or None for value in values]
        if heading is None:
            if values and "三级指标" in values:
                heading = [value or "" for value in values]
                continue
            if values and values[0]:
                details[values[0]] = list(values[1:])
            continue
        if not any(values):
            continue
        cell = dict(zip(heading, values, strict=False))
        raw = dict(zip(heading, cells, strict=False)).get("实际完成值")
        actual = raw.strip() or None if isinstance(raw, str) else raw
        level1 = cell.get("一级指标") or level1
        level2 = cell.get("二级指标") or level2
        name = cell.get("三级指标")
        if not name:
            continue  # a category without indicators
        try:
            points = _decimal(cell.get("分值"))
        except InvalidOperation:
            problems.append(
                Problem(
                    "targets-form",
                    f"分值 {cell.get('分值')!r} is not a number",
                    file=source,
                    line=number,
                    path=page.title,
                )
            )
            continue
        raws = dict(zip(heading, cells, strict=False))
        baseline = raws.get("上年实际值")
        rows.append(
            TargetRow(
                level1,
                level2,
                name,
                cell.get("实施周期指标值"),
                cell.get("年度指标值"),
                actual,
                line=number,
                points=points,
                baseline=baseline.strip() or None if isinstance(baseline, str) else baseline,
                tier=cell.get("达成情况"),
                reason=cell.get("偏差原因"),
            )
        )
    if heading is None:
        return None
    name_cell = details.get("项目名称") or details.get("部门名称") or [page.title]
    period = details.get("实施周期") or []
    budget_key = next((key for key in details if key.endswith("预算金额")), None)
    year_text = budget_key[:4] if budget_key and budget_key[:4].isdecimal() else None
    try:
        budget = _decimal((details.get(budget_key) or [None])[0]) if budget_key else None
        spent = _decimal((details.get("实际支出金额") or [None])[0])
    except InvalidOperation:
        problems.append(
            Problem("targets-form", "the budget is not a number", file=source, path=page.title)
        )
        return None
    return TargetSheet(
        str(name_cell[0]),
        "department" if "部门名称" in details else "project",
        (details.get("用款单位") or [None])[0],
        int(year_text) if year_text else None,
        (_year(period, 1), _year(period, 3)),
        budget,
        spent,
        tuple(rows),
        source,
        goal=(details.get("年度绩效目标") or details.get("总体绩效目标") or [None])[0],
    )


def _year(cells: Sequence[Any], index: int) -> int | None:
    if len(cells) > index and cells[index] is not None:
        digits = re.sub(r"\D", "", str(cells[index]))
        return int(digits[:4]) if digits else None
    return None


# -- the scoring method target_completion, and the input type targets -------------------------


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
                    "target-unit", f"{row.name}: {error}", field, input=True
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
    if_none = _optional(spec.get("if_none"))
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
    above = _optional(spec.get("flag_above"))
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


def _optional(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


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
