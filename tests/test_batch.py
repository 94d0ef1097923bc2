"""Many units at once: `rubriceng batch` over .csv, .xlsx and .parquet, and pandas in and out."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import openpyxl
import pandas
import pytest
from click.testing import CliRunner

import rubriceng
from benchmarks.huizhou import generate
from rubriceng.cli import main
from rubriceng.language.paths import flatten, nest
from rubriceng.outputs.spreadsheet import read_units
from tests.conftest import HUIZHOU
from tests.test_contracts import _validator

UNITS = 40

BASIS = (  # 单位00's 预算编制合理性: 0.25 + 0.25 + 0.75 + 1 + 1 of the five criteria
    "逐项：部门预算编制、分配符合本部门职责、符合市委市政府方针政策和工作要求的，得1分 0.25/1，"
    "部门预算资金能根据年度工作重点，在不同项目、不同用途之间分配合理的，得1分 0.25/1，"
    "专项资金编制细化程度合理，未出现因年中调剂导致部门预决算差异过大的问题 0.75/1，"
    "功能分类和经济分类编制准确，年度中间无大量调剂，项目之间是未频繁调剂的，得1分 1/1，"
    "部门预算分配不固化，能根据实际情况合理调整（如不存在项目支出完成不理想但连年持续安排预算的"
    "情况等），得1分 1/1；按满分 5 得 3.25 分；得分 3.25。"
)


@pytest.fixture(scope="module")
def units():
    """Generated 惠州 units, many on band edges, flattened to columns; one is invalid."""
    rows = [
        {"unit": f"单位{index:02d}", **flatten(unit)}
        for index, unit in enumerate(generate(UNITS, seed=7, edges=0.3))
    ]
    rows[3]["procurement_plan"] = "abc"
    return rows


@pytest.fixture(scope="module")
def expected(huizhou, units):
    named = {
        row["unit"]: nest((key, value) for key, value in row.items() if key != "unit")
        for row in units
    }
    return rubriceng.evaluate_many(huizhou, named, errors="collect")


def _write_csv(rows, path):
    header = list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows({key: str(value) for key, value in row.items()} for row in rows)


def _write_xlsx(rows, path):
    header = list(dict.fromkeys(key for row in rows for key in row))
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append([_cell(row.get(key)) for key in header])
    book.save(path)


def _cell(value):
    return str(value) if isinstance(value, Decimal) else value


def _write_parquet(rows, path):
    frame = pandas.DataFrame([{key: _cell(value) for key, value in row.items()} for row in rows])
    frame.astype(str).to_parquet(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_batch_scores_every_unit_as_evaluate_many_does(tmp_path, units, expected, suffix):
    source = tmp_path / f"units{suffix}"
    {".csv": _write_csv, ".xlsx": _write_xlsx, ".parquet": _write_parquet}[suffix](units, source)
    out = tmp_path / "scores.xlsx"
    result = CliRunner().invoke(main, ["batch", str(HUIZHOU), str(source), "-o", str(out)])
    assert result.exit_code == 1  # one unit failed
    where = f"{source}{' 第 5 行' if suffix == '.xlsx' else ':5'}"
    assert result.output.splitlines() == [
        f"{UNITS - 1} 个单位已评分，1 个未能评分 → {out}",
        "错误：单位「单位03」的填报数据有误（1 个问题）：",
        f"  - {where} 单位「单位03」 采购计划金额合计数（procurement_plan）：应为数值，实际为 "
        "'abc'，用于政府采购执行率 [input-invalid]",
    ]
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["排名", "等级分布", "失分分析", "参数", "得分", "未能评分"]
    sheet = book["得分"]
    labels = [cell.value for cell in sheet[1]]
    header = [cell.value for cell in sheet[2]]  # ids, hidden, under the labels
    assert labels[:4] == ["单位", "总分", "等级", "预算编制情况"]
    assert header[:4] == ["unit", "total", "grade", "budget_preparation"]
    assert header[-2:] == ["commendations", "accountability_findings"]
    assert sheet.row_dimensions[2].hidden and sheet.freeze_panes == "D3"
    assert sheet.auto_filter.ref == f"A2:AQ{UNITS + 1}"
    assert sheet.print_title_cols == "$A:$C"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == UNITS - 1
    for row, result_ in zip(rows, expected.results, strict=True):
        want = result_.row()
        skipped = {found.id for found in result_.walk() if found.status == "not_applicable"}
        got = dict(zip(header, row, strict=True))
        assert got.pop("unit") == result_.unit and got.pop("grade") == want.pop("grade")
        assert {key for key, value in got.items() if value == "不适用"} == skipped
        assert {key: Decimal(str(value)) for key, value in got.items() if key not in skipped} == {
            key: value for key, value in want.items() if key not in skipped
        }
    failures = book["未能评分"]
    assert [cell.value for cell in failures[2]] == [
        "单位03",
        "input-invalid",
        "应为数值，实际为 'abc'",
        f"{source}, 5, 采购计划金额合计数（procurement_plan）, procurement_plan, procurement_rate",
    ]


def test_batch_to_csv_and_json(tmp_path, units, expected):
    source = tmp_path / "units.csv"
    _write_csv(units, source)
    out = tmp_path / "scores.csv"
    CliRunner().invoke(main, ["batch", str(HUIZHOU), str(source), "-o", str(out)])
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["unit"] for row in rows] == [result.unit for result in expected.results]
    assert [row["total"] for row in rows] == [str(result.total) for result in expected.results]
    for row, result in zip(rows, expected.results, strict=True):  # 不适用 is never 0
        for found in result.walk():
            if "." not in found.id:
                want = "不适用" if found.status == "not_applicable" else str(found.score)
                assert row[found.id] == want
    out = tmp_path / "scores.json"
    CliRunner().invoke(main, ["batch", str(HUIZHOU), str(source), "-o", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(_validator(rubriceng.BATCH_SCHEMA).iter_errors(data)) == []
    first = data["results"][0]["indicators"][0]["children"][0]["children"][0]
    assert first["id"] == "budget_reasonableness" and first["status"] == "judged"
    assert first["basis"] == BASIS
    assert data["results"][0]["total"] == str(expected.results[0].total)


def test_duplicate_unit_names_are_refused_with_both_rows(tmp_path, units):
    source = tmp_path / "units.csv"
    _write_csv([units[0], units[1], {**units[2], "unit": units[0]["unit"]}], source)
    result = CliRunner().invoke(
        main, ["batch", str(HUIZHOU), str(source), "-o", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "错误：单位「单位00」的填报数据有误（1 个问题）：",
        f"  - {source}:4 单位「单位00」：也在 {source}:2 中 [unit-duplicate]",
    ]
    assert not (tmp_path / "x.xlsx").exists()


def test_unnamed_units_are_named_by_row_and_blank_rows_skipped(tmp_path):
    source = tmp_path / "units.csv"
    source.write_text("revenue_final,unit\n1,\n,\n2,乙\n", encoding="utf-8")
    assert [(row.unit, row.inputs, row.row) for row in read_units(source)] == [
        ("row 2", {"revenue_final": "1"}, 2),
        ("乙", {"revenue_final": "2"}, 4),
    ]


def test_evaluate_many_takes_a_dataframe_and_to_frame_matches_the_column_path(huizhou, units):
    valid = [row for index, row in enumerate(units) if index != 3]
    frame = pandas.DataFrame([{key: _cell(value) for key, value in row.items()} for row in valid])
    results = rubriceng.evaluate_many(huizhou, frame)
    named = {
        row["unit"]: nest((key, value) for key, value in row.items() if key != "unit")
        for row in valid
    }
    assert [result.scores() for result in results] == [
        result.scores() for result in rubriceng.evaluate_many(huizhou, named)
    ]
    table = rubriceng.to_frame(results)
    assert table.equals(rubriceng.evaluate_table(huizhou, frame).to_frame())
    assert table.index.name == "unit" and list(table.index) == [row["unit"] for row in valid]
    assert table.loc["单位00", "total"] == results[0].total
    batch = rubriceng.evaluate_many(huizhou, frame, errors="collect")
    assert batch.to_frame().equals(table)


def test_a_dataframe_without_a_unit_column_names_units_by_index(huizhou, units):
    frame = pandas.DataFrame([units[0]]).drop(columns="unit")
    frame.index = ["甲"]
    assert [result.unit for result in rubriceng.evaluate_many(huizhou, frame)] == ["甲"]


def test_a_result_as_a_frame_of_its_indicators(huizhou, units):
    inputs = nest((k, v) for k, v in units[0].items() if k != "unit")
    frame = rubriceng.evaluate(huizhou, inputs).to_frame()
    assert list(frame.columns) == ["name", "points", "effective_points", "score", "status"]
    assert frame.loc["advance_release_rate", "status"] in ("not_applicable", "scored")
    assert frame.loc["budget_preparation", "points"] == Decimal("23.00")


def test_progress_is_reported_for_each_unit(huizhou, units):
    named = {row["unit"]: nest((k, v) for k, v in row.items() if k != "unit") for row in units[:5]}
    seen = []
    rubriceng.evaluate_many(huizhou, named, errors="collect", progress=seen.append)
    assert seen == [1, 2, 3, 4, 5]


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path, units, monkeypatch):
    source = tmp_path / "units.csv"
    _write_csv(units[:4], source)
    args = ["batch", str(HUIZHOU), str(source), "-o", str(tmp_path / "s.csv")]
    piped = CliRunner().invoke(main, args)
    assert "scoring" not in piped.output
    monkeypatch.setattr("rubriceng.cli._on_terminal", lambda: True)
    seen = []
    monkeypatch.setattr("rubriceng.cli._Progress.__call__", lambda self, done: seen.append(done))
    on_terminal = CliRunner().invoke(main, args)
    assert "reading" in on_terminal.output and "scoring" in on_terminal.output
    assert seen == [1, 1, 2, 3, 4]  # one file read, then four units scored


def test_results_and_batches_pickle_and_come_back_equal(huizhou, huizhou_inputs):
    """What a Dask or multiprocessing worker returns: a Result (traced or not, its tree
    deferred or built) and a Batch with failures come back equal, to_dict and all."""
    import pickle

    unit = huizhou_inputs
    for trace in (True, False):
        result = rubriceng.evaluate(huizhou, unit, trace=trace)
        again = pickle.loads(pickle.dumps(result))
        assert again == result
        assert again.to_dict() == result.to_dict()
        assert (
            again.indicator("procurement_rate").trace == result.indicator("procurement_rate").trace
        )
    batch = rubriceng.evaluate_many(
        huizhou, {"good": unit, "bad": {**unit, "procurement_plan": -1}}, errors="collect"
    )
    again = pickle.loads(pickle.dumps(batch))
    assert again == batch
    assert [failure.problems for failure in again.failures] == [
        failure.problems for failure in batch.failures
    ]
    assert again.to_dict() == batch.to_dict()


def test_a_table_whose_cells_hold_formulas_no_program_computed_is_refused(tmp_path, units):
    """A table of units written by a script: a value written as a formula read as blank,
    and the unit as not having filled it in. Refused with the cell and formula, by the
    batch command and by read_units; a table with blank cells and no formula is read as
    before (one scan of its bytes finds no formula)."""
    rows = [dict(row) for row in units[:5]]
    rows[1]["procurement_plan"] = "=1331100*1"
    path = tmp_path / "units.xlsx"
    _write_xlsx(rows, path)
    header = list(dict.fromkeys(key for row in rows for key in row))
    cell = f"{openpyxl.utils.get_column_letter(header.index('procurement_plan') + 1)}3"
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    from rubriceng.cycle.intake import read_returns

    for read in (lambda: read_units(path), lambda: read_returns(rubric, [path])):
        with pytest.raises(rubriceng.InputError) as caught:
            read()
        assert [(p.code, p.line, p.params["cell"]) for p in caught.value.problems] == [
            ("input-formula", 3, cell)
        ]
    rows[1]["procurement_plan"] = None  # blank, and no formula anywhere
    _write_xlsx(rows, path)
    assert len(read_units(path)) == 5
