"""Each sample reaches the proven best values of samples/README.md, and the plan is valid."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from solver import SolverSettings, check, load_problem, solve, upper_bound

from .solver_testkit import SAMPLES

BEST = {"tiny": (125, 1), "small-noshow": (908, 18), "medium-locked": (2194, 20)}


@pytest.mark.parametrize("name", list(BEST))
def test_sample_reaches_best(name: str) -> None:
    problem = load_problem(json.loads((SAMPLES / f"{name}.json").read_text()))
    solution = solve(problem, SolverSettings(time_limit_s=30, num_workers=2))
    assert check(problem, solution) == []
    conv_best, rehab_best = BEST[name]
    st = solution.stats
    assert st["conversation_on_time_weight"] == conv_best
    assert st["rehab_on_time_weight"] == rehab_best
    assert st["conversation_upper_bound_weight"] == conv_best
    assert st["rehab_upper_bound_weight"] == rehab_best
    assert solution.status == "optimal"
    assert st["on_time"] <= st["upper_bound_on_time"]
    assert st["unplanned"] == len(solution.unplanned)
    assert all(reason for _, reason in solution.unplanned)


def test_bound_matches_best() -> None:
    problem = load_problem(json.loads((SAMPLES / "small-noshow.json").read_text()))
    bound = upper_bound(problem)
    assert bound["upper_bound_conversation_weight"] == 908
    assert bound["upper_bound_rehab_weight"] == 18


def test_cli_solve_check_bound(tmp_path: Path) -> None:
    instance = SAMPLES / "tiny.json"
    out = tmp_path / "plan.json"
    run = [sys.executable, "-m", "solver"]
    solved = subprocess.run([*run, "solve", str(instance), "-o", str(out), "--time-limit", "10"],
                            capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert solved.returncode == 0, solved.stderr
    plan = json.loads(out.read_text())
    assert plan["format"] == "jobcenter-plan-solution/1"
    assert plan["status"] == "optimal"
    checked = subprocess.run([*run, "check", str(instance), str(out)], capture_output=True,
                             text=True, cwd=Path(__file__).parents[2])
    assert checked.returncode == 0, checked.stdout
    # break rule 5: two conversations in one slot
    first, second = plan["conversations"][:2]
    second["slot"] = first["slot"]
    out.write_text(json.dumps(plan))
    broken = subprocess.run([*run, "check", str(instance), str(out)], capture_output=True,
                            text=True, cwd=Path(__file__).parents[2])
    assert broken.returncode == 1
    assert "rule 5" in broken.stdout
    bound = subprocess.run([*run, "bound", str(instance)], capture_output=True, text=True,
                           cwd=Path(__file__).parents[2])
    assert bound.returncode == 0
    assert json.loads(bound.stdout)["upper_bound_on_time_weight"] == 126
