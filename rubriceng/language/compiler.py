"""From a rubric document to a compiled :class:`~rubriceng.language.model.Rubric`.

Two passes, each reporting every problem it finds:

1. the cerberus schema (:mod:`rubriceng.language.schema`): shapes, types, unknown keys;
2. the checks a schema cannot express: unique ids, points that add up (exact
   Decimal), formulas that parse and use only declared names and registered functions,
   band tables without gaps or overlaps, not-applicable targets that exist, well-formed
   adjustments and grades that cover ``[0, total]``.

Formulas are parsed here, once; the engine only evaluates them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rubriceng.decimals import isolated
from rubriceng.errors import Problem, RubricError
from rubriceng.formula.language import MAX_UNIT_WORK, Formula, compile_formula, formula_work
from rubriceng.formula.values import FormulaSyntaxError
from rubriceng.inputs.types import MAX_LIST_ITEMS
from rubriceng.language.documents import Document, PathKey
from rubriceng.language.model import (
    CENT,
    Adjustment,
    Case,
    Grade,
    Indicator,
    InForce,
    InputSpec,
    NotApplicable,
    Rounding,
    Rubric,
    parse_day,
)
from rubriceng.language.needs import input_needs
from rubriceng.language.schema import make_validator, problems, rubric_schema
from rubriceng.language.vocabulary import BUILTIN_VOCABULARY, Vocabulary
from rubriceng.methods.base import CompileContext, Scorer

RESERVED_NAMES = frozenset({"points", "value", "True", "False", "None", "true", "false"})
"""Names a rubric may not use for its inputs or intermediate values."""

_NEEDS_TARGETS = {"proportional", "even", "move"}


@isolated
def compile_rubric(document: Document, vocabulary: Vocabulary = BUILTIN_VOCABULARY) -> Rubric:
    """Validate and compile a rubric document; raise :class:`RubricError` with every problem."""
    validator = _validator(vocabulary)
    where = document.source or "rubric"
    if not isinstance(document.data, Mapping):
        raise RubricError(
            f"{where} is not a valid rubric",
            [document.problem("schema", "a rubric document is a mapping", ())],
        )
    if not validator.validate(document.data, normalize=False):
        found = problems(validator, document, locate=functools.partial(_locate, document.data))
        raise RubricError(f"{where} is not a valid rubric", found)
    builder = _Builder(document, vocabulary)
    rubric = builder.build()
    if builder.problems:
        raise RubricError(f"{where} is not a valid rubric", builder.problems)
    return rubric


@functools.lru_cache(maxsize=8)
def _schema_for(vocabulary: Vocabulary) -> tuple[dict[str, Any], dict[str, Any]]:
    return rubric_schema(
        vocabulary.methods, tuple(vocabulary.input_types), vocabulary.numeric_types
    )


def _validator(vocabulary: Vocabulary) -> Any:
    schema, registry = _schema_for(vocabulary)
    return make_validator(schema, registry, checked=True)  # plugins' rules: checked on arrival


def _locate(data: Any, path: PathKey) -> dict[str, Any]:
    """The indicator and field a document path falls in, for error messages."""
    node = data
    indicator = field = None
    for index, part in enumerate(path):
        if isinstance(node, Mapping) and part in ("indicators", "children"):
            field = None
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if (
            isinstance(node, Mapping)
            and index > 0
            and path[index - 1] in ("indicators", "children")
        ):
            indicator = node.get("id") if isinstance(node.get("id"), str) else indicator
            field = None
        elif indicator is not None and field is None and isinstance(part, str):
            field = part
    return {"indicator": indicator, "field": field}


class _Builder:
    def __init__(self, document: Document, vocabulary: Vocabulary) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data
        self.methods = vocabulary.methods
        self.functions = vocabulary.functions
        self.input_types = vocabulary.input_types
        self.numeric_types = frozenset(vocabulary.numeric_types)
        self.ref = f"{self.data['id']}@{self.data['version']}"
        self.problems: list[Problem] = []
        self.declared: dict[str, str] = {
            key: spec["type"] for key, spec in self.data.get("inputs", {}).items()
        }
        self.ids: dict[str, PathKey] = {}
        digits = self.data.get("rounding", {}).get("digits", 2)
        self.digits = digits if isinstance(digits, int) else 2
        self.step = Decimal(1).scaleb(-min(self.digits, 2))  # points: cents, or coarser

    def report(self, code: str, message: str, path: PathKey, **details: Any) -> None:
        self.problems.append(self.document.problem(code, message, path, **details))

    # -- whole rubric ----------------------------------------------------------------

    def build(self) -> Rubric:
        data = self.data
        inputs = self._inputs()
        indicators = tuple(
            self._indicator(raw, ("indicators", index))
            for index, raw in enumerate(data["indicators"])
        )
        total = Decimal(data["total"])
        self._check_cents(total, ("total",))
        total = total.quantize(CENT)
        top = sum((indicator.points for indicator in indicators), Decimal(0))
        if top != total:
            self.report(
                "points-mismatch",
                f"the level-1 indicators add up to {top}, the rubric's total is {total}",
                ("total",),
            )
        adjustments = self._adjustments()
        self._check_not_applicable(indicators)
        self._check_work(indicators, inputs)
        rounding = data.get("rounding", {})
        implicit = [
            InputSpec(leaf.id, leaf.method or "judgement", leaf.name, implicit_for=leaf.id)
            for top_indicator in indicators
            for leaf in top_indicator.walk()
            if leaf.scorer is not None and leaf.scorer.own_input() is not None
        ] + [
            InputSpec(adjustment.id, "count", adjustment.name, implicit_for=adjustment.id)
            for adjustment in adjustments
        ]
        return Rubric(
            id=data["id"],
            version=str(data["version"]),
            title=data["title"],
            title_en=data.get("title_en"),
            total=total,
            indicators=indicators,
            rounding=Rounding(rounding.get("digits", 2), rounding.get("mode", "half_up")),
            grades=self._grades(total),
            inputs=(*inputs, *implicit),
            adjustments=adjustments,
            total_bounds=self._bounds(total),
            level=data.get("level"),
            subject=data.get("subject", "unit"),
            region=data.get("region"),
            notes=_notes(data.get("notes")),
            notes_en=_notes(data.get("notes_en")),
            provenance=self._provenance(data.get("provenance"), ("provenance",)),
            source=self.document.source,
            in_force=self._in_force(),
            extends=data.get("extends"),
            needs=input_needs(indicators, (*inputs, *implicit), adjustments, self.input_types),
            trace_words=self._trace_words(indicators),
        )

    def _trace_words(
        self, indicators: tuple[Indicator, ...]
    ) -> dict[str, Mapping[str, Mapping[str, str]]]:
        """The words of each scoring method the indicators use, by method key."""
        used = {node.method for top in indicators for node in top.walk() if node.method}
        return {
            key: self.methods[key].words
            for key in sorted(used)
            if key in self.methods and self.methods[key].words
        }

    def _provenance(self, own: Mapping[str, Any] | None, path: PathKey) -> dict[str, Any] | None:
        """Effective provenance: what ``own`` says over what its rubric document says."""
        origin = self.document.origin_of(path)
        inherited = self.data.get("provenance") if origin is None else origin.provenance
        if own is None and inherited is None:
            return None
        merged = {**(inherited or {}), **(own or {})}
        if own is not None and "reasoning" in own and "reasoning_en" not in own:
            merged.pop("reasoning_en", None)  # the rubric's English says something else
        if own is not None and "basis" in own:
            for key in ("points", "rule"):
                merged[key] = own.get(key, own["basis"])
        basis = merged.pop("basis", None)
        for key in ("points", "rule"):
            merged.setdefault(key, basis)
            if merged[key] is None:
                del merged[key]
        if "reconstructed" in (merged.get("points"), merged.get("rule")) and not merged.get(
            "reasoning"
        ):
            self.report(
                "provenance-reasoning",
                "reconstructed points or rules need 'reasoning' (here or on the rubric)",
                path,
            )
        return merged

    def _in_force(self) -> InForce | None:
        raw = self.data.get("in_force")
        if raw is None:
            return None
        days = {}
        for key, last in (("from", False), ("until", True)):
            if key in raw:
                try:
                    days[key] = parse_day(raw[key], last)
                except ValueError as error:
                    self.report("in-force", str(error), ("in_force", key))
        in_force = InForce(days.get("from"), days.get("until"))
        if in_force.start and in_force.end and in_force.start > in_force.end:
            self.report("in-force", "'from' is after 'until'", ("in_force",))
        return in_force

    def _claim(self, identifier: str, path: PathKey, what: str) -> None:
        if identifier in RESERVED_NAMES:
            self.report("reserved-name", f"{identifier!r} is reserved and cannot name {what}", path)
        elif identifier in self.ids:
            first = self.document.line_of(self.ids[identifier])
            at = f" (first used at line {first})" if first else ""
            self.report("duplicate-id", f"id {identifier!r} is used twice{at}", path)
        else:
            self.ids[identifier] = path

    def _inputs(self) -> list[InputSpec]:
        specs = []
        for key, spec in self.data.get("inputs", {}).items():
            path = ("inputs", key)
            self._claim(key, path, "an input")
            if spec["type"] == "list" and "items" not in spec:
                self.report(
                    "input-form", "a list input needs 'items' (the type of each item)", path
                )
            if spec["type"] != "list" and ("items" in spec or "length" in spec):
                self.report("input-form", "'items' and 'length' are for list inputs", path)
            if "min" in spec and "max" in spec and spec["min"] > spec["max"]:
                self.report("input-form", "'min' is above 'max'", path)
            if "default" in spec:
                self._check_default(spec, path)
            specs.append(
                InputSpec(
                    key,
                    spec["type"],
                    spec.get("label"),
                    spec.get("unit"),
                    spec.get("description"),
                    spec.get("min"),
                    spec.get("max"),
                    spec.get("items"),
                    spec.get("length"),
                    default=spec.get("default"),
                    optional=spec.get("optional", False),
                )
            )
        return specs

    def _check_default(self, spec: Mapping[str, Any], path: PathKey) -> None:
        """A default is a value the input itself would accept: true/false for a boolean,
        a number in the input's range for a number; other inputs take none."""
        default, kind = spec["default"], spec["type"]
        numeric = kind in self.numeric_types
        if kind == "boolean":
            wrong = not isinstance(default, bool)
        elif numeric:
            low, high = spec.get("min"), spec.get("max")
            wrong = isinstance(default, bool) or not (
                (low is None or default >= low) and (high is None or default <= high)
            )
        else:
            self.report("input-default", f"a {kind} input takes no default", (*path, "default"))
            return
        if wrong:
            self.report(
                "input-default",
                f"the default {default!r} is not a value this {kind} input accepts",
                (*path, "default"),
            )

    def _check_cents(self, points: Decimal, path: PathKey, **details: Any) -> None:
        if Decimal(points) != Decimal(points).quantize(CENT):
            self.report(
                "points-precision", f"points {points} are not whole cents (0.01)", path, **details
            )
        elif Decimal(points) != Decimal(points).quantize(self.step):
            message = (
                f"points {points} are finer than the rubric's rounding "
                f"({self.digits} decimals): a score could exceed them"
            )
            self.report("points-precision", message, path, **details)

    # -- indicators --------------------------------------------------------------------

    def _indicator(self, raw: Mapping[str, Any], path: PathKey) -> Indicator:
        ident = raw["id"]
        details = {"indicator": ident}
        self._claim(ident, (*path, "id"), "an indicator")
        points = Decimal(raw["points"])
        self._check_cents(points, (*path, "points"), **details)
        if points <= 0:
            self.report("points-zero", "points must be positive", (*path, "points"), **details)
        points = points.quantize(CENT)
        method_keys = [key for key in self.methods if key in raw]
        children = tuple(
            self._indicator(child, (*path, "children", index))
            for index, child in enumerate(raw.get("children", ()))
        )
        base = self._formulas(raw, path, ident, points)
        if children:
            for key in (*method_keys, *(k for k in ("value", "values", "cases") if k in raw)):
                self.report(
                    "group-method",
                    f"'{key}' belongs on a scored indicator; this one has children",
                    (*path, key),
                    **details,
                )
            total = sum((child.points for child in children), Decimal(0))
            if total != points:
                self.report(
                    "points-mismatch",
                    f"children add up to {total}, the indicator has {points} points",
                    (*path, "points"),
                    **details,
                )
            return Indicator(children=children, **base)
        if len(method_keys) != 1:
            names = ", ".join(self.methods)
            message = (
                f"give one scoring method ({names}) or children"
                if not method_keys
                else f"give one scoring method, not {', '.join(method_keys)}"
            )
            self.report(
                "method-missing" if not method_keys else "method-conflict", message, path, **details
            )
            return Indicator(**base)
        key = method_keys[0]
        method = self.methods[key]
        value_names = {name for name, _ in base["values"]}
        if method.needs_value and "value" not in value_names:
            values = raw.get("values")
            if "value" not in raw and not (isinstance(values, Mapping) and "value" in values):
                self.report(
                    "value-missing",
                    f"'{key}' scores a 'value': give the formula for it",
                    path,
                    **details,
                )  # (a value that is given but wrong has been reported already)
            return Indicator(method=key, **base)
        scope = (*self.declared, "points", *value_names)
        context = CompileContext(
            ident,
            points,
            lambda text, field: self._formula(text, scope, (*path, *field), ident),
            lambda code, message, field: self.report(code, message, (*path, *field), **details),
            self.declared,
        )
        scorer: Scorer | None = method.compile(raw[key], context)
        return Indicator(scorer=scorer, method=key, **base)

    def _formulas(
        self, raw: Mapping[str, Any], path: PathKey, ident: str, points: Decimal
    ) -> dict[str, Any]:
        """The parts every indicator has: labels, applies, values, cases, N/A rule."""
        applies = None
        if "applies" in raw:
            applies = self._formula(raw["applies"], tuple(self.declared), (*path, "applies"), ident)
        values: list[tuple[str, Formula]] = []
        scope = [*self.declared, "points"]
        entries = [
            (name, text, (*path, "values", name)) for name, text in raw.get("values", {}).items()
        ]
        if "value" in raw:
            entries.append(("value", raw["value"], (*path, "value")))
        for name, text, field in entries:
            if name in RESERVED_NAMES and field[-1] != "value":
                self.report("reserved-name", f"{name!r} is reserved", field, indicator=ident)
                continue
            if name in self.declared:
                self.report(
                    "duplicate-id", f"value {name!r} shadows an input", field, indicator=ident
                )
            formula = self._formula(text, tuple(scope), field, ident)
            if formula is not None:
                values.append((name, formula))
            scope.append(name)
        cases = []
        for index, case in enumerate(raw.get("cases", ())):
            when = self._formula(
                case["when"], (*self.declared, "points"), (*path, "cases", index, "when"), ident
            )
            score = Decimal(case["score"])
            if not 0 <= score <= points:
                self.report(
                    "score-out-of-range",
                    f"score {score} is outside [0, {points}]",
                    (*path, "cases", index, "score"),
                    indicator=ident,
                )
            if when is not None:
                cases.append(Case(when, score, case.get("reason")))
        not_applicable = None
        if "not_applicable" in raw:
            spec = raw["not_applicable"]
            not_applicable = NotApplicable(spec["strategy"], tuple(spec.get("to", ())))
            if "applies" not in raw:
                self.report(
                    "not-applicable-unused",
                    "'not_applicable' needs 'applies' (when the indicator applies)",
                    (*path, "not_applicable"),
                    indicator=ident,
                )
        elif "applies" in raw:
            self.report(
                "not-applicable-missing",
                "say what happens to the points when the indicator does not apply: "
                "not_applicable: {strategy: proportional|even|move|rescale|full_marks}",
                (*path, "applies"),
                indicator=ident,
            )
        return {
            "id": ident,
            "name": raw["name"],
            "name_en": raw.get("name_en"),
            "points": points,
            "applies": applies,
            "not_applicable": not_applicable,
            "values": tuple(values),
            "cases": tuple(cases),
            "description": raw.get("description"),
            "standard": raw.get("standard"),
            "remarks": raw.get("remarks"),
            "notes": _notes(raw.get("notes")),
            "notes_en": _notes(raw.get("notes_en")),
            "provenance": self._provenance(raw.get("provenance"), (*path, "provenance")),
            "source": self.document.file_of(path),
            "line": self.document.line_of(path),
            "origin": self._origin(path),
        }

    def _origin(self, path: PathKey) -> str:
        origin = self.document.origin_of(path)
        return self.ref if origin is None or origin.rubric is None else origin.rubric

    def _formula(
        self, text: Any, names: tuple[str, ...], path: PathKey, ident: str
    ) -> Formula | None:
        try:
            return compile_formula(text, names, self.functions)
        except FormulaSyntaxError as error:
            field = ".".join(str(part) for part in path[_indicator_depth(path) :])
            self.report(error.code, str(error), path, indicator=ident, field=field or None)
            return None

    # -- not applicable ------------------------------------------------------------------

    def _check_work(self, indicators: tuple[Indicator, ...], inputs: list[InputSpec]) -> None:
        """Refuse formulas whose work for one unit exceeds :data:`MAX_UNIT_WORK`."""
        lengths = {spec.id: spec.length or MAX_LIST_ITEMS for spec in inputs if spec.type == "list"}
        costs: list[tuple[int, Indicator, str]] = []
        for top in indicators:
            for node in top.walk():
                formulas = [formula for _, formula in node.values]
                formulas += [case.when for case in node.cases]
                if node.applies is not None:
                    formulas.append(node.applies)
                if node.scorer is not None:
                    formulas += list(node.scorer.formulas())
                for formula in formulas:
                    costs.append((formula_work(formula, lengths), node, formula.text))
        total = sum(cost for cost, _, _ in costs)
        if total <= MAX_UNIT_WORK:
            return
        cost, node, text = max(costs, key=lambda found: found[0])
        shown = text if len(text) <= 60 else text[:57] + "..."
        self.problems.append(
            Problem(
                "formula-cost",
                f"the formulas would do about {total:,} steps of work for each unit, more than "
                f"the {MAX_UNIT_WORK:,} allowed; the costliest is {shown!r} ({cost:,}): give "
                "list inputs a 'length', or read each list fewer times",
                file=node.source,
                line=node.line,
                indicator=node.id,
            )
        )

    def _check_not_applicable(self, indicators: tuple[Indicator, ...]) -> None:
        nodes = {node.id: node for top in indicators for node in top.walk()}
        paths = self._indicator_paths()
        for node in nodes.values():
            rule = node.not_applicable
            if rule is None:
                continue
            path = (*paths.get(node.id, ()), "not_applicable")
            details = {"indicator": node.id, "field": "not_applicable"}
            if rule.strategy in _NEEDS_TARGETS and not rule.to:
                self.report(
                    "not-applicable-target",
                    f"strategy {rule.strategy!r} needs 'to' (the indicators that receive "
                    "the points)",
                    path,
                    **details,
                )
            if rule.strategy not in _NEEDS_TARGETS and rule.to:
                self.report(
                    "not-applicable-target",
                    f"strategy {rule.strategy!r} takes no 'to'",
                    path,
                    **details,
                )
            if rule.strategy == "move" and len(rule.to) > 1:
                self.report(
                    "not-applicable-target",
                    "'move' gives all points to one indicator",
                    path,
                    **details,
                )
            own = {inner.id for inner in node.walk()}
            for index, target in enumerate(rule.to):
                target_path = (*path, "to", index)
                if target not in nodes:
                    self.report(
                        "not-applicable-target",
                        f"{target!r} is not an indicator of this rubric",
                        target_path,
                        **details,
                    )
                elif target in own:
                    self.report(
                        "not-applicable-target",
                        f"{target!r} is inside the indicator that does not apply",
                        target_path,
                        **details,
                    )
            if len(set(rule.to)) != len(rule.to):
                self.report("not-applicable-target", "a recipient is listed twice", path, **details)

    def _indicator_paths(self) -> dict[str, PathKey]:
        found: dict[str, PathKey] = {}

        def visit(raw: Mapping[str, Any], path: PathKey) -> None:
            found.setdefault(raw["id"], path)
            for index, child in enumerate(raw.get("children", ())):
                visit(child, (*path, "children", index))

        for index, raw in enumerate(self.data["indicators"]):
            visit(raw, ("indicators", index))
        return found

    # -- adjustments, grades, bounds ---------------------------------------------------------

    def _adjustments(self) -> tuple[Adjustment, ...]:
        adjustments = []
        for index, raw in enumerate(self.data.get("adjustments", ())):
            path = ("adjustments", index)
            self._claim(raw["id"], (*path, "id"), "an adjustment")
            if raw["per_event"] == 0:
                self.report("adjustment-form", "'per_event' must not be 0", (*path, "per_event"))
            maximum = raw.get("max")
            adjustments.append(
                Adjustment(
                    raw["id"],
                    raw["name"],
                    Decimal(raw["per_event"]),
                    None if maximum is None else Decimal(maximum),
                    raw.get("name_en"),
                    raw.get("description"),
                    raw.get("standard"),
                )
            )
        return tuple(adjustments)

    def _grades(self, total: Decimal) -> tuple[Grade, ...]:
        raw = self.data.get("grades")
        if not raw:
            return ()
        grades = tuple(
            Grade(item["name"], Decimal(item["min"]), item.get("name_en")) for item in raw
        )
        minimums = [grade.minimum for grade in grades]
        if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
            self.report(
                "grade-order",
                "grades go from the highest minimum to the lowest, each minimum once",
                ("grades",),
            )
        if min(minimums) != 0:
            self.report(
                "grade-coverage",
                f"the lowest grade must start at 0 so that every total in [0, {total}] has a grade",
                ("grades",),
            )
        for index, grade in enumerate(grades):
            if not 0 <= grade.minimum <= total:
                self.report(
                    "grade-coverage",
                    f"minimum {grade.minimum} is outside [0, {total}]",
                    ("grades", index, "min"),
                )
        if len({grade.name for grade in grades}) != len(grades):
            self.report("grade-order", "a grade name is used twice", ("grades",))
        return grades

    def _bounds(self, total: Decimal) -> tuple[Decimal, Decimal] | None:
        if "total_bounds" not in self.data:
            return (Decimal(0), total)
        bounds = self.data["total_bounds"]
        if bounds is None:
            return None
        low, high = (Decimal(bound) for bound in bounds)
        if low > high:
            self.report(
                "bounds-order", "the lower bound is above the upper bound", ("total_bounds",)
            )
        return (low, high)


def _indicator_depth(path: PathKey) -> int:
    """Index just after the last ``indicators[i]``/``children[i]`` part of a path."""
    depth = 0
    for index in range(len(path) - 1):
        if path[index] in ("indicators", "children") and isinstance(path[index + 1], int):
            depth = index + 2
    return depth


def _notes(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    return (raw,) if isinstance(raw, str) else tuple(raw)
