"""The simulated job centre: calendar, caseworker seats, group call-ins, rehabilitation-team
meetings, citizens and their current conversation need.

Everything random is drawn from `sim_draws.stream(seed, purpose, entity, ...)`, so two worlds
built from one scenario and seed are identical whatever policy later acts in them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from booking.rules import HeldConversation, Obligation, compute_obligations

from .sim_draws import pick, poisson, stream, uniform
from .sim_scenario import Scenario

DAY = dt.timedelta(days=1)
LOOKAHEAD_DAYS = 400  # obligations are computed this far ahead of the day


def closed_days(scenario: Scenario, first: dt.date, last: dt.date) -> set[dt.date]:
    days = set(scenario.closed_days)
    if scenario.public_holidays:
        import holidays

        years = range(first.year, last.year + 1)
        days |= set(holidays.country_holidays(scenario.public_holidays, years=years))
    return days


@dataclass(eq=False)
class Seat:
    """One bookable caseworker slot (one conversation; `extra`: a second, overbooked citizen
    when the solver policy double-books two citizens unlikely to both come)."""

    id: str
    cw: str
    unit: str
    day: dt.date
    time: str
    minutes: int
    channel: str
    need: Need | None = None
    session: Session | None = None  # part of a group call-in (only in group policies)
    extra: Need | None = None  # overbooked: a second booking (only with `need` set)

    @property
    def booked(self) -> list[Need]:
        return [n for n in (self.need, self.extra) if n is not None]


@dataclass(eq=False)
class Session:
    """A group call-in: seats of a pool of the unit's caseworkers, one window, many invitees."""

    id: str
    unit: str
    day: dt.date
    time: str
    minutes: int
    seats: list[Seat]
    invitees: list[Need] = field(default_factory=list)
    made: bool = False  # a pooled window the solver policy made of individual seats


@dataclass(eq=False)
class Meeting:
    id: str
    day: dt.date
    capacity: int
    cases: list[Case] = field(default_factory=list)


@dataclass(eq=False)
class Case:
    """A rehabilitation-team presentation; material must reach the region `lead_days` before."""

    id: str
    cit: Citizen
    ready: dt.date
    deadline: dt.date
    meeting: Meeting | None = None
    presented: dt.date | None = None

    def sent(self, day: dt.date, lead: int) -> bool:
        return self.meeting is not None and (self.meeting.day - day).days <= lead


@dataclass(frozen=True)
class CitizenSpec:
    id: str
    group: str
    unit: str
    caseworker: str
    start: dt.date
    end: dt.date | None
    p: float
    birth_date: dt.date
    self_type: str
    outcomes: tuple[bool, ...] = ()
    history: tuple[HeldConversation, ...] = ()


