"""Formulas written in rubric files: parsed once, checked against a whitelist, run exactly.

A formula is one Python-like expression over numbers, booleans and short strings::

    0 if actual > plan else points * actual / plan

It may use the names the rubric declares (inputs, the indicator's own intermediate
values, ``points``), the operators ``+ - * / // % **`` (the exponent written out, at
most 100), comparisons, ``and or not``, ``a if c else b`` and calls to registered
functions (see :data:`BUILTIN_FUNCTIONS`). Text literals may only be compared or passed
to a function.
Nothing else parses: no attributes, subscripts, lambdas, comprehensions, f-strings,
keyword arguments or names starting with ``_``. Sizes are bounded (text length,
nesting, node count, literal size, exponent) so a formula cannot use unbounded CPU or
memory. Every numeric literal is turned into a :class:`~decimal.Decimal` from its
source text at compile time, and the operators refuse anything but numbers and compute
with exact rationals (:class:`~fractions.Fraction`): ``5 / 24`` is exactly five
twenty-fourths, never a 34-digit decimal, so a result on a half cent rounds the way the
rubric says.

Formulas are parsed and checked once, at load, and the checked tree is turned into
nested Python closures (one per node, each calling the operator functions above): a
unit's scoring walks no tree and parses nothing. The closures do exactly what
:mod:`simpleeval` does with the same operators on the same tree (``tests/test_fuzz.py``
compares them on random formulas); nothing in a formula can reach an attribute, and
every value a formula sees is a number, a boolean, text or a list of numbers.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs
from simpleeval import SimpleEval

from rubriceng.formula.functions import BUILTIN_FUNCTIONS
from rubriceng.formula.operators import OPERATORS
from rubriceng.formula.values import (
    MAX_EXPONENT,
    MAX_FORMULA_LENGTH,
    MAX_LITERAL,
    MAX_LITERAL_DIGITS,
    MAX_NESTING,
    MAX_NODES,
    MAX_STRING_LITERAL,
    FormulaRuntimeError,
    FormulaSyntaxError,
    describe,
)

# -- compiling -------------------------------------------------------------------------

_ALLOWED_NODES = (
    ast.Expression,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.And,
    ast.Or,
    *OPERATORS,
)

_NODE_WORDS = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "subscripts (a[b])",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.NamedExpr: "assignment expressions (:=)",
    ast.Starred: "starred arguments",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.List: "list literals",
    ast.Tuple: "tuples",
    ast.Dict: "dict literals",
    ast.Set: "set literals",
    ast.Slice: "slices",
}


Runner = Callable[[Mapping[str, Any], Mapping[str, Callable[..., Any]]], Any]
"""A compiled formula: ``run(names, functions)`` → its value."""


@attrs.frozen
class Formula:
    """A checked, parsed formula. ``names`` are the names it reads (not functions)."""

    text: str
    tree: ast.AST = attrs.field(eq=False, repr=False)
    names: frozenset[str]
    constant: Any = attrs.field(default=None, eq=False, repr=False)
    is_constant: bool = False
    run: Runner = attrs.field(eq=False, repr=False)

    @run.default
    def _compile(self) -> Runner:
        return _runner(self.tree, self.text)

    def __str__(self) -> str:
        return self.text


def constant_formula(value: Decimal | int | bool) -> Formula:
    """A formula that is just a number or boolean written directly in the document."""
    converted: Any = value if isinstance(value, bool) else Decimal(value)
    return Formula(
        str(value).lower() if isinstance(value, bool) else str(value),
        ast.Constant(converted),
        frozenset(),
        converted,
        True,
    )


def _nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


MAX_UNIT_WORK = 400_000
"""The most work a rubric's formulas may do for one unit, in :func:`formula_work` units
(about 50 ms on a 2-core machine): each node evaluated once, each list item a function
reads once."""


def formula_work(formula: Formula, list_lengths: Mapping[str, int]) -> int:
    """An upper bound of the work ``formula`` does for one unit: its nodes, plus the
    items of every list a function call reads (lists come only from names: a formula has
    no list literals), at the longest each list may be."""
    if formula.is_constant:
        return 1
    work = 0
    for node in ast.walk(formula.tree):
        work += 1
        if isinstance(node, ast.Call):
            work += sum(
                list_lengths.get(argument.id, 0)
                for argument in node.args
                if isinstance(argument, ast.Name)
            )
    return work


WORDS: Mapping[str, bool] = {"true": True, "false": False}
"""The formula language's words for the booleans (Python's ``True``/``False`` work too)."""


class _Words(ast.NodeTransformer):
    """``true`` and ``false`` as the constants they name, for every evaluator alike."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in WORDS:
            return ast.copy_location(ast.Constant(WORDS[node.id]), node)
        return node


