"""Rendering results for people (a text table) and for programs (JSON).

A :class:`Renderer` is a named function from a :class:`~rubriceng.result.Result` to
text. The built-in ``text`` and ``json`` renderers are registered through the
``rubriceng_renderers`` hook like any plugin's.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import attrs

from rubriceng.result import JUDGED, NOT_APPLICABLE, IndicatorResult, Result


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


_STATUS_MARKS = {NOT_APPLICABLE: "不适用", JUDGED: "评定"}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def render_text(result: Result, english: bool = False) -> str:
    """A text table of every indicator: points, effective points, score; then the total.

    Effective points differ from points where not-applicable indicators moved points.
    """

    def label(row: IndicatorResult) -> str:
        return (row.name_en or row.name) if english else row.name

    rows: list[tuple[str, str, str, str, str]] = []

    def visit(row: IndicatorResult, depth: int) -> None:
        moved = "" if row.effective_points == row.points else str(row.effective_points)
        rows.append(
            (
                "  " * depth + label(row),
                str(row.points),
                moved,
                str(row.score),
                _STATUS_MARKS.get(row.status, ""),
            )
        )
        for child in row.children:
            visit(child, depth + 1)

    for top in result.indicators:
        visit(top, 0)
    for adjustment in result.adjustments:
        rows.append((adjustment.name, "", "", f"{adjustment.points:+}", f"{adjustment.events} 次"))
    header = ("指标 indicator", "分值", "调整后", "得分", "")
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
    title = result.rubric_title + (f" — {result.unit}" if result.unit else "")
    out = [title, rule, line(header), rule, *(line(row) for row in rows), rule]
    out.append(line(("合计 total", "", "", str(result.total), result.grade or "")))
    return "\n".join(out)


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
)
"""The renderers rubriceng registers itself."""
