"""What users take away: the 指标评分表 in Excel, the HTML report, Markdown, explanations,
input forms — each checked cell by cell against the seed's table (惠州, 97.86)."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

import rubriceng
from docs import screenshots
from rubriceng.cli import main
from rubriceng.language.paths import fields, flatten, nest, template_json, template_yaml
from rubriceng.outputs.explanation import Explainer
from rubriceng.outputs.report import render_html
from rubriceng.outputs.spreadsheet import INPUTS_SHEET, read_inputs, write_template
from rubriceng.outputs.text import render_markdown, write_result
from tests.conftest import HUIZHOU, HUIZHOU_UNIT


@pytest.fixture(scope="module")
def seed_result(huizhou):
    unit = rubriceng.load_inputs(HUIZHOU_UNIT)
    return rubriceng.evaluate(huizhou, unit.inputs, unit=unit.unit)


@pytest.fixture(scope="module")
def workbook(huizhou, seed_result, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "result.xlsx"
    inputs = rubriceng.load_inputs(HUIZHOU_UNIT).inputs
    write_result(seed_result, path, rubric=huizhou, inputs=inputs)
    return path, openpyxl.load_workbook(path)


def _d(value):
    """A number cell's value as the Decimal it was written from (openpyxl reads floats)."""
    return Decimal(str(value))


def _rows_by_leaf(sheet):
    """Row number of each level-2, level-3 (and level-4) name, from the name columns."""
    found = {}
    for row in range(6, sheet.max_row + 1):
        for column in (3, 5, 7):
            value = sheet.cell(row=row, column=column).value
            if value:
                found[value] = row
    return found


def test_the_xlsx_table_has_seed_002s_layout(workbook):
    _, book = workbook
    sheet = book["评分表"]
    assert sheet["A1"].value == "惠州市市直部门整体支出绩效自评指标评分表"
    assert sheet["A2"].value == (
        "单位名称：惠州市人民政府办公室    评分表：cn.gd.huizhou/dept-overall@2020"
    )
    # three levels, as the seed: 效果性's own indicators are its level-3 rows
    assert [sheet.cell(row=3, column=c).value for c in (1, 7, 8, 9, 10, 11)] == [
        "评价指标",
        "自评分数",
        "评分依据",
        "指标说明",
        "评分标准",
        "备注",
    ]
    assert [sheet.cell(row=4, column=c).value for c in (1, 3, 5)] == [
        "一级指标",
        "二级指标",
        "三级指标",
    ]
    assert [sheet.cell(row=5, column=c).value for c in range(1, 5)] == ["名称", "权重"] * 2
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    # 预算编制情况 spans its five leaves, 预算编制 its three; headings span their columns
    assert {"A6:A10", "B6:B10", "C6:C8", "D6:D8", "A3:F3", "G3:G5", "A4:B4"} <= merged
    assert (sheet["A6"].value, sheet["B6"].value) == ("预算编制情况", 23)
    assert (sheet["C6"].value, _d(sheet["D6"].value)) == ("预算编制", Decimal("10.34"))


