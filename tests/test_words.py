"""Chinese first: the words table, the language of a call, and input errors told in the
user's words — the input by its label (its id in brackets), the form's row, the
indicators that use it — in Chinese by default and in English when asked."""

from __future__ import annotations

import json
import re
import string
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner

import rubriceng
from rubriceng.cli import main
from rubriceng.errors import InputError, Problem
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
        "ref",
        "days",
        "text",
        "hooks",
        "what",
        "expected",
        "actual",
        "where",
        "case",
        "report",
        "passed",
        "failed",
        "leaves",
        "hints",
        "problems",
        "plugin",
        "hook",
        "message",
        "suffixes",
        "format",
        "have",
        "host",
        "error",
        "version",
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
    with pytest.raises(ValueError, match="unknown language 'de'"), using("de"):
        pass


@pytest.mark.parametrize("value", ["fr", "C.UTF-8", "english", "中文", " "])
def test_an_unknown_language_in_the_environment_is_warned_of_and_chinese_spoken(
    monkeypatch, small, value
):
    """A message is never lost to the environment: RUBRICENG_LANG=fr once made every
    error fail to print (str() raised ValueError)."""
    monkeypatch.setenv("RUBRICENG_LANG", value)
    if not value.strip():  # blank: as if unset, nothing to warn of
        assert language() == "zh"
        return
    with pytest.warns(RuntimeWarning, match="RUBRICENG_LANG=.* names no language"):
        assert language() == "zh"
    assert language("en") == "en"
    with using("en"):
        assert language() == "en"
    with pytest.raises(InputError) as raised:
        rubriceng.evaluate(small, {"planned": "x"})
    with pytest.warns(RuntimeWarning):
        told = str(raised.value)
    assert told.startswith("填报数据有误"), told
    assert raised.value.text("en").startswith("invalid inputs"), raised.value.text("en")


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
            "重点工作实际完成数（done）：应为用数字写的数值，实际为 '三'，用于重点工作完成率 "
            "[input-invalid]",
            "重点工作实际完成数 (done): expected a number in digits, got '三', used by Key "
            "tasks [input-invalid]",
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
            "填报项的名称应为文字，而不是 整数（7） [input-invalid]",
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


def _told_in_chinese(error: rubriceng.RubricengError) -> str:
    """The error as a Chinese user reads it, every problem in Chinese, with nothing
    English left but ids, codes, keys and file names (which are the user's own)."""
    told = "\n".join(problem.said("zh") for problem in error.problems)
    assert error.spoken("zh") == "zh", told
    plain = re.sub(r"'[^']*'|\.(yaml|yml|json)\b", "", told)
    for word in ("extends", "YYYY-MM-DD", "add"):
        plain = plain.replace(word, "")
    assert re.findall(r"[A-Za-z]{2,}", plain) == [], told
    return told


def _variant(tmp_path, changes: Any, extends: str = "cn.gd.huizhou/dept-overall@2020") -> Any:
    path = tmp_path / f"variant-{len(list(tmp_path.iterdir()))}.yaml"
    document = {"extends": extends, "version": "v", "changes": changes}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("case", "chinese"),
    [
        ("finer points", "分值 2.5 比评分表的取整（0 位小数）更细：得分可能超过分值"),
        ("not a date", "'2020-13-01' 不是日期（YYYY-MM-DD）或年份"),
        ("no such indicator", "所扩展的评分表没有指标 'nowhere'"),
        ("indicator twice", "所扩展的评分表已有指标 'budget_reasonableness'"),
        ("no such input", "所扩展的评分表没有填报项 'nothing'"),
        ("moved inside itself", "不能把 'budget_preparation' 移到它自身之下"),
        ("nothing to unset", "'carryover_rate' 没有可删除的 'nothing'"),
        ("not at that place", "'nowhere' 不是该位置上的指标"),
        ("add takes a mapping", "add 需要一个指标（映射）"),
        ("a base outside", "该文件不在本评分表所在的文件夹内"),
        ("a base of another kind", "评分表文件的扩展名应为 .yaml, .yml, .json"),
        ("a key of a list", "键应为文字，不能是列表"),
        ("no file", "无法读取：文件不存在"),
    ],
)
def test_what_the_engine_says_behind_a_general_heading_is_said_in_chinese(tmp_path, case, chinese):
    """Problems whose code has a general Chinese heading for foreign text (a plugin's
    exception, a YAML parser's message) are told wholly in Chinese when the engine made
    their text: no half-Chinese, half-English message."""
    top = {"id": "budget_preparation", "under": "goal_setting"}
    sources: dict[str, Any] = {
        "finer points": make_rubric(
            [{"id": "a", "name": "a", "points": 2, "score": "1"}],
            rounding={"digits": 0},
            total=Decimal("2.5"),
        ),
        "not a date": make_rubric(
            [{"id": "a", "name": "a", "points": 2, "score": "1"}], in_force={"from": "2020-13-01"}
        ),
        "no such indicator": _variant(tmp_path, [{"remove": "nowhere"}]),
        "indicator twice": _variant(
            tmp_path, [{"add": {"id": "budget_reasonableness", "name": "x", "points": 1}}]
        ),
        "no such input": None,
        "moved inside itself": _variant(tmp_path, [{"move": top["id"], "under": top["under"]}]),
        "nothing to unset": _variant(
            tmp_path, [{"update": "carryover_rate", "unset": ["nothing"]}]
        ),
        "not at that place": _variant(
            tmp_path, [{"move": "carryover_rate", "under": None, "after": "nowhere"}]
        ),
        "add takes a mapping": _variant(tmp_path, [{"add": "x"}]),
        "a base outside": _variant(tmp_path, [], extends="../elsewhere/base.yaml"),
        "a base of another kind": _variant(tmp_path, [], extends="./base.txt"),
        "a key of a list": tmp_path / "key.yaml",
        "no file": tmp_path / "missing.yaml",
    }
    if case == "no such input":
        path = tmp_path / "inputs.yaml"
        document = {
            "extends": "cn.gd.huizhou/dept-overall@2020",
            "version": "v",
            "remove_inputs": ["nothing"],
        }
        path.write_text(json.dumps(document), encoding="utf-8")
        sources[case] = path
    if case == "a key of a list":
        sources[case].write_text("id: x\n? [a, b]\n: 1\n", encoding="utf-8")
    with pytest.raises(rubriceng.RubricengError) as caught:
        rubriceng.load_rubric(sources[case])
    told = _told_in_chinese(caught.value)
    assert chinese in told


