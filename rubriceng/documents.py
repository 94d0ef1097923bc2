"""Reading documents (rubrics and unit inputs) from YAML, JSON or Python mappings.

The result is plain data — ``dict`` with ``str`` keys, ``list``, ``str``, ``int``,
``decimal.Decimal``, ``bool`` and ``None`` — plus a map from each path inside the
document to its line, so that later stages can say *where* a problem is.

Numbers with a fraction are read as :class:`decimal.Decimal` from their source text
(``0.10`` stays ``Decimal("0.10")``): a float never enters a rubric or a unit's inputs.
YAML is read without object-building tags; duplicate keys, tags, non-finite numbers and
documents that are too large or too deeply nested are rejected.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import types
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from rubriceng.errors import Problem

MAPPING_NAME = "<mapping>"
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

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


def freeze(value: Any) -> Any:
    """Plain data made read-only: mappings become read-only views, lists become tuples."""
    if isinstance(value, Mapping):
        return types.MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
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
        super().__init__("; ".join(str(p) for p in problems))


class _DecimalConstructor(RoundTripConstructor):
    """Round-trip constructor that reads floats as exact Decimals."""


def _construct_decimal(constructor: RoundTripConstructor, node: Any) -> Any:
    text = str(constructor.construct_scalar(node)).replace("_", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        # Keep the text: the schema reports it as a value of the wrong type, with its line.
        return _NonFinite(text)
    return number


class _NonFinite(str):
    """A float literal such as ``.inf`` or ``.nan``, kept as text so it can be refused."""


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DecimalConstructor
    yaml.allow_duplicate_keys = False
    return yaml


class _Converter:
    """Turns ruamel or Python objects into plain data, recording lines and limits."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self.nodes = 0

    def fail(self, code: str, message: str, path: PathKey) -> None:
        line = nearest_line(self.lines, path)
        self.problems.append(
            Problem(code, message, file=self.source, line=line, path=format_path(path) or None)
        )

    def convert(self, value: Any, path: PathKey = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if self.nodes == MAX_NODES + 1:
                self.fail(
                    "document-too-large",
                    f"the document has more than {MAX_NODES} values "
                    "(an alias or anchor bomb, or simply too big)",
                    path,
                )
            return None
        if len(path) > MAX_DEPTH:
            self.fail("document-too-deep", f"nesting deeper than {MAX_DEPTH} levels", path)
            return None
        if isinstance(value, Mapping):
            return self._mapping(value, path)
        if isinstance(value, list | tuple):
            return self._sequence(value, path)
        return self._scalar(value, path)

    def _mapping(self, value: Mapping[Any, Any], path: PathKey) -> dict[str, Any]:
        if isinstance(value, CommentedMap) and value.tag.value is not None:
            self.fail("document-tag", f"YAML tag {value.tag.value} is not allowed", path)
        result: dict[str, Any] = {}
        for key in value:
            if isinstance(value, CommentedMap):
                try:
                    position = value.lc.key(key)
                except KeyError:  # merged in by '<<': its line is the merge's
                    position = None
                if position is not None:
                    self.lines[(*path, str(key))] = position[0] + 1
            if not isinstance(key, str):
                self.fail("document-key", f"key {key!r} must be text", (*path, str(key)))
                continue
            result[key] = self.convert(value[key], (*path, key))
        return result

    def _sequence(self, value: list[Any] | tuple[Any, ...], path: PathKey) -> list[Any]:
        if isinstance(value, CommentedSeq) and value.tag.value is not None:
            self.fail("document-tag", f"YAML tag {value.tag.value} is not allowed", path)
        result = []
        for index, item in enumerate(value):
            if isinstance(value, CommentedSeq):
                position = value.lc.item(index)
                if position is not None:
                    self.lines[(*path, index)] = position[0] + 1
            result.append(self.convert(item, (*path, index)))
        return result

    def _scalar(self, value: Any, path: PathKey) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, _NonFinite):
            return str(value)
        if isinstance(value, str):
            return str(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, Decimal):
            if not value.is_finite():
                self.fail("document-number", f"{value} is not a finite number", path)
                return None
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                self.fail("document-number", f"{value} is not a finite number", path)
                return None
            return Decimal(repr(value))
        if isinstance(value, datetime.date):
            return value.isoformat()
        tag = getattr(getattr(value, "tag", None), "value", None)
        if tag is not None:
            self.fail("document-tag", f"YAML tag {tag} is not allowed", path)
        else:
            self.fail(
                "document-value", f"values of type {type(value).__name__} are not allowed", path
            )
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
    """Read YAML or JSON text (JSON is read as YAML 1.2, which gives line numbers too)."""
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            [Problem("document-too-large", f"larger than {MAX_DOCUMENT_BYTES} bytes", file=source)]
        )
    too_deep = _flow_depth_problem(text, source)
    if too_deep is not None:
        raise DocumentError([too_deep])
    try:
        raw = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        code = "document-duplicate-key" if "duplicate key" in message else "document-syntax"
        raise DocumentError([Problem(code, message.strip(), file=source, line=line)]) from None
    except (YAMLError, RecursionError, ValueError) as error:
        raise DocumentError(
            [Problem("document-syntax", str(error).strip() or type(error).__name__, file=source)]
        ) from None
    converter = _Converter(source)
    plain = converter.convert(raw)
    if converter.problems:
        raise DocumentError(converter.problems)
    return Document(plain, source, converter.lines)


def from_path(path: str | Path) -> Document:
    """Read a ``.yaml``, ``.yml`` or ``.json`` file."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                [
                    Problem(
                        "document-too-large",
                        f"larger than {MAX_DOCUMENT_BYTES} bytes",
                        file=str(file),
                    )
                ]
            )
        text = file.read_text(encoding="utf-8-sig")
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
