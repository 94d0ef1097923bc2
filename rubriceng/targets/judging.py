"""Judging an actual value against a target: met, not met, partly met (with a
completion ratio capped at 1) or needs judgement; units are checked."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.exact import Exact, rational, settled
from rubriceng.inputs.types import to_decimal
from rubriceng.outputs.words import TARGET_KINDS, TARGET_MISMATCHES, TARGET_WORDS, Phrase
from rubriceng.sanitize import brief
from rubriceng.targets.parse import Target, amount, parse_target, plain
from rubriceng.targets.quantities import Incomparable, convert
from rubriceng.targets.terms import (
    ABOVE,
    AT_LEAST,
    AT_MOST,
    BELOW,
    EQUAL,
    MET,
    NEEDS_JUDGEMENT,
    NOT_MET,
    PARTLY_MET,
)


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
    ``3个月`` for ``≤90天``), or a change judged without its baseline.

    ``str()`` is the English message; :meth:`text` says it in a language."""

    def __init__(self, message: str, said: Phrase | None = None) -> None:
        super().__init__(message)
        self.said = said if said is not None else Phrase({"en": message})

    def text(self, lang: str | None = None) -> str:
        """Why, in ``lang`` (default: the language in use)."""
        return self.said.text(lang)


def mismatch(key: str, **values: Any) -> UnitMismatch:
    """The mismatch ``key`` of :data:`~rubriceng.outputs.words.TARGET_MISMATCHES`, filled
    in for each language (a :class:`Phrase` value is said in each)."""
    said = {
        lang: template.format(
            **{
                name: value.text(lang) if isinstance(value, Phrase) else value
                for name, value in values.items()
            }
        )
        for lang, template in TARGET_MISMATCHES[key].items()
    }
    return UnitMismatch(said["en"], Phrase(said))


def quoted(text: Any) -> Phrase:
    """A value as a message quotes it: ``'52次'``, 「52次」."""
    return Phrase({"en": repr(text), "zh": f"「{text}」"})


def _kind(kind: str) -> Phrase:
    return Phrase({lang: words.get(kind, kind) for lang, words in TARGET_KINDS.items()})


SIGNED_KINDS = frozenset({"percent", "points", "money"})
"""The kinds of target whose actual value may be below zero (a growth rate, a change in
percentage points, an amount saved); a count, a duration or a length cannot."""


def _given(value: Any, what: Phrase) -> tuple[Fraction, Target | None]:
    """A number as given: (its value, the parsed text or None for a bare number)."""
    if isinstance(value, bool):
        raise mismatch("not a number", what=what, value=value)
    if isinstance(value, int | Decimal | float):
        if (
            isinstance(value, float | Decimal)
            and not Decimal(repr(value) if isinstance(value, float) else value).is_finite()
        ):
            raise mismatch("not finite", what=what, value=value)
        return _bounded(value, value, what), None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        negative = text[:1] in ("-", "\u2212")  # -2%, －2% (NFKC: -), −2% (a minus sign)
        parsed = parse_target(text[1:] if negative else text)
        told = parsed.comparator or parsed.direction or parsed.label
        if parsed.judgement or parsed.parts or parsed.number is None or (negative and told):
            raise mismatch("not comparable", value=quoted(value), what=what)
        return (-1 if negative else 1) * _bounded(parsed.number, value, what), parsed
    raise mismatch("not a number", what=what, value=type(value).__name__)


def _bounded(number: Any, value: Any, what: Phrase) -> Fraction:
    """``number`` exactly, if it is a number a unit's input could be (at most 10^18, 34
    significant digits and 40 decimal places: ``1e-99999`` would be a fraction over
    10^99999, which no comparison finishes with)."""
    try:
        return rational(to_decimal(number))
    except ValueError:
        shown = brief(value) if isinstance(value, int) else str(value)  # an int of any size
        raise mismatch("out of range", value=quoted(shown), what=what) from None


def _target(target: Target) -> Phrase:
    return Phrase({"en": repr(target.text), "zh": f"目标「{target.text}」"})


def _baseline_of(target: Target) -> Phrase:
    return Phrase(
        {"en": f"the baseline of {target.text!r}", "zh": f"目标「{target.text}」的上年值"}
    )


