"""复核: a reviewer's changes to a unit's self-assessment, scored beside it.

A finance bureau reviews the scores units give themselves. The reviewer changes, for some
indicators, the score (复核分), or the inputs it came from (the 政府采购 figures the
procurement system shows), and says why. :func:`review` scores the unit both ways and
lines the two up: 自评分, 复核分 and 差异 for every indicator and the total, each difference
with the reasons that caused it.

A reviewer's file (:func:`load_changes`) is YAML or JSON::

    unit: 惠州市人民政府办公室            # optional: checked against the self-assessment
    rubric: cn.gd.huizhou/dept-overall@2020  # optional: checked against the rubric
    changes:
      - indicator: 项目监管               # an id or a name; a reviewed score …
        score: 1
        reason: 检查底稿不完整
      - inputs: {procurement_actual: 1200000}   # … or reviewed inputs
        reason: 以政府采购系统数据为准

or the ``.xlsx`` form :func:`write_review_form` writes for it (fill in 复核分 or 复核值,
and 复核说明).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from rubriceng.cycle.intake import other_version, unit_key
from rubriceng.decimals import isolated
from rubriceng.errors import InputError, Problem, ReviewError, RubricengError, raised_as
from rubriceng.inputs.files import formula_problems, is_blank, open_workbook, sheet_rows
from rubriceng.language.documents import Document, read_input
from rubriceng.language.model import Rubric
from rubriceng.language.paths import fields, flatten, nest
from rubriceng.outputs.words import SUMMARY_WORDS, TERMS, grade, language
from rubriceng.sanitize import replacing
from rubriceng.scoring.engine import evaluate
from rubriceng.scoring.result import NOT_APPLICABLE, IndicatorResult, Result

__all__ = [
    "Change",
    "Difference",
    "Review",
    "ReviewFile",
    "apply_changes",
    "apply_reviews",
    "load_changes",
    "review",
    "review_text",
    "write_review",
    "write_review_form",
]


@attrs.frozen
class Change:
    """One change a reviewer makes, with its reason: a reviewed ``score`` for an
    ``indicator`` (a leaf, by id or name), or reviewed ``inputs``, or both."""

    reason: str
    indicator: str | None = None
    score: Decimal | None = None
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    line: int | None = None
    """Where the change is in the reviewer's file (a line, or a row of the form)."""


@attrs.frozen
class ReviewFile:
    """A reviewer's file: the changes, and the unit and rubric it says it is for."""

    changes: tuple[Change, ...]
    unit: str | None = None
    rubric: str | None = None
    source: str | None = None


@attrs.frozen
class Difference:
    """One line of a review: an indicator (``depth`` 0 for 一级), its effective points,
    the self-assessed and reviewed scores, the difference (reviewed − self) and the
    reasons of the changes that made it. ``id`` is ``total`` for the total."""

    id: str
    name: str
    depth: int
    points: Decimal
    self_score: Decimal | None
    reviewed: Decimal | None
    difference: Decimal
    reasons: tuple[str, ...] = ()
    name_en: str | None = None


