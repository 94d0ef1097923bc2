"""Everything a plugin author imports, from one place.

A plugin is a module (or object) with functions marked ``@hookimpl`` named after the
hooks in :mod:`rubriceng.host.hookspecs`, published under the ``rubriceng`` entry-point group::

    # src/rubriceng_my_county/__init__.py
    from pathlib import Path

    from rubriceng.plugin import hookimpl

    HERE = Path(__file__).parent

    @hookimpl
    def rubriceng_rubrics():
        return [HERE / "rubrics"]

A plugin that only ships rubric files (``rubrics/``) and test cases (``tests/``) next to
its ``__init__.py`` can write those two hooks in one line with :func:`data_hooks`.

A plugin that adds a scoring method writes a :class:`Scorer` (a frozen attrs class whose
``score`` returns :class:`Scored`) and a compile function that checks the method's
settings through a :class:`CompileContext`, and returns a :class:`Method`. See
``docs/plugins.md`` for a walk-through and ``docs/hooks.md`` for every hook.

The names here are a stable contract for plugin authors.
"""

from collections.abc import Callable
from pathlib import Path

from rubriceng.formula.language import Formula
from rubriceng.host.hookspecs import RubricSource, hookimpl, hookspec
from rubriceng.inputs.types import InputType
from rubriceng.language.model import InputSpec
from rubriceng.methods.base import (
    CompileContext,
    Context,
    Method,
    Part,
    Scored,
    Scorer,
    ScoringFailure,
)
from rubriceng.outputs.text import Renderer
from rubriceng.scoring.result import AdjustmentResult, IndicatorResult, Result

__all__ = [
    "AdjustmentResult",
    "CompileContext",
    "Context",
    "Formula",
    "IndicatorResult",
    "InputSpec",
    "InputType",
    "Method",
    "Part",
    "Renderer",
    "Result",
    "RubricSource",
    "Scored",
    "Scorer",
    "ScoringFailure",
    "data_hooks",
    "hookimpl",
    "hookspec",
]


def data_hooks(
    module_file: str,
) -> tuple[Callable[[], list[Path]], Callable[[], list[Path]]]:
    """``rubriceng_rubrics`` and ``rubriceng_test_cases`` for a data-only plugin.

    They offer the ``rubrics`` and ``tests`` folders next to ``module_file``::

        rubriceng_rubrics, rubriceng_test_cases = data_hooks(__file__)
    """
    here = Path(module_file).resolve().parent

    @hookimpl
    def rubriceng_rubrics() -> list[Path]:
        """The plugin's folder of rubric files."""
        return [here / "rubrics"]

    @hookimpl
    def rubriceng_test_cases() -> list[Path]:
        """The plugin's folder of rule-author test cases."""
        return [here / "tests"]

    return rubriceng_rubrics, rubriceng_test_cases
