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
import re
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "BATCH_FORM_WORDS",
    "EXPLAIN_WORDS",
    "FORMULA_ERRORS",
    "FORMULA_SYNTAX_READINGS",
    "FORMULA_WORDS",
    "FORM_HEADINGS",
    "GRADES",
    "JSON_READINGS",
    "KINDS",
    "LANGUAGES",
    "MESSAGES",
    "OUTLINE_WORDS",
    "READINGS",
    "REPORT_WORDS",
    "RESULT_HEADINGS",
    "RULES",
    "RULE_HEADINGS",
    "RULE_PATTERNS",
    "RULE_TEXTS",
    "SUBJECT_WORDS",
    "SUMMARY_WORDS",
    "SYNTAX_READINGS",
    "TARGET_KINDS",
    "TARGET_MISMATCHES",
    "TARGET_SHEET_WORDS",
    "TARGET_WORDS",
    "TERMS",
    "TOLD",
    "Phrase",
    "grade",
    "kind_word",
    "language",
    "summary_words",
    "term",
    "unit_word",
    "unknown_environment",
    "using",
]

LANGUAGES = ("zh", "en")
"""The languages rubriceng speaks; the first is the default."""

VARIABLE = "RUBRICENG_LANG"
"""The environment variable that sets the language."""

_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "rubriceng_lang", default=None
)


def language(lang: str | None = None) -> str:
    """The language to speak: ``lang`` if given, else the one set with :func:`using`, else
    ``$RUBRICENG_LANG``, else ``zh``. An unknown language given is a ValueError; an
    unknown one in the environment is a :class:`RuntimeWarning`, and ``zh`` is spoken.

    >>> language("en"), language()
    ('en', 'zh')
    """
    chosen = lang or _CURRENT.get()
    if not chosen:
        found = os.environ.get(VARIABLE, "").strip()
        if not found:
            return LANGUAGES[0]
        if _reading(found) not in LANGUAGES:  # a message must never fail to be told
            warnings.warn(
                f"{VARIABLE}={found!r} names no language rubriceng speaks "
                f"({', '.join(LANGUAGES)}): speaking {LANGUAGES[0]}",
                RuntimeWarning,
                stacklevel=2,
            )
            return LANGUAGES[0]
        chosen = found
    read = _reading(chosen)
    if read not in LANGUAGES:
        raise ValueError(f"unknown language {read!r}: use one of {', '.join(LANGUAGES)}")
    return read


def _reading(value: str) -> str:
    """A language as written (``en_US.UTF-8``, ``zh-CN``, `` EN``) read as its code."""
    return value.strip().lower().split("_")[0].split("-")[0]


def unknown_environment() -> str | None:
    """``$RUBRICENG_LANG`` when it is set to something that is not a language rubriceng
    speaks (:func:`language` then warns and speaks Chinese), else None."""
    found = os.environ.get(VARIABLE, "").strip()
    return found if found and _reading(found) not in LANGUAGES else None


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
        "row": "第 {row} 行",
        "line": "{file}:{line}",
        "form row": "{file} 第 {row} 行",
        "unit": "单位「{unit}」",
        "input": "{label}（{field}）",
        "field": "{field}",
        "used by": "，用于{names}",
        "indicator": "指标「{name}」",
        "list": "、",
        "in indicator": "（指标 {name}）",
        "place": " ",
        ": ": "：",
        "; ": "；",
        "problems": "（{count} 个问题）：",
        "missing group": "共 {count} 项未填写{rows}，逐项如下：",
        "missing rows": "，{rows}",
        "rows": "第 {first}–{last} 行",
        "one row": "第 {first} 行",
        "did you mean": "；是否应为 {names}？",
        "InputError": "填报数据有误",
        "TableError": "指标评分表无法读取",
        "RosterError": "名单有误",
        "TargetsError": "绩效目标表有误",
        "ReviewError": "复核文件有误",
        "HistoryError": "历年得分无法读取",
        "RubricError": "评分表有误",
        "EvaluationError": "评分出错",
        "RubricNotFoundError": "找不到评分表",
        "PluginError": "插件出错",
        "RubricengError": "出错",
        "CaseFileError": "测试用例有误",
        "IndicatorNotFoundError": "找不到指标",
        "of unit": "单位「{unit}」的",
        "of file": "{file} 的",
        "of units": "{count} 个单位的",
        "error": "错误",
        "warning": "警告",
        "version line": "{name}，版本 {version}",
        "lang variable": "环境变量 RUBRICENG_LANG 的值 {value!r} 不是 {have} 之一"
        "（用 --lang 选择，或改正该变量）",
        "suffix must": "{name}：文件后缀应为 {suffixes} 之一",
        "output is input": "{name} 是本命令要读取的文件，写入结果会覆盖它：请另选输出文件",
        "nul argument": "参数 {value} 含有空字符（NUL），不能是文件名或其他值",
        "cannot write": "无法写入 {file}：{error}",
        "cannot read": "无法读取 {file}：{error}",
        "format unknown": "{format!r}（可用：{have}）",
        "batch form suffix": "{name}：多单位填报表应为 .xlsx 或 .csv",
        "forms folder": "{name}：按名单为每个单位各写一份填报表时，-o 应为文件夹（不带后缀）",
        "forms written": "{count} 份填报表",
        "not returned": "名单 {file} 中有 {count} 个单位未报送：{names}",
        "not returned project": "名单 {file} 中有 {count} 个项目未报送：{names}",
        "review form suffix": "复核表须写成 .xlsx 文件",
        "review what": "请给出复核意见 CHANGES，或用 --form 生成复核表",
        "schema what": "请给出 RUBRIC，或用 --result、--batch",
        "serve extra": "HTTP 服务需要另行安装：pip install 'rubriceng[serve]'（{error}）",
        "serve open": "在 {host} 上监听会让其他机器访问：请给出 --token（或 $RUBRICENG_TOKEN）；"
        "若前置代理负责校验来访者，用 --insecure",
        "plugin name": "{name!r}：插件名称请用小写字母和数字，以「-」连接",
        "plugin id": "--id {name!r}：评分表 id 请用小写字母、数字和 . _ / -",
        "plugin level": "--level {name!r}：层级应为 {have} 之一",
        "plugin region": "--region {name!r}：地区名称请用文字、数字、空格、· 和括号，至多 40 个字",
        "plugin code": "--code {name!r}：行政区划代码应为 6 位数字",
        "plugin version": "--version {name!r}：版本请用字母、数字和 . _ -，至多 40 个字",
        "plugin title": "--title {name!r}：标题应为可见的文字，不能全是空格，不能有控制字符",
        "plugin exists": "{name} 已存在，不会覆盖",
        "table suffix": "{name}：评分表应为 .xlsx、.docx 或 .csv",
        "table headings": "{name}：没有找到带「一级指标 / 二级指标」表头的表格",
        "indicator heading": "指标",
        "points": "分值",
        "effective": "调整后",
        "score": "得分",
        "total": "合计",
        "events": "{count} 次",
        "judged": "评定",
        "not_applicable": "不适用",
        "checked": "{errors} 个错误，{warnings} 个警告",
        "working": "计算过程",
        "step": "步骤",
        "working step": "计算",
        "rubric heading": "评分表",
        "node heading": "指标",
        "points heading": "分值",
        "level heading": "层级",
        "region heading": "地区",
        "in force heading": "适用期",
        "plugin heading": "插件",
        "title heading": "名称",
        "id heading": "id",
        "method heading": "评分方法",
        "inherited heading": "继承自",
        "provenance heading": "分值 / 规则来源",
        "extends": "扩展自 {ref}",
        "in force": "适用期 {days}",
        "scores project": "评分对象：项目（每个项目一份结果）",
        "provenance": "来源：{text}",
        "hooks": "  钩子：{hooks}",
        "offers": "  评分表：{ref}",
        "plugin problems": "{count} 个问题：",
        "level province": "省级",
        "level city": "市级",
        "level county": "县级",
        "level district": "区级",
        "level township": "乡镇级",
        "level other": "其他",
        "basis transcribed": "照录",
        "basis reconstructed": "重构",
        "basis derived": "派生",
        "change added": "新增",
        "change removed": "删除",
        "change changed": "变化",
        "change same": "相同",
        "mismatch": "{what}：应为 {expected}，实际为 {actual}",
        "plugin failure": "插件 {plugin}（{hook}）：{message}",
        "case": "{where} 用例「{name}」",
        "case passed": "通过    {case}",
        "case failed": "未通过  {report}",
        "cases": "{passed} 个通过，{failed} 个未通过",
        "case files unread": "，{count} 个用例文件无法读取",
        "diff scoring": "按 {ref} 评分时：",
        "inputs written": "{count} 个填报项",
        "wrote": "已写入 {file}",
        "next steps": "下一步：",
        "imported": "已写入 {file}：{leaves} 个末级指标（{hints} 个附建议方法），{problems} 个问题",
        "uncomparable": "{count} 个实际值无法与目标值比较",
    },
    "en": {
        "row": "row {row}",
        "line": "{file}:{line}",
        "form row": "{file} row {row}",
        "unit": "unit {unit!r}",
        "input": "{label} ({field})",
        "field": "{field}",
        "used by": ", used by {names}",
        "indicator": "indicator {name}",
        "list": ", ",
        "in indicator": " (indicator {name})",
        "place": ": ",
        ": ": ": ",
        "; ": "; ",
        "problems": " ({count} problem{s}):",
        "missing group": "{count} inputs are missing{rows}; each of them:",
        "missing rows": ", {rows}",
        "rows": "rows {first}–{last}",
        "one row": "row {first}",
        "did you mean": "; did you mean {names}?",
        "error": "error",
        "warning": "warning",
        "version line": "{name}, version {version}",
        "lang variable": "the environment variable RUBRICENG_LANG is {value!r}, not one of "
        "{have} (choose with --lang, or correct it)",
        "suffix must": "{name}: the suffix must be one of {suffixes}",
        "nul argument": "the argument {value} holds a NUL character: no file or value is named so",
        "output is input": "{name} is a file this command reads: writing the output would "
        "replace it; choose another output file",
        "cannot write": "cannot write {file}: {error}",
        "cannot read": "cannot read {file}: {error}",
        "format unknown": "{format!r} (have: {have})",
        "batch form suffix": "{name}: a batch form is .xlsx or .csv",
        "forms folder": "{name}: with a form for each unit of a roster, -o is a folder (no suffix)",
        "forms written": "{count} forms",
        "not returned": "{count} of the units on the roster {file} returned nothing: {names}",
        "not returned project": "{count} of the projects on the roster {file} returned nothing: "
        "{names}",
        "review form suffix": "a review form is written to an .xlsx file",
        "review what": "give the reviewer's CHANGES, or --form to write a form for them",
        "schema what": "give a RUBRIC, or --result or --batch",
        "serve extra": "the service needs its extra: pip install 'rubriceng[serve]' ({error})",
        "serve open": "listening on {host} lets other machines in: give --token (or "
        "$RUBRICENG_TOKEN), or --insecure if a proxy in front checks who calls",
        "plugin name": "{name!r}: use lower-case letters and digits joined by '-'",
        "plugin id": "--id {name!r}: a rubric id is lower-case letters, digits and . _ / -",
        "plugin level": "--level {name!r}: one of {have}",
        "plugin region": "--region {name!r}: words, digits, spaces, · and brackets, at most 40",
        "plugin code": "--code {name!r}: a division code is 6 digits",
        "plugin version": "--version {name!r}: letters, digits and . _ -, at most 40",
        "plugin title": "--title {name!r}: visible text, not spaces alone, no control character",
        "plugin exists": "{name} exists",
        "table suffix": "{name}: a table is .xlsx, .docx or .csv",
        "table headings": "{name}: no table with 一级指标 / 二级指标 headings was found",
        "indicator heading": "Indicator",
        "points": "Points",
        "effective": "Effective",
        "score": "Score",
        "total": "Total",
        "events": "{count} events",
        "judged": "judged",
        "not_applicable": "n/a",
        "checked": "{errors} error(s), {warnings} warning(s)",
        "working": "Working",
        "step": "Step",
        "working step": "What was done",
        "rubric heading": "rubric",
        "node heading": "indicator",
        "points heading": "points",
        "level heading": "level",
        "region heading": "region",
        "in force heading": "in force",
        "plugin heading": "plugin",
        "title heading": "title",
        "id heading": "id",
        "method heading": "method",
        "inherited heading": "inherited from",
        "provenance heading": "points / rule",
        "extends": "extends {ref}",
        "in force": "in force {days}",
        "scores project": "scores projects (one result a project)",
        "provenance": "provenance: {text}",
        "hooks": "  hooks: {hooks}",
        "offers": "  rubric: {ref}",
        "plugin problems": "{count} problem(s):",
        "level province": "province",
        "level city": "city",
        "level county": "county",
        "level district": "district",
        "level township": "township",
        "level other": "other",
        "basis transcribed": "transcribed",
        "basis reconstructed": "reconstructed",
        "basis derived": "derived",
        "change added": "added",
        "change removed": "removed",
        "change changed": "changed",
        "change same": "same",
        "mismatch": "{what}: expected {expected}, got {actual}",
        "plugin failure": "plugin {plugin} ({hook}): {message}",
        "case": "{where}: {name}",
        "case passed": "ok    {case}",
        "case failed": "FAIL  {report}",
        "cases": "{passed} passed, {failed} failed",
        "case files unread": ", unreadable case files: {count}",
        "diff scoring": "scoring by {ref}:",
        "inputs written": "{count} inputs",
        "wrote": "wrote {file}",
        "next steps": "next:",
        "imported": "wrote {file}: {leaves} leaf indicators ({hints} with a suggested method), "
        "{problems} problem(s)",
        "uncomparable": "{count} actual value(s) cannot be compared with their target",
    },
}
"""The words around problems and errors, and the headings of score tables, by language."""


