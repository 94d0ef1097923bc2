"""A unit's 绩效目标申报表: its sheets, rows and key tasks, read from YAML, JSON or a
workbook (:func:`load_sheets`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.outputs.words import TARGET_WORDS
from rubriceng.targets.judging import Judgement, judge, mismatch, quoted
from rubriceng.targets.parse import Target, parse_target
from rubriceng.targets.terms import MET, NOT_MET, TIERS


@attrs.frozen
class TargetRow:
    """One three-level indicator of a target sheet, with the unit's actual value if known.

    ``comparator`` overrides the implied one; ``met`` is a person's judgement (for values
    that need one, or to overrule), and ``tier`` one in three tiers (达成, 部分达成,
    未达成); ``baseline`` is the value a change is measured from (上年实际值); ``reason``
    is the 偏差原因 of a target not met.
    """

    level1: str
    level2: str
    name: str
    period_value: str | None = None
    annual_value: str | None = None
    actual: Any = None
    comparator: str | None = None
    met: bool | None = None
    line: int | None = None
    points: Decimal | None = None
    """The row's 分值 where the form gives one (a self-evaluation form weighs each 三级
    indicator); rows without points weigh the same."""
    baseline: Any = None
    tier: str | None = None
    reason: str | None = None

    @property
    def value(self) -> str | None:
        """The year's target value, else the period's."""
        return self.annual_value or self.period_value

    def target(self) -> Target:
        """The parsed target value."""
        return parse_target(self.value or "")

    def comparator_used(self) -> str:
        """The comparator that applies: the row's override, as written, or implied."""
        return self.comparator or self.target().implied(self.level1, self.level2, self.name)

    def comparator_implied(self) -> bool:
        """Whether the comparator is implied (neither written in the value nor the row's)."""
        target = self.target()
        return (
            self.comparator is None
            and target.comparator is None
            and not target.judgement
            and target.direction is None
        )

    def judgement(self, lang: str = "zh") -> Judgement | None:
        """The row's judgement, its reason in ``lang``; None if it has no actual value, no
        ``met`` and no ``tier``."""
        judged = TARGET_WORDS[lang]["judged"]
        if self.tier is not None:
            status = TIERS.get(self.tier)
            if status is None:
                raise mismatch("tier", tier=quoted(self.tier))
            done = {MET: Decimal(1), NOT_MET: Decimal(0)}.get(status)
            return Judgement(status, done, judged)
        if self.met is not None:
            return Judgement(MET if self.met else NOT_MET, Decimal(int(self.met)), judged)
        if self.actual is None:
            return None
        return judge(
            self.target(),
            self.actual,
            self.comparator_used(),
            lang,
            baseline=self.baseline,
            implied=self.comparator_implied(),
        )


@attrs.frozen
class KeyTask:
    """A 年度重点工作任务 of the department's sheet: what, how, the funds (元), the aim."""

    name: str
    content: str | None = None
    funds: Decimal | None = None
    goal: str | None = None


@attrs.frozen
class TargetSheet:
    """One sheet of a 申报表: the department's overall targets or one project's."""

    name: str
    kind: str = "project"
    """``department`` or ``project``."""
    unit: str | None = None
    year: int | None = None
    period: tuple[int | None, int | None] = (None, None)
    budget: Decimal | None = None
    """The year's budget, in 元."""
    spent: Decimal | None = None
    """What was spent of it, in 元, where known (for 预算执行率)."""
    rows: tuple[TargetRow, ...] = ()
    source: str | None = None
    amounts: Mapping[str, Decimal] = attrs.field(factory=dict)
    """Budget lines as the form prints them (基本支出, 项目支出, 财政拨款, …), in 元."""
    tasks: tuple[KeyTask, ...] = ()
    """The department's 年度重点工作任务."""
    goal: str | None = None
    """The 总体绩效目标 (the year's, for a project)."""

    def as_input(self, levels: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The rows (of the level-1 groups ``levels``, else all) as the ``targets`` input of
        a rubric (method ``target_completion``)."""
        rows = [row for row in self.rows if levels is None or row.level1 in levels]
        return [
            {
                key: value
                for key, value in (
                    ("level1", row.level1),
                    ("level2", row.level2),
                    ("name", row.name),
                    ("target", row.value),
                    ("actual", row.actual),
                    ("comparator", row.comparator),
                    ("met", row.met),
                    ("points", row.points),
                    ("baseline", row.baseline),
                    ("tier", row.tier),
                    ("reason", row.reason),
                )
                if value is not None
            }
            for row in rows
        ]

    def project_inputs(self) -> dict[str, Any]:
        """The inputs of the project rubric ``cn/project-self-evaluation``: budget, spent
        and the targets by level-1 group (成本 with 产出)."""
        inputs: dict[str, Any] = {
            "output_targets": self.as_input(("成本指标", "产出指标")),
            "effect_targets": self.as_input(("效益指标",)),
            "satisfaction_targets": self.as_input(("满意度指标",)),
        }
        if self.budget is not None:
            inputs["budget"] = self.budget
        if self.spent is not None:
            inputs["spent"] = self.spent
        return inputs


def row_of(data: Mapping[str, Any], line: int | None = None) -> TargetRow:
    """A row from a mapping: a sheet's (``annual``, ``period``) or a ``targets`` input's
    (``target``), with ``level1, level2, name, actual, comparator, met, points, baseline,
    tier, reason``."""
    return TargetRow(
        str(data.get("level1", "")),
        str(data.get("level2", "")),
        str(data.get("name", "")),
        _text(data.get("period")),
        _text(data.get("annual", data.get("target"))),
        data.get("actual"),
        data.get("comparator"),
        data.get("met"),
        line,
        money(data.get("points")),
        data.get("baseline"),
        _text(data.get("tier")),
        _text(data.get("reason")),
    )


MAX_MONEY = Decimal(10) ** 15
"""The largest amount a 申报表 may give (in 元; a province's whole budget is far less)."""


def money(value: Any, scale: Decimal = Decimal(1)) -> Decimal | None:
    """A number as a form writes it (``1,234.5``), times ``scale``; None if blank.
    Raises ValueError for anything else: text that is no number, a true/false, a
    negative amount, one that is not finite or beyond :data:`MAX_MONEY`."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    if len(text) > 40:
        raise ValueError(value)
    try:
        found = Decimal(text) * scale
    except ArithmeticError:  # InvalidOperation: no number
        raise ValueError(value) from None
    if not found.is_finite() or not 0 <= found <= MAX_MONEY:
        raise ValueError(value)
    return found


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
