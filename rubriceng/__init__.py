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

from __future__ import annotations

from typing import TYPE_CHECKING

from rubriceng.exports import lazy

if TYPE_CHECKING:
    from rubriceng.authoring.comparison import Comparison, compare
    from rubriceng.batch.columns import evaluate_table, peer_means, peer_sums
    from rubriceng.batch.scores import ScoreTable
    from rubriceng.errors import (
        EvaluationError,
        InputError,
        PluginError,
        Problem,
        RubricengError,
        RubricError,
        RubricNotFoundError,
    )
    from rubriceng.host.index import RubricEntry
    from rubriceng.host.registry import Registry, default_registry
    from rubriceng.language.model import Indicator, Rubric
    from rubriceng.loader import find_rubric, load_inputs, load_rubric
    from rubriceng.outputs.explanation import explain
    from rubriceng.outputs.schemas import BATCH_SCHEMA, RESULT_SCHEMA, inputs_schema
    from rubriceng.scoring.engine import evaluate, evaluate_many
    from rubriceng.scoring.result import (
        RESULT_FORMAT,
        AdjustmentResult,
        Batch,
        IndicatorResult,
        Result,
        UnitFailure,
        to_frame,
    )
    from rubriceng.targets import judge, load_sheets, parse_target

_EXPORTS = {
    "ScoreTable": "batch.scores",
    "evaluate_table": "batch.columns",
    "peer_means": "batch.columns",
    "peer_sums": "batch.columns",
    "Comparison": "authoring.comparison",
    "compare": "authoring.comparison",
    "BATCH_SCHEMA": "outputs.schemas",
    "RESULT_SCHEMA": "outputs.schemas",
    "inputs_schema": "outputs.schemas",
    "evaluate": "scoring.engine",
    "evaluate_many": "scoring.engine",
    "EvaluationError": "errors",
    "InputError": "errors",
    "PluginError": "errors",
    "Problem": "errors",
    "RubricengError": "errors",
    "RubricError": "errors",
    "RubricNotFoundError": "errors",
    "find_rubric": "loader",
    "load_inputs": "loader",
    "load_rubric": "loader",
    "Indicator": "language.model",
    "Rubric": "language.model",
    "Registry": "host.registry",
    "RubricEntry": "host.index",
    "default_registry": "host.registry",
    "RESULT_FORMAT": "scoring.result",
    "AdjustmentResult": "scoring.result",
    "Batch": "scoring.result",
    "IndicatorResult": "scoring.result",
    "Result": "scoring.result",
    "UnitFailure": "scoring.result",
    "to_frame": "scoring.result",
    "judge": "targets",
    "load_sheets": "targets",
    "parse_target": "targets",
    "explain": "outputs.explanation",
}
"""Where each exported name lives. They are imported on first use, so that
``import rubriceng`` stays fast for command lines and embedding processes."""


__getattr__, __dir__ = lazy("rubriceng", _EXPORTS, globals())


__version__ = "0.1.0"

__all__ = [
    "BATCH_SCHEMA",
    "RESULT_FORMAT",
    "RESULT_SCHEMA",
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
    "ScoreTable",
    "UnitFailure",
    "compare",
    "default_registry",
    "evaluate",
    "evaluate_many",
    "evaluate_table",
    "explain",
    "find_rubric",
    "inputs_schema",
    "judge",
    "load_inputs",
    "load_rubric",
    "load_sheets",
    "parse_target",
    "peer_means",
    "peer_sums",
    "to_frame",
]
