"""Formulas and numbers as people read them: ``stock_previous == 0 and stock_end == 0``
is 上年末存量资金 = 0 且 本年末存量资金 = 0, ``points * satisfaction_rate`` is 满分 × 满意度,
and a rate is a percentage.

The words come from :data:`rubriceng.outputs.words.FORMULA_WORDS`; names are shown by their labels
(inputs) or names (indicators), in the language asked for.

It also knows which formulas compute a rate: a quotient of two amounts of the same kind
(money by money, counts by counts), a rate input, or arithmetic that keeps one (a rate
minus 1, the mean of rates). Such values and the band edges they are compared with are
shown as percentages (0.0092 is 0.92%, ``≤ 0.10`` is ≤ 10%).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rubriceng.exact import rational, round_to
from rubriceng.outputs.words import FORMULA_WORDS, language

__all__ = ["formula_words", "is_rate", "number", "percent"]


def number(value: Any, places: int = 4) -> str:
    """A number for people: at most ``places`` decimals, no trailing zeros, no exponent.

    >>> number(Decimal("0.009153929139829739"))
    '0.0092'
    >>> number(Decimal("1331100"))
    '1331100'
    """
    if type(value) is int and -_WHOLE < value < _WHOLE:  # as it is (most counts)
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        return str(value)
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = Decimal(1).scaleb(-places)
    rounded = round_to(value, quantum, "half_even")
    text = format(rounded.normalize(), "f")
    return "0" if text in ("-0", "") else text


_WHOLE = 10**34
"""Whole numbers below this are shown as they are (``normalize`` keeps 34 digits)."""
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(9)}


def percent(value: Any, places: int = 2) -> str:
    """A rate as a percentage, exactly computed, at most ``places`` decimals.

    >>> percent(Decimal("0.009153929")), percent(Fraction(5, 24)), percent(Decimal("0.1"))
    ('0.92%', '20.83%', '10%')
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        return str(value)
    return f"{number(rational(value) * 100, places)}%"


_COMPARE = {ast.Eq: "=", ast.NotEq: "≠", ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥"}
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "×", ast.Div: "÷", ast.Pow: "^"}
_PRECEDENCE = {
    ast.Add: 4,
    ast.Sub: 4,
    ast.Mult: 5,
    ast.Div: 5,
    ast.FloorDiv: 5,
    ast.Mod: 5,
    ast.Pow: 7,
}


def formula_words(
    text: str, lang: str | None = None, labels: Mapping[str, str] | None = None
) -> str:
    """A formula in words: names by their ``labels``, operators as printed in a table.

    >>> formula_words("a == 0 and not b", "zh", {"a": "上年存量", "b": "是否公开"})
    '上年存量 = 0 且 非（是否公开）'
    >>> formula_words("points * min(1, done / planned)", "en")
    'full marks × the least of 1, done ÷ planned'
    """
    words = FORMULA_WORDS[language(lang)]
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return text
    try:
        return _said(tree, words, labels or {}, 0)
    except RecursionError:
        return text


def _said(node: ast.AST, words: Mapping[str, str], labels: Mapping[str, str], outer: int) -> str:
    inner, text = _phrase(node, words, labels)
    return f"({text})" if inner < outer else text


