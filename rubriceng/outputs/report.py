"""A self-contained HTML report of one result: one file, no network, no script.

The report shows the total and grade, a chart of score against points for every level-1
and level-2 indicator (inline SVG), and the indicator tree, each leaf with its 评分依据 in
words and its working folded under it: a table of each step, in the reader's language.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from decimal import Decimal

from rubriceng.decimals import isolated
from rubriceng.language.model import Adjustment, Indicator, Rubric
from rubriceng.outputs.explanation import Explainer
from rubriceng.outputs.words import RULE_HEADINGS, grade, term
from rubriceng.sanitize import printable
from rubriceng.scoring.result import NOT_APPLICABLE, IndicatorResult, Result

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",
"SimSun",sans-serif;margin:2rem auto;max-width:70rem;color:#1f2933;line-height:1.5}
h1{font-size:1.5rem;margin:0}.meta{color:#52606d;margin:.2rem 0 1.2rem}
.total{display:flex;gap:2rem;align-items:baseline;margin:1rem 0 1.5rem}
.total b{font-size:2.4rem}.grade{font-size:1.6rem;color:#0b6e4f}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #cbd2d9;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#e4ecf7}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.group td{background:#f5f7fa;font-weight:600}tr.na td{color:#7b8794}
details summary{cursor:pointer;color:#3e4c59}pre{background:#f5f7fa;padding:.5rem;
white-space:pre-wrap;font-size:.8rem}
table.steps{width:auto;font-size:.85rem}.chart{margin:1rem 0 2rem}
.chart text{font-size:12px;fill:#1f2933}.muted{color:#7b8794;font-size:.85rem}
@media print{details{display:none}body{margin:0}}
"""


def _number(value: Decimal) -> str:
    return format(value, "f")


def _name(row: IndicatorResult, english: bool) -> str:
    return (row.name_en or row.name) if english else row.name


