"""The scoring part of a unit's 自评报告 as a Word document (python-docx).

:func:`write_docx` follows the seed reports' 二、绩效自评: 自评结论 (总分 and 等级), the
score table, every point lost with its reason, and 存在问题 and 改进措施 left for the unit
to complete. Text is written as text: no field, macro or control character.
"""

from __future__ import annotations

import os
from typing import Any

from rubriceng.decimals import isolated
from rubriceng.language.model import Rubric
from rubriceng.outputs.explanation import Explainer
from rubriceng.outputs.words import REPORT_WORDS, grade, language
from rubriceng.sanitize import printable, replacing
from rubriceng.scoring.result import NOT_APPLICABLE, IndicatorResult, Result

__all__ = ["write_docx"]

FONT = "宋体"
"""The body font (SimSun), as the seed reports use."""


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise RuntimeError(
            "Word documents need python-docx: pip install 'rubriceng[docx]'"
        ) from None
    return docx


@isolated
def write_docx(
    result: Result,
    path: str | os.PathLike[str],
    *,
    rubric: Rubric | None = None,
    lang: str | None = None,
) -> None:
    """Write the scoring part of ``result``'s 自评报告 to ``path`` (``.docx``): the
    conclusion, the score table, the points lost with their reasons (from the rubric's
    rules when ``rubric`` is given), and empty 存在问题 and 改进措施 sections."""
    docx = _docx()
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    lang = language(lang)
    words = REPORT_WORDS[lang]
    explainer = Explainer(rubric, lang)
    english = lang == "en"
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    def say(
        text: str, *, bold: bool = False, centre: bool = False, size: int | None = None
    ) -> None:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(printable(text))
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if centre:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def name(row: IndicatorResult) -> str:
        return (row.name_en or row.name) if english else row.name

    title = (rubric.title_en or rubric.title) if rubric and english else result.rubric_title
    ref = f"{result.rubric_id}@{result.rubric_version}"
    shown_grade = grade(result.grade, lang, result.grade_en) or "—"
    say(words["title"], bold=True, centre=True, size=16)
    say(words["unit"].format(unit=result.unit or ""))
    say(words["rubric"].format(title=title, ref=ref))
    say(words["part"], bold=True)
    say(words["conclusion"], bold=True)
    say(words["concluded"].format(title=title, total=result.total, grade=shown_grade))
    say(words["table"], bold=True)
    rows = [(depth, row) for depth, row in _walk(result.indicators)]
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.autofit = False
    for cell, heading in zip(table.rows[0].cells, words["headings"].split("\t"), strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for depth, row in rows:
        cells = table.add_row().cells
        cells[0].text = printable("　" * depth + name(row))
        cells[1].text = str(row.effective_points)
        cells[2].text = words["n/a"] if row.status == NOT_APPLICABLE else str(row.score)
        cells[3].text = printable(explainer.basis(row)) if not row.children and row.trace else ""
    for adjustment in result.adjustments:
        cells = table.add_row().cells
        cells[0].text = printable(adjustment.named(english))
        cells[2].text = str(adjustment.points)
    cells = table.add_row().cells
    cells[0].text, cells[2].text = words["total"], str(result.total)
    for cell in cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    widths = (Cm(4.0), Cm(1.6), Cm(1.9), Cm(8.5))  # 评分依据 takes the rest of A4
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    say(words["lost"], bold=True)
    losing = [
        row
        for _, row in rows
        if not row.children and row.status != NOT_APPLICABLE and row.score < row.effective_points
    ]
    for number, row in enumerate(losing, start=1):
        say(
            f"{number}. "
            + words["loss"].format(
                name=name(row),
                points=row.effective_points,
                score=row.score,
                lost=row.effective_points - row.score,
                basis=explainer.basis(row),
            )
        )
    if not losing:
        say(words["none lost"])
    say(words["problems"], bold=True)
    say(words["issues"])
    say(words["fill"])
    say(words["measures"])
    say(words["fill"])
    say(words["draft"], size=9)
    with replacing(path) as written:
        document.save(written)


def _walk(rows: tuple[IndicatorResult, ...], depth: int = 0) -> list[tuple[int, IndicatorResult]]:
    """Every indicator with its depth, the unit's own sub-indicators included."""
    found: list[tuple[int, IndicatorResult]] = []
    for row in rows:
        found.append((depth, row))
        found += _walk(row.children, depth + 1)
    return found
