"""Reading documents (rubrics and unit inputs) from YAML, JSON or Python mappings.

The result is plain data — ``dict`` with ``str`` keys, ``list``, ``str``, ``int``,
``decimal.Decimal``, ``bool`` and ``None`` — plus a map from each path inside the
document to its line, so that later stages can say *where* a problem is.

Numbers with a fraction are read as :class:`decimal.Decimal` from their source text
(``0.10`` stays ``Decimal("0.10")``): a float never enters a rubric or a unit's inputs.
YAML is composed into nodes by PyYAML (libyaml's parser where available) and turned
into data here, by the YAML 1.2 core schema: nothing is ever constructed from a tag.
Duplicate keys, tags, non-text keys, non-finite numbers and documents that are too large
or too deeply nested are rejected, each with its line.
"""

from __future__ import annotations

import copy
import datetime
import math
import os
import re
import stat
import types
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeGuard

import attrs
import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

try:  # libyaml's parser, shipped in PyYAML's wheels: about 50 times faster
    from yaml.cyaml import CParser as _FastParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FastParser = None  # type: ignore[assignment,misc]

from rubriceng.errors import InputError, Problem
from rubriceng.sanitize import brief

MAPPING_NAME = "<mapping>"
MAX_DOCUMENT_BYTES = 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 100
"""The most digits a number in a file may have, and the most places its exponent may move
the point either way."""

PathKey = tuple[str | int, ...]


def format_path(path: PathKey) -> str:
    """Render a document path as ``indicators[1].children[0].points``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def nearest_line(lines: Mapping[PathKey, int], path: PathKey) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


_EMPTY: Mapping[str, Any] = types.MappingProxyType({})


_SCALARS = frozenset({str, int, bool, float, Decimal, Fraction, type(None)})
"""Types :func:`freeze` returns as they are, found by a set lookup (an ABC check for a
mapping costs several times that, and traces hold millions of scalars in a batch)."""


def freeze(value: Any) -> Any:
    """Plain data made read-only: mappings become read-only views, lists become tuples."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:  # a scorer's trace: its scalars copied without a call each
        if not value:
            return _EMPTY
        return types.MappingProxyType(
            {key: item if type(item) in _SCALARS else freeze(item) for key, item in value.items()}
        )
    if kind is list or kind is tuple:
        return tuple(item if type(item) in _SCALARS else freeze(item) for item in value)
    if isinstance(value, Mapping):
        if not value:
            return _EMPTY
        return types.MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """Plain data without read-only views (which do not pickle): :func:`freeze` undone
    for mappings; tuples stay tuples."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(thaw(item) for item in value)
    return value


@attrs.frozen
class Origin:
    """Which document a part of a merged document (a variant) came from."""

    file: str | None
    """The file it was read from, if any."""
    rubric: str | None = None
    """The rubric it belongs to, as ``id@version``."""
    provenance: Mapping[str, Any] | None = None
    """That rubric's own ``provenance``."""


