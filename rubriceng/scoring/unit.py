"""One unit's state while it is scored, and the steps that need no plan: the scope of a
leaf, the tree of results, adjustments and the final total and grade.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.errors import Problem
from rubriceng.formula.language import FormulaEvaluator
from rubriceng.formula.values import FormulaRuntimeError
from rubriceng.language.model import Adjustment, Indicator, Rubric
from rubriceng.methods.base import ScoringFailure
from rubriceng.scoring.result import (
    NOT_APPLICABLE,
    SCORED,
    AdjustmentResult,
    IndicatorResult,
)
from rubriceng.scoring.reweight import Allocation

ZERO = Decimal(0)


@attrs.define
class UnitState:
    """One unit on its way through the plan: what :func:`prepare` found (the checked
    inputs, their problems, the indicators that do not apply) and what formulas see."""

    name: str | None
    inputs: dict[str, Any]
    problems: list[Problem]
    evaluator: FormulaEvaluator
    roots: list[Indicator] = attrs.field(factory=list)
    reviewed: Mapping[str, Decimal] = attrs.field(factory=dict)
    """A reviewer's scores (复核分) by leaf id: they stand for what the leaf's rule gives."""
    names: dict[str, Any] = attrs.field(init=False)
    """What formulas see: the inputs and ``points`` (set for each leaf in turn)."""

    def __attrs_post_init__(self) -> None:
        self.names = dict(self.inputs)


def leaf_scope(
    leaf: Indicator, state: UnitState, context_names: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The names a leaf's formulas see, and its intermediate ``values:`` (the batch path
    asks it for a peer leaf's ``value``); a formula that fails is a ScoringFailure."""
    values: dict[str, Any] = {}
    if not leaf.values:
        return context_names, values
    names = dict(context_names)  # the unit's names stay as they were for the next leaf
    for name, formula in leaf.values:
        try:
            names[name] = values[name] = state.evaluator.evaluate(formula, names)
        except FormulaRuntimeError as error:
            field = "value" if name == "value" else f"values.{name}"
            raise ScoringFailure(error.code, f"{formula.text}: {error}", field) from None
    return names, values


def not_applicable_trace(node: Indicator, allocation: Allocation) -> dict[str, Any]:
    """The trace of a leaf that does not apply: why, and where its points went."""
    rule = node.not_applicable
    if rule is None:  # inside an indicator that does not apply
        return {"not_applicable": "inside an indicator that does not apply"}
    info: dict[str, Any] = {
        "applies": node.applies.text if node.applies else None,
        "strategy": allocation.strategy.get(node.id, rule.strategy),
    }
    if node.id in allocation.given:
        info["given_to"] = dict(allocation.given[node.id])
    return {"not_applicable": info}


def assemble(
    node: Indicator, leaves: Mapping[str, IndicatorResult], allocation: Allocation, trace: bool
) -> IndicatorResult:
    """The result tree of ``node`` from its leaves' results: groups sum their children."""
    if node.is_leaf:
        return leaves[node.id]
    children = tuple(assemble(child, leaves, allocation, trace) for child in node.children)
    score = sum((child.score for child in children), ZERO)
    inapplicable = node.id in allocation.not_applicable
    status = NOT_APPLICABLE if inapplicable else SCORED
    info = not_applicable_trace(node, allocation) if inapplicable and trace else {}
    return IndicatorResult(
        node.id,
        node.name,
        node.points,
        allocation.effective[node.id],
        score,
        status,
        info,
        children,
        node.name_en,
        node.origin,
        node.provenance,
    )


def snapshot(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a unit's inputs that the caller's later changes do not reach (values
    are numbers, booleans and text, or lists and mappings of them, two levels deep)."""
    copied: dict[str, Any] = {}
    for key, value in inputs.items():
        if type(value) is list:
            value = [dict(item) if type(item) is dict else item for item in value]
        elif type(value) is dict:
            value = dict(value)
        copied[key] = value
    return copied


def adjust(adjustment: Adjustment, events: int) -> AdjustmentResult:
    """A bonus or penalty item (加减分) for ``events`` events, within its cap."""
    amount = adjustment.per_event * events
    if adjustment.max is not None and abs(amount) > adjustment.max:
        amount = adjustment.max if amount > 0 else -adjustment.max
    amount = amount if amount else ZERO  # never "-0"
    return AdjustmentResult(adjustment.id, adjustment.name, events, amount, adjustment.name_en)


def finish(
    rubric: Rubric, subtotal: Decimal, adjustments: Sequence[AdjustmentResult]
) -> tuple[Decimal, str | None]:
    """The total (the subtotal with the adjustments, within the rubric's bounds) and its
    grade."""
    total = subtotal + sum((item.points for item in adjustments), ZERO)
    if rubric.total_bounds is not None:
        low, high = rubric.total_bounds
        total = min(max(total, low), high)
    return total, rubric.grade_for(total)


@attrs.frozen
class General:
    """A leaf the kernel had the general code score: its result and its score in steps."""

    result: IndicatorResult
    steps: int
