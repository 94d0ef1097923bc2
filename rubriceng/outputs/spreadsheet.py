"""Excel workbooks (openpyxl): scoring tables, batch tables, input forms; and unit files.

- :func:`write_scoresheet` — the 指标评分表 a finance officer knows (seed 002's layout):
  一级/二级/三级 indicators with 权重, 自评分数, 评分依据, 指标说明, 评分标准, 备注;
  merged cells for groups, effective points where 不适用 moved points, 加减分 rows, the
  total and grade; a second sheet with the unit's inputs. A4 landscape, Chinese fonts.
- :func:`write_template` — an input form: every value with its label, unit, type, range
  and indicators, with Excel data validation. :func:`read_inputs` reads it back filled
  in (as does ``rubriceng score RUBRIC form.xlsx``).
- :func:`write_batch` — one row per unit, a column per indicator, subtotal, adjustments,
  total and grade, with filters; failures on a second sheet.
- :func:`read_units` — many units from ``.xlsx``, ``.csv`` or ``.parquet``: one unit per
  row, columns named by input path (``revenue_final``, ``quarterly_spending_progress.1``)
  and ``unit`` for the unit's name.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from rubriceng.decimals import isolated
from rubriceng.errors import InputError, Problem
from rubriceng.inputs.files import (
    blank_cells,
    csv_rows,
    formula_problems,
    is_blank,
    open_workbook,
    parquet_rows,
    sheet_rows,
)
from rubriceng.language.documents import Document, UnitInputs
from rubriceng.language.model import Rubric
from rubriceng.language.paths import Field, fields, flatten, names, nest, number_key
from rubriceng.outputs.explanation import Explainer
from rubriceng.outputs.words import (
    BATCH_FORM_WORDS,
    FORM_HEADINGS,
    RESULT_HEADINGS,
    SUMMARY_WORDS,
    grade,
    kind_word,
    summary_words,
)
from rubriceng.sanitize import (
    display_width,
    harden_workbook,
    printable,
    printable_cells,
    replacing,
    sheet_title,
)
from rubriceng.scoring.result import NOT_APPLICABLE, Batch, IndicatorResult, Result

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "宋体"
"""The font of every cell: SimSun, which every Chinese office installation has."""

INPUTS_SHEET = "填报数据"
"""The name of the sheet that holds a unit's inputs (template, and the result's second)."""
INPUTS_SHEETS = (INPUTS_SHEET, "Inputs")
"""Its names, in Chinese and in English (``--lang en``): a form is read by either."""

_LEVELS = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标", "六级指标")
_LEVELS_EN = ("Level 1", "Level 2", "Level 3", "Level 4", "Level 5", "Level 6")
_TRUE_TEXT, _FALSE_TEXT = "是", "否"


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise RuntimeError("Excel files need openpyxl: pip install openpyxl") from None
    return openpyxl


_NAMED = {  # name: (bold, centred, tinted, top-aligned, boxed)
    "rubriceng 正文": (False, False, False, False, True),
    "rubriceng 加粗": (True, False, False, False, True),
    "rubriceng 居中": (False, True, False, False, True),
    "rubriceng 加粗居中": (True, True, False, False, True),
    "rubriceng 表头": (True, True, True, False, True),
    "rubriceng 表格行": (False, False, False, True, False),
}
"""The workbook's named cell styles. A cell takes one by name, a lookup; setting its
font, alignment and border one by one has openpyxl hash each against the workbook's
lists (three times slower over a summary's tens of thousands of cells)."""


_BOXED = frozenset(name for name, (*_, boxed) in _NAMED.items() if boxed)


def named_style(book: Any, name: str) -> str:
    """``name`` (one of :data:`_NAMED`), added to ``book``'s named styles if not there."""
    if name not in book.named_styles:
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

        bold, centred, tinted, top, boxed = _NAMED[name]
        style = NamedStyle(name=name, font=Font(name=FONT_NAME, size=10, bold=bold))
        if top:
            style.alignment = Alignment(vertical="top", wrap_text=True)
        else:
            horizontal = "center" if centred else None
            style.alignment = Alignment(wrap_text=True, vertical="center", horizontal=horizontal)
        if boxed:
            thin = Side(style="thin")
            style.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if tinted:
            style.fill = PatternFill("solid", fgColor="DDEBF7")
        book.add_named_style(style)
    return name


class _Style:
    """The cell styles of one workbook."""

    def __init__(self) -> None:
        from openpyxl.styles import Border, Font, Side

        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name=FONT_NAME, size=14, bold=True)
        self.book: Any = None
        self.known: set[str] = set()
        """The named styles :attr:`book` is known to have."""

    def cell(
        self,
        sheet: Worksheet,
        row: int,
        column: int,
        value: Any,
        *,
        bold: bool = False,
        centre: bool = False,
        number: str | None = None,
        heading: bool = False,
    ) -> Any:
        cell = sheet.cell(
            row=row, column=column, value=printable(value) if isinstance(value, str) else value
        )
        if heading:
            name = "rubriceng 表头"
        elif bold:
            name = "rubriceng 加粗居中" if centre else "rubriceng 加粗"
        else:
            name = "rubriceng 居中" if centre else "rubriceng 正文"
        cell.style = self._named(sheet, name)
        if number:
            cell.number_format = number
        return cell

    def box(self, sheet: Worksheet, top: int, left: int, bottom: int, right: int) -> None:
        """Borders on every cell of a range: a cell with a boxed named style has them; an
        empty one, or one inside a merged range, takes the plain boxed style (a lookup by
        name: a border set cell by cell is hashed against the workbook's list of them)."""
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                cell = sheet.cell(row=row, column=column)
                if cell.has_style and cell.style in _BOXED:
                    continue
                if cell.value is None:
                    cell.style = self._named(sheet, "rubriceng 正文")
                else:
                    cell.border = self.border

    def _named(self, sheet: Worksheet, name: str) -> str:
        """``name``, once it is among the named styles of ``sheet``'s workbook."""
        if sheet.parent is not self.book:
            self.book, self.known = sheet.parent, set()
        if name not in self.known:
            self.known.add(named_style(self.book, name))
        return name

    @staticmethod
    def merge(sheet: Worksheet, top: int, left: int, bottom: int, right: int) -> None:
        """Merge a range before its first cell is styled: openpyxl then has no borders
        to copy to the merged cells (:meth:`box` gives them theirs)."""
        if (top, left) != (bottom, right):
            sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)


