"""The row kernel: one Python function per rubric, generated as source code and compiled.

:func:`build_kernel` turns a compiled rubric (its :class:`~rubriceng.scoring.plan.Plan`) into
the source of one function that scores a unit on the path units usually take: inputs of
their canonical types (Decimals or ints for numbers, booleans, lists and mappings as the
input types read them), every formula and built-in scoring method written out as integer
arithmetic on exact numerator/denominator pairs, the not-applicable pattern looked up,
every leaf scaled and rounded with ``(2n + d) // (2d)`` at the rubric's step, nothing
walked, nothing looked up by name. It returns the leaves' scores in steps (cents), or
None for anything unusual — an input of another type or out of its range, a division by
zero, a score outside its points — and the engine then takes its general, checked path,
which gives the same scores or reports what is wrong. A leaf whose method has no
generated form (a plugin's method, a formula calling a plugin's function) is scored by
the general leaf code, called from the generated function.

The kernel is immutable; its :attr:`Kernel.source` is what a pickled rubric carries to
be compiled again on arrival. Its answers are held to the general path's by
``tests/test_kernel.py`` (every method, exact ties, random units and random formulas).
"""

from __future__ import annotations

import ast
import decimal
import functools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import attrs

from rubriceng.exact import Mean
from rubriceng.formula.functions import BUILTIN_FUNCTIONS
from rubriceng.formula.language import Formula
from rubriceng.formula.values import MAX_BITS
from rubriceng.inputs.types import MAX_DIGITS, MAX_NUMBER, value_checker
from rubriceng.language.model import CENT, Indicator, Rubric
from rubriceng.methods.all_or_nothing import AllOrNothingScorer
from rubriceng.methods.average import AverageScorer
from rubriceng.methods.bands import BandsScorer
from rubriceng.methods.checklist import ChecklistScorer
from rubriceng.methods.deductions import DeductionsScorer
from rubriceng.methods.formula import FormulaScorer
from rubriceng.methods.judgement import JudgementScorer
from rubriceng.methods.peer import PeerScorer
from rubriceng.methods.ratio import RatioScorer
from rubriceng.methods.steps import StepsScorer
from rubriceng.methods.unit_defined import UnitDefinedScorer, split_evenly

DMAX = 10**40
"""The largest denominator of a unit's number the kernel reads (40 decimal places);
a number with more is scored by the general path."""
MAX_SOURCE = 4_000_000
"""The longest generated source compiled; a larger rubric is scored by the general path."""
_BITS_LIMIT = MAX_BITS // 2
"""A formula whose numbers could grow past this many bits is left to the general path."""
_IN_BITS = (DMAX * int(MAX_NUMBER)).bit_length()
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


_MISSING = object()
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


@attrs.frozen
class Kernel:
    """A rubric's generated scoring function. ``run(inputs, peers, seen=None)`` gives an
    :class:`Outcome`, or None when the unit must take the general path; ``peers`` are
    the peer statistics by leaf id, and ``seen``, if a dict, receives the ``value`` of
    each peer leaf it reaches (as a numerator/denominator pair)."""

    source: str
    run: Callable[..., Outcome | None] = attrs.field(eq=False, repr=False)
    collects: frozenset[str] = frozenset()
    """The peer leaves whose value ``run`` records in ``seen``."""


# -- writing source ------------------------------------------------------------------


class _Source:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 1
        self.counter = 0
        self.constants: dict[str, Any] = {}
        self.collects: set[str] = set()
        """The peer leaves whose value the function records in ``seen``."""
        self.objects: set[int] = set()
        """The leaves whose score may be an object (the general code's, or parts)."""

    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    def temp(self, stem: str = "t") -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

    def mark(self) -> tuple[int, int, dict[str, Any]]:
        """Where the source is now, to go back to if what follows has no integer form."""
        return len(self.lines), self.depth, dict(self.constants)

    def rollback(self, mark: tuple[int, int, dict[str, Any]]) -> None:
        """Forget what was written since ``mark``."""
        del self.lines[mark[0] :]
        self.depth = mark[1]
        self.constants = mark[2]

    def constant(self, value: Any, stem: str = "K") -> str:
        for name, known in self.constants.items():
            if known is value:
                return name
        name = f"{stem}{len(self.constants)}"
        self.constants[name] = value
        return name


# A value while generating: ("num", n, d, bits_n, bits_d) with n and d the names of ints
# (d > 0); ("bool", name); ("list", name) of (n, d) pairs; ("any", name) a normalised value.
Value = tuple[Any, ...]


def _mul(*factors: str | int) -> str:
    """The product of ``factors`` (names or literals) as source, ones left out."""
    kept = [str(factor) for factor in factors if str(factor) != "1"]
    if "0" in kept:
        return "0"
    return " * ".join(kept) if kept else "1"


def _pair(number: Decimal | int | Fraction) -> tuple[int, int]:
    if isinstance(number, Decimal):
        return number.as_integer_ratio()
    fraction = Fraction(number)
    return fraction.numerator, fraction.denominator


def _num(n: str, d: str, bn: int, bd: int) -> Value:
    """A number's value, unless its bits could outgrow what the kernel computes with."""
    if bn > _BITS_LIMIT or bd > _BITS_LIMIT:
        raise Unsupported("numbers too large")
    return ("num", n, d, bn, bd)


def _literal(number: Decimal | int | Fraction) -> Value:
    """A constant's value: its numerator and denominator as literals."""
    n, d = _pair(number)
    return ("num", repr(n), repr(d), max(1, n.bit_length()), d.bit_length())


