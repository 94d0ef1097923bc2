"""The plan of a compiled rubric, and the general row path.

A :class:`Plan` is built once per rubric and never changed: the compiled checker of a
unit's inputs, the not-applicable patterns and their allocations, and the generated
kernel. :func:`prepare` checks one unit's inputs into a
:class:`~rubriceng.scoring.unit.UnitState`; :func:`score_leaf` and :func:`score_unit`
score it step by step, with traces. The batch path relies on these as they are documented.
"""

from __future__ import annotations

import decimal
import functools
import itertools
import threading
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from rubriceng.decimals import DECIMAL_CONTEXT
from rubriceng.errors import EvaluationError, InputError, Problem, RubricError
from rubriceng.exact import (
    Exact,
    Statistic,
    divide,
    multiply,
    rational,
    shown,
)
from rubriceng.formula.language import FormulaEvaluator
from rubriceng.formula.values import FormulaRuntimeError
from rubriceng.inputs.plain import MAX_DEPTH, Unreadable, as_dict, plain_inputs
from rubriceng.inputs.types import compile_checker
from rubriceng.language.documents import Document
from rubriceng.language.model import Indicator, Rounding, Rubric
from rubriceng.language.vocabulary import BUILTIN_VOCABULARY, Vocabulary
from rubriceng.methods.base import Context, Part, ScoringFailure
from rubriceng.outputs.words import Phrase
from rubriceng.scoring.kernel import Kernel, build_kernel
from rubriceng.scoring.result import (
    JUDGED,
    NOT_APPLICABLE,
    SCORED,
    AdjustmentResult,
    IndicatorResult,
    Result,
)
from rubriceng.scoring.reweight import Allocation, allocate, allocate_cents
from rubriceng.scoring.runtime import Outcome, Parts, Paused
from rubriceng.scoring.unit import (
    ZERO,
    General,
    UnitState,
    adjust,
    assemble,
    finish,
    leaf_scope,
    not_applicable_trace,
)

if TYPE_CHECKING:
    from rubriceng.language.schema import Validator


WARM_UP = 8
"""How many units a plan scores one at a time before it compiles its kernel."""

_UNBUILT = object()

_KEY_KINDS = {int: "整数", float: "小数", bool: "是/否", tuple: "元组", bytes: "字节串"}
"""What a key that is not text is, in Chinese (the name of its type in English)."""


