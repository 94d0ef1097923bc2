"""A unit's inputs as plain data, before they are checked.

A unit's inputs come from JSON, YAML, a workbook, or a caller's own Python objects. The
checks that follow (the compiled checker, cerberus, the coercions of
:mod:`rubriceng.inputs.types`) are written for plain data: ``dict`` with text keys,
``list``, ``str``, ``int``, ``float``, ``Decimal``, ``bool`` and ``None``. This module
brings a caller's values to that form, so that nothing a caller passes can make them
fail in a way they do not report:

- NumPy scalars become the Python values they stand for (``numpy.float32(0.1)`` is the
  decimal 0.1 it prints as, ``numpy.int64(3)`` is 3);
- subclasses of the plain types become the plain type (read by the base type's own
  methods, so that an override of ``__iter__``, ``__repr__`` or ``__eq__`` is never
  called), as do tuples (lists) and other mappings (dicts);
- what cannot be read as plain data — bytes, a range, an object whose conversion fails,
  values nested deeper than :data:`MAX_DEPTH` — is refused, field by field.

A unit of plain data is returned as it is, after one pass over it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from rubriceng.sanitize import as_text

MAX_DEPTH = 32
"""The deepest a unit's values may nest (no rubric's inputs nest more than three deep)."""

_PLAIN = frozenset({str, int, float, Decimal, bool, type(None)})
"""The types of plain data (not their subclasses)."""


@attrs.frozen
class Unreadable:
    """A value that is not plain data: where it is (its input's id first) and what it
    is (``deep``: it nests deeper than :data:`MAX_DEPTH`)."""

    path: tuple[str | int, ...]
    kind: str
    deep: bool = False


class _Refused:
    """What stands for an unreadable value in the inputs the checks see (they refuse
    it, and what they say of it is left out: :class:`Unreadable` tells it)."""

    def __repr__(self) -> str:
        return "<refused>"


REFUSED = _Refused()


def plain_inputs(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[Unreadable]]:
    """``inputs`` as plain data, and the values that cannot be (each replaced by
    :data:`REFUSED`). ``inputs`` itself is returned when it is plain data already."""
    if all(_is_plain(value, 1) for value in inputs.values()):
        return inputs, []
    refused: list[Unreadable] = []
    found = {key: _plain(value, (key,), refused) for key, value in inputs.items()}
    return found, refused


def as_dict(inputs: Any) -> Any:
    """A unit's inputs as a ``dict``: a dict as it is, another mapping (or a dict
    subclass) copied by its items, None for a mapping that fails as it is read, and
    anything else as it is (the checks refuse it as not a mapping)."""
    if type(inputs) is dict or not isinstance(inputs, Mapping):
        return inputs
    try:
        return dict(dict.items(inputs) if isinstance(inputs, dict) else inputs.items())
    except Exception:  # a caller's mapping that fails as it is read
        return None


def _is_plain(value: Any, depth: int) -> bool:
    kind = type(value)
    if kind in _PLAIN:
        return True
    if depth >= MAX_DEPTH:
        return False
    if kind is list:
        return all(_is_plain(item, depth + 1) for item in value)
    if kind is dict:
        return all(type(key) is str and _is_plain(item, depth + 1) for key, item in value.items())
    return False


def _plain(value: Any, path: tuple[Any, ...], refused: list[Unreadable]) -> Any:
    """``value`` (at ``path``) as plain data, or :data:`REFUSED` (noted in ``refused``).
    A value of another kind (a date, a set, an object) is returned as it is: the checks
    refuse it by the name of its type."""
    if type(value).__module__ == "numpy":
        value = _numpy(value)
    kind = type(value)
    if kind in _PLAIN:
        return value
    # subclasses, read by the base type's own methods (never an override)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, Decimal):
        return Decimal(value)
    if isinstance(value, bytes | bytearray | memoryview | range):
        refused.append(Unreadable(path, kind.__name__))
        return REFUSED
    if not isinstance(value, Mapping | Sequence):
        return value
    if len(path) >= MAX_DEPTH:
        refused.append(Unreadable(path, kind.__name__, deep=True))
        return REFUSED
    try:
        if isinstance(value, Mapping):
            pairs = list(dict.items(value) if isinstance(value, dict) else value.items())
        elif isinstance(value, list):
            items = list.copy(value)
        elif isinstance(value, tuple):
            items = list(tuple.__iter__(value))
        else:
            items = list(value)
    except Exception:  # a caller's object that fails as it is read
        refused.append(Unreadable(path, kind.__name__))
        return REFUSED
    if isinstance(value, Mapping):
        return {_key(key): _plain(item, (*path, key), refused) for key, item in pairs}
    return [_plain(item, (*path, index), refused) for index, item in enumerate(items)]


def _key(key: Any) -> str:
    """A mapping's key as text (no item of an input is named otherwise, so the checks
    refuse any other key as an unknown item: ``1`` is told as the key 1, not as a list's
    second item)."""
    return str.__str__(key) if isinstance(key, str) else as_text(key)


def _numpy(value: Any) -> Any:
    """A NumPy value as the Python value it stands for: a scalar as its Python scalar, a
    float of any width as the decimal it prints as (``float32(0.1)`` is 0.1, not
    0.100000001490116…), an array as a list of its items."""
    import numpy as np  # here: only a NumPy value needs it

    if isinstance(value, np.ndarray):
        return list(value) if value.ndim else _numpy(value[()])
    if isinstance(value, np.floating) and not isinstance(value, np.float64):
        return Decimal(str(value)) if np.isfinite(value) else float(value)
    if isinstance(value, np.generic):
        return value.item()
    return value
