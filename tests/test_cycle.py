"""The bureau's yearly cycle: forms out (single and batch), forms back (any mix of files
and folders), and the summary workbook a person reads and prints."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import openpyxl
import pandas
import pytest
import yaml
from click.testing import CliRunner

import rubriceng
from benchmarks.huizhou import generate
from rubriceng.cli import main
from rubriceng.cycle.intake import read_returns
from rubriceng.cycle.summary import summarize
from rubriceng.language.paths import fields, flatten, nest
from rubriceng.outputs.spreadsheet import write_scoresheet
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, ROOT

REF = "cn.gd.huizhou/dept-overall@2020"


def _run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture(scope="module")
def units():
    """Twelve generated 惠州 units, by name."""
    return {f"单位{index:02d}": unit for index, unit in enumerate(generate(12, seed=11, edges=0.3))}


def _rows(book, sheet):
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


# -- forms out ------------------------------------------------------------------------------


def test_the_batch_form_heads_columns_by_label_and_unit_over_hidden_ids(tmp_path, huizhou):
    out = tmp_path / "units.xlsx"
    result = _run("template", HUIZHOU, "--batch", "-o", out)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["单位填报", "填报说明"]
    sheet = book["单位填报"]
    labels, ids = ([cell.value for cell in sheet[row]] for row in (1, 2))
    every = fields(huizhou)
    assert ids == ["unit", *(field.path for field in every)]
    assert labels[:5] == [
        "单位名称",
        "是否有主管的转移支付资金",
        "财政拨款收入决算数（万元）",
        "财政拨款收入调整预算数（万元）",
        "一般性转移支付提前下达比例（%）",
    ]
    assert labels[ids.index("procurement_plan")] == "采购计划金额合计数（元）"
    assert sheet.row_dimensions[2].hidden and sheet.freeze_panes == "B3"
    rate = ids.index("general_transfer_advance_rate") + 1  # column E
    assert sheet.cell(row=3, column=rate).number_format == "0.00%"
    checks = {str(check.sqref): check for check in sheet.data_validations.dataValidation}
    assert (checks["E3:E202"].type, checks["E3:E202"].formula1, checks["E3:E202"].formula2) == (
        "decimal",
        "0",
        "1",
    )
    assert checks["B3:B202"].formula1 == '"是,否"'
    assert sheet["C1"].comment.text == "≥ 0"
    instructions = _rows(book, "填报说明")
    assert instructions[0][0].startswith("每行填写一个单位；第 1 行是填报项名称")
    assert instructions[5] == ["rubric", REF]


def test_the_batch_form_in_english_and_as_csv(tmp_path):
    out = tmp_path / "units.xlsx"
    assert _run("template", HUIZHOU, "--batch", "-o", out, "--lang", "en").exit_code == 0
    sheet = openpyxl.load_workbook(out)["Units"]
    assert [cell.value for cell in sheet[1]][:3] == [
        "unit",
        "是否有主管的转移支付资金",
        "财政拨款收入决算数 (10k yuan)",
    ]  # labels: the rubric's
    refused = _run("template", HUIZHOU, "--batch", "-o", tmp_path / "units.yaml")
    assert refused.exit_code == 2
    assert "错误：-o 的值无效：units.yaml：多单位填报表应为 .xlsx 或 .csv" in refused.output


def test_a_filled_batch_form_scores_as_evaluate_many(tmp_path, huizhou, units):
    form = tmp_path / "units.xlsx"
    _run("template", HUIZHOU, "--batch", "-o", form)
    book = openpyxl.load_workbook(form)
    sheet = book["单位填报"]
    ids = [cell.value for cell in sheet[2]]
    for row, (name, inputs) in enumerate(units.items(), start=3):
        flat = flatten(inputs)
        sheet.cell(row=row, column=1, value=name)
        for column, path in enumerate(ids[1:], start=2):
            value = flat.get(path)
            if value is not None:
                sheet.cell(row=row, column=column, value=_excel(value))
    book.save(form)
    out = tmp_path / "scores.csv"
    result = _run("batch", HUIZHOU, form, "-o", out)
    assert result.exit_code == 0, result.output
    expected = rubriceng.evaluate_many(huizhou, units)
    with open(out, encoding="utf-8-sig", newline="") as handle:
        got = {row["unit"]: row["total"] for row in csv.DictReader(handle)}
    assert got == {result.unit: str(result.total) for result in expected}


def _excel(value):
    """A value as a person types it into Excel: 是/否, numbers, text."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return float(value) if isinstance(value, Decimal) else value


