"""Exact integer columns: numbers, formulas and the built-in scoring methods over NumPy
arrays, for the batch path (:mod:`rubriceng.batch.columns`).

A :class:`Num` is a column of exact rationals held as two integer arrays, numerators
``n`` and positive denominators ``d``, or Python integers for a constant. They are
``int64`` while every value provably fits (the operands' largest magnitudes are checked
before each product), and Python integers in an object array for that column otherwise,
so nothing ever wraps around. ``a ± b``, ``a × b`` and ``a ÷ b`` are computed as the row
kernel computes them; every comparison (a band's edge, a cap, a peer mean) is decided by
cross-multiplying integers; floor, ceiling and rounding are integer divisions. Nothing is
a float, so nothing is ever undecided.

What the row path refuses or fails on — a zero divisor, a negative value where none may
be, a refused excess, a value of the wrong kind — marks the row *aside* in the
:class:`Env`: the batch then hands that unit to the row path, which reports it. Whatever
these functions cannot do raises :class:`Unsupported`, and the rubric is scored row by
row.
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

import attrs

from rubriceng.exact import MEAN_BITS, Mean, rational
from rubriceng.formula.language import Formula
from rubriceng.language.model import Indicator
from rubriceng.methods.all_or_nothing import AllOrNothingScorer
from rubriceng.methods.average import AverageScorer
from rubriceng.methods.bands import BandsScorer
from rubriceng.methods.checklist import ChecklistItem, ChecklistScorer
from rubriceng.methods.deductions import DeductionsScorer
from rubriceng.methods.formula import FormulaScorer
from rubriceng.methods.judgement import JudgementScorer
from rubriceng.methods.peer import PeerScorer
from rubriceng.methods.ratio import RatioScorer
from rubriceng.methods.steps import StepsScorer

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is an optional dependency
    np = None  # type: ignore[assignment]

ZERO = Decimal(0)
_WIDE_BITS = 62
"""A product whose operands' bits add up to this or more is computed in Python integers."""


class Unsupported(Exception):
    """Something the column path does not do; the rubric is scored row by row."""


class Source(Protocol):
    """What a method reads besides formulas: judged inputs and peer statistics."""

    peers: dict[str, Any]

    def credit(self, env: Any, leaf: Indicator, item: ChecklistItem) -> Any: ...

    def own_number(self, env: Any, leaf: Indicator, key: str) -> Any: ...


# -- integers that never overflow ---------------------------------------------------------------


_LARGEST = np.maximum.reduce if np is not None else max
_SMALLEST = np.minimum.reduce if np is not None else min
"""The ufuncs' own reductions: ``x.max()`` and ``x.min()`` without their wrappers."""


def bits(x: Any) -> int:
    """The most bits any value of ``x`` (an int or an integer array) needs."""
    if isinstance(x, int):
        return abs(x).bit_length()
    if not x.size:
        return 0
    return max(int(_LARGEST(x)), -int(_SMALLEST(x))).bit_length()


def wide(x: Any) -> Any:
    """``x`` as Python integers (an object array), which cannot overflow."""
    if isinstance(x, np.ndarray) and x.dtype != object:
        return x.astype(object)
    return x


def narrow(x: Any) -> Any:
    """An object array back in ``int64`` when every value fits (faster from then on)."""
    if isinstance(x, np.ndarray) and x.dtype == object and x.size and bits(x) < 63:
        return x.astype(np.int64)
    return x


def is_wide(x: Any) -> bool:
    """Whether ``x`` is an array of Python integers (beyond ``int64``)."""
    return isinstance(x, np.ndarray) and x.dtype == object


def product(a: Any, b: Any) -> Any:
    """``a × b`` elementwise, exactly (never written to: ``a × 1`` is ``a`` itself)."""
    if type(b) is int and b == 1:
        return a
    if type(a) is int and a == 1:
        return b
    if is_wide(a) or is_wide(b) or bits(a) + bits(b) >= _WIDE_BITS:
        if isinstance(a, int) and isinstance(b, int):
            return a * b
        return wide(a) * wide(b)
    return a * b


def total(a: Any, b: Any, sign: int = 1) -> Any:
    """``a + b`` (or ``a - b``) elementwise, exactly."""
    if is_wide(a) or is_wide(b) or max(bits(a), bits(b)) + 1 >= _WIDE_BITS:
        if isinstance(a, int) and isinstance(b, int):
            return a + sign * b
        return wide(a) + sign * wide(b)
    return a + b if sign > 0 else a - b


def choose(condition: Any, yes: Any, no: Any) -> Any:
    """``np.where`` for integers that may be Python integers beyond ``int64``."""
    if is_wide(yes) or is_wide(no) or _beyond_int64(yes) or _beyond_int64(no):
        return np.where(condition, wide(_array(yes, condition)), wide(_array(no, condition)))
    return np.where(condition, yes, no)


Digits = list[tuple[int, int, Any]]
"""Binary digits of a column below its whole part: ``(place, width, digits)``, each digit
in ``[0, 2**width)`` and worth ``2**place``."""


def floors_at(tops: Any, bottoms: Any, shift: int, room: int = 0) -> tuple[Any, Digits] | None:
    """``floor(2**shift · tops / bottoms)`` for each row (``bottoms`` > 0), by long
    division in ``int64``: the whole part ``tops // bottoms`` and the binary digits of
    the rest, so that the floor is ``whole · 2**shift + Σ digits · 2**place``. Each digit
    leaves ``room`` bits free, so that ``2**room`` of them add up in ``int64``. None if a
    step would not fit ``int64`` (the caller then uses Python integers)."""
    if is_wide(tops) or is_wide(bottoms) or isinstance(tops, int) or isinstance(bottoms, int):
        return None
    width = 62 - max(bits(bottoms), room)
    if width < 8:
        return None
    whole, rest = np.divmod(tops, bottoms)  # 0 <= rest < bottoms, whatever the signs
    digits: Digits = []
    place = shift
    while place > 0:
        step = min(width, place)
        place -= step
        digit, rest = np.divmod(rest << step, bottoms)  # rest << step < 2**62
        digits.append((place, step, digit))
    return whole, digits


def floors_total(floors: tuple[Any, Digits], shift: int) -> int | None:
    """The sum of the floors :func:`floors_at` gave (made with ``room`` for the rows'
    count), or None if the whole parts' sum might not fit ``int64``."""
    whole, digits = floors
    if bits(whole) + max(len(whole), 1).bit_length() >= 63:
        return None
    found = int(whole.sum()) << shift
    for place, _, digit in digits:
        found += int(digit.sum()) << place
    return found


def floors_versus(floors: tuple[Any, Digits], shift: int, value: int) -> Any | None:
    """-1, 0 or 1 for each row as its floor is below, at or above the integer ``value``,
    digit by digit (None if the whole parts are too large to compare in ``int64``)."""
    whole, digits = floors
    top = value >> shift
    if bits(whole) >= 62 or top.bit_length() >= 62:
        return None
    sign = np.sign(whole - top)
    for place, width, digit in digits:
        tied = sign == 0
        if not tied.any():
            break
        sign = np.where(tied, np.sign(digit - ((value >> place) & ((1 << width) - 1))), sign)
    return sign


def _beyond_int64(x: Any) -> bool:
    """A Python integer ``int64`` cannot hold (an ``int64`` array holds what it holds)."""
    return isinstance(x, int) and x.bit_length() >= 63


def _array(x: Any, like: Any) -> Any:
    return spread(x, np.shape(like)) if isinstance(x, int) else x


# -- exact rationals over rows ------------------------------------------------------------------


@attrs.define
class Num:
    """A column of exact rationals ``n / d`` (``d > 0``): integer arrays, or Python
    integers for a constant."""

    n: Any
    d: Any


def constant(value: Decimal | Fraction | int) -> Num:
    """An exact number (made once for each value a rubric uses; never written to)."""
    try:
        return _constant(value)
    except TypeError:  # unhashable: a signalling NaN, which rational() refuses
        fraction = rational(value)
        return Num(fraction.numerator, fraction.denominator)


@functools.lru_cache(maxsize=4096)
def _constant(value: Decimal | Fraction | int) -> Num:
    fraction = rational(value)
    return Num(fraction.numerator, fraction.denominator)


def number(value: Any) -> Num:
    """A number column: a Num, or true/false as 1/0."""
    if isinstance(value, Num):
        return value
    if isinstance(value, np.ndarray) and value.dtype == bool:
        return Num(value.astype(np.int64), 1)
    if isinstance(value, bool | np.bool_):
        return Num(int(value), 1)
    raise Unsupported("not a number")


def _reduced(n: Any, d: Any, always: bool = False) -> Num:
    """``n / d``, in lowest terms where the arrays are ``int64`` and large enough for
    it to matter (``always``: whatever their size), which keeps them in ``int64``."""
    if (
        isinstance(n, np.ndarray)
        and isinstance(d, np.ndarray)
        and not (is_wide(n) or is_wide(d))
        and (always or bits(d) > 40)
    ):
        divisor = np.gcd(n, d)
        divisor = np.where(divisor == 0, 1, divisor)
        return Num(n // divisor, d // divisor)
    return Num(narrow(n), narrow(d))


def _cancelled(x: Any, y: Any) -> tuple[Any, Any]:
    """``x`` and ``y`` without their common factor where both are Python integers (two
    columns' scales, say), so that cross-products stay small: ``x/g``, ``y/g``."""
    if isinstance(x, int) and isinstance(y, int):
        common = math.gcd(x, y) or 1
        return x // common, y // common
    return x, y


def add(a: Num, b: Num, sign: int = 1) -> Num:
    """``a + b`` (``sign`` -1: ``a - b``), exactly."""
    if isinstance(a.d, int) and isinstance(b.d, int):  # over their least common multiple
        to_a, to_b = _cancelled(b.d, a.d)
        return Num(total(product(a.n, to_a), product(b.n, to_b), sign), a.d * to_a)
    return _reduced(total(product(a.n, b.d), product(b.n, a.d), sign), product(a.d, b.d))


def multiply(a: Num, b: Num) -> Num:
    """``a × b``, exactly."""
    return _reduced(product(a.n, b.n), product(a.d, b.d))


def negative(a: Num) -> Num:
    """``-a``."""
    return Num(-a.n if not is_wide(a.n) else wide(a.n) * -1, a.d)


def divide(env: Env, a: Num, b: Num) -> Num:
    """``a ÷ b``, exactly; rows where ``b`` is zero are set aside (the row path fails
    them as a division by zero)."""
    zero = np.asarray(b.n == 0)
    divisor = b.n
    if zero.any():
        env.doubt(np.broadcast_to(zero, env.active.shape))
        divisor = choose(zero, 1, b.n)
    by, under = _cancelled(b.d, a.d)
    n, d = product(a.n, by), product(under, divisor)
    if isinstance(d, int):
        if d < 0:
            n, d = -n if not is_wide(n) else wide(n) * -1, -d
    elif (negative_d := d < 0).any():
        n, d = choose(negative_d, total(0, n, -1), n), choose(negative_d, total(0, d, -1), d)
    return _reduced(n, d)


def compare(kind: type, a: Num, b: Num) -> Any:
    """``a <op> b`` for every row, decided by cross-multiplying."""
    by_b, by_a = _cancelled(b.d, a.d)
    return _COMPARE[kind](product(a.n, by_b), product(b.n, by_a))


def extreme(values: Sequence[Num], smallest: bool) -> Num:
    """The least (or greatest) of ``values``, row by row."""
    result = values[0]
    for other in values[1:]:
        take = compare(ast.Lt if smallest else ast.Gt, other, result)
        if isinstance(take, bool | np.bool_):
            result = other if take else result
        else:
            result = Num(choose(take, other.n, result.n), choose(take, other.d, result.d))
    return result


def where(condition: Any, yes: Num, no: Num) -> Num:
    """``yes`` where ``condition`` holds, else ``no``."""
    return Num(choose(condition, yes.n, no.n), choose(condition, yes.d, no.d))


def floor_of(a: Num, up: bool = False) -> Num:
    """floor (or ceil) of ``a``: a whole number."""
    if up:
        return Num(total(0, total(0, a.n, -1) // a.d, -1), 1)
    return Num(a.n // a.d, 1)


def _broadcast(value: Any, shape: tuple[int, ...]) -> Any:
    return np.broadcast_to(np.asarray(value), shape)


class Env:
    """One indicator's evaluation over all rows: names, the rows it is active on, and
    the rows set aside for the row path (it reports what is wrong with them)."""

    def __init__(self, names: dict[str, Any], active: Any) -> None:
        self.names = names
        self.active = active
        self.undecided = np.zeros_like(active)
        """The rows set aside: the row path scores (or fails) them."""

    def doubt(self, rows: Any) -> None:
        """Set ``rows`` aside (those this environment is active on)."""
        self.undecided |= rows & self.active

    def narrowed(self, rows: Any) -> Env:
        inner = Env(self.names, self.active & rows)
        inner.undecided = self.undecided
        return inner


def _truth(env: Env, value: Any) -> Any:
    if isinstance(value, Num):
        return _broadcast(value.n != 0, env.active.shape)
    if isinstance(value, np.ndarray) and value.dtype == bool:
        return value
    if isinstance(value, bool | np.bool_):
        return np.full(env.active.shape, bool(value))
    raise Unsupported("not true or false")


# -- formulas ----------------------------------------------------------------------------------

Vector = Callable[[Env], Any]


def vectorise(formula: Formula) -> Vector:
    """``formula`` as a function of a column environment (raises Unsupported)."""
    if formula.is_constant:
        fixed = formula.constant
        return (lambda env: fixed) if isinstance(fixed, bool | str) else _const(fixed)
    return _vector(formula.tree)


def _const(value: Any) -> Vector:
    number_ = constant(Decimal(value))
    return lambda env: number_


_COMPARE: Mapping[type, Callable[[Any, Any], Any]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


def _vector(node: ast.AST) -> Vector:
    if isinstance(node, ast.Expression):
        return _vector(node.body)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            flag = node.value
            return lambda env: flag
        if isinstance(node.value, str):
            text = node.value
            return lambda env: text
        return _const(node.value)
    if isinstance(node, ast.Name):
        key = node.id
        return lambda env: env.names[key]
    if isinstance(node, ast.BinOp):
        left, right = _vector(node.left), _vector(node.right)
        if isinstance(node.op, ast.Add | ast.Sub):
            sign = 1 if isinstance(node.op, ast.Add) else -1
            return lambda env: add(number(left(env)), number(right(env)), sign)
        if isinstance(node.op, ast.Mult):
            return lambda env: multiply(number(left(env)), number(right(env)))
        if isinstance(node.op, ast.Div):
            return lambda env: divide(env, number(left(env)), number(right(env)))
        raise Unsupported(type(node.op).__name__)
    if isinstance(node, ast.UnaryOp):
        operand = _vector(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda env: negative(number(operand(env)))
        if isinstance(node.op, ast.UAdd):
            return lambda env: number(operand(env))
        if isinstance(node.op, ast.Not):
            return lambda env: ~_truth(env, operand(env))
    if isinstance(node, ast.Compare):
        return _compare_vector(node)
    if isinstance(node, ast.BoolOp):
        return _boolean_vector(node)
    if isinstance(node, ast.IfExp):
        test, body, orelse = _vector(node.test), _vector(node.body), _vector(node.orelse)

        def choice(env: Env) -> Any:
            condition = _truth(env, test(env))
            yes, no = body(env.narrowed(condition)), orelse(env.narrowed(~condition))
            if isinstance(yes, Num) or isinstance(no, Num):
                return where(condition, number(yes), number(no))
            return np.where(condition, yes, no)

        return choice
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call_vector(node.func.id, [_vector(argument) for argument in node.args])
    raise Unsupported(type(node).__name__)


def _boolean_vector(node: ast.BoolOp) -> Vector:
    parts = [_vector(value) for value in node.values]
    conjunction = isinstance(node.op, ast.And)

    def boolean_(env: Env) -> Any:
        """Python's ``and``/``or``: the first operand that decides, as it is (so ``a and
        b`` of numbers is a number), each operand evaluated only where the ones before it
        did not decide."""
        values, stops = [], []
        going = np.ones(env.active.shape, dtype=bool)
        for index, part in enumerate(parts):
            value = part(env.narrowed(going))
            values.append(value)
            if index < len(parts) - 1:
                truth = _truth(env.narrowed(going), value)
                stop = going & (~truth if conjunction else truth)
                stops.append(stop)
                going = going & ~stop
        if all(_is_bool(value) for value in values):
            result = np.broadcast_to(values[-1], env.active.shape)
            for value, stop in zip(reversed(values[:-1]), reversed(stops), strict=True):
                result = np.where(stop, value, result)
            return result
        chosen = number(values[-1])
        for value, stop in zip(reversed(values[:-1]), reversed(stops), strict=True):
            chosen = where(stop, number(value), chosen)
        return chosen

    return boolean_


def _compare_vector(node: ast.Compare) -> Vector:
    first = _vector(node.left)
    steps = [
        (type(op), _vector(right)) for op, right in zip(node.ops, node.comparators, strict=True)
    ]

    def compare_(env: Env) -> Any:
        left = first(env)
        result: Any = True
        for kind, right_vector in steps:
            right = right_vector(env)
            if _is_text(left) or _is_text(right):
                if kind not in (ast.Eq, ast.NotEq):
                    raise Unsupported("ordering text")
                outcome = _text_equal(left, right, env.active.shape)
                if kind is ast.NotEq:
                    outcome = ~outcome
            elif _is_bool(left) and _is_bool(right) and kind in (ast.Eq, ast.NotEq):
                outcome = _COMPARE[kind](left, right)
            else:
                outcome = compare(kind, number(left), number(right))
            result = result & outcome
            left = right
        return np.broadcast_to(result, env.active.shape)

    return compare_


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, np.ndarray) and value.dtype == object)


def _text_equal(left: Any, right: Any, shape: tuple[int, ...]) -> Any:
    """Python's ``==`` where text is involved: text equals only the same text."""
    if not (_is_text(left) and _is_text(right)):
        return np.zeros(shape, dtype=bool)  # text never equals a number or true/false
    lefts = np.broadcast_to(np.asarray(left, dtype=object), shape).ravel()
    rights = np.broadcast_to(np.asarray(right, dtype=object), shape).ravel()
    return np.array([a == b for a, b in zip(lefts, rights, strict=True)], dtype=bool).reshape(shape)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool | np.bool_) or (
        isinstance(value, np.ndarray) and value.dtype == bool
    )


def _call_vector(name: str, arguments: list[Vector]) -> Vector:
    if name in ("min", "max"):
        smallest = name == "min"
        if len(arguments) == 1:
            return lambda env: _list_extreme(_listed(arguments[0](env)), smallest)
        return lambda env: extreme([number(argument(env)) for argument in arguments], smallest)
    if name == "abs" and len(arguments) == 1:
        return lambda env: _absolute(number(arguments[0](env)))
    if name == "clamp" and len(arguments) == 3:
        value, low, high = arguments
        return lambda env: extreme(
            [number(low(env)), extreme([number(high(env)), number(value(env))], True)], False
        )
    if name == "div" and len(arguments) == 3:
        numerator, denominator, if_zero = arguments

        def div(env: Env) -> Num:
            b = number(denominator(env))
            zero = _broadcast(b.n == 0, env.active.shape)
            safe = Num(choose(zero, 1, b.n), choose(zero, 1, b.d))
            quotient = divide(env.narrowed(~zero), number(numerator(env)), safe)
            return where(zero, number(if_zero(env)), quotient)

        return div
    if name in ("floor", "ceil") and len(arguments) == 1:
        up = name == "ceil"
        return lambda env: floor_of(number(arguments[0](env)), up)
    if name in ("sum", "mean", "count") and len(arguments) == 1:
        return lambda env: _aggregate(_listed(arguments[0](env)), name)
    raise Unsupported(f"function {name}")


def _absolute(a: Num) -> Num:
    return Num(np.abs(a.n) if isinstance(a.n, np.ndarray) else abs(a.n), a.d)


@attrs.define
class ListColumn:
    """A list input with the same length in every row: (rows, k) arrays of numerators
    and denominators."""

    n: Any
    d: Any

    def item(self, index: int) -> Num:
        """The ``index``-th value of every row's list."""
        return Num(self.n[:, index], self.d[:, index])

    @property
    def length(self) -> int:
        """How many values each row's list has."""
        return int(self.n.shape[1])


def _listed(value: Any) -> ListColumn:
    if not isinstance(value, ListColumn):
        raise Unsupported("not a list")
    return value


def _list_extreme(values: ListColumn, smallest: bool) -> Num:
    return extreme([values.item(index) for index in range(values.length)], smallest)


def _aggregate(values: ListColumn, name: str) -> Num:
    count = values.length
    if name == "count":
        return Num(np.full(values.n.shape[0], count, dtype=np.int64), 1)
    if not count:
        raise Unsupported("an empty list")
    summed = sum_of([values.item(index) for index in range(count)])
    if name == "sum":
        return summed
    return multiply(summed, Num(1, count))


def sum_of(values: Sequence[Num]) -> Num:
    """The sum of ``values`` over one common denominator, the product of theirs: each
    numerator is multiplied by the other denominators only, so that four quarterly
    ratios of small terms stay in ``int64`` where adding them two by two would not."""
    if len(values) == 1:
        return values[0]
    bottom: Any = 1
    for value in values:
        bottom = product(bottom, value.d)
    top: Any = 0
    for index, value in enumerate(values):
        others: Any = 1
        for position, other in enumerate(values):
            if position != index:
                others = product(others, other.d)
        top = total(top, product(value.n, others))
    return _reduced(top, bottom)


def lowest(value: Num) -> Num:
    """``value`` in lowest terms where it is held in ``int64`` arrays."""
    return _reduced(value.n, value.d, always=True)


# -- scoring methods over columns -------------------------------------------------------------

Raw = Callable[[Env, Source, Indicator], Num]
"""A method over columns: the raw score of every active row (rows it fails set aside)."""


def _zeros(env: Env) -> Num:
    return Num(np.zeros(env.active.shape, dtype=np.int64), 1)


def points_of(leaf: Indicator) -> Num:
    """The leaf's own points."""
    return constant(leaf.points)


def boolean(env: Env, value: Any) -> Any:
    """True/false for every row; anything else sets the rows aside."""
    if _is_bool(value):
        return np.broadcast_to(value, env.active.shape)
    env.doubt(env.active)  # not true/false: the row path reports it
    return np.zeros(env.active.shape, dtype=bool)


def _named_number(env: Env, name: str) -> Num:
    value = env.names.get(name)
    if isinstance(value, Num):
        return value
    env.doubt(env.active)  # e.g. true/false where a number is needed: an error, exactly
    return _zeros(env)


def below(x: Num, bound: Num) -> Any:
    """Rows where ``x < bound``."""
    return compare(ast.Lt, x, bound)


def above(x: Num, bound: Num) -> Any:
    """Rows where ``x > bound``."""
    return compare(ast.Gt, x, bound)


_ZERO, _ONE = constant(0), constant(1)


def _formula_raw(scorer: FormulaScorer) -> Raw:
    formula = vectorise(scorer.formula)
    return lambda env, batch, leaf: number(formula(env))


def _ratio_raw(scorer: RatioScorer) -> Raw:
    actual, target = vectorise(scorer.actual), vectorise(scorer.target)
    if_zero = None if scorer.if_target_zero is None else constant(scorer.if_target_zero)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        a, t = number(actual(env)), number(target(env))
        env.doubt(below(a, _ZERO) | below(t, _ZERO))  # negative: an error
        over = above(a, t)
        zero = _broadcast(t.n == 0, env.active.shape)
        if scorer.refuse_when_exceeds:
            env.doubt(over)  # refused: the row path says why
        if if_zero is None:
            env.doubt(zero & ~over if scorer.zero_when_exceeds else zero)  # no target: an error
        safe = Num(choose(zero, 1, t.n), choose(zero, 1, t.d))
        rate = divide(env.narrowed(~zero), a, safe)
        score = multiply(points_of(leaf), extreme([_ONE, rate], True))
        if if_zero is not None:
            score = where(zero, if_zero, score)
        if scorer.zero_when_exceeds:
            score = where(over, _ZERO, score)  # decided before a zero target
        return score

    return raw


def _bands_raw(scorer: BandsScorer) -> Raw:
    bands = [
        (None if b.bound is None else constant(b.bound), b.inclusive, constant(b.score))
        for b in scorer.bands
    ]

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        value = _named_number(env, "value")
        matched = np.zeros(env.active.shape, dtype=bool)
        score = _zeros(env)
        for bound, inclusive, points in bands:
            if bound is None:
                holds = np.ones(env.active.shape, dtype=bool)
            else:
                holds = compare(ast.LtE if inclusive else ast.Lt, value, bound)
            take = holds & ~matched
            score = where(take, points, score)
            matched |= holds
        return score

    return raw


def _steps_raw(scorer: StepsScorer) -> Raw:
    start, size, deduct = constant(scorer.start), constant(scorer.size), constant(scorer.deduct)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        value = _named_number(env, "value")
        steps = multiply(add(value, start, -1), Num(size.d, size.n))  # size > 0
        count = extreme([_ZERO, floor_of(steps, up=scorer.count == "started")], False)
        left = add(points_of(leaf), multiply(deduct, count), -1)
        return extreme([_ZERO, left], False)

    return raw


def _checklist_raw(scorer: ChecklistScorer) -> Raw:
    items = [
        (item, None if item.fraction is None else vectorise(item.fraction)) for item in scorer.items
    ]

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        summed = _zeros(env)
        for item, fraction in items:
            if fraction is None:
                credit = batch.credit(env, leaf, item)
            else:
                share = number(fraction(env))
                env.doubt(below(share, _ZERO) | above(share, _ONE))
                credit = multiply(constant(item.points), share)
            summed = add(summed, credit)
        return summed

    return raw


def _deductions_raw(scorer: DeductionsScorer) -> Raw:
    rows = [
        (
            d,
            None if d.when is None else vectorise(d.when),
            None if d.count is None else vectorise(d.count),
        )
        for d in scorer.deductions
    ]

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        deducted = _zeros(env)
        for item, when, count in rows:
            if when is not None:
                events = number(boolean(env, when(env)))
            else:
                assert count is not None
                events = number(count(env))
                env.doubt(below(events, _ZERO))
            amount = multiply(constant(item.deduct), events)
            if item.max is not None:
                amount = extreme([amount, constant(item.max)], True)
            deducted = add(deducted, amount)
        return extreme([_ZERO, add(points_of(leaf), deducted, -1)], False)

    return raw


def _all_or_nothing_raw(scorer: AllOrNothingScorer) -> Raw:
    condition = vectorise(scorer.condition)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        return where(boolean(env, condition(env)), points_of(leaf), _ZERO)

    return raw


def _average_raw(scorer: AverageScorer) -> Raw:
    if scorer.rates is not None:
        raise Unsupported("average of rates")
    actual, target = vectorise(scorer.actual), vectorise(scorer.target)  # type: ignore[arg-type]
    cap = None if scorer.cap_each is None else constant(scorer.cap_each)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        a, t = _listed(actual(env)), _listed(target(env))
        if a.length != t.length or not a.length:
            env.doubt(env.active)
            return _zeros(env)
        rates = []
        for index in range(a.length):
            rate = lowest(divide(env, a.item(index), t.item(index)))  # zero target: error
            env.doubt(below(rate, _ZERO))  # a negative rate: an error
            rates.append(rate if cap is None else extreme([rate, cap], True))
        mean = _aggregate(stacked(rates, env.active.shape[0]), "mean")
        return multiply(points_of(leaf), extreme([_ONE, mean], True))

    return raw


def spread(x: Any, shape: tuple[int, ...]) -> Any:
    """An integer, or an array of integers, as an array of ``shape``."""
    if isinstance(x, int):
        return np.full(shape, x, dtype=object if x.bit_length() >= 63 else np.int64)
    return np.broadcast_to(x, shape)


def stacked(values: Sequence[Num], rows: int) -> ListColumn:
    """Columns of numbers side by side: one list per row."""
    return ListColumn(
        np.stack([spread(value.n, (rows,)) for value in values], axis=1),
        np.stack([spread(value.d, (rows,)) for value in values], axis=1),
    )


def _peer_raw(scorer: PeerScorer) -> Raw:
    if scorer.statistic != "mean":
        raise Unsupported("median")
    strict = scorer.compare != "at_least"

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        value = _named_number(env, "value")
        peer = batch.peers.get(leaf.id)
        if isinstance(peer, Mean):  # a large batch's mean
            side = mean_side(value, peer, env.active.shape)
            return where(side > 0 if strict else side >= 0, points_of(leaf), _ZERO)
        if peer is None:
            if scorer.given is None:
                env.doubt(env.active)  # no statistic: an error, exactly
                return _zeros(env)
            peer = _named_number(env, scorer.given)
        met = compare(ast.Gt if strict else ast.GtE, value, peer)  # exactly: 2/3 = 2/3
        return where(met, points_of(leaf), _ZERO)

    return raw


def mean_side(value: Num, mean: Mean, shape: tuple[int, ...]) -> Any:
    """-1, 0 or 1 for each row as its value is below, at or above ``mean``: decided by
    the mean's integer interval (:class:`~rubriceng.exact.Mean`), and exactly, one row at
    a time, for the rare value within it.

    With ``c`` values in the mean and its interval ``[low, low + c)`` at ``2**MEAN_BITS``,
    a value ``t/b`` is above the interval when ``floor(c · 2**MEAN_BITS · t/b) >= low +
    c`` and below it when that floor is below ``low``: the floors are found by long
    division in ``int64`` where the values allow it, in Python integers otherwise."""
    tops, bottoms = spread(value.n, shape), spread(value.d, shape)
    side = None
    if not is_wide(tops) and bits(tops) + mean.count.bit_length() < 63:
        floors = floors_at(tops * mean.count, bottoms, MEAN_BITS)
        if floors is not None:
            above = floors_versus(floors, MEAN_BITS, mean.low + mean.count)
            below = floors_versus(floors, MEAN_BITS, mean.low)
            if above is not None and below is not None:
                side = np.where(above >= 0, 1, np.where(below < 0, -1, 0)).astype(np.int64)
    if side is None:
        tops, bottoms = wide(tops), wide(bottoms)
        scaled = tops * (mean.count << MEAN_BITS)
        low = mean.low
        side = np.where(
            scaled >= bottoms * (low + mean.count), 1, np.where(scaled < bottoms * low, -1, 0)
        ).astype(np.int64)
    for index in np.flatnonzero(side == 0):  # within the interval: exactly
        side[index] = mean.compare(Fraction(int(tops[index]), int(bottoms[index])))
    return side


def _judgement_raw(scorer: JudgementScorer) -> Raw:
    return lambda env, batch, leaf: batch.own_number(env, leaf, "score")


METHODS: Mapping[type, Callable[[Any], Raw]] = {
    FormulaScorer: _formula_raw,
    RatioScorer: _ratio_raw,
    BandsScorer: _bands_raw,
    StepsScorer: _steps_raw,
    ChecklistScorer: _checklist_raw,
    DeductionsScorer: _deductions_raw,
    AllOrNothingScorer: _all_or_nothing_raw,
    AverageScorer: _average_raw,
    PeerScorer: _peer_raw,
    JudgementScorer: _judgement_raw,
}
