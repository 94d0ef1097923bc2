"""Input paths: every value a rubric asks of a unit, as flat fields, and forms to fill in.

A rubric's inputs are nested — a list of quarterly rates, a checklist's criteria, a
judgement's score and reason. Spreadsheets and CSV files are flat, so each value has a
dotted *path*: ``revenue_final``, ``quarterly_spending_progress.2`` (lists count from 1),
``budget_reasonableness.not_fixed``, ``effect_indicators.1.score``. :func:`fields` lists
them; :func:`nest` turns flat paths and values back into the nested inputs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.language.model import Adjustment, Indicator, InputNeeds, InputSpec, Rubric
from rubriceng.outputs.words import kind_word, unit_word

OPEN_LIST_SLOTS = 5
"""How many numbered rows a form gives a list whose length the unit chooses."""

_PART_LABELS = {
    "score": ("得分", "score"),
    "reason": ("理由", "reason"),
    "name": ("名称", "name"),
    "points": ("分值", "points"),
    "level1": ("一级指标", "level 1"),
    "level2": ("二级指标", "level 2"),
    "target": ("目标值", "target"),
    "actual": ("实际完成值", "actual"),
    "comparator": ("比较方式", "comparator"),
    "met": ("是否达成", "met"),
    "baseline": ("上年实际值", "baseline"),
    "tier": ("达成情况", "tier"),
}


@attrs.frozen
class Field:
    """One value a unit supplies, at a dotted ``path`` of its inputs.

    Attributes:
        path: e.g. ``quarterly_spending_progress.2`` or ``budget_reasonableness.not_fixed``.
        input: the top-level input the value belongs to.
        label: its Chinese name, from the rubric.
        kind: ``money``, ``rate``, ``number``, ``count``, ``boolean``, ``credit`` (a
            checklist criterion: true, false or partial points) or ``text``.
        unit: e.g. ``万元``.
        minimum, maximum: the allowed range, where there is one.
        used_by: ids of the indicators (or adjustments) that read it.
        required: False for values the unit may leave out (an open list's spare rows,
            an optional part).
        description: the rubric's note on the input.
        label_en: the English name where the rubric gives one.
    """

    path: str
    input: str
    label: str
    kind: str
    unit: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    used_by: tuple[str, ...] = ()
    required: bool = True
    description: str | None = None
    label_en: str | None = None

    def heading(self, lang: str | None = "zh") -> str:
        """The heading of this value's column in a batch form: its label and its unit
        (``财政拨款收入决算数（万元）``), or % for a rate."""
        label = (self.label_en or self.label) if lang == "en" else self.label
        unit = self.unit or ("%" if self.kind == "rate" else None)
        if not unit:
            return label
        if lang == "en":
            return f"{label} (%)" if unit == "%" else f"{label}{unit_word(unit, 'en')}"
        return f"{label}（{unit}）"

    def allowed(self, lang: str | None = "zh") -> str:
        """The allowed values in words, e.g. ``0 – 1`` or ``是/否``."""
        if self.kind == "boolean":
            return kind_word("yes/no", lang)
        if self.kind == "credit":
            return f"{kind_word('yes/no', lang)}{kind_word('or', lang)}0 – {self.maximum}"
        if self.kind == "text":
            return ""
        low = "" if self.minimum is None else str(self.minimum)
        high = "" if self.maximum is None else str(self.maximum)
        if self.kind == "count" and self.minimum is None:
            low = "0"
        if low and high:
            return f"{low} – {high}"
        if low:
            return f"≥ {low}"
        return f"≤ {high}" if high else ""


def _needs(rubric: Rubric) -> InputNeeds:
    if not isinstance(rubric, Rubric) or rubric.needs is None:
        raise TypeError("expected a Rubric from rubriceng.load_rubric()")
    return rubric.needs


def fields(rubric: Rubric) -> list[Field]:
    """Every value ``rubric`` asks of a unit, in the order of its inputs and indicators."""
    needs = _needs(rubric)
    nodes = {node.id for node in rubric.walk()}
    specs = {spec.id: spec for spec in rubric.inputs}
    chinese, english = names(rubric), names(rubric, "en")
    found: list[Field] = []
    for name, rules in needs.schema.items():
        spec = specs.get(name)
        users = tuple(needs.users.get(name, ())) or ((name,) if name in nodes else ())
        if spec is not None and spec.implicit_for is not None:
            users = (spec.implicit_for,)
        base = Field(
            path=name,
            input=name,
            label=spec.label if spec and spec.label else chinese.get(name, name),
            kind="number",
            unit=spec.unit if spec else None,
            used_by=users,
            description=spec.description if spec else None,
            label_en=english.get(name) if english.get(name) != chinese.get(name) else None,
        )
        found.extend(_expand(rubric, base, rules, spec))
    return found


def names(rubric: Rubric, lang: str = "zh") -> dict[str, str]:
    """Every indicator's and adjustment's name by id: Chinese, or English where given."""
    english = lang == "en"
    items: list[Indicator | Adjustment] = [*rubric.walk(), *rubric.adjustments]
    return {item.id: (item.name_en or item.name) if english else item.name for item in items}


def _kind(rules: Mapping[str, Any], spec: InputSpec | None) -> str:
    kind = rules.get("type")
    if kind == "decimal":
        declared = spec.items if spec is not None and spec.type == "list" else None
        declared = declared or (spec.type if spec is not None else None)
        return declared if declared in ("money", "rate", "number") else "number"
    return {"integer": "count", "boolean": "boolean", "credit": "credit"}.get(str(kind), "text")


def _expand(
    rubric: Rubric, base: Field, rules: Mapping[str, Any], spec: InputSpec | None
) -> Iterator[Field]:
    kind = rules.get("type")
    if kind == "list":
        fixed = rules.get("minlength") == rules.get("maxlength")
        length = rules.get("minlength") if fixed else None
        slots = length or min(rules.get("maxlength") or OPEN_LIST_SLOTS, OPEN_LIST_SLOTS)
        required_slots = length or rules.get("minlength") or 0
        for index in range(1, slots + 1):
            item = attrs.evolve(
                base,
                path=f"{base.path}.{index}",
                label=f"{base.label} {index}",
                label_en=f"{base.label_en} {index}" if base.label_en else None,
                required=base.required and index <= required_slots,
            )
            yield from _expand(rubric, item, rules.get("schema", {}), spec)
        return
    if kind == "dict":
        criteria = _criteria(rubric, base.input)
        for key, part in rules.get("schema", {}).items():
            zh, en = criteria.get(key) or _PART_LABELS.get(key, (key, key))
            item = attrs.evolve(
                base,
                path=f"{base.path}.{key}",
                label=f"{base.label}：{zh}",
                label_en=f"{base.label_en}: {en}" if base.label_en else None,
                required=base.required and bool(part.get("required")),
            )
            yield from _expand(rubric, item, part, spec)
        return
    maximum = rules.get("max", rules.get("credit_max"))
    minimum = rules.get("min")
    yield attrs.evolve(
        base,
        kind=_kind(rules, spec),
        minimum=None if minimum is None else Decimal(minimum),
        maximum=None if maximum is None else Decimal(maximum),
    )


def _criteria(rubric: Rubric, name: str) -> dict[str, tuple[str, str]]:
    """A checklist's criteria names by id, for the indicator ``name``."""
    for node in rubric.walk():
        if node.id == name and node.scorer is not None:
            items = getattr(node.scorer, "items", ())
            return {item.id: (item.name, item.id) for item in items}
    return {}


