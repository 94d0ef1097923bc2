"""Forms back: the units of one batch, read from any mix of the files units return.

A bureau sends out forms and gets back a folder of them. :func:`read_returns` takes files
and folders and reads, for one rubric:

- single-unit forms: the ``.xlsx`` form of ``rubriceng template`` (or the inputs sheet of
  a scored 指标评分表), and ``.yaml``/``.json`` inputs files;
- batch tables, one unit per row (``.xlsx``, ``.csv`` in UTF-8 or GB18030, ``.parquet``):
  columns headed by input ids (``revenue_final``), by the inputs' Chinese labels, with or
  without their unit (``财政拨款收入决算数（万元）``), or both in two heading rows — the
  batch form of ``rubriceng template --batch`` and the score sheets rubriceng writes.

Columns it does not know are warnings that name them (a unit's own 备注 column fails
nobody); score columns of rubriceng's own outputs are passed over. A rate may be typed
with its percent sign (``95%`` is 0.95). Everything else is refused at once, every problem
listed, nothing scored: a unit returned twice (both places named), a file it cannot read,
a form made for another version of the rubric.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.errors import InputError, Problem, RubricengError
from rubriceng.inputs.files import (
    blank_cells,
    csv_rows,
    formula_problems,
    is_blank,
    open_workbook,
    parquet_rows,
    sheet_rows,
)
from rubriceng.inputs.types import COERCIONS
from rubriceng.language.documents import UnitInputs
from rubriceng.language.model import Rubric
from rubriceng.language.paths import (
    Field,
    blank_target_lists,
    fields,
    names,
    nest,
    nest_keys,
    segments,
)
from rubriceng.loader import load_inputs
from rubriceng.outputs.words import BATCH_FORM_WORDS, SUMMARY_WORDS
from rubriceng.scoring.result import Batch, UnitFailure

__all__ = [
    "FORMS",
    "TABLES",
    "Intake",
    "Returned",
    "check_version",
    "files_of",
    "other_version",
    "read_returns",
    "returned_form",
    "rubric_for",
    "unit_key",
]

FORMS = (".yaml", ".yml", ".json")
"""Suffixes of single-unit inputs files (an ``.xlsx`` may be a form or a table)."""

TABLES = (".xlsx", ".xlsm", ".csv", ".parquet")
"""Suffixes of batch tables."""

_UNIT_HEADINGS = frozenset({"unit", "单位", "单位名称", "unitname"})
_PERCENT = re.compile(r"\s*([+-]?\d+(?:\.\d+)?)\s*[%％]\s*")


@attrs.frozen
class Returned:
    """One unit as returned: its name, nested inputs, the file (and row, in a table) it
    came from, and the rubric (``id@version``) its form was made for, if recorded."""

    unit: str
    inputs: Mapping[str, Any]
    source: str
    row: int | None = None
    rubric: str | None = None

    def where(self) -> str:
        """``file`` or ``file:row``."""
        return self.source if self.row is None else f"{self.source}:{self.row}"

    def problem(self, code: str, message: str, **params: Any) -> Problem:
        """A problem of this unit, located where it was returned."""
        return Problem(
            code, message, file=self.source, line=self.row, unit=self.unit, params=params
        )


@attrs.frozen
class Intake:
    """What a folder of returns holds: the units, in the order read, and the warnings
    (unknown columns) that did not stop them."""

    units: tuple[Returned, ...]
    warnings: tuple[Problem, ...] = ()

    def named(self) -> dict[str, Mapping[str, Any]]:
        """``{unit: inputs}``, for :func:`rubriceng.evaluate_many`."""
        return {unit.unit: unit.inputs for unit in self.units}

    def locate(self, batch: Batch) -> Batch:
        """``batch`` (scored from :meth:`named`) with each failure's problems naming the
        file, and the row of a table, the unit came from."""
        places = {unit.unit: unit for unit in self.units}
        failures = []
        for failure in batch.failures:
            place = places.get(failure.unit)
            if place is None:
                failures.append(failure)
                continue
            located = [
                attrs.evolve(problem, file=place.source, line=place.row)
                if problem.file is None
                else problem
                for problem in failure.problems
            ]
            error = type(failure.error)(failure.error.summary, located)
            failures.append(UnitFailure(failure.unit, error))
        return Batch(batch.results, tuple(failures))

    def recorded(self) -> set[str]:
        """The rubric versions the returned forms say they were made for."""
        return {unit.rubric for unit in self.units if unit.rubric}


MAX_ENTRIES = 200_000
"""A folder of returns is walked no further than this many entries (files and folders)."""


def files_of(
    paths: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()
) -> list[Path]:
    """The files ``paths`` name: a file as given, a folder's forms and tables (all levels
    down, in name order; symbolic links to folders are not followed), leaving out hidden
    files and Excel's ``~$`` lock files, and whatever is in ``exclude`` (a batch's own
    output, written into the folder it reads). A folder of more than
    :data:`MAX_ENTRIES` entries is refused before any is read."""
    left_out = [Path(path).resolve() for path in exclude]

    def kept(item: Path) -> bool:
        where = item.resolve()
        return not any(where == path or path in where.parents for path in left_out)

    found: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            if kept(path):
                found.append(path)
            continue
        chosen = []
        for seen, item in enumerate(path.rglob("*"), start=1):
            if seen > MAX_ENTRIES:
                raise InputError(
                    f"cannot read units {path}",
                    [
                        Problem(
                            "table-too-large",
                            f"more than {MAX_ENTRIES} entries in the folder",
                            file=str(path),
                            params=None,
                        )
                    ],
                )
            if (
                item.suffix.lower() in FORMS + TABLES
                and item.is_file()
                and not any(part.startswith((".", "~$")) for part in item.relative_to(path).parts)
                and kept(item)
            ):
                chosen.append(item)
        found.extend(sorted(chosen))
    return found


class _Columns:
    """How a table's headings map to a rubric's input paths."""

    def __init__(self, rubric: Rubric) -> None:
        self.inputs = {spec.id for spec in rubric.inputs} | {
            field.input for field in fields(rubric)
        }
        self.by_heading: dict[str, str] = {}
        self.rates = {field.path for field in fields(rubric) if field.kind == "rate"}
        schema = rubric.needs.schema if rubric.needs is not None else {}
        self.coercions = {
            field.path: coercion
            for field in fields(rubric)
            if (coercion := _coercion_at(schema, segments(field.path))) is not None
        }
        """How the input checker reads a text cell at each path (a number, true/false)."""
        for field in fields(rubric):
            for heading in _headings(field):
                self.by_heading.setdefault(_key(heading), field.path)
        words = [SUMMARY_WORDS[lang] for lang in ("zh", "en")]
        outputs = {
            "subtotal",
            "total",
            "grade",
            "rank",
            *names(rubric),
            *names(rubric).values(),
            *names(rubric, "en").values(),
        }
        for table in words:
            outputs |= {table[key] for key in ("total", "grade", "subtotal", "rank")}
        self.outputs = {_key(name) for name in outputs}

    def path(self, heading: str) -> str | None:
        """The input path a heading names; "" for the unit's name; None if unknown."""
        key = _key(heading)
        if key in _UNIT_HEADINGS or key in {_key(w["unit"]) for w in BATCH_FORM_WORDS.values()}:
            return ""
        if heading in self.by_heading.values() or str(segments(heading)[0]) in self.inputs:
            return heading
        return self.by_heading.get(key)

    def is_output(self, heading: str) -> bool:
        """True for a column rubriceng writes with scores (total, grade, an indicator)."""
        return _key(heading) in self.outputs


