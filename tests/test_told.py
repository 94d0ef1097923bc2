"""Every problem code is told in Chinese and English (rubriceng.outputs.words.TOLD and MESSAGES),
real problems read back through their templates, formulas read out in words, and no
ASCII word in what a Chinese reader is shown of a score, except ids in brackets."""

from __future__ import annotations

import ast
import re
import string
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner

import rubriceng
from rubriceng.authoring.cases import case_files, load_cases
from rubriceng.cli import main
from rubriceng.formula.phrasing import formula_words, is_rate, percent
from rubriceng.outputs.explanation import explain
from rubriceng.outputs.text import render_text
from rubriceng.outputs.words import (
    EXPLAIN_WORDS,
    FORMULA_ERRORS,
    FORMULA_WORDS,
    MESSAGES,
    TARGET_WORDS,
    TERMS,
    TOLD,
)
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, PLUGINS, ROOT, make_rubric

PACKAGE = ROOT / "rubriceng"


def _fields(template: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _codes_in_source() -> dict[str, str]:
    """Every problem code the engine raises, with where: the first argument of each call
    that makes a problem, reports one or fails with one."""
    makers = re.compile(
        r"(Problem|problem|fail|report|ScoringFailure|FormulaSyntaxError|_at|"
        r"_refuse|_refusal)$"
    )
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func).split(".")[-1]
            if not makers.search(name):
                continue
            for argument in node.args[:4]:  # a code as written, or chosen ("a" if x else "b")
                for part in ast.walk(argument):
                    if (
                        isinstance(part, ast.Constant)
                        and isinstance(part.value, str)
                        and re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", part.value)
                    ):
                        found.setdefault(part.value, f"{path.name}:{node.lineno}")
    return found


CODES = _codes_in_source()


def test_the_scan_finds_the_codes_it_should():
    assert {
        "points-mismatch",
        "zero-denominator",
        "input-missing",
        "document-syntax",
        "formula-name",
        "unreachable-band",
        "table-too-large",
        "request-too-large",
        "variant-form",
        "target-counts",
        "method-missing",  # chosen by an expression
        "method-conflict",
    } <= set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_raised_has_a_chinese_and_an_english_template(code):
    # these always carry params naming their template
    templated = {
        "indicator-not-found": "indicator-close",
        "request-invalid": "request-year",
        "request-malformed": "request-json",
    }
    assert code in TOLD or code in MESSAGES or templated.get(code) in MESSAGES, CODES[code]


@pytest.mark.parametrize("code", sorted(TOLD))
def test_each_template_says_the_same_parts_in_both_languages(code):
    for english, chinese in TOLD[code]:
        assert _fields(english) == _fields(chinese), (code, english)
        assert len(set(_fields(english))) == len(_fields(english)), english
        if re.search(r"[a-z]", re.sub(r"\{\w+\}", "", english)):  # words, not only parts
            assert re.search(r"[\u4e00-\u9fff]", chinese), chinese


def test_the_formula_errors_say_the_same_parts_in_both_languages():
    for english, chinese in FORMULA_ERRORS:
        assert _fields(english) == _fields(chinese), english


# -- real problems, read back through their templates --------------------------------------

INPUTS = {"a": {"type": "money"}, "b": {"type": "money"}, "n": {"type": "count"}}


def _leaf(**rule: Any) -> dict[str, Any]:
    return {"id": "x", "name": "甲", "points": 4, **rule}


