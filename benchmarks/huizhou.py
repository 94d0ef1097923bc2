"""Synthetic units for the 惠州 2020 rubric, and a hand-written scorer of that rubric.

``generate(n)`` draws ``n`` units whose inputs are valid for
``cn.gd.huizhou/dept-overall@2020`` and that put many values exactly where scores are
fragile: on band edges (a carry-over rate of exactly 0.10), at the start of a step (a
variance of exactly 5%), on a cap (procurement exactly on plan), at zero (no stock last
year, no complaints), and on rounding halves. Both transfer-payment patterns occur, so
both not-applicable reweightings are exercised. Every unit is given the batch's exact
mean fixed-asset utilisation as ``peer_fixed_asset_use_rate``, so scoring one unit at a
time and scoring the batch give the same totals.

``hand_score(unit)`` is the rubric written out by hand in plain Python and
``decimal.Decimal`` — what a programmer would write for this one table, with the
reweighted points read off the rubric's notes. It is the baseline the benchmark
measures the engine against, and an independent check of the engine's totals.
"""

from __future__ import annotations

import decimal
import random
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from rubriceng.language.paths import flatten

D = Decimal
ZERO, ONE, CENT = D(0), D(1), D("0.01")
CONTEXT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
"""The engine's arithmetic (34 digits), so that both sides round the same quotients."""

QUARTERS = [D("0.25"), D("0.50"), D("0.75"), D("0.95")]
JUDGED_LISTS = {
    "budget_reasonableness": (
        "fits_duties_and_policy",
        "allocated_by_priority",
        "special_funds_detailed",
        "classification_accurate",
        "not_fixed",
    ),
    "goal_reasonableness": (
        "reflects_mandate",
        "reflects_plans",
        "decomposed_into_tasks",
        "matches_budget",
        "projects_appraised",
    ),
    "financial_compliance": (
        "execution_by_rules",
        "spending_compliant",
        "accounting_compliant",
        "major_projects_decided",
    ),
    "project_procedures": ("approvals_followed", "procurement_rules_followed"),
}
CLARITY = {"effect_indicators": 2, "measurable_values": 1, "quantified": 1, "values_justified": 1}
DISCLOSURE = {"budget_published": 2, "final_accounts_published": 2}


def _money(rng: random.Random, high: int = 10**9) -> Decimal:
    return D(rng.randrange(1, high)) / 100


def _fraction(rng: random.Random, low: float, high: float, places: int = 4) -> Decimal:
    scale = 10**places
    return D(rng.randrange(int(low * scale), int(high * scale) + 1)) / scale


def _picker(rng: random.Random, often: float) -> Any:
    def pick(edges: list[Decimal], low: float, high: float) -> Decimal:
        """An edge (``often`` of the time), else a value drawn between low and high."""
        return rng.choice(edges) if rng.random() < often else _fraction(rng, low, high)

    return pick


def _credit(rng: random.Random, points: int) -> Any:
    choice = rng.random()
    if choice < 0.4:
        return True
    if choice < 0.5:
        return False
    return D(rng.randrange(0, points * 4 + 1)) / 4  # quarters of a point


