"""NumPy columns that carry bounds on their rounding error: numbers, formulas and the
built-in scoring methods, for the exact batch path (:mod:`rubriceng.columns`).

A :class:`Num` is a column of float64 values and, for each, a bound ``e`` on its
distance from the exact Decimal value the row path would compute (*running error
analysis*). An input is within half a unit in the last place of its float, or exact
when it is a short binary fraction; ``a ± b`` and ``a × b`` add the operands' bounds to
the exact rounding error of the operation (Knuth's TwoSum, Dekker's TwoProduct); ``a ÷ b``
adds its first-order terms. Raw inputs also compare exactly with each other and with
constants, since a float's shortest decimal form keeps its order.

Every decision — a comparison, a band edge, a step, a cap, a divisor that may be zero —
that lies within the bound of its edge marks the row *undecided* in the :class:`Env`;
the batch then scores that (unit, indicator) with the exact row code. Whatever these
functions cannot do raises :class:`Unsupported`, and the rubric is scored row by row.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

import attrs

from rubriceng import methods as m
from rubriceng.exact import rational
from rubriceng.expressions import Formula
from rubriceng.model import Indicator

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is an optional dependency
    np = None  # type: ignore[assignment]

U = 2.0**-52
"""Relative error allowed per float operation: twice the unit roundoff, which also covers
the 34-digit rounding of the exact path."""

SLACK = 1 + 2.0**-40
"""Every bound, and every comparison with one, is widened by this factor: a bound is
itself computed in floats and may come out a few roundings short."""


class Unsupported(Exception):
    """Something the column path does not do; the rubric is scored row by row."""


class Source(Protocol):
    """What a method reads besides formulas: judged inputs and peer statistics."""

    peers: dict[str, Any]

    def credit(self, env: Any, leaf: Indicator, item: m.ChecklistItem) -> Any: ...

    def own_number(self, env: Any, leaf: Indicator, key: str) -> Any: ...


# -- numbers with error bounds -----------------------------------------------------------------


@attrs.define
class Num:
    """A column of floats, each within ``e`` of its exact value; ``raw`` if these are the
    inputs themselves (their shortest decimal forms are the exact values)."""

    v: Any
    e: Any
    raw: bool = False


def constant(value: Decimal | Fraction | int) -> Num:
    """An exact number as a float and its distance from the exact value."""
    near = float(value)
    error = abs(Fraction(near) - rational(value))
    return Num(np.float64(near), float(error) * (1 + U), Fraction(Decimal(repr(near))) == value)


def number(value: Any) -> Num:
    if isinstance(value, Num):
        return value
    if isinstance(value, np.ndarray) and value.dtype == bool:
        return Num(value.astype(np.float64), 0.0, True)
    if isinstance(value, bool | np.bool_):
        return Num(np.float64(value), 0.0, True)
    raise Unsupported("not a number")


class Env:
    """One indicator's evaluation over all rows: names, the rows it is active on, and
    the rows whose result cannot be decided in floats."""

    def __init__(self, names: dict[str, Any], active: Any) -> None:
        self.names = names
        self.active = active
        self.undecided = np.zeros_like(active)

    def doubt(self, rows: Any) -> None:
        self.undecided |= rows & self.active

    def narrowed(self, rows: Any) -> Env:
        inner = Env(self.names, self.active & rows)
        inner.undecided = self.undecided
        return inner


def unsure(*values: Num) -> Any:
    """Rows where a value or its bound is not finite (an overflow or a NaN on the way):
    nothing may be decided from them in floats; the exact path decides, or fails."""
    rows: Any = False
    for x in values:
        rows = rows | ~np.isfinite(x.v) | ~np.isfinite(x.e)
    return rows


def _close(a: Num, b: Num) -> Any:
    """Rows where ``a`` and ``b`` may be on either side of each other."""
    if a.raw and b.raw:
        return np.zeros(np.shape(a.v - b.v), dtype=bool)  # the order of inputs is exact
    with np.errstate(invalid="ignore"):
        return (np.abs(a.v - b.v) <= (a.e + b.e) * SLACK) | unsure(a, b)


_SPLIT = 2.0**27 + 1


def _two_sum_error(a: Any, b: Any, total: Any) -> Any:
    """The exact rounding error of ``total = a + b`` (Knuth's TwoSum)."""
    b_virtual = total - a
    return (a - (total - b_virtual)) + (b - b_virtual)


def _split(a: Any) -> tuple[Any, Any]:
    high = _SPLIT * a
    high = high - (high - a)
    return high, a - high


def two_product_error(a: Any, b: Any, product: Any) -> Any:
    """The exact rounding error of ``product = a × b`` (Dekker's TwoProduct)."""
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    return ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low


def _add(a: Num, b: Num, sign: float) -> Num:
    right = sign * b.v
    value = a.v + right
    error = (a.e + b.e + np.abs(_two_sum_error(a.v, right, value))) * SLACK
    if a.raw and b.raw and sign < 0:
        error = np.where(a.v == b.v, 0.0, error)  # x - x is exactly 0
    return Num(value, error)


def multiply(a: Num, b: Num) -> Num:
    value = a.v * b.v
    rounding = np.abs(two_product_error(a.v, b.v, value))
    error = (np.abs(a.v) * b.e + np.abs(b.v) * a.e + a.e * b.e + rounding) * SLACK
    return Num(value, error)


def divide(env: Env, a: Num, b: Num) -> Num:
    denominator = np.abs(b.v)
    doubtful = (denominator <= b.e * SLACK) | unsure(a, b)
    env.doubt(doubtful)  # a divisor that may be zero: the exact path decides (or fails)
    safe = np.where(doubtful, 1.0, b.v)
    value = a.v / safe
    back = value * safe  # value × b == a exactly means the quotient is exact
    exact = (back == a.v) & (two_product_error(value, safe, back) == 0)
    margin = np.where(doubtful, 1.0, denominator * np.maximum(denominator - b.e, 1e-300))
    error = (np.abs(a.v) * b.e + denominator * a.e) / margin
    error = (error + np.where(exact, 0.0, np.abs(value) * U)) * SLACK
    if a.raw and b.raw:
        error = np.where(a.v == b.v, 0.0, error)  # x / x is exactly 1
    return Num(value, error)


def _extreme(values: Sequence[Num], pick: Callable[..., Any]) -> Num:
    result = values[0]
    for other in values[1:]:
        result = Num(pick(result.v, other.v), np.maximum(result.e, other.e),
                      result.raw and other.raw)  # fmt: skip
    return result


def _integral(env: Env, x: Num, up: bool) -> Num:
    """floor or ceil; doubtful within the bound of a whole number (unless exactly on it)."""
    nearest = np.round(x.v)
    exact = (x.e == 0) & (nearest == x.v)
    env.doubt(((np.abs(x.v - nearest) <= x.e * SLACK) & ~exact) | unsure(x))
    return Num(np.ceil(x.v) if up else np.floor(x.v), 0.0)


def _truth(env: Env, value: Any) -> Any:
    if isinstance(value, Num):
        exact_zero = (value.v == 0) & (np.asarray(value.e) == 0)
        env.doubt(((np.abs(value.v) <= value.e * SLACK) & ~exact_zero) | unsure(value))
        return value.v != 0
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
    number = constant(Decimal(value))
    return lambda env: number


_COMPARE: Mapping[type, Callable[[Any, Any], Any]] = {
    ast.Lt: np.less if np else None,  # type: ignore[dict-item]
    ast.LtE: np.less_equal if np else None,  # type: ignore[dict-item]
    ast.Gt: np.greater if np else None,  # type: ignore[dict-item]
    ast.GtE: np.greater_equal if np else None,  # type: ignore[dict-item]
    ast.Eq: np.equal if np else None,  # type: ignore[dict-item]
    ast.NotEq: np.not_equal if np else None,  # type: ignore[dict-item]
}


def _vector(node: ast.AST) -> Vector:
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
            sign = 1.0 if isinstance(node.op, ast.Add) else -1.0
            return lambda env: _add(number(left(env)), number(right(env)), sign)
        if isinstance(node.op, ast.Mult):
            return lambda env: multiply(number(left(env)), number(right(env)))
        if isinstance(node.op, ast.Div):
            return lambda env: divide(env, number(left(env)), number(right(env)))
        raise Unsupported(type(node.op).__name__)
    if isinstance(node, ast.UnaryOp):
        operand = _vector(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda env: (lambda x: Num(-x.v, x.e, x.raw))(number(operand(env)))
        if isinstance(node.op, ast.UAdd):
            return lambda env: number(operand(env))
        if isinstance(node.op, ast.Not):
            return lambda env: ~_truth(env, operand(env))
    if isinstance(node, ast.Compare):
        return _compare_vector(node)
    if isinstance(node, ast.BoolOp):
        parts = [_vector(value) for value in node.values]
        conjunction = isinstance(node.op, ast.And)

        def boolean(env: Env) -> Any:
            """Python's ``and``/``or``: the first operand that decides, as it is (so
            ``a and b`` of numbers is a number), each operand evaluated only where the
            ones before it did not decide."""
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
                picked = number(value)
                chosen = Num(np.where(stop, picked.v, chosen.v), np.where(stop, picked.e, chosen.e))
            return chosen

        return boolean
    if isinstance(node, ast.IfExp):
        test, body, orelse = _vector(node.test), _vector(node.body), _vector(node.orelse)

        def choose(env: Env) -> Any:
            condition = _truth(env, test(env))
            yes, no = body(env.narrowed(condition)), orelse(env.narrowed(~condition))
            if isinstance(yes, Num) or isinstance(no, Num):
                yes, no = number(yes), number(no)
                return Num(np.where(condition, yes.v, no.v), np.where(condition, yes.e, no.e))
            return np.where(condition, yes, no)

        return choose
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call_vector(node.func.id, [_vector(argument) for argument in node.args])
    raise Unsupported(type(node).__name__)


def _compare_vector(node: ast.Compare) -> Vector:
    first = _vector(node.left)
    steps = [(type(op), _vector(right)) for op, right in zip(node.ops, node.comparators,
                                                              strict=True)]  # fmt: skip

    def compare(env: Env) -> Any:
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
                a, b = number(left), number(right)
                env.doubt(_close(a, b))
                outcome = _COMPARE[kind](a.v, b.v)
            result = result & outcome
            left = right
        return np.broadcast_to(result, env.active.shape)

    return compare


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, np.ndarray) and value.dtype == object)


