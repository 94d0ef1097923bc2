"""The 惠州 2020 table as a zen-engine decision (GoRules, ``pip install zen-engine``): the
peer rubriceng's row path is measured against.

The whole table is one expression node, written from :func:`benchmarks.huizhou.hand_score`
line for line, and each unit is fed as JSON text (numbers as their exact decimal text,
so zen's 28-digit decimals read them exactly; a dict of floats would not). The text is
made before the clock starts. zen rounds a quotient to 28 digits before ``round``, so a
score exactly on a half cent reached through division (3 × 5/24) can fall the other
way; the benchmark counts such disagreements.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from benchmarks.huizhou import CLARITY, DISCLOSURE, JUDGED_LISTS


def _credits(indicator: str, points: dict[str, int]) -> str:
    terms = [
        f'(type({indicator}.{item}) == "bool" ? ({indicator}.{item} ? {worth} : 0) : '
        f"{indicator}.{item})"
        for item, worth in points.items()
    ]
    return " + ".join(terms)


def _r(text: str) -> str:
    """Half-up to cents, as the table rounds each leaf."""
    return f"round({text}, 2)"


ON_TIME = (
    "1.5 * min([1, transfers_issued_on_time / transfers_approved])"
    " + max([0, 1.5 - 0.5 * budget_approval_days_late])"
)


def expressions() -> list[tuple[str, str]]:
    """The table, one (key, expression) per line; ``$`` is what the node computed so far."""
    ones = {name: dict.fromkeys(items, 1) for name, items in JUDGED_LISTS.items()}
    transfers = "has_transfer_payments"
    return [
        ("reasonableness", _credits("budget_reasonableness", ones["budget_reasonableness"])),
        ("goals", _credits("goal_reasonableness", ones["goal_reasonableness"])),
        ("clarity", _credits("indicator_clarity", CLARITY)),
        (
            "prep",
            f"{transfers} ? {_r('$.reasonableness')} + {_r('$.goals')} + "
            f"{_r('$.clarity')} + {_r('2 * min([1, general_transfer_advance_rate / 0.9]) + 2 * min([1, special_transfer_advance_rate / 0.7])')}"  # noqa: E501
            f" : {_r('$.reasonableness * 6.34 / 5')} + {_r('$.goals * 6.33 / 5')} + "
            f"{_r('$.clarity * 6.33 / 5')}",
        ),
        (
            "variance",
            _r(
                "max([0, 4 - 0.5 * max([0, floor(abs(revenue_final - "
                "revenue_adjusted_budget) / revenue_adjusted_budget / 0.05)])])"
            ),
        ),
        (
            "spending",
            "6 * min([1, sum(map([0, 1, 2, 3], min([1, quarterly_spending_progress[#]"
            " / quarterly_scheduled_progress[#]]))) / 4])",
        ),
        ("spent", f"{transfers} ? {_r('$.spending')} : {_r('$.spending * 9 / 6')}"),
        ("carry", "carryover_end / (carryover_start + general_budget_final + fund_budget_final)"),
        ("carried", "$.carry <= 0.10 ? 3 : ($.carry <= 0.20 ? 2 : ($.carry <= 0.30 ? 1 : 0))"),
        (
            "stock",
            "treasury_stock_previous == 0 ? (treasury_stock_end == 0 ? 3 : 0) : "
            "(treasury_stock_end / treasury_stock_previous - 1 <= -0.15 ? 3 : "
            "(treasury_stock_end / treasury_stock_previous - 1 <= -0.10 ? 2 : "
            "(treasury_stock_end / treasury_stock_previous - 1 <= 0 ? 1 : 0)))",
        ),
        (
            "procurement",
            "procurement_actual > procurement_plan ? 0 : "
            + _r("2 * min([1, procurement_actual / procurement_plan])"),
        ),
        ("compliance", _r(_credits("financial_compliance", ones["financial_compliance"]))),
        (
            "legality",
            f"not {transfers} ? 0 : (transfers_approved == 0 ? "
            f"{_r('max([0, 3 - budget_approval_days_late])')} : "
            f"{_r(ON_TIME)})",
        ),
        ("disclosure", _r(_credits("budget_disclosure", DISCLOSURE))),
        ("procedures", _r(_credits("project_procedures", ones["project_procedures"]))),
        ("supervision", f"special_fund_graded_poor ? 0 : {_r('project_supervision.score')}"),
        (
            "reports",
            "max([0, 2 - ((annual_asset_report_late ? 2 : 0) + late_monthly_asset_reports)])",
        ),
        (
            "assets",
            "(asset_data_complete ? 3 : 0) + (ledgers_reconciled ? 3 : 0) + "
            "max([0, 3 - ((no_internal_asset_rules ? 1 : 0) + "
            "(asset_rules_not_followed ? 1 : 0) + (irregular_asset_disposal ? 1 : 0) + "
            "asset_inspection_findings)])",
        ),
        ("use", "fixed_assets_in_use / fixed_assets_total >= peer_fixed_asset_use_rate ? 2 : 0"),
        (
            "control",
            "(three_public_actual <= three_public_budget ? 2 : 0) + "
            "(daily_public_final <= daily_public_adjusted_budget ? 2 : 0)",
        ),
        ("tasks", _r("5 * min([1, key_tasks_completed / key_tasks_total])")),
        ("targets", _r("5 * min([1, targets_met / targets_declared])")),
        ("projects", _r("3 * min([1, projects_on_time / projects_total])")),
        ("effects", "sum(map(effect_indicators, round(#.score, 2)))"),
        (
            "complaints",
            _r(
                "(has_complaint_channels ? 1 : 0) + (complaints_received == 0 ? 2 : "
                "complaints_answered / complaints_received + "
                "complaints_answered_on_time / complaints_received)"
            ),
        ),
        ("satisfied", _r("satisfaction.score")),
        (
            "subtotal",
            "$.prep + $.variance + $.spent + $.carried + $.stock + $.procurement + "
            "$.compliance + $.legality + $.disclosure + $.procedures + "
            "$.supervision + $.reports + $.assets + $.use + $.control + $.tasks + "
            "$.targets + $.projects + $.effects + $.complaints + $.satisfied",
        ),
        (
            "total",
            "string(min([100, max([0, $.subtotal + min([3, commendations]) - "
            "min([6, 2 * accountability_findings])])]))",
        ),
    ]


def expression() -> str:
    """The whole table as one expression: each ``$.key`` replaced by its expression."""
    done: dict[str, str] = {}
    for key, value in expressions():
        done[key] = re.sub(r"\$\.([a-z_]+)", lambda found: f"({done[found.group(1)]})", value)
    return done["total"]


def decision() -> str:
    """The decision as JDM JSON text: input → one expression node → output."""
    nodes = [
        {"id": "in", "type": "inputNode", "name": "unit", "position": {"x": 0, "y": 0}},
        {
            "id": "table",
            "type": "expressionNode",
            "name": "惠州2020",
            "position": {"x": 1, "y": 0},
            "content": {
                "expressions": [
                    {"id": str(index), "key": key, "value": value}
                    for index, (key, value) in enumerate(expressions())
                ]
            },
        },
        {"id": "out", "type": "outputNode", "name": "total", "position": {"x": 2, "y": 0}},
    ]
    edges = [
        {"id": "a", "sourceId": "in", "targetId": "table", "type": "edge"},
        {"id": "b", "sourceId": "table", "targetId": "out", "type": "edge"},
    ]
    return json.dumps({"nodes": nodes, "edges": edges}, ensure_ascii=False)


_NUMBER = re.compile(r'"@(-?[0-9.E+-]+)@"')


def to_json(unit: dict[str, Any]) -> str:
    """A unit as JSON text with its Decimals written as exact JSON numbers."""

    def marked(value: Any) -> Any:
        return f"@{value}@" if isinstance(value, Decimal) else value

    return _NUMBER.sub(r"\1", json.dumps(unit, ensure_ascii=False, default=marked))


def scorer() -> Any:
    """``score(json_text) -> Decimal``: the unit's total by zen-engine, the table compiled
    once as one expression (:func:`expression`). A decision graph of the same expressions
    (:func:`decision`) gives the same totals, but each ``ZenDecision.evaluate`` costs
    about 200 µs here whatever it holds, so the expression is the fair peer."""
    import zen

    table = zen.compile_expression(expression())

    def score(text: str) -> Decimal:
        return Decimal(table.evaluate(text))

    return score
