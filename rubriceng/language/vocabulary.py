"""The words a rubric document may use: scoring methods, formula functions, input types.

A :class:`Vocabulary` is assembled once from the registered plugins (the built-ins are a
plugin too) and handed to the compiler and the engine. It is immutable; schemas built
from it are cached by identity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from rubriceng.formula.functions import BUILTIN_FUNCTIONS
from rubriceng.inputs.types import BUILTIN_INPUT_TYPES, InputType
from rubriceng.methods import BUILTIN_METHODS
from rubriceng.methods.base import Method


@attrs.frozen(eq=False)
class Vocabulary:
    """Scoring methods by key, formula functions by name and input types by name."""

    methods: Mapping[str, Method] = BUILTIN_METHODS
    functions: Mapping[str, Callable[..., Any]] = BUILTIN_FUNCTIONS
    input_types: Mapping[str, InputType] = BUILTIN_INPUT_TYPES

    @property
    def numeric_types(self) -> tuple[str, ...]:
        """Input types whose values are numbers (allowed as list items)."""
        return tuple(name for name, kind in self.input_types.items() if kind.numeric)


BUILTIN_VOCABULARY = Vocabulary()
"""The built-in methods, functions and input types alone (no plugins)."""
