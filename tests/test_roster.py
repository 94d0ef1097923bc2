"""The bureau's list of units (名单): forms sent to each unit by name, and forms back
checked against it — a name not on it refused with the names it is close to, and the
units that returned nothing listed."""

from __future__ import annotations

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

import rubriceng
from rubriceng.cli import main
from rubriceng.cycle.roster import read_roster
from rubriceng.errors import RosterError
from tests.conftest import HUIZHOU_UNIT, ROOT

REF = "cn.gd.huizhou/dept-overall@2020"
NAMES = ["惠州市人民政府办公室", "市财政局", "市教育局", "市 卫健局"]


def _run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text("# 2020 年市直单位\n" + "\n".join(NAMES[:2]) + "\n\n" + "\n".join(NAMES[2:]))
    return path


def _returned(folder, *names):
    folder.mkdir(exist_ok=True)
    text = HUIZHOU_UNIT.read_text(encoding="utf-8")
    for number, name in enumerate(names):
        (folder / f"{number}.yaml").write_text(
            text.replace("unit: 惠州市人民政府办公室", f"unit: {name}"), encoding="utf-8"
        )
    return folder


# -- reading a roster ----------------------------------------------------------------------


def test_a_text_roster_leaves_out_comments_and_blank_lines_and_knows_each_line(roster):
    found = read_roster(roster)
    assert found.units == tuple(NAMES)
    assert dict(found.lines) == {NAMES[0]: 2, NAMES[1]: 3, NAMES[2]: 5, NAMES[3]: 6}


@pytest.mark.parametrize("heading", ["单位名称", "unit", "单位", None])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_table_roster_is_its_first_column_under_an_optional_heading(tmp_path, heading, suffix):
    rows = ([[heading, "备注"]] if heading else []) + [[name, "x"] for name in NAMES]
    path = tmp_path / f"名单{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(row) for row in rows), encoding="gb18030")
    else:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    assert read_roster(path).units == tuple(NAMES)


def test_every_problem_of_a_roster_is_told_at_once_where_it_is(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text("市财政局\n市教育局\n市 财政局\n甲\x07局\n市教育局\n", encoding="utf-8")
    with pytest.raises(RosterError) as raised:
        read_roster(path)
    assert raised.value.text("zh").splitlines() == [
        f"{path} 的名单有误（3 个问题）：",
        f"  - {path}:3：市 财政局 已在第 1 行 [roster-twice]",
        f"  - {path}:4：名称 甲\\x07局 含有控制字符 [roster-name]",
        f"  - {path}:5：市教育局 已在第 2 行 [roster-twice]",
    ]
    assert [problem.text("en") for problem in raised.value.problems] == [
        f"{path}:3: 市 财政局 is also on line 1 [roster-twice]",
        f"{path}:4: the name 甲\\x07局 has a control character [roster-name]",
        f"{path}:5: 市教育局 is also on line 2 [roster-twice]",
    ]


def test_a_roster_is_bounded_in_units_and_in_the_length_of_a_name(tmp_path, monkeypatch):
    from rubriceng.cycle import roster as module

    path = tmp_path / "名单.txt"
    path.write_text("市财政局\n" + "丙" * 201 + "\n" + "丁" * 200 + "\n", encoding="utf-8")
    with pytest.raises(RosterError) as raised:
        read_roster(path)
    (problem,) = raised.value.problems
    assert problem.text("zh") == f"{path}:2：单位名称超过 200 个字符：{'丙' * 20}… [roster-long]"
    monkeypatch.setattr(module, "MAX_UNITS", 2)
    path.write_text("甲\n乙\n丙\n丁\n", encoding="utf-8")
    with pytest.raises(RosterError) as raised:
        read_roster(path)
    (problem,) = raised.value.problems
    assert problem.text("en") == f"{path}:3: more than 2 units [roster-many]"


@pytest.mark.parametrize(
    ("name", "content", "told"),
    [
        ("名单.txt", b"# nobody yet\n\n", "名单中没有单位 [roster-empty]"),
        ("名单.doc", b"x", "名单应为 .txt、.csv 或 .xlsx 文件 [input-form]"),
        ("名单.txt", "市财政局\n".encode() + b"\xff\xfe\xfd" * 40, None),
        ("名单.xlsx", b"PK\x03\x04 not a workbook", None),
    ],
)
def test_a_roster_that_cannot_be_read_is_a_roster_error(tmp_path, name, content, told):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RosterError) as raised:
        read_roster(path)
    (problem,) = raised.value.problems
    assert problem.file == str(path)
    assert raised.value.text("zh").startswith(f"{path} 的名单有误")
    if told is not None:
        assert problem.text("zh") == f"{path}：{told}"


