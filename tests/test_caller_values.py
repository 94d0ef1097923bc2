"""A caller's own Python values as a unit's inputs (rubriceng.inputs.plain): NumPy
scalars and subclasses of the plain types are read as the values they stand for; what
cannot be read (bytes, a range, too deep a nesting, an object that fails as it is read)
is a located input problem, listed with every other; nothing a caller passes escapes
``evaluate`` or ``evaluate_table`` as its own exception."""

from __future__ import annotations

import copy
import types
from collections import OrderedDict, UserList, deque
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

import rubriceng
from rubriceng.inputs.plain import MAX_DEPTH, REFUSED, Unreadable, plain_inputs
from rubriceng.language.paths import flatten
from rubriceng.sanitize import brief

EXAMPLE_TOTAL = Decimal("97.86")


class _Str(str):
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("a str's ==")

    __hash__ = str.__hash__

    def strip(self, *args: Any) -> str:
        raise RuntimeError("a str's strip")


class _Int(int):
    def __repr__(self) -> str:
        raise RuntimeError("an int's repr")

    def __index__(self) -> int:
        raise RuntimeError("an int's index")


class _Float(float):
    def __repr__(self) -> str:
        raise RuntimeError("a float's repr")


class _Decimal(Decimal):
    def __repr__(self) -> str:
        raise RuntimeError("a Decimal's repr")


class _List(list):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        raise RuntimeError("a list's iter")

    def __len__(self) -> int:
        raise RuntimeError("a list's len")


class _Dict(dict):  # type: ignore[type-arg]
    def items(self) -> Any:
        raise RuntimeError("a dict's items")

    def keys(self) -> Any:
        raise RuntimeError("a dict's keys")


class _Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("repr")

    def __str__(self) -> str:
        raise RuntimeError("str")


