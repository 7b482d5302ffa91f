"""The job centre's timetable: closed days, every caseworker's seats (and the group call-ins
they form), and the rehabilitation-team meetings, built once per run from the scenario."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from .types import Scenario
from .world import DAY, Meeting, Seat, Seats, Session


def closed_days(scenario: Scenario, first: dt.date, last: dt.date) -> set[dt.date]:
    days = set(scenario.closed_days)
    if scenario.public_holidays:
        days |= _holidays(scenario.public_holidays, first.year, last.year)
    return days


@lru_cache(maxsize=64)
def _holidays(country: str, first_year: int, last_year: int) -> frozenset[dt.date]:
    """The country's public holidays of the years (kept: every run of a scenario asks)."""
    import holidays

    years = range(first_year, last_year + 1)
    return frozenset(holidays.country_holidays(country, years=years))


def build_seats(scenario: Scenario, first: dt.date, last: dt.date, closed: set[dt.date],
                with_sessions: bool) -> tuple[dict[str, list[Seat]], list[Session]]:
    """Every caseworker's seats from the weekly patterns, minus closed days and absences; group
    call-in seats become `Session`s when `with_sessions` (else they stay individual seats)."""
    absent = {(a.caseworker, a.start + dt.timedelta(days=i))
              for a in scenario.absences for i in range((a.end - a.start).days + 1)}
    by_cw: dict[str, list[Seat]] = {}
    sessions: list[Session] = []
    day = first
    while day <= last:
        week = (day - scenario.start).days // 7
        weekday, shut, text = day.weekday(), day in closed, day.isoformat()
        for unit in scenario.units:
            ids = unit.caseworker_ids()
            todays: list[Seat] = []
            patterns = [] if shut else [p for p in unit.patterns if weekday in p.days]
            for cw in ids:
                if not patterns or (cw, day) in absent:
                    continue
                for pattern in patterns:
                    for t in pattern.times:
                        seat = Seat(f"{cw}/{text}/{t}", cw, unit.id, day, t, pattern.minutes,
                                    pattern.channel)
                        todays.append(seat)
                        by_cw.setdefault(cw, []).append(seat)
            if not with_sessions:
                continue
            for g_i, g in enumerate(unit.group_callins):
                if day.weekday() != g.day:
                    continue
                pool = {ids[(week * g.caseworkers + i) % len(ids)] for i in range(g.caseworkers)}
                seats = [s for s in todays if s.cw in pool and s.time in g.times
                         and s.channel == "in_person" and s.session is None]
                if not seats:
                    continue
                sess = Session(f"grp/{unit.id}/{day}/{g_i}", unit.id, day, min(g.times),
                               min(s.minutes for s in seats), seats)
                for s in seats:
                    s.session = sess
                sessions.append(sess)
        day += DAY
    for seats in by_cw.values():
        seats.sort(key=lambda s: (s.day, s.time))
    return {cw: Seats(seats) for cw, seats in by_cw.items()}, sessions


def build_meetings(scenario: Scenario, first: dt.date, last: dt.date,
                   closed: set[dt.date]) -> list[Meeting]:
    out = []
    day = first
    while day <= last:
        for i, (weekday, cap) in enumerate(scenario.rehab.meetings):
            if day.weekday() == weekday and day not in closed and cap > 0:
                out.append(Meeting(f"m/{day}/{i}", day, cap))
        day += DAY
    return out