@attrs.frozen
class Review:
    """A unit scored as it assessed itself and as reviewed, line by line."""

    self_assessed: Result
    reviewed: Result
    differences: tuple[Difference, ...]
    changes: tuple[Change, ...]

    @property
    def changed(self) -> tuple[Difference, ...]:
        """The lines whose score changed."""
        return tuple(line for line in self.differences if line.difference)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types: both totals and grades, and every line."""
        return {
            "unit": self.reviewed.unit,
            "rubric": f"{self.reviewed.rubric_id}@{self.reviewed.rubric_version}",
            "self_total": str(self.self_assessed.total),
            "self_grade": self.self_assessed.grade,
            "reviewed_total": str(self.reviewed.total),
            "reviewed_grade": self.reviewed.grade,
            "lines": [
                {
                    "id": line.id,
                    "name": line.name,
                    "depth": line.depth,
                    "points": str(line.points),
                    "self": None if line.self_score is None else str(line.self_score),
                    "reviewed": None if line.reviewed is None else str(line.reviewed),
                    "difference": str(line.difference),
                    "reasons": list(line.reasons),
                }
                for line in self.differences
            ],
        }


def apply_changes(
    rubric: Rubric, inputs: Mapping[str, Any], changes: Sequence[Change], source: str | None = None
) -> tuple[dict[str, Any], dict[str, Decimal]]:
    """The reviewed inputs (the unit's, with each change's inputs laid over them) and the
    reviewed scores by leaf id. Raises :class:`ReviewError` listing every problem: a
    change without a reason, or with neither a score nor inputs, an indicator not in the
    rubric, a score for a group, an input the rubric does not ask for."""
    leaves = {node.id for node in rubric.walk() if node.method}
    names = [(node.id, node.name) for node in rubric.walk()]
    named = dict(names)
    known = {field.input for field in fields(rubric)}
    flat = flatten(inputs)
    emptied: dict[str, Any] = {}
    scores: dict[str, Decimal] = {}
    problems: list[Problem] = []

    def problem(change: Change, code: str, message: str, **params: Any) -> None:
        problems.append(
            Problem(
                code,
                message,
                file=source,
                line=change.line,
                indicator=change.indicator,
                params=params or None,
            )
        )

    given: dict[str, tuple[Change, Any]] = {}  # what was reviewed, by which change

    def once(change: Change, key: str, what: str, value: Any) -> None:
        """Refuse a second, different value for one score or input: a probable slip."""
        first, before = given.setdefault(key, (change, value))
        if before != value:
            at = "" if first.line is None else f" at line {first.line}"
            message = f"{what} is given two reviewed values: {before}{at}, and {value} here"
            problem(change, "review-twice", message)

    for change in changes:
        if not change.reason.strip():
            problem(change, "review-reason", "a change needs its reason (复核说明)")
        if change.score is None and not change.inputs:
            problem(change, "review-empty", "a change gives a reviewed score or reviewed inputs")
        if change.score is not None:
            found = _leaf(change, names, leaves, problem)
            if found is not None:
                once(change, found, named[found], change.score)
                scores[found] = change.score
        for key, value in flatten(change.inputs).items():
            once(change, f"inputs:{key}", f"input {key}", value)
        for name, value in change.inputs.items():
            if name.split(".")[0] not in known:
                problem(
                    change,
                    "review-input",
                    f"{name} is not an input of {rubric.ref}",
                    name=name,
                    rubric=rubric.ref,
                )
                continue
            if isinstance(value, list | tuple):  # a list replaces the unit's, items and all
                flat = {key: item for key, item in flat.items() if not key.startswith(f"{name}.")}
                if not value:
                    emptied[name] = []
            flat.update(flatten({name: value}))
    if problems:
        raise ReviewError(f"cannot apply the review {source or ''}".rstrip(), problems)
    try:
        merged = nest(flat.items())
    except ValueError as error:  # a part of an input given as a whole, or the reverse
        raise ReviewError(
            f"cannot apply the review {source or ''}".rstrip(),
            [Problem("review-input", str(error), file=source)],
        ) from None
    for name, value in inputs.items():  # empty lists and mappings flatten to nothing
        merged.setdefault(name, value)
    merged.update(emptied)
    return merged, scores


def _leaf(
    change: Change, names: Sequence[tuple[str, str]], leaves: set[str], problem: Any
) -> str | None:
    from rubriceng.language.lookup import find_id

    if change.indicator is None:
        problem(change, "review-indicator", "a reviewed score names its indicator")
        return None
    try:
        found = find_id(change.indicator, names)
    except RubricengError as error:
        problems = error.problems
        problem(change, problems[0].code, problems[0].message, **dict(problems[0].params or {}))
        return None
    if found not in leaves:
        problem(
            change,
            "review-group",
            f"{change.indicator} is a group: review the indicators under it",
            indicator=change.indicator,
        )
        return None
    return found


@isolated
def review(
    rubric: Rubric,
    inputs: Mapping[str, Any],
    changes: Sequence[Change] | ReviewFile,
    *,
    unit: str | None = None,
) -> Review:
    """Score ``inputs`` as the unit assessed itself and as ``changes`` review them.

    >>> from rubriceng import load_rubric
    >>> rubric = load_rubric({
    ...     "id": "r", "version": "1", "title": "复核示例", "total": 10,
    ...     "inputs": {"done": {"type": "count"}, "planned": {"type": "count"}},
    ...     "indicators": [
    ...         {"id": "tasks", "name": "完成率", "points": 6,
    ...          "ratio": {"actual": "done", "target": "planned"}},
    ...         {"id": "quality", "name": "质量", "points": 4, "judgement": {}}]})
    >>> found = review(rubric, {"done": 8, "planned": 8,
    ...                         "quality": {"score": 4, "reason": "自评"}}, [
    ...     Change("台账只能证明 6 项", inputs={"done": 6}),
    ...     Change("抽查发现差错", indicator="质量", score=Decimal(3))])
    >>> for line in found.changed:
    ...     print(line.name, line.self_score, line.reviewed, line.difference, *line.reasons)
    完成率 6.00 4.50 -1.50 台账只能证明 6 项
    质量 4.00 3.00 -1.00 抽查发现差错
    合计 10.00 7.50 -2.50 台账只能证明 6 项 抽查发现差错
    """
    source = None
    if isinstance(changes, ReviewFile):
        _check_file(changes, rubric, unit)
        source, changes = changes.source, changes.changes
    merged, scores = apply_changes(rubric, inputs, changes, source)
    before = evaluate(rubric, inputs, unit=unit)
    after = evaluate(rubric, merged, unit=unit, reviewed=scores)
    return Review(before, after, differences(rubric, before, after, changes), tuple(changes))


def _check_file(found: ReviewFile, rubric: Rubric, unit: str | None) -> None:
    """Refuse a review written for another unit, or another version of the rubric."""
    problems = []
    if found.unit is not None and unit is not None and found.unit != unit:
        problems.append(
            Problem(
                "review-unit",
                f"the review is for {found.unit}, not this unit",
                file=found.source,
                unit=unit,
                params={"other": found.unit},
            )
        )
    if found.rubric is not None and found.rubric != rubric.ref:
        problems.append(other_version(found.rubric, rubric, file=found.source))
    if problems:
        raise ReviewError(f"cannot apply the review {found.source or ''}".rstrip(), problems)


def differences(
    rubric: Rubric, before: Result, after: Result, changes: Sequence[Change]
) -> tuple[Difference, ...]:
    """Every indicator of ``before`` and ``after`` side by side, then the adjustments and
    the total, each difference with the reasons of the changes behind it."""
    users = rubric.needs.users if rubric.needs is not None else {}
    names = [(node.id, node.name) for node in rubric.walk()]
    causes: dict[str, list[str]] = {}
    for change in changes:
        touched: set[str] = set()
        if change.score is not None and change.indicator is not None:
            from rubriceng.language.lookup import find_id

            touched.add(find_id(change.indicator, names))
        for name in change.inputs:
            first = name.split(".")[0]
            touched.update(users.get(first, ()))
            touched.add(first)  # a judged indicator's own input is its id
        for indicator in touched:
            causes.setdefault(indicator, []).append(change.reason)
    reviewed = {row.id: row for row in after.walk()}
    lines: list[Difference] = []

    def visit(row: IndicatorResult, depth: int) -> tuple[str, ...]:
        other = reviewed[row.id]
        below: list[str] = list(causes.get(row.id, ()))
        start = len(lines)
        for child in row.children:
            if "." not in child.id:
                below += visit(child, depth + 1)
        reasons = tuple(dict.fromkeys(below))
        difference = other.score - row.score
        line = Difference(
            row.id,
            row.name,
            depth,
            other.effective_points,
            None if row.status == NOT_APPLICABLE else row.score,
            None if other.status == NOT_APPLICABLE else other.score,
            difference,
            reasons if difference else (),
            row.name_en,
        )
        lines.insert(start, line)
        return reasons

    every: list[str] = []
    for top in before.indicators:
        every += visit(top, 0)
    for mine, theirs in zip(before.adjustments, after.adjustments, strict=True):
        reasons = tuple(causes.get(mine.id, ()))
        every += reasons
        lines.append(
            Difference(
                mine.id,
                mine.name,
                0,
                Decimal(0),
                mine.points,
                theirs.points,
                theirs.points - mine.points,
                reasons,
            )
        )
    total = after.total - before.total
    lines.append(
        Difference(
            "total",
            "合计",
            0,
            rubric.total,
            before.total,
            after.total,
            total,
            tuple(dict.fromkeys(every)) if total else (),
            "Total",
        )
    )
    return tuple(lines)


# -- the reviewer's file ----------------------------------------------------------------------


@isolated
@raised_as(ReviewError)
def load_changes(source: str | os.PathLike[str] | Mapping[str, Any]) -> ReviewFile:
    """A reviewer's file: YAML or JSON (``changes:``), or the filled-in ``.xlsx`` form.
    Raises :class:`ReviewError` naming the line or row of every problem."""
    if not isinstance(source, Mapping) and Path(source).suffix.lower() in (".xlsx", ".xlsm"):
        return _from_form(Path(source))
    document = read_input(source, "review")
    data = document.data
    problems: list[Problem] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("changes"), list):
        raise ReviewError(
            "cannot read the review",
            [document.problem("review-form", "a review is a mapping with a list of 'changes'", ())],
        )
    problems += [
        document.problem("review-form", "unknown key", (key,))
        for key in sorted(set(data) - {"unit", "rubric", "changes", "notes"})
    ]
    changes = []
    for index, item in enumerate(data["changes"]):
        change = _change(item, document, ("changes", index), problems)
        if change is not None:
            changes.append(change)
    for key in ("unit", "rubric"):
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(document.problem("review-form", f"'{key}' must be text", (key,)))
    if problems:
        raise ReviewError("cannot read the review", problems)
    return ReviewFile(tuple(changes), data.get("unit"), data.get("rubric"), document.source)


def _change(
    item: Any, document: Document, path: tuple[Any, ...], problems: list[Problem]
) -> Change | None:
    if not isinstance(item, Mapping):
        problems.append(document.problem("review-form", "a change is a mapping", path))
        return None
    unknown = sorted(set(item) - {"indicator", "score", "inputs", "reason"})
    problems += [document.problem("review-form", "unknown key", (*path, key)) for key in unknown]
    score = None
    if item.get("score") is not None:
        score = _number(item["score"])
        if score is None:
            problems.append(
                document.problem("review-form", "a score is a number", (*path, "score"))
            )
    inputs = item.get("inputs") or {}
    if not isinstance(inputs, Mapping):
        problems.append(document.problem("review-form", "'inputs' is a mapping", (*path, "inputs")))
        inputs = {}
    indicator = item.get("indicator")
    return Change(
        str(item.get("reason") or ""),
        None if indicator is None else str(indicator),
        score,
        dict(inputs),
        document.line_of(path),
    )


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


REVIEW_SHEET = "复核"
"""The sheet of a review form where indicators are reviewed."""

INPUTS_REVIEW_SHEET = "复核填报数据"
"""The sheet of a review form where inputs are reviewed."""

REVIEW_SHEETS = (REVIEW_SHEET, "Review")
INPUTS_REVIEW_SHEETS = (INPUTS_REVIEW_SHEET, "Review inputs")


def _from_form(path: Path) -> ReviewFile:
    """The changes in a filled-in review form: rows with a 复核分, or a 复核值."""
    source = str(path)
    book = open_workbook(path, "review")
    problems: list[Problem] = []
    changes: list[Change] = []
    unit = rubric = None
    try:
        sheet = _sheet_of(book, REVIEW_SHEETS)
        if sheet is None:
            raise ReviewError(
                f"cannot read the review {source}",
                [
                    Problem(
                        "review-form",
                        f"no sheet {REVIEW_SHEET}: is this a review form written by "
                        "'rubriceng review --form'?",
                        file=source,
                    )
                ],
            )
        blank: dict[tuple[str, int], dict[int, str]] = {}  # (sheet, column) → row → what

        def unread(title: str, column: int, number: int, what: str) -> None:
            """A blank cell that may hold a formula no program computed (checked below)."""
            blank.setdefault((title, column), {})[number] = what

        for number, row in sheet_rows(sheet, source, "review"):
            cells = [*row, *([None] * 7)]
            if cells[0] == "unit":
                unit = None if is_blank(cells[2]) else str(cells[2]).strip()
            elif cells[0] == "rubric":
                rubric = None if is_blank(cells[2]) else str(cells[2]).strip()
            elif number > 4 and not is_blank(cells[0]) and is_blank(cells[4]):
                unread(sheet.title, 5, number, str(cells[0]).strip())
            elif number > 4 and not is_blank(cells[0]):
                score = _number(cells[4])
                if score is None:
                    problems.append(
                        Problem("review-form", "a score is a number", file=source, line=number)
                    )
                    continue
                reason = "" if is_blank(cells[5]) else str(cells[5]).strip()
                if not reason:
                    unread(sheet.title, 6, number, str(cells[0]).strip())
                changes.append(Change(reason, str(cells[0]).strip(), score, {}, number))
        given = _sheet_of(book, INPUTS_REVIEW_SHEETS)
        if given is not None:
            for number, row in sheet_rows(given, source, "review"):
                cells = [*row, *([None] * 6)]
                if number <= 1 or is_blank(cells[0]):
                    continue
                field = str(cells[0]).strip()  # a dotted path: laid over the unit's
                if is_blank(cells[3]):
                    unread(given.title, 4, number, field)
                    continue
                reason = "" if is_blank(cells[4]) else str(cells[4]).strip()
                if not reason:
                    unread(given.title, 5, number, field)
                changes.append(Change(reason, None, None, {field: cells[3]}, number))
    finally:
        book.close()
    problems += formula_problems(path, "review", blank, source)  # a script's formulas
    if problems:
        raise ReviewError(f"cannot read the review {source}", problems)
    return ReviewFile(tuple(changes), unit, rubric, source)


# -- what the reviewer fills in, and what the review shows ----------------------------------------


def _sheet_of(book: Any, names: Sequence[str]) -> Any:
    return next((book[name] for name in names if name in book.sheetnames), None)


@isolated
def write_review_form(
    rubric: Rubric,
    result: Result,
    inputs: Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
) -> None:
    """Write a review form for a unit's self-assessment (``.xlsx``): on sheet 复核 every
    indicator with its points and 自评分, a 复核分 to fill in (checked: 0 to its points)
    and a 复核说明; on sheet 复核填报数据 every input the unit gave, a 复核值 and a 复核说明.
    :func:`load_changes` reads it back filled in."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from rubriceng.outputs.spreadsheet import append_row, table_sheet
    from rubriceng.sanitize import harden_workbook

    lang = language(lang)
    words = SUMMARY_WORDS[lang]
    english = lang == "en"
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = table_sheet(
        book,
        REVIEW_SHEETS[english],
        ["unit", words["unit"], result.unit or ""],
        [28, 40, 10, 10, 10, 40],
    )
    append_row(sheet, ["rubric", words["rubric"], rubric.ref])
    append_row(sheet, [])
    append_row(
        sheet,
        [
            words["id"],
            words["indicator"],
            words["points"],
            words["self"],
            words["review"],
            words["why"],
        ],
    )
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    depths = {node.id: depth for node, depth in _depths(rubric)}
    for row in result.walk():
        if "." in row.id:
            continue
        name = (row.name_en or row.name) if english else row.name
        shown = words["n/a"] if row.status == NOT_APPLICABLE else row.score
        append_row(
            sheet, [row.id, "　" * depths.get(row.id, 0) + name, row.effective_points, shown]
        )
        if not row.children and row.status != NOT_APPLICABLE:
            check = DataValidation(
                "decimal",
                operator="between",
                formula1="0",
                formula2=str(row.effective_points),
                allow_blank=True,
            )
            sheet.add_data_validation(check)
            check.add(f"E{sheet.max_row}")
    given = table_sheet(
        book,
        INPUTS_REVIEW_SHEETS[english],
        [words["id"], words["input"], words["self"], words["review"], words["why"]],
        [34, 44, 16, 16, 40],
    )
    labels = {
        field.path: (field.label_en or field.label) if english else field.label
        for field in fields(rubric)
    }
    for key, value in flatten(inputs).items():
        append_row(
            given,
            [
                key,
                labels.get(key, key),
                value if not isinstance(value, bool) else ("是" if value else "否"),
            ],
        )
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)


