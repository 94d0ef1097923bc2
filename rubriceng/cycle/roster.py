"""The bureau's list of units (名单): who is sent a form, and who has to return one.

A roster is a ``.txt`` file of one unit a line (blank lines, and lines starting with
``#``, left out), or the first column of a ``.csv`` or ``.xlsx`` table (a first row
headed ``unit``, ``单位`` or ``单位名称`` left out). Names are compared as a person reads
them: full-width forms folded and spaces dropped (``市府办`` is ``市 府 办``).

- Forms out: ``rubriceng template RUBRIC --units 名单.txt`` writes each unit its own form,
  its name filled in, or one batch form with a row a unit.
- Forms back: ``rubriceng batch RUBRIC returned/ --units 名单.txt`` refuses a returned
  unit the roster does not name (a probable slip of its name, told with the names it is
  close to) and lists the units that returned nothing (未报送).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from rubriceng.cycle.intake import Intake, unit_key
from rubriceng.errors import Problem, RosterError, raised_as
from rubriceng.inputs.files import csv_rows, open_workbook, sheet_rows, text_lines
from rubriceng.sanitize import printable

__all__ = ["Roster", "read_roster"]

_HEADINGS = frozenset({"unit", "单位", "单位名称", "unitname"})

MAX_UNITS = 10_000
"""The most units a roster may name (a province has a few thousand budget units)."""
MAX_NAME = 200
"""The most characters a unit's name on a roster may have."""


@attrs.frozen
class Roster:
    """The units of a roster, in its order, and the line each is on."""

    units: tuple[str, ...]
    source: str
    lines: Mapping[str, int] = attrs.field(factory=dict)

    def missing(self, returned: Iterable[str]) -> tuple[str, ...]:
        """The roster's units none of ``returned`` names, in the roster's order."""
        given = {unit_key(name) for name in returned}
        return tuple(unit for unit in self.units if unit_key(unit) not in given)

    def unlisted(self, intake: Intake) -> list[Problem]:
        """A problem for each returned unit the roster does not name, where it was
        returned, with the roster's names it is close to."""
        known = {unit_key(unit): unit for unit in self.units}
        problems = []
        for returned in intake.units:
            if unit_key(returned.unit) in known:
                continue
            close = difflib.get_close_matches(unit_key(returned.unit), list(known), n=3, cutoff=0.6)
            suggestion = [known[key] for key in close]
            hint = f"; did you mean {', '.join(suggestion)}?" if suggestion else ""
            problems.append(
                returned.problem(
                    "unit-not-on-roster",
                    f"not on the roster {self.source}{hint}",
                    roster=self.source,
                    suggestion=suggestion,
                )
            )
        return problems


@raised_as(RosterError)
def read_roster(path: str | os.PathLike[str]) -> Roster:
    """The roster in ``path`` (``.txt``, ``.csv`` or ``.xlsx``).

    Raises :class:`~rubriceng.errors.RosterError` listing every problem at once: a file
    it cannot read, a name given twice (both lines named), a name with a control
    character, a roster naming no unit.
    """
    source = str(path)
    rows = _rows(path, source)
    if rows and unit_key(rows[0][1]).lower() in _HEADINGS:
        rows = rows[1:]
    problems: list[Problem] = []
    units: list[str] = []
    lines: dict[str, int] = {}
    seen: dict[str, int] = {}
    for number, name in rows:
        if not name:
            continue
        if len(name) > MAX_NAME:
            problems.append(
                Problem(
                    "roster-long",
                    f"a name of more than {MAX_NAME} characters: {name[:20]}…",
                    file=source,
                    line=number,
                    params={"count": MAX_NAME, "name": f"{printable(name[:20])}…"},
                )
            )
            continue
        if printable(name) != name:
            problems.append(
                Problem(
                    "roster-name",
                    f"the name {printable(name)} has a control character",
                    file=source,
                    line=number,
                    params={"name": printable(name)},
                )
            )
            continue
        if unit_key(name) in seen:
            first = seen[unit_key(name)]
            problems.append(
                Problem(
                    "roster-twice",
                    f"{name} is also on line {first}",
                    file=source,
                    line=number,
                    params={"name": name, "first": first},
                )
            )
            continue
        seen[unit_key(name)] = number
        units.append(name)
        lines[name] = number
    if len(units) > MAX_UNITS:
        problems.append(
            Problem(
                "roster-many",
                f"more than {MAX_UNITS} units",
                file=source,
                line=lines[units[MAX_UNITS]],
                params={"count": MAX_UNITS},
            )
        )
    if not units and not problems:
        problems.append(Problem("roster-empty", "the roster names no unit", file=source, params={}))
    if problems:
        raise RosterError(f"cannot read roster {source}", problems)
    return Roster(tuple(units), source, lines)


def _rows(path: str | os.PathLike[str], source: str) -> list[tuple[int, str]]:
    """(line, name) of each line or row of a roster file."""
    suffix = Path(path).suffix.lower()
    if suffix == ".txt":
        return [
            (number, line.strip())
            for number, line in enumerate(text_lines(path, "roster"), start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    if suffix == ".csv":
        return [(number, _first(row)) for number, row in enumerate(csv_rows(path, "roster"), 1)]
    if suffix == ".xlsx":
        book = open_workbook(path, "roster")
        try:
            sheet = book.worksheets[0]
            return [(number, _first(row)) for number, row in sheet_rows(sheet, source, "roster")]
        finally:
            book.close()
    problem = Problem("input-form", "a roster is a .txt, .csv or .xlsx file", file=source)
    raise RosterError(f"cannot read roster {source}", [problem])


def _first(row: list[object]) -> str:
    """A table row's first cell as a name ('' for none)."""
    if not row or row[0] is None:
        return ""
    return str(row[0]).strip()
