"""A table of units, one per row: a pandas DataFrame or a mapping of column name to
values, with columns named by input path (``revenue_final``,
``quarterly_spending_progress.1``). Both scoring paths read it: the row path rebuilds
each row as a unit's inputs (:meth:`Table.row`), the column path reads its columns."""

from __future__ import annotations

import collections
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rubriceng.language.paths import blank_target_lists, nest, nest_keys, segments
from rubriceng.sanitize import as_text

if TYPE_CHECKING:
    import numpy as np

    from rubriceng.language.model import Rubric

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is an optional dependency
    np = None  # type: ignore[assignment]

__all__ = ["Table", "filled", "missing", "python_value"]


def missing(value: Any) -> bool:
    """An empty cell: None, NaN, or pandas' NA (pandas and Dask text columns use it)."""
    if value is None or type(value).__name__ == "NAType":
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def filled(column: Any) -> Any:
    """Which cells of a column hold something."""
    if column.dtype.kind == "f":
        return ~np.isnan(column)
    if column.dtype.kind != "O":
        return np.ones(len(column), dtype=bool)
    return np.array([not missing(value) for value in column], dtype=bool)


def python_value(value: Any) -> Any:
    """A NumPy scalar as the Python value the row path expects."""
    if isinstance(value, np.generic):
        return value.item()
    return value


class Columns(Mapping[str, Any]):
    """A table's columns by name, each a NumPy array, in the table's order. A pandas
    text column (pandas' ``str`` or ``string`` type: Arrow strings) becomes an array of
    Python text only when it is first read: the column path reads what it needs of it
    from :attr:`Table.texts`, and only a row scored row by row reads its cells."""

    def __init__(
        self, arrays: dict[str, Any], pending: Mapping[str, Any], order: Sequence[str]
    ) -> None:
        self._arrays = arrays
        self._pending = dict(pending)
        self._order = [name for name in order if name in arrays or name in pending]
        self._order += [name for name in arrays if name not in set(order)]

    def __getitem__(self, name: str) -> Any:
        found = self._arrays.get(name)
        if found is None:
            series = self._pending.pop(name)  # KeyError: no such column
            found = self._arrays[name] = series.to_numpy(dtype=object, na_value=None)
        return found

    def cells(self, name: str, picked: Any) -> Any:
        """The cells ``picked`` (row positions) of column ``name``, without making Python
        text of the rest of a pandas text column."""
        series = self._pending.get(name)
        if series is None:
            return self[name][picked]
        return series.take(picked).to_numpy(dtype=object, na_value=None)

    def __contains__(self, name: object) -> bool:
        return name in self._arrays or name in self._pending

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def _named(cells: Sequence[Any]) -> list[str]:
    """Units' names from a table's cells: text as it is, an empty cell (None, NaN, NA) by
    its row's number from 1, as a table with no ``unit`` column names every row."""
    return [
        cell if type(cell) is str else str(row) if missing(cell) else as_text(cell)
        for row, cell in enumerate(cells, 1)
    ]  # (text, the common case, is taken as it is: no call a cell)


def _distinct(names: Sequence[str]) -> None:
    """Refuse a table with two columns of one name (ValueError): which one a unit gave
    could not be told."""
    counted = collections.Counter(names)
    twice = sorted(name for name, count in counted.items() if count > 1)
    if twice:
        raise ValueError(f"more than one column is named {', '.join(map(repr, twice))}")


def _widened(column: Any) -> Any:
    """A column of narrow floats (float32, float16) as the float64s of the decimals they
    print as: ``float32(0.1)`` is 0.1, as a unit typed it, not 0.100000001490116…"""
    return np.array([float(str(value)) for value in column], dtype=np.float64)


def _is_text(series: Any) -> bool:
    """Whether a pandas column holds text or nothing in each cell, by its type."""
    return type(series.dtype).__name__ == "StringDtype"


