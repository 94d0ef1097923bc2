"""Exact numbers: every value inside a unit's scoring is an exact rational until the
rubric's declared rounding.

Inputs and rubric constants are :class:`~decimal.Decimal` (exact decimal fractions).
:func:`add`, :func:`subtract`, :func:`multiply` and :func:`divide` answer in decimals when
the decimal answer is exact (most sums and products, ``3 / 4``: fast) and in
:class:`~fractions.Fraction` when no decimal is (``5 / 24``), so that 3 × 5/24 is exactly
0.625 and rounds half-up to 0.63, never to 0.62 through a 34-digit 0.6249…. Rounding to
the rubric's step is exact for both (:func:`round_to`); comparisons between Decimals and
Fractions are exact in Python.

:func:`shown` gives a rational back as a Decimal for people and traces: exact when the
rational is a terminating decimal, else rounded to 34 significant digits (for display
only — no score is computed from it).
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

Exact = Decimal | Fraction | int
"""A number inside scoring: a decimal input or constant, a rational result, or a count."""

_DECIMAL_MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
}
_ROUNDINGS = tuple(_DECIMAL_MODES)
_QUANTIZE = decimal.Context(prec=200, Emax=999_999, Emin=-999_999,
                            traps=[decimal.InvalidOperation])  # fmt: skip
"""Room for any score's digits: quantizing a decimal to a step is then exact."""


def rational(value: Exact) -> Fraction:
    """``value`` as a Fraction, exactly (``True`` is 1)."""
    kind = type(value)
    if kind is Fraction:
        return value  # type: ignore[return-value]
    if kind is Decimal:
        return Fraction(*value.as_integer_ratio())
    if kind is bool:
        return Fraction(int(value))
    return Fraction(value)


_EXACTLY = decimal.Context(
    prec=120, Emax=999_999, Emin=-999_999,
    traps=[decimal.Inexact, decimal.Overflow, decimal.InvalidOperation, decimal.DivisionByZero],
)  # fmt: skip
"""Decimal arithmetic that refuses to round: its answer is exact, or it raises."""
_DECIMALS = (Decimal, int)


def _exactly(operation: str, left: Exact, right: Exact) -> Exact:
    """``left`` op ``right``, exactly: in decimals (fast) when their answer is exact,
    else as Fractions (5 / 24)."""
    if type(left) in _DECIMALS and type(right) in _DECIMALS:
        try:
            result: Decimal = getattr(_EXACTLY, operation)(left, right)
            return result
        except (decimal.Inexact, decimal.Overflow, decimal.InvalidOperation):
            pass
    left, right = rational(left), rational(right)
    if operation == "add":
        return left + right
    if operation == "subtract":
        return left - right
    if operation == "multiply":
        return left * right
    return left / right


def add(left: Exact, right: Exact) -> Exact:
    """``left + right``, exactly."""
    return _exactly("add", left, right)


def subtract(left: Exact, right: Exact) -> Exact:
    """``left - right``, exactly."""
    return _exactly("subtract", left, right)


def multiply(left: Exact, right: Exact) -> Exact:
    """``left × right``, exactly."""
    return _exactly("multiply", left, right)


def divide(left: Exact, right: Exact) -> Exact:
    """``left / right``, exactly (``right`` is not zero): ``3 / 4`` is ``0.75``,
    ``5 / 24`` is ``Fraction(5, 24)``."""
    return _exactly("divide", left, right)


def settled(value: Exact) -> Exact:
    """``value`` as a Decimal when it terminates (``3/4`` is ``0.75``), else as it is
    (``2/3`` stays a Fraction): the same number, in the cheaper form.

    >>> settled(Fraction(3, 4)), settled(Fraction(2, 3))
    (Decimal('0.75'), Fraction(2, 3))
    """
    if type(value) is not Fraction:
        return value
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return shown(value) if denominator == 1 else value


def round_to(value: Exact, quantum: Decimal, mode: str = "half_up") -> Decimal:
    """``value`` rounded to a multiple of ``quantum`` (``0.01``) as ``mode`` says, exactly.

    >>> round_to(Fraction(5, 8), Decimal("0.01"))      # 0.625 is a tie: half-up
    Decimal('0.63')
    >>> round_to(Fraction(3 * 5, 24), Decimal("0.01"), "half_even")
    Decimal('0.62')
    >>> round_to(Fraction(-1, 1000), Decimal("0.01"))  # never -0.00
    Decimal('0.00')
    """
    if mode not in _ROUNDINGS:
        raise ValueError(f"unknown rounding {mode!r}")
    if type(value) is Decimal or type(value) is int:  # a decimal rounds exactly as it is
        rounded = Decimal(value).quantize(quantum, rounding=_DECIMAL_MODES[mode],
                                          context=_QUANTIZE)  # fmt: skip
        return rounded if rounded else abs(rounded)
    step = rational(quantum)
    scaled = rational(value) / step  # how many steps, exactly
    whole, rest = divmod(scaled.numerator, scaled.denominator)  # floor and remainder
    if rest:
        twice = 2 * rest
        if mode == "half_up":  # half away from zero
            up = twice > scaled.denominator or (twice == scaled.denominator and scaled > 0)
        elif mode == "half_even":
            up = twice > scaled.denominator or (twice == scaled.denominator and whole % 2 == 1)
        elif mode == "down":  # towards zero
            up = scaled < 0
        elif mode == "up":  # away from zero
            up = scaled > 0
        else:
            up = mode == "ceiling"
        whole += 1 if up else 0
    exponent = quantum.as_tuple().exponent
    assert isinstance(exponent, int)
    result = Decimal(whole).scaleb(exponent) if whole else Decimal(0).scaleb(exponent)
    return result if whole else abs(result)


def shown(value: Exact) -> Decimal:
    """``value`` as a Decimal for reading: exact if it terminates, else 34 digits.

    >>> shown(Fraction(5, 8)), shown(Fraction(2, 3))
    (Decimal('0.625'), Decimal('0.6666666666666666666666666666666667'))
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    # a terminating decimal is shown whole, at whatever length it has
    digits = 34 if denominator != 1 else max(34, 2 * len(str(value.denominator)) + len(
        str(abs(value.numerator))))  # fmt: skip
    context = decimal.Context(prec=digits, rounding=decimal.ROUND_HALF_EVEN)
    return context.divide(Decimal(value.numerator), Decimal(value.denominator))