def _print_setup(sheet: Worksheet, title_rows: str | None = None) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if title_rows:
        sheet.print_title_rows = title_rows


def table_sheet(
    book: Any,
    title: str,
    headings: Sequence[str],
    widths: Sequence[float],
    *,
    landscape: bool = False,
) -> Any:
    """A new sheet of ``book`` for a person to read and print: bold headings on a tint,
    frozen under them and repeated on every A4 page, the columns fitted to the width."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(sheet_title(title))
    append_row(sheet, headings)
    for cell in sheet[1]:
        cell.font = Font(name=FONT_NAME, size=10, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    _print_setup(sheet, "1:1")
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    return sheet


def append_row(sheet: Any, values: Sequence[Any]) -> Any:
    """Append ``values`` to ``sheet``: text made printable (no control character), points
    (Decimals) shown in cents (``0.00``). Returns the row's cells."""
    from openpyxl.cell.cell import Cell

    style = named_style(sheet.parent, "rubriceng 表格行")
    # ``append`` places them (row and column are optional to Cell; its stubs want them)
    cells = [Cell(sheet, value=value) for value in printable_cells(values)]  # type: ignore[call-arg]
    for cell, value in zip(cells, values, strict=True):
        cell.style = style
        if isinstance(value, Decimal):
            cell.number_format = "0.00"
    sheet.append(cells)  # (the cells made here: a row read back would scan the sheet)
    return tuple(cells)


def fit_rows(sheet: Worksheet, first: int, last: int, widths: Sequence[float]) -> None:
    """Row heights that show all wrapped text (Excel does not grow rows of written files).

    Cells merged over several rows are left out: their text has the rows' room.
    """

    tall = {
        (cell_range.min_row, cell_range.min_col)
        for cell_range in sheet.merged_cells.ranges
        if cell_range.max_row > cell_range.min_row
    }
    for row in range(first, last + 1):
        lines = 1
        for column, width in enumerate(widths, start=1):
            value = sheet.cell(row=row, column=column).value
            if value is None or (row, column) in tall:
                continue
            room = max(1.0, width * 1.05 - 1)
            needed = sum(
                max(1, math.ceil(display_width(part) / room)) for part in str(value).split("\n")
            )
            lines = max(lines, needed)
        sheet.row_dimensions[row].height = 13 * lines + 2


