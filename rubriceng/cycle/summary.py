"""The bureau's summary of a batch: who ranks where, how the grades fall, and where points
were lost — the numbers a 财政局's 评价报告 is written from.

:func:`summarize` works the figures out of a :class:`~rubriceng.scoring.result.Batch` scored with
traces; :func:`write_summary` writes them as a workbook a person reads and prints on A4:

- **排名**: rank, unit, total, grade and each 一级 subtotal, best first;
- **等级分布**: how many units have each grade, with a bar chart;
- **失分分析**: for each scored indicator, the average points lost, how many units lost
  points, and the most common reason;
- **参数**: the rubric (id@version) and the peer statistics the batch was scored against;
- **得分**: every indicator's score per unit (不适用 written as such, never as 0), and the
  units that could not be scored.
"""

from __future__ import annotations

import collections
import csv
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.language.model import Rubric
from rubriceng.outputs.explanation import Explainer, rule_words
from rubriceng.outputs.words import SUMMARY_WORDS, TERMS, grade, language, summary_words
from rubriceng.sanitize import csv_cell, replacing
from rubriceng.scoring.result import BATCH_FORMAT, NOT_APPLICABLE, Batch, IndicatorResult, Result

if TYPE_CHECKING:
    from rubriceng.cycle.roster import Roster

__all__ = [
    "Loss",
    "Ranked",
    "Summary",
    "batch_dict",
    "score_rows",
    "summarize",
    "write_scores",
    "write_summary",
]


@attrs.frozen
class Ranked:
    """A unit's place: rank (ties share one), name, total, grade and 一级 subtotals."""

    rank: int
    unit: str
    total: Decimal
    grade: str | None
    subtotals: tuple[Decimal | None, ...]
    grade_en: str | None = None


@attrs.frozen
class Loss:
    """Where an indicator lost points across the batch.

    Attributes:
        id, name: the indicator.
        points: its points.
        units: how many units it applied to.
        losing: how many of those lost points on it.
        average: the average points lost per unit it applied to (exact, then to cents).
        reason: the most common reason for a loss, in words (None if no unit lost).
        reason_count: how many losing units share that reason.
    """

    id: str
    name: str
    points: Decimal
    units: int
    losing: int
    average: Decimal
    reason: str | None
    reason_count: int


@attrs.frozen
class Summary:
    """The figures of a batch, for the bureau."""

    rubric: str
    ranking: tuple[Ranked, ...]
    grades: tuple[tuple[str, int], ...]
    losses: tuple[Loss, ...]
    peers: tuple[tuple[str, str, str], ...]
    """(indicator name, statistic, value) of each peer statistic the units were held to."""


def _ranked(results: Sequence[Result]) -> tuple[Ranked, ...]:
    ordered = sorted(results, key=lambda result: (-result.total, result.unit or ""))
    ranked: list[Ranked] = []
    for index, result in enumerate(ordered):
        tied = ranked and ranked[-1].total == result.total
        rank = ranked[-1].rank if tied else index + 1
        subtotals = tuple(
            None if top.status == NOT_APPLICABLE else top.score for top in result.indicators
        )
        ranked.append(
            Ranked(rank, result.unit or "", result.total, result.grade, subtotals, result.grade_en)
        )
    return tuple(ranked)


def _reason(row: IndicatorResult, explainer: Explainer) -> str:
    """Why ``row`` lost points, in words that repeat across units (no unit's own figures):
    the first criterion not met, the deductions made, the condition not met, the rule
    that applied, the assessor's reason — or, for a rate or formula, that it fell short."""
    trace, words = row.trace, SUMMARY_WORDS[explainer.lang]
    items = trace.get("items")
    if isinstance(items, list | tuple):
        short = [
            item["name"]
            for item in items
            if isinstance(item, Mapping) and item.get("credit", 0) < item.get("points", 0)
        ]
        if short:
            return str(short[0])
    hit = [str(item["name"]) for item in trace.get("deductions", ()) if item.get("events")]
    if hit:
        return TERMS[explainer.lang]["list"].join(hit)
    if "condition" in trace:
        return words["unmet"].format(condition=explainer.formula(str(trace["condition"])))
    if trace.get("rule"):
        return rule_words(str(trace["rule"]), explainer.lang, explainer.labels)
    if trace.get("reason"):
        return str(trace["reason"])
    if "rate" in trace or "mean" in trace:
        return words["rate short"]
    if row.children:
        return words["parts short"]
    return words["formula short"]