FORMULA_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "and": " 且 ",
        "or": " 或 ",
        "not": "非（{0}）",
        "true": "是",
        "false": "否",
        "text": "「{0}」",
        "list": "、",
        "if": "若 {test} 则 {then}，否则 {otherwise}",
        "floor div": "{0} 除以 {1} 的整数部分",
        "mod": "{0} 除以 {1} 的余数",
        "name points": "满分",
        "name true": "是",
        "name false": "否",
        "abs()": "|{0}|",
        "ceil()": "{0} 向上取整",
        "floor()": "{0} 向下取整",
        "round()": "{all} 四舍五入",
        "count()": "{0} 的个数",
        "sum()": "{0} 之和",
        "mean()": "{0} 的平均值",
        "min()": "{all} 中的较小者",
        "max()": "{all} 中的较大者",
        "clamp()": "{0} 限定在 {1} 至 {2} 之间",
        "div()": "{0} ÷ {1}",
    },
    "en": {
        "and": " and ",
        "or": " or ",
        "not": "not ({0})",
        "true": "true",
        "false": "false",
        "text": "'{0}'",
        "list": ", ",
        "if": "if {test} then {then}, else {otherwise}",
        "floor div": "the whole part of {0} ÷ {1}",
        "mod": "the remainder of {0} ÷ {1}",
        "name points": "full marks",
        "name true": "true",
        "name false": "false",
        "abs()": "|{0}|",
        "ceil()": "{0} rounded up",
        "floor()": "{0} rounded down",
        "round()": "{all} rounded",
        "count()": "the number of {0}",
        "sum()": "the sum of {0}",
        "mean()": "the mean of {0}",
        "min()": "the least of {all}",
        "max()": "the greatest of {all}",
        "clamp()": "{0} kept between {1} and {2}",
        "div()": "{0} ÷ {1}",
    },
}
"""How formulas are read out (:func:`rubriceng.formula.phrasing.formula_words`), by language."""

KINDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "money": "金额",
        "rate": "比率",
        "number": "数值",
        "count": "个数",
        "boolean": "是否",
        "credit": "是否或得分",
        "text": "文字",
        "optional": "（选填）",
        "yes/no": "是/否",
        "or": "或 ",
        "form note": "# null 表示未填写。比率填小数（0.9）或文字（'90%'）；"
        "是否填 是/否 或 true/false。",
        "form title": "# {title}（{ref}）填报表",
    },
    "en": {
        "money": "money",
        "rate": "rate",
        "number": "number",
        "count": "count",
        "boolean": "yes/no",
        "credit": "yes/no or points",
        "text": "text",
        "optional": " (optional)",
        "yes/no": "true/false",
        "or": " or ",
        "form note": "# null = not given. Rates as fractions (0.9) or text ('90%'); "
        "是/否 or true/false.",
        "form title": "# {title} ({ref}) — inputs to fill in",
    },
}
"""The kinds of value a form asks for, and the words around them, by language."""


def kind_word(key: str, lang: str | None = None) -> str:
    """A kind of value (``money``, ``rate`` …) or a form's word, in ``lang``.

    >>> kind_word("money", "zh"), kind_word("boolean", "en")
    ('金额', 'yes/no')
    """
    return KINDS[language(lang)].get(key, key)


UNITS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "万元": " (10k yuan)",
        "元": " yuan",
        "亿元": " (100m yuan)",
        "天": " days",
        "个": "",
        "项": "",
        "次": " times",
        "人": " persons",
        "%": "%",
    },
}
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


EXPLAIN_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "inputs": "数据",
        "value": "计算值",
        "rate": "比率",
        "mean rate": "平均比率",
        "band": "落在第{n}档（{rule}）",
        "steps": "{steps} 个步长，扣 {deducted} 分（{rule}）",
        "met": "条件 {condition}：{answer}",
        "yes": "满足",
        "no": "不满足",
        "items": "逐项",
        "deductions": "扣分",
        "deduction": "{name} {events} 次扣 {deducted} 分",
        "peer": "与{statistic}比较：本单位 {value}，参照 {peer}（{source}），{rule}：{answer}",
        "reason": "理由",
        "case": "特殊情形（{when}）",
        "raw": "按满分 {points} 得 {raw} 分",
        "scaled": "不适用指标的分值调入 {moved}，按 {scaled} 折算",
        "score": "得分 {score}",
        "not_applicable": "不适用（适用条件「{applies}」不成立）",
        "given_to": "，分值调给 {to}",
        "inside": "不适用（所属指标不适用）",
        "formula": "公式",
        "rule": "规则",
        "parts": "由单位自设的 {n} 个子指标组成",
        ":": "：",
        ",": "，",
        "list": "、",
        ";": "；",
        ".": "。",
        "mean": "均值",
        "median": "中位数",
        "targets": "申报绩效目标 {declared} 个，达成 {met} 个",
        "unmet": "未达成",
        "rows": "{n} 行",
        "target points": "分值 {points}，",
        "target row": "{name}（{points}目标 {target}，实际 {actual}，完成 {done}%）",
        "achieved": "（{names}）",
        "deviation": "偏差原因 {reason}",
        "too low": "超额完成较多、目标可能偏低：{names}",
    },
    "en": {
        "inputs": "data",
        "value": "value",
        "rate": "rate",
        "mean rate": "mean rate",
        "band": "in band {n} ({rule})",
        "steps": "{steps} steps, {deducted} deducted ({rule})",
        "met": "condition {condition}: {answer}",
        "yes": "met",
        "no": "not met",
        "items": "criteria",
        "deductions": "deductions",
        "deduction": "{name} {events}× deducts {deducted}",
        "peer": "against the {statistic}: this unit {value}, peers {peer} ({source}), "
        "{rule}: {answer}",
        "reason": "reason",
        "case": "special case ({when})",
        "raw": "{raw} of {points} points",
        "scaled": "points moved in from not-applicable {moved}; scaled {scaled}",
        "score": "score {score}",
        "not_applicable": "not applicable ({applies} is false)",
        "given_to": "; its points went to {to}",
        "inside": "not applicable (its group does not apply)",
        "formula": "formula",
        "rule": "rule",
        "parts": "made of {n} sub-indicators the unit named",
        ":": ": ",
        ",": ", ",
        "list": ", ",
        ";": "; ",
        ".": ".",
        "mean": "mean",
        "median": "median",
        "targets": "{met} of {declared} declared targets met",
        "unmet": "not met",
        "rows": "{n} rows",
        "target row": "{name} ({points}target {target}, actual {actual}, {done}% done)",
        "target points": "{points} points, ",
        "achieved": " ({names})",
        "deviation": "why: {reason}",
        "too low": "far exceeded, the target may have been set too low: {names}",
    },
}
"""The words of explanations (评分依据 and ``explain``), by language."""


RULE_TEXTS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "target is zero": "目标值为 0，没有应完成的事项",
        "actual exceeds target: 0": "实际值超过目标值，本项不得分",
        "capped at full marks": "超过目标值，按满分计",
        "otherwise": "其他情形",
        "computed over the units scored together": "按同批评分单位计算",
    },
}
"""Rules the methods write in English, as each language reads them."""


OUTLINE_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "standard": "评分标准",
        "description": "指标说明",
        "remarks": "备注",
        "applies": "适用条件",
        "otherwise": "不适用时",
        "case": "特殊情形",
        "notes": "说明",
        "source": "来源",
        "points": "分",
        "children": "下级指标",
        "scores": "得 {score} 分",
        ":": "：",
    },
    "en": {
        "standard": "standard",
        "description": "description",
        "remarks": "remarks",
        "applies": "applies when",
        "otherwise": "if not",
        "case": "case",
        "notes": "notes",
        "source": "source",
        "points": "points",
        "children": "children",
        "scores": "scores {score}",
        ":": ": ",
    },
}
"""The words of a rubric's outline (``show --rules``), by language."""


RESULT_HEADINGS: Mapping[str, tuple[str, ...]] = {
    "zh": (
        "评价指标",
        "名称",
        "权重",
        "自评分数",
        "评分依据",
        "指标说明",
        "评分标准",
        "备注",
        "加减分",
        "合计",
        "等级",
        "单位名称",
        "评分表",
    ),
    "en": (
        "Indicators",
        "Name",
        "Points",
        "Score",
        "Basis",
        "Description",
        "Standard",
        "Notes",
        "Bonus / penalty",
        "Total",
        "Grade",
        "Unit",
        "Rubric",
    ),
}
"""The headings of the 指标评分表 workbook, by language."""


FORM_HEADINGS: Mapping[str, tuple[str, ...]] = {
    "zh": ("输入项 id", "名称", "填写值", "单位", "类型", "允许范围", "用于指标", "说明"),
    "en": ("input id", "name", "value", "unit", "type", "allowed", "used by", "notes"),
}
"""The headings of an input form, by language (a form in either reads back)."""


SUMMARY_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "ranking": "排名",
        "rank": "排名",
        "unit": "单位",
        "total": "总分",
        "grade": "等级",
        "n/a": "不适用",
        "grades": "等级分布",
        "count": "单位数",
        "losses": "失分分析",
        "indicator": "指标",
        "points": "分值",
        "units": "适用单位数",
        "losing": "失分单位数",
        "average": "平均失分",
        "reason": "最常见的失分原因",
        "reason count": "涉及单位数",
        "basis": "参数",
        "what": "项目",
        "value": "取值",
        "rubric": "评分表",
        "scored": "已评分单位",
        "failed": "未能评分单位",
        "mean": "平均值",
        "median": "中位数",
        "scores": "得分",
        "subtotal": "小计",
        "failures": "未能评分",
        "code": "代码",
        "problem": "问题",
        "where": "位置",
        "sources": "数据来源",
        "source": "来源",
        "reviewed": "复核",
        "self": "自评分",
        "review": "复核分",
        "difference": "差异",
        "why": "复核说明",
        "year": "年度",
        "change": "变化",
        "added": "新增",
        "removed": "删除",
        "reweighted": "分值调整",
        "history": "历年得分",
        "rule changed": "评分规则调整",
        "done": "{scored} 个单位已评分，{failed} 个未能评分",
        "unmet": "{condition}：否",
        "rate short": "比率未达 100%",
        "id": "id",
        "input": "填报项",
        "reviewed units": "按复核结果评分的单位",
        "roster": "名单",
        "roster units": "名单中的单位",
        "not returned": "未报送",
        "roster line": "名单行",
        "overview": "复核概况",
        "self total": "自评总分",
        "self grade": "自评等级",
        "review total": "复核总分",
        "review grade": "复核等级",
        "totals": "自评 {before} {before_grade} → 复核 {after} {after_grade}",
        "parts short": "自设子指标未得满分",
        "formula short": "按公式计算未得满分",
    },
    "en": {
        "ranking": "Ranking",
        "rank": "Rank",
        "unit": "Unit",
        "total": "Total",
        "grade": "Grade",
        "n/a": "n/a",
        "grades": "Grades",
        "count": "Units",
        "losses": "Points lost",
        "indicator": "Indicator",
        "points": "Points",
        "units": "Units it applies to",
        "losing": "Units losing points",
        "average": "Average lost",
        "reason": "Most common reason",
        "reason count": "Units",
        "basis": "Basis",
        "what": "What",
        "value": "Value",
        "rubric": "Rubric",
        "scored": "Units scored",
        "failed": "Units not scored",
        "mean": "mean",
        "median": "median",
        "scores": "Scores",
        "subtotal": "Subtotal",
        "failures": "Not scored",
        "code": "Code",
        "problem": "Problem",
        "where": "Where",
        "sources": "Sources",
        "source": "Source",
        "reviewed": "Review",
        "self": "Self-assessed",
        "review": "Reviewed",
        "difference": "Difference",
        "why": "Reviewer's reason",
        "year": "Year",
        "change": "Change",
        "added": "added",
        "removed": "removed",
        "reweighted": "points changed",
        "history": "Scores by year",
        "rule changed": "rule changed",
        "done": "{scored} scored, {failed} failed",
        "unmet": "{condition}: no",
        "rate short": "rate below 100%",
        "id": "id",
        "reviewed units": "Units scored as reviewed",
        "roster": "Roster",
        "roster units": "Units on the roster",
        "not returned": "Not returned",
        "roster line": "Roster line",
        "input": "Input",
        "overview": "Overview",
        "self total": "Self-assessed total",
        "self grade": "Self-assessed grade",
        "review total": "Reviewed total",
        "review grade": "Reviewed grade",
        "totals": "self-assessed {before} {before_grade} → reviewed {after} {after_grade}",
        "parts short": "own sub-indicators short of full marks",
        "formula short": "the formula gave less than full marks",
    },
}
"""The words of batch summaries, reviews and histories, by language."""

SUBJECT_WORDS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "project": {
        "zh": {
            "unit": "项目",
            "count": "项目数",
            "units": "适用项目数",
            "losing": "失分项目数",
            "reason count": "涉及项目数",
            "scored": "已评分项目",
            "failed": "未能评分项目",
            "done": "{scored} 个项目已评分，{failed} 个未能评分",
            "reviewed units": "按复核结果评分的项目",
            "what": "参数项",
            "roster units": "名单中的项目",
        },
        "en": {
            "unit": "Project",
            "count": "Projects",
            "units": "Projects it applies to",
            "losing": "Projects losing points",
            "reason count": "Projects",
            "scored": "Projects scored",
            "failed": "Projects not scored",
            "reviewed units": "Projects scored as reviewed",
            "roster units": "Projects on the roster",
        },
    },
}
"""The words of :data:`SUMMARY_WORDS` that name what a rubric scores, where it scores
something other than a budget unit (its ``subject``), by subject and language."""


def summary_words(lang: str, subject: str = "unit") -> Mapping[str, str]:
    """:data:`SUMMARY_WORDS` in ``lang`` for a rubric whose results are of ``subject``."""
    words = SUMMARY_WORDS[lang]
    named = SUBJECT_WORDS.get(subject, {}).get(lang)
    return {**words, **named} if named else words