class _Formulas:
    """Formula trees written as integer statements."""

    def __init__(self, out: _Source, functions: Mapping[str, Any]) -> None:
        self.out = out
        self.functions = functions

    def value(self, formula: Formula, scope: Mapping[str, Value]) -> Value:
        if formula.is_constant:
            constant = formula.constant
            if isinstance(constant, bool):
                return ("bool", repr(constant))
            if isinstance(constant, Decimal | int):
                return _literal(constant)
            raise Unsupported("constant")
        tree = formula.tree
        node = tree.body if isinstance(tree, ast.Expression) else tree
        return self.node(node, scope)

    def number(self, formula: Formula, scope: Mapping[str, Value]) -> Value:
        """A number, as a scorer asks for one: true and false count as 1 and 0."""
        found = self.value(formula, scope)
        if found[0] == "bool":
            n = self.out.temp("n")
            self.out.line(f"{n} = 1 if {found[1]} else 0")
            return ("num", n, "1", 1, 1)
        if found[0] != "num":
            raise Unsupported("not a number")
        return found

    def boolean(self, formula: Formula, scope: Mapping[str, Value]) -> str:
        found = self.value(formula, scope)
        if found[0] != "bool":
            raise Unsupported("not a boolean")
        return str(found[1])

    def node(self, node: ast.AST, scope: Mapping[str, Value]) -> Value:
        out = self.out
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return ("bool", repr(node.value))
            if isinstance(node.value, Decimal | int):
                return _literal(node.value)
            raise Unsupported("text")
        if isinstance(node, ast.Name):
            if node.id not in scope:
                raise Unsupported(f"name {node.id}")
            return scope[node.id]
        if isinstance(node, ast.BinOp):
            left = self.node(node.left, scope)
            right = self.node(node.right, scope)
            if left[0] != "num" or right[0] != "num":
                raise Unsupported("arithmetic on non-numbers")
            return self.arith(type(node.op), left, right)
        if isinstance(node, ast.UnaryOp):
            operand = self.node(node.operand, scope)
            if isinstance(node.op, ast.Not):
                target = out.temp("b")
                if operand[0] == "bool":
                    out.line(f"{target} = not {operand[1]}")
                elif operand[0] == "num":
                    out.line(f"{target} = {operand[1]} == 0")
                else:
                    raise Unsupported("not")
                return ("bool", target)
            if operand[0] != "num":
                raise Unsupported("sign of a non-number")
            if isinstance(node.op, ast.USub):
                n = out.temp("n")
                out.line(f"{n} = -{operand[1]}")
                return ("num", n, operand[2], operand[3], operand[4])
            return operand
        if isinstance(node, ast.BoolOp):
            return self.boolean_op(node, scope)
        if isinstance(node, ast.Compare):
            return self.compare(node, scope)
        if isinstance(node, ast.IfExp):
            return self.choice(node, scope)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.call(node.func.id, node.args, scope)
        raise Unsupported(type(node).__name__)

    def arith(self, op: type, left: Value, right: Value) -> Value:
        out = self.out
        _, ln, ld, lbn, lbd = left
        _, rn, rd, rbn, rbd = right
        n, d = out.temp("n"), out.temp("d")
        if op is ast.Add or op is ast.Sub:
            sign = "+" if op is ast.Add else "-"
            left_part, right_part = _mul(ln, rd), _mul(rn, ld)
            if right_part == "0":
                out.line(f"{n} = {left_part}")
            elif left_part == "0":
                out.line(f"{n} = {'' if sign == '+' else '-'}{right_part}")
            else:
                out.line(f"{n} = {left_part} {sign} {right_part}")
            d = self.product(d, ld, rd)
            return _num(n, d, max(lbn + rbd, rbn + lbd) + 1, lbd + rbd)
        if op is ast.Mult:
            out.line(f"{n} = {_mul(ln, rn)}")
            return _num(n, self.product(d, ld, rd), lbn + rbn, lbd + rbd)
        if op is ast.Div:
            if not rn.lstrip("-").isdigit():
                out.line(f"if {rn} == 0: return None")
            elif int(rn) == 0:
                out.line("return None")
            out.line(f"{n} = {_mul(ln, rd)}")
            d = self.product(d, ld, rn)
            if not rn.isdigit():  # a divisor that may be negative: keep d > 0
                if d == rn:
                    d = out.temp("d")
                    out.line(f"{d} = {rn}")
                out.line(f"if {d} < 0: {n}, {d} = -{n}, -{d}")
            return _num(n, d, lbn + rbd, lbd + rbn)
        raise Unsupported(op.__name__)

    def product(self, target: str, *factors: str) -> str:
        """A name or literal for the product of ``factors`` (assigned to ``target`` when
        it is an expression)."""
        found = _mul(*factors)
        if found.isdigit() or found.isidentifier():
            return found
        self.out.line(f"{target} = {found}")
        return target

    def boolean_op(self, node: ast.BoolOp, scope: Mapping[str, Value]) -> Value:
        out = self.out
        target = out.temp("b")
        is_and = isinstance(node.op, ast.And)
        opened = 0
        for index, part in enumerate(node.values):
            found = self.node(part, scope)
            if found[0] != "bool":
                raise Unsupported("and/or of non-booleans")
            out.line(f"{target} = {found[1]}")
            if index < len(node.values) - 1:
                out.line(f"if {'' if is_and else 'not '}{target}:")
                out.depth += 1
                opened += 1
        out.depth -= opened
        return ("bool", target)

    def compare_pair(self, op: type, left: Value, right: Value) -> str:
        symbols = {
            ast.Lt: "<",
            ast.LtE: "<=",
            ast.Gt: ">",
            ast.GtE: ">=",
            ast.Eq: "==",
            ast.NotEq: "!=",
        }
        if op not in symbols:
            raise Unsupported(op.__name__)
        if left[0] == "bool" and right[0] == "bool" and op in (ast.Eq, ast.NotEq):
            return f"{left[1]} {symbols[op]} {right[1]}"
        if left[0] != "num" or right[0] != "num":
            raise Unsupported("comparison")
        _, ln, ld, _, _ = left
        _, rn, rd, _, _ = right
        lhs = ln if rd == "1" else f"{ln} * {rd}"
        rhs = rn if ld == "1" else f"{rn} * {ld}"
        return f"{lhs} {symbols[op]} {rhs}"

    def compare(self, node: ast.Compare, scope: Mapping[str, Value]) -> Value:
        out = self.out
        target = out.temp("b")
        left = self.node(node.left, scope)
        opened = 0
        for index, (op, comparator) in enumerate(zip(node.ops, node.comparators, strict=True)):
            right = self.node(comparator, scope)
            out.line(f"{target} = {self.compare_pair(type(op), left, right)}")
            if index < len(node.ops) - 1:
                out.line(f"if {target}:")
                out.depth += 1
                opened += 1
            left = right
        out.depth -= opened
        return ("bool", target)

    def truth(self, found: Value) -> str:
        if found[0] == "bool":
            return str(found[1])
        if found[0] == "num":
            return f"{found[1]} != 0"
        raise Unsupported("truth of a list")

    def choice(self, node: ast.IfExp, scope: Mapping[str, Value]) -> Value:
        out = self.out
        test = self.truth(self.node(node.test, scope))
        out.line(f"if {test}:")
        out.depth += 1
        body = self.node(node.body, scope)
        n, d = out.temp("n"), out.temp("d")
        self.assign(body, n, d)
        out.depth -= 1
        out.line("else:")
        out.depth += 1
        orelse = self.node(node.orelse, scope)
        if orelse[0] != body[0]:
            raise Unsupported("branches of two kinds")
        self.assign(orelse, n, d)
        out.depth -= 1
        if body[0] == "bool":
            return ("bool", n)
        return _num(n, d, max(body[3], orelse[3]), max(body[4], orelse[4]))

    def assign(self, found: Value, n: str, d: str) -> None:
        if found[0] == "bool":
            self.out.line(f"{n} = {found[1]}")
        elif found[0] == "num":
            self.out.line(f"{n}, {d} = {found[1]}, {found[2]}")
        else:
            raise Unsupported("list in a branch")

    def call(self, name: str, arguments: Sequence[ast.AST], scope: Mapping[str, Value]) -> Value:
        out = self.out
        if self.functions.get(name) is not BUILTIN_FUNCTIONS.get(name):
            raise Unsupported(f"function {name}")  # a plugin's function
        values = [self.node(argument, scope) for argument in arguments]
        if name == "count" and len(values) == 1 and values[0][0] in ("rows", "list"):
            n = out.temp("n")
            out.line(f"{n} = len({values[0][1]})")
            return ("num", n, "1", 64, 1)
        if any(found[0] != "num" for found in values):
            raise Unsupported(f"{name} of non-numbers")
        if name in ("min", "max") and values:
            return self.call_values(name, values)
        if name == "abs" and len(values) == 1:
            n = out.temp("n")
            out.line(f"{n} = abs({values[0][1]})")
            return ("num", n, values[0][2], values[0][3], values[0][4])
        if name == "div" and len(values) == 3:
            top, bottom, zero = values
            n, d = out.temp("n"), out.temp("d")
            out.line(f"if {bottom[1]} == 0:")
            out.line(f"    {n}, {d} = {zero[1]}, {zero[2]}")
            out.line("else:")
            out.line(f"    {n}, {d} = {top[1]} * {bottom[2]}, {top[2]} * {bottom[1]}")
            out.line(f"    if {d} < 0: {n}, {d} = -{n}, -{d}")
            return _num(n, d, max(top[3] + bottom[4], zero[3]), max(top[4] + bottom[3], zero[4]))
        if name == "clamp" and len(values) == 3:
            inner = self.call_values("min", [values[2], values[0]])
            return self.call_values("max", [values[1], inner])
        raise Unsupported(f"function {name}")

    def call_values(self, name: str, values: list[Value]) -> Value:
        """``min`` or ``max`` of numbers: the first value, replaced by each later one that
        is smaller (larger)."""
        out = self.out
        n, d = out.temp("n"), out.temp("d")
        out.line(f"{n}, {d} = {values[0][1]}, {values[0][2]}")
        for other in values[1:]:
            op = ast.Lt if name == "min" else ast.Gt
            out.line(f"if {self.compare_pair(op, other, ('num', n, d, 0, 0))}:")
            out.line(f"    {n}, {d} = {other[1]}, {other[2]}")
        return _num(n, d, max(v[3] for v in values), max(v[4] for v in values))


