"""Scores explained in words: the 评分依据 of a table, and the full trace of one indicator.

The words are built from the trace every scoring method leaves (its inputs, the value
computed, the band, step, rate or criteria, the points moved by 不适用) — the same keys
across methods, so a plugin's method that uses them is explained too; keys not known
here are shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from rubriceng.decimals import isolated
from rubriceng.exact import rational
from rubriceng.formula.phrasing import formula_words, is_rate, number, percent
from rubriceng.language.model import Indicator, Rubric
from rubriceng.language.paths import names
from rubriceng.outputs.words import EXPLAIN_WORDS, RULE_PATTERNS, RULE_TEXTS, unit_word
from rubriceng.scoring.result import NOT_APPLICABLE, IndicatorResult, Result

_KNOWN = {
    "method",
    "inputs",
    "given",
    "values",
    "value",
    "rate",
    "actual",
    "target",
    "band",
    "rule",
    "steps",
    "deducted",
    "items",
    "deductions",
    "condition",
    "met",
    "statistic",
    "source",
    "peer",
    "reason",
    "case",
    "raw",
    "reweighting",
    "scaled",
    "formula",
    "rates",
    "mean",
    "not_applicable",
    "declared",
    "unmet",
    "targets",
    "set_too_low",
}


def _show(value: Any, words: Mapping[str, str], rate: bool = False) -> str:
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, Mapping) for item in value):
            return words["rows"].format(n=len(value))
        return words["list"].join(_show(item, words, rate) for item in value)
    if isinstance(value, Mapping):
        return words[","].join(f"{key} {_show(item, words, rate)}" for key, item in value.items())
    return percent(value) if rate else number(value)


"""Rules in words (the trace keeps them as the methods wrote them)."""


_STATISTICS = {"mean": "均值", "median": "中位数"}


def rule_words(
    rule: str, lang: str, labels: Mapping[str, str] | None = None, rate: bool = False
) -> str:
    """A method's rule as a reader of ``lang`` reads it (``0.5 for each full step of
    0.05`` is 每满 0.05 扣 0.5 分; with ``rate``, 每满 5% 扣 0.5 分)."""
    if rule in RULE_TEXTS.get(lang, {}):
        return RULE_TEXTS[lang][rule]
    for pattern, template, values in RULE_PATTERNS.get(lang, ()):
        found = pattern.match(rule)
        if found:
            parts = [
                _STATISTICS.get(part, part) if lang == "zh" else part for part in found.groups()
            ]
            if rate:
                parts = [
                    _as_percent(part) if index in values else part
                    for index, part in enumerate(parts)
                ]
            if template.startswith(("填报项", "input")) and labels:
                parts = [labels.get(part, part) for part in parts]
            return template.format(*parts)
    return rule


def _as_percent(text: str) -> str:
    try:
        return percent(Decimal(text))
    except ArithmeticError:
        return text


class Explainer:
    """Explains the results of one rubric: input labels and units, indicator names."""

    def __init__(self, rubric: Rubric | None = None, lang: str = "zh") -> None:
        self.lang = "en" if lang == "en" else "zh"
        self.words = EXPLAIN_WORDS[self.lang]
        self.labels: dict[str, str] = {}
        self.units: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.nodes: dict[str, Indicator] = {}
        """The rubric's indicators by id (for their table texts)."""
        self.kinds: dict[str, str] = {}
        """Each input's type (``money``, ``count``, ``rate`` …)."""
        self.trace_words: Mapping[str, Mapping[str, Mapping[str, str]]] = {}
        """The words plugin methods give for their trace keys."""
        self.rates: set[str] = set()
        """The indicators whose ``value`` is a rate (shown as a percentage)."""
        self.phrased: dict[str, str] = {}
        """Formulas already put in words, by their text."""
        if rubric is not None:
            self.nodes = {node.id: node for node in rubric.walk()}
            for spec in rubric.inputs:
                self.labels[spec.id] = spec.label or spec.id
                listed = spec.type == "list"  # a list of rates is rates
                self.kinds[spec.id] = (spec.items or spec.type) if listed else spec.type
                if spec.unit:
                    self.units[spec.id] = spec.unit
            self.names = names(rubric, self.lang)
            self.trace_words = rubric.trace_words
            self.rates = {
                node.id
                for node in self.nodes.values()
                if any(
                    key == "value" and is_rate(formula.text, self.kinds)
                    for key, formula in node.values
                )
            }

    def formula(self, text: str) -> str:
        """A formula in words: inputs by their labels (in Chinese), operators as printed
        (each text put in words once: a batch explains the same formulas per unit)."""
        text = str(text)
        found = self.phrased.get(text)
        if found is None:
            found = formula_words(text, self.lang, self.labels if self.lang == "zh" else {})
            if len(self.phrased) < 4096:
                self.phrased[text] = found
        return found

    def value(self, row: IndicatorResult, value: Any) -> str:
        """A value ``row`` computed: a percentage if it is a rate."""
        return percent(value) if row.id in self.rates else number(value)

    def label(self, name: str) -> str:
        """An input's label (its id in English, where labels are Chinese)."""
        return name if self.lang == "en" else self.labels.get(name, name)

    def basis(self, row: IndicatorResult) -> str:
        """One paragraph: how ``row`` got its score (the 评分依据 column)."""
        return self.words[";"].join(self.sentences(row)) + self.words["."]

    def sentences(self, row: IndicatorResult) -> Iterator[str]:
        """The steps of ``row``'s score, one phrase each."""
        words, trace = self.words, row.trace
        if row.status == NOT_APPLICABLE:
            yield from self._not_applicable(trace.get("not_applicable"))
            return
        if "case" in trace:
            case = trace["case"]
            yield words["case"].format(when=self.formula(case["when"])) + (
                f"{words[':']}{case['reason']}" if case.get("reason") else ""
            )
        if trace.get("inputs"):
            given = words[","].join(
                f"{self.label(name)} {_show(value, words, self.kinds.get(name) == 'rate')}"
                f"{unit_word(self.units.get(name), self.lang)}"
                for name, value in trace["inputs"].items()
            )
            yield f"{words['inputs']}{words[':']}{given}"
        if "formula" in trace:
            yield f"{words['formula']} {self.formula(trace['formula'])}"
        if "value" in trace and "peer" not in trace:
            yield f"{words['value']} {self.value(row, trace['value'])}"
        if "rate" in trace:
            yield f"{words['rate']} {number(rational(trace['rate']) * 100, 2)}%"
        if "mean" in trace:
            yield f"{words['mean rate']} {number(rational(trace['mean']) * 100, 2)}%"

        def said(rule: Any) -> str:
            labels = self.labels if self.lang == "zh" else {}
            return rule_words(str(rule or ""), self.lang, labels, row.id in self.rates)

        if "band" in trace:
            yield words["band"].format(n=int(trace["band"]) + 1, rule=said(trace.get("rule")))
        elif "steps" in trace:
            yield words["steps"].format(
                steps=number(trace["steps"]),
                deducted=number(trace["deducted"]),
                rule=said(trace["rule"]),
            )
        elif "statistic" in trace:
            yield words["peer"].format(
                statistic=words.get(trace["statistic"], trace["statistic"]),
                value=self.value(row, trace["value"]),
                peer=self.value(row, trace["peer"]),
                source=said(trace.get("source")),
                rule=said(trace.get("rule")),
                answer=_show(trace.get("met"), words),
            )
        elif "rule" in trace:
            yield f"{words['rule']}{words[':']}{said(trace['rule'])}"
        if "condition" in trace and "declared" not in trace:
            yield words["met"].format(
                condition=self.formula(trace["condition"]), answer=_show(trace.get("met"), words)
            )
        if trace.get("items") and isinstance(trace["items"], list | tuple):
            items = words[","].join(
                f"{item['name']} {number(item.get('credit', 0))}/{number(item['points'])}"
                for item in trace["items"]
            )
            yield f"{words['items']}{words[':']}{items}"
        elif isinstance(trace.get("items"), int):
            yield words["parts"].format(n=trace["items"])
        if trace.get("deductions"):
            yield (
                words["deductions"]
                + words[":"]
                + words[","].join(
                    words["deduction"].format(
                        name=item["name"],
                        events=number(item["events"]),
                        deducted=number(item["deducted"]),
                    )
                    for item in trace["deductions"]
                )
            )
        if "declared" in trace:
            achieved = [
                item["name"] for item in trace.get("targets", ()) if item.get("status") == "met"
            ]
            yield words["targets"].format(declared=trace["declared"], met=trace.get("met", 0)) + (
                words["achieved"].format(names=words["list"].join(achieved)) if achieved else ""
            )
        if trace.get("unmet"):
            yield (
                words["unmet"]
                + words[":"]
                + words[","].join(
                    words["target row"].format(
                        name=item["name"],
                        target=item.get("target") or "",
                        actual=_show(item.get("actual"), words)
                        if item.get("actual") is not None
                        else "—",
                        done=number(rational(item.get("completion") or 0) * 100, 1),
                        points=words["target points"].format(points=number(item["points"]))
                        if item.get("points") is not None
                        else "",
                    )
                    + (
                        words[","] + words["deviation"].format(reason=item["deviation"])
                        if item.get("deviation")
                        else ""
                    )
                    for item in trace["unmet"]
                )
            )
        if trace.get("set_too_low"):
            yield words["too low"].format(names=words["list"].join(trace["set_too_low"]))
        if trace.get("reason"):
            yield f"{words['reason']}{words[':']}{trace['reason']}"
        declared = self.nodes.get(row.id)
        offered = self.trace_words.get(declared.method or "", {}) if declared else {}
        theirs = offered.get(self.lang) or offered.get("en") or {}
        for key, value in trace.items():
            if key not in _KNOWN:
                template = theirs.get(key)
                shown = _show(value, words)
                yield template.format(value=shown) if template else f"{key} {shown}"
        if "raw" in trace:
            yield words["raw"].format(raw=number(trace["raw"]), points=number(row.points))
        if "scaled" in trace:
            moved = words[","].join(
                f"{self.names.get(item['from'], item['from'])} {number(item['points'])}"
                for item in trace.get("reweighting", ())
            )
            scaled = f"{number(trace['raw'])} / {row.points} × {row.effective_points}"
            yield words["scaled"].format(moved=moved, scaled=scaled)
        yield words["score"].format(score=row.score)

    def _not_applicable(self, info: Any) -> Iterator[str]:
        if not isinstance(info, Mapping):
            yield self.words["inside"]
            return
        text = self.words["not_applicable"].format(applies=self.formula(info.get("applies", "")))
        given = info.get("given_to") or {}
        if given:
            to = self.words[","].join(
                f"{self.names.get(name, name)} {number(points)}" for name, points in given.items()
            )
            text += self.words["given_to"].format(to=to)
        yield text


