"""The exact batch path over columns (``rubriceng.evaluate_table``) against the row-wise
Decimal path: the same score for every indicator of every unit, the same failures with
the same problems, on every bundled rubric."""

from __future__ import annotations

import os
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import rubriceng
from benchmarks.huizhou import generate, to_columns
from rubriceng.host.hookspecs import hookimpl
from rubriceng.language.documents import from_path
from rubriceng.language.paths import nest
from rubriceng.methods.unit_defined import split_evenly
from rubriceng.scoring.table import Table
from tests.conftest import HUIZHOU, PLUGINS, ROOT
from tests.units import vary

np = pytest.importorskip("numpy")


def _scores(rubric: rubriceng.Rubric, result: rubriceng.Result) -> dict[str, Any]:
    """Every indicator's score (not a unit-defined indicator's items), total and grade."""
    scores = result.scores()
    found = {node.id: scores[node.id] for node in rubric.walk()}
    return {**found, "total": result.total, "grade": result.grade}


def _row_scores(rubric: rubriceng.Rubric, units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_scores(rubric, rubriceng.evaluate(rubric, unit, trace=False)) for unit in units]


def _table_scores(table: rubriceng.ScoreTable, rubric: rubriceng.Rubric) -> list[dict[str, Any]]:
    ids = [node.id for node in rubric.walk()] + ["total"]
    columns = {name: table.column(name) for name in ids}
    return [
        {**{name: columns[name][row] for name in ids}, "grade": table.grades[row]}
        for row in range(len(table))
    ]


def _as_rows(
    rubric: rubriceng.Rubric, columns: dict[str, Any]
) -> tuple[rubriceng.ScoreTable, rubriceng.Batch]:
    """``columns`` scored on the columns and, row by row, from the same values (87 as
    87.0, say); the two must fail the same units with the same problems and give every
    other unit the same scores."""
    table = rubriceng.evaluate_table(rubric, columns, errors="collect")
    rows = Table(columns)
    batch = rubriceng.evaluate_many(
        rubric, [rows.row(index) for index in range(rows.size)], trace=False, errors="collect"
    )
    assert [(f.unit, f.error.problems) for f in table.failures] == [
        (f.unit, f.error.problems) for f in batch.failures
    ]
    assert _table_scores(table, rubric) == [_scores(rubric, r) for r in batch.results]
    return table, batch


# CI checks 10,000 edge-heavy units; the long profile (HYPOTHESIS_PROFILE=long), and
# `python benchmarks/run.py --check`, check 100,000.
IDENTITY_UNITS = 100_000 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 10_000


def test_edge_heavy_units_score_exactly_as_row_by_row():
    """Values sit on band edges, step starts, caps, zeros and rounding halves in most
    units; every indicator's score, the total and the grade must equal the exact row
    path's, unit by unit."""
    rubric = rubriceng.load_rubric(HUIZHOU)
    units = generate(IDENTITY_UNITS, seed=66, edges=0.4)
    table = rubriceng.evaluate_table(rubric, to_columns(units))
    assert len(table) == IDENTITY_UNITS and table.failures == ()
    assert table.rows_rescored == 0  # every edge decided on the integer columns
    expected = _row_scores(rubric, units)
    got = _table_scores(table, rubric)
    wrong = [index for index, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b]
    assert wrong == []
    assert len({row["total"] for row in got}) > IDENTITY_UNITS // 30  # totals spread wide


def _case_inputs(path: Path) -> dict[str, Any]:
    cases = from_path(path).data["cases"]
    return dict(cases[0]["inputs"])


BUNDLED = [
    (rubric_file, tests_file)
    for plugin in sorted(PLUGINS.glob("rubriceng-*/src/*"))
    for rubric_file in sorted((plugin / "rubrics").glob("*.yaml"))
    for tests_file in [plugin / "tests" / f"test_{rubric_file.stem.replace('-', '_')}.yaml"]
]


