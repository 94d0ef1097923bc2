"""Hostile files, round two (issue 17): each class with its variants.

Every case here used to hang, exhaust memory or escape as a traceback. The time each
takes to refuse is measured in docs/security.md, not asserted here.
"""

from __future__ import annotations

import pytest

import rubriceng
from rubriceng.documents import DocumentError, from_text

# -- YAML merge keys -----------------------------------------------------------------------


def _nested_merges(levels: int, width: int, own_key: bool = True) -> str:
    lines = ["m0: &m0 {a: 1, b: 2}"]
    for level in range(1, levels):
        refs = ", ".join([f"*m{level - 1}"] * width)
        own = f"k{level}: 1, " if own_key else ""
        lines.append(f"m{level}: &m{level} {{{own}<<: [{refs}]}}")
    return "\n".join(lines) + "\n"


def _doubling_merges(levels: int) -> str:
    lines = ["m0: &m0 {a: [1, 2, 3, 4, 5, 6, 7, 8]}"]
    for level in range(1, levels):
        lines.append(f"m{level}: &m{level} {{k{level}: *m{level - 1}, <<: *m{level - 1}}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("a: &a {k: 1, <<: *a}\n", "document-merge-cycle", 1),
        ("a: &a {k: 1, <<: [{j: 2}, *a]}\n", "document-merge-cycle", 1),
        ("x: &x {y: {z: {<<: *x}}}\n", "document-merge-cycle", 1),
        ("x: &x\n  y:\n    <<: *x\n", "document-merge-cycle", 3),
        (_doubling_merges(30), "document-too-large", None),
        ("b: &b {" + ", ".join(f"k{i}: [1, 2, 3]" for i in range(40)) + "}\n"
         + "".join(f"c{i}: {{<<: *b}}\n" for i in range(1500)), "document-too-large", None),
    ],
    ids=["self", "self-in-list", "through-a-child", "block-style", "doubling", "many-merges"],
)  # fmt: skip
def test_merge_bombs_and_cycles_are_refused(text, code, line):
    with pytest.raises(DocumentError) as raised:
        from_text(text, "bomb.yaml")
    (problem,) = raised.value.problems
    assert problem.code == code and problem.file == "bomb.yaml"
    if line is not None:
        assert problem.line == line


@pytest.mark.parametrize(("levels", "width"), [(30, 9), (12, 40), (60, 2)])
def test_repeated_merges_of_one_anchor_are_read_once(levels, width):
    """The 600-byte nested-merge file that used to run for minutes: its data is small."""
    data = from_text(_nested_merges(levels, width), "m.yaml").data
    last = data[f"m{levels - 1}"]
    assert last == {"a": 1, "b": 2, **{f"k{level}": 1 for level in range(1, levels)}}
    without_own = from_text(_nested_merges(levels, width, own_key=False), "m.yaml").data
    assert without_own[f"m{levels - 1}"] == {"a": 1, "b": 2}


def test_a_merged_value_is_a_copy_of_its_anchor():
    data = from_text("b: &b {xs: [1, 2]}\nc: {<<: *b}\nd: {<<: *b}\n").data
    assert data["c"] == data["d"] == {"xs": [1, 2]}
    assert data["c"]["xs"] is not data["d"]["xs"]


def test_a_merge_bomb_in_a_rubric_file_is_a_located_rubric_error(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("a: &a {k: 1, <<: *a}\n", encoding="utf-8")
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(path)
    assert [str(p) for p in raised.value.problems] == [
        f"{path}:1: a.<<: '<<' merges a mapping into itself [document-merge-cycle]"
    ]


# -- many problems ---------------------------------------------------------------------------


def _rubric(**extra: object) -> dict[str, object]:
    return {"id": "x", "version": "1", "title": "x", "total": 4,
            "indicators": [{"id": "a", "name": "甲", "points": 4, "score": "4"}], **extra}  # fmt: skip


@pytest.mark.parametrize("count", [101, 4000])
def test_an_error_lists_100_problems_then_counts_the_rest(count):
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(_rubric(**{f"junk{i:04d}": i for i in range(count)}))
    problems = raised.value.problems
    assert len(problems) == 101
    assert [p.path for p in problems[:3]] == ["junk0000", "junk0001", "junk0002"]
    assert (problems[-1].code, problems[-1].message) == (
        "too-many-problems", f"{count - 100} more problems not listed"
    )
    assert str(raised.value).splitlines()[0] == (
        f"<mapping> is not a valid rubric ({count} problems):"
    )


def test_exactly_100_problems_are_all_listed():
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(_rubric(**{f"junk{i:03d}": i for i in range(100)}))
    assert len(raised.value.problems) == 100
    assert "too-many-problems" not in {p.code for p in raised.value.problems}


def test_a_units_many_unknown_and_nested_problems_are_counted(huizhou, huizhou_inputs):
    huizhou_inputs.update({f"junk{i}": i for i in range(3000)})
    huizhou_inputs["budget_reasonableness"] = {f"x{i}": True for i in range(500)}
    with pytest.raises(rubriceng.InputError) as raised:
        rubriceng.evaluate(huizhou, huizhou_inputs)
    problems = raised.value.problems
    assert len(problems) == 101 and problems[-1].code == "too-many-problems"
    listed = len(problems) - 1
    assert problems[-1].message == f"{3000 + 500 + 5 - listed} more problems not listed"
