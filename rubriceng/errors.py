"""The errors rubriceng raises: one hierarchy, each with a stable code.

Every error carries a tuple of :class:`Problem` records so that *all* problems found in a
rubric document or in a unit's inputs are reported at once. A problem names where it was
found as precisely as rubriceng knows it: the file and line, the path inside the
document (``indicators[1].children[0].bands[2].upto``), the indicator, the field and,
when scoring, the unit.

::

    RubricengError                  code "rubriceng"
    ├── RubricError                 code "rubric-invalid"      the rubric document is invalid
    ├── InputError                  code "input-invalid"       a unit's inputs are invalid
    ├── EvaluationError             code "evaluation-failed"   a formula failed on valid inputs
    ├── RubricNotFoundError         code "rubric-not-found"    no rubric has that id or path
    └── PluginError                 code "plugin-failed"       a plugin failed (strict mode)

Problem codes (``Problem.code``) are listed in ``docs/errors.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

MAX_PROBLEMS = 100
"""An error lists at most this many problems, then how many more there were."""


@attrs.frozen
class Problem:
    """One located problem.

    Attributes:
        code: a stable, kebab-case identifier of the kind of problem (``points-mismatch``).
        message: what is wrong, in words.
        file: the file the problem is in, if it came from a file.
        line: the 1-based line in ``file``.
        path: where in the document, e.g. ``indicators[0].children[2].points``.
        indicator: the id of the indicator concerned.
        field: the field of the indicator or the input concerned.
        unit: the unit being scored.
    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    indicator: str | None = None
    field: str | None = None
    unit: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.unit is not None:
            where.append(f"unit {self.unit!r}")
        if self.path:
            where.append(self.path)
        context = []
        if self.indicator is not None:
            context.append(f"indicator {self.indicator}")
        if self.field is not None and not (self.path and self.path.endswith(self.field)):
            context.append(f"field {self.field}")
        text = f"{self.message} [{self.code}]"
        if context:
            text += f" ({', '.join(context)})"
        return f"{': '.join(where)}: {text}" if where else text


OMITTED = "too-many-problems"
"""The code of the last problem of an error that had more than :data:`MAX_PROBLEMS`."""


def omitted(count: int, file: str | None = None, unit: str | None = None) -> Problem:
    """The problem that stands for ``count`` problems not listed."""
    return Problem(OMITTED, f"{count} more problems not listed", file=file, unit=unit)


def _omitted_count(problem: Problem) -> int:
    found = re.match(r"\d+", problem.message)
    return int(found.group()) if found else 0


def cap(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """At most :data:`MAX_PROBLEMS` problems, then one that counts the rest."""
    listed: list[Problem] = []
    rest = 0
    where: Problem | None = None
    for problem in problems:
        if problem.code == OMITTED:
            rest += _omitted_count(problem)
            where = where or problem
        elif len(listed) < MAX_PROBLEMS:
            listed.append(problem)
        else:
            rest += 1
            where = where or problem
    if rest and where is not None:
        listed.append(omitted(rest, where.file, where.unit))
    return tuple(listed)


class RubricengError(Exception):
    """Base class of every error rubriceng raises on purpose.

    Every error holds all its ``problems`` at once, each located:

    >>> import rubriceng
    >>> try:
    ...     rubriceng.load_rubric({"id": "x", "version": "1", "title": "x", "total": 5,
    ...                            "indicators": [{"id": "a", "name": "甲", "points": 4,
    ...                                            "score": "points +"}]})
    ... except rubriceng.RubricError as error:
    ...     print(error)
    <mapping> is not a valid rubric (2 problems):
      - <mapping>: indicators[0].score: cannot parse 'points +': invalid syntax [formula-...
      - <mapping>: total: the level-1 indicators add up to 4.00, the rubric's total is 5.00 ...
    """

    code = "rubriceng"

    def __init__(self, summary: str, problems: Iterable[Problem] = ()) -> None:
        self.summary = summary
        self.problems: tuple[Problem, ...] = cap(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if not self.problems:
            return self.summary
        count = len(self.problems)
        if self.problems[-1].code == OMITTED:
            count += _omitted_count(self.problems[-1]) - 1
        head = f"{self.summary} ({count} problem{'s' if count != 1 else ''}):"
        return "\n".join([head, *(f"  - {problem}" for problem in self.problems)])


class RubricError(RubricengError):
    """The rubric document is invalid: schema, formulas, points, bands or references."""

    code = "rubric-invalid"


class InputError(RubricengError):
    """A unit's inputs are invalid: missing, unknown, of the wrong type or out of range."""

    code = "input-invalid"


class EvaluationError(RubricengError):
    """A formula could not be evaluated on a unit's (valid) inputs, e.g. a zero divisor."""

    code = "evaluation-failed"


class RubricNotFoundError(RubricengError):
    """No rubric file or rubric id matches what was asked for."""

    code = "rubric-not-found"


class PluginError(RubricengError):
    """A plugin failed to load or contribute and the registry is strict, or a plugin's
    renderer failed."""

    code = "plugin-failed"
