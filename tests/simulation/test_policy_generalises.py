"""What the solver policy does so that it holds beyond the files it was tuned on (issue 15):
kept seats for conversations due within days, released seats pulled in, early calls that may be
held early, and the job centre's own group call-ins sized by their expected turned-away."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solver.simulation import pool
from solver.simulation.cli import run
from solver.simulation.policies import POLICIES, SolverPolicy
from solver.simulation.pool import expected_overflow, within_share
from solver.simulation.population import population
from solver.simulation.reserve import KEPT, Reserve, pull_in
from solver.simulation.run import World
from solver.simulation.scenario import load_scenario, resolve_rule_set

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
RULES = SCENARIOS / "rules" / "one-conversation.toml"

HAND = f"""
[scenario]
name = "hand"
start = 2025-01-06
warmup_weeks = 0
rule_set = "{RULES.as_posix()}"
public_holidays = ""

[booking]
notice_days = 3
plan_horizon_days = 14
rebook_days = 8
group_max_probability = 1.0

[policy]
overbook_risk = 0.0
prior_mean = 0.5  # every citizen starts at an estimate of 0.5

[[units]]
id = "u"
caseworkers = 1
[[units.patterns]]
days = {{days}}
times = ["09:00", "10:00", "11:00", "13:00"]
minutes = 45
channel = "in_person"
{{groups}}
""" + "".join(f"""
[[citizens]]
id = "{c}"
group = "cash_benefit"
unit = "u"
caseworker = "u-1"
start = 2025-01-06
show = 0.5
self_booking = "never"
outcomes = [true]
""" for c in "ABCD")

GROUP_CALL_IN = """
[[units.group_callins]]
day = "mon"
times = ["09:00", "10:00"]
caseworkers = 1
"""


WEEKDAYS = '["mon", "tue", "wed", "thu", "fri"]'


def _world(tmp_path, groups: str = "", days: str = WEEKDAYS, policy=None) -> World:
    path = tmp_path / "hand.toml"
    path.write_text(HAND.format(groups=groups, days=days), encoding="utf-8")
    scenario = load_scenario(path)
    rule_set = resolve_rule_set(scenario)
    specs = population(scenario, rule_set, 1, 4)
    return World(scenario, rule_set, 1, 4, specs, policy or SolverPolicy(), True)


def test_expected_overflow_by_hand():
    """Two invitees at 0.5 and one seat: both come with 1/4, one too many: 0.25. A third at
    0.5 and two seats: all three with 1/8. Their share of the expected arrivals: 0.25 / 1 and
    0.125 / 1.5, both far above `AWAY_SHARE`; nobody beyond the seats: 0."""
    assert expected_overflow((0.5, 0.5), 1) == pytest.approx(0.25)
    assert expected_overflow((0.5, 0.5), 2, 0.5) == pytest.approx(0.125)
    assert expected_overflow((0.9, 0.9), 2) == 0
    assert expected_overflow((), 0, 0.3) == pytest.approx(0.3)
    assert not within_share((0.5, 0.5), 0.5, 2)
    assert within_share((0.5,), 0.5, 2)
    assert within_share((0.2,) * 5, 0.2, 4)  # 6 at 0.2, 4 seats: E[excess] ≈ 0.0016 of 1.2


def test_a_group_call_in_takes_no_more_than_its_expected_turned_away_allows(tmp_path,
                                                                          monkeypatch):
    """Seats on Mondays only. A, B, C and D (estimated 0.5) may all go to the Monday group
    call-in of two seats (`group_max_probability` 1). By expected arrivals alone (group_fill 1:
    4 × 0.5 = 2 seats) all four would be invited to 13 January; a third invitee already makes
    1/8 of a person too many, 8 % of the 1.5 expected: so two are invited, the others get seats
    or the next call-in. All come: nobody is turned away."""
    sizes = []

    def spy_run(world):
        original = world._sessions

        def spy(day, sick, measured):
            sizes.extend((str(s.day), len(s.invitees)) for s in world.sessions_by_day.get(day, [])
                         if s.invitees)
            return original(day, sick, measured)
        world._sessions = spy
        return world.run()

    r = spy_run(_world(tmp_path, GROUP_CALL_IN, '["mon"]'))
    assert sizes and sizes[0] == ("2025-01-13", 2)
    assert max(n for _, n in sizes) <= 2
    assert (r.held, r.turned_away, sum(r.on_time.values())) == (4, 0, 4)
    assert r.broken == []
    sizes.clear()
    monkeypatch.setattr(pool, "AWAY_SHARE", 1.0)  # expected arrivals only: all four
    r = spy_run(_world(tmp_path, GROUP_CALL_IN, '["mon"]'))
    assert sizes[0] == ("2025-01-13", 4)
    assert r.turned_away > 0


def test_a_released_seat_goes_to_the_best_ranked_citizen_booked_later(tmp_path):
    """6 January, notice 3 days: the 9 January seats are the last that a letter still reaches.
    A is booked on 16 January, B on 17 January, C on 9 January 10:00; the free 9 January seats
    go to A and B (C is already there), best rank first: B's rank is lower, so B takes 09:00,
    A 11:00."""
    world = _world(tmp_path)
    day = dt.date(2025, 1, 6)
    world._programmes(day)
    needs = {n.cit.id: n for n in world.needs(day)}
    seats = {(s.day.isoformat(), s.time): s for s in world.seats_by_cw["u-1"]}
    world.book(needs["A"], seats[("2025-01-16", "09:00")])
    world.book(needs["B"], seats[("2025-01-17", "09:00")])
    world.book(needs["C"], seats[("2025-01-09", "10:00")])
    world.book(needs["D"], seats[("2025-01-09", "13:00")])
    moved = pull_in(world, day, list(needs.values()), lambda n, s: (n.cit.id != "B",))
    assert moved == 2
    assert (needs["B"].seat.day, needs["B"].seat.time) == (dt.date(2025, 1, 9), "09:00")
    assert (needs["A"].seat.day, needs["A"].seat.time) == (dt.date(2025, 1, 9), "11:00")
    assert needs["C"].seat.time == "10:00"


def test_kept_seats_are_only_for_urgent_needs_by_their_deadline(tmp_path):
    """A kept seat is invisible to the plain moves (earliest free seat) and taken by an urgent
    need only on or before its deadline; `release` leaves no marker behind."""
    world = _world(tmp_path)
    day = dt.date(2025, 1, 6)
    world._programmes(day)
    need = next(n for n in world.needs(day) if n.cit.id == "A")  # due 27 January
    reserve = Reserve()
    for seat in world.seats_by_cw["u-1"]:
        if seat.day != dt.date(2025, 1, 28):
            seat.session = KEPT
            reserve.kept.append(seat)
    assert reserve.urgent(world, need, dt.date(2025, 1, 22), need.deadline)
    assert not reserve.urgent(world, need, day, need.deadline)
    lo = dt.date(2025, 1, 24)
    assert not SolverPolicy().hopeless(world, need, dt.date(2025, 1, 21))
    late = dt.date(2025, 1, 28)
    assert not reserve.take(world, need, late, late)  # a kept seat never serves a late one
    assert reserve.take(world, need, lo, dt.date(2025, 2, 28))
    assert need.seat is not None and need.seat.day == lo and need.seat.session is None
    reserve.release()
    assert all(s.session is None for s in world.seats_by_cw["u-1"])


@pytest.fixture(scope="module")
def overload():
    return load_scenario(SCENARIOS / "lab2024-overload.toml")


def test_kept_seats_live_only_during_the_policy_turn_and_serve_the_first_conversations(
        overload):
    """Over-loaded LAB 2024 centre: seats are kept (after the policy has seen four weeks),
    always later than the first bookable day, never left marked after its turn; the first
    cash-benefit conversations (due a week after the claim) are then far more often on time
    than under earliest-deadline-first."""
    rule_set = resolve_rule_set(overload)
    specs = population(overload, rule_set, 1, overload.warmup_weeks + 3)
    policy = SolverPolicy()
    world = World(overload, rule_set, 1, 3, specs, policy)
    kept_days = []
    keep, act = policy.reserve.keep, policy.act

    def spy_keep(w, day):
        keep(w, day)
        first = day + dt.timedelta(days=w.booking.notice_days)
        assert all(s.day > first and s.channel == "in_person" for s in policy.reserve.kept)
        if policy.reserve.kept:
            kept_days.append(day)

    def spy_act(w, day):
        act(w, day)
        assert not any(s.session is KEPT for seats in w.seats_by_cw.values() for s in seats
                       if s.day >= day)

    policy.reserve.keep, policy.act = spy_keep, spy_act
    world.run()
    assert kept_days and min(kept_days) >= overload.start + dt.timedelta(days=28)
    runs = run(overload, [1], 3, ("edf", "solver"))
    share = {name: r[0]["on_time"]["cash_benefit"] / r[0]["due"]["cash_benefit"]
             for name, r in runs.items()}
    assert share["solver"] > share["edf"] + 0.1


def test_a_citizen_called_early_may_be_seen_before_the_usual_letter(small):
    """On the small scenario the solver policy calls citizens who will probably need
    rebooking before the letter (`early_letter_days`): some first attempts fall before the
    letter day, none before the need was known; earliest-deadline-first never does."""
    def first_attempts(name):
        rule_set = resolve_rule_set(small)
        specs = population(small, rule_set, 1, small.warmup_weeks + 4)
        world = World(small, rule_set, 1, 4, specs, POLICIES[name]())
        out = []
        original = world._attend

        def spy(need, day, channel, held, measured, came=False):
            if need.attempt == 0:
                out.append((day, need.appear, need.known))
            original(need, day, channel, held, measured, came)
        world._attend = spy
        world.run()
        return out

    solver_first = first_attempts("solver")
    assert any(day < appear for day, appear, _ in solver_first)
    assert all(day >= known for day, _, known in solver_first)
    assert all(day >= appear for day, appear, _ in first_attempts("edf"))