def _points_format(places: int) -> str:
    return "0" if places <= 0 else "0." + "0" * places


# -- the scoring table ---------------------------------------------------------------------


def _depth(rows: Iterable[IndicatorResult]) -> int:
    return max((1 + _depth(row.children) for row in rows), default=0)


def _leaves(
    row: IndicatorResult, path: tuple[IndicatorResult, ...] = ()
) -> Iterator[tuple[IndicatorResult, ...]]:
    path = (*path, row)
    if not row.children:
        yield path
    for child in row.children:
        yield from _leaves(child, path)


def _remark(row: IndicatorResult, explainer: Explainer) -> str:
    english = explainer.lang == "en"
    if row.status == NOT_APPLICABLE:
        return ("not applicable; points " if english else "不适用，原分值 ") + str(row.points)
    if row.effective_points != row.points:
        moved = row.effective_points - row.points
        return (
            f"points {row.points}, {moved:+} moved in from not-applicable indicators"
            if english
            else f"原分值 {row.points}，不适用指标调入 {moved}"
        )
    return ""


@isolated
def write_scoresheet(
    result: Result,
    path: str | os.PathLike[str],
    *,
    rubric: Rubric | None = None,
    inputs: Mapping[str, Any] | None = None,
    lang: str = "zh",
) -> None:
    """Write ``result`` as seed 002's 指标评分表 to ``path`` (``.xlsx``).

    ``rubric`` adds each indicator's 指标说明 and 评分标准 and the input labels;
    ``inputs`` adds the 填报数据 sheet (in the template's layout, so the file can be
    scored again).
    """
    openpyxl = _openpyxl()
    from openpyxl.utils import get_column_letter

    english = lang == "en"
    words = RESULT_HEADINGS["en" if english else "zh"]
    colon = ": " if english else "："
    explainer = Explainer(rubric, lang)
    nodes = {node.id: node for node in rubric.walk()} if rubric else {}
    adjustments = {item.id: item for item in rubric.adjustments} if rubric else {}
    style = _Style()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评分表" if not english else "Scores"
    depth = _depth(result.indicators)
    places = rubric.rounding.digits if rubric else 2
    score_format = _points_format(places)
    first_text = 2 * depth + 1  # the score column; basis, description, standard, notes follow
    last = first_text + 4

    def name(row: IndicatorResult) -> str:
        return (row.name_en or row.name) if english else row.name

    title = (rubric.title_en or rubric.title) if english and rubric else result.rubric_title
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    style.cell(sheet, 1, 1, title, centre=True).font = style.title
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    style.cell(
        sheet,
        2,
        1,
        f"{words[11]}{colon}{result.unit or ''}    {words[12]}{colon}"
        f"{result.rubric_id}@{result.rubric_version}",
    )
    # three heading rows: 评价指标 / 一级指标 … / 名称 权重
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2 * depth)
    style.cell(sheet, 3, 1, words[0], heading=True)
    levels = _LEVELS_EN if english else _LEVELS
    for level in range(depth):
        column = 2 * level + 1
        sheet.merge_cells(start_row=4, start_column=column, end_row=4, end_column=column + 1)
        style.cell(sheet, 4, column, levels[level], heading=True)
        style.cell(sheet, 5, column, words[1], heading=True)
        style.cell(sheet, 5, column + 1, words[2], heading=True)
    for offset, heading in enumerate(words[3:8]):
        column = first_text + offset
        sheet.merge_cells(start_row=3, start_column=column, end_row=5, end_column=column)
        style.cell(sheet, 3, column, heading, heading=True)
    style.box(sheet, 3, 1, 5, last)

    row_number = 6
    shared: set[str] = set()  # the indicators whose parts' rows share its texts
    started: dict[str, int] = {}
    for top in result.indicators:
        for chain in _leaves(top):
            leaf = chain[-1]
            for level, node in enumerate(chain):
                if node.id in started:
                    continue
                started[node.id] = row_number
                column = 2 * level + 1
                if node is not leaf:  # one cell over the group's rows
                    end = row_number + sum(1 for _ in _leaves(node)) - 1
                    style.merge(sheet, row_number, column, end, column)
                    style.merge(sheet, row_number, column + 1, end, column + 1)
                style.cell(sheet, row_number, column, name(node))
                points = Decimal(0) if node.status == NOT_APPLICABLE else node.effective_points
                style.cell(sheet, row_number, column + 1, points, centre=True, number=score_format)
            score = (
                ("n/a" if english else "不适用") if leaf.status == NOT_APPLICABLE else leaf.score
            )
            style.cell(sheet, row_number, first_text, score, centre=True, number=score_format)
            style.cell(sheet, row_number, first_text + 1, explainer.basis(leaf))
            declared = nodes.get(leaf.id)
            owner = chain[-2] if declared is None and len(chain) > 1 else None
            if owner is not None and owner.id in nodes:
                # the parts of one indicator (效果性's, a unit's own) share its texts: one
                # cell over all of them, as the published table prints it
                declared = nodes[owner.id]
                if owner.id in shared:
                    row_number += 1
                    continue
                shared.add(owner.id)
                end = row_number + sum(1 for _ in _leaves(owner)) - 1
                for column in range(first_text + 2, first_text + 5):
                    style.merge(sheet, row_number, column, end, column)
            style.cell(
                sheet, row_number, first_text + 2, declared.description if declared else None
            )
            style.cell(sheet, row_number, first_text + 3, declared.standard if declared else None)
            remarks = [declared.remarks if declared else None, _remark(leaf, explainer)]
            style.cell(
                sheet,
                row_number,
                first_text + 4,
                "\n".join(text for text in remarks if text) or None,
            )
            row_number += 1
    for adjustment in result.adjustments:
        sheet.merge_cells(
            start_row=row_number, start_column=1, end_row=row_number, end_column=2 * depth
        )
        label = adjustment.named(english)
        style.cell(sheet, row_number, 1, f"{words[8]}{colon}{label}", bold=True)
        style.cell(
            sheet,
            row_number,
            first_text,
            adjustment.points,
            centre=True,
            number="+" + score_format + ";-" + score_format + ";0",
        )
        events = f"{adjustment.events} 次" if not english else f"{adjustment.events} events"
        style.cell(sheet, row_number, first_text + 1, events)
        rule = adjustments.get(adjustment.id)
        style.cell(sheet, row_number, first_text + 2, rule.description if rule else None)
        style.cell(sheet, row_number, first_text + 3, rule.standard if rule else None)
        style.box(sheet, row_number, 1, row_number, last)
        row_number += 1
    sheet.merge_cells(
        start_row=row_number, start_column=1, end_row=row_number, end_column=2 * depth
    )
    style.cell(sheet, row_number, 1, words[9], bold=True, centre=True)
    style.cell(
        sheet, row_number, first_text, result.total, bold=True, centre=True, number=score_format
    )
    graded = grade(result.grade, lang, result.grade_en) or "—"
    style.cell(sheet, row_number, first_text + 1, f"{words[10]}{colon}{graded}", bold=True)
    style.box(sheet, 6, 1, row_number, last)

    widths = [14, 7] * depth + [9, 46, 30, 40, 16]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    fit_rows(sheet, 6, row_number, widths)
    sheet.freeze_panes = "A6"
    _print_setup(sheet, "3:5")
    if inputs is not None and rubric is not None:
        _form_sheet(
            book.create_sheet(INPUTS_SHEETS[english]),
            rubric,
            style,
            lang,
            unit=result.unit,
            values=inputs,
        )
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)


