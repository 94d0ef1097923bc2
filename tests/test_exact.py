"""Exact at every tie: half cents reached through division, means, reweighting and peers.

Each case is built to land exactly on a tie (x.xx5) or exactly on an edge (a band's
bound, a peer mean, a grade's minimum). The row path, the column path and a reference
written here with plain ``Fraction`` arithmetic agree on every leaf.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rubriceng
from tests.conftest import make_rubric

CENT = Decimal("0.01")


def half_up(value: Fraction) -> Decimal:
    """The reference: a Fraction rounded half-up to cents, by integer arithmetic."""
    cents = value * 100
    whole = (2 * cents.numerator + cents.denominator) // (2 * cents.denominator)
    return (Decimal(whole) * CENT).quantize(CENT, ROUND_HALF_UP)


class _Columns:
    """One unit's scores from a ScoreTable, read like a Result."""

    def __init__(self, table: rubriceng.ScoreTable, index: int) -> None:
        self.table, self.index = table, index
        self.total = table.totals()[index]
        self.grade = table.grades[index]

    def indicator(self, name: str) -> _Columns:
        self.score = self.table.column(name)[self.index]
        return self


def _both(document: dict, units: list[dict]) -> tuple[list, list]:
    rubric = rubriceng.load_rubric(document)
    rows = rubriceng.evaluate_many(rubric, units)
    columns = {key: [unit[key] for unit in units] for key in units[0]}
    table = rubriceng.evaluate_table(rubric, columns)
    return rows, [_Columns(table, index) for index in range(len(units))]


@pytest.mark.parametrize(
    ("done", "due", "points"),
    [(5, 24, 3), (13, 120, 3), (1, 8, 5), (3, 8, 5), (1, 40, 1), (7, 40, 3)],
)
def test_a_ratio_on_a_half_cent_rounds_half_up_on_rows_and_columns(done, due, points):
    document = make_rubric(
        [
            {
                "id": "r",
                "name": "及时性",
                "points": points,
                "ratio": {"actual": "done", "target": "due"},
            }
        ],
        {"done": {"type": "count"}, "due": {"type": "count"}},
    )
    exact = Fraction(points * done, due)
    assert (exact * 1000) % 10 == 5  # a tie, on purpose
    rows, columns = _both(document, [{"done": done, "due": due}])
    assert rows[0].indicator("r").score == columns[0].indicator("r").score == half_up(exact)


def test_the_issues_example_through_the_huizhou_rubric(huizhou, huizhou_inputs):
    huizhou_inputs.update(projects_on_time=5, projects_total=24)
    assert rubriceng.evaluate(huizhou, huizhou_inputs).indicator(
        "project_timeliness"
    ).score == Decimal("0.63")
    huizhou_inputs.update(projects_on_time=13, projects_total=120)
    assert rubriceng.evaluate(huizhou, huizhou_inputs).indicator(
        "project_timeliness"
    ).score == Decimal("0.33")


def test_a_mean_of_four_quarterly_ratios_on_a_tie(huizhou, huizhou_inputs):
    # 9 × (1/3 + 1/3 + 1/3 + 1/4... ) built to 9 × mean = x.xx5 exactly
    spending = [Decimal("0.1"), Decimal("0.2"), Decimal("0.3"), Decimal("0.4")]
    schedule = [Decimal("0.3"), Decimal("0.6"), Decimal("0.9"), Decimal("0.8")]
    mean = (
        sum(
            (Fraction(a) / Fraction(t) for a, t in zip(spending, schedule, strict=True)),
            Fraction(0),
        )
        / 4
    )
    exact = 9 * mean  # 部门预算资金支出率 has 9 points when 资金下达合法性 does not apply
    assert (exact * 1000) % 10 == 5
    huizhou_inputs.update(
        quarterly_spending_progress=spending, quarterly_scheduled_progress=schedule
    )
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("budget_spending_rate")
    assert row.score == half_up(exact) == Decimal("3.38")


