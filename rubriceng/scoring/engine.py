"""Evaluating units against a compiled rubric: :func:`evaluate` and :func:`evaluate_many`.

Both run the rubric's generated kernel (:mod:`rubriceng.scoring.kernel`) through its
:class:`~rubriceng.scoring.plan.Plan`; a unit the kernel steps aside for is scored by the
general path (:func:`~rubriceng.scoring.plan.prepare`, :func:`~rubriceng.scoring.plan.score_unit`),
with the same result or the error.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, overload

from rubriceng.decimals import DECIMAL_CONTEXT
from rubriceng.errors import EvaluationError, InputError, RubricengError
from rubriceng.exact import (
    Statistic,
)
from rubriceng.inputs.plain import as_dict
from rubriceng.language.documents import Document
from rubriceng.language.model import Rubric
from rubriceng.sanitize import as_text, brief
from rubriceng.scoring.peers import peer_statistics, peer_values, statistics_of
from rubriceng.scoring.plan import Plan, plan_of, prepare, score_unit
from rubriceng.scoring.result import (
    Batch,
    Result,
    UnitFailure,
)
from rubriceng.scoring.runtime import Collecting, Outcome, Paused
from rubriceng.scoring.unit import UnitState, snapshot


def evaluate(
    rubric: Rubric,
    inputs: Mapping[str, Any],
    *,
    unit: str | None = None,
    trace: bool = True,
    document: Document | None = None,
    reviewed: Mapping[str, Decimal | int] | None = None,
) -> Result:
    """Score one unit. ``inputs`` maps input ids (and judged indicators' ids) to values.

    Raises :class:`InputError` listing every problem with the inputs, or
    :class:`EvaluationError` if a formula fails on them. ``trace=False`` skips the
    explanations (faster). ``document`` is where ``inputs`` came from, to locate problems.
    ``reviewed`` gives a reviewer's scores (复核分) by leaf id, which stand for what those
    leaves' rules would give (see :func:`rubriceng.cycle.review.review`).

    >>> from rubriceng import load_rubric
    >>> rubric = load_rubric({
    ...     "id": "example", "version": "1", "title": "Example", "total": 10,
    ...     "inputs": {"done": {"type": "count"}, "planned": {"type": "count"}},
    ...     "indicators": [{"id": "completion", "name": "完成率", "points": 10,
    ...                     "ratio": {"actual": "done", "target": "planned"}}],
    ... })
    >>> result = evaluate(rubric, {"done": 7, "planned": 8}, unit="某单位")
    >>> result.total, result.indicator("completion").trace["rate"]  # exact, in the trace
    (Decimal('8.75'), Decimal('0.875'))
    >>> result.to_dict()["indicators"][0]["trace"]["rate"]  # a decimal, for people
    '0.875'
    """
    plan = plan_of(rubric)
    unit = None if unit is None else as_text(unit)
    with decimal.localcontext(DECIMAL_CONTEXT):
        outcome = None
        if not reviewed and document is None:
            kernel = plan.warm_kernel()
            outcome = None if kernel is None else plan.run_kernel(inputs, {})
        if isinstance(outcome, Outcome):  # traces are made when first read, from a copy
            return plan.scored(outcome, unit, snapshot(inputs) if trace else None)
        state = prepare(plan, inputs, unit, document)
        state.reviewed = _review_scores(plan, reviewed)
        if state.problems:
            raise InputError(
                f"invalid inputs for unit {unit!r}" if unit else "invalid inputs", state.problems
            )
        return score_unit(plan, state, {}, trace)


def _units(
    units: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]], rubric: Rubric
) -> list[tuple[str, Mapping[str, Any]]]:
    if hasattr(units, "columns") and hasattr(units, "index"):  # a pandas DataFrame
        from rubriceng.scoring.table import Table

        table = Table(units, rubric)
        return list(zip(table.names, table.rows(range(table.size)), strict=True))
    if isinstance(units, Mapping):
        return [(as_text(name), inputs) for name, inputs in units.items()]
    named = []
    for index, item in enumerate(units, start=1):
        item = as_dict(item)
        if isinstance(item, dict) and set(item) <= {"unit", "inputs"} and "inputs" in item:
            named.append((as_text(item.get("unit") or index), item["inputs"]))
        else:
            named.append((str(index), item))
    return named


@overload
def evaluate_many(
    rubric: Rubric,
    units: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]],
    *,
    trace: bool = ...,
    errors: Literal["raise"] = ...,
    progress: Callable[[int], object] | None = ...,
    reviewed: Mapping[str, Mapping[str, Decimal | int]] | None = ...,
) -> list[Result]: ...


@overload
def evaluate_many(
    rubric: Rubric,
    units: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]],
    *,
    trace: bool = ...,
    errors: Literal["collect"],
    progress: Callable[[int], object] | None = ...,
    reviewed: Mapping[str, Mapping[str, Decimal | int]] | None = ...,
) -> Batch: ...


def evaluate_many(
    rubric: Rubric,
    units: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]],
    *,
    trace: bool = True,
    errors: Literal["raise", "collect"] = "raise",
    progress: Callable[[int], object] | None = None,
    reviewed: Mapping[str, Mapping[str, Decimal | int]] | None = None,
) -> list[Result] | Batch:
    """Score many units together; peer statistics (``peer``) are computed over the batch.

    ``units`` is a mapping of unit name to inputs, a sequence of inputs (named 1, 2, …)
    or of ``{"unit": name, "inputs": {...}}``, or a pandas DataFrame with one unit per
    row: columns named by input path (``revenue_final``, ``quarterly_spending_progress.1``,
    ``budget_reasonableness.not_fixed``), the unit's name in a ``unit`` column or else the
    index; empty cells are left out. Units with invalid inputs take no part in the peer
    statistics. ``progress``, if given, is called with 1, 2, … as each unit is scored.
    ``reviewed`` gives reviewers' scores (复核分) by unit, then by leaf id.

    With ``errors="raise"`` (the default) the results come back as a list, in order, or
    :class:`InputError` (else :class:`EvaluationError`) is raised listing the problems of
    every unit that has any. With ``errors="collect"`` a :class:`Batch` comes back: the
    units that were scored, and each unit that was not with its error — one bad unit
    costs no other unit its result.

    >>> from rubriceng import load_rubric
    >>> rubric = load_rubric({
    ...     "id": "tasks", "version": "1", "title": "重点工作", "total": 5,
    ...     "inputs": {"done": {"type": "count"}, "planned": {"type": "count"}},
    ...     "indicators": [{"id": "tasks", "name": "重点工作完成率", "points": 5,
    ...                     "ratio": {"actual": "done", "target": "planned"}}],
    ... })
    >>> batch = evaluate_many(rubric, {"甲": {"done": 8, "planned": 8},
    ...                                "乙": {"done": "x", "planned": 8}}, errors="collect")
    >>> [(result.unit, result.total) for result in batch.results]
    [('甲', Decimal('5.00'))]
    >>> print(batch.failures[0].problems[0].text("en"))
    unit '乙': done: expected a number, got 'x', used by tasks [input-invalid]
    >>> print(batch.failures[0].problems[0].text("zh"))
    单位「乙」 done：应为数值，实际为 'x'，用于重点工作完成率 [input-invalid]
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    plan = plan_of(rubric)
    with decimal.localcontext(DECIMAL_CONTEXT):
        named = _units(units, plan.rubric)
        given = {
            str(name): _review_scores(plan, (reviewed or {}).get(str(name))) for name, _ in named
        }
        outcomes, states, peers = _kernel_pass(plan, named, given)
        if peers is None:  # the peers' values by the general code, over every unit
            states = {
                index: prepare(plan, inputs, name) for index, (name, inputs) in enumerate(named)
            }
            peers = peer_statistics(plan, list(states.values()))
        results: list[Result] = []
        failures: list[UnitFailure] = []
        for index, (name, inputs) in enumerate(named):
            if progress is not None:
                progress(index + 1)
            outcome = outcomes.get(index)
            if plan.peer_leaves and not given[name]:  # with the whole batch's peers
                outcome = plan.resume_kernel(outcome, inputs, peers)
            if isinstance(outcome, Outcome):
                results.append(
                    plan.scored(outcome, name, snapshot(inputs) if trace else None, peers)
                )
                continue
            state = states.get(index) or prepare(plan, inputs, name)
            state.reviewed = given[name]
            if state.problems:
                failure = InputError(f"invalid inputs for unit {name!r}", state.problems)
                failures.append(UnitFailure(name, failure))
                continue
            try:
                results.append(score_unit(plan, state, peers, trace))
            except (EvaluationError, InputError) as error:
                failures.append(UnitFailure(name, error))
    if errors == "collect":
        return Batch(tuple(results), tuple(failures))
    if failures:
        raise batch_error(failures)
    return results


def _kernel_pass(
    plan: Plan,
    named: Sequence[tuple[str, Mapping[str, Any]]],
    reviewed: Mapping[str, Mapping[str, Decimal]],
) -> tuple[dict[int, Outcome | Paused], dict[int, UnitState], dict[str, Statistic] | None]:
    """A first run of the kernel over a batch: the units it scores, or, when the rubric
    compares with peers, pauses (by index; a unit with reviewed scores is the general
    code's), the units it left, prepared for the general code (by index), and the peer
    statistics when every unit it did not score can be asked by the general code (None:
    ask it for all)."""
    kernel = plan.kernel
    if kernel is None:
        return {}, {}, None
    wanted = {leaf.id for leaf in plan.peer_leaves}
    if not wanted <= kernel.collects:
        return {}, {}, None
    # any statistic lets the peer leaves run; with peers, the kernel stops after them
    # (every unit is scored again with the batch's statistics)
    zeros = Collecting(dict.fromkeys(wanted, 0)) if wanted else {}
    outcomes: dict[int, Outcome | Paused] = {}
    values: dict[str, list[Fraction]] = {leaf: [] for leaf in wanted}
    others: dict[int, UnitState] = {}
    for index, (name, inputs) in enumerate(named):
        seen: dict[str, tuple[int, int]] = {}
        found = None if reviewed[name] else plan.run_kernel(inputs, zeros, seen)
        if found is None:
            others[index] = prepare(plan, inputs, name)
            continue
        outcomes[index] = found
        for leaf_id, (top, bottom) in seen.items():
            values[leaf_id].append(Fraction(top, bottom))
    for leaf in plan.peer_leaves:
        values[leaf.id] += peer_values(plan, leaf, list(others.values()))
    return outcomes, others, statistics_of(plan, values)


def _review_scores(plan: Plan, given: Mapping[str, Decimal | int] | None) -> dict[str, Decimal]:
    """Reviewers' scores as Decimals; anything but a finite number, or a score for what is
    not an indicator with a rule (a leaf), is a ValueError."""
    found: dict[str, Decimal] = {}
    leaves = {leaf.id for leaf in plan.leaves}
    unknown = sorted(as_text(key) for key in (given or {}) if key not in leaves)
    if unknown:
        raise ValueError(
            f"reviewed scores for {', '.join(unknown)}: not indicators with a "
            f"rule in {plan.rubric.ref}"
        )
    for key, value in (given or {}).items():
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise ValueError(f"a reviewed score is a Decimal or an int, not {brief(value)}")
        if not Decimal(value).is_finite():
            raise ValueError(f"a reviewed score is finite, not {brief(value)}")
        found[str(key)] = Decimal(value)
    return found


def batch_error(failures: Sequence[UnitFailure]) -> RubricengError:
    """One error for all failed units: InputError if any unit's inputs were invalid."""
    invalid = [failure for failure in failures if isinstance(failure.error, InputError)]
    if invalid:
        return InputError(
            f"invalid inputs in {len(invalid)} unit(s)",
            [problem for failure in invalid for problem in failure.problems],
        )
    return EvaluationError(
        f"{len(failures)} unit(s) cannot be scored",
        [problem for failure in failures for problem in failure.problems],
    )
