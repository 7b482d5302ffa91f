"""A caseworker's time world: a caseworker with a login, a colleague, planners in and outside
the unit, a citizen with a booked conversation in three days (10:00) and a free time after it
(11:00), and a group call-in shift the caseworker serves in two days. Dated from the real
clock (the pages read it), in Europe/Copenhagen."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest

from booking.db import db
from booking.models import (
    Booking,
    BookingSource,
    BookingState,
    Channel,
    GroupSession,
    GroupSessionCaseworker,
    ObligationState,
    Role,
    Slot,
)
from booking.services.calendar_days import local_datetime
from booking.services.clock import today_local
from tests import factories
from tests.booking.conftest import add_obligation


@dataclass
class World:
    unit_id: int
    cw_id: int
    cw_user: str
    other_cw_id: int
    other_user: str
    planner_user: str
    far_planner_user: str
    citizen_id: int
    citizen_name: str
    cpr_masked: str
    ob_id: int
    booking_id: int
    booked_slot_id: int
    free_slot_id: int
    session_id: int
    token: str


def at(days: int, hour: int, minute: int = 0) -> datetime:
    return local_datetime(today_local() + timedelta(days=days), time(hour, minute)).astimezone(UTC)


def build(app) -> World:
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        far = factories.unit(s)
        cw_user = factories.staff(s, Role.caseworker, unit_id=unit.id)
        cw = factories.caseworker(s, unit, user=cw_user)
        other_user = factories.staff(s, Role.caseworker, unit_id=unit.id)
        other = factories.caseworker(s, unit, user=other_user)
        planner = factories.staff(s, Role.planner, unit_id=unit.id)
        far_planner = factories.staff(s, Role.planner, unit_id=far.id)
        citizen = factories.citizen(s, unit, cw=cw, start=today_local() - timedelta(days=20))
        citizen.name = "Anne Marie Jensen"
        ob = add_obligation(s, citizen, deadline=40)
        booked = Slot(caseworker_id=cw.id, starts_at=at(3, 10), minutes=45,
                      channel=Channel.in_person, capacity=1, location="Jobcentret, lokale 2")
        free = Slot(caseworker_id=cw.id, starts_at=at(3, 11), minutes=45,
                    channel=Channel.phone, capacity=1)
        s.add_all([booked, free])
        s.flush()
        booking = Booking(slot_id=booked.id, seat=1, citizen_id=citizen.id, obligation_id=ob.id,
                          state=BookingState.booked, source=BookingSource.staff,
                          ical_uid=f"{uuid.uuid4()}@rettidig")
        s.add(booking)
        ob.state = ObligationState.booked
        group = GroupSession(unit_id=unit.id, starts_at=at(2, 9), ends_at=at(2, 12),
                             location="Jobcentret, sal A", minutes_per_conversation=20)
        group.pool.append(GroupSessionCaseworker(caseworker_id=cw.id))
        s.add(group)
        s.commit()
        return World(unit.id, cw.id, cw_user.username, other.id, other_user.username,
                     planner.username, far_planner.username, citizen.id, citizen.name,
                     citizen.cpr_masked, ob.id, booking.id, booked.id, free.id, group.id,
                     cw.calendar_token)


@pytest.fixture
def world(app) -> World:
    return build(app)
