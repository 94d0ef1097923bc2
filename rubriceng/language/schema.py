"""The rubric language as a cerberus schema, and the cerberus validator rubriceng uses.

:func:`rubric_schema` builds the schema of a rubric document from the registered scoring
methods, so a plugin's method is part of the language as soon as it is registered.
:class:`Validator` adds rubriceng's types (``decimal``, ``formula``, ``credit``), the
coercions used for unit inputs and the ``credit_max`` rule. :func:`problems` turns
cerberus errors into located :class:`~rubriceng.errors.Problem` records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import cerberus
from cerberus import TypeDefinition
from cerberus.errors import BasicErrorHandler

from rubriceng.errors import MAX_PROBLEMS, Problem, omitted
from rubriceng.inputs.types import (
    is_comparable,
    to_amount,
    to_boolean,
    to_count,
    to_credit,
    to_decimal,
)
from rubriceng.language.documents import Document, PathKey
from rubriceng.language.model import MAX_POINTS, NOT_APPLICABLE_STRATEGIES, ROUNDING_MODES
from rubriceng.language.paths import natural_key
from rubriceng.methods.base import Method
from rubriceng.outputs.words import RULES, Phrase
from rubriceng.sanitize import brief

ID_PATTERN = r"[a-z][a-z0-9_]*"
RUBRIC_ID_PATTERN = r"[a-z0-9][a-z0-9._/-]*"
LEVELS = ("province", "city", "county", "district", "township", "other")
SUBJECTS = ("unit", "project")
"""What a rubric scores: a budget unit's whole spending (单位), or one project (项目)."""

_TYPE_WORDS = {
    "decimal": "a number",
    "formula": "a formula (text, number or true/false)",
    "credit": "true, false or a number",
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "dict": "a mapping",
    "list": "a list",
}


class Validator(cerberus.Validator):  # type: ignore[misc]
    """cerberus with rubriceng's types, coercions and rules.

    It keeps at most :data:`~rubriceng.errors.MAX_PROBLEMS` errors and counts the rest in
    ``dropped`` (on the root validator): cerberus sorts its error list on every error, so
    4,000 unknown keys would otherwise take quadratic time.
    """

    types_mapping: ClassVar[dict[str, TypeDefinition]] = dict(cerberus.Validator.types_mapping)
    types_mapping["decimal"] = TypeDefinition("decimal", (int, Decimal), (bool,))
    types_mapping["integer"] = TypeDefinition("integer", (int,), (bool,))  # true is not 1
    types_mapping["formula"] = TypeDefinition("formula", (str, int, Decimal, bool), ())
    types_mapping["credit"] = TypeDefinition("credit", (bool, int, Decimal), ())

    dropped = 0
    """Errors not kept (beyond the limit), counted on the top validator."""

    def validate(self, *args: Any, **kwargs: Any) -> bool:
        if not self.is_child:
            self.dropped = 0
        return bool(super().validate(*args, **kwargs))

    def _get_child_validator(self, *args: Any, **kwargs: Any) -> Validator:
        child: Validator = super()._get_child_validator(*args, **kwargs)
        child._top = self._top_validator()
        return child

    def _top_validator(self) -> Validator:
        top: Validator | None = getattr(self, "_top", None)
        return top if top is not None else self

    def _error(self, *args: Any) -> None:
        if len(args) == 1:  # a batch of ValidationErrors: the path every error takes
            kept = list(args[0])
            room = max(0, MAX_PROBLEMS + 1 - len(self._errors))
            if len(kept) > room:
                self._top_validator().dropped += len(kept) - room
                kept = kept[:room]
            # added as cerberus adds them, but not sorted again on every addition (which
            # is quadratic in a unit's problems): problems() orders them once, by place
            self._errors.extend(kept)
            for error in kept:
                self.document_error_tree.add(error)
                self.schema_error_tree.add(error)
                self.error_handler.emit(error)
            return
        super()._error(*args)

    def _normalize_coerce_decimal(self, value: Any) -> Decimal:
        return to_decimal(value)

    def _normalize_coerce_amount(self, value: Any) -> Decimal:
        return to_amount(value)

    def _normalize_coerce_count(self, value: Any) -> int:
        return to_count(value)

    def _normalize_coerce_boolean(self, value: Any) -> bool:
        return to_boolean(value)

    def _normalize_coerce_credit(self, value: Any) -> bool | Decimal:
        return to_credit(value)

    def _validate_min(self, min_value: Any, field: str, value: Any) -> None:
        """{'nullable': False}"""
        if is_comparable(value) and value < min_value:
            self._error(field, f"must be at least {min_value}, got {_show(value)}")

    def _validate_max(self, max_value: Any, field: str, value: Any) -> None:
        """{'nullable': False}"""
        if is_comparable(value) and value > max_value:
            message = f"must be at most {max_value}, got {_show(value)}"
            if max_value <= 2 and max(1, max_value) < value <= 100:  # a rate typed as 20 for 20%
                message += f" (a percentage? write {Decimal(value) / 100} or '{value}%')"
            self._error(field, message)

    def _validate_credit_max(self, constraint: Decimal, field: str, value: Any) -> None:
        """Partial credit is a number in [0, constraint], or true/false.

        The rule's arguments are validated against this schema:
        {'nullable': False}
        """
        if is_comparable(value) and not 0 <= value <= constraint:
            self._error(field, f"credit {_show(value)} is outside [0, {constraint}]")


