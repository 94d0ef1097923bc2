"""The built-in scoring methods written out as integer arithmetic, one form per method in
the order of :mod:`rubriceng.methods` (:data:`FORMS`). A method without a form (any
plugin's) is called from the generated code as it is.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from rubriceng.language.model import Indicator
from rubriceng.methods.all_or_nothing import AllOrNothingScorer
from rubriceng.methods.average import AverageScorer
from rubriceng.methods.bands import BandsScorer
from rubriceng.methods.checklist import ChecklistScorer
from rubriceng.methods.deductions import DeductionsScorer
from rubriceng.methods.formula import FormulaScorer
from rubriceng.methods.judgement import JudgementScorer
from rubriceng.methods.peer import PeerScorer
from rubriceng.methods.ratio import RatioScorer
from rubriceng.methods.steps import StepsScorer
from rubriceng.scoring.runtime import Unsupported
from rubriceng.scoring.source import Formulas, Source, Value, literal, mul, pair

# -- scoring methods -------------------------------------------------------------------


class Leaf:
    """What a method's integer form is written with: the source, the formulas, the leaf,
    the names in scope, its own input, the name of its peer statistic, the names of its
    raw score (``rn``, ``rd``) and its points as literals (``pn``, ``pd``)."""

    def __init__(
        self,
        out: Source,
        formulas: Formulas,
        leaf: Indicator,
        scope: dict[str, Value],
        own: Value | None,
        peer: str,
        raw: tuple[str, str],
    ) -> None:
        self.out, self.formulas, self.leaf, self.scope = out, formulas, leaf, scope
        self.own, self.peer = own, peer
        points = literal(leaf.points)
        self.pn, self.pd = str(points[1]), str(points[2])
        self.rn, self.rd = raw

    def value(self, method: str) -> tuple[str, str]:
        """The leaf's ``value`` as a pair (bands, steps and peers compare it)."""
        found = self.scope.get("value")
        if found is None or found[0] != "num":
            raise Unsupported(f"{method} without a number")
        return str(found[1]), str(found[2])


def _formula(at: Leaf, scorer: Any) -> None:
    """``score:``: the formula."""
    out, formulas, scope, rn, rd = at.out, at.formulas, at.scope, at.rn, at.rd
    found = formulas.number(scorer.formula, scope)
    out.line(f"{rn}, {rd} = {found[1]}, {found[2]}")


def _ratio(at: Leaf, scorer: Any) -> None:
    """``ratio:``: points × actual / target, capped, with its rules for excess and zero."""
    out, formulas, scope = at.out, at.formulas, at.scope
    rn, rd, pn, pd = at.rn, at.rd, at.pn, at.pd
    actual = formulas.number(scorer.actual, scope)
    target = formulas.number(scorer.target, scope)
    _, an, ad, _, _ = actual
    _, tn, td, _, _ = target
    out.line(f"if {an} < 0 or {tn} < 0: return None")
    exceeds = f"{mul(an, td)} > {mul(tn, ad)}"
    if scorer.zero_when_exceeds:  # decided before a zero target
        out.line(f"if {exceeds}: {rn}, {rd} = 0, 1")
    elif scorer.refuse_when_exceeds:
        out.line(f"if {exceeds}: return None")
    else:
        out.line("if False: pass")
    if scorer.if_target_zero is not None:
        zn, zd = pair(scorer.if_target_zero)
        out.line(f"elif {tn} == 0: {rn}, {rd} = {zn}, {zd}")
    else:
        out.line(f"elif {tn} == 0: return None")
    out.line(f"elif {exceeds}: {rn}, {rd} = {pn}, {pd}")  # a rate above 1: capped
    out.line(f"else: {rn}, {rd} = {mul(pn, an, td)}, {mul(pd, ad, tn)}")


def _bands(at: Leaf, scorer: Any) -> None:
    """``bands:``: the first band that holds."""
    out, formulas, rn, rd = at.out, at.formulas, at.rn, at.rd
    vn, vd = at.value("bands")
    for index, band in enumerate(scorer.bands):
        sn, sd = pair(band.score)
        if band.bound is None:
            out.line(("else: " if index else "") + f"{rn}, {rd} = {sn}, {sd}")
            continue
        test = formulas.compare_pair(
            ast.LtE if band.inclusive else ast.Lt, ("num", vn, vd, 0, 0), literal(band.bound)
        )
        out.line(f"{'if' if index == 0 else 'elif'} {test}: {rn}, {rd} = {sn}, {sd}")


