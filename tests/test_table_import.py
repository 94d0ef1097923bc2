"""``rubriceng import-table``: a published 指标评分表 (xlsx, docx, csv) to a first rubric —
the 惠州 workbook round trip, a docx with merged cells in the seed's layout, carried-down
CSV cells, problems reported by sheet and row, suggestions, and new-plugin --from-table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import rubriceng
from rubriceng.authoring.lint import lint
from rubriceng.authoring.scaffold import new_plugin
from rubriceng.authoring.tableimport import TableProblem, import_table, suggestion
from rubriceng.cli import main
from rubriceng.outputs.spreadsheet import write_scoresheet
from rubriceng.outputs.words import using
from tests.conftest import ROOT

TABLE = ROOT / "examples" / "table-mouxian-2026.csv"


def _shape(rubric: rubriceng.Rubric) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []

    def walk(nodes: tuple[rubriceng.Indicator, ...], depth: int) -> None:
        for node in nodes:
            found.append(
                (
                    depth,
                    node.name,
                    node.points,
                    node.description,
                    node.standard,
                    node.remarks,
                    node.is_leaf,
                )
            )
            walk(node.children, depth + 1)

    walk(rubric.indicators, 0)
    return found


def _full_marks(rubric: rubriceng.Rubric) -> dict[str, object]:
    inputs: dict[str, object] = {}
    for node in rubric.walk():
        if node.method == "judgement":
            inputs[node.id] = {"score": node.points, "reason": "满分"}
        elif node.method == "unit_defined":
            inputs[node.id] = [{"name": "自设指标", "score": node.points, "reason": "满分"}]
    inputs.update({adjustment.id: 0 for adjustment in rubric.adjustments})
    return inputs


def test_the_huizhou_score_workbook_imports_back_to_the_same_table(tmp_path):
    """The 指标评分表 that ``score -o x.xlsx`` writes for the 惠州 2020 rubric: same tree,
    names, points and texts (效果性's parts share one merged rule cell: one indicator whose
    parts the unit names), and the same 加减分 with their amounts."""
    rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    inputs = dict(rubriceng.load_inputs(ROOT / "examples" / "huizhou-2020-office.yaml").inputs)
    inputs.update(
        has_transfer_payments=True,
        general_transfer_advance_rate=Decimal("0.9"),
        special_transfer_advance_rate=Decimal("0.8"),
        budget_approval_days_late=0,
        transfers_approved=3,
        transfers_issued_on_time=3,
    )  # every indicator applies
    result = rubriceng.evaluate(rubric, inputs, unit="惠州市人民政府办公室")
    write_scoresheet(result, tmp_path / "scores.xlsx", rubric=rubric)

    imported = import_table(tmp_path / "scores.xlsx", rubric_id="local/huizhou", version="2020")
    assert imported.problems == ()
    (tmp_path / "imported.yaml").write_text(imported.text, encoding="utf-8")
    again = rubriceng.load_rubric(tmp_path / "imported.yaml")
    assert _shape(again) == _shape(rubric)
    assert len(_shape(rubric)) == 37
    assert again.title == rubric.title and again.total == rubric.total
    assert [(a.name, a.per_event, a.max, a.description, a.standard) for a in again.adjustments] == [
        (a.name, a.per_event, a.max, a.description, a.standard) for a in rubric.adjustments
    ]
    assert (again.provenance["points"], again.provenance["rule"]) == ("transcribed",) * 2
    assert list(again.provenance["sources"]) == ["scores.xlsx"]
    assert lint(tmp_path / "imported.yaml").errors == ()
    # it scores at once: every judgement at full marks is the total
    scored = rubriceng.evaluate(again, _full_marks(again))
    assert (scored.total, scored.grade) == (Decimal("100.00"), "优")


def _seed_docx(path: Path) -> None:
    """A docx table in seed 002's layout: 一级/分值/二级/分值/三级/分值/指标解释/评分标准/备注,
    parent cells merged down, and a 加减分 row merged across."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("整体绩效自评信息指标评分表")
    rows = [
        [
            "一级指标",
            "分值",
            "二级指标",
            "分值",
            "三级指标",
            "分值",
            "指标解释",
            "评分标准",
            "备注",
        ],
        [
            "预算编制情况",
            "23",
            "预算编制",
            "13",
            "预算编制合理性",
            "5",
            "考核部门（单位）预算的合理性。",
            "1.符合本部门职责的，得1分；2.分配合理的，得1分。",
            "",
        ],
        [
            "",
            "",
            "",
            "",
            "财政拨款收入预决算差异率",
            "4",
            "反映部门（单位）收入预算编制的准确性。",
            "差异率=0，本项指标得满分；每增加5%（含）扣减0.5分，直至扣完为止。",
            "根据决算01-1表计算",
        ],
        [
            "",
            "",
            "",
            "",
            "提前下达率",
            "4",
            "反映部门是否按要求提前申请下达。",
            "提前下达比例达到90%的，得2分。",
            "",
        ],
        [
            "",
            "",
            "目标设置",
            "10",
            "绩效目标合理性",
            "5",
            "整体绩效目标是否依据充分。",
            "能体现部门职能的，得1分。",
            "",
        ],
        [
            "",
            "",
            "",
            "",
            "绩效指标明确性",
            "5",
            "绩效指标是否清晰、细化、可量化。",
            "具有清晰、可衡量的指标值的，得1分。",
            "",
        ],
        [
            "加减分：加分项",
            "",
            "",
            "",
            "",
            "",
            "反映部门工作受到表彰的情况。",
            "表彰一次加1分，累计加分最多3分。",
            "",
        ],
    ]
    table = document.add_table(rows=len(rows), cols=9)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    for column in (0, 1):  # 预算编制情况 23 over five rows
        table.cell(1, column).merge(table.cell(5, column)).text = rows[1][column]
    for column in (2, 3):
        table.cell(1, column).merge(table.cell(3, column)).text = rows[1][column]
        table.cell(4, column).merge(table.cell(5, column)).text = rows[4][column]
    table.cell(6, 0).merge(table.cell(6, 5)).text = "加减分：加分项"
    document.save(path)


