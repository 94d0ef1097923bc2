"""Reading number columns exactly: each float column at the decimal scale it was typed at,
so that ``0.1`` is one tenth, never the binary float nearest to it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rubriceng.batch.vector import Num, narrow, product

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is an optional dependency
    np = None  # type: ignore[assignment]


_FLOAT_DIGITS = 17
"""The most decimal places a float column's values are read at (beyond: the row path)."""


def decimal_floats(column: Any) -> tuple[Num, Any, Any]:
    """A float column as the exact decimals the row path reads (each float by its
    shortest representation, ``0.1`` as 1/10), at one scale ``10**k`` for the column.

    A value is read at the fewest decimal places ``k`` at which exactly one integer
    ``m`` has ``m / 10**k`` round to it: that decimal is its shortest representation.
    A value with no such ``k`` up to :data:`_FLOAT_DIGITS`, or above ``2**53`` at its
    scale (``2/3`` computed in a spreadsheet: 0.6666666666666666), is read one by one as
    the row path reads it, by its ``repr``; only NaN, infinities, magnitudes above 10^18
    and values of more than :data:`_REPR_PLACES` places go to the row path, which
    refuses or reads them."""
    values = np.asarray(column, dtype=np.float64)
    within = np.abs(values) <= 1e18  # not NaN, not infinite, at most 10^18
    if within.all():  # the common case: every value a number in range
        fast = _one_scale(values, None)
        if fast is not None:
            return Num(fast[0], fast[1]), within, ~within
    present = ~np.isnan(values)
    bad = present & ~within  # infinities, and magnitudes beyond 10^18
    fast = _one_scale(values, within)
    if fast is not None:
        return Num(np.where(within, fast[0], 0), fast[1]), present, bad
    usable = present & ~bad
    places = np.full(len(values), -1, dtype=np.int64)
    tops = np.zeros(len(values), dtype=np.float64)
    for k in range(_FLOAT_DIGITS + 1):
        waiting = usable & (places < 0)
        if not waiting.any():
            break
        scale = 10.0**k
        with np.errstate(all="ignore"):
            near = np.rint(values * scale)
            waiting &= np.abs(near) < 2.0**52
            # every integer that could read as the value lies within 2 of ``near``
            hits = [(near + step, (near + step) / scale == values) for step in (-2, -1, 0, 1, 2)]
        count = sum(hit.astype(np.int64) for _, hit in hits) * waiting
        for top, hit in hits:
            chosen = waiting & hit & (count == 1)
            places[chosen] = k
            tops[chosen] = top[chosen]
        bad |= count > 1  # two decimals of k places read as this float: the row path
        usable &= count <= 1
    bad |= usable & (places < 0)
    by_repr = _by_repr(values, bad & present & np.isfinite(values) & (np.abs(values) <= 1e18))
    read = list(by_repr)
    bad[read] = False
    odd = bad | ~present
    odd[read] = True  # not at the column's scale: set below
    places = np.where(odd, 0, places)
    k = max([int(places.max()) if len(places) else 0, *(places_of(d) for d in by_repr.values())])
    whole = tops.astype(np.int64)
    lift = 10 ** (k - places)  # to the column's scale
    top = np.where(odd, 0, product(whole, lift))  # Python integers where int64 would overflow
    if by_repr:
        top = top.astype(object)
        for index, number in by_repr.items():
            top[index] = int(number.scaleb(k))  # exact: the number has at most k places
        top = narrow(top)
    return Num(top, 10**k), present, bad


_REPR_PLACES = 40
"""The most decimal places a float read by its ``repr`` may have on the columns (beyond,
``1e-300`` say, the row path reads it: a column of 300-digit integers is not faster)."""


def _by_repr(values: Any, rows: Any) -> dict[int, Decimal]:
    """The values of ``rows`` as the row path reads a float: by its shortest ``repr``."""
    found = {}
    for index in np.flatnonzero(rows).tolist():
        number = Decimal(repr(float(values[index])))
        if places_of(number) <= _REPR_PLACES:
            found[index] = number
    return found


_DISTINCT = 2.0**48
"""Below this many steps of ``10**-k``, neighbouring decimals ``m / 10**k`` and ``(m ±
1) / 10**k`` never read as one float: they lie ``10**-k`` apart, and a float's spacing
there is at most ``2**-50 · 2**48 · 10**-k``, a quarter of that."""


def _one_scale(values: Any, usable: Any | None) -> tuple[Any, int] | None:
    """The column at the fewest decimal places ``k`` at which every usable value (None:
    every value) is ``m / 10**k`` for exactly one integer ``m`` (then that is each value's
    shortest decimal, written at ``k`` places; the others are 0); None if there is no
    such ``k`` (the slower reading)."""
    chosen = values if usable is None else values[usable]
    for k in range(_first_places(chosen[:64]), _FLOAT_DIGITS + 1):
        scale = 10.0**k
        near = np.rint(chosen * scale)
        largest = max(near.max(initial=0), -near.min(initial=0))
        if largest >= 2.0**52:
            return None
        if not (near / scale == chosen).all():
            continue
        if largest >= _DISTINCT and (
            np.any((near - 1) / scale == chosen) or np.any((near + 1) / scale == chosen)
        ):
            return None  # two decimals read as one of these floats: value by value
        if usable is None:
            return near.astype(np.int64), 10**k
        tops = np.zeros(len(values), dtype=np.int64)
        tops[usable] = near.astype(np.int64)
        return tops, 10**k
    return None


def _first_places(sample: Any) -> int:
    """The fewest decimal places every value of a small sample reads at (where the
    column's search may start: no value needs fewer than its own)."""
    for k in range(_FLOAT_DIGITS + 1):
        scale = 10.0**k
        if np.array_equal(np.rint(sample * scale) / scale, sample):
            return k
    return 0


def places_of(value: Decimal) -> int:
    """How many decimal places ``value`` has, trailing zeros left out."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
