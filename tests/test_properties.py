"""Properties over random rubric trees and inputs (hypothesis).

For every generated rubric and unit: 0 ≤ score ≤ effective points at every node, the
effective points of the leaves add up to the total under any combination of indicators
that do not apply, the total lies in [0, total], the same inputs give the same result,
and ``to_dict`` survives a JSON round trip.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

import rubriceng
from tests.invariants import assert_invariants

POINTS = st.integers(min_value=1, max_value=2000).map(lambda cents: Decimal(cents) / 100)
METHODS = ["ratio", "bands", "steps", "checklist", "all_or_nothing", "score", "judgement"]
STRATEGIES = ["proportional", "even", "move", "rescale", "full_marks"]


@st.composite
def leaf(draw, ident: str, inputs: dict) -> dict:
    points = draw(POINTS)
    method = draw(st.sampled_from(METHODS))
    node: dict = {"id": ident, "name": ident, "points": points}
    x, y = f"{ident}_x", f"{ident}_y"
    if method == "ratio":
        inputs.update({x: {"type": "money"}, y: {"type": "money"}})
        node["ratio"] = {
            "actual": x,
            "target": y,
            "if_target_zero": 0,
            "zero_when_exceeds": draw(st.booleans()),
        }
    elif method == "bands":
        inputs[x] = {"type": "number"}
        bounds = sorted(draw(st.lists(st.integers(-50, 50), min_size=1, max_size=4, unique=True)))
        node["value"] = f"{x} / 10"
        node["bands"] = [
            {"upto": Decimal(b) / 10, "score": draw(st.integers(0, 100)) * points / 100}
            for b in bounds
        ] + [{"else": 0}]
    elif method == "steps":
        inputs[x] = {"type": "number"}
        node["value"] = f"abs({x})"
        node["steps"] = {
            "size": Decimal("0.05"),
            "deduct": points / 4,
            "count": draw(st.sampled_from(["started", "full"])),
        }
    elif method == "checklist":
        node["checklist"] = [{"id": "a", "name": "a", "points": points}]
    elif method == "all_or_nothing":
        inputs[x] = {"type": "boolean"}
        node["all_or_nothing"] = x
    elif method == "score":
        inputs[x] = {"type": "number"}
        node["score"] = f"clamp({x}, 0, points)"
    else:
        node["judgement"] = {}
    return node


@st.composite
def rubrics(draw) -> dict:
    inputs: dict = {}
    counter = iter(range(1000))
    leaves: list[dict] = []

    def tree(depth: int) -> dict:
        ident = f"n{next(counter)}"
        if depth >= 2 or draw(st.booleans()):
            node = draw(leaf(ident, inputs))
            leaves.append(node)
            return node
        children = [tree(depth + 1) for _ in range(draw(st.integers(1, 3)))]
        return {
            "id": ident,
            "name": ident,
            "points": sum(c["points"] for c in children),
            "children": children,
        }

    top = [tree(0) for _ in range(draw(st.integers(1, 4)))]
    ids = [node["id"] for node in leaves]
    for node in leaves:
        if len(ids) > 1 and draw(st.booleans()):
            flag = f"{node['id']}_applies"
            inputs[flag] = {"type": "boolean"}
            strategy = draw(st.sampled_from(STRATEGIES))
            others = [i for i in ids if i != node["id"]]
            rule: dict = {"strategy": strategy}
            if strategy in ("proportional", "even"):
                rule["to"] = draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
            elif strategy == "move":
                rule["to"] = [draw(st.sampled_from(others))]
            node.update(applies=flag, not_applicable=rule)
    total = sum(node["points"] for node in top)
    return {
        "id": "random",
        "version": "1",
        "title": "random",
        "total": total,
        "inputs": inputs,
        "indicators": top,
        "grades": [{"name": "A", "min": total / 2}, {"name": "B", "min": 0}],
        "adjustments": [{"id": "bonus", "name": "bonus", "per_event": 1, "max": 3}],
    }


@st.composite
def unit_for(draw, document: dict) -> dict:
    values: dict = {"bonus": draw(st.integers(0, 5))}
    numbers = st.decimals(min_value=-10, max_value=10, places=3, allow_nan=False)
    for name, spec in document["inputs"].items():
        if spec["type"] == "boolean":
            values[name] = draw(st.booleans())
        elif spec["type"] == "money":
            values[name] = draw(st.decimals(min_value=0, max_value=1000, places=2))
        else:
            values[name] = draw(numbers)

    def visit(node: dict) -> None:
        for child in node.get("children", ()):
            visit(child)
        if "checklist" in node:
            values[node["id"]] = {
                "a": draw(
                    st.one_of(
                        st.booleans(), st.decimals(min_value=0, max_value=node["points"], places=2)
                    )
                )
            }
        if "judgement" in node:
            values[node["id"]] = {
                "score": draw(st.decimals(min_value=0, max_value=node["points"], places=2)),
                "reason": "r",
            }

    for top in document["indicators"]:
        visit(top)
    return values


@given(st.data())
def test_invariants(data):
    document = data.draw(rubrics())
    rubric = rubriceng.load_rubric(document)
    inputs = data.draw(unit_for(document))
    try:
        result = rubriceng.evaluate(rubric, inputs)
    except rubriceng.EvaluationError as error:
        assert all(p.code in {"nothing-applies"} for p in error.problems), error
        return
    assert_invariants(rubric, inputs, result)
    total = rubric.total
    assert result.grade == ("A" if result.total >= total / 2 else "B")


class _Word(str):
    """Text of a type of its own (freeze keeps it as it is)."""


_PLAIN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=4)
    | st.builds(_Word, st.text(max_size=4))
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.fractions(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(_PLAIN)
def test_frozen_data_is_the_same_data_read_only_at_every_level(value):
    """What results hold (traces, provenance): freeze keeps every scalar as the very
    object it was, makes every mapping a read-only view and every list a tuple, and thaw
    gives the data back."""
    import types

    from rubriceng.language.documents import freeze, thaw

    frozen = freeze(value)

    def check(original, found):
        if isinstance(original, dict):
            assert isinstance(found, types.MappingProxyType) and set(found) == set(original)
            for key in original:
                check(original[key], found[key])
        elif isinstance(original, list | tuple):
            assert type(found) is tuple and len(found) == len(original)
            for item, kept in zip(original, found, strict=True):
                check(item, kept)
        else:
            assert found is original

    check(value, frozen)

    def listed_as_tuples(data):
        if isinstance(data, dict):
            return {key: listed_as_tuples(item) for key, item in data.items()}
        if isinstance(data, list | tuple):
            return tuple(listed_as_tuples(item) for item in data)
        return data

    assert thaw(frozen) == listed_as_tuples(value)


@given(
    st.one_of(
        st.integers(-(10**40), 10**40),
        st.decimals(allow_nan=False, allow_infinity=False, places=None),
        st.fractions(max_denominator=10**6),
    ),
    st.integers(0, 8),
)
@example(10**35 + 1, 0)  # 36 digits: shown to 34, as every number is
@example(-(10**34) - 7, 2)
@example(10**34 - 1, 0)
@example(Decimal("0.00005"), 4)  # a tie: half-even
def test_a_number_for_people_is_its_half_even_rounding_without_trailing_zeros(value, places):
    """:func:`number`'s shortcut for whole numbers gives what the rounding gives."""
    from fractions import Fraction

    from rubriceng.decimals import DECIMAL_CONTEXT
    from rubriceng.formula.phrasing import number

    with decimal.localcontext(DECIMAL_CONTEXT):
        exact = Fraction(value)
        scaled = exact * 10**places
        whole, rest = divmod(scaled.numerator, scaled.denominator)
        if 2 * rest > scaled.denominator or (2 * rest == scaled.denominator and whole % 2):
            whole += 1
        expected = format((Decimal(whole).scaleb(-places)).normalize(), "f")
        expected = "0" if expected in ("-0", "") else expected
        assert number(value, places) == expected
