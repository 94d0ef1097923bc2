"""The generated row kernel scores exactly as the general path does.

``evaluate(trace=False)`` runs a rubric's generated function (:mod:`rubriceng.scoring.kernel`);
anything unusual makes it step aside for the general, checked path. These tests hold the
two to each other on every leaf, every status and every total: the bundled rubrics on
generated units, every built-in method on random values and exact ties, random formulas,
and inputs of every unusual kind (which must give the general path's answer or error).
"""

from __future__ import annotations

import decimal
import pickle
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import rubriceng
from benchmarks.huizhou import CLARITY, generate
from rubriceng.decimals import DECIMAL_CONTEXT
from rubriceng.errors import InputError, RubricengError
from rubriceng.formula.values import FormulaSyntaxError
from rubriceng.scoring.plan import prepare, score_unit
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, ROOT, make_rubric
from tests.test_fuzz import _formula_grammar

BUNDLED = (
    "cn.gd.huizhou/dept-overall@2020",
    "cn.gd.huizhou/dept-overall@2025",
    "cn.gd.zhanjiang.lianjiang/dept-overall@2024",
    "cn.gd/dept-overall@2024",
    "cn/project-self-evaluation@2020",
)


def general(rubric: rubriceng.Rubric, inputs: Any, peers: dict[str, Any] | None = None) -> Any:
    """The general path's result, or its error."""
    plan = rubric.plan
    with decimal.localcontext(DECIMAL_CONTEXT):
        try:
            state = prepare(plan, inputs, None)
            if state.problems:
                raise InputError("invalid inputs", state.problems)
            return score_unit(plan, state, peers or {}, False)
        except RubricengError as error:
            return error


def fast(rubric: rubriceng.Rubric, inputs: Any, peers: dict[str, Any] | None = None) -> Any:
    """The kernel's result, or None where it steps aside."""
    plan = rubric.plan
    assert plan.kernel is not None
    with decimal.localcontext(DECIMAL_CONTEXT):
        try:
            outcome = plan.kernel.run(inputs, peers or {})
        except Exception:  # the engine takes any exception as "step aside"
            return None
        return None if outcome is None else plan.scored(outcome, None)


def agree(rubric: rubriceng.Rubric, inputs: Any, peers: dict[str, Any] | None = None) -> bool:
    """The kernel gives the general path's result, or steps aside (always, where the
    general path refuses the unit). True when the kernel scored it."""
    expected, got = general(rubric, inputs, peers), fast(rubric, inputs, peers)
    if isinstance(expected, RubricengError):
        assert got is None, (expected, got)
        return False
    if got is None:
        return False
    assert got.scores() == expected.scores()
    assert _rows(got) == _rows(expected)
    assert got == expected and got.to_dict() == expected.to_dict()
    assert (str(got.total), got.grade, got.adjustments) == (
        str(expected.total),
        expected.grade,
        expected.adjustments,
    )
    return True


def _rows(result: Any) -> list[tuple[str, ...]]:
    return [
        (row.id, row.status, str(row.score), str(row.effective_points)) for row in result.walk()
    ]


# -- the bundled rubrics ----------------------------------------------------------------


@pytest.mark.parametrize("ref", BUNDLED)
def test_every_bundled_rubric_has_a_kernel(ref):
    rubric = rubriceng.find_rubric(ref)
    assert rubric.plan.kernel is not None
    assert rubric.plan.kernel.source.startswith("def run(inputs, peers, seen=None):")


def test_the_bundled_example_is_scored_by_the_kernel_to_the_published_total():
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    inputs = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    assert agree(rubric, inputs)
    result = rubriceng.evaluate(rubric, inputs, trace=False)
    assert (result.total, result.grade) == (Decimal("97.86"), "优")
    assert result.indicator("procurement_rate").score == Decimal("1.86")
    assert result.indicator("budget_reasonableness").effective_points == Decimal("6.34")
    assert result.indicator("budget_reasonableness").status == "judged"
    assert result.indicator("advance_release_rate").status == "not_applicable"


@given(st.integers(0, 10**6), st.sampled_from([0.0, 0.4, 1.0]))
@example(5, 0.4)
def test_generated_units_score_the_same_on_both_paths(seed, edges):
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    units = generate(12, seed=seed, edges=edges)
    scored = [agree(rubric, unit) for unit in units]
    assert all(scored)  # canonical units never need the general path


CASE_FILES = sorted(
    [*ROOT.glob("plugins/*/src/*/tests/test_*.yaml"), *ROOT.glob("rubrics/cn/tests/test_*.yaml")]
)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda path: path.stem)
def test_the_kernel_scores_every_case_the_rubric_authors_wrote(path):
    """A valid unit of a bundled rubric is the kernel's, not the general path's: an
    optional input left out (2025's 绩效目标申报表) once sent every unit to cerberus, 90×
    slower, with the same scores."""
    from rubriceng.language.documents import from_path

    cases = from_path(path).data
    ref, year = cases["rubric"], cases.get("year")
    rubric = rubriceng.find_rubric(ref, year=year) if year else rubriceng.find_rubric(ref)
    for case in cases["cases"]:
        assert agree(rubric, dict(case["inputs"])), case["name"]


def test_a_declaration_form_of_targets_is_read_by_the_kernel():
    """The 2025 rubric's table of targets (rows with empty cells as null, tiers from a list)
    is checked inline and scored as the general path scores it."""
    from tests.test_target_values import _department_sheet_filled, _huizhou_2025_inputs

    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2025")
    inputs = _huizhou_2025_inputs()
    del inputs["targets_met"], inputs["targets_declared"]
    inputs["department_targets"] = _department_sheet_filled()
    assert agree(rubric, inputs)
    assert fast(rubric, inputs).indicator("target_completion").score == Decimal("4.85")
    inputs["department_targets"][0]["tier"] = "大体达成"  # not a tier: the general path says so
    assert fast(rubric, inputs) is None
    assert isinstance(general(rubric, inputs), InputError)


