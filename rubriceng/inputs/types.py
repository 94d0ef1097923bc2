"""Input types: what a unit may supply for an input a rubric declares.

An :class:`InputType` turns a declaration such as ``{type: money, min: 0}`` into the
cerberus rules a unit's value is checked and coerced with. The built-in types are
``money``, ``number``, ``rate``, ``count``, ``boolean``, ``text`` and ``list``; plugins add
more through the ``rubriceng_input_types`` hook. A rubric's ``type:`` may name any
registered type.

A unit's values are read by the coercions here (:func:`to_decimal` and friends) and
checked by an :class:`InputChecker` compiled once per rubric from those rules; cerberus
is called only to explain a unit whose inputs the checker refused.
"""

from __future__ import annotations

import datetime
import decimal
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.language.model import InputSpec
from rubriceng.sanitize import brief

MAX_LIST_ITEMS = 10_000
"""The most items a ``list`` input without a declared ``length`` may have."""

MAX_NUMBER = Decimal("1e18")
"""The largest magnitude a unit's number may have (far above any budget, in 元)."""
MAX_DIGITS = 34
"""The most significant digits a unit's number may have (the precision of the arithmetic)."""
MAX_PLACES = 40
"""The most decimal places a unit's number may have: ``1e-999999`` is a finite number of one
digit, but its exact value is a fraction over 10^999999, which no arithmetic finishes with."""


def to_decimal(value: Any) -> Decimal:
    """A unit's number as a Decimal: ints, Decimals, floats (by repr) and numeric text.

    Booleans, NaN, infinities, magnitudes above :data:`MAX_NUMBER` and more than
    :data:`MAX_DIGITS` significant digits are refused. Text may use thousands separators
    (``1,331,100``) and a trailing ``%`` (``90%`` → ``0.9``).
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        if abs(value) > MAX_NUMBER:
            raise ValueError(f"{_short(value)} is too large (the limit is 10^18)")
        return Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        number = _number_text(value)
    elif value is None:
        raise ValueError("expected a number, got nothing (null)")
    elif isinstance(value, datetime.date | datetime.time):  # a cell Excel took for a date
        when: datetime.date | datetime.time = value
        if isinstance(value, datetime.datetime) and value.time() == datetime.time():
            when = value.date()  # a date alone, as the cell shows it
        kind = "time" if isinstance(value, datetime.time) else "date"
        raise ValueError(
            f"expected a number, got the {kind} {when.isoformat()} (is the cell formatted as a "
            "date?)"
        )
    else:
        raise ValueError(f"expected a number, got {type(value).__name__}")
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got {brief(value)}")
    if not -MAX_NUMBER <= number <= MAX_NUMBER:
        raise ValueError(f"{_short(value)} is too large (the limit is 10^18)")
    if _SIGNIFICANT.plus(number) != number:  # rounding to 34 digits would change it
        raise ValueError(f"{_short(value)} has more than {MAX_DIGITS} significant digits")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:  # trailing zeros aside?
        exponent = _SIGNIFICANT.normalize(number).as_tuple().exponent  # exact: ≤ 34 digits
        if isinstance(exponent, int) and exponent < -MAX_PLACES:
            raise ValueError(f"{_short(value)} has more than {MAX_PLACES} decimal places")
    return number


_NUMBER_TEXT = re.compile(
    r"(?P<sign>[+-]?)(?P<digits>\d+|\d{1,3}(?:,\d{3})+)?(?P<fraction>\.\d*)?"
    r"(?P<exponent>[eE][+-]?\d+)?(?P<percent>\s*%)?",
    re.ASCII,
)
"""A number as text, after :func:`_folded`: digits (in groups of three where commas part
them), a fraction, an exponent, a percent sign."""

_MONEY_MARKS = re.compile(r"[¥￥$€元万亿]|RMB|CNY", re.IGNORECASE)
_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]")
"""A number written in Chinese words (一百万, 壹佰万元)."""


def _folded(text: str) -> str:
    """Full-width forms as typed in a Chinese input method (１２３．４５，－５，９５％) and the
    minus sign U+2212 as ASCII, spaces around dropped."""
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def _number_text(value: str) -> Decimal:
    """A number written as text: ``1,331,100``, ``0.95``, ``95%``, ``１２３．４５``. A comma
    that does not part thousands (``1331,5``, a decimal comma) is refused, never dropped:
    it would read as 13315."""
    text = _folded(value)
    found = _NUMBER_TEXT.fullmatch(text)
    if found is None or not (found["digits"] or (found["fraction"] or "")[1:]):
        if "," in text and _NUMBER_TEXT.fullmatch(text.replace(",", "")):
            raise ValueError(
                f"a comma in a number parts thousands only, got {brief(value)} "
                "(a decimal point written as a comma?)"
            )
        if text.lower().lstrip("+-") in ("nan", "snan", "inf", "infinity"):
            raise ValueError(f"expected a finite number, got {brief(value)}")
        if _NUMERALS.search(text):
            raise ValueError(f"expected a number in digits, got {brief(value)}")
        if _MONEY_MARKS.search(text):
            raise ValueError(f"expected a number without a currency or unit, got {brief(value)}")
        raise ValueError(f"expected a number, got {brief(value)}")
    digits = (found["digits"] or "0").replace(",", "")
    written = f"{found['sign']}{digits}{found['fraction'] or ''}{found['exponent'] or ''}"
    try:
        number = Decimal(written)
    except ArithmeticError:  # an exponent of hundreds of digits: no Decimal holds it
        raise ValueError(f"{_short(value)} is not a number that can be read") from None
    return number / 100 if found["percent"] else number


_SIGNIFICANT = decimal.Context(
    prec=MAX_DIGITS, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[]
)


def _short(value: Any) -> str:
    if isinstance(value, int) and value.bit_length() > 80:  # str() of it may be refused
        return brief(value)
    text = str(value)
    return text if len(text) <= 24 else f"{text[:20]}…"


def is_comparable(value: Any) -> bool:
    """A finite number (what could not be read as one is reported by its coercion)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return False
    return not isinstance(value, Decimal) or value.is_finite()


