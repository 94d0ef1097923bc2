"""A 申报表 as files: read from YAML or JSON (:func:`load_sheets`), or from an Excel
workbook laid out like the published form (:func:`read_xlsx`), which
:func:`write_xlsx` writes."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rubriceng.decimals import isolated
from rubriceng.errors import Problem, TargetsError, raised_as
from rubriceng.inputs.files import formula_problems, open_workbook, sheet_rows
from rubriceng.language.model import MAX_POINTS
from rubriceng.sanitize import brief, harden_workbook, printable_cells, replacing, sheet_title
from rubriceng.targets.sheets import KeyTask, TargetRow, TargetSheet, money, row_of
from rubriceng.targets.terms import COMPARATORS, TIERS

_HEADINGS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "实施周期指标值",
    "年度指标值",
    "实际完成值",
    "分值",
)
_EXTRA = (("上年实际值", "baseline"), ("达成情况", "tier"), ("偏差原因", "reason"))
"""Columns a sheet has when any of its rows uses them: heading, row attribute."""


def write_xlsx(sheets: Sequence[TargetSheet], path: str | os.PathLike[str]) -> None:
    """Write ``sheets`` as a workbook like the published 申报表: one worksheet each, the
    project's details, then the indicator table with a column for the actual values."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    for empty in list(book.worksheets):
        book.remove(empty)
    bold = Font(name="宋体", bold=True)
    for index, sheet in enumerate(sheets, start=1):
        page = book.create_sheet(sheet_title(f"{index:02d} {sheet.name}"))
        title = "部门整体预算绩效目标申报表" if sheet.kind == "department" else "项目绩效目标表"
        weighed = any(row.points is not None for row in sheet.rows)
        extra = [
            (heading, key)
            for heading, key in _EXTRA
            if any(getattr(row, key) is not None for row in sheet.rows)
        ]
        lines: list[list[Any]] = [
            [title],
            ["部门名称" if sheet.kind == "department" else "项目名称", sheet.name],
            ["用款单位", sheet.unit],
            ["实施周期", "起始年度", sheet.period[0], "到期年度", sheet.period[1]],
            [f"{sheet.year or ''}年预算金额", sheet.budget],
            ["实际支出金额", sheet.spent],
            ["年度绩效目标", sheet.goal],
            [],
            [*(_HEADINGS if weighed else _HEADINGS[:-1]), *(heading for heading, _ in extra)],
        ]
        lines += [
            [
                row.level1,
                row.level2,
                row.name,
                row.period_value,
                row.annual_value,
                row.actual if not isinstance(row.actual, Mapping) else None,
                *([row.points] if weighed else []),
                *(_cell(getattr(row, key)) for _, key in extra),
            ]
            for row in sheet.rows
        ]
        for line in lines:
            page.append(printable_cells(line))
        page["A1"].font = Font(name="宋体", bold=True, size=14)
        for cell in page[9]:
            cell.font = bold
        widths = (12, 16, 40, 18, 18, 18, 8, 18, 12, 30)
        for letter, width in zip("ABCDEFGHIJ", widths, strict=True):
            page.column_dimensions[letter].width = width
        for cells in page.iter_rows(min_row=10):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)


def _cell(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | Decimal) else str(value)


@raised_as(TargetsError)
def read_xlsx(path: str | os.PathLike[str]) -> list[TargetSheet]:
    """Sheets from a workbook laid out like the published form: a worksheet per sheet
    with 部门名称 or 项目名称, 用款单位, 实施周期, 预算金额 and the indicator table under a
    heading row 一级指标 | 二级指标 | 三级指标 | 实施周期指标值 | 年度指标值 [| 实际完成值]
    [| 分值]. Blank 一级/二级 cells (merged in the form) repeat the cell above."""
    book = open_workbook(path, "targets")
    sheets = []
    problems: list[Problem] = []
    blank: dict[tuple[str, int], dict[int, str]] = {}
    for page in book.worksheets:
        found = _read_page(page, str(path), problems, blank)
        if found is not None:
            sheets.append(found)
    book.close()
    problems += formula_problems(path, "targets", blank)  # a script's formulas read as blank
    if problems or not sheets:
        heading = "no worksheet has a heading row 一级指标 | 二级指标 | 三级指标"
        problems = problems or [Problem("targets-form", heading, file=str(path))]
        raise TargetsError(f"cannot read targets {path}", problems)
    return sheets