def _headings(field: Field) -> list[str]:
    """The headings a column of ``field`` may carry: its label, with its unit or %."""
    found = [field.label, field.heading("zh")]
    if field.label_en:
        found += [field.label_en, field.heading("en")]
    return found


def unit_key(name: str) -> str:
    """A unit's name as names are compared: full-width forms folded and spaces dropped
    (``市 财政局`` is ``市财政局``), case kept."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _key(text: str) -> str:
    """A heading as compared: as a unit's name is (:func:`unit_key`), and case dropped."""
    return unit_key(text).lower()


def _value(cell: Any, rate: bool, coerce: Callable[[Any], Any] | None = None) -> Any:
    """A table cell as an input value: text trimmed, and a rate's ``95%`` is 0.95 (a
    target's text, ``≥95%``, stays text); text the input checker would read as a number
    or as true/false (a CSV's ``1.0``, ``False``) read so here, by the same coercion,
    and text it would refuse left as it is, for the checker to report."""
    if isinstance(cell, str):
        found = _PERCENT.fullmatch(cell) if rate else None
        if found:
            return Decimal(found.group(1)).scaleb(-2)
        text = cell.strip()
        if coerce is not None:
            try:
                return coerce(text)
            except (ValueError, ArithmeticError, TypeError):
                return text
        return text
    return cell


