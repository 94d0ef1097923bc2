"""What a rubric's generated scoring function sees when it runs: the exact helpers it
calls (peer comparison, even shares of points), the bounds it checks numbers against,
and the shapes it answers in (:class:`Outcome`, :class:`Parts`).
"""

from __future__ import annotations

import decimal
import functools
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import attrs

from rubriceng.exact import Mean
from rubriceng.formula.values import MAX_BITS
from rubriceng.inputs.types import MAX_DIGITS, MAX_NUMBER, to_decimal
from rubriceng.language.model import CENT
from rubriceng.methods.unit_defined import split_evenly

DMAX = 10**40
"""The largest denominator of a unit's number the kernel reads (40 decimal places);
a number with more is scored by the general path."""
MAX_SOURCE = 4_000_000
"""The longest generated source compiled; a larger rubric is scored by the general path."""
BITS_LIMIT = MAX_BITS // 2
"""A formula whose numbers could grow past this many bits is left to the general path."""
IN_BITS = (DMAX * int(MAX_NUMBER)).bit_length()
_SIGNIFICANT = decimal.Context(
    prec=MAX_DIGITS, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[]
)


def peer_side(top: int, bottom: int, peer: Any) -> int:
    """-1, 0 or 1 as ``top / bottom`` is below, at or above a peer statistic (a number,
    or the :class:`~rubriceng.exact.Mean` of a large batch), exactly."""
    if isinstance(peer, Mean):
        return peer.compare(Fraction(top, bottom))
    other_top, other_bottom = peer.as_integer_ratio()
    left, right = top * other_bottom, other_top * bottom
    return int(left > right) - int(left < right)


def significant(value: Decimal) -> bool:
    """Whether ``value`` has at most :data:`~rubriceng.inputs.types.MAX_DIGITS` significant
    digits (the generated code asks only when its cheap bound cannot tell)."""
    return _SIGNIFICANT.plus(value) == value


def as_decimal(value: Any) -> Any:
    """An int or a float as the Decimal the input checker makes of it (a float by its
    repr); any other value as it is."""
    kind = type(value)
    return to_decimal(value) if kind is int or kind is float else value


class Collecting(dict):  # type: ignore[type-arg]
    """Peer statistics of a first pass over a batch, which wants only each unit's peer
    values (recorded in ``seen``): the kernel returns a :class:`Paused` unit once the
    leaves compared with their peers have run, and scores no other leaf."""


class Paused:
    """What the kernel returns, given :class:`Collecting` statistics, once the leaves
    compared with their peers have run: the unit as read and checked before them (the
    generated function's values, in its order), from which ``Kernel.resume`` scores
    every leaf with the batch's statistics, without reading the unit again."""

    __slots__ = ("state",)

    def __init__(self, state: tuple[Any, ...]) -> None:
        self.state = state


MISSING = object()
"""What the generated code reads for an input a unit did not give."""


class Unsupported(Exception):
    """A formula or method the generator has no integer form for."""


class Outcome(NamedTuple):
    """What the kernel found for one unit: the not-applicable pattern it fell into
    (``roots``, ids), each leaf's score in the rubric's steps (or the general code's
    result, or the parts), and which leaves a case decided. A named tuple: one is made
    per unit, and a tuple is the cheapest thing to make."""

    roots: tuple[str, ...]
    scores: tuple[Any, ...]
    cased: frozenset[int]
    events: tuple[int, ...]
    """The events of each adjustment (加减分), in the rubric's order."""
    steps: int
    """The sum of the leaves' scores, in steps."""


@attrs.frozen
class Parts:
    """A leaf scored as parts the unit named itself (``unit_defined``): its score in
    steps, and each part's name, points and score in steps."""

    steps: int
    parts: tuple[tuple[str, int, int], ...]


@functools.lru_cache(maxsize=256)
def even_shares(points: Decimal, count: int) -> tuple[int, ...]:
    """:func:`~rubriceng.methods.unit_defined.split_evenly` in cents."""
    return tuple(int(share / CENT) for share in split_evenly(points, count))
