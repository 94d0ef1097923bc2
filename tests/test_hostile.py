"""Hostile files, round two (issue 17): each class with its variants.

Every case here used to hang, exhaust memory or escape as a traceback. The time each
takes to refuse is measured in docs/security.md, not asserted here.
"""

from __future__ import annotations

import codecs
import decimal
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import rubriceng
from rubriceng.host.registry import Registry
from rubriceng.language.documents import DocumentError, from_text
from rubriceng.language.paths import flatten
from rubriceng.outputs.report import render_html
from rubriceng.outputs.text import render_markdown, render_text, write_result
from rubriceng.plugin import Context, Method, Renderer, Scored, Scorer, hookimpl
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, ROOT

# -- YAML merge keys -----------------------------------------------------------------------


def _nested_merges(levels: int, width: int, own_key: bool = True) -> str:
    lines = ["m0: &m0 {a: 1, b: 2}"]
    for level in range(1, levels):
        refs = ", ".join([f"*m{level - 1}"] * width)
        own = f"k{level}: 1, " if own_key else ""
        lines.append(f"m{level}: &m{level} {{{own}<<: [{refs}]}}")
    return "\n".join(lines) + "\n"


def _doubling_merges(levels: int) -> str:
    lines = ["m0: &m0 {a: [1, 2, 3, 4, 5, 6, 7, 8]}"]
    for level in range(1, levels):
        lines.append(f"m{level}: &m{level} {{k{level}: *m{level - 1}, <<: *m{level - 1}}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("a: &a {k: 1, <<: *a}\n", "document-merge-cycle", 1),
        ("a: &a {k: 1, <<: [{j: 2}, *a]}\n", "document-merge-cycle", 1),
        ("x: &x {y: {z: {<<: *x}}}\n", "document-merge-cycle", 1),
        ("x: &x\n  y:\n    <<: *x\n", "document-merge-cycle", 3),
        (_doubling_merges(30), "document-too-large", None),
        (
            "b: &b {"
            + ", ".join(f"k{i}: [1, 2, 3]" for i in range(40))
            + "}\n"
            + "".join(f"c{i}: {{<<: *b}}\n" for i in range(1500)),
            "document-too-large",
            None,
        ),
    ],
    ids=["self", "self-in-list", "through-a-child", "block-style", "doubling", "many-merges"],
)
def test_merge_bombs_and_cycles_are_refused(text, code, line):
    with pytest.raises(DocumentError) as raised:
        from_text(text, "bomb.yaml")
    (problem,) = raised.value.problems
    assert problem.code == code and problem.file == "bomb.yaml"
    if line is not None:
        assert problem.line == line


@pytest.mark.parametrize(("levels", "width"), [(30, 9), (12, 40), (60, 2)])
def test_repeated_merges_of_one_anchor_are_read_once(levels, width):
    """The 600-byte nested-merge file that used to run for minutes: its data is small."""
    data = from_text(_nested_merges(levels, width), "m.yaml").data
    last = data[f"m{levels - 1}"]
    assert last == {"a": 1, "b": 2, **{f"k{level}": 1 for level in range(1, levels)}}
    without_own = from_text(_nested_merges(levels, width, own_key=False), "m.yaml").data
    assert without_own[f"m{levels - 1}"] == {"a": 1, "b": 2}


def test_a_merged_value_is_a_copy_of_its_anchor():
    data = from_text("b: &b {xs: [1, 2]}\nc: {<<: *b}\nd: {<<: *b}\n").data
    assert data["c"] == data["d"] == {"xs": [1, 2]}
    assert data["c"]["xs"] is not data["d"]["xs"]


def test_a_merge_bomb_in_a_rubric_file_is_a_located_rubric_error(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("a: &a {k: 1, <<: *a}\n", encoding="utf-8")
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(path)
    assert [p.text("en") for p in raised.value.problems] == [
        f"{path}:1: a.<<: '<<' merges a mapping into itself [document-merge-cycle]"
    ]


# -- many problems ---------------------------------------------------------------------------


def _rubric(**extra: object) -> dict[str, object]:
    return {
        "id": "x",
        "version": "1",
        "title": "x",
        "total": 4,
        "indicators": [{"id": "a", "name": "甲", "points": 4, "score": "4"}],
        **extra,
    }


@pytest.mark.parametrize("count", [101, 4000])
def test_an_error_lists_100_problems_then_counts_the_rest(count):
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(_rubric(**{f"junk{i:04d}": i for i in range(count)}))
    problems = raised.value.problems
    assert len(problems) == 101
    assert [p.path for p in problems[:3]] == ["junk0000", "junk0001", "junk0002"]
    assert (problems[-1].code, problems[-1].message) == (
        "too-many-problems",
        f"{count - 100} more problems not listed",
    )
    assert raised.value.text("en").splitlines()[0] == (
        f"<mapping> is not a valid rubric ({count} problems):"
    )
    assert str(raised.value).splitlines()[0] == f"<mapping> 的评分表有误（{count} 个问题）："


def test_exactly_100_problems_are_all_listed():
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(_rubric(**{f"junk{i:03d}": i for i in range(100)}))
    assert len(raised.value.problems) == 100
    assert "too-many-problems" not in {p.code for p in raised.value.problems}


def test_a_units_many_unknown_and_nested_problems_are_counted(huizhou, huizhou_inputs):
    huizhou_inputs.update({f"junk{i}": i for i in range(3000)})
    huizhou_inputs["budget_reasonableness"] = {f"x{i}": True for i in range(500)}
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.evaluate(huizhou, huizhou_inputs)
    problems = raised.value.problems
    assert len(problems) == 101 and problems[-1].code == "too-many-problems"
    listed = len(problems) - 1
    assert problems[-1].message == f"{3000 + 500 + 5 - listed} more problems not listed"


# -- extends reads only rubrics ----------------------------------------------------------------

BASE = """id: t/base
version: "1"
title: base
total: 4
indicators:
  - {id: a, name: 甲, points: 4, score: "4"}
"""


def _variant(folder, extends: str):
    path = folder / "variant.yaml"
    path.write_text(f'id: t/variant\nversion: "2"\nextends: {extends}\n', encoding="utf-8")
    return path


def _refusal(path) -> str:
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.file, problem.line) == ("variant-base", str(path), 3)
    return problem.message


