"""Building blocks for the call-in tests: a unit, a pool, citizens due, a planned session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from booking.db import db
from booking.models import Role
from booking.services.calendar_days import (
    add_working_days,
    closed_days,
    is_working_day,
    local_datetime,
)
from booking.services.callin.sessions import SessionPlan, invite, plan_session
from booking.services.clock import today_local
from booking.services.obligations import refresh_citizen
from booking.settings import load_settings
from tests import factories

DAY = date(2027, 3, 1)  # a Monday
MUNICIPALITY = load_settings().app.municipality
# who the call-in letters are from: the municipality and the [mail] sender (calendar ORGANIZER)
LETTERHEAD = {"municipality": MUNICIPALITY, "sender": load_settings().mail.sender}
SETTINGS = load_settings().callin.model_copy(
    update={
        "overflow_risk": 0.10,
        "prior_strength": 4.0,
        "prior_mean": {"default": 0.8, "resource_programme": 0.6},
        "min_notice_working_days": 3,
        "checkin_opens_minutes": 30,
        "checkin_undo_minutes": 10,
    }
)
OPTIONAL_CLOSED = tuple(load_settings().calendar.optional_closed)
# what the letters of a session in the tests' world need: sent a week before its day
LETTERS_SENT = DAY - timedelta(days=7)  # Monday 22 February 2027


def at(hh: int, mm: int = 0, day: date = DAY) -> datetime:
    return local_datetime(day, time(hh, mm)).astimezone(UTC)


@dataclass
class World:
    session_id: int
    staff_id: int
    unit_id: int
    caseworker_ids: list[int]
    citizen_ids: list[int]
    invitation_ids: list[int]


def build(
    app,
    *,
    caseworkers: int = 2,
    citizens: int = 6,
    invite_all: bool = True,
    day: date = DAY,
    start: time = time(9),
    end: time = time(12),
    minutes: int = 30,
    group: str = "resource_programme",
    programme_start: date = date(2027, 2, 1),
) -> World:
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        staff = factories.staff(s, Role.callin)
        pool = [factories.caseworker(s, unit) for _ in range(caseworkers)]
        people = []
        for i in range(citizens):
            c = factories.citizen(s, unit, cw=pool[0], group=group, start=programme_start)
            c.show_probability = round(0.5 + 0.05 * i, 2)
            refresh_citizen(s, c, day)
            people.append(c)
        s.commit()
        gs = plan_session(
            s,
            SessionPlan(
                day,
                start,
                end,
                "Jobcentret, lokale 1",
                minutes,
                tuple(cw.id for cw in pool),
                unit.id,
                SETTINGS.overflow_risk,
            ),
            SETTINGS,
            staff_id=staff.id,
            today=day - timedelta(days=7),
            optional_closed=OPTIONAL_CLOSED,
        ).group_session
        invited = []
        if invite_all:
            made = invite(
                s,
                gs.id,
                citizens,
                SETTINGS,
                staff_id=staff.id,
                today=day - timedelta(days=7),
                optional_closed=OPTIONAL_CLOSED,
                **LETTERHEAD,
            )
            invited = [i.id for i in made]
        return World(
            gs.id, staff.id, unit.id, [cw.id for cw in pool], [c.id for c in people], invited
        )


# keyword arguments of the services that check the calendar: the [calendar] optional days
RULES = {"optional_closed": OPTIONAL_CLOSED}
# invite(): the letterhead, the calendar and the day the letters go (a week before DAY)
INVITE = {**LETTERHEAD, **RULES, "today": LETTERS_SENT}


def letter_day(today: date) -> date:
    """The first day a letter sent ``today`` can call in for (3 working days, no holidays)."""
    closed = closed_days([today.year, today.year + 1])
    day = add_working_days(today, SETTINGS.min_notice_working_days, closed)
    while not is_working_day(day, closed):
        day += timedelta(days=1)
    return day


def session_today(
    app, caseworker_ids, *, count: int, day: date | None = None
) -> tuple[int, list[int]]:
    """A session today (or on ``day``) from 00:00 to 23:59 with ``count`` invitees, planned the
    way the demo plans its own (no calendar rules: today may be a Sunday), so the desk works
    now."""
    today = today_local()
    with app.app_context(), db.fresh_session() as s:
        gs = plan_session(
            s,
            SessionPlan(
                day or today, time(0), time(23, 59), "Jobcentret, lokale 7", 60,
                tuple(caseworker_ids), None, 0.1,
            ),
            SETTINGS,
            staff_id=None,
            today=today,
            optional_closed=(),
            calendar_rules=False,
        ).group_session
        made = invite(
            s, gs.id, count, SETTINGS, staff_id=None, today=today, optional_closed=(),
            calendar_rules=False, **LETTERHEAD,
        )
        return gs.id, [i.id for i in made]