# -- reading inputs --------------------------------------------------------------------


def _bound(out: _Source, n: str, d: str, bound: Any, symbol: str) -> str:
    bn, bd = _pair(Decimal(bound))
    lhs = n if bd == 1 else f"{n} * {bd}"
    rhs = str(bn) if d == "1" else f"{bn} * {d}"
    return f"{lhs} {symbol} {rhs}"


def _read_number(out: _Source, source: str, rules: Mapping[str, Any], n: str, d: str) -> None:
    """Statements reading ``source`` (a Decimal or an int) into the pair ``n``, ``d``, as
    :func:`~rubriceng.inputs.types.to_decimal` would accept it."""
    low, high = rules.get("min"), rules.get("max")
    limit = int(MAX_NUMBER)
    positive = low is not None and Decimal(low) >= 0
    floor = 0 if positive else -limit
    kind = out.temp("k")
    out.line(f"{kind} = type({source})")
    if rules.get("coerce") == "decimal":
        out.line(f"if {kind} is DECIMAL:")
        out.line(f"    {n}, {d} = {source}.as_integer_ratio()")
        # n within [floor, 10^18] with d ≤ 2^20: at most 10^18 and 34 significant digits
        out.line(f"    if {d} > 1048576 or not {floor} <= {n} <= {limit}:")
        sign = f" or {n} < 0" if positive else ""
        out.line(
            f"        if {d} > {DMAX} or abs({n}) > {limit} * {d}{sign} or not "
            f"SIGNIFICANT({source}): return None"
        )
        out.line(f"elif {kind} is int:")
    else:
        out.line(f"if {kind} is int:")
    if rules.get("coerce") == "decimal":
        out.line(f"    {n}, {d} = {source}, 1")
    else:  # a count: its denominator is 1 in the code (the literal)
        out.line(f"    {n} = {source}")
    out.line(f"    if not {floor} <= {n} <= {limit}: return None")
    out.line("else: return None")
    whole = d if rules.get("coerce") == "decimal" else "1"
    if low is not None and Decimal(low) != 0:
        out.line(f"if {_bound(out, n, whole, low, '<')}: return None")
    if high is not None:
        out.line(f"if {_bound(out, n, whole, high, '>')}: return None")