REPORT_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "title": "部门整体支出绩效自评报告（评分部分）",
        "unit": "部门名称：{unit}",
        "rubric": "评分表：{title}（{ref}）",
        "part": "二、绩效自评",
        "conclusion": "（一）自评结论。",
        "concluded": "根据{title}，本部门自评得分为 {total} 分，自评等级为{grade}。",
        "table": "（二）部门整体支出绩效指标评分。",
        "headings": "指标\t分值\t自评分\t评分依据",
        "total": "合计",
        "lost": "（三）失分情况。",
        "none lost": "各项指标均得满分。",
        "loss": "{name}（分值 {points}，得 {score} 分，失 {lost} 分）：{basis}",
        "problems": "（四）存在问题及改进措施。",
        "issues": "1. 存在问题：",
        "measures": "2. 改进措施：",
        "fill": "（请填写）",
        "n/a": "不适用",
        "draft": "本稿由 rubriceng 按评分表生成，自评结论与失分情况以评分结果为准；"
        "存在问题和改进措施请单位填写。",
    },
    "en": {
        "title": "Self-evaluation report on whole-budget spending (the scoring part)",
        "unit": "Unit: {unit}",
        "rubric": "Rubric: {title} ({ref})",
        "part": "2. Self-evaluation",
        "conclusion": "2.1 Conclusion",
        "concluded": "By {title}, the unit scores {total} points, graded {grade}.",
        "table": "2.2 Scores by indicator",
        "headings": "Indicator\tPoints\tScore\tBasis",
        "total": "Total",
        "lost": "2.3 Points lost",
        "none lost": "Every indicator has full marks.",
        "loss": "{name} ({points} points, scored {score}, lost {lost}): {basis}",
        "problems": "2.4 Problems and measures",
        "issues": "1. Problems found:",
        "measures": "2. Measures to take:",
        "fill": "(to be completed)",
        "n/a": "n/a",
        "draft": "Drafted by rubriceng from the rubric: the conclusion and the points lost "
        "follow the scores; the unit completes the problems and measures.",
    },
}
"""The words of the 自评报告 draft (``rubriceng score … -o report.docx``), by language."""


BATCH_FORM_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "sheet": "单位填报",
        "unit": "单位名称",
        "help": "填报说明",
        "lines": (
            "每行填写一个单位；第 1 行是填报项名称（括号内为计量单位），"
            "第 2 行（已隐藏）是填报项 id，请勿修改或删除。\n"
            "比率按小数填写（例如 95% 填 0.95）；金额以表头所示单位填写。\n"
            "不适用或没有的项目留空；多余的列会被忽略并提示。\n"
            "评分表：{rubric}。填好后交财政局，用 rubriceng batch 评分。"
        ),
    },
    "en": {
        "sheet": "Units",
        "unit": "unit",
        "help": "Instructions",
        "lines": (
            "One unit per row; row 1 names each input (its unit in brackets), row 2 "
            "(hidden) holds the input ids: do not change or delete it.\n"
            "Rates are fractions (95% is 0.95); amounts are in the unit the heading shows.\n"
            "Leave an input empty where it does not apply; extra columns are ignored with a "
            "warning.\nRubric: {rubric}. Score the returned file with rubriceng batch."
        ),
    },
}
"""The words of the batch input form (``rubriceng template --batch``), by language."""


TARGET_SHEET_WORDS: Mapping[str, Mapping[str, Any]] = {
    "zh": {
        "headings": ("一级", "二级", "三级", "目标值", "解析", "实际完成值", "判定"),
        "department": "部门整体",
        "project": "项目",
        "budget": ", 预算 {} 元",
        "points": "分值",
        "implied": "（默认）",
        "override": "（指定）",
        "none": "未填实际值",
        "uncomparable": "无法比较",
        "count": "{status} {n}",
        ",": "，",
        "summary": "{n} 个目标：{summary}",
    },
    "en": {
        "headings": ("level 1", "level 2", "level 3", "target", "parsed", "actual", "judgement"),
        "department": "department",
        "project": "project",
        "budget": ", budget {} 元",
        "points": "points",
        "implied": " (implied)",
        "override": " (override)",
        "none": "no actual",
        "uncomparable": "cannot be compared",
        "count": "{n} {status}",
        ",": ", ",
        "summary": "{n} targets: {summary}",
    },
}
"""The words of ``rubriceng targets`` tables, by language."""


TARGET_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        ">=": "不低于",
        ">": "高于",
        "<=": "不超过",
        "<": "低于",
        "=": "等于",
        "decrease": "减少幅度",
        "increase": "增加幅度",
        "all": "全部满足：",
        ";": "；",
        "needs_judgement": "需人工判断",
        "met": "达成",
        "partly_met": "部分达成",
        "not_met": "未达成",
        "judged": "人工判定",
        "against": "实际 {actual}，目标{target}",
        "person": "「{text}」需人工判断",
        "part": "{label}：{reason}",
        "implied": "（默认）",
        "change": "{direction} {change}（上年 {baseline}，本年 {actual}）",
        "decreased": "减少",
        "increased": "增加",
    },
    "en": {
        ">=": "at least",
        ">": "more than",
        "<=": "at most",
        "<": "less than",
        "=": "exactly",
        "decrease": "decrease by ",
        "increase": "increase by ",
        "all": "all of: ",
        ";": "; ",
        "needs_judgement": "needs judgement",
        "met": "met",
        "partly_met": "partly met",
        "not_met": "not met",
        "judged": "judged",
        "against": "{actual} against {target}",
        "person": "{text!r} needs a person's judgement",
        "part": "{label}: {reason}",
        "implied": " (implied)",
        "change": "{direction} {change} (baseline {baseline}, now {actual})",
        "decreased": "decreased by",
        "increased": "increased by",
    },
}
"""The words of parsed 绩效目标 and their judgements, by language (keys: the
comparators >=, >, <=, <, = and the statuses met, partly_met, not_met, needs_judgement)."""

TARGET_MISMATCHES: Mapping[str, Mapping[str, str]] = {
    "not a number": {
        "en": "expected a number for {what}, got {value}",
        "zh": "{what}的实际值应为数，实际为 {value}",
    },
    "not finite": {
        "en": "expected a finite number for {what}, got {value}",
        "zh": "{what}的实际值应为有限的数，实际为 {value}",
    },
    "not comparable": {
        "en": "{value} is not a number to compare with {what}",
        "zh": "{value}不是可与{what}比较的数",
    },
    "a change": {
        "en": "{value} is a change; {target} is not",
        "zh": "{value}是变化幅度，而目标{target}不是",
    },
    "kinds": {
        "en": "{value} is a {kind} ({unit}) and {target} a {target_kind}{target_unit}: "
        "they cannot be compared",
        "zh": "{value}是{kind}（{unit}），目标{target}是{target_kind}{target_unit}：不能比较",
    },
    "out of range": {
        "en": "{value} is beyond what a value for {what} can be (at most 10^18, with 34 "
        "digits and 40 decimal places)",
        "zh": "{value}超出{what}实际值可取的范围"
        "（绝对值不超过 10^18，至多 34 位有效数字、40 位小数）",
    },
    "negative": {
        "en": "{value} is below zero, which {target} cannot be: a slip?",
        "zh": "{value}小于零，而目标{target}不会是负数：是否填错？",
    },
    "percent bare": {
        "en": "{value} for the % target {target}: write {value}% or a fraction ({fraction})",
        "zh": "{value} 与百分比目标{target}不能比较：应写成 {value}% 或小数（{fraction}）",
    },
    "change units": {
        "en": "{value} and {target}: a change in {unit} is not a change in {target_unit}",
        "zh": "{value}与目标{target}：{unit}的变化不是{target_unit}的变化",
    },
    "baseline needed": {
        "en": "{target} is a change against a baseline: give the baseline (上年实际值, "
        "'baseline'), or write the actual value as the change (e.g. '{example}')",
        "zh": "目标{target}是相对上年的变化：请给出上年实际值（baseline），"
        "或把实际值写成变化幅度（如「{example}」）",
    },
    "points rates": {
        "en": "{target} is a change in percentage points: give the actual value and the "
        "baseline as rates (93%, or 0.93)",
        "zh": "目标{target}是百分点的变化：实际值和上年实际值都应为比率（93% 或 0.93）",
    },
    "baseline kinds": {
        "en": "{value} and its baseline {baseline} cannot be compared",
        "zh": "{value}与上年实际值{baseline}不能比较",
    },
    "baseline zero": {
        "en": "the baseline of {target} is {baseline}: a change relative to it is not defined",
        "zh": "目标{target}的上年实际值为 {baseline}：相对它的变化没有定义",
    },
    "parts text": {
        "en": "{value} does not give the parts of {target}",
        "zh": "{value}没有给出目标{target}的各部分",
    },
    "parts mapping": {
        "en": "give each part of {target}: a mapping of label to value",
        "zh": "请分别给出目标{target}各部分的实际值（名称到实际值的映射）",
    },
    "parts missing": {"en": "no actual value for {labels}", "zh": "缺少 {labels} 的实际值"},
    "tier": {
        "en": "{tier} is not a tier: 达成, 部分达成 or 未达成",
        "zh": "{tier}不是评定等级：应为 达成、部分达成 或 未达成",
    },
}
"""Why an actual value cannot be judged against its target, by language
(:class:`rubriceng.targets.UnitMismatch`)."""

TARGET_KINDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "percent": "百分比",
        "points": "百分点",
        "money": "金额",
        "length": "长度",
        "area": "面积",
        "time": "时长",
        "score": "分数",
        "per": "比值",
        "count": "数量",
        "a number": "数",
    },
    "en": {},
}
"""What a target's unit measures (:func:`rubriceng.targets.parse.unit_kind`), in words."""


RULE_HEADINGS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "zh": ("评分标准", {"description": "指标说明", "standard": "评分标准", "remarks": "备注"}),
    "en": ("Rule", {"description": "Description", "standard": "Standard", "remarks": "Remarks"}),
}
"""The headings of an indicator's table texts in a report, by language."""


RULE_PATTERNS: Mapping[str, tuple[tuple[re.Pattern[str], str, tuple[int, ...]], ...]] = {
    "zh": (
        (re.compile(r"^value ([≤<]) (\S+)$"), "计算值 {0} {1}", (1,)),
        (re.compile(r"^(\S+) for each full step of (\S+)$"), "每满 {1} 扣 {0} 分", (1,)),
        (
            re.compile(r"^(\S+) for each started step of (\S+)$"),
            "每增加 {1}（不足 {1} 按 {1} 计）扣 {0} 分",
            (1,),
        ),
        (re.compile(r"^value ≥ peer (mean|median)$"), "本单位不低于{0}", ()),
        (re.compile(r"^value > peer (mean|median)$"), "本单位高于{0}", ()),
        (re.compile(r"^input (\w+)$"), "填报项 {0}", ()),
    ),
    "en": (
        (re.compile(r"^value ([≤<]) (\S+)$"), "value {0} {1}", (1,)),
        (re.compile(r"^(\S+) for each full step of (\S+)$"), "{0} for each full step of {1}", (1,)),
        (
            re.compile(r"^(\S+) for each started step of (\S+)$"),
            "{0} for each started step of {1}",
            (1,),
        ),
        (re.compile(r"^input (\w+)$"), "input {0}", ()),
    ),
}
"""Rules as the methods write them, as people read them: each pattern, its wording, and
which of its parts are values (shown as percentages where the value is a rate)."""


METHOD_NAMES: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "all_or_nothing": "全有或全无",
        "average": "平均得分",
        "bands": "分档",
        "checklist": "逐项计分",
        "deductions": "扣分",
        "judgement": "人工评判",
        "peer": "同类比较",
        "ratio": "比率",
        "score": "公式",
        "steps": "阶梯扣分",
        "target_completion": "目标完成",
        "unit_defined": "单位自定指标",
    },
    "en": {},
}
"""The built-in scoring methods by name, where a language names them otherwise than by
their keys (a plugin's method is named by its key)."""


def method_name(key: str, lang: str | None = None) -> str:
    """A scoring method as people call it in ``lang``.

    >>> method_name("bands", "zh"), method_name("bands", "en"), method_name("mine", "zh")
    ('分档', 'bands', 'mine')
    """
    return METHOD_NAMES[language(lang)].get(key, key)


