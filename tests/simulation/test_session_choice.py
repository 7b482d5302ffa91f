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
from solver.simulation.sessions import covered, last_chance
from solver.simulation.world import first_free

COVERED: list = []  # choices made for cover (a citizen likely to come, on their last chance)


def _scan(policy, world, need, lo, hi, accept):
    """The earliest session with room on [lo, hi] that `accept`s, over the whole span; a new
    window that is not it is dissolved, the one that is returned second."""
    d = lo
    while d <= hi:
        for s in world.sessions_by_day.get(d, []):
            if (s.unit == need.cit.spec.unit and s.minutes >= need.minutes
                    and policy.room(world, s, need) and accept(s)):
                return s, None
        if policy.pooling(world) and working(world, d) \
                and window_on(world, need.cit.spec.unit, d) is None:
            new = open_window(world, need.cit.spec.unit, d, world.scenario.policy.pool_seats)
            if new is not None:
                if new.minutes >= need.minutes and policy.room(world, new, need) and accept(new):
                    return new, new
                policy.fit(world, new)
        d += dt.timedelta(days=1)
    return None, None


def _full_scan(policy, world, need, day, cover=True):
    """The choice as it was made before: the earliest session with room over the whole span,
    then the seat; for a citizen likely to come whose seat is their last chance
    (`last_chance`), with `cover`, the earliest session of two caseworkers or more no later
    than the seat.
    A new window it opened is dissolved again (the real call opens its own)."""
    if not policy.uses_groups or "in_person" not in need.channels:
        return None
    lo = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
    hi = min(need.last_day, day + dt.timedelta(days=world.booking.plan_horizon_days))
    seat = first_free(world.seats_by_cw, need, lo, min(need.last_day, world.seat_horizon(day)))
    target = policy.target(world, need)
    choice = None
    made = []
    if policy.group_ok(need):
        sess, new = _scan(policy, world, need, lo, hi, lambda s: True)
        made.append(new)
        if sess is not None and policy.prefer(need, sess, seat, target):
            choice = sess
    else:
        if target < lo:
            target = need.deadline
        if seat is not None and seat.day <= target:
            if cover and last_chance(world, need, seat.day):
                sess, new = _scan(policy, world, need, lo, hi,
                                  lambda s: covered(world, s))
                made.append(new)
                if sess is not None and sess.day <= seat.day:
                    choice = sess
                    COVERED.append(need)
        else:
            sess, new = _scan(policy, world, need, lo, hi, lambda s: True)
            made.append(new)
            if sess is not None and sess.day <= target:
                choice = sess
    for new in made:
        if new is not None:
            policy.fit(world, new)  # no invitees: dissolved
    return None if choice is None else (choice.id, choice.day, choice.made)


def _checked(base):
    class Checked(base):
        asked = 0
        taken = 0

        def session_choice(self, world, need, day, cover=True):
            expected = _full_scan(self, world, need, day, cover)
            got = super().session_choice(world, need, day, cover)
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
    COVERED.clear()
    World(scenario, rule_set, 3, 6, specs, policy).run()
    assert type(policy).asked > 200
    assert 0 < type(policy).taken < type(policy).asked
    # the reference groups anyone: cover is the solver policy's reason only
    assert (len(COVERED) > 0) == (base is SolverPolicy)
