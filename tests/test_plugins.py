"""Plugins: hooks, contributions, isolation of failures, strict mode, the rubric registry."""

from __future__ import annotations

import datetime
import importlib.metadata
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

import rubriceng
from rubriceng.errors import PluginError
from rubriceng.host import collect as plugins_module
from rubriceng.host.registry import Registry
from rubriceng.plugin import (
    Context,
    InputSpec,
    InputType,
    Method,
    Renderer,
    Scored,
    Scorer,
    hookimpl,
)
from tests.conftest import HUIZHOU_RUBRICS, make_rubric


class Halving(Scorer):
    """Half of the indicator's points, whatever the unit does (a toy method)."""

    def score(self, context: Context) -> Scored:
        return Scored(context.points / 2, {"rule": "half"})


def _percent_points(spec: InputSpec, types: Any) -> dict[str, Any]:
    def coerce(value: Any) -> Decimal:
        return Decimal(str(value)) / 100

    return {"type": "decimal", "coerce": coerce, "min": Decimal(0), "max": Decimal(1)}


class Extras:
    """A plugin contributing one of everything."""

    calls = 0

    @hookimpl
    def rubriceng_scoring_methods(self) -> list[Method]:
        Extras.calls += 1
        return [Method("halved", {"type": "boolean"}, lambda spec, cc: Halving())]

    @hookimpl
    def rubriceng_formula_functions(self) -> dict[str, Any]:
        return {"twice": lambda value: value * 2}

    @hookimpl
    def rubriceng_input_types(self) -> list[InputType]:
        return [InputType("percent_points", _percent_points, numeric=True)]

    @hookimpl
    def rubriceng_renderers(self) -> list[Renderer]:
        return [Renderer("total", lambda result, lang: f"{result.total}")]


EXTRAS_RUBRIC = make_rubric(
    [
        {"id": "half", "name": "半", "points": 4, "halved": True},
        {"id": "doubled", "name": "倍", "points": 6, "score": "min(points, twice(rate) * 3)"},
    ],
    {"rate": {"type": "percent_points"}},
)


def _registry(*plugins: object, strict: bool = False) -> Registry:
    registry = Registry(entry_points=False, strict=strict)
    for plugin in plugins:
        registry.register(plugin)
    return registry


def test_a_plugin_adds_methods_functions_input_types_and_renderers():
    registry = _registry(Extras())
    rubric = registry.load_rubric(EXTRAS_RUBRIC)
    result = rubriceng.evaluate(rubric, {"rate": "80"})  # percent_points: 80 → 0.8
    assert result.scores() == {"half": Decimal("2.00"), "doubled": Decimal("4.80")}
    assert registry.render(result, "total") == "6.80"
    assert [plugin.name for plugin in registry.plugins] == [
        "rubriceng",
        "rubriceng.targets",
        "Extras",
    ]
    assert registry.plugins[2].hooks == (
        "rubriceng_formula_functions",
        "rubriceng_input_types",
        "rubriceng_renderers",
        "rubriceng_scoring_methods",
    )


def test_the_default_registry_does_not_know_a_plugins_method():
    with pytest.raises(rubriceng.RubricError) as raised:
        Registry(entry_points=False).load_rubric(EXTRAS_RUBRIC)
    messages = [problem.message for problem in raised.value.problems]
    assert "unknown key" in messages
    assert (
        "percent_points is not allowed (one of money, number, rate, count, boolean, text, list, "
        "targets)" in messages
    )


def test_hooks_are_resolved_once_not_per_evaluation():
    Extras.calls = 0
    registry = _registry(Extras())
    rubric = registry.load_rubric(EXTRAS_RUBRIC)
    for _ in range(5):
        rubriceng.evaluate(rubric, {"rate": 50})
    registry.load_rubric(EXTRAS_RUBRIC)
    assert Extras.calls == 1


class Raising:
    @hookimpl
    def rubriceng_formula_functions(self) -> dict[str, Any]:
        raise RuntimeError("database unavailable")


