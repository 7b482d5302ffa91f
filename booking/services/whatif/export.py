"""The live state as a simulation scenario (`scenarios/README.md`): the TOML tables, as a dict.

Units with their active caseworkers, one weekly slot pattern per unit (the working-hour
templates of the caseworker whose weekly slot count is nearest the unit's mean: the simulation
gives every caseworker of a unit the same pattern), recurring group call-ins, absences and
local closed days ahead, the rehabilitation team's weekly meetings, the rule set in force, the
inflow per target group estimated from the programme starts of the last weeks, and today's
active citizens as fixed citizens with the conversations they have held (`held`).

No personal data leaves: citizens are numbered (`c1`, `c2`, …) in the file, birth dates are
cut to the first of the month, names and CPR numbers are never read.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from solver.simulation.types import WEEKDAYS

from ...models import (
    Absence,
    Booking,
    BookingSource,
    Caseworker,
    Citizen,
    ClosedDay,
    GroupSession,
    Programme,
    RehabCase,
    RehabSchedule,
    Unit,
    WorkTemplate,
)
from ...rules import RuleSet, load_rule_set, rule_set_for_date
from ...settings import Settings
from ..attendance import estimate_show_probability
from ..calendar_days import closed_days, week_monday
from ..clock import zone

CALLIN_WINDOW_WEEKS = 4  # group call-ins are read from this many weeks before and after today
LATEST_TIME = time(20, 0)  # a slot pattern never runs past this


def scenario_start(today: date) -> date:
    """The first simulated day: today if a Monday, else the next Monday."""
    monday = week_monday(today)
    return monday if monday == today else monday + timedelta(weeks=1)


def rule_set_in_force(settings: Settings, day: date) -> RuleSet:
    """`[rules] active`: a pinned rule set, or ("auto") the one in force on ``day``."""
    active = settings.rules.active
    return rule_set_for_date(day) if active == "auto" else load_rule_set(active)


def slot_times(start: time, end: time, minutes: int) -> list[str]:
    """The start times (HH:MM) of the slots a template block makes (as `slots.slot_specs`)."""
    out, at = [], datetime.combine(date.min, start)
    stop = datetime.combine(date.min, end)
    step = timedelta(minutes=minutes)
    while at + step <= stop:
        out.append(at.strftime("%H:%M"))
        at += step
    return out


def _patterns(templates: list[WorkTemplate]) -> list[dict[str, Any]]:
    by_block: dict[tuple[time, time, int, str], list[int]] = defaultdict(list)
    for tpl in templates:
        by_block[(tpl.start_time, tpl.end_time, tpl.slot_minutes, str(tpl.channel))].append(
            tpl.weekday
        )
    out = []
    for (start, end, minutes, channel), days in sorted(by_block.items()):
        times = slot_times(start, end, minutes)
        if times:
            out.append(
                {
                    "days": [WEEKDAYS[d] for d in sorted(set(days))],
                    "times": times,
                    "minutes": minutes,
                    "channel": channel,
                }
            )
    return out


def weekly_slots(patterns: list[dict[str, Any]]) -> int:
    return sum(len(p["days"]) * len(p["times"]) for p in patterns)


def _representative(caseworkers: list[Caseworker]) -> list[dict[str, Any]]:
    """The pattern of the caseworker whose weekly slot count is nearest the unit's mean."""
    shapes = [_patterns(list(cw.templates)) for cw in caseworkers]
    counts = [weekly_slots(p) for p in shapes]
    mean = sum(counts) / len(counts)
    best = min(range(len(shapes)), key=lambda i: (abs(counts[i] - mean), i))
    return shapes[best]


def _group_callins(sessions: list[GroupSession], caseworkers: int, tz: Any) -> list[dict[str, Any]]:
    """Recurring windows: as many a week as held on average (rounded up), the most frequent
    (weekday, start, end) first; the pool is the median pool size."""
    if not sessions or caseworkers < 1:
        return []
    keys: Counter[tuple[int, time, time, int]] = Counter()
    pools: dict[tuple[int, time, time, int], list[int]] = defaultdict(list)
    for s in sessions:
        begins, ends = s.starts_at.astimezone(tz), s.ends_at.astimezone(tz)
        key = (begins.weekday(), begins.time(), ends.time(), s.minutes_per_conversation)
        keys[key] += 1
        pools[key].append(len(s.pool) or 1)
    per_week = math.ceil(len(sessions) / (2 * CALLIN_WINDOW_WEEKS))
    out = []
    for key, _count in keys.most_common(per_week):
        day, start, end, minutes = key
        times = slot_times(start, end, minutes)
        if day < 5 and times:
            pool = int(statistics.median(pools[key]))
            out.append(
                {"day": WEEKDAYS[day], "times": times, "caseworkers": min(pool, caseworkers)}
            )
    return out


@dataclass
class _Live:
    """What the export reads once and the tables are built from."""

    units: list[tuple[Unit, list[Caseworker]]]
    cw_ids: dict[int, str]  # app caseworker id -> simulation id (<unit>-<n>)
    unit_codes: dict[int, str]


def _units(session: Session) -> _Live:
    units = list(session.scalars(select(Unit).order_by(Unit.code)))
    live = _Live([], {}, {})
    for unit in units:
        cws = list(
            session.scalars(
                select(Caseworker)
                .where(Caseworker.unit_id == unit.id, Caseworker.active.is_(True))
                .options(selectinload(Caseworker.templates))
                .order_by(Caseworker.id)
            )
        )
        if not cws:
            continue  # a unit without caseworkers holds no conversations
        live.units.append((unit, cws))
        live.unit_codes[unit.id] = unit.code
        for i, cw in enumerate(cws):
            live.cw_ids[cw.id] = f"{unit.code}-{i + 1}"
    return live