def _simple_number(rules: Mapping[str, Any]) -> bool:
    keys = set(rules) - {"min", "max", "required"}
    kind = (rules.get("coerce"), rules.get("type"))
    return keys == {"coerce", "type"} and kind in (("decimal", "decimal"), ("count", "integer"))


def _read_input(out: _Source, name: str, rules: Mapping[str, Any], raw: str) -> tuple[Value, str]:
    """Statements reading input ``name`` (in ``raw``): the value formulas see, and an
    expression of the value normalised as the input checker gives it."""
    mark = out.mark()
    try:
        return _read_value(out, rules, raw)
    except Unsupported:
        out.rollback(mark)
    check = value_checker(rules)
    if check is None:  # rules only cerberus knows: a unit that gives it takes the general path
        out.line("return None")
        return ("rows" if rules.get("type") == "list" else "any", raw), raw
    target = out.temp("v")
    out.line(f"{target} = {out.constant(check, 'CHECK')}({raw})")  # raises: general path
    return ("rows" if rules.get("type") == "list" else "any", target), target


_AS_DECIMAL = "(DECIMAL({0}) if type({0}) is int else {0})"


def _read_value(out: _Source, rules: Mapping[str, Any], raw: str) -> tuple[Value, str]:
    if _simple_number(rules):
        n, d = out.temp("n"), out.temp("d")
        _read_number(out, raw, rules, n, d)
        if rules.get("coerce") == "count":  # a whole number: read from ints alone
            return ("num", n, "1", _IN_BITS, 1), raw
        return ("num", n, d, _IN_BITS, DMAX.bit_length()), _AS_DECIMAL.format(raw)
    if set(rules) <= {"coerce", "type", "required"} and rules.get("coerce") == "boolean":
        out.line(f"if {raw} is not True and {raw} is not False: return None")
        return ("bool", raw), raw
    if set(rules) - {"type", "schema", "minlength", "maxlength", "required"}:
        raise Unsupported("rules")
    inner = rules.get("schema")
    if rules.get("type") == "dict" and isinstance(inner, Mapping):
        found = _read_fields(out, raw, inner)
        normal = f"{{k: {_AS_DECIMAL.format('v')} for k, v in {raw}.items()}}"
        return found, normal
    if rules.get("type") != "list" or not isinstance(inner, Mapping):
        raise Unsupported("rules")
    item = out.temp("i")
    out.line(f"if type({raw}) is not list: return None")
    if rules.get("minlength") is not None:
        out.line(f"if len({raw}) < {int(rules['minlength'])}: return None")
    if rules.get("maxlength") is not None:
        out.line(f"if len({raw}) > {int(rules['maxlength'])}: return None")
    if _simple_number(inner):
        pairs, n, d = out.temp("l"), out.temp("n"), out.temp("d")
        out.line(f"{pairs} = []")
        out.line(f"for {item} in {raw}:")
        out.depth += 1
        _read_number(out, item, inner, n, d)
        out.line(f"{pairs}.append(({n}, {d if inner.get('coerce') == 'decimal' else 1}))")
        out.depth -= 1
        if inner.get("coerce") == "count":
            return ("list", pairs), f"list({raw})"
        return ("list", pairs), f"[{_AS_DECIMAL.format('i')} for i in {raw}]"
    fields = inner.get("schema")
    if (
        inner.get("type") != "dict"
        or set(inner) != {"type", "schema"}
        or not isinstance(fields, Mapping)
    ):
        raise Unsupported("list items")
    out.line(f"for {item} in {raw}:")
    out.depth += 1
    _read_fields(out, item, fields)
    out.depth -= 1
    normal = f"[{{k: {_AS_DECIMAL.format('v')} for k, v in i.items()}} for i in {raw}]"
    return ("rows", raw), normal


def _read_fields(out: _Source, raw: str, fields: Mapping[str, Mapping[str, Any]]) -> Value:
    """A mapping of simple fields (a checklist's credits, a judgement's score and reason)
    read field by field; a credit of true reads as its ``credit_max``, false as 0."""
    names = frozenset(fields)
    needed = frozenset(key for key, rules in fields.items() if rules.get("required"))
    out.line(f"if type({raw}) is not dict: return None")
    if needed == names:
        out.line(f"if {raw}.keys() != {out.constant(names, 'FIELDS')}: return None")
    else:
        out.line(f"if not {raw}.keys() <= {out.constant(names, 'FIELDS')}: return None")
        if needed:
            out.line(f"if not {out.constant(needed, 'FIELDS')} <= {raw}.keys(): return None")
    missing = out.constant(_MISSING, "MISSING")
    found: dict[str, Value] = {}
    for key, rules in fields.items():
        item = out.temp("f")
        if key in needed:
            out.line(f"{item} = {raw}[{key!r}]")
        else:  # an optional field: read when given (formulas never see it)
            out.line(f"{item} = {raw}.get({key!r}, {missing})")
            out.line(f"if {item} is not {missing}:")
            out.depth += 1
        if rules.get("type") == "credit" and set(rules) == {
            "type",
            "coerce",
            "required",
            "credit_max",
        }:
            n, d = out.temp("n"), out.temp("d")
            top, bottom = _pair(Decimal(rules["credit_max"]))
            out.line(f"if {item} is True: {n}, {d} = {top}, {bottom}")
            out.line(f"elif {item} is False: {n}, {d} = 0, 1")
            out.line("else:")
            out.depth += 1
            _read_number(
                out, item, {"coerce": "decimal", "min": 0, "max": rules["credit_max"]}, n, d
            )
            out.depth -= 1
            found[key] = ("num", n, d, _IN_BITS, DMAX.bit_length())
        elif _simple_number(rules) and rules.get("coerce") == "decimal":
            n, d = out.temp("n"), out.temp("d")
            _read_number(out, item, rules, n, d)
            found[key] = ("num", n, d, _IN_BITS, DMAX.bit_length())
        elif rules.get("type") == "string" and set(rules) <= {"type", "required", "empty"}:
            empty = "" if rules.get("empty", True) else f" or not {item}"
            out.line(f"if type({item}) is not str{empty}: return None")
            found[key] = ("text", item)
        elif set(rules) <= {"coerce", "type", "required"} and rules.get("coerce") == "boolean":
            out.line(f"if {item} is not True and {item} is not False: return None")
            found[key] = ("bool", item)
        else:
            raise Unsupported("field")
        if key not in needed:
            out.depth -= 1
            found.pop(key)  # not always there: no formula reads it
    return ("fields", found)