def _formula() -> dict[str, Any]:
    return {"type": "formula"}


def _text() -> dict[str, Any]:
    return {"type": "string"}


_NOTES = {"type": ["string", "list"], "schema": {"type": "string"}}

PROVENANCE_BASES = ("transcribed", "reconstructed", "derived")
"""How points or a rule were obtained: copied from a published table, reconstructed from
indirect evidence (with reasoning), or derived from another rubric (a variant)."""

_BASIS = {"type": "string", "allowed": list(PROVENANCE_BASES)}

_PROVENANCE = {
    "type": "dict",
    "schema": {
        "basis": _BASIS,
        "points": _BASIS,
        "rule": _BASIS,
        "sources": {"type": "list", "schema": {"type": "string"}},
        "grades": _BASIS,
        "reasoning": _text(),
        "reasoning_en": _text(),
    },
}

_DAY_PATTERN = r"\d{4}(-\d{2}-\d{2})?"
_DAY = {"type": ["integer", "string"], "regex": _DAY_PATTERN}
_REGEX_RULES = {ID_PATTERN: "regex", RUBRIC_ID_PATTERN: "regex-rubric", _DAY_PATTERN: "regex-day"}
"""What each pattern of the schema is told as (see :data:`rubriceng.outputs.words.RULES`)."""


def indicator_schema(methods: Mapping[str, Method]) -> dict[str, Any]:
    """The cerberus schema of one indicator (children refer to it by name)."""
    schema: dict[str, Any] = {
        "id": {"type": "string", "required": True, "regex": ID_PATTERN},
        "name": {"type": "string", "required": True, "empty": False},
        "name_en": _text(),
        "points": {"type": "decimal", "required": True, "min": 0, "max": MAX_POINTS},
        "description": _text(),
        "standard": _text(),
        "remarks": _text(),
        "notes": _NOTES,
        "notes_en": _NOTES,
        "provenance": _PROVENANCE,
        "applies": _formula(),
        "not_applicable": {
            "type": "dict",
            "schema": {
                "strategy": {
                    "type": "string",
                    "required": True,
                    "allowed": list(NOT_APPLICABLE_STRATEGIES),
                },
                "to": {"type": "list", "schema": {"type": "string"}},
            },
        },
        "children": {
            "type": "list",
            "minlength": 1,
            "schema": {"type": "dict", "schema": "indicator"},
        },
        "values": {
            "type": "dict",
            "keysrules": {"type": "string", "regex": ID_PATTERN},
            "valuesrules": _formula(),
        },
        "value": _formula(),
        "cases": {
            "type": "list",
            "schema": {
                "type": "dict",
                "schema": {
                    "when": {"type": "formula", "required": True},
                    "score": {"type": "decimal", "required": True},
                    "reason": _text(),
                },
            },
        },
    }
    for key, method in methods.items():
        if key in schema:
            raise ValueError(f"scoring method {key!r} clashes with an indicator key")
        schema[key] = dict(method.rules)
    return schema


