"""Targets as units write them (``≥90%``, ``2项``, ``减少10%``): :func:`parse_target`
reads one into a :class:`Target` — comparator, number, unit, direction — or flags it as
needing judgement. Nothing is guessed silently."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

import attrs

from rubriceng.decimals import isolated
from rubriceng.exact import Exact, rational, round_to, settled
from rubriceng.inputs.types import to_decimal
from rubriceng.outputs.words import TARGET_WORDS
from rubriceng.targets.quantities import Unit, arabic, read_unit
from rubriceng.targets.terms import (
    ABOVE,
    AT_LEAST,
    AT_MOST,
    BELOW,
    EQUAL,
    NEEDS_JUDGEMENT,
)

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
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?!\d|,\d)")
"""A number with commas parting its thousands (``≥10,000人次``): one number, not parts."""


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
        return f"{plain(rational(number) * (100 if unit == '%' else 1000))}{unit}"
    if unit == "个百分点":
        return f"{plain(rational(number) * 100)} {unit}"
    return plain(number) + (f" {unit}" if unit else "")


def plain(number: Exact | None) -> str:
    """A target's number as people write it (no exponent, no trailing zeros)."""
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
    >>> parse_target("≥10,000人次").number, parse_target("1,000,5元").judgement
    (Decimal('10000'), True)
    >>> parse_target("按规定标准发放补助").judgement
    True
    >>> parse_target("满意度≥百分之九十").label, parse_target("≥三次").describe()
    ('满意度', '不低于 3 次')
    """
    clean = _THOUSANDS.sub(lambda found: found.group().replace(",", ""), arabic(_normal(text)))
    if not _NUMBER.search(clean):
        return Target(text, judgement=True)
    pieces = [piece for piece in _SEPARATORS.split(clean) if piece]
    if len(pieces) > 1 and all(_NUMBER.search(piece) for piece in pieces):
        parts = tuple(_single(piece, piece, labelled=True) for piece in pieces)
        if all(part is not None and part.label for part in parts):  # each part named
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
    try:  # a number no unit's value could be (1e18, 34 digits, 40 places): a person judges
        number = to_decimal(match.group("number"))
    except ValueError:
        return None
    if after[:1] in _SCALES and (len(after) == 1 or read_unit(after[1:]) is not None):
        number *= _SCALES[after[0]]
        after = after[1:]
    unit = read_unit(after, zero=number == 0)
    if unit is None:
        return None  # 2026年底前完成 and the like: words, not a unit — a person judges
    if unit.text in ("%", "‰", "个百分点"):
        number /= 100 if unit.text != "‰" else 1000
    try:
        number = to_decimal(number)  # scaled (亿, ‰) within the bounds too
    except ValueError:
        return None
    return Target(text, comparator, number, unit.text, direction, label)
