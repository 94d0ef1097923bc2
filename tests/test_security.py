"""Untrusted rubric files: hostile formulas and documents are refused at load, located.

Every formula below is rejected when the rubric is loaded — with the file, line,
indicator and field of the formula — and so is never evaluated. They cover the known
escapes from expression sandboxes (generator and coroutine frames, ``__globals__``,
format strings, modules reachable through the attributes of objects passed in, the
``operator`` module), CVE-2026-32640 (simpleeval < 1.0.5: dangerous modules reachable as
attributes of objects passed as names), resource bombs and deep nesting. rubriceng's
formulas have no attribute access, subscripts or keyword arguments at all, so each
escape fails at the first forbidden node; the tests keep it that way.
"""

from __future__ import annotations

import functools
import json
import operator
import os
import pathlib
import shutil
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest

import rubriceng
from rubriceng.formula.functions import BUILTIN_FUNCTIONS
from rubriceng.formula.language import compile_formula
from rubriceng.formula.values import FormulaSyntaxError
from rubriceng.host.registry import Registry
from rubriceng.plugin import hookimpl

NAMES = ("a", "b", "rates", "points", "x", "helpers", "foo")

FORBIDDEN = "formula-forbidden"
NAME = "formula-name"
FUNCTION = "formula-function"
SYNTAX = "formula-syntax"
TOO_COMPLEX = "formula-too-complex"