_FILLED_IN = ("实际完成值", "上年实际值", "分值", "达成情况")
"""The columns a unit fills in: a blank one may hold a formula no program computed."""


def _read_page(
    page: Any, source: str, problems: list[Problem], blank: dict[tuple[str, int], dict[int, str]]
) -> TargetSheet | None:
    details: dict[str, Any] = {}
    rows: list[TargetRow] = []
    heading: list[str] | None = None
    level1 = level2 = ""
    for number, cells in sheet_rows(page, source, "targets"):
        values = [None if cell is None else str(cell).strip() for cell in cells]
        values = [value or None for value in values]
        if heading is None:
            if values and "三级指标" in values:
                heading = [value or "" for value in values]
                continue
            if values and values[0]:
                details[values[0]] = list(values[1:])
            continue
        if not any(values):
            continue
        cell = dict(zip(heading, values, strict=False))
        raw = dict(zip(heading, cells, strict=False)).get("实际完成值")
        actual = raw.strip() or None if isinstance(raw, str) else raw
        level1 = cell.get("一级指标") or level1
        level2 = cell.get("二级指标") or level2
        name = cell.get("三级指标")
        if not name:
            continue  # a category without indicators
        for column, title in enumerate(heading, start=1):
            if title in _FILLED_IN and not cell.get(title):
                blank.setdefault((page.title, column), {})[number] = name
        try:
            points = money(cell.get("分值"))
        except ValueError:
            problems.append(
                Problem(
                    "targets-form",
                    f"分值 {cell.get('分值')!r} is not a number",
                    file=source,
                    line=number,
                    path=page.title,
                )
            )
            continue
        raws = dict(zip(heading, cells, strict=False))
        baseline = raws.get("上年实际值")
        rows.append(
            TargetRow(
                level1,
                level2,
                name,
                cell.get("实施周期指标值"),
                cell.get("年度指标值"),
                actual,
                line=number,
                points=points,
                baseline=baseline.strip() or None if isinstance(baseline, str) else baseline,
                tier=cell.get("达成情况"),
                reason=cell.get("偏差原因"),
            )
        )
    if heading is None:
        return None
    name_cell = details.get("项目名称") or details.get("部门名称") or [page.title]
    period = details.get("实施周期") or []
    budget_key = next((key for key in details if key.endswith("预算金额")), None)
    year_text = budget_key[:4] if budget_key and budget_key[:4].isdecimal() else None
    amounts: list[Decimal | None] = []
    for key in (budget_key, "实际支出金额"):
        value = (details.get(key) or [None])[0] if key else None
        try:
            amounts.append(money(value))
        except ValueError:
            message = f"{key}: expected an amount such as 1,234.50, not {_shown(value)}"
            problems.append(Problem("targets-form", message, file=source, path=page.title))
    if len(amounts) < 2:
        return None
    budget, spent = amounts
    return TargetSheet(
        str(name_cell[0]),
        "department" if "部门名称" in details else "project",
        (details.get("用款单位") or [None])[0],
        int(year_text) if year_text else None,
        (_year(period, 1), _year(period, 3)),
        budget,
        spent,
        tuple(rows),
        source,
        goal=(details.get("年度绩效目标") or details.get("总体绩效目标") or [None])[0],
    )


def _year(cells: Sequence[Any], index: int) -> int | None:
    if len(cells) > index and cells[index] is not None:
        digits = re.sub(r"\D", "", str(cells[index]))
        return int(digits[:4]) if digits else None
    return None