def _coercion_at(
    schema: Mapping[str, Any], keys: Sequence[str | int]
) -> Callable[[Any], Any] | None:
    """The coercion the input rules ``schema`` give the value at ``keys`` (an input, a
    part of it, an item of a list), or None."""
    rules = schema.get(str(keys[0]))
    for key in keys[1:]:
        if not isinstance(rules, Mapping) or not isinstance(rules.get("schema"), Mapping):
            return None
        if rules.get("type") == "list" and isinstance(key, int):
            rules = rules["schema"]
        elif rules.get("type") == "dict" and isinstance(key, str):
            rules = rules["schema"].get(key)
        else:
            return None
    name = rules.get("coerce") if isinstance(rules, Mapping) else None
    return COERCIONS.get(name) if isinstance(name, str) else None


@isolated
def read_returns(
    rubric: Rubric,
    paths: Sequence[str | os.PathLike[str]],
    *,
    progress: Callable[[int], object] | None = None,
    exclude: Sequence[str | os.PathLike[str]] = (),
) -> Intake:
    """The units in ``paths`` (files and folders of forms and tables) for ``rubric``,
    leaving out ``exclude`` (see :func:`files_of`).

    Raises :class:`~rubriceng.errors.InputError` listing every problem at once: a file
    it cannot read, a unit returned twice (both places named), a form made for another
    version of the rubric. ``progress(n)`` is told the number of files read so far.
    """
    columns = _Columns(rubric)
    units: list[Returned] = []
    warnings: list[Problem] = []
    problems: list[Problem] = []
    files = files_of(paths, exclude)
    for done, path in enumerate(files, start=1):
        try:
            units.extend(_read(path, columns, rubric, warnings))
        except RubricengError as error:
            problems.extend(error.problems)
        if progress is not None:
            progress(done)
    seen: dict[str, Returned] = {}
    for unit in units:  # one name as a person reads it: 市财政局 is 市 财政局, ｜ is |
        first = seen.setdefault(unit_key(unit.unit), unit)
        if first is not unit:
            where = first.where()
            problems.append(
                unit.problem("unit-duplicate", f"also returned in {where}", other=where)
            )
        if unit.rubric and unit.rubric != rubric.ref:
            problems.append(_other_version(unit, rubric))
    if not units and not problems:  # rows of names alone, or nothing at all
        problems = [warning for warning in warnings if warning.code == "unit-blank"]
    if not units and not problems:
        problems.append(
            Problem(
                "input-form",
                "no unit in the forms and tables given",
                file=", ".join(map(str, paths)) or None,
            )
        )
    if problems:
        raise InputError(f"cannot read the returned forms ({len(files)} files)", problems)
    return Intake(tuple(units), tuple(warnings))


def rubric_for(
    named: str, paths: Sequence[str | os.PathLike[str]], load: Callable[[str], Rubric]
) -> Rubric:
    """The rubric to score returned forms with: ``named`` (loaded with ``load``); but
    where ``named`` is a bare id (no ``@version``) and the first returned form records a
    version of it, that version — a form is scored by the rubric it was made for, not by
    whichever is newest."""
    if "@" in named or Path(named).suffix.lower() in FORMS or Path(named).exists():
        return load(named)
    for path in files_of(paths):
        recorded = _recorded(path)
        if recorded is not None:
            return load(recorded) if recorded.split("@")[0] == named else load(named)
    return load(named)


