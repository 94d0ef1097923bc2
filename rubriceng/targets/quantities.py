"""Quantities as 绩效目标 write them: Chinese numerals, units and measure words.

Two jobs, both for :mod:`rubriceng.targets`:

- :func:`arabic` rewrites Chinese numerals as digits where they are a value (``三次`` →
  ``3次``, ``百分之九十五`` → ``95%``, ``零事故`` → ``0事故``) and leaves words that merely
  contain a numeral alone (``统一发放``, ``一次性补助``). cn2an reads the numerals.
- :func:`read_unit` reads what follows a number (``公里``, ``元/户``, ``家企业``, ``个百分点``)
  into a :class:`Unit`; :func:`convert` converts a number between two units exactly
  (``3小时`` is ``180分钟``, ``1亩`` is ``2000/3平方米``) or refuses units that do not
  compare (``月`` and ``天``, ``人次`` and ``人``, a count and a ``%``). pint holds the units,
  with a registry of the units 绩效目标 use and exact (``Fraction``) factors.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import pint

__all__ = [
    "COUNT_WORDS",
    "Incomparable",
    "Unit",
    "arabic",
    "convert",
    "read_unit",
]

# pint definitions: each measured thing is a dimension of its own, so that only units of
# one thing convert, and only by exact factors.
_DEFINITIONS = """
元 = [money]
万元 = 10000 * 元
亿元 = 100000000 * 元
米 = [length] = m
公里 = 1000 * 米 = 千米 = km
平方米 = 米 ** 2 = m2
平方公里 = 公里 ** 2
亩 = 2000 / 3 * 平方米
公顷 = 10000 * 平方米
分钟 = [time]
小时 = 60 * 分钟
天 = 24 * 小时 = 日
周 = 7 * 天
工作日 = [workday] = 个工作日
月 = [month] = 个月
季度 = 3 * 月 = 个季度
年 = 12 * 月
分 = [score]
"""

COUNT_WORDS = (
    "人次",
    "场次",
    "家次",
    "户次",
    "批次",
    "项",
    "次",
    "个",
    "件",
    "场",
    "份",
    "人",
    "家",
    "期",
    "本",
    "户",
    "篇",
    "条",
    "所",
    "名",
    "台",
    "套",
    "批",
    "处",
    "张",
    "册",
    "宗",
    "起",
    "位",
    "辆",
    "吨",
    "只",
    "头",
    "座",
    "间",
    "部",
    "门",
    "类",
    "种",
    "节",
    "课",
    "集",
    "轮",
    "栋",
    "棵",
    "株",
    "组",
    "支",
    "队",
    "幅",
    "册",
    "本",
    "页",
    "字",
    "例",
    "笔",
    "单",
    "宗",
    "卷",
    "块",
    "所",
)
"""Measure words (量词): what a count counts. ``人次`` and ``人`` are different things."""

_KINDS: dict[tuple[tuple[str, str], ...], str] = {
    (("[money]", "1"),): "money",
    (("[length]", "1"),): "length",
    (("[length]", "2"),): "area",
    (("[time]", "1"),): "time",
    (("[workday]", "1"),): "time",
    (("[month]", "1"),): "time",
    (("[score]", "1"),): "score",
}

_PERCENT = {"%": Fraction(1, 100), "‰": Fraction(1, 1000), "个百分点": Fraction(1, 100)}


class Incomparable(ValueError):
    """Two units that do not compare: different things, or no exact conversion."""


@attrs.frozen
class Unit:
    """A unit as a target or an actual value writes it.

    Attributes:
        text: as written after any scale (``元/户``, ``家企业``, ``个百分点``; empty for a
            bare number).
        kind: ``percent`` (``%``, ``‰``), ``points`` (``个百分点``), ``money``, ``length``,
            ``area``, ``time``, ``score``, ``count``, ``per`` (a unit per unit, such as
            ``元/户``), or ``""`` for none.
        measure: the pint unit, or the measure word of a count (``家``), or ``""``.
        noun: what a count counts, where written (``企业`` in ``家企业``).
    """

    text: str
    kind: str = ""
    measure: str = ""
    noun: str = ""

    @property
    def fraction(self) -> Fraction:
        """What one of the written unit is as a fraction: ``%`` is 1/100, ``‰`` 1/1000."""
        return _PERCENT.get(self.text, Fraction(1))


@functools.cache
def _registry() -> pint.UnitRegistry[Any]:
    import pint

    units: pint.UnitRegistry[Any] = pint.UnitRegistry(None, non_int_type=Fraction)
    for line in _DEFINITIONS.strip().splitlines():
        units.define(line)
    for word in dict.fromkeys(COUNT_WORDS):  # each measure word counts a thing of its own
        units.define(f"{word} = [{word}]")
    return units


_UNIT_NAMES = tuple(
    sorted(
        {
            name.strip()
            for line in _DEFINITIONS.strip().splitlines()
            for name in line.replace(" = ", "=").split("=")
            if name.strip() and not name.strip().startswith("[") and "*" not in name
        },
        key=len,
        reverse=True,
    )
)
_COUNTS = tuple(sorted(set(COUNT_WORDS), key=len, reverse=True))
_NOUN = re.compile(r"^[\u4e00-\u9fff]{1,8}$")


def _single(text: str) -> tuple[str, str] | None:
    """(pint unit name, kind) for one unit name, or a count word."""
    for name in _UNIT_NAMES:
        if text == name:
            return name, _kind(name)
    for word in _COUNTS:
        if text == word:
            return word, "count"
    return None


def _kind(name: str) -> str:
    found = dict(_registry().get_dimensionality(name))
    dimensionality = tuple(sorted((key, str(power)) for key, power in found.items()))
    return _KINDS.get(dimensionality, "count")


@functools.lru_cache(maxsize=1024)
def read_unit(text: str, *, zero: bool = False) -> Unit | None:
    """The unit written after a number, or None when ``text`` is words, not a unit.

    ``zero``: the number is 0, so a short noun is the thing there are none of (``0事故``).

    >>> read_unit("公里").kind, read_unit("家企业").noun, read_unit("元/户").kind
    ('length', '企业', 'per')
    >>> read_unit("底前完成") is None
    True
    """
    text = unicodedata.normalize("NFKC", text)
    if not text:
        return Unit("")
    if text in _PERCENT:
        return Unit(text, "points" if text == "个百分点" else "percent")
    if "/" in text:
        top, _, bottom = text.partition("/")
        upper, lower = _single(top), _single(bottom)
        if upper is None or lower is None:
            return None
        return Unit(text, "per", f"{upper[0]} / {lower[0]}")
    for name in _UNIT_NAMES:
        if text == name:
            return Unit(text, _kind(name), name)
    for word in _COUNTS:
        if text.startswith(word):
            noun = text[len(word) :]
            if not noun or (_NOUN.match(noun) and len(noun) <= 6):
                return Unit(text, "count", word, noun)
            return None
    if zero and _NOUN.match(text) and len(text) <= 4:
        return Unit(text, "count", "", text)
    return None


def convert(number: Fraction, source: Unit, target: Unit) -> Fraction:
    """``number`` in ``source`` units expressed in ``target`` units, exactly.

    Raises :class:`Incomparable` when the units measure different things (``人次`` and
    ``人``, ``月`` and ``天``, a count and a ``%``) or a count's nouns differ.

    >>> convert(Fraction(3), read_unit("小时"), read_unit("分钟"))
    Fraction(180, 1)
    >>> convert(Fraction(3, 2), read_unit("公里"), read_unit("米"))
    Fraction(1500, 1)
    """
    if not source.text or not target.text:
        return number
    if source.kind in ("percent", "points") or target.kind in ("percent", "points"):
        if source.kind != target.kind:
            raise Incomparable(f"{source.text} ≠ {target.text}")
        return number
    if source.kind == "count" and target.kind == "count":
        if source.noun and target.noun and source.noun != target.noun:
            raise Incomparable(f"{source.text} ≠ {target.text}")
        if not source.measure or not target.measure:  # 0事故: the noun says what it counts
            if (source.noun or source.measure) != (target.noun or target.measure):
                raise Incomparable(f"{source.text} ≠ {target.text}")
            return number
    import pint

    units = _registry()
    try:
        quantity = units.Quantity(number, source.measure).to(target.measure)
    except pint.DimensionalityError:
        raise Incomparable(f"{source.text} ≠ {target.text}") from None
    return Fraction(quantity.magnitude)


# -- Chinese numerals ------------------------------------------------------------------------

_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_RUN = re.compile(rf"[{_DIGITS}]+(?:点[{_DIGITS}]+)?")
_PER = re.compile(rf"(百分之|千分之)([{_DIGITS}]+(?:点[{_DIGITS}]+)?|\d+(?:\.\d+)?)")
_NOT_VALUES = (
    "次性",
    "致",
    "般",
    "体",
    "线",
    "律",
    "流",
    "些",
    "直",
    "旦",
    "样",
    "同",
    "道",
    "级",
    "季度末",
    "把手",
)
"""What follows 一 in words that are not values (一次性, 一致, 一般, 一线 …)."""
_AFTER = ("以上", "以下", "以内", "之内", "内", "及以上", "及以下", "%", "‰")
_BEFORE = (
    "≥",
    "≤",
    ">",
    "<",
    "=",
    ":",
    "于",
    "少",
    "多",
    "过",
    "到",
    "达",
    "为",
    "至",
    "增",
    "减",
    "降",
    "高",
    "升",
    "加",
    "长",
    "低",
    "压",
    "比",
    "提",
)


def _number(run: str) -> str | None:
    import cn2an

    try:
        value = cn2an.cn2an(run, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return format(value, "f") if isinstance(value, float) else str(value)


@functools.lru_cache(maxsize=4096)
def arabic(text: str) -> str:
    """``text`` with its Chinese numeral values written in digits.

    A run of numerals is a value when it stands at the start, after a comparator, a
    direction or a label's colon, or before a unit, measure word, ``%`` or 以上/以内; and
    not when it is part of a word (``统一``, ``一次性``, ``第一``).

    >>> [arabic(text) for text in ("≥三次", "两项", "十二个月", "百分之九十五", "零事故")]
    ['≥3次', '2项', '12个月', '95%', '0事故']
    >>> [arabic(text) for text in ("统一发放", "一次性补助", "第一季度", "千分之五")]
    ['统一发放', '一次性补助', '第一季度', '5‰']
    """
    if not any(char in _DIGITS for char in text):
        return text

    def per(match: re.Match[str]) -> str:
        digits = match.group(2)
        if not digits[0].isdigit():
            digits = _number(digits) or digits
        return digits + ("%" if match.group(1) == "百分之" else "‰")

    text = _PER.sub(per, text)
    pieces: list[str] = []
    last = 0
    for match in _RUN.finditer(text):
        run, start, end = match.group(), match.start(), match.end()
        before, after = text[start - 1 : start], text[end:]
        if not any(char in "零〇一二两三四五六七八九十" for char in run) or len(run) > 24:
            continue  # 万元, 亿元: a scale word, not a value; or no number people write
        if before == "第" or any(after.startswith(word) for word in _NOT_VALUES):
            continue
        standalone = not before or before in _BEFORE or not before.strip()
        ends = not after or any(after.startswith(word) for word in _AFTER)
        measured = read_unit(after[:1]) is not None or any(
            after.startswith(name) for name in (*_UNIT_NAMES, *_COUNTS, "个")
        )
        alone = standalone and (measured or ends or run[0] in "零〇")
        if not (alone or (measured and len(run) > 1)):
            continue
        value = _number(run)
        if value is None:
            continue
        pieces += [text[last:start], value]
        last = end
    return "".join(pieces) + text[last:]