@pytest.mark.parametrize(("rubric_file", "tests_file"), BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_rubric_scores_and_fails_exactly_as_row_by_row(rubric_file, tests_file):
    """Varied units of each bundled rubric, many of them invalid: the same units are
    scored, with the same scores, and the same units fail, with the same problems."""
    rubric = rubriceng.find_rubric(
        from_path(rubric_file).data["id"] + "@" + str(from_path(rubric_file).data["version"])
    )
    base = _case_inputs(tests_file)
    rng = random.Random(8)
    units = [vary(rubric, base, rng) for _ in range(300)]
    units[3] = {**units[3], "unheard_of": 1}  # an input the rubric does not declare
    first = next(spec.id for spec in rubric.inputs if spec.type == "money")
    units[4] = {**units[4], first: "lots"}
    units[5] = {key: value for key, value in units[5].items() if key != first}
    columns = to_columns(units, credits={})
    table, batch = _as_rows(rubric, columns)
    assert table.units == tuple(result.unit for result in batch.results)
    assert {"4", "5", "6"} <= {f.unit for f in table.failures}


def test_a_dataframe_in_and_out(huizhou):
    pandas = pytest.importorskip("pandas")
    units = generate(50, seed=3)
    frame = pandas.DataFrame(to_columns(units), index=[f"单位{i}" for i in range(50)])
    table = rubriceng.evaluate_table(huizhou, frame)
    out = table.to_frame()
    assert list(out.index[:2]) == ["单位0", "单位1"]
    assert out.loc["单位0", "total"] == rubriceng.evaluate(huizhou, units[0]).total
    assert isinstance(out.loc["单位0", "procurement_rate"], Decimal)
    assert out.loc["单位7", "grade"] == rubriceng.evaluate(huizhou, units[7]).grade
    full = table.result("单位7")
    assert full.unit == "单位7" and full.indicator("carryover_rate").trace


def test_errors_raise_as_evaluate_many_does(huizhou):
    units = generate(20, seed=4)
    units[2] = {**units[2], "procurement_plan": -5.5}
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.evaluate_table(huizhou, to_columns(units))
    with pytest.raises(rubriceng.InputError) as expected:
        rubriceng.evaluate_many(huizhou, units)
    assert str(raised.value) == str(expected.value)
    assert raised.value.problems == expected.value.problems


def test_a_rubric_beyond_the_columns_is_still_scored_exactly_row_by_row():
    rubric = rubriceng.load_rubric(
        {
            "id": "power",
            "version": "1",
            "title": "power",
            "total": 4,
            "inputs": {"x": {"type": "number"}},
            "indicators": [{"id": "p", "name": "p", "points": 4, "score": "min(4, x ** 2)"}],
        }
    )
    table = rubriceng.evaluate_table(rubric, {"x": [1.5, 0.5, 3.0]})
    assert table.totals() == [Decimal("2.25"), Decimal("0.25"), Decimal("4")]
    assert table.rows_rescored == 3


def _free_list_rubric(**rules: Any) -> rubriceng.Rubric:
    return rubriceng.load_rubric(
        {
            "id": "lists",
            "version": "1",
            "title": "lists",
            "total": 10,
            "inputs": {
                "spent": {"type": "list", "items": "money", **rules},
                "plan": {"type": "money"},
            },
            "indicators": [
                {
                    "id": "s",
                    "name": "支出",
                    "points": 10,
                    "score": "10 * min(1, sum(spent) / plan) * min(1, count(spent) / 3)",
                }
            ],
        }
    )


_NAN = float("nan")


@pytest.mark.parametrize(
    ("rules", "on_columns"),
    [({}, 2), ({"length": 3}, 2), ({"length": 2}, 1)],
    ids=["free length", "three, as the table has", "two, the table has three"],
)
def test_a_list_input_over_numbered_columns_scores_as_row_by_row(rules, on_columns):
    """A list of free length made evaluate_table raise an internal Unsupported; now the
    columns take the rows that give every numbered column and the row path the others
    (fewer items, a gap, too many for the rubric)."""
    rubric = _free_list_rubric(**rules)
    columns = {  # all three, two, none, a gap, all three again
        "spent.1": [30.0, 30.0, _NAN, 10.0, 25.0],
        "spent.2": [70.0, 45.0, _NAN, _NAN, 25.0],
        "spent.3": [0.5, _NAN, _NAN, 4.0, 50.0],
        "plan": [100.0, 100.0, 100.0, 100.0, 100.0],
    }
    table, _ = _as_rows(rubric, columns)
    assert len(table) + len(table.failures) == 5
    assert table.rows_rescored == 5 - on_columns


def test_a_column_of_whole_lists_is_scored_row_by_row():
    import numpy as np

    rubric = _free_list_rubric()
    spent = np.empty(2, dtype=object)
    spent[:] = [[30, 70, 1], [10]]
    table = rubriceng.evaluate_table(rubric, {"spent": spent, "plan": [100.0, 100.0]})
    assert table.totals() == [Decimal("10.00"), Decimal("0.33")]
    assert table.rows_rescored == 2


def test_a_table_must_be_columns():
    rubric = rubriceng.load_rubric(HUIZHOU)
    with pytest.raises(TypeError, match="expected a pandas DataFrame or a mapping"):
        rubriceng.evaluate_table(rubric, [1, 2, 3])
    with pytest.raises(ValueError, match="columns differ in length: \\[1, 2\\]"):
        rubriceng.evaluate_table(rubric, {"x": [1], "y": [1, 2]})


def test_a_dask_dataframe_gives_exactly_the_in_memory_batch(huizhou):
    """Peer statistics over the whole frame first (exact sums per partition), then each
    partition scored on its own: the same frame as scoring all units in memory."""
    pandas = pytest.importorskip("pandas")
    dask_frame = pytest.importorskip("dask.dataframe")
    import dask

    units = _own_points(generate(900, seed=12))  # a third of them: the row kernel's
    for unit in units:
        del unit["peer_fixed_asset_use_rate"]  # only the whole batch knows the mean
    frame = pandas.DataFrame(to_columns(units), index=[f"u{i}" for i in range(900)])
    lazy = rubriceng.evaluate_table(huizhou, dask_frame.from_pandas(frame, npartitions=4))
    with dask.config.set(scheduler="synchronous"):
        scored = lazy.compute()
    whole = rubriceng.evaluate_table(huizhou, frame).to_frame()
    scored = scored.loc[whole.index]  # Dask sorts by the index
    assert scored.equals(whole)
    batch = rubriceng.evaluate_many(huizhou, units, trace=False)
    assert list(scored["total"]) == [result.total for result in batch]
    # scored alone, each partition would compare with its own mean: some totals differ
    alone = pandas.concat(
        rubriceng.evaluate_table(huizhou, part).to_frame()
        for part in (frame.iloc[:225], frame.iloc[225:450], frame.iloc[450:675], frame.iloc[675:])
    )
    assert not alone["fixed_asset_utilisation"].equals(scored["fixed_asset_utilisation"])


def test_parts_scored_with_the_combined_peer_means_are_the_whole_batch(huizhou):
    """The recipe for Spark's mapInPandas (docs/performance.md): peer_sums per part,
    peer_means over them, then each part scored with those means."""
    pandas = pytest.importorskip("pandas")
    units = _own_points(generate(600, seed=13))  # a third of them: the row kernel's
    for unit in units:
        del unit["peer_fixed_asset_use_rate"]
    frame = pandas.DataFrame(to_columns(units), index=[f"u{i}" for i in range(600)])
    parts = [frame.iloc[:100], frame.iloc[100:350], frame.iloc[350:]]
    means = rubriceng.peer_means([rubriceng.peer_sums(huizhou, part) for part in parts])
    whole = rubriceng.evaluate_table(huizhou, frame)
    assert set(means) == {"fixed_asset_utilisation"}
    assert (
        means["fixed_asset_utilisation"]
        == rubriceng.peer_means([rubriceng.peer_sums(huizhou, frame)])["fixed_asset_utilisation"]
    )
    scored = pandas.concat(
        rubriceng.evaluate_table(huizhou, part, peers=means).to_frame() for part in parts
    )
    assert scored.equals(whole.to_frame())


class _Halves:
    """A plugin with one formula function."""

    @hookimpl
    def rubriceng_formula_functions(self) -> dict[str, Any]:
        return {"bonus": lambda value: Decimal(value) / 2}


def test_a_plugin_function_sends_only_the_rubrics_that_call_it_to_the_row_path():
    registry = rubriceng.Registry(entry_points=False)
    registry.register(_Halves(), name="halves")
    document = {
        "id": "f",
        "version": "1",
        "title": "f",
        "total": 4,
        "inputs": {"x": {"type": "number"}},
        "indicators": [{"id": "p", "name": "p", "points": 4, "score": "min(4, bonus(x))"}],
    }
    calling = registry.load_rubric(document)
    plain = registry.load_rubric(
        {**document, "indicators": [{"id": "p", "name": "p", "points": 4, "score": "min(4, x)"}]}
    )
    called = rubriceng.evaluate_table(calling, {"x": [1.5, 9.0]})
    assert called.totals() == [Decimal("0.75"), Decimal("4")] and called.rows_rescored == 2
    direct = rubriceng.evaluate_table(plain, {"x": [1.5, 9.0]})
    assert direct.totals() == [Decimal("1.5"), Decimal("4")] and direct.rows_rescored == 0


# The table's branches for units with nothing to count, on rows and on columns.
_NOTHING_TO_COUNT = [
    {"procurement_plan": 0, "procurement_actual": 0},
    {"procurement_plan": 0, "procurement_actual": 5000},
    {"procurement_plan": 100, "procurement_actual": 100},
    {
        "key_tasks_total": 0,
        "key_tasks_completed": 0,
        "targets_declared": 0,
        "targets_met": 0,
        "projects_total": 0,
        "projects_on_time": 0,
    },
    {"key_tasks_total": 3, "key_tasks_completed": 4},  # refused
    {
        "has_transfer_payments": True,
        "transfers_approved": 0,
        "transfers_issued_on_time": 0,
        "budget_approval_days_late": 2,
    },
    {"has_transfer_payments": True, "budget_approved": False},
    {"supervision_evidence_provided": False},
    {"revenue_final": 105, "revenue_adjusted_budget": 100},  # exactly one full step
]


def test_units_with_nothing_to_count_score_alike_on_rows_and_columns(huizhou):
    units = [
        {**unit, **change}
        for unit, change in zip(
            generate(len(_NOTHING_TO_COUNT), seed=11), _NOTHING_TO_COUNT, strict=True
        )
    ]
    columns = to_columns(units)
    columns["budget_approved"] = [unit.get("budget_approved", True) for unit in units]
    columns["supervision_evidence_provided"] = [
        unit.get("supervision_evidence_provided", True) for unit in units
    ]
    table, batch = _as_rows(huizhou, columns)
    assert [f.error.problems[0].code for f in table.failures] == ["actual-exceeds-target"]
    scored = {result.unit: result for result in batch.results}
    assert scored["1"].indicator("procurement_rate").score == 2  # nothing to buy, nothing bought
    assert scored["2"].indicator("procurement_rate").score == 0  # bought without a plan
    assert scored["9"].indicator("revenue_budget_variance").score == Decimal("3.5")


def test_a_compiled_rubric_travels_by_pickle_and_scores_the_same(huizhou):
    """It pickles as its merged document and is compiled again on arrival (a variant
    needs no base on the far side: its extends were applied)."""
    import pickle

    inputs = dict(
        rubriceng.load_inputs(
            Path(__file__).parent.parent / "examples" / "huizhou-2020-office.yaml"
        ).inputs
    )
    for ref in (
        "cn.gd.huizhou/dept-overall@2020",
        "cn.gd.huizhou/dept-overall@2025",
        "cn/project-self-evaluation@2020",
    ):
        rubric = rubriceng.find_rubric(ref)
        again = pickle.loads(pickle.dumps(rubric))
        assert again == rubric and again.ref == ref and again.extends == rubric.extends
    again = pickle.loads(pickle.dumps(huizhou))
    assert (
        rubriceng.evaluate(again, inputs).to_dict() == rubriceng.evaluate(huizhou, inputs).to_dict()
    )
    with pytest.raises(TypeError, match="was not compiled by a registry"):
        from rubriceng.language.compiler import compile_rubric
        from rubriceng.language.documents import from_path

        pickle.dumps(compile_rubric(from_path(HUIZHOU)))


def test_a_dask_cluster_of_worker_processes_scores_exactly_the_in_memory_batch(huizhou):
    """A LocalCluster on loopback with two worker processes: the rubric travels to the
    workers by pickle, peer sums come back exact, and every score is the in-memory one."""
    pandas = pytest.importorskip("pandas")
    dask_frame = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")

    units = generate(400, seed=21)
    for unit in units:
        del unit["peer_fixed_asset_use_rate"]
    frame = pandas.DataFrame(to_columns(units), index=[f"u{i}" for i in range(400)])
    whole = rubriceng.evaluate_table(huizhou, frame).to_frame()
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        lazy = rubriceng.evaluate_table(huizhou, dask_frame.from_pandas(frame, npartitions=4))
        scored = client.compute(lazy).result()
        broken = frame.copy()
        broken.loc["u7", "revenue_final"] = -5.0  # refused: a negative amount
        broken.loc["u300", "revenue_adjusted_budget"] = 0.0  # fails: a zero divisor
        collected = client.compute(
            rubriceng.evaluate_table(
                huizhou, dask_frame.from_pandas(broken, npartitions=4), errors="collect"
            )
        ).result()
    assert scored.loc[whole.index].equals(whole)
    expected = rubriceng.evaluate_table(huizhou, broken, errors="collect").to_frame(True)
    assert collected.loc[expected.index].equals(expected)
    assert collected.loc["u7", "error"] == "input-invalid"
    assert collected.loc["u300", "error"] == "evaluation-failed"
    assert "revenue_adjusted_budget" in collected.loc["u300", "problems"]
    assert collected["total"].isna().sum() == 2


class _Text(str):
    """Text of a type of its own (the row kernel hands it to the general path, which
    takes it as text, as the columns do)."""


class _Touchy(str):
    """Text that refuses to be compared: the columns measure it, never ask it."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("not compared")

    def __ne__(self, other: object) -> bool:
        raise RuntimeError("not compared")

    __hash__ = str.__hash__


@pytest.mark.parametrize("column", ["project_supervision.reason", "effect_indicators.2.name"])
@pytest.mark.parametrize(
    "kinds",
    [
        "every kind",
        "text and one empty",
        "text and nothing",
        "text and a str subclass",
        "a str subclass, NaN and NA",
        "an empty str subclass that will not compare",
    ],
)
def test_text_columns_of_every_kind_of_cell_read_as_row_by_row(huizhou, column, kinds):
    """A text column holding text, empty text, None, NaN, pandas' NA and a number (and
    columns of fewer kinds, which are read on shorter ways): the column path refuses and
    accepts exactly the cells the row path does."""
    pandas = pytest.importorskip("pandas")
    units = generate(12, seed=12)
    columns = to_columns(units)
    cells = list(columns[column])
    changes = {
        "every kind": {1: "", 2: None, 3: float("nan"), 4: pandas.NA, 5: 5},
        "text and one empty": {1: ""},
        "text and nothing": {2: None, 7: None},
        "text and a str subclass": {5: _Text("说明")},
        "a str subclass, NaN and NA": {5: _Text("说明"), 3: float("nan"), 4: pandas.NA},
        "an empty str subclass that will not compare": {
            1: _Touchy(""),
            5: _Touchy("说明"),
            7: None,
        },
    }[kinds]
    for index, value in changes.items():
        cells[index] = value
    columns[column] = pandas.array(cells, dtype=object).to_numpy(dtype=object)
    table, _ = _as_rows(huizhou, columns)
    failed = {f.unit for f in table.failures}
    assert ("2" in failed) == ("empty" in kinds or kinds == "every kind")  # empty text
    if kinds == "every kind":
        assert "6" in failed  # unit 6 gives a number, not text


def test_floats_no_one_scale_can_read_are_read_by_repr_on_the_columns(huizhou):
    """A float column of computed values (2/3 as 0.6666666666666666, 0.1 + 0.2, a mean
    of many digits) is read value by value as the row path reads a float, by its repr,
    and stays on the columns: the scores are the row path's, no unit is rescored. NaN
    and values of too many places still go to the row path."""
    units = generate(40, seed=21, edges=0.3)
    columns = to_columns(units)
    rates = columns["peer_fixed_asset_use_rate"].copy()
    rates[0], rates[1], rates[2] = 2 / 3, 0.1 + 0.2, 0.8084986666666667
    rates[3] = 1e-45  # 45 places: the row path reads it
    columns["peer_fixed_asset_use_rate"] = rates
    table, _ = _as_rows(huizhou, columns)
    assert table.rows_rescored == 1  # only the unit with 1e-45


def _own_points(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``units`` with every third one giving its 效益指标' points (the even split, given):
    rows the columns leave to the row path."""
    for unit in units[::3]:
        items = unit["effect_indicators"]
        for item, share in zip(items, split_evenly(Decimal(10), len(items)), strict=True):
            item["points"] = share
    return units