class Plan:
    """A rubric prepared for scoring. Immutable after construction (its kernel is built
    once, when first asked for) and thread-safe."""

    def __init__(self, rubric: Rubric, vocabulary: Vocabulary = BUILTIN_VOCABULARY) -> None:
        self.rubric = rubric
        self.functions = vocabulary.functions
        self.nodes = {node.id: node for node in rubric.walk()}
        self.leaves = tuple(node for node in rubric.walk() if node.is_leaf)
        self.conditional = tuple(node for node in rubric.walk() if node.applies is not None)
        self.peer_leaves = tuple(
            leaf for leaf in self.leaves if leaf.scorer and leaf.scorer.peer_statistic()
        )
        needs = rubric.needs
        if needs is None:  # a Rubric built by hand, not by the compiler
            raise TypeError("expected a Rubric from rubriceng.load_rubric()")
        self.defaults: Mapping[str, Any] = needs.defaults
        """The values of optional inputs a unit leaves out."""
        self.optional = needs.optional
        """Inputs a unit may leave out with no default: formulas see ``None``."""
        self.required = needs.required
        self.users = needs.users
        self.judged = tuple(bool(leaf.scorer and leaf.scorer.judged) for leaf in self.leaves)
        """Whether each leaf's method is a judgement (status ``judged`` unless a case
        decided the score)."""
        self.grade_en = {item.name: item.name_en for item in rubric.grades}
        self.labels = {spec.id: spec.label for spec in rubric.inputs if spec.label}
        """The label of each input (as the form prints it), by id."""
        schema = {name: dict(rules) for name, rules in needs.schema.items()}
        self.input_schema = schema
        self.checker = compile_checker(schema)
        self._local = threading.local()
        self._rules_checked = False
        if self.checker is None:  # rules beyond the checker's: cerberus must accept them now
            import cerberus

            try:
                self._validator()
            except cerberus.SchemaError as error:
                raise RubricError(
                    f"the inputs of {rubric.id} cannot be checked",
                    [Problem("plugin-failed", f"an input type gave invalid rules: {error}")],
                ) from None
        self._allocations: dict[frozenset[str], Allocation] = {}
        self._patterns: dict[tuple[str, ...], Pattern | None] = {}
        self._steps: dict[int, Decimal] = {}
        self._adjusted: dict[tuple[int, int], AdjustmentResult] = {}
        self._events: dict[tuple[int, ...], tuple[tuple[AdjustmentResult, ...], Any]] = {}
        self._totals: dict[tuple[int, Any], tuple[Any, ...]] = {}
        self._kernel: Kernel | object | None = _UNBUILT
        self._kernel_lock = threading.Lock()
        self._asked = 0

    @property
    def kernel(self) -> Kernel | None:
        """The rubric's generated scoring function (:mod:`rubriceng.scoring.kernel`), or
        None when the rubric has none; generated and compiled when first asked for."""
        found = self._kernel
        if found is _UNBUILT:
            with self._kernel_lock:
                if self._kernel is _UNBUILT:
                    self._kernel = build_kernel(
                        self.rubric,
                        self.input_schema,
                        self.functions,
                        self.defaults,
                        self.optional,
                        self.required,
                        self.conditional,
                        self.leaves,
                        self.pattern,
                        self._general_leaf,
                        self._fixed(),
                    )
                found = self._kernel
        return found  # type: ignore[return-value]

    def warm_kernel(self) -> Kernel | None:
        """The kernel, once this plan has been asked for it :data:`WARM_UP` times; None
        before (the general path scores those units, with the same results). Generating
        and compiling the kernel costs about as much as scoring ten units the general
        way, so a process that scores one unit does not pay for it."""
        if self._kernel is _UNBUILT and self._asked < WARM_UP:
            self._asked += 1  # (a race loses a count: a unit more goes the general way)
            return None
        return self.kernel

    def run_kernel(
        self,
        inputs: Any,
        peers: Mapping[str, Statistic],
        seen: dict[str, tuple[int, int]] | None = None,
    ) -> Outcome | Paused | None:
        """The kernel's outcome for one unit (or, given ``Collecting`` statistics, the
        unit :class:`Paused` once the peer leaves are scored), recording each peer
        leaf's value in ``seen``; None when there is no kernel or the unit is unusual in
        any way (the general code then decides, with the same result or the error)."""
        kernel = self.kernel
        if kernel is None:
            return None
        try:
            return kernel.run(inputs, peers, seen)
        except Exception:  # anything unusual: the general code says what it is
            return None

    def resume_kernel(
        self, first: Any, inputs: Any, peers: Mapping[str, Statistic]
    ) -> Outcome | None:
        """A unit's outcome with the batch's statistics ``peers``, after a first run
        (given ``Collecting`` statistics) that gave ``first``: resumed where it paused,
        or, if it did not pause, run again on ``inputs``; None, for the general code,
        when the first run left the unit (``first`` is None)."""
        kernel = self.kernel
        if first is None:
            return None
        if type(first) is Paused and kernel is not None and kernel.resume is not None:
            try:
                return kernel.resume(first.state, peers)
            except Exception:  # as in run_kernel: the general code says what it is
                return None
        found = self.run_kernel(inputs, peers)
        return found if isinstance(found, Outcome) else None

    # -- inputs ---------------------------------------------------------------------

    def _validator(self) -> Validator:
        """This thread's cerberus validator: it explains refused inputs (built on demand)."""
        validator: Validator | None = getattr(self._local, "validator", None)
        if validator is None:
            from rubriceng.language.schema import make_validator

            # cerberus checks the rules once (SchemaError on a plugin's bad input rules);
            # after that no thread's validator checks them again
            validator = make_validator(self.input_schema, checked=self._rules_checked)
            self._rules_checked = True
            self._local.validator = validator
        return validator

    def check_inputs(
        self, inputs: Mapping[str, Any], unit: str | None, document: Document | None = None
    ) -> tuple[dict[str, Any], list[Problem]]:
        """Normalised inputs (Decimals, booleans, ints) and the problems found in them.

        When there are problems, the normalised inputs are those that passed; the
        invalid ones are left out (and are never defaulted).
        """
        if not isinstance(inputs, Mapping):
            return {}, [
                Problem(
                    "input-form",
                    "a unit's inputs are a mapping of input ids to values",
                    unit=unit,
                    params={},
                )
            ]
        named = {key: value for key, value in inputs.items() if isinstance(key, str)}
        unnamed = [
            Problem(
                "input-invalid",
                f"input names are text, not {type(key).__name__} ({key!r:.40})",
                unit=unit,
                params={
                    "template": "input-names",
                    "kind": Phrase(
                        {
                            "zh": _KEY_KINDS.get(type(key), type(key).__name__),
                            "en": type(key).__name__,
                        }
                    ),
                    "value": f"{key!r:.40}",
                },
            )
            for key in inputs
            if not isinstance(key, str)
        ]
        named, unreadable = plain_inputs(named)
        if self.checker is not None and not unnamed and not unreadable:
            normalised = self.checker(named)
            if normalised is not None:
                return normalised, []
        validator = self._validator()
        if validator.validate(named) and not unnamed and not unreadable:
            return dict(validator.document), []
        source = document or Document(named)
        prefix: tuple[str, ...] = ("inputs",) if document is not None else ()

        def locate(path: tuple[Any, ...]) -> dict[str, Any]:
            field = str(path[len(prefix)]) if len(path) > len(prefix) else None
            users = self.users.get(field or "", ())
            return {
                "unit": unit,
                "field": field,
                "indicator": ", ".join(users) or None,
                "params": self.told(field or "", users),
            }

        from rubriceng.language.schema import invalid_fields, problems

        told = []
        for error in unreadable:
            path = (*prefix, *error.path)
            message, words = _unreadable(error)
            located = locate(path)
            located["params"] = {**located["params"], **words}
            told.append(source.problem("input-invalid", message, path, **located))
        refused = {problem.path for problem in told}
        checked = [
            problem
            for problem in problems(validator, source, prefix, code="input-invalid", locate=locate)
            if problem.path not in refused  # told above, by what it is
        ]
        within = tuple(f"{problem.path}{mark}" for problem in checked for mark in ".[")
        # a value nested too deep inside one the checks refuse already (a list where a
        # number belongs) is told by that refusal alone
        told = [problem for problem in told if not (problem.path or "").startswith(within)]
        found = unnamed + told + checked
        invalid = invalid_fields(validator)
        valid = {
            key: value for key, value in (validator.document or {}).items() if key not in invalid
        }
        return valid, [
            attrs.evolve(
                problem,
                message="unknown input: the rubric declares no input by this name",
                params={"template": "input-unknown", "suggestion": self.suggest(problem.field)},
            )
            if problem.message == "unknown key"
            and problem.path in (problem.field, f"{'.'.join(prefix)}.{problem.field}")
            else problem
            for problem in found
        ]

    def told(self, name: str, users: Sequence[str]) -> dict[str, Any]:
        """What a problem of input ``name`` is told with: its label, and the names of the
        indicators that use it (Chinese and English)."""
        nodes = self.nodes
        adjustments = {item.id: item for item in self.rubric.adjustments}

        def called(user: str, english: bool) -> str:
            if user in nodes:
                return (nodes[user].name_en or user) if english else nodes[user].name
            if user in adjustments:
                item = adjustments[user]
                return (item.name_en or user) if english else item.name
            return user

        return {
            "label": self.labels.get(name) or (nodes[name].name if name in nodes else None),
            "names": [called(user, False) for user in users],
            "names_en": [called(user, True) for user in users],
        }

    def suggest(self, name: str | None) -> list[str]:
        """The inputs ``name`` may have meant, by id (with the label)."""
        if not name:
            return []
        import difflib

        known = list(self.input_schema)
        by_label = {label: key for key, label in self.labels.items()}
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        close += [
            by_label[label]
            for label in difflib.get_close_matches(name, list(by_label), n=3, cutoff=0.6)
            if by_label[label] not in close
        ]
        return [f"{key}（{self.labels[key]}）" if key in self.labels else key for key in close]

    # -- scoring ---------------------------------------------------------------------

    def _fixed(self) -> list[tuple[int, int, int] | None]:
        """For each leaf, its factor and cap if they are the same in every pattern of
        indicators that do not apply (and it always applies); else None. With more than
        four conditional indicators, every leaf is None (the patterns are not listed)."""
        if len(self.conditional) > 4:
            return [None] * len(self.leaves)
        patterns = []
        for chosen in itertools.product((False, True), repeat=len(self.conditional)):
            roots = tuple(
                node.id for node, out in zip(self.conditional, chosen, strict=True) if out
            )
            if any(
                self.nodes[inner] in self.nodes[outer].walk() and inner != outer
                for inner in roots
                for outer in roots
            ):
                continue  # one inside another: the outer alone is the pattern
            found = self.pattern(roots)
            if found is not None:
                patterns.append(found)
        fixed: list[tuple[int, int, int] | None] = []
        for index in range(len(self.leaves)):
            factors = {found.factors[index] for found in patterns}
            always = not any(found.not_applicable[index] for found in patterns)
            fixed.append(factors.pop() if always and len(factors) == 1 else None)
        return fixed

    def pattern(self, roots: tuple[str, ...]) -> Pattern | None:
        """The kernel's constants for the pattern in which the indicators ``roots`` (ids)
        do not apply (cached); None if nothing would apply."""
        if roots in self._patterns:
            return self._patterns[roots]
        found: Pattern | None
        nodes = [self.nodes[root] for root in roots]
        try:
            allocation = self.allocation(nodes)
        except ValueError:
            found = None
        else:
            found = Pattern.of(self, tuple(nodes), allocation)
        self._patterns[roots] = found
        return found

    def _general_leaf(
        self,
        index: int,
        given: tuple[tuple[str, Any], ...],
        pattern: Pattern,
        peers: Mapping[str, Statistic],
    ) -> General:
        """Leaf ``index`` scored by the general code, for the kernel (``given``: the inputs
        the leaf needs, checked and normalised by the kernel)."""
        inputs = dict(given)
        state = UnitState(None, inputs, [], FormulaEvaluator(self.functions), list(pattern.roots))
        found = score_leaf(self, self.leaves[index], state, pattern.allocation, peers, False)
        return General(found, int(found.score / self.rubric.rounding.quantum))

    def steps(self, count: int) -> Decimal:
        """``count`` steps of the rubric's rounding as a Decimal (``634`` → ``6.34``)."""
        found = self._steps.get(count)
        if found is None:
            exponent = self.rubric.rounding.quantum.as_tuple().exponent
            assert isinstance(exponent, int)
            found = Decimal(count).scaleb(exponent)
            if len(self._steps) < 1 << 16:
                self._steps[count] = found
        return found

    def scored(
        self,
        outcome: Outcome,
        unit: str | None,
        traced: Mapping[str, Any] | None = None,
        peers: Mapping[str, Statistic] | None = None,
    ) -> Result:
        """The result of a unit the kernel scored, its indicators built when first read:
        from the kernel's scores, or, given the unit's inputs as ``traced``, with their
        traces by the general code (which gives the same scores)."""
        pattern = self._patterns[outcome.roots]
        assert pattern is not None
        rubric = self.rubric
        adjustments, shift = self._events.get(outcome.events) or self._adjustments(outcome.events)
        subtotal = self.steps(outcome.steps)
        # the total depends on the subtotal and the adjustments only through their sum:
        # units with the same sum (in steps, and its exponent) share the cached total
        key = None if shift is None else (outcome.steps + shift[0], shift[1])
        totals = None if key is None else self._totals.get(key)
        if totals is None:
            total, grade = finish(rubric, subtotal, adjustments)
            totals = (total, grade, None if grade is None else self.grade_en.get(grade))
            if key is not None and len(self._totals) < 1 << 16:
                self._totals[key] = totals
        total, grade, grade_en = totals
        quick = functools.partial(self._tree, outcome, pattern)
        build = (
            quick if traced is None else functools.partial(self._traced, traced, unit, peers or {})
        )
        return Result.deferred(
            build,
            rubric.id,
            rubric.version,
            rubric.title,
            unit,
            subtotal,
            total,
            grade,
            adjustments,
            rubric.provenance,
            rubric.extends,
            grade_en,
            rubric.title_en,
            scored=None if traced is None else quick,
        )

    def _adjustments(
        self, events: tuple[int, ...]
    ) -> tuple[tuple[AdjustmentResult, ...], tuple[int, int] | None]:
        """The adjustments for ``events`` and their sum as (steps, exponent), or None
        when the sum is not a whole number of steps (cached)."""
        adjustments = tuple(self.adjusted(index, count) for index, count in enumerate(events))
        with decimal.localcontext(DECIMAL_CONTEXT):
            amount = sum((item.points for item in adjustments), ZERO)
            steps = amount / self.rubric.rounding.quantum
        exponent = amount.as_tuple().exponent
        shift = None
        if isinstance(exponent, int) and steps == steps.to_integral_value():
            shift = (int(steps), exponent)
        found = (adjustments, shift)
        if len(self._events) < 1 << 12:
            self._events[events] = found
        return found

    def _traced(
        self, inputs: Mapping[str, Any], unit: str | None, peers: Mapping[str, Statistic]
    ) -> tuple[IndicatorResult, ...]:
        """The indicators of a unit with their traces, by the general code."""
        with decimal.localcontext(DECIMAL_CONTEXT):
            return score_unit(self, prepare(self, inputs, unit), peers, True).indicators

    def _tree(self, outcome: Outcome, pattern: Pattern) -> tuple[IndicatorResult, ...]:
        """The indicators of a unit the kernel scored."""
        with decimal.localcontext(DECIMAL_CONTEXT):
            return self._leaves(outcome, pattern)

    def _leaves(self, outcome: Outcome, pattern: Pattern) -> tuple[IndicatorResult, ...]:
        leaves = {}
        allocation = pattern.allocation
        for index, leaf in enumerate(self.leaves):
            effective = allocation.effective[leaf.id]
            found = outcome.scores[index]
            children: tuple[IndicatorResult, ...] = ()
            if isinstance(found, General):
                leaves[leaf.id] = found.result
                continue
            if isinstance(found, Parts):  # a leaf of parts the unit named itself
                children = tuple(
                    IndicatorResult(
                        f"{leaf.id}.{number}",
                        name,
                        self.steps(share),
                        self.steps(share),
                        self.steps(score),
                        JUDGED,
                        {},
                    )
                    for number, (name, share, score) in enumerate(found.parts, start=1)
                )
                found = found.steps
            if pattern.not_applicable[index]:
                status = NOT_APPLICABLE
            elif self.judged[index] and index not in outcome.cased:
                status = JUDGED
            else:
                status = SCORED
            leaves[leaf.id] = IndicatorResult(
                leaf.id,
                leaf.name,
                leaf.points,
                effective,
                self.steps(found),
                status,
                {},
                children,
                leaf.name_en,
                leaf.origin,
                leaf.provenance,
            )
        return tuple(assemble(top, leaves, allocation, False) for top in self.rubric.indicators)

    def adjusted(self, index: int, events: int) -> AdjustmentResult:
        """Adjustment ``index`` (加减分) for ``events`` events (cached)."""
        found = self._adjusted.get((index, events))
        if found is None:
            found = adjust(self.rubric.adjustments[index], events)
            if len(self._adjusted) < 1 << 12:
                self._adjusted[(index, events)] = found
        return found

    def allocation(self, roots: Sequence[Indicator]) -> Allocation:
        """Effective points when ``roots`` do not apply (cached per pattern)."""
        key = frozenset(root.id for root in roots)
        found = self._allocations.get(key)
        if found is None:
            found = allocate(self.rubric.indicators, roots, self.rubric.total)
            self._allocations[key] = found
        return found