@dataclass(eq=False)
class Citizen:
    spec: CitizenSpec
    held: list[HeldConversation]
    need: Need | None = None
    case: Case | None = None
    active: bool = True

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(eq=False)
class Need:
    """The citizen's next open conversation obligation, as the booking side sees it."""

    cit: Citizen
    key: str
    earliest: dt.date
    deadline: dt.date
    closes: dt.date | None
    channels: tuple[str, ...]
    minutes: int
    joint: bool
    appear: dt.date  # the call-in letter: from this day it may be booked
    known: dt.date  # from this day a policy may call the citizen in early (early_letter_days)
    sb_deadline: dt.date  # last day the citizen may self-book
    ready: dt.date  # first date it may be held (appear, or the rebook date after a miss)
    attempt: int = 0
    seat: Seat | None = None
    session: Session | None = None
    central: bool = False  # today's practice: the job centre books it (not the citizen)
    sb_day: dt.date | None = None  # the day this citizen self-books (None: never)

    @property
    def booked(self) -> bool:
        return self.seat is not None or self.session is not None

    @property
    def booked_day(self) -> dt.date | None:
        if self.seat is not None:
            return self.seat.day
        return self.session.day if self.session is not None else None

    @property
    def last_day(self) -> dt.date:
        return self.closes or dt.date.max


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
        for unit in scenario.units:
            ids = unit.caseworker_ids()
            todays: list[Seat] = []
            for cw in ids:
                for pattern in unit.patterns:
                    if day.weekday() not in pattern.days or day in closed or (cw, day) in absent:
                        continue
                    for t in pattern.times:
                        seat = Seat(f"{cw}/{day}/{t}", cw, unit.id, day, t, pattern.minutes,
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
    return by_cw, sessions


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


def _unit_shares(scenario: Scenario, group_units: dict[str, float]) -> dict[str, float]:
    return group_units or {u.id: float(u.caseworkers) for u in scenario.units}


def population(scenario: Scenario, rule_set, seed: int, weeks: int) -> list[CitizenSpec]:
    """Every citizen of the run: starts drawn per (group, week), the fixed citizens, and the
    pre-history (starts up to `history_weeks` before, whose earlier obligations were met).
    `assignment = "balanced"` gives each new citizen the unit's caseworker with the fewest
    active citizens (in order of start); `"random"` draws one."""
    units = {u.id: u for u in scenario.units}
    drawn: list[tuple[CitizenSpec, Any]] = []
    sim_start = scenario.start
    for g in scenario.groups:
        shares = _unit_shares(scenario, g.units)
        for week in range(-g.history_weeks, weeks):
            monday = sim_start + dt.timedelta(weeks=week)
            n = poisson(stream(seed, "inflow", g.id, week), g.starts_per_week)
            for i in range(n):
                cid = f"{g.id}/{week}/{i}"
                rng = stream(seed, "citizen", cid)
                start = monday + dt.timedelta(days=rng.randrange(5))
                unit = units[pick(rng, shares)]
                cw = unit.caseworker_ids()[rng.randrange(unit.caseworkers)]
                p = g.show.fixed if g.show.fixed is not None else rng.betavariate(
                    g.show.alpha, g.show.beta)
                age = rng.randint(g.age.min, g.age.max)
                birth = start - dt.timedelta(days=365 * age + rng.randrange(365))
                end = None
                if g.duration_weeks is not None:
                    length = -math.log(1.0 - rng.random()) * g.duration_weeks * 7
                    end = start + dt.timedelta(days=max(7, int(length)))
                self_type = pick(rng, g.self_booking)
                drawn.append((CitizenSpec(cid, g.id, unit.id, cw, start, end, round(p, 4),
                                          birth, self_type), unit))
    drawn.sort(key=lambda x: (x[0].start, x[0].id))
    ends: dict[str, list[dt.date | None]] = {}
    out: list[CitizenSpec] = []
    for spec, unit in drawn:
        if scenario.assignment == "balanced":
            def load(cw: str, start: dt.date = spec.start) -> int:
                return sum(1 for e in ends.get(cw, []) if e is None or e > start)
            cw = min(unit.caseworker_ids(), key=load)
            spec = CitizenSpec(**{**spec.__dict__, "caseworker": cw})
        ends.setdefault(spec.caseworker, []).append(spec.end)
        if spec.end is not None and spec.end <= sim_start:
            continue
        if spec.start < sim_start:
            spec = _with_history(spec, scenario, rule_set)
        out.append(spec)
    for c in scenario.citizens:
        out.append(CitizenSpec(c.id, c.group, c.unit, c.caseworker, c.start, None, c.show,
                               c.birth_date, c.self_booking, c.outcomes))
    return out


def _with_history(spec: CitizenSpec, scenario: Scenario, rule_set) -> CitizenSpec:
    """Obligations due before the simulation starts were met, a week before their deadline."""
    held: list[HeldConversation] = []
    while True:
        ob = next_obligation(rule_set, spec, held, spec.start)
        if ob is None or ob.deadline >= scenario.start:
            break
        day = max(ob.earliest, ob.deadline - dt.timedelta(days=7),
                  held[-1].date + DAY if held else ob.earliest)
        held.append(HeldConversation(day, joint=ob.joint))
    return CitizenSpec(**{**spec.__dict__, "history": tuple(held)})


def obligations(rule_set, spec: CitizenSpec, held: list[HeldConversation],
                until: dt.date) -> list[Obligation]:
    return compute_obligations(rule_set, spec.group, spec.start, held, until=until,
                               birth_date=spec.birth_date, programme_end=spec.end)


def next_obligation(rule_set, spec: CitizenSpec, held: list[HeldConversation],
                    day: dt.date) -> Obligation | None:
    """The earliest-deadline open, bookable, mandatory conversation that can still be met."""
    for ob in obligations(rule_set, spec, held, day + dt.timedelta(days=LOOKAHEAD_DAYS)):
        if (ob.bookable and ob.mandatory and ob.is_open
                and (ob.closes is None or ob.closes >= day)):
            return ob
    return None


def first_free(seats_by_cw: dict[str, list[Seat]], need: Need, lo: dt.date,
               hi: dt.date) -> Seat | None:
    """The earliest free individual seat of the citizen's caseworker in [lo, hi] that fits."""
    seats = seats_by_cw.get(need.cit.spec.caseworker, [])
    i = bisect.bisect_left(seats, lo, key=lambda s: s.day)
    for seat in seats[i:]:
        if seat.day > hi:
            break
        if (seat.need is None and seat.session is None and seat.channel in need.channels
                and seat.minutes >= need.minutes):
            return seat
    return None


def show_draw(seed: int, need: Need, attempt: int) -> bool:
    """Does the citizen come to this attempt at this conversation? (scripted, else drawn)"""
    script = need.cit.spec.outcomes
    if attempt < len(script):
        return script[attempt]
    return uniform(seed, "show", need.cit.id, need.key, attempt) < need.cit.spec.p


def rehab_ready(seed: int, scenario: Scenario, spec: CitizenSpec) -> dt.date:
    r = scenario.rehab.ready_days
    return spec.start + dt.timedelta(days=stream(seed, "rehab", spec.id).randint(r.min, r.max))