class Table:
    """Columns by dotted path, and how to rebuild one row as the row path's mapping."""

    def __init__(self, table: Any, rubric: Rubric | None = None) -> None:
        pending: dict[str, Any] = {}
        self.texts: dict[str, tuple[Any, Any]] = {}
        """For a column of text or nothing: which cells hold text, and which of them
        empty text (read from pandas' Arrow strings without making Python text)."""
        if hasattr(table, "columns") and hasattr(table, "index"):  # a pandas DataFrame
            columns = {}
            order = [str(name) for name in table.columns]
            _distinct(order)
            for name in table.columns:
                series = table[name]
                if _is_text(series) and str(name) != "unit":
                    present = series.notna().to_numpy(dtype=bool)
                    empty = series.str.len().eq(0).to_numpy(dtype=bool, na_value=False)
                    self.texts[str(name)] = (present, empty)
                    pending[str(name)] = series
                else:
                    columns[str(name)] = series.to_numpy()
            index = table.index.tolist()
            names = list(map(str, index)) if table.index.dtype.kind in "iu" else _named(index)
        elif isinstance(table, Mapping):
            _distinct([str(name) for name in table])
            columns = {str(name): np.asarray(values) for name, values in table.items()}
            sizes = {len(values) for values in columns.values()}
            if len(sizes) > 1:
                raise ValueError(f"columns differ in length: {sorted(sizes)}")
            size = sizes.pop() if sizes else 0
            names = [] if "unit" in columns else list(map(str, range(1, size + 1)))
        else:
            raise TypeError("expected a pandas DataFrame or a mapping of column name to values")
        if "unit" in columns:
            names = _named(columns.pop("unit").tolist())
        if rubric is not None:  # an optional input the table leaves out takes its default
            for spec in rubric.inputs:
                if spec.default is not None and spec.id not in columns and spec.id not in pending:
                    kind = bool if isinstance(spec.default, bool) else object
                    columns[spec.id] = np.full(len(names), spec.default, dtype=kind)
        for name, column in columns.items():
            if column.dtype.kind == "f" and column.dtype.itemsize < 8:
                columns[name] = _widened(column)
        self.names = names
        self.columns: Mapping[str, Any] = Columns(columns, pending, order) if pending else columns
        try:  # a and a.1, or a column named by a number, cannot make one unit's inputs
            nest((name, None) for name in self.columns)
        except ValueError as error:
            raise ValueError(f"the table's columns do not fit together: {error}") from None
        self.paths = {name: segments(name) for name in self.columns}
        self.by_input: dict[str, list[str]] = {}
        for name, path in self.paths.items():
            self.by_input.setdefault(str(path[0]), []).append(name)
        self.size = len(names)
        # a list of targets whose cells a unit left blank: it declared none
        self.blanks = blank_target_lists(rubric, self.columns) if rubric is not None else {}

    def row(self, index: int, names: Sequence[str] | None = None) -> dict[str, Any]:
        """Row ``index`` as the nested mapping the row path takes (missing cells left out);
        only the inputs ``names`` if given."""
        chosen = (
            self.columns
            if names is None
            else [column for name in names for column in self.by_input.get(name, ())]
        )
        found = nest(
            (name, python_value(self.columns[name][index]))
            for name in chosen
            if not missing(self.columns[name][index])
        )
        for name in self.blanks if names is None else set(self.blanks) & set(names):
            found.setdefault(name, [])
        return found

    def rows(self, indices: Sequence[int]) -> list[dict[str, Any]]:
        """Rows ``indices``, each as :meth:`row` gives it, read a column at a time (of a
        pandas text column, only those rows' cells become Python text)."""
        picked = np.asarray(indices, dtype=np.intp)
        columns = []
        table = self.columns
        for name in table:
            cells = table.cells(name, picked) if isinstance(table, Columns) else table[name][picked]
            if cells.dtype.kind == "f":  # empty where NaN; tolist gives Python floats
                given = (~np.isnan(cells)).tolist()
            elif cells.dtype.kind == "O":
                given = [not missing(value) for value in cells]
                cells = [python_value(value) for value in cells]
            else:  # numbers, true/false, text: every cell given, as a Python value
                given = [True] * len(picked)
            values = cells.tolist() if isinstance(cells, np.ndarray) else cells
            columns.append((self.paths[name], name, values, given))
        found = []
        for at in range(len(picked)):
            row = nest_keys(
                (keys, values[at], name) for keys, name, values, given in columns if given[at]
            )
            for name in self.blanks:
                row.setdefault(name, [])
            found.append(row)
        return found
