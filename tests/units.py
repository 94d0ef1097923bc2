"""Synthetic units for a rubric: the declared inputs varied at random, reproducibly.

``vary(rubric, base, rng)`` keeps ``base`` (a real unit's inputs, which also supply the
judged indicators' own inputs) and draws a new value of the declared type for every
declared input, within the declared range. About one value in twenty sits on a
boundary (zero, the maximum, equal amounts), where scores are most fragile.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import rubriceng


def _amount(rng: random.Random, high: int = 100_000_000) -> Decimal:
    return Decimal(rng.randrange(0, high)) / 100


def _value(kind: str, spec: Any, rng: random.Random) -> Any:
    edge = rng.random() < 0.05
    if kind in ("money", "number"):
        return Decimal(0) if edge else _amount(rng)
    if kind == "rate":
        high = spec.maximum if spec.maximum is not None else Decimal("1.2")
        return (
            high
            if edge
            else (Decimal(rng.randrange(0, 10_001)) / 10_000 * high).quantize(Decimal("0.0001"))
        )
    if kind == "count":
        high = int(spec.maximum) if spec.maximum is not None else 40
        return high if edge else rng.randrange(0, high + 1)
    if kind == "boolean":
        return rng.random() < 0.5
    raise ValueError(kind)


def vary(rubric: rubriceng.Rubric, base: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """``base`` with every declared input of a built-in type drawn anew."""
    inputs = dict(base)
    for spec in rubric.inputs:
        if spec.implicit_for is not None or spec.type in ("text", "targets"):
            continue  # kept as the test case gives them
        if spec.type == "list":
            length = spec.length or rng.randrange(1, 6)
            inputs[spec.id] = [_value(spec.items, spec, rng) for _ in range(length)]
        else:
            inputs[spec.id] = _value(spec.type, spec, rng)
    # a common edge: two amounts that should match, matching exactly
    amounts = [spec.id for spec in rubric.inputs if spec.type == "money"]
    if len(amounts) >= 2 and rng.random() < 0.2:
        first, second = rng.sample(amounts, 2)
        inputs[second] = inputs[first]
    return inputs