HOSTILE: list[tuple[str, str]] = [
    # the classic escape through the class hierarchy
    ("().__class__.__bases__[0].__subclasses__()", FORBIDDEN),
    ("[].__class__.__base__.__subclasses__()", FORBIDDEN),
    ("''.__class__.__mro__[1].__subclasses__()", FORBIDDEN),
    ("True.__class__.__class__.__base__.__subclasses__()", FORBIDDEN),
    ("a.__class__", FORBIDDEN),
    ("(1).real", FORBIDDEN),
    ("1 .__class__", FORBIDDEN),
    ("a.real", FORBIDDEN),
    # functions' globals, builtins and modules
    ("min.__globals__", FORBIDDEN),
    ("min.__self__", FORBIDDEN),
    ("round.__globals__['__builtins__']['eval']('1')", FORBIDDEN),
    ("a.__init__.__globals__['sys'].exit(1)", FORBIDDEN),
    ("__import__('os').system('echo hi')", FORBIDDEN),
    ("__builtins__", FORBIDDEN),
    ("＿＿import＿＿('os')", SYNTAX),  # full-width _ is not an identifier character
    ("_a", FORBIDDEN),
    ("_(1)", FORBIDDEN),
    # generator and coroutine frames (simpleeval issue 138)
    ("(x for x in (1,)).gi_frame.f_globals['__builtins__']", FORBIDDEN),
    ("foo.bar().gi_frame.f_globals['__builtins__'].exec('1')", FORBIDDEN),
    ("foo.bar().cr_frame.f_back.f_globals", FORBIDDEN),
    ("foo.bar().ag_frame", FORBIDDEN),
    # CVE-2026-32640: modules reachable as attributes of objects passed as names
    ("helpers.os.system('id')", FORBIDDEN),
    ("helpers.sys.modules['os'].popen('id').read()", FORBIDDEN),
    ("x.subprocess.run('id')", FORBIDDEN),
    ("foo.module.__loader__.load_module('os')", FORBIDDEN),
    # the operator module and other helpers that reach attributes
    ("attrgetter('__globals__')(min)", FORBIDDEN),  # calling a call's result
    ("methodcaller('system', 'id')(helpers)", FORBIDDEN),
    ("itemgetter(0)", FUNCTION),
    ("getattr(a, 'real')", FUNCTION),
    ("setattr(a, 'b', 1)", FUNCTION),
    ("vars(a)", FUNCTION),
    ("type(a)", FUNCTION),
    ("eval('1')", FUNCTION),
    ("exec('1')", FUNCTION),
    ("compile('1', '', 'eval')", FUNCTION),
    ("open('/etc/passwd')", FUNCTION),
    ("globals()", FUNCTION),
    ("locals()", FUNCTION),
    ("breakpoint()", FUNCTION),
    ("print(a)", FUNCTION),
    ("points()", FUNCTION),
    ("a(1)", FUNCTION),
    ("min(a)(1)", FORBIDDEN),
    # format-string tricks
    ("'{0.__class__}'.format(a)", FORBIDDEN),
    ("'{a.__globals__}'.format_map(helpers)", FORBIDDEN),
    ("f'{a}'", FORBIDDEN),
    ("f'{a.__class__}'", FORBIDDEN),
    ("'%s' % a", FORBIDDEN),
    # syntax that does not exist in formulas
    ("[x for x in (1, 2)]", FORBIDDEN),
    ("{x: 1 for x in (1,)}", FORBIDDEN),
    ("{x for x in (1,)}", FORBIDDEN),
    ("lambda: 1", FORBIDDEN),
    ("(lambda: 1)()", FORBIDDEN),
    ("rates[0]", FORBIDDEN),
    ("rates[0:1]", FORBIDDEN),
    ("a if (b := 1) else 2", FORBIDDEN),
    ("[1, 2]", FORBIDDEN),
    ("{'a': 1}", FORBIDDEN),
    ("(1, 2)", FORBIDDEN),
    ("{1, 2}", FORBIDDEN),
    ("min(a, key=b)", FORBIDDEN),
    ("min(*rates)", FORBIDDEN),
    ("max(**helpers)", FORBIDDEN),
    ("a @ b", FORBIDDEN),
    ("a << 1000000", FORBIDDEN),
    ("~a", FORBIDDEN),
    ("a is b", FORBIDDEN),
    ("a in rates", FORBIDDEN),
    ("None", FORBIDDEN),
    ("...", FORBIDDEN),
    ("1j", FORBIDDEN),
    ("b'bytes'", FORBIDDEN),
    ("await a", FORBIDDEN),
    ("yield a", SYNTAX),
    ("a; b", SYNTAX),
    ("import os", SYNTAX),
    ("a = 1", SYNTAX),
    ("del a", SYNTAX),
    ("a\x00b", SYNTAX),
    ("", SYNTAX),
    ("c", NAME),
    ("Ellipsis", NAME),
    # resource bombs
    ("9 ** 9 ** 9", FORBIDDEN),
    ("a ** b", FORBIDDEN),
    ("10 ** 101", FORBIDDEN),
    ("2 ** -1000", FORBIDDEN),
    ("'x' * 10 ** 9", FORBIDDEN),
    ("'x' + 'y'", FORBIDDEN),
    ("-'x'", FORBIDDEN),
    ("9" * 40, TOO_COMPLEX),
    ("1e999", TOO_COMPLEX),
    ("1e19", TOO_COMPLEX),
    ("'" + "x" * 300 + "'", TOO_COMPLEX),
    ("+".join(["a"] * 500), TOO_COMPLEX),
    ("a" + " + a" * 400, TOO_COMPLEX),
    # deep nesting
    ("(" * 30 + "1" + ")" * 30, TOO_COMPLEX),
    ("min(" * 30 + "1" + ")" * 30, TOO_COMPLEX),
    ("[" * 5000, TOO_COMPLEX),
    ("not " * 300 + "a", TOO_COMPLEX),
    ("-" * 500 + "1", TOO_COMPLEX),
    ("a if b else " * 100 + "a", TOO_COMPLEX),
    # a registered function next to a forbidden node: refused before anything runs
    ("canary() + a.__class__", FORBIDDEN),
    ("canary() if a else rates[0]", FORBIDDEN),
]


def test_there_are_at_least_50_distinct_hostile_formulas():
    assert len({text for text, _ in HOSTILE}) == len(HOSTILE) >= 50


@pytest.mark.parametrize(("text", "code"), HOSTILE)
def test_hostile_formulas_are_refused_by_the_compiler(text, code):
    with pytest.raises(FormulaSyntaxError) as raised:
        compile_formula(text, NAMES, {**BUILTIN_FUNCTIONS, "canary": lambda: 1})
    assert raised.value.code == code


class Canary:
    """Offers ``canary()``, which records every call."""

    calls = 0

    @hookimpl
    def rubriceng_formula_functions(self) -> dict[str, Any]:
        def canary() -> Decimal:
            Canary.calls += 1
            return Decimal(1)

        return {"canary": canary}


RUBRIC = """\
id: hostile
version: "1"
title: hostile
total: 20
inputs:
  a: {{type: number}}
  b: {{type: number}}
  rates: {{type: list, items: rate}}
indicators:
  - id: harmless
    name: 无害
    points: 10
    score: canary() * 0 + 10
  - id: attack
    name: 攻击
    points: 10
    score: {formula}
"""