def _phrase(node: ast.AST, words: Mapping[str, str], labels: Mapping[str, str]) -> tuple[int, str]:
    """(precedence, words) of one node."""
    if isinstance(node, ast.BoolOp):
        joiner = words["and"] if isinstance(node.op, ast.And) else words["or"]
        level = 2 if isinstance(node.op, ast.And) else 1
        return level, joiner.join(_said(value, words, labels, level + 1) for value in node.values)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return 8, words["not"].format(_said(node.operand, words, labels, 0))
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        return 6, sign + _said(node.operand, words, labels, 6)
    if isinstance(node, ast.Compare):
        parts = [_said(node.left, words, labels, 4)]
        for operator, compared in zip(node.ops, node.comparators, strict=True):
            parts.append(_COMPARE.get(type(operator), "?"))
            parts.append(_said(compared, words, labels, 4))
        return 3, " ".join(parts)
    if isinstance(node, ast.BinOp):
        level = _PRECEDENCE.get(type(node.op), 5)
        if isinstance(node.op, ast.FloorDiv | ast.Mod):
            key = "floor div" if isinstance(node.op, ast.FloorDiv) else "mod"
            return 8, words[key].format(
                _said(node.left, words, labels, 0), _said(node.right, words, labels, 0)
            )
        left = _said(node.left, words, labels, level)
        right = _said(node.right, words, labels, level + 1)
        return level, f"{left} {_ARITHMETIC.get(type(node.op), '?')} {right}"
    if isinstance(node, ast.IfExp):
        return 0, words["if"].format(
            test=_said(node.test, words, labels, 0),
            then=_said(node.body, words, labels, 0),
            otherwise=_said(node.orelse, words, labels, 0),
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [_said(arg, words, labels, 0) for arg in node.args]
        template = words.get(f"{node.func.id}()")
        if template is None:
            return 8, f"{node.func.id}({words['list'].join(args)})"
        return 8, template.format(*args, all=words["list"].join(args))
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return 9, words["true"] if node.value else words["false"]
        if isinstance(node.value, str):
            return 9, words["text"].format(node.value)
        return 9, str(node.value)
    if isinstance(node, ast.Name):
        return 9, _name(node.id, words, labels)
    if isinstance(node, ast.Attribute):
        path = ast.unparse(node)
        return 9, labels.get(path) or f"{_said(node.value, words, labels, 9)}.{node.attr}"
    return 9, ast.unparse(node)


def _name(name: str, words: Mapping[str, str], labels: Mapping[str, str]) -> str:
    if name in labels:
        return labels[name]
    return words.get(f"name {name}", name)


_KINDS = {"money": "money", "count": "count", "rate": "rate", "number": "number"}


def is_rate(text: str, kinds: Mapping[str, str]) -> bool:
    """True if the formula computes a rate, by the kinds of the inputs it reads
    (``kinds``: input id to type, ``money``, ``count``, ``rate`` …).

    >>> kinds = {"end": "money", "start": "money", "done": "count", "rate": "rate"}
    >>> is_rate("end / start - 1", kinds), is_rate("abs(end - start) / start", kinds)
    (True, True)
    >>> is_rate("end - start", kinds), is_rate("done / end", kinds), is_rate("rate", kinds)
    (False, False, True)
    """
    try:
        tree = ast.parse(text.strip(), mode="eval").body
        return _kind(tree, kinds) == "rate"
    except (SyntaxError, ValueError, RecursionError):
        return False


def _kind(node: ast.AST, kinds: Mapping[str, str]) -> str | None:
    """``money``, ``count``, ``rate``, ``constant`` or None (unknown) for a node."""
    if isinstance(node, ast.Name):
        return _KINDS.get(kinds.get(node.id, ""))
    if isinstance(node, ast.Constant):
        return None if isinstance(node.value, bool | str) else "constant"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _kind(node.operand, kinds)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        found = {_kind(arg, kinds) for arg in node.args} - {"constant"}
        if node.func.id in ("abs", "min", "max", "mean", "clamp", "round", "sum"):
            return found.pop() if len(found) == 1 else None
        return None
    if isinstance(node, ast.BinOp):
        left, right = _kind(node.left, kinds), _kind(node.right, kinds)
        if isinstance(node.op, ast.Div):
            if left is not None and left == right and left in ("money", "count"):
                return "rate"
            if right == "constant":
                return left
            return "rate" if left == right == "rate" else None
        if isinstance(node.op, ast.Add | ast.Sub):
            if left == right:
                return left
            if "constant" in (left, right):
                return left if right == "constant" else right
            return None
        if isinstance(node.op, ast.Mult):
            if left == "constant" or right == "constant":
                return None  # scaled: points × a rate is points, 100 × a rate is a number
            return "rate" if left == right == "rate" else None
    return None