def _losses(results: Sequence[Result], rubric: Rubric, explainer: Explainer) -> tuple[Loss, ...]:
    by_id: dict[str, list[IndicatorResult]] = {}  # each unit walked once, not once a leaf
    for result in results:
        for row in result.walk():
            if row.status != NOT_APPLICABLE:
                by_id.setdefault(row.id, []).append(row)
    found = []
    for node in rubric.walk():
        if not node.method:
            continue
        rows = by_id.get(node.id, [])
        lost = [(row.effective_points - row.score, row) for row in rows]
        losing = [(amount, row) for amount, row in lost if amount > 0]
        total = sum((amount for amount, _ in lost), Decimal(0))
        average = (total / len(rows)).quantize(Decimal("0.01")) if rows else Decimal("0.00")
        reasons = collections.Counter(_reason(row, explainer) for _, row in losing)
        reason, count = reasons.most_common(1)[0] if reasons else (None, 0)
        name = (node.name_en or node.name) if explainer.lang == "en" else node.name
        found.append(
            Loss(node.id, name, node.points, len(rows), len(losing), average, reason, count)
        )
    return tuple(sorted(found, key=lambda loss: (-loss.average, -loss.losing, loss.id)))


def _peers(results: Sequence[Result], explainer: Explainer) -> tuple[tuple[str, str, str], ...]:
    seen: dict[str, tuple[str, str, str]] = {}
    words = SUMMARY_WORDS[explainer.lang]
    for result in results:
        for row in result.walk():
            computed = str(row.trace.get("source", "")).startswith("computed")
            if computed and "peer" in row.trace and row.id not in seen:
                statistic = words.get(str(row.trace["statistic"]), str(row.trace["statistic"]))
                seen[row.id] = (
                    row.name_en or row.name if explainer.lang == "en" else row.name,
                    statistic,
                    explainer.value(row, row.trace["peer"]),
                )
    return tuple(seen.values())


@isolated
def summarize(rubric: Rubric, batch: Batch, lang: str | None = None) -> Summary:
    """The figures of a batch scored with traces (``evaluate_many(..., trace=True,
    errors="collect")``): ranking, grade counts, losses by indicator, peer statistics."""
    explainer = Explainer(rubric, language(lang))
    results = batch.results
    counts = collections.Counter(result.grade for result in results)
    grades = tuple((item.name, counts.get(item.name, 0)) for item in rubric.grades)
    return Summary(
        rubric.ref,
        _ranked(results),
        grades,
        _losses(results, rubric, explainer),
        _peers(results, explainer),
    )


@isolated
def write_summary(
    rubric: Rubric,
    batch: Batch,
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    reviewed: int | None = None,
    roster: Roster | None = None,
) -> Summary:
    """Write the bureau's summary workbook of ``batch`` to ``path`` (``.xlsx``); returns
    the figures written. ``reviewed``: how many units were scored as reviewed (复核), said
    on the 参数 sheet. ``roster``: the units that were sent forms; those the batch has
    neither scored nor failed are listed on a sheet of their own (未报送)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment

    from rubriceng.outputs.spreadsheet import append_row, fit_rows, scores_sheet, table_sheet
    from rubriceng.sanitize import harden_workbook

    lang = language(lang)
    words = summary_words(lang, rubric.subject)
    figures = summarize(rubric, batch, lang)
    book = Workbook()

    english = lang == "en"
    tops = [(top.name_en or top.name) if english else top.name for top in rubric.indicators]
    book.remove(book.worksheets[0])
    ranking = table_sheet(
        book,
        words["ranking"],
        [words["rank"], words["unit"], words["total"], words["grade"], *tops],
        [6, 30, 9, 8, *([12] * len(tops))],
        landscape=len(tops) > 4,
    )
    for row in figures.ranking:
        append_row(
            ranking,
            [
                row.rank,
                row.unit,
                row.total,
                grade(row.grade, lang, row.grade_en),
                *[words["n/a"] if value is None else value for value in row.subtotals],
            ],
        )
    for line in ranking.iter_rows(min_row=2, min_col=3, max_col=4 + len(tops)):
        for cell in line:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    ranking.auto_filter.ref = ranking.dimensions

    spread = table_sheet(book, words["grades"], [words["grade"], words["count"]], [10, 10])
    for name, count in figures.grades:
        append_row(spread, [grade(name, lang), count])
    if figures.grades:
        chart = BarChart()
        chart.title, chart.y_axis.title = words["grades"], words["count"]
        chart.legend = None
        last = 1 + len(figures.grades)
        chart.add_data(Reference(spread, min_col=2, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(spread, min_col=1, min_row=2, max_row=last))
        spread.add_chart(chart, "D2")

    losses = table_sheet(
        book,
        words["losses"],
        [
            words["indicator"],
            words["points"],
            words["units"],
            words["losing"],
            words["average"],
            words["reason"],
            words["reason count"],
        ],
        [30, 8, 8, 10, 12, 50, 10],
        landscape=True,
    )
    for loss in figures.losses:
        append_row(
            losses,
            [
                loss.name,
                loss.points,
                loss.units,
                loss.losing,
                loss.average,
                loss.reason or "",
                loss.reason_count or None,
            ],
        )
    for line in losses.iter_rows(min_row=2):
        line[4].number_format = "0.00"
        line[5].alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(losses, 2, losses.max_row, [30, 8, 8, 10, 12, 50, 10])

    basis = table_sheet(book, words["basis"], [words["what"], words["value"]], [40, 40])
    append_row(basis, [words["rubric"], figures.rubric])
    append_row(basis, [words["scored"], len(batch.results)])
    append_row(basis, [words["failed"], len(batch.failures)])
    if reviewed is not None:
        append_row(basis, [words["reviewed units"], reviewed])
    missing: tuple[str, ...] = ()
    if roster is not None:
        returned = [result.unit or "" for result in batch.results]
        missing = roster.missing(returned + [failure.unit for failure in batch.failures])
        append_row(basis, [words["roster"], roster.source])
        append_row(basis, [words["roster units"], len(roster.units)])
        append_row(basis, [words["not returned"], len(missing)])
    for name, statistic, value in figures.peers:
        append_row(basis, [f"{name} ({statistic})" if english else f"{name}（{statistic}）", value])

    scores_sheet(book, rubric, batch, lang)
    if missing and roster is not None:
        absent = table_sheet(
            book, words["not returned"], [words["unit"], words["roster line"]], [30, 10]
        )
        for unit in missing:
            append_row(absent, [unit, roster.lines.get(unit)])
    harden_workbook(book)
    with replacing(path) as written:
        book.save(written)
    return figures


@isolated
def batch_dict(rubric: Rubric, batch: Batch, lang: str | None = None) -> dict[str, Any]:
    """``batch.to_dict(lang)`` with each indicator's 评分依据 (``basis``) in ``lang``: how
    it got its score, in words, from the traces (score the batch with ``trace=True``)."""
    explainer = Explainer(rubric, language(lang))
    data = batch.to_dict(lang)
    for result, found in zip(batch.results, data["results"], strict=True):
        _with_basis(found, result, explainer)
    return data


def _with_basis(found: dict[str, Any], result: Result, explainer: Explainer) -> dict[str, Any]:
    """``found`` (``result.to_dict()``) with each indicator's 评分依据 added."""

    def add(items: list[dict[str, Any]], rows: Mapping[str, IndicatorResult]) -> None:
        for item in items:
            row = rows.get(item["id"])
            if row is not None and row.trace:
                item["basis"] = explainer.basis(row)
            add(item.get("children", []), rows)

    add(found["indicators"], {row.id: row for row in result.walk()})
    return found