def test_every_leaf_row_holds_its_score_and_points(workbook, seed_result, huizhou):
    """Each leaf's row holds the score the result gives it (the seed's own figures are
    the 惠州 plugin's test), 不适用 leaves their original points."""
    _, book = workbook
    sheet = book["评分表"]
    rows = _rows_by_leaf(sheet)
    own_rows = {
        node.id for node in huizhou.walk() if node.is_leaf and node.method != "unit_defined"
    }
    leaves = [row for row in seed_result.walk() if row.id in own_rows]
    scored = [row for row in leaves if row.status != "not_applicable"]
    assert len(scored) == 23
    for leaf in scored:
        cell = sheet.cell(row=rows[leaf.name], column=7).value
        assert Decimal(str(cell)) == leaf.score, leaf.id
    moved = [row for row in leaves if row.status == "not_applicable"]
    assert [(row.id, row.points) for row in moved] == [
        ("advance_release_rate", Decimal("4.00")),
        ("fund_release_legality", Decimal("3.00")),
    ]
    for leaf in moved:
        row = rows[leaf.name]
        assert sheet.cell(row=row, column=6).value == 0  # effective points
        assert sheet.cell(row=row, column=7).value == "不适用"
        assert sheet.cell(row=row, column=11).value == f"不适用，原分值 {leaf.points}"
    first = rows["效果性"]  # 效果性 at level 2, the unit's own indicators its level-3 rows
    effects = [_d(sheet.cell(row=r, column=7).value) for r in range(first, first + 4)]
    assert [sheet.cell(row=r, column=5).value for r in range(first, first + 4)] == [
        "推进政务信息公开透明",
        "网民来信答复率及时",
        "提升参训人员素养和军事技能",
        "安全事故发生次数=0",
    ]
    assert effects == [Decimal("2.50"), Decimal("2.00"), Decimal("2.00"), Decimal("2.50")]
    reweighted = rows["预算编制合理性"]
    assert _d(sheet.cell(row=reweighted, column=6).value) == Decimal("6.34")
    assert sheet.cell(row=reweighted, column=11).value == "原分值 5.00，不适用指标调入 1.34"
    procurement = rows["政府采购执行率"]
    assert sheet.cell(row=procurement, column=8).value == (
        "数据：实际采购金额合计数 1236754.68元，采购计划金额合计数 1331100元；比率 92.91%；"
        "按满分 2 得 1.8582 分；得分 1.86。"
    )
    assert sheet.cell(row=procurement, column=10).value.startswith("本指标得分=本指标满分分值×")
    # the table's 备注 comes before rubriceng's own remark
    assert sheet.cell(row=procurement, column=11).value == (
        "本指标根据部门决算报表附表《政府采购情况表》相关数据计算"
    )
    assert sheet.cell(row=procurement, column=9).value.startswith("部门（单位）本年度实际政府采购")


def test_the_xlsx_ends_with_adjustments_total_and_grade_and_prints_on_a4(workbook):
    _, book = workbook
    sheet = book["评分表"]
    last = sheet.max_row
    assert sheet.cell(row=last, column=1).value == "合计"
    assert _d(sheet.cell(row=last, column=7).value) == Decimal("97.86")
    assert sheet.cell(row=last, column=8).value == "等级：优"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$3:$5"
    assert sheet["H10"].font.name == "宋体"
    assert sheet["H10"].alignment.wrap_text
    assert sheet.row_dimensions[6].height > 13  # long 评分依据 gets the room it needs


def test_the_xlsx_inputs_sheet_scores_again_to_the_same_table(workbook, seed_result, huizhou):
    path, book = workbook
    assert INPUTS_SHEET in book.sheetnames
    again = rubriceng.load_inputs(path)
    assert again.unit == "惠州市人民政府办公室"
    result = rubriceng.evaluate(huizhou, again.inputs, unit=again.unit)
    assert result.scores() == seed_result.scores()
    assert result.total == Decimal("97.86")


def test_the_adjustment_rows_name_each_item(huizhou, tmp_path):
    unit = rubriceng.load_inputs(HUIZHOU_UNIT)
    inputs = {**unit.inputs, "accountability_findings": 1}
    result = rubriceng.evaluate(huizhou, inputs, unit=unit.unit)
    path = tmp_path / "r.xlsx"
    write_result(result, path, rubric=huizhou)
    sheet = openpyxl.load_workbook(path).active
    last = sheet.max_row
    adjustments = {
        sheet.cell(row=r, column=1).value: _d(sheet.cell(row=r, column=7).value)
        for r in range(last - len(result.adjustments), last)
    }
    expected = {f"加减分：{a.name}": a.points for a in result.adjustments}
    assert adjustments == expected
    penalty = last - 1  # the table's 指标说明 and this part's 评分标准 on its row
    assert sheet.cell(row=penalty, column=9).value == "反映部门工作受到表彰或批评问责的情况。"
    assert sheet.cell(row=penalty, column=10).value.startswith("2.减分项：在国务院大督察")
    assert _d(sheet.cell(row=last, column=7).value) == result.total == Decimal("95.86")


