"""`rubriceng history`: one unit's results over the years, lined up by indicator id."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

import rubriceng
from rubriceng.cli import main
from rubriceng.cycle.history import load_history
from rubriceng.errors import InputError
from tests.conftest import HUIZHOU_UNIT


def _rubric(version, indicators):
    return rubriceng.load_rubric(
        {
            "id": "local/history",
            "version": version,
            "title": "历年",
            "total": 10,
            "inputs": {"done": {"type": "count"}, "planned": {"type": "count"}},
            "indicators": [
                {
                    "id": key,
                    "name": name,
                    "points": points,
                    "ratio": {"actual": "done", "target": "planned"},
                }
                for key, name, points in indicators
            ],
        }
    )


@pytest.fixture()
def years(tmp_path):
    """2023 and 2024 under v1 (a 5, b 5), 2025 under v2 (a 6, c 4: b removed, c added)."""
    first = _rubric("1", [("a", "完成率", 5), ("b", "及时率", 5)])
    second = _rubric("2", [("a", "完成率", 6), ("c", "满意度", 4)])
    paths = []
    for year, rubric, done in (("2024", first, 6), ("2023", first, 8), ("2025", second, 7)):
        result = rubriceng.evaluate(rubric, {"done": done, "planned": 8}, unit="甲")
        path = tmp_path / f"甲-{year}.json"
        path.write_text(result.to_json(), encoding="utf-8")
        paths.append(path)
    return paths


def test_the_history_lines_indicators_up_and_says_what_the_rubric_changed(years):
    result = CliRunner().invoke(main, ["history", *map(str, years)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [  # the newest year's order, then what it dropped
        "指标     2023  2024  2025  变化",
        "完成率   5.00  3.75  5.25  2025 分值调整 5.00 → 6.00",
        "满意度      —     —  3.50  2025 新增",
        "及时率   5.00  3.75     —  2025 删除",
        "总分    10.00  7.50  8.75",
        "等级",
    ]


def test_the_history_as_a_workbook_with_a_chart_and_as_html(tmp_path, years):
    out = tmp_path / "history.xlsx"
    assert CliRunner().invoke(main, ["history", *map(str, years), "-o", str(out)]).exit_code == 0
    sheet = openpyxl.load_workbook(out)["历年得分"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["指标", "2023", "2024", "2025", "变化"]
    assert rows[-3:] == [
        ["总分", 10, 7.5, 8.75, None],
        ["等级", None, None, None, None],
        ["评分表", "local/history@1", "local/history@1", "local/history@2", None],
    ]
    assert len(sheet._charts) == 1
    page = tmp_path / "history.html"
    args = ["history", *map(str, years), "-o", str(page), "--lang", "en"]
    runner = CliRunner().invoke(main, args)
    assert runner.exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "<polyline" in text and "<th>Change</th>" in text and "2025 added" in text


def test_results_of_two_units_or_not_results_are_refused(tmp_path, years):
    other = rubriceng.evaluate(
        _rubric("1", [("a", "完成率", 10)]), {"done": 1, "planned": 2}, unit="乙"
    )
    (tmp_path / "乙-2026.json").write_text(other.to_json(), encoding="utf-8")
    (tmp_path / "x.json").write_text('{"format": "something"}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_history([*years, tmp_path / "乙-2026.json", tmp_path / "x.json"])
    assert [problem.text("zh") for problem in caught.value.problems] == [
        f"{tmp_path / 'x.json'}：不是 rubriceng.result/1 格式的评分结果 [history-form]",
        "这些结果属于不同单位：乙、甲 [history-units]",
    ]


def test_a_rule_from_a_new_version_is_told_apart_from_the_units_own_change(tmp_path):
    office = yaml.safe_load(HUIZHOU_UNIT.read_text(encoding="utf-8"))
    registry = rubriceng.default_registry()
    before = rubriceng.evaluate(
        registry.load("cn.gd.huizhou/dept-overall@2020"), office["inputs"], unit=office["unit"]
    )
    later = dict(office["inputs"])
    for key in ("quarterly_spending_progress", "quarterly_scheduled_progress"):
        later.pop(key)
    later.update(total_revenue=10000, total_spending=9500)
    after = rubriceng.evaluate(
        registry.load("cn.gd.huizhou/dept-overall@2025"), later, unit=office["unit"]
    )
    for year, result in (("2024", before), ("2025", after)):
        (tmp_path / f"{year}.json").write_text(result.to_json(), encoding="utf-8")
    found = load_history([tmp_path / "2024.json", tmp_path / "2025.json"])
    changed = {line.id: line.changes[1] for line in found.lines if line.changes[1]}
    assert changed == dict.fromkeys(["budget_spending_rate", "target_completion"], "rule changed")
    spending = next(line for line in found.lines if line.id == "budget_spending_rate")
    assert spending.scores == (Decimal("9.00"), Decimal("8.55"))  # 9,500 of 10,000: 95%


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "rubriceng.result/1", "rubric": {}, "indicators": [], "total": "abc"}',
        '{"format": "rubriceng.result/1", "rubric": {}, "indicators": {}, "total": "1"}',
        '{"format": "rubriceng.result/1", "indicators": [], "total": "1"}',
        "[1, 2]",
    ],
)
def test_a_file_shaped_otherwise_is_not_a_result(tmp_path, text):
    path = tmp_path / "2024.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_history([path])
    assert [problem.code for problem in caught.value.problems] == ["history-form"]


def test_two_results_of_one_year_are_told_apart_by_their_file_names(tmp_path, years):
    extra = tmp_path / "甲-2024-复核.json"
    extra.write_text(years[0].read_text(encoding="utf-8"), encoding="utf-8")
    found = load_history([*years, extra])
    assert found.years == ("甲-2023", "甲-2024", "甲-2024-复核", "甲-2025")


@pytest.mark.parametrize(
    ("field", "raw", "shown"),
    [
        ("total", '"NaN"', '"NaN"'),
        ("total", '"Infinity"', '"Infinity"'),
        ("total", "1e99", "1E+99"),  # (1e308 is beyond what any file may give)
        ("subtotal", '"-Infinity"', '"-Infinity"'),
        ("subtotal", "true", "true"),
        ("indicators[0].score", '"nan"', '"nan"'),
        ("indicators[0].score", '"7.5e1"', '"7.5e1"'),
        ("indicators[0].points", "[5]", "[5]"),
        ("indicators[0].effective_points", '"5,00"', '"5,00"'),
        ("indicators[0].effective_points", '{"n": 1}', '{"n": 1}'),
        ("indicators[1].score", '"１.００"', '"１.００"'),
    ],
)
def test_a_result_whose_numbers_are_no_numbers_is_refused_never_shown(
    tmp_path, years, field, raw, shown
):
    """A result edited by hand or written by another program may hold NaN, Infinity, an
    exponent or a value of another kind where a score is: history never shows one (it
    showed `NaN` as the year's total); every such number of every file is told, with its
    place."""
    import json
    import re

    text = years[0].read_text(encoding="utf-8")
    data = json.loads(text)
    place = data
    parts = re.findall(r"[a-z_]+|\[\d+\]", field)
    for part in parts[:-1]:
        place = place[int(part[1:-1])] if part.startswith("[") else place[part]
    place[parts[-1]] = "@@"
    changed = tmp_path / "甲-2026.json"
    changed.write_text(json.dumps(data, ensure_ascii=False).replace('"@@"', raw), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_history([*years, changed])
    assert [problem.text("zh") for problem in caught.value.problems] == [
        f"{changed} {field}：应为 97.86 这样的数，实际为 {shown} [history-form]"
    ]
    out = tmp_path / "h.xlsx"
    result = CliRunner().invoke(main, ["history", *map(str, years), str(changed), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()


def test_every_misread_number_of_every_result_is_told_at_once(tmp_path, years):
    import json

    data = json.loads(years[0].read_text(encoding="utf-8"))
    data["total"], data["indicators"][1]["score"] = "NaN", "Infinity"
    (tmp_path / "甲-2026.json").write_text(json.dumps(data), encoding="utf-8")
    data["total"] = "97.86"
    (tmp_path / "甲-2027.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_history([*years, tmp_path / "甲-2026.json", tmp_path / "甲-2027.json"])
    assert [(p.file[-11:], p.path) for p in caught.value.problems] == [
        ("甲-2026.json", "total"),
        ("甲-2026.json", "indicators[1].score"),
        ("甲-2027.json", "indicators[1].score"),
    ]


def test_the_history_in_english_names_indicators_as_the_results_do(tmp_path):
    """Results carry each indicator's English name where the rubric gives one: the
    history's table, workbook and page name them so with --lang en."""
    huizhou = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    unit = yaml.safe_load(HUIZHOU_UNIT.read_text(encoding="utf-8"))
    path = tmp_path / "2020.json"
    path.write_text(rubriceng.evaluate(huizhou, unit["inputs"], unit=unit["unit"]).to_json())
    runner = CliRunner()
    english = runner.invoke(main, ["history", str(path), "--lang", "en"]).output.splitlines()
    assert english[1].split() == ["Budget", "preparation", "23.00"]
    assert [line.split() for line in english[-2:]] == [["Total", "97.86"], ["Grade", "Excellent"]]
    chinese = runner.invoke(main, ["history", str(path)]).output.splitlines()
    assert chinese[1].split() == ["预算编制情况", "23.00"]
    book = tmp_path / "history.xlsx"
    runner.invoke(main, ["history", str(path), "-o", str(book), "--lang", "en"])
    sheet = openpyxl.load_workbook(book).worksheets[0]
    first = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert first[1] == "Budget preparation" and "　　Reasonableness of the budget" in first
    page = tmp_path / "history.html"
    runner.invoke(main, ["history", str(path), "-o", str(page), "--lang", "en"])
    assert ">Budget preparation</td>" in page.read_text(encoding="utf-8")


def test_results_of_one_unit_spelled_two_ways_are_one_history(tmp_path):
    rubric = _rubric("1", [("a", "完成率", 10)])
    paths = []
    for year, name in (("2023", "市财政局"), ("2024", "市 财政局"), ("2025", "市财政局　")):
        result = rubriceng.evaluate(rubric, {"done": 1, "planned": 2}, unit=name)
        paths.append(tmp_path / f"{year}.json")
        paths[-1].write_text(result.to_json(), encoding="utf-8")
    found = load_history(paths)
    assert (found.unit, found.years) == ("市财政局　", ("2023", "2024", "2025"))
