"""A unit's scores over the years, indicator by indicator, across rubric versions.

:func:`load_history` reads results (``rubriceng.result/1`` JSON, as ``rubriceng score
--format json`` or ``-o result.json`` writes them) of one unit, oldest first, and lines
their indicators up by id. Between one year and the next it says what the rubric added,
removed or re-weighted, so a score that moved because the table changed is told apart
from one that moved because the unit did. A year is taken from the file's name
(``2023.json``, ``市府办-2024.json``), else the name itself labels the column.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from rubriceng.cycle.intake import unit_key
from rubriceng.errors import HistoryError, Problem, raised_as
from rubriceng.language.documents import read_input
from rubriceng.outputs.words import SUMMARY_WORDS, TERMS, Phrase, grade, language
from rubriceng.sanitize import display_width, printable, replacing

__all__ = ["History", "Line", "history_text", "load_history", "write_history"]

_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


@attrs.frozen
class Line:
    """One indicator over the years: its points and score in each (None where the year's
    rubric has no such indicator; ``status`` says where it did not apply), and what the
    rubric changed about it, year by year (``""`` where nothing)."""

    id: str
    name: str
    depth: int
    points: tuple[Decimal | None, ...]
    scores: tuple[Decimal | None, ...]
    statuses: tuple[str | None, ...]
    changes: tuple[str, ...]
    name_en: str | None = None
    """The English name, where the newest result gives one."""

    def named(self, english: bool = False) -> str:
        """Its name, in English where asked for and given."""
        return (self.name_en or self.name) if english else self.name


@attrs.frozen
class History:
    """The years (labels), the rubric of each, every indicator's line, and the totals and
    grades."""

    unit: str | None
    years: tuple[str, ...]
    rubrics: tuple[str, ...]
    lines: tuple[Line, ...]
    totals: tuple[Decimal, ...]
    grades: tuple[str | None, ...]


def _label(path: Path) -> str:
    found = _YEAR.search(path.stem)
    return found.group(0) if found else path.stem


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


_DECIMAL_TEXT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")
"""A number as a result writes it: text, no exponent, never NaN or Infinity."""


def _misread_numbers(data: Mapping[str, Any], path: Path) -> list[Problem]:
    """Each number of a result that is not one as rubriceng writes it (``"97.86"``): a file
    edited by hand or written by another program may hold ``"NaN"``, ``1e308`` or ``true``,
    and history never shows one as a score."""
    problems = []

    def check(value: Any, field: str, required: bool = False) -> None:
        if value is None and not required:
            return
        numeric = isinstance(value, str | Decimal | int) and not isinstance(value, bool)
        if numeric and _DECIMAL_TEXT.fullmatch(str(value)):
            return
        shown = str(value) if isinstance(value, Decimal) else json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        message = f"expected a decimal number such as 97.86, not {shown}"
        problems.append(Problem("history-form", message, file=str(path), path=field))

    def walk(items: Any, at: str) -> None:
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, Mapping):
                for key in ("points", "effective_points", "score"):
                    check(item.get(key), f"{at}[{index}].{key}")
                walk(item.get("children"), f"{at}[{index}].children")

    check(data.get("total"), "total", required=True)
    check(data.get("subtotal"), "subtotal")
    adjustments = data.get("adjustments")
    for index, adjustment in enumerate(adjustments if isinstance(adjustments, list) else []):
        if isinstance(adjustment, Mapping):
            check(adjustment.get("points"), f"adjustments[{index}].points")
    walk(data.get("indicators"), "indicators")
    return problems


@raised_as(HistoryError)
def load_history(paths: Sequence[str | os.PathLike[str]]) -> History:
    """The history of the results in ``paths``, ordered by their years (or names).

    Raises :class:`HistoryError` listing every file that is not a result, and results of
    different units."""
    problems: list[Problem] = []
    found: list[tuple[str, Path, Mapping[str, Any]]] = []
    for path in map(Path, paths):
        data = read_input(path, "result").data
        shaped = (
            isinstance(data, Mapping)
            and data.get("format") == "rubriceng.result/1"
            and isinstance(data.get("rubric"), Mapping)
            and isinstance(data.get("indicators"), list)
        )
        if not shaped:
            problems.append(
                Problem("history-form", "not a rubriceng.result/1 result", file=str(path))
            )
            continue
        misread = _misread_numbers(data, path)
        problems += misread
        if not misread:
            found.append((_label(path), path, data))
    if len({label for label, _, _ in found}) < len(found):  # two of one year: by file name
        found = [(path.stem, path, data) for _, path, data in found]
    units = {str(data.get("unit")) for _, _, data in found}
    if len({unit_key(unit) for unit in units}) > 1:  # 市 财政局 is 市财政局
        named = sorted(units)
        said = Phrase({"zh": "、".join(named), "en": ", ".join(named)})
        problems.append(
            Problem(
                "history-units",
                f"results of several units: {said.text('en')}",
                params={"units": said},
            )
        )
    if problems:
        raise HistoryError("cannot read the history", problems)
    found.sort(key=lambda item: item[0])
    years = tuple(label for label, _, _ in found)
    rows: list[dict[str, tuple[int, Mapping[str, Any]]]] = []
    order: dict[str, tuple[int, str, str | None]] = {}
    for _, _, data in reversed(found):  # the newest year's order and names first
        flat: dict[str, tuple[int, Mapping[str, Any]]] = {}
        _flatten(data.get("indicators") or [], 0, flat)
        for key, (depth, item) in flat.items():
            english = item.get("name_en")
            english = english if isinstance(english, str) else None
            order.setdefault(key, (depth, str(item.get("name", key)), english))
        rows.insert(0, flat)
    lines = []
    for key, (depth, name, name_en) in order.items():
        points = tuple(
            _decimal(row[key][1].get("effective_points")) if key in row else None for row in rows
        )
        scores = tuple(_decimal(row[key][1].get("score")) if key in row else None for row in rows)
        statuses = tuple(str(row[key][1].get("status")) if key in row else None for row in rows)
        declared = tuple(
            _decimal(row[key][1].get("points")) if key in row else None for row in rows
        )
        origins = tuple(row[key][1].get("origin") if key in row else None for row in rows)
        changes = [
            ""
            if index == 0
            else _change(declared[index - 1], declared[index])
            or (
                "rule changed"
                if origins[index] and origins[index - 1] and origins[index] != origins[index - 1]
                else ""
            )
            for index in range(len(rows))
        ]
        lines.append(Line(key, name, depth, points, scores, statuses, tuple(changes), name_en))
    lines.sort(key=lambda line: list(order).index(line.id))
    return History(
        str(found[-1][2].get("unit")) if found else None,  # as the newest result names it
        years,
        tuple(
            f"{data['rubric'].get('id')}@{data['rubric'].get('version')}" for _, _, data in found
        ),
        tuple(lines),
        tuple(Decimal(str(data["total"])) for _, _, data in found),
        tuple(data.get("grade") for _, _, data in found),
    )


def _change(before: Decimal | None, after: Decimal | None) -> str:
    """What the rubric did to an indicator's points between two years: a code for words
    (a rule that came from another rubric document, points unchanged, is ``rule
    changed``)."""
    if before is None and after is not None:
        return "added"
    if before is not None and after is None:
        return "removed"
    if before is not None and after is not None and before != after:
        return f"reweighted:{before}:{after}"
    return ""


def _flatten(
    items: Sequence[Any], depth: int, into: dict[str, tuple[int, Mapping[str, Any]]]
) -> None:
    for item in items:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str) and "." not in item["id"]:
            into[item["id"]] = (depth, item)
            _flatten(item.get("children") or [], depth + 1, into)


def change_words(change: str, lang: str | None = None) -> str:
    """A change code (``added``, ``removed``, ``reweighted:4:5``, ``rule changed``) in
    words."""
    words = SUMMARY_WORDS[language(lang)]
    if change.startswith("reweighted:"):
        _, before, after = change.split(":")
        return f"{words['reweighted']} {before} → {after}"
    return words.get(change, change) if change else ""


def _cell(line: Line, index: int, lang: str) -> str:
    if line.scores[index] is None:
        return "—"
    if line.statuses[index] == "not_applicable":
        return SUMMARY_WORDS[lang]["n/a"]
    return str(line.scores[index])


def history_text(found: History, lang: str | None = None) -> str:
    """The history as a text table: each indicator's score by year, then what changed."""
    lang = language(lang)
    words = SUMMARY_WORDS[lang]
    rows = [[words["indicator"], *found.years, words["change"]]]
    for line in found.lines:
        notes = [
            f"{year} {change_words(change, lang)}"
            for year, change in zip(found.years, line.changes, strict=True)
            if change
        ]
        rows.append(
            [
                "  " * line.depth + printable(line.named(lang == "en")),
                *(_cell(line, index, lang) for index in range(len(found.years))),
                TERMS[lang]["; "].join(notes),
            ]
        )
    rows.append([words["total"], *(str(total) for total in found.totals), ""])
    rows.append([words["grade"], *(grade(name, lang) for name in found.grades), ""])
    count = len(found.years) + 1
    widths = [max(display_width(row[index]) for row in rows) for index in range(count)]
    lines = []
    for row in rows:
        cells = [
            cell + " " * (widths[0] - display_width(cell))
            if index == 0
            else " " * (widths[index] - display_width(cell)) + cell
            for index, cell in enumerate(row[:count])
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def write_history(found: History, path: str | os.PathLike[str], *, lang: str | None = None) -> None:
    """Write the history to ``path``: ``.xlsx`` (a sheet of scores by year and a line
    chart of the totals) or ``.html`` (the table and the chart, drawn as SVG)."""
    lang = language(lang)
    if str(path).lower().endswith(".html"):
        with replacing(path) as written:
            written.write_text(_html(found, lang), encoding="utf-8")
        return
    from openpyxl import Workbook
    from openpyxl.chart import LineChart, Reference

    from rubriceng.outputs.spreadsheet import append_row, table_sheet
    from rubriceng.sanitize import harden_workbook

    words = SUMMARY_WORDS[lang]
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = table_sheet(
        book,
        words["history"],
        [words["indicator"], *found.years, words["change"]],
        [36, *([10] * len(found.years)), 40],
        landscape=True,
    )
    for line in found.lines:
        notes = [
            f"{year} {change_words(change, lang)}"
            for year, change in zip(found.years, line.changes, strict=True)
            if change
        ]
        cells: list[Any] = [
            line.scores[index]
            if _cell(line, index, lang)[0].isdigit()
            else _cell(line, index, lang)
            for index in range(len(found.years))
        ]
        name = "　" * line.depth + line.named(lang == "en")
        append_row(sheet, [name, *cells, TERMS[lang]["; "].join(notes)])
    append_row(sheet, [words["total"], *found.totals, ""])
    append_row(sheet, [words["grade"], *(grade(name, lang) for name in found.grades), ""])
    append_row(sheet, [words["rubric"], *found.rubrics, ""])
    totals = sheet.max_row - 2
    chart = LineChart()
    chart.title, chart.y_axis.title = words["total"], words["total"]
    chart.add_data(
        Reference(sheet, min_col=1, max_col=1 + len(found.years), min_row=totals),
        from_rows=True,
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=2, max_col=1 + len(found.years), min_row=1))
    sheet.add_chart(chart, f"A{sheet.max_row + 2}")
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)


