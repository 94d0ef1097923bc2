"""The national layer that ships with the engine (``rubrics/``): in the wheel, found by id
with no plugin installed, indexed once, and extended by a jurisdiction's rubric."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest

import rubriceng
from rubriceng.host.builtin import bundled_rubrics
from rubriceng.host.registry import Registry
from tests.conftest import ROOT

BUNDLED = ROOT / "rubrics"


def test_every_bundled_file_is_in_the_wheel_and_found_without_plugins(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("rubriceng-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    files = {
        f"rubriceng/rubrics/{path.relative_to(BUNDLED).as_posix()}"
        for path in BUNDLED.rglob("*")
        if path.is_file() and path.suffix in (".yaml", ".md")
    }
    assert files and files <= names
    # installed from the wheel, with entry points of no plugin at all
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import pathlib, rubriceng.host.builtin as b, rubriceng.host.registry as r\n"
        "registry = r.Registry(entry_points=False)\n"
        "print(sorted(e.ref for e in registry.rubrics()))\n"
        "print(registry.find('cn/dept-overall-framework', version='2020').title)\n"
        "print(b.bundled_rubrics().relative_to(pathlib.Path(b.__file__).parent.parent))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site)},
        check=True,
    )
    assert shown.stdout.splitlines() == [
        "['cn/dept-overall-framework@2020', 'cn/project-self-evaluation@2020']",
        "部门整体支出绩效自评指标框架（通用结构，重构）",
        "rubrics",
    ]


def test_the_bundled_folder_is_indexed_once_when_it_is_also_the_search_path(monkeypatch):
    monkeypatch.chdir(ROOT)  # ./rubrics is the search path and the bundled folder
    registry = Registry(search_path=[ROOT / "rubrics", BUNDLED / "cn"])
    assert bundled_rubrics().resolve() == BUNDLED.resolve()
    refs = [entry.ref for entry in registry.rubrics(id="cn/project-self-evaluation")]
    assert refs == ["cn/project-self-evaluation@2020"]
    assert registry.failures == ()


def test_a_jurisdiction_extends_the_national_framework():
    county = {
        "id": "cn.test.county/dept-overall",
        "version": "2026",
        "extends": "cn/dept-overall-framework@2020",
        "title": "某县部门整体支出绩效自评指标评分表",
        "inputs": {"spent": {"type": "money"}, "budget": {"type": "money"}},
        "changes": [
            {
                "update": "fund_management",
                "set": {"name": "预算执行率", "ratio": {"actual": "spent", "target": "budget"}},
            },
        ],
    }
    rubric = rubriceng.load_rubric(county)
    judged = {
        leaf: {"score": points, "reason": "符合"}
        for leaf, points in {
            "budget_compilation": 13,
            "goal_setting": 10,
            "project_management": 5,
            "asset_management": 13,
            "economy": 4,
            "efficiency": 13,
            "effectiveness": 10,
            "fairness": 7,
        }.items()
    }
    result = rubriceng.evaluate(rubric, {**judged, "spent": 90, "budget": 96})
    assert result.indicator("fund_management").score == Decimal("23.44")  # 25 × 90/96
    assert result.total == Decimal("98.44")
    assert result.grade == "优"


def test_a_rubric_found_by_id_before_the_index_is_built_parses_only_files_that_may_define_it(
    tmp_path, monkeypatch
):
    """Loading by id parses only the files whose bytes hold the id (or an escape that
    could spell it), and finds what the whole index finds: every version, the first of
    two files offering one version, an id spelt with escapes; an unknown id gets the
    whole index's error, which names every rubric known."""
    import json

    from rubriceng.host import index
    from tests.conftest import make_rubric

    def rubric(rubric_id: str, version: str, points: int) -> str:
        document = make_rubric([{"id": "a", "name": "甲", "points": points, "score": 1}])
        return json.dumps({**document, "id": rubric_id, "version": version}, ensure_ascii=False)

    (tmp_path / "a-1.json").write_text(rubric("t.quick/a", "1", 2), encoding="utf-8")
    (tmp_path / "a-2.json").write_text(rubric("t.quick/a", "2", 3), encoding="utf-8")
    (tmp_path / "a-2-again.yaml").write_text(rubric("t.quick/a", "2", 5), encoding="utf-8")
    (tmp_path / "b.json").write_text(rubric("t.quick/b", "1", 4), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: [unclosed", encoding="utf-8")
    escaped = rubric("t.quick/c", "1", 6).replace("t.quick/c", "t.quick\\u002fc")
    (tmp_path / "c.json").write_text(escaped, encoding="utf-8")
    parsed: list[str] = []
    read = index.from_path
    monkeypatch.setattr(index, "from_path", lambda path: parsed.append(path.name) or read(path))

    def registry() -> Registry:
        return Registry(entry_points=False, search_path=[tmp_path])

    whole = registry()
    whole.rubrics()  # the whole index, built first
    for reference in ("t.quick/a", "t.quick/a@2", "t.quick/a@1", "t.quick/c"):
        parsed.clear()
        found = registry().load(reference)
        assert (found.ref, found.total) == (whole.load(reference).ref, whole.load(reference).total)
        assert "b.json" not in parsed and "broken.yaml" not in parsed
        assert "c.json" in parsed  # a backslash: it may spell the id
    assert registry().load("t.quick/a@2").total == Decimal(5)  # the first file found
    again = registry()
    again.load("t.quick/a@1")
    parsed.clear()
    assert again.load("t.quick/a@1") is again.load("t.quick/a@1") and parsed == []
    assert registry().load("t.quick/c").total == Decimal(6)  # spelt with an escape
    with pytest.raises(rubriceng.RubricNotFoundError) as missing:
        registry().load("t.quick/none")
    assert "t.quick/b@1" in missing.value.problems[0].message  # every rubric known