GRADES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "优": "Excellent",
        "优秀": "Excellent",
        "良": "Good",
        "良好": "Good",
        "中": "Pass",
        "合格": "Pass",
        "及格": "Pass",
        "差": "Fail",
        "不合格": "Fail",
        "不及格": "Fail",
    },
}
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
    "target-unit": {"zh": "{name}：{detail}", "en": "{name}: {detail}"},
    "unit-duplicate": {"zh": "也在 {other} 中", "en": "also returned in {other}"},
    "history-units": {
        "zh": "这些结果属于不同单位：{units}",
        "en": "results of several units: {units}",
    },
    "unit-blank": {
        "zh": "只有单位名称，没有填写任何数据：未评分",
        "en": "names the unit and fills in nothing: not scored",
    },
    "unit-not-on-roster": {
        "zh": "不在名单 {roster} 中{suggestion}",
        "en": "not on the roster {roster}{suggestion}",
    },
    "unit-not-returned": {
        "zh": "未报送（名单第 {line} 行）",
        "en": "returned nothing (roster line {line})",
    },
    "roster-twice": {"zh": "{name} 已在第 {first} 行", "en": "{name} is also on line {first}"},
    "roster-name": {
        "zh": "名称 {name} 含有控制字符",
        "en": "the name {name} has a control character",
    },
    "roster-empty": {"zh": "名单中没有单位", "en": "the roster names no unit"},
    "roster-long": {
        "zh": "单位名称超过 {count} 个字符：{name}",
        "en": "a name of more than {count} characters: {name}",
    },
    "roster-many": {"zh": "名单超过 {count} 个单位", "en": "more than {count} units"},
    "form-rubric": {
        "zh": "这份表是按 {recorded} 填写的，不是 {named}："
        "请用表上的版本评分，或请单位按新版重新填写",
        "en": "this form was made for {recorded}, not {named}: score it with the version it "
        "names, or have the unit fill a form of the new one",
    },
    "column-unknown": {
        "zh": "以下列不属于 {rubric}，已忽略：{columns}",
        "en": "columns not in {rubric}, left out: {columns}",
    },
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
    "input-unreadable": {
        "zh": "不是可以读取的值（{kind}）：请填数值、文字、是/否、列表或映射",
        "en": "not a value that can be read ({kind}): give a number, text, yes/no, a list or "
        "a mapping",
    },
    "input-deep": {
        "zh": "嵌套超过 {depth} 层，无法读取",
        "en": "nested more than {depth} levels deep: it cannot be read",
    },
    "input-form": {
        "zh": "填报数据应为「填报项: 值」的映射",
        "en": "a unit's inputs are a mapping of input ids to values",
    },
    "too-many-problems": {
        "zh": "另有 {count} 个问题未列出",
        "en": "{count} more problems not listed",
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
    "indicator-close": {
        "zh": "没有指标「{key}」；是否应为 {choices}？",
        "en": "no indicator '{key}'; did you mean {choices}?",
    },
    "indicator-none": {"zh": "没有指标「{key}」", "en": "no indicator is named '{key}'"},
    "variant-base-of": {
        "zh": "无法使用 {reference}：{detail}",
        "en": "cannot use {reference}: {detail}",
    },
    "request-object": {
        "zh": "请求体应为 JSON 对象",
        "en": "the request body must be a JSON object",
    },
    "request-year": {
        "zh": "年度应在 {first} 至 {last} 之间，实际为 {value}",
        "en": "year must be between {first} and {last}, got {value}",
    },
    "request-rubric": {
        "zh": "请以 ?rubric=id@version 给出评分表",
        "en": "give the rubric as ?rubric=id@version",
    },
    "input-formula": {
        "zh": "单元格 {cell} 是公式 {formula}，文件中没有算出的值（写出文件的程序没有计算它）："
        "请用 Excel 或 WPS 打开并保存，或直接填入数值",
        "en": "cell {cell} holds the formula {formula} and no value: the program that wrote "
        "the file did not compute it; open and save it in Excel or WPS, or type the value",
    },
    "request-json": {
        "zh": "请求体不是有效的 JSON：第 {line} 行第 {column} 列{reason}",
        "en": "the request body is not JSON: {reason} at line {line}, column {column}",
    },
    "request-json-constant": {
        "zh": "请求体不是有效的 JSON：{name} 不是 JSON 允许的数值",
        "en": "the request body is not JSON: {name} is not a number JSON allows",
    },
    "request-json-digits": {
        "zh": "请求体中的数 {number} 超过 {limit} 位",
        "en": "the request body has a number of more than {limit} digits: {number}",
    },
    "request-json-number": {
        "zh": "请求体中的数 {number} 过大，无法读取",
        "en": "the request body has a number too large to read: {number}",
    },
    "route-not-found": {
        "zh": "没有接口 {path}；可用的接口见 /docs",
        "en": "no endpoint is at {path}; see /docs",
    },
    "method-not-allowed": {
        "zh": "{path} 不接受 {method} 请求；可用：{allowed}",
        "en": "{path} takes no {method} request; it takes {allowed}",
    },
    "request-json-surrogate": {
        "zh": "请求体中的文字含有不成对的代理项（不是有效的 Unicode 文字）：{text}",
        "en": "the request body has text with half of a surrogate pair: {text}",
    },
    "request-json-deep": {
        "zh": "请求体嵌套过深",
        "en": "the request body is nested too deeply",
    },
    "request-duplicate-key": {
        "zh": "请求体的同一个对象中键 {key} 出现了两次",
        "en": "the request body gives the key {key} twice in one object",
    },
    "request-not-utf8": {
        "zh": "请求体不是 UTF-8 编码的文字（第 {byte} 个字节）",
        "en": "the request body is not UTF-8 text (byte {byte})",
    },
    "request-too-large": {
        "zh": "请求体超过 {limit} 字节的上限",
        "en": "the request body is larger than {limit} bytes",
    },
    "request-timeout": {
        "zh": "请求处理超过 {limit} 秒的时限",
        "en": "the request took more than {limit} s",
    },
    "unauthorized": {
        "zh": "此服务需要「Authorization: Bearer <令牌>」",
        "en": "this service needs 'Authorization: Bearer <token>'",
    },
}
"""A template for each problem code, by language. ``input-rule`` and ``input-type`` are the
rule messages of :data:`RULES` under the code a problem keeps."""


