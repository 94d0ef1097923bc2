"""Reading spreadsheets and table files (``.xlsx``, ``.csv``, ``.parquet``) within bounds.

A unit's form, a batch of units and a 绩效目标 workbook come from outside, so each is
checked before it is read and while it is read:

- the file is a regular file of at most :data:`MAX_TABLE_BYTES`;
- a workbook is a zip archive whose members unpack to at most :data:`MAX_UNPACKED_BYTES`
  (a zip bomb is refused before openpyxl opens it), and its sheets are read by their
  real extent, never the extent they declare (a 5 KB file may declare ``XFD1048576``);
- a sheet or table has at most :data:`MAX_ROWS` rows, :data:`MAX_COLUMNS` columns and
  :data:`MAX_CELLS` cells with a value;
- a CSV is UTF-8 (with or without BOM) or, failing that, GB18030 (what Excel writes on
  Chinese Windows); a field longer than the csv module's limit is refused with its line;
- a table read with its layout (a published 指标评分表, by ``import-table``) spans at most
  :data:`MAX_LAID_OUT_CELLS` cells, its merged cells included, and a sheet has at most
  :data:`MAX_LAID_OUT_RANGES` merged ranges and :data:`MAX_LAID_OUT_LINKS` links:
  checked in the workbook's XML before openpyxl makes a cell object for every cell a
  range covers (a 2 KB file may merge ``A1:XFD1048576``), and in a Word table's rows as
  they are read;
- a broken or truncated workbook or parquet file is refused, never a traceback.

Every refusal is an :class:`~rubriceng.errors.InputError` naming the file, and the row
where there is one.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from xml.parsers import expat

from rubriceng.errors import InputError, Problem
from rubriceng.language.documents import DocumentError, read_bounded
from rubriceng.sanitize import csv_text

MAX_TABLE_BYTES = 50 * 1024 * 1024
"""The largest table file read (a workbook, CSV or parquet file)."""
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
"""The most a workbook's archive may unpack to."""
MAX_ROWS = 100_000
"""The most rows a sheet or table may have (its real extent)."""
MAX_COLUMNS = 2_000
"""The most columns a row may reach."""
MAX_CELLS = 5_000_000
"""The most cells with a value in one sheet or table."""


def _refuse(what: str, source: str, code: str, message: str, line: int | None = None) -> InputError:
    problem = Problem(code, message, file=source, line=line)
    return InputError(f"cannot read {what} {source}", [problem])


def _checked_bytes(path: str | os.PathLike[str], what: str) -> bytes:
    try:
        return read_bounded(path, MAX_TABLE_BYTES)
    except DocumentError as error:
        raise InputError(f"cannot read {what} {path}", error.problems) from None
    except OSError as error:
        message = error.strerror or str(error)
        raise _refuse(what, str(path), "document-unreadable", message) from None


def _checked_archive(
    path: str | os.PathLike[str], what: str, kind: str, limit: int = MAX_UNPACKED_BYTES
) -> bytes:
    """The bytes of a checked zip container (.xlsx, .docx): bounded packed and unpacked."""
    source = str(path)
    data = _checked_bytes(path, what)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise _refuse(what, source, "input-form", f"not {kind}: {error}") from None
    if unpacked > limit:
        raise _refuse(
            what, source, "table-too-large", f"the file unpacks to more than {limit} bytes"
        )
    return data


MAX_LAID_OUT_BYTES = 32 * 1024 * 1024
"""A table read whole, with its layout (merged cells): a published rubric is far smaller."""
MAX_LAID_OUT_CELLS = 50_000
"""The most cells a table read with its layout may span (rows × columns, merged cells
included): a published rubric spans a few thousand."""
MAX_LAID_OUT_RANGES = 1_000
"""The most merged ranges one sheet read with its layout may have."""
MAX_LAID_OUT_LINKS = 50
"""The most links one sheet read with its layout may have (openpyxl looks each up among
the merged ranges)."""

_CELL_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,9})")


def _cell_at(reference: str) -> tuple[int, int] | None:
    """``(row, column)`` of an A1 reference, or None for anything else."""
    found = _CELL_REFERENCE.fullmatch(reference.strip())
    if found is None:
        return None
    column = 0
    for letter in found.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(found.group(2)), column


