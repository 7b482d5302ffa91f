"""booking.rules is pure: it imports nothing from the web app, Flask or SQLAlchemy."""

from __future__ import annotations

import ast
import sys
from importlib import resources

import pytest

from booking.rules import RuleSet, TargetGroup, load_rule_set

FORBIDDEN = ("flask", "sqlalchemy", "booking", "solver")
#: The only third-party packages booking.rules may import: pydantic validates the rule-set files;
#: pydantic_core is pydantic's own core, where PydanticCustomError and ErrorDetails live.
ALLOWED_THIRD_PARTY = ("pydantic", "pydantic_core")


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


def absolute_imports(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module or ""


@pytest.mark.parametrize("module", modules(), ids=lambda p: p.name)
def test_module_imports_only_stdlib_and_allowed_third_party(module):
    for name in absolute_imports(module):
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
            f"{module.name} imports {name}")


def test_rule_sets_are_immutable_values():
    rule_set = load_rule_set("lab-2024")
    assert isinstance(rule_set, RuleSet)
    with pytest.raises(TypeError):
        rule_set.groups[TargetGroup.CASH_BENEFIT] = None  # type: ignore[index]
    assert rule_set.has_group("cash_benefit")
    assert not rule_set.has_group("pensioners")
