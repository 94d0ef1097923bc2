"""Rule-author test cases: the runner, `rubriceng test`, the pytest plugin, the scaffold."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import rubriceng
from rubriceng.authoring.cases import CaseFileError, load_cases, run_cases
from rubriceng.cli import main
from tests.conftest import needs_plugins

SMALL = """\
id: small/example
version: "1"
title: 小表
total: 10
inputs: {done: {type: count}, planned: {type: count}}
indicators:
  - {id: completion, name: 完成率, points: 10, ratio: {actual: done, target: planned}}
"""

SMALL_CASES = """\
rubric: small.yaml
cases:
  - name: three of four
    inputs: {done: 3, planned: 4}
    expected: {total: 7.5, indicators: {completion: 7.50}}
  - name: a wrong expectation
    inputs: {done: 3, planned: 4}
    expected:
      total: 8
      grade: 优
      indicators: {completion: {score: 7.5, status: judged}, nowhere: 1}
  - name: near enough
    inputs: {done: 2, planned: 3}
    expected: {total: 6.67}
    tolerance: 0.01
  - name: bad inputs
    inputs: {done: -1, planned: 4}
    expected: {total: 0}
"""


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    cases = tmp_path / "test_small.yaml"
    cases.write_text(SMALL_CASES, encoding="utf-8")
    return cases


def test_outcomes_say_what_differs(small):
    outcomes = list(run_cases([small]))
    assert [outcome.passed for outcome in outcomes] == [True, False, True, False]
    assert outcomes[1].report() == (
        f"{small}:6 用例「a wrong expectation」\n"
        "  总分：应为 8，实际为 7.50\n"
        "  等级：应为 优，实际为 无\n"
        "  completion 的状态：应为 judged，实际为 scored\n"
        "  nowhere：应为 一个指标，实际为 评分表中没有这个指标"
    )
    assert outcomes[1].report("en") == (
        f"{small}:6: a wrong expectation\n"
        "  total: expected 8, got 7.50\n"
        "  grade: expected 优, got None\n"
        "  completion status: expected judged, got scored\n"
        "  nowhere: expected an indicator, got no such indicator in the rubric"
    )
    assert outcomes[3].report() == (
        f"{small}:16 用例「bad inputs」：{small} 的填报数据有误（1 个问题）：\n"
        f"  - {small}:17 done：不能小于 0，实际为 -1，用于完成率 [input-invalid]"
    )
    assert outcomes[3].error is not None
    assert outcomes[3].error.text("en") == (
        "invalid inputs (1 problem):\n"
        f"  - {small}:17: done: must be at least 0, got -1, used by completion [input-invalid]"
    )


def test_a_malformed_case_file_lists_every_problem(tmp_path):
    bad = tmp_path / "test_bad.yaml"
    bad.write_text(
        "cases:\n  - name: no rubric\n    inputs: {}\n    expected: {total: x}\n"
        "  - inputs: {}\n    expected: {}\n    tolerance: -1\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseFileError) as raised:
        load_cases(bad)
    assert [(problem.line, problem.path, problem.message) for problem in raised.value.problems] == [
        (4, "cases[0].expected.total", "expected a number, got 'x'"),
        (5, "cases[1].name", "required field"),
        (7, "cases[1].tolerance", "must be at least 0, got -1"),
    ]


def test_rubriceng_test_reports_failures_and_exits_1(small):
    result = CliRunner().invoke(main, ["test", str(small)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "2 个通过，2 个未通过"
    assert f"未通过  {small}:6 用例「a wrong expectation」" in result.output
    english = CliRunner().invoke(main, ["--lang", "en", "test", str(small)])
    assert english.output.splitlines()[-1] == "2 passed, 2 failed"
    assert f"FAIL  {small}:6: a wrong expectation" in english.output


def test_rubriceng_test_tells_every_unreadable_case_file_and_runs_the_others(small):
    """A case file that cannot be read (too large, not UTF-8, malformed) is told with its
    problems; the other files' cases still run, and the run fails."""
    folder = small.parent
    (folder / "test_large.yaml").write_text("cases:\n" + "# x\n" * 300_000, encoding="utf-8")
    (folder / "test_bytes.yaml").write_bytes(b"cases:\n\xff\xfe")
    (folder / "test_none.yaml").write_text("cases: [{inputs: {}}]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["test", str(folder)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2 个通过，2 个未通过，3 个用例文件无法读取"
    for name, said in [
        ("test_large.yaml", "超过 1048576 字节 [document-too-large]"),
        ("test_bytes.yaml", "不是 UTF-8 编码的文本：invalid start byte [document-encoding]"),
        ("test_none.yaml", "cases[0].name：必须填写"),
    ]:
        assert f"错误：{folder / name} 的测试用例有误" in result.output
        assert said in result.output
    english = CliRunner().invoke(main, ["--lang", "en", "test", str(folder)])
    assert english.stdout.splitlines()[-1] == "2 passed, 2 failed, unreadable case files: 3"


@needs_plugins
def test_rubriceng_test_without_paths_runs_every_installed_plugins_cases():
    result = CliRunner().invoke(main, ["test", "-v"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "8 个通过，0 个未通过"
    assert "(96.56)" in result.output and "(50 + 47.41)" in result.output


def test_pytest_collects_case_files(pytester, small):
    pytester.makefile(".yaml", small=SMALL)
    pytester.makefile(".yaml", test_small=SMALL_CASES)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*总分：应为 8，实际为 7.50*"])


def test_new_plugin_scaffolds_a_plugin_that_installs_and_passes_its_own_tests(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "new-plugin",
            "my-county",
            "--directory",
            str(tmp_path),
            "--year",
            "2026",
            "--region",
            "某某县",
            "--code",
            "440999",
        ],
    )
    assert result.exit_code == 0, result.output
    root = tmp_path / "rubriceng-my-county"
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(root),
        ],
        check=True,
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    ran = subprocess.run(
        [sys.executable, "-m", "rubriceng", "test", "-v", str(site / "rubriceng_my_county")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.splitlines()[-1] == "2 个通过，0 个未通过"
    listed = subprocess.run(
        [sys.executable, "-m", "rubriceng", "--strict", "plugins"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "my_county 0.1.0 (rubriceng-my-county)" in listed.stdout
    assert "  评分表：local.my-county/dept-overall@2026" in listed.stdout
    again = CliRunner().invoke(main, ["new-plugin", "my-county", "--directory", str(tmp_path)])
    assert again.exit_code == 2
    assert f"错误：{tmp_path / 'rubriceng-my-county'} 已存在，不会覆盖" in again.output
    english = ["--lang", "en", "new-plugin", "my-county", "--directory", str(tmp_path)]
    assert "rubriceng-my-county exists" in CliRunner().invoke(main, english).output


@pytest.mark.parametrize(
    ("option", "value", "told"),
    [
        (
            "--region",
            '韶关市"\nid: evil',
            "--region '韶关市\"\\nid: evil'：地区名称请用文字、数字、空格、· 和括号，至多 40 个字",
        ),
        (
            "--region",
            'x"""; import os; """',
            '--region \'x"""; import os; """\'：'
            "地区名称请用文字、数字、空格、· 和括号，至多 40 个字",
        ),
        (
            "--region",
            "县" * 41,
            f"--region '{'县' * 41}'：地区名称请用文字、数字、空格、· 和括号，至多 40 个字",
        ),
        ("--region", " ", "--region ' '：地区名称请用文字、数字、空格、· 和括号，至多 40 个字"),
        (
            "--region",
            " 惠州",
            "--region ' 惠州'：地区名称请用文字、数字、空格、· 和括号，至多 40 个字",
        ),
        ("--code", "4402", "--code '4402'：行政区划代码应为 6 位数字"),
        ("--code", '440200"', "--code '440200\"'：行政区划代码应为 6 位数字"),
        (
            "--level",
            "市",
            "--level '市'：层级应为 province、city、county、district、township、other 之一",
        ),
        ("--id", "Local/X", "--id 'Local/X'：评分表 id 请用小写字母、数字和 . _ / -"),
        ("--id", "a\nb: c", "--id 'a\\nb: c'：评分表 id 请用小写字母、数字和 . _ / -"),
    ],
)
def test_new_plugin_refuses_options_its_files_could_not_quote(tmp_path, option, value, told):
    """Every option is written into Python, TOML, YAML and Markdown as it is: a quote or a
    line break in one broke the plugin (or put code into its __init__.py). Each is refused,
    every wrong option at once, and nothing is written."""
    result = CliRunner().invoke(
        main, ["new-plugin", "my-county", "--directory", str(tmp_path), option, value]
    )
    assert result.exit_code == 2
    assert f"错误：{told}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_new_plugin_tells_every_wrong_option_and_takes_a_region_as_written(tmp_path):
    args = ["new-plugin", "x", "--directory", str(tmp_path), "--code", "1", "--level", "省"]
    assert CliRunner().invoke(main, args).output.splitlines()[-2:] == [
        "错误：--level '省'：层级应为 province、city、county、district、township、other 之一",
        "--code '1'：行政区划代码应为 6 位数字",
    ]
    region = ["--region", "惠州市（试点）仲恺·高新区 2 期", "--level", "district"]
    made = CliRunner().invoke(main, ["new-plugin", "x", "--directory", str(tmp_path), *region])
    assert made.exit_code == 0, made.output
    rubric = rubriceng.load_rubric(next((tmp_path / "rubriceng-x").rglob("dept-overall-*.yaml")))
    assert rubric.region["name"] == "惠州市（试点）仲恺·高新区 2 期"
