"""rubriceng — a declarative rules engine for budget-performance self-evaluation rubrics.

A rubric (指标评分表) is data: an indicator tree with points, formulas, bands,
checklists, deductions, bonus and penalty items and reweighting for indicators that do
not apply (不适用). rubriceng loads it, checks it, and scores units against it exactly,
with an explanation of every point.

>>> import rubriceng
>>> rubric = rubriceng.load_rubric({
...     "id": "example", "version": "1", "title": "Example", "total": 2,
...     "inputs": {"plan": {"type": "money"}, "bought": {"type": "money"}},
...     "indicators": [{"id": "procurement", "name": "政府采购执行率", "points": 2,
...                     "ratio": {"actual": "bought", "target": "plan",
...                               "zero_when_exceeds": True}}],
... })
>>> rubriceng.evaluate(rubric, {"plan": 1331100, "bought": "1236754.68"}).total
Decimal('1.86')

The names exported here are the public API; everything else may change.
"""

from rubriceng.compare import Comparison, compare
from rubriceng.engine import evaluate, evaluate_many
from rubriceng.errors import (
    EvaluationError,
    InputError,
    PluginError,
    Problem,
    RubricengError,
    RubricError,
    RubricNotFoundError,
)
from rubriceng.loader import find_rubric, load_inputs, load_rubric
from rubriceng.model import Indicator, Rubric
from rubriceng.registry import Registry, RubricEntry, default_registry
from rubriceng.result import (
    RESULT_FORMAT,
    AdjustmentResult,
    Batch,
    IndicatorResult,
    Result,
    UnitFailure,
)

__version__ = "0.1.0"

__all__ = [
    "RESULT_FORMAT",
    "AdjustmentResult",
    "Batch",
    "Comparison",
    "EvaluationError",
    "Indicator",
    "IndicatorResult",
    "InputError",
    "PluginError",
    "Problem",
    "Registry",
    "Result",
    "Rubric",
    "RubricEntry",
    "RubricError",
    "RubricNotFoundError",
    "RubricengError",
    "UnitFailure",
    "compare",
    "default_registry",
    "evaluate",
    "evaluate_many",
    "find_rubric",
    "load_inputs",
    "load_rubric",
]