def test_every_form_records_its_rubric_version(tmp_path):
    for suffix in (".yaml", ".json", ".xlsx"):
        out = tmp_path / f"form{suffix}"
        assert _run("template", HUIZHOU, "-o", out).exit_code == 0
        assert rubriceng.load_inputs(out).rubric == REF, suffix


# -- forms back -----------------------------------------------------------------------------


def _returned(folder, huizhou, units):
    """A folder as units send it back: xlsx forms (scored 指标评分表 and a filled
    template), a yaml form, a GB18030 CSV with Chinese headings and a 备注 column, a
    UTF-8 CSV with ids, a parquet table; and an Excel lock file and a hidden file."""
    names = list(units)
    folder.mkdir()
    (folder / "forms").mkdir()
    for name in names[:3]:
        result = rubriceng.evaluate(huizhou, units[name], unit=name)
        write_scoresheet(
            result, folder / "forms" / f"{name}.xlsx", rubric=huizhou, inputs=units[name]
        )
    (folder / "forms" / "单位03.yaml").write_text(
        yaml.safe_dump(
            {"rubric": REF, "unit": names[3], "inputs": _plain(units[names[3]])}, allow_unicode=True
        ),
        encoding="utf-8",
    )
    every = fields(huizhou)
    with open(folder / "市直.csv", "w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位名称", *(field.heading() for field in every), "备注"])
        for name in names[4:7]:
            flat = flatten(units[name])
            writer.writerow([name, *(_text(flat.get(field.path)) for field in every), "已核"])
    with open(folder / "ids.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", *(field.path for field in every)])
        for name in names[7:9]:
            flat = flatten(units[name])
            writer.writerow([name, *(_text(flat.get(field.path)) for field in every)])
    frame = pandas.DataFrame(
        [
            {"unit": name, **{key: _text(value) for key, value in flatten(units[name]).items()}}
            for name in names[9:]
        ]
    )
    frame.to_parquet(folder / "late.parquet")
    (folder / "~$市直.xlsx").write_bytes(b"lock")
    (folder / ".hidden.csv").write_text("unit\nx\n", encoding="utf-8")
    return folder


def _plain(inputs):
    return yaml.safe_load(yaml.safe_dump(_texts(inputs)))


def _texts(value):
    if isinstance(value, dict):
        return {key: _texts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_texts(item) for item in value]
    return str(value) if isinstance(value, Decimal) else value


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def test_a_folder_of_mixed_returns_scores_as_one_batch(tmp_path, huizhou, units):
    folder = _returned(tmp_path / "returned", huizhou, units)
    out = tmp_path / "summary.xlsx"
    result = _run("batch", HUIZHOU, folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"警告：{folder / '市直.csv'}：以下列不属于 {REF}，已忽略：备注 [column-unknown]",
        f"12 个单位已评分，0 个未能评分 → {out}",
    ]
    expected = rubriceng.evaluate_many(huizhou, units)  # the peers: all twelve together
    ranking = _rows(openpyxl.load_workbook(out), "排名")
    assert {row[1]: Decimal(str(row[2])) for row in ranking[1:]} == {
        result.unit: result.total for result in expected
    }
    english = _run("batch", HUIZHOU, folder, "-o", tmp_path / "s.xlsx", "--lang", "en")
    assert english.output.splitlines()[0] == (
        f"warning: {folder / '市直.csv'}: columns not in {REF}, left out: 备注 [column-unknown]"
    )


