"""Scoring methods (评分方法): how a leaf indicator turns a unit's data into a score.

A method is named by the key that introduces it in an indicator (``bands:``, ``ratio:``,
…). Each module here is one method, whole: its frozen :class:`~rubriceng.methods.base.Scorer`,
the compile function that checks the key's value and builds it, the cerberus rules of
that value, and the :class:`~rubriceng.methods.base.Method` that declares them with its
summary and trace words (``METHOD``). What every method shares is in
:mod:`~rubriceng.methods.base`. The generated row kernel (its forms,
:mod:`rubriceng.scoring.forms`) and the column kernels (:mod:`rubriceng.batch.vector`)
write the built-in methods out as integer arithmetic; a method without such a form (any
plugin's) is called as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from rubriceng.methods import (
    all_or_nothing,
    average,
    bands,
    checklist,
    deductions,
    formula,
    judgement,
    peer,
    ratio,
    steps,
    unit_defined,
)
from rubriceng.methods.base import Method

BUILTIN_METHODS: Mapping[str, Method] = {
    module.METHOD.key: module.METHOD
    for module in (
        formula,
        ratio,
        bands,
        steps,
        checklist,
        deductions,
        all_or_nothing,
        average,
        peer,
        judgement,
        unit_defined,
    )
}
"""The scoring methods every rubric may use, by the key that introduces them."""
