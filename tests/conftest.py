"""Shared fixtures: the bundled 惠州 rubric, its seed unit, and a small-rubric builder."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import rubriceng

pytest_plugins = ["pytester"]

# Property and fuzz tests: a CI profile that fits the time budget and draws the same
# examples on every run (a red CI is then a change in the code, never the luck of a draw),
# and a long random one to hunt with by hand
# (HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py tests/test_properties.py).
# What the hunt finds is pinned with @example beside the test.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"

PLUGINS_INSTALLED = all(
    importlib.util.find_spec(name) is not None
    for name in ("rubriceng_gd_huizhou", "rubriceng_gd_lianjiang", "rubriceng_gd_province")
)
"""False in a core-only environment, where the root conftest.py finds the bundled rubric
files through ``$RUBRICENG_PATH`` instead."""

needs_plugins = pytest.mark.skipif(
    not PLUGINS_INSTALLED, reason="about the bundled plugins themselves: install them"
)
HUIZHOU_RUBRICS = PLUGINS / "rubriceng-gd-huizhou" / "src" / "rubriceng_gd_huizhou" / "rubrics"
HUIZHOU = HUIZHOU_RUBRICS / "dept-overall-2020.yaml"
HUIZHOU_UNIT = ROOT / "examples" / "huizhou-2020-office.yaml"


@pytest.fixture(scope="session")
def huizhou() -> rubriceng.Rubric:
    return rubriceng.load_rubric(HUIZHOU)


@pytest.fixture()
def huizhou_inputs() -> dict[str, Any]:
    return dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)


def make_rubric(
    indicators: list[dict[str, Any]], inputs: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """A rubric document whose total is the sum of its level-1 points."""
    total = sum(indicator["points"] for indicator in indicators)
    document: dict[str, Any] = {
        "id": "test",
        "version": "1",
        "title": "test",
        "total": total,
        "indicators": indicators,
    }
    if inputs:
        document["inputs"] = inputs
    document.update(extra)
    return document


def score_of(document: dict[str, Any], inputs: dict[str, Any], indicator: str | None = None) -> str:
    """The score (as text) of one indicator, or the total, for ``inputs``."""
    result = rubriceng.evaluate(rubriceng.load_rubric(document), inputs)
    return str(result.total if indicator is None else result.indicator(indicator).score)
