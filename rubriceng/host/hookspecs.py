"""The hooks through which a plugin extends rubriceng.

A plugin is a module or object with functions marked ``@hookimpl`` (import it from
:mod:`rubriceng.plugin`) and named like the hooks below. Each hook takes no arguments and
returns what the plugin contributes; a plugin implements only the hooks it needs.
Installed plugins are found through the ``rubriceng`` entry-point group; an application
can also register one in code with :meth:`rubriceng.Registry.register`.

Hooks are called once, when a :class:`~rubriceng.Registry` first needs them (to load a
rubric, list plugins, …), never while units are scored. Contributions are taken in a
fixed order: the built-ins first, then installed plugins by entry-point name, then
plugins registered in code, in the order they were registered.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from rubriceng.inputs.types import InputType
    from rubriceng.methods.base import Method
    from rubriceng.outputs.text import Renderer

PROJECT = "rubriceng"
"""The pluggy project name, which is also the entry-point group plugins are found by."""

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

RubricSource = str | os.PathLike[str] | Mapping[str, Any]
"""A rubric file, a folder of rubric files (searched recursively), or a rubric mapping."""


@hookspec
def rubriceng_rubrics() -> Iterable[RubricSource]:
    """Rubric documents the plugin offers.

    Return paths to ``.yaml``/``.yml``/``.json`` rubric files, folders holding them, or
    rubric mappings. Each rubric is indexed by its ``id``, ``version``, ``level``,
    ``region`` and ``in_force``; two rubrics with the same id and version are an error
    naming both plugins. A rubric may ``extends`` one offered by another plugin.
    """


@hookspec
def rubriceng_scoring_methods() -> Iterable[Method]:
    """Scoring methods the plugin adds, each a :class:`~rubriceng.plugin.Method`.

    A method's ``key`` becomes a key rubric authors can write in an indicator; its
    cerberus ``rules`` become part of the rubric schema. A key that is already taken (by
    the built-ins or another plugin) is refused with an error naming both.
    """


@hookspec
def rubriceng_formula_functions() -> Mapping[str, Callable[..., Any]]:
    """Functions rubric formulas may call, by name.

    They must be pure: take numbers (Decimals) or booleans, return one, touch nothing
    else. Names are identifiers not starting with ``_``; a name already taken is refused.
    Formulas can call these and nothing else.
    """


@hookspec
def rubriceng_input_types() -> Iterable[InputType]:
    """Input types the plugin adds (:class:`~rubriceng.plugin.InputType`).

    A rubric's ``inputs:`` may then declare ``type: <name>``; the type's rules check
    and coerce what units supply.
    """


@hookspec
def rubriceng_renderers() -> Iterable[Renderer]:
    """Renderers of results (:class:`~rubriceng.plugin.Renderer`), by format name.

    ``rubriceng score --format NAME`` and :meth:`rubriceng.Registry.render` use them.
    """


@hookspec
def rubriceng_test_cases() -> Iterable[str | os.PathLike[str]]:
    """Files or folders of rule-author test cases (``test_*.yaml``) for the plugin's rubrics.

    ``rubriceng test`` with no path runs the cases of every installed plugin.
    """