@isolated
def write_batch_json(
    rubric: Rubric, batch: Batch, path: str | os.PathLike[str], *, lang: str | None = None
) -> None:
    """Write :func:`batch_dict` to ``path`` as JSON, one unit at a time: each result on a
    line of its own, made and written before the next (a batch of thousands of units
    with their traces is never held as one text, nor as one tree of plain data)."""
    import json  # here: only a JSON output needs it

    explainer = Explainer(rubric, language(lang))
    with replacing(path) as written, open(written, "w", encoding="utf-8") as handle:
        handle.write(f'{{"format": {json.dumps(BATCH_FORMAT)},\n "results": [')
        for index, result in enumerate(batch.results):
            found = _with_basis(result.to_dict(), result, explainer)
            handle.write(("," if index else "") + "\n  " + json.dumps(found, ensure_ascii=False))
        failures = [failure.to_dict(lang) for failure in batch.failures]
        ending = "\n ]" if batch.results else "]"
        handle.write(f'{ending},\n "failures": {json.dumps(failures, ensure_ascii=False)}}}\n')


def score_rows(rubric: Rubric, batch: Batch, lang: str | None = None) -> list[list[Any]]:
    """The batch as rows for a CSV or parquet file: a heading row of ids (``unit``, then
    :meth:`~rubriceng.scoring.result.Result.row`'s keys), then one row per unit; an indicator
    that does not apply reads 不适用 (``n/a``), never 0; scores are exact decimal text."""
    words = SUMMARY_WORDS[language(lang)]
    keys = [
        *(node.id for node in rubric.walk()),
        "subtotal",
        *(adjustment.id for adjustment in rubric.adjustments),
        "total",
        "grade",
    ]
    rows: list[list[Any]] = [["unit", *keys]]
    for result in batch.results:
        values = result.row()
        statuses = result.statuses()
        skipped = {key for key, status in statuses.items() if status == NOT_APPLICABLE}
        rows.append(
            [
                result.unit,
                *(
                    words["n/a"]
                    if key in skipped
                    else ""
                    if values.get(key) is None
                    else str(values[key])
                    for key in keys
                ),
            ]
        )
    return rows


@isolated
def write_scores(
    rubric: Rubric, batch: Batch, path: str | os.PathLike[str], *, lang: str | None = None
) -> None:
    """Write :func:`score_rows` to ``path``: ``.csv`` (UTF-8 with BOM, which Excel opens;
    a cell that would start a formula begins with ``'``) or ``.parquet`` (text columns)."""
    rows = score_rows(rubric, batch, lang)
    if str(path).lower().endswith(".parquet"):
        import pandas

        frame = pandas.DataFrame(rows[1:], columns=rows[0], dtype="string")
        with replacing(path) as written:
            frame.to_parquet(written, index=False)
        return
    with replacing(path) as written, open(written, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow([csv_cell(cell) for cell in row])
