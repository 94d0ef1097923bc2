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
from typing import Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.errors import InputError, Problem
from rubriceng.sanitize import harden_workbook, printable_cells, sheet_title
from rubriceng.tablefiles import open_workbook, sheet_rows

MET = "met"
NOT_MET = "not_met"
PARTLY_MET = "partly_met"
NEEDS_JUDGEMENT = "needs_judgement"

AT_LEAST, ABOVE, AT_MOST, BELOW, EQUAL = ">=", ">", "<=", "<", "="
COMPARATORS = (AT_LEAST, ABOVE, AT_MOST, BELOW, EQUAL)
"""How an actual value must relate to the target's number."""

_WORDS_BEFORE = (  # longest first: 不低于 before 低于
    ("不低于", AT_LEAST), ("不少于", AT_LEAST), ("不小于", AT_LEAST), ("至少", AT_LEAST),
    ("不高于", AT_MOST), ("不超过", AT_MOST), ("不大于", AT_MOST), ("不多于", AT_MOST),
    ("至多", AT_MOST), ("最多", AT_MOST), ("低于", BELOW), ("少于", BELOW), ("小于", BELOW),
    ("高于", ABOVE), ("超过", ABOVE), ("大于", ABOVE), ("多于", ABOVE),
    (">=", AT_LEAST), ("≥", AT_LEAST), ("≧", AT_LEAST), ("=>", AT_LEAST),
    ("<=", AT_MOST), ("≤", AT_MOST), ("≦", AT_MOST), ("=<", AT_MOST),
    (">", ABOVE), ("<", BELOW), ("=", EQUAL),
)  # fmt: skip
_WORDS_AFTER = (("以上", AT_LEAST), ("以下", AT_MOST), ("以内", AT_MOST), ("之内", AT_MOST),
                ("内", AT_MOST))  # fmt: skip
_DIRECTIONS = (("减少", "decrease"), ("下降", "decrease"), ("降低", "decrease"),
               ("压减", "decrease"), ("增加", "increase"), ("增长", "increase"),
               ("提高", "increase"), ("提升", "increase"))  # fmt: skip
_SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_TIME_UNITS = ("个工作日", "工作日", "小时", "个月", "天", "日", "月", "周", "年")
_AT_MOST_NAMES = ("误判率", "差错率", "错误率", "出错率", "发生率", "投诉率", "事故", "失误",
                  "误差", "损失", "超支", "返工率", "故障率", "违规")  # fmt: skip
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_SEPARATORS = re.compile(r"[,;、]")