def _html(found: History, lang: str) -> str:
    words = SUMMARY_WORDS[lang]

    def text(value: Any) -> str:
        return html.escape(printable(str(value)))

    head = "".join(f"<th>{text(year)}</th>" for year in found.years)
    body = []
    for line in found.lines:
        notes = TERMS[lang]["; "].join(
            f"{year} {change_words(change, lang)}"
            for year, change in zip(found.years, line.changes, strict=True)
            if change
        )
        cells = "".join(
            f"<td>{text(_cell(line, index, lang))}</td>" for index in range(len(found.years))
        )
        name = text(line.named(lang == "en"))
        body.append(
            f'<tr><td style="padding-left:{line.depth * 1.5}em">{name}</td>'
            f"{cells}<td>{text(notes)}</td></tr>"
        )
    totals = "".join(f"<td><b>{text(total)}</b></td>" for total in found.totals)
    body.append(f"<tr><td><b>{text(words['total'])}</b></td>{totals}<td></td></tr>")
    low, high = min(found.totals, default=Decimal(0)), max(found.totals, default=Decimal(100))
    span = (high - low) or Decimal(1)
    step = 480 / max(1, len(found.totals) - 1)
    points = " ".join(
        f"{40 + index * step:.1f},{170 - float((total - low) / span) * 140:.1f}"
        for index, total in enumerate(found.totals)
    )
    labels = "".join(
        f'<text x="{40 + index * step:.1f}" y="195" text-anchor="middle">{text(year)}</text>'
        f'<text x="{40 + index * step:.1f}" y="{162 - float((total - low) / span) * 140:.1f}" '
        f'text-anchor="middle">{text(total)}</text>'
        for index, (year, total) in enumerate(zip(found.years, found.totals, strict=True))
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="560" height="210" role="img" '
        f'aria-label="{text(words["total"])}"><polyline fill="none" stroke="#2f5597" '
        f'stroke-width="2" points="{points}"/>{labels}</svg>'
    )
    title = f"{text(found.unit or '')} {text(words['history'])}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>body{{font-family:sans-serif}}table{{border-collapse:"
        f"collapse}}td,th{{border:1px solid #999;padding:2px 8px}}</style></head><body>"
        f"<h1>{title}</h1>{svg}<table><tr><th>{text(words['indicator'])}</th>{head}"
        f"<th>{text(words['change'])}</th></tr>{''.join(body)}</table></body></html>\n"
    )