def test_a_batch_collects_peer_values_without_scoring_the_other_leaves(monkeypatch):
    """evaluate_many's first pass wants each unit's peer values only: the kernel runs the
    leaves compared with their peers first and stops there, so a unit's 绩效目标 (33
    targets judged by the general code) are judged once, in the pass that scores."""
    from rubriceng.scoring.runtime import Collecting, Paused
    from rubriceng.targets.method import TargetCompletionScorer
    from tests.test_target_values import _department_sheet_filled, _huizhou_2025_inputs

    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2025")
    inputs = _huizhou_2025_inputs()
    del inputs["targets_met"], inputs["targets_declared"]
    inputs["department_targets"] = _department_sheet_filled()
    seen: dict[str, Any] = {}
    peers = Collecting(fixed_asset_utilisation=0)
    assert type(rubric.plan.kernel.run(inputs, peers, seen)) is Paused
    assert list(seen) == ["fixed_asset_utilisation"]
    units = {"甲": inputs, "乙": {**inputs, "fixed_assets_in_use": Decimal(1)}}
    judged = []
    score = TargetCompletionScorer.score
    monkeypatch.setattr(
        TargetCompletionScorer,
        "score",
        lambda self, context: judged.append(1) or score(self, context),
    )
    batch = rubriceng.evaluate_many(rubric, units, trace=False)
    assert len(judged) == 2
    assert [result.indicator("target_completion").score for result in batch] == [
        Decimal("4.85")
    ] * 2
    _, expected, failed = _general_batch(rubric, units)
    assert failed == [] and [_rows(r) for r in batch] == [_rows(r) for r in expected]
    assert [r.total for r in batch] == [r.total for r in expected]


@pytest.mark.parametrize("ref", BUNDLED[1:])
def test_the_other_bundled_rubrics_agree_on_their_examples(ref):
    from pathlib import Path

    rubric = rubriceng.find_rubric(ref)
    examples = Path(__file__).parent.parent / "examples"
    found = 0
    for path in sorted(examples.glob("*.yaml")):
        try:
            loaded = rubriceng.load_inputs(path)
        except RubricengError:
            continue
        if getattr(loaded, "rubric", None) not in (None, ref, rubric.id):
            continue
        agree(rubric, dict(loaded.inputs))
        found += 1
    assert found


def test_peers_given_to_the_kernel_decide_as_in_the_general_path():
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    inputs = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    inputs.pop("peer_fixed_asset_use_rate", None)
    rate = inputs["fixed_assets_in_use"] / inputs["fixed_assets_total"]
    from fractions import Fraction

    exact = Fraction(inputs["fixed_assets_in_use"]) / Fraction(inputs["fixed_assets_total"])
    for peer, score in ((exact, "2.00"), (exact + Fraction(1, 10**30), "0.00"), (rate, None)):
        peers = {"fixed_asset_utilisation": peer}
        assert agree(rubric, inputs, peers)
        if score is not None:
            found = fast(rubric, inputs, peers).indicator("fixed_asset_utilisation").score
            assert str(found) == score


# -- every method, on random values and ties -------------------------------------------

METHODS_RUBRIC = make_rubric(
    [
        {
            "id": "g",
            "name": "组",
            "points": 42,
            "children": [
                {
                    "id": "ratio",
                    "name": "比率",
                    "points": 3,
                    "ratio": {"actual": "done", "target": "due", "if_target_zero": 3},
                },
                {
                    "id": "zero_target",
                    "name": "无目标",
                    "points": 2,
                    "ratio": {"actual": "spent", "target": "plan", "if_target_zero": 1},
                },
                {
                    "id": "capped",
                    "name": "超出为零",
                    "points": 2,
                    "ratio": {
                        "actual": "spent",
                        "target": "plan",
                        "zero_when_exceeds": True,
                        "if_target_zero": 2,
                    },
                },
                {
                    "id": "refused",
                    "name": "不得超出",
                    "points": 5,
                    "ratio": {
                        "actual": "done",
                        "target": "due",
                        "refuse_when_exceeds": True,
                        "if_target_zero": 5,
                    },
                },
                {
                    "id": "banded",
                    "name": "分段",
                    "points": 3,
                    "value": "spent / plan",
                    "cases": [{"when": "plan == 0", "score": 3, "reason": "无计划"}],
                    "bands": [
                        {"upto": 0.5, "score": 1},
                        {"below": 1, "score": 2},
                        {"upto": 1, "score": 3},
                        {"else": 0},
                    ],
                },
                {
                    "id": "stepped",
                    "name": "每超5%扣0.5分",
                    "points": 4,
                    "value": "abs(spent - plan) / plan if plan > 0 else 0",
                    "steps": {"size": 0.05, "deduct": 0.5, "count": "full"},
                },
                {
                    "id": "started",
                    "name": "每满一步",
                    "points": 4,
                    "value": "done / 3",
                    "steps": {"size": 0.25, "deduct": 0.75, "start": 0.5},
                },
                {
                    "id": "listed",
                    "name": "清单",
                    "points": 5,
                    "checklist": [
                        {"id": "judged", "name": "评价", "points": 2},
                        {
                            "id": "share",
                            "name": "比例",
                            "points": 3,
                            "fraction": "div(min(done, due), due, 1)",
                        },
                    ],
                },
                {
                    "id": "deducted",
                    "name": "扣分",
                    "points": 3,
                    "deductions": [
                        {"name": "迟报", "when": "late", "deduct": 1},
                        {"name": "问题", "count": "findings", "deduct": 0.4, "max": 1.5},
                    ],
                },
                {"id": "all", "name": "全有全无", "points": 2, "all_or_nothing": "not late"},
                {
                    "id": "mean",
                    "name": "季度均值",
                    "points": 6,
                    "average": {"actual": "actual", "target": "target", "cap_each": 1},
                },
                {
                    "id": "peer",
                    "name": "高于均值",
                    "points": 1,
                    "value": "done / (due + 1)",
                    "peer": {"statistic": "mean", "compare": "at_least", "given": "peer_rate"},
                },
                {"id": "judgement", "name": "评议", "points": 2, "judgement": {"min": 0, "max": 2}},
            ],
        },
        {
            "id": "free",
            "name": "公式",
            "points": 7,
            "children": [
                {
                    "id": "formula",
                    "name": "自由公式",
                    "points": 4,
                    "values": {"rate": "div(spent, plan, 1)"},
                    "score": "clamp(4 * rate - abs(rate - 1) * 3, 0, 4) if not late else 1",
                },
                {"id": "parts", "name": "自定指标", "points": 3, "unit_defined": {"min_items": 1}},
            ],
        },
        {
            "id": "optional",
            "name": "可不适用",
            "points": 3,
            "applies": "has_transfers",
            "not_applicable": {"strategy": "proportional", "to": ["ratio", "listed"]},
            "score": "3 * min(1, moved / 0.9)",
        },
    ],
    {
        "done": {"type": "count"},
        "due": {"type": "count"},
        "spent": {"type": "money"},
        "plan": {"type": "money"},
        "late": {"type": "boolean"},
        "findings": {"type": "count"},
        "actual": {"type": "list", "items": "rate", "length": 4},
        "target": {"type": "list", "items": "rate", "length": 4},
        "peer_rate": {"type": "rate"},
        "has_transfers": {"type": "boolean"},
        "moved": {"type": "rate"},
    },
)

