"""The batch path's integer arithmetic (``rubriceng.batch.vector``) against plain
``Fraction`` arithmetic, value by value: sums, products, quotients, comparisons and the
least or greatest of several columns, for every way a column is held — one scale for
the column (a Python integer denominator, 10^k or any other), a denominator per row,
a constant — and for magnitudes on both sides of what ``int64`` holds. A shared factor
of two scales is cancelled before the cross-products; ties must stay ties."""

from __future__ import annotations

import ast
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

np = pytest.importorskip("numpy")

from rubriceng.batch.vector import (  # noqa: E402 - numpy first
    Env,
    Num,
    add,
    compare,
    divide,
    extreme,
    multiply,
)

ROWS = 6
MAGNITUDES = st.sampled_from([10, 10**6, 2**31, 10**12, 2**62 - 1, 2**80])
"""Up to 2**80: beyond ``int64``, a column is Python integers in an object array."""
SCALES = st.sampled_from([1, 2, 3, 7, 10, 100, 1000, 24, 120, 10**6, 10**9])


@st.composite
def columns(draw: Any) -> tuple[Num, list[Fraction]]:
    """A column of rationals as the batch path holds one, with the values it means."""
    top = draw(MAGNITUDES)
    tops = draw(st.lists(st.integers(-top, top), min_size=ROWS, max_size=ROWS))
    shape = draw(st.sampled_from(["scale", "rows", "constant"]))
    kind = object if top >= 2**63 else np.int64
    if shape == "constant":
        scale = draw(SCALES)
        return Num(tops[0], scale), [Fraction(tops[0], scale)] * ROWS
    if shape == "scale":
        scale = draw(SCALES)
        return Num(np.array(tops, dtype=kind), scale), [Fraction(t, scale) for t in tops]
    bottoms = draw(st.lists(st.integers(1, top), min_size=ROWS, max_size=ROWS))
    values = [Fraction(t, b) for t, b in zip(tops, bottoms, strict=True)]
    return Num(np.array(tops, dtype=kind), np.array(bottoms, dtype=kind)), values


def _values(num: Num) -> list[Fraction]:
    tops = np.broadcast_to(np.asarray(num.n, dtype=object), (ROWS,)).tolist()
    bottoms = np.broadcast_to(np.asarray(num.d, dtype=object), (ROWS,)).tolist()
    assert all(int(bottom) > 0 for bottom in bottoms)
    return [Fraction(int(t), int(b)) for t, b in zip(tops, bottoms, strict=True)]


def _env() -> Env:
    return Env({}, np.ones(ROWS, dtype=bool))


@given(columns(), columns())
def test_sums_differences_and_products_are_exact(a: Any, b: Any) -> None:
    (x, xs), (y, ys) = a, b
    assert _values(add(x, y)) == [p + q for p, q in zip(xs, ys, strict=True)]
    assert _values(add(x, y, -1)) == [p - q for p, q in zip(xs, ys, strict=True)]
    assert _values(multiply(x, y)) == [p * q for p, q in zip(xs, ys, strict=True)]


@given(columns(), columns())
def test_quotients_are_exact_and_a_zero_divisor_sets_the_row_aside(a: Any, b: Any) -> None:
    (x, xs), (y, ys) = a, b
    env = _env()
    found = _values(divide(env, x, y))
    for row, (p, q) in enumerate(zip(xs, ys, strict=True)):
        if q == 0:
            assert env.undecided[row]
        else:
            assert not env.undecided[row]
            assert found[row] == p / q


@given(columns(), columns())
def test_comparisons_are_decided_exactly(a: Any, b: Any) -> None:
    (x, xs), (y, ys) = a, b
    for kind, holds in (
        (ast.Lt, Fraction.__lt__),
        (ast.LtE, Fraction.__le__),
        (ast.Eq, Fraction.__eq__),
        (ast.GtE, Fraction.__ge__),
    ):
        found = np.broadcast_to(np.asarray(compare(kind, x, y)), (ROWS,)).tolist()
        assert found == [holds(p, q) for p, q in zip(xs, ys, strict=True)]


@given(columns(), columns(), columns())
def test_the_least_and_greatest_of_columns(a: Any, b: Any, c: Any) -> None:
    values = [a[0], b[0], c[0]]
    rows = list(zip(a[1], b[1], c[1], strict=True))
    assert _values(extreme(values, smallest=True)) == [min(row) for row in rows]
    assert _values(extreme(values, smallest=False)) == [max(row) for row in rows]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((5, 24), (625, 3000)),  # 5/24 at two scales that share a factor
        ((13, 120), (1083333, 10**7)),  # not a tie: 13/120 is not 0.1083333
        ((2, 3), (4, 6)),
        ((10, 100), (1, 10)),  # a band's edge, 0.10, at two scales
        ((2**61, 10**6), (2**61 * 1000, 10**9)),  # int64 magnitudes, a scale apart
    ],
)
def test_ties_across_scales_stay_ties(left: tuple[int, int], right: tuple[int, int]) -> None:
    x = Num(np.full(ROWS, left[0], dtype=np.int64), left[1])
    y = Num(np.full(ROWS, right[0], dtype=object), right[1])
    equal = Fraction(*left) == Fraction(*right)
    assert np.asarray(compare(ast.Eq, x, y)).tolist() == [equal] * ROWS
    assert _values(add(x, y, -1)) == [Fraction(*left) - Fraction(*right)] * ROWS


@st.composite
def float_columns(draw: Any) -> list[float]:
    """Floats as a spreadsheet holds them: decimals typed at one scale, near the
    magnitudes where two decimals start to read as one float (2**48 … 2**53 at their
    scale), with computed values (2/3, 0.1 + 0.2) and NaN among them."""
    places = draw(st.integers(0, 12))
    top = draw(st.sampled_from([10**4, 10**9, 2**47, 2**49, 2**51, 2**53, 2**55]))
    tops = draw(st.lists(st.integers(-top, top), min_size=1, max_size=20))
    fewer = draw(st.lists(st.integers(0, places), min_size=len(tops), max_size=len(tops)))
    values = [  # each at its own places: the column's scale is the most of them
        float(Decimal(t // 10 ** (places - p)).scaleb(-p)) for t, p in zip(tops, fewer, strict=True)
    ]
    extra = draw(st.lists(st.sampled_from([2 / 3, 0.1 + 0.2, float("nan"), 1e-45]), max_size=3))
    return values + extra


@given(float_columns())
def test_a_float_column_is_read_as_the_row_path_reads_each_float(values: list[float]) -> None:
    """Each float the columns read is its shortest decimal (its ``repr``), exactly as
    the row path reads it; what the columns cannot read goes to the row path."""
    from rubriceng.batch.reading import decimal_floats

    found, present, bad = decimal_floats(np.array(values, dtype=np.float64))
    tops = np.broadcast_to(np.asarray(found.n, dtype=object), (len(values),)).tolist()
    for index, value in enumerate(values):
        assert bool(present[index]) == (not math.isnan(value))
        if present[index] and not bad[index]:
            assert Fraction(int(tops[index]), int(found.d)) == Fraction(Decimal(repr(value)))
