"""What every result of every accepted rubric must satisfy, whatever the inputs."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import rubriceng


def assert_invariants(rubric: rubriceng.Rubric, inputs: Any, result: rubriceng.Result) -> None:
    """0 ≤ score ≤ effective points everywhere; effective points add up to the total;
    the subtotal is the sum of the top scores; the total is within the rubric's bounds;
    the same inputs give the same result; the JSON form survives a round trip."""
    for row in result.walk():
        assert Decimal(0) <= row.score <= row.effective_points, row
        if row.children:
            assert row.effective_points == sum(c.effective_points for c in row.children), row
    leaves = [result.indicator(node.id) for node in rubric.walk() if node.is_leaf]
    assert sum(row.effective_points for row in leaves) == rubric.total
    assert sum(row.effective_points for row in result.indicators) == rubric.total
    assert result.subtotal == sum(row.score for row in result.indicators)
    low, high = rubric.total_bounds or (Decimal("-Infinity"), Decimal("Infinity"))
    assert low <= result.total <= high
    if not rubric.adjustments:
        assert Decimal(0) <= result.total <= rubric.total
    assert rubriceng.evaluate(rubric, inputs) == result
    data = result.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
