"""Reweighting (不适用): where the points of indicators that do not apply go.

Strategies (``not_applicable: {strategy: …}``):

``proportional``
    spread over the indicators in ``to``, in proportion to their points;
``even``
    spread evenly over the indicators in ``to``;
``move``
    move all to the one indicator in ``to``;
``rescale``
    spread over every applicable scored indicator in proportion to its effective points
    — the same as scaling the earned total by ``total / applicable points``, but kept per
    indicator so that each point stays explained;
``full_marks``
    the indicator keeps its points and scores them in full.

Points are moved in whole cents by the largest-remainder method (ties go to the
recipient listed first), so that nothing is lost to rounding: the effective points of
the scored indicators always add up to the rubric's total. A recipient that is a group
passes its share on to its applicable leaves in proportion to their points. Recipients
that themselves do not apply are skipped; if none is left, the points are rescaled.
Indicators that do not apply are handled in document order, ``rescale`` last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from rubriceng.language.model import CENT, Indicator

ZERO = Decimal(0)


def allocate_cents(amount: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split ``amount`` (whole cents) in proportion to ``weights``, in whole cents.

    Largest remainder: each share is first rounded down to the cent, then the cents
    left over go one each to the largest remainders, ties to the earliest. Weights that
    are all zero split evenly. The shares always add up to ``amount`` exactly.

    >>> allocate_cents(Decimal(4), [5, 5, 5])
    [Decimal('1.34'), Decimal('1.33'), Decimal('1.33')]
    """
    if not weights:
        raise ValueError("no recipients to allocate to")
    cents = Fraction(amount) / Fraction(CENT)
    if cents.denominator != 1:
        raise ValueError(f"{amount} is not a whole number of cents")
    parts = [Fraction(weight) for weight in weights]
    if any(part < 0 for part in parts):
        raise ValueError("weights must not be negative")
    whole = sum(parts, Fraction(0))
    if whole == 0:
        parts, whole = [Fraction(1)] * len(parts), Fraction(len(parts))
    exact = [cents.numerator * part / whole for part in parts]
    shares = [int(value) for value in exact]  # floor: all values are non-negative
    left = cents.numerator - sum(shares)
    order = sorted(range(len(exact)), key=lambda index: (-(exact[index] - shares[index]), index))
    for index in order[:left]:
        shares[index] += 1
    return [Decimal(share) * CENT for share in shares]


@attrs.frozen
class Allocation:
    """Effective points for one pattern of not-applicable indicators."""

    effective: Mapping[str, Decimal]
    """Effective points of every indicator, leaves and groups."""
    received: Mapping[str, tuple[tuple[str, Decimal], ...]]
    """For each leaf that gained points: (indicator the points came from, amount)."""
    given: Mapping[str, tuple[tuple[str, Decimal], ...]]
    """For each indicator that does not apply: (leaf that received, amount)."""
    strategy: Mapping[str, str]
    """The strategy applied to each not-applicable indicator (``rescale`` if fallen back)."""
    not_applicable: frozenset[str]
    """Every indicator that does not apply, including those inside one that does not."""
    full_marks: frozenset[str]
    """Leaves that do not apply but score full marks (strategy ``full_marks``)."""


def allocate(
    indicators: Sequence[Indicator], roots: Sequence[Indicator], total: Decimal
) -> Allocation:
    """Effective points when the indicators ``roots`` (and all below them) do not apply."""
    leaves = [node for top in indicators for node in top.walk() if node.is_leaf]
    effective: dict[str, Decimal] = {leaf.id: leaf.points for leaf in leaves}
    not_applicable: set[str] = set()
    full_marks: set[str] = set()
    for root in roots:
        inside = list(root.walk())
        not_applicable.update(node.id for node in inside)
        assert root.not_applicable is not None
        if root.not_applicable.strategy == "full_marks":
            full_marks.update(node.id for node in inside if node.is_leaf)
    for leaf in leaves:
        if leaf.id in not_applicable and leaf.id not in full_marks:
            effective[leaf.id] = ZERO.quantize(CENT)
    applicable = [leaf for leaf in leaves if leaf.id not in not_applicable]
    nodes = {node.id: node for top in indicators for node in top.walk()}
    received: dict[str, list[tuple[str, Decimal]]] = {}
    given: dict[str, list[tuple[str, Decimal]]] = {}
    strategies: dict[str, str] = {}

    def give(source: str, leaf: Indicator, amount: Decimal) -> None:
        if amount:
            effective[leaf.id] += amount
            received.setdefault(leaf.id, []).append((source, amount))
            given.setdefault(source, []).append((leaf.id, amount))

    moving = [
        root
        for root in roots
        if root.not_applicable and root.not_applicable.strategy != "full_marks"
    ]
    rescaled = []
    for root in moving:
        rule = root.not_applicable
        assert rule is not None
        recipients = [nodes[target] for target in rule.to if target not in not_applicable]
        if rule.strategy == "rescale" or not recipients:
            rescaled.append(root)
            continue
        strategies[root.id] = rule.strategy
        weights = (
            [node.points for node in recipients]
            if rule.strategy == "proportional"
            else [1 for _ in recipients]
        )
        for recipient, share in zip(recipients, allocate_cents(root.points, weights), strict=True):
            if recipient.is_leaf:
                give(root.id, recipient, share)
                continue
            below = [
                leaf for leaf in recipient.walk() if leaf.is_leaf and leaf.id not in not_applicable
            ]
            for leaf, part in zip(
                below, allocate_cents(share, [leaf.points for leaf in below]), strict=True
            ):
                give(root.id, leaf, part)
    for root in rescaled:
        strategies[root.id] = "rescale"
        if not applicable:
            raise ValueError("no indicator applies: there is nothing to rescale to")
        shares = allocate_cents(root.points, [effective[leaf.id] for leaf in applicable])
        for leaf, share in zip(applicable, shares, strict=True):
            give(root.id, leaf, share)

    def fill(node: Indicator) -> Decimal:
        if not node.is_leaf:
            effective[node.id] = sum((fill(child) for child in node.children), ZERO)
        return effective[node.id]

    conserved = sum((fill(top) for top in indicators), ZERO)
    if conserved != total:  # pragma: no cover - guarded by tests; would be a bug
        raise AssertionError(f"points not conserved: {conserved} != {total}")
    return Allocation(
        effective=effective,
        received={key: tuple(value) for key, value in received.items()},
        given={key: tuple(value) for key, value in given.items()},
        strategy=strategies,
        not_applicable=frozenset(not_applicable),
        full_marks=frozenset(full_marks),
    )
