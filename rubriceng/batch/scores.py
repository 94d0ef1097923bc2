"""What the column path gives back: a :class:`ScoreTable` of every unit's scores, and
the exact peer sums a part of a batch contributes to the batch's statistics.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

import attrs

from rubriceng.decimals import isolated
from rubriceng.exact import MEAN_BITS, Exact
from rubriceng.language.model import Rubric
from rubriceng.scoring.result import Result, UnitFailure

if TYPE_CHECKING:
    import pandas


@attrs.frozen(eq=False)
class ScoreTable:
    """Scores of many units, as columns. Every score is exact (see the module notes).

    ``units`` are the units that were scored, in table order; ``failures`` the units that
    could not be (with ``errors="collect"``). Scores are integers of ``1 / scale`` points.
    """

    rubric: Rubric
    units: tuple[str, ...]
    failures: tuple[UnitFailure, ...]
    scale: int
    scaled: Mapping[str, Any] = attrs.field(repr=False)
    """Integer scores by indicator id, plus ``subtotal``, ``total`` and each adjustment."""
    grades: tuple[str | None, ...] = attrs.field(repr=False)
    rows_rescored: int = 0
    """How many units the row path scored or reported on: inputs the columns do not
    read (text where a number is expected, an invalid value) and units that fail."""
    _table: Any = attrs.field(default=None, repr=False)
    _rows: Any = attrs.field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.units)

    @isolated
    def column(self, name: str) -> list[Decimal]:
        """The scores of one indicator (or ``total``, ``subtotal``, an adjustment's id)."""
        step = Decimal(1) / self.scale
        column = self.scaled[name]
        if not len(column):
            return []
        low, high = int(column.min()), int(column.max())
        if high - low < len(column):  # scores span few steps: each Decimal made once
            shared = [Decimal(count) * step for count in range(low, high + 1)]
            return list(map(shared.__getitem__, (column - low).tolist()))
        return list(map(step.__rmul__, map(Decimal, column.tolist())))

    @isolated
    def totals(self) -> list[Decimal]:
        """Every scored unit's total, in order."""
        return self.column("total")

    @isolated
    def result(self, unit: str) -> Result:
        """The full :class:`Result` of one unit, with its trace (computed on demand)."""
        from rubriceng.scoring.engine import evaluate

        index = self.units.index(unit)
        return evaluate(self.rubric, self._table.row(self._rows[index]), unit=unit)

    @isolated
    def to_frame(self, failures: bool = False, lang: str | None = None) -> pandas.DataFrame:
        """A pandas DataFrame: one row per scored unit (the index), a column per indicator
        and for subtotal, adjustments, total and grade, each score a Decimal.

        ``failures=True`` adds a row for each unit that could not be scored (after the
        scored ones, its scores empty) and two columns: ``error``, the error's code, and
        ``problems``, every problem told in ``lang`` (default: the current language),
        one per line (both empty for a scored unit)."""
        import pandas

        data: dict[str, list[Any]] = {name: self.column(name) for name in self.scaled}
        data["grade"] = list(self.grades)
        units = list(self.units)
        if failures:
            data["error"] = [None] * len(units)
            data["problems"] = [None] * len(units)
            for failure in self.failures:
                for values in data.values():
                    values.append(None)
                data["error"][-1] = failure.error.code
                data["problems"][-1] = "\n".join(problem.text(lang) for problem in failure.problems)
                units.append(failure.unit)
        frame = pandas.DataFrame(data, index=pandas.Index(units, name="unit"))
        for name in ("error", "problems"):  # text or nothing, as Dask keeps it
            if name in frame:
                frame[name] = pandas.Series(data[name], index=frame.index, dtype=object)
        return frame


PeerSums = Mapping[str, tuple[Exact, int]]
"""Per peer-compared indicator: the exact sum of the units' values, and how many."""


class ColumnPairs(Sequence[tuple[int, int]]):
    """A column's values as numerator/denominator pairs of Python integers, then
    ``more`` pairs: made into a list when first read (a mean of a large table is rarely
    asked for exactly, and 100,000 tuples cost more than deciding every comparison)."""

    def __init__(self, tops: Any, bottoms: Any, more: Sequence[tuple[int, int]] = ()) -> None:
        self._tops, self._bottoms, self._more = tops, bottoms, list(more)
        self._listed: list[tuple[int, int]] | None = None

    def _pairs(self) -> list[tuple[int, int]]:
        if self._listed is None:
            listed = list(zip(self._tops.tolist(), self._bottoms.tolist(), strict=True))
            self._listed = listed + self._more
        return self._listed

    def __len__(self) -> int:
        return len(self._tops) + len(self._more)

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        return self._pairs()[index]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._pairs())


PeerParts = Mapping[str, tuple[int, Sequence[tuple[int, int]]]]
"""Per peer-compared indicator of one part: the floored sum of its values at
:data:`~rubriceng.exact.MEAN_BITS` and the values as numerator/denominator pairs."""


def pieces(pairs: list[tuple[int, int]]) -> tuple[int, list[tuple[int, int]]]:
    """``pairs`` with the sum of their floors at :data:`~rubriceng.exact.MEAN_BITS`."""
    return sum((top << MEAN_BITS) // bottom for top, bottom in pairs), pairs
