"""JSON Schemas for embedding: a rubric's inputs, and the results rubriceng returns.

- :func:`inputs_schema` is generated from a rubric: the document ``{"unit", "inputs"}``
  that :func:`rubriceng.load_inputs` reads and whose ``inputs`` :func:`rubriceng.evaluate`
  takes. Every input has its label, unit, type and range. What rubriceng accepts, the
  schema accepts; rubriceng's own checks stay the authority on text it reads as numbers
  (``"90%"``) and on inputs needed only where an indicator applies.
- :data:`RESULT_SCHEMA` describes ``Result.to_dict()`` (``rubriceng.result/1``) and
  :data:`BATCH_SCHEMA` ``Batch.to_dict()`` (``rubriceng.batch/1``). A change to either
  layout changes its version. The published copies are in ``docs/schemas/``.

All schemas are JSON Schema draft 2020-12.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rubriceng.decimals import isolated
from rubriceng.inputs.types import FALSE_WORDS, TRUE_WORDS
from rubriceng.language.model import Rubric
from rubriceng.language.paths import Field, fields, names
from rubriceng.scoring.result import BATCH_FORMAT, RESULT_FORMAT

DRAFT = "https://json-schema.org/draft/2020-12/schema"

NUMBER_TEXT = (
    r"^\s*[-+]?([0-9]+|[0-9]{1,3}([,，][0-9]{3})+)(\.[0-9]*)?([eE][-+]?[0-9]+)?\s*[%％]?\s*$"
    r"|^\s*[-+]?\.[0-9]+([eE][-+]?[0-9]+)?\s*[%％]?\s*$"
)
"""Text rubriceng reads as a number: ``1,331,100``, ``0.9``, ``90%`` (commas part
thousands only; full-width forms are read too, which the pattern leaves out)."""

PLAIN_NUMBER_TEXT = NUMBER_TEXT.replace(r"\s*[%％]?", "")
"""The same without a percent sign: an amount of money or a count is never a percentage."""


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.upper() != c.lower() else c for c in word)


_BOOLEAN_TEXT = (
    r"^\s*(" + "|".join(_any_case(word) for word in sorted(TRUE_WORDS | FALSE_WORDS)) + r")\s*$"
)


def _number(value: Any) -> int | float:
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _bounds(schema: dict[str, Any], low: Any, high: Any) -> dict[str, Any]:
    if low is not None:
        schema["minimum"] = _number(low)
    if high is not None:
        schema["maximum"] = _number(high)
    return schema


def _value_schema(
    rules: Mapping[str, Any], path: str = "", known: Mapping[str, Field] | None = None
) -> dict[str, Any]:
    """JSON Schema for one value checked by cerberus ``rules``; ``known`` fields by path
    give titles and descriptions."""
    kind = rules.get("type")
    low, high = rules.get("min"), rules.get("max")
    percent = rules.get("coerce") not in ("amount", "count")
    text = {"type": "string", "pattern": NUMBER_TEXT if percent else PLAIN_NUMBER_TEXT}
    schema: dict[str, Any]
    if kind == "decimal":
        schema = {"anyOf": [_bounds({"type": "number"}, low, high), text]}
    elif kind == "integer":
        schema = {"anyOf": [_bounds({"type": "integer"}, low, high), text]}
    elif kind == "boolean":
        schema = {
            "anyOf": [
                {"type": "boolean"},
                {"enum": [0, 1]},
                {"type": "string", "pattern": _BOOLEAN_TEXT},
            ]
        }
    elif kind == "credit":
        high = rules.get("credit_max")
        schema = {
            "anyOf": [
                {"type": "boolean"},
                _bounds({"type": "number"}, 0, high),
                text,
                {"type": "string", "pattern": _BOOLEAN_TEXT},
            ]
        }
    elif kind == "string":
        schema = {"type": "string"}
        if rules.get("empty") is False:
            schema["minLength"] = 1
    elif kind == "list":
        items = _value_schema(rules.get("schema", {}), f"{path}.1", known)
        schema = {"type": "array", "items": items}
        if "minlength" in rules:
            schema["minItems"] = rules["minlength"]
        if "maxlength" in rules:
            schema["maxItems"] = rules["maxlength"]
    elif kind == "dict":
        parts = rules.get("schema", {})
        schema = {
            "type": "object",
            "properties": {
                key: _value_schema(part, f"{path}.{key}", known) for key, part in parts.items()
            },
            "additionalProperties": False,
        }
        required = [key for key, part in parts.items() if part.get("required")]
        if required:
            schema["required"] = required
    else:  # a plugin's type: rubriceng checks it
        schema = {}
    if "allowed" in rules:
        schema["enum"] = list(rules["allowed"])
    if isinstance(rules.get("regex"), str):
        schema["pattern"] = f"^(?:{rules['regex']})$"
    if rules.get("nullable"):
        schema = {"anyOf": [schema, {"type": "null"}]}
    field = (known or {}).get(path)
    if field is not None:
        described = field.kind + (f" ({field.unit})" if field.unit else "")
        if field.allowed("en"):
            described += f", {field.allowed('en')}"
        schema = {"title": field.label, "description": described, **schema}
    return schema


@isolated
def inputs_schema(rubric: Rubric) -> dict[str, Any]:
    """The JSON Schema of an inputs document for ``rubric``: ``{"unit", "inputs"}``.

    Each input carries ``title`` (its label), ``description`` (type, unit, range and
    the indicators that use it) and, where the rubric gives an English name,
    ``x-name-en``.

    >>> import rubriceng
    >>> schema = inputs_schema(rubriceng.find_rubric("cn/project-self-evaluation@2020"))
    >>> schema["properties"]["inputs"]["properties"]["budget"]["title"]
    '全年预算数'
    """
    known = {field.path: field for field in fields(rubric)}
    needs = rubric.needs
    assert needs is not None  # fields() refuses a rubric without
    called = names(rubric)
    specs = {spec.id: spec for spec in rubric.inputs}
    properties: dict[str, Any] = {}
    for name, rules in needs.schema.items():
        schema = _value_schema(rules, name, known)
        spec = specs.get(name)
        implicit = (spec.implicit_for,) if spec and spec.implicit_for else ()
        users = needs.users.get(name) or implicit
        title = spec.label if spec and spec.label else called.get(name, name)
        description = str(schema.get("description") or rules.get("type") or "")
        if users:
            description += "; used by " + ", ".join(called.get(user, user) for user in users)
        properties[name] = {**schema, "title": title, "description": description}
        if spec is not None and spec.default is not None:
            default = spec.default
            properties[name]["default"] = default if isinstance(default, bool) else str(default)
    return {
        "$schema": DRAFT,
        "$id": f"urn:rubriceng:inputs:{rubric.ref}",
        "title": f"{rubric.title} — inputs",
        "description": (
            f"Inputs of one unit for {rubric.ref}. An input is needed where an indicator "
            "that uses it applies; rubriceng reports one that is missing."
        ),
        "type": "object",
        "properties": {
            "unit": {"type": ["string", "null"], "description": "The unit's name."},
            "inputs": {"type": "object", "properties": properties, "additionalProperties": False},
            "notes": {},
        },
        "required": ["inputs"],
        "additionalProperties": False,
    }


_DECIMAL = {
    "type": "string",
    "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
    "description": "A decimal number as text, so that no digit is lost.",
}
_PROVENANCE = {
    "type": "object",
    "properties": {
        "basis": {"enum": ["transcribed", "reconstructed", "derived"]},
        "points": {"type": "string"},
        "rule": {"type": "string"},
        "sources": {"type": "array", "items": {"type": "string"}},
        "reasoning": {"type": "string"},
        "reasoning_en": {"type": "string"},
    },
}

RESULT_SCHEMA: Mapping[str, Any] = {
    "$schema": DRAFT,
    "$id": "urn:rubriceng:result/1",
    "title": "rubriceng result",
    "description": "The evaluation of one unit against one rubric (Result.to_dict()).",
    "type": "object",
    "required": [
        "format",
        "rubric",
        "unit",
        "subtotal",
        "adjustments",
        "total",
        "grade",
        "indicators",
    ],
    "additionalProperties": False,
    "properties": {
        "format": {"const": RESULT_FORMAT},
        "rubric": {
            "type": "object",
            "required": ["id", "version", "title", "extends", "provenance"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "version": {"type": "string"},
                "title": {"type": "string"},
                "extends": {"type": ["string", "null"], "description": "id@version"},
                "provenance": {"anyOf": [_PROVENANCE, {"type": "null"}]},
            },
        },
        "unit": {"type": ["string", "null"]},
        "subtotal": {**_DECIMAL, "description": "The sum of the indicator scores."},
        "adjustments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "events", "points"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "events": {"type": "integer", "minimum": 0},
                    "points": _DECIMAL,
                },
            },
        },
        "total": {**_DECIMAL, "description": "Subtotal plus adjustments, within bounds."},
        "grade": {"type": ["string", "null"]},
        "indicators": {"type": "array", "items": {"$ref": "#/$defs/indicator"}},
    },
    "$defs": {
        "indicator": {
            "type": "object",
            "required": ["id", "name", "points", "effective_points", "score", "status", "trace"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "name_en": {"type": "string"},
                "points": _DECIMAL,
                "effective_points": {
                    **_DECIMAL,
                    "description": "Points after not-applicable indicators moved theirs.",
                },
                "score": _DECIMAL,
                "status": {"enum": ["scored", "judged", "not_applicable"]},
                "trace": {
                    "type": "object",
                    "description": "How the score came about; keys depend on the method.",
                },
                "basis": {
                    "type": "string",
                    "description": "How it got its score, in words (评分依据): in batch "
                    "outputs written with traces",
                },
                "origin": {"type": "string", "description": "id@version of its rubric"},
                "provenance": _PROVENANCE,
                "children": {"type": "array", "items": {"$ref": "#/$defs/indicator"}},
            },
        }
    },
}
"""JSON Schema of ``Result.to_dict()``: the layout ``rubriceng.result/1``."""

BATCH_SCHEMA: Mapping[str, Any] = {
    "$schema": DRAFT,
    "$id": "urn:rubriceng:batch/1",
    "title": "rubriceng batch",
    "description": "Many units' results and failures (Batch.to_dict()).",
    "type": "object",
    "required": ["format", "results", "failures"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": BATCH_FORMAT},
        "results": {"type": "array", "items": {"$ref": "urn:rubriceng:result/1"}},
        "failures": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["unit", "error", "problems"],
                "additionalProperties": False,
                "properties": {
                    "unit": {"type": "string"},
                    "error": {"type": "string", "description": "The error's code."},
                    "problems": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "text": {
                                    "type": "string",
                                    "description": "The problem in the user's language, located.",
                                },
                                "file": {"type": "string"},
                                "line": {"type": "integer"},
                                "path": {"type": "string"},
                                "unit": {"type": "string"},
                                "indicator": {"type": "string"},
                                "field": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
    },
}
"""JSON Schema of ``Batch.to_dict()``: the layout ``rubriceng.batch/1``."""

PUBLISHED = {"result-1.json": RESULT_SCHEMA, "batch-1.json": BATCH_SCHEMA}
"""The fixed schemas by the file name they are published under in ``docs/schemas/``."""
