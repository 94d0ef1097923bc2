"""Loading rubrics and unit inputs from files, mappings or rubric ids."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from rubriceng.decimals import isolated
from rubriceng.errors import InputError
from rubriceng.host.registry import Registry, default_registry
from rubriceng.language.documents import UnitInputs, is_workbook, name_of, read_input
from rubriceng.language.model import Rubric


@isolated
def load_rubric(
    source: str | os.PathLike[str] | Mapping[str, Any], *, registry: Registry | None = None
) -> Rubric:
    """Load, validate and compile a rubric from a YAML/JSON file or a mapping.

    Every formula is parsed here, once. The scoring methods, formula functions and input
    types are those of ``registry`` (default: :func:`default_registry`, the installed
    plugins). A rubric that ``extends`` another is merged with it first. Raises
    :class:`RubricError` listing every problem, each with its file, line and path.

    >>> rubric = load_rubric({
    ...     "id": "example", "version": "1", "title": "Example", "total": 10,
    ...     "inputs": {"done": {"type": "count"}, "planned": {"type": "count"}},
    ...     "indicators": [{"id": "completion", "name": "完成率", "points": 10,
    ...                     "ratio": {"actual": "done", "target": "planned"}}],
    ... })
    >>> rubric.indicator("completion").points
    Decimal('10.00')
    """
    return (registry or default_registry()).load_rubric(source)


@isolated
def find_rubric(
    reference: str, *, year: int | None = None, registry: Registry | None = None
) -> Rubric:
    """Load a rubric by file path, by ``id`` or by ``id@version``.

    By id alone: the version in force in ``year`` (the last day of it), or the latest.

    >>> find_rubric("cn/dept-overall-framework", year=2024).ref
    'cn/dept-overall-framework@2020'
    >>> find_rubric("cn/project-self-evaluation@2020").title
    '项目支出绩效自评表'
    """
    return (registry or default_registry()).load(reference, year=year)


@isolated
def load_inputs(source: str | os.PathLike[str] | Mapping[str, Any]) -> UnitInputs:
    """Read a unit's inputs: ``{unit: name, inputs: {...}}`` from YAML/JSON or a mapping,
    or a filled-in input form (``.xlsx``, written by ``rubriceng template``).

    >>> unit = load_inputs({"unit": "某单位", "inputs": {"done": 7}})
    >>> unit.unit, dict(unit.inputs)
    ('某单位', {'done': 7})
    """
    if is_workbook(source):
        from rubriceng.outputs.spreadsheet import read_inputs

        return read_inputs(source)
    document = read_input(source, "inputs")
    data = document.data
    problems = []
    if not isinstance(data, dict) or not isinstance(data.get("inputs"), dict):
        problems.append(
            document.problem(
                "input-form",
                "an inputs file is a mapping with 'inputs' (and optionally 'unit')",
                (),
            )
        )
    else:
        unknown = sorted(set(data) - {"unit", "inputs", "notes", "rubric"})
        problems += [document.problem("input-form", "unknown key", (key,)) for key in unknown]
        if data.get("unit") is not None and not isinstance(data["unit"], str):
            problems.append(document.problem("input-form", "'unit' must be text", ("unit",)))
        if data.get("rubric") is not None and not isinstance(data["rubric"], str):
            problems.append(document.problem("input-form", "'rubric' must be text", ("rubric",)))
    if problems:
        raise InputError(f"cannot read inputs {name_of(source)}", problems)
    return UnitInputs(data.get("unit"), data["inputs"], document, data.get("rubric") or None)
