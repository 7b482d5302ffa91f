"""A small planning world: one unit, two caseworkers, citizens with open obligations, slots.

Dated from the real clock (letters and reminders read it), in Europe/Copenhagen. The lock period
is ``[planning] lock_days`` working days; every slot here lies well after it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from booking.models import (
    Booking,
    BookingSource,
    Caseworker,
    Channel,
    Citizen,
    Obligation,
    ObligationState,
    Slot,
    Unit,
)
from booking.services.calendar_days import local_datetime
from booking.services.clock import today_local
from tests import factories

FIRST = 14  # days from today of the first slot (after any lock period of 5 working days)


def today() -> date:
    return today_local()


def weekday(offset: int) -> date:
    """The first Monday-Friday day at least ``offset`` days from today."""
    day = today() + timedelta(days=offset)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def workdays(offset: int, count: int) -> list[date]:
    """``count`` distinct Monday-Friday days from ``offset`` days ahead."""
    out: list[date] = []
    day = today() + timedelta(days=offset)
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return local_datetime(day, time(hour, minute)).astimezone(UTC)


def add_slot(session: Session, cw: Caseworker, starts_at: datetime, channel: str = "in_person",
             *, minutes: int = 30, capacity: int = 1) -> Slot:
    slot = Slot(caseworker_id=cw.id, starts_at=starts_at, minutes=minutes,
                channel=Channel(channel), capacity=capacity,
                location="Jobcenter Test" if channel == "in_person" else None)
    session.add(slot)
    session.flush()
    return slot


def add_obligation(session: Session, citizen: Citizen, *, earliest: date, deadline: date,
                   channels: tuple[str, ...] = ("in_person", "phone", "video"),
                   pool: str = "caseworker", sequence: int = 2) -> Obligation:
    programme = citizen.programmes[0]
    ob = Obligation(
        citizen_id=citizen.id, programme_id=programme.id,
        rule_set_code=programme.rule_set_code,
        step_key=f"{programme.target_group}:first_six_months:0:{sequence}",
        kind="conversation", sequence=sequence, earliest=earliest, deadline=deadline,
        statutory_deadline=deadline, channels=list(channels), pool=pool,
        label_da=f"{sequence}. jobsamtale", label_en=f"Job conversation {sequence}")
    session.add(ob)
    session.flush()
    return ob


def add_booking(session: Session, ob: Obligation, slot: Slot, source: BookingSource,
                *, seat: int = 1, locked: bool = False) -> Booking:
    booking = Booking(slot_id=slot.id, seat=seat, citizen_id=ob.citizen_id, obligation_id=ob.id,
                      source=source, locked=locked, ical_uid=f"{uuid.uuid4()}@rettidig")
    session.add(booking)
    ob.state = ObligationState.booked
    session.flush()
    return booking


@dataclass
class World:
    unit: Unit
    cws: list[Caseworker]
    citizens: list[Citizen]
    obligations: list[Obligation]
    slots: list[Slot] = field(default_factory=list)


def build_world(session: Session, citizens: int = 4, slot_days: int = 3) -> World:
    """``citizens`` citizens of caseworker 0, each with one open conversation due in 4 weeks;
    caseworker 0 has two slots a day on ``slot_days`` weekdays from day FIRST."""
    unit = factories.unit(session)
    cws = [factories.caseworker(session, unit), factories.caseworker(session, unit)]
    people = [factories.citizen(session, unit, cw=cws[0], start=today() - timedelta(days=30))
              for _ in range(citizens)]
    obs = [add_obligation(session, c, earliest=today(), deadline=today() + timedelta(days=28))
           for c in people]
    slots = []
    day = weekday(FIRST)
    for _ in range(slot_days):
        slots += [add_slot(session, cws[0], at(day, 9)), add_slot(session, cws[0], at(day, 10))]
        day = weekday((day - today()).days + 1)
    session.commit()
    return World(unit, cws, people, obs, slots)


@pytest.fixture
def world(session) -> World:
    return build_world(session)


@pytest.fixture
def db_app(any_db_url):
    """An app on SQLite and on PostgreSQL (the test runs once on each); the planner's CLI
    registered."""
    from booking import cli_plan
    from booking.db import db
    from tests.conftest import make_app

    app = make_app(any_db_url)
    if "plan" not in app.cli.commands:
        cli_plan.register(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def db_session(db_app):
    from booking.db import db

    with db_app.app_context(), db.fresh_session() as s:
        yield s


def settings_of(app):
    return app.extensions["rettidig_settings"]


def sessions_of(app):
    return app.extensions["rettidig_db"].sessions


NO_SCHEDULE = lambda *_: None  # noqa: E731 - a run stays queued: the test executes it itself
