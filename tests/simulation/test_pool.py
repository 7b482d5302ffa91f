"""Pooled windows (policy-made group call-ins): the exact Poisson-binomial sizing, a window
computed by hand, every plan passes solver.check, common random numbers, the clairvoyant on top."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest

from solver.simulation.cli import run
from solver.simulation.draws import uniform
from solver.simulation.policies import SolverPolicy
from solver.simulation.pool import capacity, invite_count, seats_needed
from solver.simulation.population import population
from solver.simulation.run import World
from solver.simulation.scenario import load_scenario, resolve_rule_set
from solver.sizing import overflow_risk, size_invitation

RULES = Path(__file__).resolve().parents[2] / "scenarios" / "rules" / "one-conversation.toml"

HAND = f"""
[scenario]
name = "pool"
start = 2025-01-06
warmup_weeks = 0
rule_set = "{RULES.as_posix()}"
public_holidays = ""

[booking]
notice_days = 3
plan_horizon_days = 14
rebook_days = 8

[policy]
overbook_risk = 0.0
pool_risk = 0.2
pool_seats = 2
pool_max_probability = 1.0
prior_mean = 0.5  # the job centre's prior for the group: every citizen starts at 0.5

[[units]]
id = "u"
caseworkers = 1
[[units.patterns]]
days = ["mon"]
times = {{times}}
minutes = 45
channel = "in_person"
""" + "".join(f"""
[[citizens]]
id = "{c}"
group = "cash_benefit"
unit = "u"
caseworker = "u-1"
start = 2025-01-06
show = 0.5
self_booking = "never"
outcomes = {{{c}}}
""" for c in "ABC")


def _world(tmp_path, times: str, a="[true]", b="[true]", c="[true]") -> World:
    path = tmp_path / "pool.toml"
    path.write_text(HAND.format(times=times, A=a, B=b, C=c), encoding="utf-8")
    scenario = load_scenario(path)
    rule_set = resolve_rule_set(scenario)
    specs = population(scenario, rule_set, 1, 5)
    return World(scenario, rule_set, 1, 5, specs, SolverPolicy(), True)


def _hand(tmp_path, times: str, a="[true]", b="[true]", c="[true]"):
    sessions = []
    world = _world(tmp_path, times, a, b, c)
    original = world._sessions

    def spy(day, sick, measured):
        sessions.extend((s.id, len(s.seats), len(s.invitees))
                        for s in world.sessions_by_day.get(day, []))
        return original(day, sick, measured)

    world._sessions = spy
    return world.run(), sessions


def test_hand_checked_window_serves_the_third_arrival_in_an_idle_seat(tmp_path):
    """6 Jan re-plan: A, B, C (p 0.5, due 27 Jan) are invited to a window on Monday 13 Jan.
    Two seats: P(more than 2 of 3 come) = 1/8 <= 0.2; one seat would be 1/2. All three come:
    A and B are served at 09:00 and 10:00, C waits and the caseworker's free 11:00 seat takes
    her. 3 of 3 on time, nobody turned away."""
    r, sessions = _hand(tmp_path, '["09:00", "10:00", "11:00"]')
    assert sessions == [("pool/u/2025-01-13", 2, 3)]
    assert (sum(r.on_time.values()), r.held, r.missed, r.turned_away) == (3, 3, 0, 0)
    assert r.broken == [] and r.plans_checked > 0


def test_hand_checked_window_turns_away_without_an_idle_seat(tmp_path):
    """Only 09:00 and 10:00: C is turned away on 13 Jan, rebooked from 21 Jan into the 27 Jan
    window and held on her deadline."""
    r, sessions = _hand(tmp_path, '["09:00", "10:00"]', c="[true, true]")
    assert sessions[0] == ("pool/u/2025-01-13", 2, 3)
    assert (sum(r.on_time.values()), r.held, r.missed, r.turned_away) == (3, 3, 0, 1)
    assert r.broken == []


def test_hand_checked_window_a_miss_frees_a_seat(tmp_path):
    r, _ = _hand(tmp_path, '["09:00", "10:00"]', a="[false, true]")
    assert (sum(r.on_time.values()), r.held, r.missed, r.turned_away) == (3, 3, 1, 0)


def test_windows_are_sized_by_the_arrivals_seen_against_those_expected(tmp_path):
    """The window of 13 Jan expected 1.5 arrivals (three invitees estimated at 0.5) and saw 3.
    From then on the policy sizes group call-ins with the estimates scaled by (seen + 20) /
    (expected + 20): 23 / 21.5 -> 1.07. When A misses on 13 Jan (2 seen) her estimate falls to
    2 / 5 = 0.4 (the prior 0.5 weighs 4 attempts), and the window of 27 Jan she comes to adds
    0.4 expected and 1 seen: 23 / 21.9 -> 1.05."""
    world = _world(tmp_path, '["09:00", "10:00", "11:00"]')
    world.run()
    assert (world.group_expected, world.group_came) == (1.5, 3)
    assert world.policy._arrivals == 1.07
    world = _world(tmp_path, '["09:00", "10:00"]', a="[false, true]")
    world.run()
    assert world.group_came == 3 and world.group_expected == pytest.approx(1.9)
    assert world.policy._arrivals == 1.05


def test_the_estimates_of_those_invited_run_low(pooled):
    """Why the sizing is scaled: group call-ins take the citizens least likely to come by
    their estimates, and those estimates run low (more come than they expect)."""
    rule_set = resolve_rule_set(pooled)
    specs = population(pooled, rule_set, 2, pooled.warmup_weeks + 6)
    world = World(pooled, rule_set, 2, 6, specs, SolverPolicy())
    world.run()
    assert world.group_expected > 100 and world.group_came > world.group_expected


def test_overflow_risk_is_the_exact_poisson_binomial():
    assert overflow_risk([0.5, 0.5, 0.5], 2) == pytest.approx(1 / 8)
    assert overflow_risk([0.5, 0.5, 0.5], 1) == pytest.approx(1 / 2)
    assert overflow_risk([0.3, 0.6], 1) == pytest.approx(0.18)
    assert overflow_risk([0.9], 0) == pytest.approx(0.9)
    assert overflow_risk([], 0) == 0


@pytest.mark.parametrize(("p", "m", "risk"), [(0.5, 9, 0.1), (0.4, 9, 0.1), (0.3, 16, 0.05),
                                              (0.6, 2, 0.2)])
def test_invite_count_equals_the_binomial_bound(p, m, risk):
    def tail(n):
        return sum(comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(m + 1, n + 1))
    bound = max(n for n in range(200) if tail(n) <= risk)
    assert invite_count([p] * 200, m, risk) == bound
    assert seats_needed([p] * bound, risk, 100) <= m


def test_invite_count_equals_the_apps_sizing():
    rng = random.Random(5)
    for _ in range(50):
        ps = [round(rng.uniform(0.2, 0.9), 2) for _ in range(30)]
        invited = ps[:rng.randrange(4)]
        m, risk = rng.randrange(1, 12), rng.choice([0.05, 0.1, 0.3])
        expected = size_invitation([Fraction(str(p)) for p in ps[len(invited):]], m,
                                   Fraction(str(risk)),
                                   invited=[Fraction(str(p)) for p in invited]).count
        assert invite_count(ps[len(invited):], m, risk, invited) == expected


@pytest.fixture(scope="module")
def pooled(small):
    policy = dataclasses.replace(small.policy, pool_risk=0.1, pool_seats=8,
                                 pool_max_probability=0.7)
    return dataclasses.replace(small, policy=policy)


def test_every_window_keeps_the_risk_and_every_plan_passes_check(pooled):
    """Every window gets the fewest seats that keep P(arrivals > seats) within the risk, by
    the (scaled) estimates it is sized with; when arrivals ran higher than expected since its
    invitations, it has every seat it can take (rare)."""
    fits, full = [], []
    import solver.simulation.solver_policy as sp

    original = sp.fit

    def spy(world, sess, view_p, risk, most):
        original(world, sess, view_p, risk, most)
        if sess.invitees:
            ps = [view_p(n) for n in sess.invitees]
            fits.append(ps)
            assert len(sess.seats) == max(1, seats_needed(ps, risk, len(sess.seats)))
            if overflow_risk(ps, len(sess.seats)) > risk + 1e-12:
                # invited while fewer came than expected: the window has every seat it can
                assert len(sess.seats) == capacity(world, sess, most)
                full.append(ps)

    sp.fit = spy
    try:
        rule_set = resolve_rule_set(pooled)
        specs = population(pooled, rule_set, 2, pooled.warmup_weeks + 6)
        r = World(pooled, rule_set, 2, 6, specs, SolverPolicy(), True).run()
    finally:
        sp.fit = original
    assert len(fits) > 20 and max(len(ps) for ps in fits) > 3
    assert len(full) <= len(fits) // 20
    assert r.broken == [] and r.plans_checked > 0


def test_pooled_windows_keep_common_random_numbers_and_the_clairvoyant_on_top(pooled):
    import solver.simulation.run as sim_run

    rule_set = resolve_rule_set(pooled)
    specs = population(pooled, rule_set, 3, pooled.warmup_weeks + 6)
    spec = {s.id: s for s in specs}
    record: dict[tuple, bool] = {}
    original = sim_run.show_draw

    def spy(seed, need, attempt):
        out = original(seed, need, attempt)
        record[(need.cit.id, need.key, attempt)] = out
        return out

    sim_run.show_draw = spy
    try:
        World(pooled, rule_set, 3, 6, specs, SolverPolicy()).run()
    finally:
        sim_run.show_draw = original
    assert len(record) > 50
    for (cid, key, attempt), value in record.items():
        assert value == (uniform(3, "show", cid, key, attempt) < spec[cid].p)
    runs = run(pooled, [1, 2], 6, ("edf", "solver", "clairvoyant"), check_plans=True)

    def share(r):
        return sum(r["on_time"].values()) / max(1, sum(r["due"].values()))
    for i in range(2):
        assert share(runs["clairvoyant"][i]) >= share(runs["solver"][i]) - 1e-12
        assert share(runs["clairvoyant"][i]) >= share(runs["edf"][i]) - 1e-12
    assert all(r["broken"] == [] for rs in runs.values() for r in rs)