# -- flat paths and nested inputs ----------------------------------------------------------


MAX_NUMBER_KEY = 10**18
"""A run of digits in a key, a path or a version is read as at most this number: no list
reaches it, and Python refuses to read more than 4,300 digits."""


def number_key(digits: str) -> int:
    """A run of decimal digits as the number it is, at most :data:`MAX_NUMBER_KEY`."""
    return int(digits) if len(digits) <= 18 else MAX_NUMBER_KEY


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """``text`` for sorting as people do: ``a2`` before ``a10``, runs of digits by value."""
    return [
        (0, number_key(part)) if part.isdecimal() else (1, part)
        for part in re.split(r"(\d+)", text)
        if part
    ]


def segments(path: str) -> tuple[str | int, ...]:
    """A dotted path's keys: numbers (counted from 1) become list positions from 0."""
    return tuple(number_key(part) - 1 if part.isdecimal() else part for part in path.split("."))


def nest(values: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Nested inputs from ``(dotted path, value)`` pairs; numbered keys make lists.

    >>> nest([("rate", "0.9"), ("progress.1", 0.25), ("progress.2", 0.5), ("check.done", True)])
    {'rate': '0.9', 'progress': [0.25, 0.5], 'check': {'done': True}}

    Paths that cannot all hold (``a`` and ``a.1``; ``a`` twice; a first key that is a
    number) are a :class:`ValueError` naming them.
    """
    return nest_keys((segments(path), value, path) for path, value in values)


def nest_keys(values: Iterable[tuple[tuple[str | int, ...], Any, str]]) -> dict[str, Any]:
    """:func:`nest` of paths already split into their keys (:func:`segments`), each with
    its value and the path itself (for the error)."""
    tree: dict[Any, Any] = {}
    for keys, value, path in values:
        if isinstance(keys[0], int):
            raise ValueError(f"{path}: an input's name does not begin with a number")
        node = tree
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise ValueError(f"{path} is inside a value given as a whole")
        if keys[-1] in node:
            raise ValueError(f"{path} names a value given twice, or a whole given in parts")
        node[keys[-1]] = value
    nested: dict[str, Any] = _lists(tree)
    return nested


def blank_target_lists(rubric: Rubric, columns: Iterable[str]) -> dict[str, list[Any]]:
    """The ``targets`` inputs a table has columns for (``effect_targets.1.name``, …), each
    as an empty list: in a table, a unit that leaves all of a list's cells blank declared
    no rows, which a flat file cannot otherwise say.

    >>> from rubriceng.host.registry import default_registry
    >>> rubric = default_registry().load("cn/project-self-evaluation@2020")
    >>> blank_target_lists(rubric, ["budget", "effect_targets.1.name", "effect_targets.1.target"])
    {'effect_targets': []}
    """
    listed = {str(keys[0]) for keys in map(segments, columns) if len(keys) > 2}
    return {spec.id: [] for spec in rubric.inputs if spec.type == "targets" and spec.id in listed}


def flatten(inputs: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested inputs as ``{dotted path: value}``, lists numbered from 1: the inverse of
    :func:`nest`.

    >>> flatten({"rate": "0.9", "progress": [0.25, 0.5], "check": {"done": True}})
    {'rate': '0.9', 'progress.1': 0.25, 'progress.2': 0.5, 'check.done': True}
    """
    flat: dict[str, Any] = {}
    for key, value in inputs.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, path + "."))
        elif isinstance(value, list | tuple):
            items = {str(index): item for index, item in enumerate(value, start=1)}
            flat.update(flatten(items, path + "."))
        else:
            flat[path] = value
    return flat