# -- scoring methods -------------------------------------------------------------------


class _Leaf:
    """What a method's integer form is written with: the source, the formulas, the leaf,
    the names in scope, its own input, the name of its peer statistic, the names of its
    raw score (``rn``, ``rd``) and its points as literals (``pn``, ``pd``)."""

    def __init__(
        self,
        out: _Source,
        formulas: _Formulas,
        leaf: Indicator,
        scope: dict[str, Value],
        own: Value | None,
        peer: str,
        raw: tuple[str, str],
    ) -> None:
        self.out, self.formulas, self.leaf, self.scope = out, formulas, leaf, scope
        self.own, self.peer = own, peer
        points = _literal(leaf.points)
        self.pn, self.pd = str(points[1]), str(points[2])
        self.rn, self.rd = raw

    def value(self, method: str) -> tuple[str, str]:
        """The leaf's ``value`` as a pair (bands, steps and peers compare it)."""
        found = self.scope.get("value")
        if found is None or found[0] != "num":
            raise Unsupported(f"{method} without a number")
        return str(found[1]), str(found[2])


def _formula(at: _Leaf, scorer: Any) -> None:
    """``score:``: the formula."""
    out, formulas, scope, rn, rd = at.out, at.formulas, at.scope, at.rn, at.rd
    found = formulas.number(scorer.formula, scope)
    out.line(f"{rn}, {rd} = {found[1]}, {found[2]}")


def _ratio(at: _Leaf, scorer: Any) -> None:
    """``ratio:``: points × actual / target, capped, with its rules for excess and zero."""
    out, formulas, scope = at.out, at.formulas, at.scope
    rn, rd, pn, pd = at.rn, at.rd, at.pn, at.pd
    actual = formulas.number(scorer.actual, scope)
    target = formulas.number(scorer.target, scope)
    _, an, ad, _, _ = actual
    _, tn, td, _, _ = target
    out.line(f"if {an} < 0 or {tn} < 0: return None")
    exceeds = f"{_mul(an, td)} > {_mul(tn, ad)}"
    if scorer.zero_when_exceeds:  # decided before a zero target
        out.line(f"if {exceeds}: {rn}, {rd} = 0, 1")
    elif scorer.refuse_when_exceeds:
        out.line(f"if {exceeds}: return None")
    else:
        out.line("if False: pass")
    if scorer.if_target_zero is not None:
        zn, zd = _pair(scorer.if_target_zero)
        out.line(f"elif {tn} == 0: {rn}, {rd} = {zn}, {zd}")
    else:
        out.line(f"elif {tn} == 0: return None")
    out.line(f"elif {exceeds}: {rn}, {rd} = {pn}, {pd}")  # a rate above 1: capped
    out.line(f"else: {rn}, {rd} = {_mul(pn, an, td)}, {_mul(pd, ad, tn)}")


def _bands(at: _Leaf, scorer: Any) -> None:
    """``bands:``: the first band that holds."""
    out, formulas, rn, rd = at.out, at.formulas, at.rn, at.rd
    vn, vd = at.value("bands")
    for index, band in enumerate(scorer.bands):
        sn, sd = _pair(band.score)
        if band.bound is None:
            out.line(("else: " if index else "") + f"{rn}, {rd} = {sn}, {sd}")
            continue
        test = formulas.compare_pair(
            ast.LtE if band.inclusive else ast.Lt, ("num", vn, vd, 0, 0), _literal(band.bound)
        )
        out.line(f"{'if' if index == 0 else 'elif'} {test}: {rn}, {rd} = {sn}, {sd}")


def _steps(at: _Leaf, scorer: Any) -> None:
    """``steps:``: points less a deduction per started or full step, floor 0."""
    out, rn, rd, pn, pd = at.out, at.rn, at.rd, at.pn, at.pd
    vn, vd = at.value("steps")
    an, ad = _pair(scorer.start)
    sn, sd = _pair(scorer.size)
    gn, gd = _pair(scorer.deduct)
    top, bottom, count = out.temp("n"), out.temp("d"), out.temp("c")
    out.line(f"{top} = ({vn} * {ad} - {an} * {vd}) * {sd}")
    out.line(f"{bottom} = {vd} * {ad} * {sn}")
    if scorer.count == "started":
        out.line(f"{count} = -((-{top}) // {bottom})")
    else:
        out.line(f"{count} = {top} // {bottom}")
    out.line(f"if {count} < 0: {count} = 0")
    out.line(f"{rn}, {rd} = {pn} * {gd} - {gn} * {count} * {pd}, {pd} * {gd}")
    out.line(f"if {rn} < 0: {rn} = 0")