class Clashing:
    @hookimpl
    def rubriceng_scoring_methods(self) -> list[Any]:
        return [Method("ratio", {}, lambda spec, cc: None), "not a method"]

    @hookimpl
    def rubriceng_formula_functions(self) -> dict[str, Any]:
        return {"min": min, "run": eval, "Bad": abs, "lambda": abs, "ok": abs}

    def rubriceng_rubric(self) -> None:  # a misspelt hook
        return None


def test_failures_are_isolated_and_name_the_plugin_the_hook_and_the_problem():
    registry = _registry(Raising(), Clashing(), Extras())
    assert [str(failure) for failure in registry.failures] == [
        "plugin 'Clashing' (rubriceng_rubric): no such hook (hooks: rubriceng_rubrics, "
        "rubriceng_scoring_methods, rubriceng_formula_functions, rubriceng_input_types, "
        "rubriceng_renderers, rubriceng_test_cases)",
        "plugin 'Clashing' (rubriceng_scoring_methods): 'ratio' is already registered by "
        "plugin 'rubriceng'",
        "plugin 'Clashing' (rubriceng_scoring_methods): expected Method, got 'not a method'",
        "plugin 'Raising' (rubriceng_formula_functions): raised RuntimeError: database unavailable",
        "plugin 'Clashing' (rubriceng_formula_functions): 'min' is already registered by "
        "plugin 'rubriceng'",
        "plugin 'Clashing' (rubriceng_formula_functions): 'run' is not a pure function and "
        "cannot be offered to formulas",
        "plugin 'Clashing' (rubriceng_formula_functions): 'Bad' is not a valid name "
        "(lower-case letters, digits and _)",
        "plugin 'Clashing' (rubriceng_formula_functions): 'lambda' is a reserved word of formulas",
    ]
    # everything that was fine still loaded, the built-ins first
    assert registry.vocabulary.methods["ratio"] is rubriceng.methods.BUILTIN_METHODS["ratio"]
    assert registry.vocabulary.functions["ok"].__wrapped__ is abs  # behind a guard
    rubric = registry.load_rubric(EXTRAS_RUBRIC)
    assert rubriceng.evaluate(rubric, {"rate": 100}).total == Decimal("8.00")


def test_strict_mode_turns_any_failure_into_an_error_listing_them_all():
    registry = _registry(Raising(), Extras(), strict=True)
    with pytest.raises(PluginError) as raised:
        registry.load_rubric(EXTRAS_RUBRIC)
    assert raised.value.code == "plugin-failed"
    assert [problem.text("en") for problem in raised.value.problems] == [
        "plugin 'Raising' (rubriceng_formula_functions): raised RuntimeError: database "
        "unavailable [plugin-failed]"
    ]


def test_a_plugin_that_fails_to_import_is_reported_and_the_others_load(monkeypatch):
    broken = importlib.metadata.EntryPoint("broken", "no_such_module_anywhere", "rubriceng")
    fine = SimpleNamespace(
        name="fine",
        value="tests.test_plugins:FINE",
        dist=None,
        load=lambda: FINE,
    )
    monkeypatch.setattr(
        plugins_module.importlib.metadata,
        "entry_points",
        lambda group: [fine, broken] if group == "rubriceng" else [],
    )
    registry = Registry()
    assert [plugin.name for plugin in registry.plugins] == [
        "rubriceng",
        "rubriceng.targets",
        "fine",
    ]
    assert [str(failure) for failure in registry.failures] == [
        "plugin 'broken' (import): ModuleNotFoundError: No module named 'no_such_module_anywhere'"
    ]


FINE = Extras()


def _offering(name: str, *sources: Any) -> object:
    def rubriceng_rubrics() -> list[Any]:
        return list(sources)

    return SimpleNamespace(__name__=name, rubriceng_rubrics=hookimpl(rubriceng_rubrics))


def test_two_plugins_offering_the_same_rubric_version_is_an_error_naming_both():
    first = _offering("first", make_rubric([{"id": "a", "name": "甲", "points": 1, "score": 1}]))
    second = _offering("second", make_rubric([{"id": "a", "name": "甲", "points": 1, "score": 0}]))
    registry = _registry(first, second)
    assert [str(failure) for failure in registry.failures] == [
        "plugin 'second' (rubriceng_rubrics): rubric test@1 is offered twice: by plugin "
        "'first' (<first>) and by plugin 'second' (<second>); the second is ignored"
    ]
    assert rubriceng.evaluate(registry.load("test@1"), {}).total == Decimal("1.00")
    with pytest.raises(PluginError):
        _registry(first, second, strict=True).rubrics()