@attrs.frozen
class Target:
    """A target value as parsed.

    Attributes:
        text: the value as written.
        comparator: ``>=``, ``>``, ``<=``, ``<`` or ``=``, as written (words included:
            不低于, 以内, …); None when the value has none (see :meth:`implied`).
        number: the number, scaled (``40.9万`` is 409000) and, for ``%``, a fraction
            (``90%`` is 0.9).
        unit: ``%``, ``元``, ``元/户``, a time unit (``天``), or the count noun as written
            (``项``, ``人次``, ``家企业``; empty for a bare number).
        direction: ``decrease`` or ``increase`` for a change (``减少10%``, ``增加5%``): the
            number is the change the actual must reach.
        label: the part's name within a compound value (``民兵点验``).
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
    def kind(self) -> str:
        """``percent``, ``money``, ``time``, ``count`` — what units an actual may have."""
        return unit_kind(self.unit)

    def describe(self, comparator: str | None = None, lang: str = "zh") -> str:
        """The parsed form in words, ``lang`` ``zh`` or ``en``: ``不低于 90%``,
        ``at least 90%``; ``需人工判断``, ``needs judgement``."""
        words = WORDS[lang]
        if self.judgement:
            return words[NEEDS_JUDGEMENT]
        if self.parts:
            return words["all"] + words[";"].join(
                f"{part.label} {part.describe(comparator, lang)}" for part in self.parts
            )
        how = words[comparator or self.comparator or AT_LEAST]
        change = words[self.direction] if self.direction else ""
        if self.unit == "%" and self.number is not None:
            return f"{change}{how} {_plain(self.number * 100)}%"
        return f"{change}{how} {_plain(self.number)}" + (f" {self.unit}" if self.unit else "")

    def implied(self, level1: str = "", level2: str = "", name: str = "") -> str:
        """The comparator: as written, else implied by the indicator's levels and name.

        成本 indicators and error or incident rates (误判率, 发生率, …) are at most; time
        limits written with 内/以内 are at most; everything else (数量, 质量, 时效 rates,
        效益, 满意度) is at least.
        """
        if self.comparator is not None:
            return self.comparator
        if self.direction is not None:
            return AT_LEAST
        if "成本" in level1 or "成本" in level2 or any(word in name for word in _AT_MOST_NAMES):
            return AT_MOST
        return AT_LEAST


WORDS = {
    "zh": {AT_LEAST: "不低于", ABOVE: "高于", AT_MOST: "不超过", BELOW: "低于", EQUAL: "等于",
           "decrease": "减少幅度", "increase": "增加幅度", "all": "全部满足：", ";": "；",
           NEEDS_JUDGEMENT: "需人工判断", MET: "达成", PARTLY_MET: "部分达成",
           NOT_MET: "未达成", "judged": "人工判定", "against": "实际 {actual}，目标{target}",
           "person": "「{text}」需人工判断", "part": "{label}：{reason}"},
    "en": {AT_LEAST: "at least", ABOVE: "more than", AT_MOST: "at most", BELOW: "less than",
           EQUAL: "exactly", "decrease": "decrease by ", "increase": "increase by ",
           "all": "all of: ", ";": "; ", NEEDS_JUDGEMENT: "needs judgement", MET: "met",
           PARTLY_MET: "partly met", NOT_MET: "not met", "judged": "judged",
           "against": "{actual} against {target}", "person": "{text!r} needs a person's judgement",
           "part": "{label}: {reason}"},
}  # fmt: skip
"""The words of parsed forms and judgements, by language."""


def unit_kind(unit: str) -> str:
    """``percent``, ``money``, ``time`` or ``count`` for a unit as :class:`Target` has it."""
    if unit == "%":
        return "percent"
    if unit.startswith("元"):
        return "money"
    if unit in _TIME_UNITS:
        return "time"
    return "count"


def _plain(number: Decimal | None) -> str:
    if number is None:
        return ""
    return format(number.normalize(), "f")


def _normal(text: str) -> str:
    """Full-width forms made half-width (NFKC), spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


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
    """
    clean = _normal(text)
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
    """One value: [label][direction][comparator] number [scale][unit][以上/以内…]."""
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
    label = before or None
    if label is not None and not labelled:
        return None  # text before the number that is not a comparator: not a target form
    for word, found in _WORDS_AFTER:
        if after.endswith(word) and comparator is None:
            comparator, after = found, after[: -len(word)]
            break
    try:
        number = Decimal(match.group("number"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    if after[:1] in _SCALES:
        number *= _SCALES[after[0]]
        after = after[1:]
    if after == "%":
        number /= 100
    elif not _is_unit(after):
        return None  # 2026年底前完成 and the like: words, not a unit — a person judges
    return Target(text, comparator, number, after, direction, label)


_MEASURE_WORDS = frozenset("项次个件场份人家期本户篇条所名台套批处张册宗起位辆亩米吨只头座间")


def _is_unit(text: str) -> bool:
    """A unit a target may have: none, money (元, 元/户), time (天), or a count noun that
    starts with a measure word (人次, 家企业, 个政务新媒体) and is short."""
    if not text or (text.startswith("元") and len(text) <= 4) or text in _TIME_UNITS:
        return True
    return text[0] in _MEASURE_WORDS and len(text) <= 8


# -- judging -------------------------------------------------------------------------------


@attrs.frozen
class Judgement:
    """How an actual value compares with a target.

    ``status`` is ``met``, ``not_met``, ``partly_met`` or ``needs_judgement``;
    ``completion`` is actual ÷ target (target ÷ actual for at-most targets), capped at 1
    (None when a person must judge); ``reason`` says why, in words (Chinese or English).
    """

    status: str
    completion: Decimal | None
    reason: str


class UnitMismatch(ValueError):
    """An actual value whose unit cannot be compared with the target's (``52次`` for ``%``)."""


