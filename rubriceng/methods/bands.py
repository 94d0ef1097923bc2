"""``bands``: ordered thresholds on ``value``, with explicit edges."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.exact import Exact
from rubriceng.methods.base import CompileContext, Context, Method, Scored, Scorer


@attrs.frozen
class Band:
    """One row of a band table: scores ``score`` for values up to ``bound``."""

    score: Decimal
    bound: Decimal | None = None
    inclusive: bool = True

    def holds(self, value: Exact) -> bool:
        """Whether ``value`` falls in this band, given it was not in an earlier one."""
        if self.bound is None:
            return True
        return value <= self.bound if self.inclusive else value < self.bound

    def describe(self) -> str:
        """The band's condition in words, e.g. ``value ≤ 0.10``."""
        if self.bound is None:
            return "otherwise"
        return f"value {'≤' if self.inclusive else '<'} {self.bound}"


@attrs.frozen
class BandsScorer(Scorer):
    """Ordered bands over ``value``; the first band that holds gives the score."""

    bands: tuple[Band, ...]

    def score(self, context: Context) -> Scored:
        value = context.named_number("value", "value")
        for index, band in enumerate(self.bands):
            if band.holds(value):
                trace = {"value": value, "band": index, "rule": band.describe()}
                return Scored(band.score, trace)
        raise AssertionError("band tables end with 'else'")  # pragma: no cover - checked at load


def _compile_bands(spec: Sequence[Mapping[str, Any]], cc: CompileContext) -> Scorer | None:
    bands: list[Band] = []
    ok = True
    for index, row in enumerate(spec):
        keys = [key for key in ("upto", "below", "else") if key in row]
        if len(keys) != 1:
            cc.problem(
                "band-form",
                "each band has exactly one of 'upto', 'below' or 'else'",
                "bands",
                index,
            )
            ok = False
            continue
        if keys[0] == "else":
            score = Decimal(row["else"])
            if "score" in row:
                cc.problem(
                    "band-form", "'else' carries the score itself: {else: 0}", "bands", index
                )
            band = Band(score)
        else:
            if "score" not in row:
                cc.problem("band-form", "the band needs a 'score'", "bands", index)
                ok = False
                continue
            score = Decimal(row["score"])
            band = Band(score, Decimal(row[keys[0]]), keys[0] == "upto")
        cc.check_score(score, "bands", index)
        bands.append(band)
    if not ok:
        return None
    for index, (before, after) in enumerate(itertools.pairwise(bands), start=1):
        if before.bound is None:
            cc.problem("band-order", "'else' must be the last band", "bands", index - 1)
            return None
        if after.bound is None:
            continue
        if after.bound < before.bound or (
            after.bound == before.bound and not (not before.inclusive and after.inclusive)
        ):
            cc.problem(
                "band-order",
                f"band '{after.describe()}' overlaps or is empty after '{before.describe()}': "
                "bounds must increase (equal bounds only as 'below x' then 'upto x')",
                "bands",
                index,
            )
            return None
    if not bands or bands[-1].bound is not None:
        cc.problem(
            "band-gap", "the last band must be {else: <score>} so every value is covered", "bands"
        )
        return None
    return BandsScorer(tuple(bands))


_BANDS_RULES = {
    "type": "list",
    "minlength": 1,
    "schema": {
        "type": "dict",
        "schema": {
            "upto": {"type": "decimal"},
            "below": {"type": "decimal"},
            "else": {"type": "decimal"},
            "score": {"type": "decimal"},
            "label": {"type": "string"},
        },
    },
}


METHOD = Method(
    "bands",
    _BANDS_RULES,
    _compile_bands,
    needs_value=True,
    summary="ordered thresholds on value, explicit edges",
)
"""The ``bands`` method."""
