"""Performance targets (绩效目标): every value of seed 001 parsed or flagged, judgements,
the Excel form, the target_completion method and the project rubric."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import rubriceng
from rubriceng.cli import main
from rubriceng.targets import (
    MET,
    NEEDS_JUDGEMENT,
    NOT_MET,
    PARTLY_MET,
    UnitMismatch,
    judge,
    load_sheets,
    parse_target,
    read_xlsx,
    write_xlsx,
)
from tests.conftest import ROOT, make_rubric

SEED = ROOT / "examples" / "huizhou-2026-targets.yaml"
ACTUALS = ROOT / "tests" / "data" / "targets-with-actuals.yaml"
PROJECT_RUBRIC = ROOT / "rubrics" / "cn" / "project-self-evaluation-2020.yaml"

# Every distinct target value of seed 001, and what it must parse to.
SEED_VALUES = {
    "<1%": "less than 1%",
    "≥90%": "at least 90%",
    "2项": "at least 2 项",
    "100%": "at least 100%",
    "99%": "at least 99%",
    "52次": "at least 52 次",
    "≥30次": "at least 30 次",
    "6个": "at least 6 个",
    "4次": "at least 4 次",
    "250件": "at least 250 件",
    ">90%": "more than 90%",
    "90%": "at least 90%",
    "≥100%": "at least 100%",
    ">5%": "more than 5%",
    "≥10场次": "at least 10 场次",
    "民兵点验310人次，入队训练61人次": (
        "all of: 民兵点验 at least 310 人次; 入队训练 at least 61 人次"
    ),
    "≥50份": "at least 50 份",
    "103人次": "at least 103 人次",
    "3人": "at least 3 人",
    "按规定标准发放补助": "needs judgement",
    "按当年核定标准发放": "needs judgement",
    "1人": "at least 1 人",
    "12期": "at least 12 期",
    "5天内": "at most 5 天",
    "≥80%": "at least 80%",
    "2次": "at least 2 次",
    "≥85%": "at least 85%",
    "100个政务新媒体": "at least 100 个政务新媒体",
    "36个网站": "at least 36 个网站",
    "0%": "at least 0%",
    "≥1场": "at least 1 场",
    "≥3场": "at least 3 场",
    "≥100家企业": "at least 100 家企业",
    ">3%": "more than 3%",
    "≥2次": "at least 2 次",
    "≥45家次": "at least 45 家次",
    "≥6份": "at least 6 份",
    "≤3日": "at most 3 日",
    "减少10%": "decrease by at least 10%",
    "下降10%": "decrease by at least 10%",
    "增加5%": "increase by at least 5%",
    "≥40.9万": "at least 409000",
    "1.3元/户": "at least 1.3 元/户",
}


@pytest.fixture(scope="module")
def seed():
    return load_sheets(SEED)


def test_the_fixture_transcribes_every_sheet_of_seed_001(seed):
    assert [sheet.name for sheet in seed] == [
        "市府办 部门整体",
        "援派干部经费",
        "遗属补助经费",
        "市政府办宣传办刊及慰问经费",
        "决策咨询工作经费",
        "市政府办网站运行监测经费",
        "金融稳定发展协调费",
        "预防和处置非法集资经费",
        "广东省地方金融风险监测防控中心服务经费",
        "政策性农村住房保险保费补贴资金",
    ]
    assert [len(sheet.rows) for sheet in seed] == [33, 5, 4, 7, 7, 7, 7, 7, 7, 6]
    assert seed[0].kind == "department" and seed[0].budget == Decimal("69041600.00")
    assert [sheet.budget for sheet in seed[1:]] == [
        Decimal(n) for n in (115200, 7412, 305000, 300000, 497650, 300000, 100000, 480000, 540000)
    ]
    assert seed[1].period == (2023, 2099) and seed[0].unit == "惠州市人民政府办公室"


def test_every_target_value_in_seed_001_is_parsed_or_flagged(seed):
    """No value is silently misread: each parses to exactly the form written here, and
    the two without a number are flagged as needing judgement."""
    values = {row.value for sheet in seed for row in sheet.rows}
    assert values == set(SEED_VALUES)
    for value, expected in SEED_VALUES.items():
        assert parse_target(value).describe(lang="en") == expected, value
    for sheet in seed:
        for row in sheet.rows:
            assert row.period_value == row.annual_value  # the form gives both, equal


def test_implied_comparators_follow_the_level_and_the_name(seed):
    rows = {row.name: row for sheet in seed for row in sheet.rows}
    used = {
        name: rows[name].comparator_used()
        for name in (
            "政府网站与政务新媒体检测结果误判率",
            "网站及政务新媒体严重问题发生率",
            "公报投递（发布）及时率",
            "补助发放及时率",
            "完成调研成果数量",
            "保险密度（元）",
            "受惠群众满意度",
            "组织现场督查次数",
        )
    }
    assert used == {
        "政府网站与政务新媒体检测结果误判率": "<",  # written: <1%
        "网站及政务新媒体严重问题发生率": "<=",  # 0%, an incident rate: at most
        "公报投递（发布）及时率": "<=",  # 5天内
        "补助发放及时率": ">=",  # a 时效 rate: at least
        "完成调研成果数量": ">=",
        "保险密度（元）": ">=",
        "受惠群众满意度": ">=",
        "组织现场督查次数": ">=",
    }
    cost = parse_target("5万元")
    assert cost.implied("成本指标", "经济成本指标", "项目总成本") == "<="
    assert cost.implied("产出指标", "数量指标", "x") == ">="


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("＞９０％", "more than 90%"),
        ("≥ 90 %", "at least 90%"),
        ("90%以上", "at least 90%"),
        ("不低于95%", "at least 95%"),
        ("不少于2项", "at least 2 项"),
        ("不超过3天", "at most 3 天"),
        ("3日以内", "at most 3 日"),
        ("5 个工作日内", "at most 5 个工作日"),
        ("≤5%", "at most 5%"),
        ("5%以下", "at most 5%"),
        ("至少 3 次", "at least 3 次"),
        ("＝100％", "exactly 100%"),
        ("3.84万元", "at least 38400 元"),
        ("2亿", "at least 200000000"),
        ("提高5%", "increase by at least 5%"),
        ("2026年底前完成", "needs judgement"),
        ("完成率90%", "needs judgement"),
        ("效果明显", "needs judgement"),
    ],
)
def test_forms_words_and_widths(text, expected):
    assert parse_target(text).describe(lang="en") == expected


@pytest.mark.parametrize(
    ("target", "actual", "status", "completion"),
    [
        ("≥90%", "95%", MET, "1"),
        ("≥90%", Decimal("0.81"), PARTLY_MET, "0.9"),
        ("≥90%", "0.81", PARTLY_MET, "0.9"),
        ("≥100%", 1.2, MET, "1"),
        ("≥90%", 0, NOT_MET, "0"),
        (">90%", "90%", PARTLY_MET, "1"),
        ("<1%", "0.5%", MET, "1"),
        ("<1%", "2%", PARTLY_MET, "0.5"),
        ("0%", 0, MET, "1"),
        ("5天内", "4天", MET, "1"),
        ("≤3日", 6, PARTLY_MET, "0.5"),
        ("≥40.9万", "41.2万", MET, "1"),
        ("≥40.9万", 204500, PARTLY_MET, "0.5"),
        ("减少10%", "减少12%", MET, "1"),
        ("下降10%", "下降5%", PARTLY_MET, "0.5"),
        ("下降10%", "增加5%", NOT_MET, "0"),
        ("1.3元/户", "1.3元/户", MET, "1"),
        ("民兵点验310人次，入队训练61人次", "民兵点验310人次，入队训练61人次", MET, "1"),
        ("民兵点验310人次，入队训练61人次", {"民兵点验": 155, "入队训练": 61}, PARTLY_MET, "0.75"),
        ("按规定标准发放补助", True, MET, "1"),
        ("按规定标准发放补助", False, NOT_MET, "0"),
    ],
)
def test_judging_an_actual_value(target, actual, status, completion):
    found = judge(parse_target(target), actual)
    assert (found.status, found.completion) == (status, Decimal(completion))


@pytest.mark.parametrize(
    ("text", "comparator", "chinese"),
    [
        ("≥90%", None, "不低于 90%"),
        (">90%", None, "高于 90%"),
        ("<1%", None, "低于 1%"),
        ("5天内", None, "不超过 5 天"),
        ("1.3元/户", None, "不低于 1.3 元/户"),
        ("100%", "=", "等于 100%"),
        ("减少10%", None, "减少幅度不低于 10%"),
        ("增加5%", None, "增加幅度不低于 5%"),
        (
            "民兵点验310人次，入队训练61人次",
            None,
            "全部满足：民兵点验 不低于 310 人次；入队训练 不低于 61 人次",
        ),
        ("按规定标准发放补助", None, "需人工判断"),
    ],
)
def test_parsed_forms_in_chinese(text, comparator, chinese):
    assert parse_target(text).describe(comparator) == chinese


def test_judgements_give_their_reason_in_either_language():
    parts = parse_target("民兵点验310人次，入队训练61人次")
    found = judge(parts, {"民兵点验": 155, "入队训练": 61})
    assert found.reason == (
        "民兵点验：实际 155，目标不低于 310 人次；入队训练：实际 61，目标不低于 61 人次"
    )
    assert judge(parts, {"民兵点验": 155, "入队训练": 61}, lang="en").reason == (
        "民兵点验: 155 against at least 310 人次; 入队训练: 61 against at least 61 人次"
    )
    assert judge(parse_target("≥90%"), 0.8).reason == "实际 80%，目标不低于 90%"


def test_what_needs_judgement_is_never_guessed():
    found = judge(parse_target("按规定标准发放补助"), "已发放")
    assert (found.status, found.completion) == (NEEDS_JUDGEMENT, None)
    assert found.reason == "「按规定标准发放补助」需人工判断"
    english = judge(parse_target("按规定标准发放补助"), "已发放", lang="en")
    assert english.reason == "'按规定标准发放补助' needs a person's judgement"


@pytest.mark.parametrize(
    ("target", "actual", "message"),
    [
        (
            "≥90%",
            "52次",
            "'52次' is a count (次) and '≥90%' a percent (%): they cannot be compared",
        ),
        ("52次", "95%", "'95%' is a percent (%) and '52次' a count (次): they cannot be compared"),
        ("≥90%", "95", "95 for the % target '≥90%': write 95% or a fraction (0.95)"),
        ("≥90%", 95, "95 for the % target '≥90%': write 95% or a fraction (0.95)"),
        ("5天内", "3元", "'3元' is a money (元) and '5天内' a time (天): they cannot be compared"),
        ("2项", True, "expected a number for '2项', got True"),
        ("民兵点验310人次，入队训练61人次", {"民兵点验": 1}, "no actual value for 入队训练"),
    ],
)
def test_units_are_checked(target, actual, message):
    with pytest.raises(UnitMismatch) as caught:
        judge(parse_target(target), actual)
    assert str(caught.value) == message


def test_the_excel_form_round_trips_every_sheet(seed, tmp_path):
    path = tmp_path / "targets.xlsx"
    write_xlsx(seed, path)
    again = read_xlsx(path)
    assert [(s.name, s.kind, s.period, s.budget, s.goal) for s in again] == [
        (s.name, s.kind, s.period, s.budget, s.goal) for s in seed
    ]
    assert [
        [(r.level1, r.level2, r.name, r.period_value, r.annual_value) for r in s.rows]
        for s in again
    ] == [
        [(r.level1, r.level2, r.name, r.period_value, r.annual_value) for r in s.rows] for s in seed
    ]
    assert {s.year for s in again} == {2026}


def test_an_actual_value_written_as_a_formula_no_program_computed_is_refused(tmp_path):
    """A 申报表 filled in by a script: its formulas read as blank cells, and the targets
    as having no actual value. Each is refused with its cell, on every sheet at once."""
    path = tmp_path / "targets.xlsx"
    write_xlsx(load_sheets(ACTUALS), path)
    book = openpyxl.load_workbook(path)
    first, second = book.worksheets[:2]
    first["F10"] = "=1+1"  # 开展专项课题研究数量's 实际完成值
    second["F12"] = '="4"&"日"'
    book.save(path)
    with pytest.raises(rubriceng.InputError) as caught:
        load_sheets(path)
    assert [(p.code, p.line, p.field, p.params["cell"]) for p in caught.value.problems] == [
        ("input-formula", 10, "开展专项课题研究数量", "F10"),
        ("input-formula", 12, "发现地方金融风险企业发送专项报告及时性", "F12"),
    ]


def test_an_excel_form_with_merged_levels_and_actuals(tmp_path):
    """Blank 一级/二级 cells (merged in the form) repeat the cell above."""
    path = tmp_path / "form.xlsx"
    book = openpyxl.Workbook()
    page = book.active
    period = ["实施周期", "起始年度", 2026, "到期年度", 2099]
    for row in (
        ["项目绩效目标表"],
        ["项目名称", "决策咨询工作经费"],
        period,
        ["2026年预算金额", 300000],
        [],
        ["一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值", "实际完成值"],
        ["产出指标", "数量指标", "开展专项课题研究数量", "2项", "2项", "2项"],
        [None, None, "配合完成专家在惠调研相关工作", "2次", "2次", 1],
        [None, "质量指标", "研究成果验收通过率", "≥90%", "≥90%", 0.8],
        [None, "时效指标", None, None, None, None],
        ["满意度指标", "服务对象满意度", "成果使用对象满意度", "≥85%", "≥85%", "88%"],
    ):
        page.append(row)
    book.save(path)
    (sheet,) = load_sheets(path)
    assert (sheet.name, sheet.year, sheet.period, sheet.budget) == (
        "决策咨询工作经费",
        2026,
        (2026, 2099),
        Decimal(300000),
    )
    assert [(r.level1, r.level2, r.name, r.line) for r in sheet.rows] == [
        ("产出指标", "数量指标", "开展专项课题研究数量", 7),
        ("产出指标", "数量指标", "配合完成专家在惠调研相关工作", 8),
        ("产出指标", "质量指标", "研究成果验收通过率", 9),
        ("满意度指标", "服务对象满意度", "成果使用对象满意度", 11),
    ]
    assert [r.judgement().status for r in sheet.rows] == [MET, PARTLY_MET, PARTLY_MET, MET]


def test_bad_target_files_list_every_problem_with_lines(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "unit: x\nsheets:\n  - name: p\n    kind: programme\n    rows:\n"
        "      - {level1: 产出指标, level2: 数量指标, name: a, met: maybe}\n",
        encoding="utf-8",
    )
    with pytest.raises(rubriceng.InputError) as caught:
        load_sheets(path)
    assert [problem.text("en") for problem in caught.value.problems] == [
        f"{path}:4: sheets[0].kind: programme is not allowed (one of department, project) "
        "[targets-form]",
        f"{path}:6: sheets[0].rows[0].met: must be true or false, got 'maybe' [targets-form]",
    ]
    assert [problem.text("zh") for problem in caught.value.problems] == [
        f"{path}:4 sheets[0].kind：「programme」不是允许的值（应为 department、project 之一） "
        "[targets-form]",
        f"{path}:6 sheets[0].rows[0].met：应为是/否（true/false），实际为 'maybe' [targets-form]",
    ]
    path.write_text(
        "sheets:\n  - name: p\n    rows:\n      - [产出指标, 数量指标, a, 2项]\n", encoding="utf-8"
    )
    with pytest.raises(rubriceng.InputError) as caught:
        load_sheets(path)
    assert [problem.text("en") for problem in caught.value.problems] == [
        f"{path}:4: sheets[0].rows[0]: a row is [一级指标, 二级指标, 三级指标, 实施周期指标值, "
        "年度指标值] and optionally the actual value [targets-form]"
    ]


def _completion_rubric(count: str = "met") -> rubriceng.Rubric:
    return rubriceng.load_rubric(
        make_rubric(
            [
                {
                    "id": "target_completion",
                    "name": "绩效目标完成率",
                    "points": 5,
                    "target_completion": {"targets": "targets", "count": count},
                }
            ],
            inputs={"targets": {"type": "targets", "label": "绩效目标"}},
        )
    )


def test_target_completion_counts_targets_met_and_lists_the_unmet():
    """绩效目标完成率 = targets met / targets declared × 5 (seed 002's rule)."""
    (sheet, _) = load_sheets(ACTUALS)
    result = rubriceng.evaluate(_completion_rubric(), {"targets": sheet.as_input()})
    row = result.indicator("target_completion")
    assert row.score == Decimal("3.57")  # 5 of 7 met: 5 × 5/7
    assert (row.trace["declared"], row.trace["met"]) == (7, 5)
    assert [
        (item["name"], item["status"], str(item["completion"])) for item in row.trace["unmet"]
    ] == [
        ("配合完成专家在惠调研相关工作", "partly_met", "0.5"),
        ("研究成果验收通过率", "partly_met", "8/9"),
    ]
    partial = rubriceng.evaluate(_completion_rubric("completion"), {"targets": sheet.as_input()})
    assert partial.total == Decimal("4.56")  # mean completion 6.3889 / 7 × 5


def test_target_completion_refuses_unjudged_and_mismatched_targets():
    rubric = _completion_rubric()
    unjudged = [{"name": "资金发放的合规性", "target": "按规定标准发放补助", "actual": "已发放"}]
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(rubric, {"targets": unjudged})
    assert caught.value.problems[0].message == (
        "资金发放的合规性 (按规定标准发放补助): give its actual value, or met: true/false"
    )
    judged = [{**unjudged[0], "met": "是"}]
    assert rubriceng.evaluate(rubric, {"targets": judged}).total == Decimal("5.00")
    mismatched = [{"name": "补贴发放率", "target": "100%", "actual": "3人"}]
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(rubric, {"targets": mismatched})
    assert caught.value.problems[0].message == (
        "补贴发放率: '3人' is a count (人) and '100%' a percent (%): they cannot be compared"
    )
    assert caught.value.problems[0].said("zh") == (
        "补贴发放率：「3人」是数量（人），目标「100%」是百分比（%）：不能比较"
    )
    tiers = [{"name": "资金发放的合规性", "target": "按规定标准发放补助", "tier": "很好"}]
    with pytest.raises(rubriceng.InputError) as caught:  # the inputs' rules know the tiers
        rubriceng.evaluate(rubric, {"targets": tiers})
    assert caught.value.problems[0].said("zh").startswith("「很好」不是允许的值")


def test_the_project_rubric_scores_a_project_from_its_target_sheet():
    rubric = rubriceng.load_rubric(PROJECT_RUBRIC)
    consulting, monitoring = load_sheets(ACTUALS)
    result = rubriceng.evaluate(rubric, consulting.project_inputs(), unit=consulting.name)
    # no 效益 targets: its 30 points go to 产出 (+25) and 满意度 (+5)
    assert [(i.id, str(i.effective_points), str(i.score)) for i in result.indicators] == [
        ("budget_execution", "10.00", "9.50"),  # 285000 / 300000 × 10
        ("outputs", "75.00", "67.36"),  # mean completion 0.8981… × 75
        ("effects", "0.00", "0.00"),
        ("satisfaction", "15.00", "15.00"),
    ]
    assert (result.total, result.grade) == (Decimal("91.86"), "优")
    result = rubriceng.evaluate(rubric, monitoring.project_inputs(), unit=monitoring.name)
    assert [str(i.score) for i in result.indicators] == ["10.00", "45.83", "25.00", "0.00"]
    assert (result.total, result.grade) == (Decimal("80.83"), "良")


WEIGHED = """\
sheets:
  - name: 课题研究经费
    budget: 100000
    spent: 95000
    rows:
      - {level1: 产出指标, level2: 数量指标, name: 完成课题, annual: 2项, actual: 2项, points: 20}
      - {level1: 产出指标, level2: 质量指标, name: 验收通过率, annual: ≥90%, actual: 0.8,
         points: 20, reason: 两项成果需补充论证}
      - {level1: 产出指标, level2: 时效指标, name: 按时完成率, annual: 100%, actual: 100%,
         points: 10}
      - {level1: 效益指标, level2: 社会效益, name: 受益人数, annual: ≥500人, actual: 400,
         points: 30, reason: 第四季度活动延期}
      - {level1: 满意度指标, level2: 服务对象满意度, name: 满意度, annual: ≥85%, actual: 88%,
         points: 10}
"""


def test_the_project_rubric_weighs_targets_by_their_own_points(tmp_path):
    """A self-evaluation form that gives each 三级 indicator its 分值: each target scores
    its points × its completion, instead of every target of a group weighing the same."""
    path = tmp_path / "weighed.yaml"
    path.write_text(WEIGHED, encoding="utf-8")
    (sheet,) = load_sheets(path)
    assert [row.points for row in sheet.rows] == [20, 20, 10, 30, 10]
    result = rubriceng.evaluate(rubriceng.load_rubric(PROJECT_RUBRIC), sheet.project_inputs())
    assert [(i.id, str(i.score)) for i in result.indicators] == [
        ("budget_execution", "9.50"),
        ("outputs", "47.78"),  # 20 + 20 × 0.8/0.9 + 10 = 47.777…; equal weights: 48.15
        ("effects", "24.00"),  # 30 × 400/500
        ("satisfaction", "10.00"),
    ]
    assert result.total == Decimal("91.28")
    # each target is a row of the result, as in the 自评表: 分值, 得分, and why
    rows = result.indicator("outputs").children
    assert [(row.id, row.name, str(row.points), str(row.score), row.status) for row in rows] == [
        ("outputs.1", "完成课题", "20.00", "20.00", "scored"),
        ("outputs.2", "验收通过率", "20.00", "17.78", "scored"),
        ("outputs.3", "按时完成率", "10.00", "10.00", "scored"),
    ]
    assert rows[1].trace["reason"] == "质量指标：实际 80%，目标不低于 90%"
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(result.to_dict(), rubriceng.RESULT_SCHEMA)
    # without 效益 targets its 30 points go to 产出 and 满意度, and to their rows in cents
    alone = rubriceng.evaluate(
        rubriceng.load_rubric(PROJECT_RUBRIC), {**sheet.project_inputs(), "effect_targets": []}
    )
    assert [
        (str(row.effective_points), str(row.score)) for row in alone.indicator("outputs").children
    ] == [("30.00", "30.00"), ("30.00", "26.67"), ("15.00", "15.00")]
    assert alone.total == Decimal("96.17")
    outputs = result.indicator("outputs").trace
    assert [(item["name"], item["points"]) for item in outputs["unmet"]] == [("验收通过率", 20)]
    words = rubriceng.explain(result, "outputs", rubriceng.load_rubric(PROJECT_RUBRIC))
    assert (
        "  未达成：验收通过率（分值 20，目标 ≥90%，实际 0.8，完成 88.9%），"
        "偏差原因 两项成果需补充论证" in words.splitlines()
    )
    checked = CliRunner().invoke(main, ["targets", "check", str(path)]).output.splitlines()
    assert checked[1].split() == [
        "一级",
        "二级",
        "三级",
        "目标值",
        "分值",
        "解析",
        "实际完成值",
        "判定",
    ]
    assert checked[4].split() == [
        "产出指标",
        "质量指标",
        "验收通过率",
        "≥90%",
        "20",
        "不低于",
        "90%",
        "0.8",
        "部分达成",
        "88.9%",
    ]
    # the 分值 column of the form round-trips
    write_xlsx([sheet], tmp_path / "weighed.xlsx")
    assert [row.points for row in read_xlsx(tmp_path / "weighed.xlsx")[0].rows] == [
        20,
        20,
        10,
        30,
        10,
    ]


@given(
    st.lists(st.integers(0, 150), min_size=1, max_size=6),
    st.integers(1, 20),
    st.sampled_from(["met", "completion"]),
)
def test_equal_points_on_every_target_score_as_no_points(actuals, each, count):
    rubric = rubriceng.load_rubric(
        make_rubric(
            [
                {
                    "id": "goals",
                    "name": "目标",
                    "points": each * len(actuals),
                    "target_completion": {"targets": "targets", "count": count},
                }
            ],
            inputs={"targets": {"type": "targets"}},
        )
    )
    rows = [{"name": f"目标{i}", "target": "100项", "actual": a} for i, a in enumerate(actuals)]
    plain = rubriceng.evaluate(rubric, {"targets": rows})
    weighed = rubriceng.evaluate(rubric, {"targets": [{**r, "points": each} for r in rows]})
    assert weighed.total == plain.total
    assert weighed.indicator("goals").trace["rate"] == plain.indicator("goals").trace["rate"]


def test_points_given_to_some_targets_must_be_given_to_all_and_add_up():
    rubric = rubriceng.load_rubric(PROJECT_RUBRIC)
    rows = [
        {"level1": "产出指标", "name": "a", "target": "2项", "actual": 2, "points": 30},
        {"level1": "产出指标", "name": "b", "target": "2项", "actual": 2, "points": 15},
    ]
    inputs = {
        "budget": 1,
        "spent": 1,
        "output_targets": rows,
        "effect_targets": [],
        "satisfaction_targets": [],
    }
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(rubric, inputs)
    assert [p.message for p in caught.value.problems] == [
        "the targets' points (分值) add up to 45, the indicator has 50.00"
    ]
    rows[1] = {key: value for key, value in rows[1].items() if key != "points"}
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(rubric, inputs)
    assert [p.message for p in caught.value.problems] == [
        "give every target its points (分值), or none"
    ]
    rows[1]["points"] = 20
    assert rubriceng.evaluate(rubric, inputs).total == Decimal("100.00")


def test_cli_targets_check_lists_every_row_in_chinese_by_default():
    result = CliRunner().invoke(main, ["targets", "check", str(ACTUALS)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "决策咨询工作经费  (项目, 2026–2099, 预算 300000 元)"
    assert lines[1].split() == ["一级", "二级", "三级", "目标值", "解析", "实际完成值", "判定"]
    row = next(line for line in lines if "研究成果验收通过率" in line)
    assert row.split() == [
        "产出指标",
        "质量指标",
        "研究成果验收通过率",
        "≥90%",
        "不低于",
        "90%",
        "0.8",
        "部分达成",
        "88.9%",
    ]
    row = next(line for line in lines if "配合完成专家在惠调研相关工作" in line)
    assert row.split()[3:] == ["2次", "不低于", "2", "次（默认）", "1", "部分达成", "50.0%"]
    row = next(line for line in lines if "发现地方金融风险企业" in line)
    assert row.split()[3:] == ["≤3日", "不超过", "3", "日", "4日", "部分达成", "75.0%"]
    row = next(line for line in lines if "服务企业满意度" in line)
    assert row.split()[3:] == ["≥80%", "不低于", "80%", "0", "未达成", "0.0%"]
    assert "7 个目标：达成 5，部分达成 2" in lines
    assert "7 个目标：达成 4，未达成 1，部分达成 2" in lines


def test_cli_targets_check_in_english():
    result = CliRunner().invoke(main, ["targets", "check", str(ACTUALS), "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "决策咨询工作经费  (project, 2026–2099, budget 300000 元)"
    assert lines[1].split() == [
        "level",
        "1",
        "level",
        "2",
        "level",
        "3",
        "target",
        "parsed",
        "actual",
        "judgement",
    ]
    row = next(line for line in lines if "配合完成专家在惠调研相关工作" in line)
    assert row.split()[3:] == [
        "2次",
        "at",
        "least",
        "2",
        "次",
        "(implied)",
        "1",
        "partly",
        "met",
        "50.0%",
    ]
    assert "7 targets: 4 met, 1 not met, 2 partly met" in lines


def test_cli_targets_check_on_the_seed_flags_what_needs_judgement():
    result = CliRunner().invoke(main, ["targets", "check", str(SEED)])
    assert result.exit_code == 0, result.output
    flagged = [
        line.split()[2:]
        for line in result.output.splitlines()
        if line.split()[-1:] == ["需人工判断"]
    ]
    assert flagged == [
        ["资金发放的合规性", "按规定标准发放补助", "需人工判断", "需人工判断"],
        ["文件标准金额执行率", "按当年核定标准发放", "需人工判断", "需人工判断"],
    ]
    assert "33 个目标：未填实际值 33" in result.output.splitlines()


def test_cli_targets_check_exits_1_on_a_unit_mismatch(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "sheets:\n  - name: p\n    rows:\n      - [产出指标, 数量指标, 补贴发放率, "
        "100%, 100%, 3人]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["targets", "check", str(path)])
    assert result.exit_code == 1
    assert "错误：「3人」是数量（人），目标「100%」是百分比（%）：不能比较" in result.output
    assert "1 个目标：无法比较 1" in result.output.splitlines()
    english = CliRunner().invoke(main, ["--lang", "en", "targets", "check", str(path)])
    assert (
        "error: '3人' is a count (人) and '100%' a percent (%): they cannot be compared"
        in english.output
    )
    assert "1 targets: 1 cannot be compared" in english.output.splitlines()
    from rubriceng.targets.sheets import row_of

    row = row_of({"name": "合规性", "target": "按规定发放", "tier": "很好"})  # by the API
    with pytest.raises(UnitMismatch) as caught:
        row.judgement()
    assert caught.value.text("zh") == "「很好」不是评定等级：应为 达成、部分达成 或 未达成"


def test_the_basis_in_words_names_the_unmet_targets():
    from rubriceng.outputs.explanation import Explainer

    rubric = rubriceng.load_rubric(PROJECT_RUBRIC)
    sheet = load_sheets(ACTUALS)[1]
    result = rubriceng.evaluate(rubric, sheet.project_inputs())
    assert Explainer(rubric).basis(result.indicator("outputs")) == (
        "数据：成本和产出指标（目标值与实际完成值） 3 行；比率 91.67%；"
        "申报绩效目标 3 个，达成 2 个（组织开展全面监测数量、惠州市地方金融风险监测分析报告数量）；"
        "未达成：发现地方金融风险企业发送专项报告及时性（目标 ≤3日，实际 4日，完成 75%），"
        "偏差原因 一份报告需补充核实；"
        "按满分 50 得 45.8333 分；得分 45.83。"
    )


def test_cli_targets_score_scores_every_project_and_writes_the_table(tmp_path):
    out = tmp_path / "projects.csv"
    result = CliRunner().invoke(main, ["targets", "score", str(ACTUALS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()]
    assert rows[0] == ["项目", "预算执行率", "产出指标", "效益指标", "满意度指标", "总分", "等级"]
    assert rows[2] == ["决策咨询工作经费", "9.50", "67.36", "0.00", "15.00", "91.86", "优"]
    assert rows[3] == [
        "广东省地方金融风险监测防控中心服务经费",
        "10.00",
        "45.83",
        "25.00",
        "0.00",
        "80.83",
        "良",
    ]
    assert out.read_text(encoding="utf-8-sig").splitlines()[1].endswith(",91.86,优")


@pytest.mark.parametrize(
    ("lang", "done", "ranking", "losses", "basis"),
    [
        (
            "zh",
            "2 个项目已评分，0 个未能评分",
            ["排名", "项目", "总分", "等级"],
            ["指标", "分值", "适用项目数", "失分项目数", "平均失分", "最常见的失分原因"],
            [
                ("参数项", "取值"),
                ("评分表", "cn/project-self-evaluation@2020"),
                ("已评分项目", 2),
                ("未能评分项目", 0),
            ],
        ),
        (
            "en",
            "2 scored, 0 failed",
            ["Rank", "Project", "Total", "Grade"],
            [
                "Indicator",
                "Points",
                "Projects it applies to",
                "Projects losing points",
                "Average lost",
                "Most common reason",
            ],
            [
                ("What", "Value"),
                ("Rubric", "cn/project-self-evaluation@2020"),
                ("Projects scored", 2),
                ("Projects not scored", 0),
            ],
        ),
    ],
)
def test_a_summary_of_projects_names_its_rows_projects(
    tmp_path, lang, done, ranking, losses, basis
):
    """The project rubric scores projects (``subject: project``): the summary workbook and
    the command's last line say 项目 where a batch of units says 单位."""
    import openpyxl

    out = tmp_path / "projects.xlsx"
    result = CliRunner().invoke(
        main, ["targets", "score", str(ACTUALS), "-o", str(out), "--lang", lang]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"{done} → {out}"
    book = openpyxl.load_workbook(out)
    first = [[cell.value for cell in next(sheet.iter_rows())] for sheet in book.worksheets]
    assert first[0][:4] == ranking
    assert first[1] == [ranking[3], "项目数" if lang == "zh" else "Projects"]
    assert first[2][:6] == losses
    assert list(book.worksheets[3].iter_rows(max_row=4, values_only=True)) == basis
    assert first[4][:3] == ranking[1:]
    assert rubriceng.load_rubric(PROJECT_RUBRIC).subject == "project"


def test_a_rubric_scores_units_unless_it_says_projects(tmp_path):
    assert rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020").subject == "unit"
    shown = CliRunner().invoke(main, ["show", str(PROJECT_RUBRIC)]).output.splitlines()
    assert shown[2] == "评分对象：项目（每个项目一份结果）"
    english = CliRunner().invoke(main, ["show", str(PROJECT_RUBRIC), "--lang", "en"]).output
    assert english.splitlines()[2] == "scores projects (one result a project)"
    unit = CliRunner().invoke(main, ["show", "cn.gd.huizhou/dept-overall@2020"]).output
    assert "评分对象" not in unit
    document = rubriceng.load_rubric(PROJECT_RUBRIC).document
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric({**document.data, "subject": "projects"})
    (problem,) = raised.value.problems
    assert problem.path == "subject"
    assert (
        problem.text("en")
        == "<mapping>: subject: projects is not allowed (one of unit, project) [schema]"
    )
    assert (
        problem.text("zh")
        == "<mapping> subject：「projects」不是允许的值（应为 unit、project 之一） [schema]"
    )


def test_a_flat_table_of_projects_scores_as_their_sheets(tmp_path):
    """In a CSV (or DataFrame) of projects, a project that leaves every cell of its 效益
    targets blank declared none: the empty list a flat table cannot otherwise write."""
    import csv

    from rubriceng.language.paths import flatten

    sheets = load_sheets(ACTUALS)
    flat = {sheet.name: flatten(sheet.project_inputs()) for sheet in sheets}
    assert not any(column.startswith("effect_targets.") for column in flat["决策咨询工作经费"])
    columns = sorted({column for row in flat.values() for column in row})
    path = tmp_path / "projects.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", *columns])
        for name, row in flat.items():
            writer.writerow([name, *(row.get(column, "") for column in columns)])
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(
        main, ["batch", "cn/project-self-evaluation@2020", str(path), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig") as handle:
        scored = {row["unit"]: row["total"] for row in csv.DictReader(handle)}
    assert scored == {
        "决策咨询工作经费": "91.86",
        "广东省地方金融风险监测防控中心服务经费": "80.83",
    }
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(path, index_col="unit", dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    rubric = rubriceng.load_rubric(PROJECT_RUBRIC)
    assert [str(r.total) for r in rubriceng.evaluate_many(rubric, frame)] == ["91.86", "80.83"]
    assert [str(total) for total in rubriceng.evaluate_table(rubric, frame).totals()] == [
        "91.86",
        "80.83",
    ]


def test_cli_targets_score_lists_projects_without_actual_values():
    result = CliRunner().invoke(main, ["targets", "score", str(SEED)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("错误：")]
    assert len(errors) == 9
    assert errors[0] == (
        "错误：单位「援派干部经费」 全年执行数（spent）：未填写，用于预算执行率 [input-missing]"
    )


def test_the_department_sheet_keeps_its_budget_lines_goal_and_key_tasks(seed):
    department = seed[0]
    assert department.amounts["基本支出"] + department.amounts["项目支出"] == department.budget
    assert department.amounts["财政拨款"] == Decimal("69041600.00")
    assert [task.name for task in department.tasks][:2] == ["发挥参谋助手作用", "强化督查督办"]
    assert [task.funds for task in department.tasks] == [
        Decimal(n)
        for n in (
            "252900.00",
            "40000.00",
            "42000.00",
            "497650.00",
            "135000.00",
            "270000.00",
            "580000.00",
            "64600.00",
            "70000.00",
        )
    ]
    assert department.goal.startswith("市政府办公室是市政府的“中枢”")
    assert all(sheet.goal for sheet in seed)
    assert seed[9].goal.startswith("拟对约40.9万户")


_WRITTEN = {
    ">=": ["≥", ">=", "＞＝", "不低于", "不少于", "至少"],
    "<=": ["≤", "<=", "不超过", "不高于", "至多"],
    ">": [">", "＞", "高于", "超过"],
    "<": ["<", "＜", "低于", "少于"],
}
_AFTER = {">=": ["以上"], "<=": ["以下", "以内", "内"]}


@given(
    comparator=st.sampled_from(sorted(_WRITTEN)),
    before=st.booleans(),
    whole=st.integers(min_value=0, max_value=99_999),
    fraction=st.sampled_from(["", ".5", ".25", ".125"]),
    unit=st.sampled_from(["%", "项", "次", "人次", "家企业", "天", "日", "元", "万", "场次"]),
    spaces=st.sampled_from(["", " ", "  "]),
    wide=st.booleans(),
    data=st.data(),
)
def test_any_written_comparator_number_and_unit_parses_to_its_parts(
    comparator, before, whole, fraction, unit, spaces, wide, data
):
    number = f"{whole}{fraction}"
    if before or comparator not in _AFTER:
        word = data.draw(st.sampled_from(_WRITTEN[comparator]))
        text = f"{word}{spaces}{number}{spaces}{unit}"
    else:
        word = data.draw(st.sampled_from(_AFTER[comparator]))
        text = f"{number}{spaces}{unit}{word}"
    if wide:  # the full-width forms units type in Chinese input methods
        text = text.translate(str.maketrans("0123456789%.", "０１２３４５６７８９％．"))
    parsed = parse_target(text)
    expected = Decimal(number) * (Decimal(10_000) if unit == "万" else 1)
    if unit == "%":
        expected /= 100
    assert (parsed.comparator, parsed.number, parsed.judgement) == (comparator, expected, False)
    assert parsed.unit == ("" if unit == "万" else unit)


_AMOUNT_PLACES = {
    "budget": (("budget",), "sheets[0].budget"),
    "spent": (("spent",), "sheets[0].spent"),
    "an amount": (("amounts", "基本支出"), "sheets[0].amounts.基本支出"),
    "a task's funds": (("tasks", 0, "funds"), "sheets[0].tasks[0].funds"),
}


@pytest.mark.parametrize("place", sorted(_AMOUNT_PLACES))
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("否", "'否'"),
        ("NaN", "'NaN'"),
        ("-5", "'-5'"),
        ("1e999999999", "'1e999999999'"),
        (Decimal("1E+90"), "1E+90"),
        (-1, "-1"),
    ],
)
def test_an_amount_of_a_targets_file_that_is_no_amount_is_refused_where_it_is(place, value, shown):
    """Text that is no number, not finite, negative or beyond any budget, in any amount a
    targets file gives: a located problem, every one at once, never a traceback."""
    import yaml

    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    keys, path = _AMOUNT_PLACES[place]
    parent = data["sheets"][0]
    for key in keys[:-1]:
        parent = parent[key]
    parent[keys[-1]] = value
    data["sheets"][1]["budget"] = "五万"  # a second problem, told with the first
    with pytest.raises(rubriceng.InputError) as raised:
        load_sheets(data)
    told = [problem.text("zh") for problem in raised.value.problems]
    assert told == [
        f"<mapping> {path}：应为金额（如 1,234.50），实际为 {shown} [targets-form]",
        "<mapping> sheets[1].budget：应为金额（如 1,234.50），实际为 '五万' [targets-form]",
    ]
    english = raised.value.problems[0].text("en")
    assert english == f"<mapping>: {path}: expected an amount such as 1,234.50, not {shown} " + (
        "[targets-form]"
    )


@pytest.mark.parametrize(
    ("value", "budget"),
    [("1,234.5", "12345000.0"), ("１２３", "1230000"), (0, "0"), ("  6904.16 ", "69041600.00")],
)
def test_an_amount_as_a_form_writes_it_is_read(value, budget):
    import yaml

    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data["sheets"][0]["budget"] = value  # in 万元
    assert str(load_sheets(data)[0].budget) == budget


@pytest.mark.parametrize("cell", ["NaN", "-5", "否", "1e999999999", -5])
def test_a_workbooks_budget_that_is_no_amount_is_refused(tmp_path, cell):
    from rubriceng.targets.files import write_xlsx

    path = tmp_path / "targets.xlsx"
    write_xlsx(load_sheets(ACTUALS), path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    (found,) = [row for row in sheet.iter_rows() if str(row[0].value or "").endswith("预算金额")]
    found[1].value = cell
    book.save(path)
    with pytest.raises(rubriceng.InputError) as raised:
        load_sheets(path)
    (problem,) = raised.value.problems
    assert problem.text("zh") == (
        f"{path} 01 决策咨询工作经费：2026年预算金额：应为金额（如 1,234.50），实际为 '{cell}' "
        "[targets-form]"
    )


@pytest.mark.parametrize(
    "value", [float("inf"), float("nan"), -0.5, True, "1e16", "", None, "0", 10**15]
)
def test_money_is_a_finite_amount_up_to_a_quadrillion_or_blank(value):
    from rubriceng.targets.sheets import money

    if value in ("", None):
        assert money(value) is None
    elif value in ("0", 10**15):
        assert money(value) == Decimal(value)
    else:
        with pytest.raises(ValueError):
            money(value)
