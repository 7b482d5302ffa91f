"""Scenario files (all shipped ones load; mistakes are reported with paths), the CLI, purity."""

from __future__ import annotations

import ast
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from solver.simulation.cli import main, seed_pool
from solver.simulation.scenario import (
    ScenarioError,
    load_scenario,
    parse_scenario,
    resolve_rule_set,
)

from .conftest import SCENARIOS

SOLVER = Path(__file__).resolve().parents[2] / "solver"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_scenario_loads(path):
    scenario = load_scenario(path)
    assert scenario.units
    resolve_rule_set(scenario)


def test_mistakes_are_listed_with_their_paths():
    with pytest.raises(ScenarioError) as err:
        parse_scenario({"scenario": {"rule_set": "lab-2024", "start": "monday", "colour": 1},
                        "booking": {"notice_days": -1},
                        "units": [{"id": "u", "caseworkers": 0, "patterns": [
                            {"days": ["someday"], "times": ["9"]}]}],
                        "groups": [{"id": "cash_benefit", "show": {"alpha": 2}}]})
    text = str(err.value)
    for expected in ("scenario.start: expected a date", "scenario.colour: unknown key",
                     "booking.notice_days: must be an integer >= 0",
                     "units[0].caseworkers: must be >= 1",
                     "units[0].patterns[0].days: 'someday' is not one of",
                     "units[0].patterns[0].times: '9' is not a time HH:MM",
                     "groups[0].show: give either fixed, or alpha and beta"):
        assert expected in text


def test_cli_prints_the_table_and_writes_json_and_plot(tmp_path, capsys):
    out, plot = tmp_path / "sim.json", tmp_path / "sim.svg"
    code = main([str(SCENARIOS / "small.toml"), "--weeks", "3", "--seeds", "2", "--jobs", "1",
                 "--policies", "edf,solver", "--json", str(out), "--plot", str(plot),
                 "--check"])
    assert code == 0
    text = capsys.readouterr().out
    assert "on time %" in text and "re-plan s" in text and "0 broken rules" in text
    data = json.loads(out.read_text())
    assert set(data["policies"]) == {"edf", "solver"}
    ci = data["policies"]["solver"]["on_time"]["all"]
    assert ci["lo"] <= ci["mean"] <= ci["hi"]
    assert len(data["policies"]["edf"]["weekly_on_time"]) == 3
    assert plot.read_text().startswith("<svg")


def test_cli_rejects_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario]\nrule_set = 'lab-2024'\nwat = 1\n")
    assert main([str(bad)]) == 2
    assert "scenario.wat: unknown key" in capsys.readouterr().err
    assert main([str(SCENARIOS / "small.toml"), "--policies", "nope"]) == 2


SIMULATION = sorted((SOLVER / "simulation").glob("*.py"))


@pytest.mark.parametrize("module", SIMULATION, ids=lambda p: p.name)
def test_simulation_never_imports_the_web_app(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] not in ("flask", "sqlalchemy"), name
            assert not name.startswith("booking.") or name == "booking.rules", name


@pytest.mark.parametrize("module", ["solver.simulate", "solver.simulation"])
def test_the_command_runs_as_a_module(module):
    run = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                         text=True, cwd=SOLVER.parent)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("usage: python -m solver.simulate")


def _process_of_task(_: int) -> tuple[int, bool]:
    return os.getpid(), gc.isenabled()


def test_each_seed_runs_in_a_fresh_process_without_the_cycle_collector():
    """`seed_pool`: a process per task (its cyclic garbage goes back when it exits), the
    collector off in it; the caller's own collector is left as it was."""
    before = gc.isenabled()
    with seed_pool(2) as pool:
        seen = pool.map(_process_of_task, range(4), chunksize=1)
    assert len({pid for pid, _ in seen}) == 4
    assert os.getpid() not in {pid for pid, _ in seen}
    assert not any(enabled for _, enabled in seen)
    assert gc.isenabled() == before
