"""One batch scored over columns: the compiled column plan of a rubric (which indicators
run on columns, which row by row), and :class:`ColumnRun`, which reads a table's
columns, scores them with the kernels of :mod:`rubriceng.batch.vector` and hands the
units the columns cannot take to the row path.
"""

from __future__ import annotations

import decimal
import functools
import weakref
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import repeat
from typing import Any

from rubriceng.batch.vector import (
    METHODS,
    ZERO,
    Env,
    Num,
    Unsupported,
    above,
    below,
    bits,
    boolean,
    constant,
    floors_at,
    floors_total,
    is_wide,
    multiply,
    narrow,
    number,
    points_of,
    product,
    spread,
    stacked,
    total,
    vectorise,
    where,
    wide,
)
from rubriceng.errors import EvaluationError, InputError
from rubriceng.exact import EXACT_MEANS, MEAN_BITS, Exact, Mean, Statistic, rational
from rubriceng.formula.functions import BUILTIN_FUNCTIONS
from rubriceng.formula.language import FormulaEvaluator
from rubriceng.inputs.types import COERCIONS, to_boolean
from rubriceng.language.model import Indicator, Rounding, Rubric
from rubriceng.methods.base import ScoringFailure
from rubriceng.methods.checklist import ChecklistItem, ChecklistScorer
from rubriceng.methods.judgement import JudgementScorer
from rubriceng.methods.ratio import RatioScorer
from rubriceng.methods.unit_defined import UnitDefinedScorer, split_evenly
from rubriceng.scoring.plan import Plan, prepare, score_unit
from rubriceng.scoring.result import UnitFailure
from rubriceng.scoring.runtime import Collecting, Outcome, Parts, Paused
from rubriceng.scoring.table import Table, filled, missing, python_value
from rubriceng.scoring.unit import General
from rubriceng.targets.method import TargetCompletionScorer

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is an optional dependency
    np = None  # type: ignore[assignment]
from rubriceng.batch.reading import decimal_floats, places_of
from rubriceng.batch.scores import ColumnPairs, PeerParts, ScoreTable, pieces


@functools.lru_cache(maxsize=1024)
def _step_factors(rounding: Rounding, effective: Decimal, points: Decimal) -> tuple[int, int, int]:
    """What :meth:`ColumnRun._steps` scales by: the cap in steps, and ``effective ×
    10**digits / points`` as a numerator and a denominator."""
    cap = int(rounding.cap(effective).scaleb(rounding.digits))
    factor = rational(effective) * 10**rounding.digits / rational(points)
    return cap, factor.numerator, factor.denominator


def _empty_texts(values: Any, texts: Any | None) -> Any:
    """Which cells are empty text, of ``values`` whose cells ``texts`` (None: all) are
    text: by their length as str measures it (a cell's own ``==`` is never asked)."""
    where = np.arange(len(values)) if texts is None else np.flatnonzero(texts)
    lengths = np.fromiter(map(str.__len__, values[where]), np.int64, len(where))
    empty = np.zeros(len(values), dtype=bool)
    empty[where[lengths == 0]] = True
    return empty


def _all_text(values: Any, required: bool) -> bool:
    """Whether every cell is text (raises TypeError if one is not) and, where ``required``,
    none is empty (False if one is)."""
    if required:
        return all(map(str.__len__, values))
    return sum(map(str.__len__, values)) >= 0


class CompiledColumns:
    """A plan in column form: built once per plan (raises Unsupported)."""

    def __init__(self, plan: Plan) -> None:
        from rubriceng.inputs.types import compile_checker

        rubric = plan.rubric
        self.plan = plan
        if any(
            plan.functions.get(name) is not BUILTIN_FUNCTIONS[name] for name in BUILTIN_FUNCTIONS
        ):
            raise Unsupported("a built-in function replaced by a plugin")
        # a plugin's own functions are unknown to the column formulas: a rubric that calls
        # one is scored row by row (vectorise raises Unsupported)
        if len(plan.conditional) > 60:
            raise Unsupported("too many conditional indicators")
        self.applies = [(node, vectorise(node.applies)) for node in plan.conditional]  # type: ignore[arg-type]
        self.leaves: dict[str, tuple[Any, ...]] = {}
        for leaf in plan.leaves:
            scorer = leaf.scorer
            cases = tuple((vectorise(case.when), constant(case.score)) for case in leaf.cases)
            values = tuple((name, vectorise(formula)) for name, formula in leaf.values)
            if isinstance(scorer, UnitDefinedScorer):
                raw: Any = None
            elif type(scorer) in METHODS:
                raw = METHODS[type(scorer)](scorer)
            elif (
                isinstance(scorer, TargetCompletionScorer)
                and scorer.met is not None
                and scorer.declared is not None
            ):
                # given as counts, 绩效目标完成率 is a ratio; rows that give the targets
                # themselves are scored row by row (see ColumnRun._read_inputs)
                raw = METHODS[RatioScorer](
                    RatioScorer(
                        scorer.met,
                        scorer.declared,
                        if_target_zero=scorer.if_none,
                        refuse_when_exceeds=True,
                    )
                )
            else:
                raise Unsupported(f"method {leaf.method}")
            self.leaves[leaf.id] = (cases, values, raw)
        self.checks = {
            name: compile_checker({name: rules})
            for name, rules in plan.input_schema.items()
            if name not in row_only(plan)
        }
        if any(check is None for check in self.checks.values()):
            raise Unsupported("input rules beyond the checker")
        amounts = (
            [a.per_event for a in rubric.adjustments]
            + [a.max for a in rubric.adjustments if a.max is not None]
            + list(rubric.total_bounds or ())
        )
        self.places = max([rubric.rounding.digits, *(places_of(d) for d in amounts)])