def _lists(value: Any) -> Any:
    """Mappings keyed 0, 1, 2, … (from ``a.1``, ``a.2``) become lists, in key order."""
    if not isinstance(value, dict):
        return value
    items = {key: _lists(item) for key, item in value.items()}
    if items and all(isinstance(key, int) for key in items):
        return [items[key] for key in sorted(items)]
    return items


# -- forms to fill in ----------------------------------------------------------------------


def _comment(field: Field, rubric: Rubric, english: bool) -> str:
    called = names(rubric, "en" if english else "zh")
    lang = "en" if english else "zh"
    parts = [
        (field.label_en or field.label) if english else field.label,
        kind_word(field.kind, lang),
    ]
    if field.unit:
        parts[-1] += f" ({field.unit})" if english else f"（{field.unit}）"
    if field.allowed(lang):
        parts.append(field.allowed(lang))
    if field.used_by:
        parts.append(
            "→ "
            + (", " if english else "、").join(called.get(user, user) for user in field.used_by)
        )
    if not field.required:
        parts.append(kind_word("optional", lang).strip(" （）()"))
    return " · ".join(parts)


def _in_template(field: Field) -> bool:
    """Required values, and the first item of an open list (to copy for more)."""
    return field.required or all(key == 0 for key in segments(field.path) if isinstance(key, int))


def template_yaml(rubric: Rubric, lang: str = "zh") -> str:
    """An inputs file to fill in: every value empty (``null``), each with a comment saying
    what it is, its type, unit, range and the indicators that use it.

    Filled in, it loads with :func:`rubriceng.load_inputs`. An open list (sub-indicators a
    unit names itself) has one item to copy.
    """
    english = lang == "en"
    title = (rubric.title_en or rubric.title) if english else rubric.title
    chosen = [field for field in fields(rubric) if _in_template(field)]
    comments = {field.path: _comment(field, rubric, english) for field in chosen}
    lines = [
        kind_word("form title", lang).format(title=title, ref=rubric.ref),
        kind_word("form note", lang),
        f"rubric: {rubric.ref}",
        'unit: ""',
        "inputs:",
    ]
    _emit(nest((field.path, None) for field in chosen), "", 1, lines, comments)
    return "\n".join(lines) + "\n"


def _emit(node: Any, path: str, depth: int, lines: list[str], comments: Mapping[str, str]) -> None:
    """YAML lines for ``node`` (nested inputs with None leaves) with each leaf's comment."""
    pad = "  " * depth
    items: Iterable[tuple[str, Any]] = (
        node.items()
        if isinstance(node, dict)
        else ((str(index), item) for index, item in enumerate(node, start=1))
    )
    for key, value in items:
        here = f"{path}.{key}" if path else key
        head = f"{pad}{key}:" if isinstance(node, dict) else f"{pad}-"
        if here in comments:
            lines.append(f"{pad}# {comments[here]}")
        if value is None:
            lines.append(f"{head} null")
        elif isinstance(node, list) and isinstance(value, dict):
            inner: list[str] = []
            _emit(value, here, depth + 1, inner, comments)
            first = next(
                index for index, line in enumerate(inner) if not line.lstrip().startswith("#")
            )
            inner[first] = f"{pad}- " + inner[first].lstrip()
            lines.extend(inner)
        else:
            lines.append(head)
            _emit(value, here, depth + 1, lines, comments)


def template_json(rubric: Rubric) -> str:
    """An inputs file in JSON: every value ``null`` (the comments are in the JSON Schema,
    :func:`rubriceng.outputs.schemas.inputs_schema`)."""
    chosen = [field for field in fields(rubric) if _in_template(field)]
    inputs = nest((field.path, None) for field in chosen)
    document = {"rubric": rubric.ref, "unit": "", "inputs": inputs}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
