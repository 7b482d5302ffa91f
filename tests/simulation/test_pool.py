"""Pooled windows (policy-made group call-ins): the exact Poisson-binomial sizing, a window
computed by hand, every plan passes solver.check, common random numbers, the clairvoyant on top."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import Counter
from fractions import Fraction
from math import comb, prod
from pathlib import Path

import pytest

from solver.simulation.cli import run
from solver.simulation.draws import uniform
from solver.simulation.policies import SolverPolicy
from solver.simulation.pool import (
    capacity,
    groups_of,
    invite_count,
    present_overflow,
    present_seats,
    seat_owners,
    seats_needed,
    window_groups,
)
from solver.simulation.population import population
from solver.simulation.run import World
from solver.simulation.scenario import load_scenario, resolve_rule_set
from solver.sizing import overflow_risk, size_invitation, tail_of

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
    their estimates, and those estimates run low (more come than they expect: about 6 % over
    these four worlds; a single world can be level)."""
    rule_set = resolve_rule_set(pooled)
    expected = came = 0.0
    for seed in range(1, 5):
        specs = population(pooled, rule_set, seed, pooled.warmup_weeks + 6)
        world = World(pooled, rule_set, seed, 6, specs, SolverPolicy())
        world.run()
        expected, came = expected + world.group_expected, came + world.group_came
    assert expected > 400 and came > 1.03 * expected


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


def _by_enumeration(ps, seats_of: dict[str, int], absent: float) -> float:
    """P(arrivals > present seats), listing every set of present caseworkers."""
    total = 0.0
    for present in itertools.product((False, True), repeat=len(seats_of)):
        chance = prod(1 - absent if here else absent for here in present)
        seats = sum(n for n, here in zip(seats_of.values(), present, strict=True) if here)
        total += chance * overflow_risk(ps, seats)
    return total


def _seats_of(seats) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in seats:
        out[s.cw] = out.get(s.cw, 0) + 1
    return out


def test_present_seats_and_their_overflow_by_hand():
    """Two caseworkers hold 2 and 1 of 3 seats, each away with 0.1; three invitees at 0.5:
    P(A > 0, 1, 2, 3) = 7/8, 1/2, 1/8, 0; with all three present nobody is sent home."""
    assert present_seats([2, 1], 0.1) == pytest.approx([0.01, 0.09, 0.09, 0.81])
    tail = tail_of([0.5, 0.5, 0.5], 3)
    assert present_overflow(tail, [2, 1], 0.1) == pytest.approx(
        0.01 * 7 / 8 + 0.09 * 1 / 2 + 0.09 * 1 / 8 + 0.81 * 0)
    assert present_overflow(tail_of([0.5, 0.5, 0.5], 2), [1, 1], 0.0) == pytest.approx(1 / 8)


def test_present_overflow_equals_the_enumeration_of_who_is_away():
    rng = random.Random(11)
    for _ in range(60):
        ps = [round(rng.uniform(0.1, 0.95), 2) for _ in range(rng.randrange(1, 14))]
        groups = [rng.randrange(1, 5) for _ in range(rng.randrange(1, 5))]
        absent = rng.choice([0.0, 0.03, 0.2, 0.5])
        seats_of = {f"cw{i}": n for i, n in enumerate(groups)}
        assert present_overflow(tail_of(ps, sum(groups)), groups, absent) == pytest.approx(
            _by_enumeration(ps, seats_of, absent), abs=1e-12)


def test_every_window_keeps_the_risk_and_every_plan_passes_check(pooled):
    """Every window gets the fewest seats that keep P(arrivals > present seats) within the
    risk — by the (scaled) estimates it is sized with and the sickness seen so far, checked by
    listing who could be away — or, when arrivals ran higher than expected since its
    invitations, every seat it can take (rare); or, with an invitee on their last chance, one
    seat of a second caseworker more (`cover`)."""
    fits, full, absences, covers = [], [], [], []
    import solver.simulation.sessions as sp

    original = sp.fit

    def spy(world, sess, view_p, risk, most, absent=0.0, cover=False):
        original(world, sess, view_p, risk, most, absent, cover)
        # has_room's shortcut counts the same caseworkers' seats as fit's ordered list
        assert sorted(window_groups(world, sess, most)) == sorted(
            groups_of(seat_owners(world, sess, most)))
        if sess.invitees:
            ps = [view_p(n) for n in sess.invitees]
            fits.append(ps)
            absences.append(absent)
            seats = sorted(sess.seats, key=lambda s: (s.time, s.cw))
            if _by_enumeration(ps, _seats_of(seats), absent) > risk + 1e-9:
                # invited while fewer came than expected: the window has every seat it can
                assert len(seats) == capacity(world, sess, most)
                full.append(ps)
            elif len(seats) > 1 and _by_enumeration(
                    ps, _seats_of(seats[:-1]), absent) <= risk - 1e-9:
                # fewer seats would keep the risk: only when an invitee is on their last
                # chance and the fewest were one caseworker's; then one seat of a second
                own = Counter(s.cw for s in seats).most_common()
                assert cover and len(own) == 2 and own[1][1] == 1
                rest = [s for s in seats if s.cw == own[0][0]]
                assert _by_enumeration(ps, _seats_of(rest), absent) <= risk + 1e-9
                covers.append(len(seats))

    sp.fit = spy
    try:
        rule_set = resolve_rule_set(pooled)
        for seed in (2, 5):
            absences.clear()
            specs = population(pooled, rule_set, seed, pooled.warmup_weeks + 6)
            world = World(pooled, rule_set, seed, 6, specs, SolverPolicy(), True)
            r = world.run()
            assert r.broken == [] and r.plans_checked > 0
            assert max(absences) > 0  # the small job centre's caseworkers do fall sick
            assert absences[-1] == pytest.approx(world.absence_seen(), abs=0.005)  # so far
    finally:
        sp.fit = original
    assert len(fits) > 20 and max(len(ps) for ps in fits) > 3
    assert len(full) <= len(fits) // 20
    assert covers  # windows that kept a second caseworker for an invitee on their last chance


def test_the_sickness_seen_is_the_count_of_sick_caseworker_days(small):
    """`absence_seen` is what the job centre counted: every caseworker with seats on a day
    simulated so far, and those whose sick draw came up (recounted from the draws)."""
    rule_set = resolve_rule_set(small)
    specs = population(small, rule_set, 4, small.warmup_weeks + 4)
    world = World(small, rule_set, 4, 4, specs, SolverPolicy())
    world.run()
    rate = {u.id: u.sick_rate for u in small.units}
    days = sick = 0
    for day, seats in world.seats_by_day.items():
        if day < world.end:
            for cw in {s.cw for s in seats}:
                days += 1
                sick += uniform(4, "sick", cw, day) < rate[world.unit_of[cw]]
    assert (world.cw_days_seen, world.sick_days_seen) == (days, sick)
    assert 0 < sick < days
    assert world.absence_seen() == pytest.approx(sick / days)


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
