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
    │   ├── TableError                                          a published table (import-table)
    │   ├── RosterError                                         a roster of units (名单)
    │   ├── TargetsError                                        a 绩效目标 file
    │   ├── ReviewError                                         a review (复核) file
    │   └── HistoryError                                        results of former years
    ├── EvaluationError             code "evaluation-failed"   a formula failed on valid inputs
    ├── RubricNotFoundError         code "rubric-not-found"    no rubric has that id or path
    └── PluginError                 code "plugin-failed"       a plugin failed (strict mode)

Problem codes (``Problem.code``) are listed in ``docs/errors.md``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from rubriceng.outputs.words import (
    FORMULA_ERRORS,
    FORMULA_SYNTAX_READINGS,
    MESSAGES,
    READINGS,
    RULES,
    SYNTAX_READINGS,
    TERMS,
    TOLD,
    Phrase,
    language,
)

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
        params: what the problem is told with in any language (see
            :mod:`rubriceng.outputs.words`): the input's ``label``, the indicators' ``names``
            (and ``names_en``), and the values its message template names. A problem
            without them is told by its ``message``.
    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    indicator: str | None = None
    field: str | None = None
    unit: str | None = None
    params: Mapping[str, Any] | None = attrs.field(default=None, eq=False, repr=False)

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str | None = None) -> str:
        """The problem in words, in ``lang`` (default: :func:`rubriceng.outputs.words.language`):
        where, the input by its label (its id in brackets), what is wrong, the indicators
        that use it, and the code.

        >>> problem = Problem("input-missing", "missing input", file="a.xlsx", line=12,
        ...                   field="revenue_final", params={"label": "财政拨款收入决算数",
        ...                   "names": ["差异率"], "names_en": ["Variance"]})
        >>> print(problem.text("zh"))
        a.xlsx 第 12 行 财政拨款收入决算数（revenue_final）：未填写，用于差异率 [input-missing]
        >>> print(problem.text("en"))
        a.xlsx row 12: 财政拨款收入决算数 (revenue_final): missing, used by Variance [input-missing]
        """
        lang = self.speaks(lang)  # never half one language, half the other
        if self.params is None and lang == "en":
            return self._plain()
        return self._located(lang, self.said(lang))

    def said(self, lang: str | None = None) -> str:
        """What is wrong, in ``lang``, without where (for a problem told inside another)."""
        lang = language(lang)
        if self._templated():
            return _told(self, lang)
        if lang == "en":
            return self.message
        return read_back(self, lang) or self.message

    def speaks(self, lang: str | None = None) -> str:
        """The language :meth:`text` speaks for ``lang``: English for a problem whose code
        has no template that fits its message yet."""
        lang = language(lang)
        if lang == "en" or self._templated() or read_back(self, lang) is not None:
            return lang
        return "en"

    def _templated(self) -> bool:
        """True when ``params`` name a template of :data:`rubriceng.outputs.words.MESSAGES`."""
        if self.params is None:
            return False
        return str(self.params.get("template", self.code)) in MESSAGES

    def _located(self, lang: str, message: str) -> str:
        """``message`` with where the problem is, what it is about, and its code."""
        params = self.params or {}
        words = TERMS[lang]
        where = []
        if self.file is not None:
            if self.line is None:
                where.append(self.file)
            elif self.file.lower().endswith((".xlsx", ".xlsm")):
                where.append(words["form row"].format(file=self.file, row=self.line))
            else:
                where.append(words["line"].format(file=self.file, line=self.line))
        if self.unit is not None:
            where.append(words["unit"].format(unit=self.unit))
        label = params.get("label")
        if label and self.field:
            subject = words["input"].format(label=label, field=_column(self.path, self.field))
        elif self.code.startswith("input"):  # an unlabelled input: the item, too
            subject = _column(self.path, self.field) if self.field else self.path or ""
        else:
            subject = self.path or self.field or ""
        names = params.get("names_en" if lang == "en" else "names") or params.get("names")
        used = words["used by"].format(names=words["list"].join(names)) if names else ""
        inside = ""
        if not names and self.indicator:
            name = params.get("indicator_en" if lang == "en" else "indicator_name")
            inside = words["in indicator"].format(name=name or self.indicator)
        joined = words["place"]
        head = joined.join(where + ([subject] if subject else []))
        body = f"{message}{used} [{self.code}]{inside}"
        return f"{head}{words[': ']}{body}" if head else body

    def _plain(self) -> str:
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
    return Problem(
        OMITTED, f"{count} more problems not listed", file=file, unit=unit, params={"count": count}
    )


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