def test_an_unknown_format_is_told_in_chinese(small):
    from rubriceng.host.registry import default_registry

    result = rubriceng.evaluate(small, {"done": 3, "planned": 4})
    with pytest.raises(rubriceng.PluginError) as caught:
        default_registry().render(result, format="pdf")
    told = "\n".join(problem.said("zh") for problem in caught.value.problems)
    assert told == "没有 'pdf' 这种输出格式（可用：json, markdown, text）"
    assert caught.value.spoken("zh") == "zh"


def test_a_unit_to_which_nothing_applies_is_told_in_chinese():
    document = make_rubric(
        [
            {
                "id": "a",
                "name": "甲",
                "points": 2,
                "score": "1",
                "applies": "flag",
                "not_applicable": {"strategy": "rescale"},
            }
        ],
        {"flag": {"type": "boolean"}},
    )
    with pytest.raises(rubriceng.EvaluationError) as caught:
        rubriceng.evaluate(rubriceng.load_rubric(document), {"flag": False})
    assert [problem.said("zh") for problem in caught.value.problems] == [
        "没有适用的指标：无法按比例折算分值"
    ]


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure Python"])
@pytest.mark.parametrize(
    ("text", "libyaml", "pure"),
    [
        ("a: b: c", "此处不能有「:」（映射的值）", None),
        ("a:\n  - x\n b: 1", "解析块映射时，没有找到应有的键（缩进是否对齐？）", None),
        ("a: 'x", "扫描带引号的字符串时，文件意外结束（引号或括号是否未闭合？）", None),
        ("a: [1, 2", "解析方括号列表时，没有找到应有的「,」或「]」", None),
        ("a: {x: 1", "解析花括号映射时，没有找到应有的「,」或「}」", None),
        ("- a\nb: 1", "解析块列表时，没有找到应有的「-」", None),
        ("[1, 2,, 3]", "解析节点时，没有找到应有的内容", "解析节点时，应有内容，实际为 ','"),
        ("a: *nope", "引用了未定义的别名", "引用了未定义的别名 'nope'"),
        ("a: 1\n---\nb: 2", "文件中只能有一个文档，却出现了第二个（---）", None),
        ("a: \x07", "有不可接受的控制字符 #x0007（第 3 个字符）", None),
    ],
)
def test_the_yaml_parsers_messages_are_told_in_chinese(monkeypatch, text, libyaml, pure, fast):
    """A rubric file that is not YAML: the parser's message, phrase by phrase, in Chinese,
    whichever parser reads it (libyaml, or PyYAML's own where libyaml is not built)."""
    from rubriceng.language import documents

    if not fast:
        monkeypatch.setattr(documents, "_FastParser", None)
    elif documents._FastParser is None:
        pytest.skip("PyYAML without libyaml")
    with pytest.raises(documents.DocumentError) as caught:
        documents.from_text(text)
    (problem,) = caught.value.problems
    said = problem.said("zh")
    assert said.startswith("语法错误：")
    if fast or pure is not None:
        assert said == "语法错误：" + (libyaml if fast else pure)
    assert re.findall(r"[A-Za-z]{2,}", re.sub(r"'[^']*'|YAML|Tab", "", said)) == []