def test_an_invalid_rubric_names_its_plugin_and_the_other_rubrics_still_load():
    bad = make_rubric([{"id": "a", "name": "甲", "points": 2, "score": 1}], id="bad")
    bad["total"] = 3
    registry = _registry(_offering("shaky", bad, str(HUIZHOU_RUBRICS / "no-such.yaml")))
    registry.register(_offering("solid", str(HUIZHOU_RUBRICS)))
    assert [str(failure) for failure in registry.check()] == [
        f"plugin 'shaky' (rubriceng_rubrics): {HUIZHOU_RUBRICS / 'no-such.yaml'} does not exist",
        "plugin 'shaky' (rubriceng_rubrics): <shaky>: total: the level-1 indicators add up "
        "to 2.00, the rubric's total is 3.00 [points-mismatch]",
    ]
    with pytest.raises(rubriceng.RubricError) as raised:
        registry.load("bad@1")
    assert raised.value.summary == (
        "rubric bad@1 of plugin 'shaky' (rubriceng_rubrics) is not valid"
    )
    assert registry.load("cn.gd.huizhou/dept-overall@2020").title.startswith("惠州市")


# -- finding rubrics ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed() -> Registry:
    """The installed plugins, as the README's commands install them."""
    return Registry(strict=True)


def test_the_bundled_plugins_are_installed_and_valid(installed):
    assert [plugin.name for plugin in installed.plugins] == [
        "rubriceng",
        "rubriceng.targets",
        "gd_huizhou",
        "gd_lianjiang",
        "gd_province",
    ]
    assert installed.check() == []
    assert [entry.ref for entry in installed.rubrics()] == [
        "cn.gd.huizhou/dept-overall@2020",
        "cn.gd.huizhou/dept-overall@2025",
        "cn.gd.zhanjiang.lianjiang/dept-overall@2024",
        "cn.gd/dept-overall@2024",
        "cn/dept-overall-framework@2020",
        "cn/project-self-evaluation@2020",
    ]


@pytest.mark.parametrize(
    ("criteria", "found"),
    [
        ({"level": "city", "region": "441300", "year": 2025}, "cn.gd.huizhou/dept-overall@2025"),
        ({"region": "惠州", "year": 2024}, "cn.gd.huizhou/dept-overall@2020"),
        ({"region": "惠州市", "year": 2020}, "cn.gd.huizhou/dept-overall@2020"),
        ({"id": "cn.gd.huizhou/dept-overall"}, "cn.gd.huizhou/dept-overall@2025"),
        ({"level": "county", "year": 2024}, "cn.gd.zhanjiang.lianjiang/dept-overall@2024"),
        ({"region": "440000"}, "cn.gd/dept-overall@2024"),
        ({"region": "广东省", "on": datetime.date(2024, 3, 1)}, "cn.gd/dept-overall@2024"),
    ],
)
def test_find_by_level_region_and_year(installed, criteria, found):
    assert installed.find(**criteria).ref == found