def prepare(
    plan: Plan, inputs: Mapping[str, Any], unit: str | None, document: Document | None = None
) -> UnitState:
    """Steps 1 and 2: check the inputs, find what does not apply, check what is missing.

    The row kernel's first half, public for the batch path: a unit whose
    ``state.problems`` is empty can be scored by :func:`score_unit`; one with problems
    is reported with all of them. Nothing here depends on other units.
    """
    inputs = as_dict(inputs)
    if plan.defaults and isinstance(inputs, Mapping):
        inputs = {**plan.defaults, **inputs}
    normalised, found = plan.check_inputs(inputs, unit, document)
    state = UnitState(unit, normalised, found, FormulaEvaluator(plan.functions))
    given = inputs if isinstance(inputs, Mapping) else {}
    skipped: set[str] = set()
    missing: dict[str, list[str]] = {}
    for node in plan.conditional:
        if node.id in skipped:
            continue
        applies = _applies(node, state, given, missing)
        if applies is not True:  # not applicable, or undecided (its problem is reported)
            skipped.update(inner.id for inner in node.walk())
            if applies is False:
                state.roots.append(node)
    for leaf in plan.leaves:
        if leaf.id in skipped:
            continue
        for name in plan.required[leaf.id]:
            if name not in given and name not in plan.optional:
                missing.setdefault(name, []).append(leaf.id)
    for name in plan.optional:
        state.names.setdefault(name, None)
    for adjustment in plan.rubric.adjustments:
        if adjustment.id not in given:
            missing.setdefault(adjustment.id, []).append(adjustment.id)
    lines = document.lines if document is not None else {}
    order = sorted(missing, key=lambda name: lines.get(("inputs", name), 1 << 30))
    for name, users in ((name, missing[name]) for name in order):  # in the form's order
        found.append(
            Problem(
                "input-missing",
                "missing input",
                unit=unit,
                field=name,
                indicator=", ".join(users),
                params=plan.told(name, users),
                file=document.source if document is not None else None,
                line=document.lines.get(("inputs", name)) if document is not None else None,
            )
        )
    return state