@pytest.mark.parametrize(
    ("extends", "message"),
    [
        ("/dev/zero", "extends takes an id, or a path relative to the rubric's own folder"),
        ("/dev/stdin", "extends takes an id, or a path relative to the rubric's own folder"),
        ("/etc/passwd", "extends takes an id, or a path relative to the rubric's own folder"),
        ("/proc/self/status", "extends takes an id, or a path relative to the rubric's own folder"),
        ("~/base.yaml", "extends takes an id, or a path relative to the rubric's own folder"),
        ("../outside/base.yaml", "the file is outside the rubric's own folder"),
        ("./sub/../../outside/base.yaml", "the file is outside the rubric's own folder"),
        ("../../../../../../etc/passwd", "a rubric file ends in .yaml, .yml, .json"),
        ("out.yaml", "the file is outside the rubric's own folder"),  # a symlink out
        ("fifo.yaml", "not a file: a device, pipe or socket"),
        ("folder.yaml", "not a file: a folder"),
        ("missing.yaml", "No such file or directory"),
        ("huge.yaml", "larger than 1048576 bytes"),
    ],
)
def test_extends_reads_only_rubric_files_inside_the_rubrics_folder(tmp_path, extends, message):
    import os

    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "base.yaml").write_text(BASE, encoding="utf-8")
    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "out.yaml").symlink_to(tmp_path / "outside" / "base.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "folder.yaml").mkdir()
    (folder / "huge.yaml").write_text("a: " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    text = _refusal(_variant(folder, extends))
    assert text == f"cannot use {extends!r}: {message}" or text.startswith(
        f"cannot use {extends!r}: {message}"
    )
    assert "root:" not in text and "VmPeak" not in text  # nothing read is echoed


def test_extends_takes_a_file_inside_its_folder_and_a_symlink_that_stays_there(tmp_path):
    folder = tmp_path / "rubrics"
    (folder / "2020").mkdir(parents=True)
    (folder / "2020" / "base.yaml").write_text(BASE, encoding="utf-8")
    (folder / "link.yaml").symlink_to(folder / "2020" / "base.yaml")
    for extends in ("2020/base.yaml", "./2020/base.yaml", "link.yaml", "2020/../link.yaml"):
        rubric = rubriceng.load_rubric(_variant(folder, extends))
        assert (rubric.ref, rubric.extends) == ("t/variant@2", "t/base@1")


def test_a_mapping_extends_by_id_only():
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric({"id": "t/v", "version": "2", "extends": "base.yaml"})
    assert [p.message for p in raised.value.problems] == [
        "cannot use 'base.yaml': a rubric that is not a file extends by id "
        "(extends: <id>@<version>)"
    ]


@pytest.mark.parametrize("source", ["/dev/zero", "fifo", "folder"])
def test_inputs_and_rubrics_read_only_regular_files(tmp_path, source):
    import os

    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    path = source if source.startswith("/") else str(tmp_path / source)
    for loader, error in (
        (rubriceng.load_inputs, rubriceng.InputError),
        (rubriceng.load_rubric, rubriceng.RubricError),
    ):
        with pytest.raises(error) as raised:
            loader(path)
        assert [p.code for p in raised.value.problems] == ["document-not-a-file"]


# -- spreadsheets and tables are bounded before they are read ---------------------------------

_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
    '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dim}"/>'
    "<sheetData>{rows}</sheetData></worksheet>"
)
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
    'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas'
    '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
    'workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
    'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
    '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(path, rows: str, dim: str = "A1:XFD1048576", extra: dict | None = None):
    """A few-KB workbook written part by part, as an attacker would."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**_PARTS, **(extra or {})}.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", _SHEET.format(dim=dim, rows=rows))
    return path


_HEADER = '<row r="1">' + _cell("A1", "unit") + _cell("B1", "procurement_plan") + "</row>"
_UNIT = '<row r="2">' + _cell("A2", "甲") + _cell("B2", "5") + "</row>"


def _loaders(path):
    from rubriceng.outputs.spreadsheet import read_units

    return {
        "batch": lambda: read_units(path),
        "load_inputs": lambda: rubriceng.load_inputs(path),
        "load_sheets": lambda: rubriceng.load_sheets(path),
    }


def test_a_declared_extent_is_not_read(tmp_path):
    """XFD1048576 declared, two rows present: read as the two rows."""
    from rubriceng.outputs.spreadsheet import read_units

    path = _workbook(tmp_path / "declared.xlsx", _HEADER + _UNIT)
    assert path.stat().st_size < 5000
    (unit,) = read_units(path)
    assert (unit.unit, unit.inputs, unit.row) == ("甲", {"procurement_plan": "5"}, 2)


@pytest.mark.parametrize(
    ("rows", "message", "line"),
    [
        (
            _HEADER + '<row r="1048576">' + _cell("A1048576", "x") + "</row>",
            "sheet 'Sheet1' has more than 100000 rows",
            100_001,
        ),
        (
            _HEADER + '<row r="2">' + _cell("XFD2", "x") + "</row>",
            "sheet 'Sheet1' has a value beyond column 2000",
            2,
        ),
    ],
    ids=["far-row", "far-column"],
)
@pytest.mark.parametrize("reader", ["batch", "load_inputs", "load_sheets"])
def test_a_real_extent_beyond_the_limits_is_refused(tmp_path, rows, message, line, reader):
    path = _workbook(tmp_path / "far.xlsx", rows)
    with pytest.raises(rubriceng.InputError) as raised:
        _loaders(path)[reader]()
    assert [(p.code, p.message, p.file, p.line) for p in raised.value.problems] == [
        ("table-too-large", message, str(path), line)
    ]


def _broken(tmp_path, kind: str):
    real = _workbook(tmp_path / "real.xlsx", _HEADER + _UNIT)
    path = tmp_path / f"{kind}.xlsx"
    if kind == "truncated":
        path.write_bytes(real.read_bytes()[:700])
    elif kind == "not-a-zip":
        path.write_bytes(b"PK\x03\x04 this is not a workbook" * 10)
    elif kind == "text":
        path.write_text("unit,procurement_plan\n甲,5\n", encoding="utf-8")
    elif kind == "bad-xml":
        _workbook(path, "<row r='1'><c r='A1'", dim="A1")
    elif kind == "empty":
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize("kind", ["truncated", "not-a-zip", "text", "bad-xml", "empty"])
@pytest.mark.parametrize("reader", ["batch", "load_inputs", "load_sheets"])
def test_a_broken_workbook_is_a_located_input_error(tmp_path, kind, reader):
    path = _broken(tmp_path, kind)
    with pytest.raises(rubriceng.InputError) as raised:
        _loaders(path)[reader]()
    (problem,) = raised.value.problems
    assert problem.code == "input-form" and problem.file == str(path)
    assert problem.message.startswith(("not an Excel workbook", "sheet 'Sheet1' cannot be read"))


def _sheetless(tmp_path, kind: str):
    path = tmp_path / f"{kind}.xlsx"
    if kind == "no sheets listed":
        listing = _PARTS["xl/workbook.xml"].replace(
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>', ""
        )
    else:  # a sheet whose relationship is in no namespace openpyxl knows: not read
        listing = _PARTS["xl/workbook.xml"].replace('r:id="rId1"', 'x:id="rId1"')
        listing = listing.replace("<workbook ", '<workbook xmlns:x="urn:elsewhere" ')
    return _workbook(path, _HEADER + _UNIT, extra={"xl/workbook.xml": listing})


def _chart_only(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.create_chartsheet("图表")
    book.remove(book.worksheets[0])
    book.save(tmp_path / "chart.xlsx")
    return tmp_path / "chart.xlsx"


@pytest.mark.filterwarnings("ignore:File contains an invalid specification:UserWarning")
@pytest.mark.parametrize("kind", ["no sheets listed", "unlinked sheet", "charts only"])
@pytest.mark.parametrize(
    "reader", ["batch", "load_inputs", "load_sheets", "review", "intake", "import-table"]
)
def test_a_workbook_without_a_worksheet_is_a_located_input_error(tmp_path, kind, reader):
    from rubriceng.authoring.tableimport import import_table
    from rubriceng.cycle.intake import read_returns
    from rubriceng.cycle.review import load_changes

    path = _chart_only(tmp_path) if kind == "charts only" else _sheetless(tmp_path, kind)
    huizhou = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    read = {
        **_loaders(path),
        "review": lambda: load_changes(path),
        "intake": lambda: read_returns(huizhou, [path]),
        "import-table": lambda: import_table(path),
    }
    with pytest.raises(rubriceng.InputError) as raised:
        read[reader]()
    (problem,) = raised.value.problems
    assert (problem.code, problem.file) == ("input-form", str(path))
    if kind == "charts only":  # openpyxl cannot read it back: told as a file it cannot read
        assert problem.text("zh").startswith(f"{path}：不是可读取的 Excel 工作簿")
        return
    assert problem.text("zh") == (
        f"{path}：工作簿中没有工作表（只有图表，或文件已损坏） [input-form]"
    )
    assert problem.text("en") == f"{path}: the workbook has no worksheet [input-form]"


_EXTENSION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.'
    'microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="0"/></ext>'
    "</extLst></worksheet>"
)


def test_the_command_line_prints_no_warning_of_openpyxls(tmp_path):
    """What openpyxl warns of in English (an Excel extension it drops, a defined name of a
    sheet it cannot find) is not for the user: the form is scored, and a workbook with no
    sheet is told in Chinese, with no other word."""
    import warnings
    import zipfile

    from click.testing import CliRunner

    from rubriceng.cli import main

    form = tmp_path / "form.xlsx"
    assert CliRunner().invoke(main, ["template", str(HUIZHOU), "-o", str(form)]).exit_code == 0
    filled = tmp_path / "filled.xlsx"
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(filled, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":  # as Excel writes a list from another sheet
                data = data.replace(b"</worksheet>", _EXTENSION.encode())
            target.writestr(name, data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rubriceng.load_inputs(filled)
    assert any("extension is not supported" in str(found.message) for found in caught)
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(filled)])
    assert result.exit_code == 1, result.output  # the template is blank: inputs missing
    assert "Warning" not in result.output and "openpyxl" not in result.output
    assert result.output.startswith("错误：")
    broken = _sheetless(tmp_path, "unlinked sheet")
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(broken)])
    assert result.output.splitlines() == [
        f"错误：{broken} 的填报数据有误（1 个问题）：",
        f"  - {broken}：工作簿中没有工作表（只有图表，或文件已损坏） [input-form]",
    ]


def _archive(path, parts):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def _word_document(path):
    import docx

    document = docx.Document()
    document.add_paragraph("绩效目标申报表")
    document.save(path)
    return path


@pytest.mark.parametrize(
    ("make", "chinese"),
    [
        (
            lambda path: _archive(path, {"word/document.xml": "<w/>"}),
            "不是 Excel 工作簿：压缩包中没有 '[Content_Types].xml'"
            "（不是 Excel 保存的 .xlsx 文件？）",
        ),
        (
            lambda path: _archive(path, {"[Content_Types].xml": "<Types/>"}),
            "不是 Excel 工作簿：文件中没有工作簿（是改了后缀的 Word 文档或别的压缩包？）",
        ),
        (
            _word_document,
            "不是 Excel 工作簿：文件中没有工作簿（是改了后缀的 Word 文档或别的压缩包？）",
        ),
        (
            lambda path: _workbook(path, "", extra={"xl/workbook.xml": "<workbook"}),
            "不是可读取的 Excel 工作簿（文件可能已损坏），读取时的原文：",
        ),
    ],
    ids=["no content types", "no workbook part", "a word document", "bad workbook xml"],
)
def test_an_archive_that_is_no_workbook_is_told_why_in_chinese(tmp_path, make, chinese):
    """The reader's English is explained in Chinese first (and quoted only where it is
    not one of the usual ways a file is not a workbook)."""
    path = make(tmp_path / "表.xlsx")
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.load_inputs(path)
    (problem,) = raised.value.problems
    told = problem.text("zh")
    assert told.startswith(f"{path}：{chinese}"), told
    if not chinese.endswith("原文："):
        assert told == f"{path}：{chinese} [input-form]"


@pytest.mark.parametrize("depth", [300, 5000])
@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_a_word_document_nested_past_the_parsers_limit_is_told_in_the_users_words(
    tmp_path, depth, part
):
    """lxml stops at 256 levels and says so with advice for programmers
    (``use XML_PARSE_HUGE option``): told as what it is, in either language."""
    import zipfile

    import docx

    from rubriceng.authoring.tableimport import import_table

    plain = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_table(rows=2, cols=2)
    document.save(plain)
    path = tmp_path / "评分表.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == part:
                opening = data.index(b">", data.index(b"<w:", data.index(b"?>") + 2)) + 1
                nested = b"<w:sdt><w:sdtContent>" * depth + b"</w:sdtContent></w:sdt>" * depth
                data = data[:opening] + nested + data[opening:]
            target.writestr(name, data)
    with pytest.raises(rubriceng.InputError) as raised:
        import_table(path)
    (problem,) = raised.value.problems
    assert problem.text("zh") == (
        f"{path}：不是可读取的 Word 文档：XML 元素嵌套超过 256 层（文件已损坏，或不是 Word 保存的）"
        " [input-form]"
    )
    assert problem.text("en") == (
        f"{path}: not a Word document: its XML nests more than 256 elements deep [input-form]"
    )


def test_a_workbook_given_as_a_word_document_is_told_so_without_an_address(tmp_path):
    from rubriceng.inputs.files import open_docx

    path = tmp_path / "申报表.docx"
    path.write_bytes(_workbook(tmp_path / "x.xlsx", _HEADER).read_bytes())
    with pytest.raises(rubriceng.InputError) as raised:
        open_docx(path, "targets")
    (problem,) = raised.value.problems
    assert problem.message == (
        "not a Word document: file '申报表.docx' is not a Word file, content type is "
        "'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'"
    )
    assert problem.text("zh") == (
        f"{path}：不是 Word 文档：'申报表.docx' 的内容类型是 "
        "'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'"
        "（是改了后缀的 Excel 工作簿或别的文件？） [input-form]"
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    from rubriceng.inputs import files as tablefiles

    monkeypatch.setattr(tablefiles, "MAX_UNPACKED_BYTES", 1024 * 1024)
    path = _workbook(tmp_path / "bomb.xlsx", _HEADER, extra={"xl/media/x.bin": "0" * 2_000_000})
    for reader in ("batch", "load_inputs", "load_sheets"):
        with pytest.raises(rubriceng.InputError) as raised:
            _loaders(path)[reader]()
        assert [p.code for p in raised.value.problems] == ["table-too-large"]


def test_a_csv_with_a_200_kb_field_is_a_located_error(tmp_path):
    from rubriceng.outputs.spreadsheet import read_units

    path = tmp_path / "units.csv"
    path.write_text("unit,note\n甲,ok\n乙," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(rubriceng.InputError) as raised:
        read_units(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.file, problem.line) == ("input-form", str(path), 3)
    assert problem.message == "not a CSV table: field larger than field limit (131072)"
    assert problem.text("zh") == f"{path}:3：不是 CSV 表格：单元格超过 131072 个字符 [input-form]"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_a_csv_in_utf8_or_as_excel_writes_it_on_chinese_windows_is_read(tmp_path, encoding):
    from rubriceng.outputs.spreadsheet import read_units

    path = tmp_path / "units.csv"
    path.write_bytes("unit,procurement_plan\n惠州市人民政府办公室,1331100\n".encode(encoding))
    (unit,) = read_units(path)
    assert (unit.unit, unit.inputs) == ("惠州市人民政府办公室", {"procurement_plan": "1331100"})


_UNITS = "unit,procurement_plan\n惠州市人民政府办公室,1331100\n惠州市财政局,5\n"


@pytest.mark.parametrize(
    "bad",
    ["财".encode()[:2], b"\xe9", b"\xa0", b"\xff"],
    ids=["a character cut short", "latin-1", "a stray continuation byte", "ff"],
)
def test_utf8_with_a_bad_byte_is_refused_not_read_as_gb18030(tmp_path, bad):
    """GB18030 reads a third of such files without a word, every Chinese character
    another (政府 as 鏀垮簻): the unit names would go into the results garbled."""
    from rubriceng.outputs.spreadsheet import read_units

    path = tmp_path / "units.csv"
    data = _UNITS.encode()
    at = data.index("财".encode())
    path.write_bytes(data[:at] + bad + data[at:])
    with pytest.raises(rubriceng.InputError) as raised:
        read_units(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.line) == ("document-encoding", 3)
    assert problem.message == "UTF-8 text with a byte that is not UTF-8 (byte 71)"
    assert problem.text("zh") == (
        f"{path}:3：UTF-8 编码的文本中有不是 UTF-8 的字节（第 71 个字节）：按 GB18030 读会把"
        "每个汉字读成别的字，故不读；请在原程序中另存为「CSV UTF-8」 [document-encoding]"
    )


def test_bytes_in_no_encoding_are_refused_where_they_are(tmp_path):
    from rubriceng.outputs.spreadsheet import read_units

    path = tmp_path / "units.csv"
    path.write_bytes("unit,procurement_plan\n甲,1\n".encode("gb18030") + b"\x81\x20,2\n")
    with pytest.raises(rubriceng.InputError) as raised:
        read_units(path)
    (problem,) = raised.value.problems
    assert (problem.line, problem.message) == (3, "neither UTF-8 nor GB18030 text (byte 28)")
    assert problem.text("zh").endswith(
        "既不是 UTF-8 也不是 GB18030 编码的文本（第 28 个字节） [document-encoding]"
    )


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-16", "\t"), ("utf-16-be", "\t"), ("utf-16", ","), ("utf-8", "\t"), ("gb18030", "\t")],
)
def test_excels_unicode_text_and_tab_separated_tables_are_read(tmp_path, encoding, separator):
    """Excel's 「Unicode 文本」 is UTF-16 with a byte order mark, separated by tabs."""
    from rubriceng.outputs.spreadsheet import read_units

    text = _UNITS.replace(",", separator)
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path = tmp_path / "units.csv"
    path.write_bytes(data)
    assert [(unit.unit, unit.inputs) for unit in read_units(path)] == [
        ("惠州市人民政府办公室", {"procurement_plan": "1331100"}),
        ("惠州市财政局", {"procurement_plan": "5"}),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gb18030"])
def test_a_table_separated_by_semicolons_is_refused_with_how_to_save_it(tmp_path, encoding):
    """Excel where the decimal mark is a comma separates by semicolons, and writes 1.234 as
    1,234, which a comma-reading table would take for 1234: refused, never guessed."""
    from rubriceng.cycle.roster import read_roster
    from rubriceng.outputs.spreadsheet import read_units

    path = tmp_path / "units.csv"
    path.write_bytes("unit;procurement_plan\n甲;1,234\n".encode(encoding))
    with pytest.raises(rubriceng.InputError) as raised:
        read_units(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.line) == ("input-form", 1)
    assert (
        problem.said("zh") == "各值以分号分隔（小数点为逗号的 Excel 所存）：请另存为逗号分隔的 CSV"
    )
    path.write_bytes("unit,procurement_plan\n甲;乙,1234\n".encode(encoding))  # names may hold one
    assert [unit.unit for unit in read_units(path)] == ["甲;乙"]
    roster = tmp_path / "名单.csv"  # one column, its first name with a semicolon
    roster.write_bytes("某局;某处\n财政局\n".encode(encoding))
    assert read_roster(roster).units == ("某局;某处", "财政局")


@pytest.mark.parametrize("size", [5, 6])
def test_rows_beyond_the_limit_are_refused_in_csv_and_xlsx(tmp_path, monkeypatch, size):
    from rubriceng.inputs import files as tablefiles
    from rubriceng.outputs.spreadsheet import read_units

    monkeypatch.setattr(tablefiles, "MAX_ROWS", 5)
    csv_path = tmp_path / "units.csv"
    csv_path.write_text("unit,a\n" + "".join(f"u{i},1\n" for i in range(size - 1)), "utf-8")
    rows = "".join(
        f'<row r="{i}">' + _cell(f"A{i}", f"u{i}") + "</row>" for i in range(1, size + 1)
    )
    xlsx_path = _workbook(tmp_path / "units.xlsx", rows)
    for path in (csv_path, xlsx_path):
        if size <= 5:
            assert len(read_units(path)) == size - 1
        else:
            with pytest.raises(rubriceng.InputError) as raised:
                read_units(path)
            assert [(p.code, p.line) for p in raised.value.problems] == [("table-too-large", 6)]


@pytest.mark.parametrize("content", [b"PAR1 broken", b"", b"PAR1" + b"\x00" * 64 + b"PAR1"])
def test_a_broken_parquet_file_is_a_located_input_error(tmp_path, content):
    from rubriceng.outputs.spreadsheet import read_units

    path = tmp_path / "units.parquet"
    path.write_bytes(content)
    with pytest.raises(rubriceng.InputError) as raised:
        read_units(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.file) == ("input-form", str(path))
    assert problem.message.startswith("not a parquet table")


def test_a_parquet_file_beyond_the_limits_is_refused_from_its_metadata(tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    import pyarrow
    import pyarrow.parquet

    from rubriceng.inputs import files as tablefiles
    from rubriceng.outputs.spreadsheet import read_units

    path = tmp_path / "units.parquet"
    pyarrow.parquet.write_table(pyarrow.table({"unit": [f"u{i}" for i in range(10)]}), path)
    assert len(read_units(path)) == 10
    monkeypatch.setattr(tablefiles, "MAX_ROWS", 9)
    with pytest.raises(rubriceng.InputError) as raised:
        read_units(path)
    assert [p.message for p in raised.value.problems] == [
        "10 rows of 1 columns: at most 9 rows of 2000 columns"
    ]


def test_the_batch_command_reports_a_broken_table_without_a_traceback(tmp_path):
    from click.testing import CliRunner

    from rubriceng.cli import main
    from tests.conftest import HUIZHOU

    path = _broken(tmp_path, "truncated")
    out = tmp_path / "scores.xlsx"
    result = CliRunner().invoke(main, ["batch", str(HUIZHOU), str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith(
        f"错误：{path} 的填报数据有误（1 个问题）：\n  - {path}：不是 Excel 工作簿："
    )


# -- nothing non-finite is ever a score -----------------------------------------------------------


def _one(score: str) -> rubriceng.Rubric:
    return rubriceng.load_rubric(
        {
            "id": "t",
            "version": "1",
            "title": "t",
            "total": 10,
            "inputs": {"a": {"type": "number"}, "b": {"type": "number"}},
            "indicators": [{"id": "x", "name": "x", "points": 10, "score": score}],
        }
    )


@pytest.mark.parametrize(
    "formula",
    [
        "1 / (a - b)",
        "min(10, (a - b) ** -1)",
        "min(10, (a - b) ** -3)",
        "max(0, (a - b) ** -2)",
        "a // (a - b)",
        "a % (a - b)",
        "(a - b) / (a - b)",
        "min(10, div(1, a - b, 1) / (a - b))",
        "10 if (a - b) ** -1 > 0 else 0",
        "min(10, 1 / (a - b) - 1 / (a - b))",
    ],
)
def test_every_division_by_zero_fails_alike_on_rows_and_columns(formula):
    rubric = _one(formula)
    with pytest.raises(rubriceng.EvaluationError) as raised:
        rubriceng.evaluate(rubric, {"a": 3, "b": 3})
    (problem,) = raised.value.problems
    assert (problem.code, problem.message) == ("formula-failed", f"{formula}: division by zero")
    table = rubriceng.evaluate_table(rubric, {"a": [3, 5], "b": [3, 4]}, errors="collect")
    assert [(f.unit, [(p.code, p.message) for p in f.error.problems]) for f in table.failures] == [
        ("1", [(problem.code, problem.message)])
    ]


@pytest.mark.parametrize("exponent", ["0.5", "-0.5", "1.5", "1e-3"])
def test_a_fractional_power_has_no_exact_value_and_is_refused_when_the_rubric_loads(exponent):
    """Refused for every unit (4 ** 0.5 too): the author hears of it at ``check`` time."""
    formula = f"min(10, a ** {exponent})"
    with pytest.raises(rubriceng.RubricError) as raised:
        _one(formula)
    assert [(p.code, p.message) for p in raised.value.problems] == [
        (
            "formula-forbidden",
            "the exponent of ** must be a whole number written in the formula, at most 100",
        )
    ]
    assert (
        raised.value.problems[0]
        .text("zh")
        .startswith("<mapping> indicators[0].score：** 的指数应为公式中写明的整数，至多 100")
    )


@pytest.mark.parametrize("exponent", ["2.0", "-1", "3"])
def test_a_whole_power_written_as_any_number_is_exact(exponent):
    total = rubriceng.evaluate(_one(f"min(10, a ** {exponent})"), {"a": 2, "b": 0}).total
    assert total == {"2.0": Decimal("4.00"), "-1": Decimal("0.50"), "3": Decimal("8.00")}[exponent]


_HUGE = " * ".join(["1000000000000000000"] * 18)  # 10 ** 324: beyond a float


@pytest.mark.parametrize(
    ("formula", "total"),
    [
        (f"min(10, a * {_HUGE})", "10.00"),  # overflows to inf in floats
        (f"min(10, a * {_HUGE} - a * {_HUGE})", "0.00"),  # inf − inf is NaN in floats
        (f"10 if a * {_HUGE} > b * {_HUGE} else 0", "0.00"),  # NaN compares false
        (f"max(0, 10 - a * {_HUGE} / (b * {_HUGE}))", "9.60"),
    ],
)
def test_the_column_path_never_decides_from_an_overflow_or_a_nan(formula, total):
    rubric = _one(formula)
    row = rubriceng.evaluate(rubric, {"a": 4, "b": 10}).total
    (column,) = rubriceng.evaluate_table(rubric, {"a": [4], "b": [10]}).totals()
    assert str(row) == str(column) == total


# -- plugins are contained completely ------------------------------------------------------


class _Custom(BaseException):
    """A plugin's own BaseException."""


_RAISES = {
    "SystemExit": SystemExit(3),
    "GeneratorExit": GeneratorExit(),
    "custom BaseException": _Custom("mine"),
    "ValueError": ValueError("bad"),
}


def _raiser(error: BaseException):
    def function(*args: object) -> object:
        raise error

    return function


class _Raising(Scorer):
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def score(self, context: Context) -> Scored:
        raise self.error


def _plugin(error: BaseException) -> object:
    class Plugin:
        @hookimpl
        def rubriceng_formula_functions(self) -> dict[str, object]:
            return {"boom": _raiser(error)}

        @hookimpl
        def rubriceng_scoring_methods(self) -> list[Method]:
            return [Method("explode", {"type": "boolean"}, lambda spec, cc: _Raising(error))]

        @hookimpl
        def rubriceng_renderers(self) -> list[Renderer]:
            return [Renderer("bang", _raiser(error))]

    return Plugin()


def _contained_rubric(registry: Registry) -> rubriceng.Rubric:
    return registry.load_rubric(
        {
            "id": "t",
            "version": "1",
            "title": "t",
            "total": 20,
            "inputs": {"x": {"type": "number"}},
            "indicators": [
                {"id": "f", "name": "函数", "points": 10, "score": "min(10, boom(x))"},
                {"id": "m", "name": "方法", "points": 10, "explode": True},
            ],
        }
    )


@pytest.mark.parametrize("kind", list(_RAISES))
def test_whatever_a_plugin_raises_is_a_located_plugin_failure(kind):
    registry = Registry(entry_points=False)
    registry.register(_plugin(_RAISES[kind]), name="wild")
    rubric = _contained_rubric(registry)
    with pytest.raises(rubriceng.EvaluationError) as raised:
        rubriceng.evaluate(rubric, {"x": 1})
    assert [(p.code, p.indicator) for p in raised.value.problems] == [
        ("plugin-failed", "f"),
        ("plugin-failed", "m"),
    ]
    assert kind.split()[0] in raised.value.problems[1].message or kind == "custom BaseException"
    result = rubriceng.load_rubric(make_small()).indicators  # the registry is still usable
    assert result
    with pytest.raises(rubriceng.PluginError) as rendered:
        registry.render(rubriceng.evaluate(registry.load_rubric(make_small()), {}), "bang")
    assert [p.code for p in rendered.value.problems] == ["plugin-failed"]


def make_small() -> dict[str, object]:
    return {
        "id": "s",
        "version": "1",
        "title": "s",
        "total": 1,
        "indicators": [{"id": "a", "name": "甲", "points": 1, "score": "1"}],
    }


def test_a_keyboard_interrupt_from_the_user_still_stops_the_program():
    registry = Registry(entry_points=False)
    registry.register(_plugin(KeyboardInterrupt()), name="wild")
    with pytest.raises(KeyboardInterrupt):
        rubriceng.evaluate(_contained_rubric(registry), {"x": 1})


@pytest.mark.parametrize("kind", list(_RAISES))
def test_a_hook_whose_generator_raises_part_way_is_a_recorded_failure(kind):
    error = _RAISES[kind]

    class Lazy:
        @hookimpl
        def rubriceng_rubrics(self):
            yield make_small()
            raise error

        @hookimpl
        def rubriceng_formula_functions(self):
            class Mapping(dict):  # a mapping that fails as it is read
                def items(self):
                    raise error

            return Mapping(x=abs)

    registry = Registry(entry_points=False)
    registry.register(Lazy(), name="lazy")
    failures = [(f.plugin, f.hook) for f in registry.failures]
    assert ("lazy", "rubriceng_rubrics") in failures
    assert ("lazy", "rubriceng_formula_functions") in failures


@pytest.mark.parametrize("kind", list(_RAISES))
def test_an_entry_point_that_raises_on_import_is_one_recorded_failure(kind, monkeypatch):
    import importlib.metadata

    from click.testing import CliRunner

    from rubriceng.cli import main
    from rubriceng.host.registry import default_registry

    error = _RAISES[kind]

    class Point:
        name, value, group, dist = "wild", "wild:plugin", "rubriceng", None

        def load(self):
            raise error

    real = importlib.metadata.entry_points

    def points(**select):
        found = list(real(**select))
        return [*found, Point()] if select.get("group") == "rubriceng" else found

    monkeypatch.setattr(importlib.metadata, "entry_points", points)
    registry = Registry()
    assert [(f.plugin, f.hook) for f in registry.failures] == [("wild", "import")]
    monkeypatch.setattr("rubriceng.host.registry._DEFAULT", None)
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    assert "cn.gd.huizhou/dept-overall@2020" in result.output
    default_registry.__globals__["_DEFAULT"] = None


def test_a_plugin_function_gets_tuples_and_cannot_change_another_indicators_list():
    def grab(values):
        assert isinstance(values, tuple)
        return sum(values)

    class Greedy:
        @hookimpl
        def rubriceng_formula_functions(self):
            return {"grab": grab, "spoil": lambda values: values.append(99) or 0}

    registry = Registry(entry_points=False)
    registry.register(Greedy(), name="greedy")
    rubric = registry.load_rubric(
        {
            "id": "t",
            "version": "1",
            "title": "t",
            "total": 10,
            "inputs": {"xs": {"type": "list", "items": "number"}},
            "indicators": [
                {"id": "a", "name": "甲", "points": 5, "score": "min(5, spoil(xs))"},
                {"id": "b", "name": "乙", "points": 5, "score": "min(5, grab(xs))"},
            ],
        }
    )
    with pytest.raises(rubriceng.EvaluationError) as raised:
        rubriceng.evaluate(rubric, {"xs": [1, 0.02]})
    assert [(p.indicator, p.code) for p in raised.value.problems] == [("a", "plugin-failed")]
    assert "AttributeError" in raised.value.problems[0].message  # tuples have no append
    # b on its own sees the list as the unit gave it
    only_b = registry.load_rubric(
        {
            "id": "t2",
            "version": "1",
            "title": "t",
            "total": 5,
            "inputs": {"xs": {"type": "list", "items": "number"}},
            "indicators": [{"id": "b", "name": "乙", "points": 5, "score": "min(5, grab(xs))"}],
        }
    )
    assert str(rubriceng.evaluate(only_b, {"xs": [1, 0.02]}).total) == "1.02"


def test_a_plugin_scorer_that_changes_its_inputs_changes_no_other_indicator():
    class Spoiler(Scorer):
        def score(self, context: Context) -> Scored:
            context.names["xs"].append(4)  # a copy
            return Scored(Decimal(0))

    class Plugin:
        @hookimpl
        def rubriceng_scoring_methods(self):
            return [Method("spoil", {"type": "boolean"}, lambda spec, cc: Spoiler())]

    registry = Registry(entry_points=False)
    registry.register(Plugin(), name="spoiler")
    rubric = registry.load_rubric(
        {
            "id": "t",
            "version": "1",
            "title": "t",
            "total": 10,
            "inputs": {"xs": {"type": "list", "items": "number"}},
            "indicators": [
                {"id": "a", "name": "甲", "points": 5, "spoil": True},
                {"id": "b", "name": "乙", "points": 5, "score": "min(5, sum(xs))"},
            ],
        }
    )
    result = rubriceng.evaluate(rubric, {"xs": [1, 0.02]})
    assert str(result.indicator("b").score) == "1.02"


# -- the caller's decimal context never matters ---------------------------------------------


HOSTILE_CONTEXTS = {
    "prec=3": {"prec": 3},
    "Emax=20, clamp=1": {"Emax": 20, "clamp": 1},
    "traps Inexact and Rounded": {"traps": None},
    "ROUND_FLOOR, prec=5": {"rounding": "ROUND_FLOOR", "prec": 5},
}


def _context(name: str):
    settings = dict(HOSTILE_CONTEXTS[name])
    if "traps" in settings:
        settings["traps"] = [decimal.Inexact, decimal.Rounded, decimal.InvalidOperation]
    if "rounding" in settings:
        settings["rounding"] = getattr(decimal, settings["rounding"])
    return decimal.Context(**settings)


def _everything(huizhou_path, unit_path, tmp_path) -> list[object]:
    rubric = rubriceng.load_rubric(huizhou_path)
    found = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    unit = rubriceng.load_inputs(unit_path)
    result = rubriceng.evaluate(rubric, unit.inputs, unit=unit.unit)
    write_result(result, tmp_path / "r.xlsx", rubric=rubric, inputs=unit.inputs)
    columns = {key: [value] for key, value in flatten(unit.inputs).items()}
    table = rubriceng.evaluate_table(rubric, columns)
    return [
        result.total,
        found.total,
        result.to_dict(),
        render_text(result),
        render_markdown(result, rubric),
        render_html(result, rubric),
        rubriceng.explain(result, "procurement_rate", rubric),
        rubriceng.explain(result, "budget_reasonableness", rubric, "en"),
        rubriceng.inputs_schema(rubric),
        table.totals(),
        rubriceng.judge(rubriceng.parse_target("≥95%"), "93.5%").completion,
        rubriceng.load_inputs(tmp_path / "r.xlsx").inputs,
    ]


@pytest.mark.parametrize("name", list(HOSTILE_CONTEXTS))
def test_the_callers_decimal_context_changes_nothing(name, tmp_path):
    expected = _everything(HUIZHOU, HUIZHOU_UNIT, tmp_path)
    with decimal.localcontext(_context(name)):
        got = _everything(HUIZHOU, HUIZHOU_UNIT, tmp_path)
        assert decimal.getcontext().prec == _context(name).prec  # the caller's, restored
    assert got == expected
    assert expected[0] == Decimal("97.86")


def test_a_plugin_that_changes_the_context_changes_no_later_score():
    def careless(value):
        decimal.getcontext().prec = 2
        decimal.getcontext().rounding = decimal.ROUND_FLOOR
        return value

    class Plugin:
        @hookimpl
        def rubriceng_formula_functions(self):
            return {"careless": careless}

    registry = Registry(entry_points=False)
    registry.register(Plugin(), name="careless")
    rubric = registry.load_rubric(
        {
            "id": "t",
            "version": "1",
            "title": "t",
            "total": 10,
            "inputs": {"a": {"type": "number"}, "b": {"type": "number"}},
            "indicators": [
                {"id": "p", "name": "甲", "points": 5, "score": "min(5, careless(a))"},
                {"id": "q", "name": "乙", "points": 5, "score": "5 * a / b"},
            ],
        }
    )
    units = [{"a": 1, "b": 2.03}, {"a": 1, "b": 2.03}]
    scores = [str(r.indicator("q").score) for r in rubriceng.evaluate_many(rubric, units)]
    assert scores == ["2.46", "2.46"]


# -- no formula and no control character in any output -------------------------------------

HOSTILE_TEXTS = [
    '=HYPERLINK("http://example.invalid","点我")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "单位\u202e乙甲\u2066丙\u2069\u2028行",  # shown in another order, or broken
    "单位\ufffe乙\uffff甲\ud800",  # what no XML file may hold (a Word or Excel file failed)
    "单位\x1b[31m红\x1b[0m\x07",
]
_UNPRINTABLE = (
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)


def _hostile_units(huizhou_inputs, count: int = len(HOSTILE_TEXTS)) -> dict[str, dict]:
    units = {}
    for index, text in enumerate(HOSTILE_TEXTS[:count]):
        inputs = dict(huizhou_inputs)
        inputs["satisfaction"] = {"score": 3, "reason": text}
        units[f"{text}{index}"] = inputs
    return units


def _workbook_cells(path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def _assert_inert(cells) -> None:
    import re

    assert cells
    for cell in cells:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        assert not re.search(_UNPRINTABLE, cell.value), cell.value


def test_score_xlsx_writes_every_hostile_text_as_inert_text(huizhou, huizhou_inputs, tmp_path):
    for name, inputs in _hostile_units(huizhou_inputs).items():
        result = rubriceng.evaluate(huizhou, inputs, unit=name)
        path = tmp_path / "result.xlsx"
        write_result(result, path, rubric=huizhou, inputs=inputs)
        cells = _workbook_cells(path)
        _assert_inert(cells)
        texts = {cell.value for cell in cells}
        assert any(
            name.startswith(("=", "+", "-", "@")) and name in text for text in texts
        ) or not name.startswith(("=", "+", "-", "@"))
        again = rubriceng.load_inputs(path)  # the inputs sheet still scores the same
        assert rubriceng.evaluate(huizhou, again.inputs).total == result.total


def test_batch_outputs_write_hostile_texts_as_inert_text(huizhou, huizhou_inputs, tmp_path):
    import csv

    from rubriceng.outputs.spreadsheet import write_batch

    units = _hostile_units(huizhou_inputs)
    units["=bad()"] = {**huizhou_inputs, "procurement_plan": "=1+1"}  # fails: a failure row
    batch = rubriceng.evaluate_many(huizhou, units, errors="collect")
    assert len(batch.failures) == 1
    path = tmp_path / "scores.xlsx"
    write_batch(huizhou, batch, path)
    _assert_inert(_workbook_cells(path))
    from rubriceng.cycle.summary import write_scores, write_summary

    path = tmp_path / "summary.xlsx"
    write_summary(huizhou, batch, path)
    _assert_inert(_workbook_cells(path))
    out = tmp_path / "scores.csv"
    write_scores(huizhou, batch, out)
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    names = [row[0] for row in rows[1:]]
    assert all(not name.startswith(("=", "+", "-", "@", "\t", "\r")) for name in names)
    assert names[0] == "'" + HOSTILE_TEXTS[0] + "0"
    assert "\\x1b[31m" in names[-1]


def test_text_and_markdown_carry_no_control_sequence_and_no_html(huizhou, huizhou_inputs):
    import re

    unit = "甲<script>alert(1)</script>\x1b[2J\u202e乙"
    result = rubriceng.evaluate(huizhou, huizhou_inputs, unit=unit)
    text, markdown = render_text(result), render_markdown(result, huizhou)
    assert "\x1b" not in text and "\\x1b[2J\\u202e乙" in text
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert not re.search(_UNPRINTABLE, text + markdown)


def test_the_command_line_prints_no_control_sequence(tmp_path):
    from click.testing import CliRunner

    from rubriceng.cli import main

    unit = tmp_path / "unit.yaml"
    unit.write_text(
        HUIZHOU_UNIT.read_text(encoding="utf-8").replace(
            "unit: 惠州市人民政府办公室", 'unit: "办公室\\e[31m\\a"'
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(unit)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "办公室\\x1b[31m\\x07" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text('unit: "\\e]0;owned\\a"\ninputs: {nonsense: 1}\n', encoding="utf-8")
    failed = CliRunner().invoke(main, ["score", str(HUIZHOU), str(bad)])
    assert failed.exit_code == 1 and "\x1b" not in failed.output


@pytest.mark.parametrize("raw", ["-0.001", "-0.004", "-0", "-0.00"])
def test_a_score_never_prints_as_minus_zero(raw):
    from rubriceng.language.model import Rounding

    rounded = Rounding().apply(Decimal(raw))
    assert str(rounded) == "0.00"
    assert str(Rounding(0).apply(Decimal("-0.4"))) == "0"


def test_the_html_report_carries_no_control_character_and_no_markup(huizhou, huizhou_inputs):
    huizhou_inputs["satisfaction"] = {"score": 3, "reason": "<img src=x onerror=alert(1)>\x1b"}
    result = rubriceng.evaluate(huizhou, huizhou_inputs, unit="<script>甲</script>\x07\u202e")
    page = render_html(result, huizhou)
    assert "<script>甲" not in page and "<img src=x" not in page
    assert "\x1b" not in page and "\x07" not in page and "\u202e" not in page
    assert "&lt;script&gt;甲&lt;/script&gt;\\x07\\u202e" in page


@pytest.mark.parametrize("name", ["a/b", "项目[一]", "x:y*z?", "\x1b[31m项目", "很" * 40])
def test_a_target_sheet_of_any_name_is_written(tmp_path, name):
    import openpyxl

    from rubriceng.targets import TargetSheet, write_xlsx

    sheet = TargetSheet(name=name, kind="project", unit="=1+1")
    path = tmp_path / "targets.xlsx"
    write_xlsx([sheet], path)
    _assert_inert(_workbook_cells(path))
    (title,) = openpyxl.load_workbook(path).sheetnames
    assert len(title) <= 31 and not set(title) & set("[]:*?/\\\x1b")


# -- one bad file never hides the others ----------------------------------------------------

GOOD = """id: t/good
version: "1"
title: good
total: 1
indicators: [{id: a, name: 甲, points: 1, score: "1"}]
"""


@pytest.mark.parametrize(
    "bad",
    [
        GOOD.replace("t/good", "t/bad") + "in_force: {from: 99999999999999999999}\n",
        GOOD.replace("t/good", "t/bad") + "in_force: {from: '9999-99-99'}\n",
        GOOD.replace("t/good", "t/bad") + "in_force: {from: [2020]}\n",
        GOOD.replace("t/good", "t/bad") + "in_force: {until: -99999999999999999999}\n",
        GOOD.replace("t/good", "t/bad").replace('version: "1"', "version: [1]"),
        "id: t/bad\nversion: 1\n  title: x: y\n",
        "\udcff".encode("utf-8", "surrogateescape").decode("latin-1") + "id: t/bad\n",
    ],
    ids=["huge-year", "bad-date", "list-date", "huge-until", "list-version", "syntax", "not-utf8"],
)
def test_a_bad_file_is_reported_alone_and_hides_no_other_rubric(tmp_path, monkeypatch, bad):
    from click.testing import CliRunner

    from rubriceng.cli import main

    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "bad.yaml").write_bytes(
        bad.encode("latin-1", "replace") if "\xff" in bad else bad.encode("utf-8")
    )
    registry = Registry(entry_points=False, search_path=[folder])
    assert [entry.ref for entry in registry.rubrics()] == [
        "cn/dept-overall-framework@2020",
        "cn/project-self-evaluation@2020",
        "t/good@1",
    ]
    assert registry.find("t/good").ref == "t/good@1"
    (failure,) = registry.failures
    assert str(folder / "bad.yaml") in failure.message
    monkeypatch.setenv("RUBRICENG_PATH", str(folder))
    monkeypatch.setattr("rubriceng.host.registry._DEFAULT", None)
    listed = CliRunner().invoke(main, ["list"])
    assert listed.exit_code == 0, listed.output
    assert "t/good@1" in listed.output
    assert f"警告：插件 'RUBRICENG_PATH'（rubriceng_rubrics）：{folder / 'bad.yaml'}" in (
        listed.output
    )
    monkeypatch.setattr("rubriceng.host.registry._DEFAULT", None)
    english = CliRunner().invoke(main, ["--lang", "en", "list"])
    assert f"warning: plugin 'RUBRICENG_PATH' (rubriceng_rubrics): {folder / 'bad.yaml'}" in (
        english.output
    )
    monkeypatch.setattr("rubriceng.host.registry._DEFAULT", None)
    strict = CliRunner().invoke(main, ["--strict", "list"])
    assert strict.exit_code == 1
    monkeypatch.setattr("rubriceng.host.registry._DEFAULT", None)


@pytest.mark.parametrize(
    "odd",
    [
        "level: [1, 2]\n",
        "level: {a: 1}\n",
        "level: true\n",
        "region: {name: [x], code: {a: 1}}\n",
        "region: {name: 7, code: true}\n",
        "region: [441300]\n",
    ],
    ids=["list-level", "mapping-level", "true-level", "odd-region", "number-name", "list-region"],
)
def test_a_rubric_of_odd_labels_is_listed_and_its_check_says_why(tmp_path, monkeypatch, odd):
    """A level or region that is not text is shown as nothing by ``rubriceng list`` (which
    stopped on it, before), and the rubric's own check says what is wrong."""
    from click.testing import CliRunner

    from rubriceng.cli import main

    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "odd.yaml").write_text(GOOD.replace("t/good", "t/odd") + odd, encoding="utf-8")
    monkeypatch.setenv("RUBRICENG_PATH", str(folder))
    monkeypatch.setattr("rubriceng.host.registry._DEFAULT", None)
    listed = CliRunner().invoke(main, ["list"])
    assert listed.exit_code == 0, listed.output
    assert "t/odd@1" in listed.output
    monkeypatch.setattr("rubriceng.host.registry._DEFAULT", None)
    checked = CliRunner().invoke(main, ["--strict", "plugins"])
    assert checked.exit_code == 1
    assert f"{folder / 'odd.yaml'}:" in checked.output and "[schema]" in checked.output
    monkeypatch.setattr("rubriceng.host.registry._DEFAULT", None)


def test_a_loose_folder_may_hold_other_yaml_without_a_word(tmp_path):
    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "notes.yaml").write_text("remember: to check the 2026 table\n", encoding="utf-8")
    registry = Registry(entry_points=False, search_path=[folder])
    assert "t/good@1" in [entry.ref for entry in registry.rubrics()]
    assert registry.failures == ()


# -- true and false are words of the formula language ------------------------------------------


@pytest.mark.parametrize(
    ("formula", "flag", "score"),
    [
        ("1 if flag == true else 0", True, "1.00"),
        ("1 if flag == false else 0", True, "0.00"),
        ("1 if flag != false else 0", False, "0.00"),
        ("1 if true and flag else 0", True, "1.00"),
        ("1 if false or not flag else 0", False, "1.00"),
        ("1 if True == true else 0", False, "1.00"),
    ],
)
def test_true_and_false_are_formula_words_on_rows_and_columns(formula, flag, score):
    rubric = rubriceng.load_rubric(
        {
            "id": "t",
            "version": "1",
            "title": "t",
            "total": 1,
            "inputs": {"flag": {"type": "boolean"}},
            "indicators": [{"id": "x", "name": "x", "points": 1, "score": formula}],
        }
    )
    assert str(rubriceng.evaluate(rubric, {"flag": flag}).total) == score
    assert [str(t) for t in rubriceng.evaluate_table(rubric, {"flag": [flag]}).totals()] == [score]


@pytest.mark.parametrize("word", ["true", "false"])
def test_true_and_false_cannot_name_an_input(word):
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(
            {
                "id": "t",
                "version": "1",
                "title": "t",
                "total": 1,
                "inputs": {word: {"type": "boolean"}},
                "indicators": [{"id": "x", "name": "x", "points": 1, "score": "1"}],
            }
        )
    assert [p.code for p in raised.value.problems] == ["reserved-name"]


# -- work per unit is bounded ------------------------------------------------------------------


def _listy(formula: str, indicators: int, length: int | None = None) -> dict[str, object]:
    spec: dict[str, object] = {"type": "list", "items": "number"}
    if length is not None:
        spec["length"] = length
    return {
        "id": "t",
        "version": "1",
        "title": "t",
        "total": indicators,
        "inputs": {"l": spec},
        "indicators": [
            {"id": f"i{i}", "name": f"指标{i}", "points": 1, "score": formula}
            for i in range(indicators)
        ],
    }


_CALLS = "min(1, max(" + ", ".join(["sum(l)", "mean(l)", "max(l)", "min(l)", "count(l)"] * 12)
_CALLS += "))"


@pytest.mark.parametrize(
    ("formula", "indicators", "length", "refused"),
    [
        (_CALLS, 40, None, True),  # 994 characters over 10,000 items, 40 times: seconds a unit
        (_CALLS, 1, None, True),  # once is 600,000 steps
        ("min(1, sum(l) / 100000)", 41, None, True),  # 41 × 10,000
        ("min(1, sum(l) / 100000)", 39, None, False),
        (_CALLS, 40, 4, False),  # the same formulas over four quarters
        ("min(1, max(" + ", ".join(["1"] * 150) + "))", 40, None, False),
    ],
)
def test_formulas_whose_work_per_unit_is_unbounded_are_refused_at_load(
    formula, indicators, length, refused
):
    document = _listy(formula, indicators, length)
    if not refused:
        rubric = rubriceng.load_rubric(document)
        values = list(range(length or 10_000))
        assert rubriceng.evaluate(rubric, {"l": values}, trace=False).total >= 0
        return
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(document)
    (problem,) = raised.value.problems
    assert problem.code == "formula-cost" and problem.indicator is not None
    assert problem.message.startswith("the formulas would do about ")
    assert "more than the 400,000 allowed" in problem.message


def test_a_plugin_rubric_extends_a_file_elsewhere_in_its_plugins_folder(tmp_path):
    """Inside the folder of rubrics a plugin (or the search path) offers, a variant in a
    subfolder may extend ../2020/base.yaml; out of that folder it may not."""
    rubrics = tmp_path / "plugin" / "rubrics"
    (rubrics / "2020").mkdir(parents=True)
    (rubrics / "2025").mkdir()
    (rubrics / "2020" / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "outside.yaml").write_text(BASE, encoding="utf-8")
    variant = _variant(rubrics / "2025", "../2020/base.yaml")
    registry = Registry(entry_points=False, search_path=[rubrics])
    assert registry.load_rubric(variant).extends == "t/base@1"
    with pytest.raises(rubriceng.RubricError) as raised:  # loaded alone: its own folder only
        Registry(entry_points=False).load_rubric(variant)
    assert "outside the rubric's own folder" in raised.value.problems[0].message
    escaping = _variant(rubrics / "2025", "../../../outside.yaml")
    with pytest.raises(rubriceng.RubricError) as raised:
        registry.load_rubric(escaping)
    assert "outside the rubric's own folder" in raised.value.problems[0].message


_CONTROLLED = {
    "id": "x/hostile-labels",
    "version": "1",
    "title": '=HYPERLINK("http://x")\x1b[31m',
    "total": 12,
    "inputs": {
        "done": {"type": "count", "label": "=cmd|' /C calc'!A0\x07" + "长" * 300},
        "planned": {"type": "count", "label": "@SUM(1)\u202e"},
        "ok": {"type": "boolean", "label": "是否\x00通过"},
    },
    "indicators": [
        {
            "id": "a",
            "name": "-2+3\x1b",
            "points": 10,
            "ratio": {"actual": "done", "target": "planned"},
        },
        {"id": "b", "name": "乙\u2066", "points": 2, "all_or_nothing": "ok"},
    ],
}


def test_a_rubric_whose_labels_carry_control_characters_writes_inert_workbooks(tmp_path):
    """A label went as it was into a form's data validation message: openpyxl refused it
    half-way through writing (a traceback, and a broken file left behind). Every
    validation's texts are printable and within Excel's lengths; the form reads back."""
    rubric = rubriceng.load_rubric(_CONTROLLED)
    from rubriceng.outputs.spreadsheet import write_template

    path = tmp_path / "form.xlsx"
    write_template(rubric, path)
    book = openpyxl.load_workbook(path)
    checks = [check for sheet in book.worksheets for check in sheet.data_validations.dataValidation]
    assert len(checks) == 3
    for check in checks:
        assert not re.search(_UNPRINTABLE, check.error) and len(check.error) <= 255
    assert checks[0].error.startswith("=cmd|' /C calc'!A0\\x07长")
    _assert_inert(
        [
            cell
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ]
    )
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=5):
        row[2].value = {"done": 3, "planned": 4, "ok": "是"}[row[0].value]
    book.save(path)
    result = rubriceng.evaluate(rubric, rubriceng.load_inputs(path).inputs)
    assert result.total == Decimal("9.50")
    write_result(
        result, tmp_path / "result.xlsx", rubric=rubric, inputs=rubriceng.load_inputs(path).inputs
    )
    _assert_inert(_workbook_cells(tmp_path / "result.xlsx"))


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".html", ".md", ".json", ".txt"])
def test_an_output_that_fails_half_way_leaves_the_file_as_it_was(
    tmp_path, monkeypatch, huizhou, huizhou_inputs, suffix
):
    """Each output is written beside its path and put in place when whole: a failure part
    way leaves the file there before untouched, and nothing else behind."""
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"before")

    def broken(*args, **kwargs):
        target = args[-1] if args else kwargs.get("filename")
        Path(target).write_bytes(b"half")  # what a writer had written when it failed
        raise OSError("disk full")

    import docx.document
    import openpyxl.workbook.workbook

    monkeypatch.setattr(
        openpyxl.workbook.workbook.Workbook, "save", lambda self, name: broken(name)
    )
    monkeypatch.setattr(docx.document.Document, "save", lambda self, name: broken(name))
    monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: broken(self))
    with pytest.raises(OSError, match="disk full"):
        write_result(result, path, rubric=huizhou, inputs=huizhou_inputs)
    assert path.read_bytes() == b"before"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# -- numbers whose exact value no arithmetic finishes with --------------------------------

