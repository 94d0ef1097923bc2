"""Bad rubric documents: every problem at once, each with file, line, path and indicator."""

from __future__ import annotations

import pytest

import rubriceng
from tests.conftest import make_rubric

BAD_YAML = """\
id: test
version: "1"
title: bad
total: 10
inputs:
  a: {type: money}
indicators:
  - id: g
    name: 组
    points: 10
    children:
      - id: x
        name: 甲
        points: 4
        value: a / 100
        bands:
          - {upto: 0.2, score: 4}
          - {upto: 0.1, score: 2}
          - {else: 0}
      - id: y
        name: 乙
        points: 5
        score: points * b
"""


def load_text(tmp_path, text: str) -> rubriceng.RubricError:
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(path)
    return caught.value


def test_all_semantic_problems_at_once_with_lines(tmp_path):
    error = load_text(tmp_path, BAD_YAML)
    file = str(tmp_path / "rubric.yaml")
    assert [problem.text("en") for problem in error.problems] == [
        f"{file}:10: indicators[0].points: children add up to 9.00, the indicator has 10.00 "
        "points [points-mismatch] (indicator g)",
        f"{file}:18: indicators[0].children[0].bands[1]: band 'value ≤ 0.1' overlaps or is "
        "empty after 'value ≤ 0.2': bounds must increase (equal bounds only as 'below x' then "
        "'upto x') [band-order] (indicator x)",
        f"{file}:23: indicators[0].children[1].score: unknown name 'b' [formula-name] "
        "(indicator y)",
    ] or error.problems
    assert error.text("en").startswith(f"{file} is not a valid rubric (3 problems):")
    assert str(error).startswith(f"{file} 的评分表有误（3 个问题）：\n")
    assert (
        f"\n  - {file}:10 indicators[0].points：下级指标分值合计 9.00，本指标分值为 10.00 "
        "[points-mismatch]（指标 g）"
    ) in str(error)


def test_schema_problems_name_path_and_line(tmp_path):
    text = BAD_YAML.replace("        name: 乙\n", "        nmae: 乙\n").replace(
        "points: 4\n", "points: four\n"
    )
    error = load_text(tmp_path, text)
    assert [(p.line, p.path, p.message, p.indicator) for p in error.problems] == [
        (14, "indicators[0].children[0].points", "must be a number, got 'four'", "x"),
        (20, "indicators[0].children[1].name", "required field", "y"),
        (21, "indicators[0].children[1].nmae", "unknown key", "y"),
    ]


def test_duplicate_keys_and_tags_are_refused(tmp_path):
    error = load_text(tmp_path, "id: a\nid: b\n")
    assert [(p.code, p.line) for p in error.problems] == [("document-duplicate-key", 2)]
    error = load_text(tmp_path, "id: !!python/object:os.system x\n")
    assert [(p.code, p.message) for p in error.problems] == [
        ("document-tag", "YAML tag tag:yaml.org,2002:python/object:os.system is not allowed")
    ]