amounts = st.one_of(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal("100.00"), Decimal("5")]),
)
rates = st.sampled_from(
    [
        Decimal(0),
        Decimal("0.25"),
        Decimal("0.5"),
        Decimal("0.75"),
        Decimal(1),
        Decimal("0.333"),
        Decimal("0.9"),
    ]
)
credits = st.one_of(
    st.booleans(), st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal("1.25"), 2])
)


@st.composite
def method_units(draw: Any) -> dict[str, Any]:
    unit: dict[str, Any] = {
        "done": draw(st.integers(0, 30)),
        "due": draw(st.integers(0, 30)),
        "spent": draw(amounts),
        "plan": draw(amounts),
        "late": draw(st.booleans()),
        "findings": draw(st.integers(0, 6)),
        "actual": draw(st.lists(rates, min_size=4, max_size=4)),
        "target": draw(st.lists(rates.filter(bool), min_size=4, max_size=4)),
        "has_transfers": draw(st.booleans()),
        "moved": draw(rates),
        "listed": {"judged": draw(credits)},
        "judgement": {"score": draw(st.sampled_from([0, Decimal("1.255"), 2])), "reason": "评议"},
        "parts": [
            {
                "name": f"效益{index}",
                "score": draw(st.sampled_from([0, Decimal("0.5"), Decimal("0.995"), 1])),
            }
            for index in range(draw(st.integers(1, 4)))
        ],
    }
    if draw(st.booleans()):
        unit["peer_rate"] = draw(rates)
    return unit


@given(method_units())
@example(
    {
        "done": 5,
        "due": 24,
        "spent": Decimal("100.00"),
        "plan": Decimal("100.00"),
        "late": False,
        "findings": 4,
        "actual": [Decimal("0.5")] * 4,
        "target": [Decimal("0.75")] * 4,
        "has_transfers": False,
        "moved": Decimal(1),
        "listed": {"judged": True},
        "judgement": {"score": 2, "reason": "r"},
        "parts": [{"name": "a", "score": 1}],
        "peer_rate": Decimal("0.2"),
    }
)
@example(
    {
        "done": 0,
        "due": 0,
        "spent": Decimal("0.01"),
        "plan": Decimal("0.00"),
        "late": True,
        "findings": 0,
        "actual": [Decimal(1)] * 4,
        "target": [Decimal(1)] * 4,
        "has_transfers": True,
        "moved": Decimal(0),
        "listed": {"judged": False},
        "judgement": {"score": 0, "reason": "r"},
        "parts": [{"name": "a", "score": 0}],
    }
)
def test_every_built_in_method_agrees_on_random_values(unit):
    rubric = rubriceng.load_rubric(METHODS_RUBRIC)
    agree(rubric, unit)


def test_the_methods_rubric_is_generated_whole():
    """Every built-in method here has its integer form: the general code is called only
    for parts that bring their own points."""
    rubric = rubriceng.load_rubric(METHODS_RUBRIC)
    run, resume = rubric.plan.kernel.source.split("def resume(")
    assert run.count("GENERAL(") == 1 and resume.count("GENERAL(") == 1
    source = run
    assert "any('points' in i for i in" in source.split("GENERAL(")[0].splitlines()[-2]
    unit = {
        "done": 5,
        "due": 24,
        "spent": Decimal(1),
        "plan": Decimal(2),
        "late": False,
        "findings": 0,
        "actual": [Decimal(1)] * 4,
        "target": [Decimal(1)] * 4,
        "has_transfers": True,
        "moved": Decimal("0.9"),
        "listed": {"judged": True},
        "judgement": {"score": 2, "reason": "r"},
        "parts": [{"name": "a", "score": 1}],
        "peer_rate": Decimal("0.2"),
    }
    assert agree(rubric, unit)
    result = rubriceng.evaluate(rubric, unit, trace=False)
    assert result.indicator("ratio").score == Decimal("0.63")  # 3 × 5/24 = 0.625
    assert result.indicator("parts").children[0].score == Decimal("1.00")