_VAST = "1e-999999"  # one digit; exactly a fraction over 10^999999


@pytest.mark.parametrize(
    ("where", "raw"),
    [
        ("inputs", _VAST),
        ("inputs", "1e999999"),
        ("inputs", "1.5e-101"),
        ("rubric", _VAST),
        ("rubric", "2e101"),
    ],
)
def test_a_file_number_of_vast_exactness_is_refused_where_it_is(tmp_path, where, raw):
    """A step size of 1e-999999 took a minute a unit; an input of it did not finish."""
    import time

    source = HUIZHOU if where == "rubric" else HUIZHOU_UNIT
    text = source.read_text(encoding="utf-8")
    old = "size: 0.05," if where == "rubric" else "procurement_actual: 1236754.68"
    new = f"size: {raw}," if where == "rubric" else f"procurement_actual: {raw}"
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    start = time.monotonic()
    with pytest.raises(rubriceng.RubricengError) as raised:
        if where == "rubric":
            rubriceng.evaluate(
                rubriceng.load_rubric(path), rubriceng.load_inputs(HUIZHOU_UNIT).inputs
            )
        else:
            rubriceng.evaluate(rubriceng.load_rubric(HUIZHOU), rubriceng.load_inputs(path).inputs)
    assert time.monotonic() - start < 10
    (problem,) = raised.value.problems
    assert (problem.code, problem.file, problem.line) == ("document-number", str(path), line)
    assert problem.text("zh").endswith(
        f"{raw} 超出文件中数值的范围（至多 100 位数字，小数点移动不超过 100 位） [document-number]"
    )