@functools.cache
def _reading(template: str) -> re.Pattern[str]:
    """A pattern that reads a message made from ``template`` back into its parts."""
    parts = []
    for piece in re.split(r"(\{\{|\}\}|\{\w+\})", template):
        if piece in ("{{", "}}"):
            parts.append(re.escape(piece[0]))
        elif piece.startswith("{") and piece.endswith("}"):
            parts.append(f"(?P<{piece[1:-1]}>.*?)")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts), re.DOTALL)


def read_back(problem: Problem, lang: str) -> str | None:
    """The message of a problem made without ``params``, in ``lang``: read back through
    its code's English templates (:data:`rubriceng.outputs.words.TOLD`); None if none fits."""
    if lang == "en":
        return problem.message
    for english, chinese in TOLD.get(problem.code, ()):
        found = _reading(english).fullmatch(problem.message)
        if found:
            values = found.groupdict()
            if "error" in values:
                values["error"] = _formula_error(values["error"])
            if "detail" in values and problem.code in _DETAILS:
                values["detail"] = _detail(values["detail"], _DETAILS[problem.code])
            return chinese.format(**values)
    return None


_DETAILS = {"document-syntax": SYNTAX_READINGS, "formula-syntax": FORMULA_SYNTAX_READINGS}
"""Codes whose foreign detail (the YAML or the formula parser's message) is read phrase by
phrase."""


def _detail(message: str, readings: tuple[tuple[str, str], ...]) -> str:
    """``message`` with each of ``readings`` replaced, if nothing English is left (but
    quoted text, code points U+… and #x…, and names: YAML, %TAG, Tab, URI, UTF-8,
    Unicode); else ``message`` as it is."""
    told = message
    for pattern, replacement in readings:
        told = re.sub(pattern, replacement, told)
    names = r"'[^']*'|U\+[0-9A-F]+|#x[0-9A-Fa-f]+|YAML|%?TAG|Tab|URI|UTF-\d+|Unicode"
    return message if re.search(r"[A-Za-z]{2,}", re.sub(names, "", told)) else told


def _formula_error(message: str) -> str:
    for english, chinese in FORMULA_ERRORS:
        found = _reading(english).fullmatch(message)
        if found:
            return chinese.format(**found.groupdict())
    return message


def _told(problem: Problem, lang: str) -> str:
    """The message of a problem with params, in ``lang``."""
    params = {
        key: value.text(lang) if isinstance(value, Phrase) else value
        for key, value in (problem.params or {}).items()
    }
    template = MESSAGES.get(str(params.get("template", problem.code)))
    if template is None:
        return problem.message
    if "rule" in params:
        rules = RULES[lang]
        rule = str(params["rule"])
        if rule == "type":
            wanted = rules["or"].join(rules.get(name, name) for name in params["wanted"])
            params["rule"] = MESSAGES["input-type"][lang].format(
                wanted=wanted, value=params.get("value")
            )
        else:
            info = str(params.get("info"))
            for pattern, replacement in READINGS.get(lang, ()):
                if re.match(pattern, info):
                    info = re.sub(pattern, replacement, info)
                    break
            params["rule"] = rules.get(rule, rules["invalid"]).format(
                constraint=params.get("constraint"), value=params.get("value"), info=info
            )
    suggestion = params.get("suggestion")
    if suggestion is not None:
        names = TERMS[lang]["list"].join(suggestion)
        params["suggestion"] = TERMS[lang]["did you mean"].format(names=names) if names else ""
    return template[lang].format(**params)


