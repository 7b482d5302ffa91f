"""Shared fixtures for the rules-engine tests."""

from __future__ import annotations

import pytest

from booking.rules import RuleSet, load_rule_set


@pytest.fixture(scope="session")
def cph() -> RuleSet:
    return load_rule_set("copenhagen-2017")


@pytest.fixture(scope="session")
def lab() -> RuleSet:
    return load_rule_set("lab-2024")