@pytest.mark.parametrize(
    ("done", "due", "points", "score"),
    [
        (5, 24, 3, "0.63"),
        (13, 120, 3, "0.33"),
        (1, 8, 5, "0.63"),
        (3, 8, 5, "1.88"),
        (1, 40, 1, "0.03"),
        (7, 40, 3, "0.53"),
    ],
)
def test_half_cents_reached_through_division_round_half_up(done, due, points, score):
    rubric = rubriceng.load_rubric(
        make_rubric(
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
    )
    assert agree(rubric, {"done": done, "due": due})
    assert str(rubriceng.evaluate(rubric, {"done": done, "due": due}, trace=False).total) == score


# -- random formulas ---------------------------------------------------------------------

FORMULA_INPUTS = {
    "a": {"type": "number"},
    "b": {"type": "number"},
    "flag": {"type": "boolean"},
    "label": {"type": "text"},
}


@given(
    _formula_grammar(),
    st.decimals(min_value=-50, max_value=50, places=2),
    st.sampled_from([Decimal(0), Decimal(3), Decimal("0.5"), Decimal(-2), 7]),
    st.booleans(),
)
@example("min(points, max(0, a / b))", Decimal(5), Decimal(0), True)
@example("(a if flag else b) * 2.5", Decimal("0.25"), 3, False)
@example("a < b <= points", Decimal(1), Decimal(3), True)
def test_random_formulas_give_the_general_paths_score_or_step_aside(text, a, b, flag):
    document = make_rubric(
        [{"id": "f", "name": "公式", "points": 10, "score": text}], FORMULA_INPUTS
    )
    try:
        rubric = rubriceng.load_rubric(document)
    except (RubricengError, FormulaSyntaxError):
        return
    agree(rubric, {"a": a, "b": b, "flag": flag, "label": "x"})


# -- unusual inputs: the general path's answer, or its error ---------------------------------

UNUSUAL = [
    ("a float", "revenue_final", 10330.43),
    ("text", "revenue_final", "10,330.43"),
    ("a percentage", "general_transfer_advance_rate", "90%"),
    ("a boolean for a number", "revenue_final", True),
    ("NaN", "revenue_final", Decimal("NaN")),
    ("infinity", "revenue_final", Decimal("Infinity")),
    ("35 digits", "revenue_final", Decimal("1.0000000000000000000000000000000001")),
    ("above 10^18", "revenue_final", Decimal("1e19")),
    ("a tiny exponent", "revenue_final", Decimal("1e-60")),
    ("negative", "revenue_final", Decimal("-1")),
    ("an int above 10^18", "key_tasks_total", 10**19),
    ("a whole Decimal count", "key_tasks_total", Decimal(8)),
    ("a fractional count", "key_tasks_total", Decimal("8.5")),
    ("a rate above 1", "general_transfer_advance_rate", Decimal("1.5")),
    ("a word for a boolean", "has_transfer_payments", "是"),
    ("0 for a boolean", "asset_data_complete", 0),
    ("a tuple for a list", "quarterly_spending_progress", (Decimal("0.5"),) * 4),
    ("three quarters", "quarterly_spending_progress", [Decimal("0.5")] * 3),
    (
        "a credit above its points",
        "budget_reasonableness",
        {
            "fits_duties_and_policy": Decimal(2),
            "allocated_by_priority": True,
            "special_funds_detailed": True,
            "classification_accurate": True,
            "not_fixed": True,
        },
    ),
    (
        "a credit as text",
        "budget_reasonableness",
        {
            "fits_duties_and_policy": "0.5",
            "allocated_by_priority": True,
            "special_funds_detailed": True,
            "classification_accurate": True,
            "not_fixed": True,
        },
    ),
    ("a missing credit", "budget_reasonableness", {"fits_duties_and_policy": True}),
    ("an empty reason", "satisfaction", {"score": 4, "reason": ""}),
    ("a part without a name", "effect_indicators", [{"score": 1}]),
    (
        "parts with points",
        "effect_indicators",
        [{"name": "社会效益", "points": 6, "score": 5}, {"name": "经济", "points": 4, "score": 4}],
    ),
    (
        "parts that add up wrong",
        "effect_indicators",
        [{"name": "社会效益", "points": 6, "score": 5}, {"name": "经济", "points": 3, "score": 3}],
    ),
    ("a part above its share", "effect_indicators", [{"name": "社会效益", "score": 11}]),
    ("more tasks done than due", "key_tasks_completed", 99),
    ("no stock last year", "treasury_stock_previous", Decimal(0)),
    ("no revenue budget", "revenue_adjusted_budget", Decimal(0)),
]


@pytest.mark.parametrize(("what", "name", "value"), UNUSUAL, ids=[row[0] for row in UNUSUAL])
def test_unusual_inputs_get_the_general_paths_answer(what, name, value):
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    inputs = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    inputs[name] = value
    agree(rubric, inputs)
    traced = _outcome(lambda: rubriceng.evaluate(rubric, inputs))
    untraced = _outcome(lambda: rubriceng.evaluate(rubric, inputs, trace=False))
    assert untraced == traced


KERNELS_OWN = [  # numbers as JSON, YAML and spreadsheets give them: the kernel reads them
    ("a float", "revenue_final", 10330.43),
    ("text", "revenue_final", "10,330.43"),
    ("a percentage", "general_transfer_advance_rate", "90%"),
    ("a whole Decimal count", "key_tasks_total", Decimal(8)),
    ("a count as text", "key_tasks_total", "8"),
    ("a count as a float", "key_tasks_total", 8.0),
    ("floats in a list", "quarterly_spending_progress", [0.25, 0.5, 0.75, 0.95]),
    ("a float credit", "indicator_clarity", {**dict.fromkeys(CLARITY, True), "quantified": 0.5}),
    ("a float part score", "effect_indicators", [{"name": "社会效益", "score": 2.675}]),
    (
        "float parts with points",
        "effect_indicators",
        [
            {"name": "社会效益", "points": 6, "score": 5.125},
            {"name": "经济", "points": 4.0, "score": 4},
        ],
    ),
    ("a float judgement", "satisfaction", {"score": 3.5, "reason": "抽样"}),
]


@pytest.mark.parametrize(("what", "name", "value"), KERNELS_OWN, ids=[r[0] for r in KERNELS_OWN])
def test_numbers_as_floats_and_text_are_the_kernels_own(what, name, value):
    """A float (read by its repr) or a number written as text is what the input checker
    makes of it; the kernel reads it so, where it once sent the unit to the general path."""
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    inputs = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    inputs[name] = value
    assert agree(rubric, inputs), what


@given(st.integers(0, 10**6), st.sampled_from([float, str]))
@example(5, float)
def test_generated_units_given_as_floats_or_text_score_as_given_as_decimals(seed, kind):
    """Every top-level number of a generated unit given as a float (its repr is the same
    decimal) or as text: the kernel scores it exactly as the Decimal unit."""
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    for unit in generate(6, seed=seed, edges=0.4):
        changed = {
            key: kind(value) if isinstance(value, Decimal) else value for key, value in unit.items()
        }
        assert agree(rubric, changed)
        expected = rubriceng.evaluate(rubric, unit, trace=False)
        assert rubriceng.evaluate(rubric, changed, trace=False).to_dict() == expected.to_dict()


def _outcome(run: Any) -> Any:
    try:
        result = run()
    except RubricengError as error:
        return type(error).__name__, [problem.text("zh") for problem in error.problems]
    return [(row.id, row.status, str(row.score)) for row in result.walk()], str(result.total)


@pytest.mark.parametrize(
    "change",
    [
        {"unknown_input": 1},
        {1: 2},
        {"revenue_final": None},
    ],
)
def test_unknown_or_unnamed_inputs_are_refused_as_before(change):
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    inputs = {**rubriceng.load_inputs(HUIZHOU_UNIT).inputs, **change}
    agree(rubric, inputs)
    with pytest.raises(InputError):
        rubriceng.evaluate(rubric, inputs, trace=False)


@pytest.mark.parametrize("inputs", [None, [], "x", 3])
def test_inputs_that_are_no_mapping_are_refused_as_before(inputs):
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    with pytest.raises(InputError):
        rubriceng.evaluate(rubric, inputs, trace=False)


def test_missing_inputs_of_indicators_that_do_not_apply_are_not_needed():
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    inputs = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    assert inputs["has_transfer_payments"] is False
    for name in (
        "general_transfer_advance_rate",
        "special_transfer_advance_rate",
        "transfers_approved",
        "transfers_issued_on_time",
    ):
        inputs.pop(name, None)
    assert agree(rubric, inputs)
    del inputs["revenue_final"]
    agree(rubric, inputs)
    assert fast(rubric, inputs) is None


# -- the result it gives ---------------------------------------------------------------------


def test_a_kernel_result_builds_its_indicators_when_read_and_behaves_as_any_result():
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    inputs = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    result = rubriceng.evaluate(rubric, inputs, trace=False)
    expected = general(rubric, inputs)
    assert result == expected and expected == result
    assert attrs.evolve(result, unit="甲").unit == "甲"
    assert result.row() == expected.row()
    assert repr(result) == repr(expected)


def test_a_plan_compiles_its_kernel_after_a_few_single_units_the_same_results_before(
    monkeypatch,
):
    """One unit scored in a new process does not pay for compiling the kernel: the first
    WARM_UP units go the general way, with the results the kernel gives after."""
    from concurrent.futures import ThreadPoolExecutor

    from rubriceng.scoring import plan as plans

    built = []
    build = plans.build_kernel
    monkeypatch.setattr(plans, "build_kernel", lambda *args: built.append(1) or build(*args))
    rubric = rubriceng.load_rubric(HUIZHOU)
    units = generate(plans.WARM_UP + 3, seed=9, edges=0.4)
    results = [rubriceng.evaluate(rubric, unit, trace=False) for unit in units[: plans.WARM_UP]]
    assert built == []
    results += [rubriceng.evaluate(rubric, unit, trace=False) for unit in units[plans.WARM_UP :]]
    assert built == [1] and rubric.plan.warm_kernel() is rubric.plan.kernel is not None
    for unit, result in zip(units, results, strict=True):
        assert fast(rubric, unit).to_dict() == result.to_dict()
    again = rubriceng.load_rubric(HUIZHOU).plan  # eight threads ask at once: built once
    with ThreadPoolExecutor(8) as pool:
        kernels = list(pool.map(lambda _: again.kernel, range(8)))
    assert built == [1, 1] and all(kernel is kernels[0] is not None for kernel in kernels)


def test_the_kernels_source_travels_with_nothing_but_the_rubric():
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    again = pickle.loads(pickle.dumps(rubric))
    assert again.plan.kernel.source == rubric.plan.kernel.source


# -- batches ---------------------------------------------------------------------------------


def _general_batch(rubric: rubriceng.Rubric, named: dict[str, dict[str, Any]]) -> Any:
    """evaluate_many's answer computed by the general code alone."""
    from rubriceng.scoring.peers import peer_statistics

    plan = rubric.plan
    with decimal.localcontext(DECIMAL_CONTEXT):
        states = [prepare(plan, inputs, name) for name, inputs in named.items()]
        peers = peer_statistics(plan, states)
        scored, failed = [], []
        for state in states:
            if state.problems:
                failed.append((state.name, [p.text("en") for p in state.problems]))
                continue
            try:
                scored.append(score_unit(plan, state, peers, True))
            except RubricengError as error:
                failed.append((state.name, [p.text("en") for p in error.problems]))
    return peers, scored, failed


@pytest.mark.parametrize("trace", [False, True])
def test_a_batch_on_the_kernel_equals_the_general_code_unit_for_unit(trace):
    """Peers computed over the batch (the kernel records each unit's value), units the
    kernel leaves to the general code (text numbers, a zero budget, a typo) in their
    place, every score, trace and failure the same."""
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    units = generate(40, seed=3, edges=0.4)
    for unit in units:
        del unit["peer_fixed_asset_use_rate"]
    units[5]["revenue_adjusted_budget"] = Decimal(0)  # a formula fails: EvaluationError
    units[7]["revenue_final"] = "x"  # refused: InputError
    units[9]["revenue_final"] = "1,234.50"  # valid, but text: the general code reads it
    units[11]["fixed_assets_in_use"] = "12.5"
    named = {f"u{index}": unit for index, unit in enumerate(units)}
    peers, scored, failed = _general_batch(rubric, named)
    batch = rubriceng.evaluate_many(rubric, named, errors="collect", trace=trace)
    assert [result.unit for result in batch.results] == [result.unit for result in scored]
    for got, expected in zip(batch.results, scored, strict=True):
        assert _rows(got) == _rows(expected) and got.total == expected.total
        if trace:
            assert got.to_dict() == expected.to_dict()
    assert [
        (failure.unit, [p.text("en") for p in failure.problems]) for failure in batch.failures
    ] == failed
    assert {str(u) for u, _ in failed} == {"u5", "u7"}
    mean = peers["fixed_asset_utilisation"]
    assert sum(result.indicator("fixed_asset_utilisation").score == 2 for result in scored) == sum(
        1
        for name, unit in named.items()
        if name not in ("u5", "u7")
        and Decimal(unit["fixed_assets_in_use"]) / unit["fixed_assets_total"] >= mean
    )


def test_a_unit_exactly_on_the_batch_mean_reaches_it():
    rubric = rubriceng.load_rubric(
        make_rubric(
            [
                {
                    "id": "use",
                    "name": "利用率",
                    "points": 2,
                    "value": "used / total",
                    "peer": {"statistic": "mean", "compare": "at_least"},
                }
            ],
            {"used": {"type": "count"}, "total": {"type": "count"}},
        )
    )
    units = {
        "甲": {"used": 2, "total": 3},
        "乙": {"used": 1, "total": 3},
        "丙": {"used": 1, "total": 1},
    }  # mean (2/3 + 1/3 + 1) / 3 = 2/3
    results = rubriceng.evaluate_many(rubric, units, trace=False)
    assert [str(result.total) for result in results] == ["2.00", "0.00", "2.00"]


# -- the mean of a large batch ---------------------------------------------------------------


@given(
    st.lists(
        st.fractions(min_value=0, max_value=5, max_denominator=10**9), min_size=1, max_size=40
    ),
    st.fractions(min_value=0, max_value=5, max_denominator=10**9),
)
def test_a_mean_compares_as_the_exact_fraction(values, other):
    from fractions import Fraction

    from rubriceng.exact import Mean

    mean, exact = Mean(values), sum(values, Fraction(0)) / len(values)
    for probe in (other, exact, exact + Fraction(1, 10**40), exact - Fraction(1, 10**40)):
        assert (probe >= mean, probe > mean, probe <= mean, probe < mean, probe == mean) == (
            probe >= exact,
            probe > exact,
            probe <= exact,
            probe < exact,
            probe == exact,
        )
    assert mean.exact() == exact


@pytest.mark.parametrize("path", ["rows", "columns"])
def test_a_unit_exactly_on_a_large_batchs_mean_reaches_it(path):
    """Above 1,000 units the peers' mean is a Mean (an integer interval, made exact only
    for a value inside it): a unit exactly on the mean still reaches it, one a hair
    below does not."""
    rubric = rubriceng.load_rubric(
        make_rubric(
            [
                {
                    "id": "use",
                    "name": "利用率",
                    "points": 2,
                    "value": "used / total",
                    "peer": {"statistic": "mean", "compare": "at_least"},
                }
            ],
            {"used": {"type": "count"}, "total": {"type": "count"}},
        )
    )
    units = [{"used": 1, "total": 3}, {"used": 2, "total": 3}] * 700  # mean 1/2
    units += [{"used": 1, "total": 2}, {"used": 499_999_999, "total": 1_000_000_000}]
    if path == "rows":
        results = rubriceng.evaluate_many(rubric, units, trace=False)
        totals = [str(result.total) for result in results]
    else:
        columns = {key: [unit[key] for unit in units] for key in ("used", "total")}
        totals = [str(total) for total in rubriceng.evaluate_table(rubric, columns).totals()]
    assert totals[-2:] == ["2.00", "0.00"]
    assert totals[:4] == ["0.00", "2.00", "0.00", "2.00"]


# -- rubrics the generator must survive --------------------------------------------------------


def test_a_rubric_of_two_thousand_leaves_compiles_and_scores_as_the_general_path():
    """Found generating a large rubric: the leaves' sum and the pattern were one chained
    expression each, and CPython's compiler ran out of recursion on it. Both are flat
    statements now, and a source CPython cannot compile leaves the rubric to the general
    path instead of failing to load."""
    count = 2000
    rubric = rubriceng.load_rubric(
        make_rubric(
            [
                {
                    "id": f"i{index}",
                    "name": f"指标{index}",
                    "points": 1,
                    "ratio": {"actual": f"a{index}", "target": f"b{index}", "if_target_zero": 1},
                }
                for index in range(count)
            ],
            {
                **{f"a{index}": {"type": "count"} for index in range(count)},
                **{f"b{index}": {"type": "count"} for index in range(count)},
            },
        )
    )
    assert rubric.plan.kernel is not None
    unit = {
        **{f"a{index}": index % 3 for index in range(count)},
        **{f"b{index}": 2 for index in range(count)},
    }
    unit["a7"] = 5  # more done than due: capped at full marks
    assert agree(rubric, unit)
    assert str(rubriceng.evaluate(rubric, unit, trace=False).total) == "1000.00"  # 999.5 + 0.5


def test_deeply_nested_formulas_and_many_cases_score_as_the_general_path():
    nested = "a"
    for depth in range(22):
        nested = f"({nested} if a > {depth} else {depth})"
    rubric = rubriceng.load_rubric(
        make_rubric(
            [
                {
                    "id": "x",
                    "name": "深",
                    "points": 30,
                    "score": f"min(30, {nested})",
                    "cases": [{"when": f"a == {k}", "score": 1, "reason": "例"} for k in range(40)],
                }
            ],
            {"a": {"type": "count"}},
        )
    )
    for value in (0, 7, 39, 41, 100):
        agree(rubric, {"a": value})
    assert str(rubriceng.evaluate(rubric, {"a": 25}, trace=False).total) == "1.00"
    assert str(rubriceng.evaluate(rubric, {"a": 45}, trace=False).total) == "30.00"


def test_scores_and_statuses_of_a_traced_result_are_read_without_its_traces(monkeypatch):
    """A result the kernel scored with traces wanted makes them (by the general code)
    when its indicators are first read; its row, scores, statuses and frame need no
    trace and are read from the kernel's own tree, with the same values."""
    import rubriceng.scoring.plan as plan_module

    rubric = rubriceng.load_rubric(HUIZHOU)
    units = generate(24, seed=8, edges=0.3)
    results = rubriceng.evaluate_many(rubric, units, trace=True)
    traced: list[object] = []
    original = plan_module.score_unit
    monkeypatch.setattr(
        plan_module, "score_unit", lambda *a, **k: traced.append(a) or original(*a, **k)
    )
    quick = [(r.row(), r.scores(), r.statuses(), r.to_frame()) for r in results]
    assert traced == []
    statuses = set()
    for result, (row, scores, status, frame) in zip(results, quick, strict=True):
        walked = list(result.walk())  # the traced tree, made now
        assert scores == {found.id: found.score for found in walked}
        assert status == {found.id: found.status for found in walked}
        assert row == result.row() and frame.equals(result.to_frame())
        statuses |= set(status.values())
    assert len(traced) == len(units)
    assert {"scored", "judged", "not_applicable"} <= statuses


def test_a_unit_the_kernel_leaves_in_a_batch_is_prepared_once(monkeypatch):
    """evaluate_many's first run prepares, for the general code, the units the kernel
    does not take; the general code scores (or reports) them from that same state."""
    import rubriceng.scoring.engine as engine

    rubric = rubriceng.load_rubric(HUIZHOU)
    units = generate(8, seed=4)
    units[2] = {**units[2], "revenue_final": "很多"}
    units[5] = {**units[5], "procurement_plan": -1}
    prepared: list[object] = []
    original = engine.prepare
    monkeypatch.setattr(engine, "prepare", lambda *a, **k: prepared.append(a) or original(*a, **k))
    batch = rubriceng.evaluate_many(rubric, units, trace=False, errors="collect")
    assert [failure.unit for failure in batch.failures] == ["3", "6"]
    assert len(prepared) == 2


ORDERED_ITEMS = make_rubric(
    [
        {
            "id": "shares_first",
            "name": "先比例",
            "points": 6,
            "checklist": [
                {"id": "share", "name": "比例", "points": 3, "fraction": "div(done, due, 1)"},
                {"id": "yes_no", "name": "是否", "points": 1, "partial": False},
                {"id": "judged", "name": "评价", "points": 2},
            ],
        },
        {
            "id": "yes_no_first",
            "name": "先是否",
            "points": 3,
            "checklist": [
                {"id": "a", "name": "甲", "points": 1.5, "partial": False},
                {"id": "b", "name": "乙", "points": 1.5, "partial": False},
            ],
        },
        {
            "id": "shares_only",
            "name": "全比例",
            "points": 2,
            "checklist": [
                {"id": "half", "name": "半", "points": 1, "fraction": "div(done, due + 1, 0)"},
                {"id": "all", "name": "全", "points": 1, "fraction": "div(done, due, 0)"},
            ],
        },
        {
            "id": "counted_first",
            "name": "先计数",
            "points": 3,
            "deductions": [
                {"name": "问题", "count": "findings", "deduct": 0.4, "max": 1.5},
                {"name": "迟报", "when": "late", "deduct": 1.25},
            ],
        },
    ],
    {
        "done": {"type": "count"},
        "due": {"type": "count"},
        "findings": {"type": "count"},
        "late": {"type": "boolean"},
    },
)


@given(
    done=st.integers(0, 13),
    due=st.integers(0, 13),
    findings=st.integers(0, 7),
    late=st.booleans(),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    judged=credits,
)
@example(done=5, due=24, findings=4, late=True, flags=(True, False, True), judged=Decimal("1.25"))
def test_checklist_and_deduction_items_in_any_order_agree(done, due, findings, late, flags, judged):
    """The first item of a checklist or deduction list starts the sum (no 0 added to it),
    whether it is a computed share, a yes/no criterion, a credit or a count."""
    unit = {
        "done": done,
        "due": due,
        "findings": findings,
        "late": late,
        "shares_first": {"yes_no": flags[0], "judged": judged},
        "yes_no_first": {"a": flags[1], "b": flags[2]},
    }
    rubric = rubriceng.load_rubric(ORDERED_ITEMS)
    assert rubric.plan.kernel is not None
    assert "GENERAL(" not in rubric.plan.kernel.source
    # a share above 1 is refused by both (div(done, 0, …) gives its third argument)
    assert agree(rubric, unit) == (done <= due or (due == 0 and done <= 1))


def test_checklist_items_in_order_score_exactly():
    rubric = rubriceng.load_rubric(ORDERED_ITEMS)
    unit = {
        "done": 5,
        "due": 24,
        "findings": 4,
        "late": True,
        "shares_first": {"yes_no": True, "judged": Decimal("1.25")},
        "yes_no_first": {"a": False, "b": True},
    }
    assert agree(rubric, unit)
    scores = rubriceng.evaluate(rubric, unit, trace=False).scores()
    # 3 × 5/24 = 0.625 → 0.63, + 1 + 1.25; 1.5; 5/25 + 5/24 = 0.408… → 0.41;
    # 3 − min(1.6, 1.5) − 1.25 = 0.25
    assert scores == {
        "shares_first": Decimal("2.88"),
        "yes_no_first": Decimal("1.50"),
        "shares_only": Decimal("0.41"),
        "counted_first": Decimal("0.25"),
    }


ADJUSTED = make_rubric(
    [{"id": "base", "name": "基础", "points": 10, "score": "min(x, 10)"}],
    {
        "x": {"type": "number", "min": 0},
    },
    adjustments=[
        {"id": "thousandths", "name": "千分", "per_event": Decimal("1.000"), "max": 3},
        {"id": "halves", "name": "半分", "per_event": Decimal("-0.5"), "max": 2},
        {"id": "half_cents", "name": "半厘", "per_event": Decimal("0.005")},
    ],
    grades=[{"name": "优", "min": 9}, {"name": "良", "min": 0}],
)


@pytest.mark.parametrize("x", ["7.5", "8.00", "9", "0"])
def test_totals_shared_between_units_keep_each_units_digits(x):
    """Units whose subtotal and adjustments sum alike share a total, written with the
    digits their own adjustments give it; a sum that is no whole number of cents is
    never shared."""
    rubric = rubriceng.load_rubric(ADJUSTED)
    for _ in range(10):  # past the warm-up: the kernel scores them
        rubriceng.evaluate(rubric, {"x": 1, "thousandths": 0, "halves": 0, "half_cents": 0})
    seen = set()
    for thousandths in range(4):
        for halves in range(5):
            for half_cents in range(3):
                unit = {
                    "x": Decimal(x),
                    "thousandths": thousandths,
                    "halves": halves,
                    "half_cents": half_cents,
                }
                assert agree(rubric, unit)  # total and its digits as the general code's
                result = rubriceng.evaluate(rubric, unit, trace=False)
                seen.add(str(result.total))
    assert len(seen) > 10
    assert {len(total.partition(".")[2]) for total in seen} >= {2, 3}


def test_a_batch_reads_each_unit_once_and_resumes_it_with_the_batchs_mean(monkeypatch):
    """evaluate_many's first pass pauses each unit after its peer leaves, keeping what it
    read; the second resumes it with the batch's statistics rather than reading and
    checking it again. A unit without an optional input (提前下达率's advance rates, a
    transfer-free unit) is paused too, and every result is the general code's."""
    from rubriceng.scoring.plan import Plan
    from rubriceng.scoring.runtime import Collecting, Paused

    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    units = generate(60, edges=0.3)
    for unit in units[::3]:
        unit["has_transfer_payments"] = False
        unit.pop("general_transfer_advance_rate", None)
        unit.pop("special_transfer_advance_rate", None)
    named = {f"单位{index:02d}": unit for index, unit in enumerate(units)}
    zeros = Collecting(fixed_asset_utilisation=0)
    for unit in units:  # every unit pauses, none is left to the general code
        assert type(rubric.plan.run_kernel(unit, zeros, {})) is Paused
    runs = []
    run = Plan.run_kernel
    monkeypatch.setattr(Plan, "run_kernel", lambda self, *a: runs.append(1) or run(self, *a))
    batch = rubriceng.evaluate_many(rubric, named, trace=False)
    assert len(runs) == len(units)  # the first pass only: the second resumed
    _, expected, failed = _general_batch(rubric, named)
    assert failed == [] and [_rows(r) for r in batch] == [_rows(r) for r in expected]
    assert [str(r.total) for r in batch] == [str(r.total) for r in expected]
    assert len({r.indicator("fixed_asset_utilisation").score for r in batch}) == 2


ONLY_PEERS = make_rubric(
    [
        {
            "id": "above",
            "name": "高于均值",
            "points": 2,
            "value": "done / due",
            "peer": {"statistic": "mean", "compare": "at_least"},
        },
        {
            "id": "over",
            "name": "超过均值",
            "points": 3,
            "value": "done / (due + 1)",
            "peer": {"statistic": "mean", "compare": "above"},
        },
    ],
    {"done": {"type": "count"}, "due": {"type": "count", "min": 1}},
)


def test_a_rubric_of_peer_leaves_alone_pauses_after_them_and_resumes():
    """Where every leaf is compared with its peers, the first pass pauses after the last
    (it never gives a unit scored against the zeros it was asked with); the batch's
    columns and evaluate_many give the general code's scores with the batch's means."""
    import numpy as np

    from rubriceng.scoring.runtime import Collecting, Paused

    rubric = rubriceng.load_rubric(ONLY_PEERS)
    zeros = Collecting(above=0, over=0)
    assert type(rubric.plan.run_kernel({"done": 2, "due": 3}, zeros, {})) is Paused
    named = {f"u{n}": {"done": n % 4, "due": 3} for n in range(9)}  # means 1/2 and 3/8
    batch = rubriceng.evaluate_many(rubric, named, trace=False)
    _, expected, failed = _general_batch(rubric, named)
    assert failed == [] and [_rows(r) for r in batch] == [_rows(r) for r in expected]
    assert [str(r.total) for r in batch] == ["0.00", "0.00", "5.00", "5.00"] * 2 + ["0.00"]
    table = {"done": np.array([n % 4 for n in range(9)]), "due": np.array([3] * 9, dtype=object)}
    scored = rubriceng.evaluate_table(rubric, table)  # an object column: the row path
    assert [str(total) for total in scored.totals()] == [str(r.total) for r in batch]


def test_a_kernel_too_large_to_resume_runs_a_batchs_units_twice(monkeypatch):
    """When ``run`` and ``resume`` together exceed the largest source compiled, ``run``
    alone is kept: a batch's second pass runs each unit again, with the same scores."""
    import rubriceng.scoring.kernel as kernel_module
    from rubriceng.scoring.plan import Plan

    whole = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020").plan.kernel
    assert whole.resume is not None
    alone = len(whole.source.partition("\n\n\ndef resume(")[0]) + 1
    monkeypatch.setattr(kernel_module, "MAX_SOURCE", alone)
    rubric = rubriceng.load_rubric(HUIZHOU)
    assert rubric.plan.kernel is not None and rubric.plan.kernel.resume is None
    units = {f"单位{index}": unit for index, unit in enumerate(generate(20, edges=0.3))}
    runs = []
    run = Plan.run_kernel
    monkeypatch.setattr(Plan, "run_kernel", lambda self, *a: runs.append(1) or run(self, *a))
    batch = rubriceng.evaluate_many(rubric, units, trace=False)
    assert len(runs) == 2 * len(units)
    _, expected, failed = _general_batch(rubric, units)
    assert failed == [] and [_rows(r) for r in batch] == [_rows(r) for r in expected]