def _applies(
    node: Indicator, state: UnitState, given: Mapping[str, Any], missing: dict[str, list[str]]
) -> bool | None:
    """Whether ``node`` applies to the unit; None when that cannot be decided because an
    input it depends on is missing or invalid (recorded) or its formula fails (recorded)."""
    assert node.applies is not None
    absent = [name for name in sorted(node.applies.names) if name not in state.inputs]
    for name in absent:
        if name not in given:
            missing.setdefault(name, []).append(node.id)
    if absent:
        return None
    try:
        applies = state.evaluator.evaluate(node.applies, state.inputs)
    except FormulaRuntimeError as error:
        message, code = f"{node.applies.text}: {error}", error.code
    else:
        if isinstance(applies, bool):
            return applies
        message, code = f"{node.applies.text}: expected true or false", "formula-type"
    state.problems.append(
        Problem(code, message, unit=state.name, indicator=node.id, field="applies")
    )
    return None


def score_leaf(
    plan: Plan,
    leaf: Indicator,
    state: UnitState,
    allocation: Allocation,
    peers: Mapping[str, Statistic],
    trace: bool,
) -> IndicatorResult:
    """One leaf of one unit, at its effective points in ``allocation``: its cases, its
    method, the scaling and the rounding, exactly. The batch path calls it for each
    (unit, leaf) its columns leave undecided."""
    rubric = plan.rubric
    effective = allocation.effective[leaf.id]
    if leaf.id in allocation.not_applicable:
        if leaf.id in state.reviewed:
            raise ScoringFailure(
                "review-not-applicable",
                "the indicator does not apply to this unit: it takes no reviewed score",
                "score",
                input=True,
            )
        full = leaf.id in allocation.full_marks
        info = not_applicable_trace(leaf, allocation) if trace else {}
        return IndicatorResult(
            leaf.id,
            leaf.name,
            leaf.points,
            effective,
            rubric.rounding.apply(effective if full else ZERO),
            NOT_APPLICABLE,
            info,
            name_en=leaf.name_en,
            origin=leaf.origin,
            provenance=leaf.provenance,
        )
    if leaf.id in state.reviewed:
        return _reviewed_leaf(leaf, state.reviewed[leaf.id], effective, rubric.rounding, trace)
    assert leaf.scorer is not None
    names = state.names
    names["points"] = leaf.points
    details: dict[str, Any] = {"method": leaf.method} if trace else {}
    values: dict[str, Any] = {}
    scored = None
    for case in leaf.cases:
        try:
            hit = state.evaluator.evaluate(case.when, names)
        except FormulaRuntimeError as error:
            raise ScoringFailure(error.code, f"{case.when.text}: {error}", "cases") from None
        if hit is True:
            raw: Exact = case.score
            parts: tuple[Part, ...] = ()
            if trace:
                details["case"] = {"when": case.when.text, "reason": case.reason}
            break
    else:
        names, values = leaf_scope(leaf, state, names)
        context = Context(
            state.evaluator, names, leaf.points, state.inputs.get(leaf.id), peers.get(leaf.id)
        )
        scored = leaf.scorer.score(context)
        raw, parts = scored.raw, scored.parts
    if not ZERO <= raw <= leaf.points:
        raise ScoringFailure(
            "score-out-of-range", f"score {raw} is outside [0, {leaf.points}]", leaf.method
        )
    children: tuple[IndicatorResult, ...] = ()
    if parts:
        children = _score_parts(leaf, parts, effective, rubric.rounding, trace)
        score = sum((child.score for child in children), ZERO)
    else:
        share = (
            raw if effective == leaf.points else (divide(multiply(raw, effective), leaf.points))
        )  # exactly: 5 × 6.34 / 5 rounds once
        score = rubric.rounding.score(share, effective)
    if trace:
        used = {
            name: state.inputs[name]
            for name in plan.required[leaf.id]
            if name in state.inputs and name != leaf.id
        }
        if used:
            details["inputs"] = used
        if leaf.id in state.inputs:
            details["given"] = state.inputs[leaf.id]
        if values:
            details["values"] = {
                name: shown(value) if isinstance(value, Fraction) else value
                for name, value in values.items()
            }
        if scored is not None:
            details.update(scored.trace)
        details["raw"] = shown(raw)
        if effective != leaf.points:
            details["reweighting"] = [
                {"from": source, "points": amount}
                for source, amount in allocation.received.get(leaf.id, ())
            ]
            details["scaled"] = f"{shown(raw)} / {leaf.points} × {effective}"
    # a special case decides the score by rule, whether or not traces are kept
    status = JUDGED if leaf.scorer.judged and scored is not None else SCORED
    return IndicatorResult(
        leaf.id,
        leaf.name,
        leaf.points,
        effective,
        score,
        status,
        details,
        children,
        leaf.name_en,
        leaf.origin,
        leaf.provenance,
    )


