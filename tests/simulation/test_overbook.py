"""Overbooking (two citizens unlikely to come in one seat): by hand, within the risk, checked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from solver.simulation.overbook import can_pair
from solver.simulation.policies import SolverPolicy
from solver.simulation.population import population
from solver.simulation.run import World
from solver.simulation.scenario import load_scenario, resolve_rule_set

RISK = 0.3  # the pair scenario's `[policy] overbook_risk`

RULES = Path(__file__).resolve().parents[2] / "scenarios" / "rules" / "one-conversation.toml"

PAIR = f"""
[scenario]
name = "pair"
start = 2025-01-06
warmup_weeks = 0
rule_set = "{RULES.as_posix()}"
public_holidays = ""

[booking]
notice_days = 3
letter_days = 28
horizon_weeks = 8
lock_days = 7
plan_horizon_days = 14
rebook_days = 8

[policy]
prior_mean = 0.5  # the job centre's prior for the group: C and D start at an estimate of 0.5
overbook_risk = 0.3

[[units]]
id = "u"
caseworkers = 1
[[units.patterns]]
days = ["mon"]
times = ["09:00"]
minutes = 45
channel = "in_person"

[[citizens]]
id = "C"
group = "cash_benefit"
unit = "u"
caseworker = "u-1"
start = 2025-01-06
show = 0.5
self_booking = "never"
outcomes = [true]

[[citizens]]
id = "D"
group = "cash_benefit"
unit = "u"
caseworker = "u-1"
start = 2025-01-06
show = 0.5
self_booking = "never"
outcomes = {{d}}
"""


def _run(tmp_path, d_outcomes: str, policy=None):
    path = tmp_path / "pair.toml"
    path.write_text(PAIR.format(d=d_outcomes), encoding="utf-8")
    scenario = load_scenario(path)
    rule_set = resolve_rule_set(scenario)
    specs = population(scenario, rule_set, 1, 5)
    return World(scenario, rule_set, 1, 5, specs, policy or SolverPolicy(), True).run()


def test_both_come_one_is_served_one_turned_away(tmp_path):
    """C and D (estimated 0.5 each, the prior: both come with 0.25 <= RISK) share the 13 January
    seat. Both come: C (equal deadlines, C by id) is held, D is turned away, rebooked from
    21 Jan: 27 Jan, held on her deadline. Both on time, one turned away, no miss."""
    r = _run(tmp_path, "[true, true]")
    assert (sum(r.on_time.values()), sum(r.due.values())) == (2, 2)
    assert (r.held, r.missed, r.turned_away) == (2, 0, 1)
    assert r.broken == [] and r.plans_checked > 0


def test_one_misses_the_other_is_held(tmp_path):
    r = _run(tmp_path, "[false, true]")
    assert (sum(r.on_time.values()), r.held, r.missed, r.turned_away) == (2, 2, 1, 0)
    assert r.broken == []


def test_no_overbooking_without_risk(tmp_path):
    class NoOverbooking(SolverPolicy):
        overbook_risk = 0.0

    r = _run(tmp_path, "[true, true]", NoOverbooking())
    assert r.turned_away == 0  # C 13 Jan, D 20 Jan: two seats


@pytest.mark.parametrize(("a", "b", "ok"), [(0.5, 0.5, True), (0.6, 0.5, True),
                                            (0.6, 0.6, False), (1.0, 0.0, True),
                                            (0.9, 0.4, False)])
def test_can_pair_is_the_product_of_the_show_probabilities(a, b, ok):
    assert can_pair(a, b, RISK) is ok
    assert not can_pair(a, b, 0.0)


def test_overbooking_never_exceeds_the_risk_and_every_plan_passes_check(small):
    """The small scenario with the solver policy (without pooled windows, which take most of
    the citizens it would pair): every double booking made has a chance of both coming of at
    most the risk, by the estimates the policy planned with; every plan (slot capacity 2 where
    double-booked) passes solver.check."""
    small = dataclasses.replace(small, policy=dataclasses.replace(small.policy, pool_risk=0.0))
    pairs: list[float] = []
    original = World.overbook

    def spy(self, need, seat):
        pairs.append(self.estimate(need) * self.estimate(seat.need))
        original(self, need, seat)

    World.overbook = spy
    try:
        rule_set = resolve_rule_set(small)
        specs = population(small, rule_set, 2, small.warmup_weeks + 6)
        r = World(small, rule_set, 2, 6, specs, SolverPolicy(), True).run()
    finally:
        World.overbook = original
    assert pairs, "the small scenario should double-book someone"
    assert max(pairs) <= small.policy.overbook_risk + 1e-9
    assert r.broken == [] and r.plans_checked > 0