def _checklist(at: _Leaf, scorer: Any) -> None:
    """``checklist:``: the credits given and the fractions computed."""
    out, formulas, scope, own, rn, rd = at.out, at.formulas, at.scope, at.own, at.rn, at.rd
    out.line(f"{rn}, {rd} = 0, 1")
    for item in scorer.items:
        qn, qd = _pair(item.points)
        if item.fraction is None:
            if own is None or own[0] != "fields":
                raise Unsupported("checklist without its input")
            given = own[1][item.id]
            if given[0] == "bool":
                out.line(f"if {given[1]}: {rn}, {rd} = {rn} * {qd} + {qn} * {rd}, {rd} * {qd}")
            else:
                _, gn, gd, _, _ = given
                out.line(f"{rn}, {rd} = {rn} * {gd} + {gn} * {rd}, {rd} * {gd}")
            continue
        share = formulas.number(item.fraction, scope)
        _, fn, fd, _, _ = share
        out.line(f"if {fn} < 0 or {fn} > {fd}: return None")
        out.line(f"{rn}, {rd} = {rn} * {fd} * {qd} + {qn} * {fn} * {rd}, {rd} * {fd} * {qd}")


def _deductions(at: _Leaf, scorer: Any) -> None:
    """``deductions:``: points less each deduction (within its cap), floor 0."""
    out, formulas, scope = at.out, at.formulas, at.scope
    rn, rd, pn, pd = at.rn, at.rd, at.pn, at.pd
    out.line(f"{rn}, {rd} = 0, 1")  # deducted so far
    for item in scorer.deductions:
        gn, gd = _pair(item.deduct)
        an, ad = out.temp("n"), out.temp("d")
        if item.when is not None:
            test = formulas.boolean(item.when, scope)
            out.line(f"{an}, {ad} = ({gn} if {test} else 0), {gd}")
        else:
            assert item.count is not None
            events = formulas.number(item.count, scope)
            out.line(f"if {events[1]} < 0: return None")
            out.line(f"{an}, {ad} = {gn} * {events[1]}, {gd} * {events[2]}")
        if item.max is not None:
            xn, xd = _pair(item.max)
            out.line(f"if {an} * {xd} > {xn} * {ad}: {an}, {ad} = {xn}, {xd}")
        out.line(f"{rn}, {rd} = {rn} * {ad} + {an} * {rd}, {rd} * {ad}")
    out.line(f"{rn}, {rd} = {pn} * {rd} - {rn} * {pd}, {pd} * {rd}")
    out.line(f"if {rn} < 0: {rn} = 0")


def _all_or_nothing(at: _Leaf, scorer: Any) -> None:
    """``all_or_nothing:``: full marks or 0."""
    out, formulas, scope = at.out, at.formulas, at.scope
    rn, rd, pn, pd = at.rn, at.rd, at.pn, at.pd
    test = formulas.boolean(scorer.condition, scope)
    out.line(f"{rn}, {rd} = ({pn}, {pd}) if {test} else (0, 1)")


def _judgement(at: _Leaf, scorer: Any) -> None:
    """``judgement:``: the assessor's score."""
    out, own, rn, rd = at.out, at.own, at.rn, at.rd
    if own is None or own[0] != "fields" or own[1]["score"][0] != "num":
        raise Unsupported("judgement without its input")
    out.line(f"{rn}, {rd} = {own[1]['score'][1]}, {own[1]['score'][2]}")


def _peer(at: _Leaf, scorer: Any) -> None:
    """``peer:``: full marks when the value reaches the peers' statistic (or the given one)."""
    out, scope, peer, rn, rd, pn, pd = at.out, at.scope, at.peer, at.rn, at.rd, at.pn, at.pd
    vn, vd = at.value("peer")
    given = scope.get(scorer.given) if scorer.given else None
    out.line(f"if seen is not None: seen[{at.leaf.id!r}] = ({vn}, {vd})")
    out.collects.add(at.leaf.id)
    out.line(f"if {peer} is not None: side = PEER_SIDE({vn}, {vd}, {peer})")
    if given is not None and given[0] == "num":
        left, right = f"{vn} * {given[2]}", f"{given[1]} * {vd}"
        out.line(f"elif {given[1]} is not None: side = ({left} > {right}) - ({left} < {right})")
    out.line("else: return None")
    symbol = ">=" if scorer.compare == "at_least" else ">"
    out.line(f"{rn}, {rd} = ({pn}, {pd}) if side {symbol} 0 else (0, 1)")


def _average(at: _Leaf, scorer: Any) -> None:
    """``average:`` of actual/target per period, each capped: points × their mean."""
    out, formulas, scope = at.out, at.formulas, at.scope
    rn, rd, pn, pd = at.rn, at.rd, at.pn, at.pd
    if scorer.rates is not None:
        raise Unsupported("average over rates")
    assert scorer.actual is not None and scorer.target is not None
    actual = formulas.value(scorer.actual, scope)
    target = formulas.value(scorer.target, scope)
    if actual[0] != "list" or target[0] != "list":
        raise Unsupported("average of non-lists")
    mean_n, mean_d = out.temp("n"), out.temp("d")
    out.line(f"if not {actual[1]} or len({actual[1]}) != len({target[1]}): return None")
    out.line(f"{mean_n}, {mean_d} = 0, 1")
    out.line(f"for (an, ad), (tn, td) in zip({actual[1]}, {target[1]}):")
    out.line("    if tn == 0: return None")
    out.line("    xn, xd = an * td, ad * tn")
    out.line("    if xd < 0: xn, xd = -xn, -xd")
    out.line("    if xn < 0: return None")
    if scorer.cap_each is not None:
        cn, cd = _pair(scorer.cap_each)
        out.line(f"    if xn * {cd} > {cn} * xd: xn, xd = {cn}, {cd}")
    out.line(f"    {mean_n}, {mean_d} = {mean_n} * xd + xn * {mean_d}, {mean_d} * xd")
    out.line(f"{mean_d} = {mean_d} * len({actual[1]})")
    out.line(f"if {mean_n} > {mean_d}: {mean_n} = {mean_d}")
    out.line(f"{rn}, {rd} = {pn} * {mean_n}, {pd} * {mean_d}")