def test_read_returns_names_where_each_unit_came_from(tmp_path, huizhou, units):
    folder = _returned(tmp_path / "returned", huizhou, units)
    intake = read_returns(huizhou, [folder])
    assert [(unit.unit, unit.where(), unit.rubric) for unit in intake.units] == [
        ("单位00", str(folder / "forms" / "单位00.xlsx"), REF),
        ("单位01", str(folder / "forms" / "单位01.xlsx"), REF),
        ("单位02", str(folder / "forms" / "单位02.xlsx"), REF),
        ("单位03", str(folder / "forms" / "单位03.yaml"), REF),
        ("单位07", f"{folder / 'ids.csv'}:2", None),
        ("单位08", f"{folder / 'ids.csv'}:3", None),
        ("单位09", f"{folder / 'late.parquet'}:2", None),
        ("单位10", f"{folder / 'late.parquet'}:3", None),
        ("单位11", f"{folder / 'late.parquet'}:4", None),
        ("单位04", f"{folder / '市直.csv'}:2", None),
        ("单位05", f"{folder / '市直.csv'}:3", None),
        ("单位06", f"{folder / '市直.csv'}:4", None),
    ]
    assert [warning.code for warning in intake.warnings] == ["column-unknown"]


def test_a_unit_returned_twice_is_refused_with_both_places(tmp_path, huizhou, units):
    folder = _returned(tmp_path / "returned", huizhou, units)
    extra = folder / "again.csv"
    extra.write_text("单位名称,财政拨款收入决算数（万元）\n单位05,1\n", encoding="utf-8")
    out = tmp_path / "summary.xlsx"
    result = _run("batch", HUIZHOU, folder, "-o", out)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "错误：单位「单位05」的填报数据有误（1 个问题）：",
        f"  - {folder / '市直.csv'}:3 单位「单位05」：也在 {extra}:2 中 [unit-duplicate]",
    ]
    assert not out.exists()


@pytest.mark.parametrize(
    ("typed", "value"), [("95%", "0.95"), (" 87.5 ％", "0.875"), ("0.95", "0.95")]
)
def test_a_rate_may_be_typed_with_its_percent_sign(tmp_path, huizhou, typed, value):
    table = tmp_path / "t.csv"
    table.write_text(f"单位名称,一般性转移支付提前下达比例（%）\n甲,{typed}\n", encoding="utf-8")
    (unit,) = read_returns(huizhou, [table]).units
    assert Decimal(str(unit.inputs["general_transfer_advance_rate"])) == Decimal(value)


def test_a_heading_row_that_names_nothing_known_is_a_warning_not_a_failure(tmp_path, huizhou):
    table = tmp_path / "t.csv"
    table.write_text("单位名称,财政拨款收入决算数,联系人,电话\n甲,1,张三,123\n", encoding="utf-8")
    intake = read_returns(huizhou, [table])
    assert intake.named() == {"甲": {"revenue_final": Decimal("1")}}  # read as the checker reads it
    assert [w.text("zh") for w in intake.warnings] == [
        f"{table}：以下列不属于 {REF}，已忽略：联系人、电话 [column-unknown]"
    ]