def test_an_input_form_has_every_field_with_data_validation(huizhou, tmp_path):
    path = tmp_path / "form.xlsx"
    write_template(huizhou, path)
    sheet = openpyxl.load_workbook(path)[INPUTS_SHEET]
    header = [cell.value for cell in sheet[4]]
    assert header == ["输入项 id", "名称", "填写值", "单位", "类型", "允许范围", "用于指标", "说明"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(5, sheet.max_row + 1)}
    assert set(rows) == {field.path for field in fields(huizhou)}
    row = rows["procurement_plan"]
    assert [sheet.cell(row=row, column=c).value for c in range(1, 8)] == [
        "procurement_plan",
        "采购计划金额合计数",
        None,
        "元",
        "金额",
        "≥ 0",
        "政府采购执行率",
    ]
    validations = {
        str(ref): (v.type, v.operator, v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
        for ref in v.sqref.ranges
    }
    assert validations[f"C{rows['procurement_plan']}"] == (
        "decimal",
        "greaterThanOrEqual",
        "0",
        None,
    )
    rate = rows["general_transfer_advance_rate"]
    assert validations[f"C{rate}"] == ("decimal", "between", "0", "1")
    assert validations[f"C{rows['has_transfer_payments']}"] == ("list", None, '"是,否"', None)
    assert validations[f"C{rows['late_monthly_asset_reports']}"][:3] == (
        "whole",
        "greaterThanOrEqual",
        "0",
    )
    part = rows["quarterly_spending_progress.3"]
    assert sheet.cell(row=part, column=2).value == "各季度部门预算资金支出进度 3"
    criterion = rows["budget_reasonableness.not_fixed"]
    assert sheet.cell(row=criterion, column=2).value == (
        "预算编制合理性：部门预算分配不固化，能根据实际情况合理调整（如不存在项目支出完成不理想但连年持续安排预算的情况等），得1分"
    )
    assert sheet.cell(row=criterion, column=6).value == "是/否或 0 – 1"


def test_a_filled_in_form_scores_like_the_yaml(huizhou, seed_result, tmp_path):
    path = tmp_path / "form.xlsx"
    write_template(huizhou, path)
    book = openpyxl.load_workbook(path)
    sheet = book[INPUTS_SHEET]
    values = flatten(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    sheet["C2"] = "惠州市人民政府办公室"
    for row in range(5, sheet.max_row + 1):
        value = values.get(sheet.cell(row=row, column=1).value)
        if isinstance(value, bool):
            value = "是" if value else "否"
        sheet.cell(row=row, column=3, value=value)
    book.save(path)
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].split() == ["合计", "97.86", "优"]
    unit = read_inputs(path)
    assert rubriceng.evaluate(huizhou, unit.inputs).scores() == seed_result.scores()


def _filled_form(rubric, path, values):
    """The rubric's form with ``values`` typed into their rows, and each input's row."""
    write_template(rubric, path)
    book = openpyxl.load_workbook(path)
    sheet = book[INPUTS_SHEET]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(5, sheet.max_row + 1)}
    for name, value in values.items():
        sheet.cell(row=rows[name], column=3, value=value)
    book.save(path)
    return rows


def test_a_form_with_bad_cells_names_each_cell_row(huizhou, tmp_path):
    path = tmp_path / "form.xlsx"
    rows = _filled_form(
        huizhou, path, {"procurement_plan": "一百万", "has_transfer_payments": "也许"}
    )
    unit = rubriceng.load_inputs(path)
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(huizhou, unit.inputs, document=unit.document)
    messages = {str(problem) for problem in caught.value.problems}
    assert (
        f"{path} 第 {rows['procurement_plan']} 行 采购计划金额合计数（procurement_plan）："
        "应为用数字写的数值，实际为 '一百万'，用于政府采购执行率 [input-invalid]"
    ) in messages
    assert (
        f"{path} 第 {rows['has_transfer_payments']} 行 是否有主管的转移支付资金"
        "（has_transfer_payments）：应为是/否（true/false），实际为 '也许'，"
        "用于提前下达率、资金下达合法性 [input-invalid]"
    ) in messages