def _reviewed_leaf(
    leaf: Indicator, score: Decimal, effective: Decimal, rounding: Rounding, trace: bool
) -> IndicatorResult:
    """A leaf scored by a reviewer: ``score`` out of its effective points, as given."""
    if not ZERO <= score <= effective or rounding.apply(score) != score:
        shown = str(score) if score.adjusted() < 20 else f"{score:.6e}"  # a vast one briefly
        raise ScoringFailure(
            "review-out-of-range",
            f"a reviewed score is a number from 0 to {effective} with at most "
            f"{rounding.digits} decimal places, not {shown}",
            "score",
            input=True,
        )
    status = JUDGED if leaf.scorer is not None and leaf.scorer.judged else SCORED
    return IndicatorResult(
        leaf.id,
        leaf.name,
        leaf.points,
        effective,
        rounding.apply(score),
        status,
        {"reviewed": score} if trace else {},
        (),
        leaf.name_en,
        leaf.origin,
        leaf.provenance,
    )


def _score_parts(
    leaf: Indicator, parts: tuple[Part, ...], effective: Decimal, rounding: Rounding, trace: bool
) -> tuple[IndicatorResult, ...]:
    if effective == leaf.points:
        shares = [part.points for part in parts]
    else:
        shares = allocate_cents(effective, [part.points for part in parts])
    children = []
    for index, (part, share) in enumerate(zip(parts, shares, strict=True), start=1):
        if part.points == 0:
            score = ZERO
        else:
            score = rounding.score(
                part.raw
                if share == part.points
                else rational(part.raw) * rational(share) / rational(part.points),
                share,
            )
        info: dict[str, Any] = {"raw": shown(part.raw), "reason": part.reason} if trace else {}
        children.append(
            IndicatorResult(
                f"{leaf.id}.{index}", part.name, part.points, share, score, part.status, info
            )
        )
    return tuple(children)