def test_a_form_is_scored_by_the_version_it_records(tmp_path):
    form = tmp_path / "form.yaml"
    office = yaml.safe_load(HUIZHOU_UNIT.read_text(encoding="utf-8"))
    form.write_text(yaml.safe_dump({"rubric": REF, **office}, allow_unicode=True), encoding="utf-8")
    bare = _run("score", "cn.gd.huizhou/dept-overall", form, "--format", "json")
    assert bare.exit_code == 0, bare.output  # 2025 is newer; the form says 2020
    assert '"id": "cn.gd.huizhou/dept-overall",\n    "version": "2020"' in bare.output
    assert '"total": "97.86"' in bare.output
    other = _run("score", "cn.gd.huizhou/dept-overall@2025", form)
    assert other.exit_code == 1
    assert other.output.splitlines()[1] == (
        f"  - {form} 单位「惠州市人民政府办公室」：这份表是按 {REF} 填写的，不是 "
        "cn.gd.huizhou/dept-overall@2025：请用表上的版本评分，或请单位按新版重新填写 "
        "[form-rubric]"
    )
    batch = _run("batch", "cn.gd.huizhou/dept-overall@2025", form, "-o", tmp_path / "s.json")
    assert batch.exit_code == 1 and "[form-rubric]" in batch.output


# -- the summary ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def summary(tmp_path_factory, huizhou, units):
    """The summary workbook of the twelve units and two more: a tie, and one that fails."""
    folder = tmp_path_factory.mktemp("summary")
    named = {**units, "并列": units["单位00"], "坏": {**units["单位01"], "procurement_plan": -1}}
    rows = [
        {"unit": name, **{k: _text(v) for k, v in flatten(inputs).items()}}
        for name, inputs in named.items()
    ]
    header = list(dict.fromkeys(key for row in rows for key in row))
    table = folder / "units.csv"
    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    out = folder / "summary.xlsx"
    result = _run("batch", HUIZHOU, table, "-o", out, "--tables")
    assert result.exit_code == 1  # 坏 fails
    batch = rubriceng.evaluate_many(huizhou, named, errors="collect")
    return openpyxl.load_workbook(out), batch, folder


def test_the_ranking_puts_total_and_grade_first_best_first_ties_sharing(summary, huizhou):
    book, batch, _ = summary
    rows = _rows(book, "排名")
    assert rows[0] == [
        "排名",
        "单位",
        "总分",
        "等级",
        "预算编制情况",
        "预算执行情况",
        "预算使用效益",
    ]
    ordered = sorted(batch.results, key=lambda result: (-result.total, result.unit))
    assert [row[1] for row in rows[1:]] == [result.unit for result in ordered]
    assert [Decimal(str(row[2])) for row in rows[1:]] == [result.total for result in ordered]
    assert [row[3] for row in rows[1:]] == [result.grade for result in ordered]
    tied = [row for row in rows[1:] if row[1] in ("并列", "单位00")]
    assert tied[0][0] == tied[1][0] and tied[0][2] == tied[1][2]
    ranks = [row[0] for row in rows[1:]]
    assert ranks == [1 + sum(result.total > other.total for result in ordered) for other in ordered]
    sheet = book["排名"]
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "A2"


def test_the_grade_counts_and_their_chart(summary, huizhou):
    book, batch, _ = summary
    rows = _rows(book, "等级分布")
    want = {
        grade.name: sum(result.grade == grade.name for result in batch.results)
        for grade in huizhou.grades
    }
    assert rows == [["等级", "单位数"], *([name, count] for name, count in want.items())]
    assert sum(want.values()) == 13
    (chart,) = book["等级分布"]._charts
    assert chart.tagname == "barChart"


def test_the_losses_by_indicator(summary, huizhou):
    book, batch, _ = summary
    rows = {row[0]: row for row in _rows(book, "失分分析")[1:]}
    applied = [result.indicator("ledger_reconciliation") for result in batch.results]
    lost = [row.effective_points - row.score for row in applied]
    row = rows["账务核对情况"]
    assert row[1:5] == [
        3,
        13,
        sum(amount > 0 for amount in lost),
        float((sum(lost) / 13).quantize(Decimal("0.01"))),
    ]
    assert row[5:] == ["资产账与财务账相符：否", sum(amount > 0 for amount in lost)]
    averages = [row[4] for row in _rows(book, "失分分析")[1:]]
    assert averages == sorted(averages, reverse=True)
    counted = summarize(huizhou, batch)
    transfer = next(loss for loss in counted.losses if loss.id == "advance_release_rate")
    not_applying = sum(
        result.indicator("advance_release_rate").status == "not_applicable"
        for result in batch.results
    )
    assert transfer.units == 13 - not_applying  # 不适用 is not a loss