FORMS: Mapping[type, Callable[[Any, Any], None]] = {
    FormulaScorer: _formula,
    RatioScorer: _ratio,
    BandsScorer: _bands,
    StepsScorer: _steps,
    ChecklistScorer: _checklist,
    DeductionsScorer: _deductions,
    AllOrNothingScorer: _all_or_nothing,
    JudgementScorer: _judgement,
    PeerScorer: _peer,
    AverageScorer: _average,
}
"""The integer form of each built-in method."""


# -- the whole function ----------------------------------------------------------------


def build_kernel(
    rubric: Rubric,
    schema: Mapping[str, Mapping[str, Any]],
    functions: Mapping[str, Any],
    defaults: Mapping[str, Any],
    optional: frozenset[str],
    required: Mapping[str, Sequence[str]],
    conditional: Sequence[Indicator],
    leaves: Sequence[Indicator],
    pattern: Callable[[tuple[str, ...]], Any],
    general_leaf: Callable[..., Any],
    fixed: Sequence[tuple[int, int, int] | None],
) -> Kernel | None:
    """The generated scoring function of ``rubric``, or None if some part of it (an input
    rule only cerberus knows, an ``applies`` formula without an integer form) leaves
    every unit to the general path.

    ``pattern(roots)`` gives the per-pattern constants (see :class:`Pattern`) for the ids
    of the indicators that do not apply; ``general_leaf(index, inputs, pattern, peers)``
    scores leaf ``index`` by the general code. ``fixed`` gives, for each leaf that applies
    at the same points in every pattern, its factor from raw score to steps and its cap
    (constants in the code); None for the others."""
    if rubric.rounding.mode != "half_up":
        return None
    out = _Source()
    formulas = _Formulas(out, functions)
    known = frozenset(schema)
    out.line("keys = inputs.keys()")
    out.line(f"if not keys <= {out.constant(known, 'KNOWN')}: return None")
    needed = frozenset(name for name, rules in schema.items() if rules.get("required"))
    if needed:
        out.line(f"if not {out.constant(needed, 'REQUIRED')} <= keys: return None")
    missing = out.constant(_MISSING, "MISSING")
    scope: dict[str, Value] = {}
    normal: dict[str, str] = {}
    raws: dict[str, str] = {}
    try:
        always = _always_needed(rubric, conditional, required) - set(defaults) - optional
        for name, rules in schema.items():
            raw = out.temp("x")
            raws[name] = raw
            if name in always:  # every unit must give it: absent, the general path says so
                out.line(f"{raw} = inputs[{name!r}]")
                found, normal[name] = _read_input(out, name, rules, raw)
                scope[name] = found
                continue
            default = defaults.get(name, missing)
            fallback = missing if default is missing else out.constant(default, "DEFAULT")
            out.line(f"{raw} = inputs.get({name!r}, {fallback})")
            out.line(f"if {raw} is not {missing}:")
            out.depth += 1
            found, normal[name] = _read_input(out, name, rules, raw)
            out.depth -= 1
            if found[0] == "num" and str(found[1]).isidentifier():
                out.line(f"else: {found[1]} = None")  # (a peer's ``given`` may be absent)
            scope[name] = found
            if name in optional:  # formulas see None when it is not given
                normal[name] = f"({normal[name]} if {raw} is not {missing} else None)"
        # which indicators apply, in the engine's order
        ids = []
        for node in conditional:
            assert node.applies is not None
            flag = out.temp("a")
            for name in sorted(node.applies.names):
                out.line(f"if {raws.get(name, missing)} is {missing}: return None")
            out.line(f"{flag} = {formulas.boolean(node.applies, scope)}")
            ids.append((node, flag))
        out.line("found = []")  # flat statements: a rubric of thousands compiles too
        for node, flag in ids:
            outer = [f for other, f in ids if other is not node and _inside(node, other)]
            condition = " and ".join([*outer, f"not {flag}"]) if outer else f"not {flag}"
            out.line(f"if {condition}: found.append({node.id!r})")
        out.line("roots = tuple(found)")
        out.line("P = PATTERNS.get(roots) or PATTERN(roots)")
        out.line("if P is None: return None")
        out.line(f"if len(keys) != {len(known)} and not P.needed <= keys: return None")
        out.line("na = P.not_applicable")
        out.line("cased = []")
        for index, leaf in enumerate(leaves):
            if fixed[index] is None:
                out.line(f"if na[{index}]: s{index} = P.na_scores[{index}]")
                out.line("else:")
                out.depth += 1
            _leaf(
                out,
                formulas,
                leaf,
                index,
                scope,
                normal,
                required[leaf.id],
                rubric.rounding.quantum == CENT,
                fixed[index],
            )
            if fixed[index] is None:
                out.depth -= 1
        events = []
        for adjustment in rubric.adjustments:
            event = scope.get(adjustment.id)
            if event is None or event[0] != "num" or event[2] != "1":
                raise Unsupported("adjustment")
            events.append(str(event[1]))
        out.line(f"events = ({''.join(event + ', ' for event in events)})")
        for index in sorted(out.objects):  # a score the general code or the parts gave
            out.line(f"t{index} = s{index} if type(s{index}) is int else s{index}.steps")
        scores = "".join(f"s{index}, " for index in range(len(leaves)))
        steps = "".join(
            f"t{index}, " if index in out.objects else f"s{index}, " for index in range(len(leaves))
        )
        out.line(f"return OUTCOME(roots, ({scores}), frozenset(cased), events, sum(({steps})))")
    except Unsupported:
        return None
    body = "\n".join(out.lines)
    source = f"def run(inputs, peers, seen=None):\n{body}\n"
    if len(source) > MAX_SOURCE:
        return None
    try:
        return _compiled(source, out.constants, pattern, general_leaf, frozenset(out.collects))
    except (SyntaxError, RecursionError, MemoryError, ValueError, OverflowError):
        return None  # beyond what CPython compiles (blocks nested past 20, say): general