def _chart(result: Result, english: bool) -> str:
    """Horizontal bars: each level-1 and level-2 indicator's score within its points."""
    rows: list[tuple[str, Decimal, Decimal, int]] = []
    for top in result.indicators:
        rows.append((_name(top, english), top.score, top.effective_points, 0))
        for child in top.children:
            rows.append((_name(child, english), child.score, child.effective_points, 1))
    label_width, bar_width, height = 220, 440, 22
    most = max((points for _, _, points, _ in rows), default=Decimal(1)) or Decimal(1)
    parts = [
        f'<svg class="chart" role="img" width="{label_width + bar_width + 120}" '
        f'height="{height * len(rows) + 10}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (name, score, points, level) in enumerate(rows):
        y = index * height + 5
        full = float(points / most) * bar_width
        got = float(score / most) * bar_width
        colour = "#2f6fb0" if level == 0 else "#7fb3e0"
        weight = ' font-weight="bold"' if level == 0 else ""
        parts.append(
            f'<text x="{4 + 16 * level}" y="{y + 15}"{weight}>{_escape(name)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{full:.1f}" height="14" '
            f'fill="#e4e7eb"/><rect x="{label_width}" y="{y + 3}" width="{got:.1f}" '
            f'height="14" fill="{colour}"/><text x="{label_width + full + 6:.1f}" '
            f'y="{y + 15}">{_number(score)} / {_number(points)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _escape(text: str, quote: bool = True) -> str:
    """Text for HTML: printable (no control character), with <, >, & and quotes escaped."""
    return html.escape(printable(text), quote)


def _rule(declared: Indicator | Adjustment | None, english: bool) -> str:
    """The table's texts of an indicator (指标说明, 评分标准, 备注), folded."""
    if declared is None:
        return ""
    summary, labels = RULE_HEADINGS["en" if english else "zh"]
    texts = [(label, getattr(declared, key, None)) for key, label in labels.items()]
    colon = ": " if english else "："
    shown = "".join(f"<p><b>{label}</b>{colon}{_escape(text)}</p>" for label, text in texts if text)
    return f"<details><summary>{summary}</summary>{shown}</details>" if shown else ""


def _rows(
    row: IndicatorResult,
    depth: int,
    explainer: Explainer,
    english: bool,
    nodes: Mapping[str, Indicator],
) -> Iterator[str]:
    points = _number(row.points)
    if row.effective_points != row.points:
        points += f" → {_number(row.effective_points)}"
    indent = f'style="padding-left:{0.5 + 1.2 * depth:.1f}rem"'
    name = _escape(_name(row, english))
    if row.children and "method" not in row.trace:
        yield (
            f'<tr class="group"><td {indent}>{name}</td><td class="n">{points}</td>'
            f'<td class="n">{_number(row.score)}</td><td></td></tr>'
        )
        for child in row.children:
            yield from _rows(child, depth + 1, explainer, english, nodes)
        return
    na = row.status == NOT_APPLICABLE
    score = ("n/a" if english else "不适用") if na else _number(row.score)
    lang = "en" if english else "zh"
    steps = "".join(
        f'<tr><td class="n">{number}</td><td>{_escape(sentence)}</td></tr>'
        for number, sentence in enumerate(explainer.sentences(row), 1)
    )
    working = (
        f'<details><summary>{term("working", lang)}</summary><table class="steps">'
        f"<tr><th>{term('step', lang)}</th><th>{term('working step', lang)}</th></tr>"
        f"{steps}</table></details>"
    )
    css = ' class="na"' if na else ""
    yield (
        f"<tr{css}><td {indent}>{name}<br>"
        f'<span class="muted">{_escape(row.id)}</span></td><td class="n">{points}</td>'
        f'<td class="n">{score}</td><td>{_escape(explainer.basis(row))}'
        f"{_rule(nodes.get(row.id), english)}{working}</td></tr>"
    )
    for child in row.children:
        yield from _rows(child, depth + 1, explainer, english, nodes)


@isolated
def render_html(result: Result, rubric: Rubric | None = None, lang: str = "zh") -> str:
    """The report as one HTML document (UTF-8, no external resources)."""
    english = lang == "en"
    explainer = Explainer(rubric, lang)
    title = (rubric.title_en or rubric.title) if english and rubric else result.rubric_title
    heads = ("Indicator", "Points", "Score", "Basis")
    if not english:
        heads = ("指标", "分值", "得分", "评分依据")
    body = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if english else "zh-CN"}"><head><meta charset="utf-8">',
        f"<title>{_escape(title)} — {_escape(result.unit or '')}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_escape(title)}</h1>",
        f'<p class="meta">{_escape(result.unit or "")} · '
        f"{_escape(result.rubric_id)}@{_escape(result.rubric_version)}</p>",
        f'<div class="total"><span>{"Total" if english else "总分"} '
        f"<b>{_number(result.total)}</b></span>"
        f'<span class="grade">{_escape(grade(result.grade, lang, result.grade_en))}</span></div>',
        _chart(result, english),
        "<table><thead><tr>" + "".join(f"<th>{head}</th>" for head in heads),
        "</tr></thead><tbody>",
    ]
    nodes = {node.id: node for node in rubric.walk()} if rubric else {}
    rules = {item.id: item for item in rubric.adjustments} if rubric else {}
    for top in result.indicators:
        body.extend(_rows(top, 0, explainer, english, nodes))
    bonus = "Bonus / penalty" if english else "加减分"
    colon = ": " if english else "："
    for adjustment in result.adjustments:
        body.append(
            f"<tr><td>{bonus}{colon}{_escape(adjustment.named(english))}</td>"
            f'<td></td><td class="n">{adjustment.points:+}</td>'
            f"<td>{adjustment.events} {'events' if english else '次'}"
            f"{_rule(rules.get(adjustment.id), english)}</td></tr>"
        )
    body.append(
        f'<tr class="group"><td>{"Total" if english else "合计"}</td>'
        f'<td class="n"></td><td class="n">{_number(result.total)}</td>'
        f"<td>{_escape(grade(result.grade, lang, result.grade_en))}</td></tr>"
    )
    body.append("</tbody></table></body></html>")
    return "\n".join(body) + "\n"