def test_the_basis_records_the_rubric_and_the_peer_mean_used(summary, huizhou):
    book, batch, _ = summary
    rows = _rows(book, "参数")
    values = [
        Fraction(result.indicator("fixed_asset_utilisation").trace["value"])
        for result in batch.results
    ]
    mean = batch.results[0].indicator("fixed_asset_utilisation").trace["peer"]
    assert Fraction(mean) != 0
    assert rows[:4] == [["项目", "取值"], ["评分表", REF], ["已评分单位", 13], ["未能评分单位", 1]]
    assert rows[4][0] == "固定资产利用率（平均值）"
    assert Decimal(rows[4][1].rstrip("%")) == (
        Decimal(mean.numerator) / mean.denominator * 100
    ).quantize(Decimal("0.01"))
    assert len(values) == 13


def test_the_scores_sheet_says_not_applicable_and_lists_failures(summary):
    book, batch, folder = summary
    sheet = book["得分"]
    ids = [cell.value for cell in sheet[2]]
    for row in sheet.iter_rows(min_row=3, values_only=True):
        result = batch.result(row[0])
        for key, value in zip(ids[3:], row[3:], strict=True):
            if key in {found.id for found in result.walk()}:
                found = result.indicator(key)
                assert (value == "不适用") == (found.status == "not_applicable"), key
    failures = _rows(book, "未能评分")
    assert failures[1] == [
        "坏",
        "input-invalid",
        "不能小于 0，实际为 -1",
        f"{folder / 'units.csv'}, 15, 采购计划金额合计数（procurement_plan）, "
        "procurement_plan, procurement_rate",
    ]


def test_the_summary_is_styled_by_its_named_styles(summary):
    """Every sheet's cells take the workbook's few named styles (tens of thousands of
    cells styled by name, not font, alignment and border each): headings bold on the
    tint, scores boxed in 10-point 宋体 and shown in cents, table rows top-aligned."""
    book, _, _ = summary
    assert sorted(name for name in book.named_styles if name.startswith("rubriceng")) == [
        "rubriceng 正文",
        "rubriceng 表头",
        "rubriceng 表格行",
    ]
    scores = book["得分"]
    heading, body = scores["A1"], scores["B3"]
    assert (heading.style, heading.font.bold, heading.fill.fgColor.rgb) == (
        "rubriceng 表头",
        True,
        "00DDEBF7",
    )
    assert heading.alignment.horizontal == "center" and heading.border.left.style == "thin"
    assert (body.style, body.font.name, body.font.size, body.font.bold) == (
        "rubriceng 正文",
        "宋体",
        10,
        False,
    )
    assert body.border.bottom.style == "thin" and body.number_format == "0.00"
    ranked = book["排名"]["C2"]
    assert (ranked.style, ranked.alignment.vertical, ranked.number_format) == (
        "rubriceng 表格行",
        "top",
        "0.00",
    )
    assert book["排名"]["A1"].font.bold and book["排名"]["A2"].font.size == 10


def test_tables_beside_the_summary_read_back_to_the_same_scores(summary, huizhou):
    _, batch, folder = summary
    tables = folder / "summary-指标评分表"
    assert sorted(path.name for path in tables.iterdir()) == sorted(
        f"{result.unit}.xlsx" for result in batch.results
    )
    again = read_returns(huizhou, [tables])
    rescored = rubriceng.evaluate_many(huizhou, again.named())
    assert {result.unit: result.total for result in rescored} == {
        result.unit: result.total for result in batch.results
    }


