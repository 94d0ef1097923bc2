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
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

Exact = Decimal | Fraction | int
"""A number inside scoring: a decimal input or constant, a rational result, or a count
(a peer mean of a large batch is a :class:`Mean`, which compares as exactly)."""

_DECIMAL_MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
}
_ROUNDINGS = tuple(_DECIMAL_MODES)
_QUANTIZE = decimal.Context(prec=200, Emax=999_999, Emin=-999_999, traps=[decimal.InvalidOperation])
"""Room for any score's digits: quantizing a decimal to a step is then exact."""


def rational(value: Exact | Mean) -> Fraction:
    """``value`` as a Fraction, exactly (``True`` is 1; a :class:`Mean` computed)."""
    kind = type(value)
    if kind is Fraction:
        return value  # type: ignore[return-value]
    if isinstance(value, Mean):
        return value.exact()
    if kind is Decimal:
        return Fraction(*value.as_integer_ratio())
    if kind is bool:
        return Fraction(int(value))
    return Fraction(value)


_EXACTLY = decimal.Context(
    prec=120,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.Inexact, decimal.Overflow, decimal.InvalidOperation, decimal.DivisionByZero],
)
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
        rounded = Decimal(value).quantize(quantum, rounding=_DECIMAL_MODES[mode], context=_QUANTIZE)
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


def shown(value: Exact | Mean) -> Decimal:
    """``value`` as a Decimal for reading: exact if it terminates, else 34 digits.

    >>> shown(Fraction(5, 8)), shown(Fraction(2, 3))
    (Decimal('0.625'), Decimal('0.6666666666666666666666666666666667'))
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Mean):
        return value.decimal()
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    # a terminating decimal is shown whole, at whatever length it has
    digits = (
        34
        if denominator != 1
        else max(34, 2 * len(str(value.denominator)) + len(str(abs(value.numerator))))
    )
    context = decimal.Context(prec=digits, rounding=decimal.ROUND_HALF_EVEN)
    return context.divide(Decimal(value.numerator), Decimal(value.denominator))


MEAN_BITS = 128
"""How finely a :class:`Mean` is known before it is asked for exactly: 2**-128."""


class Mean:
    """The exact mean of many rationals (the peers' mean of a large batch), decided in
    comparisons without being computed until a comparison needs it.

    The exact mean of 100,000 ratios has a denominator of millions of digits, and adding
    them up one by one takes minutes. So a Mean holds the integer ``low`` with
    ``low <= 2**128 · Σvalues < low + count``, from one integer division per value, and
    decides ``value >= mean`` by cross-multiplying integers with that interval: exactly,
    whenever the value is not within ``count · 2**-128`` of the mean. Only then (a value
    exactly on the mean, say) is the exact sum computed, by halves, and used.

    >>> mean = Mean([Fraction(1, 3), Fraction(1, 3), Fraction(2, 3)])
    >>> Fraction(4, 9) >= mean, Fraction(4, 9) > mean, Decimal("0.45") > mean
    (True, False, True)
    """

    __slots__ = ("_count", "_exact", "_low", "_pair", "_values")

    def __init__(
        self,
        values: Sequence[Exact] | None = None,
        *,
        low: int = 0,
        count: int = 0,
        pairs: Sequence[tuple[int, int]] = (),
    ) -> None:
        self._low, self._count = low, count
        listed = []
        for value in values or ():
            top, bottom = rational(value).as_integer_ratio()
            self._low += (top << MEAN_BITS) // bottom
            self._count += 1
            listed.append((top, bottom))
        # a list is copied; another sequence (a column's pairs, made when first read) kept
        self._values: Sequence[tuple[int, int]] = (
            [*pairs, *listed] if listed or isinstance(pairs, list) else pairs
        )
        self._exact: Fraction | None = None
        self._pair: tuple[int, int] | None = None
        if not self._count:
            raise ValueError("the mean of no values")

    @property
    def count(self) -> int:
        """How many values."""
        return self._count

    @property
    def low(self) -> int:
        """The floor of ``2**MEAN_BITS`` × the sum, give or take fewer than ``count``."""
        return self._low

    def exact(self) -> Fraction:
        """The mean as a Fraction (computed once; costly for a large batch)."""
        if self._exact is None:
            top, bottom = self.pair()
            self._exact = Fraction(top, bottom)
        return self._exact

    def pair(self) -> tuple[int, int]:
        """The mean exactly, as a numerator and a denominator not reduced (reducing the
        mean of a large batch is the costly part)."""
        if self._pair is None:
            top, bottom = _sum_pairs(self._values)
            self._pair = (top, bottom * self._count)
        return self._pair

    def compare(self, other: Any) -> int:
        """-1, 0 or 1 as ``other`` is below, at or above the mean."""
        if not isinstance(other, Decimal | Fraction | int) or isinstance(other, bool):
            raise TypeError(f"cannot compare a mean with {type(other).__name__}")
        top, bottom = rational(other).as_integer_ratio()
        scaled = (top * self._count) << MEAN_BITS
        if scaled >= bottom * (self._low + self._count):
            return 1
        if scaled < bottom * self._low:
            return -1
        numerator, denominator = self.pair()
        left, right = top * denominator, numerator * bottom
        return (left > right) - (left < right)

    def __le__(self, other: Any) -> bool:
        return self.compare(other) >= 0

    def __lt__(self, other: Any) -> bool:
        return self.compare(other) > 0

    def __ge__(self, other: Any) -> bool:
        return self.compare(other) <= 0

    def __gt__(self, other: Any) -> bool:
        return self.compare(other) < 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mean):
            return self.exact() == other.exact()
        try:
            return self.compare(other) == 0
        except TypeError:
            return NotImplemented

    def __hash__(self) -> int:
        return hash(self.exact())

    def decimal(self) -> Decimal:
        """The mean for reading, to 34 significant digits (from the interval: exact to
        far more than that)."""
        context = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
        return context.divide(Decimal(self._low), Decimal(self._count << MEAN_BITS))

    def __repr__(self) -> str:
        return f"Mean({self.decimal()}, count={self._count})"


EXACT_MEANS = 1000
"""Up to this many values a peer mean is an exact Fraction; beyond, a :class:`Mean`."""


def mean_of_values(values: Sequence[Exact]) -> Fraction | Mean:
    """The mean of ``values``, exactly: a Fraction for a small batch, a :class:`Mean`
    (the same comparisons, without the cost) for a large one."""
    if len(values) <= EXACT_MEANS:
        return sum((rational(value) for value in values), Fraction(0)) / len(values)
    return Mean(values)


Statistic = Exact | Mean
"""A peer statistic: a number, or the :class:`Mean` of a large batch."""


def _sum_pairs(pairs: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The sum of ``top / bottom`` pairs as one pair, by halves and without reducing
    (so that the large products are few and Karatsuba's)."""
    if len(pairs) <= 16:
        top, bottom = 0, 1
        for n, d in pairs:
            top, bottom = top * d + n * bottom, bottom * d
        return top, bottom
    middle = len(pairs) // 2
    (a, b), (c, d) = _sum_pairs(pairs[:middle]), _sum_pairs(pairs[middle:])
    return a * d + c * b, b * d