class RubricengError(Exception):
    """Base class of every error rubriceng raises on purpose.

    Every error holds all its ``problems`` at once, each located:

    >>> import rubriceng
    >>> try:
    ...     rubriceng.load_rubric({"id": "x", "version": "1", "title": "x", "total": 5,
    ...                            "indicators": [{"id": "a", "name": "甲", "points": 4,
    ...                                            "score": "points +"}]})
    ... except rubriceng.RubricError as error:
    ...     print(error)  # in the user's language: Chinese unless asked otherwise
    ...     print(error.text("en"))
    <mapping> 的评分表有误（2 个问题）：
      - <mapping> indicators[0].score：无法解析公式 'points +'：语法有误 [formula-syntax]（指标 a）
      - <mapping> total：一级指标分值合计 4.00，评分表总分为 5.00 [points-mismatch]
    <mapping> is not a valid rubric (2 problems):
      - <mapping>: indicators[0].score: cannot parse 'points +': invalid syntax [formula-...
      - <mapping>: total: the level-1 indicators add up to 4.00, the rubric's total is 5.00 ...
    """

    code = "rubriceng"

    def __init__(self, summary: str, problems: Iterable[Problem] = ()) -> None:
        self.summary = summary
        self.problems: tuple[Problem, ...] = cap(problems)
        super().__init__(self._text("en"))

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str | None = None) -> str:
        """Every problem, in ``lang`` (default: :func:`rubriceng.outputs.words.language`): in
        Chinese under a Chinese heading, in English under the error's summary. Many
        inputs missing from one form are counted first, with their rows. (An error with
        a problem whose code has no template in the words table yet is told as before,
        in English.)"""
        return self._text(language(lang))

    def spoken(self, lang: str | None = None) -> str:
        """The language :meth:`text` speaks for ``lang``: English while a problem of the
        error has no template in the words table yet (never half one, half the other)."""
        lang = language(lang)
        if not self.problems or any(problem.speaks(lang) != lang for problem in self.problems):
            return "en"
        return lang

    def _text(self, lang: str) -> str:
        if not self.problems:
            return self.summary
        count = len(self.problems)
        if self.problems[-1].code == OMITTED:
            count += _omitted_count(self.problems[-1]) - 1
        lang = self.spoken(lang)
        words = TERMS[lang]
        if lang == "en":
            head = f"{self.summary}{words['problems'].format(count=count, s='s' * (count != 1))}"
        else:
            head = self._heading(lang) + words["problems"].format(count=count)
        lines = [head]
        missing = [problem for problem in self.problems if problem.code == "input-missing"]
        one_form = len({(problem.unit, problem.file) for problem in missing}) == 1
        if len(missing) >= 5 and one_form:
            rows = sorted({problem.line for problem in missing if problem.line is not None})
            span = ""
            if rows:
                key = "one row" if len(rows) == 1 else "rows"
                span = words["missing rows"].format(
                    rows=words[key].format(first=rows[0], last=rows[-1])
                )
            lines.append("  " + words["missing group"].format(count=len(missing), rows=span))
        lines += [f"  - {problem.text(lang)}" for problem in self.problems]
        return "\n".join(lines)

    def _heading(self, lang: str) -> str:
        words = TERMS[lang]
        name = next(
            (kind.__name__ for kind in type(self).__mro__ if kind.__name__ in words),
            "RubricengError",
        )
        units = {problem.unit for problem in self.problems if problem.unit is not None}
        files = {problem.file for problem in self.problems if problem.file is not None}
        if len(units) == 1:
            return words["of unit"].format(unit=units.pop()) + words[name]
        if len(units) > 1:
            return words["of units"].format(count=len(units)) + words[name]
        if len(files) == 1 and not units:
            return words["of file"].format(file=files.pop()) + words[name]
        return words[name]


class RubricError(RubricengError):
    """The rubric document is invalid: schema, formulas, points, bands or references."""

    code = "rubric-invalid"


class InputError(RubricengError):
    """A unit's inputs are invalid: missing, unknown, of the wrong type or out of range."""

    code = "input-invalid"


class TableError(InputError):
    """A published 指标评分表 cannot be read as a table (``import-table``): the file,
    its layout or its size."""


class RosterError(InputError):
    """A bureau's list of units (名单) cannot be read, or names a unit twice."""


class TargetsError(InputError):
    """A 绩效目标 file (申报表, with or without actual values) cannot be read."""


class ReviewError(InputError):
    """A review (复核) cannot be read, or does not fit the unit or batch it is applied to."""


class HistoryError(InputError):
    """Results of former years cannot be read as one unit's history."""


_F = TypeVar("_F", bound=Callable[..., Any])


def raised_as(kind: type[InputError]) -> Callable[[_F], _F]:
    """A reader whose :class:`InputError` (its file's, however deep it was found) is
    raised as ``kind``, with the same summary and problems: told under the heading of
    what it reads (绩效目标表有误), not of a unit's inputs."""

    def wrap(function: _F) -> _F:
        @functools.wraps(function)
        def read(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except InputError as error:
                if isinstance(error, kind):
                    raise
                raise kind(error.summary, error.problems) from None

        return read  # type: ignore[return-value]

    return wrap


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


_INDEX = re.compile(r"\[(\d+)\]")


def _column(path: str | None, field: str) -> str:
    """Where in input ``field`` a problem is, as the unit's form and tables name it
    (list items counted from 1): ``quarterly_spending_progress[3]`` is
    ``quarterly_spending_progress.4``.

    >>> _column("inputs.effect_indicators[0].score", "effect_indicators")
    'effect_indicators.1.score'
    """
    if not path:
        return field
    at = path.find(field)
    if at < 0 or not path.startswith((field, f"inputs.{field}")):
        return field
    rest = path[at + len(field) :]
    return field + _INDEX.sub(lambda found: f".{int(found.group(1)) + 1}", rest)
