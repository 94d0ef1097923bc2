"""Variants (extends): every change operation, located errors, provenance, comparison."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import rubriceng
from rubriceng.authoring.comparison import compare
from rubriceng.host.registry import Registry
from tests.conftest import HUIZHOU_UNIT

BASE = """\
id: example/base
version: "1"
title: 基础表
level: county
region: {name: 示例县, code: "000001"}
in_force: {from: 2020}
provenance: {basis: transcribed, sources: [示例县评分表 2020]}
total: 10
inputs:
  done: {type: count}
  planned: {type: count}
  published: {type: boolean}
indicators:
  - id: delivery
    name: 产出
    points: 6
    children:
      - id: completion
        name: 完成率
        points: 4
        ratio: {actual: done, target: planned}
      - id: timeliness
        name: 及时性
        points: 2
        all_or_nothing: done >= planned
  - id: openness
    name: 公开
    points: 4
    all_or_nothing: published
"""

UNIT = {"done": 3, "planned": 4, "published": True}


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    return tmp_path


def _variant(folder: Path, body: str) -> Path:
    path = folder / "variant.yaml"
    path.write_text('id: example/base\nversion: "2"\nextends: base.yaml\n' + body, encoding="utf-8")
    return path


def _load(path: Path) -> rubriceng.Rubric:
    return Registry(entry_points=False).load_rubric(path)


def _tree(rubric: rubriceng.Rubric) -> list[tuple[str, str]]:
    return [(node.id, str(node.points)) for node in rubric.walk()]


def test_update_replaces_a_rule_and_keeps_the_rest(files):
    variant = _load(
        _variant(
            files,
            "changes:\n"
            "  - update: completion\n"
            "    set: {bands: [{upto: 0.5, score: 0}, {else: 4}], value: done / planned}\n",
        )
    )
    node = variant.indicator("completion")
    assert (node.method, node.origin, node.line) == ("bands", "example/base@2", 5)
    assert node.source == str(files / "variant.yaml")
    assert variant.indicator("timeliness").origin == "example/base@1"
    assert variant.indicator("timeliness").source == str(files / "base.yaml")
    assert variant.extends == "example/base@1"
    assert variant.in_force is None  # never inherited
    result = rubriceng.evaluate(variant, UNIT)
    assert result.scores()["completion"] == Decimal("4.00")  # 0.75 is above the 0.5 band
    base_result = rubriceng.evaluate(_load(files / "base.yaml"), UNIT)
    assert base_result.scores()["completion"] == Decimal("3.00")


def test_add_remove_replace_and_move(files):
    variant = _load(
        _variant(
            files,
            "changes:\n"
            "  - remove: timeliness\n"
            "  - update: completion\n"
            "    set: {points: 3}\n"
            "  - add: {id: quality, name: 质量, points: 3, all_or_nothing: done > 0}\n"
            "    under: delivery\n"
            "    before: completion\n"
            "  - replace: openness\n"
            "    with: {name: 信息公开, points: 4,\n"
            "           checklist: [{id: budget, name: 预算, points: 4}]}\n"
            "  - move: openness\n"
            "    under: null\n"
            "    before: delivery\n",
        )
    )
    assert _tree(variant) == [
        ("openness", "4.00"),
        ("delivery", "6.00"),
        ("quality", "3.00"),
        ("completion", "3.00"),
    ]
    assert variant.indicator("openness").name == "信息公开"
    result = rubriceng.evaluate(variant, {"done": 3, "planned": 4, "openness": {"budget": True}})
    assert result.scores() == {
        "openness": Decimal("4.00"),
        "delivery": Decimal("5.25"),
        "quality": Decimal("3.00"),
        "completion": Decimal("2.25"),
    }


def test_top_level_keys_replace_and_inputs_merge(files):
    variant = _load(
        _variant(
            files,
            "title: 新表\n"
            "grades: [{name: 好, min: 6}, {name: 差, min: 0}]\n"
            "inputs: {extra: {type: count}}\n"
            "remove_inputs: [published]\n"
            "changes:\n"
            "  - update: openness\n"
            "    set: {all_or_nothing: extra > 1}\n",
        )
    )
    assert variant.title == "新表"
    assert [spec.id for spec in variant.inputs] == ["done", "planned", "extra"]
    result = rubriceng.evaluate(variant, {"done": 4, "planned": 4, "extra": 2})
    assert (result.total, result.grade) == (Decimal("10.00"), "好")


def test_change_errors_are_located_in_the_variant_all_at_once(files):
    path = _variant(
        files,
        "remove_inputs: [nothing]\n"
        "changes:\n"
        "  - remove: ghost\n"
        "  - add: {id: openness, name: 重复, points: 1, score: 1}\n"
        "  - update: completion\n"
        "    unset: [standard]\n"
        "  - move: delivery\n"
        "    under: completion\n",
    )
    with pytest.raises(rubriceng.RubricError) as raised:
        _load(path)
    where = str(path)
    assert [problem.text("en") for problem in raised.value.problems] == [
        f"{where}:4: remove_inputs[0]: the base has no input 'nothing' [variant-change]",
        f"{where}:6: changes[0].remove: the base has no indicator 'ghost' [variant-change] "
        "(indicator ghost)",
        f"{where}:7: changes[1].add.id: the base already has an indicator 'openness' "
        "[variant-change]",
        f"{where}:9: changes[2].unset[0]: 'completion' has no 'standard' to unset "
        "[variant-change] (indicator completion)",
        f"{where}:11: changes[3].under: cannot move 'delivery' inside itself [variant-change]",
    ]


def test_the_shape_of_changes_is_checked_first(files):
    path = _variant(
        files,
        "indicators: []\nchanges:\n  - {remove: completion, update: timeliness}\n"
        "  - {replace: openness}\n  - {update: openness, set: 3, after: delivery}\n",
    )
    with pytest.raises(rubriceng.RubricError) as raised:
        _load(path)
    assert [(problem.line, problem.message) for problem in raised.value.problems] == [
        (4, "a variant changes the indicators with 'changes', it does not list them"),
        (6, "a change has exactly one of add, remove, replace, update, move"),
        (7, "'replace' needs 'with'"),
        (8, "'update' takes no 'after'"),
        (8, "'set' takes a mapping of keys to values"),
    ]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("inputs: [done]\n", "inputs 应为填报项 id 到其规则的映射"),
        ("inputs: 3\n", "inputs 应为填报项 id 到其规则的映射"),
        ("changes:\n  - {move: openness, under: [delivery]}\n", "under 需要一个指标 id"),
        ("changes:\n  - {add: {id: x}, under: {id: delivery}}\n", "under 需要一个指标 id"),
        ("changes:\n  - {move: openness, under: null, after: 3}\n", "after 需要一个指标 id"),
        ("changes:\n  - {add: {id: x}, before: [a]}\n", "before 需要一个指标 id"),
        ("changes:\n  - {update: openness, unset: [[points]]}\n", "unset 需要键的列表"),
        ("changes:\n  - {update: openness, unset: [{a: 1}]}\n", "unset 需要键的列表"),
    ],
)
def test_a_variant_s_sections_of_the_wrong_kind_are_told_not_merged(files, body, said):
    with pytest.raises(rubriceng.RubricError) as raised:
        _load(_variant(files, body))
    [problem] = raised.value.problems
    line = 4 if body.startswith("inputs") else 5  # the section, or the change
    assert (problem.code, problem.line, problem.said("zh")) == ("variant-form", line, said)


def test_the_merged_rubric_is_checked_as_a_whole_with_each_problem_in_its_own_file(files):
    path = _variant(files, "changes:\n  - remove: timeliness\n  - update: ghostly\n")
    with pytest.raises(rubriceng.RubricError):
        _load(path)
    path = _variant(
        files,
        "changes:\n  - remove: timeliness\n"
        "  - update: openness\n    set: {all_or_nothing: unknown_input}\n",
    )
    with pytest.raises(rubriceng.RubricError) as raised:
        _load(path)
    assert [problem.text("en") for problem in raised.value.problems] == [
        f"{files / 'base.yaml'}:16: indicators[0].points: children add up to 4.00, the "
        "indicator has 6.00 points [points-mismatch] (indicator delivery)",
        f"{path}:7: indicators[1].all_or_nothing: unknown name 'unknown_input' "
        "[formula-name] (indicator openness)",
    ]


def test_a_missing_base_and_a_loop_are_reported(files):
    path = files / "loop.yaml"
    path.write_text('id: x/loop\nversion: "1"\nextends: loop.yaml\n', encoding="utf-8")
    with pytest.raises(rubriceng.RubricError) as raised:
        _load(path)
    assert raised.value.problems[0].code == "variant-depth"
    path.write_text('id: x/loop\nversion: "1"\nextends: x/none@1\n', encoding="utf-8")
    with pytest.raises(rubriceng.RubricError) as raised:
        _load(path)
    assert raised.value.problems[0].text("zh") == (
        f"{path}:3 extends：无法使用 'x/none@1'：找不到评分表：「x/none@1」（已有："
        "cn/dept-overall-framework@2020、cn/project-self-evaluation@2020） [variant-base]"
    )
    assert raised.value.problems[0].text("en") == (
        f"{path}:3: extends: cannot use 'x/none@1': no rubric 'x/none'@1 (known: "
        "cn/dept-overall-framework@2020, cn/project-self-evaluation@2020) "
        "[variant-base]"
    )


def test_provenance_is_inherited_and_reconstructed_needs_reasoning(files):
    variant = _load(
        _variant(
            files,
            "provenance: {basis: derived, sources: [示例县评分表 2024]}\n"
            "changes:\n  - update: openness\n    set:\n      points: 4\n"
            "      provenance: {rule: reconstructed, reasoning: 报告未载明规则}\n",
        )
    )
    assert variant.indicator("completion").provenance == {
        "sources": ("示例县评分表 2020",),
        "points": "transcribed",
        "rule": "transcribed",
    }
    assert variant.indicator("openness").provenance == {
        "sources": ("示例县评分表 2024",),
        "reasoning": "报告未载明规则",
        "points": "derived",
        "rule": "reconstructed",
    }
    with pytest.raises(rubriceng.RubricError) as raised:
        _load(
            _variant(
                files,
                "changes:\n  - update: openness\n    set:\n"
                "      provenance: {basis: reconstructed}\n",
            )
        )
    assert [problem.code for problem in raised.value.problems] == ["provenance-reasoning"]


def test_the_huizhou_2025_variant_against_2020_on_one_unit():
    before = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
    after = rubriceng.find_rubric("cn.gd.huizhou/dept-overall", year=2025)
    inputs = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    inputs.update(total_revenue=Decimal("7827.18"), total_spending=Decimal("7725.3"))
    comparison = compare(before, after, inputs)
    changed = [(item.id, str(item.delta), item.status) for item in comparison.changed()]
    # 9 × 7725.3 / 7827.18 = 8.88 against the quarterly average's full 9
    assert changed == [
        ("budget_execution", "-0.12", "changed"),
        ("fund_management", "-0.12", "changed"),
        ("budget_spending_rate", "-0.12", "changed"),
    ]
    assert (comparison.before.total, comparison.after.total) == (
        Decimal("97.86"),
        Decimal("97.74"),
    )
    data = comparison.to_dict()
    assert data["after"] == {
        "rubric": "cn.gd.huizhou/dept-overall@2025",
        "total": "97.74",
        "grade": "优",
    }
    origins = {item.id: item.origin for item in comparison.after.walk()}
    assert origins["budget_spending_rate"] == "cn.gd.huizhou/dept-overall@2025"
    assert origins["procurement_rate"] == "cn.gd.huizhou/dept-overall@2020"