def actual_value(value: Any, target: Target) -> Decimal:
    """An actual value in the target's terms: numbers as they are — for a ``%`` target a
    fraction, as rates are everywhere in rubriceng (``0.95``, ``"0.95"``) — and text
    parsed like a target (``95%``, ``41.2万``, ``50次``). Units must agree, and a bare
    number above 10 for a ``%`` target of at most 1000% (``95`` for ``≥90%``) is refused
    as a percentage written without its ``%``."""
    if isinstance(value, bool):
        raise UnitMismatch(f"expected a number for {target.text!r}, got {value}")
    if isinstance(value, int | Decimal | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        bare = True
    elif isinstance(value, str):
        parsed = parse_target(value)
        if parsed.judgement or parsed.parts or parsed.number is None:
            raise UnitMismatch(f"{value!r} is not a number to compare with {target.text!r}")
        if parsed.unit and parsed.kind != target.kind:
            raise UnitMismatch(
                f"{value!r} is a {parsed.kind} and {target.text!r} a {target.kind}: "
                "they cannot be compared"
            )
        number, bare = parsed.number, not parsed.unit
    else:
        raise UnitMismatch(f"expected a number for {target.text!r}, got {type(value).__name__}")
    goal = target.number if target.number is not None else Decimal(0)
    if bare and target.kind == "percent" and number > 10 >= goal:
        raise UnitMismatch(
            f"{value} for the % target {target.text!r}: write {value}% or a fraction "
            f"({_plain(number / 100)})"
        )
    return number


@isolated
def judge(
    target: Target, actual: Any, comparator: str | None = None, lang: str = "zh"
) -> Judgement:
    """Judge ``actual`` against ``target``; ``comparator`` overrides the target's, and
    ``lang`` (``zh`` or ``en``) is the language of the reason.

    ``actual`` is a number (a fraction for ``%`` targets), text in the target's units
    (``"95%"``, ``"41.2万"``), a mapping of part label to value for a compound target,
    or ``True``/``False`` for one that needs judgement. Raises :class:`UnitMismatch`.

    >>> judge(parse_target("≥90%"), "95%").status
    'met'
    >>> judge(parse_target("2项"), 1)
    Judgement(status='partly_met', completion=Decimal('0.5'), reason='实际 1，目标不低于 2 项')
    >>> judge(parse_target("2项"), 1, lang="en").reason
    '1 against at least 2 项'
    >>> judge(parse_target("≤3日"), 4).completion
    Decimal('0.75')
    """
    words = WORDS[lang]
    if target.judgement:
        if isinstance(actual, bool):
            return Judgement(MET if actual else NOT_MET, Decimal(int(actual)), words["judged"])
        return Judgement(NEEDS_JUDGEMENT, None, words["person"].format(text=target.text))
    if target.parts:
        return _judge_parts(target, actual, comparator, lang)
    assert target.number is not None
    value = actual_value(actual, target)
    how = comparator or target.comparator or AT_LEAST
    goal = target.number
    met = {AT_LEAST: value >= goal, ABOVE: value > goal, AT_MOST: value <= goal,
           BELOW: value < goal, EQUAL: value == goal}[how]  # fmt: skip
    if how in (AT_MOST, BELOW):
        ratio = Decimal(1) if value <= 0 else goal / value
    elif how == EQUAL:
        ratio = min(value, goal) / max(value, goal) if max(value, goal) > 0 else Decimal(1)
    else:
        ratio = Decimal(1) if goal <= 0 else value / goal
    ratio = max(Decimal(0), min(Decimal(1), ratio))
    shown = f"{_plain(value * 100)}%" if target.unit == "%" else _plain(value)
    reason = words["against"].format(actual=shown, target=target.describe(how, lang))
    if met:
        return Judgement(MET, Decimal(1), reason)
    return Judgement(PARTLY_MET if ratio > 0 else NOT_MET, ratio, reason)


def _judge_parts(target: Target, actual: Any, comparator: str | None, lang: str) -> Judgement:
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
        judge(attrs.evolve(part, label=None), values[str(part.label)], comparator, lang)
        for part in target.parts
    ]
    ratio = sum((j.completion or Decimal(0) for j in judged), Decimal(0)) / len(judged)
    words = WORDS[lang]
    reason = words[";"].join(
        words["part"].format(label=part.label, reason=j.reason)
        for part, j in zip(target.parts, judged, strict=True)
    )
    if all(j.status == MET for j in judged):
        return Judgement(MET, Decimal(1), reason)
    return Judgement(PARTLY_MET if ratio > 0 else NOT_MET, ratio, reason)


# -- sheets --------------------------------------------------------------------------------


