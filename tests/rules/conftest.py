"""Shared fixtures for the rules-engine tests."""

from __future__ import annotations

import holidays
import pytest

from booking.rules import RuleSet, load_rule_set


@pytest.fixture(scope="session")
def cph() -> RuleSet:
    return load_rule_set("copenhagen-2017")


@pytest.fixture(scope="session")
def lab() -> RuleSet:
    return load_rule_set("lab-2024")


@pytest.fixture(scope="session")
def dk():
    """Danish public holidays 2015-2032 as the app passes them (the ``holidays`` package);
    booking/rules itself never imports it."""
    return frozenset(holidays.DK(years=range(2015, 2033)))