class _Extent:
    """How far a worksheet's XML reaches, counted as openpyxl places its cells: the last
    row and column of any cell, merged range or link, and how many ranges it has."""

    def __init__(self) -> None:
        self.row = self.column = 0  # where openpyxl's reader is
        self.rows = self.columns = 0
        self.merges = self.links = 0
        self.noted = (0, 0)  # how far comments reach (a part of their own, for some sheet)

    def reach(self, row: int, column: int) -> None:
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "row":
            try:
                self.row = int(float(attributes["r"]))
            except (KeyError, ValueError, OverflowError):
                self.row += 1
            self.column = 0
        elif local == "c":
            at = _cell_at(attributes.get("r", ""))
            if at is None:
                self.column += 1
                at = (self.row, self.column)
            else:
                self.column = at[1]
            self.reach(*at)
        elif local in ("mergeCell", "hyperlink", "comment"):  # openpyxl makes their cells
            self.merges += local == "mergeCell"
            self.links += local == "hyperlink"
            for part in attributes.get("ref", "").replace(":", " ").split():
                at = _cell_at(part)
                if at is not None and local == "comment":
                    self.noted = (max(self.noted[0], at[0]), max(self.noted[1], at[1]))
                elif at is not None:
                    self.reach(*at)


def _check_layout(data: bytes, what: str, source: str) -> None:
    """Refuse a workbook whose sheets, read with their layout, would span more than
    :data:`MAX_LAID_OUT_CELLS` cells, or hold more than :data:`MAX_LAID_OUT_RANGES`
    merged ranges or :data:`MAX_LAID_OUT_LINKS` links: every XML part is read as openpyxl
    would place its cells, by a streaming parser (a part that is no XML holds no sheet)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    extents = []
    for member in archive.infolist():
        extent = _Extent()
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = extent.start
        try:
            with archive.open(member) as stream:
                parser.ParseFile(stream)
        except (expat.ExpatError, ValueError, zipfile.BadZipFile, OSError):
            pass  # no XML, or broken: openpyxl refuses it, or reads no sheet from it
        extents.append(extent)
    # a sheet's comments are a part of their own, for one of the sheets: as far on each
    noted = max((extent.noted[0] for extent in extents), default=0)
    noted_columns = max((extent.noted[1] for extent in extents), default=0)
    for extent in extents:
        rows, columns = max(extent.rows, noted), max(extent.columns, noted_columns)
        if rows * columns > MAX_LAID_OUT_CELLS:
            message = (
                f"the table spans {rows} rows by {columns} columns with its "
                f"merged cells: at most {MAX_LAID_OUT_CELLS} cells are read"
            )
            raise _refuse(what, source, "table-too-large", message)
        if extent.merges > MAX_LAID_OUT_RANGES:
            message = f"a sheet has more than {MAX_LAID_OUT_RANGES} merged ranges"
            raise _refuse(what, source, "table-too-large", message)
        if extent.links > MAX_LAID_OUT_LINKS:
            message = f"a sheet has more than {MAX_LAID_OUT_LINKS} links"
            raise _refuse(what, source, "table-too-large", message)


def quiet_readers() -> None:
    """Silence the warnings openpyxl gives in English of what a workbook holds that
    rubriceng does not read (extensions, defined names of a missing sheet, no default
    style): for applications — the command line and the service — whose users read
    Chinese and are told of what matters by rubriceng's own problems. A library leaves
    the process's warning filters to its caller."""
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")


def open_workbook(
    path: str | os.PathLike[str], what: str, *, merged: bool = False, formulas: bool = False
) -> Any:
    """An openpyxl workbook of a checked ``.xlsx`` file: read-only, or with its merged
    cells known when ``merged`` (a published table's layout); its cells' values as last
    computed, or, with ``formulas``, the formulas themselves."""
    import openpyxl

    limit = MAX_LAID_OUT_BYTES if merged else MAX_UNPACKED_BYTES
    data = _checked_archive(path, what, "an Excel workbook", limit)
    if merged:  # openpyxl makes a cell object for every cell a merged range covers
        _check_layout(data, what, str(path))
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=not merged, data_only=not formulas
        )
    except Exception as error:  # openpyxl raises many kinds for a file it cannot read
        raise _refuse(what, str(path), "input-form", f"not an Excel workbook: {error}") from None
    if not book.worksheets:  # every sheet a chart, or a workbook part naming no sheet it has
        raise _refuse(what, str(path), "input-form", "the workbook has no worksheet")
    return book


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
"""A formula element in a worksheet's XML (``<f>``, ``<x:f t="shared" …/>``)."""