_ROW_KEYS = ("level1", "level2", "name", "period", "annual", "actual")


def _row_problems(document: Any) -> list[Problem]:
    """Rows written as lists become mappings (in place); a list of the wrong length is a
    problem. Target values written as numbers become text."""
    found: list[Problem] = []
    sheets = document.data.get("sheets") if isinstance(document.data, dict) else None
    for index, sheet in enumerate(sheets if isinstance(sheets, list) else ()):
        rows = sheet.get("rows") if isinstance(sheet, dict) else None
        if not isinstance(rows, list):
            continue
        for number, row in enumerate(rows):
            if isinstance(row, list):
                if not 5 <= len(row) <= 6:
                    found.append(
                        document.problem(
                            "targets-form",
                            "a row is [一级指标, 二级指标, 三级指标, 实施周期指标值, "
                            "年度指标值] and optionally the actual value",
                            ("sheets", index, "rows", number),
                        )
                    )
                    continue
                row = dict(zip(_ROW_KEYS, row, strict=False))
                rows[number] = row
            if isinstance(row, dict):
                for key in ("period", "annual"):
                    if isinstance(row.get(key), int | Decimal) and not isinstance(
                        row.get(key), bool
                    ):
                        row[key] = str(row[key])
    return found


def _amount_problems(document: Any) -> list[Problem]:
    """Every amount of a checked targets file that is no amount (``budget: 否``, ``NaN``,
    a negative one), each where it is."""
    found = []
    for index, sheet in enumerate(document.data["sheets"]):
        scale = _UNIT_SCALES[sheet.get("money_unit", "元")]
        places: list[tuple[Any, tuple[Any, ...], Decimal]] = [
            (sheet.get(key), ("sheets", index, key), scale) for key in ("budget", "spent")
        ]
        places += [
            (value, ("sheets", index, "amounts", name), scale)
            for name, value in (sheet.get("amounts") or {}).items()
        ]
        places += [  # in 元, as the form prints them
            (task.get("funds"), ("sheets", index, "tasks", number, "funds"), Decimal(1))
            for number, task in enumerate(sheet.get("tasks") or ())
        ]
        for value, path, scaled in places:
            try:
                money(value, scaled)
            except ValueError:
                message = f"expected an amount such as 1,234.50, not {_shown(value)}"
                found.append(document.problem("targets-form", message, path))
    return found


def _shown(value: Any) -> str:
    """A value as a problem quotes it: text in quotes, a number as it is."""
    return brief(value) if isinstance(value, str) else str(value)


_UNIT_SCALES = {"元": Decimal(1), "万元": Decimal(10_000)}

_SHEET_SCHEMA: dict[str, Any] = {
    "name": {"type": "string", "required": True, "empty": False},
    "kind": {"type": "string", "allowed": ["department", "project"]},
    "period": {
        "type": "list",
        "minlength": 2,
        "maxlength": 2,
        "schema": {"type": "integer", "nullable": True},
    },
    "budget": {"type": ["decimal", "integer", "string"]},
    "spent": {"type": ["decimal", "integer", "string"]},
    "money_unit": {"type": "string", "allowed": list(_UNIT_SCALES)},
    "notes": {"type": ["string", "list"]},
    "goal": {"type": "string"},
    "amounts": {
        "type": "dict",
        "keysrules": {"type": "string"},
        "valuesrules": {"type": ["decimal", "integer", "string"]},
    },
    "tasks": {
        "type": "list",
        "schema": {
            "type": "dict",
            "schema": {
                "name": {"type": "string", "required": True, "empty": False},
                "content": {"type": "string"},
                "funds": {"type": ["decimal", "integer", "string"]},
                "goal": {"type": "string"},
            },
        },
    },
    "rows": {
        "type": "list",
        "required": True,
        "schema": {
            "type": "dict",
            "schema": {
                "level1": {"type": "string", "required": True},
                "level2": {"type": "string", "required": True},
                "name": {"type": "string", "required": True, "empty": False},
                "period": {"type": "string", "nullable": True},
                "annual": {"type": "string", "nullable": True},
                "actual": {"nullable": True},
                "comparator": {"type": "string", "allowed": list(COMPARATORS)},
                "met": {"type": "boolean"},
                "points": {"type": ["decimal", "integer"], "min": 0, "max": MAX_POINTS},
                "baseline": {"nullable": True},
                "tier": {"type": "string", "allowed": list(TIERS)},
                "reason": {"type": "string", "nullable": True},
            },
        },
    },
}
_BOOK_SCHEMA: dict[str, Any] = {
    "unit": {"type": "string"},
    "year": {"type": "integer"},
    "notes": {"type": ["string", "list"]},
    "sheets": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "schema": {"type": "dict", "schema": _SHEET_SCHEMA},
    },
}