def _unit(rng: random.Random, edges: float) -> dict[str, Any]:
    pick = _picker(rng, edges)
    u: dict[str, Any] = {}
    u["has_transfer_payments"] = rng.random() < 0.5
    adjusted = _money(rng)
    u["revenue_adjusted_budget"] = adjusted
    variance = pick([D(0), D("0.05"), D("-0.05"), D("0.10"), D("0.35")], -0.3, 0.3)
    u["revenue_final"] = adjusted * (1 + variance)
    u["general_transfer_advance_rate"] = pick([D("0.90"), D("0.45")], 0, 1)
    u["special_transfer_advance_rate"] = pick([D("0.70"), D("0.35")], 0, 1)
    scheduled = QUARTERS if rng.random() < 0.5 else [_fraction(rng, 0.1, 1, 2) for _ in QUARTERS]
    u["quarterly_scheduled_progress"] = scheduled
    u["quarterly_spending_progress"] = [quarter * pick([ONE], 0.6, 1.2) for quarter in scheduled]
    start, general, fund = _money(rng, 10**7), _money(rng), _money(rng, 10**7)
    u.update(carryover_start=start, general_budget_final=general, fund_budget_final=fund)
    rate = pick([D("0.10"), D("0.20"), D("0.30")], 0, 0.4)
    u["carryover_end"] = (start + general + fund) * rate
    previous = D(0) if rng.random() < 0.1 else _money(rng)
    change = pick([D("-0.15"), D("-0.10"), D(0)], -0.3, 0.3)
    u["treasury_stock_previous"] = previous
    u["treasury_stock_end"] = (
        (D(0) if rng.random() < 0.5 else _money(rng)) if previous == 0 else previous * (1 + change)
    )
    plan = _money(rng)
    u["procurement_plan"] = plan
    u["procurement_actual"] = plan * pick([ONE, D("0.5")], 0.5, 1.05)
    approved = _money(rng)
    u["transfers_approved"] = approved
    u["transfers_issued_on_time"] = approved * pick([ONE], 0.5, 1)
    u["budget_approval_days_late"] = rng.choice([0, 0, 1, 2, 3, 4])
    for flag, chance in (
        ("special_fund_graded_poor", 0.1),
        ("annual_asset_report_late", 0.1),
        ("asset_data_complete", 0.9),
        ("ledgers_reconciled", 0.9),
        ("no_internal_asset_rules", 0.1),
        ("asset_rules_not_followed", 0.1),
        ("irregular_asset_disposal", 0.1),
        ("has_complaint_channels", 0.9),
    ):
        u[flag] = rng.random() < chance
    u["late_monthly_asset_reports"] = rng.choice([0, 0, 0, 1, 2])
    u["asset_inspection_findings"] = rng.choice([0, 0, 0, 1, 2, 4])
    total_assets = _money(rng)
    u["fixed_assets_total"] = total_assets
    u["fixed_assets_in_use"] = total_assets * pick([D("0.9"), ONE], 0.6, 1)
    for actual, budget in (
        ("three_public_actual", "three_public_budget"),
        ("daily_public_final", "daily_public_adjusted_budget"),
    ):
        u[budget] = _money(rng)
        u[actual] = u[budget] * pick([ONE], 0.8, 1.1)
    for done, declared in (
        ("key_tasks_completed", "key_tasks_total"),
        ("targets_met", "targets_declared"),
        ("projects_on_time", "projects_total"),
    ):
        u[declared] = rng.randrange(1, 13)
        u[done] = rng.randrange(0, u[declared] + 1)
    received = rng.choice([0, rng.randrange(1, 3000)])
    answered = rng.randrange(0, received + 1) if rng.random() < 0.5 else received
    u.update(complaints_received=received, complaints_answered=answered)
    u["complaints_answered_on_time"] = rng.randrange(0, answered + 1)
    for indicator, items in JUDGED_LISTS.items():
        u[indicator] = {item: _credit(rng, 1) for item in items}
    u["indicator_clarity"] = {item: _credit(rng, points) for item, points in CLARITY.items()}
    u["budget_disclosure"] = {item: rng.choice([0, 1, 2]) for item in DISCLOSURE}
    u["project_supervision"] = {"score": D(rng.randrange(0, 7)) / 2, "reason": "检查"}
    count = rng.randrange(1, 5)
    shares = [D(1000 // count + (1 if i < 1000 % count else 0)) / 100 for i in range(count)]
    u["effect_indicators"] = [
        {"name": f"效益{i}", "score": (share * _fraction(rng, 0, 1, 2)).quantize(CENT)}
        for i, share in enumerate(shares)
    ]
    u["satisfaction"] = {"score": D(rng.randrange(0, 17)) / 4, "reason": "问卷"}
    u["commendations"] = rng.choice([0, 0, 1, 4])
    u["accountability_findings"] = rng.choice([0, 0, 0, 1, 4])
    return u


def generate(n: int, seed: int = 2020, edges: float = 0.5) -> list[dict[str, Any]]:
    """``n`` valid units for the 惠州 2020 rubric, reproducibly from ``seed``.

    ``edges`` is how often a value that has an edge is put exactly on it (a band's bound,
    the start of a step, a cap): 0.5 to test exactness, less for realistic data.
    """
    rng = random.Random(seed)
    units = [_unit(rng, edges) for _ in range(n)]
    with decimal.localcontext(CONTEXT):
        rates = [u["fixed_assets_in_use"] / u["fixed_assets_total"] for u in units]
        mean = sum(rates, ZERO) / len(rates)
    for u in units:
        u["peer_fixed_asset_use_rate"] = mean
    return units


# -- the hand-written scorer -----------------------------------------------------------------


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _credits(given: dict[str, Any], points: dict[str, int]) -> Decimal:
    total = ZERO
    for item, worth in points.items():
        value = given[item]
        total += (D(worth) if value else ZERO) if isinstance(value, bool) else value
    return total


def _ratio(actual: Decimal, target: Decimal, points: int) -> Decimal:
    return points * min(ONE, actual / target)


def _bands(value: Decimal, edges: list[tuple[Decimal, int]]) -> int:
    for bound, score in edges:
        if value <= bound:
            return score
    return 0


def hand_score(u: dict[str, Any]) -> Decimal:
    """The unit's total by the 惠州 2020 table, written out by hand."""
    with decimal.localcontext(CONTEXT):
        return _hand_score(u)


def _hand_score(u: dict[str, Any]) -> Decimal:
    transfers = u["has_transfer_payments"]
    ones = dict.fromkeys(JUDGED_LISTS["budget_reasonableness"], 1)
    # 预算编制: without transfers, 提前下达率's 4 points go 1.34/1.33/1.33 to three checklists
    reasonableness = _credits(u["budget_reasonableness"], ones)
    goals = _credits(
        u["goal_reasonableness"], dict.fromkeys(JUDGED_LISTS["goal_reasonableness"], 1)
    )
    clarity = _credits(u["indicator_clarity"], CLARITY)
    if transfers:
        scores = [_round(reasonableness), _round(goals), _round(clarity)]
        advance = 2 * min(ONE, u["general_transfer_advance_rate"] / D("0.90")) + 2 * min(
            ONE, u["special_transfer_advance_rate"] / D("0.70")
        )
        scores.append(_round(advance))
    else:
        scores = [
            _round(reasonableness * D("6.34") / 5),
            _round(goals * D("6.33") / 5),
            _round(clarity * D("6.33") / 5),
        ]
    variance = abs(u["revenue_final"] - u["revenue_adjusted_budget"]) / u["revenue_adjusted_budget"]
    steps = max(ZERO, (variance / D("0.05")).to_integral_value(rounding=ROUND_FLOOR))
    scores.append(_round(max(ZERO, 4 - D("0.5") * steps)))
    # 资金管理: without transfers, 资金下达合法性's 3 points go to 部门预算资金支出率 (6 → 9)
    rates = [
        min(ONE, actual / target)
        for actual, target in zip(
            u["quarterly_spending_progress"], u["quarterly_scheduled_progress"], strict=True
        )
    ]
    spending = 6 * min(ONE, sum(rates, ZERO) / 4)
    scores.append(_round(spending if transfers else spending * 9 / 6))
    carryover = u["carryover_end"] / (
        u["carryover_start"] + u["general_budget_final"] + u["fund_budget_final"]
    )
    scores.append(D(_bands(carryover, [(D("0.10"), 3), (D("0.20"), 2), (D("0.30"), 1)])))
    previous, end = u["treasury_stock_previous"], u["treasury_stock_end"]
    if previous == 0:
        scores.append(D(3 if end == 0 else 0))
    else:
        change = end / previous - 1
        scores.append(D(_bands(change, [(D("-0.15"), 3), (D("-0.10"), 2), (D(0), 1)])))
    actual, plan = u["procurement_actual"], u["procurement_plan"]
    scores.append(ZERO if actual > plan else _round(_ratio(actual, plan, 2)))
    scores.append(
        _round(
            _credits(
                u["financial_compliance"], dict.fromkeys(JUDGED_LISTS["financial_compliance"], 1)
            )
        )
    )
    if transfers:
        approved, days = u["transfers_approved"], u["budget_approval_days_late"]
        if approved == 0:  # no transfers of its own: the budget part is worth 3, 1 a day
            scores.append(_round(max(ZERO, 3 - D(days))))
        else:
            on_time = u["transfers_issued_on_time"] / approved
            late = max(ZERO, D("1.5") - D("0.5") * days)
            scores.append(_round(D("1.5") * min(ONE, on_time) + late))
    scores.append(_round(_credits(u["budget_disclosure"], DISCLOSURE)))
    scores.append(
        _round(
            _credits(u["project_procedures"], dict.fromkeys(JUDGED_LISTS["project_procedures"], 1))
        )
    )
    supervision = u["project_supervision"]["score"]
    scores.append(ZERO if u["special_fund_graded_poor"] else _round(supervision))
    # 资产管理
    late = (2 if u["annual_asset_report_late"] else 0) + u["late_monthly_asset_reports"]
    scores.append(D(max(0, 2 - late)))
    scores.append(D(3 if u["asset_data_complete"] else 0))
    scores.append(D(3 if u["ledgers_reconciled"] else 0))
    findings = (
        u["no_internal_asset_rules"]
        + u["asset_rules_not_followed"]
        + u["irregular_asset_disposal"]
        + u["asset_inspection_findings"]
    )
    scores.append(D(max(0, 3 - findings)))
    use = u["fixed_assets_in_use"] / u["fixed_assets_total"]
    scores.append(D(2 if use >= u["peer_fixed_asset_use_rate"] else 0))
    # 预算使用效益
    control = (2 if u["three_public_actual"] <= u["three_public_budget"] else 0) + (
        2 if u["daily_public_final"] <= u["daily_public_adjusted_budget"] else 0
    )
    scores.append(D(control))
    scores.append(_round(_ratio(D(u["key_tasks_completed"]), D(u["key_tasks_total"]), 5)))
    scores.append(_round(_ratio(D(u["targets_met"]), D(u["targets_declared"]), 5)))
    scores.append(_round(_ratio(D(u["projects_on_time"]), D(u["projects_total"]), 3)))
    scores.append(sum((_round(item["score"]) for item in u["effect_indicators"]), ZERO))
    received = u["complaints_received"]
    answered = ONE if received == 0 else D(u["complaints_answered"]) / received
    on_time = ONE if received == 0 else D(u["complaints_answered_on_time"]) / received
    channels = ONE if u["has_complaint_channels"] else ZERO
    scores.append(_round(channels + answered + on_time))
    scores.append(_round(u["satisfaction"]["score"]))
    subtotal = sum(scores, ZERO)
    bonus = D(min(3, u["commendations"])) - D(min(6, 2 * u["accountability_findings"]))
    return min(max(subtotal + bonus, ZERO), D(100))


# -- the same units as columns ---------------------------------------------------------------

CREDIT_POINTS = {
    **{(indicator, item): 1 for indicator, items in JUDGED_LISTS.items() for item in items},
    **{("indicator_clarity", item): points for item, points in CLARITY.items()},
    **{("budget_disclosure", item): points for item, points in DISCLOSURE.items()},
}
"""What ``true`` is worth for each judged checklist item."""


def _flat(unit: dict[str, Any], credits: dict[tuple[str, str], int]) -> dict[str, Any]:
    """A unit as dotted columns; a checklist's true/false becomes the points in
    ``credits`` (a spreadsheet holds the number)."""
    row = flatten(unit)
    for (key, item), worth in credits.items():
        given = row.get(f"{key}.{item}")
        if isinstance(given, bool):
            row[f"{key}.{item}"] = D(worth) if given else ZERO
    return row


def to_columns(
    units: list[dict[str, Any]], credits: dict[tuple[str, str], int] = CREDIT_POINTS
) -> dict[str, Any]:
    """The units as the table an analyst would load: a column per input (dotted for a
    judged indicator's parts, numbered for list items), floats for numbers, an empty
    cell (NaN, None) where a unit gives nothing. A checklist's true/false becomes the
    points in ``credits``; pass ``{}`` to keep them (any rubric). Needs numpy."""
    import numpy as np

    rows = [_flat(unit, credits) for unit in units]
    names = sorted({name for row in rows for name in row})
    columns: dict[str, Any] = {}
    for name in names:
        values = [row.get(name) for row in rows]
        kinds = {type(value) for value in values if value is not None}
        if kinds == {bool} and None not in values:
            columns[name] = np.array(values, dtype=bool)
        elif kinds <= {int, Decimal, float}:
            columns[name] = np.array([np.nan if v is None else float(v) for v in values])
        else:
            columns[name] = np.array(values, dtype=object)
    return columns