def _has_formulas(path: str | os.PathLike[str]) -> bool:
    """Whether any part of a workbook holds a formula: read in blocks, so that a table of
    many blank cells and no formula costs one scan of its bytes, not a second reading."""
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                with archive.open(member) as stream:
                    tail = b""
                    while block := stream.read(1 << 20):
                        if _FORMULA.search(tail + block):
                            return True
                        tail = block[-16:]
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # let openpyxl say what is wrong with it
    return False


Cells = Mapping[tuple[str, int], Mapping[int, Any]]
"""Cells of a workbook by sheet title and column (1 is A): each row, and the field the
cell gives (or None)."""


def blank_cells(
    title: str,
    rows: Iterable[tuple[int, Sequence[Any]]],
    names: Sequence[str | None] | None = None,
) -> dict[tuple[str, int], dict[int, str | None]]:
    """The blank cells of a table's rows that are not blank, as :func:`formula_problems`
    takes them: under each column of ``names`` that has a name (the field it gives), or
    under any column the rows reach (no field)."""
    rows = [(number, row) for number, row in rows if not all(map(is_blank, row))]
    width = len(names) if names is not None else max((len(row) for _, row in rows), default=0)
    blank: dict[tuple[str, int], dict[int, str | None]] = {}
    for number, row in rows:
        for index in range(width):
            name = names[index] if names is not None else None
            if (names is None or name) and (index >= len(row) or is_blank(row[index])):
                blank.setdefault((title, index + 1), {})[number] = name
    return blank


def formula_problems(
    path: str | os.PathLike[str], what: str, cells: Cells, source: str | None = None
) -> list[Problem]:
    """An ``input-formula`` problem for each of ``cells`` — cells that read as blank —
    holding a formula no program computed: a workbook written by a program that does not
    compute formulas (a script with openpyxl) keeps no value for them. The workbook is
    read once, for all the cells; ``source``: the file as problems name it (else ``path``)."""
    wanted = {key: rows for key, rows in cells.items() if rows}
    if not wanted or not _has_formulas(path):
        return []
    from openpyxl.utils import get_column_letter

    sheets: dict[str, dict[int, Mapping[int, Any]]] = {}  # title → column → rows
    for (title, column), rows in wanted.items():
        sheets.setdefault(title, {})[column] = rows
    found = []
    book = open_workbook(path, what, formulas=True)
    try:
        for order, (title, columns) in enumerate(sheets.items()):  # one pass a sheet
            sheet = book[title] if title in book.sheetnames else book.worksheets[0]
            first, left = min(min(rows) for rows in columns.values()), min(columns)
            lines = sheet.iter_rows(
                min_row=first,
                max_row=max(max(rows) for rows in columns.values()),
                min_col=left,
                max_col=max(columns),
            )
            for number, line in enumerate(lines, start=first):
                for column, rows in columns.items():
                    if number not in rows or column - left >= len(line):
                        continue
                    cell = line[column - left]
                    if getattr(cell, "data_type", None) == "f":
                        where = f"{get_column_letter(column)}{number}"
                        formula = str(getattr(cell, "value", ""))[:80]
                        found.append((order, number, column, where, formula, rows[number]))
    finally:
        book.close()
    return [
        Problem(
            "input-formula",
            f"cell {where} holds the formula {formula!r} and no value: the program that wrote "
            "the file did not compute it; open and save it in Excel or WPS, or type the value",
            file=source or str(path),
            line=number,
            field=field,
            params={"cell": where, "formula": repr(formula)},
        )
        for _, number, _, where, formula, field in sorted(found, key=lambda item: item[:3])
    ]


def open_docx(path: str | os.PathLike[str], what: str) -> Any:
    """A python-docx document of a checked ``.docx`` file."""
    import docx

    data = _checked_archive(path, what, "a Word document", MAX_LAID_OUT_BYTES)
    stream = io.BytesIO(data)
    try:
        return docx.Document(stream)
    except Exception as error:  # python-docx raises many kinds for a file it cannot read
        detail = str(error).replace(str(stream), os.path.basename(path))  # not an address
        deep = re.match(r"Excessive depth in document: (\d+)", detail)  # lxml's own limit
        if deep:
            detail = f"its XML nests more than {deep[1]} elements deep"
        raise _refuse(what, str(path), "input-form", f"not a Word document: {detail}") from None


