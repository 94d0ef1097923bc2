"""The words rubriceng speaks to people, by language: one table per language.

Chinese (``zh``) is the default; English (``en``) is complete where a table has it; a
language is added by adding its tables. The language of a call comes from, in order:
the ``lang`` it is given, the one set with :func:`using` (the CLI's ``--lang``), the
environment variable ``RUBRICENG_LANG``, and then Chinese.

- :data:`MESSAGES`: a template for each problem code, in each language. A problem that
  carries ``params`` is told in the user's language; one without keeps its (English)
  message until its code gets a template here.
- :data:`RULES`: what each input or document rule (type, range, allowed values …) says
  when a value breaks it.
- :data:`TERMS`: the words around a problem: where (file and line, the form's row), the
  unit, the input's label, the indicators that use it, and the headings of errors.

This module imports nothing from rubriceng: every layer may speak through it.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "FORMULA_WORDS",
    "GRADES",
    "LANGUAGES",
    "MESSAGES",
    "READINGS",
    "RULES",
    "TERMS",
    "Phrase",
    "grade",
    "language",
    "term",
    "unit_word",
    "using",
]

LANGUAGES = ("zh", "en")
"""The languages rubriceng speaks; the first is the default."""

VARIABLE = "RUBRICENG_LANG"
"""The environment variable that sets the language."""

_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("rubriceng_lang",
                                                                     default=None)  # fmt: skip


def language(lang: str | None = None) -> str:
    """The language to speak: ``lang`` if given, else the one set with :func:`using`, else
    ``$RUBRICENG_LANG``, else ``zh``. An unknown language is a ValueError.

    >>> language("en"), language()
    ('en', 'zh')
    """
    chosen = lang or _CURRENT.get() or os.environ.get(VARIABLE) or LANGUAGES[0]
    chosen = chosen.strip().lower().split("_")[0].split("-")[0]
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}: use one of {', '.join(LANGUAGES)}")
    return chosen


@contextlib.contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` (None: as before) inside the block: errors, explanations, tables."""
    token = _CURRENT.set(language(lang) if lang else _CURRENT.get())
    try:
        yield language()
    finally:
        _CURRENT.reset(token)


def term(key: str, lang: str | None = None, **values: Any) -> str:
    """The word or phrase ``key`` of :data:`TERMS` in the language, filled in."""
    text = TERMS[language(lang)][key]
    return text.format(**values) if values else text


TERMS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "row": "第 {row} 行", "line": "{file}:{line}", "form row": "{file} 第 {row} 行",
        "unit": "单位「{unit}」", "input": "{label}（{field}）", "field": "{field}",
        "used by": "，用于{names}", "indicator": "指标「{name}」", "list": "、",
        "in indicator": "（指标 {name}）", "place": " ",
        ": ": "：", "; ": "；", "problems": "（{count} 个问题）：",
        "missing group": "共 {count} 项未填写{rows}，逐项如下：",
        "missing rows": "，{rows}",
        "rows": "第 {first}–{last} 行", "one row": "第 {first} 行",
        "did you mean": "；是否应为 {names}？",
        "InputError": "填报数据有误", "RubricError": "评分表有误",
        "EvaluationError": "无法评分", "RubricNotFoundError": "找不到评分表",
        "PluginError": "插件出错", "RubricengError": "出错", "CaseFileError": "测试用例有误",
        "IndicatorNotFoundError": "找不到指标",
        "of unit": "单位「{unit}」的", "of file": "{file} 的", "of units": "{count} 个单位的",
        "error": "错误", "warning": "警告",
        "indicator heading": "指标", "points": "分值", "effective": "调整后", "score": "得分",
        "total": "合计", "events": "{count} 次", "judged": "评定", "not_applicable": "不适用",
    },
    "en": {
        "row": "row {row}", "line": "{file}:{line}", "form row": "{file} row {row}",
        "unit": "unit {unit!r}", "input": "{label} ({field})", "field": "{field}",
        "used by": ", used by {names}", "indicator": "indicator {name}", "list": ", ",
        "in indicator": " (indicator {name})", "place": ": ",
        ": ": ": ", "; ": "; ", "problems": " ({count} problem{s}):",
        "missing group": "{count} inputs are missing{rows}; each of them:",
        "missing rows": ", {rows}",
        "rows": "rows {first}–{last}", "one row": "row {first}",
        "did you mean": "; did you mean {names}?",
        "error": "error", "warning": "warning",
        "indicator heading": "Indicator", "points": "Points", "effective": "Effective",
        "score": "Score", "total": "Total", "events": "{count} events", "judged": "judged",
        "not_applicable": "n/a",
    },
}  # fmt: skip
"""The words around problems and errors, and the headings of score tables, by language."""