TRUE_WORDS = frozenset({"true", "yes", "是", "有", "y", "1", "√", "✓", "✔"})
"""Words a unit may write for true (case and full-width forms aside; 打√)."""
FALSE_WORDS = frozenset({"false", "no", "否", "无", "n", "0", "×", "✗", "✘"})
"""Words a unit may write for false (case and full-width forms aside)."""


def _percent(value: Any) -> bool:
    return isinstance(value, str) and _folded(value).endswith("%")  # ％ and ﹪ fold to %


def to_amount(value: Any) -> Decimal:
    """An amount of money, read as :func:`to_decimal` reads it, but never a percentage:
    ``95%`` in a money field is a rate typed in the wrong row, not 0.95 元."""
    if _percent(value):
        raise ValueError(f"an amount is not a percentage, got {brief(value)}")
    return to_decimal(value)


def to_count(value: Any) -> int:
    """A whole number, read as :func:`to_decimal` reads it; fractions are refused, and so
    is a percentage (``200%`` is not two of anything)."""
    if _percent(value):
        raise ValueError(f"a count is not a percentage, got {brief(value)}")
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"expected a whole number, got {brief(value)}")
    return int(number)


def to_boolean(value: Any) -> bool:
    """True or false: booleans, 0 and 1, and the words 是/否, 有/无, yes/no, true/false,
    √/×."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = _folded(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ValueError(f"expected true or false, got {brief(value)}")


def to_credit(value: Any) -> bool | Decimal:
    """Partial credit: true/false as given, a number as a number; text is a number if it
    reads as one (``"0.5"``), else a yes/no word (``"是"``, ``"true"``)."""
    if isinstance(value, bool):
        return value
    try:
        return to_decimal(value)
    except ValueError:
        if isinstance(value, str) and _folded(value).lower() in TRUE_WORDS | FALSE_WORDS:
            return to_boolean(value)
        raise


COERCIONS: Mapping[str, Callable[[Any], Any]] = {
    "decimal": to_decimal,
    "amount": to_amount,
    "count": to_count,
    "boolean": to_boolean,
    "credit": to_credit,
}
"""The named coercions input rules may give as ``coerce``."""


RulesFunction = Callable[[InputSpec, Mapping[str, "InputType"]], dict[str, Any]]
"""``rules(spec, types)``: the cerberus rules for one value of an input declared as ``spec``."""


@attrs.frozen
class InputType:
    """A kind of value a unit supplies.

    Attributes:
        name: what a rubric writes after ``type:``.
        rules: ``rules(spec, types)`` returns the cerberus rules for one value; ``coerce``
            may be a function that turns the unit's text into the value (raise
            ``ValueError`` with a message to refuse it).
        numeric: True if formulas see a number (such types may be items of a ``list``
            and take ``min``/``max``).
        summary: one line for ``rubriceng plugins`` and the docs.
    """

    name: str
    rules: RulesFunction
    numeric: bool = False
    summary: str = ""


def _bounded(base: dict[str, Any], spec: InputSpec) -> dict[str, Any]:
    if spec.minimum is not None:
        base["min"] = spec.minimum
    if spec.maximum is not None:
        base["max"] = spec.maximum
    return base


def _number_rules(minimum: Decimal | None, coerce: str = "decimal") -> RulesFunction:
    def rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
        base: dict[str, Any] = {"type": "decimal", "coerce": coerce}
        if minimum is not None:
            base["min"] = minimum
        return _bounded(base, spec)

    return rules


def _count_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    return _bounded({"type": "integer", "coerce": "count", "min": 0}, spec)


def _boolean_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    return {"type": "boolean", "coerce": "boolean"}


def _text_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    return {"type": "string"}


def _list_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    if spec.items is None:  # the compiler has reported it: the rubric does not load
        return {"type": "list"}
    # a list's range is its items' range: quarterly rates of at most 1
    item = InputSpec(spec.id, spec.items, minimum=spec.minimum, maximum=spec.maximum)
    rules: dict[str, Any] = {"type": "list", "schema": types[spec.items].rules(item, types)}
    if spec.length is not None:
        rules.update(minlength=spec.length, maxlength=spec.length)
    else:
        rules["maxlength"] = MAX_LIST_ITEMS
    return rules


BUILTIN_INPUT_TYPES: Mapping[str, InputType] = {
    kind.name: kind
    for kind in (
        InputType(
            "money",
            _number_rules(Decimal(0), "amount"),
            True,
            "an amount ≥ 0 (元 or 万元); never a percentage",
        ),
        InputType("number", _number_rules(None), True, "any finite number"),
        InputType("rate", _number_rules(Decimal(0)), True, "a fraction ≥ 0; '90%' reads 0.9"),
        InputType("count", _count_rules, True, "a whole number ≥ 0"),
        InputType("boolean", _boolean_rules, False, "true/false; 是/否, 有/无, yes/no"),
        InputType("text", _text_rules, False, "text, for cases and labels"),
        InputType("list", _list_rules, False, "a list of numbers ('items' gives their type)"),
    )
}
"""The input types every rubric may declare, by name."""


# -- the compiled checker -----------------------------------------------------------------

Check = Callable[[Any], Any]
"""Checks and normalises one value; raises any exception to refuse it."""

InputChecker = Callable[[Mapping[str, Any]], "dict[str, Any] | None"]
"""Normalises a unit's inputs, or returns None when anything is wrong with them."""


