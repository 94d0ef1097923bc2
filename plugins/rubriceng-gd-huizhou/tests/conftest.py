"""Fixtures of the 惠州 plugin's own tests: its 2020 rubric file and the seed unit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import rubriceng

HERE = Path(__file__).resolve().parent
RUBRIC = HERE.parent / "src" / "rubriceng_gd_huizhou" / "rubrics" / "dept-overall-2020.yaml"
UNIT = HERE.parents[2] / "examples" / "huizhou-2020-office.yaml"
"""惠州市人民政府办公室 2020 as the seed prints it (the checkout's examples/)."""


@pytest.fixture(scope="session")
def huizhou() -> rubriceng.Rubric:
    return rubriceng.load_rubric(RUBRIC)


@pytest.fixture()
def huizhou_inputs() -> dict[str, Any]:
    return dict(rubriceng.load_inputs(UNIT).inputs)