def test_find_explains_what_it_could_not_find(installed):
    with pytest.raises(rubriceng.RubricNotFoundError) as raised:
        installed.find(region="惠州", year=2019)
    assert raised.value.problems[0].text("zh") == (
        "找不到评分表：地区 惠州，2019 年适用（已有：cn.gd.huizhou/dept-overall@2020、"
        "cn.gd.huizhou/dept-overall@2025、cn.gd.zhanjiang.lianjiang/dept-overall@2024、"
        "cn.gd/dept-overall@2024、cn/dept-overall-framework@2020、"
        "cn/project-self-evaluation@2020） [rubric-not-found]"
    )
    assert raised.value.problems[0].text("en") == (
        "no rubric for region 惠州 in force in 2019 (known: cn.gd.huizhou/dept-overall@2020, "
        "cn.gd.huizhou/dept-overall@2025, cn.gd.zhanjiang.lianjiang/dept-overall@2024, "
        "cn.gd/dept-overall@2024, cn/dept-overall-framework@2020, "
        "cn/project-self-evaluation@2020) [rubric-not-found]"
    )
    with pytest.raises(rubriceng.RubricNotFoundError) as raised:
        installed.find(year=2024)
    assert raised.value.problems[0].text("zh") == (
        "有多个评分表符合 2024 年适用：cn.gd.huizhou/dept-overall、"
        "cn.gd.zhanjiang.lianjiang/dept-overall、cn.gd/dept-overall、"
        "cn/dept-overall-framework、cn/project-self-evaluation；请给出 id [rubric-ambiguous]"
    )
    assert raised.value.problems[0].text("en") == (
        "several rubrics in force in 2024: cn.gd.huizhou/dept-overall, "
        "cn.gd.zhanjiang.lianjiang/dept-overall, cn.gd/dept-overall, "
        "cn/dept-overall-framework, cn/project-self-evaluation; give an id [rubric-ambiguous]"
    )


def test_find_rubric_by_id_picks_the_version_in_force(installed):
    assert rubriceng.find_rubric("cn.gd.huizhou/dept-overall", year=2023).version == "2020"
    assert rubriceng.find_rubric("cn.gd.huizhou/dept-overall", year=2026).version == "2025"


def test_every_bundled_indicator_says_where_its_points_and_rule_come_from(installed):
    bases = {}
    for entry in installed.rubrics():
        rubric = installed.load(entry)
        for node in rubric.walk():
            provenance = node.provenance or {}
            assert provenance.get("sources"), (entry.ref, node.id)
            bases.setdefault(entry.ref, set()).add((provenance["points"], provenance["rule"]))
            if "reconstructed" in (provenance["points"], provenance["rule"]):
                assert provenance.get("reasoning"), (entry.ref, node.id)
    assert bases == {
        "cn.gd.huizhou/dept-overall@2020": {("transcribed", "transcribed")},
        "cn.gd.huizhou/dept-overall@2025": {
            ("transcribed", "transcribed"),
            ("transcribed", "reconstructed"),
        },
        "cn.gd.zhanjiang.lianjiang/dept-overall@2024": {("reconstructed", "reconstructed")},
        "cn.gd/dept-overall@2024": {("reconstructed", "reconstructed")},
        "cn/project-self-evaluation@2020": {("reconstructed", "reconstructed")},
        "cn/dept-overall-framework@2020": {("reconstructed", "reconstructed")},
    }


class BadRules:
    @hookimpl
    def rubriceng_scoring_methods(self) -> list[Any]:
        return [
            Method("typo", {"type": "dcimal"}, lambda spec, cc: None),
            Method("nonsense", {"minn": 1}, lambda spec, cc: None),
            Method("halved", {"type": "boolean"}, lambda spec, cc: Halving()),
        ]


def test_a_method_with_rules_cerberus_cannot_use_is_refused_when_collected():
    """Rubric documents are validated against rules checked once, when the plugin's
    methods are collected: a method whose rules are no valid cerberus rules is refused
    there, naming the plugin, and the others load."""
    registry = _registry(BadRules())
    assert [str(failure) for failure in registry.failures] == [
        "plugin 'BadRules' (rubriceng_scoring_methods): method 'typo' gave invalid rules: "
        "{'typo': [{'type': ['Unsupported types: dcimal']}]}",
        "plugin 'BadRules' (rubriceng_scoring_methods): method 'nonsense' gave invalid rules: "
        "{'nonsense': [{'minn': ['unknown rule']}]}",
    ]
    rubric = registry.load_rubric(
        make_rubric([{"id": "h", "name": "半", "points": 4, "halved": True}])
    )
    assert rubriceng.evaluate(rubric, {}).total == Decimal("2.00")


def test_the_engines_own_rubric_schema_passes_cerberus_own_check():
    """What make_validator(checked=True) trusts without checking is checked here."""
    from rubriceng.language.compiler import _schema_for
    from rubriceng.language.schema import make_validator
    from rubriceng.language.vocabulary import BUILTIN_VOCABULARY

    schema, registry = _schema_for(BUILTIN_VOCABULARY)
    make_validator(schema, registry)  # raises cerberus.SchemaError if it were not valid