def actual_value(value: Any, target: Target) -> Exact:
    """An actual value in the target's terms, exactly: numbers as they are — for a ``%``
    target a fraction, as rates are everywhere in rubriceng (``0.95``, ``"0.95"``) — and
    text parsed like a target (``95%``, ``41.2万``, ``50次``, ``2.5小时``), converted to
    the target's unit where the conversion is exact (``150分钟`` for ``≤3小时`` is 2.5).
    Units that measure different things (``人次`` and ``人``, ``月`` and ``天``, a count and
    a ``%``) are refused, and so is a bare number above 10 for a ``%`` target of at most
    1000% (``95`` for ``≥90%``), as a percentage written without its ``%``."""
    number, parsed = _given(value, _target(target))
    if parsed is not None and parsed.direction is not None:
        raise mismatch("a change", value=quoted(value), target=quoted(target.text))
    if parsed is not None and parsed.unit:
        try:
            number = convert(number, parsed.quantity, target.quantity)
        except Incomparable:
            raise mismatch(
                "kinds",
                value=quoted(value),
                kind=_kind(parsed.kind),
                unit=parsed.unit,
                target=quoted(target.text),
                target_kind=_kind(target.kind),
                target_unit=Phrase({"en": f" ({target.unit})", "zh": f"（{target.unit}）"})
                if target.unit
                else "",
            ) from None
    if number < 0 and target.kind not in SIGNED_KINDS:
        shown = value if isinstance(value, str) else str(value)
        raise mismatch("negative", value=quoted(shown), target=quoted(target.text))
    goal = rational(target.number or 0)
    if (parsed is None or not parsed.unit) and target.unit == "%" and number > 10 >= goal:
        raise mismatch(
            "percent bare", value=value, target=quoted(target.text), fraction=plain(number / 100)
        )
    return settled(number)


def _change(target: Target, actual: Any, baseline: Any) -> tuple[Fraction, str]:
    """The change from ``baseline`` to ``actual`` in the target's terms (a fraction of the
    baseline for ``%``, a difference of rates for ``个百分点``), positive in the target's
    direction, and the words for it."""
    number, parsed = _given(actual, _target(target))
    if parsed is not None and parsed.direction is not None:  # the change itself: 减少12%
        if parsed.unit != target.unit and {parsed.unit, target.unit} != {"%", "‰"}:
            raise mismatch(
                "change units",
                value=quoted(actual),
                target=quoted(target.text),
                unit=parsed.unit or _kind("a number"),
                target_unit=target.unit,
            )
        return (number if parsed.direction == target.direction else -number), ""
    if baseline is None:
        example = f"{'减少' if target.direction == 'decrease' else '增加'}12%"
        raise mismatch("baseline needed", target=quoted(target.text), example=example)
    before, base_parsed = _given(baseline, _baseline_of(target))
    points = target.unit == "个百分点"
    if points:  # both are rates; the change is their difference
        for value, found in ((number, parsed), (before, base_parsed)):
            if (found is not None and found.kind != "percent") or (found is None and value > 10):
                raise mismatch("points rates", target=quoted(target.text))
    elif parsed is not None and base_parsed is not None and (parsed.unit or base_parsed.unit):
        try:
            number = convert(number, parsed.quantity, base_parsed.quantity)
        except Incomparable:
            raise mismatch(
                "baseline kinds", value=quoted(actual), baseline=quoted(baseline)
            ) from None
    difference = number - before
    if target.direction == "decrease":
        difference = -difference
    if points:
        return difference, ""
    if before <= 0:
        raise mismatch("baseline zero", target=quoted(target.text), baseline=baseline)
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
            part.label or "": f"{plain(part.number)}{part.unit}" for part in given.parts
        }
        if not given.parts:
            raise mismatch("parts text", value=quoted(actual), target=quoted(target.text))
    elif isinstance(actual, Mapping):
        values = actual
    else:
        raise mismatch("parts mapping", target=quoted(target.text))
    missing = [part.label for part in target.parts if part.label not in values]
    if missing:
        raise mismatch("parts missing", labels=", ".join(map(str, missing)))
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