def test_unit_names_become_safe_file_names(tmp_path, huizhou, units):
    name = "../科室/=HYPERLINK(1)"
    table = tmp_path / "u.csv"
    flat = flatten(units["单位00"])
    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", *flat])
        writer.writerow([name, *map(_text, flat.values())])
    result = _run("batch", HUIZHOU, table, "-o", tmp_path / "out" / "s.xlsx", "--tables")
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "out" / "s-指标评分表").iterdir())
    assert [path.name for path in written] == ["_.._科室_=HYPERLINK(1).xlsx"]
    cell = openpyxl.load_workbook(tmp_path / "out" / "s.xlsx")["排名"]["B2"]
    assert cell.value == name and cell.data_type == "s"


# -- returns that cannot be read as they stand ------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "told"),
    [
        (
            "单位名称,revenue_final,财政拨款收入决算数",
            "revenue_final names a value given twice, or a whole given in parts",
        ),
        (
            "unit,quarterly_spending_progress,quarterly_spending_progress.1",
            "quarterly_spending_progress.1 is inside a value given as a whole",
        ),
        (
            "unit,budget_reasonableness.not_fixed,budget_reasonableness",
            "budget_reasonableness names a value given twice, or a whole given in parts",
        ),
        (
            "unit,quarterly_spending_progress.1,quarterly_spending_progress.01",
            "quarterly_spending_progress.01 names a value given twice, or a whole given in parts",
        ),
    ],
)
def test_columns_that_name_one_value_twice_are_refused_not_merged(tmp_path, huizhou, heading, told):
    table = tmp_path / "t.csv"
    table.write_text(f"{heading}\n甲,1,2\n", encoding="utf-8")
    with pytest.raises(rubriceng.InputError) as caught:
        read_returns(huizhou, [table])
    assert [(problem.message, problem.line) for problem in caught.value.problems] == [(told, 1)]


def test_a_form_whose_rows_name_one_value_twice_is_refused(tmp_path, huizhou):
    form = tmp_path / "form.xlsx"
    _run("template", HUIZHOU, "-o", form)
    book = openpyxl.load_workbook(form)
    sheet = book.active
    sheet.append(["revenue_final.1", "x", 5])
    sheet.append(["revenue_final", "x", 6])
    book.save(form)
    result = _run("score", HUIZHOU, form)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"  - {form}：revenue_final 重复填写了同一个值，或把已分项填写的值又整体填写 [input-form]"
    )


def test_an_empty_folder_is_an_error_not_an_empty_summary(tmp_path):
    (tmp_path / "returned").mkdir()
    (tmp_path / "returned" / "~$lock.xlsx").write_bytes(b"x")
    out = tmp_path / "summary.xlsx"
    result = _run("batch", HUIZHOU, tmp_path / "returned", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert result.output.splitlines()[-1].endswith("所给的填报表和表格中没有任何单位 [input-form]")


def test_a_frame_whose_columns_clash_is_refused(huizhou):
    frame = pandas.DataFrame({"unit": ["甲"], "revenue_final": [1], "revenue_final.1": [2]})
    with pytest.raises(ValueError, match=r"revenue_final\.1 is inside a value given as a whole"):
        rubriceng.evaluate_many(huizhou, frame)


def test_the_batch_form_as_csv_has_labels_over_ids_and_reads_back(tmp_path, huizhou, units):
    form = tmp_path / "units.csv"
    assert _run("template", HUIZHOU, "--batch", "-o", form).exit_code == 0
    with open(form, encoding="utf-8-sig", newline="") as handle:
        labels, ids = list(csv.reader(handle))
    assert labels[:3] == ["单位名称", "是否有主管的转移支付资金", "财政拨款收入决算数（万元）"]
    assert ids == ["unit", *(field.path for field in fields(huizhou))]
    with open(form, "a", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for name, inputs in units.items():
            flat = flatten(inputs)
            writer.writerow([name, *(_text(flat.get(path)) for path in ids[1:])])
    intake = read_returns(huizhou, [form])
    assert [unit.row for unit in intake.units] == list(range(3, 3 + len(units)))
    assert {
        result.unit: result.total for result in rubriceng.evaluate_many(huizhou, intake.named())
    } == {result.unit: result.total for result in rubriceng.evaluate_many(huizhou, units)}


def test_a_table_of_scores_given_as_returns_is_told_so(tmp_path, huizhou, units):
    out = tmp_path / "scores.xlsx"
    from rubriceng.outputs.spreadsheet import write_batch

    write_batch(huizhou, rubriceng.evaluate_many(huizhou, units, errors="collect"), out)
    with pytest.raises(rubriceng.InputError) as caught:
        read_returns(huizhou, [out])
    assert [problem.text("zh") for problem in caught.value.problems] == [
        f"{out} 第 2 行：没有一列是 {REF} 的填报项：这是得分表，或是别的评分表的表格吗？ "
        "[input-form]"
    ]


def test_units_whose_file_names_collide_each_keep_their_table(tmp_path, units):
    flat = flatten(units["单位00"])
    table = tmp_path / "u.csv"
    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", *flat])
        for name in ("科/室", "科_室", "Ab", "aB"):
            writer.writerow([name, *map(_text, flat.values())])
    result = _run("batch", HUIZHOU, table, "-o", tmp_path / "s.xlsx", "--tables")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "s-指标评分表").iterdir()) == [
        "Ab.xlsx",
        "aB-2.xlsx",
        "科_室-2.xlsx",
        "科_室.xlsx",
    ]