def docx_grids(path: str | os.PathLike[str], what: str) -> list[list[list[tuple[int, str]]]]:
    """The tables of a checked ``.docx`` file, each a list of rows laid out on the table's
    grid: one ``(cell, text)`` per grid column, where ``cell`` numbers the cell, the same
    across the columns it spans and the rows a vertical merge continues it to, and a row
    that starts later than the first column starts with empty cells.

    Read in one pass over each row's cells (python-docx's ``row.cells`` walks up every
    vertical merge again from each row). A table spanning more than
    :data:`MAX_LAID_OUT_CELLS` cells is refused at the row reached.
    """
    source = str(path)
    document = open_docx(path, what)
    numbers = itertools.count(1)
    grids = []
    for index, table in enumerate(document.element.body.tbl_lst, start=1):
        rows: list[list[tuple[int, str]]] = []
        cells = 0
        for number, tr in enumerate(table.tr_lst, start=1):
            tcs = list(tr.tc_lst)
            spans = [max(tc.grid_span, 1) for tc in tcs]
            before = max(tr.grid_before, 0)  # a row that starts later than the first column
            width = before + sum(spans)
            cells += width
            if width > MAX_COLUMNS or cells > MAX_LAID_OUT_CELLS:
                message = f"table {index} spans more than {MAX_LAID_OUT_CELLS} cells"
                if width > MAX_COLUMNS:
                    message = f"table {index} reaches beyond column {MAX_COLUMNS}"
                raise _refuse(what, source, "table-too-large", message, number)
            above = rows[-1] if rows else []
            row = [(next(numbers), "") for _ in range(before)]
            for tc, span in zip(tcs, spans, strict=True):
                if tc.vMerge == "continue" and len(row) < len(above):
                    row += [above[len(row)]] * span  # the cell above, continued down
                else:
                    row += [(next(numbers), "\n".join(p.text for p in tc.p_lst))] * span
            rows.append(row)
        grids.append(rows)
    return grids


def sheet_rows(sheet: Any, source: str, what: str) -> Iterator[tuple[int, list[Any]]]:
    """``(row number, values)`` of a worksheet by its real extent, trailing blanks cut.

    Refuses a sheet beyond the limits, or one openpyxl cannot parse, at the row reached.
    """
    sheet.reset_dimensions()  # the declared dimension may be a lie: read what is there
    cells = 0
    number = 0
    rows = sheet.iter_rows(values_only=True)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:  # a malformed sheet
            raise _refuse(
                what,
                source,
                "input-form",
                f"sheet {sheet.title!r} cannot be read: {error}",
                number + 1,
            ) from None
        number += 1
        if number > MAX_ROWS:
            message = f"sheet {sheet.title!r} has more than {MAX_ROWS} rows"
            raise _refuse(what, source, "table-too-large", message, number)
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise _refuse(
                what,
                source,
                "table-too-large",
                f"sheet {sheet.title!r} has a value beyond column {MAX_COLUMNS}",
                number,
            )
        cells += sum(value is not None for value in values)
        if cells > MAX_CELLS:
            message = f"sheet {sheet.title!r} has more than {MAX_CELLS} cells"
            raise _refuse(what, source, "table-too-large", message, number)
        yield number, values


def is_blank(cell: Any) -> bool:
    """True for a cell that holds nothing: None, blank text, or NaN (pandas' empty)."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and cell != cell


class _Undecodable(ValueError):
    """A table's bytes in no encoding it may be in: what to say, and at which byte."""

    def __init__(self, message: str, start: int) -> None:
        super().__init__(message)
        self.start = start


