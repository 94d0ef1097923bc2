"""Scoring many units at once over columns, with NumPy, exactly.

:func:`evaluate_table` takes a table — a pandas DataFrame with one unit per row, or a
mapping of input id to a column of values — and scores every row with the same result
the row-wise Decimal path (:func:`rubriceng.evaluate_many`) gives, to the last digit.

How it stays exact
------------------
Every input column is read as exact integers: numerators and denominators (a float
column at the exact decimal scale its values were typed at, ``0.1`` as 1/10), in
``int64`` while the values provably fit and in Python integers otherwise
(:mod:`rubriceng.batch.vector`). Formulas and scoring methods run on those integers as the row
kernel does: every comparison with a band's edge, a cap or a peer mean is an integer
cross-product, every score is rounded to the rubric's step by integer division, and the
peers' mean is an exact fraction. Nothing is a float, so nothing is left undecided: the
columns give the row path's scores for every row, wherever its values sit. A row the row
path would refuse or fail (an invalid input, a zero divisor, more tasks done than due) is
handed to it whole, and it reports the problems.

What runs on columns: the built-in scoring methods (peer statistics by mean), formulas
with ``+ - * /``, comparisons, ``and or not``, ``if else`` and the built-in functions.
A rubric using anything else (a plugin's method or function, ``//``, ``%``, ``**``, a
median, an ``average`` over ``rates:``) is scored row by row — the same answers, without
the speed.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal

from rubriceng.batch.run import ColumnRun, columns_of
from rubriceng.batch.scores import PeerParts, PeerSums, pieces
from rubriceng.decimals import DECIMAL_CONTEXT, isolated
from rubriceng.exact import EXACT_MEANS, Exact, Mean, Statistic
from rubriceng.language.model import Rubric
from rubriceng.outputs.words import language
from rubriceng.scoring.engine import batch_error
from rubriceng.scoring.plan import Plan, plan_of, prepare
from rubriceng.scoring.table import Table

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy is an optional dependency
    np = None  # type: ignore[assignment]


def evaluate_table(
    rubric: Rubric,
    table: Any,
    *,
    errors: Literal["raise", "collect"] = "raise",
    peers: Mapping[str, Statistic] | None = None,
) -> Any:
    """Score every row of ``table`` (one unit per row) over columns, exactly.

    >>> import rubriceng
    >>> rubric = rubriceng.load_rubric({
    ...     "id": "example", "version": "1", "title": "Example", "total": 2,
    ...     "inputs": {"plan": {"type": "money"}, "bought": {"type": "money"}},
    ...     "indicators": [{"id": "procurement", "name": "政府采购执行率", "points": 2,
    ...                     "ratio": {"actual": "bought", "target": "plan"}}],
    ... })
    >>> table = evaluate_table(rubric, {"unit": ["办公室", "财政局"],
    ...                                 "plan": ["1331100", "240000"],
    ...                                 "bought": ["1236754.68", "100000"]})
    >>> table.units, table.column("procurement")
    (('办公室', '财政局'), [Decimal('1.86'), Decimal('0.83')])

    ``table`` is a pandas DataFrame (units named by its index, or a ``unit`` column) or a
    mapping of column name to values. Columns are input ids; a judged indicator's own
    input is spread over dotted columns (``budget_reasonableness.not_fixed``,
    ``project_supervision.score``, ``effect_indicators.1.score``) and a list input over
    numbered ones (``quarterly_spending_progress.1`` … ``.4``); an empty cell (NaN, None)
    is a missing input. Returns a :class:`ScoreTable`.

    The scores are those of :func:`rubriceng.evaluate_many` on the same units, to the
    digit. Peer statistics are computed over the table, unless ``peers`` gives them (by
    indicator id, as computed over a larger batch). ``errors`` works as for
    ``evaluate_many``: ``"raise"`` raises listing every bad unit, ``"collect"`` lists
    them in ``ScoreTable.failures``.

    ``table`` may also be a Dask DataFrame: the peer statistics are computed over all of
    it first (exact sums per partition, added up), then each partition is scored on its
    own, and a Dask DataFrame in the layout of :meth:`ScoreTable.to_frame` comes back,
    lazily; with ``errors="collect"``, in the layout of ``to_frame(failures=True)``
    (the units that could not be scored as rows with their ``error`` and ``problems``).
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    if np is None:  # pragma: no cover
        raise ImportError("evaluate_table needs numpy: pip install 'rubriceng[columns]'")
    plan = plan_of(rubric)
    if hasattr(table, "map_partitions") and hasattr(table, "npartitions"):
        return _evaluate_dask(rubric, table, peers, errors)
    source = Table(table, rubric)
    with decimal.localcontext(DECIMAL_CONTEXT), np.errstate(all="ignore"):
        batch = ColumnRun(plan, columns_of(plan), source, peers, rubric)
        scored = batch.run()
    if errors == "raise" and scored.failures:
        raise batch_error(scored.failures)
    return scored


