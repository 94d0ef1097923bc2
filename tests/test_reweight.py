"""Not-applicable strategies: points move in whole cents and are always conserved."""

from __future__ import annotations

from decimal import Decimal

import pytest

import rubriceng
from rubriceng.scoring.reweight import allocate_cents
from tests.conftest import make_rubric


@pytest.mark.parametrize(
    ("amount", "weights", "shares"),
    [
        ("4", [5, 5, 5], ["1.34", "1.33", "1.33"]),
        ("3", [6], ["3.00"]),
        ("1", [1, 1, 1], ["0.34", "0.33", "0.33"]),
        ("0.02", [1, 1, 1], ["0.01", "0.01", "0.00"]),
        ("10", [2, 3, 5], ["2.00", "3.00", "5.00"]),
        ("1", [1, 2], ["0.33", "0.67"]),  # the larger remainder wins the cent
        ("5", [0, 0], ["2.50", "2.50"]),  # all-zero weights split evenly
    ],
)
def test_largest_remainder(amount, weights, shares):
    result = allocate_cents(Decimal(amount), weights)
    assert [str(share) for share in result] == shares
    assert sum(result) == Decimal(amount)


def test_allocation_refuses_fractions_of_a_cent():
    with pytest.raises(ValueError, match="whole number of cents"):
        allocate_cents(Decimal("0.005"), [1])


def tree(strategy: dict, recipients_full: bool = True) -> dict:
    """A:4 (may not apply) and B:5, C:5, D:6 checklist leaves; E a group of two."""

    def leaf(ident: str, points: int) -> dict:
        return {
            "id": ident,
            "name": ident,
            "points": points,
            "score": "points" if recipients_full else "points / 2",
        }

    return make_rubric(
        [
            {
                "id": "g",
                "name": "g",
                "points": 20,
                "children": [
                    {
                        "id": "a",
                        "name": "a",
                        "points": 4,
                        "applies": "has_a",
                        "not_applicable": strategy,
                        "score": "points",
                    },
                    leaf("b", 5),
                    leaf("c", 5),
                    leaf("d", 6),
                ],
            },
            {"id": "e", "name": "e", "points": 10, "children": [leaf("e1", 3), leaf("e2", 7)]},
        ],
        {"has_a": {"type": "boolean"}},
    )


def effective(document: dict, **inputs) -> dict[str, str]:
    result = rubriceng.evaluate(rubriceng.load_rubric(document), {"has_a": False, **inputs})
    leaves = ("a", "b", "c", "d", "e1", "e2")
    points = {i: str(result.indicator(i).effective_points) for i in leaves}
    assert sum(result.indicator(i).effective_points for i in leaves) == Decimal(30)
    return points


def test_proportional():
    assert effective(tree({"strategy": "proportional", "to": ["b", "c", "d"]})) == {
        "a": "0.00",
        "b": "6.25",
        "c": "6.25",
        "d": "7.50",
        "e1": "3.00",
        "e2": "7.00",
    }


def test_even():
    assert effective(tree({"strategy": "even", "to": ["b", "c", "d"]})) == {
        "a": "0.00",
        "b": "6.34",
        "c": "6.33",
        "d": "7.33",
        "e1": "3.00",
        "e2": "7.00",
    }


def test_move_and_move_to_a_group():
    assert effective(tree({"strategy": "move", "to": ["d"]}))["d"] == "10.00"
    moved = effective(tree({"strategy": "move", "to": ["e"]}))
    assert (moved["e1"], moved["e2"]) == ("4.20", "9.80")


def test_rescale_matches_scaling_the_earned_total():
    document = tree({"strategy": "rescale"}, recipients_full=False)
    result = rubriceng.evaluate(rubriceng.load_rubric(document), {"has_a": False})
    # every applicable leaf earns half of its effective points, rounded half up leaf by
    # leaf: b, c 2.89 (5.77/2), d 3.46, e1 1.73 (3.46/2), e2 4.04 (8.08/2) — 15.01, where
    # scaling the unrounded total would give 15.00. The rubric rule is the sum of rounded leaves.
    assert result.total == Decimal("15.01")
    assert sum(result.indicator(i).effective_points for i in ("b", "c", "d", "e1", "e2")) == 30
    assert effective(document)["b"] == "5.77"


def test_full_marks():
    document = tree({"strategy": "full_marks"}, recipients_full=False)
    result = rubriceng.evaluate(rubriceng.load_rubric(document), {"has_a": False})
    row = result.indicator("a")
    assert (row.status, row.score, row.effective_points) == (
        "not_applicable",
        Decimal("4.00"),
        Decimal("4.00"),
    )
    assert result.total == Decimal("17.00")  # 4 + 13 / 2


def test_recipients_without_full_marks_score_their_fraction():
    document = tree({"strategy": "proportional", "to": ["b", "c", "d"]}, recipients_full=False)
    result = rubriceng.evaluate(rubriceng.load_rubric(document), {"has_a": False})
    assert [result.indicator(i).score for i in "bcd"] == [
        Decimal("3.13"),
        Decimal("3.13"),
        Decimal("3.75"),
    ]  # 6.25/2 = 3.125 rounds half up


def test_applicable_indicator_keeps_its_points():
    assert effective(tree({"strategy": "move", "to": ["d"]}), has_a=True)["a"] == "4.00"


