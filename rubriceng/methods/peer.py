"""``peer``: full marks when ``value`` reaches the peers' mean or median."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from rubriceng.methods.base import (
    ZERO,
    CompileContext,
    Context,
    Method,
    Scored,
    Scorer,
    ScoringFailure,
)


@attrs.frozen
class PeerScorer(Scorer):
    """Full marks when ``value`` is at least (or above) the peers' mean or median."""

    statistic: str
    compare: str = "at_least"
    given: str | None = None

    def peer_statistic(self) -> str | None:
        return self.statistic

    def score(self, context: Context) -> Scored:
        value = context.named_number("value", "value")
        trace: dict[str, Any] = {"value": value, "statistic": self.statistic}
        if context.peer is not None:
            peer = context.peer
            trace["source"] = "computed over the units scored together"
        elif self.given is not None and context.names.get(self.given) is not None:
            peer = context.named_number(self.given, self.given)
            trace["source"] = f"input {self.given}"
        else:
            hint = f" or supply input {self.given!r}" if self.given else ""
            raise ScoringFailure(
                "peer-statistic-missing",
                f"no peer {self.statistic}: score the unit together with its peers{hint}",
                self.given or "peer",
            )
        met = value >= peer if self.compare == "at_least" else value > peer  # exactly: 2/3 = 2/3
        trace.update(
            peer=peer,
            rule=f"value {'≥' if self.compare == 'at_least' else '>'} peer {self.statistic}",
            met=met,
        )
        return Scored(context.points if met else ZERO, trace)


def _compile_peer(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    given = spec.get("given")
    if given is not None and given not in cc.declared_inputs:
        cc.problem(
            "unknown-input",
            f"'given' names {given!r}, which is not a declared input",
            "peer",
            "given",
        )
        return None
    return PeerScorer(spec.get("statistic", "mean"), spec.get("compare", "at_least"), given)


_PEER_RULES = {
    "type": "dict",
    "schema": {
        "statistic": {"type": "string", "allowed": ["mean", "median"]},
        "compare": {"type": "string", "allowed": ["at_least", "above"]},
        "given": {"type": "string"},
    },
}


METHOD = Method(
    "peer",
    _PEER_RULES,
    _compile_peer,
    needs_value=True,
    summary="full marks when value reaches the peers' mean or median",
)
"""The ``peer`` method."""
