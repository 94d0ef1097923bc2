"""The 惠州 市直 table of seed 002 (惠州市人民政府办公室), reproduced to the cent."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import rubriceng

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

# Every scored indicator of the seed's table, as printed. The two 不适用 indicators are
# printed at full marks in the seed; their points are scored where they moved to.
SEED_LEAVES = {
    "budget_reasonableness": "5",
    "revenue_budget_variance": "4",
    "goal_reasonableness": "5",
    "indicator_clarity": "5",
    "budget_spending_rate": "6",
    "carryover_rate": "3",
    "treasury_stock_efficiency": "3",
    "procurement_rate": "1.86",
    "financial_compliance": "4",
    "budget_disclosure": "4",
    "project_procedures": "2",
    "project_supervision": "3",
    "asset_report_timeliness": "2",
    "asset_data_quality": "3",
    "ledger_reconciliation": "3",
    "asset_compliance": "3",
    "fixed_asset_utilisation": "2",
    "public_expense_control": "4",
    "key_task_completion": "5",
    "target_completion": "5",
    "project_timeliness": "3",
    "satisfaction": "3",
}
SEED_NOT_APPLICABLE = {"advance_release_rate": "4", "fund_release_legality": "3"}
SEED_EFFECTS = ["2.50", "2.00", "2.00", "2.50"]
# Where the not-applicable points went, and what each recipient scores (full marks).
RECIPIENTS = {
    "budget_reasonableness": "6.34",
    "goal_reasonableness": "6.33",
    "indicator_clarity": "6.33",
    "budget_spending_rate": "9.00",
}
GROUPS = {
    "budget_preparation": "23.00",
    "budget_compilation": "10.34",
    "goal_setting": "12.66",
    "budget_execution": "42.86",
    "fund_management": "24.86",
    "project_management": "5.00",
    "asset_management": "13.00",
    "budget_effectiveness": "32.00",
    "economy": "4.00",
    "efficiency": "13.00",
    "effect_indicators": "9.00",
    "fairness": "6.00",
}


def test_total_and_grade(huizhou, huizhou_inputs):
    result = rubriceng.evaluate(huizhou, huizhou_inputs, unit="惠州市人民政府办公室")
    assert result.total == Decimal("97.86")
    assert result.subtotal == Decimal("97.86")
    assert result.grade == "优"
    assert [(a.id, a.points) for a in result.adjustments] == [
        ("commendations", Decimal(0)),
        ("accountability_findings", Decimal(0)),
    ]


def test_every_seed_indicator(huizhou, huizhou_inputs):
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    scores = {row.id: row for row in result.walk()}
    for indicator, printed in SEED_LEAVES.items():
        row = scores[indicator]
        expected = Decimal(RECIPIENTS.get(indicator, printed))
        assert row.score == expected, indicator
        # the fraction of full marks is the seed's
        assert row.score / row.effective_points == Decimal(printed) / row.points, indicator
    for indicator, points in SEED_NOT_APPLICABLE.items():
        row = scores[indicator]
        assert (row.status, row.points, row.effective_points, row.score) == (
            "not_applicable",
            Decimal(points),
            Decimal("0.00"),
            Decimal("0.00"),
        )
    effects = scores["effect_indicators"]
    assert [str(child.score) for child in effects.children] == SEED_EFFECTS
    assert [child.name for child in effects.children] == [
        "推进政务信息公开透明",
        "网民来信答复率及时",
        "提升参训人员素养和军事技能",
        "安全事故发生次数=0",
    ]
    assert effects.score == Decimal("9.00")
    for group, expected in GROUPS.items():
        assert str(scores[group].score) == expected, group


def test_procurement_rate_from_the_seed_figures(huizhou, huizhou_inputs):
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("procurement_rate")
    assert row.trace["actual"] == Decimal("1236754.68")
    assert row.trace["target"] == Decimal("1331100")
    assert str(row.trace["raw"])[:6] == "1.8582"
    assert row.score == Decimal("1.86")


def test_not_applicable_points_are_conserved(huizhou, huizhou_inputs):
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    leaves = [result.indicator(node.id) for node in huizhou.walk() if node.is_leaf]
    assert sum(row.effective_points for row in leaves) == Decimal(100)
    assert sum(row.effective_points for row in result.indicators) == Decimal(100)
    advance = result.indicator("advance_release_rate")
    assert advance.trace["not_applicable"]["given_to"] == {
        "budget_reasonableness": Decimal("1.34"),
        "goal_reasonableness": Decimal("1.33"),
        "indicator_clarity": Decimal("1.33"),
    }
    spending = result.indicator("budget_spending_rate")
    assert spending.trace["reweighting"] == (
        {"from": "fund_release_legality", "points": Decimal("3.00")},
    )


def test_rounding_each_recipient_down_would_lose_a_cent(huizhou, huizhou_inputs):
    # 4 points over 5:5:5 rounded separately would give 1.33 three times: 97.85.
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    recipients = [
        result.indicator(i).effective_points
        for i in ("budget_reasonableness", "goal_reasonableness", "indicator_clarity")
    ]
    assert recipients == [Decimal("6.34"), Decimal("6.33"), Decimal("6.33")]


def test_with_transfer_payments_both_indicators_are_scored(huizhou, huizhou_inputs):
    huizhou_inputs.update(
        has_transfer_payments=True,
        general_transfer_advance_rate="81%",
        special_transfer_advance_rate=0.70,
        transfers_issued_on_time=90,
        transfers_approved=100,
        budget_approval_days_late=1,
    )
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    # 2 × 0.81/0.90 + 2 × 1 = 3.8; 1.5 × 0.9 + (1.5 − 0.5) = 2.35
    assert result.indicator("advance_release_rate").score == Decimal("3.80")
    assert result.indicator("fund_release_legality").score == Decimal("2.35")
    assert result.indicator("budget_reasonableness").effective_points == Decimal("5.00")
    assert result.indicator("budget_spending_rate").score == Decimal("6.00")
    assert result.total == Decimal("100") - Decimal("0.14") - 2 - Decimal("0.2") - Decimal("0.65")


def test_adjustments_are_capped_and_the_total_clamped(huizhou, huizhou_inputs):
    huizhou_inputs.update(commendations=5)
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    assert result.adjustments[0].points == Decimal(3)
    assert result.subtotal == Decimal("97.86")
    assert result.total == Decimal("100.00")
    huizhou_inputs.update(commendations=1, accountability_findings=4)
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    assert [a.points for a in result.adjustments] == [Decimal(1), Decimal(-6)]
    assert result.total == Decimal("92.86")
    assert result.grade == "优"


def test_peer_comparison_over_a_batch(huizhou, huizhou_inputs):
    above = dict(huizhou_inputs, fixed_assets_in_use=96, fixed_assets_total=100)
    below = dict(huizhou_inputs, fixed_assets_in_use=90, fixed_assets_total=100)
    level = dict(huizhou_inputs, fixed_assets_in_use=93, fixed_assets_total=100)
    results = rubriceng.evaluate_many(huizhou, {"a": above, "b": below, "c": level})
    # mean of 0.96, 0.90 and 0.93 is 0.93: "at least the mean" scores
    assert [r.indicator("fixed_asset_utilisation").score for r in results] == [
        Decimal("2.00"),
        Decimal("0.00"),
        Decimal("2.00"),
    ]
    assert [r.unit for r in results] == ["a", "b", "c"]
    assert results[1].indicator("fixed_asset_utilisation").trace["peer"] == Decimal("0.93")


def test_result_json_layout(huizhou, huizhou_inputs):
    data = rubriceng.evaluate(huizhou, huizhou_inputs, unit="惠州市人民政府办公室").to_dict()
    assert data["format"] == "rubriceng.result/1"
    assert data["rubric"] == {
        "id": "cn.gd.huizhou/dept-overall",
        "version": "2020",
        "title": "惠州市市直部门整体支出绩效自评指标评分表",
        "extends": None,
        "provenance": {
            "sources": ["惠州市人民政府办公室 整体绩效自评信息指标评分表 (2020)"],
            "points": "transcribed",
            "rule": "transcribed",
            "grades": "reconstructed",
            "reasoning": "评分表只印总分，没有印等级划分。优 ≥ 90、良 80 至 < 90、中 60 至 < 80、"
            "差 < 60 是全国部门整体支出绩效评价通用的等级划分；同一单位的 2025 年报告把 96.56 "
            "分评为优，与之相符。",
            "reasoning_en": data["rubric"]["provenance"]["reasoning_en"],
        },
    }
    assert data["rubric"]["provenance"]["reasoning_en"].startswith("The table prints no grade")
    assert (data["total"], data["grade"], data["unit"]) == ("97.86", "优", "惠州市人民政府办公室")
    top = data["indicators"][0]
    assert list(top)[:7] == ["id", "name", "points", "effective_points", "score", "status", "trace"]
    procurement = data["indicators"][1]["children"][0]["children"][3]
    assert procurement["id"] == "procurement_rate"
    assert procurement["score"] == "1.86"
    assert procurement["origin"] == "cn.gd.huizhou/dept-overall@2020"
    assert procurement["provenance"] == {"points": "transcribed", "rule": "transcribed"}
    assert procurement["trace"]["inputs"] == {
        "procurement_actual": "1236754.68",
        "procurement_plan": "1331100",
    }


@pytest.mark.parametrize(
    ("spending", "schedule", "bad"),
    [
        ([20, 40, 60, 80], [0.25, 0.5, 0.75, 0.95], 4),  # progress typed in percent
        ([0.26, 0.51, 0.76, 0.98], [25, 50, 75, 95], 4),  # the schedule typed in percent
        ([0.26, 0.51, 76, 0.98], [0.25, 0.5, 0.75, 0.95], 1),  # one quarter slipped
    ],
)
def test_quarterly_rates_typed_as_percentages_are_refused(
    huizhou, huizhou_inputs, spending, schedule, bad
):
    huizhou_inputs.update(
        quarterly_spending_progress=spending, quarterly_scheduled_progress=schedule
    )
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.evaluate(huizhou, huizhou_inputs)
    problems = raised.value.problems
    assert len(problems) == bad
    assert all("a percentage? write 0." in problem.message for problem in problems)


@pytest.mark.parametrize(
    ("plan", "actual", "score", "rule"),
    [
        ("0", "0", "2.00", "target is zero"),
        ("0", "5000", "0.00", "actual exceeds target: 0"),
        ("100", "100", "2.00", None),
        ("100", "100.01", "0.00", "actual exceeds target: 0"),
    ],
)
def test_a_unit_without_a_procurement_plan(huizhou, huizhou_inputs, plan, actual, score, rule):
    huizhou_inputs.update(procurement_plan=plan, procurement_actual=actual)
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("procurement_rate")
    assert (str(row.score), row.trace.get("rule")) == (score, rule)


@pytest.mark.parametrize(
    ("indicator", "done", "due", "full"),
    [
        ("key_task_completion", "key_tasks_completed", "key_tasks_total", "5.00"),
        ("target_completion", "targets_met", "targets_declared", "5.00"),
        ("project_timeliness", "projects_on_time", "projects_total", "3.00"),
    ],
)
def test_nothing_due_scores_full_marks_and_more_done_than_due_is_refused(
    huizhou, huizhou_inputs, indicator, done, due, full
):
    huizhou_inputs.update({done: 0, due: 0})
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator(indicator)
    assert (str(row.score), row.trace["rule"]) == (full, "target is zero")
    huizhou_inputs.update({done: 4, due: 3})
    with pytest.raises(rubriceng.InputError) as raised:  # the inputs are at fault
        rubriceng.evaluate(huizhou, huizhou_inputs)
    [problem] = raised.value.problems
    assert (problem.code, problem.indicator) == ("actual-exceeds-target", indicator)
    assert problem.message == f"{done} (4) is more than {due} (3)"


def test_nothing_to_do_and_exceeding_are_explained_in_chinese(huizhou, huizhou_inputs):
    huizhou_inputs.update(procurement_plan=0, procurement_actual=0)
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    assert (
        "  规则：目标值为 0，没有应完成的事项"
        in rubriceng.explain(result, "procurement_rate", huizhou).splitlines()
    )
    huizhou_inputs.update(procurement_actual=5000)
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    assert (
        "  规则：实际值超过目标值，本项不得分"
        in rubriceng.explain(result, "procurement_rate", huizhou).splitlines()
    )


def test_no_complaints_received_scores_full_marks(huizhou, huizhou_inputs):
    huizhou_inputs.update(
        complaints_received=0, complaints_answered=0, complaints_answered_on_time=0
    )
    assert rubriceng.evaluate(huizhou, huizhou_inputs).indicator("complaint_handling").score == 3


@pytest.mark.parametrize(
    ("final", "budget", "score"),
    [
        ("10298.31", "10330.43", "4.00"),  # the seed's own figures: 0.31%
        ("95.01", "100", "4.00"),
        ("95", "100", "3.50"),
        ("105", "100", "3.50"),  # 5% itself
        ("90.01", "100", "3.50"),
        ("90", "100", "3.00"),
        ("160", "100", "0.00"),
        ("100", "100", "4.00"),
    ],
)
def test_each_full_5_percent_of_revenue_variance_costs_half_a_point(
    huizhou, huizhou_inputs, final, budget, score
):
    huizhou_inputs.update(revenue_final=final, revenue_adjusted_budget=budget)
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("revenue_budget_variance")
    assert str(row.score) == score


@pytest.mark.parametrize(
    ("changes", "score"),
    [
        ({}, None),  # no transfer payments: not applicable
        (
            {
                "has_transfer_payments": True,
                "transfers_issued_on_time": 80,
                "transfers_approved": 100,
                "budget_approval_days_late": 1,
            },
            "2.20",
        ),  # 1.5 × 0.8 + (1.5 − 0.5)
        (
            {
                "has_transfer_payments": True,
                "transfers_issued_on_time": 0,
                "transfers_approved": 0,
                "budget_approval_days_late": 1,
            },
            "2.00",
        ),  # none of its own: 3 − 1 per day
        (
            {
                "has_transfer_payments": True,
                "transfers_issued_on_time": 0,
                "transfers_approved": 0,
                "budget_approval_days_late": 5,
            },
            "0.00",
        ),
        (
            {
                "has_transfer_payments": True,
                "transfers_issued_on_time": 100,
                "transfers_approved": 100,
                "budget_approval_days_late": 0,
                "budget_approved": False,
            },
            "1.50",
        ),  # never approved
        (
            {
                "has_transfer_payments": True,
                "transfers_issued_on_time": 0,
                "transfers_approved": 0,
                "budget_approval_days_late": 0,
                "budget_approved": False,
            },
            "0.00",
        ),
    ],
)
def test_fund_release_legality_has_every_branch_of_the_table(
    huizhou, huizhou_inputs, changes, score
):
    huizhou_inputs.update(general_transfer_advance_rate=1, special_transfer_advance_rate=1)
    huizhou_inputs.update(changes)
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("fund_release_legality")
    assert (None if row.status == "not_applicable" else str(row.score)) == score


@pytest.mark.parametrize(("evidence", "score"), [(True, "3.00"), (False, "0.00")])
def test_project_supervision_needs_its_evidence(huizhou, huizhou_inputs, evidence, score):
    huizhou_inputs["supervision_evidence_provided"] = evidence
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("project_supervision")
    assert str(row.score) == score


def test_the_as_printed_variant_reproduces_every_printed_row(huizhou_inputs):
    """The rule reading (default) and the printed reading, side by side."""
    rule = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    printed = rubriceng.load_rubric(EXAMPLES / "huizhou-2020-as-printed.yaml")
    by_rule, as_printed = (rubriceng.evaluate(r, huizhou_inputs) for r in (rule, printed))
    assert by_rule.total == as_printed.total == Decimal("97.86")
    for leaf, seed in {**SEED_LEAVES, **SEED_NOT_APPLICABLE}.items():
        assert as_printed.indicator(leaf).score == Decimal(seed), leaf
    six = {**SEED_NOT_APPLICABLE, **RECIPIENTS}
    differ = {leaf for leaf in six if by_rule.indicator(leaf).score != Decimal(six[leaf])}
    assert differ == set(SEED_NOT_APPLICABLE)  # by rule: 不适用, their points moved
    # a recipient that loses a point: the readings part (5 × 4/5 = 4 vs 6.34 × 4/5 = 5.07)
    huizhou_inputs["budget_reasonableness"] = {
        **huizhou_inputs["budget_reasonableness"],
        "not_fixed": False,
    }
    totals = [rubriceng.evaluate(r, huizhou_inputs).total for r in (rule, printed)]
    assert totals == [Decimal("96.59"), Decimal("96.86")]


def test_the_inputs_schema_carries_the_rates_ranges(huizhou):
    inputs = rubriceng.inputs_schema(huizhou)["properties"]["inputs"]["properties"]
    ranges = {
        name: next(part for part in inputs[name]["items"]["anyOf"] if part["type"] == "number")
        for name in ("quarterly_scheduled_progress", "quarterly_spending_progress")
    }
    assert ranges == {
        "quarterly_scheduled_progress": {"type": "number", "minimum": 0, "maximum": 1},
        "quarterly_spending_progress": {"type": "number", "minimum": 0, "maximum": 1.5},
    }
    rates = [name for name, spec in inputs.items() if "rate" in spec["description"]]
    assert rates and all(
        any(
            part.get("maximum") is not None
            for part in inputs[name].get("anyOf", inputs[name].get("items", {}).get("anyOf", []))
        )
        for name in rates
    )
