"""`SolverSettings(bounds=False)`: the same plan without the proven upper bounds (what the
simulation's weekly re-plan asks for)."""

from __future__ import annotations

import json

import pytest

from solver import SolverSettings, check, load_problem, solve
from solver.generate import SHAPES, generate

from .solver_testkit import SAMPLES


def _problems():
    for path in sorted(SAMPLES.glob("*.json")):
        yield path.stem, load_problem(json.loads(path.read_text(encoding="utf-8")))
    for seed in (1, 2):
        yield f"S-{seed}", load_problem(generate(SHAPES["S"], seed=seed))


@pytest.mark.parametrize(("name", "problem"), list(_problems()), ids=lambda x: str(x)[:20])
def test_the_plan_without_bounds_is_the_plan(name, problem):
    full = solve(problem, SolverSettings(time_limit_s=20, num_workers=1))
    plan = solve(problem, SolverSettings(time_limit_s=20, num_workers=1, bounds=False))
    assert plan.conversations == full.conversations, name
    assert plan.rehab == full.rehab
    assert [u.id for u in plan.unplanned] == [u.id for u in full.unplanned]
    assert check(problem, plan) == []
    assert plan.status == ("infeasible" if full.status == "infeasible" else "feasible")
    assert not [k for k in plan.stats if "upper_bound" in k]
    assert plan.stats["on_time"] == full.stats["on_time"]
    assert full.stats["upper_bound_on_time"] >= full.stats["on_time"]
