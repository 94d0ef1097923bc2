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


# -- a large batch's peer mean, by long division in int64 ------------------------------------

from rubriceng.batch.scores import ColumnPairs  # noqa: E402
from rubriceng.batch.vector import (  # noqa: E402
    floors_at,
    floors_total,
    floors_versus,
    mean_side,
)
from rubriceng.exact import MEAN_BITS, Mean  # noqa: E402

BOTTOMS = st.sampled_from([1, 3, 100, 2**20 + 7, 10**9 + 7, 2**40 - 87, 2**54 - 33])
"""Denominators up to 2**54: beyond, a digit of the long division has too few bits."""


@st.composite
def ratios(draw: Any, rows: int = ROWS) -> tuple[Any, Any]:
    """Rows of ``top / bottom`` in int64, of either sign, as a peer column holds them."""
    largest = draw(BOTTOMS)
    bottoms = draw(st.lists(st.integers(1, largest), min_size=rows, max_size=rows))
    reach = draw(st.sampled_from([2, 10**6, 2**40, 2**61]))
    tops = draw(st.lists(st.integers(-reach, reach), min_size=rows, max_size=rows))
    return np.array(tops, dtype=np.int64), np.array(bottoms, dtype=np.int64)


def _floors(tops: Any, bottoms: Any, shift: int) -> list[int]:
    return [(int(t) << shift) // int(b) for t, b in zip(tops, bottoms, strict=True)]


@given(ratios(), st.sampled_from([1, 22, 64, MEAN_BITS, 200]))
def test_floors_by_long_division_are_the_floors_of_python_integers(
    column: tuple[Any, Any], shift: int
) -> None:
    tops, bottoms = column
    floors = floors_at(tops, bottoms, shift, room=ROWS.bit_length())
    if floors is None:  # only where a digit would have fewer than 8 bits
        assert int(bottoms.max()).bit_length() > 54
        return
    whole, digits = floors
    assert sum(place for place, _, _ in digits[-1:]) == 0
    found = [int(w) << shift for w in whole]
    for place, width, digit in digits:
        assert int(digit.min()) >= 0 and int(digit.max()) < 1 << width
        found = [f + (int(d) << place) for f, d in zip(found, digit, strict=True)]
    assert found == _floors(tops, bottoms, shift)
    summed = floors_total(floors, shift)
    if summed is None:  # only where the whole parts' sum might not fit int64
        assert max(abs(int(w)) for w in whole).bit_length() + ROWS.bit_length() >= 63
    else:
        assert summed == sum(_floors(tops, bottoms, shift))


@given(ratios(), st.sampled_from([0, 1, 64, MEAN_BITS]), st.integers(-2, 2), st.integers(0, 5))
def test_floors_are_compared_with_an_integer_digit_by_digit(
    column: tuple[Any, Any], shift: int, nudge: int, row: int
) -> None:
    tops, bottoms = column
    floors = floors_at(tops, bottoms, shift)
    if floors is None:
        return
    exact = _floors(tops, bottoms, shift)
    value = exact[row] + nudge  # at, just below and just above one row's floor
    sign = floors_versus(floors, shift, value)
    if sign is None:  # whole parts beyond 2**62
        return
    assert sign.tolist() == [(f > value) - (f < value) for f in exact]


@st.composite
def peer_batches(draw: Any) -> tuple[Any, Any, Mean, list[Fraction]]:
    """A column of peer values and the mean of a batch that holds some of them: values
    below, above and exactly on the mean (a unit's rate equal to the batch's 2/3)."""
    tops, bottoms = draw(ratios(rows=12))
    values = [Fraction(int(t), int(b)) for t, b in zip(tops, bottoms, strict=True)]
    mean = Mean(values)
    exact = mean.exact()
    if abs(exact.numerator) < 2**62 and exact.denominator < 2**54:  # one row on the mean
        tops[0], bottoms[0] = exact.numerator, exact.denominator
    return (
        tops,
        bottoms,
        mean,
        [Fraction(int(t), int(b)) for t, b in zip(tops, bottoms, strict=True)],
    )


@given(peer_batches())
def test_each_row_is_placed_against_a_large_mean_exactly(batch: Any) -> None:
    tops, bottoms, mean, values = batch
    side = mean_side(Num(tops, bottoms), mean, (len(values),))
    exact = mean.exact()
    assert side.tolist() == [(v > exact) - (v < exact) for v in values]


def test_a_row_exactly_on_a_mean_of_thirds_is_on_it() -> None:
    values = [Fraction(1, 3), Fraction(2, 3), Fraction(1, 1)] * 400  # mean 2/3, 1,200 values
    mean = Mean(values)
    tops, bottoms = np.array([2, 4, 666_666, 666_667]), np.array([3, 6, 1_000_000, 1_000_000])
    assert mean_side(Num(tops, bottoms), mean, (4,)).tolist() == [0, 0, -1, 1]


def test_a_columns_pairs_are_made_when_first_read_and_read_as_a_list() -> None:
    pairs = ColumnPairs(np.array([1, 2, 3]), np.array([3, 3, 4]), [(5, 7)])
    assert len(pairs) == 4
    assert list(pairs) == [(1, 3), (2, 3), (3, 4), (5, 7)]
    assert pairs[1] == (2, 3) and pairs[2:] == [(3, 4), (5, 7)]
    assert all(type(number) is int for pair in pairs for number in pair)
    values = [Fraction(1, 3), Fraction(2, 3), Fraction(3, 4), Fraction(5, 7)]
    low = sum((top << MEAN_BITS) // bottom for top, bottom in pairs)
    lazy = ColumnPairs(np.array([1, 2, 3]), np.array([3, 3, 4]), [(5, 7)])
    mean = Mean(low=low, count=4, pairs=lazy)
    assert mean.exact() == sum(values) / 4 and mean == Mean(values)
