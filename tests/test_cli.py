"""The command line, as the README uses it."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import rubriceng
from rubriceng.cli import main
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, ROOT


def test_score_prints_the_table_and_total():
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "惠州市市直部门整体支出绩效自评指标评分表 — 惠州市人民政府办公室"
    assert lines[-1].split() == ["合计", "97.86", "优"]
    row = next(line for line in lines if "政府采购执行率" in line)
    assert row.split() == ["政府采购执行率", "2.00", "1.86"]
    row = next(line for line in lines if "提前下达率" in line)
    assert row.split() == ["提前下达率", "4.00", "0.00", "0.00", "不适用"]


def test_score_by_rubric_id_as_json(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        main, ["score", "cn.gd.huizhou/dept-overall@2020", str(HUIZHOU_UNIT), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["total"], data["grade"]) == ("97.86", "优")


def test_errors_exit_1_without_traceback(tmp_path):
    bad = tmp_path / "unit.yaml"
    bad.write_text("inputs: {procurement_plan: x}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith(
        f"错误：{bad} 的填报数据有误（49 个问题）：\n  共 48 项未填写，逐项如下：\n"
    )
    assert (
        f"  - {bad}:1 采购计划金额合计数（procurement_plan）：应为数值，实际为 'x'，"
        "用于政府采购执行率 [input-invalid]\n" in result.output
    )
    english = CliRunner().invoke(main, ["--lang", "en", "score", str(HUIZHOU), str(bad)])
    assert (
        f"  - {bad}:1: 采购计划金额合计数 (procurement_plan): expected a number, got 'x', "
        "used by Government procurement execution rate [input-invalid]\n" in english.output
    )
    missing = CliRunner().invoke(main, ["score", "no/such-rubric", str(bad)])
    assert missing.exit_code == 1
    assert "  - 找不到评分表：「no/such-rubric」（已有：" in missing.output


def test_usage_errors_exit_2():
    assert CliRunner().invoke(main, ["score"]).exit_code == 2


@pytest.mark.parametrize(
    ("lang", "heading", "level"),
    [
        ("zh", "评分表 层级 地区 适用期 插件 名称", "市级"),
        ("en", "rubric level region in force plugin title", "city"),
    ],
)
def test_list_filters_by_region_and_year(lang, heading, level):
    result = CliRunner().invoke(
        main, ["--lang", lang, "list", "--region", "441300", "--year", "2025"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert " ".join(lines[0].split()) == heading
    assert [row.split()[:5] for row in lines[2:]] == [
        ["cn.gd.huizhou/dept-overall@2025", level, "惠州市", "441300", "2025-01-01"]
    ]


def test_show_gives_points_methods_origin_and_provenance():
    result = CliRunner().invoke(main, ["show", "cn.gd.huizhou/dept-overall", "--year", "2025"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "cn.gd.huizhou/dept-overall@2025  惠州市市直部门整体支出绩效自评指标评分表（2025年起）",
        "扩展自 cn.gd.huizhou/dept-overall@2020",
        "适用期 2025-01-01 – …",
        "来源：派生 — 惠州市人民政府办公室 整体绩效自评信息指标评分表 (2020); "
        "惠州市人民政府办公室 2025年度部门整体支出绩效自评报告 (2026-05-28)",
    ]
    assert lines[6].split() == ["指标", "id", "分值", "评分方法", "继承自", "分值", "/", "规则来源"]
    rows = {line.split()[1]: line.split()[2:] for line in lines if line.startswith("    ")}
    assert rows["budget_spending_rate"] == ["6.00", "比率", "照录", "/", "重构"]
    assert rows["procurement_rate"] == ["2.00", "比率", "cn.gd.huizhou/dept-overall@2020", "照录"]
    english = (
        CliRunner()
        .invoke(main, ["show", "cn.gd.huizhou/dept-overall", "--year", "2025", "--lang", "en"])
        .output.splitlines()
    )
    assert english[1:3] == ["extends cn.gd.huizhou/dept-overall@2020", "in force 2025-01-01 – …"]
    assert english[3].startswith("provenance: derived — ")
    assert english[6].split()[:4] == ["indicator", "id", "points", "method"]
    (spending,) = [line for line in english if " budget_spending_rate " in line]
    assert spending.split()[-5:] == ["6.00", "ratio", "transcribed", "/", "reconstructed"]


def test_diff_lists_what_a_variant_changes(tmp_path):
    unit = tmp_path / "unit.yaml"
    unit.write_text(
        HUIZHOU_UNIT.read_text(encoding="utf-8")
        + "  total_revenue: 7827.18\n  total_spending: 7725.3\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        ["diff", "cn.gd.huizhou/dept-overall@2020", "cn.gd.huizhou/dept-overall@2025", str(unit)],
    )
    assert result.exit_code == 0, result.output
    assert [line.split() for line in result.output.splitlines()[2:]] == [
        ["预算执行情况", "budget_execution", "42.86", "42.74", "-0.12", "变化"],
        ["资金管理", "fund_management", "24.86", "24.74", "-0.12", "变化"],
        ["部门预算资金支出率", "budget_spending_rate", "9.00", "8.88", "-0.12", "变化"],
        ["合计", "97.86", "97.74", "-0.12"],
    ]


def test_diff_says_which_rubric_a_unit_could_not_be_scored_by():
    """The 2025 table asks for figures the 2020 form has not: the error says it came from
    scoring by the 2025 rubric (it named neither)."""
    args = ["diff", "cn.gd.huizhou/dept-overall@2020", "cn.gd.huizhou/dept-overall@2025"]
    result = CliRunner().invoke(main, [*args, str(HUIZHOU_UNIT)])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "按 cn.gd.huizhou/dept-overall@2025 评分时：",
        "错误：单位「惠州市人民政府办公室」的填报数据有误（2 个问题）：",
    ]
    swapped = CliRunner().invoke(main, ["--lang", "en", *args[:1], *args[:0:-1], str(HUIZHOU_UNIT)])
    assert swapped.output.splitlines()[0] == "scoring by cn.gd.huizhou/dept-overall@2025:"


def test_plugins_lists_what_loaded():
    result = CliRunner().invoke(main, ["--strict", "plugins"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:10] == [
        "rubriceng",
        "  钩子：formula_functions, input_types, renderers, rubrics, scoring_methods, test_cases",
        "  评分表：cn/dept-overall-framework@2020",
        "  评分表：cn/project-self-evaluation@2020",
        "rubriceng.targets",
        "  钩子：input_types, scoring_methods",
        "gd_huizhou 0.1.0 (rubriceng-gd-huizhou)",
        "  钩子：rubrics, test_cases",
        "  评分表：cn.gd.huizhou/dept-overall@2020",
        "  评分表：cn.gd.huizhou/dept-overall@2025",
    ]
    english = CliRunner().invoke(main, ["--lang", "en", "plugins"]).output.splitlines()
    assert english[1:3] == [
        "  hooks: formula_functions, input_types, renderers, rubrics, scoring_methods, test_cases",
        "  rubric: cn/dept-overall-framework@2020",
    ]


def test_unknown_format_is_a_usage_error():
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "--format", "x"])
    assert result.exit_code == 2
    assert "错误：--format 的值无效：'x'（可用：json、markdown、text）" in result.output
    english = ["--lang", "en", "score", str(HUIZHOU), str(HUIZHOU_UNIT), "--format", "x"]
    assert "'x' (have: json, markdown, text)" in CliRunner().invoke(main, english).output


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "示例：" in result.output, name
        english = runner.invoke(main, ["--lang", "en", name, "--help"])
        assert "Example" in english.output, name
        assert command.help and command.help.strip(), name
    top = runner.invoke(main, ["--help"]).output
    assert "退出码：" in top and "2  用法有误" in top
    top = runner.invoke(main, ["--lang", "en", "--help"]).output
    assert "Exit codes:" in top and "2  a usage error" in top


_SPEAKS_PER_REQUEST = {"serve"}  # the service answers each request in its own language


def _commands(group=main, path=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def test_every_command_takes_lang_after_its_name():
    runner = CliRunner()
    for path, _ in _commands():
        if path[0] in _SPEAKS_PER_REQUEST:
            continue
        result = runner.invoke(main, [*path, "--lang", "en", "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "--lang [zh|en]" in result.output, path


def test_list_check_and_diff_speak_english_after_the_command(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    listed = runner.invoke(main, ["list", "--region", "惠州", "--year", "2020", "--lang", "en"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.split()[:6] == ["rubric", "level", "region", "in", "force", "plugin"]
    assert listed.output.splitlines()[2].endswith(
        "Huizhou municipal departments — whole-budget performance self-evaluation"
    )
    checked = runner.invoke(main, ["check", str(HUIZHOU), "--lang", "en"])
    assert checked.output == "0 error(s), 0 warning(s)\n"
    before, after = "cn.gd.huizhou/dept-overall@2020", "cn.gd.huizhou/dept-overall@2025"
    both = "examples/huizhou-office-2020-and-2025.yaml"
    rows = runner.invoke(main, ["diff", before, after, both, "--lang", "en"]).output.splitlines()
    change = ["budget_execution", "42.86", "42.67", "-0.19"]
    assert rows[2].split() == ["Budget", "execution", *change, "changed"]
    assert rows[-1].split() == ["Total", "97.86", "97.67", "-0.19"]
    rows = runner.invoke(main, ["diff", before, after, both]).output.splitlines()
    assert rows[2].split() == ["预算执行情况", *change, "变化"]


def _runnable_examples():
    """Each example a command's help gives (in either language), or the README, that reads
    only files in this repository and writes none."""
    import shlex

    from rubriceng.outputs.words import COMMAND_HELP

    def examples(text):
        lines = text.replace("\\\n", " ").splitlines()
        for line in lines:
            line = line.split("#")[0].split(">")[0].strip().removeprefix("$ ")
            if line.startswith("rubriceng "):
                yield shlex.split(line)[1:]

    helps = [command.help or "" for _, command in _commands()] + list(COMMAND_HELP.values())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    helps += re.findall(r"```(?:sh|console)\n(.*?)```", readme, flags=re.S)
    found = set()
    for text in helps:
        for args in examples(text):
            writes = {"-o", "--output", "new-plugin", "serve", "import-table"} & set(args)
            paths = [arg for arg in args if "." in arg.rsplit("/", 1)[-1] and "@" not in arg]
            paths += [arg for arg in args if arg.endswith("/")]
            if writes or not all((ROOT / path).exists() for path in paths):
                continue
            found.add(tuple(args))
    return sorted(found)


@pytest.mark.parametrize("args", _runnable_examples(), ids=" ".join)
def test_every_runnable_example_in_the_help_runs(monkeypatch, args):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


def test_the_help_gives_runnable_examples_of_the_main_commands():
    commands = {args[0] if args[0] != "--strict" else args[1] for args in _runnable_examples()}
    assert {"score", "explain", "show", "list", "diff", "test", "targets", "schema"} <= commands


def test_show_rules_prints_each_indicators_rule_from_the_rubric():
    result = CliRunner().invoke(
        main, ["show", str(HUIZHOU), "treasury_stock_efficiency", "fund_management", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Change of treasury carry-over stock (treasury_stock_efficiency) — 3.00 points, bands",
        "  description: 部门（单位）的财政存量考核中国库集中支付结转结余存量资金的变动情况。",
        "  standard: "
        + rubriceng.load_rubric(HUIZHOU).indicator("treasury_stock_efficiency").standard,
        "  value = treasury_stock_end / treasury_stock_previous - 1",
        "  bands:",
        "    - value ≤ -0.15 → 3",
        "    - value ≤ -0.10 → 2",
        "    - value ≤ 0 → 1",
        "    - otherwise → 0",
        "  case: treasury_stock_previous == 0 and treasury_stock_end == 0 → scores 3 "
        "(上年度为0，本年度继续为0)",
        "  case: treasury_stock_previous == 0 → scores 0 (上年度为0，本年度增加)",
        "  notes: Previous and current stock both 0 scores 3, as the table says. A stock that "
        "grows from 0 has no rate of change; it is read as growth (> 0), scoring 0.",
        f"  source: {HUIZHOU}:243",
        "",
        "Fund management (fund_management) — 25.00 points",
        "  children: budget_spending_rate 6.00, carryover_rate 3.00, "
        "treasury_stock_efficiency 3.00, procurement_rate 2.00, financial_compliance 4.00, "
        "fund_release_legality 3.00, budget_disclosure 4.00",
        f"  source: {HUIZHOU}:210",
    ]
    every = CliRunner().invoke(main, ["show", str(HUIZHOU), "--rules"]).output
    scored = [node for node in rubriceng.load_rubric(HUIZHOU).walk() if node.method]
    headings = [re.match(r"\S.* \((\w+)\) — [\d.]+ 分, \w+$", line) for line in every.splitlines()]
    assert [found.group(1) for found in headings if found] == [node.id for node in scored]
    unknown = CliRunner().invoke(main, ["show", str(HUIZHOU), "carryover", "procurement"])
    assert unknown.exit_code == 1
    assert unknown.output.splitlines() == [
        "错误：找不到指标（1 个问题）：",
        "  - 没有指标「carryover」；是否应为 结转结余率 (carryover_rate)？ [indicator-not-found]",
    ]
    english = CliRunner().invoke(main, ["--lang", "en", "show", str(HUIZHOU), "carryover"])
    assert english.output.splitlines() == [
        "error: no indicator 'carryover' (1 problem):",
        "  - no indicator 'carryover'; did you mean 结转结余率 (carryover_rate)? "
        "[indicator-not-found]",
    ]
    by_name = CliRunner().invoke(main, ["show", str(HUIZHOU), "结转结余率", "政府采购"])
    assert [line for line in by_name.output.splitlines() if " — " in line] == [
        "结转结余率 (carryover_rate) — 3.00 分, bands",
        "政府采购执行率 (procurement_rate) — 2.00 分, ratio",
    ]


def test_show_in_english_where_the_rubric_has_names():
    result = CliRunner().invoke(main, ["show", str(HUIZHOU), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "cn.gd.huizhou/dept-overall@2020  "
        "Huizhou municipal departments — whole-budget performance self-evaluation"
    )
    assert any(
        line.split()[:3] == ["Government", "procurement", "execution"]
        for line in result.output.splitlines()
    )


def _outputs_over_inputs(folder):
    """Each command that writes -o, given one of the files it reads as its output."""
    unit = folder / "unit.yaml"
    unit.write_bytes(HUIZHOU_UNIT.read_bytes())
    roster = folder / "roster.csv"
    roster.write_text("示例单位\n", encoding="utf-8")
    rubric = folder / "rubric.yaml"
    rubric.write_bytes(HUIZHOU.read_bytes())
    table = folder / "table.csv"
    table.write_bytes((ROOT / "examples" / "table-mouxian-2026.csv").read_bytes())
    units = folder / "units.csv"
    units.write_bytes((ROOT / "examples" / "huizhou-2020-units.csv").read_bytes())
    ref = "cn.gd.huizhou/dept-overall@2020"
    result = folder / "2020.json"
    unit_result = rubriceng.evaluate(rubriceng.find_rubric(ref), rubriceng.load_inputs(unit).inputs)
    result.write_text(json.dumps(unit_result.to_dict(), ensure_ascii=False), encoding="utf-8")
    return [
        (result, ["history", str(result), "-o", str(result)]),
        (unit, ["score", ref, str(unit), "-o", str(unit)]),
        (rubric, ["score", str(rubric), str(unit), "-o", str(rubric)]),
        (units, ["batch", ref, str(units), "-o", str(units)]),
        (roster, ["batch", ref, str(unit), "--units", str(roster), "-o", str(roster)]),
        (roster, ["template", ref, "--batch", "--units", str(roster), "-o", str(roster)]),
        (unit, ["review", ref, str(unit), "--form", "-o", str(unit)]),
        (table, ["import-table", str(table), "-o", str(table)]),
    ]


def test_an_output_over_a_file_the_command_reads_is_refused_and_the_file_kept(tmp_path):
    for kept, args in _outputs_over_inputs(tmp_path):
        before = kept.read_bytes()
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert (
            f"{kept.name} 是本命令要读取的文件，写入结果会覆盖它：请另选输出文件" in result.output
        )
        assert kept.read_bytes() == before
    english = CliRunner().invoke(main, ["--lang", "en", *args])
    assert f"{kept.name} is a file this command reads: writing the output would replace it" in (
        english.output
    )


def test_an_output_the_system_cannot_write_is_told_which_and_why(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    ref = "cn.gd.huizhou/dept-overall@2020"
    cases = [
        (
            ["score", ref, str(HUIZHOU_UNIT), "-o"],
            tmp_path / "missing" / "r.xlsx",
            "所在的文件夹不存在",
        ),
        (
            ["score", ref, str(HUIZHOU_UNIT), "-o"],
            tmp_path / "missing" / "r.json",
            "所在的文件夹不存在",
        ),
        (
            ["score", ref, str(HUIZHOU_UNIT), "-o"],
            blocker / "r.docx",
            "路径中有一项是文件，不是文件夹",
        ),
        (["batch", ref, str(HUIZHOU_UNIT), "-o"], blocker / "s" / "s.xlsx", None),
        (
            ["template", ref, "--units", str(ROOT / "examples" / "huizhou-2020-roster.txt"), "-o"],
            blocker / "forms",
            None,
        ),
    ]
    for args, output, reason in cases:
        result = CliRunner().invoke(main, [*args, str(output)])
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output and result.exception is not None
        told = result.output.strip().splitlines()[-1]
        where = output if reason else blocker / output.relative_to(blocker).parts[0]
        assert told == f"错误：无法写入 {where}：{reason or '路径中有一项是文件，不是文件夹'}"
    assert list(tmp_path.iterdir()) == [blocker]  # nothing left behind
    english = CliRunner().invoke(main, ["--lang", "en", *cases[0][0], str(cases[0][1])])
    assert english.output.strip().endswith(f"cannot write {cases[0][1]}: its folder does not exist")


@pytest.mark.parametrize(
    ("error", "chinese", "english"),
    [
        (
            OSError(13, "Permission denied", "单位.yaml"),
            "无法读取 单位.yaml：没有权限",
            "cannot read 单位.yaml: permission denied",
        ),
        (
            OSError(28, "No space left on device", "s.xlsx"),
            "无法读取 s.xlsx：磁盘空间不足",
            "cannot read s.xlsx: no space left on the disk",
        ),
        (
            OSError(5, "Input/output error", None),
            "无法读取 ?：读写设备出错",
            "cannot read ?: the device failed to read or write",
        ),
        (
            OSError(71, "Protocol error", "a\x1b.csv"),
            "无法读取 a\\x1b.csv：系统错误 EPROTO",
            "cannot read a\\x1b.csv: system error EPROTO",
        ),
    ],
)
def test_what_the_system_refuses_is_said_in_the_users_language(error, chinese, english):
    from rubriceng.cli import system_error
    from rubriceng.outputs.words import using

    with using("zh"):
        assert system_error(error) == chinese
    with using("en"):
        assert system_error(error) == english


@pytest.mark.parametrize("year", ["0", "-1", "1948", "2201", "99999999999999999999"])
def test_a_year_no_evaluation_has_is_a_usage_error_in_every_command(year, tmp_path):
    ref = "cn.gd.huizhou/dept-overall"
    for args in (
        ["score", ref, str(HUIZHOU_UNIT)],
        ["show", ref],
        ["list"],
        ["template", ref, "-o", str(tmp_path / "form.xlsx")],
        ["explain", ref, str(HUIZHOU_UNIT), "satisfaction"],
        ["batch", ref, str(HUIZHOU_UNIT), "-o", str(tmp_path / "s.xlsx")],
        ["new-plugin", "x", "--directory", str(tmp_path / "p")],
    ):
        result = CliRunner().invoke(main, [*args, "--year", year])
        assert result.exit_code == 2, (args, result.output)
        assert f"错误：'--year' 的值无效：{year} 不在 1949<=x<=2200 范围内。" in result.output
    assert list(tmp_path.iterdir()) == []
