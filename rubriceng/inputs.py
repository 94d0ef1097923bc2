"""Input types: what a unit may supply for an input a rubric declares.

An :class:`InputType` turns a declaration such as ``{type: money, min: 0}`` into the
cerberus rules a unit's value is checked and coerced with. The built-in types are
``money``, ``number``, ``rate``, ``count``, ``boolean``, ``text`` and ``list``; plugins add
more through the ``rubriceng_input_types`` hook. A rubric's ``type:`` may name any
registered type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.model import InputSpec

MAX_LIST_ITEMS = 10_000
"""The most items a ``list`` input without a declared ``length`` may have."""

RulesFunction = Callable[[InputSpec, Mapping[str, "InputType"]], dict[str, Any]]
"""``rules(spec, types)``: the cerberus rules for one value of an input declared as ``spec``."""


@attrs.frozen
class InputType:
    """A kind of value a unit supplies.

    Attributes:
        name: what a rubric writes after ``type:``.
        rules: ``rules(spec, types)`` returns the cerberus rules for one value; ``coerce``
            may be a function that turns the unit's text into the value (raise
            ``ValueError`` with a message to refuse it).
        numeric: True if formulas see a number (such types may be items of a ``list``
            and take ``min``/``max``).
        summary: one line for ``rubriceng plugins`` and the docs.
    """

    name: str
    rules: RulesFunction
    numeric: bool = False
    summary: str = ""


def _bounded(base: dict[str, Any], spec: InputSpec) -> dict[str, Any]:
    if spec.minimum is not None:
        base["min"] = spec.minimum
    if spec.maximum is not None:
        base["max"] = spec.maximum
    return base


def _number_rules(minimum: Decimal | None) -> RulesFunction:
    def rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
        base: dict[str, Any] = {"type": "decimal", "coerce": "decimal"}
        if minimum is not None:
            base["min"] = minimum
        return _bounded(base, spec)

    return rules


def _count_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    return _bounded({"type": "integer", "coerce": "count", "min": 0}, spec)


def _boolean_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    return {"type": "boolean", "coerce": "boolean"}


def _text_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    return {"type": "string"}


def _list_rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
    assert spec.items is not None
    item = InputSpec(spec.id, spec.items)
    rules: dict[str, Any] = {"type": "list", "schema": types[spec.items].rules(item, types)}
    if spec.length is not None:
        rules.update(minlength=spec.length, maxlength=spec.length)
    else:
        rules["maxlength"] = MAX_LIST_ITEMS
    return rules


BUILTIN_INPUT_TYPES: Mapping[str, InputType] = {
    kind.name: kind
    for kind in (
        InputType("money", _number_rules(Decimal(0)), True, "an amount ≥ 0 (元 or 万元)"),
        InputType("number", _number_rules(None), True, "any finite number"),
        InputType("rate", _number_rules(Decimal(0)), True, "a fraction ≥ 0; '90%' reads 0.9"),
        InputType("count", _count_rules, True, "a whole number ≥ 0"),
        InputType("boolean", _boolean_rules, False, "true/false; 是/否, 有/无, yes/no"),
        InputType("text", _text_rules, False, "text, for cases and labels"),
        InputType("list", _list_rules, False, "a list of numbers ('items' gives their type)"),
    )
}
"""The input types every rubric may declare, by name."""