RUBRICS = [  # (what is wrong, the rubric, the code, the Chinese message)
    (
        "points",
        make_rubric([_leaf(score=4)], INPUTS, total=5),
        "points-mismatch",
        "一级指标分值合计 4.00，评分表总分为 5.00",
    ),
    ("name", make_rubric([_leaf(score="c + 1")], INPUTS), "formula-name", "未知名称 'c'"),
    (
        "syntax",
        make_rubric([_leaf(score="a +")], INPUTS),
        "formula-syntax",
        "无法解析公式 'a +'：语法有误",
    ),
    (
        "no method",
        make_rubric([_leaf()], INPUTS),
        "method-missing",
        "请给出一种评分方法（score, ratio, bands, steps, checklist, deductions, all_or_nothing, "
        "average, peer, judgement, unit_defined, target_completion 之一），或给出下级指标",
    ),
    (
        "two methods",
        make_rubric([_leaf(score=4, bands=[{"else": 0}])], INPUTS),
        "method-conflict",
        "只能给出一种评分方法，不能同时给出 score, bands",
    ),
    (
        "function",
        make_rubric([_leaf(score="halve(a)")], INPUTS),
        "formula-function",
        "未知函数 'halve'",
    ),
    (
        "forbidden",
        make_rubric([_leaf(score="_a + 1")], INPUTS),
        "formula-forbidden",
        "不允许以 _ 开头的名称：_a",
    ),
    (
        "bands",
        make_rubric(
            [_leaf(value="a / b", bands=[{"upto": 0.2, "score": 4}, {"upto": 0.1, "score": 2}])],
            INPUTS,
        ),
        "band-order",
        "档次「value ≤ 0.1」与前一档「value ≤ 0.2」重叠或为空：界限应递增"
        "（相等的界限只能是先 below x 后 upto x）",
    ),
    (
        "else",
        make_rubric([_leaf(value="a / b", bands=[{"upto": 0.2, "score": 4}])], INPUTS),
        "band-gap",
        "最后一档应为 {else: <得分>}，使每个值都有所属档次",
    ),
    (
        "step",
        make_rubric([_leaf(value="a", steps={"size": 0, "deduct": 1})], INPUTS),
        "steps-size",
        "步长应大于 0",
    ),
    (
        "zero",
        make_rubric([_leaf(score=4, points=0)], INPUTS, total=0),
        "points-zero",
        "分值应大于 0",
    ),
    (
        "grades",
        make_rubric([_leaf(score=4)], INPUTS, grades=[{"name": "优", "min": 2}]),
        "grade-coverage",
        "最低等级应从 0 分起，使 0 至 4.00 的每个总分都有等级",
    ),
    (
        "applies",
        make_rubric([_leaf(score=4, applies="n > 0")], INPUTS),
        "not-applicable-missing",
        "请说明指标不适用时分值如何处理：not_applicable: "
        "{strategy: proportional|even|move|rescale|full_marks}",
    ),
]


@pytest.mark.parametrize(
    ("document", "code", "chinese"),
    [case[1:] for case in RUBRICS],
    ids=[case[0] for case in RUBRICS],
)
def test_a_rubric_s_problems_are_told_in_chinese_and_english(document, code, chinese):
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(document)
    problem = next(found for found in raised.value.problems if found.code == code)
    assert problem.speaks("zh") == "zh"
    assert problem.said("zh").startswith(chinese)
    assert problem.said("en") == problem.message
    assert raised.value.text("en").startswith("<mapping> is not a valid rubric")
    if raised.value.spoken("zh") == "zh":
        assert str(raised.value).startswith("<mapping> 的评分表有误")


SCORING = [  # (what, indicator rule, inputs, code, the Chinese message)
    (
        "zero",
        {"ratio": {"actual": "a", "target": "b"}},
        {"a": 1, "b": 0},
        "zero-denominator",
        "目标值 b 为 0",
    ),
    ("division", {"score": "a / b"}, {"a": 1, "b": 0}, "formula-failed", "a / b：除数为 0"),
    (
        "exceeds",
        {"ratio": {"actual": "a", "target": "b", "refuse_when_exceeds": True}},
        {"a": 3, "b": 2},
        "actual-exceeds-target",
        "a（3）大于 b（2）",
    ),
    (
        "range",
        {"score": "a * 10"},
        {"a": 1, "b": 1},
        "score-out-of-range",
        "得分 10 不在 0 至 4.00 之间",
    ),
    (
        "peer",
        {"value": "a / b", "peer": {"compare": "at_least", "statistic": "mean"}},
        {"a": 1, "b": 2},
        "peer-statistic-missing",
        "没有同类单位的均值：请与同类单位一起评分",
    ),
]