def _general_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The units the general code scores or prepares in a column run, as they happen."""
    import rubriceng.batch.run as run

    called: list[str] = []
    for name in ("prepare", "score_unit"):
        original = getattr(run, name)

        def counted(*args: Any, _original: Any = original, _name: str = name, **kw: Any) -> Any:
            called.append(_name)
            return _original(*args, **kw)

        monkeypatch.setattr(run, name, counted)
    return called


@pytest.mark.parametrize("size", [60, 1_200])  # a peer mean as a Fraction, and as a Mean
def test_rows_the_columns_leave_are_scored_by_the_row_kernel(huizhou, monkeypatch, size):
    """Units whose items carry their own points (which the columns do not split) are
    scored by the row kernel, with the batch's peer mean over every unit; the general
    code is asked only for the unit that fails, and says why, as evaluate_many does."""
    units = _own_points(generate(size, seed=31, edges=0.3))
    columns = to_columns(units)
    columns["revenue_adjusted_budget"][6] = 0  # and this one divides by zero
    called = _general_calls(monkeypatch)
    table, batch = _as_rows(huizhou, columns)
    assert [failure.unit for failure in table.failures] == ["7"]
    assert table.rows_rescored == len(range(0, size, 3))
    assert called == ["prepare", "score_unit"]  # the failing unit, reported as rows do
    on_mean = [r for r in batch.results if r.indicator("fixed_asset_utilisation").score]
    assert 0 < len(on_mean) < size - 1  # the peer comparison cuts the batch


def test_a_rubric_the_columns_cannot_split_is_scored_by_the_row_kernel(monkeypatch):
    """The 广东省 rubric's units give each result's own points: every row is the row
    kernel's, and none the general code's."""
    rubric = rubriceng.find_rubric("cn.gd/dept-overall@2024")
    base = _case_inputs(
        PLUGINS
        / "rubriceng-gd-province/src/rubriceng_gd_province/tests/test_dept_overall_2024.yaml"
    )
    rng = random.Random(12)
    units = [vary(rubric, base, rng) for _ in range(200)]
    columns = to_columns(units, credits={})
    called = _general_calls(monkeypatch)
    table = rubriceng.evaluate_table(rubric, columns, errors="collect")
    general = called.count("prepare")
    assert general == len(table.failures)  # only the units that fail are the general code's
    monkeypatch.undo()
    table, batch = _as_rows(rubric, columns)
    assert table.rows_rescored == 200 and len(batch.results) > 100


def test_rows_read_a_column_at_a_time_are_the_rows_read_one_by_one():
    """Table.rows (the row path's units from a table, in bulk) gives what Table.row gives
    for each row: the same values of the same types, empty cells left out (None, NaN,
    pandas' NA), NumPy scalars in object columns as Python values, numbered columns as
    lists, a blank list of targets as an empty list."""
    pandas = pytest.importorskip("pandas")
    units = generate(40, seed=5, edges=0.3)
    units[3]["effect_indicators"] = units[3]["effect_indicators"][:1]
    columns = to_columns(units)
    columns["counted.1"] = np.arange(40, dtype=np.int32)
    columns["mixed"] = np.array([np.float32(1.5), None, "文字", np.int64(7)] * 10, dtype=object)
    columns["absent"] = pandas.array([pandas.NA, "有"] * 20, dtype=object).to_numpy(dtype=object)
    table = Table(columns)
    picked = [0, 3, 5, 39, 3]
    rows = table.rows(picked)
    assert rows == [table.row(index) for index in picked]
    for row, index in zip(rows, picked, strict=True):
        one = table.row(index)
        assert [type(value) for value in row.values()] == [type(v) for v in one.values()]
    assert rows[2]["counted"] == [5] and type(rows[2]["counted"][0]) is int
    assert type(rows[0]["mixed"]) is float and type(rows[1]["mixed"]) is int
    assert "mixed" not in rows[2] and rows[1]["mixed"] == 7 and rows[0]["mixed"] == 1.5
    assert "absent" not in rows[0] and len(rows[1]["effect_indicators"]) == 1
    project = rubriceng.find_rubric("cn/project-self-evaluation@2020")
    blank = Table({"budget": [1.0, 2.0], "effect_targets.1.name": [None, "甲"]}, project)
    assert blank.rows([0, 1]) == [blank.row(0), blank.row(1)]
    assert blank.rows([0])[0]["effect_targets"] == []


@pytest.mark.parametrize("backend", ["numpy", "pyarrow"])
def test_partial_credit_written_as_words_or_numbers_stays_on_the_columns(huizhou, backend):
    """A partial-credit checklist column as a CSV gives it when it mixes true/false with
    numbers (text throughout: 'true', '0.5', '是', '否'): read on the columns as the row
    path reads each cell; a word that is neither a number nor yes/no goes to the row path,
    which reports it."""
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(ROOT / "examples" / "huizhou-2020-units.csv", index_col="unit")
    if backend == "pyarrow":
        pytest.importorskip("pyarrow")
        frame = pandas.read_csv(
            ROOT / "examples" / "huizhou-2020-units.csv", index_col="unit", dtype_backend="pyarrow"
        )
    column = "budget_reasonableness.fits_duties_and_policy"
    assert frame[column].tolist() == ["true", "1", "true", "0.5", "1"]  # text, as read
    table = rubriceng.evaluate_table(huizhou, frame)
    assert table.rows_rescored == 0
    assert table.totals()[0] == Decimal("97.86")
    words = frame.copy()
    words[column] = ["是", " TRUE ", "否", "0.25", "maybe"]
    table = rubriceng.evaluate_table(huizhou, words, errors="collect")
    assert table.rows_rescored == 1 and [f.unit for f in table.failures] == [words.index[4]]
    for index, name in enumerate(words.index[:4]):
        row = rubriceng.evaluate(huizhou, Table(words).row(index), trace=False)
        assert table.result(name).total == row.total
        assert (
            table.column("budget_reasonableness")[index]
            == row.indicator("budget_reasonableness").score
        )


def _rounded(value: Fraction, digits: int, mode: str) -> Decimal:
    """``value`` (at least 0) rounded to ``digits`` places as ``mode`` says, by integers."""
    scaled = value * 10**digits
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    half = Fraction(rest, scaled.denominator)
    up = {
        "half_up": half >= Fraction(1, 2),
        "half_even": half > Fraction(1, 2) or (half == Fraction(1, 2) and whole % 2 == 1),
        "down": False,
        "up": rest > 0,
    }[mode]
    return Decimal(whole + up).scaleb(-digits)


@pytest.mark.parametrize("mode", ["half_up", "half_even", "down", "up"])
@pytest.mark.parametrize("digits", [0, 1, 2, 3])
def test_every_rounding_mode_and_step_on_the_columns_is_the_exact_rounding(mode, digits):
    """3 × done/total for every done of 24, 120 and 7 (ties such as 3 × 5/24 = 0.625 and
    3 × 13/120 = 0.325 at every step), the same ties of numbers near 10^18, and 2.5 points
    (2 in whole points): each score on the columns is the plain-Fraction rounding, the row
    path's, and no row left the columns."""
    half = Fraction(5, 2) if digits else Fraction(2)
    rubric = rubriceng.load_rubric(
        {
            "id": "rounding",
            "version": "1",
            "title": "rounding",
            "total": 3 + Decimal(half.numerator) / half.denominator,
            "rounding": {"digits": digits, "mode": mode},
            "inputs": {
                "done": {"type": "count", "max": 10**18},
                "total": {"type": "count", "min": 1, "max": 10**18},
            },
            "indicators": [
                {"id": "share", "name": "完成率", "points": 3, "score": "3 * done / total"},
                {
                    "id": "half",
                    "name": "半分",
                    "points": Decimal(half.numerator) / half.denominator,
                    "score": f"{half.numerator} * done / total / {half.denominator}",
                },
            ],
        }
    )
    pairs = [(done, total) for total in (24, 120, 7) for done in range(total + 1)]
    k = 8_333_333_333_333_333  # the same ties with numbers near 10^18 (beyond int64 products)
    pairs += [(5 * k, 24 * k), (13 * k, 120 * k), (24 * k - 1, 24 * k), (1, 24 * k)]
    columns = {"done": [d for d, _ in pairs], "total": [t for _, t in pairs]}
    table, _ = _as_rows(rubric, columns)
    assert table.rows_rescored == 0
    for points, name in ((Fraction(3), "share"), (half, "half")):
        expected = [_rounded(points * Fraction(d, t), digits, mode) for d, t in pairs]
        assert table.column(name) == expected
    if digits == 3 and mode == "half_up":
        assert table.column("share")[pairs.index((5, 24))] == Decimal("0.625")
    if digits == 2:
        tie = table.column("share")[pairs.index((5, 24))]
        assert tie == {"half_up": Decimal("0.63"), "up": Decimal("0.63")}.get(mode, Decimal("0.62"))


@pytest.mark.parametrize("storage", ["str", "string[python]", "string[pyarrow]", "object"])
def test_pandas_text_columns_are_read_without_python_text_and_score_alike(huizhou, storage):
    """A DataFrame as pandas loads a spreadsheet (text in Arrow strings, pandas ≥ 3):
    which cells hold text, and which empty text, come from the column itself; the units
    that go row by row read their cells. Every score and every failure equals the same
    table's as NumPy object columns."""
    pandas = pytest.importorskip("pandas")
    units = generate(300, seed=12, edges=0.4)
    columns = to_columns(units)
    texts = [name for name, column in columns.items() if column.dtype == object]
    assert len(texts) >= 6
    for row, name in [(1, texts[0]), (2, "project_supervision.reason"), (3, texts[1])]:
        columns[name][row] = ""  # an item's name or a judgement's reason left empty
    columns[texts[2]][4] = None
    columns["procurement_plan"][5] = -5.0  # refused: scored (and told) row by row
    frame = pandas.DataFrame(
        {
            name: pandas.Series(column, dtype=storage) if name in texts else column
            for name, column in columns.items()
        }
    )
    frame.index = [f"u{i}" for i in range(300)]
    table = rubriceng.evaluate_table(huizhou, frame, errors="collect")
    reference = rubriceng.evaluate_table(
        huizhou, {"unit": np.array(frame.index, dtype=object), **columns}, errors="collect"
    )
    assert table.units == reference.units and len(table.units) < 300
    assert _table_scores(table, huizhou) == _table_scores(reference, huizhou)
    assert [(f.unit, f.error.problems) for f in table.failures] == [
        (f.unit, f.error.problems) for f in reference.failures
    ]
    assert {f.unit for f in table.failures} >= {"u2", "u5"}
    assert (
        table.result("u7").indicator("satisfaction").trace
        == reference.result("u7").indicator("satisfaction").trace
    )


def test_a_pandas_text_column_becomes_python_text_only_when_a_row_reads_it():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {"a.name": pandas.Series(["x", None, ""], dtype="str"), "b": [1.0, 2.0, 3.0]}
    )
    table = Table(frame)
    present, empty = table.texts["a.name"]
    assert present.tolist() == [True, False, True] and empty.tolist() == [False, False, True]
    assert list(table.columns) == ["a.name", "b"] and "a.name" in table.columns
    assert "a.name" in table.columns._pending
    assert table.rows([2, 1]) == [{"a": {"name": ""}, "b": 3.0}, {"b": 2.0}]
    assert "a.name" in table.columns._pending  # a few rows read: only their cells
    assert table.row(0) == {"a": {"name": "x"}, "b": 1.0}
    assert table.columns["a.name"].tolist() == ["x", None, ""]


@pytest.mark.parametrize("width", ["float32", "float16"])
def test_narrow_float_columns_are_read_as_the_decimals_they_print_as(huizhou, width):
    """A float32 cell holding 0.1 is the 0.1 a unit typed, not 0.100000001490116…: on
    the columns, on the rows, and through ``evaluate`` given the NumPy value itself."""
    units = generate(40, seed=8, edges=0.4)
    columns = to_columns(units)
    with np.errstate(over="ignore"):  # float16 holds money as infinity: refused
        narrow = {
            name: column.astype(width) if column.dtype.kind == "f" else column
            for name, column in columns.items()
        }
    printed = {
        name: np.array([float(str(value)) for value in column])
        if column.dtype.kind == "f"
        else column
        for name, column in narrow.items()
    }
    table = rubriceng.evaluate_table(huizhou, narrow, errors="collect")
    expected = rubriceng.evaluate_table(huizhou, printed, errors="collect")
    assert table.units == expected.units and table.totals() == expected.totals()
    assert [(f.unit, f.error.problems) for f in table.failures] == [
        (f.unit, f.error.problems) for f in expected.failures
    ]
    rows = Table(narrow)
    for index in range(5):
        given = {
            name: narrow[name][index]
            for name in narrow
            if narrow[name].dtype.kind != "f" or not np.isnan(printed[name][index])
        }
        given = {name: value for name, value in given.items() if value is not None}
        unit = nest(given.items())
        if str(index + 1) in table.units:
            position = table.units.index(str(index + 1))
            assert rubriceng.evaluate(huizhou, unit).total == table.totals()[position]
    assert rows.row(0) == Table(printed).row(0)


def test_a_table_with_two_columns_of_one_name_is_refused(huizhou):
    pandas = pytest.importorskip("pandas")
    columns = to_columns(generate(3, seed=2))
    frame = pandas.DataFrame(columns)
    frame.columns = [*frame.columns[:-1], frame.columns[0]]
    message = f"more than one column is named {frame.columns[0]!r}"
    with pytest.raises(ValueError, match=message):
        rubriceng.evaluate_table(huizhou, frame)
    with pytest.raises(ValueError, match="more than one column is named '1'"):
        rubriceng.evaluate_table(huizhou, {1: [1.0, 2.0, 3.0], "1": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=message):
        rubriceng.evaluate_many(huizhou, frame)
