"""The 惠州 2020 rubric carries the published table's texts character for character.

``data/seed-002-huizhou-2020.txt`` is a copy of the published 指标评分表 (seed 002) as
extracted from its PDF: each cell of the table is a run of lines. ``CELLS`` names, for
every indicator of the table, the lines of its 指标说明, 评分标准 and 备注 cells; a cell's
text is its lines joined as they stand (the extraction broke lines inside words, and
kept the spaces the table has between numbered items). The test holds the rubric file to
those texts, so a text cut short, retyped or paraphrased fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SEED = Path(__file__).parent / "data" / "seed-002-huizhou-2020.txt"

# indicator id → {rubric field: (first line, last line)} in the seed copy (1-based,
# inclusive). description = 指标说明, standard = 评分标准, remarks = 备注.
CELLS: dict[str, dict[str, tuple[int, int]]] = {
    "budget_reasonableness": {"description": (174, 178), "standard": (180, 190)},
    "revenue_budget_variance": {
        "description": (200, 201),
        "standard": (203, 206),
        "remarks": (208, 214),
    },
    "advance_release_rate": {"description": (220, 222), "standard": (224, 235)},
    "goal_reasonableness": {"description": (251, 255), "standard": (257, 265)},
    "indicator_clarity": {"description": (276, 279), "standard": (281, 288)},
    "budget_spending_rate": {"description": (303, 306), "standard": (308, 312)},
    "carryover_rate": {
        "description": (322, 325),
        "standard": (327, 333),
        "remarks": (335, 341),
    },
    "treasury_stock_efficiency": {"description": (355, 357), "standard": (359, 368)},
    "procurement_rate": {
        "description": (381, 384),
        "standard": (386, 392),
        "remarks": (394, 399),
    },
    "financial_compliance": {"description": (416, 421), "standard": (423, 435)},
    "fund_release_legality": {"description": (454, 459), "standard": (461, 474)},
    "budget_disclosure": {"description": (484, 488), "standard": (490, 501)},
    "project_procedures": {"description": (513, 518), "standard": (520, 523)},
    "project_supervision": {"description": (529, 530), "standard": (532, 538)},
    "asset_report_timeliness": {"description": (550, 551), "standard": (553, 556)},
    "asset_data_quality": {"description": (566, 567), "standard": (569, 571)},
    "ledger_reconciliation": {"description": (580, 581), "standard": (583, 584)},
    "asset_compliance": {"description": (593, 594), "standard": (596, 602)},
    "fixed_asset_utilisation": {"description": (611, 612), "standard": (614, 616)},
    "public_expense_control": {
        "description": (635, 639),
        "standard": (641, 644),
        "remarks": (646, 660),
    },
    "key_task_completion": {"description": (672, 675), "standard": (677, 680)},
    "target_completion": {"description": (690, 692), "standard": (694, 696)},
    "project_timeliness": {"description": (707, 708), "standard": (710, 712)},
    "effect_indicators": {"description": (725, 727), "standard": (729, 742)},
    "complaint_handling": {"description": (767, 769), "standard": (771, 775)},
    "satisfaction": {"description": (782, 783), "standard": (785, 791)},
}
# The table's one 加减分 row (工作表现 / 加减分指标): its 指标说明 and 评分标准, which the
# rubric splits into its bonus and its penalty (see the rubric file's notes).
ADJUSTMENTS = {"description": (800, 801), "standard": (803, 810)}


def cell(first: int, last: int) -> str:
    """The text of the seed's lines ``first``–``last``, joined as they stand."""
    lines = SEED.read_text(encoding="utf-8").splitlines()[first - 1 : last]
    return "".join(line for line in lines if line.strip())


@pytest.fixture(scope="module")
def indicators(huizhou):
    return {node.id: node for node in huizhou.walk()}


@pytest.mark.parametrize("indicator", sorted(CELLS))
def test_every_text_of_the_table(indicators, indicator):
    node = indicators[indicator]
    for field, (first, last) in CELLS[indicator].items():
        assert getattr(node, field) == cell(first, last), (indicator, field)


def test_every_indicator_of_the_table_is_covered(indicators):
    leaves = {node.id for node in indicators.values() if node.is_leaf}
    assert leaves == set(CELLS)


@pytest.mark.parametrize("indicator", sorted(CELLS))
def test_checklist_items_are_the_tables_criteria(indicators, indicator):
    """Each criterion's name is printed whole in its indicator's 评分标准."""
    for item in getattr(indicators[indicator].scorer, "items", ()):
        assert item.name in indicators[indicator].standard, (indicator, item.name)


def test_the_adjustments_row(huizhou):
    bonus, penalty = huizhou.adjustments
    description, standard = (cell(*ADJUSTMENTS[key]) for key in ("description", "standard"))
    assert bonus.description == penalty.description == description
    assert f"{bonus.standard} {penalty.standard}" == standard
    assert (bonus.name, penalty.name) == ("加分项", "减分项")


def test_names_as_printed(indicators):
    assert indicators["effect_indicators"].name == "效果性"
    assert "单位自选" not in " ".join(node.name for node in indicators.values())