# -- input forms ---------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):
        return _TRUE_TEXT if value else _FALSE_TEXT
    return value


def _validation(field: Field) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    def number(kind: Literal["whole", "decimal"]) -> Any:
        low = field.minimum if field.minimum is not None else (0 if kind == "whole" else None)
        high = field.maximum
        if low is not None and high is not None:
            return DataValidation(kind, formula1=str(low), formula2=str(high), operator="between")
        if low is not None:
            return DataValidation(kind, formula1=str(low), operator="greaterThanOrEqual")
        if high is not None:
            return DataValidation(kind, formula1=str(high), operator="lessThanOrEqual")
        return None

    if field.kind == "boolean":
        found = DataValidation("list", formula1=f'"{_TRUE_TEXT},{_FALSE_TEXT}"')
    elif field.kind == "count":
        found = number("whole")
    elif field.kind in ("money", "rate", "number"):
        found = number("decimal")
    elif field.kind == "credit":  # 是/否 or partial points: a hint, not a block
        found = DataValidation("list", formula1=f'"{_TRUE_TEXT},{_FALSE_TEXT}"')
        found.errorStyle = "information"
    else:
        return None
    if found is not None:
        found.error = f"{field.label}: {field.allowed()}"
        found.allow_blank = True
        found.showErrorMessage = True
    return found