def _retyped(value: Any, number: Any, text: Any = str) -> Any:
    """``value`` (plain data) with every number made by ``number`` and text by ``text``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return number(value)
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [_retyped(item, number, text) for item in value]
    if isinstance(value, dict):
        return {key: _retyped(item, number, text) for key, item in value.items()}
    return value


@pytest.mark.parametrize(
    "number",
    [
        lambda v: np.float64(float(v)),
        lambda v: np.float32(str(v)),  # every number of the example fits a float32's digits
        lambda v: np.float16(str(v)) if abs(v) < 2048 and v == int(v) else Decimal(v),
        lambda v: np.int64(v) if v == int(v) else np.float64(float(v)),
        lambda v: np.uint32(v) if v == int(v) else Decimal(v),
        lambda v: _Int(v) if v == int(v) else _Float(float(v)),
        lambda v: _Decimal(v),
        lambda v: _Float(float(v)),
        lambda v: np.array(float(v)),  # a 0-d array
    ],
    ids=[
        "float64",
        "float32",
        "float16",
        "int64",
        "uint32",
        "int-sub",
        "Decimal-sub",
        "float-sub",
        "0-d array",
    ],
)
@pytest.mark.parametrize("trace", [True, False])
def test_numpy_scalars_and_subclasses_score_as_their_plain_values(
    huizhou, huizhou_inputs, number, trace
):
    unit = _retyped(huizhou_inputs, number, text=_Str)
    result = rubriceng.evaluate(huizhou, unit, trace=trace)
    assert result.total == EXAMPLE_TOTAL
    assert result.scores() == rubriceng.evaluate(huizhou, huizhou_inputs, trace=trace).scores()


def test_containers_of_other_types_are_read_as_lists_and_mappings(huizhou, huizhou_inputs):
    unit = dict(huizhou_inputs)
    unit["quarterly_spending_progress"] = tuple(unit["quarterly_spending_progress"])
    unit["quarterly_scheduled_progress"] = _List(unit["quarterly_scheduled_progress"])
    unit["budget_reasonableness"] = types.MappingProxyType(unit["budget_reasonableness"])
    unit["goal_reasonableness"] = _Dict(unit["goal_reasonableness"])
    unit["indicator_clarity"] = OrderedDict(unit["indicator_clarity"])
    unit["effect_indicators"] = deque(unit["effect_indicators"])
    unit["satisfaction"] = UserList  # a class, not a value: refused by its type
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(huizhou, unit)
    assert [problem.field for problem in caught.value.problems] == ["satisfaction"]
    unit["satisfaction"] = huizhou_inputs["satisfaction"]
    unit["quarterly_spending_progress"] = np.array([0.26, 0.51, 0.76, 0.98])
    assert rubriceng.evaluate(huizhou, unit).total == EXAMPLE_TOTAL


def _problems(rubric: rubriceng.Rubric, unit: dict[str, Any], lang: str) -> list[str]:
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(rubric, unit)
    return [problem.text(lang) for problem in caught.value.problems]


@pytest.mark.parametrize("value", [b"0.26", bytearray(b"1"), memoryview(b"1"), range(4)])
def test_what_is_not_plain_data_is_refused_where_it_is_with_every_other_problem(
    huizhou, huizhou_inputs, value
):
    kind = type(value).__name__
    unit = (
        copy.deepcopy(huizhou_inputs) if not isinstance(value, memoryview) else dict(huizhou_inputs)
    )
    unit["quarterly_spending_progress"] = [Decimal("0.26"), value, 30, "x"]
    unit["budget_reasonableness"] = dict(unit["budget_reasonableness"], not_fixed=value)
    unit["revenue_final"] = value
    label = "各季度部门预算资金支出进度（quarterly_spending_progress"
    assert _problems(huizhou, unit, "zh") == [
        f"财政拨款收入决算数（revenue_final）：不是可以读取的值（{kind}）：请填数值、文字、"
        "是/否、列表或映射，用于财政拨款收入预决算差异率 [input-invalid]",
        f"{label}.2）：不是可以读取的值（{kind}）：请填数值、文字、是/否、列表或映射，"
        "用于部门预算资金支出率 [input-invalid]",
        "预算编制合理性（budget_reasonableness.not_fixed）：不是可以读取的值"
        f"（{kind}）：请填数值、文字、是/否、列表或映射，用于预算编制合理性 [input-invalid]",
        f"{label}.3）：不能大于 1.5，实际为 30（是否填成了百分数？应填 0.3 或「30%」），"
        "用于部门预算资金支出率 [input-invalid]",
        f"{label}.4）：应为数值，实际为 'x'，用于部门预算资金支出率 [input-invalid]",
    ]
    english = _problems(huizhou, unit, "en")
    assert english[1] == (
        "各季度部门预算资金支出进度 (quarterly_spending_progress.2): not a value that can be "
        f"read ({kind}): give a number, text, yes/no, a list or a mapping, used by Budget "
        "spending rate [input-invalid]"
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1, 10_000])
def test_values_nested_too_deep_are_refused_without_recursing(huizhou, huizhou_inputs, depth):
    nested: list[Any] = []
    inner = nested
    for _ in range(depth):
        inner.append([])
        inner = inner[0]
    unit = dict(huizhou_inputs, quarterly_spending_progress=[nested, 0.5, 0.75, 1])
    assert _problems(huizhou, unit, "zh") == [  # the list where a number belongs, told once
        "各季度部门预算资金支出进度（quarterly_spending_progress.1）：应为数值，实际为 list，"
        "用于部门预算资金支出率 [input-invalid]"
    ]
    _, refused = plain_inputs({"x": nested})
    assert refused == [Unreadable(("x", *[0] * (MAX_DEPTH - 1)), "list", deep=True)]


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize("digits", [30, 4_400, 50_000])
def test_an_integer_too_long_to_print_is_told_by_its_magnitude(
    huizhou, huizhou_inputs, sign, digits
):
    huge = sign * 10 ** (digits - 1)
    shown = brief(huge) if digits > 60 else str(huge)
    unit = copy.deepcopy(huizhou_inputs)
    unit["revenue_final"] = huge
    unit["quarterly_spending_progress"][2] = huge
    unit["budget_reasonableness"]["not_fixed"] = huge
    text = _problems(huizhou, unit, "zh")
    assert len(text) == 3
    assert all(shown in line for line in text), text
    assert all(len(line) < 300 for line in text)
    if digits > 60:
        assert shown == f"{'-' if sign < 0 else ''}1.000000e+{digits - 1}"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("revenue_final", _Unprintable()),
        ("quarterly_spending_progress", [_Unprintable(), 0.5, 0.75, 1]),
        ("budget_reasonableness", {"not_fixed": _Unprintable()}),
        ("project_supervision", {"score": 3, "reason": _Unprintable()}),
        ("has_transfer_payments", _Unprintable()),
    ],
    ids=["number", "list item", "checklist item", "judgement reason", "yes/no"],
)
def test_an_object_that_cannot_print_itself_is_told_by_its_type(
    huizhou, huizhou_inputs, field, value
):
    unit = dict(huizhou_inputs, **{field: value})
    text = " ".join(_problems(huizhou, unit, "zh"))
    assert "_Unprintable" in text


def test_plain_data_is_passed_through_untouched(huizhou_inputs):
    found, refused = plain_inputs(huizhou_inputs)
    assert found is huizhou_inputs and refused == []
    found, refused = plain_inputs({"a": [b"x", {"b": range(2)}], "c": _Str("x")})
    assert found == {"a": [REFUSED, {"b": REFUSED}], "c": "x"}
    assert type(found["c"]) is str
    assert refused == [Unreadable(("a", 0), "bytes"), Unreadable(("a", 1, "b"), "range")]


# -- the same values in a table's columns ------------------------------------------------------


_READ = {  # (cell, column) the row path reads as the value it stands for
    ("float-sub", "revenue_final"),
    ("float-sub", "quarterly_spending_progress.2"),
    ("float-sub", "budget_reasonableness.not_fixed"),
    ("str-sub", "revenue_final"),
    ("str-sub", "quarterly_spending_progress.2"),
    ("str-sub", "budget_reasonableness.not_fixed"),
    ("str-sub", "project_supervision.reason"),
}
_CELLS = {
    "float-sub": _Float(0.5),
    "str-sub": _Str("0.5"),
    "unprintable": _Unprintable(),
    "bytes": b"0.5",
    "huge": 10**5000,
    "range": range(2),
}


@pytest.mark.parametrize("cell", list(_CELLS))
@pytest.mark.parametrize(
    "column",
    [
        "revenue_final",
        "quarterly_spending_progress.2",
        "budget_reasonableness.not_fixed",
        "has_transfer_payments",
        "project_supervision.reason",
    ],
)
def test_a_hostile_cell_fails_its_unit_alone_on_the_columns(huizhou, huizhou_inputs, cell, column):
    rows: dict[str, list[Any]] = {}
    for index in range(3):
        for name, value in flatten(huizhou_inputs).items():
            rows.setdefault(name, [None] * 3)[index] = value
    columns = {name: np.array(values, dtype=object) for name, values in rows.items()}
    columns[column][1] = _CELLS[cell]
    table = rubriceng.evaluate_table(huizhou, columns, errors="collect")
    if (cell, column) in _READ:  # as the row path reads the plain value
        plain = np.array(columns[column], dtype=object)
        plain[1] = float(_CELLS[cell]) if cell == "float-sub" else str(_CELLS[cell])
        expected = rubriceng.evaluate_table(huizhou, columns | {column: plain}, errors="raise")
        assert table.units == ("1", "2", "3") and not table.failures
        assert table.totals() == expected.totals()
    else:
        assert table.units == ("1", "3")
        assert [failure.unit for failure in table.failures] == ["2"]
        assert table.failures[0].error.problems[0].code == "input-invalid"
    assert table.totals()[0] == table.totals()[-1] == EXAMPLE_TOTAL


class _FailingMapping(Mapping[str, Any]):
    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("getitem")

    def __iter__(self) -> Any:
        raise RuntimeError("iter")

    def __len__(self) -> int:
        return 3


@pytest.mark.parametrize("trace", [True, False])
def test_a_mapping_that_fails_as_it_is_read_is_not_a_units_inputs(huizhou, trace):
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(huizhou, _FailingMapping(), trace=trace)
    assert caught.value.problems[0].text("zh") == "填报数据应为「填报项: 值」的映射 [input-form]"
    batch = rubriceng.evaluate_many(huizhou, [_FailingMapping()], errors="collect")
    assert [failure.unit for failure in batch.failures] == ["1"]
    assert batch.failures[0].problems[0].code == "input-form"


def test_unit_names_of_any_kind_are_text(huizhou, huizhou_inputs):
    assert rubriceng.evaluate(huizhou, huizhou_inputs, unit=12).unit == "12"  # type: ignore[arg-type]
    assert rubriceng.evaluate(huizhou, huizhou_inputs, unit=_Unprintable()).unit == "<_Unprintable>"  # type: ignore[arg-type]
    many = rubriceng.evaluate_many(huizhou, {7: huizhou_inputs, _Unprintable(): huizhou_inputs})  # type: ignore[dict-item]
    assert [result.unit for result in many] == ["7", "<_Unprintable>"]
    listed = rubriceng.evaluate_many(huizhou, [{"unit": 10**300, "inputs": huizhou_inputs}])
    assert listed[0].unit == "1.000000e+300"
    columns = {name: [value] * 2 for name, value in flatten(huizhou_inputs).items()}
    table = rubriceng.evaluate_table(
        huizhou, {"unit": np.array([_Unprintable(), 3.5], dtype=object), **columns}
    )
    assert table.units == ("<_Unprintable>", "3.5")
    blank = {"unit": np.array([None, float("nan"), "丙"], dtype=object)}  # an empty cell:
    columns = {name: [value] * 3 for name, value in flatten(huizhou_inputs).items()}
    table = rubriceng.evaluate_table(huizhou, {**blank, **columns})  # its row's number
    assert table.units == ("1", "2", "丙")
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(columns, index=pandas.Index(["甲", None, float("nan")]))
    assert rubriceng.evaluate_table(huizhou, frame).units == ("甲", "2", "3")


@pytest.mark.parametrize(
    ("key", "shown"),
    [(_Unprintable(), "<_Unprintable>"), (1, "1"), ((1, 2), "(1, 2)"), (None, "None")],
    ids=["unprintable", "int", "tuple", "None"],
)
def test_an_items_key_of_another_kind_is_an_unknown_item_named_as_it_prints(
    huizhou, huizhou_inputs, key, shown
):
    checklist = {**huizhou_inputs["budget_reasonableness"], key: True}
    items = [{**huizhou_inputs["effect_indicators"][0], key: 1}]
    unit = dict(huizhou_inputs, budget_reasonableness=checklist, effect_indicators=items)
    assert _problems(huizhou, unit, "zh") == [
        f"预算编制合理性（budget_reasonableness.{shown}）：没有这一项，用于预算编制合理性 "
        "[input-invalid]",
        f"效果性（effect_indicators.1.{shown}）：没有这一项，用于效果性 [input-invalid]",
    ]


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("quarterly_spending_progress", (x for x in (1, 2)), "<generator>"),
        ("revenue_final", object(), "实际为 object"),
        ("satisfaction", lambda: 3, "<function>"),
    ],
)
def test_an_object_that_prints_only_its_address_is_told_by_its_type(
    huizhou, huizhou_inputs, field, value, shown
):
    text = " ".join(_problems(huizhou, dict(huizhou_inputs, **{field: value}), "zh"))
    assert shown in text and " at 0x" not in text, text
