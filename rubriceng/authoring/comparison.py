"""Comparing two rubrics (say a rubric and its variant) on the same unit.

:func:`compare` scores the unit by both and lines the indicators up by id, so a rubric
author sees what a variant changes, indicator by indicator, in points and in score.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.errors import RubricengError
from rubriceng.language.model import Rubric
from rubriceng.scoring.engine import evaluate
from rubriceng.scoring.result import IndicatorResult, Result

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
SAME = "same"


@attrs.frozen
class Difference:
    """One indicator in the two results (None where a rubric does not have it)."""

    id: str
    name: str
    before: IndicatorResult | None
    after: IndicatorResult | None

    @property
    def status(self) -> str:
        """``added``, ``removed``, ``changed`` (score, points or status) or ``same``."""
        if self.before is None:
            return ADDED
        if self.after is None:
            return REMOVED
        fields = ("score", "effective_points", "status")
        if any(getattr(self.before, key) != getattr(self.after, key) for key in fields):
            return CHANGED
        return SAME

    @property
    def delta(self) -> Decimal:
        """Score after minus score before (a missing indicator counts 0)."""
        return (self.after.score if self.after else Decimal(0)) - (
            self.before.score if self.before else Decimal(0)
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""

        def side(found: IndicatorResult | None) -> dict[str, str] | None:
            if found is None:
                return None
            return {
                "score": str(found.score),
                "effective_points": str(found.effective_points),
                "status": found.status,
            }

        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "delta": str(self.delta),
            "before": side(self.before),
            "after": side(self.after),
        }


@attrs.frozen
class Comparison:
    """Two results of one unit, and their differences in rubric order."""

    before: Result
    after: Result
    differences: tuple[Difference, ...]

    @property
    def delta(self) -> Decimal:
        """Total after minus total before."""
        return self.after.total - self.before.total

    def changed(self) -> tuple[Difference, ...]:
        """The differences that are not ``same``."""
        return tuple(item for item in self.differences if item.status != SAME)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {
            "before": {
                "rubric": f"{self.before.rubric_id}@{self.before.rubric_version}",
                "total": str(self.before.total),
                "grade": self.before.grade,
            },
            "after": {
                "rubric": f"{self.after.rubric_id}@{self.after.rubric_version}",
                "total": str(self.after.total),
                "grade": self.after.grade,
            },
            "delta": str(self.delta),
            "differences": [item.to_dict() for item in self.differences],
        }


SCORED_BY = "while scoring by "
"""How the note added to an error of :func:`compare` begins: the rubric's reference
follows, so that the error says which of the two rubrics it came from."""


def _scored(rubric: Rubric, inputs: Mapping[str, Any], unit: str | None) -> Result:
    try:
        return evaluate(rubric, _known(rubric, inputs), unit=unit)
    except RubricengError as error:
        error.add_note(SCORED_BY + rubric.ref)
        raise


@isolated
def compare(
    before: Rubric, after: Rubric, inputs: Mapping[str, Any], *, unit: str | None = None
) -> Comparison:
    """Score ``inputs`` by both rubrics and report the differences indicator by indicator.

    ``inputs`` may hold the inputs of both rubrics: each rubric is given those it
    declares, so a variant that asks for other figures can be compared on one unit.
    Indicators are matched by id; those only in ``after`` come last.

    >>> from rubriceng import load_rubric
    >>> document = {
    ...     "id": "example", "version": "1", "title": "Example", "total": 10,
    ...     "inputs": {"done": {"type": "count"}, "planned": {"type": "count"}},
    ...     "indicators": [{"id": "completion", "name": "完成率", "points": 10,
    ...                     "ratio": {"actual": "done", "target": "planned"}}],
    ... }
    >>> rubric = load_rubric(document)
    >>> stricter = load_rubric({**document, "version": "2", "indicators": [
    ...     {"id": "completion", "name": "完成率", "points": 10,
    ...      "all_or_nothing": "done >= planned"}]})
    >>> comparison = compare(rubric, stricter, {"done": 7, "planned": 8})
    >>> [(item.id, item.delta) for item in comparison.differences]
    [('completion', Decimal('-8.75'))]
    """
    first = _scored(before, inputs, unit)
    second = _scored(after, inputs, unit)
    ours = {found.id: found for found in first.walk()}
    theirs = {found.id: found for found in second.walk()}
    differences = [
        Difference(ident, found.name, found, theirs.get(ident)) for ident, found in ours.items()
    ]
    differences += [
        Difference(ident, found.name, None, found)
        for ident, found in theirs.items()
        if ident not in ours
    ]
    return Comparison(first, second, tuple(differences))


def _known(rubric: Rubric, inputs: Mapping[str, Any]) -> dict[str, Any]:
    known = rubric.plan.input_schema if rubric.plan is not None else {}
    return {key: value for key, value in inputs.items() if key in known}