def _form_sheet(
    sheet: Worksheet,
    rubric: Rubric,
    style: _Style,
    lang: str,
    *,
    unit: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> None:
    from openpyxl.utils import get_column_letter

    english = lang == "en"
    words = FORM_HEADINGS["en" if english else "zh"]
    called = names(rubric, lang)
    title = (rubric.title_en or rubric.title) if english else rubric.title
    sheet.merge_cells("A1:H1")
    named = f"{title} ({rubric.ref})" if english else f"{title}（{rubric.ref}）"
    style.cell(sheet, 1, 1, named, centre=True).font = style.title
    style.cell(sheet, 2, 1, "unit", heading=True)
    style.cell(sheet, 2, 2, "单位名称" if not english else "unit name", heading=True)
    style.cell(sheet, 2, 3, unit)
    style.cell(sheet, 3, 1, "rubric")
    style.cell(sheet, 3, 2, "评分表" if not english else "rubric")
    style.cell(sheet, 3, 3, rubric.ref)
    for column, heading in enumerate(words, start=1):
        style.cell(sheet, 4, column, heading, heading=True)
    flat = flatten(values) if values is not None else {}
    row = 5
    for field in _with_extra_items(fields(rubric), flat):
        if values is not None and field.path not in flat and not field.required:
            continue
        label = (field.label_en or field.label) if english else field.label
        style.cell(sheet, row, 1, field.path)
        style.cell(sheet, row, 2, label)
        value = _cell_value(flat.get(field.path))
        style.cell(sheet, row, 3, value, number="0.00##" if field.kind == "rate" else None)
        style.cell(sheet, row, 4, field.unit)
        style.cell(
            sheet,
            row,
            5,
            kind_word(field.kind, lang) + ("" if field.required else kind_word("optional", lang)),
        )
        style.cell(sheet, row, 6, field.allowed(lang))
        style.cell(sheet, row, 7, "、".join(called.get(user, user) for user in field.used_by))
        style.cell(sheet, row, 8, field.description)
        validation = _validation(field)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"C{row}")
        row += 1
    widths = (34, 44, 16, 8, 12, 16, 30, 24)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    fit_rows(sheet, 5, row - 1, widths)
    sheet.freeze_panes = "C5"
    _print_setup(sheet, "4:4")


_ITEM = re.compile(r"\.(\d+)(?=\.|$)")


def _with_extra_items(found: list[Field], flat: Mapping[str, Any]) -> list[Field]:
    """``found`` and, after the last field of their input, a field for every value of an
    open list beyond the form's rows (a unit's seventh target, say)."""
    known = {field.path for field in found}
    extra: dict[str, list[Field]] = {}
    for path in flat:
        if path in known:
            continue
        template = next((field for field in found if field.path == _ITEM.sub(".1", path)), None)
        if template is not None:
            number = _ITEM.search(path)
            label = template.label.replace(" 1", f" {number.group(1)}", 1) if number else path
            extra.setdefault(template.input, []).append(
                attrs.evolve(template, path=path, label=label, required=False)
            )
    combined: list[Field] = []
    for index, field in enumerate(found):
        combined.append(field)
        last = index + 1 == len(found) or found[index + 1].input != field.input
        if last:
            combined.extend(extra.pop(field.input, []))
    return combined


@isolated
def write_template(
    rubric: Rubric, path: str | os.PathLike[str], *, lang: str = "zh", unit: str | None = None
) -> None:
    """Write an input form for ``rubric`` to ``path`` (``.xlsx``): fill in column C; the
    unit's name filled in, where given."""
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    _form_sheet(book.active, rubric, _Style(), lang, unit=unit)
    book.active.title = INPUTS_SHEETS[lang == "en"]
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)


