"""Building blocks for the call-in tests: a unit, a pool, citizens due, a planned session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from booking.db import db
from booking.models import Role
from booking.services.calendar_days import local_datetime
from booking.services.callin.sessions import SessionPlan, invite, plan_session
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
    }
)


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
            staff_id=staff.id,
            today=day,
        ).group_session
        invited = []
        if invite_all:
            made = invite(s, gs.id, citizens, SETTINGS, staff_id=staff.id, **LETTERHEAD)
            invited = [i.id for i in made]
        return World(
            gs.id, staff.id, unit.id, [cw.id for cw in pool], [c.id for c in people], invited
        )
