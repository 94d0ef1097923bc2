"""Bad unit inputs: every problem of a unit at once, naming the field and its indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rubriceng
from rubriceng.inputs.types import to_decimal
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, make_rubric


def problems_of(rubric, inputs, **kwargs):
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(rubric, inputs, **kwargs)
    return caught.value.problems


def test_every_problem_at_once(huizhou, huizhou_inputs):
    huizhou_inputs.update(
        procurement_plan="abc",
        procurement_actual=-5,
        ledgers_reconciled="maybe",
        late_monthly_asset_reports=1.5,
        bogus=1,
        carryover_end=float("nan"),
    )
    del huizhou_inputs["key_tasks_total"]
    found = problems_of(huizhou, huizhou_inputs, unit="某单位")
    assert sorted((p.field, p.message, p.indicator) for p in found) == sorted(
        [
            ("bogus", "unknown input: the rubric declares no input by this name", None),
            ("carryover_end", "expected a finite number, got nan", "carryover_rate"),
            ("key_tasks_total", "missing input", "key_task_completion"),
            (
                "late_monthly_asset_reports",
                "expected a whole number, got 1.5",
                "asset_report_timeliness",
            ),
            ("ledgers_reconciled", "expected true or false, got 'maybe'", "ledger_reconciliation"),
            ("procurement_actual", "must be at least 0, got -5", "procurement_rate"),
            ("procurement_plan", "expected a number, got 'abc'", "procurement_rate"),
        ]
    )
    assert all(problem.unit == "某单位" for problem in found)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("NaN"), "expected a finite number, got Decimal('NaN')"),
        (Decimal("-Infinity"), "expected a finite number, got Decimal('-Infinity')"),
        (float("inf"), "expected a finite number, got inf"),
        (10**19, "10000000000000000000 is too large (the limit is 10^18)"),
        ("9" * 5000, "99999999999999999999… is too large (the limit is 10^18)"),
        ("1." + "3" * 40, "1.333333333333333333… has more than 34 significant digits"),
        (True, "expected a number, got True"),
        ([1], "expected a number, got list"),
        (None, "expected a number, got nothing (null)"),
        (object(), "expected a number, got object"),
    ],
)
def test_numbers_that_are_not_amounts_are_refused(huizhou, huizhou_inputs, value, message):
    huizhou_inputs["revenue_final"] = value
    (problem,) = problems_of(huizhou, huizhou_inputs, unit="u")
    assert (problem.code, problem.unit, problem.field, problem.indicator, problem.message) == (
        "input-invalid",
        "u",
        "revenue_final",
        "revenue_budget_variance",
        message,
    )


def test_trailing_zeros_are_not_significant_digits(huizhou, huizhou_inputs):
    huizhou_inputs["revenue_final"] = "10298.31" + "0" * 40
    assert rubriceng.evaluate(huizhou, huizhou_inputs).total == Decimal("97.86")


def test_missing_inputs_are_never_defaulted(huizhou, huizhou_inputs):
    for name in ("key_tasks_total", "satisfaction", "commendations"):
        del huizhou_inputs[name]
    found = problems_of(huizhou, huizhou_inputs)
    assert [(p.code, p.field, p.indicator) for p in found] == [
        ("input-missing", "key_tasks_total", "key_task_completion"),
        ("input-missing", "satisfaction", "satisfaction"),
        ("input-missing", "commendations", "commendations"),
    ]


def test_rates_declared_with_a_range_refuse_percent_numbers(huizhou, huizhou_inputs):
    huizhou_inputs["peer_fixed_asset_use_rate"] = 93
    (problem,) = problems_of(huizhou, huizhou_inputs)
    assert (problem.field, problem.message) == (
        "peer_fixed_asset_use_rate",
        "must be at most 1, got 93 (a percentage? write 0.93 or '93%')",
    )
    huizhou_inputs["peer_fixed_asset_use_rate"] = "93%"
    assert str(rubriceng.evaluate(huizhou, huizhou_inputs).total) == "97.86"


def test_input_file_problems_carry_file_and_line(tmp_path):
    text = HUIZHOU_UNIT.read_text(encoding="utf-8").replace(
        "procurement_plan: 1331100 ", "procurement_plan: lots    "
    )
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    unit = rubriceng.load_inputs(path)
    found = problems_of(
        rubriceng.load_rubric(HUIZHOU), unit.inputs, unit=unit.unit, document=unit.document
    )
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "procurement_plan" in row)
    assert [str(p) for p in found] == [
        f"{path}:{line} 单位「惠州市人民政府办公室」 采购计划金额合计数（procurement_plan）："
        "应为数值，实际为 'lots'，用于政府采购执行率 [input-invalid]"
    ]
    assert [p.text("en") for p in found] == [
        f"{path}:{line}: unit '惠州市人民政府办公室': 采购计划金额合计数 (procurement_plan): "
        "expected a number, got 'lots', used by Government procurement execution rate "
        "[input-invalid]"
    ]


def test_batch_reports_every_bad_unit(huizhou, huizhou_inputs):
    bad = dict(huizhou_inputs, procurement_plan="x")
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate_many(huizhou, {"good": huizhou_inputs, "bad": bad, "worse": {}})
    units = {problem.unit for problem in caught.value.problems}
    assert units == {"bad", "worse"}
    assert str(caught.value).startswith("2 个单位的填报数据有误（50 个问题）：\n")
    assert caught.value.text("en").startswith("invalid inputs in 2 unit(s) (50 problems):\n")


def test_a_zero_denominator_is_an_error_unless_the_rubric_says_the_indicator_does_not_apply():
    indicators = [
        {
            "id": "completion",
            "name": "完成率",
            "points": 6,
            "ratio": {"actual": "done", "target": "plan"},
        },
        {"id": "other", "name": "其他", "points": 4, "all_or_nothing": "ok"},
    ]
    inputs = {"done": {"type": "count"}, "plan": {"type": "count"}, "ok": {"type": "boolean"}}
    strict = rubriceng.load_rubric(make_rubric(indicators, inputs))
    with pytest.raises(rubriceng.EvaluationError) as raised:
        rubriceng.evaluate(strict, {"done": 0, "plan": 0, "ok": True}, unit="某单位")
    assert [p.text("en") for p in raised.value.problems] == [
        "unit '某单位': ratio.target: target plan is zero [zero-denominator] (indicator completion)"
    ]
    indicators[0].update(applies="plan > 0", not_applicable={"strategy": "rescale"})
    lenient = rubriceng.load_rubric(make_rubric(indicators, inputs))
    result = rubriceng.evaluate(lenient, {"done": 0, "plan": 0, "ok": True})
    completion = result.indicator("completion")
    assert (completion.status, completion.score, result.total) == (
        "not_applicable",
        Decimal("0.00"),
        Decimal("10.00"),
    )
    assert completion.trace == {
        "not_applicable": {
            "applies": "plan > 0",
            "strategy": "rescale",
            "given_to": {"other": Decimal("6.00")},
        }
    }


def test_checklist_criteria_read_yes_and_no_words_as_in_spreadsheets():
    """Spreadsheet and CSV cells are text: 是/否 mean met/not met, digits are partial points."""
    criteria = [{"id": "a", "name": "a", "points": 1}, {"id": "b", "name": "b", "points": 1}]
    document = make_rubric([{"id": "c", "name": "c", "points": 2, "checklist": criteria}])
    rubric = rubriceng.load_rubric(document)
    assert rubriceng.evaluate(rubric, {"c": {"a": "是", "b": "否"}}).total == Decimal("1.00")
    assert rubriceng.evaluate(rubric, {"c": {"a": " TRUE ", "b": "0.5"}}).total == Decimal("1.50")
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(rubric, {"c": {"a": "也许", "b": True}})
    assert [problem.message for problem in caught.value.problems] == [
        "expected a number, got '也许'"
    ]


# -- optional inputs (default:) ---------------------------------------------------------------


def _optional(default: object, kind: str = "boolean", **rule: object) -> dict[str, object]:
    from tests.conftest import make_rubric

    return make_rubric(
        [
            {"id": "a", "name": "甲", "points": 4, "score": "4 if flag else 1"},
            {"id": "b", "name": "乙", "points": 6, "score": "min(6, amount)"},
        ],
        inputs={"flag": {"type": kind, "default": default, **rule}, "amount": {"type": "money"}},
    )


@pytest.mark.parametrize(("given", "total"), [({}, "10.00"), ({"flag": False}, "7.00")])
def test_an_optional_input_takes_its_default_on_rows_and_columns(given, total):
    import pandas

    rubric = rubriceng.load_rubric(_optional(True))
    assert str(rubriceng.evaluate(rubric, {"amount": 6, **given}).total) == total
    frame = pandas.DataFrame([{"amount": 6, **given}])
    assert [str(t) for t in rubriceng.evaluate_table(rubric, frame).totals()] == [total]


@pytest.mark.parametrize(
    ("default", "kind", "rule", "message"),
    [
        (1, "boolean", {}, "the default 1 is not a value this boolean input accepts"),
        (True, "money", {}, "the default True is not a value this money input accepts"),
        (5, "rate", {"max": 1}, "the default 5 is not a value this rate input accepts"),
        (-1, "count", {"min": 0}, "the default -1 is not a value this count input accepts"),
        (1, "text", {}, "a text input takes no default"),
    ],
)
def test_a_default_the_input_would_refuse_is_a_rubric_error(default, kind, rule, message):
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(_optional(default, kind, **rule))
    assert [(p.code, p.message) for p in raised.value.problems] == [("input-default", message)]


def _percent_rubric():
    return rubriceng.load_rubric(
        make_rubric(
            [
                {
                    "id": "spending",
                    "name": "支出率",
                    "points": 10,
                    "score": (
                        "10 * min(1, sum(spent) / plan) * min(1, rate) + 0 * share + 0 * staff"
                    ),
                }
            ],
            inputs={
                "spent": {"type": "list", "items": "money"},
                "plan": {"type": "money"},
                "rate": {"type": "rate"},
                "share": {"type": "number"},
                "staff": {"type": "count"},
            },
        )
    )


_GOOD = {"spent": [30, 70], "plan": 100, "rate": "95%", "share": "50%", "staff": 3}


@pytest.mark.parametrize(
    ("field", "value", "where", "message", "chinese"),
    [
        ("plan", "95%", "plan", "an amount is not a percentage, got '95%'", "金额不能是百分数"),
        (
            "plan",
            " 100 ％",
            "plan",
            "an amount is not a percentage, got ' 100 ％'",
            "金额不能是百分数",
        ),
        (
            "plan",
            "95﹪\u3000",
            "plan",
            "an amount is not a percentage, got '95﹪\\u3000'",
            "金额不能是百分数",
        ),
        (
            "spent",
            ["30", "70%"],
            "spent.2",
            "an amount is not a percentage, got '70%'",
            "金额不能是百分数",
        ),
        ("staff", "200%", "staff", "a count is not a percentage, got '200%'", "个数不能是百分数"),
    ],
    ids=["money", "full-width", "small percent sign", "money item", "count"],
)
def test_a_percentage_in_an_amount_or_a_count_is_refused(field, value, where, message, chinese):
    """'95%' typed into a money row (a rate in the wrong row) was read as 0.95 元; '200%'
    as a count of 2. A rate, and a plain number, still read '95%' as 0.95."""
    rubric = _percent_rubric()
    assert rubriceng.evaluate(rubric, _GOOD).total == Decimal("9.50")
    inputs = {**_GOOD, field: value}
    for trace in (True, False):
        (problem,) = problems_of(rubric, inputs, trace=trace)
        assert (problem.field, problem.message) == (field, message)
        assert problem.text("zh").startswith(f"{where}：{chinese}，实际为 ")
    batch = rubriceng.evaluate_many(rubric, [_GOOD, inputs], errors="collect")
    assert [result.total for result in batch.results] == [Decimal("9.50")]
    assert [problem.message for problem in batch.failures[0].problems] == [message]


def test_a_percentage_in_an_amount_column_goes_to_the_row_path_and_is_refused():
    import numpy as np

    rubric = _percent_rubric()
    table = {
        "unit": np.array(["甲", "乙"], dtype=object),
        "spent.1": np.array([30.0, 30.0]),
        "spent.2": np.array([70.0, 70.0]),
        "plan": np.array(["100", "95%"], dtype=object),
        "rate": np.array(["95%", "95%"], dtype=object),
        "share": np.array([0.5, 0.5]),
        "staff": np.array([3, 3]),
    }
    scores = rubriceng.evaluate_table(rubric, table, errors="collect")
    assert scores.totals() == [Decimal("9.50")]
    (failure,) = scores.failures
    assert (failure.unit, failure.problems[0].message) == (
        "乙",
        "an amount is not a percentage, got '95%'",
    )


def test_the_inputs_schema_allows_a_percent_sign_only_where_it_is_read():
    import re

    properties = rubriceng.inputs_schema(_percent_rubric())["properties"]["inputs"]["properties"]

    def pattern(schema):
        return next(option["pattern"] for option in schema["anyOf"] if "pattern" in option)

    for name, allowed in (("plan", False), ("staff", False), ("rate", True), ("share", True)):
        assert bool(re.match(pattern(properties[name]), "95%")) is allowed, name
        assert re.match(pattern(properties[name]), "1,331,100"), name
    assert not re.match(pattern(properties["spent"]["items"]), "70%")


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("１２３．４５", "123.45"),  # typed in a Chinese input method's full-width mode
        ("－５", "-5"),
        ("\u22125", "-5"),  # the minus sign U+2212
        ("９５％", "0.95"),
        ("1，331，100", "1331100"),
        ("1,331,100.25", "1331100.25"),
        (" 0.95\u00a0", "0.95"),
        ("12,345%", "123.45"),
    ],
)
def test_numbers_as_people_type_them_are_read(text, read):
    assert to_decimal(text) == Decimal(read)


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        (
            "1331,5",
            "a comma in a number parts thousands only, got '1331,5' (a decimal point "
            "written as a comma?)",
            "数值中的逗号只能用作千位分隔符，实际为 '1331,5'（是否把小数点写成了逗号？）",
        ),
        (
            "0,95",
            "a comma in a number parts thousands only, got '0,95' (a decimal point "
            "written as a comma?)",
            "数值中的逗号只能用作千位分隔符，实际为 '0,95'（是否把小数点写成了逗号？）",
        ),
        (
            "1,33,1",
            "a comma in a number parts thousands only, got '1,33,1' (a decimal point "
            "written as a comma?)",
            "数值中的逗号只能用作千位分隔符，实际为 '1,33,1'（是否把小数点写成了逗号？）",
        ),
        (
            "￥1,331,100",
            "expected a number without a currency or unit, got '￥1,331,100'",
            "应为不带货币符号或单位的数值，实际为 '￥1,331,100'",
        ),
        (
            "133.11万",
            "expected a number without a currency or unit, got '133.11万'",
            "应为不带货币符号或单位的数值，实际为 '133.11万'",
        ),
        (
            "一百三十三万",
            "expected a number in digits, got '一百三十三万'",
            "应为用数字写的数值，实际为 '一百三十三万'",
        ),
        ("1_000", "expected a number, got '1_000'", "应为数值，实际为 '1_000'"),
        ("NaN", "expected a finite number, got 'NaN'", "应为有限的数值，实际为 'NaN'"),
        (
            datetime.datetime(2020, 5, 1),
            "expected a number, got the date 2020-05-01 (is the cell formatted as a date?)",
            "应为数值，实际为日期 2020-05-01（单元格是否设成了日期格式？）",
        ),
        (
            datetime.datetime(2020, 5, 1, 8, 30),
            "expected a number, got the date 2020-05-01T08:30:00 (is the cell formatted as a "
            "date?)",
            "应为数值，实际为日期 2020-05-01T08:30:00（单元格是否设成了日期格式？）",
        ),
        (
            datetime.date(2021, 1, 2),
            "expected a number, got the date 2021-01-02 (is the cell formatted as a date?)",
            "应为数值，实际为日期 2021-01-02（单元格是否设成了日期格式？）",
        ),
        (
            datetime.time(12, 0),
            "expected a number, got the time 12:00:00 (is the cell formatted as a date?)",
            "应为数值，实际为时间 12:00:00（单元格是否设成了日期或时间格式？）",
        ),
    ],
    ids=[
        "decimal comma",
        "rate comma",
        "misgrouped",
        "currency",
        "unit",
        "in words",
        "underscore",
        "nan",
        "a date from Excel",
        "a date and time",
        "a date",
        "a time",
    ],
)
def test_a_number_whose_text_is_a_probable_typo_is_refused(
    huizhou, huizhou_inputs, text, english, chinese
):
    """The commas were all dropped: 1331,5 read as 13315."""
    huizhou_inputs["procurement_actual"] = text
    (problem,) = problems_of(huizhou, huizhou_inputs)
    assert (problem.field, problem.message) == ("procurement_actual", english)
    assert problem.text("zh") == (
        f"实际采购金额合计数（procurement_actual）：{chinese}，用于政府采购执行率 [input-invalid]"
    )


@settings(max_examples=300)
@given(st.text(alphabet="0123456789,.%eE+- ", max_size=12))
def test_the_inputs_schema_says_which_text_is_read_as_a_number(text):
    """Its pattern (for clients that check before they send) and the reader agree."""
    import re

    from rubriceng.outputs.schemas import NUMBER_TEXT

    try:
        to_decimal(text)
        read = True
    except ValueError as error:
        bounds = ("too large", "significant digits", "decimal places", "can be read")
        read = any(words in str(error) for words in bounds)  # a number, beyond a bound
    assert bool(re.match(NUMBER_TEXT, text)) is read, text


@pytest.mark.parametrize(
    ("yes", "no"),
    [("√", "×"), ("✔", "✘"), ("ＹＥＳ", "ｎｏ"), (" 是 ", "否"), ("TRUE", "False")],
    ids=["ticks", "heavy ticks", "full-width", "spaces", "excel"],
)
def test_yes_and_no_as_forms_tick_them(huizhou, huizhou_inputs, yes, no):
    """A ticked box (打√) is yes on a yes/no input and on a checklist's item."""
    expected = rubriceng.evaluate(huizhou, huizhou_inputs).scores()
    huizhou_inputs["ledgers_reconciled"] = yes
    huizhou_inputs["budget_reasonableness"] = dict.fromkeys(
        huizhou_inputs["budget_reasonableness"], yes
    )
    assert rubriceng.evaluate(huizhou, huizhou_inputs).scores() == expected
    huizhou_inputs["ledgers_reconciled"] = no
    huizhou_inputs["budget_reasonableness"]["not_fixed"] = no
    scores = rubriceng.evaluate(huizhou, huizhou_inputs, trace=False).scores()
    assert scores["ledger_reconciliation"] == 0
    # one of five points lost, at the 6.34 points the 不适用 reweighting gives it
    assert (expected["budget_reasonableness"], scores["budget_reasonableness"]) == (
        Decimal("6.34"),
        Decimal("5.07"),
    )