def _text_equal(left: Any, right: Any, shape: tuple[int, ...]) -> Any:
    """Python's ``==`` where text is involved: text equals only the same text."""
    if not (_is_text(left) and _is_text(right)):
        return np.zeros(shape, dtype=bool)  # text never equals a number or true/false
    lefts = np.broadcast_to(np.asarray(left, dtype=object), shape).ravel()
    rights = np.broadcast_to(np.asarray(right, dtype=object), shape).ravel()
    return np.array([a == b for a, b in zip(lefts, rights, strict=True)],
                    dtype=bool).reshape(shape)  # fmt: skip


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool | np.bool_) or (
        isinstance(value, np.ndarray) and value.dtype == bool
    )


def _call_vector(name: str, arguments: list[Vector]) -> Vector:
    if name in ("min", "max"):
        pick = np.minimum if name == "min" else np.maximum
        if len(arguments) == 1:
            return lambda env: _list_extreme(_listed(arguments[0](env)), name)
        return lambda env: _extreme([number(argument(env)) for argument in arguments], pick)
    if name == "abs" and len(arguments) == 1:
        return lambda env: (lambda x: Num(np.abs(x.v), x.e, x.raw))(number(arguments[0](env)))
    if name == "clamp" and len(arguments) == 3:
        value, low, high = arguments
        return lambda env: _extreme(
            [number(low(env)), _extreme([number(high(env)), number(value(env))], np.minimum)],
            np.maximum,
        )
    if name == "div" and len(arguments) == 3:
        numerator, denominator, if_zero = arguments

        def div(env: Env) -> Num:
            b = number(denominator(env))
            zero = (b.v == 0) & (np.asarray(b.e) == 0)
            quotient = divide(env.narrowed(~zero), number(numerator(env)), Num(
                np.where(zero, 1.0, b.v), np.where(zero, 0.0, b.e), b.raw))  # fmt: skip
            fallback = number(if_zero(env))
            return Num(np.where(zero, fallback.v, quotient.v),
                        np.where(zero, fallback.e, quotient.e))  # fmt: skip

        return div
    if name in ("floor", "ceil") and len(arguments) == 1:
        up = name == "ceil"
        return lambda env: _integral(env, number(arguments[0](env)), up)
    if name in ("sum", "mean", "count") and len(arguments) == 1:
        return lambda env: _aggregate(_listed(arguments[0](env)), name)
    raise Unsupported(f"function {name}")


