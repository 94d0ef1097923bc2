"""What a compiled rubric asks of a unit: facts of the rubric, known once it is compiled.

:func:`input_needs` reads them off the compiled indicator tree and the input types of the
vocabulary it was compiled with: the rules each input must meet, the inputs each leaf's
formulas read, the indicators that read each input, the defaults and the optional inputs.
The compiler stores them on the :class:`~rubriceng.language.model.Rubric` (``rubric.needs``), so
that forms, schemas and the engine read one answer, and none of them needs the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from rubriceng.inputs.types import InputType
from rubriceng.language.model import Adjustment, Indicator, InputNeeds, InputSpec

__all__ = ["input_needs"]


def input_needs(
    indicators: Sequence[Indicator],
    inputs: Sequence[InputSpec],
    adjustments: Sequence[Adjustment],
    types: Mapping[str, InputType],
) -> InputNeeds:
    """The :class:`~rubriceng.language.model.InputNeeds` of a rubric's compiled parts."""
    nodes = [node for top in indicators for node in top.walk()]
    leaves = [node for node in nodes if node.is_leaf]
    declared_inputs = [spec for spec in inputs if spec.implicit_for is None]
    declared = {spec.id for spec in declared_inputs}
    required: dict[str, tuple[str, ...]] = {}
    for leaf in leaves:
        names: set[str] = set()
        formulas = [formula for _, formula in leaf.values]
        formulas += [case.when for case in leaf.cases]
        if leaf.scorer is not None:
            formulas += list(leaf.scorer.formulas())
            if leaf.scorer.own_input() is not None:
                names.add(leaf.id)
        for formula in formulas:
            names.update(formula.names & declared)
        required[leaf.id] = tuple(sorted(names))
    users: dict[str, list[str]] = {}
    for leaf_id, needed in required.items():
        for name in needed:
            users.setdefault(name, []).append(leaf_id)
    for node in nodes:
        if node.applies is not None:
            for name in sorted(node.applies.names):
                users.setdefault(name, []).append(node.id)
    schema: dict[str, Any] = {
        spec.id: types[spec.type].rules(spec, types) for spec in declared_inputs
    }
    for leaf in leaves:
        own = leaf.scorer.own_input() if leaf.scorer else None
        if own is not None:
            schema[leaf.id] = dict(own)
    for adjustment in adjustments:
        schema[adjustment.id] = {"type": "integer", "coerce": "count", "min": 0}
    return InputNeeds(
        schema=MappingProxyType(schema),
        required=MappingProxyType(required),
        users=MappingProxyType({name: tuple(found) for name, found in users.items()}),
        defaults=MappingProxyType(
            {spec.id: spec.default for spec in declared_inputs if spec.default is not None}
        ),
        optional=frozenset(spec.id for spec in declared_inputs if spec.optional),
    )