@pytest.mark.parametrize(("text", "code"), HOSTILE)
def test_hostile_formulas_in_a_rubric_file_are_refused_at_load_and_located(tmp_path, text, code):
    registry = Registry(entry_points=False)
    registry.register(Canary())
    path = tmp_path / "hostile.yaml"
    path.write_text(RUBRIC.format(formula=json.dumps(text)), encoding="utf-8")
    Canary.calls = 0
    with pytest.raises(rubriceng.RubricError) as raised:
        registry.load_rubric(path)
    problems = [p for p in raised.value.problems if p.indicator == "attack"]
    assert [(p.code, p.file, p.line, p.field) for p in problems] == [(code, str(path), 17, "score")]
    assert Canary.calls == 0


# -- plugins cannot offer what reaches the interpreter ---------------------------------


class Unsafe:
    @hookimpl
    def rubriceng_formula_functions(self) -> dict[str, Any]:
        return {
            "shell": os.system,
            "run": subprocess.run,
            "rmtree": shutil.rmtree,
            "quit": sys.exit,
            "globals_of": operator.attrgetter("__globals__"),
            "call": operator.methodcaller("system", "id"),
            "first": operator.itemgetter(0),
            "evaluate": functools.partial(eval, "1"),
            "update": {}.update,
            "read": pathlib.Path("/etc/passwd").read_text,
            "power": pow,
            "decimal": Decimal,
            "printing": print,
            # fine: pure functions
            "biggest": max,
            "double": lambda value: value * 2,
        }


def test_plugins_cannot_offer_functions_that_reach_the_system():
    registry = Registry(entry_points=False)
    registry.register(Unsafe(), name="unsafe")
    refused = sorted(failure.message.split("'")[1] for failure in registry.failures)
    assert refused == sorted(
        [
            "shell",
            "run",
            "rmtree",
            "quit",
            "globals_of",
            "call",
            "first",
            "evaluate",
            "update",
            "read",
            "power",
            "decimal",
            "printing",
        ]
    )
    assert {"biggest", "double"} <= set(registry.vocabulary.functions)
    assert all(
        failure.message.endswith("is not a pure function and cannot be offered to formulas")
        for failure in registry.failures
    )


def test_simpleeval_is_a_version_with_the_cve_2026_32640_fix():
    from importlib.metadata import version

    assert tuple(int(part) for part in version("simpleeval").split(".")[:3]) >= (1, 0, 5)


def test_every_kind_of_formula_in_an_indicator_is_checked_at_load():
    document = {
        "id": "h",
        "version": "1",
        "title": "h",
        "total": 10,
        "inputs": {"a": {"type": "number"}, "b": {"type": "number"}},
        "indicators": [
            {
                "id": "x",
                "name": "x",
                "points": 10,
                "applies": "a.__class__",
                "not_applicable": {"strategy": "full_marks"},
                "values": {"v": "rates[0]"},
                "cases": [{"when": "__import__('os')", "score": 1}],
                "value": "eval('1')",
                "ratio": {"actual": "a ** b", "target": "b"},
            }
        ],
    }
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(document)
    assert [(p.code, p.path, p.indicator, p.message) for p in raised.value.problems] == [
        (
            "formula-forbidden",
            "indicators[0].applies",
            "x",
            "formulas cannot use attribute access (a.b)",
        ),
        (
            "formula-forbidden",
            "indicators[0].values.v",
            "x",
            "formulas cannot use subscripts (a[b])",
        ),
        ("formula-function", "indicators[0].value", "x", "unknown function 'eval'"),
        (
            "formula-forbidden",
            "indicators[0].cases[0].when",
            "x",
            "names starting with '_' are not allowed: __import__",
        ),
        (
            "formula-forbidden",
            "indicators[0].ratio.actual",
            "x",
            "the exponent of ** must be a whole number written in the formula, at most 100",
        ),
    ]


# -- hostile documents ------------------------------------------------------------------

ALIAS_BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
)