def peer_sums(rubric: Rubric, table: Any) -> dict[str, tuple[Exact, int]]:
    """The exact sums and counts behind the peer statistics of one part of a batch.

    For scoring a batch split over workers (Dask, Spark): compute these on every part,
    combine them with :func:`peer_means` and give the result to each part's
    :func:`evaluate_table` as ``peers`` — the scores are those of the whole batch.

    >>> import pandas, rubriceng
    >>> rubric = rubriceng.load_rubric({
    ...     "id": "example", "version": "1", "title": "Example", "total": 2,
    ...     "inputs": {"in_use": {"type": "money"}, "assets": {"type": "money"}},
    ...     "indicators": [{"id": "asset_use", "name": "固定资产利用率", "points": 2,
    ...                     "value": "in_use / assets",
    ...                     "peer": {"statistic": "mean", "compare": "at_least"}}],
    ... })
    >>> units = pandas.DataFrame({"in_use": ["9", "2", "7", "5"], "assets": ["10", "3", "8", "6"]})
    >>> parts = [peer_sums(rubric, units[:2]), peer_sums(rubric, units[2:])]
    >>> means = peer_means(parts)
    >>> means == peer_means([peer_sums(rubric, units)])
    True
    >>> table = evaluate_table(rubric, units[:2], peers=means)
    >>> [str(total) for total in table.totals()]
    ['2.00', '0.00']
    """
    plan = plan_of(rubric)
    source = Table(table, rubric)
    with decimal.localcontext(DECIMAL_CONTEXT), np.errstate(all="ignore"):
        compiled = columns_of(plan)
        if compiled is None:  # every row by the row path
            states = [prepare(plan, source.row(i), source.names[i]) for i in range(source.size)]
            return _exact_sums(plan, states)
        return ColumnRun(plan, compiled, source, rubric=rubric).peer_sums()


def _exact_sums(plan: Plan, states: Sequence[Any]) -> dict[str, tuple[Exact, int]]:
    from rubriceng.scoring.peers import exact_sum, peer_values

    sums: dict[str, tuple[Exact, int]] = {}
    for leaf in plan.peer_leaves:
        values = peer_values(plan, leaf, states)
        sums[leaf.id] = (exact_sum(values), len(values))
    return sums


@isolated
def peer_means(parts: Sequence[PeerSums]) -> dict[str, Statistic]:
    """The peers' means over all parts, from each part's :func:`peer_sums`: exactly the
    means of the whole batch, however it was split (see :func:`peer_sums`).

    Means are exact: a Fraction (the mean of 1, 1 and 0 is 2/3, not 0.6666…).

    >>> from decimal import Decimal
    >>> peer_means([{"rate": (Decimal("1.9"), 2)}, {"rate": (Decimal("0.8"), 1)}])
    {'rate': Fraction(9, 10)}
    """
    from rubriceng.scoring.peers import exact_sum, mean_of

    means: dict[str, Statistic] = {}
    for name in {name for part in parts for name in part}:
        count = sum(part[name][1] for part in parts if name in part)
        if count:
            total = exact_sum([part[name][0] for part in parts if name in part])
            means[name] = mean_of(total, count)
    return means


def _peer_parts(rubric: Rubric, table: Any) -> PeerParts:
    """What a part of a batch adds to the peers' means (a Dask partition's share)."""
    plan = plan_of(rubric)
    source = Table(table, rubric)
    with decimal.localcontext(DECIMAL_CONTEXT), np.errstate(all="ignore"):
        compiled = columns_of(plan)
        if compiled is None:
            states = [prepare(plan, source.row(i), source.names[i]) for i in range(source.size)]
            from rubriceng.scoring.peers import peer_values

            values = {leaf.id: peer_values(plan, leaf, states) for leaf in plan.peer_leaves}
            return {
                name: pieces([value.as_integer_ratio() for value in found])
                for name, found in values.items()
            }
        return ColumnRun(plan, compiled, source, rubric=rubric).peer_parts()


def _combined(parts: Sequence[PeerParts]) -> dict[str, Statistic]:
    """The peers' means of a whole batch from its parts' shares, exactly as
    :func:`evaluate_table` computes them over the whole (a Mean above 1,000 values)."""
    means: dict[str, Statistic] = {}
    for name in {name for part in parts for name in part}:
        low = sum(part[name][0] for part in parts if name in part)
        pairs = [pair for part in parts if name in part for pair in part[name][1]]
        if not pairs:
            continue
        if len(pairs) > EXACT_MEANS:
            means[name] = Mean(low=low, count=len(pairs), pairs=pairs)
        else:
            means[name] = sum((Fraction(*pair) for pair in pairs), Fraction(0)) / len(pairs)
    return means


def _score_part(
    part: Any, rubric: Rubric, peers: Mapping[str, Statistic], errors: str, lang: str
) -> Any:
    if errors == "collect":
        return evaluate_table(rubric, part, peers=peers, errors="collect").to_frame(True, lang)
    return evaluate_table(rubric, part, peers=peers).to_frame()


def _evaluate_dask(
    rubric: Rubric, frame: Any, peers: Mapping[str, Statistic] | None, errors: str
) -> Any:
    import dask
    import pandas
    from dask import dataframe
    from dask.base import compute
    from dask.delayed import delayed

    if peers is None and plan_of(rubric).peer_leaves:
        parts = [delayed(_peer_parts, pure=False)(rubric, part) for part in frame.to_delayed()]
        peers = _combined(compute(*parts))  # type: ignore[no-untyped-call]
    names = [node.id for node in rubric.walk()] + ["subtotal"]
    names += [adjustment.id for adjustment in rubric.adjustments] + ["total", "grade"]
    if errors == "collect":
        names += ["error", "problems"]
    meta = pandas.DataFrame(
        {name: pandas.Series(dtype=object) for name in names},
        index=pandas.Index([], name="unit", dtype=object),
    )
    lang = language()  # the caller's, wherever the parts are scored
    scored = [
        delayed(_score_part, pure=False)(part, rubric, peers or {}, errors, lang)
        for part in frame.to_delayed()
    ]
    with dask.config.set({"dataframe.convert-string": False}):  # keep Decimals as Decimals
        return dataframe.from_delayed(scored, meta=meta, verify_meta=False)