def test_a_folder_too_large_to_walk_is_refused_before_reading(tmp_path, huizhou, monkeypatch):
    monkeypatch.setattr("rubriceng.cycle.intake.MAX_ENTRIES", 5)
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(6):
        (folder / f"{index}.txt").write_text("x", encoding="utf-8")
    with pytest.raises(rubriceng.InputError) as caught:
        read_returns(huizhou, [folder])
    assert [problem.text("zh") for problem in caught.value.problems] == [
        f"{folder}：文件夹中的条目超过 5 个 [table-too-large]"
    ]


def test_a_batch_rerun_into_the_folder_it_reads_never_reads_its_own_output(
    tmp_path, huizhou, units
):
    folder = _returned(tmp_path / "returned", huizhou, units)
    out = folder / "summary.xlsx"
    first = _run("batch", HUIZHOU, folder, "-o", out, "--tables")
    assert first.exit_code == 0, first.output
    again = _run("batch", HUIZHOU, folder, "-o", out, "--tables")
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[1:] == first.output.splitlines()[1:]
    assert f"12 个单位已评分，0 个未能评分 → {out}" in again.output


def test_a_tables_text_cells_are_read_as_the_input_checker_reads_them(
    tmp_path, huizhou, monkeypatch
):
    """A CSV gives every cell as text: each is read here by the coercion the input rules
    give its path (a count's 5.0 is 5, a boolean's FALSE is false, a partial credit's
    '是' is true and its 0.5 a half), text the checker would refuse stays text for it to
    report, and text inputs stay text. The units the table gives are scored by the row
    kernel, exactly as the same units written out in YAML."""
    rows = list(csv.reader((ROOT / "examples" / "huizhou-2020-units.csv").open(encoding="utf-8")))
    header = rows[0]
    at = {name: header.index(name) for name in header}
    rows[1][at["key_tasks_total"]] = "12.0"
    rows[1][at["has_transfer_payments"]] = " FALSE "
    rows[1][at["budget_reasonableness.not_fixed"]] = "是"
    rows[2][at["budget_reasonableness.not_fixed"]] = "0.5"
    rows[3][at["revenue_final"]] = "很多"  # refused, as before, by the checker
    table = tmp_path / "units.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    named = read_returns(huizhou, [table]).named()
    office, first, second = (named[row[0]] for row in rows[1:4])
    assert office["key_tasks_total"] == 12 and type(office["key_tasks_total"]) is int
    assert office["has_transfer_payments"] is False
    assert office["budget_reasonableness"]["not_fixed"] is True
    assert first["budget_reasonableness"]["not_fixed"] == Decimal("0.5")
    assert first["revenue_final"] == Decimal("2019353.131872")
    assert second["revenue_final"] == "很多"
    assert office["project_supervision"]["reason"] == "有效的检查、监控"
    general: list[object] = []
    import rubriceng.scoring.engine as engine

    original = engine.score_unit
    monkeypatch.setattr(
        engine, "score_unit", lambda *a, **k: general.append(a) or original(*a, **k)
    )
    batch = rubriceng.evaluate_many(huizhou, named, trace=False, errors="collect")
    assert [failure.unit for failure in batch.failures] == [rows[3][0]]
    assert general == []  # every valid unit on the row kernel
    monkeypatch.undo()
    as_text = {  # each row as the text it is, which the checker reads the same way
        row[0]: nest(
            (name, cell.strip()) for name, cell in zip(header, row, strict=True) if cell.strip()
        )
        for row in rows[1:]
    }
    for result in batch.results:
        text = {key: value for key, value in as_text[result.unit].items() if key != "unit"}
        expected = rubriceng.evaluate(huizhou, text, trace=False)
        assert result.scores() == expected.scores() and result.total == expected.total
    with pytest.raises(rubriceng.InputError) as refused:
        rubriceng.evaluate(huizhou, named[rows[3][0]])
    assert "很多" in str(refused.value)