def _unit_tables(session: Session, live: _Live, start: date, tz: Any) -> list[dict[str, Any]]:
    since = datetime.combine(start - timedelta(weeks=CALLIN_WINDOW_WEEKS), time(0), tz)
    until = datetime.combine(start + timedelta(weeks=CALLIN_WINDOW_WEEKS), time(0), tz)
    out = []
    for unit, cws in live.units:
        sessions = list(
            session.scalars(
                select(GroupSession)
                .where(
                    GroupSession.unit_id == unit.id,
                    GroupSession.starts_at >= since,
                    GroupSession.starts_at < until,
                )
                .options(selectinload(GroupSession.pool))
            )
        )
        table: dict[str, Any] = {"id": unit.code, "caseworkers": len(cws)}
        table["patterns"] = _representative(cws)
        callins = _group_callins(sessions, len(cws), tz)
        if callins:
            table["group_callins"] = callins
        out.append(table)
    return out


def _absences(session: Session, live: _Live, start: date, tz: Any) -> list[dict[str, Any]]:
    begin = datetime.combine(start, time(0), tz)
    rows = session.scalars(
        select(Absence).where(Absence.ends_at > begin).order_by(Absence.starts_at, Absence.id)
    )
    out = []
    for a in rows:
        if a.caseworker_id not in live.cw_ids:
            continue
        first = a.starts_at.astimezone(tz).date()
        last = (a.ends_at.astimezone(tz) - timedelta(microseconds=1)).date()
        out.append({"caseworker": live.cw_ids[a.caseworker_id], "from": first, "to": last})
    return out


def _closed(session: Session, settings: Settings, start: date) -> list[date]:
    """Local closed days ahead, and the optional days the settings close (the simulation
    closes Danish public holidays itself)."""
    years = range(start.year, start.year + 3)
    public = closed_days(years)
    optional = [
        d
        for d in closed_days(years, settings.calendar.optional_closed)
        if d not in public and d >= start
    ]
    local = session.scalars(select(ClosedDay.day).where(ClosedDay.day >= start))
    return sorted(set(optional) | set(local))


def _rehab(session: Session, settings: Settings, rule_set: RuleSet, start: date) -> dict[str, Any]:
    groups = [
        str(g)
        for g, rules in rule_set.groups.items()
        if any(r.kind == "rehab_presentation" for r in rules.requirements)
    ]
    schedules = session.scalars(
        select(RehabSchedule)
        .where(RehabSchedule.valid_from <= start)
        .where((RehabSchedule.valid_to.is_(None)) | (RehabSchedule.valid_to >= start))
        .order_by(RehabSchedule.weekday)
    )
    meetings = [{"day": WEEKDAYS[s.weekday], "capacity": s.capacity} for s in schedules]
    ready = [
        (case.ready_date - prog_start).days
        for case, prog_start in session.execute(
            select(RehabCase, Programme.start_date).join(
                Programme, Programme.id == RehabCase.programme_id
            )
        )
    ]
    ready = [min(max(d, 0), 90) for d in ready]
    return {
        "groups": groups,
        "lead_days": settings.rehab.lead_days,
        "ready_days": {"min": min(ready), "max": max(ready)} if ready else 7,
        "meetings": meetings,
    }


def export_units(session: Session, settings: Settings, today: date) -> dict[str, Any]:
    """Only the units and the rehabilitation team (what the what-if form starts from)."""
    start = scenario_start(today)
    live = _units(session)
    return {
        "units": _unit_tables(session, live, start, zone()),
        "rehab": _rehab(session, settings, rule_set_in_force(settings, start), start),
    }


def export_live(session: Session, settings: Settings, today: date) -> dict[str, Any]:
    """The live state from ``today`` as a scenario (a dict the simulation's schema accepts and
    `tomli_w` writes)."""
    from .population import citizens_and_groups  # the inflow and the fixed citizens

    tz = zone()
    start = scenario_start(today)
    rule_set = rule_set_in_force(settings, start)
    live = _units(session)
    units = _unit_tables(session, live, start, tz)
    groups, citizens = citizens_and_groups(session, settings, live, rule_set, today)
    return {
        "scenario": {
            "name": f"{settings.app.municipality} {today.isoformat()}",
            "description": (
                f"Live state of {today.isoformat()} exported by Rettidig "
                f"(flask --app booking scenario export)"
            ),
            "start": start,
            "warmup_weeks": 0,
            "rule_set": rule_set.id,
            "closed_days": _closed(session, settings, start),
        },
        "booking": {
            "horizon_weeks": settings.planning.horizon_weeks,
            "lock_days": settings.planning.lock_days,
        },
        "policy": {
            "prior_strength": settings.callin.prior_strength,
            "prior_mean": settings.callin.prior_for(None),
        },
        "units": units,
        "absences": _absences(session, live, start, tz),
        "groups": groups,
        "citizens": citizens,
        "rehab": _rehab(session, settings, rule_set, start),
    }


def self_booking_types(session: Session) -> dict[int, str]:
    """Per citizen with bookings: "early" if they ever booked themselves, else "never"."""
    out: dict[int, str] = {}
    for citizen_id, source in session.execute(select(Booking.citizen_id, Booking.source)):
        if source == BookingSource.self:
            out[citizen_id] = "early"
        else:
            out.setdefault(citizen_id, "never")
    return out


def show_estimate(citizen: Citizen, group: str, settings: Settings) -> float:
    """The app's show estimate for the citizen (`booking.services.attendance`)."""
    return estimate_show_probability(
        citizen.attended_count,
        citizen.missed_count,
        settings.callin.prior_for(group),
        settings.callin.prior_strength,
    )