def _recorded(path: Path) -> str | None:
    """The rubric a form records, for a form; None for a table, or a file not readable
    (read again, and reported, by :func:`read_returns`)."""
    suffix = path.suffix.lower()
    try:
        if suffix in FORMS:
            return load_inputs(path).rubric
        if suffix in (".xlsx", ".xlsm"):
            book = open_workbook(path, "inputs")
            try:
                form = _form_in(book, str(path))  # its cells are checked when it is read
                return None if form is None else form.rubric
            finally:
                book.close()
    except RubricengError:
        return None
    return None


def _form_in(book: Any, source: str, path: Path | None = None) -> UnitInputs | None:
    """The unit's form a workbook holds (its inputs sheet), or None for a table; given
    its ``path``, blank cells holding formulas are looked for. (The spreadsheet code is
    loaded with the first workbook, not by every command.)"""
    from rubriceng.outputs.spreadsheet import INPUTS_SHEETS, inputs_of_book

    named = any(name in book.sheetnames for name in INPUTS_SHEETS)
    return inputs_of_book(book, source, path) if named else None


def check_version(rubric: Rubric, returned: Returned) -> None:
    """Refuse to score ``returned`` with ``rubric`` if its form was made for another
    version (:class:`~rubriceng.errors.InputError` with a hint)."""
    if returned.rubric and returned.rubric != rubric.ref:
        raise InputError(f"cannot score {returned.source}", [_other_version(returned, rubric)])


def other_version(recorded: str, rubric: Rubric, **where: Any) -> Problem:
    """The problem of a form (or review) made for the rubric version ``recorded`` that is
    given to another, ``rubric``; ``where`` locates it (file, line, unit)."""
    return Problem(
        "form-rubric",
        f"this form was made for {recorded}, not {rubric.ref}: score it with the version "
        "it names, or have the unit fill a form of the new one",
        params={"recorded": recorded, "named": rubric.ref},
        **where,
    )


def _other_version(unit: Returned, rubric: Rubric) -> Problem:
    return other_version(str(unit.rubric), rubric, file=unit.source, line=unit.row, unit=unit.unit)


def _read(path: Path, columns: _Columns, rubric: Rubric, warnings: list[Problem]) -> list[Returned]:
    suffix = path.suffix.lower()
    source = str(path)
    if suffix in FORMS:
        return _filled(returned_form(load_inputs(path), path), warnings)
    if suffix == ".csv":
        rows = list(enumerate(csv_rows(path, "units"), start=1))
    elif suffix == ".parquet":
        rows = list(enumerate(parquet_rows(path, "units"), start=1))
    elif suffix in (".xlsx", ".xlsm"):
        book = open_workbook(path, "units")
        try:
            form = _form_in(book, source, path)
            if form is not None:
                return _filled(returned_form(form, path), warnings)
            sheet = next(
                (
                    book[name]
                    for name in (BATCH_FORM_WORDS["zh"]["sheet"], BATCH_FORM_WORDS["en"]["sheet"])
                    if name in book.sheetnames
                ),
                book.worksheets[0],
            )
            rows = list(sheet_rows(sheet, source, "units"))
            title = sheet.title
        finally:
            book.close()
        formulas = formula_problems(path, "units", blank_cells(title, rows))
        if formulas:  # a table written by a script: its formulas read as blank cells
            raise InputError(f"cannot read units {path}", formulas)
    else:
        raise InputError(
            f"cannot read units {path}",
            [
                Problem(
                    "input-form",
                    "units are read from .xlsx, .csv or .parquet tables, or .yaml or .json forms",
                    file=source,
                )
            ],
        )
    return _table(rows, source, columns, rubric, warnings)


