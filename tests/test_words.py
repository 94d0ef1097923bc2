"""Chinese first: the words table, the language of a call, and input errors told in the
user's words — the input by its label (its id in brackets), the form's row, the
indicators that use it — in Chinese by default and in English when asked."""

from __future__ import annotations

import re
import string
from decimal import Decimal

import pytest
from click.testing import CliRunner

import rubriceng
from rubriceng.cli import main
from rubriceng.errors import Problem
from rubriceng.outputs.spreadsheet import write_template
from rubriceng.outputs.words import LANGUAGES, MESSAGES, READINGS, RULES, TERMS, language, using
from tests.conftest import HUIZHOU, make_rubric


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_has_a_template_in_every_language_with_the_same_fields(code):
    assert set(MESSAGES[code]) == set(LANGUAGES)
    assert _fields(MESSAGES[code]["zh"]) == _fields(MESSAGES[code]["en"])


@pytest.mark.parametrize("table", [RULES, TERMS], ids=["rules", "terms"])
def test_every_word_is_in_every_language_with_the_same_fields(table):
    assert set(table["zh"]) >= set(table["en"])
    known = {
        "constraint",
        "value",
        "info",
        "count",
        "s",
        "row",
        "file",
        "line",
        "unit",
        "label",
        "field",
        "names",
        "name",
        "rows",
        "first",
        "last",
        "errors",
        "warnings",
    }
    for key in table["en"]:
        assert _fields(table["zh"][key]) | _fields(table["en"][key]) <= known, key


def test_every_reading_of_an_input_value_is_told_in_chinese():
    readings = [re.compile(pattern) for pattern, _ in READINGS["zh"]]
    said = (
        "expected a number, got 'x'",
        "expected a whole number, got 1.5",
        "expected true or false, got '也许'",
        "must be at least 0, got -1",
        "must be at most 1, got 95 (a percentage? write 0.95 or '95%')",
        "expected a number, got nothing (null)",
        "credit 7 is outside [0, 5]",
    )
    for english in said:
        assert any(reading.match(english) for reading in readings), english


def test_the_language_comes_from_the_call_then_using_then_the_environment(monkeypatch):
    monkeypatch.delenv("RUBRICENG_LANG", raising=False)
    assert language() == "zh"
    monkeypatch.setenv("RUBRICENG_LANG", "en_US.UTF-8")
    assert language() == "en"
    with using("zh"):
        assert language() == "zh"
        assert language("en") == "en"
    assert language() == "en"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        language("fr")


@pytest.fixture
def small() -> rubriceng.Rubric:
    return rubriceng.load_rubric(
        make_rubric(
            [
                {
                    "id": "tasks",
                    "name": "重点工作完成率",
                    "name_en": "Key tasks",
                    "points": 5,
                    "ratio": {"actual": "done", "target": "planned"},
                }
            ],
            inputs={
                "done": {"type": "count", "label": "重点工作实际完成数"},
                "planned": {"type": "count", "label": "重点工作总数"},
                "rate": {"type": "rate", "max": 1, "label": "完成率"},
            },
        )
    )


@pytest.mark.parametrize(
    ("inputs", "chinese", "english"),
    [
        (
            {"done": 3},
            "重点工作总数（planned）：未填写，用于重点工作完成率 [input-missing]",
            "重点工作总数 (planned): missing, used by Key tasks [input-missing]",
        ),
        (
            {"done": "三", "planned": 4},
            "重点工作实际完成数（done）：应为数值，实际为 '三'，用于重点工作完成率 [input-invalid]",
            "重点工作实际完成数 (done): expected a number, got '三', used by Key tasks "
            "[input-invalid]",
        ),
        (
            {"done": -1, "planned": 4},
            "重点工作实际完成数（done）：不能小于 0，实际为 -1，用于重点工作完成率 [input-invalid]",
            "重点工作实际完成数 (done): must be at least 0, got -1, used by Key tasks "
            "[input-invalid]",
        ),
        (
            {"done": 3, "planned": 4, "rate": 95},
            "完成率（rate）：不能大于 1，实际为 95（是否填成了百分数？应填 0.95 或「95%」） "
            "[input-invalid]",
            "完成率 (rate): must be at most 1, got 95 (a percentage? write 0.95 or '95%') "
            "[input-invalid]",
        ),
        (
            {"done": 3, "planed": 4},
            "planed：评分表没有这一填报项；是否应为 planned（重点工作总数）？ [input-invalid]",
            "planed: unknown input: the rubric declares no input by this name; did you mean "
            "planned（重点工作总数）? [input-invalid]",
        ),
        (
            {"done": 3, "planned": 4, "重点工作总": 4},
            "重点工作总：评分表没有这一填报项；是否应为 planned（重点工作总数）？ [input-invalid]",
            "重点工作总: unknown input: the rubric declares no input by this name; did you mean "
            "planned（重点工作总数）? [input-invalid]",
        ),
        (
            {"done": 3, "planned": 4, 7: 1},
            "填报项的名称应为文字，而不是 int（7） [input-invalid]",
            "input names are text, not int (7) [input-invalid]",
        ),
    ],
)
def test_each_input_problem_in_both_languages(small, inputs, chinese, english):
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(small, inputs)
    code = chinese.rsplit("[", 1)[1].rstrip("]")
    problem = next(found for found in caught.value.problems if found.code == code)
    assert (problem.text("zh"), problem.text("en")) == (chinese, english)


