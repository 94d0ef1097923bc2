"""``rubriceng new-plugin``: write a working plugin skeleton.

The skeleton is an installable distribution with a ``rubriceng`` entry point, one small
but complete rubric (with provenance, a not-applicable rule and four scoring methods)
and one test case that passes as written. Authors then replace the rubric with their own.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from rubriceng.authoring.tableimport import option_problems
from rubriceng.outputs.words import term
from rubriceng.sanitize import make_folder, replacing

_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")


@attrs.frozen
class Skeleton:
    """What :func:`new_plugin` wrote."""

    root: Path
    distribution: str
    package: str
    entry_point: str
    rubric_id: str
    files: tuple[Path, ...]


def new_plugin(
    name: str,
    directory: Path,
    *,
    rubric_id: str | None = None,
    level: str = "county",
    region: str = "示例县",
    code: str = "000000",
    year: int | None = None,
    table: Path | None = None,
) -> Skeleton:
    """Write the plugin ``rubriceng-<name>`` into ``directory`` and return what was written.

    ``name`` is lower-case words joined by hyphens (``my-county``). Refuses to overwrite.
    ``table``: a published 指标评分表 (xlsx, docx, csv) to start from, imported with
    :func:`rubriceng.authoring.tableimport.import_table`; the test case then scores a unit with
    every judgement at full marks.
    """
    wrong = [term("plugin name", name=name)] if not _NAME.match(name) else []
    wrong += option_problems(rubric_id=rubric_id, level=level, region=region)
    if not re.fullmatch(r"[0-9]{6}", code):
        wrong.append(term("plugin code", name=code))
    if wrong:  # each option is written into Python, TOML and YAML files as it is
        raise ValueError("\n".join(wrong))
    year = year or datetime.date.today().year
    distribution = f"rubriceng-{name}"
    package = "rubriceng_" + name.replace("-", "_")
    entry_point = name.replace("-", "_")
    rubric_id = rubric_id or f"local.{name}/dept-overall"
    root = directory / distribution
    if root.exists():
        raise FileExistsError(term("plugin exists", name=root))
    values = {
        "distribution": distribution,
        "package": package,
        "entry_point": entry_point,
        "rubric_id": rubric_id,
        "level": level,
        "region": region,
        "code": code,
        "year": str(year),
    }
    files = {
        root / "pyproject.toml": _PYPROJECT,
        root / "README.md": _README,
        root / "src" / package / "__init__.py": _INIT,
        root / "src" / package / "rubrics" / f"dept-overall-{year}.yaml": _RUBRIC,
        root / "src" / package / "tests" / f"test_dept_overall_{year}.yaml": _CASES,
    }
    texts: dict[Path, str] = {}
    for path, template in files.items():
        text = template
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        texts[path] = text
    if table is not None:
        rubric_path = root / "src" / package / "rubrics" / f"dept-overall-{year}.yaml"
        cases_path = root / "src" / package / "tests" / f"test_dept_overall_{year}.yaml"
        texts[rubric_path], texts[cases_path] = _from_table(
            table, rubric_id, str(year), level, region
        )
    for path, text in texts.items():
        make_folder(path.parent)
        with replacing(path) as written:
            written.write_text(text, encoding="utf-8")
    return Skeleton(root, distribution, package, entry_point, rubric_id, tuple(files))


def _from_table(table: Path, rubric_id: str, year: str, level: str, region: str) -> tuple[str, str]:
    """The rubric imported from ``table`` (in force from ``year``), and a test case that
    scores a unit with every judgement at full marks."""
    import json

    from rubriceng.authoring.tableimport import import_table
    from rubriceng.methods.unit_defined import split_evenly

    imported = import_table(table, rubric_id=rubric_id, version=year, level=level, region=region)
    version = f'version: "{year}"\n'
    text = imported.text.replace(version, f"{version}in_force: {{from: {year}}}\n", 1)
    inputs: dict[str, Any] = {}

    def full_marks(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if "children" in node:
                full_marks(node["children"])
            elif "unit_defined" in node:
                shares = split_evenly(Decimal(node["points"]), 2)
                inputs[node["id"]] = [
                    {"name": f"自设指标{index}", "score": str(share), "reason": "满分"}
                    for index, share in enumerate(shares, start=1)
                ]
            else:
                inputs[node["id"]] = {"score": str(node["points"]), "reason": "满分"}

    full_marks(imported.rubric["indicators"])
    for adjustment in imported.rubric.get("adjustments", ()):
        inputs[adjustment["id"]] = 0
    total = imported.rubric["total"]
    lines = [
        f"rubric: {rubric_id}@{year}",
        "cases:",
        "  - name: every judgement at full marks",
        "    unit: 示例单位",
        "    inputs:",
        *(f"      {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in inputs.items()),
        "    expected:",
        f"      total: {total}",
    ]
    return text, "\n".join(lines) + "\n"


_PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "{distribution}"
version = "0.1.0"
description = "rubriceng rubrics of {region}"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["rubriceng>=0.1"]

[project.entry-points.rubriceng]
{entry_point} = "{package}"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
{package} = ["rubrics/*.yaml", "tests/*.yaml"]
"""