@isolated
def write_batch_form(
    rubric: Rubric,
    path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    rows: int = 200,
    units: Sequence[str] = (),
) -> None:
    """Write a batch input form for ``rubric`` to ``path`` (``.xlsx``): one unit per row.

    Row 1 heads each column with the input's label and unit (``财政拨款收入决算数（万元）``,
    ``%`` for rates); row 2, hidden, holds the input ids (``rubriceng batch`` reads by
    them). ``rows`` rows (at least one for each of ``units``, whose names fill the first
    column) carry the single-unit form's data validation, rates are formatted as
    percentages (typing 95 gives 0.95), and a second sheet says how to fill it in and
    which rubric version it is for.
    """
    rows = max(rows, len(units))
    openpyxl = _openpyxl()
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    words = BATCH_FORM_WORDS["en" if lang == "en" else "zh"]
    style = _Style()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = words["sheet"]
    chosen = fields(rubric)
    style.cell(sheet, 1, 1, words["unit"], heading=True)
    style.cell(sheet, 2, 1, "unit")
    for row, unit in enumerate(units, start=3):
        style.cell(sheet, row, 1, unit)
    last = rows + 2
    for column, field in enumerate(chosen, start=2):
        head = style.cell(sheet, 1, column, field.heading(lang), heading=True)
        allowed = field.allowed(lang)
        if allowed or field.description:
            note = "\n".join(part for part in (allowed, field.description) if part)
            head.comment = Comment(printable(note), "rubriceng")
        style.cell(sheet, 2, column, field.path)
        letter = get_column_letter(column)
        validation = _validation(field)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}3:{letter}{last}")
        if field.kind == "rate":
            for row in range(3, last + 1):
                sheet.cell(row=row, column=column).number_format = "0.00%"
        sheet.column_dimensions[letter].width = 14
    sheet.column_dimensions["A"].width = 28
    sheet.row_dimensions[2].hidden = True
    sheet.freeze_panes = "B3"
    fit_rows(sheet, 1, 1, [28, *([14] * len(chosen))])
    _print_setup(sheet, "1:1")
    sheet.page_setup.fitToWidth = 0
    sheet.print_title_cols = "A:A"
    help_sheet = book.create_sheet(words["help"])
    for number, line in enumerate(words["lines"].format(rubric=rubric.ref).split("\n"), 1):
        style.cell(help_sheet, number, 1, line)
    help_sheet.column_dimensions["A"].width = 100
    style.cell(help_sheet, 6, 1, "rubric", bold=True)
    style.cell(help_sheet, 6, 2, rubric.ref)
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)


@isolated
def read_inputs(path: str | os.PathLike[str]) -> UnitInputs:
    """A unit's inputs from a filled-in form (:func:`write_template`, or the inputs sheet
    of :func:`write_scoresheet`). Empty values are left out. Problems name the cell."""
    book = open_workbook(path, "inputs")
    try:
        return inputs_of_book(book, str(path), path)
    finally:
        book.close()


def inputs_of_book(
    book: Any, source: str, path: str | os.PathLike[str] | None = None
) -> UnitInputs:
    """:func:`read_inputs` of a workbook already open (``source`` names it in problems).
    Given its ``path``, a value cell left blank that holds a formula no program computed
    (a workbook written by a script) is refused, never read as not filled in."""
    title = next((name for name in INPUTS_SHEETS if name in book.sheetnames), None)
    sheet = book[title] if title is not None else book.worksheets[0]
    unit: str | None = None
    recorded: str | None = None
    pairs: list[tuple[str, Any]] = []
    lines: dict[tuple[Any, ...], int] = {}
    blank: dict[int, str] = {}  # the value cells left blank, by row: their input
    header = False
    for number, row in sheet_rows(sheet, source, "inputs"):
        cells = row + [None] * 3
        first = cells[0]
        if first == "unit":
            unit = None if cells[2] is None else str(cells[2])
        elif first == "rubric" and not header:
            recorded = None if is_blank(cells[2]) else str(cells[2]).strip()
        elif first in (FORM_HEADINGS["zh"][0], FORM_HEADINGS["en"][0]):
            header = True
        elif header and isinstance(first, str) and first.strip():
            # every row's place is kept, filled or not: a missing value is named by its row
            lines[("inputs", *first.strip().split("."))] = number
            if cells[2] is None or (isinstance(cells[2], str) and not cells[2].strip()):
                blank[number] = first.strip()
                continue
            pairs.append((first.strip(), cells[2]))
    if not header:
        raise InputError(
            f"cannot read inputs {source}",
            [
                Problem(
                    "input-form",
                    f"no row headed {FORM_HEADINGS['zh'][0]!r}: is this an input form "
                    "written by 'rubriceng template'?",
                    file=source,
                )
            ],
        )
    if path is not None and blank:
        formulas = formula_problems(path, "inputs", {(sheet.title, 3): blank}, source)
        if formulas:
            raise InputError(f"cannot read inputs {source}", formulas)
    try:
        inputs = nest(pairs)
    except ValueError as error:
        raise InputError(
            f"cannot read inputs {source}", [Problem("input-form", str(error), file=source)]
        ) from None
    document = Document({"unit": unit, "inputs": inputs}, source, _list_lines(lines))
    return UnitInputs(unit, inputs, document, recorded)


