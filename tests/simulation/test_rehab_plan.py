"""The weekly re-plan's rehabilitation instance: the material lead counts from the day itself,
not from the conversations' call-in notice (the instance's `today` is `notice_days` later)."""

from __future__ import annotations

import datetime as dt

import pytest

from solver.problem import load_problem
from solver.rehab import first_meeting_day
from solver.simulation.plan import _Builder
from solver.simulation.policies import SolverPolicy
from solver.simulation.population import population
from solver.simulation.run import World
from solver.simulation.scenario import resolve_rule_set
from solver.simulation.world import Case


@pytest.mark.parametrize("ready_offset", [-5, 0, 2, 3, 9])
def test_first_meeting_is_ready_or_today_plus_lead(small, ready_offset):
    rule_set = resolve_rule_set(small)
    specs = population(small, rule_set, 1, small.warmup_weeks + 2)
    world = World(small, rule_set, 1, 2, specs, SolverPolicy())
    day = small.start + dt.timedelta(days=14)
    notice = small.booking.notice_days
    lead = small.rehab.lead_days
    case = Case("r/x", world.citizens[0], day + dt.timedelta(days=ready_offset),
                day + dt.timedelta(days=40))
    bld = _Builder(world, day + dt.timedelta(days=notice))
    bld.rehab(day, 60, [case], {}, shift=min(notice, lead))
    problem = load_problem(bld.data)
    expected = max(case.ready, day) + dt.timedelta(days=lead)
    assert first_meeting_day(problem, 0) == expected.toordinal()