def _depths(rubric: Rubric) -> list[tuple[Any, int]]:
    found: list[tuple[Any, int]] = []

    def visit(node: Any, depth: int) -> None:
        found.append((node, depth))
        for child in node.children:
            visit(child, depth + 1)

    for top in rubric.indicators:
        visit(top, 0)
    return found


@isolated
def write_review(found: Review, path: str | os.PathLike[str], *, lang: str | None = None) -> None:
    """Write a review as a workbook (``.xlsx``): 复核概况 (both totals and grades) and
    复核结果, every indicator with 自评分, 复核分, 差异 and the reasons, A4."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from rubriceng.outputs.spreadsheet import FONT_NAME, append_row, table_sheet
    from rubriceng.sanitize import harden_workbook

    lang = language(lang)
    words = SUMMARY_WORDS[lang]
    english = lang == "en"
    before, after = found.self_assessed, found.reviewed
    book = Workbook()
    book.remove(book.worksheets[0])
    outline = table_sheet(book, words["overview"], [words["what"], words["value"]], [24, 50])
    for key, value in (
        ("unit", before.unit or ""),
        ("rubric", f"{after.rubric_id}@{after.rubric_version}"),
        ("self total", before.total),
        ("self grade", grade(before.grade, lang, before.grade_en)),
        ("review total", after.total),
        ("review grade", grade(after.grade, lang, after.grade_en)),
        ("difference", after.total - before.total),
    ):
        append_row(outline, [words[key], value])
    lines = table_sheet(
        book,
        words["reviewed"],
        [
            words["indicator"],
            words["points"],
            words["self"],
            words["review"],
            words["difference"],
            words["why"],
        ],
        [40, 8, 10, 10, 10, 50],
        landscape=True,
    )
    for line in found.differences:
        name = (line.name_en or line.name) if english else line.name
        if line.id == "total":
            name = words["total"]
        cells = append_row(
            lines,
            [
                "　" * line.depth + name,
                line.points or None,
                words["n/a"] if line.self_score is None else line.self_score,
                words["n/a"] if line.reviewed is None else line.reviewed,
                line.difference or None,
                TERMS[lang]["; "].join(line.reasons) or None,
            ],
        )
        if line.difference:
            for cell in cells:
                cell.font = Font(name=FONT_NAME, bold=True)
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)


def review_text(found: Review, lang: str | None = None, *, every: bool = False) -> str:
    """The review as a text table: the lines that changed (``every``: all), then the
    totals and grades."""
    from rubriceng.sanitize import display_width, printable

    lang = language(lang)
    words = SUMMARY_WORDS[lang]
    english = lang == "en"
    rows = [
        [
            words["indicator"],
            words["points"],
            words["self"],
            words["review"],
            words["difference"],
            words["why"],
        ]
    ]
    for line in found.differences if every else found.changed:
        name = (
            words["total"]
            if line.id == "total"
            else ((line.name_en or line.name) if english else line.name)
        )
        rows.append(
            [
                "  " * line.depth + printable(name),
                str(line.points),
                words["n/a"] if line.self_score is None else str(line.self_score),
                words["n/a"] if line.reviewed is None else str(line.reviewed),
                f"{line.difference:+}" if line.difference else "0",
                printable(TERMS[lang]["; "].join(line.reasons)),
            ]
        )
    widths = [max(display_width(row[index]) for row in rows) for index in range(5)]
    text = []
    for row in rows:
        cells = [
            cell + " " * (width - display_width(cell))
            if index == 0
            else " " * (width - display_width(cell)) + cell
            for index, (cell, width) in enumerate(zip(row, widths, strict=False))
        ]
        text.append("  ".join([*cells, row[5]]).rstrip())
    before, after = found.self_assessed, found.reviewed
    text.append(
        words["totals"].format(
            before=before.total,
            before_grade=grade(before.grade, lang, before.grade_en),
            after=after.total,
            after_grade=grade(after.grade, lang, after.grade_en),
        )
    )
    return "\n".join(text)


def apply_reviews(
    rubric: Rubric, units: Mapping[str, Mapping[str, Any]], reviews: Sequence[ReviewFile]
) -> tuple[dict[str, Mapping[str, Any]], dict[str, dict[str, Decimal]]]:
    """A batch's units as reviewed: each review file names its unit; its changes are laid
    over that unit's inputs. Returns the inputs by unit and the reviewed scores by unit,
    for :func:`rubriceng.evaluate_many` (``reviewed=``). Every problem at once: a review
    without a unit, of a unit not in the batch, two reviews of one unit, a bad change."""
    named = dict(units)
    scores: dict[str, dict[str, Decimal]] = {}
    problems: list[Problem] = []
    seen: dict[str, str | None] = {}
    spelled = {unit_key(name): name for name in units}  # as a person reads a name
    for found in reviews:
        if found.unit is not None and found.unit not in units:
            found = attrs.evolve(found, unit=spelled.get(unit_key(found.unit), found.unit))
        if found.unit is None or found.unit not in units:
            problems.append(
                Problem(
                    "review-unit",
                    f"the review names no unit of the batch: {found.unit or '-'}",
                    file=found.source,
                    params={"unit": found.unit or "-"},
                )
            )
            continue
        if found.unit in seen:
            problems.append(
                Problem(
                    "unit-duplicate",
                    f"also returned in {seen[found.unit]}",
                    file=found.source,
                    unit=found.unit,
                    params={"other": seen[found.unit]},
                )
            )
            continue
        seen[found.unit] = found.source
        try:
            named[found.unit], scores[found.unit] = apply_changes(
                rubric, units[found.unit], found.changes, found.source
            )
        except InputError as error:
            problems += error.problems
    if problems:
        raise ReviewError(f"cannot apply the reviews ({len(reviews)} files)", problems)
    return named, scores
