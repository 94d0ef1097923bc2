"""Peer statistics: the values a peer indicator compares a unit with, and their exact
mean or median over a batch (or over the parts of one, for Dask and Spark).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from rubriceng.exact import (
    Exact,
    Statistic,
    mean_of_values,
    rational,
)
from rubriceng.language.model import Indicator
from rubriceng.methods.base import ScoringFailure
from rubriceng.scoring.plan import Plan
from rubriceng.scoring.unit import UnitState, leaf_scope


def peer_values(plan: Plan, leaf: Indicator, states: Sequence[UnitState]) -> list[Fraction]:
    """The ``value`` of ``leaf`` for every unit whose inputs passed and to which it
    applies (a unit whose value fails takes no part)."""
    values = []
    for state in states:
        if state.problems or leaf.id in plan.allocation(state.roots).not_applicable:
            continue
        try:
            _, found = leaf_scope(leaf, state, {**state.inputs, "points": leaf.points})
        except ScoringFailure:
            continue
        value = found.get("value")
        if isinstance(value, Decimal | Fraction | int) and not isinstance(value, bool):
            values.append(rational(value))
    return values


def peer_statistics(plan: Plan, states: Sequence[UnitState]) -> dict[str, Statistic]:
    """Each peer leaf's statistic (mean or median) over ``states``, exactly, by leaf id;
    a leaf no unit takes part in is left out."""
    found = {leaf.id: peer_values(plan, leaf, states) for leaf in plan.peer_leaves}
    return statistics_of(plan, found)


def statistics_of(plan: Plan, values: Mapping[str, Sequence[Fraction]]) -> dict[str, Statistic]:
    """Each peer leaf's statistic (its mean or median) of its peers' ``values``, by leaf
    id; a leaf with no values is left out."""
    stats: dict[str, Statistic] = {}
    for leaf in plan.peer_leaves:
        found = values.get(leaf.id)
        if found:
            kind = leaf.scorer.peer_statistic() if leaf.scorer else "mean"
            if kind == "median":
                import statistics  # here: only a median needs it

                stats[leaf.id] = statistics.median(found)
            else:
                stats[leaf.id] = mean_of_values(found)
    return stats


def exact_sum(values: Sequence[Exact]) -> Fraction:
    """The sum, exactly, whatever the order of ``values`` (so a batch split into parts
    sums to the same as the whole)."""
    return sum((rational(value) for value in values), Fraction(0))


def mean_of(total: Exact, count: int) -> Fraction:
    """The peers' mean from their exact sum, exactly (a mean of 2/3 stays 2/3)."""
    return rational(total) / count
