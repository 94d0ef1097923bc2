"""Rule-author test cases: units and the scores a rubric must give them, written as data.

A test-case file (``test_*.yaml``, ``test_*.yml`` or ``test_*.json``) looks like this::

    rubric: cn.gd.huizhou/dept-overall@2020     # an id@version, an id, or a file path
    cases:
      - name: 惠州市人民政府办公室 2020 (the published table)
        unit: 惠州市人民政府办公室
        inputs: {procurement_plan: 1331100, procurement_actual: 1236754.68, ...}
        expected:
          total: 97.86
          grade: 优
          indicators:
            procurement_rate: 1.86
            advance_release_rate: {status: not_applicable}
            budget_reasonableness: {score: 6.34, effective_points: 6.34}
        tolerance: 0                               # the default: exact

Each case may name its own ``rubric`` (and ``year``, to pick the version in force). Only
what ``expected`` lists is compared. ``rubriceng test PATH`` runs them; pytest collects
them through the ``rubriceng`` pytest plugin.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from rubriceng.errors import Problem, RubricengError
from rubriceng.host.registry import Registry, default_registry
from rubriceng.language.documents import Document, DocumentError, from_path
from rubriceng.language.schema import make_validator, problems
from rubriceng.outputs.words import Phrase, term
from rubriceng.scoring.engine import evaluate
from rubriceng.scoring.result import NOT_APPLICABLE, Result

CASE_FILE_PATTERNS = ("test_*.yaml", "test_*.yml", "test_*.json")
"""File names that hold test cases."""

_NUMBER = {"type": "decimal", "coerce": "decimal"}
_EXPECTED_INDICATOR = {
    "type": ["decimal", "dict"],
    "schema": {
        "score": _NUMBER,
        "effective_points": _NUMBER,
        "status": {"type": "string", "allowed": ["scored", "judged", NOT_APPLICABLE]},
    },
}
_CASE = {
    "name": {"type": "string", "required": True, "empty": False},
    "rubric": {"type": "string"},
    "year": {"type": "integer"},
    "unit": {"type": "string"},
    "description": {"type": "string"},
    "inputs": {"type": "dict", "required": True},
    "expected": {
        "type": "dict",
        "required": True,
        "schema": {
            "total": _NUMBER,
            "subtotal": _NUMBER,
            "grade": {"type": "string", "nullable": True},
            "indicators": {
                "type": "dict",
                "keysrules": {"type": "string"},
                "valuesrules": _EXPECTED_INDICATOR,
            },
        },
    },
    "tolerance": {**_NUMBER, "min": Decimal(0)},
}
CASE_FILE_SCHEMA = {
    "rubric": {"type": "string"},
    "year": {"type": "integer"},
    "description": {"type": "string"},
    "cases": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "schema": {"type": "dict", "schema": _CASE},
    },
}
"""The cerberus schema of a test-case file."""


class CaseFileError(RubricengError):
    """A test-case file is unreadable or malformed."""

    code = "case-file-invalid"


@attrs.frozen
class Case:
    """One test case: a unit, the rubric it is scored by, what the result must say."""

    name: str
    rubric: str
    inputs: Mapping[str, Any]
    expected: Mapping[str, Any]
    tolerance: Decimal = Decimal(0)
    unit: str | None = None
    year: int | None = None
    file: str | None = None
    line: int | None = None
    document: Document | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def where(self) -> str:
        """``file:line`` of the case."""
        return f"{self.file}:{self.line}" if self.line else str(self.file)


_NONE = Phrase({"zh": "无", "en": "None"})
_GRADE = Phrase({"zh": "等级", "en": "grade"})
_AN_INDICATOR = Phrase({"zh": "一个指标", "en": "an indicator"})
_NO_INDICATOR = Phrase({"zh": "评分表中没有这个指标", "en": "no such indicator in the rubric"})
_TOTALS = {
    "subtotal": Phrase({"zh": "加减分前合计", "en": "subtotal"}),
    "total": Phrase({"zh": "总分", "en": "total"}),
}
"""What a case's mismatches are said with, in each language."""


@attrs.frozen
class Mismatch:
    """A value the result gave that the case did not expect."""

    what: str | Phrase
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str | None = None) -> str:
        """The mismatch in ``lang`` (default: the current language)."""
        what, expected, actual = (
            _NONE.text(lang)
            if value is None
            else value.text(lang)
            if isinstance(value, Phrase)
            else value
            for value in (self.what, self.expected, self.actual)
        )
        return term("mismatch", lang, what=what, expected=expected, actual=actual)


@attrs.frozen
class Outcome:
    """The outcome of one case: passed, or its mismatches, or the error it raised."""

    case: Case
    mismatches: tuple[Mismatch, ...] = ()
    error: RubricengError | None = None
    result: Result | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def passed(self) -> bool:
        """True when the result matched every expectation."""
        return self.error is None and not self.mismatches

    def report(self, lang: str | None = None) -> str:
        """What went wrong, one line each, in ``lang`` (empty when the case passed)."""
        case = term("case", lang, where=self.case.where, name=self.case.name)
        if self.error is not None:
            return f"{case}{term(': ', lang)}{self.error.text(lang)}"
        lines = [case, *(f"  {mismatch.text(lang)}" for mismatch in self.mismatches)]
        return "\n".join(lines) if self.mismatches else ""