def test_a_formula_no_program_computed_is_refused_not_read_as_blank(huizhou, tmp_path):
    """A form filled by a script (openpyxl writes formulas without their values) read
    such cells as 未填写. Every such cell is named, on one form and in a batch."""
    from click.testing import CliRunner

    from rubriceng.cli import main

    path = tmp_path / "form.xlsx"
    formulas = {"revenue_final": "=10000+298.31", "procurement_plan": "=SUM(1,2)"}
    rows = _filled_form(huizhou, path, formulas)
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.load_inputs(path)
    found = caught.value.problems
    assert [(p.code, p.line, p.field) for p in found] == [
        ("input-formula", rows["revenue_final"], "revenue_final"),
        ("input-formula", rows["procurement_plan"], "procurement_plan"),
    ]
    row = rows["revenue_final"]
    assert found[0].text("zh") == (
        f"{path} 第 {row} 行 revenue_final：单元格 C{row} 是公式 '=10000+298.31'，文件中没有"
        "算出的值（写出文件的程序没有计算它）：请用 Excel 或 WPS 打开并保存，或直接填入数值 "
        "[input-formula]"
    )
    assert found[0].message == (
        f"cell C{row} holds the formula '=10000+298.31' and no value: the program that "
        "wrote the file did not compute it; open and save it in Excel or WPS, or type the "
        "value"
    )
    batch = CliRunner().invoke(
        main, ["batch", str(HUIZHOU), str(path), "-o", str(tmp_path / "o.json")]
    )
    assert batch.exit_code == 1 and "[input-formula]" in batch.output, batch.output


