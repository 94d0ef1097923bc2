"""The built-in plugin: rubriceng's own methods, functions, input types, renderers and
the national rubrics that ship with it (the top-level ``rubrics/`` folder). 绩效目标's
method and input type come from their feature package (:mod:`rubriceng.targets.hooks`).

It is registered first, through the same hooks as any other plugin, so that every
contribution — built-in or not — goes through one path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from rubriceng.formula.functions import BUILTIN_FUNCTIONS
from rubriceng.host.hookspecs import hookimpl
from rubriceng.inputs.types import BUILTIN_INPUT_TYPES, InputType
from rubriceng.methods import BUILTIN_METHODS
from rubriceng.methods.base import Method
from rubriceng.outputs.text import BUILTIN_RENDERERS, Renderer


def bundled_rubrics() -> Path:
    """The folder of rubrics that ship with rubriceng.

    In an installed wheel it is ``rubriceng/rubrics`` (``pyproject.toml`` maps the
    top-level ``rubrics/`` there); in a source checkout, the top-level folder itself.
    """
    here = Path(__file__).resolve().parent.parent  # the rubriceng package
    installed = here / "rubrics"
    return installed if installed.is_dir() else here.parent / "rubrics"


@hookimpl
def rubriceng_rubrics() -> list[Path]:
    """The national layer: ``cn/project-self-evaluation`` and ``cn/dept-overall-framework``."""
    return [bundled_rubrics()]


@hookimpl
def rubriceng_test_cases() -> list[Path]:
    """The rule-author cases of the bundled rubrics."""
    return [bundled_rubrics()]


@hookimpl
def rubriceng_scoring_methods() -> Iterable[Method]:
    """The built-in scoring methods (绩效目标's target_completion comes from its own package)."""
    return list(BUILTIN_METHODS.values())


@hookimpl
def rubriceng_formula_functions() -> Mapping[str, Callable[..., Any]]:
    """abs, ceil, clamp, count, div, floor, max, mean, min, round, sum."""
    return BUILTIN_FUNCTIONS


@hookimpl
def rubriceng_input_types() -> Iterable[InputType]:
    """money, number, rate, count, boolean, text and list."""
    return list(BUILTIN_INPUT_TYPES.values())


@hookimpl
def rubriceng_renderers() -> Iterable[Renderer]:
    """text and json."""
    return BUILTIN_RENDERERS