def case_files(path: str | os.PathLike[str]) -> list[Path]:
    """``path`` if it is a file, else the test-case files below it, sorted."""
    root = Path(path)
    if root.is_file():
        return [root]
    found: set[Path] = set()
    for pattern in CASE_FILE_PATTERNS:
        found.update(file for file in root.rglob(pattern) if file.is_file())
    return sorted(found)


def is_case_file(path: Path) -> bool:
    """True for a file named like a test-case file whose top level has ``cases``."""
    if not any(path.match(pattern) for pattern in CASE_FILE_PATTERNS):
        return False
    try:
        with open(path, "rb") as stream:  # its beginning: a large file is not read whole
            head = stream.read(_HEAD_BYTES).decode("utf-8-sig", errors="ignore")
    except OSError:
        return False
    return any(line.startswith(("cases:", '"cases"', "{")) for line in head.splitlines())


_HEAD_BYTES = 64 * 1024
"""How much of a file named like a test-case file is read to tell whether it is one."""


def load_cases(path: str | os.PathLike[str]) -> list[Case]:
    """The cases of one test-case file; :class:`CaseFileError` lists every problem."""
    try:
        document = from_path(Path(path))
    except DocumentError as error:
        raise CaseFileError(f"cannot read test cases {path}", error.problems) from None
    validator = make_validator(CASE_FILE_SCHEMA)
    if not isinstance(document.data, Mapping) or not validator.validate(document.data):
        found = (
            problems(validator, document, code="case-file")
            if isinstance(document.data, Mapping)
            else [document.problem("case-file", "a test-case file is a mapping", ())]
        )
        raise CaseFileError(f"{path} is not a valid test-case file", found)
    data = validator.document
    missing: list[Problem] = []
    cases = []
    for index, raw in enumerate(data["cases"]):
        rubric = raw.get("rubric", data.get("rubric"))
        at = ("cases", index)
        if rubric is None:
            missing.append(document.problem("case-file", "no 'rubric' for this case", at))
            continue
        if Path(rubric).suffix in (".yaml", ".yml", ".json"):
            rubric = str(Path(path).parent / rubric)
        cases.append(
            Case(
                name=raw["name"],
                rubric=rubric,
                inputs=document.data["cases"][index]["inputs"],
                expected=raw["expected"],
                tolerance=raw.get("tolerance", Decimal(0)),
                unit=raw.get("unit"),
                year=raw.get("year", data.get("year")),
                file=str(path),
                line=document.line_of(at),
                document=document.part(at),
            )
        )
    if missing:
        raise CaseFileError(f"{path} is not a valid test-case file", missing)
    return cases


def run_case(case: Case, registry: Registry | None = None) -> Outcome:
    """Score the case's unit and compare the result with what it expects."""
    registry = registry or default_registry()
    try:
        rubric = registry.load(case.rubric, year=case.year)
        result = evaluate(rubric, case.inputs, unit=case.unit, document=case.document)
    except RubricengError as error:
        return Outcome(case, error=error)
    return Outcome(case, tuple(_compare(case, result)), result=result)


def run_cases(
    paths: list[str | os.PathLike[str]], registry: Registry | None = None
) -> Iterator[Outcome]:
    """Every case of every test-case file under ``paths``, run in order."""
    for path in paths:
        for file in case_files(path):
            for case in load_cases(file):
                yield run_case(case, registry)


def _compare(case: Case, result: Result) -> Iterator[Mismatch]:
    expected = case.expected
    for key in ("subtotal", "total"):
        if key in expected:
            what = _TOTALS[key]
            yield from _number(what, expected[key], getattr(result, key), case.tolerance)
    if "grade" in expected and expected["grade"] != result.grade:
        yield Mismatch(_GRADE, expected["grade"], result.grade)
    for ident, wanted in expected.get("indicators", {}).items():
        try:
            found = result.indicator(ident)
        except KeyError:
            yield Mismatch(ident, _AN_INDICATOR, _NO_INDICATOR)
            continue
        wanted = wanted if isinstance(wanted, Mapping) else {"score": wanted}
        if "score" in wanted:
            yield from _number(ident, wanted["score"], found.score, case.tolerance)
        if "effective_points" in wanted:
            yield from _number(
                Phrase({"zh": f"{ident} 的调整后分值", "en": f"{ident} effective points"}),
                wanted["effective_points"],
                found.effective_points,
                case.tolerance,
            )
        if "status" in wanted and wanted["status"] != found.status:
            status = Phrase({"zh": f"{ident} 的状态", "en": f"{ident} status"})
            yield Mismatch(status, wanted["status"], found.status)


def _number(
    what: str | Phrase, expected: Decimal, actual: Decimal, tolerance: Decimal
) -> Iterator[Mismatch]:
    if abs(actual - expected) > tolerance:
        yield Mismatch(what, expected, actual)
