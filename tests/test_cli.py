"""The command line, as the README uses it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rubriceng.cli import main
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, ROOT


def test_score_prints_the_table_and_total():
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "惠州市市直部门整体支出绩效自评指标评分表 — 惠州市人民政府办公室"
    assert lines[-1].split() == ["合计", "total", "97.86", "优"]
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
    assert "inputs.procurement_plan: expected a number, got 'x'" in result.output
    missing = CliRunner().invoke(main, ["score", "no/such-rubric", str(bad)])
    assert missing.exit_code == 1
    assert "no rubric 'no/such-rubric' (known: " in missing.output


def test_usage_errors_exit_2():
    assert CliRunner().invoke(main, ["score"]).exit_code == 2
