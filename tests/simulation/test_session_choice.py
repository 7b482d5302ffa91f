"""`SolverPolicy.session_choice` looks at the seat first and asks only the sessions its choice
could take: held against the full scan it replaced (every session of the unit up to the plan
horizon, then the choice), question by question, in whole runs of both policies that use it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from solver.simulation.policies import Clairvoyant, SolverPolicy
from solver.simulation.policy import working
from solver.simulation.pool import open_window, window_on
from solver.simulation.population import population
from solver.simulation.run import World
from solver.simulation.scenario import resolve_rule_set
from solver.simulation.world import first_free


def _full_scan(policy, world, need, day):
    """The choice as it was made before: the earliest session with room over the whole span,
    then the seat. A new window it opened is dissolved again (the real call opens its own)."""
    if not policy.uses_groups or "in_person" not in need.channels:
        return None
    lo = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
    hi = min(need.last_day, day + dt.timedelta(days=world.booking.plan_horizon_days))
    sess = made = None
    d = lo
    while d <= hi and sess is None:
        for s in world.sessions_by_day.get(d, []):
            if (s.unit == need.cit.spec.unit and s.minutes >= need.minutes
                    and policy.room(world, s, need)):
                sess = s
                break
        if sess is None and policy.pooling(world) and working(world, d) \
                and window_on(world, need.cit.spec.unit, d) is None:
            new = open_window(world, need.cit.spec.unit, d, world.scenario.policy.pool_seats)
            if new is not None:
                if new.minutes >= need.minutes and policy.room(world, new, need):
                    sess = made = new
                else:
                    policy.fit(world, new)
        d += dt.timedelta(days=1)
    choice = None
    if sess is not None:
        seat = first_free(world.seats_by_cw, need, lo, min(need.last_day,
                                                           world.seat_horizon(day)))
        target = policy.target(world, need)
        if policy.group_ok(need):
            choice = sess if policy.prefer(need, sess, seat, target) else None
        else:
            if target < lo:
                target = need.deadline
            if sess.day <= target and (seat is None or seat.day > target):
                choice = sess
    if made is not None:
        policy.fit(world, made)  # no invitees: dissolved
    return None if choice is None else (choice.id, choice.day, choice.made)


def _checked(base):
    class Checked(base):
        asked = 0
        taken = 0

        def session_choice(self, world, need, day):
            expected = _full_scan(self, world, need, day)
            got = super().session_choice(world, need, day)
            assert (None if got is None else (got.id, got.day, got.made)) == expected
            type(self).asked += 1
            type(self).taken += got is not None
            return got

    return Checked


@pytest.mark.parametrize("base", [SolverPolicy, Clairvoyant])
def test_the_choice_equals_the_full_scan(small, base):
    scenario = dataclasses.replace(small, policy=dataclasses.replace(
        small.policy, pool_risk=0.1, pool_seats=8, pool_max_probability=0.7))
    rule_set = resolve_rule_set(scenario)
    specs = population(scenario, rule_set, 3, scenario.warmup_weeks + 6)
    policy = _checked(base)()
    World(scenario, rule_set, 3, 6, specs, policy).run()
    assert type(policy).asked > 200
    assert 0 < type(policy).taken < type(policy).asked