def score_unit(plan: Plan, state: UnitState, peers: Mapping[str, Statistic], trace: bool) -> Result:
    """Steps 3 to 5 for a unit whose inputs passed: score each leaf (``peers`` gives the
    peer statistics by leaf id), add up, adjust and grade. The row kernel's second half;
    the batch path calls it for every unit its columns cannot decide, and its answer is
    the reference the columns must equal."""
    rubric = plan.rubric
    try:
        allocation = plan.allocation(state.roots)
    except ValueError as error:
        raise EvaluationError(
            "cannot score", [Problem("nothing-applies", str(error), unit=state.name)]
        ) from None
    leaves: dict[str, IndicatorResult] = {}
    found: list[Problem] = []
    inputs_at_fault = False
    for leaf in plan.leaves:
        try:
            leaves[leaf.id] = score_leaf(plan, leaf, state, allocation, peers, trace)
        except ScoringFailure as failure:
            inputs_at_fault = inputs_at_fault or failure.input
            found.append(
                Problem(
                    failure.code,
                    failure.message,
                    unit=state.name,
                    indicator=leaf.id,
                    field=failure.field,
                    params={
                        **(failure.params or {}),
                        "indicator_name": f"{leaf.name} {leaf.id}",
                        "indicator_en": leaf.name_en or leaf.id,
                    },
                )
            )
    if found and inputs_at_fault:  # e.g. more tasks done than were due
        raise InputError(
            f"invalid inputs for unit {state.name!r}" if state.name else "invalid inputs", found
        )
    if found:
        raise EvaluationError(
            f"cannot score unit {state.name!r}" if state.name else "cannot score", found
        )
    indicators = tuple(assemble(top, leaves, allocation, trace) for top in rubric.indicators)
    subtotal = sum((top.score for top in indicators), ZERO)
    adjustments = tuple(adjust(item, state.inputs[item.id]) for item in rubric.adjustments)
    total, grade = finish(rubric, subtotal, adjustments)
    return Result(
        rubric.id,
        rubric.version,
        rubric.title,
        state.name,
        subtotal,
        total,
        grade,
        indicators,
        adjustments,
        rubric.provenance,
        rubric.extends,
        next((item.name_en for item in rubric.grades if item.name == grade), None),
        rubric.title_en,
    )


