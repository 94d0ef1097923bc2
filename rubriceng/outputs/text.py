"""Rendering results for people (a text table) and for programs (JSON).

A :class:`Renderer` is a named function from a :class:`~rubriceng.scoring.result.Result` to
text. The built-in ``text`` and ``json`` renderers are registered through the
``rubriceng_renderers`` hook like any plugin's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.language.model import Rubric
from rubriceng.outputs.words import grade, term
from rubriceng.sanitize import display_width, markdown_text, printable, replacing
from rubriceng.scoring.result import JUDGED, NOT_APPLICABLE, IndicatorResult, Result


@attrs.frozen
class Renderer:
    """A named way to show a result.

    Attributes:
        name: the format name (``rubriceng score --format NAME``).
        render: ``render(result, lang)`` returns the text; ``lang`` is ``"zh"`` or ``"en"``.
        suffix: the usual file suffix of the output, e.g. ``.json``.
        summary: one line for ``rubriceng plugins``.
    """

    name: str
    render: Callable[[Result, str], str]
    suffix: str = ".txt"
    summary: str = ""


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


@isolated
def render_text(result: Result, english: bool = False) -> str:
    """A text table of every indicator: points, effective points, score; then the total.

    Effective points differ from points where not-applicable indicators moved points.
    """

    def label(row: IndicatorResult) -> str:
        return (row.name_en or row.name) if english else row.name

    lang = "en" if english else "zh"
    rows: list[tuple[str, str, str, str, str]] = []

    def visit(row: IndicatorResult, depth: int) -> None:
        moved = "" if row.effective_points == row.points else str(row.effective_points)
        rows.append(
            (
                "  " * depth + label(row),
                str(row.points),
                moved,
                str(row.score),
                term(row.status, lang) if row.status in (NOT_APPLICABLE, JUDGED) else "",
            )
        )
        for child in row.children:
            visit(child, depth + 1)

    for top in result.indicators:
        visit(top, 0)
    for adjustment in result.adjustments:
        rows.append(
            (
                adjustment.named(english),
                "",
                "",
                f"{adjustment.points:+}",
                term("events", lang, count=adjustment.events),
            )
        )
    header = (
        term("indicator heading", lang),
        term("points", lang),
        term("effective", lang),
        term("score", lang),
        "",
    )
    widths = [max(display_width(row[column]) for row in [header, *rows]) for column in range(5)]
    aligned: list[Callable[[str, int], str]] = [
        _pad,
        lambda t, w: _pad(t, w, True),
        lambda t, w: _pad(t, w, True),
        lambda t, w: _pad(t, w, True),
        _pad,
    ]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            align(cell, width) for align, cell, width in zip(aligned, row, widths, strict=True)
        ).rstrip()

    rule = "-" * display_width(line(header))
    named = (result.rubric_title_en or result.rubric_title) if english else result.rubric_title
    title = named + (f" — {result.unit}" if result.unit else "")
    out = [title, rule, line(header), rule, *(line(row) for row in rows), rule]
    out.append(
        line(
            (
                term("total", lang),
                "",
                "",
                str(result.total),
                grade(result.grade, lang, result.grade_en),
            )
        )
    )
    return printable("\n".join(out))


@isolated
def render_markdown(result: Result, rubric: Rubric | None = None, lang: str = "zh") -> str:
    """A Markdown table of every indicator with its score and 评分依据; then the total."""
    from rubriceng.outputs.explanation import Explainer

    english = lang == "en"
    explainer = Explainer(rubric, lang)
    heads = (
        ("Indicator", "Points", "Score", "Basis")
        if english
        else ("指标", "分值", "得分", "评分依据")
    )
    named = (result.rubric_title_en or result.rubric_title) if english else result.rubric_title
    title = markdown_text(named + (f" — {result.unit}" if result.unit else ""))
    out = [
        f"# {title}",
        "",
        f"`{result.rubric_id}@{result.rubric_version}`",
        "",
        "| " + " | ".join(heads) + " |",
        "|---|---:|---:|---|",
    ]

    cell = markdown_text

    def visit(row: IndicatorResult, depth: int) -> None:
        name = "&nbsp;&nbsp;" * depth + cell((row.name_en or row.name) if english else row.name)
        points = str(row.points) + (
            "" if row.effective_points == row.points else f" → {row.effective_points}"
        )
        group = bool(row.children) and "method" not in row.trace
        if group:
            out.append(f"| **{name}** | {points} | **{row.score}** | |")
        else:
            score = term(NOT_APPLICABLE, lang) if row.status == NOT_APPLICABLE else row.score
            out.append(f"| {name} | {points} | {score} | {cell(explainer.basis(row))} |")
        for child in row.children:
            visit(child, depth + 1)

    for top in result.indicators:
        visit(top, 0)
    for adjustment in result.adjustments:
        name = cell(adjustment.named(english))
        events = term("events", lang, count=adjustment.events)
        out.append(f"| {name} | | {adjustment.points:+} | {events} |")
    total = term("total", lang)
    graded = grade(result.grade, lang, result.grade_en)
    out.append(f"| **{total}** | | **{result.total}** | {graded} |")
    return "\n".join(out) + "\n"


@isolated
def write_result(
    result: Result,
    path: str | os.PathLike[str],
    *,
    rubric: Rubric | None = None,
    inputs: Mapping[str, Any] | None = None,
    lang: str = "zh",
) -> None:
    """Write ``result`` to ``path`` in the form its suffix names: ``.xlsx`` (the 指标评分表,
    with the inputs on a second sheet), ``.html`` (a report), ``.docx`` (the scoring part
    of the 自评报告), ``.json``, ``.md``, ``.txt``.

    ``rubric`` adds descriptions, standards and input labels; ``inputs`` the inputs sheet.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        from rubriceng.outputs.spreadsheet import write_scoresheet as write_xlsx

        write_xlsx(result, path, rubric=rubric, inputs=inputs, lang=lang)
        return
    if suffix == ".docx":
        from rubriceng.outputs.docx import write_docx

        write_docx(result, path, rubric=rubric, lang=lang)
        return
    if suffix == ".html":
        from rubriceng.outputs.report import render_html

        text = render_html(result, rubric, lang)
    elif suffix == ".json":
        text = result.to_json() + "\n"
    elif suffix == ".md":
        text = render_markdown(result, rubric, lang)
    elif suffix == ".txt":
        text = render_text(result, english=lang == "en") + "\n"
    else:
        raise ValueError(f"{path}: write .xlsx, .html, .docx, .json, .md or .txt")
    with replacing(path) as written:
        written.write_text(text, encoding="utf-8")


@isolated
def render_json(result: Result) -> str:
    """The result as JSON in the documented ``rubriceng.result/1`` layout."""
    return result.to_json()


BUILTIN_RENDERERS: tuple[Renderer, ...] = (
    Renderer(
        "text",
        lambda result, lang: render_text(result, english=lang == "en"),
        ".txt",
        "a table of every indicator for people",
    ),
    Renderer("json", lambda result, lang: render_json(result), ".json", "rubriceng.result/1"),
    Renderer(
        "markdown",
        lambda result, lang: render_markdown(result, lang=lang),
        ".md",
        "a Markdown table with each score's basis in words",
    ),
)
"""The renderers rubriceng registers itself."""