@pytest.mark.parametrize(
    ("rule", "inputs", "code", "chinese"),
    [case[1:] for case in SCORING],
    ids=[case[0] for case in SCORING],
)
def test_a_unit_that_cannot_be_scored_is_told_why_in_chinese(rule, inputs, code, chinese):
    rubric = rubriceng.load_rubric(make_rubric([_leaf(**rule)], INPUTS))
    with pytest.raises(rubriceng.RubricengError) as raised:
        rubriceng.evaluate(rubric, inputs, unit="某局")
    (problem,) = raised.value.problems
    assert problem.code == code
    assert problem.said("zh") == chinese, problem.message
    assert problem.text("zh").startswith("单位「某局」 ")
    assert problem.text("zh").endswith(f" [{code}]（指标 甲 x）")
    assert problem.text("en").startswith("unit '某局': ")


LIBYAML_CONTEXTS = [  # every context libyaml's scanner and parser give (src/scanner.c, parser.c)
    *(
        f"while parsing a {what}"
        for what in (
            "%TAG directive",
            "block collection",
            "block mapping",
            "block node",
            "flow mapping",
            "flow node",
            "flow sequence",
            "node",
            "quoted scalar",
            "tag directive",
            "tag",
        )
    ),
    *(
        f"while scanning {what}"
        for what in (
            "a %TAG directive",
            "a %YAML directive",
            "a block scalar",
            "a directive",
            "a plain scalar",
            "a quoted scalar",
            "a simple key",
            "a tag directive",
            "a tag",
            "an alias",
            "an anchor",
            "for the next token",
        )
    ),
]
LIBYAML_PROBLEMS = [  # and every problem they report
    "block sequence entries are not allowed in this context",
    "could not find expected ':'",
    "could not find expected directive name",
    "did not find URI escaped octet",
    "did not find expected '!'",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "did not find expected '-' indicator",
    "did not find expected <document start>",
    "did not find expected <stream-start>",
    "did not find expected alphabetic or numeric character",
    "did not find expected comment or line break",
    "did not find expected digit or '.' character",
    "did not find expected hexdecimal number",
    "did not find expected key",
    "did not find expected node content",
    "did not find expected tag URI",
    "did not find expected version number",
    "did not find expected whitespace or line break",
    "did not find expected whitespace",
    "did not find the expected '>'",
    "expected low surrogate area",
    "found a tab character that violates indentation",
    "found a tab character where an indentation space is expected",
    "found an incorrect leading UTF-8 octet",
    "found an incorrect trailing UTF-8 octet",
    "found an indentation indicator equal to 0",
    "found character that cannot start any token",
    "found duplicate %TAG directive",
    "found duplicate %YAML directive",
    "found extremely long version number",
    "found incompatible YAML document",
    "found invalid Unicode character escape code",
    "found undefined tag handle",
    "found unexpected ':'",
    "found unexpected document indicator",
    "found unexpected end of stream",
    "found unexpected non-alphabetical character",
    "found unknown directive name",
    "found unknown escape character",
    "incomplete UTF-16 character",
    "incomplete UTF-16 surrogate pair",
    "incomplete UTF-8 octet sequence",
    "input is too long",
    "invalid Unicode character",
    "invalid leading UTF-8 octet",
    "invalid length of a UTF-8 sequence",
    "invalid trailing UTF-8 octet",
    "mapping keys are not allowed in this context",
    "mapping values are not allowed in this context",
    "unexpected low surrogate area",
    "unacceptable character #xfffe: special characters are not allowed",
    "unacceptable character #x0001: control characters are not allowed",
]
_NAMES = r"'[^']*'|#x[0-9a-f]+|YAML|%?TAG|URI|UTF-\d+|Unicode|Tab"


@pytest.mark.parametrize("context", ["", *LIBYAML_CONTEXTS])
def test_every_message_of_the_yaml_parser_is_told_in_chinese(context):
    for message in LIBYAML_PROBLEMS:
        said = rubriceng.Problem("document-syntax", f"{context} {message}".strip()).said("zh")
        assert said.startswith("语法错误：")
        assert not re.search(r"[A-Za-z]{2,}", re.sub(_NAMES, "", said)), said


