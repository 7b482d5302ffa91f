"""A caseworker's calendar world: two caseworkers (with logins), a manager, a citizen with a
real (engine-computed) conversation obligation booked into one of the caseworker's slots, and a
second citizen who would like a time too.

Dated relative to the real clock (the views read it), in Europe/Copenhagen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import (
    AuditEntry,
    Booking,
    BookingSource,
    BookingState,
    Channel,
    Obligation,
    ObligationState,
    Role,
    Slot,
)
from booking.services.calendar_days import local_datetime
from booking.services.callin.history import reestimate
from booking.services.clock import now_utc, today_local
from booking.services.law.context import LawConfig
from booking.services.obligations import open_obligations, refresh_citizen
from tests import factories
from tests.booking.conftest import add_obligation
from tests.conftest import make_app


@pytest.fixture
def cw_app(any_db_url):
    """The app on SQLite and on PostgreSQL."""
    app = make_app(any_db_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@dataclass
class World:
    unit_id: int
    cw_id: int
    cw_user: str
    other_cw_id: int
    other_user: str
    manager_user: str
    citizen_id: int
    ob_id: int
    rival_id: int
    rival_ob_id: int
    past_slot_id: int  # began half an hour ago
    future_slot_id: int  # in three days at 10:00
    booking_id: int  # the citizen's booking, in the slot ``when`` chose
    slot_id: int


def started_minutes_ago(minutes: int) -> datetime:
    return now_utc().replace(second=0, microsecond=0) - timedelta(minutes=minutes)


def in_days(days: int, hour: int = 10) -> datetime:
    return local_datetime(today_local() + timedelta(days=days), time(hour)).astimezone(UTC)


def build(app, *, when: str = "past", joint_first: bool = False) -> World:
    """The world; the citizen's first open obligation is booked into the past slot (``when``
    "past": the conversation has begun) or the future one."""
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        cw_user = factories.staff(s, Role.caseworker, unit_id=unit.id)
        cw = factories.caseworker(s, unit, user=cw_user)
        other_user = factories.staff(s, Role.caseworker, unit_id=unit.id)
        other = factories.caseworker(s, unit, user=other_user)
        manager = factories.staff(s, Role.manager, unit_id=unit.id)
        citizen = factories.citizen(
            s, unit, cw=cw, start=today_local() - timedelta(days=20)
        )
        # the estimate with no history yet (the column default is not the estimator's)
        reestimate(citizen, app.extensions["rettidig_settings"].callin)
        law = LawConfig.from_settings(app.extensions["rettidig_settings"])
        refresh_citizen(s, citizen, today_local(), law=law)
        # the first conversation still to come (one already past its deadline can no longer be
        # met by a conversation held today)
        ob = next(
            o for o in open_obligations(s, citizen.id) if o.statutory_deadline >= today_local()
        )
        rival = factories.citizen(s, unit, cw=cw, start=today_local() - timedelta(days=20))
        rival_ob = add_obligation(s, rival)
        past = Slot(
            caseworker_id=cw.id,
            starts_at=started_minutes_ago(30),
            minutes=45,
            channel=Channel.phone,
            capacity=1,
        )
        future = Slot(
            caseworker_id=cw.id,
            starts_at=in_days(3),
            minutes=45,
            channel=Channel.in_person,
            capacity=1,
            location="Jobcentret, mødelokale 2",
        )
        s.add_all([past, future])
        s.flush()
        slot = past if when == "past" else future
        booking = Booking(
            slot_id=slot.id,
            seat=1,
            citizen_id=citizen.id,
            obligation_id=ob.id,
            state=BookingState.booked,
            source=BookingSource.staff,
            ical_uid=f"{uuid.uuid4()}@rettidig",
        )
        s.add(booking)
        ob.state = ObligationState.booked
        s.commit()
        return World(
            unit.id,
            cw.id,
            cw_user.username,
            other.id,
            other_user.username,
            manager.username,
            citizen.id,
            ob.id,
            rival.id,
            rival_ob.id,
            past.id,
            future.id,
            booking.id,
            slot.id,
        )


def audit_actions(app, action: str) -> list[AuditEntry]:
    with app.app_context(), db.fresh_session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def obligation_state(app, ob_id: int) -> ObligationState:
    with app.app_context(), db.fresh_session() as s:
        ob = s.get(Obligation, ob_id)
        assert ob is not None
        return ob.state