def test_what_the_built_in_plugins_give_passes_the_checks_other_plugins_get():
    """The collector checks no contribution of rubriceng's own plugins (the engine and
    绩效目标): every one of them is checked here, as a plugin's would be."""
    from rubriceng.host import collect
    from rubriceng.host.registry import Registry
    from rubriceng.language.compiler import _schema_for
    from rubriceng.language.schema import make_validator

    vocabulary = Registry(entry_points=False).vocabulary
    assert "target_completion" in vocabulary.methods
    for key, method in vocabulary.methods.items():
        assert collect._check_method(key, method) is None, key
    for name, function in vocabulary.functions.items():
        assert collect._check_function(name, function) is None, name
    schema, registry = _schema_for(vocabulary)
    make_validator(schema, registry)


NEW_METHOD_PLUGIN = '''
"""A plugin that adds the scoring method ``share``: points × done / due, capped."""

from fractions import Fraction

import attrs

from rubriceng.plugin import CompileContext, Context, Method, Scored, Scorer, hookimpl


@attrs.frozen
class ShareScorer(Scorer):
    done: object
    due: object

    def formulas(self):
        return (self.done, self.due)

    def score(self, context: Context) -> Scored:
        done = Fraction(context.number(self.done, "share.done"))
        due = Fraction(context.number(self.due, "share.due"))
        part = min(Fraction(1), done / due)
        return Scored(Fraction(context.points) * part, {"share": part})


def compile_share(spec, cc: CompileContext):
    done, due = cc.formula(spec["done"], "done"), cc.formula(spec["due"], "due")
    return None if done is None or due is None else ShareScorer(done, due)


@hookimpl
def rubriceng_scoring_methods():
    return [
        Method(
            "share",
            {"type": "dict", "schema": {"done": {"type": "formula", "required": True},
                                        "due": {"type": "formula", "required": True}}},
            compile_share,
            summary="points × done / due, capped at the points",
            words={"zh": {"share": "完成比例 {value}"}, "en": {"share": "share done {value}"}},
        )
    ]
'''


def test_a_new_scoring_method_is_one_file(tmp_path):
    """Everything a new method needs is in one module: its scorer, compile function,
    rules and trace words. The row path (called from the generated kernel), the batch
    path and the explanations all take it from there."""
    import importlib.util

    import pandas

    from rubriceng.outputs.explanation import explain

    (tmp_path / "rubriceng_share.py").write_text(NEW_METHOD_PLUGIN, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(
        "rubriceng_share", tmp_path / "rubriceng_share.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registry = _registry()
    registry.register(module, "share")
    rubric = registry.load_rubric(
        make_rubric(
            [
                {
                    "id": "timely",
                    "name": "项目完成及时性",
                    "points": 3,
                    "share": {"done": "on_time", "due": "projects"},
                }
            ],
            {"on_time": {"type": "count"}, "projects": {"type": "count"}},
        )
    )
    units = [
        {"on_time": 5, "projects": 24},
        {"on_time": 13, "projects": 40},
        {"on_time": 9, "projects": 8},
    ]
    # 3 × 5/24 = 0.625 exactly, a half cent: half-up gives 0.63; 3 × 13/40 = 0.975 → 0.98
    expected = [Decimal("0.63"), Decimal("0.98"), Decimal("3.00")]
    assert [rubriceng.evaluate(rubric, unit).total for unit in units] == expected
    assert [result.total for result in rubriceng.evaluate_many(rubric, units)] == expected
    table = rubriceng.evaluate_table(rubric, pandas.DataFrame(units))
    assert [Decimal(str(total)) for total in table.to_frame()["total"]] == expected
    result = rubriceng.evaluate(rubric, units[0])
    assert explain(result, "timely", rubric).splitlines()[2:] == [
        "  数据：on_time 5，projects 24",
        "  完成比例 0.2083",
        "  按满分 3 得 0.625 分",
        "  得分 0.63",
    ]
    assert explain(result, "timely", rubric, "en").splitlines()[3] == "  share done 0.2083"