def test_not_a_form_is_a_located_error(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "hello"
    book.save(path)
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.load_inputs(path)
    assert caught.value.problems[0].text("en") == (
        f"{path}: no row headed '输入项 id': is this an input form written by "
        "'rubriceng template'? [input-form]"
    )


def test_the_yaml_template_names_every_input_and_loads_once_filled(huizhou):
    text = template_yaml(huizhou)
    assert "  # 采购计划金额合计数 · 金额（元） · ≥ 0 · → 政府采购执行率\n" in text
    assert "  procurement_plan: null\n" in text
    document = yaml.safe_load(text)
    assert document["unit"] == ""
    expected = nest(
        (f.path, None)
        for f in fields(huizhou)
        if f.required or f.path.startswith("effect_indicators.1.")
    )
    assert document["inputs"] == expected
    assert document["inputs"]["quarterly_spending_progress"] == [None] * 4
    assert document["inputs"]["effect_indicators"] == [
        {"name": None, "points": None, "score": None, "reason": None}
    ]
    assert yaml.safe_load(template_json(huizhou))["inputs"] == expected


def test_the_html_report_is_one_file_with_tree_trace_and_chart(huizhou, seed_result):
    page = render_html(seed_result, huizhou)
    assert page.startswith("<!DOCTYPE html>")
    assert re.findall(r"(?:src|href)=", page) == []  # nothing fetched: no network
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<b>97.86</b>" in page and '<span class="grade">优</span>' in page
    for row in seed_result.walk():
        assert html.escape(row.name) in page
    # one bar pair per level-1 and level-2 indicator
    bars = sum(1 + len(top.children) for top in seed_result.indicators)
    assert page.count('<rect x="220"') == 2 * bars
    assert "24.86 / 25.00" in page  # 资金管理: 25 points, 24.86 scored
    assert html.escape(Explainer(huizhou).basis(seed_result.indicator("procurement_rate"))) in page
    # the working: a table of the steps in words, not the raw trace
    assert (
        '<details><summary>计算过程</summary><table class="steps"><tr><th>步骤</th>'
        '<th>计算</th></tr><tr><td class="n">1</td><td>数据：实际采购金额合计数 1236754.68元，'
        '采购计划金额合计数 1331100元</td></tr><tr><td class="n">2</td><td>比率 92.91%</td>'
        "</tr>"
    ) in page
    assert "&quot;" not in page and "{" not in page.split("<style>")[-1].split("</style>")[-1]
    english = render_html(seed_result, huizhou, "en")
    assert '<summary>Working</summary><table class="steps"><tr><th>Step</th>' in english


def test_markdown_table_rows(huizhou, seed_result):
    text = render_markdown(seed_result, huizhou)
    lines = text.splitlines()
    assert lines[0] == "# 惠州市市直部门整体支出绩效自评指标评分表 — 惠州市人民政府办公室"
    assert "| **&nbsp;&nbsp;预算编制** | 13.00 → 10.34 | **10.34** | |" in lines
    assert lines[-1] == "| **合计** | | **97.86** | 优 |"
    row = next(line for line in lines if line.startswith("| &nbsp;&nbsp;&nbsp;&nbsp;提前下达率"))
    assert row.startswith("| &nbsp;&nbsp;&nbsp;&nbsp;提前下达率 | 4.00 → 0.00 | 不适用 | 不适用（")


def test_explain_gives_every_step_in_words_and_numbers(huizhou, seed_result):
    assert rubriceng.explain(seed_result, "procurement_rate", huizhou) == (
        "政府采购执行率 (procurement_rate) — 1.86 / 2.00\n\n"
        "  数据：实际采购金额合计数 1236754.68元，采购计划金额合计数 1331100元\n"
        "  比率 92.91%\n"
        "  按满分 2 得 1.8582 分\n"
        "  得分 1.86\n\n"
        "  评分标准：本指标得分=本指标满分分值×政府采购执行率 其中：政府采购执行率="
        "（实际采购金额合计数/采购计划金额合计数）×100%； 如实际采购金额大于采购计划金额则本项"
        "不得分。 政府采购预算是指"
        "采购机关根据事业发展计划和行政任务编制的、并经过规定程序批准的年度政府采购计划。"
    )
    assert rubriceng.explain(seed_result, "advance_release_rate", huizhou, "en") == (
        "Share of transfer payments released in advance (advance_release_rate) — 0.00 / "
        "4.00 → 0.00\n\n"
        "  not applicable (has_transfer_payments is false); its points went to "
        "Reasonableness of the budget 1.34, Reasonableness of performance goals 1.33, "
        "Clarity of performance indicators 1.33\n\n"
        "  standard: " + huizhou.indicator("advance_release_rate").standard
    )
    assert rubriceng.explain(seed_result, "budget_preparation", huizhou).splitlines()[2:] == [
        "  预算编制 (budget_compilation): 10.34 / 10.34",
        "  目标设置 (goal_setting): 12.66 / 12.66",
    ]


def test_cli_explain_and_its_errors():
    runner = CliRunner()
    args = ["explain", str(HUIZHOU), str(HUIZHOU_UNIT)]
    result = runner.invoke(main, [*args, "carryover_rate"])
    assert result.exit_code == 0, result.output
    assert "  落在第1档（计算值 ≤ 10%）\n" in result.output
    assert "  计算值 0.92%\n" in result.output
    wrong = runner.invoke(main, [*args, "carryover"])
    assert wrong.exit_code == 1
    assert "是否应为 结转结余率 (carryover_rate)？ [indicator-not-found]" in wrong.output
    by_name = runner.invoke(main, [*args, "结转结余率"])
    assert by_name.output == result.output  # the Chinese name, as the table prints it
    prefix = runner.invoke(main, [*args, "预算"])  # begins five names
    assert prefix.exit_code == 1
    assert "「预算」开头或含有它的指标有多个：预算编制情况" in prefix.output
    part = runner.invoke(main, [*args, "差异率"])  # a part of one name only
    assert part.output.startswith("财政拨款收入预决算差异率 (revenue_budget_variance) — 4.00")


@pytest.mark.parametrize("suffix", [".xlsx", ".html", ".json", ".md", ".txt"])
def test_cli_score_writes_the_form_its_suffix_names(tmp_path, suffix):
    out = tmp_path / f"result{suffix}"
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"97.86 优 → {out}\n"
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(out).active
        assert sheet.cell(row=sheet.max_row, column=7).value == 97.86
    else:
        assert "97.86" in out.read_text(encoding="utf-8")


def test_cli_score_refuses_an_unknown_suffix(tmp_path):
    result = CliRunner().invoke(
        main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "-o", str(tmp_path / "r.pdf")]
    )
    assert result.exit_code == 2
    assert "r.pdf：文件后缀应为 .txt、.md、.json、.html、.xlsx、.docx 之一" in result.output


def test_lang_en_uses_english_names_where_the_rubric_has_them(tmp_path):
    runner = CliRunner()
    text = runner.invoke(main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "--lang", "en"])
    row = next(line for line in text.output.splitlines() if "procurement" in line)
    assert row.split() == ["Government", "procurement", "execution", "rate", "2.00", "1.86"]
    out = tmp_path / "r.xlsx"
    runner.invoke(main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "-o", str(out), "--lang", "en"])
    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "Scores"
    assert [sheet.cell(row=4, column=c).value for c in (1, 3)] == ["Level 1", "Level 2"]
    assert sheet["A6"].value == "Budget preparation"
    assert sheet.cell(row=sheet.max_row, column=1).value == "Total"