@pytest.mark.parametrize(
    ("value", "told"),
    [
        (_VAST, "1e-999999 的小数多于 40 位"),
        ("0." + "0" * 40 + "1", "0.000000000000000000… 的小数多于 40 位"),
        (Decimal(_VAST), "1E-999999 的小数多于 40 位"),
        (5e-324, "5e-324 的小数多于 40 位"),
        ("1e" + "9" * 400, "1e999999999999999999… 不是可以读取的数值（指数过大）"),
    ],
    ids=["text", "long text", "decimal", "float", "vast exponent"],
)
def test_an_input_of_vast_exactness_is_refused_on_rows_and_columns(
    huizhou, huizhou_inputs, value, told
):
    import time

    import numpy as np

    expected = (
        f"实际采购金额合计数（procurement_actual）：{told}，用于政府采购执行率 [input-invalid]"
    )
    start = time.monotonic()
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.evaluate(huizhou, {**huizhou_inputs, "procurement_actual": value})
    (problem,) = raised.value.problems
    assert problem.text("zh") == expected
    from benchmarks.huizhou import to_columns

    columns = to_columns([huizhou_inputs] * 3, credits={})
    cells = np.array(list(columns["procurement_actual"]), dtype=object)
    cells[1] = value
    table = rubriceng.evaluate_table(
        huizhou, {**columns, "procurement_actual": cells}, errors="collect"
    )
    (failure,) = table.failures
    assert failure.unit == "2"
    assert failure.problems[0].text("zh").endswith(expected)
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    ("actual", "told"),
    [
        (Decimal("1e-99999"), "「1E-99999」超出"),
        (10**30, "「1000000000000000000000000000000」超出"),
        (Decimal("1e-41"), "「1E-41」超出"),
        ("0." + "0" * 100 + "1%", None),  # text: not a value at all (a target is not either)
    ],
    ids=["tiny", "vast", "41 places", "text"],
)
def test_an_actual_value_of_vast_exactness_is_refused_at_once(actual, told):
    import time

    from rubriceng.targets import UnitMismatch, judge, parse_target

    start = time.monotonic()
    with pytest.raises(UnitMismatch) as raised:
        judge(parse_target("≥5%"), actual)
    assert time.monotonic() - start < 2
    range_ = "目标「≥5%」实际值可取的范围（绝对值不超过 10^18，至多 34 位有效数字、40 位小数）"
    expected = f"{told}{range_}" if told else f"「{actual}」不是可与目标「≥5%」比较的数"
    assert raised.value.text("zh") == expected


