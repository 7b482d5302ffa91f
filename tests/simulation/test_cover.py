"""Cover: a citizen likely to come whose seat is their last chance — lost to a caseworker
away that day, no new call-in could reach them by the deadline — goes to a group call-in of
two caseworkers or more on or before that day, so one caseworker away does not take the
conversation (`SolverPolicy.session_choice`, `pool.fit(cover=True)`). Hand-checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from solver.simulation.draws import uniform
from solver.simulation.policies import EarliestDeadline, SolverPolicy
from solver.simulation.population import population
from solver.simulation.run import World
from solver.simulation.scenario import load_scenario, resolve_rule_set
from solver.simulation.sessions import covered, last_chance
from solver.simulation.world import Seat, Session

RULES = Path(__file__).resolve().parents[2] / "scenarios" / "rules" / "one-conversation.toml"
DEADLINE = dt.date(2025, 1, 27)  # a Monday: three weeks after the start
SICK_RATE = 0.2

HAND = f"""
[scenario]
name = "cover"
start = 2025-01-06
warmup_weeks = 0
rule_set = "{RULES.as_posix()}"
public_holidays = ""

[booking]
notice_days = 3
letter_days = {{letter_days}}
early_letter_days = {{letter_days}}
plan_horizon_days = 21
rebook_days = 8

[policy]
overbook_risk = 0.0
pool_risk = 0.2
pool_seats = 4
pool_max_probability = 0.3  # A (estimated 0.9) is not grouped for being unlikely to come
prior_mean = 0.9

[[units]]
id = "u"
caseworkers = {{caseworkers}}
sick_rate = {SICK_RATE}
[[units.patterns]]
days = {{days}}
times = ["09:00", "10:00"]
minutes = 45
channel = "in_person"

[[citizens]]
id = "A"
group = "cash_benefit"
unit = "u"
caseworker = "u-1"
start = 2025-01-06
show = 1.0
self_booking = "never"
outcomes = [true, true]
"""


def _seed() -> int:
    """The first seed on which A's caseworker u-1 is away on the deadline and u-2 is not
    (the world's own sickness draw)."""
    return next(s for s in range(1, 1000)
                if uniform(s, "sick", "u-1", DEADLINE) < SICK_RATE
                <= uniform(s, "sick", "u-2", DEADLINE))


WEEKDAYS = '["mon", "tue", "wed", "thu", "fri"]'


def _run(tmp_path, policy, caseworkers: int = 2, letter_days: int = 5, days: str = WEEKDAYS):
    path = tmp_path / "cover.toml"
    path.write_text(HAND.format(caseworkers=caseworkers, letter_days=letter_days, days=days),
                    encoding="utf-8")
    scenario = load_scenario(path)
    rule_set = resolve_rule_set(scenario)
    seed = _seed()
    world = World(scenario, rule_set, seed, 4, population(scenario, rule_set, seed, 4),
                  policy, True)
    sessions = []
    original = world._sessions

    def spy(day, sick, measured):
        sessions.extend((day, sorted({s.cw for s in sess.seats}), sorted(sick))
                        for sess in world.sessions_by_day.get(day, []) if sess.invitees)
        return original(day, sick, measured)

    world._sessions = spy
    return world, world.run(), sessions


def test_a_last_chance_seat_goes_to_a_window_of_two_caseworkers(tmp_path):
    """A's letter goes out on 22 Jan; with three days' notice the first seat is Monday 27 Jan,
    the deadline: her last chance. The solver policy invites her to a window of u-1's and
    u-2's seats that day (its caseworkers: u-1 is away, u-2 holds the conversation): on time."""
    world, r, sessions = _run(tmp_path, SolverPolicy())
    assert sessions == [(DEADLINE, ["u-1", "u-2"], ["u-1"])]
    assert [h.date for h in world.citizens[0].held] == [DEADLINE]
    assert (sum(r.on_time.values()), r.sick_cancelled, r.turned_away) == (1, 0, 0)
    assert r.broken == [] and r.plans_checked > 0


def test_a_last_chance_seat_of_the_weekly_plan_is_covered_after_the_plan(tmp_path):
    """Seats on Mondays only, A's letter on Monday 20 Jan, the day of the weekly re-plan: the
    plan (which may move others for her) gives her u-1's seat of 27 Jan, her last chance; after
    the plan she moves to a window of u-1 and u-2 that day (`SessionChoice.cover`)."""
    policy = SolverPolicy()
    moved = []
    original = policy.cover

    def spy(world, day, needs):
        before = {id(n): n.seat for n in needs}
        original(world, day, needs)
        moved.extend((day, n.session.day) for n in needs
                     if before[id(n)] is not None and n.session is not None)

    policy.cover = spy
    world, r, sessions = _run(tmp_path, policy, letter_days=7, days='["mon"]')
    assert moved == [(dt.date(2025, 1, 20), DEADLINE)]
    assert sessions == [(DEADLINE, ["u-1", "u-2"], ["u-1"])]
    assert [h.date for h in world.citizens[0].held] == [DEADLINE]
    assert (sum(r.on_time.values()), r.sick_cancelled) == (1, 0)


def test_without_cover_the_caseworker_away_makes_it_late(tmp_path):
    """The same world for earliest-deadline-first: A's seat with u-1 on 27 Jan is cancelled
    that morning; the next call-in needs three days' notice, so she is seen late."""
    world, r, sessions = _run(tmp_path, EarliestDeadline())
    assert sessions == []
    assert r.sick_cancelled == 1 and sum(r.on_time.values()) == 0
    assert world.citizens[0].held[0].date > DEADLINE


def test_one_caseworker_cannot_cover(tmp_path):
    """A unit of one caseworker has nobody to cover: A keeps her seat (no window) and the
    day u-1 is away makes her late, as for earliest-deadline-first."""
    world, r, sessions = _run(tmp_path, SolverPolicy(), caseworkers=1)
    assert sessions == []
    assert r.sick_cancelled == 1 and sum(r.on_time.values()) == 0


def test_last_chance_is_the_notice_before_the_deadline(tmp_path):
    world, _, _ = _run(tmp_path, EarliestDeadline())
    need = type("N", (), {"deadline": DEADLINE})()
    assert last_chance(world, need, DEADLINE - dt.timedelta(days=2))
    assert not last_chance(world, need, DEADLINE - dt.timedelta(days=3))


def test_a_group_call_in_covers_with_two_caseworkers(tmp_path):
    """The job centre's own group call-in covers when its seats are of two caseworkers or more;
    a pooled window when it has or can take them (here: u-2's spare seats on the day)."""
    world, _, _ = _run(tmp_path, EarliestDeadline())

    def seat(cw, time):
        return Seat(f"{cw}/{time}", cw, "u", DEADLINE, time, 45, "in_person")

    one = Session("g1", "u", DEADLINE, "09:00", 45, [seat("u-1", "09:00"), seat("u-1", "10:00")])
    two = Session("g2", "u", DEADLINE, "09:00", 45, [seat("u-1", "09:00"), seat("u-2", "09:00")])
    assert not covered(world, one) and covered(world, two)
    window = Session("w", "u", DEADLINE, "09:00", 45, [seat("u-1", "09:00")], made=True)
    assert covered(world, window)  # u-2's morning seats of 27 Jan are free after the run
    for s in world.window_seats[("u", DEADLINE)]:
        if s.cw == "u-2":
            s.session = one  # taken (by another group call-in): not spare any more
    assert not covered(world, window)