def _decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped); UTF-16 with its BOM (Excel's 「Unicode 文本」); else
    GB18030, which Excel writes on Chinese Windows. Text that is UTF-8 but for a few bytes
    is refused, not read as GB18030: that would read without a word, every Chinese
    character another (政府 as 鏀垮簻)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _Undecodable("UTF-16 text with a byte that is not UTF-16", error.start) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first = error.start
    read = data.decode("utf-8", errors="replace")
    bad = read.count("\ufffd")
    wide = sum(1 for character in read if character > "\x7f") - bad
    if bad * 10 < wide:  # GB18030 text read as UTF-8 fails at nearly every character
        raise _Undecodable("UTF-8 text with a byte that is not UTF-8", first)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise _Undecodable("neither UTF-8 nor GB18030 text", error.start) from None


def _delimiter(text: str) -> str:
    """A tab where the first line has tabs and no commas (Excel's 「Unicode 文本」, a
    table pasted from a sheet), else a comma."""
    first = text.split("\n", 1)[0]
    return "\t" if "\t" in first and "," not in first else ","


def _by_semicolons(text: str) -> bool:
    """Whether a CSV is separated by semicolons: a first line with semicolons and no comma
    or tab, and a second with as many (a one-column file, a roster say, may have a name
    with a semicolon in it; a European export's data has decimal commas)."""
    lines = [line for line in text.split("\n", 3)[:3] if line.strip()][:2]
    if len(lines) < 2 or "," in lines[0] or "\t" in lines[0]:
        return False
    return 0 < lines[0].count(";") == lines[1].count(";")


def _checked_text(path: str | os.PathLike[str], what: str) -> str:
    """The text of a checked file: UTF-8, GB18030, or UTF-16 with its BOM."""
    data = _checked_bytes(path, what)
    try:
        return _decode(data)
    except _Undecodable as error:
        line = data[: error.start].count(b"\n") + 1
        raise _refuse(
            what, str(path), "document-encoding", f"{error} (byte {error.start + 1})", line
        ) from None


def text_lines(path: str | os.PathLike[str], what: str) -> list[str]:
    """The lines of a checked text file, in the encodings :func:`csv_rows` reads."""
    lines = _checked_text(path, what).splitlines()
    if len(lines) > MAX_ROWS:
        raise _refuse(what, str(path), "table-too-large", f"more than {MAX_ROWS} rows")
    return lines


def csv_rows(path: str | os.PathLike[str], what: str) -> list[list[Any]]:
    """The rows of a checked CSV file (UTF-8, GB18030, or UTF-16 with its BOM; separated
    by commas, or by tabs)."""
    source = str(path)
    text = _checked_text(path, what)
    if _by_semicolons(text):  # a decimal comma's Excel (its "1,234" is 1.234: never 1234)
        raise _refuse(
            what,
            source,
            "input-form",
            "its values are separated by semicolons: save it again as CSV (comma-separated)",
            1,
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[Any]] = []
    cells = 0
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise _refuse(
                    what, source, "table-too-large", f"more than {MAX_ROWS} rows", reader.line_num
                )
            while row and not row[-1]:
                row.pop()
            if len(row) > MAX_COLUMNS:
                raise _refuse(
                    what,
                    source,
                    "table-too-large",
                    f"a value beyond column {MAX_COLUMNS}",
                    reader.line_num,
                )
            cells += len(row)
            row = [csv_text(cell) for cell in row]  # rubriceng's own CSV reads back as written
            if cells > MAX_CELLS:
                raise _refuse(
                    what, source, "table-too-large", f"more than {MAX_CELLS} cells", reader.line_num
                )
            rows.append(list(row))
    except csv.Error as error:
        raise _refuse(
            what, source, "input-form", f"not a CSV table: {error}", reader.line_num
        ) from None
    return rows


def parquet_rows(path: str | os.PathLike[str], what: str) -> list[list[Any]]:
    """The rows of a checked parquet file (its column names first); needs pyarrow."""
    source = str(path)
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise _refuse(
            what,
            source,
            "input-form",
            "reading .parquet needs pyarrow: pip install 'rubriceng[parquet]'",
        ) from None
    data = _checked_bytes(path, what)
    try:
        meta = pyarrow.parquet.ParquetFile(pyarrow.BufferReader(data)).metadata
        if meta.num_rows > MAX_ROWS or meta.num_columns > MAX_COLUMNS:
            raise _refuse(
                what,
                source,
                "table-too-large",
                f"{meta.num_rows} rows of {meta.num_columns} columns: at most "
                f"{MAX_ROWS} rows of {MAX_COLUMNS} columns",
            )
        if meta.num_rows * meta.num_columns > MAX_CELLS:
            raise _refuse(what, source, "table-too-large", f"more than {MAX_CELLS} cells")
        table = pyarrow.parquet.read_table(pyarrow.BufferReader(data))
    except InputError:
        raise
    except (pyarrow.ArrowException, OSError, ValueError) as error:
        raise _refuse(what, source, "input-form", f"not a parquet table: {error}") from None
    rows: list[list[Any]] = [list(table.column_names)]
    rows += [list(record.values()) for record in table.to_pylist()]
    return rows