@pytest.mark.parametrize(
    ("score", "shown"),
    [(Decimal(_VAST), "1E-999999"), (10**5000, "1.000000e+5000"), (Decimal("3.005"), "3.005")],
    ids=["tiny", "vast", "three places"],
)
def test_a_reviewed_score_out_of_range_is_told_briefly(huizhou, huizhou_inputs, score, shown):
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.evaluate(huizhou, huizhou_inputs, reviewed={"project_supervision": score})
    (problem,) = raised.value.problems
    assert problem.text("zh") == (
        f"score：复核分应为 0 到 3.00 之间、至多 2 位小数的数，实际为 {shown} "
        "[review-out-of-range]（指标 项目监管 project_supervision）"
    )


_DIGITS = "9" * 5000  # Python reads no more than 4,300 digits as an int


def test_runs_of_thousands_of_digits_in_names_keys_and_versions_are_read(tmp_path):
    """A key, a version or a column heading with a run of 5,000 digits: sorted, found and
    read as the text it is (each took Python's 4,300-digit limit as a traceback)."""
    from click.testing import CliRunner

    from rubriceng.cli import main

    text = HUIZHOU.read_text(encoding="utf-8")
    keyed = tmp_path / "keyed.yaml"
    flow = "{id: allocated_by_priority, name: "  # a flow mapping takes a key of any length
    assert flow in text
    keyed.write_text(text.replace(flow, flow.replace("name: ", f"name{_DIGITS}")), "utf-8")
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(keyed)
    assert {problem.code for problem in raised.value.problems} == {"schema"}
    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "vast.yaml").write_text(
        text.replace('version: "2020"', f'version: "{_DIGITS}"'), "utf-8"
    )
    registry = rubriceng.Registry(entry_points=False, search_path=[folder])
    huizhou = [entry for entry in registry.rubrics() if entry.id == "cn.gd.huizhou/dept-overall"]
    assert [entry.version for entry in huizhou] == [_DIGITS]
    assert registry.load("cn.gd.huizhou/dept-overall").version == _DIGITS  # the newest
    units = (ROOT / "examples" / "huizhou-2020-units.csv").read_text("utf-8-sig").split("\n", 1)
    table = tmp_path / "units.csv"
    table.write_text(
        units[0].replace("quarterly_spending_progress.4", f"quarterly_spending_progress.{_DIGITS}")
        + "\n"
        + units[1],
        "utf-8",
    )
    out = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["batch", str(HUIZHOU), str(table), "-o", str(out)])
    # the vast position is the list's last: the fourth quarter, as lists close up their gaps
    assert result.output == f"5 个单位已评分，0 个未能评分 → {out}\n"