# -- forms out ----------------------------------------------------------------------------


def test_each_unit_of_the_roster_gets_its_own_form_with_its_name(tmp_path, roster):
    result = _run("template", REF, "--units", roster, "-o", tmp_path / "forms")
    assert result.exit_code == 0, result.output
    assert result.output == f"4 份填报表 → {tmp_path / 'forms'}\n"
    made = sorted(path.name for path in (tmp_path / "forms").iterdir())
    assert made == sorted(f"{name}.xlsx" for name in NAMES)
    form = rubriceng.load_inputs(tmp_path / "forms" / "市 卫健局.xlsx")
    assert (form.unit, form.rubric, dict(form.inputs)) == ("市 卫健局", REF, {})


def test_forms_for_a_roster_show_a_bar_on_a_terminal_and_none_in_a_pipe(
    tmp_path, roster, monkeypatch
):
    args = ["template", REF, "--units", roster, "-o", tmp_path / "forms"]
    assert "writing" not in _run(*args).output
    monkeypatch.setattr("rubriceng.cli._on_terminal", lambda: True)
    shown = _run(*args).output  # into the folder again (the roster grew): as the first time
    assert "writing" in shown and shown.endswith(f"4 份填报表 → {tmp_path / 'forms'}\n")
    single = _run("template", REF, "-o", tmp_path / "forms")  # one form: never a folder
    assert single.exit_code == 2
    assert f"'{tmp_path / 'forms'}' 是文件夹，不是文件。" in single.output


def test_names_that_make_one_file_name_each_keep_their_form(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text("局/一科\n局_一科\nCON\n", encoding="utf-8")
    assert _run("template", REF, "--units", path, "-o", tmp_path / "forms").exit_code == 0
    made = sorted(path.name for path in (tmp_path / "forms").iterdir())
    assert made == ["_CON.xlsx", "局_一科-2.xlsx", "局_一科.xlsx"]
    assert rubriceng.load_inputs(tmp_path / "forms" / "局_一科.xlsx").unit == "局/一科"


def test_forms_for_a_roster_go_into_a_folder(tmp_path, roster):
    result = _run("template", REF, "--units", roster, "-o", tmp_path / "forms.xlsx")
    assert result.exit_code == 2
    assert "-o 应为文件夹（不带后缀）" in result.output
    assert not (tmp_path / "forms.xlsx").exists()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_batch_form_for_a_roster_has_a_row_named_for_each_unit(tmp_path, roster, suffix):
    output = tmp_path / f"units{suffix}"
    assert _run("template", REF, "--batch", "--units", roster, "-o", output).exit_code == 0
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(output).worksheets[0]
        column = [sheet.cell(row, 1).value for row in range(1, 8)]
    else:
        column = [line.split(",")[0] for line in output.read_text("utf-8-sig").splitlines()]
    assert column[:6] == ["单位名称", "unit", *NAMES]


def test_a_csv_for_a_roster_is_one_table_of_units_with_or_without_batch(tmp_path, roster):
    """``-o units.csv`` writes a table of units (its ids heading) with or without
    ``--batch``: with the roster, a row named for each unit."""
    output = tmp_path / "units.csv"
    assert _run("template", REF, "--units", roster, "-o", output).exit_code == 0
    column = [line.split(",")[0] for line in output.read_text("utf-8-sig").splitlines()]
    assert column == ["unit", *NAMES]


# -- forms back ---------------------------------------------------------------------------


def test_a_unit_returned_under_a_name_not_on_the_roster_stops_the_batch(tmp_path, roster):
    returned = _returned(tmp_path / "returned", "惠州市人民政府办公室", "市财正局", "某某中心")
    output = tmp_path / "summary.xlsx"
    result = _run("batch", REF, returned, "--units", roster, "-o", output)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        f"  - {returned / '1.yaml'} 单位「市财正局」：不在名单 {roster} 中；是否应为 市财政局？ "
        "[unit-not-on-roster]",
        f"  - {returned / '2.yaml'} 单位「某某中心」：不在名单 {roster} 中 [unit-not-on-roster]",
    ]
    assert not output.exists()
    english = _run("batch", REF, returned, "--units", roster, "-o", output, "--lang", "en")
    assert (
        f"{returned / '1.yaml'}: unit '市财正局': not on the roster {roster}; did you mean "
        "市财政局? [unit-not-on-roster]"
    ) in english.output


