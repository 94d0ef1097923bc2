"""A rubric's rules for people: each indicator's rule as the rubric states it.

``rubriceng show RUBRIC --rules`` prints these lines under the tree. They come from the
rubric as compiled — the table's own words (评分标准), the formulas, the scoring method's
settings, the special cases, when the indicator applies and where its points go when it
does not — so what is shown is what the engine scores by, for plugin methods too.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.formula.language import Formula
from rubriceng.language.model import Indicator
from rubriceng.outputs.words import OUTLINE_WORDS


def rule_lines(indicator: Indicator, lang: str = "zh") -> list[str]:
    """The rule of ``indicator`` in lines: heading, 评分标准, formulas, the method's
    settings, special cases, applicability, notes and source (file:line).

    >>> import rubriceng
    >>> rubric = rubriceng.find_rubric("cn/project-self-evaluation@2020")
    >>> print("\\n".join(rule_lines(rubric.indicator("budget_execution"), "en")))
    Budget execution rate (budget_execution) — 10.00 points, ratio
      standard: 得分=分值×全年执行数÷全年预算数，最高为满分。
      ratio: actual = spent, target = budget
      source: ...project-self-evaluation-2020.yaml:60
    >>> print("\\n".join(rule_lines(rubric.indicator("budget_execution"))[1:3]))
      评分标准：得分=分值×全年执行数÷全年预算数，最高为满分。
      ratio：actual = spent, target = budget
    """
    words = OUTLINE_WORDS[lang]
    colon = words[":"]
    name = (indicator.name_en or indicator.name) if lang == "en" else indicator.name
    method = f", {indicator.method}" if indicator.method else ""
    lines = [f"{name} ({indicator.id}) — {indicator.points} {words['points']}{method}"]
    if indicator.children:
        parts = ", ".join(f"{child.id} {child.points}" for child in indicator.children)
        lines.append(f"  {words['children']}{colon}{parts}")
    for key in ("description", "standard", "remarks"):
        if text := getattr(indicator, key):
            lines.append(f"  {words[key]}{colon}{text}")
    for key, formula in indicator.values:
        lines.append(f"  {key} = {formula.text}")
    if indicator.scorer is not None:
        settings, rows = [], []
        for field in _settings(indicator.scorer):
            value = getattr(indicator.scorer, field.name)
            if field.default is not attrs.NOTHING and value == field.default:
                continue  # a setting left as it is by default says nothing
            if isinstance(value, tuple) and value and attrs.has(type(value[0])):
                rows.append(f"  {field.name}{colon}".rstrip())  # bands, criteria: a line each
                rows.extend(f"    - {_shown(item)}" for item in value)
            elif (shown := _shown(value)) is not None:
                settings.append(f"{field.name} = {shown}")
        if settings:
            lines.append(f"  {indicator.method}{colon}{', '.join(settings)}")
        lines.extend(rows)
    for case in indicator.cases:
        reason = f" ({case.reason})" if case.reason else ""
        score = words["scores"].format(score=case.score)
        lines.append(f"  {words['case']}{colon}{case.when.text} → {score}{reason}")
    if indicator.applies is not None:
        lines.append(f"  {words['applies']}{colon}{indicator.applies.text}")
    if indicator.not_applicable is not None:
        rule = indicator.not_applicable
        to = f" → {', '.join(rule.to)}" if rule.to else ""
        lines.append(f"  {words['otherwise']}{colon}{rule.strategy}{to}")
    notes = indicator.notes_en if lang == "en" and indicator.notes_en else indicator.notes
    lines.extend(f"  {words['notes']}{colon}{note}" for note in notes)
    if indicator.source:
        where = f"{indicator.source}:{indicator.line}" if indicator.line else indicator.source
        lines.append(f"  {words['source']}{colon}{where}")
    return lines


def _settings(value: object) -> tuple[Any, ...]:
    """The attrs fields of a scorer or of one of its parts (none for other classes)."""
    return tuple(getattr(type(value), "__attrs_attrs__", ()))


def _fields(value: object) -> Iterator[str]:
    for field in _settings(value):
        shown = _shown(getattr(value, field.name))
        if shown is not None:
            yield f"{field.name} = {shown}"


def _shown(value: object) -> str | None:
    """A setting as text: formulas by their text, numbers and words as written, a band
    with what it scores, a nested setting as its fields; None for what is not set."""
    if value is None or value == ():
        return None
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, str | bool | int | Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        shown = [_shown(item) for item in value]
        return "; ".join(item for item in shown if item is not None)
    describe = getattr(value, "describe", None)
    if callable(describe):  # a band: its condition, and what it scores
        score = getattr(value, "score", None)
        return str(describe()) + (f" → {score}" if score is not None else "")
    if attrs.has(type(value)):
        return ", ".join(_fields(value))
    return None