TOLD: Mapping[str, tuple[tuple[str, str], ...]] = {
    "unit-duplicate": (("also returned in {other}", "也在 {other} 中"),),
    "review-unit": (
        ("the review names no unit of the batch: {unit}", "复核表所写的单位不在这批单位中：{unit}"),
        ("the review is for {other}, not this unit", "复核表是针对「{other}」的，不是本单位"),
    ),
    "history-form": (
        (
            "not a rubriceng.result/1 result",
            "不是 rubriceng.result/1 格式的评分结果",
        ),
        (
            "expected a decimal number such as 97.86, not {value}",
            "应为 97.86 这样的数，实际为 {value}",
        ),
    ),
    "review-not-applicable": (
        (
            "the indicator does not apply to this unit: it takes no reviewed score",
            "该指标对本单位不适用，不能给复核分",
        ),
    ),
    "review-reason": (("a change needs its reason (复核说明)", "每项复核都要写明复核说明"),),
    "review-empty": (
        (
            "a change gives a reviewed score or reviewed inputs",
            "每项复核应给出复核分或复核后的填报值",
        ),
    ),
    "review-indicator": (("a reviewed score names its indicator", "复核分应写明所属指标"),),
    "review-twice": (
        (
            "input {name} is given two reviewed values: {first} at line {line}, and {second} here",
            "填报数据 {name} 有两个复核值：第 {line} 行为 {first}，此处为 {second}",
        ),
        (
            "input {name} is given two reviewed values: {first}, and {second} here",
            "填报数据 {name} 有两个复核值：{first} 和 {second}",
        ),
        (
            "{indicator} is given two reviewed values: {first} at line {line}, and {second} here",
            "{indicator} 有两个复核分：第 {line} 行为 {first}，此处为 {second}",
        ),
        (
            "{indicator} is given two reviewed values: {first}, and {second} here",
            "{indicator} 有两个复核分：{first} 和 {second}",
        ),
    ),
    "review-group": (
        (
            "{indicator} is a group: review the indicators under it",
            "{indicator} 是指标组：请对其下的指标复核",
        ),
    ),
    "review-input": (
        ("{name} is not an input of {rubric}", "{name} 不是 {rubric} 的填报项"),
        ("{path} is inside a value given as a whole", "{path} 属于一个已整体填写的值"),
        (
            "{path} names a value given twice, or a whole given in parts",
            "{path} 重复填写了同一个值，或把已分项填写的值又整体填写",
        ),
    ),
    "review-form": (
        ("a review is a mapping with a list of 'changes'", "复核文件应为含 changes 列表的映射"),
        ("unknown key", "没有这一项"),
        ("a change is a mapping", "每项复核应为映射"),
        ("a score is a number", "复核分应为数值"),
        ("'inputs' is a mapping", "inputs 应为映射"),
        ("'unit' must be text", "unit 应为文字"),
        ("'rubric' must be text", "rubric 应为文字"),
        (
            "no sheet {sheet}: is this a review form written by 'rubriceng review --form'?",
            "没有工作表 {sheet}：这是 rubriceng review --form 生成的复核表吗？",
        ),
    ),
    "review-out-of-range": (
        (
            "a reviewed score is a number from 0 to {effective} with at most {digits} decimal "
            "places, not {score}",
            "复核分应为 0 到 {effective} 之间、至多 {digits} 位小数的数，实际为 {score}",
        ),
    ),
    "form-rubric": (
        (
            "this form was made for {recorded}, not {named}: score it with the version it names, "
            "or have the unit fill a form of the new one",
            "这份表是按 {recorded} 填写的，不是 {named}："
            "请用表上的版本评分，或请单位按新版重新填写",
        ),
    ),
    "column-unknown": (
        (
            "columns not in {rubric}, left out: {columns}",
            "以下列不属于 {rubric}，已忽略：{columns}",
        ),
    ),
    # -- reading documents (rubric files, input files, test cases) --------------------
    "document-syntax": (("{detail}", "语法错误：{detail}"),),
    "document-encoding": (
        ("not UTF-8 text: {detail}", "不是 UTF-8 编码的文本：{detail}"),
        (
            "neither UTF-8 nor GB18030 text (byte {byte})",
            "既不是 UTF-8 也不是 GB18030 编码的文本（第 {byte} 个字节）",
        ),
        (
            "UTF-8 text with a byte that is not UTF-8 (byte {byte})",
            "UTF-8 编码的文本中有不是 UTF-8 的字节（第 {byte} 个字节）：按 GB18030 读会把每个汉字"
            "读成别的字，故不读；请在原程序中另存为「CSV UTF-8」",
        ),
        (
            "UTF-16 text with a byte that is not UTF-16 (byte {byte})",
            "UTF-16 编码的文本中有不是 UTF-16 的字节（第 {byte} 个字节）",
        ),
    ),
    "table-too-large": (
        ("the file unpacks to more than {limit} bytes", "文件解压后超过 {limit} 字节"),
        ("sheet {sheet} has more than {limit} rows", "工作表 {sheet} 超过 {limit} 行"),
        ("sheet {sheet} has more than {limit} cells", "工作表 {sheet} 超过 {limit} 个单元格"),
        (
            "sheet {sheet} has a value beyond column {limit}",
            "工作表 {sheet} 在第 {limit} 列之后还有值",
        ),
        ("more than {limit} rows", "超过 {limit} 行"),
        ("more than {limit} entries in the folder", "文件夹中的条目超过 {limit} 个"),
        ("a value beyond column {limit}", "第 {limit} 列之后还有值"),
        ("more than {limit} cells", "超过 {limit} 个单元格"),
        (
            "the table spans {rows} rows by {columns} columns with its merged cells: "
            "at most {limit} cells are read",
            "表格连同合并单元格共 {rows} 行 {columns} 列：至多读取 {limit} 个单元格",
        ),
        ("a sheet has more than {limit} merged ranges", "有工作表的合并区域超过 {limit} 个"),
        ("a sheet has more than {limit} links", "有工作表的超链接超过 {limit} 个"),
        ("table {table} spans more than {limit} cells", "表 {table} 超过 {limit} 个单元格"),
        ("table {table} reaches beyond column {limit}", "表 {table} 超过 {limit} 列"),
        (
            "{rows} rows of {columns} columns: at most {max_rows} rows of {max_columns} columns",
            "{rows} 行 {columns} 列：至多 {max_rows} 行 {max_columns} 列",
        ),
    ),
    "document-unreadable": (
        ("No such file or directory", "无法读取：文件不存在"),
        ("Permission denied", "无法读取：没有读取权限"),
        ("Is a directory", "无法读取：这是文件夹，不是文件"),
        ("Not a directory", "无法读取：路径中有一段不是文件夹"),
        ("File name too long", "无法读取：文件名过长"),
        ("Too many levels of symbolic links", "无法读取：符号链接层数过多"),
        ("Input/output error", "无法读取：输入/输出错误"),
        ("{detail}", "无法读取：{detail}"),
    ),
    "document-not-a-file": (
        ("not a file: a folder", "不是普通文件，而是文件夹"),
        ("not a file: a device, pipe or socket", "不是普通文件，而是设备、管道或套接字"),
        ("not a file: {kind}", "不是普通文件：{kind}"),
    ),
    "document-too-large": (
        ("larger than {limit} bytes", "超过 {limit} 字节"),
        (
            "the document has more than {limit} values (an alias, anchor or merge bomb, or "
            "simply too big)",
            "文档中的值超过 {limit} 个（别名、锚点或合并炸弹，或文件过大）",
        ),
    ),
    "document-too-deep": (
        ("nesting deeper than {limit} levels", "嵌套超过 {limit} 层"),
        ("{detail}", "嵌套过深：{detail}"),
    ),
    "document-duplicate-key": (
        ("duplicate key {key} (first at line {line})", "键 {key} 重复（首次出现在第 {line} 行）"),
    ),
    "document-key": (
        ("key {key} must be text", "键 {key} 应为文字"),
        ("a key must be text, not a list", "键应为文字，不能是列表"),
        ("a key must be text, not a mapping", "键应为文字，不能是映射"),
        ("{detail}", "键有误：{detail}"),
    ),
    "document-merge-cycle": (("'<<' merges a mapping into itself", "「<<」把映射合并进它自身"),),
    "document-value": (
        ("'<<' merges mappings only", "「<<」只能合并映射"),
        ("values of type {kind} are not allowed", "不允许 {kind} 类型的值"),
    ),
    "document-number": (
        ("{digits}… has too many digits", "{digits}… 位数过多"),
        ("{value} is not a finite number", "{value} 不是有限的数值"),
        (
            "{value} is beyond the numbers a file may give",
            "{value} 超出文件中数值的范围（至多 100 位数字，小数点移动不超过 100 位）",
        ),
    ),
    "document-tag": (("YAML tag {tag} is not allowed", "不允许 YAML 标签 {tag}"),),
    "case-file": (
        ("a test-case file is a mapping", "测试用例文件应为映射"),
        ("no 'rubric' for this case", "此用例没有给出 rubric（评分表）"),
        ("{detail}", "测试用例有误：{detail}"),
    ),
    "input-form": (
        (
            "its values are separated by semicolons: save it again as CSV (comma-separated)",
            "各值以分号分隔（小数点为逗号的 Excel 所存）：请另存为逗号分隔的 CSV",
        ),
        (
            "an inputs file is a mapping with 'inputs' (and optionally 'unit')",
            "填报文件应为含 inputs（及可选 unit）的映射",
        ),
        ("unknown key", "没有这一项"),
        ("'unit' must be text", "unit（单位名称）应为文字"),
        ("'rubric' must be text", "rubric（评分表）应为文字"),
        ("unit {unit} is given twice", "单位 {unit} 出现了两次"),
        ("unit {unit} is also in row {row}", "单位 {unit} 也在第 {row} 行"),
        (
            "no row headed {heading}: is this an input form written by 'rubriceng template'?",
            "没有以 {heading} 开头的行：这是 rubriceng template 生成的填报表吗？",
        ),
        ("{path} is inside a value given as a whole", "{path} 属于一个已整体填写的值"),
        (
            "{path} names a value given twice, or a whole given in parts",
            "{path} 重复填写了同一个值，或把已分项填写的值又整体填写",
        ),
        (
            "{path}: an input's name does not begin with a number",
            "{path}：填报项名称不能以数字开头",
        ),
        ("no unit in the forms and tables given", "所给的填报表和表格中没有任何单位"),
        (
            "no column names an input of {rubric}: a table of scores, or of another rubric?",
            "没有一列是 {rubric} 的填报项：这是得分表，或是别的评分表的表格吗？",
        ),
        ("a roster is a .txt, .csv or .xlsx file", "名单应为 .txt、.csv 或 .xlsx 文件"),
        (
            "units are read from .xlsx, .csv or .parquet",
            "单位数据只能从 .xlsx、.csv 或 .parquet 读取",
        ),
        (
            "units are read from .xlsx, .csv or .parquet tables, or .yaml or .json forms",
            "单位数据只能从 .xlsx、.csv、.parquet 表格或 .yaml、.json 填报文件读取",
        ),
        (
            "not an Excel workbook: File is not a zip file",
            "不是 Excel 工作簿：文件不是 zip 格式（.xlsx 工作簿是 zip 压缩包）",
        ),
        (
            "not an Excel workbook: File contains no valid workbook part",
            "不是 Excel 工作簿：文件中没有工作簿（是改了后缀的 Word 文档或别的压缩包？）",
        ),
        (
            'not an Excel workbook: "There is no item named {name} in the archive"',
            "不是 Excel 工作簿：压缩包中没有 {name}（不是 Excel 保存的 .xlsx 文件？）",
        ),
        (
            "not an Excel workbook: {detail}",
            "不是可读取的 Excel 工作簿（文件可能已损坏），读取时的原文：{detail}",
        ),
        (
            "the workbook has no worksheet",
            "工作簿中没有工作表（只有图表，或文件已损坏）",
        ),
        (
            "not a Word document: File is not a zip file",
            "不是 Word 文档：文件不是 zip 格式（.docx 文档是 zip 压缩包）",
        ),
        (
            "not a Word document: file {file} is not a Word file, content type is {kind}",
            "不是 Word 文档：{file} 的内容类型是 {kind}（是改了后缀的 Excel 工作簿或别的文件？）",
        ),
        (
            "not a Word document: its XML nests more than {depth} elements deep",
            "不是可读取的 Word 文档：XML 元素嵌套超过 {depth} 层（文件已损坏，或不是 Word 保存的）",
        ),
        (
            "not a Word document: {detail}",
            "不是可读取的 Word 文档（文件可能已损坏），读取时的原文：{detail}",
        ),
        (
            "not a CSV table: field larger than field limit ({limit})",
            "不是 CSV 表格：单元格超过 {limit} 个字符",
        ),
        ("not a CSV table: {detail}", "不是 CSV 表格：{detail}"),
        ("not a parquet table: {detail}", "不是 parquet 表格：{detail}"),
        (
            "sheet {sheet} cannot be read: {detail}",
            "工作表 {sheet} 无法读取（文件可能已损坏），读取时的原文：{detail}",
        ),
        (
            "reading .parquet needs pyarrow: pip install 'rubriceng[parquet]'",
            "读取 .parquet 需要 pyarrow：pip install 'rubriceng[parquet]'",
        ),
        ("not {kind}: {detail}", "不是{kind}：{detail}"),
        (
            "a list input needs 'items' (the type of each item)",
            "列表填报项需要 items（每项的类型）",
        ),
        ("'items' and 'length' are for list inputs", "items 和 length 只用于列表填报项"),
        ("'min' is above 'max'", "min 大于 max"),
    ),
    # -- rubrics: structure, points, formulas ------------------------------------------
    "points-mismatch": (
        (
            "the level-1 indicators add up to {sum}, the rubric's total is {total}",
            "一级指标分值合计 {sum}，评分表总分为 {total}",
        ),
        (
            "children add up to {sum}, the indicator has {points} points",
            "下级指标分值合计 {sum}，本指标分值为 {points}",
        ),
        (
            "checklist items add up to {sum}, the indicator has {points} points",
            "逐项评分各项合计 {sum}，本指标分值为 {points}",
        ),
        ("give points for every sub-indicator or for none", "请为每个子指标都给出分值，或都不给"),
        (
            "sub-indicator points add up to {sum}, not {points}",
            "子指标分值合计 {sum}，而不是 {points}",
        ),
    ),
    "points-precision": (
        ("points {points} are not whole cents (0.01)", "分值 {points} 不是 0.01 的整数倍"),
        (
            "points {points} are finer than the rubric's rounding ({digits} decimals): a score "
            "could exceed them",
            "分值 {points} 比评分表的取整（{digits} 位小数）更细：得分可能超过分值",
        ),
        ("{detail}", "分值精度有误：{detail}"),
    ),
    "points-zero": (("points must be positive", "分值应大于 0"),),
    "provenance-reasoning": (
        (
            "reconstructed points or rules need 'reasoning' (here or on the rubric)",
            "重构的分值或规则需要给出 reasoning（理由），写在此处或评分表上",
        ),
    ),
    "duplicate-id": (
        ("id {id} is used twice{where}", "id {id} 用了两次{where}"),
        ("value {name} shadows an input", "计算值 {name} 与填报项同名"),
        ("checklist item id {id} is used twice", "逐项评分的 id {id} 用了两次"),
    ),
    "reserved-name": (
        ("{name} is reserved and cannot name {what}", "{name} 是保留字，不能用作{what}的名称"),
        ("{name} is reserved", "{name} 是保留字"),
    ),
    "in-force": (
        ("'from' is after 'until'", "from（起始日）晚于 until（截止日）"),
        ("{value} is not a date (YYYY-MM-DD) or a year", "{value} 不是日期（YYYY-MM-DD）或年份"),
        ("{detail}", "适用期有误：{detail}"),
    ),
    "input-default": (
        ("a {kind} input takes no default", "{kind} 类型的填报项不能有默认值"),
        (
            "the default {value} is not a value this {kind} input accepts",
            "默认值 {value} 不是此 {kind} 类型填报项可接受的值",
        ),
    ),
    "group-method": (
        (
            "'{key}' belongs on a scored indicator; this one has children",
            "{key} 只能用于末级指标；本指标有下级指标",
        ),
    ),
    "method-missing": (
        (
            "give one scoring method ({names}) or children",
            "请给出一种评分方法（{names} 之一），或给出下级指标",
        ),
    ),
    "method-conflict": (
        ("give one scoring method, not {keys}", "只能给出一种评分方法，不能同时给出 {keys}"),
    ),
    "value-missing": (
        (
            "'{key}' scores a 'value': give the formula for it",
            "{key} 按 value（计算值）评分：请给出它的公式",
        ),
    ),
    "score-out-of-range": (
        ("score {score} is outside [0, {points}]", "得分 {score} 不在 0 至 {points} 之间"),
        ("{name}: score {score} is above {points}", "{name}：得分 {score} 高于 {points}"),
    ),
    "not-applicable-unused": (
        (
            "'not_applicable' needs 'applies' (when the indicator applies)",
            "not_applicable 需要 applies（指标何时适用）",
        ),
    ),
    "not-applicable-missing": (
        (
            "say what happens to the points when the indicator does not apply: not_applicable: "
            "{strategies}",
            "请说明指标不适用时分值如何处理：not_applicable: {strategies}",
        ),
    ),
    "not-applicable-target": (
        (
            "strategy {strategy} needs 'to' (the indicators that receive the points)",
            "方式 {strategy} 需要 to（接收分值的指标）",
        ),
        ("strategy {strategy} takes no 'to'", "方式 {strategy} 不需要 to"),
        ("'move' gives all points to one indicator", "move 把全部分值调给一个指标"),
        ("{target} is not an indicator of this rubric", "{target} 不是本评分表的指标"),
        ("{target} is inside the indicator that does not apply", "{target} 在不适用的指标之内"),
        ("a recipient is listed twice", "接收分值的指标列了两次"),
    ),
    "formula-cost": (
        (
            "the formulas would do about {steps} steps of work for each unit, more than the "
            "{limit} allowed; the costliest is {formula} ({cost}): give list inputs a 'length', "
            "or read each list fewer times",
            "公式对每个单位约需 {steps} 步计算，超过上限 {limit}；最耗时的是 {formula}（{cost}）："
            "请为列表填报项给出 length，或减少读取列表的次数",
        ),
    ),
    "adjustment-form": (("'per_event' must not be 0", "per_event（每次加减分）不能为 0"),),
    "bounds-order": (("the lower bound is above the upper bound", "下限高于上限"),),
    "grade-order": (
        (
            "grades go from the highest minimum to the lowest, each minimum once",
            "等级应按最低分从高到低排列，每个最低分只出现一次",
        ),
        ("a grade name is used twice", "等级名称用了两次"),
    ),
    "grade-coverage": (
        (
            "the lowest grade must start at 0 so that every total in [0, {total}] has a grade",
            "最低等级应从 0 分起，使 0 至 {total} 的每个总分都有等级",
        ),
        ("minimum {minimum} is outside [0, {total}]", "最低分 {minimum} 不在 0 至 {total} 之间"),
    ),
    "band-form": (
        (
            "each band has exactly one of 'upto', 'below' or 'else'",
            "每一档只能有 upto、below、else 中的一个",
        ),
        ("'else' carries the score itself: {{else: 0}}", "else 本身就是得分：{{else: 0}}"),
        ("the band needs a 'score'", "这一档需要 score（得分）"),
    ),
    "band-gap": (
        (
            "the last band must be {{else: <score>}} so every value is covered",
            "最后一档应为 {{else: <得分>}}，使每个值都有所属档次",
        ),
    ),
    "band-order": (
        ("'else' must be the last band", "else 应为最后一档"),
        (
            "band '{band}' overlaps or is empty after '{before}': bounds must increase (equal "
            "bounds only as 'below x' then 'upto x')",
            "档次「{band}」与前一档「{before}」重叠或为空：界"
            "限应递增（相等的界限只能是先 below x 后 upto x）",
        ),
    ),
    "steps-size": (("the step size must be positive", "步长应大于 0"),),
    "steps-deduct": (("the deduction must not be negative", "扣分不能为负"),),
    "deduction-form": (
        (
            "a deduction has exactly one of 'when' or 'count'",
            "每个扣分项只能有 when、count 中的一个",
        ),
    ),
    "average-form": (
        (
            "give either 'rates', or both 'actual' and 'target'",
            "请给出 rates，或同时给出 actual 和 target",
        ),
    ),
    "judgement-bounds": (("'min' is above 'max'", "min 大于 max"),),
    "unknown-input": (
        (
            "'given' names {name}, which is not a declared input",
            "given 指定的 {name} 不是已声明的填报项",
        ),
    ),
    "target-tiers": (
        (
            "tiers give 达成, 部分达成 and 未达成 their fractions",
            "tiers 应给出达成、部分达成、未达成各自的得分比例",
        ),
    ),
    "formula-syntax": (
        ("a formula must be text, got {kind}", "公式应为文字，实际为 {kind}"),
        ("the formula is empty", "公式为空"),
        ("cannot parse {formula}: {detail}", "无法解析公式 {formula}：{detail}"),
    ),
    "formula-too-complex": (
        ("the formula is longer than {limit} characters", "公式长度超过 {limit} 个字符"),
        ("brackets nest deeper than {limit} levels", "括号嵌套超过 {limit} 层"),
        ("the formula is too large or too deep", "公式过大或嵌套过深"),
        ("text literal is too long", "文字常量过长"),
        ("number literal {number}… is too long", "数值常量 {number}… 过长"),
        ("number literal {number} is too large", "数值常量 {number} 过大"),
    ),
    "formula-forbidden": (
        ("formulas cannot use {what}", "公式不能使用 {what}"),
        ("text can only be compared or passed to a function", "文字只能用于比较或作为函数参数"),
        (
            "the exponent of ** must be a whole number written in the formula, at most {limit}",
            "** 的指数应为公式中写明的整数，至多 {limit}",
        ),
        ("names starting with '_' are not allowed: {name}", "不允许以 _ 开头的名称：{name}"),
        ("only registered functions may be called", "只能调用已登记的函数"),
        ("keyword arguments are not allowed", "不允许关键字参数"),
        ("literal {kind} is not allowed", "不允许 {kind} 常量"),
    ),
    "formula-function": (("unknown function {name}", "未知函数 {name}"),),
    "formula-name": (
        (
            "unknown name {name} (it is a function; call it)",
            "未知名称 {name}（它是函数，请调用它）",
        ),
        ("unknown name {name}", "未知名称 {name}"),
    ),
    # -- scoring a unit ------------------------------------------------------------------
    "formula-failed": (("{formula}: {error}", "{formula}：{error}"), ("{error}", "{error}")),
    "formula-type": (
        ("{formula}: expected a number", "{formula}：应得出数值"),
        ("{formula}: expected true or false", "{formula}：应得出是或否（true/false）"),
        ("{formula}: expected a non-empty list", "{formula}：应得出非空列表"),
        ("{formula}: expected numbers", "{formula}：应得出数值"),
        ("{formula} is not a list of targets", "{formula} 不是绩效目标的列表"),
        ("{name} is not a number", "{name} 不是数值"),
        ("{formula}: {error}", "{formula}：{error}"),
    ),
    "zero-denominator": (
        ("target {formula} is zero", "目标值 {formula} 为 0"),
        ("a period's target is zero", "某一期的目标值为 0"),
    ),
    "actual-exceeds-target": (
        (
            "{actual} ({actual_value}) is more than {target} ({target_value})",
            "{actual}（{actual_value}）大于 {target}（{target_value}）",
        ),
        ("{met} targets met of {declared} declared", "达成目标 {met} 个，多于申报的 {declared} 个"),
    ),
    "negative-value": (
        ("actual and target must not be negative", "实际值和目标值不能为负"),
        ("{formula} is negative", "{formula} 为负数"),
        ("a period's rate is negative", "某一期的比率为负数"),
        ("counts must not be negative", "个数不能为负"),
    ),
    "length-mismatch": (
        (
            "{actual} actual values but {target} targets",
            "实际值 {actual} 个，目标值却有 {target} 个",
        ),
    ),
    "fraction-out-of-range": (
        ("{formula} = {value} is outside [0, 1]", "{formula} = {value}，不在 0 至 1 之间"),
    ),
    "peer-statistic-missing": tuple(
        (
            f"no peer {english}: score the unit together with its peers{tail}",
            f"没有同类单位的{chinese}：请与同类单位一起评分{tail_zh}",
        )
        for english, chinese in (
            ("mean", "均值"),
            ("median", "中位数"),
            ("{statistic}", "{statistic}"),
        )
        for tail, tail_zh in ((" or supply input {name}", "，或填报 {name}"), ("", ""))
    ),
    "nothing-applies": (
        (
            "no indicator applies: there is nothing to rescale to",
            "没有适用的指标：无法按比例折算分值",
        ),
        ("no recipients to allocate to", "没有适用的指标：不适用指标的分值无处分配"),
        ("{detail}", "没有适用的指标：{detail}"),
    ),
    "targets-missing": (
        (
            "give the targets with their actual values (the 申报表), or the counts of targets met "
            "and declared",
            "请给出绩效目标及其实际值（申报表），或达成目标数与申报目标数",
        ),
        (
            "give both counts: the targets met and the targets declared",
            "请同时给出达成目标数和申报目标数",
        ),
        ("no targets to score", "没有可评分的绩效目标"),
    ),
    "target-points": (
        ("give every target its points (分值), or none", "请为每个目标都给出分值，或都不给"),
        (
            "the targets' points (分值) add up to {sum}, the indicator has {points}",
            "各目标分值合计 {sum}，本指标分值为 {points}",
        ),
    ),
    "target-unit": (("{name}: {detail}", "{name}：{detail}"),),
    "target-unjudged": (
        (
            "{name} ({value}): give its actual value, or met: true/false, or tier: "
            "达成/部分达成/未达成",
            "{name}（{value}）：请给出实际值，或 met: true/false，或 tier: 达成/部分达成/未达成",
        ),
        (
            "{name} ({value}): give its actual value, or met: true/false",
            "{name}（{value}）：请给出实际值，或 met: true/false",
        ),
        (
            "{name}: 部分达成 needs the rubric's tiers (target_completion.tiers)",
            "{name}：部分达成需要评分表给出 tiers（target_completion.tiers）",
        ),
    ),
    "target-reason": (
        (
            "a target not met needs its 偏差原因 (reason): {names}",
            "未达成的目标需要填写偏差原因（reason）：{names}",
        ),
    ),
    "target-counts": (
        (
            "the 申报表 has {count} targets, {met} met; the counts say {counted_met} met of "
            "{counted}",
            "申报表有 {count} 个目标、达成 {met} 个；而填报的个"
            "数是 {counted} 个中达成 {counted_met} 个",
        ),
    ),
    "targets-form": (
        (
            "a row is [一级指标, 二级指标, 三级指标, 实施周期指标值, 年度指标值] "
            "and optionally the actual value",
            "每行应为 [一级指标, 二级指标, 三级指标, 实施周期指标值, 年度指标值]，可选实际值",
        ),
        ("a targets file is a mapping with 'sheets'", "绩效目标文件应为含 sheets 的映射"),
        ("分值 {value} is not a number", "分值 {value} 不是数值"),
        (
            "{name}: expected an amount such as 1,234.50, not {value}",
            "{name}：应为金额（如 1,234.50），实际为 {value}",
        ),
        (
            "expected an amount such as 1,234.50, not {value}",
            "应为金额（如 1,234.50），实际为 {value}",
        ),
        (
            "no worksheet has a heading row 一级指标 | 二级指标 | 三级指标",
            "没有工作表含表头行 一级指标 | 二级指标 | 三级指标",
        ),
        ("{detail}", "绩效目标表有误：{detail}"),
    ),
    "input-invalid": (("invalid input", "填报值无效"),),
    "input-missing": (("missing input", "未填写"),),
    # -- plugins, variants, lint -------------------------------------------------------
    "plugin-failed": (
        ("plugin {plugin} ({hook}): {detail}", "插件 {plugin}（{hook}）出错：{detail}"),
        ("an input type gave invalid rules: {detail}", "某个填报类型给出的规则无效：{detail}"),
        ("{who} raised {detail}", "{who} 出错：{detail}"),
        ("{who} returned {detail}", "{who} 返回了 {detail}"),
        ("{detail}", "插件出错：{detail}"),
    ),
    "renderer-unknown": (
        ("no renderer {format} (have: {names})", "没有 {format} 这种输出格式（可用：{names}）"),
        ("{detail}", "没有这种输出格式：{detail}"),
    ),
    "variant-base": (
        ("cannot use {reference}: {detail}", "无法使用 {reference}：{detail}"),
        (
            "name the version too: extends: <id>@<version>",
            "请同时给出版本：extends: <id>@<version>",
        ),
        (
            "a rubric that is not a file extends by id (extends: <id>@<version>)",
            "不是文件的评分表只能按 id 扩展（extends: <id>@<version>）",
        ),
        (
            "extends takes an id, or a path relative to the rubric's own folder",
            "extends 应为评分表 id，或相对于本评分表所在文件夹的路径",
        ),
        ("a rubric file ends in {suffixes}", "评分表文件的扩展名应为 {suffixes}"),
        ("the file is outside the rubric's own folder", "该文件不在本评分表所在的文件夹内"),
        ("{detail}", "所扩展的评分表有误：{detail}"),
    ),
    "variant-change": (
        ("the base has no input {id}", "所扩展的评分表没有填报项 {id}"),
        ("the base already has an indicator {id}", "所扩展的评分表已有指标 {id}"),
        ("the base has no indicator {id}", "所扩展的评分表没有指标 {id}"),
        ("cannot move {id} inside itself", "不能把 {id} 移到它自身之下"),
        ("{id} has no {key} to unset", "{id} 没有可删除的 {key}"),
        ("{id} is not an indicator at that place", "{id} 不是该位置上的指标"),
        ("{detail}", "变更有误：{detail}"),
    ),
    "variant-depth": (("more than {limit} extends", "extends 超过 {limit} 层"),),
    "variant-form": (
        ("'{op}' takes no '{key}'", "{op} 不接受 {key}"),
        ("give 'after' or 'before'", "请给出 after 或 before"),
        ("'{op}' takes an indicator (a mapping)", "{op} 需要一个指标（映射）"),
        ("'{op}' takes an indicator id", "{op} 需要一个指标 id"),
        ("'{op}' takes a mapping of keys to values", "{op} 需要键到值的映射"),
        ("'{op}' takes a list of keys", "{op} 需要键的列表"),
        ("'{op}' takes {what}", "{op} 需要 {what}"),
        ("'replace' needs 'with'", "replace 需要 with"),
        ("'move' needs 'under' (null: top level)", "move 需要 under（null 表示顶层）"),
        ("'remove_inputs' is a list of ids", "remove_inputs 应为 id 的列表"),
        (
            "'inputs' is a mapping of input ids to their rules",
            "inputs 应为填报项 id 到其规则的映射",
        ),
        ("'extends' names a rubric", "extends 应指明一个评分表"),
        (
            "a variant changes the indicators with 'changes', it does not list them",
            "变体用 changes 修改指标，而不是重新列出指标",
        ),
        ("a variant needs its own 'version'", "变体需要自己的 version（版本）"),
        ("'changes' is a list", "changes 应为列表"),
        ("a change is a mapping", "每项变更应为映射"),
        ("a change has exactly one of {operations}", "每项变更只能有 {operations} 中的一个"),
    ),
    "rate-unbounded": (
        (
            "input {name} is a rate with no maximum: a percentage typed as 20 (for 20%) would be "
            "scored as 2000%; give it max: 1",
            "填报项 {name} 是比率却没有上限：把 20% 填成 20 会按 2000% 评分；请给出 max: 1",
        ),
    ),
    "unused-input": (
        (
            "input {name} is declared but no indicator reads it",
            "填报项 {name} 已声明，但没有指标用到它",
        ),
    ),
    "never-applies": (
        (
            "applies: {formula} is always false: the indicator never applies",
            "applies（适用条件）{formula} 总是不成立：本指标永不适用",
        ),
    ),
    "always-applies": (
        (
            "applies: {formula} is always true: the not-applicable rule is never used",
            "applies（适用条件）{formula} 总是成立：不适用的规则永远用不上",
        ),
    ),
    "unreachable-band": (
        (
            "band {n} ({band}) is never reached: every value up to the input's maximum {high} is "
            "in an earlier band",
            "第 {n} 档（{band}）永远达不到：填报项最大值 {high} 以内的值都落在前面的档次",
        ),
        (
            "band {n} ({band}) is never reached: {formula} is at least {low}",
            "第 {n} 档（{band}）永远达不到：{formula} 至少为 {low}",
        ),
    ),
    "notes-unpaired": (
        (
            "notes_en has {english} notes and notes {notes}: each English note goes beside "
            "the note it says",
            "notes_en 有 {english} 条说明，notes 有 {notes} 条：每条英文说明应与对应的说明并列",
        ),
    ),
    "points-unreachable": (
        (
            "its criteria can give only {best} of the indicator's {points} points",
            "各评分项合计只能给出本指标 {points} 分中的 {best} 分",
        ),
        (
            "its criteria add up to {best} of the indicator's {points} points",
            "各评分项合计 {best} 分，本指标为 {points} 分",
        ),
        (
            "its best reachable band can give only {best} of the indicator's {points} points",
            "能达到的最高一档只能给出本指标 {points} 分中的 {best} 分",
        ),
        (
            "its best reachable band add up to {best} of the indicator's {points} points",
            "能达到的最高一档为 {best} 分，本指标为 {points} 分",
        ),
        (
            "its judgement's maximum can give only {best} of the indicator's {points} points",
            "评定的最高分只能给出本指标 {points} 分中的 {best} 分",
        ),
        (
            "its judgement's maximum add up to {best} of the indicator's {points} points",
            "评定的最高分为 {best} 分，本指标为 {points} 分",
        ),
    ),
}
"""Each problem code's messages, as ``(English, 中文)`` templates. A problem made without
``params`` is told in Chinese by reading its English message back through the English
template (the ``{name}`` parts are what varies); a code's first template that fits wins."""