def test_a_docx_table_in_the_seed_layout_with_merged_cells(tmp_path):
    _seed_docx(tmp_path / "table.docx")
    imported = import_table(tmp_path / "table.docx", version="2024")
    tree = [(node["name"], node["points"]) for node in imported.rubric["indicators"]]
    assert tree == [("预算编制情况", Decimal(23))]
    groups = imported.rubric["indicators"][0]["children"]
    assert [
        (group["name"], group["points"], [leaf["name"] for leaf in group["children"]])
        for group in groups
    ] == [
        ("预算编制", Decimal(13), ["预算编制合理性", "财政拨款收入预决算差异率", "提前下达率"]),
        ("目标设置", Decimal(10), ["绩效目标合理性", "绩效指标明确性"]),
    ]
    leaf = groups[0]["children"][1]
    assert (leaf["description"], leaf["standard"], leaf["remarks"]) == (
        "反映部门（单位）收入预算编制的准确性。",
        "差异率=0，本项指标得满分；每增加5%（含）扣减0.5分，直至扣完为止。",
        "根据决算01-1表计算",
    )
    assert imported.rubric["title"] == "整体绩效自评信息指标评分表" or imported.rubric["title"]
    assert imported.rubric["adjustments"][0]["name"] == "加分项"
    assert imported.problems == ()
    assert "# suggested method: steps: each 5% deducts 0.5" in imported.text
    path = tmp_path / "table.yaml"
    path.write_text(imported.text, encoding="utf-8")
    assert rubriceng.load_rubric(path).total == Decimal(23)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_table_with_parent_cells_carried_down(tmp_path, encoding):
    path = tmp_path / "table.csv"
    path.write_bytes(TABLE.read_text(encoding="utf-8").encode(encoding))
    imported = import_table(path)
    assert imported.problems == ()
    rubric = imported.rubric
    assert [(top["name"], top["points"]) for top in rubric["indicators"]] == [
        ("预算编制", Decimal(20)),
        ("预算执行", Decimal(80)),
    ]
    execution = rubric["indicators"][1]["children"]
    assert [
        (group["name"], [leaf["name"] for leaf in group["children"]]) for group in execution
    ] == [
        ("资金管理", ["部门预算资金支出率", "政府采购执行率"]),
        ("效果", ["公众或服务对象满意度"]),
    ]
    assert rubric["adjustments"][0] == {
        "id": "adjustment_1",
        "name": "加分项",
        "per_event": Decimal(1),
        "max": Decimal(3),
        "description": "反映部门工作受到表彰的情况。",
        "standard": "工作获得上级表彰的，表彰一次加1分，累计加分最多3分。",
    }