@isolated
@raised_as(TargetsError)
def load_sheets(source: str | os.PathLike[str] | Mapping[str, Any]) -> list[TargetSheet]:
    """The sheets of a 申报表: a YAML/JSON file or mapping ``{unit, year, sheets: [...]}``,
    or an ``.xlsx`` workbook laid out like the published form (one sheet per worksheet).

    A YAML sheet is ``{name, kind, period: [start, end], budget, money_unit, rows}``;
    each row ``[一级, 二级, 三级, 实施周期指标值, 年度指标值]`` (optionally a sixth item,
    the actual value) or a mapping with ``level1, level2, name, period, annual, actual,
    comparator, met, points`` (``points``: the row's 分值 in a self-evaluation form).
    Problems are reported all at once with their lines.

    >>> sheets = load_sheets("examples/huizhou-2026-targets.yaml")
    >>> [(sheet.name, len(sheet.rows)) for sheet in sheets[:2]]
    [('市府办 部门整体', 33), ('援派干部经费', 5)]
    >>> sheets[1].rows[0].target().describe()
    '不低于 3 人'
    """
    from rubriceng.language.documents import is_workbook, name_of, read_input
    from rubriceng.language.schema import make_validator, problems

    if is_workbook(source):
        return read_xlsx(source)
    document = read_input(source, "targets")
    validator = make_validator(_BOOK_SCHEMA)
    found_rows = _row_problems(document)
    if found_rows:
        raise TargetsError(f"cannot read targets {name_of(source)}", found_rows)
    if not isinstance(document.data, dict) or not validator.validate(document.data):
        found = (
            problems(validator, document, code="targets-form")
            if isinstance(document.data, dict)
            else [document.problem("targets-form", "a targets file is a mapping with 'sheets'", ())]
        )
        raise TargetsError(f"cannot read targets {name_of(source)}", found)
    data = document.data
    found_amounts = _amount_problems(document)
    if found_amounts:
        raise TargetsError(f"cannot read targets {name_of(source)}", found_amounts)
    sheets = []
    for index, raw in enumerate(data["sheets"]):
        scale = _UNIT_SCALES[raw.get("money_unit", "元")]
        period = tuple(raw.get("period") or (None, None))
        rows = tuple(
            row_of(row, document.line_of(("sheets", index, "rows", number)))
            for number, row in enumerate(raw["rows"])
        )
        amounts = {  # each checked by _amount_problems
            name: money(value, scale) or Decimal(0)
            for name, value in (raw.get("amounts") or {}).items()
        }
        tasks = tuple(
            KeyTask(task["name"], task.get("content"), money(task.get("funds")), task.get("goal"))
            for task in raw.get("tasks") or ()
        )
        sheets.append(
            TargetSheet(
                raw["name"],
                raw.get("kind", "project"),
                data.get("unit"),
                data.get("year"),
                (period[0], period[1]),
                money(raw.get("budget"), scale),
                money(raw.get("spent"), scale),
                rows,
                document.source,
                amounts,
                tasks,
                raw.get("goal"),
            )
        )
    return sheets
