"""The fast paths give the exact answers: the engine against the hand-written scorer of
the 惠州 table on edge-heavy synthetic units, one at a time and as a batch, and the
benchmark script itself (its agreement check, not its timings). Also the import
contract: ``import rubriceng`` loads no third-party library until a name is used."""

from __future__ import annotations

import subprocess
import sys
import types
from collections import Counter
from decimal import Decimal

import pytest

import rubriceng
from benchmarks.huizhou import generate, hand_score
from tests.conftest import HUIZHOU

UNITS = generate(1500, seed=6)


@pytest.fixture(scope="module")
def rubric() -> rubriceng.Rubric:
    return rubriceng.load_rubric(HUIZHOU)


def test_generated_units_sit_on_the_edges_they_are_meant_to(rubric):
    results = [rubriceng.evaluate(rubric, unit, trace=False) for unit in UNITS[:400]]
    carryover = Counter(r.indicator("carryover_rate").score for r in results)
    variance = Counter(r.indicator("revenue_budget_variance").score for r in results)
    not_applicable = sum(
        r.indicator("advance_release_rate").status == "not_applicable" for r in results
    )
    assert set(carryover) == {Decimal(0), Decimal(1), Decimal(2), Decimal(3)}
    # variances of 0, 5%, 10% and 35%
    assert {Decimal(4), Decimal("3.5"), Decimal(3), Decimal("0.5")} <= set(variance)
    assert 150 < not_applicable < 250


def test_every_total_agrees_with_the_hand_written_scorer(rubric):
    totals = [rubriceng.evaluate(rubric, unit, trace=False).total for unit in UNITS]
    expected = [hand_score(unit) for unit in UNITS]
    wrong = [i for i, (got, want) in enumerate(zip(totals, expected, strict=True)) if got != want]
    assert wrong == []
    assert len(set(totals)) > 1000  # the units differ; the check is not vacuous


def test_traces_do_not_change_a_score(rubric):
    for unit in UNITS[:200]:
        traced = rubriceng.evaluate(rubric, unit)
        plain = rubriceng.evaluate(rubric, unit, trace=False)
        assert traced.scores() == plain.scores()


def test_the_batch_computes_the_peer_mean_the_units_were_given(rubric):
    units = generate(300, seed=7)  # each given the exact mean of these 300
    batch = rubriceng.evaluate_many(rubric, units, trace=False)
    assert [result.total for result in batch] == [hand_score(unit) for unit in units]
    mean = units[0]["peer_fixed_asset_use_rate"]
    for unit in units:
        del unit["peer_fixed_asset_use_rate"]  # now only the batch knows the mean
    batch = rubriceng.evaluate_many(rubric, units, trace=False)
    expected = [hand_score({**unit, "peer_fixed_asset_use_rate": mean}) for unit in units]
    assert [result.total for result in batch] == expected


def test_the_benchmark_checks_that_all_five_paths_agree(capsys):
    from benchmarks.run import main

    assert main(["--sizes", "60", "--no-memory", "--rounds", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    paths = [line for line in lines if line[:2] in ("a ", "b ", "c ", "d ", "e ")]
    assert len(paths) == 5
    assert all(line.endswith("agree") for line in paths)


def test_import_rubriceng_loads_no_third_party_library_until_a_name_is_used():
    code = (
        "import sys, rubriceng\n"
        "heavy = {'cerberus', 'yaml', 'pluggy', 'simpleeval', 'attrs', 'click'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
        "rubriceng.evaluate\n"
        "print(sorted({'cerberus', 'pluggy'} & set(sys.modules)))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert output == ["[]", "[]"]  # scoring needs neither cerberus nor pluggy


def test_every_exported_name_resolves_and_is_listed():
    for name in rubriceng.__all__:
        assert getattr(rubriceng, name) is not None
    assert set(rubriceng.__all__) <= set(dir(rubriceng))
    with pytest.raises(AttributeError, match="no attribute 'evaluat'"):
        rubriceng.evaluat  # noqa: B018


def test_scoring_a_valid_unit_builds_no_validator_and_parses_no_formula(monkeypatch, huizhou):
    """The per-unit path uses what the plan compiled: no cerberus validator is built and
    no formula is parsed; cerberus is asked only to explain inputs that were refused."""
    import ast

    from rubriceng.language import schema

    unit = generate(1, seed=9)[0]
    expected = rubriceng.evaluate(huizhou, unit).total
    built: list[str] = []

    def refuse_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a formula was parsed while scoring")

    original = schema.Validator.__init__

    def counting(self: object, *args: object, **kwargs: object) -> None:
        built.append("validator")
        original(self, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", refuse_parsing)
    monkeypatch.setattr(schema.Validator, "__init__", counting)
    assert rubriceng.evaluate(huizhou, unit).total == expected
    assert rubriceng.evaluate(huizhou, unit, trace=False).total == expected
    assert built == []
    with pytest.raises(rubriceng.InputError, match="不能小于 0，实际为 -1"):
        rubriceng.evaluate(huizhou, {**unit, "procurement_plan": -1})


def test_every_export_is_the_object_not_a_submodule_of_the_same_name():
    """``rubriceng.compare`` once became the module rubriceng/compare.py as soon as the
    CLI imported it, hiding the function; no exported name may be a module's name."""
    import importlib
    import pkgutil

    import rubriceng

    for module in pkgutil.iter_modules(rubriceng.__path__):
        if module.name != "__main__":
            importlib.import_module(f"rubriceng.{module.name}")
    for name in rubriceng.__all__:
        assert not isinstance(getattr(rubriceng, name), types.ModuleType), name
