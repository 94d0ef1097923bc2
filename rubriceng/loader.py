"""Loading rubrics and unit inputs from files, mappings or rubric ids."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from rubriceng.compiler import compile_rubric
from rubriceng.documents import Document, DocumentError, from_mapping, from_path
from rubriceng.engine import Plan
from rubriceng.errors import InputError, Problem, RubricError, RubricNotFoundError
from rubriceng.expressions import BUILTIN_FUNCTIONS
from rubriceng.methods import BUILTIN_METHODS, Method
from rubriceng.model import Rubric

RUBRIC_SUFFIXES = (".yaml", ".yml", ".json")
SEARCH_PATH_VARIABLE = "RUBRICENG_PATH"


def load_rubric(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    methods: Mapping[str, Method] = BUILTIN_METHODS,
    functions: Mapping[str, Callable[..., Any]] = BUILTIN_FUNCTIONS,
) -> Rubric:
    """Load, validate and compile a rubric from a YAML/JSON file or a mapping.

    Every formula is parsed here, once. Raises :class:`RubricError` listing every problem,
    each with its file, line and path in the document.

    >>> rubric = load_rubric({
    ...     "id": "example", "version": "1", "title": "Example", "total": 10,
    ...     "inputs": {"done": {"type": "count"}, "planned": {"type": "count"}},
    ...     "indicators": [{"id": "completion", "name": "完成率", "points": 10,
    ...                     "ratio": {"actual": "done", "target": "planned"}}],
    ... })
    >>> rubric.indicator("completion").points
    Decimal('10.00')
    """
    try:
        document = _read(source)
    except DocumentError as error:
        raise RubricError(f"cannot read rubric {_name(source)}", error.problems) from None
    rubric = compile_rubric(document, methods, functions)
    return _with_plan(rubric, functions)


def _with_plan(rubric: Rubric, functions: Mapping[str, Callable[..., Any]]) -> Rubric:
    plan = Plan(rubric, functions)
    planned = attrs.evolve(rubric, plan=plan)
    plan.rubric = planned
    return planned


def _read(source: str | os.PathLike[str] | Mapping[str, Any]) -> Document:
    if isinstance(source, Mapping):
        return from_mapping(source, "<mapping>")
    return from_path(Path(source))


def _name(source: Any) -> str:
    return "<mapping>" if isinstance(source, Mapping) else str(source)


@attrs.frozen
class UnitInputs:
    """A unit's inputs as read from a file: the unit's name, the values, the document."""

    unit: str | None
    inputs: Mapping[str, Any]
    document: Document | None = None


def load_inputs(source: str | os.PathLike[str] | Mapping[str, Any]) -> UnitInputs:
    """Read a unit's inputs: ``{unit: name, inputs: {...}}`` from YAML/JSON or a mapping."""
    try:
        document = _read(source)
    except DocumentError as error:
        raise InputError(f"cannot read inputs {_name(source)}", error.problems) from None
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
        unknown = sorted(set(data) - {"unit", "inputs", "notes"})
        problems += [document.problem("input-form", "unknown key", (key,)) for key in unknown]
        if data.get("unit") is not None and not isinstance(data["unit"], str):
            problems.append(document.problem("input-form", "'unit' must be text", ("unit",)))
    if problems:
        raise InputError(f"cannot read inputs {_name(source)}", problems)
    return UnitInputs(data.get("unit"), data["inputs"], document)


def search_path() -> list[Path]:
    """Folders searched for rubric ids: ``$RUBRICENG_PATH`` then ``./rubrics``."""
    folders = [
        Path(part) for part in os.environ.get(SEARCH_PATH_VARIABLE, "").split(os.pathsep) if part
    ]
    return [*folders, Path("rubrics")]


def _candidates(folders: list[Path]) -> Iterator[Path]:
    for folder in folders:
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.suffix in RUBRIC_SUFFIXES and file.is_file():
                    yield file


def find_rubric(reference: str) -> Rubric:
    """Load a rubric by file path, by id, or by ``id@version`` from :func:`search_path`."""
    if Path(reference).suffix in RUBRIC_SUFFIXES or Path(reference).is_file():
        return load_rubric(reference)
    wanted, _, version = reference.partition("@")
    matches = []
    for file in _candidates(search_path()):
        try:
            data = from_path(file).data
        except DocumentError:
            continue
        if (
            isinstance(data, dict)
            and data.get("id") == wanted
            and (not version or str(data.get("version")) == version)
        ):
            matches.append((str(data.get("version")), file))
    if not matches:
        folders = ", ".join(str(folder) for folder in search_path())
        raise RubricNotFoundError(
            f"no rubric {reference!r}",
            [
                Problem(
                    "rubric-not-found", f"no file or rubric id {reference!r} (searched {folders})"
                )
            ],
        )
    return load_rubric(max(matches)[1])
