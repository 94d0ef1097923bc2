"""Linting a rubric file: every load-time error, then warnings about what loads but is
probably wrong (``rubriceng check FILE``).

Warnings, each with file, line and indicator:

- ``unused-input`` — an input is declared but no formula, rule or peer reads it;
- ``never-applies`` / ``always-applies`` — an ``applies`` rule that is constant, so the
  indicator never applies or its not-applicable rule can never be used;
- ``unreachable-band`` — a band no value can fall in, given the declared range of the
  input the value is (a rate of at most 1 never reaches a band beyond 1);
- ``points-unreachable`` — the criteria, bands or judgement of an indicator cannot give
  its full points, or give more than it has;
- ``rate-unbounded`` — a rate (or a number or list named as a rate, share or progress)
  with no ``max``, so a percentage typed as 20 for 20% would be scored, not refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.errors import Problem, RubricError
from rubriceng.host.registry import Registry, default_registry
from rubriceng.language.documents import DocumentError, read
from rubriceng.language.model import Indicator, Rubric
from rubriceng.language.paths import number_key
from rubriceng.methods.bands import BandsScorer
from rubriceng.methods.checklist import ChecklistScorer
from rubriceng.methods.judgement import JudgementScorer
from rubriceng.methods.peer import PeerScorer


@attrs.frozen
class Report:
    """What :func:`lint` found: ``errors`` (the rubric does not load) and ``warnings``."""

    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the rubric loads (warnings or not)."""
        return not self.errors


def lint(path: str | os.PathLike[str], *, registry: Registry | None = None) -> Report:
    """Load the rubric file at ``path`` and report every error, or else every warning."""
    try:
        rubric = (registry or default_registry()).load_rubric(path)
    except RubricError as error:
        return Report(errors=_in_order(error.problems))
    try:
        document = read(path)
    except DocumentError:  # pragma: no cover - it just loaded
        return Report()
    where = _Where(document.data, document.lines, str(path))
    return Report(warnings=_in_order(_warnings(rubric, where)))


def _in_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems by file and line, as a reader goes through the file."""
    return tuple(sorted(problems, key=lambda problem: (problem.file or "", problem.line or 0)))


class _Where:
    """Lines of a rubric file's parts, by indicator id and field."""

    def __init__(self, data: Any, lines: Mapping[Any, int], source: str) -> None:
        self.lines = lines
        self.source = source
        self.indicators: dict[str, tuple[Any, ...]] = {}

        def visit(node: Any, path: tuple[Any, ...]) -> None:
            for index, child in enumerate(node.get("indicators", node.get("children", ()))):
                if isinstance(child, Mapping):
                    key = "indicators" if "indicators" in node else "children"
                    here = (*path, key, index)
                    self.indicators[str(child.get("id"))] = here
                    visit(child, here)

        if isinstance(data, Mapping):
            visit(data, ())

    def line(self, indicator: str | None, *field: Any) -> int | None:
        """The line of ``field`` of ``indicator`` (of the input ``field`` if None)."""
        base = ("inputs",) if indicator is None else self.indicators.get(indicator)
        if base is None:
            return None
        for end in range(len(field), -1, -1):
            found = self.lines.get((*base, *field[:end]))
            if found is not None:
                return found
        return None


def _warnings(rubric: Rubric, where: _Where) -> Iterator[Problem]:
    used: set[str] = set()
    for node in rubric.walk():
        used.update(_names(node))
    for spec in rubric.inputs:
        if spec.implicit_for is None and spec.id not in used:
            yield Problem(
                "unused-input",
                f"input {spec.id!r} is declared but no indicator reads it",
                file=where.source,
                line=where.line(None, spec.id),
                path=f"inputs.{spec.id}",
                field=spec.id,
            )
        if _rate_like(spec.type, spec.items, spec.id, spec.label) and spec.maximum is None:
            yield Problem(
                "rate-unbounded",
                f"input {spec.id!r} is a rate with no maximum: a percentage typed as 20 "
                "(for 20%) would be scored as 2000%; give it max: 1",
                file=where.source,
                line=where.line(None, spec.id),
                path=f"inputs.{spec.id}",
                field=spec.id,
            )
    ranges = {spec.id: (spec.minimum, spec.maximum) for spec in rubric.inputs}
    for node in rubric.walk():
        for problem in _node_warnings(node, ranges):
            field = tuple(
                number_key(part) if part.isdecimal() else part
                for part in (problem.field or "").replace("[", ".").replace("]", "").split(".")
            )
            yield attrs.evolve(problem, file=where.source, line=where.line(node.id, *field))


