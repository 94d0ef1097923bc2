"""Variants: a rubric written as changes to another (``extends``).

A variant document names the rubric it ``extends`` (``id@version``, or a file path
relative to the variant) and says what differs:

- any top-level key (``title``, ``version``, ``grades``, ``rounding``, ``adjustments``,
  ``provenance``, …) replaces the base's; ``in_force`` is never inherited;
- ``inputs`` are merged into the base's by name; ``remove_inputs`` lists inputs to drop;
- ``changes`` is a list of operations on the indicator tree, applied in order::

    - {add: {<indicator>}, under: <group id or null>, after: <sibling id>}   # or before
    - {remove: <id>}
    - {replace: <id>, with: {<indicator>}}
    - {update: <id>, set: {<key>: <value>, ...}, unset: [<key>, ...]}
    - {move: <id>, under: <group id or null>, before: <sibling id>}          # or after

  ``update`` with a scoring-method key replaces the indicator's rule (its other method
  keys are dropped); ``set`` may change ``points``, ``applies``, ``not_applicable`` and
  anything else an indicator has. Replaced and updated indicators take the variant's
  provenance unless the change gives one.

:func:`merge` returns one :class:`~rubriceng.language.documents.Document` whose every part
remembers the file, line and rubric it came from; the compiler then checks the merged
rubric as a whole, exactly like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from rubriceng.errors import Problem
from rubriceng.language.documents import Document, Origin, PathKey

OPERATIONS: Mapping[str, frozenset[str]] = {
    "add": frozenset({"under", "after", "before"}),
    "remove": frozenset(),
    "replace": frozenset({"with"}),
    "update": frozenset({"set", "unset"}),
    "move": frozenset({"under", "after", "before"}),
}
"""Each change operation and the keys it may have besides its own."""

VARIANT_KEYS = frozenset({"extends", "changes", "remove_inputs"})
"""Keys only a variant has; they do not appear in the merged rubric."""

MAX_DEPTH = 8
"""How many ``extends`` may be chained."""


@attrs.frozen
class Layer:
    """One layer of a merge: a document, with the rubric it defines (``id@version``)."""

    document: Document
    rubric: str

    def origin(self, path: PathKey) -> Origin:
        found = self.document.origin_of(path)
        if found is not None:
            return found
        data = self.document.data
        provenance = data.get("provenance") if isinstance(data, Mapping) else None
        return Origin(self.document.source, self.rubric, provenance)


def variant_problems(document: Document) -> list[Problem]:
    """Shape problems of the variant-only keys (before the base is even looked up)."""
    data = document.data
    found = []
    if not isinstance(data.get("extends"), str) or not data["extends"].strip():
        found.append(document.problem("variant-form", "'extends' names a rubric", ("extends",)))
    if "indicators" in data:
        found.append(
            document.problem(
                "variant-form",
                "a variant changes the indicators with 'changes', it does not list them",
                ("indicators",),
            )
        )
    if "version" not in data:
        found.append(document.problem("variant-form", "a variant needs its own 'version'", ()))
    changes = data.get("changes", [])
    if not isinstance(changes, list):
        found.append(document.problem("variant-form", "'changes' is a list", ("changes",)))
        changes = []
    for index, change in enumerate(changes):
        path: PathKey = ("changes", index)
        if not isinstance(change, Mapping):
            found.append(document.problem("variant-form", "a change is a mapping", path))
            continue
        ops = [key for key in change if key in OPERATIONS]
        if len(ops) != 1:
            found.append(
                document.problem(
                    "variant-form",
                    f"a change has exactly one of {', '.join(OPERATIONS)}",
                    path,
                )
            )
            continue
        op = ops[0]
        for key in change:
            if key != op and key not in OPERATIONS[op]:
                found.append(
                    document.problem("variant-form", f"'{op}' takes no '{key}'", (*path, key))
                )
        if "after" in change and "before" in change:
            found.append(document.problem("variant-form", "give 'after' or 'before'", path))
        expected_target = dict if op == "add" else str
        if not isinstance(change[op], expected_target):
            what = "an indicator (a mapping)" if op == "add" else "an indicator id"
            found.append(document.problem("variant-form", f"'{op}' takes {what}", (*path, op)))
        for key, kind, what in (
            ("with", dict, "an indicator (a mapping)"),
            ("set", dict, "a mapping of keys to values"),
            ("unset", list, "a list of keys"),
        ):
            if key in change and not isinstance(change[key], kind):
                found.append(
                    document.problem("variant-form", f"'{key}' takes {what}", (*path, key))
                )
        if isinstance(change.get("unset"), list) and not all(
            isinstance(item, str) for item in change["unset"]
        ):
            found.append(
                document.problem("variant-form", "'unset' takes a list of keys", (*path, "unset"))
            )
        for key in ("under", "after", "before"):  # an indicator's id (under: null, the top)
            if key in change and not isinstance(change[key], str | None):
                found.append(
                    document.problem("variant-form", f"'{key}' takes an indicator id", (*path, key))
                )
        if op == "replace" and "with" not in change:
            found.append(document.problem("variant-form", "'replace' needs 'with'", path))
        if op == "move" and "under" not in change:
            found.append(
                document.problem("variant-form", "'move' needs 'under' (null: top level)", path)
            )
    if "inputs" in data and not isinstance(data["inputs"], Mapping | None):
        found.append(
            document.problem(
                "variant-form", "'inputs' is a mapping of input ids to their rules", ("inputs",)
            )
        )
    removed = data.get("remove_inputs", [])
    if not isinstance(removed, list) or not all(isinstance(item, str) for item in removed):
        found.append(
            document.problem("variant-form", "'remove_inputs' is a list of ids", ("remove_inputs",))
        )
    return found


def merge(
    variant: Document, variant_rubric: str, base: Document, base_rubric: str, methods: Any
) -> tuple[Document, list[Problem]]:
    """The variant applied to its base, and the problems of applying it.

    ``methods`` are the scoring-method keys (an ``update`` setting one drops the others).
    """
    return _Merger(Layer(variant, variant_rubric), Layer(base, base_rubric), methods).run()


class _Merger:
    def __init__(self, variant: Layer, base: Layer, methods: Any) -> None:
        self.variant = variant
        self.base = base
        self.methods = frozenset(methods)
        self.problems: list[Problem] = []
        # Where each container of the merged data, and some single keys, came from.
        self.places: dict[int, tuple[Layer, PathKey]] = {}
        self.key_places: dict[tuple[int, str], tuple[Layer, PathKey]] = {}

    def report(self, message: str, path: PathKey, **details: Any) -> None:
        self.problems.append(
            self.variant.document.problem("variant-change", message, path, **details)
        )

    def copy(self, value: Any, part: Layer, path: PathKey) -> Any:
        """A deep copy of ``value`` that remembers where every container came from."""
        if isinstance(value, Mapping):
            copied: Any = {key: self.copy(item, part, (*path, key)) for key, item in value.items()}
        elif isinstance(value, list):
            copied = [self.copy(item, part, (*path, index)) for index, item in enumerate(value)]
        else:
            return value
        self.places[id(copied)] = (part, path)
        return copied

    def set_key(self, node: dict[str, Any], key: str, value: Any, path: PathKey) -> None:
        node[key] = self.copy(value, self.variant, path)
        self.key_places[(id(node), key)] = (self.variant, path)

    # -- the merge ---------------------------------------------------------------------

    def run(self) -> tuple[Document, list[Problem]]:
        data = self.variant.document.data
        merged: dict[str, Any] = self.copy(self.base.document.data, self.base, ())
        merged.pop("in_force", None)
        for key, value in data.items():
            if key in VARIANT_KEYS or key == "inputs":
                continue
            self.set_key(merged, key, value, (key,))
        merged["extends"] = self.base.rubric
        self.key_places[(id(merged), "extends")] = (self.variant, ("extends",))
        self.merge_inputs(merged, data)
        for index, change in enumerate(data.get("changes", [])):
            self.apply(merged, change, ("changes", index))
        return self.document(merged), self.problems

    def merge_inputs(self, merged: dict[str, Any], data: Mapping[str, Any]) -> None:
        inputs = merged.get("inputs")
        if not isinstance(inputs, dict):
            inputs = merged["inputs"] = self.copy({}, self.variant, ("inputs",))
        for key, spec in (data.get("inputs") or {}).items():
            self.set_key(inputs, key, spec, ("inputs", key))
        for index, key in enumerate(data.get("remove_inputs", [])):
            if key in inputs:
                del inputs[key]
            else:
                self.report(f"the base has no input {key!r}", ("remove_inputs", index))

    def apply(self, merged: dict[str, Any], change: Mapping[str, Any], path: PathKey) -> None:
        op = next(key for key in change if key in OPERATIONS)
        index = _Index(merged)
        if op == "add":
            node = self.copy(change["add"], self.variant, (*path, "add"))
            ident = node.get("id")
            if ident in index.nodes:
                self.report(f"the base already has an indicator {ident!r}", (*path, "add", "id"))
                return
            self.insert(index, merged, node, change, path)
            return
        ident = change[op]
        if ident not in index.nodes:
            self.report(f"the base has no indicator {ident!r}", (*path, op), indicator=ident)
            return
        node, siblings = index.nodes[ident]
        if op == "remove":
            siblings.remove(node)
        elif op == "replace":
            replacement = self.copy(change["with"], self.variant, (*path, "with"))
            replacement.setdefault("id", ident)
            siblings[siblings.index(node)] = replacement
        elif op == "update":
            self.update(node, change, path)
        else:  # move
            inside = set(_ids(node))
            if change["under"] in inside:
                self.report(f"cannot move {ident!r} inside itself", (*path, "under"))
                return
            siblings.remove(node)
            self.insert(_Index(merged), merged, node, change, path)

    def update(self, node: dict[str, Any], change: Mapping[str, Any], path: PathKey) -> None:
        ident = node.get("id")
        part, at = self.places[id(node)]
        for key in node:
            self.key_places.setdefault((id(node), key), (part, (*at, key)))
        self.places[id(node)] = (self.variant, path)
        node.pop("provenance", None)
        settings = change.get("set", {})
        if self.methods & set(settings):
            for key in self.methods & set(node):
                del node[key]
        for key, value in settings.items():
            self.set_key(node, key, value, (*path, "set", key))
        for position, key in enumerate(change.get("unset", [])):
            if key in node:
                del node[key]
            else:
                self.report(
                    f"{ident!r} has no {key!r} to unset",
                    (*path, "unset", position),
                    indicator=ident,
                )

    def insert(
        self,
        index: _Index,
        merged: dict[str, Any],
        node: dict[str, Any],
        change: Mapping[str, Any],
        path: PathKey,
    ) -> None:
        under = change.get("under")
        if under is None:
            siblings = merged["indicators"]
        elif under in index.nodes:
            parent = index.nodes[under][0]
            if "children" not in parent:
                self.set_key(parent, "children", [], (*path, "under"))
            siblings = parent["children"]
        else:
            self.report(f"the base has no indicator {under!r}", (*path, "under"))
            return
        anchor_key = "after" if "after" in change else "before" if "before" in change else None
        if anchor_key is None:
            siblings.append(node)
            return
        anchor = change[anchor_key]
        positions = [i for i, sibling in enumerate(siblings) if sibling.get("id") == anchor]
        if not positions:
            self.report(f"{anchor!r} is not an indicator at that place", (*path, anchor_key))
            return
        siblings.insert(positions[0] + (anchor_key == "after"), node)

    # -- where each part came from -----------------------------------------------------

    def document(self, merged: dict[str, Any]) -> Document:
        lines: dict[PathKey, int] = {}
        origins: dict[PathKey, Origin] = {}

        def visit(value: Any, path: PathKey, part: Layer, at: PathKey) -> None:
            place = self.places.get(id(value))
            if place is not None:
                part, at = place
                origins[path] = part.origin(at)
            line = part.document.lines.get(at)
            if line is not None:
                lines[path] = line
            if isinstance(value, dict):
                for key, item in value.items():
                    here = self.key_places.get((id(value), key))
                    if here is not None:
                        origins[(*path, key)] = here[0].origin(here[1])
                        visit(item, (*path, key), here[0], here[1])
                    else:
                        visit(item, (*path, key), part, (*at, key))
            elif isinstance(value, list):
                for position, item in enumerate(value):
                    visit(item, (*path, position), part, (*at, position))

        visit(merged, (), self.variant, ())
        return Document(merged, self.variant.document.source, lines, origins)


class _Index:
    """Every indicator of the merged tree by id, with the list that holds it."""

    def __init__(self, merged: Mapping[str, Any]) -> None:
        self.nodes: dict[str, tuple[dict[str, Any], list[Any]]] = {}
        self._visit(merged.get("indicators", []))

    def _visit(self, siblings: Any) -> None:
        if not isinstance(siblings, list):
            return
        for node in siblings:
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                self.nodes.setdefault(node["id"], (node, siblings))
                self._visit(node.get("children"))


def _ids(node: Mapping[str, Any]) -> list[str]:
    found = [node.get("id")]
    for child in node.get("children") or []:
        if isinstance(child, Mapping):
            found += _ids(child)
    return [ident for ident in found if isinstance(ident, str)]