@pytest.mark.parametrize(
    "rates",
    [
        (Fraction(1, 6), Fraction(1, 11), Fraction(1, 66)),  # 34-digit means put the middle
        (Fraction(0), Fraction(1, 12), Fraction(1, 6)),  # unit below a mean it is on
        (Fraction(1, 7), Fraction(1, 13), Fraction(1, 91)),
        (Fraction(2, 17), Fraction(1, 15), Fraction(4, 255)),
        (Fraction(19, 21), Fraction(2, 3), Fraction(3, 7)),
        (Fraction(1), Fraction(5, 7), Fraction(3, 7)),
    ],
)
def test_a_unit_exactly_on_a_batch_mean_like_two_thirds_compares_equal(rates):
    """Three units whose mean rate is exactly the middle unit's (1/11, 2/3, 5/7: no finite
    decimal): the middle unit is at least the mean, exactly."""
    assert sum(rates, Fraction(0)) / 3 == rates[1]
    document = make_rubric(
        [
            {
                "id": "use",
                "name": "利用率",
                "points": 2,
                "value": "used / total",
                "peer": {"statistic": "mean"},
            }
        ],
        {"used": {"type": "money"}, "total": {"type": "money"}},
    )
    units = [
        {"used": Decimal(rate.numerator), "total": Decimal(rate.denominator)} for rate in rates
    ]
    rows, columns = _both(document, units)
    expected = [Decimal("2.00") if rate >= rates[1] else Decimal("0.00") for rate in rates]
    assert [r.indicator("use").score for r in rows] == expected
    assert [c.indicator("use").score for c in columns] == expected


def test_reweighted_points_on_a_tie():
    """5 points moved onto a 3-point leaf scored 1/8: 1/8 × 8 / 3 × 3 … built to x.xx5."""
    document = make_rubric(
        [
            {"id": "a", "name": "甲", "points": 3, "ratio": {"actual": "x", "target": "y"}},
            {
                "id": "b",
                "name": "乙",
                "points": 5,
                "applies": "flag",
                "not_applicable": {"strategy": "move", "to": ["a"]},
                "score": "5",
            },
        ],
        {"x": {"type": "count"}, "y": {"type": "count"}, "flag": {"type": "boolean"}},
    )
    # a scores 3 × 5/48 raw, scaled to 8 points: 8 × 5/48 = 0.8333… no tie; use 1/16
    units = [{"x": 1, "y": 16, "flag": False}]
    exact = Fraction(8, 16)  # 8 points × 1/16 = 0.5 exactly
    rows, columns = _both(document, units)
    assert rows[0].indicator("a").score == columns[0].indicator("a").score == half_up(exact)
    units = [{"x": 5, "y": 64, "flag": False}]
    exact = Fraction(8 * 5, 64)  # 0.625
    rows, columns = _both(document, units)
    assert rows[0].indicator("a").score == columns[0].indicator("a").score == Decimal("0.63")


@pytest.mark.parametrize(("total", "grade"), [("90", "优"), ("80", "良"), ("60", "中")])
def test_totals_exactly_on_a_grade_edge(total, grade):
    """A total of exactly 90 (reached through 3 × 30/1 of a ratio) is 优, not 良."""
    document = make_rubric(
        [{"id": "a", "name": "甲", "points": 100, "ratio": {"actual": "x", "target": "y"}}],
        {"x": {"type": "money"}, "y": {"type": "money"}},
        grades=[
            {"name": "优", "min": 90},
            {"name": "良", "min": 80},
            {"name": "中", "min": 60},
            {"name": "差", "min": 0},
        ],
    )
    share = Fraction(int(total), 100)  # x / y with y = 3 × 7: never a finite decimal
    units = [{"x": Decimal(share.numerator * 21), "y": Decimal(share.denominator * 21)}]
    rows, columns = _both(document, units)
    assert (
        (rows[0].total, rows[0].grade)
        == (columns[0].total, columns[0].grade)
        == (Decimal(total).quantize(CENT), grade)
    )


@given(
    numerator=st.integers(min_value=0, max_value=5000),
    denominator=st.integers(min_value=1, max_value=5000),
    points=st.integers(min_value=1, max_value=20),
)
def test_hypothesis_finds_no_ratio_that_rounds_the_wrong_way(numerator, denominator, points):
    numerator = min(numerator, denominator)
    document = make_rubric(
        [{"id": "r", "name": "比率", "points": points, "ratio": {"actual": "x", "target": "y"}}],
        {"x": {"type": "count"}, "y": {"type": "count"}},
    )
    rows, columns = _both(document, [{"x": numerator, "y": denominator}])
    expected = half_up(Fraction(points * numerator, denominator))
    assert rows[0].indicator("r").score == columns[0].indicator("r").score == expected