def test_alias_bomb_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    error = load_text(tmp_path, "\n".join(lines) + "\n")
    assert error.problems[0].code == "document-too-large"


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (
            {"id": "x", "name": "x", "points": 4, "score": "1", "bands": [{"else": 0}]},
            "method-conflict",
            "give one scoring method, not score, bands",
        ),
        (
            {"id": "x", "name": "x", "points": 4},
            "method-missing",
            "give one scoring method (score, ratio, bands, steps, checklist, "
            "deductions, all_or_nothing, average, peer, judgement, unit_defined, "
            "target_completion) or children",
        ),
        (
            {"id": "x", "name": "x", "points": 4, "value": "1", "bands": [{"upto": 1, "score": 4}]},
            "band-gap",
            "the last band must be {else: <score>} so every value is covered",
        ),
        (
            {"id": "x", "name": "x", "points": 4, "bands": [{"else": 0}]},
            "value-missing",
            "'bands' scores a 'value': give the formula for it",
        ),
        (  # a value that is given but wrong is one problem, not also a missing value
            {"id": "x", "name": "x", "points": 4, "value": "a_typo / 2", "bands": [{"else": 0}]},
            "formula-name",
            "unknown name 'a_typo'",
        ),
        (
            {"id": "x", "name": "x", "points": 4, "value": "1", "bands": [{"else": 5}]},
            "score-out-of-range",
            "score 5 is outside [0, 4.00]",
        ),
        (
            {"id": "x", "name": "x", "points": 4.001, "score": "1"},
            "points-precision",
            "points 4.001 are not whole cents (0.01)",
        ),
        (
            {"id": "x", "name": "x", "points": 4, "score": "1", "applies": "1 > 0"},
            "not-applicable-missing",
            "say what happens to the points when the indicator does not "
            "apply: not_applicable: {strategy: proportional|even|move|rescale|full_marks}",
        ),
        (
            {
                "id": "x",
                "name": "x",
                "points": 4,
                "score": "1",
                "applies": "1 > 0",
                "not_applicable": {"strategy": "move", "to": ["nowhere"]},
            },
            "not-applicable-target",
            "'nowhere' is not an indicator of this rubric",
        ),
        (
            {
                "id": "x",
                "name": "x",
                "points": 4,
                "checklist": [{"id": "a", "name": "a", "points": 3}],
            },
            "points-mismatch",
            "checklist items add up to 3, the indicator has 4.00 points",
        ),
        (
            {"id": "x", "name": "x", "points": 4, "score": "__import__('os')"},
            "formula-forbidden",
            "names starting with '_' are not allowed: __import__",
        ),
        (
            {"id": "x", "name": "x", "points": 4, "score": "points.real"},
            "formula-forbidden",
            "formulas cannot use attribute access (a.b)",
        ),
        (
            {"id": "x", "name": "x", "points": 4, "score": "sqrt(points)"},
            "formula-function",
            "unknown function 'sqrt'",
        ),
        (
            {"id": "x", "name": "x", "points": 4, "score": "points +"},
            "formula-syntax",
            "cannot parse 'points +': invalid syntax",
        ),
    ],
)
def test_indicator_problems(change, code, message):
    document = make_rubric([{"id": "t", "name": "t", "points": 4, "children": [change]}])
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(document)
    assert [(p.code, p.message) for p in caught.value.problems] == [(code, message)]
    assert caught.value.problems[0].file == "<mapping>"


def test_rubric_level_problems():
    document = make_rubric(
        [
            {"id": "x", "name": "x", "points": 4, "score": "points"},
            {"id": "x", "name": "y", "points": 6, "score": "points"},
        ],
        {"points": {"type": "money"}},
        total=11,
        grades=[{"name": "良", "min": 6}, {"name": "优", "min": 9}],
        adjustments=[{"id": "bonus", "name": "加分", "per_event": 0}],
    )
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(document)
    assert sorted((p.code, p.path, p.message) for p in caught.value.problems) == sorted(
        [
            ("reserved-name", "inputs.points", "'points' is reserved and cannot name an input"),
            ("duplicate-id", "indicators[1].id", "id 'x' is used twice"),
            (
                "points-mismatch",
                "total",
                "the level-1 indicators add up to 10.00, the rubric's total is 11.00",
            ),
            ("adjustment-form", "adjustments[0].per_event", "'per_event' must not be 0"),
            (
                "grade-order",
                "grades",
                "grades go from the highest minimum to the lowest, each minimum once",
            ),
            (
                "grade-coverage",
                "grades",
                "the lowest grade must start at 0 so that every total in [0, 11.00] has a grade",
            ),
        ]
    )


def test_a_bad_rubric_changes_nothing(huizhou, huizhou_inputs):
    with pytest.raises(rubriceng.RubricError):
        rubriceng.load_rubric(make_rubric([{"id": "x", "name": "x", "points": 1}]))
    assert str(rubriceng.evaluate(huizhou, huizhou_inputs).total) == "97.86"


def test_points_beyond_any_rubric_are_refused_not_crashed_on():
    """Found by the mutation fuzz test: 10^26 points overflowed rounding to cents."""
    document = make_rubric([{"id": "x", "name": "x", "points": 4, "score": "1"}])
    document["indicators"][0]["points"] = 10**26
    document["total"] = 10**26
    with pytest.raises(rubriceng.RubricError) as caught:
        rubriceng.load_rubric(document)
    assert [problem.text("en") for problem in caught.value.problems] == [
        "<mapping>: indicators[0].points: must be at most 1000000, got "
        "100000000000000000000000000 [schema] (indicator x)",
        "<mapping>: total: must be at most 1000000, got 100000000000000000000000000 [schema]",
    ]


def test_a_list_input_without_items_is_one_problem_not_a_crash():
    """Found by the long fuzzing profile: the compiler reported the missing ``items`` and
    then failed an assertion building the list's rules."""
    import rubriceng

    document = {
        "id": "t",
        "version": "1",
        "title": "t",
        "total": 1,
        "inputs": {"rates": {"type": "list", "length": 4}},
        "indicators": [{"id": "r", "name": "率", "points": 1, "score": "min(1, count(rates))"}],
    }
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(document)
    assert [(problem.code, problem.message) for problem in raised.value.problems] == [
        ("input-form", "a list input needs 'items' (the type of each item)")
    ]
