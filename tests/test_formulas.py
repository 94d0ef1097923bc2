"""Formulas: exact decimal values, and the errors of formulas that fail on their values.

What a formula may never do is in ``test_security.py``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from rubriceng.formula.language import FormulaEvaluator, compile_formula
from rubriceng.formula.values import FormulaRuntimeError

NAMES = ("a", "b", "rates", "points")


def run(text: str, **names):
    return FormulaEvaluator().evaluate(compile_formula(text, NAMES), names)


@pytest.mark.parametrize(
    ("text", "names", "value"),
    [
        ("0.1 + 0.2", {}, Fraction(3, 10)),
        ("a / b", {"a": 3, "b": 4}, Fraction(3, 4)),
        ("0 if a > b else points * a / b", {"a": 1, "b": 2, "points": Decimal(2)}, Fraction(1)),
        ("round(1.855, 2)", {}, Decimal("1.86")),
        ("round(1.845, 2)", {}, Decimal("1.85")),
        ("round(3 * 5 / 24, 2)", {}, Decimal("0.63")),  # 0.625 exactly: a tie, half-up
        ("round(3 * 13 / 120, 2)", {}, Decimal("0.33")),  # 0.325 exactly
        ("3 * a / b", {"a": 5, "b": 24}, Fraction(5, 8)),
        ("ceil(0.0501 / 0.05)", {}, Fraction(2)),
        ("floor(0.0999 / 0.05)", {}, Fraction(1)),
        ("floor(0.15 / 0.05)", {}, Fraction(3)),  # exactly three steps, never 2.999…
        ("clamp(a, 0, 1)", {"a": Decimal("1.2")}, Decimal(1)),
        ("mean(rates)", {"rates": [Decimal("0.5"), Decimal(1)]}, Fraction(3, 4)),
        ("mean(rates)", {"rates": [1, 1, 0]}, Fraction(2, 3)),
        ("div(a, b, 1)", {"a": 0, "b": 0}, Decimal(1)),
        ("min(a, b) + max(rates)", {"a": 1, "b": 2, "rates": [3, 4]}, Fraction(5)),
        ("a and not b", {"a": True, "b": False}, True),
        ("1e3", {}, Decimal(1000)),
        ("2 ** 10", {}, Fraction(1024)),
        ("-7 // 2", {}, Fraction(-3)),  # truncated towards zero, as decimal does
        ("-7 % 2", {}, Fraction(-1)),
    ],
)
def test_values_are_exact(text, names, value):
    """Exact: a Decimal where a decimal is exact (fast), a Fraction where none is."""
    result = run(text, **names)
    assert result == value
    if isinstance(value, Fraction) and value.denominator % 3 == 0:  # 2/3 has no decimal
        assert type(result) is Fraction
    else:
        assert type(result) in (Decimal, Fraction, int, bool)


@pytest.mark.parametrize(
    ("text", "names", "message"),
    [
        ("a / b", {"a": 1, "b": 0}, "division by zero"),
        ("a / b", {"a": 0, "b": 0}, "division by zero"),
        ("a ** 2", {"a": Decimal("1e999999")}, "the result is too large"),
        ("((a ** 100) ** 100) ** 100", {"a": Decimal("1e18")}, "the result is too large"),
        ("a + 1", {"a": "text"}, "expected a number, got text 'text'"),
        ("a < 1", {"a": [1]}, "cannot compare lists"),
        ("mean(a)", {"a": 1}, "expected a list, got int"),
    ],
)
def test_runtime_failures_are_formula_errors(text, names, message):
    with pytest.raises(FormulaRuntimeError, match=message):
        run(text, **names)