def rubric_schema(
    methods: Mapping[str, Method],
    input_types: Sequence[str],
    numeric_types: Sequence[str],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The schema of a rubric document and the schema registry it refers to."""
    input_rules = {
        "type": {"type": "string", "required": True, "allowed": list(input_types)},
        "label": _text(),
        "label_en": _text(),
        "unit": _text(),
        "description": _text(),
        "min": {"type": "decimal"},
        "max": {"type": "decimal"},
        "items": {"type": "string", "allowed": list(numeric_types)},
        "length": {"type": "integer", "min": 1},
        "default": {"type": ["boolean", "decimal"]},
        "optional": {"type": "boolean", "excludes": "default"},
    }
    schema = {
        "id": {"type": "string", "required": True, "regex": RUBRIC_ID_PATTERN},
        "version": {"type": ["string", "integer"], "required": True},
        "title": {"type": "string", "required": True},
        "title_en": _text(),
        "description": _text(),
        "level": {"type": "string", "allowed": list(LEVELS)},
        "subject": {"type": "string", "allowed": list(SUBJECTS)},
        "in_force": {"type": "dict", "schema": {"from": _DAY, "until": _DAY}},
        "extends": _text(),
        "region": {
            "type": "dict",
            "schema": {"name": _text(), "code": {"type": ["string", "integer"]}},
        },
        "notes": _NOTES,
        "notes_en": _NOTES,
        "provenance": _PROVENANCE,
        "total": {"type": "decimal", "required": True, "min": 0, "max": MAX_POINTS},
        "rounding": {
            "type": "dict",
            "schema": {
                "digits": {"type": "integer", "min": 0, "max": 6},
                "mode": {"type": "string", "allowed": list(ROUNDING_MODES)},
            },
        },
        "grades": {
            "type": "list",
            "schema": {
                "type": "dict",
                "schema": {
                    "name": {"type": "string", "required": True},
                    "name_en": {"type": "string"},
                    "min": {"type": "decimal", "required": True},
                },
            },
        },
        "total_bounds": {
            "type": "list",
            "nullable": True,
            "minlength": 2,
            "maxlength": 2,
            "schema": {"type": "decimal"},
        },
        "inputs": {
            "type": "dict",
            "keysrules": {"type": "string", "regex": ID_PATTERN},
            "valuesrules": {"type": "dict", "schema": input_rules},
        },
        "indicators": {
            "type": "list",
            "required": True,
            "minlength": 1,
            "schema": {"type": "dict", "schema": "indicator"},
        },
        "adjustments": {
            "type": "list",
            "schema": {
                "type": "dict",
                "schema": {
                    "id": {"type": "string", "required": True, "regex": ID_PATTERN},
                    "name": {"type": "string", "required": True},
                    "name_en": _text(),
                    "description": _text(),
                    "standard": _text(),
                    "per_event": {"type": "decimal", "required": True},
                    "max": {"type": "decimal", "min": 0},
                },
            },
        },
    }
    return schema, {"indicator": indicator_schema(methods)}


class _Checked(cerberus.schema.DefinitionSchema):  # type: ignore[misc]
    """A schema already known to be valid: cerberus does not check it again.

    cerberus copies the root schema each time it normalises a document and writes every
    field's rules back into the copy; a plain ``DefinitionSchema`` re-checks (hashes) the
    rules on both, which made the general path cost ~15 ms a unit on a rubric of 60
    inputs. Here a copy shares everything but the field mapping, and writing back rules
    that are already there is nothing.
    """

    def validate(self, schema: Any = None) -> None:
        return None

    @classmethod
    def of(cls, definition: cerberus.schema.DefinitionSchema) -> _Checked:
        """``definition`` (checked) as a checked schema: the same parts, shared."""
        twin: _Checked = object.__new__(cls)
        twin.__dict__.update(definition.__dict__)
        return twin

    def copy(self) -> _Checked:
        twin = _Checked.of(self)
        twin.schema = dict(self.schema)
        return twin

    def __setitem__(self, key: str, value: Any) -> None:
        if self.schema.get(key) is not value:  # a named rules set, resolved: expand it
            self.schema[key] = self.expand({0: value})[0]


def make_validator(
    schema: Mapping[str, Any], registry: Mapping[str, Any] | None = None, checked: bool = False
) -> Validator:
    """A :class:`Validator` for ``schema``; ``registry`` names sub-schemas it refers to.

    ``checked``: the schema is known to be valid cerberus rules (rubriceng's own, with
    rules from plugins that were checked when they were collected), so building the
    validator skips checking them again, a fifth of a first score's time."""
    schemas = cerberus.schema.SchemaRegistry()
    for name, definition in (registry or {}).items():
        schemas.add(name, definition)
    validator = Validator(None, schema_registry=schemas)
    if checked:
        validator.schema = _Checked(validator, schema)
    else:  # checked here (SchemaError on invalid rules), then never again
        validator.schema = _Checked.of(cerberus.schema.DefinitionSchema(validator, schema))
    return validator


def _leaf_errors(errors: Any) -> Iterator[Any]:
    for error in errors:
        if error.is_group_error:
            yield from _leaf_errors(error.child_errors)
        else:
            yield error


def _message(error: Any) -> str:
    if error.code == 0x24:  # type
        wanted = error.constraint if isinstance(error.constraint, list) else [error.constraint]
        words = " or ".join(_TYPE_WORDS.get(str(name), str(name)) for name in wanted)
        return f"must be {words}, got {_show(error.value)}"
    if error.code == 0x61:  # coercion failed
        return str(error.info[0]) if error.info else "cannot be read"
    if error.code == 0x00:  # custom rule
        return str(error.info[0]) if error.info else "invalid"
    if error.code == 0x03:
        return "unknown key"
    if error.code == 0x41:  # regex
        rule = _REGEX_RULES.get(str(error.constraint), "regex")
        return RULES["en"][rule].format(value=_show(error.value))
    if error.rule == "allowed" and isinstance(error.constraint, list | tuple):
        choices = ", ".join(str(item) for item in error.constraint)
        return RULES["en"]["allowed"].format(value=error.value, constraint=choices)
    template = BasicErrorHandler.messages.get(error.code, "invalid")
    return str(
        template.format(
            *error.info, constraint=error.constraint, field=error.field, value=error.value
        )
    )


def _params(error: Any) -> dict[str, Any]:
    """What a broken rule is told with in any language (see
    :data:`rubriceng.outputs.words.RULES`)."""
    if error.code == 0x24:
        wanted = error.constraint if isinstance(error.constraint, list) else [error.constraint]
        return {
            "template": "input-rule",
            "rule": "type",
            "wanted": [str(w) for w in wanted],
            "value": _shown(error.value),
        }
    if error.code in (0x61, 0x00):  # a coercion or a custom rule says what is wrong
        return {"template": "input-rule", "rule": "coerce", "info": _message(error)}
    rule = "unknown" if error.code == 0x03 else str(error.rule or "invalid")
    if rule == "regex":
        rule = _REGEX_RULES.get(str(error.constraint), "regex")
    constraint = error.constraint
    if isinstance(constraint, list | tuple):
        items = [str(item) for item in constraint]
        constraint = Phrase({"zh": "、".join(items), "en": ", ".join(items)})
    value = str(error.value) if rule == "allowed" else _shown(error.value)
    return {"template": "input-rule", "rule": rule, "constraint": constraint, "value": value}


def _shown(value: Any) -> str | Phrase:
    """:func:`_show` in the words of any language (a list is 列表 in Chinese)."""
    if isinstance(value, dict | list):
        kind = "dict" if isinstance(value, dict) else "list"
        return Phrase({lang: RULES[lang][kind] for lang in RULES})
    return _show(value)


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return brief(value)


def problems(
    validator: Validator,
    document: Document,
    prefix: PathKey = (),
    code: str = "schema",
    locate: Callable[[PathKey], Mapping[str, Any]] | None = None,
) -> list[Problem]:
    """The located problems of a failed ``validator.validate``, in document order.

    ``locate`` may add ``indicator``/``field``/``unit`` details for a path.
    """
    found = []
    leaves = list(_leaf_errors(validator._errors))
    unreadable = {error.document_path for error in leaves if error.code == 0x61}
    for error in leaves:
        if error.code != 0x61 and error.document_path in unreadable:
            continue  # the coercion error already says what is wrong
        path = (*prefix, *error.document_path)
        details = dict(locate(path)) if locate else {}
        params = {**_params(error), **details.pop("params", {})}
        found.append(document.problem(code, _message(error), path, params=params, **details))
    found.sort(key=lambda p: (p.line or 0, natural_key(p.path or "")))
    dropped = validator.dropped
    if dropped:
        unit = found[0].unit if found else None
        found.append(omitted(dropped, document.source, unit))
    return found


def invalid_fields(validator: Validator) -> set[Any]:
    """The top-level fields a failed ``validator.validate`` refused: the keys of
    ``validator.errors``, without building cerberus' tree of messages (a tenth of the
    cost of a unit with many problems)."""
    return {error.document_path[0] for error in validator._errors if error.document_path}