FORMULA_ERRORS: tuple[tuple[str, str], ...] = (
    ("division by zero", "除数为 0"),
    ("the result is too large", "结果过大"),
    ("exponent {exponent} is larger than {limit}", "指数 {exponent} 大于 {limit}"),
    ("exponent {exponent} is not a whole number", "指数 {exponent} 不是整数"),
    ("cannot compare {left} with {right}", "无法比较 {left} 与 {right}"),
    ("cannot compare lists", "无法比较列表"),
    ("needs at least one number", "至少需要一个数值"),
    ("expected a list, got {kind}", "应为列表，实际为 {kind}"),
    ("expected a number, got {kind}", "应为数值，实际为 {kind}"),
    ("round() takes 0 to 12 digits", "round() 的位数应为 0 至 12"),
    ("mean() of an empty list", "对空列表求 mean()"),
    ("unknown function {name}", "未知函数 {name}"),
    ("invalid arithmetic", "无效的运算"),
    ("{name} is not defined for expression {formula}", "公式 {formula} 中 {name} 没有值"),
)
"""What a formula says when it fails on a unit's values, in Chinese (the ``{error}`` of
``formula-failed`` and ``formula-type``)."""


RULES: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "required": "必须填写",
        "unknown": "没有这一项",
        "empty": "不能为空",
        "nullable": "不能为空值",
        "min": "不能小于 {constraint}",
        "max": "不能大于 {constraint}",
        "minlength": "至少 {constraint} 项",
        "maxlength": "至多 {constraint} 项",
        "allowed": "「{value}」不是允许的值（应为 {constraint} 之一）",
        "regex": "{value} 不是有效的 id（小写字母、数字和 _）",
        "regex-rubric": "{value} 不是有效的评分表 id（小写字母、数字和 . _ / -，以字母或数字开头）",
        "regex-day": "{value} 不是日期（YYYY-MM-DD）或年份",
        "coerce": "{info}",
        "invalid": "无效",
        "decimal": "数值",
        "integer": "整数",
        "boolean": "是/否（true/false）",
        "string": "文字",
        "dict": "映射",
        "list": "列表",
        "formula": "公式（文字、数值或 true/false）",
        "credit": "是/否或分数",
        "or": "或",
    },
    "en": {
        "required": "required field",
        "unknown": "unknown key",
        "empty": "empty values not allowed",
        "nullable": "null value not allowed",
        "min": "min value is {constraint}",
        "max": "max value is {constraint}",
        "minlength": "min length is {constraint}",
        "maxlength": "max length is {constraint}",
        "allowed": "{value} is not allowed (one of {constraint})",
        "regex": "{value} is not a valid id (lower-case letters, digits and _)",
        "regex-rubric": "{value} is not a valid rubric id (lower-case letters, digits and . _ / "
        "-, from a letter or digit)",
        "regex-day": "{value} is not a date (YYYY-MM-DD) or a year",
        "coerce": "{info}",
        "invalid": "invalid",
        "decimal": "a number",
        "integer": "a whole number",
        "boolean": "true or false",
        "string": "text",
        "dict": "a mapping",
        "list": "a list",
        "formula": "a formula (text, number or true/false)",
        "credit": "true, false or a number",
        "or": " or ",
    },
}
"""What a rule says when a value breaks it, by language."""


