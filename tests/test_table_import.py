"""``rubriceng import-table``: a published 指标评分表 (xlsx, docx, csv) to a first rubric —
the 惠州 workbook round trip, a docx with merged cells in the seed's layout, carried-down
CSV cells, problems reported by sheet and row, suggestions, and new-plugin --from-table."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- tables as programs and people write them --------------------------------------------------

_BOOK_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org'
    '/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org'
    '/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="评分表" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    "schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    '" Target="worksheets/sheet1.xml"/></Relationships>',
}
_HEADINGS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>一级指标</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>分值</t></is></c></row>'
)


def _book(path, rows: str = _HEADINGS, tail: str = "", extra: dict[str, str] | None = None):
    """A workbook of a few KB, written part by part as an attacker would."""
    import zipfile

    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml'
        f'/2006/main"><sheetData>{rows}</sheetData>{tail}</worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**_BOOK_PARTS, **(extra or {})}.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _merges(*refs: str) -> str:
    return (
        f'<mergeCells count="{len(refs)}">'
        + "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
        + "</mergeCells>"
    )


def _links(*refs: str) -> str:
    return (
        "<hyperlinks>"
        + "".join(f'<hyperlink ref="{ref}" location="评分表!A1"/>' for ref in refs)
        + "</hyperlinks>"
    )


_COMMENTS = (
    '<?xml version="1.0"?><comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main"><authors><author>x</author></authors><commentList><comment ref="{ref}" authorId="0">'
    "<text><t>批注</t></text></comment></commentList></comments>"
)


@pytest.mark.parametrize(
    ("rows", "tail", "extra", "message"),
    [
        (
            _HEADINGS,
            _merges("A1:XFD1048576"),
            None,
            "表格连同合并单元格共 1048576 行 16384 列：至多读取 50000 个单元格",
        ),
        (
            _HEADINGS,
            _merges("C3:Z3000"),
            None,
            "表格连同合并单元格共 3000 行 26 列：至多读取 50000 个单元格",
        ),
        (
            _HEADINGS + '<row r="2001"><c r="Z2001"><v>1</v></c></row>',
            "",
            None,
            "表格连同合并单元格共 2001 行 26 列：至多读取 50000 个单元格",
        ),
        (
            _HEADINGS + '<row r="1048576"><c><v>1</v></c></row>',
            "",
            None,
            "表格连同合并单元格共 1048576 行 2 列：至多读取 50000 个单元格",
        ),
        (
            _HEADINGS,
            _links("A1:XFD1048576"),
            None,
            "表格连同合并单元格共 1048576 行 16384 列：至多读取 50000 个单元格",
        ),
        (
            _HEADINGS,
            "",
            {"xl/comments1.xml": _COMMENTS.format(ref="XFD1048576")},
            "表格连同合并单元格共 1048576 行 16384 列：至多读取 50000 个单元格",
        ),
        (
            _HEADINGS,
            _merges(*(f"A{row}:B{row}" for row in range(2, 1003))),
            None,
            "有工作表的合并区域超过 1000 个",
        ),
        (
            _HEADINGS,
            _links(*(f"A{row}" for row in range(2, 53))),
            None,
            "有工作表的超链接超过 50 个",
        ),
    ],
    ids=[
        "whole-sheet-merge",
        "merge-beyond-the-bound",
        "two-far-cells",
        "a-cell-placed-by-its-row",
        "whole-sheet-link",
        "a-far-comment",
        "1001-merges",
        "51-links",
    ],
)
def test_a_workbook_that_would_lay_out_too_many_cells_is_refused_before_it_is_read(
    tmp_path, rows, tail, extra, message
):
    """openpyxl makes a cell object for every cell a merged range, a link or a comment
    covers, and looks every link up among the merged ranges: a 2 KB workbook merging
    A1:XFD1048576 ran without end. Each is refused from the XML, before openpyxl reads it."""
    path = _book(tmp_path / "table.xlsx", rows, tail, extra)
    assert path.stat().st_size < 40_000
    with pytest.raises(rubriceng.InputError) as caught:
        import_table(path)
    (problem,) = caught.value.problems
    with using("zh"):
        told = problem.said()
    assert (problem.code, told) == ("table-too-large", message)
    result = CliRunner().invoke(main, ["import-table", str(path), "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 1 and told in result.output and "Traceback" not in result.output
    assert result.output.startswith(f"错误：{path} 的指标评分表无法读取（1 个问题）：")
    assert not (tmp_path / "r.yaml").exists()


def test_a_workbook_at_the_bounds_is_read_with_its_merged_cells(tmp_path):
    """1,000 merged ranges, 50 links and 50,000 cells are within the bounds."""
    rows = _HEADINGS + '<row r="2000"><c r="Y2000"><v>1</v></c></row>'
    merges = _merges(*(f"C{row}:D{row}" for row in range(2, 1002)))
    path = _book(tmp_path / "table.xlsx", rows, merges + _links(*(f"E{i}" for i in range(2, 52))))
    with pytest.raises(ValueError, match="没有找到带「一级指标 / 二级指标」表头的表格"):
        import_table(path)  # read whole; it holds headings of one level only


def _docx_xml(path, change) -> None:
    """``path``'s document.xml changed by ``change`` (text to text)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["word/document.xml"] = change(parts["word/document.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    ("span", "message"),
    [("100000000", "表 1 超过 2000 列"), ("2001", "表 1 超过 2000 列")],
)
def test_a_word_table_spanning_too_far_is_refused_at_its_row(tmp_path, span, message):
    """python-docx lays out every grid column a cell spans: a gridSpan of 10^8 ran without
    end."""
    _seed_docx(tmp_path / "table.docx")
    _docx_xml(
        tmp_path / "table.docx",
        lambda xml: xml.replace("<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{span}"/>', 1),
    )
    with pytest.raises(rubriceng.InputError) as caught:
        import_table(tmp_path / "table.docx")
    (problem,) = caught.value.problems
    with using("zh"):
        assert (problem.code, problem.line, problem.said()) == ("table-too-large", 1, message)


def test_a_word_table_of_many_cells_is_refused_and_a_long_merge_is_read_in_one_pass(tmp_path):
    """python-docx's row.cells walks up a vertical merge from every row it continues to
    (rows² steps, one Python frame a row): 1,500 rows merged in one column read in one
    pass, their first cells spanning all; 25,001 rows of two cells are more than 50,000."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1500, cols=2)
    table.cell(0, 0).text = "一级指标"
    table.cell(0, 1).text = "分值"
    document.save(tmp_path / "long.docx")
    _docx_xml(
        tmp_path / "long.docx",
        lambda xml: xml.replace(
            "<w:tc><w:tcPr>", '<w:tc><w:tcPr><w:vMerge w:val="continue"/>'
        ).replace('<w:vMerge w:val="continue"/>', '<w:vMerge w:val="restart"/>', 1),
    )
    from rubriceng.inputs.files import docx_grids

    (grid,) = docx_grids(tmp_path / "long.docx", "table")
    assert len(grid) == 1500 and all(row == grid[0] for row in grid)
    assert [text for _, text in grid[0]] == ["一级指标", "分值"]
    table = document.add_table(rows=25_001, cols=2)
    document.save(tmp_path / "wide.docx")
    with pytest.raises(rubriceng.InputError) as caught:
        import_table(tmp_path / "wide.docx")
    with using("zh"):
        assert [(p.line, p.said()) for p in caught.value.problems] == [
            (25_001, "表 2 超过 50000 个单元格")
        ]


def test_a_word_row_that_starts_later_keeps_its_cells_in_their_columns(tmp_path):
    """A row with w:gridBefore starts with empty cells, as Word shows it: its cells stay
    under their headings (python-docx's row.cells left them out)."""
    _seed_docx(tmp_path / "table.docx")
    from rubriceng.inputs.files import docx_grids

    before = docx_grids(tmp_path / "table.docx", "table")[0]
    _docx_xml(
        tmp_path / "table.docx",
        lambda xml: xml.replace("<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>', 1),
    )
    (after,) = docx_grids(tmp_path / "table.docx", "table")
    assert [text for _, text in after[0]] == ["", ""] + [text for _, text in before[0]]


def _table(path, rows: list[list[str]]) -> Path:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _csv_rows() -> list[list[str]]:
    import csv

    return list(csv.reader(TABLE.read_text(encoding="utf-8").splitlines()))


def test_headings_names_and_texts_spread_over_lines_are_read_as_the_table_prints_them(tmp_path):
    """Cells break their words over lines (一级⏎指标, 财政拨款收入⏎预决算差异率), spread
    them with spaces (分　值, 备　　注, 合　计), and bring control characters: a heading
    is read without its spaces, a name on one line, a text with its line breaks, and no
    control character is kept."""
    rows = _csv_rows()
    rows[0] = ["一级\n指标", "分　值", "二级\n指标", "分 值", "三级指标", "分值",
               "指标\n解释", "评分\r\n标准", "备　　注"]  # fmt: skip
    rows[1][4] = "财政拨款收入\n预决算差异率"
    rows[1][6] = "反映部门\x07收入\u2028预算编制的准确性。"
    rows[2][4] = "Budget\r\ntarget 合理性"
    rows[2][7] = "1.整体绩效目标能体现部门职能的，得5分；\r\n2.能分解成具体工作任务的，得5分。"
    rows.append(["合　计", "100", "", "", "", "", "", "", ""])
    imported = import_table(_table(tmp_path / "table.csv", rows))
    assert imported.problems == ()
    budget = imported.rubric["indicators"][0]["children"][0]["children"]
    assert [leaf["name"] for leaf in budget] == ["财政拨款收入预决算差异率", "Budget target 合理性"]
    assert budget[0]["description"] == "反映部门收入\n预算编制的准确性。"
    assert budget[1]["standard"] == (
        "1.整体绩效目标能体现部门职能的，得5分；\n2.能分解成具体工作任务的，得5分。"
    )
    assert budget[0]["remarks"] == "本指标根据部门决算01-1表计算"
    path = tmp_path / "rubric.yaml"
    path.write_text(imported.text, encoding="utf-8")
    assert rubriceng.load_rubric(path).indicator("i1_1_1").name == "财政拨款收入预决算差异率"


def _strings(data: object, at: str = "") -> dict[str, str]:
    if isinstance(data, dict):
        return {
            k: v for key, value in data.items() for k, v in _strings(value, f"{at}.{key}").items()
        }
    if isinstance(data, list):
        return {
            k: v for i, value in enumerate(data) for k, v in _strings(value, f"{at}.{i}").items()
        }
    return {at: data} if isinstance(data, str) else {}


_CELL = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=30)


@given(name=_CELL, standard=_CELL, other=_CELL)
@settings(deadline=None)
def test_whatever_a_cell_holds_the_written_rubric_reads_back_as_imported(name, standard, other):
    """The rubric's text is written line by line, its comments quoting names from the
    table: whatever a cell holds (line breaks, quotes, '#', ': ', YAML's own marks,
    controls, U+2028, U+FFFE), the text reads back as exactly the data imported, every
    comment stays a comment, and no name spans lines."""
    import tempfile

    from rubriceng.language.documents import from_text

    rows = _csv_rows()
    rows[1][4] = "差异率" + name
    rows[2][4] = name + "合理性"
    rows[2][5] = other  # no points, most often: a problem quoting the name
    rows[1][7] = standard
    rows[5][0] = "加减分：" + other
    with tempfile.TemporaryDirectory() as folder:
        imported = import_table(_table(Path(folder) / "t.csv", rows))
    assert _strings(from_text(imported.text, "t.yaml").data) == _strings(imported.rubric)
    control = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
    for leaf in imported.rubric["indicators"][0]["children"][0]["children"]:
        assert not control.search(leaf["name"])
    assert not control.search(imported.rubric["adjustments"][0]["name"])
    assert all(
        not control.search(text.replace("\n", "")) for text in _strings(imported.rubric).values()
    )
    comments = [line for line in imported.text.splitlines() if line.lstrip().startswith("#")]
    assert not any(control.search(line) for line in comments)


@pytest.mark.parametrize("written", ["{}%", "{}％", "{}分", "{} 分", "{}.0", "１０"], ids=str)
def test_points_as_weights_in_percent_or_full_width_read_as_the_plain_table(tmp_path, written):
    """A table whose heading is 权重 prints 10%; a Chinese input method types １０: the
    same points as 10."""
    plain = import_table(TABLE)
    rows = _csv_rows()
    for row in rows[1:]:
        for column in (1, 3, 5):
            if row[column] and not row[0].startswith("加减分"):
                row[column] = written.format(row[column]) if "{}" in written else row[column]
    if "{}" not in written:
        rows[1][5] = written  # 财政拨款收入预决算差异率's 10
    rows[0][5] = "权重"
    imported = import_table(_table(tmp_path / "table.csv", rows))
    assert imported.problems == ()
    assert imported.rubric["indicators"] == plain.rubric["indicators"]


@pytest.mark.parametrize(
    "points",
    ["1e999999999", "10000000000000000000", "-5", "1.23456", "NaN", "Infinity", "5e-999999"],
)
def test_points_no_rubric_can_have_are_reported_and_never_written(tmp_path, points):
    """A cell of 1e999999999 was written out in full (a billion digits), and a 20-digit
    one made a file the loader refuses: points outside 0 to 1,000,000 or with more than
    four decimal places are a problem of their row, and the file reads back."""
    from rubriceng.language.documents import from_text

    rows = _csv_rows()
    rows[2][5] = points  # 绩效目标合理性
    rows[6][7] = "表彰一次加99999999999999999999分，累计加分最多1e999999999分。"
    imported = import_table(_table(tmp_path / "table.csv", rows))
    assert "「绩效目标合理性」没有分值" in [problem.message for problem in imported.problems]
    assert "「加分项」的每次加减分值未在评分标准中找到，暂按 1" in [
        problem.message for problem in imported.problems
    ]
    assert len(imported.text) < 10_000
    data = from_text(imported.text, "t.yaml").data
    assert "max" not in data["adjustments"][0]


@pytest.mark.parametrize(
    ("option", "value", "told"),
    [
        ("--id", " ", "--id ' '：评分表 id 请用小写字母、数字和 . _ / -"),
        ("--id", "Local/X", "--id 'Local/X'：评分表 id 请用小写字母、数字和 . _ / -"),
        (
            "--level",
            " ",
            "--level ' '：层级应为 province、city、county、district、township、other 之一",
        ),
        ("--region", " ", "--region ' '：地区名称请用文字、数字、空格、· 和括号，至多 40 个字"),
        ("--version", " ", "--version ' '：版本请用字母、数字和 . _ -，至多 40 个字"),
        ("--version", "a: b", "--version 'a: b'：版本请用字母、数字和 . _ -，至多 40 个字"),
        ("--title", "  ", "--title '  '：标题应为可见的文字，不能全是空格，不能有控制字符"),
        (
            "--title",
            "表\x1b[2J",
            "--title '表\\x1b[2J'：标题应为可见的文字，不能全是空格，不能有控制字符",
        ),
    ],
)
def test_import_table_refuses_options_its_rubric_could_not_load_with(tmp_path, option, value, told):
    """An option is written into the rubric as it is: one its schema refuses (a blank id, a
    level of spaces) made a file that `check` then failed, after "0 problems". Refused
    before the table is read, every wrong option at once, nothing written."""
    output = tmp_path / "rubric.yaml"
    table = ROOT / "examples" / "table-mouxian-2026.csv"
    result = CliRunner().invoke(
        main, ["import-table", str(table), "-o", str(output), option, value]
    )
    assert result.exit_code == 2, result.output
    assert f"错误：{told}" in result.output
    assert not output.exists()
    fine = CliRunner().invoke(
        main,
        [
            "import-table",
            str(table),
            "-o",
            str(output),
            "--version",
            "2025.1",
            "--title",
            "某县 2026",
        ],
    )
    assert fine.exit_code == 0, fine.output
    assert CliRunner().invoke(main, ["check", str(output)]).exit_code == 0