def _steps(at: Leaf, scorer: Any) -> None:
    """``steps:``: points less a deduction per started or full step, floor 0."""
    out, rn, rd, pn, pd = at.out, at.rn, at.rd, at.pn, at.pd
    vn, vd = at.value("steps")
    an, ad = pair(scorer.start)
    sn, sd = pair(scorer.size)
    gn, gd = pair(scorer.deduct)
    top, bottom, count = out.temp("n"), out.temp("d"), out.temp("c")
    out.line(f"{top} = ({vn} * {ad} - {an} * {vd}) * {sd}")
    out.line(f"{bottom} = {vd} * {ad} * {sn}")
    if scorer.count == "started":
        out.line(f"{count} = -((-{top}) // {bottom})")
    else:
        out.line(f"{count} = {top} // {bottom}")
    out.line(f"if {count} < 0: {count} = 0")
    out.line(f"{rn}, {rd} = {pn} * {gd} - {gn} * {count} * {pd}, {pd} * {gd}")
    out.line(f"if {rn} < 0: {rn} = 0")


def _checklist(at: Leaf, scorer: Any) -> None:
    """``checklist:``: the credits given and the fractions computed."""
    out, formulas, scope, own, rn, rd = at.out, at.formulas, at.scope, at.own, at.rn, at.rd
    started = False  # the first credit is the sum so far: no 0/1 to add it to
    for item in scorer.items:
        qn, qd = pair(item.points)
        if item.fraction is None:
            if own is None or own[0] != "fields":
                raise Unsupported("checklist without its input")
            given = own[1][item.id]
            if given[0] == "bool" and not started:
                out.line(f"{rn}, {rd} = ({qn}, {qd}) if {given[1]} else (0, 1)")
            elif given[0] == "bool":
                out.line(f"if {given[1]}: {rn}, {rd} = {_plus(rn, rd, str(qn), str(qd))}")
            elif not started:
                out.line(f"{rn}, {rd} = {given[1]}, {given[2]}")
            else:
                out.line(f"{rn}, {rd} = {_plus(rn, rd, given[1], given[2])}")
            started = True
            continue
        share = formulas.number(item.fraction, scope)
        _, fn, fd, _, _ = share
        out.line(f"if {fn} < 0 or {fn} > {fd}: return None")
        credit = (mul(qn, fn), mul(fd, qd))
        out.line(f"{rn}, {rd} = {_plus(rn, rd, *credit) if started else ', '.join(credit)}")
        started = True
    if not started:
        out.line(f"{rn}, {rd} = 0, 1")


def _plus(n: str, d: str, other_n: str, other_d: str) -> str:
    """The sum of n/d and another pair, as the source of a pair ``n, d``."""
    if other_d == "1":
        return f"{n} + {mul(other_n, d)}, {d}"
    return f"{n} * {other_d} + {mul(other_n, d)}, {mul(d, other_d)}"


def _deductions(at: Leaf, scorer: Any) -> None:
    """``deductions:``: points less each deduction (within its cap), floor 0."""
    out, formulas, scope = at.out, at.formulas, at.scope
    rn, rd, pn, pd = at.rn, at.rd, at.pn, at.pd
    started = False  # deducted so far: nothing until the first item
    for item in scorer.deductions:
        gn, gd = pair(item.deduct)
        an, ad = out.temp("n"), out.temp("d")
        if item.when is not None:
            test = formulas.boolean(item.when, scope)
            out.line(f"{an}, {ad} = ({gn} if {test} else 0), {gd}")
        else:
            assert item.count is not None
            events = formulas.number(item.count, scope)
            out.line(f"if {events[1]} < 0: return None")
            out.line(f"{an}, {ad} = {gn} * {events[1]}, {gd} * {events[2]}")
        if item.max is not None:
            xn, xd = pair(item.max)
            out.line(f"if {an} * {xd} > {xn} * {ad}: {an}, {ad} = {xn}, {xd}")
        out.line(f"{rn}, {rd} = {_plus(rn, rd, an, ad) if started else f'{an}, {ad}'}")
        started = True
    if not started:
        out.line(f"{rn}, {rd} = 0, 1")
    out.line(f"{rn}, {rd} = {mul(pn, rd)} - {mul(rn, pd)}, {mul(pd, rd)}")
    out.line(f"if {rn} < 0: {rn} = 0")


def _all_or_nothing(at: Leaf, scorer: Any) -> None:
    """``all_or_nothing:``: full marks or 0."""
    out, formulas, scope = at.out, at.formulas, at.scope
    rn, rd, pn, pd = at.rn, at.rd, at.pn, at.pd
    test = formulas.boolean(scorer.condition, scope)
    out.line(f"{rn}, {rd} = ({pn}, {pd}) if {test} else (0, 1)")


def _judgement(at: Leaf, scorer: Any) -> None:
    """``judgement:``: the assessor's score."""
    out, own, rn, rd = at.out, at.own, at.rn, at.rd
    if own is None or own[0] != "fields" or own[1]["score"][0] != "num":
        raise Unsupported("judgement without its input")
    out.line(f"{rn}, {rd} = {own[1]['score'][1]}, {own[1]['score'][2]}")


def _peer(at: Leaf, scorer: Any) -> None:
    """``peer:``: full marks when the value reaches the peers' statistic (or the given one)."""
    out, scope, peer, rn, rd, pn, pd = at.out, at.scope, at.peer, at.rn, at.rd, at.pn, at.pd
    vn, vd = at.value("peer")
    given = scope.get(scorer.given) if scorer.given else None
    out.line(f"if seen is not None: seen[{at.leaf.id!r}] = ({vn}, {vd})")
    out.collects.add(at.leaf.id)
    out.line(f"if {peer} is not None: side = PEER_SIDE({vn}, {vd}, {peer})")
    if given is not None and given[0] == "num":
        left, right = f"{vn} * {given[2]}", f"{given[1]} * {vd}"
        out.line(f"elif {given[1]} is not None: side = ({left} > {right}) - ({left} < {right})")
    out.line("else: return None")
    symbol = ">=" if scorer.compare == "at_least" else ">"
    out.line(f"{rn}, {rd} = ({pn}, {pd}) if side {symbol} 0 else (0, 1)")


def _average(at: Leaf, scorer: Any) -> None:
    """``average:`` of actual/target per period, each capped: points × their mean."""
    out, formulas, scope = at.out, at.formulas, at.scope
    rn, rd, pn, pd = at.rn, at.rd, at.pn, at.pd
    if scorer.rates is not None:
        raise Unsupported("average over rates")
    assert scorer.actual is not None and scorer.target is not None
    actual = formulas.value(scorer.actual, scope)
    target = formulas.value(scorer.target, scope)
    if actual[0] != "list" or target[0] != "list":
        raise Unsupported("average of non-lists")
    mean_n, mean_d = out.temp("n"), out.temp("d")
    out.line(f"if not {actual[1]} or len({actual[1]}) != len({target[1]}): return None")
    out.line(f"{mean_n}, {mean_d} = 0, 1")
    out.line(f"for (an, ad), (tn, td) in zip({actual[1]}, {target[1]}):")
    out.line("    if tn == 0: return None")
    out.line("    xn, xd = an * td, ad * tn")
    out.line("    if xd < 0: xn, xd = -xn, -xd")
    out.line("    if xn < 0: return None")
    if scorer.cap_each is not None:
        cn, cd = pair(scorer.cap_each)
        out.line(f"    if xn * {cd} > {cn} * xd: xn, xd = {cn}, {cd}")
    out.line(f"    {mean_n}, {mean_d} = {mean_n} * xd + xn * {mean_d}, {mean_d} * xd")
    out.line(f"{mean_d} = {mean_d} * len({actual[1]})")
    out.line(f"if {mean_n} > {mean_d}: {mean_n} = {mean_d}")
    out.line(f"{rn}, {rd} = {pn} * {mean_n}, {pd} * {mean_d}")


FORMS: Mapping[type, Callable[[Any, Any], None]] = {
    FormulaScorer: _formula,
    RatioScorer: _ratio,
    BandsScorer: _bands,
    StepsScorer: _steps,
    ChecklistScorer: _checklist,
    DeductionsScorer: _deductions,
    AllOrNothingScorer: _all_or_nothing,
    JudgementScorer: _judgement,
    PeerScorer: _peer,
    AverageScorer: _average,
}
"""The integer form of each built-in method."""
