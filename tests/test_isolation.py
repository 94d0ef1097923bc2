"""One failure stays where it happened: bad units in a batch, failing plugin code, threads.

A unit with bad inputs, a zero divisor or a plugin method that raises is reported with
its unit, indicator and (for plugins) the plugin's name; every other unit gets exactly
the result it gets when scored alone. Rubrics and results cannot be changed after the
fact, and one compiled rubric scored from 8 threads gives the serial results.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import attrs
import pytest

import rubriceng
from rubriceng.host.registry import Registry
from rubriceng.plugin import Context, InputType, Method, Renderer, Scored, Scorer, hookimpl
from tests.conftest import make_rubric
from tests.units import vary

# -- batches ---------------------------------------------------------------------------

PEERS = make_rubric(
    [
        {
            "id": "use",
            "name": "利用率",
            "points": 10,
            "value": "used / total",
            "peer": {"statistic": "mean"},
        },
        {
            "id": "completion",
            "name": "完成率",
            "points": 10,
            "ratio": {"actual": "done", "target": "plan"},
        },
    ],
    {
        "used": {"type": "money"},
        "total": {"type": "money"},
        "done": {"type": "count"},
        "plan": {"type": "count"},
    },
)


def _unit(used: Any, total: Any, done: Any = 4, plan: Any = 5) -> dict[str, Any]:
    return {"used": used, "total": total, "done": done, "plan": plan}


def test_a_bad_unit_costs_no_other_unit_its_result():
    rubric = rubriceng.load_rubric(PEERS)
    units = {
        "甲": _unit(90, 100),
        "乙": _unit("lots", 100, done=-1),  # two invalid inputs
        "丙": _unit(60, 100),
        "丁": _unit(80, 100, plan=0),  # zero divisor in a ratio
        "戊": _unit(75, 100),
    }
    batch = rubriceng.evaluate_many(rubric, units, errors="collect")
    assert not batch.ok
    assert [result.unit for result in batch.results] == ["甲", "丙", "戊"]
    # the peer mean is over the units whose inputs are valid, 丁 included:
    # (0.9 + 0.6 + 0.8 + 0.75) / 4 = 0.7625, so 戊 (0.75) is below it
    assert [r.indicator("use").score for r in batch.results] == [
        Decimal("10.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert [(f.unit, f.error.code) for f in batch.failures] == [
        ("乙", "input-invalid"),
        ("丁", "evaluation-failed"),
    ]
    assert [(p.unit, p.field, p.indicator, p.message) for p in batch.failures[0].problems] == [
        ("乙", "done", "completion", "must be at least 0, got -1"),
        ("乙", "used", "use", "expected a number, got 'lots'"),
    ]
    assert [p.text("en") for p in batch.failures[1].problems] == [
        "unit '丁': ratio.target: target plan is zero [zero-denominator] (indicator completion)"
    ]
    assert batch.to_dict()["failures"][1] == {
        "unit": "丁",
        "error": "evaluation-failed",
        "problems": [
            {
                "code": "zero-denominator",
                "message": "target plan is zero",
                "indicator": "completion",
                "field": "ratio.target",
                "unit": "丁",
                "text": "单位「丁」 ratio.target：目标值 plan 为 0 [zero-denominator]"
                "（指标 完成率 completion）",
            }
        ],
    }
    # 乙 took no part: without it the batch is the same
    del units["乙"]
    assert rubriceng.evaluate_many(rubric, units, errors="collect") == attrs.evolve(
        batch, failures=batch.failures[1:]
    )
    # without 丁 too, the mean is 0.75 and 戊 reaches it
    del units["丁"]
    assert rubriceng.evaluate_many(rubric, units)[2].indicator("use").score == Decimal("10.00")


def test_by_default_a_batch_with_a_bad_unit_raises_listing_every_bad_unit():
    rubric = rubriceng.load_rubric(PEERS)
    units = [_unit(1, 2), _unit(1, 0), _unit(None, 2, plan="x")]
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.evaluate_many(rubric, units)
    assert str(raised.value) == (
        "单位「3」的填报数据有误（2 个问题）：\n"
        "  - 单位「3」 plan：应为数值，实际为 'x'，用于完成率 [input-invalid]\n"
        "  - 单位「3」 used：应为数值，实际为空值（null），用于利用率 [input-invalid]"
    )
    assert raised.value.text("en") == (
        "invalid inputs in 1 unit(s) (2 problems):\n"
        "  - unit '3': plan: expected a number, got 'x', used by completion [input-invalid]\n"
        "  - unit '3': used: expected a number, got nothing (null), used by use [input-invalid]"
    )
    with pytest.raises(rubriceng.EvaluationError) as raised:
        rubriceng.evaluate_many(rubric, units[:2])
    assert [(p.unit, p.code) for p in raised.value.problems] == [("2", "formula-failed")]
    with pytest.raises(ValueError, match="errors must be 'raise' or 'collect', not 'skip'"):
        rubriceng.evaluate_many(rubric, units, errors="skip")  # type: ignore[call-overload]


# -- plugins ---------------------------------------------------------------------------


class Fragile(Scorer):
    """Scores ``x`` out of 10 but fails on 13, and returns nonsense on 7."""

    def score(self, context: Context) -> Scored:
        x = context.names["x"]
        if x == 13:
            raise KeyError("unlucky")
        if x == 7:
            return Scored(float(x))  # type: ignore[arg-type]
        return Scored(Decimal(min(x, 10)))


def _shaky(value: Any) -> Any:
    if value == 0:
        raise RuntimeError("no data for zero")
    return rubriceng if value == 1 else value  # a module is never a formula value


class FragilePlugin:
    @hookimpl
    def rubriceng_scoring_methods(self) -> list[Method]:
        return [Method("fragile", {"type": "boolean"}, lambda spec, cc: Fragile())]

    @hookimpl
    def rubriceng_formula_functions(self) -> dict[str, Any]:
        return {"shaky": _shaky}


FRAGILE = make_rubric(
    [
        {"id": "f", "name": "脆弱", "points": 10, "fragile": True},
        {"id": "s", "name": "摇晃", "points": 10, "score": "min(points, shaky(x))"},
    ],
    {"x": {"type": "count", "max": 13}},
)


def _fragile_registry() -> Registry:
    registry = Registry(entry_points=False)
    registry.register(FragilePlugin(), name="fragile-plugin")
    return registry


def test_a_plugin_failing_on_one_unit_is_reported_with_plugin_indicator_and_unit():
    rubric = _fragile_registry().load_rubric(FRAGILE)
    units = {name: {"x": x} for name, x in (("a", 5), ("b", 13), ("c", 7), ("d", 0), ("e", 1))}
    batch = rubriceng.evaluate_many(rubric, units, errors="collect")
    assert [(r.unit, r.scores()["f"], r.scores()["s"]) for r in batch.results] == [
        ("a", Decimal("5.00"), Decimal("5.00"))
    ]
    plugin = "of plugin 'fragile-plugin'"
    found = [
        (p.unit, p.indicator, p.code, p.field, p.message)
        for f in batch.failures
        for p in f.problems
    ]
    assert found == [
        (
            "b",
            "f",
            "plugin-failed",
            "fragile",
            f"method 'fragile' {plugin} raised KeyError: 'unlucky'",
        ),
        (
            "c",
            "f",
            "plugin-failed",
            "fragile",
            f"method 'fragile' {plugin} returned a score of type float, not a number",
        ),
        (
            "d",
            "s",
            "plugin-failed",
            "score",
            f"min(points, shaky(x)): function shaky() {plugin} raised RuntimeError: "
            "no data for zero",
        ),
        (
            "e",
            "s",
            "plugin-failed",
            "score",
            f"min(points, shaky(x)): function shaky() {plugin} returned module, not a number, "
            "text, true/false or a list of numbers",
        ),
    ]
    # the unit that passed is scored exactly as when scored alone
    assert batch.results[0] == rubriceng.evaluate(rubric, {"x": 5}, unit="a")


class BrokenAtCompile:
    @hookimpl
    def rubriceng_scoring_methods(self) -> list[Method]:
        def compile_method(spec: Any, cc: Any) -> Scorer:
            return {"not": "a scorer"}[spec]  # KeyError for any spec but "not"

        return [Method("broken", {"type": "string"}, compile_method)]

    @hookimpl
    def rubriceng_input_types(self) -> list[InputType]:
        def rules(spec: Any, types: Any) -> dict[str, Any]:
            raise ZeroDivisionError("rules of a bad day")

        def loose(spec: Any, types: Any) -> dict[str, Any]:
            return {"type": "no such cerberus type"}

        return [InputType("bad_day", rules), InputType("loose", loose)]

    @hookimpl
    def rubriceng_renderers(self) -> list[Renderer]:
        return [
            Renderer("crash", lambda result, lang: str(1 / 0)),
            Renderer("bytes", lambda result, lang: b"total"),  # type: ignore[arg-type,return-value]
        ]


def _broken_registry() -> Registry:
    registry = Registry(entry_points=False)
    registry.register(BrokenAtCompile(), name="broken")
    return registry


def test_a_plugin_failing_while_a_rubric_loads_is_a_located_rubric_problem():
    document = make_rubric([{"id": "b", "name": "坏", "points": 10, "broken": "yes"}])
    with pytest.raises(rubriceng.RubricError) as raised:
        _broken_registry().load_rubric(document)
    assert [(p.code, p.path, p.indicator, p.message) for p in raised.value.problems] == [
        (
            "plugin-failed",
            "indicators[0]",
            "b",
            "method 'broken' of plugin 'broken' failed to compile: KeyError: 'yes'",
        )
    ]
    inputs = make_rubric(
        [{"id": "b", "name": "坏", "points": 10, "score": "x"}], {"x": {"type": "bad_day"}}
    )
    with pytest.raises(rubriceng.RubricError) as raised:
        _broken_registry().load_rubric(inputs)
    assert [(p.code, p.field, p.message) for p in raised.value.problems] == [
        (
            "plugin-failed",
            "x",
            "input type 'bad_day' of plugin 'broken' failed: ZeroDivisionError: rules of a bad day",
        )
    ]
    inputs["inputs"]["x"]["type"] = "loose"
    with pytest.raises(rubriceng.RubricError) as raised:
        _broken_registry().load_rubric(inputs)
    assert [p.code for p in raised.value.problems] == ["plugin-failed"]
    assert raised.value.problems[0].message.startswith("an input type gave invalid rules: ")


def test_a_failing_renderer_raises_a_plugin_error():
    registry = _broken_registry()
    rubric = registry.load_rubric(make_rubric([{"id": "a", "name": "a", "points": 1, "score": 1}]))
    result = rubriceng.evaluate(rubric, {})
    messages = []
    for name in ("crash", "bytes", "nope"):
        with pytest.raises(rubriceng.PluginError) as raised:
            registry.render(result, name)
        messages += [(p.code, p.message) for p in raised.value.problems]
    assert messages == [
        (
            "plugin-failed",
            "renderer 'crash' of plugin 'broken' raised ZeroDivisionError: division by zero",
        ),
        ("plugin-failed", "renderer 'bytes' of plugin 'broken' returned bytes, not text"),
        ("renderer-unknown", "no renderer 'nope' (have: bytes, crash, json, markdown, text)"),
    ]


# -- immutability and threads ------------------------------------------------------------


def test_rubrics_and_results_cannot_be_changed(huizhou, huizhou_inputs):
    result = rubriceng.evaluate(huizhou, huizhou_inputs)
    spending = result.indicator("budget_spending_rate")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.total = Decimal(100)  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        huizhou.indicators[0].points = Decimal(0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        spending.trace["raw"] = Decimal(0)  # type: ignore[index]
    with pytest.raises(TypeError):
        huizhou.provenance["sources"] = ()  # type: ignore[index]
    with pytest.raises(AttributeError):
        spending.trace["inputs"]["quarterly_spending_progress"].append(1)
    assert isinstance(result.indicators, tuple)
    assert result.to_dict()["total"] == "97.86"


def test_one_rubric_scored_from_8_threads_gives_the_serial_results(huizhou, huizhou_inputs):
    rng = random.Random(20261121)
    units = [vary(huizhou, huizhou_inputs, rng) for _ in range(160)]
    for unit in units:  # more done than due is refused; keep most units scorable
        for done, due in (
            ("key_tasks_completed", "key_tasks_total"),
            ("targets_met", "targets_declared"),
            ("projects_on_time", "projects_total"),
        ):
            if rng.random() < 0.9 and unit[done] > unit[due]:
                unit[done], unit[due] = unit[due], unit[done]

    def outcome(inputs: dict[str, Any]) -> Any:
        try:
            return rubriceng.evaluate(huizhou, inputs)
        except rubriceng.RubricengError as error:
            return (type(error), error.problems)

    serial = [outcome(inputs) for inputs in units]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(outcome, units, chunksize=1))
    assert threaded == serial
    scored = [item for item in serial if isinstance(item, rubriceng.Result)]
    # random counts often answer more complaints than were received: those units fail,
    # as they should, and their problems must match too
    assert len(scored) > 30
    assert len({item.total for item in scored}) > 30