def compile_formula(
    text: Any,
    names: Iterable[str],
    functions: Mapping[str, Callable[..., Any]] = BUILTIN_FUNCTIONS,
) -> Formula:
    """Parse and check ``text``; raise :class:`FormulaSyntaxError` if it is not allowed.

    ``names`` are the names the formula may read. A bare number or boolean is accepted
    as a constant formula.
    """
    if isinstance(text, bool | int | Decimal):
        return constant_formula(text)
    if not isinstance(text, str):
        raise FormulaSyntaxError("formula-syntax", f"a formula must be text, got {describe(text)}")
    source = text.strip()
    if not source:
        raise FormulaSyntaxError("formula-syntax", "the formula is empty")
    if len(source) > MAX_FORMULA_LENGTH:
        raise FormulaSyntaxError(
            "formula-too-complex", f"the formula is longer than {MAX_FORMULA_LENGTH} characters"
        )
    if _nesting(source) > MAX_NESTING:
        raise FormulaSyntaxError(
            "formula-too-complex", f"brackets nest deeper than {MAX_NESTING} levels"
        )
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        detail = getattr(error, "msg", None) or str(error) or type(error).__name__
        raise FormulaSyntaxError("formula-syntax", f"cannot parse {source!r}: {detail}") from None
    allowed = frozenset(names)
    used = _check(tree, source, allowed, functions)
    if used & WORDS.keys():  # checked, so small enough to walk again
        tree = ast.fix_missing_locations(_Words().visit(tree))
        used -= WORDS.keys()
    if isinstance(tree.body, ast.Constant):
        value = tree.body.value
        return Formula(source, tree.body, frozenset(), value, True)
    return Formula(source, tree.body, frozenset(used))


def _check(
    tree: ast.Expression,
    source: str,
    allowed: frozenset[str],
    functions: Mapping[str, Callable[..., Any]],
) -> set[str]:
    used: set[str] = set()
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > 2 * MAX_NESTING:
            raise FormulaSyntaxError("formula-too-complex", "the formula is too large or too deep")
        if not isinstance(node, _ALLOWED_NODES):
            word = _NODE_WORDS.get(type(node), type(node).__name__)
            raise FormulaSyntaxError("formula-forbidden", f"formulas cannot use {word}")
        if isinstance(node, ast.BinOp | ast.UnaryOp | ast.BoolOp):
            _check_operands(node)
        if isinstance(node, ast.Name):
            _check_name(node.id, allowed, functions, used)
        elif isinstance(node, ast.Call):
            _check_call(node, functions)
            stack.extend((arg, depth + 1) for arg in node.args)
            continue
        elif isinstance(node, ast.Constant):
            node.value = _literal(node, source)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return used


