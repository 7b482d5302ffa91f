"""The package's two parts: the allocation (`solver/` outside `simulation/`) imports nothing
from the web application nor from the rules engine, and nothing from the simulation; the
simulation may use the allocation and `booking.rules` (pure), nothing else of `booking`."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SOLVER = Path(__file__).resolve().parents[2] / "solver"
SIMULATION = SOLVER / "simulation"
ALLOCATION = sorted(p for p in SOLVER.rglob("*.py") if SIMULATION not in p.parents)
ENTRY_POINTS = {SOLVER / "simulate.py"}  # `python -m solver.simulate`: hands over to simulation
FORBIDDEN = ("booking", "flask", "sqlalchemy", "solver.simulation")


def imported(module: Path) -> list[str]:
    """Absolute names of everything the module imports (relative imports resolved)."""
    package = ".".join(module.relative_to(SOLVER.parent).with_suffix("").parts[:-1])
    if module.name == "__init__.py":
        package = ".".join(module.relative_to(SOLVER.parent).parts[:-1])
    names = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names += [prefix] + [f"{prefix}.{a.name}" for a in node.names]
    return names


def test_the_allocation_is_the_whole_package_but_the_simulation():
    names = {p.relative_to(SOLVER).as_posix() for p in ALLOCATION}
    assert {"api.py", "problem.py", "schema.py", "flow/network.py", "chart.py"} <= names
    assert not any(n.startswith("simulation/") for n in names)


@pytest.mark.parametrize("module", ALLOCATION, ids=lambda p: p.relative_to(SOLVER).as_posix())
def test_allocation_imports_nothing_from_booking(module):
    for name in imported(module):
        for bad in FORBIDDEN:
            if bad == "solver.simulation" and module in ENTRY_POINTS:
                continue
            assert name != bad and not name.startswith(bad + "."), (module.name, name)


def test_imports_are_resolved():
    """The check above would be blind if relative imports were misread."""
    assert "solver.model.Index" in imported(SOLVER / "flow" / "network.py")
    assert "solver.simulation.cli.main" in imported(SOLVER / "simulate.py")
    assert "booking.rules.RuleSet" in imported(SIMULATION / "run.py")


def test_importing_the_allocation_loads_no_booking_module():
    modules = [".".join(p.relative_to(SOLVER.parent).with_suffix("").parts)
               for p in ALLOCATION if p not in ENTRY_POINTS and p.name != "__main__.py"]
    code = f"""
import importlib, sys
for name in {modules!r}:
    importlib.import_module(name.removesuffix(".__init__"))
print(sorted(n for n in sys.modules if n.split(".")[0] in ("booking", "flask", "sqlalchemy")
             or n.startswith("solver.simulat")))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=SOLVER.parent)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert len(modules) > 20
