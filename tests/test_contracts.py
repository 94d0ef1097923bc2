"""JSON contracts for embedding: a rubric's inputs schema, the versioned result schemas,
and the published copies in docs/schemas that must not drift from the code."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from referencing import Registry, Resource

import rubriceng
from rubriceng.cli import main
from rubriceng.outputs.schemas import PUBLISHED
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, PLUGINS, ROOT

SCHEMAS = ROOT / "docs" / "schemas"
RUBRICS = sorted(PLUGINS.glob("*/src/*/rubrics/*.yaml"))
CASES = sorted(PLUGINS.glob("*/src/*/tests/test_*.yaml"))


def _validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    registry = Registry().with_resource(
        "urn:rubriceng:result/1", Resource.from_contents(rubriceng.RESULT_SCHEMA)
    )
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _json(value):
    """What embedding software sends: JSON (Decimals as numbers where YAML had numbers)."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _case_units():
    for path in CASES:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in document["cases"]:
            yield document["rubric"], case


def _case_id(value):
    return value.get("name", "") if isinstance(value, dict) else value


@pytest.mark.parametrize(("rubric_ref", "case"), list(_case_units()), ids=_case_id)
def test_every_rule_authors_case_fits_its_rubrics_inputs_schema(rubric_ref, case):
    rubric = rubriceng.find_rubric(rubric_ref)
    schema = rubriceng.inputs_schema(rubric)
    document = {"unit": case.get("name"), "inputs": _json(case.get("inputs", {}))}
    assert list(_validator(schema).iter_errors(document)) == []
    result = rubriceng.evaluate(rubric, document["inputs"])
    assert list(_validator(rubriceng.RESULT_SCHEMA).iter_errors(_json(result.to_dict()))) == []


def test_what_rubriceng_refuses_the_schema_refuses(huizhou):
    schema = rubriceng.inputs_schema(huizhou)
    validator = _validator(schema)
    good = _json(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)
    bad_values = {
        "procurement_plan": -1,
        "general_transfer_advance_rate": 1.5,
        "has_transfer_payments": "也许",
        "late_monthly_asset_reports": 1.5,
        "quarterly_spending_progress": [0.1, 0.2],
        "no_such_input": 1,
        "budget_reasonableness": {"fits_duties_and_policy": True},
        "project_supervision": {"score": 4, "reason": "x"},
    }
    for name, value in bad_values.items():
        inputs = {**good, name: value}
        assert not validator.is_valid({"inputs": inputs}), name
        with pytest.raises(rubriceng.InputError):
            rubriceng.evaluate(huizhou, inputs)
    text_values = {
        "procurement_plan": "1,331,100",
        "general_transfer_advance_rate": "90%",
        "has_transfer_payments": "否",
        "budget_reasonableness": {**good["budget_reasonableness"], "not_fixed": "是"},
    }
    inputs = {**good, **text_values}
    assert validator.is_valid({"unit": "x", "inputs": inputs})
    assert rubriceng.evaluate(huizhou, inputs).total == Decimal("97.86")


def test_inputs_schema_describes_each_input(huizhou):
    properties = rubriceng.inputs_schema(huizhou)["properties"]["inputs"]["properties"]
    assert properties["procurement_plan"]["title"] == "采购计划金额合计数"
    assert properties["procurement_plan"]["description"] == (
        "money (元), ≥ 0; used by 政府采购执行率"
    )
    assert properties["quarterly_spending_progress"]["minItems"] == 4
    criterion = properties["budget_reasonableness"]["properties"]["not_fixed"]
    assert criterion["title"] == (
        "预算编制合理性：部门预算分配不固化，能根据实际情况合理调整"
        "（如不存在项目支出完成不理想但连年持续安排预算的情况等），得1分"
    )
    assert properties["budget_reasonableness"]["required"] == [
        "fits_duties_and_policy",
        "allocated_by_priority",
        "special_funds_detailed",
        "classification_accurate",
        "not_fixed",
    ]


def test_results_and_batches_fit_their_versioned_schemas(huizhou):
    unit = rubriceng.load_inputs(HUIZHOU_UNIT)
    result = rubriceng.evaluate(huizhou, unit.inputs, unit=unit.unit)
    assert list(_validator(rubriceng.RESULT_SCHEMA).iter_errors(result.to_dict())) == []
    units = {"good": unit.inputs, "bad": {**unit.inputs, "procurement_plan": "x"}}
    batch = rubriceng.evaluate_many(huizhou, units, errors="collect")
    assert list(_validator(rubriceng.BATCH_SCHEMA).iter_errors(batch.to_dict())) == []
    broken = {**result.to_dict(), "total": 97.86}
    assert not _validator(rubriceng.RESULT_SCHEMA).is_valid(broken)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_the_published_result_schemas_are_the_codes(name):
    """``python docs/generate.py`` writes them."""
    published = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(PUBLISHED[name]))


@pytest.mark.parametrize("path", RUBRICS, ids=lambda path: path.name)
def test_the_published_inputs_schemas_are_the_codes(path):
    rubric = rubriceng.load_rubric(path)
    published = SCHEMAS / "inputs" / f"{rubric.id.replace('/', '--')}@{rubric.version}.json"
    assert json.loads(published.read_text(encoding="utf-8")) == rubriceng.inputs_schema(rubric)


def test_cli_schema_prints_each_schema():
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "--result"])
    assert json.loads(result.output) == json.loads(json.dumps(rubriceng.RESULT_SCHEMA))
    result = runner.invoke(main, ["schema", str(HUIZHOU)])
    assert json.loads(result.output)["$id"] == (
        "urn:rubriceng:inputs:cn.gd.huizhou/dept-overall@2020"
    )
    assert runner.invoke(main, ["schema"]).exit_code == 2


def test_plain_gives_json_types_whatever_the_mapping_or_number():
    """Trace values as ``to_dict`` gives them: read-only views, dicts and their
    subclasses as dicts with text keys, Decimals and exact Fractions as decimal text,
    tuples as lists, the JSON scalars as they are."""
    import collections
    import types
    from fractions import Fraction

    from rubriceng.scoring.result import plain

    class Text(str):
        pass

    value = types.MappingProxyType(
        {
            "rate": Decimal("0.875"),
            "third": Fraction(1, 3),
            "quarter": Fraction(1, 4),
            "items": ({"ok": True, "n": 3, "x": 1.5, "none": None},),
            "ordered": collections.OrderedDict([(1, Decimal("2.50"))]),
            "text": Text("是"),
        }
    )
    assert plain(value) == {
        "rate": "0.875",
        "third": "0.3333333333333333333333333333333333",
        "quarter": "0.25",
        "items": [{"ok": True, "n": 3, "x": 1.5, "none": None}],
        "ordered": {"1": "2.50"},
        "text": "是",
    }
    assert type(plain(value)["text"]) is Text  # text is kept as it is