@pytest.mark.parametrize("kept", [slice(None), slice(0, 0)], ids=["units", "none scored"])
def test_a_batch_is_written_as_json_one_unit_at_a_time(tmp_path, huizhou, kept):
    """The batch JSON the CLI writes (each result with its 评分依据, failures with their
    problems) is batch_dict's, written unit by unit: the same data, whether some units
    fail, or none is scored."""
    from rubriceng.cycle.summary import batch_dict, write_batch_json

    units = {f"单位{index}": unit for index, unit in enumerate(generate(6, seed=2)[kept])}
    units["坏"] = {"revenue_final": "很多"}
    batch = rubriceng.evaluate_many(huizhou, units, trace=True, errors="collect")
    path = tmp_path / "batch.json"
    write_batch_json(huizhou, batch, path, lang="en")
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written == batch_dict(huizhou, batch, "en")
    assert [failure["unit"] for failure in written["failures"]] == ["坏"]
    assert len(written["results"]) == len(units) - 1
    assert all("basis" in item for item in _leaves_of(written) if item["status"] != "judged")


def _leaves_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    found, stack = [], [item for result in data["results"] for item in result["indicators"]]
    while stack:
        item = stack.pop()
        children = item.get("children", [])
        stack.extend(children)
        if not children:
            found.append(item)
    return found


@pytest.mark.parametrize(("events", "points"), [(1, -2), (2, -4), (5, -6)])  # at most 6 off
def test_a_deduction_in_the_scores_csv_is_a_number_not_quoted_text(tmp_path, events, points):
    """The CSV guard against formulas (a ``'`` before ``=``, ``+``, ``-``, ``@``) leaves a
    negative number as it is: ``-4`` is read by Excel and pandas as the number it is."""
    source = ROOT / "examples" / "huizhou-2020-units.csv"
    rows = list(csv.reader(source.open(encoding="utf-8-sig")))
    rows[1][rows[0].index("accountability_findings")] = str(events)
    units = tmp_path / "units.csv"
    with units.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    output = tmp_path / "scores.csv"
    assert _run("batch", REF, units, "-o", output).exit_code == 0
    frame = pandas.read_csv(output, encoding="utf-8-sig", index_col="unit")
    first = frame.loc["惠州市人民政府办公室"]
    assert first["accountability_findings"] == points
    total = Decimal("97.86") + points
    assert Decimal(str(first["total"])) == total
    raw = output.read_text(encoding="utf-8-sig").splitlines()[1].split(",")
    assert raw[-3:-1] == [str(points), str(total)]