def _list_lines(lines: Mapping[tuple[Any, ...], int]) -> dict[tuple[Any, ...], int]:
    """Paths with list positions as the document has them (``a.2`` is ``a[1]``)."""
    found: dict[tuple[Any, ...], int] = {}
    for path, line in lines.items():
        keys = tuple(number_key(key) - 1 if key.isdecimal() else key for key in path[1:])
        for end in range(1, len(keys) + 1):
            found.setdefault(("inputs", *keys[:end]), line)
    return found


# -- batches -------------------------------------------------------------------------------


@attrs.frozen
class UnitRow:
    """One unit read from a table file: its name, its nested inputs, its row, and the
    columns of the table."""

    unit: str
    inputs: dict[str, Any]
    row: int
    columns: tuple[str, ...] = ()


@isolated
def read_units(path: str | os.PathLike[str]) -> list[UnitRow]:
    """Units from a table file, one per row.

    ``.xlsx`` (the first sheet), ``.csv`` (UTF-8, with or without BOM) or ``.parquet``
    (needs pyarrow). The first row names the columns: ``unit`` (or 单位名称) for the unit's
    name, input paths for the rest. Empty cells are left out. Units without a name are
    named by their row (``row 7``); two units of the same name are an error.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        rows = csv_rows(path, "units")
    elif suffix in (".xlsx", ".xlsm"):
        book = open_workbook(path, "units")
        title = book.worksheets[0].title
        rows = [row for _, row in sheet_rows(book.worksheets[0], str(path), "units")]
        book.close()
        header = rows[0] if rows else []
        names = [None if is_blank(cell) else str(cell).strip() for cell in header]
        cells = blank_cells(title, enumerate(rows[1:], start=2), names)
        formulas = formula_problems(path, "units", cells)
        if formulas:  # a table written by a script: its formulas read as blank cells
            raise InputError(f"cannot read units {path}", formulas)
    elif suffix == ".parquet":
        rows = parquet_rows(path, "units")
    else:
        problem = Problem(
            "input-form", "units are read from .xlsx, .csv or .parquet", file=str(path)
        )
        raise InputError(f"cannot read units {path}", [problem])
    return _units_of(rows, str(path))


def _units_of(rows: Sequence[Sequence[Any]], source: str) -> list[UnitRow]:
    if not rows:
        return []
    header = [None if cell is None else str(cell).strip() for cell in rows[0]]
    columns = tuple(name for name in header if name)
    unit_column = next(
        (index for index, name in enumerate(header) if name in ("unit", "单位名称")), None
    )
    units: list[UnitRow] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    try:
        nest((name, None) for index, name in enumerate(header) if name and index != unit_column)
    except ValueError as error:
        raise InputError(
            f"cannot read units {source}", [Problem("input-form", str(error), file=source, line=1)]
        ) from None
    for number, row in enumerate(rows[1:], start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        name = row[unit_column] if unit_column is not None and unit_column < len(row) else None
        pairs = [
            (column, cell)
            for index, (column, cell) in enumerate(zip(header, row, strict=False))
            if column and index != unit_column and not is_blank(cell)
        ]
        unit = str(name).strip() if not is_blank(name) else f"row {number}"
        if unit in seen:
            problems.append(
                Problem(
                    "input-form",
                    f"unit {unit!r} is also in row {seen[unit]}",
                    file=source,
                    line=number,
                )
            )
        seen.setdefault(unit, number)
        units.append(UnitRow(unit, nest(pairs), number, columns))
    if problems:
        raise InputError(f"cannot read units {source}", problems)
    return units


@isolated
def write_batch(
    rubric: Rubric, batch: Batch, path: str | os.PathLike[str], *, lang: str = "zh"
) -> None:
    """The scores of a batch as a workbook: :func:`scores_sheet` (one row per unit,
    total and grade first) and the units that could not be scored on a second sheet."""
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    book.remove(book.active)
    scores_sheet(book, rubric, batch, lang)
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)


def scores_sheet(book: Any, rubric: Rubric, batch: Batch, lang: str = "zh") -> None:
    """Add to ``book`` a sheet of every unit's scores — 单位, 总分, 等级, then each
    indicator (groups too), 小计 and each 加减分 item — and, if some units could not be
    scored, a sheet listing every problem of each (:func:`failures_sheet`).

    Row 1 names the columns for a person, row 2 (hidden) by id, for programs; ``rubriceng
    batch`` reads either. An indicator that does not apply to a unit reads 不适用, never 0.
    A4 landscape, with the unit, total and grade repeated on every printed page.
    """
    from openpyxl.utils import get_column_letter

    words = summary_words(lang, rubric.subject)
    style = _Style()
    sheet = book.create_sheet(words["scores"])
    columns = [
        ("unit", words["unit"]),
        ("total", words["total"]),
        ("grade", words["grade"]),
        *_batch_columns(rubric, lang == "en"),
    ]
    for index, (key, label) in enumerate(columns, start=1):
        style.cell(sheet, 1, index, label, heading=True)
        style.cell(sheet, 2, index, key)
    score_format = _points_format(rubric.rounding.digits)
    for number, result in enumerate(batch.results, start=3):
        values = result.row()
        values["unit"] = result.unit
        values["grade"] = grade(result.grade, lang, result.grade_en)
        skipped = {row.id for row in result.walk() if row.status == NOT_APPLICABLE}
        for index, (key, _) in enumerate(columns, start=1):
            value = words["n/a"] if key in skipped else values.get(key)
            style.cell(
                sheet,
                number,
                index,
                value,
                number=score_format if isinstance(value, Decimal) else None,
            )
    widths = [28, *([10] * (len(columns) - 1))]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{len(batch.results) + 2}"
    sheet.freeze_panes = "D3"
    sheet.row_dimensions[2].hidden = True
    fit_rows(sheet, 1, 1, widths)
    _print_setup(sheet, "1:1")
    sheet.page_setup.fitToWidth = 0  # many columns: pages across, unit and total on each
    sheet.print_title_cols = "A:C"
    if batch.failures:
        failures_sheet(book, batch, lang, rubric.subject)


def failures_sheet(book: Any, batch: Batch, lang: str = "zh", subject: str = "unit") -> None:
    """Add to ``book`` a sheet of the units (or, by the rubric's ``subject``, projects)
    that could not be scored: every problem, in ``lang``, with where it is."""
    words = summary_words(lang, subject)
    style = _Style()
    failed = book.create_sheet(words["failures"])
    headings = (words["unit"], words["code"], words["problem"], words["where"])
    for column, heading in enumerate(headings, start=1):
        style.cell(failed, 1, column, heading, heading=True)
    line = 2
    for failure in batch.failures:
        for problem in failure.problems:
            label = (problem.params or {}).get("label")
            field = problem.field
            if label and problem.field:
                field = f"{label} ({field})" if lang == "en" else f"{label}（{field}）"
            where = ", ".join(
                str(part)
                for part in (problem.file, problem.line, field, problem.path, problem.indicator)
                if part is not None
            )
            cells = (failure.unit, problem.code, problem.said(lang), where)
            for column, value in enumerate(cells, start=1):
                style.cell(failed, line, column, value)
            line += 1
    for letter, width in zip("ABCD", (30, 18, 60, 40), strict=True):
        failed.column_dimensions[letter].width = width
    _print_setup(failed, "1:1")


def _batch_columns(rubric: Rubric, english: bool) -> list[tuple[str, str]]:
    """(id, heading) of each indicator (groups too), 小计 and each 加减分 item."""
    words = SUMMARY_WORDS["en" if english else "zh"]
    columns = [
        (node.id, (node.name_en or node.name) if english else node.name) for node in rubric.walk()
    ]
    columns.append(("subtotal", words["subtotal"]))
    columns += [(a.id, (a.name_en or a.name) if english else a.name) for a in rubric.adjustments]
    return columns