def test_a_key_that_is_not_text_is_shown_as_written():
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric({"id": "x", Decimal("0.75"): 1, None: 2, True: 3, ("a",): 4})
    said = sorted(p.said("zh") for p in raised.value.problems if p.code == "document-key")
    assert said == [
        "键 ('a',) 应为文字",
        "键 0.75 应为文字",
        "键 null 应为文字",
        "键 true 应为文字",
    ]


def test_a_message_no_template_fits_stays_english_whole():
    problem = rubriceng.Problem(
        "points-mismatch", "something new and unforeseen", file="r.yaml", line=3
    )
    assert problem.speaks("zh") == "en"
    assert problem.text("zh") == "r.yaml:3: something new and unforeseen [points-mismatch]"
    error = rubriceng.RubricError("r.yaml is not a valid rubric", [problem])
    assert error.spoken("zh") == "en"
    assert str(error).startswith("r.yaml is not a valid rubric (1 problem):")


def test_the_check_command_speaks_chinese_and_english(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (
        "id: x\nversion: '1'\ntitle: t\ntotal: 5\nindicators:\n"
        "  - {id: a, name: 甲, points: 4, score: 'c + 1'}\n"
    )
    bad.write_text(text, encoding="utf-8")
    chinese = CliRunner().invoke(main, ["check", str(bad)]).output.splitlines()
    assert chinese == [
        f"错误：{bad}:4 total：一级指标分值合计 4.00，评分表总分为 5.00 [points-mismatch]",
        f"错误：{bad}:6 indicators[0].score：未知名称 'c' [formula-name]（指标 a）",
        "2 个错误，0 个警告",
    ]
    english = CliRunner().invoke(main, ["--lang", "en", "check", str(bad)]).output
    assert english.splitlines()[-1] == "2 error(s), 0 warning(s)"
    assert f"error: {bad}:6: indicators[0].score: unknown name 'c' [formula-name]" in english


# -- formulas and rates in words -------------------------------------------------------------

LABELS = {"a": "年末结转", "b": "预算数", "ok": "账账相符", "items": "项目"}


@pytest.mark.parametrize(
    ("formula", "chinese", "english"),
    [
        ("a / b", "年末结转 ÷ 预算数", "a ÷ b"),
        ("(a + b) * 2", "(年末结转 + 预算数) × 2", "(a + b) × 2"),
        ("a - (b - 1)", "年末结转 - (预算数 - 1)", "a - (b - 1)"),
        ("a == 0 and b == 0", "年末结转 = 0 且 预算数 = 0", "a = 0 and b = 0"),
        ("a >= 1 or not ok", "年末结转 ≥ 1 或 非（账账相符）", "a ≥ 1 or not (ok)"),
        (
            "points * min(1, a / b)",
            "满分 × 1、年末结转 ÷ 预算数 中的较小者",
            "full marks × the least of 1, a ÷ b",
        ),
        ("count(items) > 0", "项目 的个数 > 0", "the number of items > 0"),
        ("mean(items)", "项目 的平均值", "the mean of items"),
        ("0 if ok else 3", "若 账账相符 则 0，否则 3", "if ok then 0, else 3"),
        ("ok == true", "账账相符 = 是", "ok = true"),
        ("a != 2", "年末结转 ≠ 2", "a ≠ 2"),
        ("a +", "a +", "a +"),  # what does not parse is shown as written
    ],
)
def test_formulas_read_in_words(formula, chinese, english):
    assert formula_words(formula, "zh", LABELS) == chinese
    assert formula_words(formula, "en") == english


KINDS = {
    "end": "money",
    "start": "money",
    "done": "count",
    "due": "count",
    "r": "rate",
    "days": "number",
}


@pytest.mark.parametrize(
    ("formula", "rate"),
    [
        ("end / start", True),
        ("end / start - 1", True),
        ("abs(end - start) / start", True),
        ("done / due", True),
        ("r", True),
        ("mean(r)", True),
        ("r - 0.5", True),
        ("end / (start + end)", True),
        ("end - start", False),
        ("done / end", False),
        ("100 * end / start", False),
        ("days", False),
        ("end / 2", False),
        ("x / y", False),
    ],
)
def test_which_formulas_compute_a_rate(formula, rate):
    assert is_rate(formula, KINDS) is rate


def test_percentages_are_exact_and_short():
    assert [
        percent(value)
        for value in (
            Decimal("0.0092"),
            Decimal("0.10"),
            Decimal(1),
            Decimal("0.99995"),
            Decimal("-0.15"),
        )
    ] == ["0.92%", "10%", "100%", "100%", "-15%"]


def test_a_rate_s_value_band_and_step_are_percentages(tmp_path):
    rubric = rubriceng.load_rubric(
        make_rubric(
            [
                _leaf(value="a / b", bands=[{"upto": 0.1, "score": 4}, {"else": 0}]),
                {
                    **_leaf(
                        value="abs(a - b) / b", steps={"size": 0.05, "deduct": 0.5, "count": "full"}
                    ),
                    "id": "y",
                    "name": "乙",
                },
                {
                    **_leaf(value="n", bands=[{"upto": 3, "score": 4}, {"else": 0}]),
                    "id": "z",
                    "name": "丙",
                },
            ],
            INPUTS,
        )
    )
    result = rubriceng.evaluate(rubric, {"a": "94.27", "b": "10298.31", "n": 2})
    assert explain(result, "x", rubric).splitlines()[2:5] == [
        "  数据：a 94.27，b 10298.31",
        "  计算值 0.92%",
        "  落在第1档（计算值 ≤ 10%）",
    ]
    assert "  19 个步长，扣 4 分（每满 5% 扣 0.5 分）" in explain(result, "y", rubric).splitlines()
    assert "  落在第1档（计算值 ≤ 3）" in explain(result, "z", rubric).splitlines()  # a count


# -- no English in what a Chinese reader is shown ---------------------------------------


def _cases() -> list[Any]:
    found = []
    for folder in (PLUGINS, ROOT / "rubrics"):
        for file in case_files(folder):
            found += load_cases(file)
    return found


CASES = _cases()
ASCII_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def _ascii_words(text: str) -> list[str]:
    text = re.sub(r"\([a-z0-9_.]+\)|\[[a-z0-9-]+\]", "", text)  # ids in brackets
    return ASCII_WORD.findall(text)


def test_every_case_s_explanations_and_table_are_chinese_through_and_through():
    registry = rubriceng.default_registry()
    checked = 0
    for case in CASES:
        rubric = registry.load(case.rubric, year=case.year)
        result = rubriceng.evaluate(rubric, case.inputs, unit=case.unit)
        for row in result.walk():
            text = explain(result, row.id, rubric, "zh")
            steps = text.split("\n\n")[1] if "\n\n" in text else ""  # the rubric's own texts after
            assert _ascii_words(steps) == [], (case.name, row.id, steps)
            checked += 1
        table = render_text(result)
        assert _ascii_words(table) == [], (case.name, table)
    assert checked >= 150  # every indicator of every case (164 when written)


def test_every_case_s_english_explanations_use_no_chinese_word_of_rubriceng_s():
    ours = {
        chunk
        for text in [
            *EXPLAIN_WORDS["zh"].values(),
            *TERMS["zh"].values(),
            *FORMULA_WORDS["zh"].values(),
            *TARGET_WORDS["zh"].values(),
        ]
        for chunk in re.findall(r"[\u4e00-\u9fff]{2,}", text)
    }
    registry = rubriceng.default_registry()
    methods = set()
    for case in CASES:
        rubric = registry.load(case.rubric, year=case.year)
        result = rubriceng.evaluate(rubric, case.inputs, unit=case.unit)
        names = {text for node in rubric.walk() for text in (node.name, node.standard or "")}
        labels = {spec.label or "" for spec in rubric.inputs}
        for row in result.walk():
            methods.add(row.trace.get("method"))
            steps = explain(result, row.id, rubric, "en").split("\n\n")
            body = steps[1] if len(steps) > 1 else ""
            given = set(re.findall(r"[^\x00-\x7f，；、]+", repr(row.trace)))  # names in the data
            for text in sorted(names | labels | given, key=len, reverse=True):  # theirs
                body = body.replace(text, "") if text else body
            assert not {chunk for chunk in ours if chunk in body}, (case.name, row.id, body)
    assert {
        "bands",
        "steps",
        "ratio",
        "checklist",
        "average",
        "peer",
        "deductions",
        "judgement",
        "score",
        "all_or_nothing",
    } <= methods


def test_explain_in_english_has_no_chinese_words_of_its_own():
    rubric = rubriceng.load_rubric(HUIZHOU)
    result = rubriceng.evaluate(rubric, rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    for row in result.walk():
        text = explain(result, row.id, rubric, "en")
        steps = text.split("\n\n")[1] if "\n\n" in text else ""
        assert not {"万元", "满足", "得分", "数据", "计算值"} & set(
            re.findall(r"[\u4e00-\u9fff]+", steps)
        ), steps
    carry = explain(result, "carryover_rate", rubric, "en")
    assert "  data: carryover_end 94.27 (10k yuan), carryover_start 0 (10k yuan), " in carry


def test_grades_in_english_are_the_rubric_s_own_names_else_the_usual_ones():
    grades = [{"name": "优秀", "name_en": "Outstanding", "min": 3}, {"name": "合格", "min": 0}]
    rubric = rubriceng.load_rubric(make_rubric([_leaf(score="a")], INPUTS, grades=grades))
    high, low = (rubriceng.evaluate(rubric, {"a": value}) for value in (4, 1))
    assert (high.grade, high.grade_en, low.grade, low.grade_en) == (
        "优秀",
        "Outstanding",
        "合格",
        None,
    )
    assert render_text(high, english=True).splitlines()[-1].split()[-2:] == ["4.00", "Outstanding"]
    assert render_text(low, english=True).splitlines()[-1].split()[-2:] == ["1.00", "Pass"]
    assert render_text(high).splitlines()[-1].split()[-2:] == ["4.00", "优秀"]
    assert high.to_dict()["grade"] == "优秀" and "grade_en" not in high.to_dict()


def test_a_plugin_method_explains_its_trace_through_the_words_it_gives():
    from rubriceng.host.registry import Registry
    from rubriceng.plugin import Context, Method, Scored, Scorer, hookimpl

    class Lucky(Scorer):
        def score(self, context: Context) -> Scored:
            return Scored(context.points, {"clover": 4, "horseshoe": True})

    words = {"zh": {"clover": "四叶草 {value} 片"}, "en": {"clover": "{value}-leaf clover"}}

    class Plugin:
        @hookimpl
        def rubriceng_scoring_methods(self) -> list[Method]:
            return [Method("lucky", {"type": "boolean"}, lambda spec, cc: Lucky(), words=words)]

    registry = Registry(entry_points=False)
    registry.register(Plugin(), name="lucky")
    rubric = registry.load_rubric(make_rubric([_leaf(lucky=True)]))
    assert rubric.trace_words == {"lucky": words}
    result = rubriceng.evaluate(rubric, {})
    assert explain(result, "x", rubric).splitlines()[2:4] == ["  四叶草 4 片", "  horseshoe 满足"]
    assert explain(result, "x", rubric, "en").splitlines()[2:4] == [
        "  4-leaf clover",
        "  horseshoe met",
    ]


def test_the_words_of_every_language_live_in_one_table():
    """No module but rubriceng.outputs.words keeps a table of words by language (a Phrase, one
    value said in each language, is made where its parts are known)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "words.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        phrases = {
            id(argument)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "Phrase"
            for argument in node.args
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict) and id(node) not in phrases:
                keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
                if {"zh", "en"} <= keys:
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []
