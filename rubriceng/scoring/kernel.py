"""The row kernel: one Python function per rubric, generated as source code and compiled.

:func:`build_kernel` turns a compiled rubric (its :class:`~rubriceng.scoring.plan.Plan`) into
the source of one function that scores a unit on the path units usually take: inputs of
their canonical types (Decimals or ints for numbers, booleans, lists and mappings as the
input types read them), every formula and built-in scoring method written out as integer
arithmetic on exact numerator/denominator pairs, the not-applicable pattern looked up,
every leaf scaled and rounded with ``(2n + d) // (2d)`` at the rubric's step, nothing
walked, nothing looked up by name. It returns the leaves' scores in steps (cents), or
None for anything unusual — an input of another type or out of its range, a division by
zero, a score outside its points — and the engine then takes its general, checked path,
which gives the same scores or reports what is wrong. A leaf whose method has no
generated form (a plugin's method, a formula calling a plugin's function) is scored by
the general leaf code, called from the generated function.

The kernel is immutable; its :attr:`Kernel.source` is what a pickled rubric carries to
be compiled again on arrival. Its answers are held to the general path's by
``tests/test_kernel.py`` (every method, exact ties, random units and random formulas).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.inputs.types import to_amount, to_count, to_decimal
from rubriceng.language.model import CENT, Indicator, Rubric
from rubriceng.methods.peer import PeerScorer
from rubriceng.methods.unit_defined import UnitDefinedScorer
from rubriceng.scoring.forms import FORMS, Leaf
from rubriceng.scoring.runtime import (
    MAX_SOURCE,
    MISSING,
    Collecting,
    Outcome,
    Parts,
    Paused,
    Unsupported,
    as_decimal,
    even_shares,
    peer_side,
    significant,
)
from rubriceng.scoring.source import (
    REREAD,
    Formulas,
    Source,
    Value,
    literal,
    mul,
    pair,
    read_input,
)


@attrs.frozen
class Kernel:
    """A rubric's generated scoring function. ``run(inputs, peers, seen=None)`` gives an
    :class:`Outcome`, or None when the unit must take the general path; ``peers`` are
    the peer statistics by leaf id, and ``seen``, if a dict, receives the ``value`` of
    each peer leaf it reaches (as a numerator/denominator pair)."""

    source: str
    run: Callable[..., Outcome | Paused | None] = attrs.field(eq=False, repr=False)
    collects: frozenset[str] = frozenset()
    """The peer leaves whose value ``run`` records in ``seen``."""
    resume: Callable[..., Outcome | None] | None = attrs.field(default=None, eq=False, repr=False)
    """``resume(paused.state, peers, seen=None)``: the outcome of a unit ``run`` paused
    (given ``Collecting`` statistics), with the batch's ``peers``; as ``run`` would give
    it, without reading and checking the unit's inputs again. None without peer leaves."""


# -- the whole function ----------------------------------------------------------------


def build_kernel(
    rubric: Rubric,
    schema: Mapping[str, Mapping[str, Any]],
    functions: Mapping[str, Any],
    defaults: Mapping[str, Any],
    optional: frozenset[str],
    required: Mapping[str, Sequence[str]],
    conditional: Sequence[Indicator],
    leaves: Sequence[Indicator],
    pattern: Callable[[tuple[str, ...]], Any],
    general_leaf: Callable[..., Any],
    fixed: Sequence[tuple[int, int, int] | None],
) -> Kernel | None:
    """The generated scoring function of ``rubric``, or None if some part of it (an input
    rule only cerberus knows, an ``applies`` formula without an integer form) leaves
    every unit to the general path.

    ``pattern(roots)`` gives the per-pattern constants (see :class:`Pattern`) for the ids
    of the indicators that do not apply; ``general_leaf(index, inputs, pattern, peers)``
    scores leaf ``index`` by the general code. ``fixed`` gives, for each leaf that applies
    at the same points in every pattern, its factor from raw score to steps and its cap
    (constants in the code); None for the others."""
    if rubric.rounding.mode != "half_up":
        return None
    out = Source()
    formulas = Formulas(out, functions)
    known = frozenset(schema)
    out.line("keys = inputs.keys()")
    out.line(f"if not keys <= {out.constant(known, 'KNOWN')}: return None")
    needed = frozenset(name for name, rules in schema.items() if rules.get("required"))
    if needed:
        out.line(f"if not {out.constant(needed, 'REQUIRED')} <= keys: return None")
    missing = out.constant(MISSING, "MISSING")
    scope: dict[str, Value] = {}
    normal: dict[str, str] = {}
    raws: dict[str, str] = {}
    try:
        always = _always_needed(rubric, conditional, required) - set(defaults) - optional
        for name, rules in schema.items():
            raw = out.temp("x")
            raws[name] = raw
            if name in always:  # every unit must give it: absent, the general path says so
                out.line(f"{raw} = inputs[{name!r}]")
                found, normal[name] = read_input(out, name, rules, raw)
                scope[name] = found
                continue
            default = defaults.get(name, missing)
            fallback = missing if default is missing else out.constant(default, "DEFAULT")
            out.line(f"{raw} = inputs.get({name!r}, {fallback})")
            out.line(f"if {raw} is not {missing}:")
            out.depth += 1
            found, normal[name] = read_input(out, name, rules, raw)
            out.depth -= 1
            if found[0] == "num" and str(found[1]).isidentifier():
                out.line(f"else: {found[1]} = None")  # (a peer's ``given`` may be absent)
            scope[name] = found
            if name in optional:  # formulas see None when it is not given
                normal[name] = f"({normal[name]} if {raw} is not {missing} else None)"
        # which indicators apply, in the engine's order
        ids = []
        for node in conditional:
            assert node.applies is not None
            flag = out.temp("a")
            for name in sorted(node.applies.names):
                out.line(f"if {raws.get(name, missing)} is {missing}: return None")
            out.line(f"{flag} = {formulas.boolean(node.applies, scope)}")
            ids.append((node, flag))
        out.line("found = []")  # flat statements: a rubric of thousands compiles too
        for node, flag in ids:
            outer = [f for other, f in ids if other is not node and _inside(node, other)]
            condition = " and ".join([*outer, f"not {flag}"]) if outer else f"not {flag}"
            out.line(f"if {condition}: found.append({node.id!r})")
        out.line("roots = tuple(found)")
        out.line("P = PATTERNS.get(roots) or PATTERN(roots)")
        out.line("if P is None: return None")
        out.line(f"if len(keys) != {len(known)} and not P.needed <= keys: return None")
        out.line("na = P.not_applicable")
        out.line("cased = []")
        # the leaves compared with their peers first: a first pass over a batch, which
        # wants only each unit's peer values, pauses after them, keeping what it has read
        # (any order gives the same scores; a leaf that fails sends the unit to the
        # general path whichever it is)
        peer = [bool(leaf.scorer and leaf.scorer.peer_statistic()) for leaf in leaves]
        order = sorted(range(len(leaves)), key=lambda index: not peer[index])
        paused = len(out.lines) if any(peer) else None
        if paused is not None:
            out.line("")  # where the unit's state is kept: written once it is known
            before = {*out.made, *PROLOGUE}
        for position, index in enumerate(order):
            leaf = leaves[index]
            if position and peer[order[position - 1]] and not peer[index]:
                out.line("if type(peers) is COLLECTING: return PAUSED(state)")
            if fixed[index] is None:
                out.line(f"if na[{index}]: s{index} = P.na_scores[{index}]")
                out.line("else:")
                out.depth += 1
            _leaf(
                out,
                formulas,
                leaf,
                index,
                scope,
                normal,
                required[leaf.id],
                rubric.rounding.quantum == CENT,
                fixed[index],
            )
            if fixed[index] is None:
                out.depth -= 1
        events = []
        for adjustment in rubric.adjustments:
            event = scope.get(adjustment.id)
            if event is None or event[0] != "num" or event[2] != "1":
                raise Unsupported("adjustment")
            events.append(str(event[1]))
        if peer and all(peer):  # every leaf compared with its peers: pause after all
            out.line("if type(peers) is COLLECTING: return PAUSED(state)")
        out.line(f"events = ({''.join(event + ', ' for event in events)})")
        for index in sorted(out.objects):  # a score the general code or the parts gave
            out.line(f"t{index} = s{index} if type(s{index}) is int else s{index}.steps")
        scores = "".join(f"s{index}, " for index in range(len(leaves)))
        steps = "".join(
            f"t{index}, " if index in out.objects else f"s{index}, " for index in range(len(leaves))
        )
        out.line(f"return OUTCOME(roots, ({scores}), frozenset(cased), events, sum(({steps})))")
    except Unsupported:
        return None
    made = before if paused is not None else set()
    source = _with_resume(out.lines, paused, made)
    if len(source) > MAX_SOURCE:  # a very large rubric: its batches run it twice instead
        source = _with_resume(out.lines, paused, made, resume=False)
    if len(source) > MAX_SOURCE:
        return None
    try:
        return _compiled(source, out.constants, pattern, general_leaf, frozenset(out.collects))
    except (SyntaxError, RecursionError, MemoryError, ValueError, OverflowError):
        return None  # beyond what CPython compiles (blocks nested past 20, say): general


PROLOGUE = frozenset({"inputs", "keys", "found", "roots", "P", "na"})
"""The names the generated function gives before its leaves, besides its temporaries."""
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _with_resume(lines: list[str], paused: int | None, made: set[str], resume: bool = True) -> str:
    """The source of ``run`` (its body's ``lines``), and, when it pauses for a batch's
    first pass (the empty line at ``paused``, before the first leaf) and ``resume`` is
    true, of ``resume``: the statements from there on, after the values ``run`` then had
    (``made``) that they name (``cased`` is still empty there)."""
    if paused is None:
        return "def run(inputs, peers, seen=None):\n" + "\n".join(lines) + "\n"
    before, after = lines[:paused], lines[paused + 1 :]
    named = set(_WORD.findall("\n".join(after)))  # (a word in a text too: kept, unread)
    names = sorted(made & named)
    kept = "".join(f"{name}, " for name in names)
    run = [
        *before,
        "    if type(peers) is COLLECTING:",
        "        try:",
        f"            state = ({kept})",
        "        except NameError:  # a value this unit has none of: no later line reads it",
        f"            state = tuple(map(locals().get, {tuple(names)!r}))",
        *after,
    ]
    source = "def run(inputs, peers, seen=None):\n" + "\n".join(run) + "\n"
    if not resume:
        return source
    resumed = [f"    ({kept}) = state", "    cased = []", *after]
    return source + "\n\ndef resume(state, peers, seen=None):\n" + "\n".join(resumed) + "\n"


def _leaf(
    out: Source,
    formulas: Formulas,
    leaf: Indicator,
    index: int,
    scope: dict[str, Value],
    normal: Mapping[str, str],
    wanted: Sequence[str],
    cents: bool,
    fixed: tuple[int, int, int] | None,
) -> None:
    """Statements setting ``s<index>``: leaf ``index``'s score in steps (or what the
    general code or the parts give)."""
    mark = out.mark()
    names = "".join(f"({name!r}, {normal[name]}), " for name in wanted if name in normal)
    general = f"s{index} = GENERAL({index}, ({names}), P, peers)"
    if isinstance(leaf.scorer, UnitDefinedScorer) or not FORMS.get(type(leaf.scorer)):
        out.objects.add(index)
    try:
        if isinstance(leaf.scorer, UnitDefinedScorer):
            _parts_leaf(out, leaf, index, scope, general, cents)
        else:
            _fast_leaf(out, formulas, leaf, index, dict(scope), fixed)
    except Unsupported:
        out.rollback(mark)
        out.objects.add(index)
        out.line(general)


def _parts_leaf(
    out: Source,
    leaf: Indicator,
    index: int,
    scope: Mapping[str, Value],
    general: str,
    cents: bool,
) -> None:
    """A ``unit_defined`` leaf at its own points, its parts splitting them evenly; any
    other case is the general code's."""
    own = scope.get(leaf.id)
    if own is None or own[0] != "rows" or leaf.cases or leaf.values or not cents:
        raise Unsupported("parts")
    items, rows, total = str(own[1]), out.temp("r"), out.temp("s")
    out.line(f"if P.factors[{index}][:2] != (100, 1) or any('points' in i for i in {items}):")
    out.line(f"    {general}")
    out.line("else:")
    out.depth += 1
    out.line(f"{rows}, {total} = [], 0")
    points = out.constant(leaf.points)
    out.line(f"for i, share in zip({items}, EVEN_SHARES({points}, len({items}))):")
    out.line("    if share == 0: return None")
    out.line("    sv = i['score']")  # read again from the unit, as the checker reads it
    out.line(f"    sn, sd = {REREAD.format('sv')}.as_integer_ratio()")
    out.line("    if sn * 100 > share * sd: return None")
    out.line("    step = (200 * sn + sd) // (2 * sd)")
    out.line("    if step > share: step = share")
    out.line(f"    {rows}.append((i['name'], share, step))")
    out.line(f"    {total} += step")
    out.line(f"s{index} = PARTS({total}, tuple({rows}))")
    out.depth -= 1


def _fast_leaf(
    out: Source,
    formulas: Formulas,
    leaf: Indicator,
    index: int,
    scope: dict[str, Value],
    fixed: tuple[int, int, int] | None,
) -> None:
    scorer = leaf.scorer
    if scorer is None or not type(scorer).__module__.startswith("rubriceng.methods."):
        raise Unsupported("a plugin's method")
    scope["points"] = literal(leaf.points)
    own = scope.get(leaf.id)
    step = out.temp("s")
    rn, rd = out.temp("rn"), out.temp("rd")
    opened = 0
    for case in leaf.cases:
        test = formulas.value(case.when, scope)
        sn, sd = pair(case.score)
        flag = out.temp("h")
        out.line(f"{flag} = {test[1]} is True" if test[0] == "bool" else f"{flag} = False")
        out.line(f"if {flag}:")
        out.line(f"    {rn}, {rd} = {sn}, {sd}")
        out.line(f"    cased.append({index})")
        out.line("else:")
        out.depth += 1
        opened += 1
    for name, formula in leaf.values:
        found = formulas.value(formula, scope)
        scope[name] = found
    peer = out.temp("p")
    if isinstance(scorer, PeerScorer):
        out.line(f"{peer} = peers.get({leaf.id!r})")
    form = FORMS.get(type(scorer))
    if form is None:
        raise Unsupported(type(scorer).__name__)
    form(Leaf(out, formulas, leaf, scope, own, peer, (rn, rd)), scorer)
    out.depth -= opened
    points = pair(leaf.points)
    out.line(f"if {rn} < 0 or {mul(rn, points[1])} > {mul(points[0], rd)}: return None")
    if fixed is None:
        out.line(f"fn, fd, cap = P.factors[{index}]")
        out.line(f"{step} = (2 * {rn} * fn + {rd} * fd) // (2 * {rd} * fd)")
        out.line(f"s{index} = {step} if {step} < cap else cap")
        return
    top, bottom, cap = fixed  # the same in every pattern: constants
    out.line(f"{step} = ({mul(rn, 2 * top)} + {mul(rd, bottom)}) // ({mul(rd, 2 * bottom)})")
    out.line(f"s{index} = {step} if {step} < {cap} else {cap}")


def _always_needed(
    rubric: Rubric, conditional: Sequence[Indicator], required: Mapping[str, Sequence[str]]
) -> set[str]:
    """The inputs every unit must give, whatever applies: those of the leaves outside
    every conditional indicator, and the adjustments'."""
    inside = {id(node) for top in conditional for node in top.walk()}
    found = {item.id for item in rubric.adjustments}
    for leaf in rubric.walk():
        if leaf.is_leaf and id(leaf) not in inside:
            found.update(required.get(leaf.id, ()))
    return found


def _inside(node: Indicator, outer: Indicator) -> bool:
    return any(inner is node for inner in outer.walk())


def _compiled(
    source: str,
    constants: Mapping[str, Any],
    pattern: Any,
    general: Any,
    collects: frozenset[str],
) -> Kernel:
    namespace: dict[str, Any] = {
        **constants,
        "DECIMAL": Decimal,
        "AS_DECIMAL": as_decimal,
        "COLLECTING": Collecting,
        "PAUSED": Paused,
        "TO_DECIMAL": to_decimal,
        "TO_AMOUNT": to_amount,
        "TO_COUNT": to_count,
        "SIGNIFICANT": significant,
        "PATTERNS": {},
        "PATTERN": pattern,
        "GENERAL": general,
        "OUTCOME": Outcome,
        "PARTS": Parts,
        "EVEN_SHARES": even_shares,
        "PEER_SIDE": peer_side,
    }
    code = compile(source, "<rubriceng kernel>", "exec")
    exec(code, namespace)
    resume = namespace.get("resume")
    patterns: dict[Any, Any] = namespace["PATTERNS"]

    def remember(roots: tuple[str, ...]) -> Any:
        found = pattern(roots)
        patterns[roots] = found
        return found

    namespace["PATTERN"] = remember
    return Kernel(source, namespace["run"], collects, resume)