@given(
    quarters=st.lists(
        st.tuples(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=400)),
        min_size=4,
        max_size=4,
    ),
)
def test_hypothesis_finds_no_quarterly_mean_that_rounds_the_wrong_way(huizhou, quarters):
    from tests.conftest import HUIZHOU_UNIT

    inputs = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    spending = [Decimal(a) / 400 for a, _ in quarters]
    schedule = [Decimal(t) / 400 for _, t in quarters]
    inputs.update(quarterly_spending_progress=spending, quarterly_scheduled_progress=schedule)
    rates = [
        min(Fraction(1), Fraction(a) / Fraction(t)) for a, t in zip(spending, schedule, strict=True)
    ]
    exact = 9 * min(Fraction(1), sum(rates, Fraction(0)) / 4)
    row = rubriceng.evaluate(huizhou, inputs).indicator("budget_spending_rate")
    assert row.score == half_up(exact)


@pytest.mark.parametrize("trace", [True, False])
def test_a_judged_leaf_decided_by_a_case_has_the_same_status_with_or_without_traces(
    huizhou, huizhou_inputs, trace
):
    huizhou_inputs["special_fund_graded_poor"] = True  # 项目监管's case: 0, by rule
    row = rubriceng.evaluate(huizhou, huizhou_inputs, trace=trace).indicator("project_supervision")
    assert (row.score, row.status) == (Decimal("0.00"), "scored")
    huizhou_inputs["special_fund_graded_poor"] = False  # judged by the assessor
    row = rubriceng.evaluate(huizhou, huizhou_inputs, trace=trace).indicator("project_supervision")
    assert (row.score, row.status) == (Decimal("3.00"), "judged")


@pytest.mark.parametrize(
    ("final", "budget", "score"),
    [
        ("105", "100", "3.50"),  # exactly 5%: one full step
        ("3.15", "3", "3.50"),
        ("31.5", "30", "3.50"),  # exactly 5% through a division
        ("21", "20", "3.50"),
        ("110", "100", "3.00"),
        ("63", "60", "3.50"),
        ("66", "60", "3.00"),
    ],
)
def test_a_step_boundary_reached_through_division_is_exact(
    huizhou, huizhou_inputs, final, budget, score
):
    huizhou_inputs.update(revenue_final=final, revenue_adjusted_budget=budget)
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("revenue_budget_variance")
    assert str(row.score) == score


@pytest.mark.parametrize(
    ("end", "start", "general", "score"),
    [
        ("10", "33", "67", "3"),
        ("20", "33", "67", "2"),
        ("1", "3", "7", "3"),  # exactly 10%
        ("3", "7", "3", "1"),
        ("2", "7", "3", "2"),
    ],  # exactly 30%, 20%
)
def test_a_band_edge_reached_through_division_is_exact(
    huizhou, huizhou_inputs, end, start, general, score
):
    huizhou_inputs.update(
        carryover_end=end, carryover_start=start, general_budget_final=general, fund_budget_final=0
    )
    row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("carryover_rate")
    assert row.score == Decimal(score).quantize(CENT)


def test_checklist_fractions_and_deductions_on_ties():
    document = make_rubric(
        [
            {
                "id": "c",
                "name": "清单",
                "points": 3,
                "checklist": [{"id": "x", "name": "X", "points": 3, "fraction": "div(a, b, 1)"}],
            },
            {
                "id": "d",
                "name": "扣分",
                "points": 1,
                "deductions": [{"name": "每次", "count": "n / 8", "deduct": 1}],
            },
        ],
        {"a": {"type": "count"}, "b": {"type": "count"}, "n": {"type": "count"}},
    )
    rows, columns = _both(document, [{"a": 5, "b": 24, "n": 3}])  # 3 × 5/24; 1 − 3/8
    assert rows[0].indicator("c").score == columns[0].indicator("c").score == Decimal("0.63")
    assert rows[0].indicator("d").score == columns[0].indicator("d").score == Decimal("0.63")
