"""``judgement``: an assessor's score within bounds, with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.methods.base import ZERO, CompileContext, Context, Method, Scored, Scorer


@attrs.frozen
class JudgementScorer(Scorer):
    """A score chosen by the assessor within bounds, with a written reason (酌情)."""

    minimum: Decimal
    maximum: Decimal
    judged = True

    def own_input(self) -> Mapping[str, Any] | None:
        return {
            "type": "dict",
            "schema": {
                "score": {
                    "type": "decimal",
                    "coerce": "decimal",
                    "required": True,
                    "min": self.minimum,
                    "max": self.maximum,
                },
                "reason": {"type": "string", "required": True, "empty": False},
            },
        }

    def score(self, context: Context) -> Scored:
        return Scored(context.own["score"], {"reason": context.own["reason"]})


def _compile_judgement(spec: Mapping[str, Any], cc: CompileContext) -> Scorer | None:
    minimum = Decimal(spec.get("min", ZERO))
    maximum = Decimal(spec.get("max", cc.points))
    cc.check_score(minimum, "judgement", "min")
    cc.check_score(maximum, "judgement", "max")
    if minimum > maximum:
        cc.problem("judgement-bounds", "'min' is above 'max'", "judgement")
    return JudgementScorer(minimum, maximum)


_JUDGEMENT_RULES = {
    "type": "dict",
    "schema": {"min": {"type": "decimal"}, "max": {"type": "decimal"}},
}


METHOD = Method(
    "judgement",
    _JUDGEMENT_RULES,
    _compile_judgement,
    summary="an assessor's score within bounds, with a reason",
)
"""The ``judgement`` method."""
