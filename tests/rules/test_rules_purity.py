"""booking.rules is pure: it imports nothing from the web app, Flask or SQLAlchemy."""

from __future__ import annotations

import ast
from importlib import resources

import pytest

from booking.rules import RuleSet, TargetGroup, load_rule_set

FORBIDDEN = ("flask", "sqlalchemy", "booking", "solver")


def modules():
    root = resources.files("booking.rules")
    return sorted(p for p in root.iterdir() if p.name.endswith(".py"))


@pytest.mark.parametrize("module", modules(), ids=lambda p: p.name)
def test_module_imports_only_stdlib_and_its_own_package(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN, f"{module.name} imports {name}"


def test_rule_sets_are_immutable_values():
    rule_set = load_rule_set("lab-2024")
    assert isinstance(rule_set, RuleSet)
    with pytest.raises(TypeError):
        rule_set.groups[TargetGroup.CASH_BENEFIT] = None  # type: ignore[index]
    assert rule_set.has_group("cash_benefit")
    assert not rule_set.has_group("pensioners")