READINGS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "zh": (
        (r"^expected a number, got nothing \(null\)$", "应为数值，实际为空值（null）"),
        (
            r"^expected a number, got the date (\S+) \(is the cell formatted as a date\?\)$",
            "应为数值，实际为日期 \\1（单元格是否设成了日期格式？）",
        ),
        (
            r"^expected a number, got the time (\S+) \(is the cell formatted as a date\?\)$",
            "应为数值，实际为时间 \\1（单元格是否设成了日期或时间格式？）",
        ),
        (r"^expected a finite number, got (.+)$", "应为有限的数值，实际为 \\1"),
        (r"^expected a number, got (.+)$", "应为数值，实际为 \\1"),
        (r"^expected a whole number, got (.+)$", "应为整数，实际为 \\1"),
        (r"^an amount is not a percentage, got (.+)$", "金额不能是百分数，实际为 \\1"),
        (
            r"^a comma in a number parts thousands only, got (.+) "
            r"\(a decimal point written as a comma\?\)$",
            "数值中的逗号只能用作千位分隔符，实际为 \\1（是否把小数点写成了逗号？）",
        ),
        (r"^expected a number in digits, got (.+)$", "应为用数字写的数值，实际为 \\1"),
        (
            r"^expected a number without a currency or unit, got (.+)$",
            "应为不带货币符号或单位的数值，实际为 \\1",
        ),
        (r"^a count is not a percentage, got (.+)$", "个数不能是百分数，实际为 \\1"),
        (r"^expected true or false, got (.+)$", "应为是/否（true/false），实际为 \\1"),
        (r"^(.+) is too large \(the limit is 10\^18\)$", "\\1 过大（上限为 10^18）"),
        (r"^(.+) has more than (\d+) significant digits$", "\\1 的有效数字多于 \\2 位"),
        (r"^(.+) has more than (\d+) decimal places$", "\\1 的小数多于 \\2 位"),
        (r"^(.+) is not a number that can be read$", "\\1 不是可以读取的数值（指数过大）"),
        (r"^must be at least (\S+), got (.+)$", "不能小于 \\1，实际为 \\2"),
        (
            r"^must be at most (\S+), got (\S+) \(a percentage\? write (\S+) or '(.+)'\)$",
            "不能大于 \\1，实际为 \\2（是否填成了百分数？应填 \\3 或「\\4」）",
        ),
        (r"^must be at most (\S+), got (.+)$", "不能大于 \\1，实际为 \\2"),
        (r"^credit (\S+) is outside \[0, (\S+)\]$", "得分 \\1 不在 0 至 \\2 之间"),
    ),
}
"""How the readers of input values (``rubriceng.inputs.types``) say a value cannot be read, in
languages other than English: a pattern of the English text and its replacement."""


SYSTEM_REASONS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "ENOENT": "文件不存在",
        "ENOENT write": "所在的文件夹不存在",
        "ENOTDIR": "路径中有一项是文件，不是文件夹",
        "EISDIR": "这是一个文件夹",
        "EACCES": "没有权限",
        "EPERM": "没有权限",
        "EROFS": "所在的磁盘只读",
        "ENOSPC": "磁盘空间不足",
        "EDQUOT": "超出磁盘配额",
        "ENAMETOOLONG": "文件名过长",
        "EEXIST": "文件已存在",
        "ELOOP": "符号链接循环",
        "EBUSY": "文件正被占用",
        "EIO": "读写设备出错",
        "other": "系统错误 {error}",
    },
    "en": {
        "ENOENT": "no such file",
        "ENOENT write": "its folder does not exist",
        "ENOTDIR": "a part of the path is a file, not a folder",
        "EISDIR": "it is a folder",
        "EACCES": "permission denied",
        "EPERM": "permission denied",
        "EROFS": "the disk is read-only",
        "ENOSPC": "no space left on the disk",
        "EDQUOT": "the disk quota is exceeded",
        "ENAMETOOLONG": "the file name is too long",
        "EEXIST": "the file exists",
        "ELOOP": "a loop of symbolic links",
        "EBUSY": "the file is in use",
        "EIO": "the device failed to read or write",
        "other": "system error {error}",
    },
}
"""Why the system refused to read or write a file, by its error's name (``errno``)."""


SYNTAX_READINGS: tuple[tuple[str, str], ...] = (
    (r"while scanning a simple key\s*", "扫描简单键时，"),
    (r"while scanning a plain scalar\s*", "扫描不带引号的文字时，"),
    (r"while scanning a (double-)?quoted scalar\s*", "扫描带引号的字符串时，"),
    (r"while parsing a quoted scalar\s*", "解析带引号的字符串时，"),
    (r"while scanning a block scalar\s*", "扫描块文本时，"),
    (r"while scanning for the next token\s*", "查找下一个记号时，"),
    (r"while scanning an alias\s*", "扫描别名时，"),
    (r"while scanning an anchor\s*", "扫描锚点时，"),
    (r"while scanning a (%\w+ |tag )?directive\s*", "扫描指令时，"),
    (r"while parsing a (%\w+ |tag )directive\s*", "解析指令时，"),
    (r"while scanning a tag\s*", "扫描标签时，"),
    (r"while parsing a tag\s*", "解析标签时，"),
    (r"while parsing a block mapping\s*", "解析块映射时，"),
    (r"while parsing a block collection\s*", "解析块列表时，"),
    (r"while parsing a flow sequence\s*", "解析方括号列表时，"),
    (r"while parsing a flow mapping\s*", "解析花括号映射时，"),
    (r"while parsing a (block |flow )?node\s*", "解析节点时，"),
    (r"while composing a mapping\s*", "组合映射时，"),
    (r"mapping values are not allowed (here|in this context)", "此处不能有「:」（映射的值）"),
    (r"mapping keys are not allowed (here|in this context)", "此处不能有映射的键"),
    (
        r"(block )?sequence entries are not allowed (here|in this context)",
        "此处不能有「-」（列表项）",
    ),
    (r"did not find expected key", "没有找到应有的键（缩进是否对齐？）"),
    (r"did not find expected node content", "没有找到应有的内容"),
    (r"did not find expected '-' indicator", "没有找到应有的「-」"),
    (r"did not find expected ',' or '\]'", "没有找到应有的「,」或「]」"),
    (r"did not find expected ',' or '\}'", "没有找到应有的「,」或「}」"),
    (r"did not find expected comment or line break", "此处应为注释或换行"),
    (r"did not find expected <document start>", "没有找到应有的文档开始（---）"),
    (r"could not find expected ':'", "没有找到应有的「:」"),
    (r"did not find expected alphabetic or numeric character", "没有找到应有的字母或数字"),
    (r"did not find expected tag URI", "没有找到应有的标签 URI"),
    (r"did not find the expected '>'", "没有找到应有的「>」"),
    (r"did not find expected whitespace or line break", "此处应为空格或换行"),
    (r"did not find expected hexa?decimal number", "没有找到应有的十六进制数字"),
    (r"could not find expected directive name", "没有找到应有的指令名"),
    (r"found unexpected non-alphabetical character", "出现了意外的非字母字符"),
    (r"did not find URI escaped octet", "没有找到 URI 转义的字节"),
    (r"did not find expected '!'", "没有找到应有的「!」"),
    (r"did not find expected <stream-start>", "没有找到应有的流开始"),
    (r"did not find expected digit or '\.' character", "没有找到应有的数字或「.」"),
    (r"did not find expected version number", "没有找到应有的版本号"),
    (r"did not find expected whitespace", "此处应为空格"),
    (r"found duplicate %(TAG|YAML) directive", "%\\1 指令重复"),
    (r"found extremely long version number", "版本号过长"),
    (r"found invalid Unicode character escape code", "有无效的 Unicode 字符转义"),
    (r"found unexpected document indicator", "出现了意外的文档标记（--- 或 ...）"),
    (r"found unknown directive name", "有未知的指令名"),
    (r"(unexpected |expected )?low surrogate area", "UTF-16 代理对有误"),
    (r"found an incorrect (leading|trailing) UTF-8 octet", "有错误的 UTF-8 字节"),
    (r"invalid (leading|trailing) UTF-8 octet", "有无效的 UTF-8 字节"),
    (r"invalid length of a UTF-8 sequence", "UTF-8 字节序列长度无效"),
    (r"incomplete UTF-(8|16) (octet sequence|character|surrogate pair)", "UTF-\\1 字符不完整"),
    (r"invalid Unicode character", "有无效的 Unicode 字符"),
    (r"input is too long", "输入过长"),
    (r"found unexpected end of stream", "文件意外结束（引号或括号是否未闭合？）"),
    (r"found unexpected ':'", "出现了意外的「:」"),
    (r"found unknown escape character( '[^']*')?", "有未知的转义字符\\1"),
    (r"found undefined alias( '[^']*')?", "引用了未定义的别名\\1"),
    (r"found undefined tag handle( '[^']*')?", "有未定义的标签前缀\\1"),
    (
        r"found character( '[^']*')? that cannot start any token",
        "有不能作为记号开头的字符\\1（如 Tab 缩进、@ 或 `）",
    ),
    (
        r"expected <block end>, but found ('[^']*')",
        "此处应是块的结尾（缩进是否对齐？），实际为 \\1",
    ),
    (r"expected ',' or '\]', but got ('[^']*')", "应为「,」或「]」，实际为 \\1"),
    (r"expected ',' or '\}', but got ('[^']*')", "应为「,」或「}」，实际为 \\1"),
    (r"expected the node content, but found ('[^']*')", "应有内容，实际为 \\1"),
    (
        r"found a tab character (that violates indentation|where an indentation space is "
        r"expected)",
        "缩进中有制表符（Tab），请改用空格",
    ),
    (r"found an indentation indicator equal to 0", "缩进指示符为 0"),
    (r"found incompatible YAML document", "文档的 YAML 版本不受支持"),
    (
        r"expected a single document in the stream\s*but found another document",
        "文件中只能有一个文档，却出现了第二个（---）",
    ),
    (r"found duplicate anchor( '[^']*')?; first occurrence\s*second occurrence", "锚点\\1重复"),
    (
        r"unacceptable character #x([0-9a-fA-F]+): control characters are not allowed",
        "有不可接受的控制字符 #x\\1",
    ),
    (
        r"unacceptable character #x([0-9a-fA-F]+): special characters are not allowed",
        "有不可接受的特殊字符 #x\\1",
    ),
    (r"\s*in \"<unicode string>\", position (\d+)", "（第 \\1 个字符）"),
    (r"，$", ""),
)
"""How the YAML parser's messages read in Chinese: each pattern of its English, in order,
replaced (a message some pattern leaves English is shown under the general heading)."""


JSON_READINGS: tuple[tuple[str, str], ...] = (
    ("Expecting value", "：此处应为一个值"),
    ("Expecting property name enclosed in double quotes", "：此处应为用双引号括起的键"),
    ("Expecting ':' delimiter", "：此处应为冒号「:」"),
    ("Expecting ',' delimiter", "：此处应为逗号「,」"),
    ("Unterminated string starting", "起的字符串没有结束"),
    ("Invalid control character", "有不允许的控制字符"),
    ("Invalid \\uXXXX escape", "有无效的 \\uXXXX 转义"),
    ("Invalid \\escape", "有无效的转义「\\」"),
    ("Extra data", "：一个 JSON 值之后还有多余内容"),
    ("Illegal trailing comma before end of object", "：对象末尾多了逗号"),
    ("Illegal trailing comma before end of array", "：数组末尾多了逗号"),
)
"""How the JSON parser's messages (Python's ``json``) begin, and what they say in Chinese
after ``第 … 行第 … 列``."""


FORMULA_SYNTAX_READINGS: tuple[tuple[str, str], ...] = (
    (r"^invalid syntax\. Perhaps you forgot a comma\?$", "语法有误（是否漏了逗号？）"),
    (
        r"^invalid syntax\. Maybe you meant '==' or ':=' instead of '='\?$",
        "语法有误（相等请写 ==）",
    ),
    (r"^invalid syntax$", "语法有误"),
    (r"^'(.)' was never closed$", "「\\1」没有闭合"),
    (r"^unmatched '(.)'$", "多了一个「\\1」"),
    (
        r"^closing parenthesis '(.)' does not match opening parenthesis '(.)'$",
        "右括号「\\1」与左括号「\\2」不配对",
    ),
    (
        r"^invalid character '(.)' \(U\+([0-9A-F]+)\)$",
        "有无效字符「\\1」（U+\\2；括号、逗号和运算符请用半角）",
    ),
    (r"^unterminated string literal \(detected at line \d+\)$", "文字缺少结尾的引号"),
    (r"^invalid (decimal|hexadecimal|octal|binary) literal$", "数字写法有误"),
    (r"^expected 'else' after 'if' expression$", "'if' 之后缺少 'else'"),
    (r"^unexpected EOF while parsing$", "公式不完整"),
)
"""How Python's parser says a formula cannot be parsed, in Chinese (a message none of
these reads is shown under the general heading as it is)."""


_USE_ID = "给出评分表 id 时：所评年度施行的版本。"
_LANG_HELP = "指标名称、标题和错误信息的语言：中文，或英文（评分表有英文名称时）。"