def returned_form(read: UnitInputs, path: str | os.PathLike[str]) -> Returned:
    """A single-unit form as returned (a form without a unit's name is named by its file)."""
    path = Path(path)
    return Returned(read.unit or path.stem, read.inputs, str(path), None, read.rubric)


def _table(
    rows: Sequence[tuple[int, Sequence[Any]]],
    source: str,
    columns: _Columns,
    rubric: Rubric,
    warnings: list[Problem],
) -> list[Returned]:
    rows = [(number, row) for number, row in rows if not all(map(is_blank, row))]
    if not rows:
        return []
    header, start = _header(rows, columns)
    unknown = [
        name
        for name in header.values()
        if name is not None and columns.path(name) is None and not columns.is_output(name)
    ]
    if unknown:
        warnings.append(
            Problem(
                "column-unknown",
                f"columns not in {rubric.ref}, left out: {', '.join(unknown)}",
                file=source,
                params={"columns": "、".join(unknown), "rubric": rubric.ref},
            )
        )
    paths = {index: columns.path(name) for index, name in header.items()}
    try:  # two columns for one input (a label and its id), or an input and its part
        nest((path, None) for path in paths.values() if path)
    except ValueError as error:
        raise InputError(
            f"cannot read units {source}",
            [Problem("input-form", str(error), file=source, line=rows[start - 1][0])],
        ) from None
    totals = {_key(words["total"]) for words in SUMMARY_WORDS.values()} | {"total"}
    if not any(paths.values()) or any(_key(name) in totals for name in header.values()):
        raise InputError(
            f"cannot read units {source}",
            [
                Problem(
                    "input-form",
                    f"no column names an input of {rubric.ref}: a table of scores, or "
                    "of another rubric?",
                    file=source,
                    line=rows[start - 1][0],
                )
            ],
        )
    unit_at = next((index for index, path in paths.items() if path == ""), None)
    blanks = blank_target_lists(rubric, [path for path in paths.values() if path])
    found: list[Returned] = []
    reading = [  # each column's path, split once, and how its cells are read
        (index, segments(path), path, path in columns.rates, columns.coercions.get(path))
        for index, path in paths.items()
        if path
    ]
    for number, row in rows[start:]:
        given = len(row)
        nested = nest_keys(
            (keys, _value(row[index], rate, coerce), path)
            for index, keys, path, rate, coerce in reading
            if index < given and not is_blank(row[index])
        )
        name = row[unit_at] if unit_at is not None and unit_at < given else None
        unit = str(name).strip() if not is_blank(name) else f"{Path(source).name}:{number}"
        found += _filled(Returned(unit, {**blanks, **nested}, source, number), warnings, nested)
    return found


def _filled(
    returned: Returned, warnings: list[Problem], given: Mapping[str, Any] | None = None
) -> list[Returned]:
    """``[returned]``, or none when it gives nothing but the unit's name (``given``: what
    its cells gave): a form sent out with the name in and not filled in, told, not scored
    as a unit missing every value."""
    if given if given is not None else returned.inputs:
        return [returned]
    warnings.append(
        returned.problem("unit-blank", "names the unit and fills in nothing: not scored")
    )
    return []


def _header(
    rows: Sequence[tuple[int, Sequence[Any]]], columns: _Columns
) -> tuple[dict[int, str], int]:
    """The headings by column, and where the units begin: a table may have a row of
    labels over a row of ids (rubriceng's own), or either alone."""

    def named(row: Sequence[Any]) -> dict[int, str]:
        return {index: str(cell).strip() for index, cell in enumerate(row) if not is_blank(cell)}

    def known(found: Mapping[int, str]) -> bool:
        return bool(found) and all(
            columns.path(name) is not None or columns.is_output(name) for name in found.values()
        )

    first = named(rows[0][1])
    if len(rows) > 1:
        second = named(rows[1][1])
        if known(second) and sum(columns.path(name) == name for name in second.values()) >= 1:
            return second, 2  # labels over ids: the ids decide
        if known(second) and known(first):
            return first, 2
    return first, 1