class _Unsupported(Exception):
    """Rules the compiled checker does not know; cerberus checks such inputs alone."""


def _is_decimal(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


_TYPE_TESTS: Mapping[str, Callable[[Any], bool]] = {
    "decimal": _is_decimal,
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "string": lambda value: isinstance(value, str),
    "credit": lambda value: isinstance(value, bool | int | Decimal),
    "list": lambda value: isinstance(value, list | tuple),
    "dict": lambda value: isinstance(value, dict),
}
_RULES = frozenset(
    {"type", "coerce", "min", "max", "schema", "minlength", "maxlength", "required"}
    | {"credit_max", "empty", "nullable", "allowed"}
)


_ALWAYS: Mapping[Check, tuple[str, ...]] = {
    to_decimal: ("decimal", "credit"),
    to_amount: ("decimal", "credit"),
    to_count: ("integer", "decimal", "credit"),
    to_boolean: ("boolean", "credit"),
}
"""The types the result of each coercion always has (so their test can be skipped)."""


def _number_check(convert: Check, low: Any, high: Any) -> Check:
    if low is None and high is None:
        return convert
    if convert is to_boolean:  # a boolean is not comparable: bounds never apply
        return convert

    def check(value: Any) -> Any:
        number = convert(value)
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError
        return number

    return check


def compile_checker(schema: Mapping[str, Mapping[str, Any]]) -> InputChecker | None:
    """A checker that agrees with :class:`rubriceng.language.schema.Validator` on ``schema``.

    It accepts exactly the inputs cerberus accepts and normalises them the same way, but
    reports nothing: when it returns None the caller asks cerberus what is wrong. Rules
    outside the subset the built-in input types use give None here (cerberus is used
    for every unit). Tested against cerberus in ``tests/test_inputs.py``.
    """
    try:
        return _mapping_check(schema)
    except _Unsupported:
        return None


def value_checker(rules: Mapping[str, Any]) -> Check | None:
    """The compiled check of one value under ``rules`` (it raises on a value cerberus
    would refuse, and returns the value normalised), or None for rules only cerberus
    knows."""
    try:
        return _value_check(rules)
    except _Unsupported:
        return None


def _mapping_check(schema: Mapping[str, Mapping[str, Any]]) -> InputChecker:
    checks = {name: _value_check(rules) for name, rules in schema.items()}
    required = [name for name, rules in schema.items() if rules.get("required")]

    def check(values: Mapping[str, Any]) -> dict[str, Any] | None:
        normalised = {}
        try:
            for name, value in values.items():
                normalised[name] = checks[name](value)
        except Exception:  # refused: cerberus will explain
            return None
        for name in required:
            if name not in normalised:
                return None
        return normalised

    return check


def _value_check(rules: Mapping[str, Any]) -> Check:
    if not isinstance(rules, Mapping) or not _RULES.issuperset(rules):
        raise _Unsupported
    if any(
        not isinstance(rules.get(flag, False), bool) for flag in ("empty", "required", "nullable")
    ):
        raise _Unsupported  # (rules cerberus would reject are left for it to reject)
    nullable = rules.get("nullable", False)
    allowed = rules.get("allowed")
    if allowed is not None and (
        not isinstance(allowed, list | tuple)
        or not all(isinstance(item, str | int | Decimal) for item in allowed)
    ):
        raise _Unsupported
    coerce = rules.get("coerce")
    convert: Check | None
    if coerce is None:
        convert = None
    elif isinstance(coerce, str) and coerce in COERCIONS:
        convert = COERCIONS[coerce]
    elif callable(coerce) and not isinstance(coerce, str):
        convert = coerce
    else:
        raise _Unsupported
    kinds = rules.get("type")
    names = [kinds] if isinstance(kinds, str) else kinds
    if names is not None and (
        not isinstance(names, list) or not names or not all(n in _TYPE_TESTS for n in names)
    ):
        raise _Unsupported
    tests = tuple(_TYPE_TESTS[name] for name in names or ())
    low, high, credit = rules.get("min"), rules.get("max"), rules.get("credit_max")
    for bound in (low, high, credit):
        if bound is not None and not _is_decimal(bound):
            raise _Unsupported
    shortest, longest = rules.get("minlength"), rules.get("maxlength")
    for length in (shortest, longest):
        if length is not None and not isinstance(length, int):
            raise _Unsupported
    not_empty = rules.get("empty") is False
    inner = rules.get("schema")
    items: Check | None = None
    fields: InputChecker | None = None
    if isinstance(inner, Mapping) and names == ["list"]:
        items = _value_check(inner)
    elif isinstance(inner, Mapping) and names == ["dict"]:
        fields = _mapping_check(inner)
    elif inner is not None:
        raise _Unsupported

    if (
        convert is not None
        and not not_empty
        and not nullable
        and (credit is shortest is longest is items is fields is None)
        and allowed is None
        and all(name in _ALWAYS.get(convert, ()) for name in names or ())
    ):
        return _number_check(convert, low, high)  # the common case, kept short

    def check(value: Any) -> Any:
        if value is None and nullable:  # cerberus: a failed coercion of null is no error,
            if convert is None:  # and a null skips every other rule
                return None
            try:
                value = convert(value)
            except Exception:
                return None
            if value is None:
                return None
        elif convert is not None:
            value = convert(value)
        if value is None and not nullable:
            raise ValueError
        if items is not None and isinstance(value, list | tuple):
            value = type(value)(items(item) for item in value)
        elif fields is not None and isinstance(value, dict):
            value = fields(value)
            if value is None:
                raise ValueError
        if tests and not any(test(value) for test in tests):
            raise ValueError
        if low is not None and is_comparable(value) and value < low:
            raise ValueError
        if high is not None and is_comparable(value) and value > high:
            raise ValueError
        if credit is not None and _is_decimal(value) and not 0 <= value <= credit:
            raise ValueError
        if allowed is not None:  # as cerberus: each item of a collection, or the value
            if isinstance(value, Iterable) and not isinstance(value, str):
                if any(item not in allowed for item in value):
                    raise ValueError
            elif value not in allowed:
                raise ValueError
        if shortest is not None or longest is not None or not_empty:
            if not hasattr(value, "__len__"):
                if shortest is not None or longest is not None:
                    raise ValueError  # cerberus checks lengths of sized values only
            else:
                size = len(value)
                if (
                    (shortest is not None and size < shortest)
                    or (longest is not None and size > longest)
                    or (not_empty and size == 0)
                ):
                    raise ValueError
        return value

    return check