FORMULA_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "and": " 且 ", "or": " 或 ", "not": "非（{0}）", "true": "是", "false": "否",
        "text": "「{0}」", "list": "、", "if": "若 {test} 则 {then}，否则 {otherwise}",
        "floor div": "{0} 除以 {1} 的整数部分", "mod": "{0} 除以 {1} 的余数",
        "name points": "满分",
        "abs()": "|{0}|", "ceil()": "{0} 向上取整", "floor()": "{0} 向下取整",
        "round()": "{all} 四舍五入", "count()": "{0} 的个数", "sum()": "{0} 之和",
        "mean()": "{0} 的平均值", "min()": "{all} 中的较小者", "max()": "{all} 中的较大者",
        "clamp()": "{0} 限定在 {1} 至 {2} 之间", "div()": "{0} ÷ {1}",
    },
    "en": {
        "and": " and ", "or": " or ", "not": "not ({0})", "true": "true", "false": "false",
        "text": "'{0}'", "list": ", ", "if": "if {test} then {then}, else {otherwise}",
        "floor div": "the whole part of {0} ÷ {1}", "mod": "the remainder of {0} ÷ {1}",
        "name points": "full marks",
        "abs()": "|{0}|", "ceil()": "{0} rounded up", "floor()": "{0} rounded down",
        "round()": "{all} rounded", "count()": "the number of {0}", "sum()": "the sum of {0}",
        "mean()": "the mean of {0}", "min()": "the least of {all}",
        "max()": "the greatest of {all}", "clamp()": "{0} kept between {1} and {2}",
        "div()": "{0} ÷ {1}",
    },
}  # fmt: skip
"""How formulas are read out (:func:`rubriceng.phrasing.formula_words`), by language."""

UNITS: Mapping[str, Mapping[str, str]] = {
    "en": {"万元": " (10k yuan)", "元": " yuan", "亿元": " (100m yuan)", "天": " days",
           "个": "", "项": "", "次": " times", "人": " persons", "%": "%"},
}  # fmt: skip
"""Measure words of input units in other languages (Chinese shows the rubric's own)."""


def unit_word(unit: str | None, lang: str | None = None) -> str:
    """An input's unit as written after a number in ``lang`` (``万元`` stays in Chinese).

    >>> unit_word("万元", "zh"), unit_word("万元", "en"), unit_word(None)
    ('万元', ' (10k yuan)', '')
    """
    if not unit:
        return ""
    lang = language(lang)
    if lang == "zh":
        return unit
    return UNITS.get(lang, {}).get(unit, f" {unit}")


GRADES: Mapping[str, Mapping[str, str]] = {
    "en": {"优": "Excellent", "优秀": "Excellent", "良": "Good", "良好": "Good",
           "中": "Pass", "合格": "Pass", "及格": "Pass", "差": "Fail", "不合格": "Fail",
           "不及格": "Fail"},
}  # fmt: skip
"""The usual grade names in other languages (a rubric's own English names come first)."""


@dataclasses.dataclass(frozen=True)
class Phrase:
    """A value of a problem's ``params`` said differently in each language (a query, a
    list): the template gets the text for the language it speaks."""

    said: Mapping[str, str]

    def text(self, lang: str | None = None) -> str:
        """The phrase in ``lang`` (else in English, else in any language it has)."""
        said = self.said
        return said.get(language(lang)) or said.get("en") or next(iter(said.values()), "")


def grade(name: str | None, lang: str | None = None, english: str | None = None) -> str:
    """A grade's name in the language: the rubric's English name (``english``) or the
    usual one for ``en``; as the rubric names it for ``zh``.

    >>> grade("优", "en"), grade("良", "zh")
    ('Excellent', '良')
    """
    if not name:
        return ""
    lang = language(lang)
    if lang == "zh":
        return name
    return english or GRADES.get(lang, {}).get(name, name)


