"""What a formula computes with: exact numbers (int, Decimal, Fraction), the bounds on
them, and the two errors of the language (refused when written, refused when run).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

MAX_FORMULA_LENGTH = 1000
MAX_NESTING = 24
MAX_NODES = 400
MAX_LITERAL_DIGITS = 30
MAX_LITERAL = Decimal("1e18")
MAX_STRING_LITERAL = 200
MAX_EXPONENT = 100

Number = Decimal | Fraction | int | bool


class FormulaSyntaxError(ValueError):
    """A formula that does not parse or uses something the sandbox does not allow.

    ``code`` is the :class:`~rubriceng.errors.Problem` code to report it under.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class FormulaRuntimeError(ArithmeticError):
    """A formula failed on the values it was given (zero divisor, wrong type, bound).

    ``code`` is the problem code to report it under: ``formula-failed``, or
    ``plugin-failed`` when a plugin's function failed.
    """

    def __init__(self, message: str, code: str = "formula-failed") -> None:
        self.code = code
        super().__init__(message)


def as_number(value: Any) -> Number:
    """``value`` if it is a number (a boolean counts as 1 or 0); else refused."""
    if isinstance(value, Decimal | Fraction | int):  # bool is an int
        return value
    raise FormulaRuntimeError(f"expected a number, got {describe(value)}")


def describe(value: Any) -> str:
    """What ``value`` is, for a message: text as itself, anything else by its kind."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {value!r}"
    return type(value).__name__


MAX_BITS = 12_000
"""The largest numerator or denominator a formula may reach (about 3,600 digits)."""


def bounded(value: Any) -> Any:
    """``value``, unless it has grown past :data:`MAX_BITS` (a result too large to be a
    score's step, and too costly to carry on with). A Decimal answer is exact within
    120 digits, so it is small enough."""
    if type(value) is Fraction and (
        value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS
    ):
        raise FormulaRuntimeError("the result is too large")
    return value
