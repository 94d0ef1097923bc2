"""The decimal arithmetic rubriceng runs in, whatever the caller's context is.

Python's :mod:`decimal` context is per thread and belongs to the caller: an embedding
program may lower its precision, trap ``Inexact`` or set ``clamp``. Nothing rubriceng
computes may depend on that. Every public entry point that touches a ``Decimal`` —
loading, scoring, rendering, explaining — runs under :data:`DECIMAL_CONTEXT` through
:func:`isolated`, and every plugin call runs under a fresh copy of it, so that a plugin
that changes the context changes nothing after it returns.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

DECIMAL_CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""The arithmetic every load, evaluation and rendering runs in."""

P = ParamSpec("P")
R = TypeVar("R")


def isolated(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run under :data:`DECIMAL_CONTEXT`, the caller's context restored after."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with decimal.localcontext(DECIMAL_CONTEXT):
            return function(*args, **kwargs)

    return run