@attrs.frozen
class TargetRow:
    """One three-level indicator of a target sheet, with the unit's actual value if known.

    ``comparator`` overrides the implied one; ``met`` is a person's judgement (for values
    that need one, or to overrule).
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

    def judgement(self, lang: str = "zh") -> Judgement | None:
        """The row's judgement, its reason in ``lang``; None if it has no actual value and
        no ``met``."""
        if self.met is not None:
            judged = WORDS[lang]["judged"]
            return Judgement(MET if self.met else NOT_MET, Decimal(int(self.met)), judged)
        if self.actual is None:
            return None
        return judge(self.target(), self.actual, self.comparator_used(), lang)


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
            {key: value for key, value in (
                ("level1", row.level1), ("level2", row.level2), ("name", row.name),
                ("target", row.value), ("actual", row.actual),
                ("comparator", row.comparator), ("met", row.met), ("points", row.points))
                if value is not None}
            for row in rows
        ]  # fmt: skip

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
    (``target``), with ``level1, level2, name, actual, comparator, met, points``."""
    return TargetRow(
        str(data.get("level1", "")), str(data.get("level2", "")), str(data.get("name", "")),
        _text(data.get("period")), _text(data.get("annual", data.get("target"))),
        data.get("actual"), data.get("comparator"), data.get("met"), line,
        _decimal(data.get("points")),
    )  # fmt: skip


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
                    found.append(document.problem(
                        "targets-form", "a row is [一级指标, 二级指标, 三级指标, 实施周期指标值, "
                        "年度指标值] and optionally the actual value",
                        ("sheets", index, "rows", number)))  # fmt: skip
                    continue
                row = dict(zip(_ROW_KEYS, row, strict=False))
                rows[number] = row
            if isinstance(row, dict):
                for key in ("period", "annual"):
                    if isinstance(row.get(key), int | Decimal) and not isinstance(
                            row.get(key), bool):  # fmt: skip
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
        "schema": {"type": "dict", "schema": {
            "name": {"type": "string", "required": True, "empty": False},
            "content": {"type": "string"},
            "funds": {"type": ["decimal", "integer"]},
            "goal": {"type": "string"},
        }},
    },
    "rows": {
        "type": "list",
        "required": True,
        "schema": {"type": "dict", "schema": {
            "level1": {"type": "string", "required": True},
            "level2": {"type": "string", "required": True},
            "name": {"type": "string", "required": True, "empty": False},
            "period": {"type": "string", "nullable": True},
            "annual": {"type": "string", "nullable": True},
            "actual": {"nullable": True},
            "comparator": {"type": "string", "allowed": list(COMPARATORS)},
            "met": {"type": "boolean"},
            "points": {"type": ["decimal", "integer"], "min": 0},
        }},
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
        found = problems(validator, document, code="targets-form") if isinstance(
            document.data, dict) else [document.problem(
                "targets-form", "a targets file is a mapping with 'sheets'", ())]  # fmt: skip
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
        amounts = {name: Decimal(value) * scale for name, value in
                   (raw.get("amounts") or {}).items()}  # fmt: skip
        tasks = tuple(
            KeyTask(task["name"], task.get("content"), _decimal(task.get("funds")),
                    task.get("goal"))
            for task in raw.get("tasks") or ()
        )  # fmt: skip
        sheets.append(TargetSheet(
            raw["name"], raw.get("kind", "project"), data.get("unit"), data.get("year"),
            (period[0], period[1]), _decimal(raw.get("budget"), scale),
            _decimal(raw.get("spent"), scale), rows, document.source, amounts, tasks,
            raw.get("goal"),
        ))  # fmt: skip
    return sheets


# -- Excel, laid out like the published form -------------------------------------------------

_HEADINGS = ("一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值", "实际完成值",
             "分值")  # fmt: skip


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
        lines: list[list[Any]] = [
            [title],
            ["部门名称" if sheet.kind == "department" else "项目名称", sheet.name],
            ["用款单位", sheet.unit],
            ["实施周期", "起始年度", sheet.period[0], "到期年度", sheet.period[1]],
            [f"{sheet.year or ''}年预算金额", sheet.budget],
            ["实际支出金额", sheet.spent],
            ["年度绩效目标", sheet.goal],
            [],
            list(_HEADINGS if weighed else _HEADINGS[:-1]),
        ]
        lines += [
            [row.level1, row.level2, row.name, row.period_value, row.annual_value,
             row.actual if not isinstance(row.actual, Mapping) else None,
             *([row.points] if weighed else [])]
            for row in sheet.rows
        ]  # fmt: skip
        for line in lines:
            page.append(printable_cells(line))
        page["A1"].font = Font(name="宋体", bold=True, size=14)
        for cell in page[9]:
            cell.font = bold
        for letter, width in zip("ABCDEFG", (12, 16, 40, 18, 18, 18, 8), strict=True):
            page.column_dimensions[letter].width = width
        for cells in page.iter_rows(min_row=10):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    harden_workbook(book)
    book.save(path)


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
            problems.append(Problem("targets-form", f"分值 {cell.get('分值')!r} is not a number",
                                    file=source, line=number, path=page.title))  # fmt: skip
            continue
        rows.append(TargetRow(level1, level2, name, cell.get("实施周期指标值"),
                              cell.get("年度指标值"), actual, line=number,
                              points=points))  # fmt: skip
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
        problems.append(Problem("targets-form", "the budget is not a number", file=source,
                                path=page.title))  # fmt: skip
        return None
    return TargetSheet(
        str(name_cell[0]),
        "department" if "部门名称" in details else "project",
        (details.get("用款单位") or [None])[0],
        int(year_text) if year_text else None,
        (_year(period, 1), _year(period, 3)),
        budget, spent, tuple(rows), source,
        goal=(details.get("年度绩效目标") or details.get("总体绩效目标") or [None])[0],
    )  # fmt: skip


def _year(cells: Sequence[Any], index: int) -> int | None:
    if len(cells) > index and cells[index] is not None:
        digits = re.sub(r"\D", "", str(cells[index]))
        return int(digits[:4]) if digits else None
    return None