def row_only(plan: Plan) -> frozenset[str]:
    """Optional inputs the column path does not read (a list of targets given instead of
    its counts): a row that gives one is scored by the row path."""
    return frozenset(
        name
        for name in plan.optional
        if plan.input_schema[name].get("type") == "list"
        and plan.input_schema[name].get("schema", {}).get("type") == "dict"
    )


_COMPILED: weakref.WeakKeyDictionary[Plan, CompiledColumns | None] = weakref.WeakKeyDictionary()


def columns_of(plan: Plan) -> CompiledColumns | None:
    """The plan in column form, or None if it cannot run on columns (cached per plan)."""
    if plan not in _COMPILED:
        try:
            _COMPILED[plan] = CompiledColumns(plan)
        except Unsupported:
            _COMPILED[plan] = None
    return _COMPILED[plan]


class ColumnRun:
    """One table on its way through the column path."""

    def __init__(
        self,
        plan: Plan,
        compiled: CompiledColumns | None,
        table: Table,
        peers: Mapping[str, Statistic] | None = None,
        rubric: Rubric | None = None,
    ) -> None:
        self.plan, self.compiled, self.table = plan, compiled, table
        self.rubric = rubric or plan.rubric
        """The rubric as the caller holds it (with its plan): what results refer to."""
        self.given_peers = dict(peers or {})
        self.n = table.size
        self.exact = np.ones(self.n, dtype=bool) if compiled is None else np.zeros(self.n, bool)
        self.names: dict[str, Any] = {}
        self.present: dict[str, Any] = {}
        self.peers: dict[str, Num | Mean] = {}
        self.rescored = 0
        # filled in by the phases of run(), in order
        self.allocations: dict[int, Any] = {}
        self.peer_columns: dict[str, tuple[Any, Num]] = {}
        self.exact_values: dict[str, list[Fraction]] = {}
        self.exact_peers: dict[str, Statistic] = {}
        self.failed: set[int] = set()
        self.by_kernel: dict[int, tuple[Mapping[str, Any], Outcome | Paused]] = {}
        self.asked_plain = True
        """Whether the row kernel's first run was asked with plain statistics (no peer
        leaves), so that it scored the rows it took, rather than pausing them."""
        """Rows the columns do not take that the row kernel scores (see _prepare_exact)."""
        self.kernel_values: dict[str, list[Fraction]] = {}
        """The peers' values of those rows, by peer leaf."""
        if compiled is not None:
            try:
                self._read_inputs()
            except Unsupported:  # a table the columns cannot read: every row by the rows
                self.compiled, self.names, self.present = None, {}, {}
                self.exact = np.ones(self.n, dtype=bool)

    # -- inputs ---------------------------------------------------------------------------

    def _refuse(self, rows: Any) -> None:
        self.exact |= rows

    def _numbers(
        self, name: str, rules: Mapping[str, Any], full: Decimal | None = None
    ) -> tuple[Num, Any]:
        """A numeric column as exact integers, checked as the row path would; ``full`` is
        what ``true`` is worth where true/false may stand for a number (a checklist's
        partial credit). Rows the columns cannot read exactly go to the row path."""
        column = self.table.columns.get(name)
        if column is None:
            return Num(np.zeros(self.n, dtype=np.int64), 1), np.zeros(self.n, dtype=bool)
        if column.dtype.kind in "iu":
            present = np.ones(self.n, dtype=bool)
            bad = (
                (column > 10**18) | (column < -(10**18))
                if column.dtype.kind == "i"
                else (column > 10**18)
            )
            found = Num(np.where(bad, 0, column).astype(np.int64), 1)
        elif column.dtype.kind == "f":
            found, present, bad = decimal_floats(column)
        else:  # text, Decimals, mixed: read each value as the row path does
            found, present, bad = self._python_numbers(column, rules, full)
        if rules.get("coerce") == "count":  # a whole number
            bad |= present & (found.n % found.d != 0)
        for key, outside in (("min", below), ("max", above)):
            if rules.get(key) is not None:
                bad |= present & np.asarray(outside(found, constant(Decimal(rules[key]))))
        self._refuse(bad)
        return found, present

    def _python_numbers(
        self, column: Any, rules: Mapping[str, Any], full: Decimal | None
    ) -> tuple[Num, Any, Any]:
        """A column of Python values, each read by the row path's coercion."""
        tops, bottoms = np.zeros(self.n, dtype=object), np.ones(self.n, dtype=object)
        present, bad = np.ones(self.n, bool), np.zeros(self.n, bool)
        coerce = COERCIONS[rules.get("coerce", "decimal")]
        for index, value in enumerate(column):
            if missing(value):
                present[index] = False
                continue
            try:
                value = python_value(value)
                if full is not None and isinstance(value, bool):
                    value = full if value else Decimal(0)
                value = coerce(value)
                if full is not None and isinstance(value, bool):  # a yes/no word: credit
                    value = full if value else Decimal(0)
                tops[index], bottoms[index] = Decimal(value).as_integer_ratio()
            except Exception:  # whatever a cell does, the row path reports it
                bad[index] = True
        return Num(narrow(tops), narrow(bottoms)), present, bad

    def _booleans(self, name: str) -> tuple[Any, Any]:
        column = self.table.columns.get(name)
        if column is None:
            return np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=bool)
        if column.dtype.kind == "b":
            return column.astype(bool), np.ones(self.n, dtype=bool)
        values, present = np.zeros(self.n, dtype=bool), np.ones(self.n, dtype=bool)
        bad = np.zeros(self.n, dtype=bool)
        for index, value in enumerate(column):
            if missing(value):
                present[index] = False
                continue
            try:
                values[index] = to_boolean(python_value(value))
            except Exception:  # whatever a cell does, the row path reports it
                bad[index] = True
        self._refuse(bad)
        return values, present

    def _texts(self, name: str, required: bool = False) -> tuple[Any, Any]:
        """A text column: its cells (None: not read, where only which cells are given
        matters) and which are given; a cell that is not text, or empty where
        ``required``, goes to the row path."""
        facts = self.table.texts.get(name)
        if facts is not None:  # pandas' Arrow strings: text or nothing in every cell
            present, empty = facts
            if required:
                self._refuse(empty)
            return None, present
        column = self.table.columns.get(name)
        if column is None:
            return np.full(self.n, "", dtype=object), np.zeros(self.n, dtype=bool)
        if column.dtype.kind in "US":  # text throughout, as numpy keeps it
            if required:
                self._refuse(column == "")
            return column.astype(object), np.ones(self.n, dtype=bool)
        # each cell read as few times as can be, in C, straight from the array (on a large
        # table each read of a cell is a cache miss): text throughout, checked by
        # str.__len__, which refuses anything else; or else the empty cells (None) found
        # by one comparison, then the same over the others
        values = column if column.dtype == object else column.astype(object)
        present = None
        try:
            if _all_text(values, required):
                return values, np.ones(self.n, dtype=bool)
        except TypeError:  # something besides text: perhaps None alone
            try:
                present = values != None  # noqa: E711 - elementwise, in C
                if _all_text(values[present], required):
                    return values, present
            except Exception:  # NaN, NA, a number, a cell that compares oddly
                return self._mixed_texts(values, required)
        # required text, some of it empty: each cell is text (or None) if sum() passes
        try:
            sum(map(str.__len__, values if present is None else values[present]))
        except TypeError:
            return self._mixed_texts(values, required)
        self._refuse(_empty_texts(values, present))
        return values, np.ones(self.n, dtype=bool) if present is None else present

    def _mixed_texts(self, values: Any, required: bool) -> tuple[Any, Any]:
        """A text column that holds something besides text and None, cell by cell."""
        text = np.fromiter(map(isinstance, values, repeat(str)), bool, self.n)
        found = text.astype(np.int8)  # 1 text, 0 an empty cell, 2 refused
        if required:
            found[_empty_texts(values, text)] = 2
        for index in np.flatnonzero(~text).tolist():  # None, NaN, NA, a number: one by one
            found[index] = 0 if missing(values[index]) else 2
        self._refuse(found == 2)
        return values, found != 0

    def _read_inputs(self) -> None:
        plan = self.plan
        known: set[str] = set()
        skipped = row_only(plan)
        for spec in plan.rubric.inputs:
            if spec.implicit_for is not None:
                continue
            if spec.id in skipped:  # rows that give it are scored row by row
                for column in self.table.by_input.get(spec.id, ()):
                    self._refuse(filled(self.table.columns[column]))
                    known.add(column)
                continue
            rules = plan.input_schema[spec.id]
            kind = rules.get("type")
            if kind in ("decimal", "integer"):
                self.names[spec.id], self.present[spec.id] = self._numbers(spec.id, rules)
                known.add(spec.id)
            elif kind == "boolean":
                self.names[spec.id], self.present[spec.id] = self._booleans(spec.id)
                known.add(spec.id)
            elif kind == "string":
                values, self.present[spec.id] = self._texts(spec.id)
                self.names[spec.id] = self.table.columns[spec.id] if values is None else values
                known.add(spec.id)
            elif kind == "list":
                known.update(self._read_list(spec.id, rules))
            else:
                raise Unsupported(f"input type {spec.type}")
        for adjustment in plan.rubric.adjustments:
            rules = plan.input_schema[adjustment.id]
            self.names[adjustment.id], self.present[adjustment.id] = self._numbers(
                adjustment.id, rules
            )
            known.add(adjustment.id)
        for leaf in plan.leaves:
            known.update(self._read_own(leaf))
        for name in self.table.columns:
            if name not in known:  # an input the rubric does not declare: the row path says so
                self._refuse(filled(self.table.columns[name]))

    def _read_list(self, name: str, rules: Mapping[str, Any]) -> list[str]:
        """A list input over its numbered columns: of its declared length, or, where the
        length is free, as many as the table has (a row that gives fewer items goes to
        the row path, as a row missing a required input does)."""
        if name in self.table.columns:
            raise Unsupported("a column of lists")
        if rules.get("minlength") == rules.get("maxlength"):
            length = rules.get("maxlength")
        else:
            length = 0
            while f"{name}.{length + 1}" in self.table.columns:
                length += 1
            if not rules.get("minlength", 0) <= length <= rules.get("maxlength", length):
                raise Unsupported("as many numbered columns as the list may not have")
        if not length:
            raise Unsupported("a list without numbered columns")
        items, present = [], np.ones(self.n, dtype=bool)
        columns = [f"{name}.{index}" for index in range(1, length + 1)]
        for column in columns:
            number_, given = self._numbers(column, rules["schema"])
            items.append(number_)
            present &= given
            self._refuse(given != present)  # a gap: the row path reports it
        self.names[name] = stacked(items, self.n)
        self.present[name] = present
        return columns

    def _read_own(self, leaf: Indicator) -> list[str]:
        scorer, base = leaf.scorer, leaf.id
        columns: list[str] = []
        present = np.ones(self.n, dtype=bool)
        if isinstance(scorer, ChecklistScorer):
            for item in scorer.items:
                if item.fraction is not None:
                    continue
                column = f"{base}.{item.id}"
                columns.append(column)
                rules = self.plan.input_schema[base]["schema"][item.id]
                source = self.table.columns.get(column)
                if source is not None and source.dtype.kind == "b":
                    flags, given = self._booleans(column)
                    self.names[column] = multiply(constant(item.points), number(flags))
                elif item.partial:
                    limits = {"coerce": "credit", "min": 0, "max": rules["credit_max"]}
                    credit, given = self._numbers(column, limits, full=item.points)
                    self.names[column] = credit
                else:
                    flags, given = self._booleans(column)
                    self.names[column] = multiply(constant(item.points), number(flags))
                present &= given
        elif isinstance(scorer, JudgementScorer):
            rules = self.plan.input_schema[base]["schema"]
            self.names[f"{base}.score"], given = self._numbers(f"{base}.score", rules["score"])
            _, reason = self._texts(f"{base}.reason", required=True)
            present = given & reason
            self._refuse(given != reason)
            columns = [f"{base}.score", f"{base}.reason"]
        elif isinstance(scorer, UnitDefinedScorer):
            columns = self._read_parts(leaf, scorer)
            present = self.present.get(base, present)
        else:
            return columns
        self.present[base] = present
        return columns

    def _read_parts(self, leaf: Indicator, scorer: UnitDefinedScorer) -> list[str]:
        base = leaf.id
        indices = sorted(
            {
                int(parts[1])
                for name in self.table.columns
                if (parts := name.split("."))[0] == base
                and len(parts) == 3
                and parts[1].isdecimal()
            }
        )
        if base in self.table.columns:
            raise Unsupported("unit-defined items as a column of lists")
        count = np.zeros(self.n, dtype=np.int64)
        open_ = np.ones(self.n, dtype=bool)
        scores, columns = [], []
        for index in indices:
            prefix = f"{base}.{index}"
            score, given = self._numbers(f"{prefix}.score", {"coerce": "decimal", "min": 0})
            _, named = self._texts(f"{prefix}.name", required=True)
            _, _reason = self._texts(f"{prefix}.reason")
            points = self.table.columns.get(f"{prefix}.points")
            if points is not None:
                self._refuse(filled(points))
            self._refuse((given != named) | (given & ~open_))  # half an item, or a gap
            open_ &= given
            count += open_
            scores.append(score)
            columns += [f"{prefix}.score", f"{prefix}.name", f"{prefix}.reason", f"{prefix}.points"]
        self._refuse(count < scorer.min_items)
        if scorer.max_items is not None:
            self._refuse(count > scorer.max_items)
        self.names[f"{base}#scores"] = stacked(scores or [constant(0)], self.n)
        self.names[f"{base}#count"] = count
        self.present[base] = count > 0
        return columns

    def credit(self, env: Env, leaf: Indicator, item: ChecklistItem) -> Num:
        value = self.names[f"{leaf.id}.{item.id}"]
        assert isinstance(value, Num)
        return value

    def own_number(self, env: Env, leaf: Indicator, key: str) -> Num:
        value = self.names[f"{leaf.id}.{key}"]
        assert isinstance(value, Num)
        return value

    # -- scoring ----------------------------------------------------------------------------

    def run(self) -> ScoreTable:
        plan, compiled = self.plan, self.compiled
        scaled: dict[str, Any] = {node: np.zeros(self.n, np.int64) for node in plan.nodes}
        pattern = np.zeros(self.n, dtype=np.int64)
        if compiled is not None:
            pattern = self._patterns(compiled)
            self._require(pattern)
            self._peer_values(compiled, pattern)
        states = self._prepare_exact()
        if compiled is not None:
            self._peer_statistics(states)
            self._score_columns(compiled, pattern, scaled)
        else:  # every row by the row path, with the batch's exact peer statistics
            from rubriceng.scoring.peers import statistics_of

            found = statistics_of(
                self.plan,
                {leaf.id: self._row_values(leaf, states) for leaf in self.plan.peer_leaves},
            )
            self.exact_peers = {**found, **self.given_peers}
        return self._assemble(compiled, scaled, states)

    def _patterns(self, compiled: CompiledColumns) -> Any:
        """Which conditional indicators do not apply, per row, as bits; undecided → exact."""
        skipped = {node.id: np.zeros(self.n, dtype=bool) for node in self.plan.nodes.values()}
        pattern = np.zeros(self.n, dtype=np.int64)
        for bit, (node, applies) in enumerate(compiled.applies):
            active = ~self.exact & ~skipped[node.id]
            for name in node.applies.names:  # type: ignore[union-attr]
                self._refuse(active & ~self.present.get(name, active))
            env = Env(self.names, active & ~self.exact)
            try:
                holds = boolean(env, applies(env))
            except Unsupported:  # e.g. text where true/false is needed: the row code says
                self._refuse(env.active)
                holds = np.ones(self.n, dtype=bool)
            self._refuse(env.undecided)
            out = env.active & ~holds
            pattern |= out.astype(np.int64) << bit
            for inner in node.walk():
                skipped[inner.id] |= out
        for code in np.unique(pattern[~self.exact]):
            roots = [node for bit, (node, _) in enumerate(compiled.applies) if code >> bit & 1]
            try:
                self.allocations[int(code)] = self.plan.allocation(roots)
            except ValueError:
                self._refuse(pattern == code)  # nothing applies: the row path says so
        return pattern

    def _applicable(self, leaf: Indicator, pattern: Any) -> Any:
        rows = np.zeros(self.n, dtype=bool)
        for code, allocation in self.allocations.items():
            if leaf.id not in allocation.not_applicable:
                rows |= pattern == code
        return rows & ~self.exact

    def _require(self, pattern: Any) -> None:
        """Rows missing an input an applicable indicator needs go to the row path."""
        skipped = row_only(self.plan)
        for leaf in self.plan.leaves:
            rows = self._applicable(leaf, pattern)
            for name in self.plan.required[leaf.id]:
                if name in skipped:
                    continue
                self._refuse(rows & ~self.present.get(name, np.zeros(self.n, dtype=bool)))
        for adjustment in self.plan.rubric.adjustments:
            self._refuse(~self.present[adjustment.id])

    def _leaf_env(self, compiled: CompiledColumns, leaf: Indicator, rows: Any) -> Env:
        env = Env(dict(self.names), rows)
        env.names["points"] = points_of(leaf)
        for name, value in compiled.leaves[leaf.id][1]:
            env.names[name] = value(env)
        return env

    def _peer_values(self, compiled: CompiledColumns, pattern: Any) -> None:
        for leaf in self.plan.peer_leaves:
            rows = self._applicable(leaf, pattern)
            try:
                env = self._leaf_env(compiled, leaf, rows)
            except Unsupported:
                env = Env(self.names, rows)
                env.doubt(rows)
            value = env.names.get("value")
            if not isinstance(value, Num):  # not a number here: the row code decides
                env.doubt(rows)
                value = Num(np.zeros(self.n), 0.0)
            self._refuse(env.undecided)  # its value is needed exactly: the row path
            self.peer_columns[leaf.id] = (rows, value)

    def _prepare_exact(self) -> dict[int, Any]:
        """The rows the columns do not take, row by row: by the row kernel where it can
        (a first run records their peers' values; :meth:`_assemble` scores them with the
        batch's statistics), else prepared for the general code, which scores them or
        says what is wrong. The states of the general code's rows, by row."""
        plan = self.plan
        wanted = {leaf.id for leaf in plan.peer_leaves}
        kernel = plan.kernel if np.any(self.exact) else None
        if kernel is not None and not wanted <= kernel.collects:
            kernel = None
        asked: Mapping[str, Any] = Collecting(dict.fromkeys(wanted, 0)) if wanted else {}
        self.asked_plain = not wanted
        self.kernel_values = {leaf: [] for leaf in wanted}
        states = {}
        indices = np.flatnonzero(self.exact).tolist()
        for index, row in zip(indices, self.table.rows(indices), strict=True):
            seen: dict[str, tuple[int, int]] = {}
            found = None if kernel is None else plan.run_kernel(row, asked, seen)
            if found is None:
                states[index] = prepare(plan, row, self.table.names[index])
                continue
            self.by_kernel[index] = (row, found)
            for leaf_id, (top, bottom) in seen.items():
                self.kernel_values[leaf_id].append(Fraction(top, bottom))
        return states

    def _row_values(self, leaf: Indicator, states: Mapping[int, Any]) -> list[Fraction]:
        """The peers' values of ``leaf`` in the rows scored row by row."""
        from rubriceng.scoring.peers import peer_values

        found = peer_values(self.plan, leaf, list(states.values()))
        return found + self.kernel_values.get(leaf.id, [])

    def _peer_statistics(self, states: Mapping[int, Any]) -> None:
        """The peers' mean over the table, exactly: the columns' values and the row
        path's for the units it takes."""
        from rubriceng.scoring.peers import mean_of

        for leaf in self.plan.peer_leaves:
            if leaf.id in self.given_peers:  # computed over the whole batch elsewhere
                given = self.given_peers[leaf.id]
                self.peers[leaf.id] = given if isinstance(given, Mean) else constant(given)
                continue
            rows, _ = self.peer_columns[leaf.id]
            if int((rows & ~self.exact).sum()) > EXACT_MEANS:  # a Mean, decided unsummed
                low, pairs = self._share(leaf, states)
                large = Mean(low=low, count=len(pairs), pairs=pairs)
                self.exact_peers[leaf.id] = large
                self.peers[leaf.id] = large
                continue
            total_, count = self._exact_sum(leaf, states)
            if count:
                mean = mean_of(total_, count)
                self.exact_peers[leaf.id] = mean
                self.peers[leaf.id] = constant(mean)

    def _exact_sum(self, leaf: Indicator, states: Mapping[int, Any]) -> tuple[Fraction, int]:
        """The exact sum and count of the peers' values of ``leaf``: over the columns,
        summed by denominator, and the row path's for the units it takes."""
        from rubriceng.scoring.peers import exact_sum

        rows, value = self.peer_columns[leaf.id]
        rows = rows & ~self.exact
        exact = self._row_values(leaf, states)
        found = exact_sum(exact)
        tops = spread(value.n, (self.n,))[rows]
        bottoms = spread(value.d, (self.n,))[rows]
        kinds = np.unique(bottoms)
        if len(kinds) <= 64:  # a few denominators (a column's scale): sum each group
            for bottom in kinds:
                found += Fraction(int(wide(tops[bottoms == bottom]).sum()), int(bottom))
        else:  # ratios in lowest terms: one Fraction each
            found += exact_sum(
                [Fraction(int(top), int(bottom)) for top, bottom in zip(tops, bottoms, strict=True)]
            )
        return found, int(rows.sum()) + len(exact)

    def peer_parts(self) -> PeerParts:
        """This table's share of the peers' means: the floored sum at
        :data:`~rubriceng.exact.MEAN_BITS` and every value as a pair, by indicator."""
        if self.compiled is None:
            raise Unsupported("peer parts of a rubric beyond the columns")
        pattern = self._patterns(self.compiled)
        self._require(pattern)
        self._peer_values(self.compiled, pattern)
        states = self._prepare_exact()
        return {leaf.id: self._share(leaf, states) for leaf in self.plan.peer_leaves}

    def _share(
        self, leaf: Indicator, states: Mapping[int, Any]
    ) -> tuple[int, Sequence[tuple[int, int]]]:
        """The peers' values of ``leaf`` in this table as pairs — the columns', then the
        row path's for the units it takes — with the sum of their floors at
        :data:`~rubriceng.exact.MEAN_BITS` (what a :class:`~rubriceng.exact.Mean` holds)."""
        rows, value = self.peer_columns[leaf.id]
        rows = rows & ~self.exact
        tops = spread(value.n, (self.n,))[rows]
        bottoms = spread(value.d, (self.n,))[rows]
        floors = floors_at(tops, bottoms, MEAN_BITS, room=max(len(tops), 1).bit_length())
        low = None if floors is None else floors_total(floors, MEAN_BITS)
        if low is None:  # values beyond int64's long division: Python integers
            low = int(((wide(tops) * (1 << MEAN_BITS)) // wide(bottoms)).sum())
        more = [found.as_integer_ratio() for found in self._row_values(leaf, states)]
        extra, more = pieces(more)
        return low + extra, ColumnPairs(tops, bottoms, more)

    def peer_sums(self) -> dict[str, tuple[Exact, int]]:
        """Exact sums and counts of the peers' values in this table (a part of a batch)."""
        if self.compiled is None:
            raise Unsupported("peer sums of a rubric beyond the columns")
        pattern = self._patterns(self.compiled)
        self._require(pattern)
        self._peer_values(self.compiled, pattern)
        states = self._prepare_exact()
        return {leaf.id: self._exact_sum(leaf, states) for leaf in self.plan.peer_leaves}

    def _mini_state(self, index: int, leaf: Indicator) -> Any:
        """Just the inputs ``leaf`` reads, normalised, for the exact row code."""
        from rubriceng.scoring.unit import UnitState

        needed = (*self.plan.required[leaf.id], leaf.id)
        row: dict[str, Any] = {}
        nested = []
        for name in needed:
            column = self.table.columns.get(name)
            if column is None:
                nested.append(name)
            elif not missing(value := column[index]):
                row[name] = python_value(value)
        row.update(self.table.row(index, nested))
        inputs: dict[str, Any] = {}
        for name in needed:
            if name in row:
                checked = self.compiled.checks[name]({name: row[name]})  # type: ignore[union-attr,misc]
                if checked is None:
                    raise ScoringFailure("input-invalid", "invalid input", name)
                inputs.update(checked)
        return UnitState(self.table.names[index], inputs, [], FormulaEvaluator(self.plan.functions))

    def _peers_for(self, leaf: Indicator) -> dict[str, Statistic]:
        if leaf.id in self.given_peers:
            return {leaf.id: self.given_peers[leaf.id]}
        if leaf.id in self.exact_peers:
            return {leaf.id: self.exact_peers[leaf.id]}
        return {}

    def _steps(self, raw: Num, effective: Decimal, points: Decimal) -> Any:
        """``raw × effective / points`` in steps of the rubric's rounding, rounded as it
        says by integer division, never above the effective points' cap (``raw`` is in
        ``[0, points]``)."""
        if not points:
            return np.zeros(self.n, dtype=np.int64)
        cap, by, under = _step_factors(self.plan.rubric.rounding, effective, points)
        top, bottom = product(raw.n, by), product(raw.d, under)
        exact = isinstance(top, int) or is_wide(top) or is_wide(bottom) or bits(bottom) > 61
        if exact:
            whole, rest = top // bottom, top % bottom  # (np.divmod knows no Python integers)
            twice = product(rest, 2)
        else:  # int64: 0 <= rest < bottom < 2**61, so 2·rest fits; whole + 1 fits too
            # (whole <= top / bottom, and when bottom is 1 the rest is 0 and nothing is added)
            whole, rest = np.divmod(top, bottom)
            twice = rest * 2
        mode = self.plan.rubric.rounding.mode
        if mode == "half_up":
            up = twice >= bottom
        elif mode == "half_even":
            up = (twice > bottom) | ((twice == bottom) & (whole % 2 == 1))
        elif mode in ("up", "ceiling"):
            up = rest > 0
        else:
            up = None
        if up is not None:
            up = np.asarray(up).astype(np.int64)
            whole = total(whole, up) if exact else whole + up
        steps = spread(whole, (self.n,))
        return np.asarray(np.minimum(steps, cap)).astype(np.int64)  # at most the cap: it fits

    def _parts(self, env: Env, leaf: Indicator) -> Any:
        """A unit-defined indicator: each item's score rounded, summed (in steps)."""
        scores, count = self.names[f"{leaf.id}#scores"], self.names[f"{leaf.id}#count"]
        units = np.zeros(self.n, dtype=np.int64)
        for k in np.unique(count[env.active]):
            rows = env.active & (count == k)
            for index, share in enumerate(split_evenly(leaf.points, int(k))):
                item = scores.item(index)
                env.narrowed(rows).doubt(above(item, constant(share)))
                units += np.where(rows, self._steps(item, share, share), 0)
        return units

    def _score_columns(
        self, compiled: CompiledColumns, pattern: Any, scaled: dict[str, Any]
    ) -> None:
        """Every leaf, once over all the rows it applies to, then scaled for each of its
        effective points; undecided (unit, leaf) pairs by the exact row code."""
        rubric = self.plan.rubric
        shift = 10 ** (compiled.places - rubric.rounding.digits)
        taken = ~self.exact  # every row refused is known by now
        patterns = [
            (rows, allocation)
            for code, allocation in self.allocations.items()
            if (rows := (pattern == code) & taken).any()
        ]
        for leaf in self.plan.leaves:
            applicable = np.zeros(self.n, dtype=bool)
            groups: dict[Decimal, Any] = {}
            for rows, allocation in patterns:
                effective = allocation.effective[leaf.id]
                if leaf.id in allocation.not_applicable:
                    full = leaf.id in allocation.full_marks
                    score = rubric.rounding.apply(effective if full else ZERO)
                    scaled[leaf.id][rows] = int(score.scaleb(compiled.places))
                    continue
                applicable |= rows
                groups[effective] = groups.get(effective, False) | rows
            if not groups:
                continue
            try:
                units, undecided = self._leaf_units(compiled, leaf, applicable, groups)
            except Unsupported:  # e.g. text where a number is needed: the row code
                units, undecided = np.zeros(self.n, dtype=np.int64), applicable
            scaled[leaf.id][applicable] = units[applicable] * shift
            for index in np.flatnonzero(undecided & applicable):
                allocation = self.allocations[int(pattern[index])]
                self._rescore(int(index), leaf, allocation, scaled, compiled.places)
                self.rescored += 1

    def _leaf_units(
        self, compiled: CompiledColumns, leaf: Indicator, rows: Any, groups: Mapping[Decimal, Any]
    ) -> tuple[Any, Any]:
        """One leaf over ``rows``: its rounded scores, with the rows in each of ``groups``
        scaled to that group's effective points; and the rows it fails (set aside)."""
        cases, _, raw_score = compiled.leaves[leaf.id]
        env = Env(dict(self.names), rows)
        env.names["points"] = points_of(leaf)
        remaining = rows.copy()
        raw = Num(np.zeros(self.n, dtype=np.int64), 1)
        for when, score in cases:
            going = env.narrowed(remaining)
            hit = boolean(going, when(going)) & remaining
            raw = where(hit, score, raw)
            remaining &= ~hit
        going = env.narrowed(remaining)
        for name, value in compiled.leaves[leaf.id][1]:  # values, once no case holds
            going.names[name] = value(going)
        parts = None
        if raw_score is None:  # unit-defined: the parts are rounded one by one
            parts = self._parts(going, leaf)
        else:
            found = number(raw_score(going, self, leaf))
            going.doubt(below(found, constant(ZERO)) | above(found, points_of(leaf)))
            raw = where(remaining, found, raw)
        units = np.zeros(self.n, dtype=np.int64)
        for effective, members in groups.items():
            scaled = self._steps(raw, effective, leaf.points)
            if parts is not None:  # parts are split by their own points: at those alone
                if effective != leaf.points:
                    env.narrowed(members).doubt(remaining)
                scaled = np.where(remaining, parts, scaled)
            units = np.where(members, scaled, units)
        return units, env.undecided

    def _rescore(
        self, index: int, leaf: Indicator, allocation: Any, scaled: dict[str, Any], places: int
    ) -> None:
        """One (unit, indicator) the floats could not decide, by the exact row code."""
        from rubriceng.scoring.plan import score_leaf

        try:
            state = self._mini_state(index, leaf)
            found = score_leaf(self.plan, leaf, state, allocation, self._peers_for(leaf), False)
        except ScoringFailure:
            self.failed.add(index)  # the unit fails: the row path will say how
            return
        scaled[leaf.id][index] = int(found.score.scaleb(places))

    def _assemble(
        self, compiled: CompiledColumns | None, scaled: dict[str, Any], states: dict[int, Any]
    ) -> ScoreTable:
        plan, rubric = self.plan, self.rubric
        places = (
            compiled.places
            if compiled is not None
            else max(
                [rubric.rounding.digits] + [places_of(a.per_event) for a in rubric.adjustments]
            )
        )
        scale = 10**places
        by_kernel = self._kernel_scores(scaled, states, places)
        for node in reversed(list(rubric.walk())):
            if not node.is_leaf:
                scaled[node.id] = sum(
                    (scaled[child.id] for child in node.children), np.zeros(self.n, np.int64)
                )
        scaled["subtotal"] = sum(
            (scaled[top.id] for top in rubric.indicators), np.zeros(self.n, np.int64)
        )
        total = scaled["subtotal"].copy()
        for adjustment in rubric.adjustments:
            events = np.asarray(self.names[adjustment.id].n, dtype=np.int64) if compiled else 0
            amount = events * int(adjustment.per_event.scaleb(places))
            if adjustment.max is not None:
                cap = int(adjustment.max.scaleb(places))
                amount = np.clip(amount, -cap, cap)
            scaled[adjustment.id] = np.asarray(amount, dtype=np.int64) * np.ones(self.n, np.int64)
            total = total + scaled[adjustment.id]
        if rubric.total_bounds is not None:
            low, high = (int(bound.scaleb(places)) for bound in rubric.total_bounds)
            total = np.clip(total, low, high)
        scaled["total"] = total
        for index, outcome in by_kernel.items():  # the kernel's totals, adjustments, grade
            result = plan.scored(outcome, None)
            scaled["subtotal"][index] = int(result.subtotal.scaleb(places))
            for item in result.adjustments:
                scaled[item.id][index] = int(item.points.scaleb(places))
            scaled["total"][index] = int(result.total.scaleb(places))
        failures: dict[int, UnitFailure] = {}
        for index in sorted(set(states) | self.failed):
            name = self.table.names[index]
            state = states.get(index) or prepare(plan, self.table.row(index), name)
            if state.problems:
                failures[index] = UnitFailure(
                    name, InputError(f"invalid inputs for unit {name!r}", state.problems)
                )
                continue
            try:
                result = score_unit(plan, state, self._row_peers(state), False)
            except (EvaluationError, InputError) as error:
                failures[index] = UnitFailure(name, error)
                continue
            for node_id, score in result.scores().items():
                if node_id in scaled:
                    scaled[node_id][index] = int(score.scaleb(places))
            scaled["subtotal"][index] = int(result.subtotal.scaleb(places))
            for item in result.adjustments:
                scaled[item.id][index] = int(item.points.scaleb(places))
            scaled["total"][index] = int(result.total.scaleb(places))
        keep = np.ones(self.n, dtype=bool)
        keep[list(failures)] = False
        kept = np.flatnonzero(keep)
        grades = self._grades(scaled["total"], places)
        return ScoreTable(
            rubric,
            tuple(self.table.names if not failures else map(self.table.names.__getitem__, kept)),
            tuple(failures[index] for index in sorted(failures)),
            scale,
            {name: column[keep] for name, column in scaled.items()} if failures else scaled,
            tuple(grades[keep]),
            self.rescored + len(set(states) | set(self.by_kernel)),
            self.table,
            kept,
        )

    def _kernel_scores(
        self, scaled: dict[str, Any], states: dict[int, Any], places: int
    ) -> dict[int, Outcome]:
        """The leaves of the rows the row kernel takes, with the batch's statistics, into
        ``scaled`` (their parents are summed after); a row it then leaves to the general
        code is prepared for it, in ``states``. The kernel's outcomes, by row."""
        plan = self.plan
        peers = self._row_peers(None)
        shift = 10 ** (places - plan.rubric.rounding.digits)
        done: dict[int, Outcome] = {}
        for index, (row, found) in self.by_kernel.items():
            # without peer leaves the first run scored the row; with them, it paused
            # after them and resumes with the batch's statistics
            if self.asked_plain and isinstance(found, Outcome):
                outcome: Outcome | None = found
            else:
                outcome = plan.resume_kernel(found, row, peers)
            if outcome is None:
                states[index] = prepare(plan, row, self.table.names[index])
                continue
            for leaf, score in zip(plan.leaves, outcome.scores, strict=True):
                steps = score.steps if isinstance(score, General | Parts) else score
                scaled[leaf.id][index] = steps * shift
            done[index] = outcome
        return done

    def _row_peers(self, state: Any) -> dict[str, Statistic]:
        """Peers for a unit the row path scores: the batch's exact statistics."""
        if self.compiled is None:
            return self.exact_peers
        return {**self.exact_peers, **self.given_peers}

    def _grades(self, total: Any, places: int) -> Any:
        """Each unit's grade (None below every grade), as an object array."""
        chosen = np.zeros(self.n, dtype=bool)
        result = np.full(self.n, None, dtype=object)
        for grade in self.plan.rubric.grades:
            threshold = grade.minimum.scaleb(places)
            hits = ~chosen & (total >= int(threshold.to_integral_value(decimal.ROUND_CEILING)))
            result[hits] = grade.name
            chosen |= hits
        return result
