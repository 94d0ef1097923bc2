"""What 绩效目标 contributes to rubriceng, through the hooks any plugin uses: the scoring
method ``target_completion`` and the input type ``targets``.

The host registers this module as a built-in plugin by its name (``BUILTIN_PLUGINS`` in
:mod:`rubriceng.host.collect`), as datasette registers its own features; the rest of the
engine never imports the feature to use it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from rubriceng.inputs.types import InputType
from rubriceng.methods.base import Method
from rubriceng.targets.method import TARGET_COMPLETION, TARGETS_INPUT

hookimpl = pluggy.HookimplMarker("rubriceng")
"""The marker :mod:`rubriceng.plugin` exports, made here because this package sits below
the plugin host in the layers."""


@hookimpl
def rubriceng_scoring_methods() -> Iterable[Method]:
    """``target_completion``: 绩效目标完成率 from a unit's target rows."""
    return [TARGET_COMPLETION]


@hookimpl
def rubriceng_input_types() -> Iterable[InputType]:
    """``targets``: the rows of a 绩效目标申报表, with actual values."""
    return [TARGETS_INPUT]