def test_the_units_that_returned_nothing_are_told_and_listed_in_the_summary(tmp_path, roster):
    returned = _returned(tmp_path / "returned", "惠州市人民政府办公室", "市卫健局")
    output = tmp_path / "summary.xlsx"
    result = _run("batch", REF, returned, "--units", roster, "-o", output)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"警告：名单 {roster} 中有 2 个单位未报送：市财政局、市教育局",
        f"2 个单位已评分，0 个未能评分 → {output}",
    ]
    book = openpyxl.load_workbook(output)
    assert list(book["未报送"].iter_rows(values_only=True)) == [
        ("单位", "名单行"),
        ("市财政局", 3),
        ("市教育局", 5),
    ]
    basis = {row[0]: row[1] for row in book["参数"].iter_rows(min_row=2, values_only=True)}
    assert (basis["名单"], basis["名单中的单位"], basis["未报送"]) == (str(roster), 4, 2)
    ranked = [row[1] for row in book["排名"].iter_rows(min_row=2, values_only=True)]
    assert sorted(ranked) == ["市卫健局", "惠州市人民政府办公室"]  # as returned, spaces or not


def test_every_unit_returned_leaves_no_sheet_of_missing_units(tmp_path, roster):
    returned = _returned(tmp_path / "returned", *NAMES)
    output = tmp_path / "summary.xlsx"
    result = _run("batch", REF, returned, "--units", roster, "-o", output, "--lang", "en")
    assert result.output == f"4 scored, 0 failed → {output}\n"
    book = openpyxl.load_workbook(output)
    assert "Not returned" not in book.sheetnames
    basis = {row[0]: row[1] for row in book["Basis"].iter_rows(min_row=2, values_only=True)}
    assert (basis["Units on the roster"], basis["Not returned"]) == (4, 0)


def test_rows_of_a_batch_form_left_blank_but_for_the_name_are_not_scored(tmp_path, roster):
    """The batch form sent out with the names in: a unit that filled in nothing has not
    returned its form — told, and not a failure of 49 missing values."""
    form = tmp_path / "units.xlsx"
    assert _run("template", REF, "--batch", "--units", roster, "-o", form).exit_code == 0
    output = tmp_path / "summary.xlsx"
    result = _run("batch", REF, form, "--units", roster, "-o", output)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        f"  - {form} 第 {row} 行 单位「{name}」：只有单位名称，没有填写任何数据：未评分 "
        "[unit-blank]"
        for row, name in enumerate(NAMES, start=3)
    ]
    book = openpyxl.load_workbook(form)
    sheet = book.worksheets[0]
    ids = [cell.value for cell in sheet[2]]
    inputs = yaml.safe_load(HUIZHOU_UNIT.read_text(encoding="utf-8"))["inputs"]
    sheet.cell(4, ids.index("procurement_plan") + 1).value = inputs["procurement_plan"]
    book.save(form)
    result = _run("batch", REF, form, "--units", roster, "-o", output)
    lines = result.output.splitlines()
    assert lines[:3] == [
        f"警告：{form} 第 {row} 行 单位「{name}」：只有单位名称，没有填写任何数据：未评分 "
        "[unit-blank]"
        for row, name in ((3, NAMES[0]), (5, NAMES[2]), (6, NAMES[3]))
    ]
    absent = "、".join(NAMES[:1] + NAMES[2:])
    assert lines[3] == f"警告：名单 {roster} 中有 3 个单位未报送：{absent}"
    assert "市财政局" in lines[5]  # the unit that began filling in: its missing values told


def test_names_that_look_like_formulas_go_out_inert_and_come_back_as_they_were(tmp_path):
    """A roster's =, +, - and @ names are written as text in every form (a CSV cell
    behind ``'``), and a CSV form filled in and returned reads them back without it."""
    import csv

    roster = tmp_path / "名单.txt"
    names = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "-2+3"]
    roster.write_text("\n".join(names), encoding="utf-8")
    form = tmp_path / "units.csv"
    assert _run("template", REF, "--batch", "--units", roster, "-o", form).exit_code == 0
    rows = list(csv.reader(form.open(encoding="utf-8-sig")))
    assert [row[0] for row in rows[2:]] == [f"'{name}" for name in names]
    inputs = yaml.safe_load(HUIZHOU_UNIT.read_text(encoding="utf-8"))["inputs"]
    rows[3] += [""] * (len(rows[1]) - len(rows[3]))
    rows[3][rows[1].index("procurement_plan")] = str(inputs["procurement_plan"])
    with form.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    output = tmp_path / "summary.xlsx"
    result = _run("batch", REF, form, "--units", roster, "-o", output)
    assert "不在名单" not in result.output
    assert f"单位「{names[1]}」的填报数据有误" in result.output  # read back as it was named
    assert f"中有 3 个单位未报送：{'、'.join(names[:1] + names[2:])}" in result.output


