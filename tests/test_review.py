"""复核: a reviewer's scores and inputs, scored beside the unit's own, line by line."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

import rubriceng
from rubriceng.cli import main
from rubriceng.cycle.review import Change, apply_changes, load_changes, review
from rubriceng.errors import InputError
from tests.conftest import HUIZHOU, HUIZHOU_UNIT

OFFICE = "惠州市人民政府办公室"
REVIEW = {
    "unit": OFFICE,
    "changes": [
        {"indicator": "项目监管", "score": 1, "reason": "检查底稿不完整"},
        {"inputs": {"procurement_actual": 1000000}, "reason": "以政府采购系统数据为准"},
    ],
}


def _run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture()
def review_file(tmp_path):
    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(REVIEW, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_review_lines_up_self_and_reviewed_scores_with_reasons(
    huizhou, huizhou_inputs, review_file
):
    found = review(huizhou, huizhou_inputs, load_changes(review_file), unit=OFFICE)
    # 采购: 1,000,000 of the planned 1,331,100 is 75.13%, so 2 × 0.7513 = 1.50
    both = ("以政府采购系统数据为准", "检查底稿不完整")
    assert [
        (line.id, str(line.self_score), str(line.reviewed), str(line.difference), line.reasons)
        for line in found.changed
    ] == [
        ("budget_execution", "42.86", "40.50", "-2.36", both),
        ("fund_management", "24.86", "24.50", "-0.36", ("以政府采购系统数据为准",)),
        ("procurement_rate", "1.86", "1.50", "-0.36", ("以政府采购系统数据为准",)),
        ("project_management", "5.00", "3.00", "-2.00", ("检查底稿不完整",)),
        ("project_supervision", "3.00", "1.00", "-2.00", ("检查底稿不完整",)),
        ("total", "97.86", "95.50", "-2.36", both),
    ]
    assert found.self_assessed.total == rubriceng.evaluate(huizhou, huizhou_inputs).total
    assert found.reviewed.indicator("project_supervision").trace["reviewed"] == 1
    every = {line.id for line in found.differences}
    assert every >= {row.id for row in found.self_assessed.walk() if "." not in row.id}
    assert sum(
        line.difference for line in found.differences if line.depth == 0 and line.id != "total"
    ) == Decimal("-2.36")


def test_the_review_command_prints_what_changed(review_file):
    result = _run("review", HUIZHOU, HUIZHOU_UNIT, review_file)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "指标                  分值  自评分  复核分   差异  复核说明",
        "预算执行情况         43.00   42.86   40.50  -2.36  以政府采购系统数据为准；检查底稿不完整",
        "  资金管理           25.00   24.86   24.50  -0.36  以政府采购系统数据为准",
        "    政府采购执行率    2.00    1.86    1.50  -0.36  以政府采购系统数据为准",
        "  项目管理            5.00    5.00    3.00  -2.00  检查底稿不完整",
        "    项目监管          3.00    3.00    1.00  -2.00  检查底稿不完整",
        "总分                100.00   97.86   95.50  -2.36  以政府采购系统数据为准；检查底稿不完整",
        "自评 97.86 优 → 复核 95.50 优",
    ]
    english = _run("review", HUIZHOU, HUIZHOU_UNIT, review_file, "--lang", "en")
    assert english.output.splitlines()[-1] == (
        "self-assessed 97.86 Excellent → reviewed 95.50 Excellent"
    )


def test_the_review_workbook_and_json(tmp_path, review_file):
    out = tmp_path / "reviewed.xlsx"
    assert _run("review", HUIZHOU, HUIZHOU_UNIT, review_file, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["复核概况", "复核"]
    overview = [list(row) for row in book["复核概况"].iter_rows(values_only=True)]
    assert overview == [
        ["项目", "取值"],
        ["单位", OFFICE],
        ["评分表", "cn.gd.huizhou/dept-overall@2020"],
        ["自评总分", 97.86],
        ["自评等级", "优"],
        ["复核总分", 95.5],
        ["复核等级", "优"],
        ["差异", -2.36],
    ]
    lines = {row[0].strip("　"): row for row in book["复核"].iter_rows(values_only=True)}
    assert lines["项目监管"] == ("　　项目监管", 3, 3, 1, -2, "检查底稿不完整")
    assert lines["总分"][2:5] == (97.86, 95.5, -2.36)
    assert lines["预算编制"][4] is None  # unchanged: no difference, no reason
    out = tmp_path / "reviewed.json"
    assert _run("review", HUIZHOU, HUIZHOU_UNIT, review_file, "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["self_total"], data["reviewed_total"]) == ("97.86", "95.50")
    assert data["lines"][-1] == {
        "id": "total",
        "name": "合计",
        "depth": 0,
        "points": "100.00",
        "self": "97.86",
        "reviewed": "95.50",
        "difference": "-2.36",
        "reasons": ["以政府采购系统数据为准", "检查底稿不完整"],
    }


def test_the_review_form_reads_back_to_the_same_review(
    tmp_path, huizhou, huizhou_inputs, review_file
):
    form = tmp_path / "review.xlsx"
    result = _run("review", HUIZHOU, HUIZHOU_UNIT, "--form", "-o", form)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(form)
    assert book.sheetnames == ["复核", "复核填报数据"]
    sheet = book["复核"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=5)}
    assert [cell.value for cell in rows["project_supervision"]][:4] == [
        "project_supervision",
        "　　项目监管",
        3,
        3,
    ]
    checks = {str(check.sqref): check for check in sheet.data_validations.dataValidation}
    place = f"E{rows['project_supervision'][0].row}"
    assert (checks[place].formula1, checks[place].formula2) == ("0", "3.00")
    rows["project_supervision"][4].value = 1
    rows["project_supervision"][5].value = "检查底稿不完整"
    given = {row[0].value: row for row in book["复核填报数据"].iter_rows(min_row=2)}
    assert given["procurement_actual"][2].value == 1236754.68
    given["procurement_actual"][3].value = 1000000
    given["procurement_actual"][4].value = "以政府采购系统数据为准"
    book.save(form)
    from_form = review(huizhou, huizhou_inputs, load_changes(form), unit=OFFICE)
    from_yaml = review(huizhou, huizhou_inputs, load_changes(review_file), unit=OFFICE)
    assert from_form.differences == from_yaml.differences  # reasons in the same order too
    assert from_form.reviewed.total == Decimal("95.50")


def test_every_problem_of_a_review_is_told_at_once(tmp_path, huizhou, huizhou_inputs):
    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "changes": [
                    {"indicator": "项目监管", "score": 1},
                    {"reason": "空"},
                    {"indicator": "不存在的指标", "score": 1, "reason": "x"},
                    {"indicator": "预算执行情况", "score": 1, "reason": "x"},
                    {"inputs": {"nothing": 1}, "reason": "x"},
                    {"indicator": "项目监管", "score": "多", "reason": "x"},
                ]
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        review(huizhou, huizhou_inputs, load_changes(path))
    assert [(problem.code, problem.line) for problem in caught.value.problems] == [
        ("review-form", 16)
    ]  # the score line
    path.write_text(
        path.read_text(encoding="utf-8").replace("score: 多", "score: 1"), encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        review(huizhou, huizhou_inputs, load_changes(path))
    assert [(problem.code, problem.line) for problem in caught.value.problems] == [
        ("review-reason", 2),
        ("review-empty", 4),
        ("indicator-not-found", 5),
        ("review-group", 8),
        ("review-input", 11),
    ]
    told = caught.value.text("zh").splitlines()
    assert told[1:3] == [
        f"  - {path}:2：每项复核都要写明复核说明 [review-reason]（指标 项目监管）",
        f"  - {path}:4：每项复核应给出复核分或复核后的填报值 [review-empty]",
    ]


def test_one_score_or_input_reviewed_twice_differently_is_refused_with_both_lines(
    tmp_path, huizhou, huizhou_inputs
):
    """Two changes giving one indicator (by id or by name) or one input different values:
    which one the reviewer meant is not for the program to guess. The same value twice
    is one review."""
    path = tmp_path / "twice.yaml"
    path.write_text(
        "changes:\n"
        "  - {indicator: 项目监管, score: 1, reason: 底稿不全}\n"
        "  - {indicator: project_supervision, score: 1.5, reason: 再查}\n"
        "  - {indicator: 项目监管, score: 1.00, reason: 同一复核分}\n"
        "  - {inputs: {procurement_actual: 1000000}, reason: 系统数据}\n"
        "  - {inputs: {procurement_actual: 1000000, quarterly_spending_progress.2: 0.3}, "
        "reason: 同}\n"
        "  - {inputs: {procurement_actual: 900000}, reason: 另一份数据}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        review(huizhou, huizhou_inputs, load_changes(path))
    with rubriceng.outputs.words.using("zh"):
        assert [(p.code, p.line, p.said()) for p in caught.value.problems] == [
            ("review-twice", 3, "项目监管 有两个复核分：第 2 行为 1，此处为 1.5"),
            (
                "review-twice",
                7,
                "填报数据 procurement_actual 有两个复核值：第 5 行为 1000000，此处为 900000",
            ),
        ]
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:2] + lines[3:6]) + "\n", encoding="utf-8")
    found = review(huizhou, huizhou_inputs, load_changes(path))
    assert found.reviewed.indicator("project_supervision").score == Decimal("1.00")
    same = [
        Change("a", indicator="项目监管", score=Decimal(1)),
        Change("b", indicator="项目监管", score=Decimal(2)),
    ]
    with pytest.raises(InputError) as caught:
        apply_changes(huizhou, huizhou_inputs, same)
    assert caught.value.problems[0].text("en") == (
        "项目监管 is given two reviewed values: 1, and 2 here [review-twice] (indicator 项目监管)"
    )


def test_a_review_form_cell_holding_a_formula_no_program_computed_is_refused(tmp_path):
    """A review form filled in by a script (openpyxl writes formulas without their values)
    read such a 复核分 or 复核值 as blank — the change was dropped without a word — and such
    a 复核说明 as missing. Each is refused with its cell and formula, all at once."""
    form = tmp_path / "review.xlsx"
    assert _run("review", HUIZHOU, HUIZHOU_UNIT, "--form", "-o", form).exit_code == 0
    book = openpyxl.load_workbook(form)
    rows = {row[0].value: row for row in book["复核"].iter_rows(min_row=5)}
    rows["project_supervision"][4].value = "=3-2"
    rows["satisfaction"][4].value = 3
    rows["satisfaction"][5].value = '="问卷"&"样本不足"'
    given = {row[0].value: row for row in book["复核填报数据"].iter_rows(min_row=2)}
    given["procurement_actual"][3].value = "=1000000*1"
    given["procurement_actual"][4].value = "以政府采购系统数据为准"
    book.save(form)
    with pytest.raises(InputError) as caught:
        load_changes(form)
    supervision = rows["project_supervision"][0].row
    satisfaction = rows["satisfaction"][0].row
    actual = given["procurement_actual"][0].row
    assert [(p.code, p.line, p.field, p.params["cell"]) for p in caught.value.problems] == [
        ("input-formula", supervision, "project_supervision", f"E{supervision}"),
        ("input-formula", satisfaction, "satisfaction", f"F{satisfaction}"),
        ("input-formula", actual, "procurement_actual", f"D{actual}"),
    ]
    assert caught.value.problems[0].said("zh") == (
        f"单元格 E{supervision} 是公式 '=3-2'，文件中没有算出的值（写出文件的程序没有计算它）："
        "请用 Excel 或 WPS 打开并保存，或直接填入数值"
    )
    result = _run("review", HUIZHOU, HUIZHOU_UNIT, form)
    assert result.exit_code == 1
    assert f"  - {form} 第 {supervision} 行 project_supervision：单元格 E{supervision} 是公式" in (
        result.output
    )


@pytest.mark.parametrize(
    ("indicator", "score", "code"),
    [
        ("project_supervision", Decimal("3.01"), "review-out-of-range"),
        ("project_supervision", Decimal("-1"), "review-out-of-range"),
        ("project_supervision", Decimal("1.005"), "review-out-of-range"),
        ("advance_release_rate", Decimal("1"), "review-not-applicable"),
    ],
)
def test_a_reviewed_score_outside_its_points_or_for_what_does_not_apply_is_refused(
    huizhou, huizhou_inputs, indicator, score, code
):
    inputs = {**huizhou_inputs, "has_transfer_payments": False}
    with pytest.raises(InputError) as caught:
        rubriceng.evaluate(huizhou, inputs, reviewed={indicator: score})
    assert [(problem.code, problem.indicator) for problem in caught.value.problems] == [
        (code, indicator)
    ]


@pytest.mark.parametrize("value", [True, 1.5, "1", Decimal("NaN")])
def test_reviewed_scores_are_exact_numbers(huizhou, huizhou_inputs, value):
    with pytest.raises(ValueError):
        rubriceng.evaluate(huizhou, huizhou_inputs, reviewed={"project_supervision": value})


def test_a_review_for_another_unit_or_version_is_refused(tmp_path, huizhou, huizhou_inputs):
    path = tmp_path / "r.yaml"
    path.write_text(
        yaml.safe_dump(
            {**REVIEW, "unit": "别的单位", "rubric": "cn.gd.huizhou/dept-overall@2025"},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        review(huizhou, huizhou_inputs, load_changes(path), unit=OFFICE)
    assert [problem.code for problem in caught.value.problems] == ["review-unit", "form-rubric"]
    assert caught.value.problems[0].text("zh") == (
        f"{path} 单位「{OFFICE}」：复核表是针对「别的单位」的，不是本单位 [review-unit]"
    )


def test_reviewed_inputs_lay_over_list_items_and_lists(huizhou, huizhou_inputs):
    merged, scores = apply_changes(
        huizhou,
        huizhou_inputs,
        [
            Change("二季度数据更正", inputs={"quarterly_spending_progress.2": "0.3"}),
            Change("目标重列", inputs={"effect_indicators": []}),
        ],
    )
    assert merged["quarterly_spending_progress"] == [
        *huizhou_inputs["quarterly_spending_progress"][:1],
        "0.3",
        *huizhou_inputs["quarterly_spending_progress"][2:],
    ]
    assert merged["effect_indicators"] == [] and scores == {}
    assert merged["budget_reasonableness"] == huizhou_inputs["budget_reasonableness"]


def test_a_batch_ranks_by_the_reviewed_scores(tmp_path, huizhou):
    from benchmarks.huizhou import generate
    from rubriceng.language.paths import flatten

    units = {f"单位{index}": unit for index, unit in enumerate(generate(4, seed=5, edges=0.2))}
    table = tmp_path / "units.csv"
    flat = {name: flatten(inputs) for name, inputs in units.items()}
    header = list(dict.fromkeys(key for row in flat.values() for key in row))
    lines = [",".join(["unit", *header])]
    lines += [
        ",".join([name, *(_text(row.get(key)) for key in header)]) for name, row in flat.items()
    ]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    best = max(units, key=lambda name: rubriceng.evaluate(huizhou, units[name]).total)
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    (reviews / "a.yaml").write_text(
        yaml.safe_dump(
            {
                "unit": best,
                "changes": [
                    {"indicator": "target_completion", "score": 0, "reason": "目标未实现"},
                    {"indicator": "key_task_completion", "score": 0, "reason": "无佐证"},
                    {"indicator": "satisfaction", "score": 0, "reason": "无问卷"},
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "reviewed.xlsx"
    result = _run("batch", HUIZHOU, table, "--reviews", reviews, "-o", out)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    ranking = [list(row) for row in book["排名"].iter_rows(min_row=2, values_only=True)]
    reviewed = rubriceng.evaluate(
        huizhou,
        units[best],
        reviewed={"target_completion": 0, "key_task_completion": 0, "satisfaction": 0},
    )
    assert [row[1:3] for row in ranking if row[1] == best] == [[best, float(reviewed.total)]]
    assert ["按复核结果评分的单位", 1] in [
        list(row) for row in book["参数"].iter_rows(values_only=True)
    ]
    (reviews / "b.yaml").write_text(
        yaml.safe_dump({"unit": "无此单位", "changes": []}, allow_unicode=True), encoding="utf-8"
    )
    refused = _run("batch", HUIZHOU, table, "--reviews", reviews, "-o", out)
    assert refused.exit_code == 1
    assert "复核表所写的单位不在这批单位中：无此单位 [review-unit]" in refused.output


def _text(value):
    if value is None:
        return ""
    return ("是" if value else "否") if isinstance(value, bool) else str(value)


def test_a_reviewed_part_of_an_input_given_whole_is_refused(huizhou, huizhou_inputs):
    with pytest.raises(InputError) as caught:
        apply_changes(huizhou, huizhou_inputs, [Change("x", inputs={"revenue_final.1": 5})])
    assert [(problem.code, problem.message) for problem in caught.value.problems] == [
        ("review-input", "revenue_final.1 is inside a value given as a whole")
    ]


@pytest.mark.parametrize("key", ["nothing", "budget_execution"])
def test_reviewed_scores_for_what_has_no_rule_are_refused(huizhou, huizhou_inputs, key):
    with pytest.raises(
        ValueError,
        match=f"reviewed scores for {key}: not indicators with a "
        "rule in cn.gd.huizhou/dept-overall@2020",
    ):
        rubriceng.evaluate(huizhou, huizhou_inputs, reviewed={key: Decimal(1)})
    with pytest.raises(ValueError, match=f"reviewed scores for {key}"):
        rubriceng.evaluate_many(huizhou, {"甲": huizhou_inputs}, reviewed={"甲": {key: 1}})


@pytest.mark.parametrize("spelled", ["单位 1", "单位１", "单位1"])
def test_a_review_finds_its_unit_as_a_person_reads_the_name(huizhou, spelled):
    """A review naming 单位 1 (a space, a full-width digit) reviews the batch's 单位1."""
    from benchmarks.huizhou import generate
    from rubriceng.cycle.review import Change, ReviewFile, apply_reviews

    units = {f"单位{index}": unit for index, unit in enumerate(generate(2, seed=5))}
    change = Change("无问卷", indicator="satisfaction", score=Decimal(0))
    named, scores = apply_reviews(huizhou, units, [ReviewFile((change,), unit=spelled)])
    assert scores == {"单位1": {"satisfaction": Decimal(0)}}
    assert set(named) == set(units)
