"""The 惠州 市直 table of seed 002 (惠州市人民政府办公室), reproduced to the cent."""

from __future__ import annotations

from decimal import Decimal

import rubriceng

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
    "effectiveness": "9.00",
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
        },
    }
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
