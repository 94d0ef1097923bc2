"""The words of a target's judgement and comparison: what a target sheet, the parser and
the scoring method share (kept apart so that registering the method loads no parser)."""

from __future__ import annotations

MET = "met"
NOT_MET = "not_met"
PARTLY_MET = "partly_met"
NEEDS_JUDGEMENT = "needs_judgement"

AT_LEAST, ABOVE, AT_MOST, BELOW, EQUAL = ">=", ">", "<=", "<", "="
COMPARATORS = (AT_LEAST, ABOVE, AT_MOST, BELOW, EQUAL)
"""How an actual value must relate to the target's number."""

TIERS = {
    "达成": MET,
    "部分达成": PARTLY_MET,
    "未达成": NOT_MET,
    MET: MET,
    PARTLY_MET: PARTLY_MET,
    NOT_MET: NOT_MET,
}
"""A person's judgement of a target, in the form's words or rubriceng's."""