@attrs.define
class ListColumn:
    """A list input with the same length in every row: an (n, k) array."""

    v: Any
    e: Any


def _listed(value: Any) -> ListColumn:
    if not isinstance(value, ListColumn):
        raise Unsupported("not a list")
    return value


def _list_extreme(values: ListColumn, name: str) -> Num:
    pick = np.min if name == "min" else np.max
    return Num(pick(values.v, axis=1), np.max(values.e, axis=1))


def _aggregate(values: ListColumn, name: str) -> Num:
    count = values.v.shape[1]
    if name == "count":
        return Num(np.full(values.v.shape[0], float(count)), 0.0)
    total = values.v.sum(axis=1)
    error = (values.e.sum(axis=1) + count * U * np.abs(values.v).sum(axis=1)) * SLACK
    if name == "sum":
        return Num(total, error)
    mean = total / count
    return Num(mean, (error / count + np.abs(mean) * U) * SLACK)



# -- scoring methods over columns -------------------------------------------------------------

Raw = Callable[[Env, Source, Indicator], Num]
"""A method over columns: the raw score of every active row (doubtful rows marked)."""

def _zeros(env: Env) -> Num:
    return Num(np.zeros(env.active.shape), 0.0)


def points_of(leaf: Indicator) -> Num:
    return constant(leaf.points)


def boolean(env: Env, value: Any) -> Any:
    if _is_bool(value):
        return np.broadcast_to(value, env.active.shape)
    env.doubt(env.active)  # not true/false: the exact path reports it
    return np.zeros(env.active.shape, dtype=bool)


def _named_number(env: Env, name: str) -> Num:
    value = env.names.get(name)
    if isinstance(value, Num):
        return value
    env.doubt(env.active)  # e.g. true/false where a number is needed: an error, exactly
    return _zeros(env)


def may_be_below(x: Num, bound: Num) -> Any:
    if x.raw and bound.raw:
        return x.v < bound.v
    return (x.v - bound.v < (x.e + bound.e) * SLACK) | unsure(x, bound)


def may_be_above(x: Num, bound: Num) -> Any:
    if x.raw and bound.raw:
        return x.v > bound.v
    return (bound.v - x.v < (x.e + bound.e) * SLACK) | unsure(x, bound)


ZERO = Decimal(0)
_ONE_CONST = Decimal(1)


def _formula_raw(scorer: m.FormulaScorer) -> Raw:
    formula = vectorise(scorer.formula)
    return lambda env, batch, leaf: number(formula(env))


def _ratio_raw(scorer: m.RatioScorer) -> Raw:
    actual, target = vectorise(scorer.actual), vectorise(scorer.target)
    zero, one = constant(ZERO), constant(_ONE_CONST)
    if_zero = None if scorer.if_target_zero is None else constant(scorer.if_target_zero)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        a, t = number(actual(env)), number(target(env))
        env.doubt(may_be_below(a, zero) | may_be_below(t, zero))  # negative: an error
        exact_zero = (t.v == 0) & (np.asarray(t.e) == 0)
        if if_zero is None:
            env.doubt(exact_zero)  # a zero target: an error
        rest = env.narrowed(~exact_zero)
        rate = divide(rest, a, Num(np.where(exact_zero, 1.0, t.v), t.e, t.raw))
        score = multiply(points_of(leaf), _extreme([one, rate], np.minimum))
        if if_zero is not None:
            score = Num(np.where(exact_zero, if_zero.v, score.v),
                         np.where(exact_zero, if_zero.e, score.e))  # fmt: skip
        if scorer.zero_when_exceeds or scorer.refuse_when_exceeds:
            env.doubt(_close(a, t))
            if scorer.refuse_when_exceeds:
                env.doubt(a.v > t.v)  # refused: the row code says why
            over = a.v > t.v
            score = Num(np.where(over, 0.0, score.v), np.where(over, 0.0, score.e))
        return score

    return raw


def _bands_raw(scorer: m.BandsScorer) -> Raw:
    bands = [(None if b.bound is None else constant(b.bound), b.inclusive, constant(b.score))
             for b in scorer.bands]  # fmt: skip

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        value = _named_number(env, "value")
        matched = np.zeros(env.active.shape, dtype=bool)
        score_v, score_e = np.zeros(env.active.shape), np.zeros(env.active.shape)
        for bound, inclusive, score in bands:
            if bound is None:
                holds = np.ones(env.active.shape, dtype=bool)
            else:
                env.narrowed(~matched).doubt(_close(value, bound))
                holds = value.v <= bound.v if inclusive else value.v < bound.v
            take = holds & ~matched
            score_v, score_e = np.where(take, score.v, score_v), np.where(take, score.e, score_e)
            matched |= holds
        return Num(score_v, score_e)

    return raw


def _steps_raw(scorer: m.StepsScorer) -> Raw:
    start, size, deduct = constant(scorer.start), constant(scorer.size), constant(scorer.deduct)
    zero = constant(ZERO)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        value = _named_number(env, "value")
        steps = divide(env, _add(value, start, -1.0), size)
        count = _integral(env, steps, up=scorer.count == "started")
        count = _extreme([zero, count], np.maximum)
        left = _add(points_of(leaf), multiply(deduct, count), -1.0)
        return _extreme([zero, left], np.maximum)

    return raw