@attrs.frozen
class Pattern:
    """What the kernel needs of one pattern of indicators that do not apply: which inputs
    a unit must give, and for each leaf whether it applies, its score if it does not, and
    the factor from its raw score to steps of the rubric's rounding with its cap."""

    roots: tuple[Indicator, ...]
    allocation: Allocation
    needed: frozenset[str]
    not_applicable: tuple[bool, ...]
    na_scores: tuple[int | None, ...]
    """The score of each leaf that does not apply, in steps."""
    factors: tuple[tuple[int, int, int] | None, ...]

    @classmethod
    def of(cls, plan: Plan, roots: tuple[Indicator, ...], allocation: Allocation) -> Pattern:
        """The pattern of ``roots`` in ``plan``."""
        rounding = plan.rubric.rounding
        step = rational(rounding.quantum)
        needed = {item.id for item in plan.rubric.adjustments}
        not_applicable: list[bool] = []
        na_scores: list[int | None] = []
        factors: list[tuple[int, int, int] | None] = []
        for leaf in plan.leaves:
            effective = allocation.effective[leaf.id]
            skipped = leaf.id in allocation.not_applicable
            not_applicable.append(skipped)
            full = leaf.id in allocation.full_marks
            na_scores.append(
                int(rounding.apply(effective if full else ZERO) / rounding.quantum)
                if skipped
                else None
            )
            if not skipped:
                needed.update(plan.required[leaf.id])
            cap = int(rational(rounding.cap(effective)) / step)
            if leaf.points:
                factor = rational(effective) / (rational(leaf.points) * step)
                factors.append((factor.numerator, factor.denominator, cap))
            else:
                factors.append((0, 1, cap) if not effective else None)
        needed.difference_update(plan.defaults)
        needed.difference_update(plan.optional)  # formulas see None when not given
        return cls(
            roots,
            allocation,
            frozenset(needed),
            tuple(not_applicable),
            tuple(na_scores),
            tuple(factors),
        )


def plan_of(rubric: Rubric) -> Plan:
    """The plan of a rubric from :func:`rubriceng.load_rubric` (TypeError otherwise)."""
    if not isinstance(rubric, Rubric) or not isinstance(rubric.plan, Plan):
        raise TypeError("expected a Rubric from rubriceng.load_rubric()")
    return rubric.plan


def _unreadable(error: Unreadable) -> tuple[str, dict[str, Any]]:
    """What is said of a value that is not plain data (see :mod:`rubriceng.inputs.plain`):
    the message, and the template it is told with."""
    if error.deep:
        message = f"nested more than {MAX_DEPTH} levels deep: it cannot be read"
        return message, {"template": "input-deep", "depth": MAX_DEPTH}
    message = (
        f"not a value that can be read ({error.kind}): give a number, text, yes/no, a list "
        "or a mapping"
    )
    return message, {"template": "input-unreadable", "kind": error.kind}