_README = """\
# {distribution}

Rubrics of {region} for rubriceng.

    pip install -e .
    rubriceng plugins                    # {entry_point} is listed with its rubric
    rubriceng show {rubric_id}
    rubriceng test src/{package}/tests   # the rule-author test cases
"""

_INIT = '''\
"""{region}: 部门整体支出绩效自评 rubrics for rubriceng."""

from rubriceng.plugin import data_hooks

rubriceng_rubrics, rubriceng_test_cases = data_hooks(__file__)
'''

_RUBRIC = """\
# A starting point: replace the indicators with those of your published table, keep
# every ambiguity's reading in the indicator's notes, and say in provenance where the
# points and rules come from.
id: {rubric_id}
version: "{year}"
title: {region}部门整体支出绩效自评指标评分表
level: {level}
region: {name: {region}, code: "{code}"}
in_force: {from: {year}}
provenance:
  basis: reconstructed
  sources: [在此写明已发布的评分表或报告]
  reasoning: 这是 rubriceng new-plugin 生成的骨架，请换成你们的评分表。
  reasoning_en: A skeleton written by rubriceng new-plugin; replace it with your table.
total: 100
rounding: {digits: 2, mode: half_up}
grades:
  - {name: 优, min: 90}
  - {name: 良, min: 80}
  - {name: 中, min: 60}
  - {name: 差, min: 0}

inputs:
  revenue_final: {type: money, unit: 万元, label: 收入决算数}
  revenue_budget: {type: money, unit: 万元, label: 收入调整预算数}
  spending: {type: money, unit: 万元, label: 本年支出}
  has_projects: {type: boolean, label: 本年度有项目支出}
  projects_on_time: {type: count, label: 按时完成的项目数}
  projects_total: {type: count, label: 项目总数}

indicators:
  - id: budget_management
    name: 预算管理
    points: 50
    children:
      - id: budget_variance
        name: 预决算差异率
        points: 20
        standard: 差异率=|决算数-预算数|÷预算数，每满5%扣2分，扣完为止。
        notes: 「每满5%」按每个完整的 5% 理解（差异 5% 扣 2 分，4.9% 不扣）。
        notes_en: 每满5% is read as each full 5% (a variance of 5% costs 2 points, 4.9% none).
        value: abs(revenue_final - revenue_budget) / revenue_budget
        steps: {size: 0.05, deduct: 2, count: full}
      - id: execution_rate
        name: 预算执行率
        points: 30
        ratio: {actual: spending, target: revenue_final}
  - id: effectiveness
    name: 预算使用效益
    points: 50
    children:
      - id: goals_set
        name: 绩效目标设置
        points: 20
        checklist:
          - {id: reflects_duties, name: 绩效目标体现部门职能, points: 10}
          - {id: measurable, name: 绩效指标清晰、可衡量, points: 10}
      - id: project_timeliness
        name: 项目完成及时性
        points: 30
        applies: has_projects
        not_applicable: {strategy: proportional, to: [goals_set]}
        ratio: {actual: projects_on_time, target: projects_total}
"""

_CASES = """\
rubric: {rubric_id}@{year}
cases:
  - name: a unit that meets every criterion but spends 95% of its revenue
    unit: 示例单位
    inputs:
      revenue_final: 1000
      revenue_budget: 1000
      spending: 950
      has_projects: true
      projects_on_time: 4
      projects_total: 4
      goals_set: {reflects_duties: true, measurable: true}
    expected:
      total: 98.50
      grade: 优
      indicators:
        budget_variance: 20
        execution_rate: 28.50
        goals_set: 20
        project_timeliness: 30

  - name: without projects, their 30 points go to 绩效目标设置
    unit: 示例单位
    inputs:
      revenue_final: 1000
      revenue_budget: 1100
      spending: 1000
      has_projects: false
      goals_set: {reflects_duties: true, measurable: false}
    expected:
      total: 73.00
      indicators:
        budget_variance: 18               # 100 / 1100 = 9.1%: one full 5% step
        execution_rate: 30
        goals_set: {score: 25.00, effective_points: 50.00}
        project_timeliness: {status: not_applicable}
"""