def test_lang_en_writes_english_around_the_units_own_words(tmp_path, huizhou):
    """The grade the command prints, the inputs sheet's name and title, the colons and
    brackets, and the Markdown title: English, as everything else is with --lang en; the
    inputs sheet reads back, alone or in a batch folder."""
    runner = CliRunner()
    out = tmp_path / "r.xlsx"
    args = ["--lang", "en", "score", str(HUIZHOU), str(HUIZHOU_UNIT)]
    result = runner.invoke(main, [*args, "-o", str(out)])
    assert result.output.splitlines() == [f"97.86 Excellent → {out}"]
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Scores", "Inputs"]
    assert book["Scores"]["A2"].value == (
        "Unit: 惠州市人民政府办公室    Rubric: cn.gd.huizhou/dept-overall@2020"
    )
    assert book["Inputs"]["A1"].value == (
        "Huizhou municipal departments — whole-budget performance self-evaluation "
        "(cn.gd.huizhou/dept-overall@2020)"
    )
    assert rubriceng.evaluate(huizhou, rubriceng.load_inputs(out).inputs).total == Decimal("97.86")
    form = tmp_path / "forms" / "form.xlsx"
    form.parent.mkdir()
    assert (
        runner.invoke(main, ["--lang", "en", "template", str(HUIZHOU), "-o", str(form)]).exit_code
        == 0
    )
    assert openpyxl.load_workbook(form).sheetnames == ["Inputs"]
    out.rename(form.parent / "scored.xlsx")
    batch = runner.invoke(
        main,
        ["batch", str(HUIZHOU), str(form.parent / "scored.xlsx"), "-o", str(tmp_path / "b.xlsx")],
    )
    assert batch.exit_code == 0, batch.output
    assert runner.invoke(main, [*args, "-o", str(tmp_path / "r.md")]).exit_code == 0
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert markdown.startswith(
        "# Huizhou municipal departments — whole-budget performance self-evaluation — "
        "惠州市人民政府办公室\n"
    )
    assert "| Bonus for commendations | | +0 | 0 events |" in markdown.splitlines()
    printed = runner.invoke(main, [*args, "--format", "markdown"]).output
    assert printed.splitlines()[0] == markdown.splitlines()[0]  # the renderer's, from the result
    unit = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    for result in (
        rubriceng.evaluate(huizhou, unit),
        rubriceng.evaluate(huizhou, unit, trace=False),
        rubriceng.evaluate_many(huizhou, {"甲": unit})[0],
    ):
        assert result.rubric_title_en == huizhou.title_en != result.rubric_title
        assert "rubric_title_en" not in str(result.to_dict())
    text = runner.invoke(main, args).output.splitlines()
    english_title = markdown.splitlines()[0].removeprefix("# ")
    assert text[0] == english_title  # the plain table too, printed or written
    assert runner.invoke(main, [*args, "-o", str(tmp_path / "r.txt")]).exit_code == 0
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").splitlines()[0] == english_title
    assert [line.split("  ")[0] for line in text if line.startswith(("Bonus", "Penalty"))] == [
        "Bonus for commendations",
        "Penalty for accountability findings",
    ]
    sheet = openpyxl.load_workbook(form.parent / "scored.xlsx")["Scores"]
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "Bonus / penalty: Bonus for commendations" in labels
    assert "Grade: Excellent" in [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert runner.invoke(main, [*args, "-o", str(tmp_path / "r.html")]).exit_code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<b>Standard</b>: 差异率" not in page and "<b>Standard</b>: " in page
    assert "</b>：" not in page and "Bonus / penalty: Bonus for commendations" in page
    chinese = runner.invoke(main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "-o", str(out)])
    assert chinese.output.splitlines() == [f"97.86 优 → {out}"]
    assert openpyxl.load_workbook(out).sheetnames == ["评分表", "填报数据"]


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".xlsx", lambda path: openpyxl.load_workbook(path)[INPUTS_SHEET]["A4"].value),
        (".yaml", lambda path: yaml.safe_load(path.read_text(encoding="utf-8"))["unit"]),
        (".json", lambda path: yaml.safe_load(path.read_text(encoding="utf-8"))["unit"]),
        (".csv", lambda path: path.read_text(encoding="utf-8-sig").split(",")[:2]),
    ],
)
def test_cli_template_writes_each_form(tmp_path, suffix, check):
    out = tmp_path / f"form{suffix}"
    result = CliRunner().invoke(main, ["template", str(HUIZHOU), "-o", str(out)])
    assert result.exit_code == 0, result.output
    count = len(fields(rubriceng.load_rubric(HUIZHOU)))
    assert result.output == f"{count} 个填报项 → {out}\n"
    assert (
        check(out)
        == {
            ".xlsx": "输入项 id",
            ".yaml": "",
            ".json": "",
            ".csv": ["unit", "has_transfer_payments"],
        }[suffix]
    )


