"""The 自评报告 draft: `rubriceng score … -o report.docx`, opened and read back."""

from __future__ import annotations

import docx
from click.testing import CliRunner

import rubriceng
from rubriceng.cli import main
from rubriceng.outputs.text import write_result
from tests.conftest import HUIZHOU, HUIZHOU_UNIT


def _read(path):
    document = docx.Document(str(path))
    table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    return [paragraph.text for paragraph in document.paragraphs], table


def test_the_report_draft_has_the_conclusion_table_losses_and_blank_sections(tmp_path, huizhou):
    out = tmp_path / "自评报告.docx"
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(HUIZHOU_UNIT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    paragraphs, table = _read(out)
    title = "惠州市市直部门整体支出绩效自评指标评分表"
    assert paragraphs[:7] == [
        "部门整体支出绩效自评报告（评分部分）",
        "部门名称：惠州市人民政府办公室",
        f"评分表：{title}（cn.gd.huizhou/dept-overall@2020）",
        "二、绩效自评",
        "（一）自评结论。",
        f"根据{title}，本部门自评得分为 97.86 分，自评等级为优。",
        "（二）部门整体支出绩效指标评分。",
    ]
    assert paragraphs[7:13] == [
        "（三）失分情况。",
        "1. 政府采购执行率（分值 2.00，得 1.86 分，失 0.14 分）：数据：实际采购金额合计数 "
        "1236754.68元，采购计划金额合计数 1331100元；比率 92.91%；按满分 2 得 1.8582 分；"
        "得分 1.86。",
        "2. 网民来信答复率及时（分值 2.50，得 2.00 分，失 0.50 分）：理由：网民来信答复率及时；"
        "按满分 2.5 得 2 分；得分 2.00。",
        "3. 提升参训人员素养和军事技能（分值 2.50，得 2.00 分，失 0.50 分）：理由：提升参训人员"
        "素养和军事技能；按满分 2.5 得 2 分；得分 2.00。",
        "4. 公众或服务对象满意度（分值 4.00，得 3.00 分，失 1.00 分）：理由：服务对象满意度；"
        "按满分 4 得 3 分；得分 3.00。",
        "（四）存在问题及改进措施。",
    ]
    assert paragraphs[13:17] == ["1. 存在问题：", "（请填写）", "2. 改进措施：", "（请填写）"]
    scored = rubriceng.evaluate(huizhou, rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    every = list(scored.walk())
    assert len(table) == 1 + len(every) + len(scored.adjustments) + 1
    assert table[0] == ["指标", "分值", "自评分", "评分依据"]
    assert table[1][:3] == ["预算编制情况", "23.00", "23.00"] and table[1][3] == ""
    procurement = next(row for row in table if row[0].strip("　") == "政府采购执行率")
    assert procurement[:3] == ["　　政府采购执行率", "2.00", "1.86"]
    assert procurement[3].endswith("按满分 2 得 1.8582 分；得分 1.86。")
    assert table[-1][0] == "合计" and table[-1][2] == "97.86"
    assert (
        sum(
            float(row[2])
            for row, found in zip(table[1:], every, strict=False)
            if found in scored.indicators
        )
        == 97.86
    )


def test_the_draft_in_english_says_not_applicable_and_keeps_text_inert(
    tmp_path, huizhou, huizhou_inputs
):
    inputs = {**huizhou_inputs, "has_transfer_payments": False}
    inputs["satisfaction"] = {"score": 3, "reason": "满意\ud800"}  # no Word file holds these
    result = rubriceng.evaluate(huizhou, inputs, unit="=CMD()\x07单位\x1b[2J\ufffe\uffff")
    out = tmp_path / "report.docx"
    write_result(result, out, rubric=huizhou, lang="en")
    paragraphs, table = _read(out)
    assert paragraphs[0] == "Self-evaluation report on whole-budget spending (the scoring part)"
    assert paragraphs[1] == "Unit: =CMD()\\x07单位\\x1b[2J\\ufffe\\uffff"
    rows = {row[0].strip("　"): row for row in table}
    assert rows["Share of transfer payments released in advance"][2] == "n/a"
    assert paragraphs[-5:-1] == [
        "1. Problems found:",
        "(to be completed)",
        "2. Measures to take:",
        "(to be completed)",
    ]
