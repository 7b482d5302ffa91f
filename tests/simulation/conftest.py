"""Simulation tests run the shipped small scenarios for a few weeks and seeds (fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.simulation.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="session")
def small():
    return load_scenario(SCENARIOS / "small.toml")


@pytest.fixture(scope="session")
def tiny():
    return load_scenario(SCENARIOS / "tiny-hand.toml")
