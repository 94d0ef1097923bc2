"""The built-in functions of the formula language: abs, ceil, clamp, count, div, floor,
max, mean, min, round and sum, each exact and each refusing what it cannot use.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rubriceng.exact import rational, round_to
from rubriceng.formula.values import FormulaRuntimeError, Number, as_number, describe

# -- built-in functions --------------------------------------------------------------


def _numbers(args: Iterable[Any]) -> list[Number]:
    values = list(args)
    if len(values) == 1 and isinstance(values[0], list):
        values = values[0]
    if not values:
        raise FormulaRuntimeError("needs at least one number")
    return [as_number(value) for value in values]


def _list(value: Any) -> list[Number]:
    if not isinstance(value, list):
        raise FormulaRuntimeError(f"expected a list, got {describe(value)}")
    return [as_number(item) for item in value]


def fn_min(*args: Any) -> Number:
    """``min(a, b, ...)`` or ``min(list)``."""
    return min(_numbers(args))


def fn_max(*args: Any) -> Number:
    """``max(a, b, ...)`` or ``max(list)``."""
    return max(_numbers(args))


def fn_abs(value: Any) -> Number:
    """``abs(x)``."""
    return abs(rational(as_number(value)))


def fn_ceil(value: Any) -> Fraction:
    """``ceil(x)``: the smallest whole number not below ``x``."""
    return Fraction(math.ceil(rational(as_number(value))))


def fn_floor(value: Any) -> Fraction:
    """``floor(x)``: the largest whole number not above ``x``."""
    return Fraction(math.floor(rational(as_number(value))))


def fn_round(value: Any, digits: Any = 0) -> Decimal:
    """``round(x, digits)``, half-up (1.855 → 1.86, 5/8 → 0.63), exactly; never banker's."""
    places = as_number(digits)
    if places != int(places) or not 0 <= places <= 12:
        raise FormulaRuntimeError("round() takes 0 to 12 digits")
    return round_to(as_number(value), Decimal(1).scaleb(-int(places)), "half_up")


def fn_clamp(value: Any, low: Any, high: Any) -> Number:
    """``clamp(x, low, high)``: ``x`` limited to ``[low, high]``."""
    return max(as_number(low), min(as_number(high), as_number(value)))


def fn_sum(values: Any) -> Number:
    """``sum(list)``."""
    return sum((rational(value) for value in _list(values)), Fraction(0))


def fn_count(values: Any) -> int:
    """``count(list)``: the number of items (of any kind: numbers, or rows of targets)."""
    if not isinstance(values, list):
        raise FormulaRuntimeError(f"expected a list, got {describe(values)}")
    return len(values)


def fn_mean(values: Any) -> Fraction:
    """``mean(list)``: the arithmetic mean."""
    numbers = _list(values)
    if not numbers:
        raise FormulaRuntimeError("mean() of an empty list")
    return sum((rational(number) for number in numbers), Fraction(0)) / len(numbers)


def fn_div(numerator: Any, denominator: Any, if_zero: Any) -> Number:
    """``div(a, b, if_zero)``: ``a / b``, or ``if_zero`` when ``b`` is zero."""
    if as_number(denominator) == 0:
        return as_number(if_zero)
    return rational(as_number(numerator)) / rational(as_number(denominator))


BUILTIN_FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "abs": fn_abs,
    "ceil": fn_ceil,
    "clamp": fn_clamp,
    "count": fn_count,
    "div": fn_div,
    "floor": fn_floor,
    "max": fn_max,
    "mean": fn_mean,
    "min": fn_min,
    "round": fn_round,
    "sum": fn_sum,
}
"""Functions every formula may call. Plugins may register more (pure functions only)."""

RESERVED_FUNCTION_NAMES = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
"""Words that cannot name a formula function."""