def test_what_does_not_add_up_is_reported_by_row_and_the_rubric_still_written(tmp_path):
    table = TABLE.read_text(encoding="utf-8").splitlines()
    table[2] = table[2].replace("绩效目标合理性,10", "绩效目标合理性,8")  # 预算编制 20 ≠ 10 + 8
    table[4] = table[4].replace("政府采购执行率,20", "政府采购执行率,")  # a row without points
    table.insert(6, ",,,,,,,,")  # a blank row: skipped
    table.insert(7, "其他,5,,,无二级的指标,5,说明,标准,")  # a level missing
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(table) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import-table", str(path), "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 0, result.output
    problems = import_table(path).problems
    assert [str(problem) for problem in problems] == [
        "broken.csv 第 8 行：二级指标缺失",
        "broken.csv 第 2 行：二级指标「预算编制」分值 20，其下各项合计 18",
        "broken.csv 第 4 行：二级指标「资金管理」分值 50，其下各项合计 30",
        "broken.csv 第 5 行：「政府采购执行率」没有分值",
    ]
    for problem in problems:
        assert f"警告：{problem}" in result.output
    written = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    assert "# Problems found in the table (fix the table or this file):" in written
    assert "# - broken.csv 第 5 行：「政府采购执行率」没有分值" in written


def test_a_file_with_no_table_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("名称,值\n甲,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="没有找到带「一级指标 / 二级指标」表头的表格"):
        import_table(path)
    with using("en"), pytest.raises(ValueError, match="no table with 一级指标"):
        import_table(path)
    result = CliRunner().invoke(main, ["import-table", str(path), "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 2
    assert not (tmp_path / "r.yaml").exists()


@pytest.mark.parametrize(
    ("standard", "hint"),
    [
        (
            "每增加5%扣0.5分",
            "steps: each 5% deducts 0.5 — value: <the rate>, steps: {size: 0.05, deduct: 0.5}",
        ),
        (
            "达到90%得满分，每低1个百分点扣0.1分",
            "ratio or steps: full marks at 90%, "
            "each 1 个百分点 below deducts 0.1 — steps: {size: 0.01, deduct: 0.1} below 0.9",
        ),
        ("是/否", "all_or_nothing or checklist: a yes/no criterion"),
        ("有的，得2分；否则不得分。", "all_or_nothing or checklist: a yes/no criterion"),
        (
            "1.能体现职能的，得1分；2.能分解的，得1分；3.相匹配的，得2分。",
            "checklist: 3 criteria (1、1、2 分) — checklist: [{id: …, points: …}]",
        ),
        (
            "本指标得分=重点工作完成率×5",
            "ratio: points × actual / target — ratio: {actual: <input>, target: <input>}",
        ),
        (
            "90%以上得满分；80%-90%得20分；80%以下不得分",
            "bands: scores by ranges of a value — bands: [{min: …, score: …}, …]",
        ),
        ("视情况酌情评分", None),
    ],
)
def test_a_known_pattern_suggests_its_method(standard, hint):
    assert suggestion(standard) == hint


def test_new_plugin_from_a_table_scores_every_judgement_at_full_marks(tmp_path):
    skeleton = new_plugin(
        "mouxian-table", tmp_path, region="某某县", level="county", year=2026, table=TABLE
    )
    package = skeleton.root / "src" / skeleton.package
    rubric_file = package / "rubrics" / "dept-overall-2026.yaml"
    assert "in_force: {from: 2026}" in rubric_file.read_text(encoding="utf-8")
    registry = rubriceng.Registry(search_path=[package / "rubrics"])
    from rubriceng.authoring.cases import run_cases

    outcomes = list(run_cases([package / "tests"], registry=registry))
    assert [(outcome.passed, outcome.case.name, outcome.report()) for outcome in outcomes] == [
        (True, "every judgement at full marks", "")
    ]


def test_table_problems_read_as_the_author_would_look_for_them():
    assert str(TableProblem("工作表「评分表」", 12, "「预算编制」没有分值")) == (
        "工作表「评分表」 第 12 行：「预算编制」没有分值"
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_table_that_unpacks_too_far_is_refused_before_it_is_parsed(tmp_path, suffix):
    import zipfile

    path = tmp_path / f"bomb{suffix}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    with pytest.raises(rubriceng.InputError) as caught:
        import_table(path)
    assert [problem.code for problem in caught.value.problems] == ["table-too-large"]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_file_that_is_not_what_its_name_says_is_refused(tmp_path, suffix):
    path = tmp_path / f"fake{suffix}"
    path.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(rubriceng.InputError) as caught:
        import_table(path)
    assert [problem.code for problem in caught.value.problems] == ["input-form"]
    result = CliRunner().invoke(main, ["import-table", str(path), "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