_RATE_WORDS = ("率", "比例", "进度", "占比", "rate", "ratio", "share", "progress")


def _rate_like(kind: str, items: str | None, name: str, label: str | None) -> bool:
    """A rate input, or a number or list whose label (else id) says it is a rate or share."""
    if kind == "rate" or (kind == "list" and items == "rate"):
        return True
    if kind not in ("number", "list"):
        return False
    return any(word in (label or name).lower() for word in _RATE_WORDS)


def _names(node: Indicator) -> set[str]:
    formulas = [formula for _, formula in node.values] + [case.when for case in node.cases]
    if node.applies is not None:
        formulas.append(node.applies)
    names: set[str] = set()
    if node.scorer is not None:
        formulas += list(node.scorer.formulas())
        if isinstance(node.scorer, PeerScorer) and node.scorer.given:
            names.add(node.scorer.given)
    for formula in formulas:
        names.update(formula.names)
    return names


def _at(node: Indicator, code: str, message: str, field: str) -> Problem:
    return Problem(code, message, file=node.source, line=node.line, indicator=node.id, field=field)


def _node_warnings(
    node: Indicator, ranges: Mapping[str, tuple[Decimal | None, Decimal | None]]
) -> Iterator[Problem]:
    if node.applies is not None and not node.applies.names:
        from rubriceng.formula.language import reference_value

        constant = reference_value(node.applies, {})
        if constant is False:
            yield _at(
                node,
                "never-applies",
                f"applies: {node.applies.text} is always false: the indicator never applies",
                "applies",
            )
        elif constant is True:
            yield _at(
                node,
                "always-applies",
                f"applies: {node.applies.text} is always true: "
                "the not-applicable rule is never used",
                "applies",
            )
    scorer = node.scorer
    unreachable = (
        _unreachable_bands(node, scorer, ranges) if isinstance(scorer, BandsScorer) else {}
    )
    for index, reason in unreachable.items():
        assert isinstance(scorer, BandsScorer)
        yield _at(
            node,
            "unreachable-band",
            f"band {index + 1} ({scorer.bands[index].describe()}) is never reached: {reason}",
            f"bands[{index}]",
        )
    if node.notes_en and len(node.notes_en) != len(node.notes):
        message = (
            f"notes_en has {len(node.notes_en)} notes and notes {len(node.notes)}: each "
            "English note goes beside the note it says"
        )
        yield _at(node, "notes-unpaired", message, "notes_en")
    best: Decimal | None = None
    what = ""
    if isinstance(scorer, ChecklistScorer):
        best, what = sum((item.points for item in scorer.items), Decimal(0)), "its criteria"
    elif isinstance(scorer, BandsScorer):
        best, what = (
            max(band.score for index, band in enumerate(scorer.bands) if index not in unreachable),
            "its best reachable band",
        )
    elif isinstance(scorer, JudgementScorer):
        best, what = scorer.maximum, "its judgement's maximum"
    if best is not None and best != node.points:
        verb = "can give only" if best < node.points else "add up to"
        message = f"{what} {verb} {best} of the indicator's {node.points} points"
        yield _at(node, "points-unreachable", message, "points")


def _unreachable_bands(
    node: Indicator,
    scorer: BandsScorer,
    ranges: Mapping[str, tuple[Decimal | None, Decimal | None]],
) -> dict[int, str]:
    """Bands no value reaches, by index, with the reason, when ``value`` is one input."""
    value = dict(node.values).get("value")
    if value is None or value.text.strip() not in ranges:
        return {}
    low, high = ranges[value.text.strip()]
    found: dict[int, str] = {}
    covered = False  # every value in range has fallen in an earlier band
    for index, band in enumerate(scorer.bands):
        if covered:
            found[index] = f"every value up to the input's maximum {high} is in an earlier band"
        elif (
            band.bound is not None
            and low is not None
            and (band.bound < low or (band.bound == low and not band.inclusive))
        ):
            found[index] = f"{value.text} is at least {low}"
        if (
            high is not None
            and band.bound is not None
            and (band.bound > high or (band.bound == high and band.inclusive))
        ):
            covered = True
    return found
