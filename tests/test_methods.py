"""Edge cases of every scoring method, each from data alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

import rubriceng
from tests.conftest import make_rubric, score_of

RATE = {"type": "rate"}
MONEY = {"type": "money"}


def one(indicator: dict, inputs: dict | None = None, **extra) -> dict:
    return make_rubric([{"id": "x", "name": "指标", **indicator}], inputs, **extra)


# -- ratio -------------------------------------------------------------------------------

RATIO = one(
    {"points": 2, "ratio": {"actual": "a", "target": "t", "zero_when_exceeds": True}},
    {"a": MONEY, "t": MONEY},
)


@pytest.mark.parametrize(
    ("actual", "target", "score"),
    [
        ("1236754.68", "1331100", "1.86"),
        ("1331100", "1331100", "2.00"),
        ("1331100.01", "1331100", "0.00"),  # exceeds the plan: 0
        ("0", "10", "0.00"),
        ("0.5", "1", "1.00"),
        ("0.99749", "1", "1.99"),  # 1.99498 → 1.99
        ("0.99750", "1", "2.00"),  # 1.995 exactly rounds half up
    ],
)
def test_ratio(actual, target, score):
    assert score_of(RATIO, {"a": actual, "t": target}, "x") == score


def test_ratio_capped_without_zero_rule():
    document = one({"points": 5, "ratio": {"actual": "a", "target": "t"}}, {"a": MONEY, "t": MONEY})
    assert score_of(document, {"a": 12, "t": 10}, "x") == "5.00"


def test_ratio_zero_target_is_an_error_naming_the_indicator():
    with pytest.raises(rubriceng.EvaluationError) as caught:
        score_of(RATIO, {"a": 0, "t": 0})
    (problem,) = caught.value.problems
    assert (problem.code, problem.indicator, problem.field) == (
        "zero-denominator",
        "x",
        "ratio.target",
    )
    assert problem.message == "target t is zero"


def test_ratio_zero_target_score_when_declared():
    document = one(
        {"points": 2, "ratio": {"actual": "a", "target": "t", "if_target_zero": 2}},
        {"a": MONEY, "t": MONEY},
    )
    assert score_of(document, {"a": 0, "t": 0}, "x") == "2.00"


# -- bands -------------------------------------------------------------------------------

BANDS = one(
    {
        "points": 3,
        "value": "c / b",
        "bands": [
            {"upto": 0.10, "score": 3},
            {"upto": 0.20, "score": 2},
            {"below": 0.30, "score": 1},
            {"upto": 0.30, "score": 0.5},
            {"else": 0},
        ],
    },
    {"c": MONEY, "b": MONEY},
)


@pytest.mark.parametrize(
    ("carry", "score"),
    [
        ("0", "3.00"),
        ("10", "3.00"),
        ("10.0001", "2.00"),
        ("20", "2.00"),
        ("20.01", "1.00"),
        ("29.999", "1.00"),
        ("30", "0.50"),
        ("30.0001", "0.00"),
        ("500", "0.00"),
    ],
)
def test_band_edges(carry, score):
    assert score_of(BANDS, {"c": carry, "b": 100}, "x") == score


def test_band_trace_names_the_band():
    result = rubriceng.evaluate(rubriceng.load_rubric(BANDS), {"c": 20, "b": 100})
    trace = result.indicator("x").trace
    assert (trace["value"], trace["band"], trace["rule"]) == (Decimal("0.2"), 1, "value ≤ 0.2")


def test_negative_bands_and_cases_for_the_treasury_stock(huizhou, huizhou_inputs):
    for previous, end, score in [
        (100, 85, "3.00"),
        (100, "85.01", "2.00"),
        (100, 90, "2.00"),
        (100, "90.01", "1.00"),
        (100, 100, "1.00"),
        (100, "100.01", "0.00"),
        (0, 0, "3.00"),
        (0, 5, "0.00"),
    ]:
        huizhou_inputs.update(treasury_stock_previous=previous, treasury_stock_end=end)
        row = rubriceng.evaluate(huizhou, huizhou_inputs).indicator("treasury_stock_efficiency")
        assert str(row.score) == score, (previous, end)


# -- steps -------------------------------------------------------------------------------


def steps(count: str) -> dict:
    return one(
        {
            "points": 4,
            "value": "abs(f - b) / b",
            "steps": {"size": 0.05, "deduct": 0.5, "count": count},
        },
        {"f": MONEY, "b": MONEY},
    )


@pytest.mark.parametrize(
    ("final", "started", "full"),
    [
        ("100", "4.00", "4.00"),
        ("100.01", "3.50", "4.00"),
        ("104.99", "3.50", "4.00"),
        ("105", "3.50", "3.50"),  # exactly 5%: one step either way
        ("95", "3.50", "3.50"),  # the variance is absolute
        ("105.01", "3.00", "3.50"),
        ("110", "3.00", "3.00"),
        ("139", "0.00", "0.50"),
        ("180", "0.00", "0.00"),  # floor 0
    ],
)
def test_steps_started_and_full(final, started, full):
    assert score_of(steps("started"), {"f": final, "b": 100}, "x") == started
    assert score_of(steps("full"), {"f": final, "b": 100}, "x") == full


# -- checklist ---------------------------------------------------------------------------

CHECKLIST = one(
    {
        "points": 5,
        "checklist": [
            {"id": "a", "name": "A", "points": 2},
            {"id": "b", "name": "B", "points": 1, "partial": False},
            {"id": "c", "name": "C", "points": 2, "fraction": "done / planned"},
        ],
    },
    {"done": {"type": "count"}, "planned": {"type": "count"}},
)


def test_checklist_partial_credit_and_computed_items():
    inputs = {"x": {"a": "1.5", "b": True}, "done": 3, "planned": 4}
    result = rubriceng.evaluate(rubriceng.load_rubric(CHECKLIST), inputs)
    row = result.indicator("x")
    assert row.score == Decimal("4.00")  # 1.5 + 1 + 2 × 3/4
    assert row.status == "judged"
    assert [item["credit"] for item in row.trace["items"]] == [
        Decimal("1.5"),
        Decimal(1),
        Decimal("1.5"),
    ]


def test_checklist_credit_out_of_range_and_no_partial():
    with pytest.raises(rubriceng.InputError) as caught:
        score_of(CHECKLIST, {"x": {"a": 3, "b": "0.5"}, "done": 1, "planned": 1})
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("x.a", "credit 3 is outside [0, 2]"),
        ("x.b", "expected true or false, got '0.5'"),
    ]


# -- deductions and all-or-nothing -----------------------------------------------------

DEDUCTIONS = one(
    {
        "points": 2,
        "deductions": [
            {"name": "年报逾期", "when": "annual_late", "deduct": 2},
            {"name": "月报逾期", "count": "monthly_late", "deduct": 1},
            {"name": "问题", "count": "findings", "deduct": 0.5, "max": 1},
        ],
    },
    {
        "annual_late": {"type": "boolean"},
        "monthly_late": {"type": "count"},
        "findings": {"type": "count"},
    },
)


@pytest.mark.parametrize(
    ("annual", "monthly", "findings", "score"),
    [
        (False, 0, 0, "2.00"),
        (False, 1, 0, "1.00"),
        (False, 2, 0, "0.00"),
        (False, 5, 0, "0.00"),
        (True, 0, 0, "0.00"),
        (False, 0, 1, "1.50"),
        (False, 0, 9, "1.00"),
    ],
)
def test_deductions_floor_and_cap(annual, monthly, findings, score):
    inputs = {"annual_late": annual, "monthly_late": monthly, "findings": findings}
    assert score_of(DEDUCTIONS, inputs, "x") == score


def test_all_or_nothing():
    document = one({"points": 3, "all_or_nothing": "ok"}, {"ok": {"type": "boolean"}})
    assert score_of(document, {"ok": "是"}, "x") == "3.00"
    assert score_of(document, {"ok": False}, "x") == "0.00"


# -- average over periods ------------------------------------------------------------------

AVERAGE = one(
    {"points": 6, "average": {"actual": "spent", "target": "due"}},
    {
        "spent": {"type": "list", "items": "rate", "length": 4},
        "due": {"type": "list", "items": "rate", "length": 4},
    },
)


def test_average_of_capped_quarters():
    due = ["0.25", "0.5", "0.75", "1"]
    assert score_of(AVERAGE, {"spent": ["0.3", "0.5", "0.75", "1"], "due": due}, "x") == "6.00"
    # 0.8, 1, 1, 0.9 → mean 0.925 → 5.55
    assert score_of(AVERAGE, {"spent": ["0.2", "0.6", "0.75", "0.9"], "due": due}, "x") == "5.55"


def test_average_needs_four_quarters():
    with pytest.raises(rubriceng.InputError) as caught:
        score_of(AVERAGE, {"spent": [1, 1, 1], "due": [1, 1, 1, 1]})
    assert [(p.path, p.message) for p in caught.value.problems] == [("spent", "min length is 4")]


# -- peers, judgement, unit-defined, formula --------------------------------------------------

PEER = one(
    {
        "points": 2,
        "value": "used / owned",
        "peer": {"statistic": "median", "compare": "above", "given": "peer_rate"},
    },
    {"used": MONEY, "owned": MONEY, "peer_rate": RATE},
)


def test_peer_median_in_a_batch_and_given_alone():
    units = [{"used": u, "owned": 100} for u in (80, 90, 95, 99)]
    results = rubriceng.evaluate_many(rubriceng.load_rubric(PEER), units)
    # median of 0.80, 0.90, 0.95, 0.99 is 0.925; "above" is strict
    assert [str(r.total) for r in results] == ["0.00", "0.00", "2.00", "2.00"]
    assert score_of(PEER, {"used": 90, "owned": 100, "peer_rate": "0.9"}) == "0.00"
    assert score_of(PEER, {"used": 91, "owned": 100, "peer_rate": "90%"}) == "2.00"
    with pytest.raises(rubriceng.EvaluationError) as caught:
        score_of(PEER, {"used": 91, "owned": 100})
    assert caught.value.problems[0].message == (
        "no peer median: score the unit together with its peers or supply input 'peer_rate'"
    )


def test_judgement_needs_a_reason_and_bounds():
    document = one({"points": 4, "judgement": {"max": 4}})
    assert score_of(document, {"x": {"score": 3, "reason": "问卷满意度 75%"}}, "x") == "3.00"
    with pytest.raises(rubriceng.InputError) as caught:
        score_of(document, {"x": {"score": 5, "reason": ""}})
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("x.reason", "empty values not allowed"),
        ("x.score", "must be at most 4, got 5"),
    ]


def test_unit_defined_even_split_in_cents_and_given_points():
    document = one({"points": 10, "unit_defined": {}})
    three = [{"name": n, "score": s} for n, s in (("甲", "3.34"), ("乙", "3"), ("丙", "3.33"))]
    result = rubriceng.evaluate(rubriceng.load_rubric(document), {"x": three})
    row = result.indicator("x")
    assert [c.points for c in row.children] == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]
    assert row.score == Decimal("9.67")
    given = [{"name": "甲", "points": 6, "score": 6}, {"name": "乙", "points": 4, "score": 1}]
    assert score_of(document, {"x": given}, "x") == "7.00"
    with pytest.raises(rubriceng.InputError) as caught:
        score_of(document, {"x": [{"name": "甲", "points": 6, "score": 6}]})
    assert caught.value.problems[0].message == "sub-indicator points add up to 6, not 10.00"


def test_free_formula_out_of_range_is_an_error_not_a_clamp():
    document = one(
        {"points": 5, "score": "points * done / total"},
        {"done": {"type": "count"}, "total": {"type": "count"}},
    )
    assert score_of(document, {"done": 4, "total": 5}, "x") == "4.00"
    with pytest.raises(rubriceng.EvaluationError) as caught:
        score_of(document, {"done": 6, "total": 5})
    (problem,) = caught.value.problems
    assert (problem.code, problem.message) == (
        "score-out-of-range",
        "score 6.00 is outside [0, 5.00]",
    )


def test_intermediate_values_are_reused():
    document = one(
        {
            "points": 2,
            "values": {"rate": "a / t", "gap": "1 - rate"},
            "score": "points * (1 - gap)",
        },
        {"a": MONEY, "t": MONEY},
    )
    result = rubriceng.evaluate(rubriceng.load_rubric(document), {"a": 3, "t": 4})
    assert result.total == Decimal("1.50")
    assert result.indicator("x").trace["values"] == {
        "rate": Decimal("0.75"),
        "gap": Decimal("0.25"),
    }


@pytest.mark.parametrize(
    ("mode", "score"),
    [("half_up", "1.86"), ("half_even", "1.86"), ("down", "1.85"), ("up", "1.86")],
)
def test_rounding_modes(mode, score):
    document = one(
        {"points": 2, "score": "a"}, {"a": {"type": "number"}}, rounding={"digits": 2, "mode": mode}
    )
    assert score_of(document, {"a": "1.855"}) == (score if mode != "half_even" else "1.86")


def test_half_up_is_not_bankers_rounding():
    document = one({"points": 2, "score": "a"}, {"a": {"type": "number"}})
    assert score_of(document, {"a": "1.845"}) == "1.85"
    banker = one(
        {"points": 2, "score": "a"},
        {"a": {"type": "number"}},
        rounding={"digits": 2, "mode": "half_even"},
    )
    assert score_of(banker, {"a": "1.845"}) == "1.84"


def test_whole_number_rounding():
    document = one({"points": 2, "score": "a"}, {"a": {"type": "number"}}, rounding={"digits": 0})
    assert score_of(document, {"a": "1.5"}) == "2"


def test_every_built_in_method_has_its_integer_forms_in_both_kernels():
    """A built-in method's companions for speed: its form in the row kernel
    (``scoring.forms.FORMS``) and its column kernel (``batch.vector.METHODS``), keyed by
    its scorer. ``unit_defined`` is the one without: its parts are the unit's own rows,
    which both kernels read apart from any method."""
    import inspect

    from rubriceng.batch.vector import METHODS
    from rubriceng.methods import BUILTIN_METHODS
    from rubriceng.methods.base import Scorer
    from rubriceng.scoring.forms import FORMS

    found = {}
    for key, method in BUILTIN_METHODS.items():
        module = inspect.getmodule(method.compile)
        (scorer,) = [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, Scorer)
            and value.__module__ == module.__name__
        ]
        found[key] = (scorer in FORMS, scorer in METHODS)
    assert found == {key: (key != "unit_defined", key != "unit_defined") for key in BUILTIN_METHODS}