HOSTILE_DOCUMENTS = [
    (
        "id: !!python/object/apply:os.system ['echo hi']\n",
        "document-tag",
        1,
        "YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
    ),
    (
        "x: 1\nid: !!python/name:os.system\n",
        "document-tag",
        2,
        "YAML tag tag:yaml.org,2002:python/name:os.system is not allowed",
    ),
    (
        "id: !!python/module:os\n",
        "document-tag",
        1,
        "YAML tag tag:yaml.org,2002:python/module:os is not allowed",
    ),
    ("id: !include /etc/passwd\n", "document-tag", 1, "YAML tag !include is not allowed"),
    ("id: !custom {a: 1}\n", "document-tag", 1, "YAML tag !custom is not allowed"),
    (
        "id: !!binary aGVsbG8=\n",
        "document-tag",
        1,
        "YAML tag tag:yaml.org,2002:binary is not allowed",
    ),
    ("id: !!set {a, b}\n", "document-tag", 1, "YAML tag tag:yaml.org,2002:set is not allowed"),
    ("id: !!timestamp 2020-01-01\n", "document-tag", 1, None),
    ("id: !!str 12\nn: !!int '12'\nx: !!python/str y\n", "document-tag", 3, None),
    ("id: a\nid: b\n", "document-duplicate-key", 2, None),
    ('{"id": "a",\n "id": "b"}', "document-duplicate-key", 2, None),
    (ALIAS_BOMB, "document-too-large", 1, None),  # the line of the aliased node
    ("a: " + "[" * 100 + "]" * 100, "document-too-deep", 1, "nesting deeper than 64 levels"),
    ('{"a":\n' + "[" * 100_000 + "]" * 100_000 + "}", "document-too-deep", 2, None),
    (
        "".join("  " * i + "k:\n" for i in range(80)) + "  " * 80 + "v\n",
        "document-too-deep",
        65,
        None,
    ),
    ("x: 1\n1: a\n", "document-key", 2, "key 1 must be text"),
    ("? [a, b]\n: c\n", "document-key", 1, "a key must be text, not a list"),
    ("x: 1\n? {a: b}\n: c\n", "document-key", 2, "a key must be text, not a mapping"),
    ("x: 1\ntrue: c\n", "document-key", 2, "key true must be text"),
    ("x: 1\n0.75: c\n", "document-key", 2, "key 0.75 must be text"),
    ("x: 1\n~: c\n", "document-key", 2, "key ~ must be text"),
    ("x: 1\n? \n: c\n", "document-key", 2, "key null must be text"),
    ("x: 1\n" + "9" * 60 + ": c\n", "document-key", 2, "key " + "9" * 39 + "… must be text"),
    ("id: a\n---\nid: b\n", "document-syntax", 2, None),
]


@pytest.mark.parametrize(("text", "code", "line", "message"), HOSTILE_DOCUMENTS)
@pytest.mark.parametrize("loader", [rubriceng.load_rubric, rubriceng.load_inputs])
def test_hostile_documents_are_refused_with_their_line(tmp_path, loader, text, code, line, message):
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rubriceng.RubricengError) as raised:
        loader(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.file, problem.line) == (code, str(path), line)
    if message is not None:
        assert problem.message == message


def test_brackets_in_quotes_and_comments_are_not_nesting(tmp_path):
    deep = "[" * 100
    path = tmp_path / "inputs.yaml"
    path.write_text(
        f"inputs:\n  note: '{deep}'  # {deep}\n  other: \"{deep}\"\n  it's: it's\n",
        encoding="utf-8",
    )
    assert rubriceng.load_inputs(path).inputs == {
        "note": deep,
        "other": deep,
        "it's": "it's",
    }


def test_oversized_and_undecodable_files_are_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: 惠州".encode("gb18030"))
    found = []
    for path in (big, latin):
        with pytest.raises(rubriceng.RubricError) as raised:
            rubriceng.load_rubric(path)
        found += [(p.code, p.message.split(":")[0]) for p in raised.value.problems]
    assert found == [
        ("document-too-large", "larger than 1048576 bytes"),
        ("document-encoding", "not UTF-8 text"),
    ]


def test_merge_keys_are_read_like_any_mapping(tmp_path):
    path = tmp_path / "inputs.yaml"
    path.write_text("base: &base {a: 1}\ninputs:\n  <<: *base\n  b: 2\n", encoding="utf-8")
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.load_inputs(path)
    assert [(p.code, p.path, p.message) for p in raised.value.problems] == [
        ("input-form", "base", "unknown key")
    ]
