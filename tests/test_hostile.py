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
            "indicators": [{"id": "a", "name": "甲", "points": 4, "score": "4"}],
            **extra}  # fmt: skip


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


# -- extends reads only rubrics ----------------------------------------------------------------

BASE = """id: t/base
version: "1"
title: base
total: 4
indicators:
  - {id: a, name: 甲, points: 4, score: "4"}
"""


def _variant(folder, extends: str):
    path = folder / "variant.yaml"
    path.write_text(f'id: t/variant\nversion: "2"\nextends: {extends}\n', encoding="utf-8")
    return path


def _refusal(path) -> str:
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.file, problem.line) == ("variant-base", str(path), 3)
    return problem.message


@pytest.mark.parametrize(
    ("extends", "message"),
    [
        ("/dev/zero", "extends takes an id, or a path relative to the rubric's own folder"),
        ("/dev/stdin", "extends takes an id, or a path relative to the rubric's own folder"),
        ("/etc/passwd", "extends takes an id, or a path relative to the rubric's own folder"),
        ("/proc/self/status", "extends takes an id, or a path relative to the rubric's own folder"),
        ("~/base.yaml", "extends takes an id, or a path relative to the rubric's own folder"),
        ("../outside/base.yaml", "the file is outside the rubric's own folder"),
        ("./sub/../../outside/base.yaml", "the file is outside the rubric's own folder"),
        ("../../../../../../etc/passwd", "a rubric file ends in .yaml, .yml, .json"),
        ("out.yaml", "the file is outside the rubric's own folder"),  # a symlink out
        ("fifo.yaml", "not a file: a device, pipe or socket"),
        ("folder.yaml", "not a file: a folder"),
        ("missing.yaml", "No such file or directory"),
        ("huge.yaml", "larger than 1048576 bytes"),
    ],
)  # fmt: skip
def test_extends_reads_only_rubric_files_inside_the_rubrics_folder(tmp_path, extends, message):
    import os

    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "base.yaml").write_text(BASE, encoding="utf-8")
    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "out.yaml").symlink_to(tmp_path / "outside" / "base.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "folder.yaml").mkdir()
    (folder / "huge.yaml").write_text("a: " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    text = _refusal(_variant(folder, extends))
    assert text == f"cannot use {extends!r}: {message}" or text.startswith(
        f"cannot use {extends!r}: {message}"
    )
    assert "root:" not in text and "VmPeak" not in text  # nothing read is echoed


def test_extends_takes_a_file_inside_its_folder_and_a_symlink_that_stays_there(tmp_path):
    folder = tmp_path / "rubrics"
    (folder / "2020").mkdir(parents=True)
    (folder / "2020" / "base.yaml").write_text(BASE, encoding="utf-8")
    (folder / "link.yaml").symlink_to(folder / "2020" / "base.yaml")
    for extends in ("2020/base.yaml", "./2020/base.yaml", "link.yaml", "2020/../link.yaml"):
        rubric = rubriceng.load_rubric(_variant(folder, extends))
        assert (rubric.ref, rubric.extends) == ("t/variant@2", "t/base@1")


def test_a_mapping_extends_by_id_only():
    with pytest.raises(rubriceng.RubricError) as raised:
        rubriceng.load_rubric({"id": "t/v", "version": "2", "extends": "base.yaml"})
    assert [p.message for p in raised.value.problems] == [
        "cannot use 'base.yaml': a rubric that is not a file extends by id "
        "(extends: <id>@<version>)"
    ]


@pytest.mark.parametrize("source", ["/dev/zero", "fifo", "folder"])
def test_inputs_and_rubrics_read_only_regular_files(tmp_path, source):
    import os

    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    path = source if source.startswith("/") else str(tmp_path / source)
    for loader, error in ((rubriceng.load_inputs, rubriceng.InputError),
                          (rubriceng.load_rubric, rubriceng.RubricError)):  # fmt: skip
        with pytest.raises(error) as raised:
            loader(path)
        assert [p.code for p in raised.value.problems] == ["document-not-a-file"]
