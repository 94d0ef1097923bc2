"""The formula sandbox: what a rubric file may write, and what it may never reach."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubriceng.expressions import (
    FormulaEvaluator,
    FormulaRuntimeError,
    FormulaSyntaxError,
    compile_formula,
)

NAMES = ("a", "b", "rates", "points")


def run(text: str, **names):
    return FormulaEvaluator().evaluate(compile_formula(text, NAMES), names)


@pytest.mark.parametrize(
    ("text", "names", "value"),
    [
        ("0.1 + 0.2", {}, Decimal("0.3")),
        ("a / b", {"a": 3, "b": 4}, Decimal("0.75")),
        ("0 if a > b else points * a / b", {"a": 1, "b": 2, "points": Decimal(2)}, Decimal(1)),
        ("round(1.855, 2)", {}, Decimal("1.86")),
        ("round(1.845, 2)", {}, Decimal("1.85")),
        ("ceil(0.0501 / 0.05)", {}, Decimal(2)),
        ("floor(0.0999 / 0.05)", {}, Decimal(1)),
        ("clamp(a, 0, 1)", {"a": Decimal("1.2")}, Decimal(1)),
        ("mean(rates)", {"rates": [Decimal("0.5"), Decimal(1)]}, Decimal("0.75")),
        ("div(a, b, 1)", {"a": 0, "b": 0}, Decimal(1)),
        ("min(a, b) + max(rates)", {"a": 1, "b": 2, "rates": [3, 4]}, Decimal(5)),
        ("a and not b", {"a": True, "b": False}, True),
        ("1e3", {}, Decimal(1000)),
        ("2 ** 10", {}, Decimal(1024)),
    ],
)
def test_values_are_exact_decimals(text, names, value):
    result = run(text, **names)
    assert result == value
    assert type(result) is type(value)


HOSTILE = [
    "().__class__.__bases__[0].__subclasses__()",
    "a.__class__",
    "a.real",
    "__import__('os').system('echo hi')",
    "_a",
    "[x for x in (1, 2)]",
    "{x: 1 for x in (1,)}",
    "(x for x in (1,))",
    "lambda: 1",
    "f'{a}'",
    "'{0.__class__}'.format(a)",
    "rates[0]",
    "open('/etc/passwd')",
    "eval('1')",
    "exec('1')",
    "getattr(a, 'real')",
    "type(a)",
    "a if (b := 1) else 2",
    "[1, 2]",
    "{'a': 1}",
    "(1, 2)",
    "a; b",
    "import os",
    "min(a, key=b)",
    "min(*rates)",
    "9" * 40,
    "1e999",
    "'x' * 1000" + "0" * 300,
    "(" * 30 + "1" + ")" * 30,
    "+".join(["a"] * 500),
    "not " * 300 + "a",
    "yield a",
    "await a",
    "c",
    "points()",
    "None",
    "1j",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_formulas_are_rejected_at_load(text):
    with pytest.raises(FormulaSyntaxError):
        compile_formula(text, NAMES)


@pytest.mark.parametrize(
    ("text", "names", "message"),
    [
        ("a / b", {"a": 1, "b": 0}, "division by zero"),
        ("a / b", {"a": 0, "b": 0}, "division by zero"),
        ("a ** b", {"a": 10, "b": 101}, "exponent 101 is larger than 100"),
        ("a ** b", {"a": Decimal("1e999999"), "b": 100}, "the result is too large"),
        ("a + 1", {"a": "text"}, "expected a number, got text 'text'"),
        ("a < 1", {"a": [1]}, "cannot compare lists"),
        ("mean(a)", {"a": 1}, "expected a list, got int"),
    ],
)
def test_runtime_failures_are_formula_errors(text, names, message):
    with pytest.raises(FormulaRuntimeError, match=message):
        run(text, **names)