@pytest.mark.skipif(
    screenshots.chromium() is None, reason="no Chromium here (docs/screenshots.py says how)"
)
def test_the_report_renders_in_headless_chromium(huizhou, seed_result, tmp_path):
    page = tmp_path / "report.html"
    write_result(seed_result, page, rubric=huizhou)
    shot = screenshots.screenshot_html(page, tmp_path / "report.png", size=(900, 700))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(shot.read_bytes()) > 20_000  # a page of text and bars, not a blank window


def test_the_inputs_sheet_keeps_every_item_of_a_long_open_list(huizhou, tmp_path):
    """The form has five rows for sub-indicators a unit names itself; a unit with seven
    loses none of them in the result's inputs sheet, and scores again the same."""
    unit = rubriceng.load_inputs(HUIZHOU_UNIT)
    effects = [{"name": f"效益{n}", "score": "1", "reason": "见报告"} for n in range(1, 8)]
    inputs = {**unit.inputs, "effect_indicators": effects}
    result = rubriceng.evaluate(huizhou, inputs, unit=unit.unit)
    path = tmp_path / "r.xlsx"
    write_result(result, path, rubric=huizhou, inputs=inputs)
    again = rubriceng.load_inputs(path)
    assert [item["name"] for item in again.inputs["effect_indicators"]] == [
        f"效益{n}" for n in range(1, 8)
    ]
    assert rubriceng.evaluate(huizhou, again.inputs).scores() == result.scores()


@pytest.mark.parametrize(
    ("key", "found"),
    [
        ("procurement_rate", "procurement_rate"),
        ("政府采购执行率", "procurement_rate"),
        ("财政拨款", "revenue_budget_variance"),
        ("效果性", "effect_indicators"),
        ("预算编制合理性", "budget_reasonableness"),
    ],
)
def test_an_indicator_by_id_name_or_unique_beginning(huizhou, seed_result, key, found):
    assert seed_result.indicator(key).id == found
    assert huizhou.indicator(key).id == found


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("政府采购率", "did you mean 政府采购执行率 (procurement_rate)?"),
        (
            "procurement",
            "did you mean 政府采购执行率 (procurement_rate) or 项目管理 (project_management)?",
        ),
        ("预算编制", None),
        ("完全不相干的名字", "no indicator has it"),
    ],
)
def test_an_unknown_indicator_is_a_rubriceng_error_with_suggestions(seed_result, key, message):
    from rubriceng.language.lookup import IndicatorNotFoundError

    if key == "预算编制":  # a group's own name is found, not its children's beginning
        assert seed_result.indicator(key).id == "budget_compilation"
        return
    with pytest.raises(IndicatorNotFoundError) as raised:
        seed_result.indicator(key)
    assert isinstance(raised.value, KeyError) and isinstance(raised.value, rubriceng.RubricengError)
    assert raised.value.problems[0].message == message


@pytest.mark.parametrize(
    ("rule", "zh"),
    [
        ("value ≤ 0.10", "计算值 ≤ 0.10"),
        ("value < 5", "计算值 < 5"),
        ("otherwise", "其他情形"),
        ("0.5 for each full step of 0.05", "每满 0.05 扣 0.5 分"),
        ("1 for each started step of 0.1", "每增加 0.1（不足 0.1 按 0.1 计）扣 1 分"),
        ("value ≥ peer mean", "本单位不低于均值"),
        ("value > peer median", "本单位高于中位数"),
        ("computed over the units scored together", "按同批评分单位计算"),
        ("input peer_rate", "填报项 市直均值"),
        ("target is zero", "目标值为 0，没有应完成的事项"),
    ],
)
def test_method_rules_read_in_chinese(rule, zh):
    from rubriceng.outputs.explanation import rule_words

    assert rule_words(rule, "zh", {"peer_rate": "市直均值"}) == zh
    assert rule_words(rule, "en") == rule
