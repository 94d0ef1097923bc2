"""`rubriceng check`: load errors, then warnings about what loads but is probably wrong."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from rubriceng.authoring.lint import lint
from rubriceng.cli import main
from tests.conftest import PLUGINS, ROOT

WARNINGS = ROOT / "tests" / "data" / "lint-warnings.yaml"


def test_every_warning_with_its_line_and_indicator():
    report = lint(WARNINGS)
    assert report.ok and report.errors == ()
    assert [problem.text("en") for problem in report.warnings] == [
        f"{WARNINGS}:7: inputs.spare: input 'spare' is declared but no indicator reads it "
        "[unused-input]",
        f"{WARNINGS}:12: its best reachable band can give only 3 of the indicator's 4.00 points "
        "[points-unreachable] (indicator a, field points)",
        f"{WARNINGS}:17: band 3 (value ≤ 2) is never reached: every value up to the input's "
        "maximum 1 is in an earlier band [unreachable-band] (indicator a, field bands[2])",
        f"{WARNINGS}:18: band 4 (otherwise) is never reached: every value up to the input's "
        "maximum 1 is in an earlier band [unreachable-band] (indicator a, field bands[3])",
        f"{WARNINGS}:22: applies: 1 > 2 is always false: the indicator never applies "
        "[never-applies] (indicator b, field applies)",
    ]


def test_check_exits_0_on_warnings_and_1_with_warnings_as_errors():
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(WARNINGS)])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"警告：{WARNINGS}:7 inputs.spare：填报项 'spare' 已声明，但没有指标用到它 [unused-input]",
        f"警告：{WARNINGS}:12 points：能达到的最高一档只能给出本指标 4.00 分中的 3 分 "
        "[points-unreachable]（指标 a）",
        f"警告：{WARNINGS}:17 bands[2]：第 3 档（value ≤ 2）永远达不到：填报项最大值 1 以内的"
        "值都落在前面的档次 [unreachable-band]（指标 a）",
        f"警告：{WARNINGS}:18 bands[3]：第 4 档（otherwise）永远达不到：填报项最大值 1 以内的"
        "值都落在前面的档次 [unreachable-band]（指标 a）",
        f"警告：{WARNINGS}:22 applies：applies（适用条件）1 > 2 总是不成立：本指标永不适用 "
        "[never-applies]（指标 b）",
        "0 个错误，5 个警告",
    ]
    english = runner.invoke(main, ["--lang", "en", "check", str(WARNINGS)])
    assert english.output.splitlines()[-1] == "0 error(s), 5 warning(s)"
    assert english.output.startswith(f"warning: {WARNINGS}:7: inputs.spare: ")
    strict = runner.invoke(main, ["check", "--warnings-as-errors", str(WARNINGS)])
    assert strict.exit_code == 1


def test_check_lists_every_load_error_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = WARNINGS.read_text(encoding="utf-8")
    bad.write_text(
        text.replace("points: 4", "points: 5").replace('applies: "1 > 2"', "applies: x"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"错误：{bad}:4 total：一级指标分值合计 11.00，评分表总分为 10.00 [points-mismatch]",
        f"错误：{bad}:22 indicators[1].applies：未知名称 'x' [formula-name]（指标 b）",
        "2 个错误，0 个警告",
    ]
    english = CliRunner().invoke(main, ["--lang", "en", "check", str(bad)])
    assert english.output.splitlines() == [
        f"error: {bad}:4: total: the level-1 indicators add up to 11.00, the rubric's total is "
        "10.00 [points-mismatch]",
        f"error: {bad}:22: indicators[1].applies: unknown name 'x' [formula-name] (indicator b)",
        "2 error(s), 0 warning(s)",
    ]


BUNDLED = sorted(PLUGINS.glob("*/src/*/rubrics/*.yaml")) + sorted(
    (ROOT / "rubrics").glob("*/*.yaml")
)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.name)
def test_the_bundled_rubrics_have_no_warnings(path):
    """No unused input, no unreachable band, no rate without a maximum, …"""
    assert lint(path).warnings == ()


@pytest.mark.parametrize(
    "declared",
    [
        "{type: rate, label: 完成率}",
        "{type: list, items: rate, length: 4, label: 各季度进度}",
        "{type: number, label: 预算执行率}",
        "{type: number, label: 资金占比}",
        "{type: list, items: number, label: quarterly progress}",
    ],
)
def test_a_rate_without_a_maximum_is_a_warning(tmp_path, declared):
    text = WARNINGS.read_text(encoding="utf-8")
    path = tmp_path / "rates.yaml"
    path.write_text(text.replace("{type: rate, max: 1, label: 完成率}", declared), encoding="utf-8")
    codes = [(problem.code, problem.field, problem.line) for problem in lint(path).warnings]
    assert ("rate-unbounded", "rate", 6) in codes


@pytest.mark.parametrize(
    "declared", ["{type: number, label: 金额}", "{type: rate, max: 1.2, label: 完成率}"]
)
def test_a_bounded_rate_or_a_plain_number_is_no_warning(tmp_path, declared):
    text = WARNINGS.read_text(encoding="utf-8")
    path = tmp_path / "rates.yaml"
    path.write_text(text.replace("{type: rate, max: 1, label: 完成率}", declared), encoding="utf-8")
    assert "rate-unbounded" not in [problem.code for problem in lint(path).warnings]


def test_english_notes_that_do_not_pair_with_the_notes_are_a_warning(tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text(
        "id: local/notes\nversion: '1'\ntitle: 说明\ntotal: 5\nindicators:\n"
        "  - id: a\n    name: 甲\n    points: 5\n    judgement: {}\n"
        "    notes: [第一条, 第二条]\n    notes_en: [the first]\n",
        encoding="utf-8",
    )
    report = lint(path)
    assert report.ok
    assert [problem.text("zh") for problem in report.warnings] == [
        f"{path}:11 notes_en：notes_en 有 1 条说明，notes 有 2 条：每条英文说明应与对应的说明并列 "
        "[notes-unpaired]（指标 a）"
    ]
    assert report.warnings[0].text("en") == (
        f"{path}:11: notes_en has 1 notes and notes 2: each English note goes beside the note "
        "it says [notes-unpaired] (indicator a, field notes_en)"
    )
    path.write_text(path.read_text(encoding="utf-8").replace("[the first]", "[one, two]"))
    assert lint(path).warnings == ()
