"""The floor: conversations late under every policy that does not know who will come
(`solver.simulation.floor`), by hand on the tiny scenario and as a bound on the shipped ones."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from solver.simulation.cli import run, run_seed
from solver.simulation.floor import earliest_success, first_possible, need_days, unit_days
from solver.simulation.report import summarise
from solver.simulation.types import Range
from solver.simulation.world import Citizen, CitizenSpec, Need, Seat

from .conftest import SCENARIOS


def _rebook_after(tiny, days: int):
    return dataclasses.replace(tiny, booking=dataclasses.replace(
        tiny.booking, rebook_days=Range(days, days)))


def test_by_hand_a_miss_the_rebooking_cannot_repair(tiny):
    """tiny-hand: slots on Mondays only, both due Monday 27 January, B misses her first
    attempt. Her first possible attempt is Monday 13 January (letter on the 6th, three days'
    notice for a central booking; she never books herself). With a rebook delay of 8 days she
    can come again on the 27th: nothing is late for every policy. With 15 days the next Monday
    she may come is 3 February, after her deadline: B is late under every policy without
    foresight, and only the clairvoyant reference (which skips her miss) holds her on time."""
    for seed in (1, 2):
        runs = run_seed(tiny, seed=seed, weeks=5)
        assert {n: r.floor_late for n, r in runs.items()} == dict.fromkeys(runs, 0)
    runs = run_seed(_rebook_after(tiny, 15), seed=1, weeks=5)
    for name, r in runs.items():
        assert r.floor_late == 1, name
        if name == "clairvoyant":
            assert r.floor_on_time == 1  # it books her second attempt directly
        else:
            assert r.floor_on_time == 0, name
            assert sum(r.due.values()) - sum(r.on_time.values()) >= 1, name


def _need(earliest: dt.date, deadline: dt.date, outcomes: tuple[bool, ...],
          sb_day: dt.date | None = None) -> Need:
    """A need of a citizen who never comes beyond the scripted `outcomes` (and books
    themselves on `sb_day`, if given)."""
    spec = CitizenSpec("X", "g", "u", "u-1", earliest, None, 0.0, dt.date(1990, 1, 1),
                       "never" if sb_day is None else "early", outcomes)
    need = Need(Citizen(spec, []), "k", earliest, deadline, None, ("in_person",), 45, False,
                appear=earliest, known=earliest, sb_deadline=deadline - dt.timedelta(days=2),
                ready=earliest)
    need.sb_day = sb_day
    return need


def test_earliest_success_follows_the_draws_and_the_seat_days(tiny):
    booking = dataclasses.replace(tiny.booking, notice_days=3, rebook_days=Range(8, 8))
    mondays = [dt.date(2025, 1, 6) + dt.timedelta(weeks=w) for w in range(6)]
    start, deadline = dt.date(2025, 1, 6), dt.date(2025, 1, 27)
    # comes at once: the first Monday after the letter and the notice (9 Jan)
    assert earliest_success(1, booking, mondays, _need(start, deadline, (True,))) \
        == dt.date(2025, 1, 13)
    # misses twice: 13 Jan, then from 21 Jan (8 days) 27 Jan, then from 4 Feb: 10 Feb
    assert earliest_success(1, booking, mondays, _need(start, deadline, (False, False, True))) \
        == dt.date(2025, 2, 10)
    # no seat day left
    assert earliest_success(1, booking, mondays[:2], _need(start, deadline, (False, True))) \
        is None


def test_only_a_citizen_who_books_themselves_comes_before_the_notice(tiny):
    """Central bookings need the notice (3 days from the letter on Monday 6 January: Thursday
    the 9th); a citizen who books themselves may come the day after they book, but only on the
    self-booking day the world drew, and only by the self-booking deadline (the 25th here)."""
    booking = dataclasses.replace(tiny.booking, notice_days=3)
    start, deadline = dt.date(2025, 1, 6), dt.date(2025, 1, 27)
    assert first_possible(booking, _need(start, deadline, (True,))) == dt.date(2025, 1, 9)
    assert first_possible(booking, _need(start, deadline, (True,), dt.date(2025, 1, 6))) \
        == dt.date(2025, 1, 7)
    assert first_possible(booking, _need(start, deadline, (True,), dt.date(2025, 1, 7))) \
        == dt.date(2025, 1, 8)
    # booking themselves later than the notice allows is no earlier than the notice
    assert first_possible(booking, _need(start, deadline, (True,), dt.date(2025, 1, 20))) \
        == dt.date(2025, 1, 9)
    # on a day past the self-booking deadline nobody books themselves
    late = _need(start, deadline, (True,), dt.date(2025, 1, 26))
    assert first_possible(booking, dataclasses.replace(late, known=dt.date(2025, 1, 24))) \
        == dt.date(2025, 1, 27)
    # never before the conversation's earliest date
    early = _need(dt.date(2025, 1, 8), deadline, (True,), dt.date(2025, 1, 6))
    assert first_possible(booking, dataclasses.replace(early, known=start)) == dt.date(2025, 1, 8)


def test_unit_days_are_the_days_with_a_seat_of_the_channel():
    seats = [Seat(f"s{i}", f"{unit}-1", unit, dt.date(2025, 1, day), "09:00", 45, channel)
             for i, (unit, day, channel) in enumerate(
                 [("a", 2, "in_person"), ("a", 1, "phone"), ("b", 1, "in_person"),
                  ("a", 2, "in_person"), ("a", 3, "phone")])]
    days = unit_days(seats, [])
    assert days == {("a", "in_person"): [dt.date(2025, 1, 2)],
                    ("a", "phone"): [dt.date(2025, 1, 1), dt.date(2025, 1, 3)],
                    ("b", "in_person"): [dt.date(2025, 1, 1)]}
    cache: dict = {}
    assert need_days(days, cache, "a", ("in_person",)) == [dt.date(2025, 1, 2)]
    assert need_days(days, cache, "a", ("in_person", "phone")) \
        == [dt.date(2025, 1, d) for d in (1, 2, 3)]
    assert need_days(days, cache, "c", ("phone",)) == []
    assert set(cache) == {("a", ("in_person",)), ("a", ("in_person", "phone")), ("c", ("phone",))}


@pytest.mark.parametrize("name", ["small", "reform2026", "lab2024-two-units",
                                  "reform2026-high-show"])
def test_no_policy_without_foresight_beats_the_floor(name):
    """Every conversation the floor calls late is late under today's practice, edf and the
    solver, on every seed; and the solver's gap closed is within the ceiling it implies."""
    from solver.simulation.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / f"{name}.toml")
    runs = run(scenario, [1, 2], 4)
    for policy, rs in runs.items():
        for r in rs:
            if policy != "clairvoyant":
                assert r["floor_on_time"] == 0, (policy, r["seed"])
                late = sum(r["due"].values()) - sum(r["on_time"].values())
                assert r["floor_late"] <= late, (policy, r["seed"])
    comp = summarise(scenario, runs, 4, [1, 2])["comparisons"]
    assert comp["gap_closed"] <= comp["gap_ceiling"] + 1e-9
    assert sum(r["floor_late"] for r in runs["solver"]) > 0  # the floor bites here