COMMAND_HELP: Mapping[str, str] = {
    # the English is each command's docstring and each option's help in rubriceng.cli;
    # a key is a command's path ("" for rubriceng itself, "targets check"), or that and
    # an option's longest name ("score --output"), or an option's name alone (any command)
    "": "按数据形式的评分表为部门整体支出绩效自评打分。\n\n"
    "\b\n退出码：\n"
    "  0  成功\n"
    "  1  评分表、填报数据、插件或评分出错（逐条列出位置；加 --debug 显示回溯），\n"
    "     测试用例未通过，批量中有单位无法评分，评分表文件有错\n"
    "  2  用法有误（缺少参数、未知选项或文件后缀）",
    " --strict": "任何插件出问题即失败（用于 CI）。",
    " --debug": "显示回溯。",
    " --lang": "所有输出的语言：zh（默认，或 $RUBRICENG_LANG）或 en。",
    "--year": _USE_ID,
    "--lang": _LANG_HELP,
    "lang default": "zh，或 $RUBRICENG_LANG",
    "score": "为一个单位评分：按 RUBRIC（文件、id 或 id@版本）评 INPUTS"
    "（.yaml、.json，或「rubriceng template」生成的 .xlsx 填报表）。\n\n"
    "\b\n示例：\n"
    "  rubriceng score cn.gd.huizhou/dept-overall@2020 examples/huizhou-2020-office.yaml\n"
    "  rubriceng score cn.gd.huizhou/dept-overall@2020 form.xlsx -o result.xlsx\n"
    "  rubriceng score cn.gd.huizhou/dept-overall@2020 unit.yaml -o report.html --lang en\n"
    "  rubriceng score cn.gd.huizhou/dept-overall@2020 unit.yaml -o 自评报告.docx",
    "score --output": "把结果写入文件，后缀决定形式：.xlsx（指标评分表和填报数据）、"
    ".html（报告）、.docx（自评报告的评分部分，待补充）、.json、.md 或 .txt。",
    "score --format": "不用 -o 时：text（表格）、json（rubriceng.result/1）、markdown "
    "或插件提供的格式。",
    "explain": "逐步说明一个指标（INDICATOR）的得分，有文字也有数字。INDICATOR 可以是"
    "指标 id、表中打印的指标名称，或名称中唯一的开头部分。\n\n"
    "\b\n示例：\n"
    "  rubriceng explain cn.gd.huizhou/dept-overall@2020 \\\n"
    "      examples/huizhou-2020-office.yaml procurement_rate\n"
    "  rubriceng explain cn.gd.huizhou/dept-overall@2020 \\\n"
    "      examples/huizhou-2020-office.yaml 政府采购执行率",
    "template": "为 RUBRIC 生成填报表：每个填报项及其名称、单位、类型、允许范围和使用它的"
    "指标。填报表记下评分表的 id@版本，并按该版本评分。\n\n"
    "加 --batch 时生成多单位填报表：每行一个单位，列标题为填报项名称和单位（隐藏的第二行"
    "是填报项 id），每个单元格都有同样的校验，另附填写说明页。\n\n"
    "\b\n示例：\n"
    "  rubriceng template cn.gd.huizhou/dept-overall@2020 -o form.xlsx\n"
    "  rubriceng template cn.gd.huizhou/dept-overall@2020 --batch -o units.xlsx\n"
    "  rubriceng template cn.gd.huizhou/dept-overall@2020 -o units.csv\n"
    "  rubriceng template cn.gd.huizhou/dept-overall@2020 --units 名单.txt -o forms",
    "template --units": "要下发填报表的单位（名单：.txt 每行一个，或 .csv、.xlsx 的第一列）："
    "加 --batch 时每个单位一行、写好名称；否则 -o 为文件夹，每个单位各一份填报表，写好名称。",
    "template --output": ".xlsx（带数据验证的填报表）、.yaml（带注释）、.json，"
    "或 .csv（批量文件的表头）。",
    "template --batch": "多单位填报表，每行一个单位（.xlsx 或 .csv），可一次下发。",
    "batch": "一次为一年收回的填报表评分。PATHS 是文件或文件夹，可任意混合：单个单位的"
    "填报表（「rubriceng template」生成的 .xlsx、.yaml、.json），以及每行一个单位的"
    "表格（.xlsx、UTF-8 或 GB18030 编码的 .csv、.parquet），列标题为填报项 id 或中文"
    "名称（「rubriceng template RUBRIC --batch」可生成）。\n\n"
    "同类比较的统计量（如市直平均值）按全部单位一起计算，并记入输出。不是填报项的列会在"
    "警告中列出并忽略。同一单位交了两份，或填报表是按评分表的其他版本填写的，批量在评分前"
    "即停止。无法评分的单位连同问题逐一列出，此时退出码为 1。\n\n"
    "\b\n示例：\n"
    "  rubriceng batch cn.gd.huizhou/dept-overall@2020 returned/ -o summary.xlsx\n"
    "  rubriceng batch cn.gd.huizhou/dept-overall units.xlsx late/ -o scores.json\n"
    "  rubriceng batch cn.gd.huizhou/dept-overall@2020 returned/ -o summary.xlsx --tables\n"
    "  rubriceng batch cn.gd.huizhou/dept-overall@2020 returned/ --reviews reviews/ \\\n"
    "      -o reviewed.xlsx\n"
    "  rubriceng batch cn.gd.huizhou/dept-overall@2020 returned/ --units 名单.txt \\\n"
    "      -o summary.xlsx",
    "batch --units": "下发了填报表的单位（名单，格式同 template --units）：交回的单位名称不在名单中"
    "时批量停止，并列出相近的名称；未交回的单位逐一列出（未报送），汇总表中也有。",
    "batch --output": ".xlsx（财政局汇总表：排名、等级分布、失分分析、参数和全部得分）、"
    ".csv、.parquet 或 .json（rubriceng.batch/1，含各指标的评分依据）。",
    "batch --tables": "同时把每个单位的指标评分表（.xlsx）写入输出文件旁的文件夹。",
    "batch --reviews": "复核文件（一个文件或文件夹，可多次给出），各自注明单位："
    "按复核后的结果评分和排名。",
    "review": "复核：按单位自评的填报数据（INPUTS）评分，再按复核意见（CHANGES："
    ".yaml/.json 文件，或「review --form」生成的 .xlsx）修改后评分，列出每个指标和总分的"
    "自评分、复核分和差异，每处差异附理由。\n\n"
    "\b\n示例：\n"
    "  rubriceng review cn.gd.huizhou/dept-overall@2020 unit.yaml --form -o review.xlsx\n"
    "  rubriceng review cn.gd.huizhou/dept-overall@2020 unit.yaml review.xlsx\n"
    "  rubriceng review cn.gd.huizhou/dept-overall@2020 unit.yaml review.yaml -o reviewed.xlsx",
    "review --form": "改为生成 INPUTS 的复核表供填写（-o review.xlsx）。",
    "review --output": ".xlsx（复核概况和复核结果）或 .json；不给时列出改动之处。",
    "review --all": "列出全部指标，无论是否改动。",
    "history": "一个单位历年的得分：RESULTS 是它各年的结果（JSON，由「score --format json」"
    "或「-o result.json」生成），每年一份，可以是评分表的不同版本。指标按 id 对齐，新版本"
    "增加、删除或调整分值之处在旁注明。年度取自文件名（2024.json）。\n\n"
    "\b\n示例：\n"
    "  rubriceng history 2023.json 2024.json 2025.json\n"
    "  rubriceng history results/*.json -o history.xlsx",
    "history --output": ".xlsx（表格和总分折线图）、.html 或 .json。",
    "check": "检查评分表文件 FILE：列出所有使其无法载入的错误，否则列出警告（没有指标读取"
    "的填报项、永远不适用的指标、取不到的分档、计分方法给不出的分值），各附文件和行号。\n\n"
    "\b\n示例：\n"
    "  rubriceng check my-rubric.yaml",
    "check --warnings-as-errors": "有警告时也以退出码 1 结束。",
    "schema": "输出 JSON Schema：RUBRIC 的填报数据；加 --result / --batch 时为结果的。\n\n"
    "\b\n示例：\n"
    "  rubriceng schema cn.gd.huizhou/dept-overall@2020 > inputs.schema.json\n"
    "  rubriceng schema --result > result.schema.json",
    "schema --result": "结果的 schema。",
    "schema --batch": "批量结果的 schema。",
    "list": "列出已安装插件提供的评分表。\n\n"
    "\b\n示例：\n"
    "  rubriceng list\n"
    "  rubriceng list --level city --region 惠州 --year 2025",
    "list --level": "province、city、county……（省、市、县）",
    "list --region": "地区名称（惠州）或区划代码（441300）。",
    "list --year": "只列该评价年度施行的版本。",
    "show": "显示评分表：指标、分值、计分方法及各自出处；加 --rules 或给出 INDICATORS 时，"
    "显示其评分规则。\n\n"
    "\b\n示例：\n"
    "  rubriceng show cn.gd.huizhou/dept-overall@2020\n"
    "  rubriceng show cn.gd.huizhou/dept-overall --year 2025 --lang en\n"
    "  rubriceng show cn.gd.huizhou/dept-overall@2020 --rules\n"
    "  rubriceng show cn.gd.huizhou/dept-overall@2020 carryover_rate procurement_rate",
    "show --rules": "在指标树下列出每个计分指标的规则：评分标准、公式、计分方法的设置、"
    "特殊情形、适用条件、说明和出处行。",
    "plugins": "列出已载入的插件（名称、版本、钩子、评分表）和载入失败的插件。\n\n"
    "\b\n示例：\n"
    "  rubriceng plugins\n"
    "  rubriceng --strict plugins      # 有插件失败即以退出码 1 结束（用于 CI）",
    "test": "运行 PATHS 中评分表作者的测试用例（test_*.yaml），不给时运行每个已安装插件的。\n\n"
    "\b\n示例：\n"
    "  rubriceng test\n"
    "  rubriceng test -v plugins/rubriceng-gd-huizhou/src/rubriceng_gd_huizhou/tests",
    "test --verbose": "逐条列出用例，无论是否通过。",
    "diff": "按两个评分表为 INPUTS 评分，逐个指标列出差异。\n\n"
    "INPUTS 可以包含两个评分表的填报项，各取所声明的。\n\n"
    "\b\n示例：\n"
    "  rubriceng diff cn.gd.huizhou/dept-overall@2020 cn.gd.huizhou/dept-overall@2025 \\\n"
    "      examples/huizhou-office-2020-and-2025.yaml",
    "diff --all": "也列出没有变化的指标。",
    "diff --json": "以 JSON 输出比较结果。",
    "new-plugin": "生成可运行的插件骨架 rubriceng-NAME：一个评分表及其测试用例。\n\n"
    "\b\n示例：\n"
    "  rubriceng new-plugin shaoguan --region 韶关市 --code 440200 --level city\n"
    "  rubriceng new-plugin shaoguan --region 韶关市 --level city --from-table 评分表.xlsx",
    "new-plugin --directory": "rubriceng-NAME/ 写在哪里。",
    "new-plugin --id": "评分表 id（默认 local.NAME/dept-overall）。",
    "new-plugin --level": "province、city、county……（省、市、县）",
    "new-plugin --region": "地区名称。",
    "new-plugin --code": "行政区划代码。",
    "new-plugin --year": "首个评价年度（默认：今年）。",
    "new-plugin --from-table": "从已发布的指标评分表（.xlsx、.docx 或 .csv）开始，"
    "读法同 import-table。",
    "import-table": "把已发布的指标评分表 TABLE（.xlsx、.docx 或 .csv）读成评分表：名称、"
    "分值和文字都照表中所印，每个末级指标先作为人工评判，评分标准像已知写法时附上建议的"
    "计分方法。对不上的地方连同工作表和行号报告，评分表照样写出。\n\n"
    "\b\n示例：\n"
    "  rubriceng import-table 评分表.xlsx -o rubric.yaml --id cn.gd.shaoguan/dept-overall \\\n"
    "      --version 2025 --level city --region 韶关市\n"
    "  rubriceng check rubric.yaml",
    "import-table --output": "要写出的评分表（.yaml）。",
    "import-table --id": "评分表 id（默认 local/<文件名>）。",
    "import-table --version": "评分表版本（默认 1）。",
    "import-table --level": "province、city、county、district、township 或 other。",
    "import-table --region": "地区名称（惠州市）。",
    "import-table --title": "标题（默认：表格自己的标题，或文件名）。",
    "serve": "以 HTTP 提供 rubriceng 服务（需要：pip install 'rubriceng[serve]'）："
    "/health、/openapi.json、/docs 和 /v1 各端点（见 docs/service.md）。\n\n"
    "\b\n示例：\n"
    "  rubriceng serve\n"
    '  rubriceng serve --host 0.0.0.0 --port 8080 --workers 4 --token "$SECRET"',
    "serve --host": "监听地址；不是本机回环地址时需要 --token。",
    "serve --workers": "工作进程数；每个进程在首次请求时载入评分表一次。",
    "serve --threads": "每个工作进程同时评分的请求数（不占用其事件循环）。",
    "serve --token": "每个 /v1 请求都须带「Authorization: Bearer TOKEN」。",
    "serve --insecure": "不用令牌也监听回环以外的地址（在负责校验的代理之后）。",
    "serve --max-body": "请求体的最大字节数。",
    "serve --timeout": "单个请求的时限（秒）。",
    "targets": "绩效目标：读取申报表，评判完成情况。\n\n"
    "\b\n示例：\n"
    "  rubriceng targets check examples/huizhou-2026-targets.yaml",
    "targets check": "列出 SHEET（.yaml、.json，或与发布格式相同的 .xlsx）中的每个目标及其"
    "解析结果（比较方式、数值、单位；推断出的比较方式另行标注），给出实际值时附评判。需要"
    "人工评判的值会标出，绝不猜测。有实际值无法与目标比较时以退出码 1 结束。\n\n"
    "\b\n示例：\n"
    "  rubriceng targets check examples/huizhou-2026-targets.yaml\n"
    "  rubriceng targets check tests/data/targets-with-actuals.yaml --lang en",
    "targets score": "按项目评分表（项目支出绩效自评表）为 SHEET 中每个项目表（含实际值）"
    "评分：预算执行率由预算数和支出数算出，目标按一级分组。部门表不在其中（绩效目标完成率"
    "是部门评分表的指标）。无法评分的项目列出原因，此时退出码为 1。\n\n"
    "\b\n示例：\n"
    "  rubriceng targets score tests/data/targets-with-actuals.yaml -o projects.xlsx",
    "targets score --rubric": "项目评分表（id、id@版本或文件）。",
    "targets score --output": "同时写出得分：.xlsx、.csv 或 .json（rubriceng.batch/1）。",
    # what ``rubriceng --help`` lists beside each command, where the first sentence is long
    "check short": "检查评分表文件，列出错误和警告。",
    "history short": "一个单位历年的得分，按指标对齐。",
    "import-table short": "把已发布的指标评分表读成评分表。",
    "new-plugin short": "生成可运行的插件骨架。",
    "plugins short": "列出已载入和载入失败的插件。",
    "review short": "复核：自评分、复核分和差异。",
    "schema short": "输出填报数据或结果的 JSON Schema。",
    "score short": "为一个单位评分。",
    "serve short": "以 HTTP 提供 rubriceng 服务。",
    "show short": "显示评分表及其评分规则。",
    "template short": "为评分表生成填报表。",
    "test short": "运行评分表作者的测试用例。",
    "targets check short": "列出申报表中的目标及其评判。",
    "targets score short": "按项目评分表为每个项目评分。",
}
"""The command line's help in Chinese (see the comments for the keys)."""

CLICK_WORDS: Mapping[str, str] = {
    # click's own words (its gettext messages), in Chinese
    "Usage:": "用法：",  # written with no space after it
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "请用「{command} {option}」查看帮助。",
    "Aborted!": "已中止。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否应为 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否应为以下之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数值。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    # click names a path's kind in English when the command line is made: left out
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is not readable.": "{filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
}
"""What click itself prints (its messages are marked for gettext), in Chinese: the
command line speaks these through :func:`rubriceng.cli` while Chinese is its language."""
