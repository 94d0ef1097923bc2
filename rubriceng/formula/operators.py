"""The operators of the formula language, exactly: arithmetic on exact rationals
(bounded in size), comparisons decided exactly, equality of numbers and of text.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from rubriceng.exact import add, divide, multiply, rational, shown, subtract
from rubriceng.formula.values import (
    MAX_BITS,
    MAX_EXPONENT,
    FormulaRuntimeError,
    as_number,
    bounded,
    describe,
)


def _arith(function: Callable[[Any, Any], Any], divides: bool = False) -> Callable[[Any, Any], Any]:
    def checked(left: Any, right: Any) -> Any:
        # exactly: 3 / 4 is Decimal("0.75"), 5 / 24 is Fraction(5, 24), never rounded
        left, right = as_number(left), as_number(right)
        if divides and right == 0:  # 1 / 0, 0 / 0, 1 // 0 and 1 % 0 fail alike
            raise FormulaRuntimeError("division by zero")
        return bounded(function(left, right))

    return checked


def _quotient(left: Any, right: Any) -> Fraction:
    """``//``: the quotient truncated towards zero (as :mod:`decimal` does)."""
    return Fraction(int(rational(left) / rational(right)))


def _remainder(left: Any, right: Any) -> Fraction:
    """``%``: what ``//`` leaves, with the sign of ``left`` (as :mod:`decimal` does)."""
    return rational(left) - rational(right) * _quotient(left, right)


def _power(base: Any, exponent: Any) -> Any:
    """``base ** exponent`` for a whole exponent of at most :data:`MAX_EXPONENT`: exact
    (a fractional power has no exact value), and never infinite (``0 ** -1`` is a
    division by zero, as ``1 / 0`` is)."""
    base, exponent = as_number(base), as_number(exponent)
    if abs(exponent) > MAX_EXPONENT:
        raise FormulaRuntimeError(f"exponent {exponent} is larger than {MAX_EXPONENT}")
    if exponent != int(exponent):
        raise FormulaRuntimeError(f"exponent {shown(exponent)} is not a whole number")
    if base == 0 and exponent < 0:
        raise FormulaRuntimeError("division by zero")
    exact = rational(base)
    size = max(exact.numerator.bit_length(), exact.denominator.bit_length())
    if size * abs(int(exponent)) > MAX_BITS:  # refused before it is computed
        raise FormulaRuntimeError("the result is too large")
    return exact ** int(exponent)


def _compare(function: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def checked(left: Any, right: Any) -> bool:
        if isinstance(left, str) != isinstance(right, str):
            raise FormulaRuntimeError(f"cannot compare {describe(left)} with {describe(right)}")
        if isinstance(left, list) or isinstance(right, list):
            raise FormulaRuntimeError("cannot compare lists")
        return function(left, right)

    return checked


def _equality(function: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def checked(left: Any, right: Any) -> bool:
        if isinstance(left, list) or isinstance(right, list):
            raise FormulaRuntimeError("cannot compare lists")
        return function(left, right)

    return checked


OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: _arith(add),
    ast.Sub: _arith(subtract),
    ast.Mult: _arith(multiply),
    ast.Div: _arith(divide, divides=True),
    ast.FloorDiv: _arith(_quotient, divides=True),
    ast.Mod: _arith(_remainder, divides=True),
    ast.Pow: _power,
    ast.USub: lambda value: -rational(as_number(value)),
    ast.UAdd: lambda value: rational(as_number(value)),
    ast.Not: operator.not_,
    ast.Eq: _equality(operator.eq),
    ast.NotEq: _equality(operator.ne),
    ast.Lt: _compare(operator.lt),
    ast.LtE: _compare(operator.le),
    ast.Gt: _compare(operator.gt),
    ast.GtE: _compare(operator.ge),
}