@isolated
def explain(
    result: Result, indicator_id: str, rubric: Rubric | None = None, lang: str = "zh"
) -> str:
    """The full trace of one indicator (or group) in words and numbers, several lines.

    A group lists its children's scores; a leaf lists each step of its score. Raises
    ``KeyError`` if the result has no indicator ``indicator_id``.

    >>> import rubriceng
    >>> rubric = rubriceng.load_rubric({
    ...     "id": "example", "version": "1", "title": "Example", "total": 3,
    ...     "inputs": {"carryover": {"type": "money", "unit": "万元"},
    ...                "budget": {"type": "money", "unit": "万元"}},
    ...     "indicators": [{"id": "carryover_rate", "name": "结转结余率",
    ...                     "name_en": "Carry-over rate", "points": 3,
    ...                     "value": "carryover / budget",
    ...                     "bands": [{"upto": 0.10, "score": 3}, {"upto": 0.20, "score": 2},
    ...                               {"else": 0}]}],
    ... })
    >>> unit = {"carryover": "94.27", "budget": "10246.5"}
    >>> print(explain(rubriceng.evaluate(rubric, unit), "carryover_rate", rubric, "en"))
    Carry-over rate (carryover_rate) — 3.00 / 3.00
    <BLANKLINE>
      data: budget 10246.5 (10k yuan), carryover 94.27 (10k yuan)
      value 0.92%
      in band 1 (value ≤ 10%)
      3 of 3 points
      score 3.00
    """
    row = result.indicator(indicator_id)
    explainer = Explainer(rubric, lang)
    english = explainer.lang == "en"
    name = (row.name_en or row.name) if english else row.name
    points = f"{row.points}" + (
        "" if row.effective_points == row.points else f" → {row.effective_points}"
    )
    lines = [f"{name} ({row.id}) — {row.score} / {points}", ""]
    if row.children and "method" not in row.trace:
        for child in row.children:
            child_name = (child.name_en or child.name) if english else child.name
            lines.append(f"  {child_name} ({child.id}): {child.score} / {child.effective_points}")
        return "\n".join(lines)
    lines += [f"  {sentence}" for sentence in explainer.sentences(row)]
    for child in row.children:
        lines.append(f"  · {child.name}: {explainer.basis(child)}")
    declared = explainer.nodes.get(row.id)
    if declared is not None and declared.standard:
        lines += [
            "",
            f"  {'standard' if english else '评分标准'}"
            f"{': ' if english else '：'}{declared.standard}",
        ]
    return "\n".join(lines)