def test_named_forms_left_blank_in_the_returned_folder_are_not_returned(tmp_path, roster):
    """Forms sent out by name and put back unfilled (a shared folder): each is told and
    not scored, and counts as not returned; a filled one is scored."""
    forms = tmp_path / "forms"
    assert _run("template", REF, "--units", roster, "-o", forms).exit_code == 0
    _returned(tmp_path / "filled", NAMES[1])
    (forms / f"{NAMES[1]}.xlsx").unlink()
    (tmp_path / "filled" / "0.yaml").rename(forms / "filled.yaml")
    (forms / "empty.yaml").write_text(f"unit: {NAMES[2]}\ninputs: {{}}\n", encoding="utf-8")
    (forms / f"{NAMES[2]}.xlsx").unlink()
    output = tmp_path / "summary.xlsx"
    result = _run("batch", REF, forms, "--units", roster, "-o", output)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    told = [line for line in lines if "[unit-blank]" in line]
    blank = "：只有单位名称，没有填写任何数据：未评分 [unit-blank]"
    assert sorted(told) == sorted(
        [
            f"警告：{forms / f'{NAMES[0]}.xlsx'} 单位「{NAMES[0]}」{blank}",
            f"警告：{forms / f'{NAMES[3]}.xlsx'} 单位「{NAMES[3]}」{blank}",
            f"警告：{forms / 'empty.yaml'} 单位「{NAMES[2]}」{blank}",
        ]
    )
    assert lines[-2:] == [
        f"警告：名单 {roster} 中有 3 个单位未报送：{'、'.join(NAMES[:1] + NAMES[2:])}",
        f"1 个单位已评分，0 个未能评分 → {output}",
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [("市财政局", "市 财政局"), ("市财政局", "市财政局　"), ("ＡＢ局", "AB局")],
    ids=["a space", "a full-width space", "full-width letters"],
)
def test_one_unit_returned_under_two_spellings_of_its_name_is_returned_twice(
    tmp_path, first, second
):
    """As a person reads the names they are one unit: refused as returned twice (it was
    scored and ranked twice), with or without a roster."""
    returned = _returned(tmp_path / "returned", first, second)
    result = _run("batch", REF, returned, "-o", tmp_path / "summary.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        f"  - {returned / '1.yaml'} 单位「{second}」：也在 {returned / '0.yaml'} 中 "
        "[unit-duplicate]"
    )


def test_a_roster_of_projects_says_projects(tmp_path):
    """The project rubric scores projects: what did not come back is a project."""
    import json

    sheet = rubriceng.load_sheets(ROOT / "tests" / "data" / "targets-with-actuals.yaml")[0]
    returned = tmp_path / "returned"
    returned.mkdir()
    inputs = json.loads(json.dumps(sheet.project_inputs(), default=str))
    (returned / "p.yaml").write_text(
        yaml.safe_dump({"unit": sheet.name, "inputs": inputs}, allow_unicode=True), "utf-8"
    )
    roster = tmp_path / "projects.txt"
    roster.write_text(f"{sheet.name}\n某某项目\n", encoding="utf-8")
    output = tmp_path / "projects.xlsx"
    result = _run(
        "batch", "cn/project-self-evaluation@2020", returned, "--units", roster, "-o", output
    )
    assert result.output.splitlines() == [
        f"警告：名单 {roster} 中有 1 个项目未报送：某某项目",
        f"1 个项目已评分，0 个未能评分 → {output}",
    ]
    basis = openpyxl.load_workbook(output)["参数"]
    assert ("名单中的项目", 2) in list(basis.iter_rows(values_only=True))
    english = _run(
        "batch",
        "cn/project-self-evaluation@2020",
        returned,
        "--units",
        roster,
        "-o",
        output,
        "--lang",
        "en",
    )
    assert english.output.splitlines()[0] == (
        f"warning: 1 of the projects on the roster {roster} returned nothing: 某某项目"
    )