MESSAGES: Mapping[str, Mapping[str, str]] = {
    "input-missing": {"zh": "未填写", "en": "missing"},
    "input-unknown": {
        "zh": "评分表没有这一填报项{suggestion}",
        "en": "unknown input: the rubric declares no input by this name{suggestion}",
    },
    "input-rule": {"zh": "{rule}", "en": "{rule}"},
    "input-names": {
        "zh": "填报项的名称应为文字，而不是 {kind}（{value}）",
        "en": "input names are text, not {kind} ({value})",
    },
    "input-form": {
        "zh": "填报数据应为「填报项: 值」的映射",
        "en": "a unit's inputs are a mapping of input ids to values",
    },
    "too-many-problems": {
        "zh": "另有 {count} 个问题未列出", "en": "{count} more problems not listed",
    },
    "input-type": {"zh": "应为{wanted}，实际为 {value}", "en": "must be {wanted}, got {value}"},
    "rubric-not-found": {
        "zh": "找不到评分表：{wanted}（已有：{known}）",
        "en": "no rubric {wanted} (known: {known})",
    },
    "rubric-ambiguous": {
        "zh": "有多个评分表符合 {wanted}：{ids}；请给出 id",
        "en": "several rubrics {wanted}: {ids}; give an id",
    },
    "indicator-several": {
        "zh": "「{key}」开头或含有它的指标有多个：{choices}",
        "en": "several indicators begin with or contain '{key}': {choices}",
    },
    "indicator-close": {"zh": "没有指标「{key}」；是否应为 {choices}？",
                        "en": "no indicator '{key}'; did you mean {choices}?"},
    "indicator-none": {"zh": "没有指标「{key}」", "en": "no indicator is named '{key}'"},
    "request-object": {
        "zh": "请求体应为 JSON 对象", "en": "the request body must be a JSON object",
    },
    "request-year": {
        "zh": "年度应在 1949 至 2200 之间，实际为 {value}",
        "en": "year must be between 1949 and 2200, got {value}",
    },
    "request-rubric": {
        "zh": "请以 ?rubric=id@version 给出评分表", "en": "give the rubric as ?rubric=id@version",
    },
    "request-malformed": {
        "zh": "请求体不是有效的 JSON：{reason}", "en": "the request body is not JSON: {reason}",
    },
    "request-too-large": {
        "zh": "请求体超过 {limit} 字节的上限",
        "en": "the request body is larger than {limit} bytes",
    },
    "request-timeout": {
        "zh": "请求处理超过 {limit} 秒的时限", "en": "the request took more than {limit} s",
    },
    "unauthorized": {
        "zh": "此服务需要「Authorization: Bearer <令牌>」",
        "en": "this service needs 'Authorization: Bearer <token>'",
    },
}  # fmt: skip
"""A template for each problem code, by language. ``input-rule`` and ``input-type`` are the
rule messages of :data:`RULES` under the code a problem keeps."""


RULES: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "required": "必须填写", "unknown": "没有这一项", "empty": "不能为空",
        "nullable": "不能为空值", "min": "不能小于 {constraint}",
        "max": "不能大于 {constraint}", "minlength": "至少 {constraint} 项",
        "maxlength": "至多 {constraint} 项",
        "allowed": "「{value}」不是允许的值（应为 {constraint} 之一）",
        "regex": "{value} 不是有效的 id（小写字母、数字和 _）", "coerce": "{info}",
        "invalid": "无效",
        "decimal": "数值", "integer": "整数", "boolean": "是/否（true/false）", "string": "文字",
        "dict": "映射", "list": "列表", "formula": "公式（文字、数值或 true/false）",
        "credit": "是/否或分数", "or": "或",
    },
    "en": {
        "required": "required field", "unknown": "unknown key", "empty": "empty values not allowed",
        "nullable": "null value not allowed", "min": "min value is {constraint}",
        "max": "max value is {constraint}", "minlength": "min length is {constraint}",
        "maxlength": "max length is {constraint}", "allowed": "unallowed value {value}",
        "regex": "{value} is not a valid id (lower-case letters, digits and _)",
        "coerce": "{info}", "invalid": "invalid",
        "decimal": "a number", "integer": "a whole number", "boolean": "true or false",
        "string": "text", "dict": "a mapping", "list": "a list",
        "formula": "a formula (text, number or true/false)",
        "credit": "true, false or a number", "or": " or ",
    },
}  # fmt: skip
"""What a rule says when a value breaks it, by language."""


READINGS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "zh": (
        (r"^expected a number, got nothing \(null\)$", "应为数值，实际为空值（null）"),
        (r"^expected a finite number, got (.+)$", "应为有限的数值，实际为 \\1"),
        (r"^expected a number, got (.+)$", "应为数值，实际为 \\1"),
        (r"^expected a whole number, got (.+)$", "应为整数，实际为 \\1"),
        (r"^expected true or false, got (.+)$", "应为是/否（true/false），实际为 \\1"),
        (r"^(.+) is too large \(the limit is 10\^18\)$", "\\1 过大（上限为 10^18）"),
        (r"^(.+) has more than (\d+) significant digits$", "\\1 的有效数字多于 \\2 位"),
        (r"^must be at least (\S+), got (.+)$", "不能小于 \\1，实际为 \\2"),
        (r"^must be at most (\S+), got (\S+) \(a percentage\? write (\S+) or '(.+)'\)$",
         "不能大于 \\1，实际为 \\2（是否填成了百分数？应填 \\3 或「\\4」）"),
        (r"^must be at most (\S+), got (.+)$", "不能大于 \\1，实际为 \\2"),
        (r"^credit (\S+) is outside \[0, (\S+)\]$", "得分 \\1 不在 0 至 \\2 之间"),
    ),
}
"""How the readers of input values (``rubriceng.inputs``) say a value cannot be read, in
languages other than English: a pattern of the English text and its replacement."""