def _checklist_raw(scorer: m.ChecklistScorer) -> Raw:
    items = [(item, None if item.fraction is None else vectorise(item.fraction))
             for item in scorer.items]  # fmt: skip
    zero, one = constant(ZERO), constant(_ONE_CONST)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        total = _zeros(env)
        for item, fraction in items:
            if fraction is None:
                credit = batch.credit(env, leaf, item)
            else:
                share = number(fraction(env))
                env.doubt(may_be_below(share, zero) | may_be_above(share, one))
                credit = multiply(constant(item.points), share)
            total = _add(total, credit, 1.0)
        return total

    return raw


def _deductions_raw(scorer: m.DeductionsScorer) -> Raw:
    rows = [
        (d, None if d.when is None else vectorise(d.when),
         None if d.count is None else vectorise(d.count))
        for d in scorer.deductions
    ]  # fmt: skip
    zero = constant(ZERO)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        deducted = _zeros(env)
        for item, when, count in rows:
            if when is not None:
                events = number(boolean(env, when(env)))
            else:
                assert count is not None
                events = number(count(env))
                env.doubt(may_be_below(events, zero))
            amount = multiply(constant(item.deduct), events)
            if item.max is not None:
                amount = _extreme([amount, constant(item.max)], np.minimum)
            deducted = _add(deducted, amount, 1.0)
        return _extreme([zero, _add(points_of(leaf), deducted, -1.0)], np.maximum)

    return raw


def _all_or_nothing_raw(scorer: m.AllOrNothingScorer) -> Raw:
    condition = vectorise(scorer.condition)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        met = boolean(env, condition(env))
        points = points_of(leaf)
        return Num(np.where(met, points.v, 0.0), np.where(met, points.e, 0.0))

    return raw


def _average_raw(scorer: m.AverageScorer) -> Raw:
    if scorer.rates is not None:
        raise Unsupported("average of rates")
    actual, target = vectorise(scorer.actual), vectorise(scorer.target)  # type: ignore[arg-type]
    one = constant(_ONE_CONST)
    cap = None if scorer.cap_each is None else constant(scorer.cap_each)

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        a, t = _listed(actual(env)), _listed(target(env))
        if a.v.shape != t.v.shape:
            env.doubt(env.active)
            return _zeros(env)
        zero = np.abs(t.v) <= t.e * SLACK
        env.doubt(np.any(zero, axis=1))  # a zero target: an error
        safe = np.where(zero, 1.0, t.v)
        rates_v = a.v / safe
        margin = np.maximum(np.abs(safe) * (np.abs(safe) - t.e), 1e-300)
        rates_e = ((np.abs(a.v) * t.e + np.abs(safe) * a.e) / margin + np.abs(rates_v) * U) * SLACK
        exact_zero = (rates_v == 0) & (rates_e == 0)
        negative = (rates_v < rates_e * SLACK) & ~exact_zero  # may be negative: an error
        env.doubt(np.any(negative, axis=1))
        if cap is not None:
            rates_e = np.maximum(rates_e, cap.e)  # min(rate, cap) is within the larger bound
            rates_v = np.minimum(rates_v, cap.v)
        mean = _aggregate(ListColumn(rates_v, rates_e), "mean")
        return multiply(points_of(leaf), _extreme([one, mean], np.minimum))

    return raw


def _peer_raw(scorer: m.PeerScorer) -> Raw:
    if scorer.statistic != "mean":
        raise Unsupported("median")
    strict = scorer.compare != "at_least"

    def raw(env: Env, batch: Source, leaf: Indicator) -> Num:
        value = _named_number(env, "value")
        peer = batch.peers.get(leaf.id)
        if peer is None:
            if scorer.given is None:
                env.doubt(env.active)  # no statistic: an error, exactly
                return _zeros(env)
            peer = _named_number(env, scorer.given)
        env.doubt(_close(value, peer))
        met = value.v > peer.v if strict else value.v >= peer.v
        points = points_of(leaf)
        return Num(np.where(met, points.v, 0.0), np.where(met, points.e, 0.0))

    return raw


def _judgement_raw(scorer: m.JudgementScorer) -> Raw:
    return lambda env, batch, leaf: batch.own_number(env, leaf, "score")


METHODS: Mapping[type, Callable[[Any], Raw]] = {
    m.FormulaScorer: _formula_raw,
    m.RatioScorer: _ratio_raw,
    m.BandsScorer: _bands_raw,
    m.StepsScorer: _steps_raw,
    m.ChecklistScorer: _checklist_raw,
    m.DeductionsScorer: _deductions_raw,
    m.AllOrNothingScorer: _all_or_nothing_raw,
    m.AverageScorer: _average_raw,
    m.PeerScorer: _peer_raw,
    m.JudgementScorer: _judgement_raw,
}