@pytest.mark.parametrize(
    ("value", "chinese"),
    [
        (10**30, "1000000000000000000000000000000 不是日期（YYYY-MM-DD）或年份"),
        (0, "0 不是日期（YYYY-MM-DD）或年份"),
        (-5, "-5 不是日期（YYYY-MM-DD）或年份"),
        (99999, "99999 不是日期（YYYY-MM-DD）或年份"),
        ("0000", "'0000' 不是日期（YYYY-MM-DD）或年份"),
        ("2020-02-30", "'2020-02-30' 不是日期（YYYY-MM-DD）或年份"),
        ("²⁰²⁰", "'²⁰²⁰' 不是日期（YYYY-MM-DD）或年份"),
        ("2020/01/01", "'2020/01/01' 不是日期（YYYY-MM-DD）或年份"),
        ([2020], "应为整数或文字，实际为 列表"),
        ({"year": 2020}, "应为整数或文字，实际为 映射"),
        (True, "应为整数或文字，实际为 True"),
    ],
)
def test_a_day_in_force_that_is_none_is_refused_in_chinese(value, chinese):
    """Any value of in_force that is not a day or a year in 1–9999 is one problem, told in
    Chinese (a year of 31 digits once escaped as an OverflowError)."""
    document = make_rubric(
        [{"id": "a", "name": "甲", "points": 2, "score": "1"}], in_force={"from": value}
    )
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(document)
    assert [problem.said("zh") for problem in caught.value.problems] == [chinese]
    assert caught.value.spoken("zh") == "zh"


def test_a_year_in_force_may_be_text_or_a_number():
    for value in (2020, "2020", "２０２０"):
        document = make_rubric(
            [{"id": "a", "name": "甲", "points": 2, "score": "1"}],
            in_force={"from": value, "until": value},
        )
        in_force = rubriceng.load_rubric(document).in_force
        assert (str(in_force.start), str(in_force.end)) == ("2020-01-01", "2020-12-31")


def test_each_pattern_of_the_schema_says_what_it_wants():
    """A rubric id, an indicator id and a day each break their own pattern, and each is
    told what it should look like (not all three as an indicator's id)."""
    document = make_rubric(
        [{"id": "Bad", "name": "甲", "points": 2, "score": "1"}],
        id="Bad Id!",
        in_force={"until": "2020/12/31"},
    )
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(document)
    told = {
        lang: sorted(problem.said(lang) for problem in caught.value.problems)
        for lang in ("zh", "en")
    }
    assert told == {
        "zh": [
            "'2020/12/31' 不是日期（YYYY-MM-DD）或年份",
            "'Bad Id!' 不是有效的评分表 id（小写字母、数字和 . _ / -，以字母或数字开头）",
            "'Bad' 不是有效的 id（小写字母、数字和 _）",
        ],
        "en": [
            "'2020/12/31' is not a date (YYYY-MM-DD) or a year",
            "'Bad Id!' is not a valid rubric id (lower-case letters, digits and . _ / -, from "
            "a letter or digit)",
            "'Bad' is not a valid id (lower-case letters, digits and _)",
        ],
    }


@pytest.mark.parametrize(
    ("formula", "chinese"),
    [
        ("a +", "语法有误"),
        ("(a + b", "「(」没有闭合"),
        ("a + b)", "多了一个「)」"),
        ("(a]", "右括号「]」与左括号「(」不配对"),
        ("a，b", "有无效字符「，」（U+FF0C；括号、逗号和运算符请用半角）"),
        ("（a）", "有无效字符「（」（U+FF08；括号、逗号和运算符请用半角）"),
        ('"abc', "文字缺少结尾的引号"),
        ("max(a b)", "语法有误（是否漏了逗号？）"),
        ("a if b", "'if' 之后缺少 'else'"),
        ("1a", "数字写法有误"),
    ],
)
def test_a_formula_that_cannot_be_parsed_is_told_in_chinese(formula, chinese):
    """Python's parser says why a formula cannot be read; a Chinese user reads it in
    Chinese (a full-width comma or bracket is the likeliest slip)."""
    document = make_rubric(
        [{"id": "x", "name": "甲", "points": 2, "score": formula}],
        {"a": {"type": "number"}, "b": {"type": "number"}},
    )
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(document)
    (problem,) = caught.value.problems
    assert problem.said("zh") == f"无法解析公式 {formula!r}：{chinese}"
    assert caught.value.spoken("zh") == "zh"


def test_a_folder_given_for_a_file_is_told_in_chinese(tmp_path):
    with pytest.raises(rubriceng.RubricengError) as caught:
        rubriceng.load_rubric(tmp_path)
    assert [problem.said("zh") for problem in caught.value.problems] == ["不是普通文件，而是文件夹"]


def test_a_workbook_that_is_not_one_is_told_in_chinese(tmp_path):
    fake = tmp_path / "form.xlsx"
    fake.write_text("这不是工作簿", encoding="utf-8")
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.load_inputs(fake)
    assert [problem.said("zh") for problem in caught.value.problems] == [
        "不是 Excel 工作簿：文件不是 zip 格式（.xlsx 工作簿是 zip 压缩包）"
    ]