@attrs.frozen
class Document:
    """Plain data read from a file or mapping, and where each part of it was.

    A document merged from several (a variant and the rubric it extends) records in
    ``origins`` which document each subtree came from; ``lines`` are then the lines in
    those documents.
    """

    data: Any
    source: str | None = None
    lines: Mapping[PathKey, int] = attrs.field(factory=dict)
    origins: Mapping[PathKey, Origin] = attrs.field(factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        return nearest_line(self.lines, path)

    def origin_of(self, path: PathKey) -> Origin | None:
        """The origin of ``path`` in a merged document (None for a single document)."""
        for end in range(len(path), -1, -1):
            origin = self.origins.get(path[:end])
            if origin is not None:
                return origin
        return None

    def file_of(self, path: PathKey) -> str | None:
        """The file the part at ``path`` was read from."""
        origin = self.origin_of(path)
        return self.source if origin is None else origin.file

    def part(self, path: PathKey) -> Document:
        """The part of this document at ``path``, as a document of its own (same lines)."""
        data = self.data
        for key in path:
            data = data[key]
        size = len(path)
        lines = {key[size:]: line for key, line in self.lines.items() if key[:size] == path}
        return Document(data, self.file_of(path), lines)

    def problem(self, code: str, message: str, path: PathKey, **where: Any) -> Problem:
        """A :class:`Problem` located at ``path`` in this document."""
        return Problem(
            code,
            message,
            file=self.file_of(path),
            line=self.line_of(path),
            path=format_path(path) or None,
            **where,
        )


class DocumentError(Exception):
    """Raised by this module with the problems that stopped a document being read."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems))


def _written(text: str, limit: int = 40) -> str:
    """A key as the problem shows it: at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TAG = "tag:yaml.org,2002:"


class _Resolver(BaseResolver):
    """YAML 1.2 core schema: ``yes``/``no``/``on``/``off`` and ``010`` stay as written."""


for _tag, _pattern, _first in (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("int", r"[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+.0123456789",
    ),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("merge", r"<<", "<"),
):
    _Resolver.add_implicit_resolver(_TAG + _tag, re.compile(rf"^(?:{_pattern})$"), list(_first))


class _PureLoader(Reader, Scanner, Parser, Composer, _Resolver):
    """PyYAML's pure-Python composer, for builds without libyaml."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)


def _compose(text: str) -> Node | None:
    """The node graph of one YAML document (nothing is constructed from it)."""
    if _FastParser is not None:
        loader: Any = type("_FastLoader", (_FastParser, _Resolver), {})(text)
    else:  # pragma: no cover
        loader = _PureLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


class _NonFinite(str):
    """A float literal such as ``.inf`` or ``.nan``, kept as text so it can be refused."""


def _size(value: Any) -> int:
    """The number of values in plain data, itself included."""
    if isinstance(value, dict):
        return 1 + sum(_size(item) for item in value.values())
    if isinstance(value, list):
        return 1 + sum(_size(item) for item in value)
    return 1


class _Converter:
    """Turns YAML nodes or Python objects into plain data, recording lines and limits."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.building: set[int] = set()  # the mapping nodes being built, to refuse a cycle
        self.merged: dict[int, tuple[dict[str, Any], int]] = {}  # a merged mapping, once
        self.over_budget = False

    def spend(self, count: int, path: PathKey) -> bool:
        """Count ``count`` values against the budget; False (reported once) when over it."""
        self.nodes += count
        if self.nodes > MAX_NODES and not self.over_budget:
            self.over_budget = True
            self.fail(
                "document-too-large",
                f"the document has more than {MAX_NODES} values "
                "(an alias, anchor or merge bomb, or simply too big)",
                path,
            )
        return not self.over_budget

    def fail(self, code: str, message: str, path: PathKey) -> None:
        line = nearest_line(self.lines, path)
        self.problems.append(
            Problem(code, message, file=self.source, line=line, path=format_path(path) or None)
        )

    def convert(self, value: Any, path: PathKey = ()) -> Any:
        if not self.spend(1, path):
            return None
        if len(path) > MAX_DEPTH:
            self.fail("document-too-deep", f"nesting deeper than {MAX_DEPTH} levels", path)
            return None
        if isinstance(value, Node):
            return self._node(value, path)
        if isinstance(value, Mapping):
            return self._mapping(value, path)
        if isinstance(value, list | tuple):
            return [self.convert(item, (*path, index)) for index, item in enumerate(value)]
        return self._scalar(value, path)

    # -- YAML nodes ----------------------------------------------------------------------

    def _node(self, node: Node, path: PathKey) -> Any:
        if isinstance(node, MappingNode) and node.tag == _TAG + "map":
            return self._node_mapping(node, path)
        if isinstance(node, SequenceNode) and node.tag == _TAG + "seq":
            result = []
            for index, item in enumerate(node.value):
                self.lines[(*path, index)] = item.start_mark.line + 1
                result.append(self.convert(item, (*path, index)))
            return result
        if isinstance(node, ScalarNode) and node.tag.startswith(_TAG):
            return self._node_scalar(node, path)
        self.fail("document-tag", f"YAML tag {node.tag} is not allowed", path)
        return None

    def _node_mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        self.building.add(id(node))
        try:
            return self._build_mapping(node, path)
        finally:
            self.building.discard(id(node))

    def _build_mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        merged: list[Node] = []
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _TAG + "merge":
                merged.append(value_node)
                self.lines[(*path, "<<")] = line
                continue
            key = self._node_scalar(key_node, path) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != _TAG + "str":
                if isinstance(key_node, ScalarNode):  # shown as written: 0.75, true, null
                    written = _written(key_node.value or "null")
                    shown, message = str(key), f"key {written} must be text"
                else:
                    kind = "list" if isinstance(key_node, SequenceNode) else "mapping"
                    shown, message = f"<{kind}>", f"a key must be text, not a {kind}"
                self.lines[(*path, shown)] = line
                self.fail("document-key", message, (*path, shown))
                continue
            if key in first_lines:
                self.lines[(*path, key)] = line
                self.fail(
                    "document-duplicate-key",
                    f"duplicate key {key!r} (first at line {first_lines[key]})",
                    (*path, key),
                )
                continue
            first_lines[key] = line
            self.lines[(*path, key)] = line
            result[key] = self.convert(value_node, (*path, key))
        for value_node in merged:  # '<<: *base' adds the keys not given here
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.fail("document-value", "'<<' merges mappings only", (*path, "<<"))
                    continue
                if id(source) in self.building:
                    self.fail(
                        "document-merge-cycle",
                        "'<<' merges a mapping into itself",
                        (*path, "<<"),
                    )
                    continue
                # a mapping is merged from its node once; each merge of it counts every
                # value it brings against the budget, as if it were written out
                if id(source) not in self.merged:
                    built = self._node_mapping(source, path)
                    self.merged[id(source)] = (built, _size(built))
                built, size = self.merged[id(source)]
                if not self.spend(size, (*path, "<<")):
                    return result
                for key, value in built.items():
                    result.setdefault(key, copy.deepcopy(value))
        return result

    def _node_scalar(self, node: ScalarNode, path: PathKey) -> Any:
        text, kind = node.value, node.tag[len(_TAG) :]
        if kind == "str":
            return text
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        if kind == "int":
            digits = text.replace("_", "")
            if len(digits) > MAX_NUMBER_DIGITS:
                self.fail("document-number", f"{digits[:20]}… has too many digits", path)
                return None
            if digits.startswith(("0o", "0x")):
                return int(digits[2:], 8 if digits[1] == "o" else 16)
            return int(digits)
        if kind == "float":
            try:
                number = Decimal(text.replace("_", ""))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                # Keep the text: the schema refuses it as a value of the wrong type.
                return _NonFinite(text)
            return self._bounded(number, text, path)
        self.fail("document-tag", f"YAML tag {node.tag} is not allowed", path)
        return None

    def _bounded(self, number: Decimal, text: str, path: PathKey) -> Decimal | None:
        """``number``, if its exact value is of a size arithmetic finishes with: at most
        :data:`MAX_NUMBER_DIGITS` digits and an exponent within as many places either way
        (``1e-999999`` is one digit, but exactly a fraction over 10^999999)."""
        _, digits, exponent = number.as_tuple()
        assert isinstance(exponent, int)  # finite
        if len(digits) > MAX_NUMBER_DIGITS or not (
            exponent >= -MAX_NUMBER_DIGITS and exponent + len(digits) <= MAX_NUMBER_DIGITS
        ):
            shown = text if len(text) <= 24 else f"{text[:20]}…"
            self.fail("document-number", f"{shown} is beyond the numbers a file may give", path)
            return None
        return number

    # -- Python objects -------------------------------------------------------------------

    def _mapping(self, value: Mapping[Any, Any], path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in value:
            if not isinstance(key, str):
                if key is None or isinstance(key, bool):
                    written = "null" if key is None else str(key).lower()
                else:
                    written = _written(str(key) if isinstance(key, int | Decimal) else brief(key))
                self.fail("document-key", f"key {written} must be text", (*path, str(key)))
                continue
            result[key] = self.convert(value[key], (*path, key))
        return result

    def _scalar(self, value: Any, path: PathKey) -> Any:
        if value is None or isinstance(value, bool | str | int):
            return value
        if isinstance(value, Decimal):
            if not value.is_finite():
                self.fail("document-number", f"{value} is not a finite number", path)
                return None
            return self._bounded(value, str(value), path)
        if isinstance(value, float):
            if not math.isfinite(value):
                self.fail("document-number", f"{value} is not a finite number", path)
                return None
            return self._bounded(Decimal(repr(value)), repr(value), path)
        if isinstance(value, datetime.date):
            return value.isoformat()
        self.fail("document-value", f"values of type {type(value).__name__} are not allowed", path)
        return None


def from_mapping(data: Mapping[str, Any], source: str | None = None) -> Document:
    """Read a Python mapping (floats become Decimals from their shortest repr)."""
    converter = _Converter(source)
    plain = converter.convert(data)
    if converter.problems:
        raise DocumentError(converter.problems)
    return Document(plain, source, converter.lines)


# Quoted scalars (where a scalar may start), comments, and flow brackets.
_FLOW_TOKENS = re.compile(
    r"""(?<![^\s\[{,:])(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')|(?<!\S)#[^\n]*|[\[\]{}]"""
)


def _flow_depth_problem(text: str, source: str | None) -> Problem | None:
    """Refuse ``[[[[…`` nesting before the parser spends time on it."""
    depth = 0
    for match in _FLOW_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                message = f"nesting deeper than {MAX_DEPTH} levels"
                return Problem("document-too-deep", message, file=source, line=line)
        elif token in "]}":
            depth = max(0, depth - 1)
    return None


def from_text(text: str, source: str | None = None) -> Document:
    """Read YAML or JSON text (JSON is YAML too, so it gets line numbers as well)."""
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            [Problem("document-too-large", f"larger than {MAX_DOCUMENT_BYTES} bytes", file=source)]
        )
    too_deep = _flow_depth_problem(text, source)
    if too_deep is not None:
        raise DocumentError([too_deep])
    try:
        raw = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise DocumentError(
            [Problem("document-syntax", message.strip(), file=source, line=line)]
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        raise DocumentError(
            [Problem("document-syntax", str(error).strip() or type(error).__name__, file=source)]
        ) from None
    converter = _Converter(source)
    plain = None if raw is None else converter.convert(raw)
    if converter.problems:
        raise DocumentError(converter.problems)
    return Document(plain, source, converter.lines)


def read_bounded(path: str | os.PathLike[str], limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Checked before reading: a device (``/dev/zero``), a FIFO or a directory is refused
    (``document-not-a-file``), and no more than ``limit + 1`` bytes are ever read, so a
    file that lies about its size (``/proc``) or grows is refused too.
    Raises :class:`DocumentError`, or :class:`OSError` if the file cannot be opened.
    """
    where = str(path)
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise DocumentError([Problem("document-not-a-file", f"not a file: {kind}", file=where)])
    too_large = Problem("document-too-large", f"larger than {limit} bytes", file=where)
    if os.stat(path).st_size > limit:
        raise DocumentError([too_large])
    with open(path, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise DocumentError([too_large])
    return data


def from_path(path: str | Path) -> Document:
    """Read a ``.yaml``, ``.yml`` or ``.json`` file (a regular file of at most 1 MiB)."""
    file = Path(path)
    try:
        text = read_bounded(file).decode("utf-8-sig")
    except OSError as error:
        raise DocumentError(
            [Problem("document-unreadable", error.strerror or str(error), file=str(file))]
        ) from None
    except UnicodeDecodeError as error:
        raise DocumentError(
            [Problem("document-encoding", f"not UTF-8 text: {error.reason}", file=str(file))]
        ) from None
    return from_text(text, str(file))


def read(source: str | os.PathLike[str] | Mapping[str, Any]) -> Document:
    """Read a file (by path) or a mapping; a mapping is named ``<mapping>``."""
    if isinstance(source, Mapping):
        return from_mapping(source, MAPPING_NAME)
    return from_path(Path(source))


def name_of(source: Any) -> str:
    """How ``source`` is named in messages: its path, or ``<mapping>``."""
    return MAPPING_NAME if isinstance(source, Mapping) else str(source)


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
"""Suffixes of Excel files: read by openpyxl, not as documents."""


def is_workbook(source: Any) -> TypeGuard[str | os.PathLike[str]]:
    """True for a path to an Excel workbook."""
    return not isinstance(source, Mapping) and str(source).lower().endswith(WORKBOOK_SUFFIXES)


def read_input(source: str | os.PathLike[str] | Mapping[str, Any], what: str) -> Document:
    """:func:`read` for a unit's data: a file it cannot read is an :class:`InputError`
    ("cannot read WHAT SOURCE") listing the problems."""
    try:
        return read(source)
    except DocumentError as error:
        raise InputError(f"cannot read {what} {name_of(source)}", error.problems) from None


@attrs.frozen
class UnitInputs:
    """A unit's inputs as read from a file: the unit's name, the values, the document,
    and the rubric (``id@version``) the form was made for, where it records one."""

    unit: str | None
    inputs: Mapping[str, Any]
    document: Document | None = None
    rubric: str | None = None
