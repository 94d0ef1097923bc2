"""Writing the kernel's source: a buffer of statements with fresh names, formulas as
integer numerator/denominator pairs, and the inline checks that read each input of a
unit (the cerberus rules of the compiled checker, written out).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rubriceng.formula.functions import BUILTIN_FUNCTIONS
from rubriceng.formula.language import Formula
from rubriceng.inputs.types import MAX_NUMBER, value_checker
from rubriceng.scoring.runtime import BITS_LIMIT, DMAX, IN_BITS, MISSING, Unsupported

# -- writing source ------------------------------------------------------------------


class Source:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 1
        self.counter = 0
        self.constants: dict[str, Any] = {}
        self.collects: set[str] = set()
        """The peer leaves whose value the function records in ``seen``."""
        self.objects: set[int] = set()
        """The leaves whose score may be an object (the general code's, or parts)."""
        self.made: list[str] = []
        """Every name :meth:`temp` gave, in order."""

    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    def temp(self, stem: str = "t") -> str:
        self.counter += 1
        name = f"{stem}{self.counter}"
        self.made.append(name)
        return name

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


def mul(*factors: str | int) -> str:
    """The product of ``factors`` (names or literals) as source, ones left out."""
    kept = [str(factor) for factor in factors if str(factor) != "1"]
    if "0" in kept:
        return "0"
    return " * ".join(kept) if kept else "1"


def pair(number: Decimal | int | Fraction) -> tuple[int, int]:
    if isinstance(number, Decimal):
        return number.as_integer_ratio()
    fraction = Fraction(number)
    return fraction.numerator, fraction.denominator


def _num(n: str, d: str, bn: int, bd: int) -> Value:
    """A number's value, unless its bits could outgrow what the kernel computes with."""
    if bn > BITS_LIMIT or bd > BITS_LIMIT:
        raise Unsupported("numbers too large")
    return ("num", n, d, bn, bd)


def literal(number: Decimal | int | Fraction) -> Value:
    """A constant's value: its numerator and denominator as literals."""
    n, d = pair(number)
    return ("num", repr(n), repr(d), max(1, n.bit_length()), d.bit_length())


class Formulas:
    """Formula trees written as integer statements."""

    def __init__(self, out: Source, functions: Mapping[str, Any]) -> None:
        self.out = out
        self.functions = functions

    def value(self, formula: Formula, scope: Mapping[str, Value]) -> Value:
        if formula.is_constant:
            constant = formula.constant
            if isinstance(constant, bool):
                return ("bool", repr(constant))
            if isinstance(constant, Decimal | int):
                return literal(constant)
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
                return literal(node.value)
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
            left_part, right_part = mul(ln, rd), mul(rn, ld)
            if right_part == "0":
                out.line(f"{n} = {left_part}")
            elif left_part == "0":
                out.line(f"{n} = {'' if sign == '+' else '-'}{right_part}")
            else:
                out.line(f"{n} = {left_part} {sign} {right_part}")
            d = self.product(d, ld, rd)
            return _num(n, d, max(lbn + rbd, rbn + lbd) + 1, lbd + rbd)
        if op is ast.Mult:
            out.line(f"{n} = {mul(ln, rn)}")
            return _num(n, self.product(d, ld, rd), lbn + rbn, lbd + rbd)
        if op is ast.Div:
            if not rn.lstrip("-").isdigit():
                out.line(f"if {rn} == 0: return None")
            elif int(rn) == 0:
                out.line("return None")
            out.line(f"{n} = {mul(ln, rd)}")
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
        found = mul(*factors)
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


def _bound(out: Source, n: str, d: str, bound: Any, symbol: str) -> str:
    bn, bd = pair(Decimal(bound))
    lhs = n if bd == 1 else f"{n} * {bd}"
    rhs = str(bn) if d == "1" else f"{bn} * {d}"
    return f"{lhs} {symbol} {rhs}"


def _read_number(
    out: Source, source: str, rules: Mapping[str, Any], n: str, d: str, loose: bool = False
) -> None:
    """Statements reading ``source`` into the pair ``n``, ``d``, as the input checker
    reads it (:func:`~rubriceng.inputs.types.to_decimal` or ``to_count``); ``source`` is
    a name, and an unusual value is replaced there by what the checker makes of it.

    A Decimal or an int is read inline, a float through its repr. Text (``'95%'``, a
    count given as ``3.0``) is read only when ``loose``: where nothing reads the unit's
    value again (list items and mapping fields are read again when normalised)."""
    low, high = rules.get("min"), rules.get("max")
    limit = int(MAX_NUMBER)
    positive = low is not None and Decimal(low) >= 0
    floor = 0 if positive else -limit
    kind = out.temp("k")
    out.line(f"{kind} = type({source})")
    decimal = rules.get("coerce") in DECIMAL_COERCIONS
    sign = f" or {n} < 0" if positive else ""
    if decimal:
        odd = (
            f"if {d} > {DMAX} or abs({n}) > {limit} * {d}{sign} or not "
            f"SIGNIFICANT({source}): return None"
        )
        out.line(f"if {kind} is DECIMAL:")
        out.line(f"    {n}, {d} = {source}.as_integer_ratio()")
        # n within [floor, 10^18] with d ≤ 2^20: at most 10^18 and 34 significant digits
        out.line(f"    if {d} > 1048576 or not {floor} <= {n} <= {limit}:")
        out.line(f"        {odd}")
        out.line(f"elif {kind} is int:")
        out.line(f"    {n}, {d} = {source}, 1")
        out.line(f"    if not {floor} <= {n} <= {limit}: return None")
        out.line(f"elif {kind} is float{f' or {kind} is str' if loose else ''}:")
        reader = "TO_AMOUNT" if rules.get("coerce") == "amount" else "TO_DECIMAL"
        out.line(f"    {source} = {reader}({source})")  # raises: the general path
        out.line(f"    {n}, {d} = {source}.as_integer_ratio()")
        out.line(f"    {odd}")
    else:  # a count: its denominator is 1 in the code (the literal)
        out.line(f"if {kind} is int:")
        out.line(f"    {n} = {source}")
        out.line(f"    if not {floor} <= {n} <= {limit}: return None")
        if loose:
            out.line(f"elif {kind} is not bool:")
            out.line(f"    {source} = {n} = TO_COUNT({source})")
            out.line(f"    if not {floor} <= {n} <= {limit}: return None")
    out.line("else: return None")
    whole = d if rules.get("coerce") in DECIMAL_COERCIONS else "1"
    if low is not None and Decimal(low) != 0:
        out.line(f"if {_bound(out, n, whole, low, '<')}: return None")
    if high is not None:
        out.line(f"if {_bound(out, n, whole, high, '>')}: return None")


def _simple_number(rules: Mapping[str, Any]) -> bool:
    keys = set(rules) - {"min", "max", "required"}
    kind = (rules.get("coerce"), rules.get("type"))
    return keys == {"coerce", "type"} and kind in _SIMPLE


DECIMAL_COERCIONS = ("decimal", "amount")
"""The coercions that read a number with a fraction (``amount``: never a percentage)."""

_SIMPLE = (("decimal", "decimal"), ("amount", "decimal"), ("count", "integer"))


def read_input(out: Source, name: str, rules: Mapping[str, Any], raw: str) -> tuple[Value, str]:
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


REREAD = "({0} if type({0}) is DECIMAL else AS_DECIMAL({0}))"
"""The expression of a unit's number read again (a name formatted in), as the checker
normalises it: a Decimal as it is, an int or a float through ``as_decimal``."""


def _read_value(out: Source, rules: Mapping[str, Any], raw: str) -> tuple[Value, str]:
    if _simple_number(rules):
        n, d = out.temp("n"), out.temp("d")
        _read_number(out, raw, rules, n, d, loose=True)
        if rules.get("coerce") == "count":  # a whole number: read from ints alone
            return ("num", n, "1", IN_BITS, 1), raw
        return ("num", n, d, IN_BITS, DMAX.bit_length()), REREAD.format(raw)
    if set(rules) <= {"coerce", "type", "required"} and rules.get("coerce") == "boolean":
        out.line(f"if {raw} is not True and {raw} is not False: return None")
        return ("bool", raw), raw
    if set(rules) - {"type", "schema", "minlength", "maxlength", "required"}:
        raise Unsupported("rules")
    inner = rules.get("schema")
    if rules.get("type") == "dict" and isinstance(inner, Mapping):
        found = _read_fields(out, raw, inner)
        normal = f"{{k: {REREAD.format('v')} for k, v in {raw}.items()}}"
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
        whole = d if inner.get("coerce") in DECIMAL_COERCIONS else 1
        out.line(f"{pairs}.append(({n}, {whole}))")
        out.depth -= 1
        if inner.get("coerce") == "count":
            return ("list", pairs), f"list({raw})"
        return ("list", pairs), f"[{REREAD.format('i')} for i in {raw}]"
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
    normal = f"[{{k: {REREAD.format('v')} for k, v in i.items()}} for i in {raw}]"
    return ("rows", raw), normal


def _read_fields(out: Source, raw: str, fields: Mapping[str, Mapping[str, Any]]) -> Value:
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
    missing = out.constant(MISSING, "MISSING")
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
            top, bottom = pair(Decimal(rules["credit_max"]))
            out.line(f"if {item} is True: {n}, {d} = {top}, {bottom}")
            out.line(f"elif {item} is False: {n}, {d} = 0, 1")
            out.line("else:")
            out.depth += 1
            _read_number(
                out, item, {"coerce": "decimal", "min": 0, "max": rules["credit_max"]}, n, d
            )
            out.depth -= 1
            found[key] = ("num", n, d, IN_BITS, DMAX.bit_length())
        elif _simple_number(rules) and rules.get("coerce") in DECIMAL_COERCIONS:
            n, d = out.temp("n"), out.temp("d")
            _read_number(out, item, rules, n, d)
            found[key] = ("num", n, d, IN_BITS, DMAX.bit_length())
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