def _leaf(
    out: _Source,
    formulas: _Formulas,
    leaf: Indicator,
    index: int,
    scope: dict[str, Value],
    normal: Mapping[str, str],
    wanted: Sequence[str],
    cents: bool,
    fixed: tuple[int, int, int] | None,
) -> None:
    """Statements setting ``s<index>``: leaf ``index``'s score in steps (or what the
    general code or the parts give)."""
    mark = out.mark()
    names = "".join(f"({name!r}, {normal[name]}), " for name in wanted if name in normal)
    general = f"s{index} = GENERAL({index}, ({names}), P, peers)"
    if isinstance(leaf.scorer, UnitDefinedScorer) or not FORMS.get(type(leaf.scorer)):
        out.objects.add(index)
    try:
        if isinstance(leaf.scorer, UnitDefinedScorer):
            _parts_leaf(out, leaf, index, scope, general, cents)
        else:
            _fast_leaf(out, formulas, leaf, index, dict(scope), fixed)
    except Unsupported:
        out.rollback(mark)
        out.objects.add(index)
        out.line(general)


def _parts_leaf(
    out: _Source,
    leaf: Indicator,
    index: int,
    scope: Mapping[str, Value],
    general: str,
    cents: bool,
) -> None:
    """A ``unit_defined`` leaf at its own points, its parts splitting them evenly; any
    other case is the general code's."""
    own = scope.get(leaf.id)
    if own is None or own[0] != "rows" or leaf.cases or leaf.values or not cents:
        raise Unsupported("parts")
    items, rows, total = str(own[1]), out.temp("r"), out.temp("s")
    out.line(f"if P.factors[{index}][:2] != (100, 1) or any('points' in i for i in {items}):")
    out.line(f"    {general}")
    out.line("else:")
    out.depth += 1
    out.line(f"{rows}, {total} = [], 0")
    points = out.constant(leaf.points)
    out.line(f"for i, share in zip({items}, EVEN_SHARES({points}, len({items}))):")
    out.line("    if share == 0: return None")
    out.line("    sn, sd = i['score'].as_integer_ratio()")
    out.line("    if sn * 100 > share * sd: return None")
    out.line("    step = (200 * sn + sd) // (2 * sd)")
    out.line("    if step > share: step = share")
    out.line(f"    {rows}.append((i['name'], share, step))")
    out.line(f"    {total} += step")
    out.line(f"s{index} = PARTS({total}, tuple({rows}))")
    out.depth -= 1


def _fast_leaf(
    out: _Source,
    formulas: _Formulas,
    leaf: Indicator,
    index: int,
    scope: dict[str, Value],
    fixed: tuple[int, int, int] | None,
) -> None:
    scorer = leaf.scorer
    if scorer is None or not type(scorer).__module__.startswith("rubriceng.methods."):
        raise Unsupported("a plugin's method")
    scope["points"] = _literal(leaf.points)
    own = scope.get(leaf.id)
    step = out.temp("s")
    rn, rd = out.temp("rn"), out.temp("rd")
    opened = 0
    for case in leaf.cases:
        test = formulas.value(case.when, scope)
        sn, sd = _pair(case.score)
        flag = out.temp("h")
        out.line(f"{flag} = {test[1]} is True" if test[0] == "bool" else f"{flag} = False")
        out.line(f"if {flag}:")
        out.line(f"    {rn}, {rd} = {sn}, {sd}")
        out.line(f"    cased.append({index})")
        out.line("else:")
        out.depth += 1
        opened += 1
    for name, formula in leaf.values:
        found = formulas.value(formula, scope)
        scope[name] = found
    peer = out.temp("p")
    if isinstance(scorer, PeerScorer):
        out.line(f"{peer} = peers.get({leaf.id!r})")
    form = FORMS.get(type(scorer))
    if form is None:
        raise Unsupported(type(scorer).__name__)
    form(_Leaf(out, formulas, leaf, scope, own, peer, (rn, rd)), scorer)
    out.depth -= opened
    points = _pair(leaf.points)
    out.line(f"if {rn} < 0 or {_mul(rn, points[1])} > {_mul(points[0], rd)}: return None")
    if fixed is None:
        out.line(f"fn, fd, cap = P.factors[{index}]")
        out.line(f"{step} = (2 * {rn} * fn + {rd} * fd) // (2 * {rd} * fd)")
        out.line(f"s{index} = {step} if {step} < cap else cap")
        return
    top, bottom, cap = fixed  # the same in every pattern: constants
    out.line(f"{step} = ({rn} * {2 * top} + {rd} * {bottom}) // ({rd} * {2 * bottom})")
    out.line(f"s{index} = {step} if {step} < {cap} else {cap}")


def _always_needed(
    rubric: Rubric, conditional: Sequence[Indicator], required: Mapping[str, Sequence[str]]
) -> set[str]:
    """The inputs every unit must give, whatever applies: those of the leaves outside
    every conditional indicator, and the adjustments'."""
    inside = {id(node) for top in conditional for node in top.walk()}
    found = {item.id for item in rubric.adjustments}
    for leaf in rubric.walk():
        if leaf.is_leaf and id(leaf) not in inside:
            found.update(required.get(leaf.id, ()))
    return found


def _inside(node: Indicator, outer: Indicator) -> bool:
    return any(inner is node for inner in outer.walk())


def _compiled(
    source: str,
    constants: Mapping[str, Any],
    pattern: Any,
    general: Any,
    collects: frozenset[str],
) -> Kernel:
    namespace: dict[str, Any] = {
        **constants,
        "DECIMAL": Decimal,
        "SIGNIFICANT": significant,
        "PATTERNS": {},
        "PATTERN": pattern,
        "GENERAL": general,
        "OUTCOME": Outcome,
        "PARTS": Parts,
        "EVEN_SHARES": even_shares,
        "PEER_SIDE": peer_side,
    }
    code = compile(source, "<rubriceng kernel>", "exec")
    exec(code, namespace)
    patterns: dict[Any, Any] = namespace["PATTERNS"]

    def remember(roots: tuple[str, ...]) -> Any:
        found = pattern(roots)
        patterns[roots] = found
        return found

    namespace["PATTERN"] = remember
    return Kernel(source, namespace["run"], collects)
