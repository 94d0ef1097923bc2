"""The command line speaks Chinese by default, help included, and English with --lang en
or $RUBRICENG_LANG=en: every command's help, every option's, and click's own words
(usage, sections, usage errors)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from rubriceng.cli import main
from rubriceng.commandhelp import lang_in
from rubriceng.outputs.words import CLICK_WORDS, COMMAND_HELP
from rubriceng.sanitize import display_width
from tests.conftest import HUIZHOU, HUIZHOU_UNIT


def _commands() -> Iterator[tuple[list[str], click.Command]]:
    def walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])

    yield from walk(main, [])


COMMANDS = [" ".join(path) for path, _ in _commands()]


def test_every_command_and_option_has_its_chinese_help():
    missing = []
    for path, command in _commands():
        key = " ".join(path)
        if key not in COMMAND_HELP:
            missing.append(key or "(rubriceng)")
        for param in command.params:
            if not isinstance(param, click.Option) or not param.help:
                continue
            name = max(param.opts, key=len)
            if not (
                f"{key} {name}" in COMMAND_HELP or name in COMMAND_HELP or param.help in CLICK_WORDS
            ):
                missing.append(f"{key} {name}")
    assert missing == []


_ENGLISH = re.compile(r"\b[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}")
"""Three English words in a row (what an untranslated sentence has)."""


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_is_chinese_and_fits_the_terminal(command):
    result = CliRunner().invoke(main, [*command.split(), "--help"], terminal_width=80)
    assert result.exit_code == 0
    text = result.output
    assert text.startswith(f"用法：main {command}".rstrip() + " ")
    assert "\n选项：\n" in text and "显示本帮助并退出。" in text
    prose = []
    for line in text.splitlines():
        if line.lstrip().startswith(("rubriceng ", "--", "examples/", "-o ", "用法：")):
            continue  # an example is code; a usage line, the command's own words
        assert display_width(line) <= 80, line
        prose.append(line.strip())
    quoted = re.sub(r"「[^」]*」", "", "".join(prose))  # a command quoted in the text
    assert not _ENGLISH.search(quoted), quoted
    english = CliRunner().invoke(main, ["--lang", "en", *command.split(), "--help"]).output
    assert english.startswith("Usage: main") and "\nOptions:\n" in english
    assert "Show this message and exit." in english and "显示本帮助" not in english


def test_the_score_commands_help_in_full():
    result = CliRunner().invoke(main, ["score", "--help"], terminal_width=80)
    assert result.output == (
        "用法：main score [OPTIONS] RUBRIC INPUTS\n"
        "\n"
        "  为一个单位评分：按 RUBRIC（文件、id 或 id@版本）评 INPUTS（.yaml、.json，或\n"
        "  「rubriceng template」生成的 .xlsx 填报表）。\n"
        "\n"
        "  示例：\n"
        "    rubriceng score cn.gd.huizhou/dept-overall@2020 "
        "examples/huizhou-2020-office.yaml\n"
        "    rubriceng score cn.gd.huizhou/dept-overall@2020 form.xlsx -o result.xlsx\n"
        "    rubriceng score cn.gd.huizhou/dept-overall@2020 unit.yaml -o report.html "
        "--lang en\n"
        "    rubriceng score cn.gd.huizhou/dept-overall@2020 unit.yaml -o 自评报告.docx\n"
        "\n"
        "选项：\n"
        "  --year YEAR        给出评分表 id 时：所评年度施行的版本。 [1949<=x<=2200]\n"
        "  -o, --output FILE  把结果写入文件，后缀决定形式：.xlsx（指标评分表和填报数\n"
        "                     据）、.html（报告）、.docx（自评报告的评分部分，待补\n"
        "                     充）、.json、.md 或 .txt。\n"
        "  --format TEXT      不用 -o 时：text（表格）、json（rubriceng.result/1）、\n"
        "                     markdown 或插件提供的格式。 [默认：text]\n"
        "  --lang [zh|en]     指标名称、标题和错误信息的语言：中文，或英文（评分表有英\n"
        "                     文名称时）。 [默认：(zh，或 $RUBRICENG_LANG)]\n"
        "  -h, --help         显示本帮助并退出。\n"
    )


@pytest.mark.parametrize(
    ("args", "chinese", "english"),
    [
        (["score"], "错误：缺少参数 'RUBRIC'.", "Error: Missing argument 'RUBRIC'."),
        (
            ["scor"],
            "错误：没有命令 'scor'。 是否应为 'score'？",
            "Error: No such command 'scor'.",
        ),
        (
            ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "--bogus"],
            "错误：没有选项 '--bogus'。",
            "Error: No such option '--bogus'.",
        ),
        (
            ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "--format"],
            "错误：选项 '--format' 需要一个值。",
            "Error: Option '--format' requires an argument.",
        ),
        (
            ["score", str(HUIZHOU), "nowhere.yaml", "--year", "x"],
            "错误：'--year' 的值无效：'x' 不是有效的数值。",
            "Error: Invalid value for '--year': 'x' is not a valid integer range.",
        ),
        (
            ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "-o", "r.pdf"],
            "错误：-o 的值无效：r.pdf：文件后缀应为 .txt、.md、.json、.html、.xlsx、.docx 之一",
            "Error: Invalid value for -o: r.pdf: the suffix must be one of .txt, .md, .json, "
            ".html, .xlsx, .docx",
        ),
        (
            ["list", "--level"],
            "错误：选项 '--level' 需要一个值。",
            "Error: Option '--level' requires an argument.",
        ),
        (  # only a program calling main() can pass one: no file is named so
            ["check", "rubric\x00.yaml"],
            "错误：参数 rubric\\x00.yaml 含有空字符（NUL），不能是文件名或其他值",
            "Error: the argument rubric\\x00.yaml holds a NUL character: no file or value is "
            "named so",
        ),
    ],
    ids=["missing", "command", "option", "no value", "not a number", "suffix", "group", "nul"],
)
def test_usage_errors_are_told_in_the_users_language(args, chinese, english):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert chinese in result.output, result.output
    told = CliRunner().invoke(main, ["--lang", "en", *args])
    assert english in told.output, told.output


def test_the_environment_chooses_the_language_and_lang_wins(monkeypatch):
    monkeypatch.setenv("RUBRICENG_LANG", "en")
    assert "Score one unit" in CliRunner().invoke(main, ["score", "--help"]).output
    chinese = CliRunner().invoke(main, ["score", "--help", "--lang", "zh"]).output
    assert "为一个单位评分" in chinese


@pytest.mark.parametrize("args", [["list"], ["score", str(HUIZHOU), str(HUIZHOU_UNIT)]])
def test_an_unknown_language_in_the_environment_is_a_usage_error_told_in_both(monkeypatch, args):
    monkeypatch.setenv("RUBRICENG_LANG", "fr")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.output.endswith(
        "错误：环境变量 RUBRICENG_LANG 的值 'fr' 不是 'zh', 'en' 之一"
        "（用 --lang 选择，或改正该变量）\n"
        "the environment variable RUBRICENG_LANG is 'fr', not one of 'zh', 'en' (choose with "
        "--lang, or correct it)\n"
    ), result.output
    assert result.output.startswith("用法：main [OPTIONS] COMMAND")
    given = CliRunner().invoke(main, ["--lang", "en", *args])
    assert given.exit_code == 0, given.output
    assert "RUBRICENG_LANG" not in given.output


def test_clicks_words_return_to_english_after_a_chinese_run():
    runner = CliRunner()
    assert "显示本帮助并退出。" in runner.invoke(main, ["score", "--help"]).output
    english = runner.invoke(main, ["--lang", "en", "score", "--help"]).output
    assert "Show this message and exit." in english
    error = click.UsageError("x")
    assert error.format_message() == "x"
    assert click.core._("Options") == "Options"


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        (["--lang", "en"], "en"),
        (["score", "a", "--lang=zh"], "zh"),
        (["--lang"], None),
        (["--lang", "fr"], None),
        (["--", "--lang", "en"], None),
    ],
)
def test_lang_is_found_before_click_reads_the_arguments(args, lang):
    assert lang_in(args) == lang


def test_a_rubrics_reasoning_and_notes_are_shown_in_the_language_spoken():
    runner = CliRunner()
    shown = runner.invoke(main, ["show", str(HUIZHOU)]).output.splitlines()
    assert shown[3] == (
        "  评分表只印总分，没有印等级划分。优 ≥ 90、良 80 至 < 90、中 60 至 < 80、差 < 60 "
        "是全国部门整体支出绩效评价通用的等级划分；同一单位的 2025 年报告把 96.56 分评为优，"
        "与之相符。"
    )
    english = runner.invoke(main, ["show", str(HUIZHOU), "--lang", "en"]).output.splitlines()
    assert english[3].startswith("  The table prints no grade bands, only the total.")
    rules = runner.invoke(main, ["show", str(HUIZHOU), "procurement_rate"]).output
    assert "  说明：没有采购计划（采购计划金额 0）也没有采购的单位无可执行，得满分；" in rules
    rules = runner.invoke(main, ["show", str(HUIZHOU), "procurement_rate", "--lang", "en"]).output
    assert "  notes: A unit with no procurement plan (采购计划金额 0) and no purchases" in rules


def test_an_indicators_own_reasoning_is_not_paired_with_its_rubrics_english(tmp_path):
    import rubriceng
    from tests.conftest import make_rubric

    document = make_rubric(
        [
            {"id": "a", "name": "甲", "points": 5, "judgement": {}},
            {
                "id": "b",
                "name": "乙",
                "points": 5,
                "judgement": {},
                "provenance": {"basis": "reconstructed", "reasoning": "乙的理由"},
                "notes": ["说明"],
                "notes_en": ["a note"],
            },
        ],
        provenance={
            "basis": "reconstructed",
            "reasoning": "总的理由",
            "reasoning_en": "the reasoning",
        },
    )
    rubric = rubriceng.load_rubric(document)
    first, second = rubric.indicators
    assert first.provenance["reasoning_en"] == "the reasoning"
    assert second.provenance["reasoning"] == "乙的理由"
    assert "reasoning_en" not in second.provenance
    assert (second.notes, second.notes_en) == (("说明",), ("a note",))


def test_the_version_is_told_in_the_language_spoken():
    from importlib.metadata import version

    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output == f"rubriceng，版本 {version('rubriceng')}\n"
    english = runner.invoke(main, ["--version", "--lang", "en"]).output
    assert english == f"rubriceng, version {version('rubriceng')}\n"


@pytest.mark.parametrize(
    ("command", "heading", "english", "kind"),
    [
        (["history", HUIZHOU_UNIT], "历年得分无法读取", "cannot read the history", "HistoryError"),
        (
            ["review", "cn.gd.huizhou/dept-overall@2020", HUIZHOU_UNIT, HUIZHOU_UNIT],
            "复核文件有误",
            "cannot read the review",
            "ReviewError",
        ),
        (
            ["targets", "check", HUIZHOU_UNIT],
            "绩效目标表有误",
            "cannot read targets",
            "TargetsError",
        ),
        (["import-table", HUIZHOU_UNIT, "-o", "x.yaml"], None, None, None),
    ],
    ids=["history", "review", "targets", "usage"],
)
def test_a_file_that_is_not_what_the_command_reads_is_headed_by_what_it_reads(
    command, heading, english, kind
):
    """A unit's inputs given where a history, a review or a 绩效目标 file belongs: headed
    by what the command reads, never as a unit's inputs (填报数据有误)."""
    import rubriceng.errors

    args = [str(arg) for arg in command]
    told = CliRunner().invoke(main, args)
    if heading is None:  # import-table reads .xlsx, .docx, .csv: a usage error
        assert told.exit_code == 2
        return
    assert told.exit_code == 1
    assert told.output.splitlines()[0].startswith(f"错误：{HUIZHOU_UNIT} 的{heading}（")
    assert "填报数据" not in told.output
    first = CliRunner().invoke(main, [*args, "--lang", "en"]).output.splitlines()[0]
    assert first.startswith(f"error: {english}")
    assert issubclass(getattr(rubriceng.errors, kind), rubriceng.errors.InputError)


@pytest.mark.parametrize(
    ("reader", "kind"),
    [
        ("rubriceng.targets:load_sheets", "TargetsError"),
        ("rubriceng.targets.files:read_xlsx", "TargetsError"),
        ("rubriceng.cycle.review:load_changes", "ReviewError"),
        ("rubriceng.cycle.roster:read_roster", "RosterError"),
    ],
)
def test_each_reader_raises_its_own_kind_of_input_error_for_any_problem_of_its_file(
    tmp_path, reader, kind
):
    """However deep the problem is found (the file cannot be opened, is not a workbook,
    has a bad cell), the reader's own error, which callers may still catch as
    InputError."""
    import importlib

    import rubriceng.errors

    module, name = reader.split(":")
    read = getattr(importlib.import_module(module), name)
    suffix = ".txt" if "roster" in reader else ".xlsx"
    for content in (b"", b"PK\x03\x04 broken", b"\xff\xfe\x00"):
        path = tmp_path / f"file{suffix}"
        path.write_bytes(content)
        with pytest.raises(getattr(rubriceng.errors, kind)):
            read(path)