def _check_operands(node: ast.BinOp | ast.UnaryOp | ast.BoolOp) -> None:
    """Text only in comparisons and calls; exponents written out and bounded."""
    if isinstance(node, ast.BinOp):
        operands = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp):
        operands = [node.operand]
    else:
        operands = list(node.values)
    if any(isinstance(item, ast.Constant) and isinstance(item.value, str) for item in operands):
        raise FormulaSyntaxError(
            "formula-forbidden", "text can only be compared or passed to a function"
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        exponent = node.right
        if isinstance(exponent, ast.UnaryOp) and isinstance(exponent.op, ast.USub | ast.UAdd):
            exponent = exponent.operand
        value = exponent.value if isinstance(exponent, ast.Constant) else None
        if (  # a fraction (x ** 0.5) has no exact value: told when the rubric loads
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or abs(value) > MAX_EXPONENT
            or value != int(value)
        ):
            raise FormulaSyntaxError(
                "formula-forbidden",
                f"the exponent of ** must be a whole number written in the formula, "
                f"at most {MAX_EXPONENT}",
            )


def _check_name(
    name: str, allowed: frozenset[str], functions: Mapping[str, Any], used: set[str]
) -> None:
    if name.startswith("_"):
        raise FormulaSyntaxError(
            "formula-forbidden", f"names starting with '_' are not allowed: {name}"
        )
    if name not in allowed and name not in WORDS:
        hint = " (it is a function; call it)" if name in functions else ""
        raise FormulaSyntaxError("formula-name", f"unknown name {name!r}{hint}")
    used.add(name)


def _check_call(node: ast.Call, functions: Mapping[str, Any]) -> None:
    if not isinstance(node.func, ast.Name):
        raise FormulaSyntaxError("formula-forbidden", "only registered functions may be called")
    name = node.func.id
    if name.startswith("_"):
        raise FormulaSyntaxError(
            "formula-forbidden", f"names starting with '_' are not allowed: {name}"
        )
    if name not in functions:
        raise FormulaSyntaxError("formula-function", f"unknown function {name!r}")
    if node.keywords:
        raise FormulaSyntaxError("formula-forbidden", "keyword arguments are not allowed")


def _literal(node: ast.Constant, source: str) -> Any:
    value = node.value
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if len(value) > MAX_STRING_LITERAL:
            raise FormulaSyntaxError("formula-too-complex", "text literal is too long")
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = (ast.get_source_segment(source, node) or repr(value)).replace("_", "")
        if len(text) > MAX_LITERAL_DIGITS:
            raise FormulaSyntaxError(
                "formula-too-complex", f"number literal {text[:20]}… is too long"
            )
        try:
            number = Decimal(text)
        except ArithmeticError:
            number = Decimal(repr(value))
        if not number.is_finite() or abs(number) > MAX_LITERAL:
            raise FormulaSyntaxError("formula-too-complex", f"number literal {text} is too large")
        return number
    raise FormulaSyntaxError("formula-forbidden", f"literal {type(value).__name__} is not allowed")


# -- evaluating ------------------------------------------------------------------------


def _runner(node: ast.AST, text: str) -> Runner:
    """The closure that computes ``node``, as simpleeval would with :data:`OPERATORS`."""
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda names, functions: value
    if isinstance(node, ast.Name):
        key = node.id

        def name(names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
            try:
                return names[key]
            except KeyError:
                raise FormulaRuntimeError(
                    f"'{key}' is not defined for expression '{text}'"
                ) from None

        return name
    if isinstance(node, ast.BinOp):
        binary = OPERATORS[type(node.op)]
        left, right = _runner(node.left, text), _runner(node.right, text)
        return lambda names, functions: binary(left(names, functions), right(names, functions))
    if isinstance(node, ast.UnaryOp):
        unary = OPERATORS[type(node.op)]
        operand = _runner(node.operand, text)
        return lambda names, functions: unary(operand(names, functions))
    if isinstance(node, ast.BoolOp):
        return _boolean_runner(node, text)
    if isinstance(node, ast.Compare):
        return _compare_runner(node, text)
    if isinstance(node, ast.IfExp):
        test, body = _runner(node.test, text), _runner(node.body, text)
        orelse = _runner(node.orelse, text)
        return lambda names, functions: (
            body(names, functions) if test(names, functions) else orelse(names, functions)
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        function = node.func.id
        arguments = tuple(_runner(argument, text) for argument in node.args)

        def call(names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
            try:
                chosen = functions[function]
            except KeyError:
                raise FormulaRuntimeError(f"unknown function {function!r}") from None
            return chosen(*[argument(names, functions) for argument in arguments])

        return call
    raise FormulaSyntaxError(  # unreachable for a checked tree
        "formula-forbidden", f"formulas cannot use {type(node).__name__}"
    )


def _boolean_runner(node: ast.BoolOp, text: str) -> Runner:
    parts = tuple(_runner(value, text) for value in node.values)
    stop_when = not isinstance(node.op, ast.And)  # `and` stops at a falsy value, `or` at a truthy

    def boolean(names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
        result: Any = False
        for part in parts:
            result = part(names, functions)
            if bool(result) is stop_when:
                break
        return result

    return boolean


def _compare_runner(node: ast.Compare, text: str) -> Runner:
    first = _runner(node.left, text)
    steps = tuple(
        (OPERATORS[type(op)], _runner(comparator, text))
        for op, comparator in zip(node.ops, node.comparators, strict=True)
    )
    if len(steps) == 1:
        ((compare, second),) = steps
        return lambda names, functions: compare(first(names, functions), second(names, functions))

    def chain(names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
        right = first(names, functions)
        result: Any = True
        for compare, comparator in steps:
            if not result:
                break
            left, right = right, comparator(names, functions)
            result = compare(left, right)
        return result

    return chain


class FormulaEvaluator:
    """Evaluates compiled formulas. Create one per thread or per unit; it is cheap."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] = BUILTIN_FUNCTIONS) -> None:
        self._functions = functions

    def evaluate(self, formula: Formula, names: Mapping[str, Any]) -> Any:
        """The value of ``formula`` with ``names`` bound. Raises FormulaRuntimeError."""
        if formula.is_constant:
            return formula.constant
        try:
            return formula.run(names, self._functions)
        except FormulaRuntimeError:
            raise
        except Exception as error:
            raise _runtime_error(error) from None


def reference_value(
    formula: Formula,
    names: Mapping[str, Any],
    functions: Mapping[str, Callable[..., Any]] = BUILTIN_FUNCTIONS,
) -> Any:
    """``formula``'s value computed by :mod:`simpleeval` walking the checked tree.

    This is the reference semantics the compiled closures (``formula.run``) must agree
    with, value for value and error for error; ``tests/test_fuzz.py`` holds them to it.
    """
    if formula.is_constant:
        return formula.constant
    simple = SimpleEval(operators=dict(OPERATORS), functions=dict(functions), names=names)
    try:
        return simple.eval(formula.text, previously_parsed=formula.tree)
    except FormulaRuntimeError:
        raise
    except Exception as error:
        raise _runtime_error(error) from None


def _runtime_error(error: Exception) -> FormulaRuntimeError:
    if isinstance(error, ZeroDivisionError):
        return FormulaRuntimeError("division by zero")
    if isinstance(error, ArithmeticError):
        return FormulaRuntimeError(_arith_message(error))
    return FormulaRuntimeError(str(error) or type(error).__name__)


def _arith_message(error: ArithmeticError) -> str:
    names = {cls.__name__ for cls in type(error).__mro__}
    for signal in error.args[0] if error.args and isinstance(error.args[0], list) else ():
        names.add(getattr(signal, "__name__", ""))
    if "DivisionByZero" in names or "DivisionUndefined" in names:
        return "division by zero"
    if "Overflow" in names:
        return "the result is too large"
    return "invalid arithmetic"