def node(ident: str, points: int, score: str = "points", **rest) -> dict:
    """A scored indicator; ``applies``/``to`` given make it one that may not apply."""
    return {"id": ident, "name": ident, "points": points, "score": score, **rest}


def unless(flag: str, strategy: str, *to: str) -> dict:
    """The keys of an indicator that applies only when ``flag`` holds."""
    return {"applies": flag, "not_applicable": {"strategy": strategy, "to": list(to)}}


def test_both_not_applicable_and_a_recipient_that_does_not_apply():
    document = make_rubric(
        [
            node("a", 4, **unless("x", "proportional", "b", "c")),
            node("b", 3, **unless("y", "move", "c")),
            node("c", 3, "points / 3"),
        ],
        {"x": {"type": "boolean"}, "y": {"type": "boolean"}},
    )
    rubric = rubriceng.load_rubric(document)
    result = rubriceng.evaluate(rubric, {"x": False, "y": False})
    # b does not apply, so a's points all go to c; then b's points move to c too
    assert result.indicator("c").effective_points == Decimal("10.00")
    assert result.total == Decimal("3.33")
    assert result.indicator("c").trace["reweighting"] == (
        {"from": "a", "points": Decimal("4.00")},
        {"from": "b", "points": Decimal("3.00")},
    )


def test_no_recipient_left_falls_back_to_rescale():
    document = make_rubric(
        [
            node("a", 4, **unless("x", "move", "b")),
            node("b", 3, **unless("x", "move", "a")),
            node("c", 3),
        ],
        {"x": {"type": "boolean"}},
    )
    result = rubriceng.evaluate(rubriceng.load_rubric(document), {"x": False})
    assert result.total == Decimal("10.00")
    assert result.indicator("a").trace["not_applicable"]["strategy"] == "rescale"


def test_a_group_that_does_not_apply_takes_its_children_along():
    group = {
        "id": "g",
        "name": "g",
        "points": 6,
        **unless("x", "move", "c"),
        "children": [node("g1", 2), node("g2", 4)],
    }
    document = make_rubric([group, node("c", 4, "points / 2")], {"x": {"type": "boolean"}})
    result = rubriceng.evaluate(rubriceng.load_rubric(document), {"x": False})
    assert [result.indicator(i).status for i in ("g", "g1", "g2")] == ["not_applicable"] * 3
    assert result.total == Decimal("5.00")


def test_inputs_of_an_indicator_that_does_not_apply_are_not_required(huizhou, huizhou_inputs):
    assert "transfers_approved" not in huizhou_inputs
    assert rubriceng.evaluate(huizhou, huizhou_inputs).total == Decimal("97.86")
    huizhou_inputs["has_transfer_payments"] = True
    with pytest.raises(rubriceng.InputError) as caught:
        rubriceng.evaluate(huizhou, huizhou_inputs)
    assert [(p.field, p.indicator) for p in caught.value.problems] == [
        ("general_transfer_advance_rate", "advance_release_rate"),
        ("special_transfer_advance_rate", "advance_release_rate"),
        ("budget_approval_days_late", "fund_release_legality"),
        ("transfers_approved", "fund_release_legality"),
        ("transfers_issued_on_time", "fund_release_legality"),
    ]


def test_rounding_to_whole_points_never_lifts_a_score_above_its_points():
    """Found by the long fuzz run: with ``digits: 0``, points moved in cents (6 + 1.50)
    and a full score of 7.50 rounded half-up to 8, above the 7.50 points. A score is
    rounded and then held to its points rounded down to the step (7). Row and column
    paths agree."""
    rubric = rubriceng.load_rubric(
        make_rubric(
            [
                {"id": "a", "name": "甲", "points": 6, "score": "points"},
                {"id": "b", "name": "乙", "points": 6, "score": "points"},
                {
                    "id": "c",
                    "name": "丙",
                    "points": 3,
                    "score": "points",
                    "applies": "flag",
                    "not_applicable": {"strategy": "proportional", "to": ["a", "b"]},
                },
            ],
            {"flag": {"type": "boolean"}},
            rounding={"digits": 0, "mode": "half_up"},
        )
    )
    result = rubriceng.evaluate(rubric, {"flag": False})
    assert [(str(i.effective_points), str(i.score)) for i in result.indicators] == [
        ("7.50", "7"),
        ("7.50", "7"),
        ("0.00", "0"),
    ]
    np = pytest.importorskip("numpy")
    table = rubriceng.evaluate_table(rubric, {"flag": np.array([False, True])})
    assert table.totals() == [result.total, Decimal(15)]


def test_points_finer_than_the_rounding_are_refused():
    document = make_rubric(
        [
            {"id": "a", "name": "甲", "points": 2.5, "score": "points"},
            {"id": "b", "name": "乙", "points": 7.5, "score": "points"},
        ],
        rounding={"digits": 0, "mode": "half_up"},
    )
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(document)
    assert [p.message for p in caught.value.problems] == [
        f"points {points} are finer than the rubric's rounding (0 decimals): a score could "
        "exceed them"
        for points in ("2.5", "7.5")
    ]
    document["rounding"] = {"digits": False}
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(document)
    assert [p.message for p in caught.value.problems] == ["must be a whole number, got False"]