def test_str_of_an_error_follows_the_language(small, monkeypatch):
    monkeypatch.delenv("RUBRICENG_LANG", raising=False)
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(small, {"done": 3}, unit="某单位")
    assert str(caught.value) == (
        "单位「某单位」的填报数据有误（1 个问题）：\n"
        "  - 单位「某单位」 重点工作总数（planned）：未填写，用于重点工作完成率 [input-missing]"
    )
    monkeypatch.setenv("RUBRICENG_LANG", "en")
    assert str(caught.value) == (
        "invalid inputs for unit '某单位' (1 problem):\n"
        "  - unit '某单位': 重点工作总数 (planned): missing, used by Key tasks [input-missing]"
    )
    assert caught.value.code == "input-invalid"  # codes and classes do not change


def test_an_empty_form_is_counted_with_its_rows_then_listed_in_the_forms_order(tmp_path):
    rubric = rubriceng.load_rubric(HUIZHOU)
    form = tmp_path / "form.xlsx"
    write_template(rubric, form)
    result = CliRunner().invoke(main, ["score", str(HUIZHOU), str(form)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:4] == [
        f"错误：{form} 的填报数据有误（49 个问题）：",
        "  共 49 项未填写，第 5–104 行，逐项如下：",
        f"  - {form} 第 5 行 是否有主管的转移支付资金（has_transfer_payments）：未填写，"
        "用于提前下达率、资金下达合法性 [input-missing]",
        f"  - {form} 第 6 行 财政拨款收入决算数（revenue_final）：未填写，"
        "用于财政拨款收入预决算差异率 [input-missing]",
    ]
    rows = [int(found) for found in re.findall(r" 第 (\d+) 行 ", result.output)]
    assert rows == sorted(rows) and len(rows) == 49
    # nothing English is left in what a Chinese user reads, but ids in brackets and codes
    told = re.sub(r"（[a-z0-9_.]+）|\[[a-z-]+\]", "", result.output.replace(str(form), ""))
    assert re.findall(r"[A-Za-z]{2,}", told) == []
    english = CliRunner().invoke(main, ["score", str(HUIZHOU), str(form), "--lang", "en"])
    assert english.output.splitlines()[:3] == [
        "error: invalid inputs (49 problems):",
        "  49 inputs are missing, rows 5–104; each of them:",
        f"  - {form} row 5: 是否有主管的转移支付资金 (has_transfer_payments): missing, used by "
        "Share of transfer payments released in advance, Lawful and timely release of funds "
        "[input-missing]",
    ]


def test_a_problem_without_words_is_told_as_before():
    problem = Problem(
        "points-mismatch", "the points add up to 4", file="r.yaml", line=3, indicator="a"
    )
    assert (
        problem.text("zh")
        == problem.text("en")
        == ("r.yaml:3: the points add up to 4 [points-mismatch] (indicator a)")
    )
    error = rubriceng.RubricError("r.yaml is not a valid rubric", [problem])
    assert error.spoken("zh") == "en"  # never half Chinese, half English
    assert str(error).startswith("r.yaml is not a valid rubric (1 problem):")


def test_scores_are_untouched_by_the_language(small, monkeypatch):
    for lang in ("zh", "en"):
        monkeypatch.setenv("RUBRICENG_LANG", lang)
        assert rubriceng.evaluate(small, {"done": 3, "planned": 4}).total == Decimal("3.75")
