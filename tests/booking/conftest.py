"""A small world for self-booking tests: one unit, caseworkers, citizens, obligations, slots.

Everything is dated relative to the real clock (the services read it), in Europe/Copenhagen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from booking.models import Caseworker, Channel, Citizen, Obligation, Slot, Unit
from booking.services.calendar_days import local_datetime
from booking.services.clock import now_utc, zone
from tests import factories


def today() -> date:
    return now_utc().astimezone(zone()).date()


def at(days: int, hour: int = 9, minute: int = 0) -> datetime:
    """An aware UTC instant ``days`` from today at a local wall-clock time."""
    return local_datetime(today() + timedelta(days=days), time(hour, minute)).astimezone(UTC)


def add_slot(
    session: Session,
    cw: Caseworker,
    starts_at: datetime,
    channel: str = "in_person",
    *,
    minutes: int = 30,
    capacity: int = 1,
    self_bookable: bool = True,
) -> Slot:
    slot = Slot(
        caseworker_id=cw.id,
        starts_at=starts_at,
        minutes=minutes,
        channel=Channel(channel),
        capacity=capacity,
        location="Jobcenter Test, Testvej 1" if channel == "in_person" else None,
        self_bookable=self_bookable,
    )
    session.add(slot)
    session.flush()
    return slot


def add_obligation(
    session: Session,
    citizen: Citizen,
    *,
    earliest: int = 0,
    deadline: int = 30,
    channels: tuple[str, ...] = ("in_person", "phone", "video"),
    pool: str = "caseworker",
    sequence: int = 2,
) -> Obligation:
    programme = citizen.programmes[0]
    ob = Obligation(
        citizen_id=citizen.id,
        programme_id=programme.id,
        rule_set_code=programme.rule_set_code,
        step_key=f"{programme.target_group}:first_six_months:0:{sequence}",
        kind="conversation",
        sequence=sequence,
        earliest=today() + timedelta(days=earliest),
        deadline=today() + timedelta(days=deadline),
        statutory_deadline=today() + timedelta(days=deadline),
        channels=list(channels),
        pool=pool,
        label_da=f"{sequence}. jobsamtale",
        label_en=f"Job conversation {sequence}",
    )
    session.add(ob)
    session.flush()
    return ob


@dataclass
class World:
    unit: Unit
    cw: Caseworker
    other_cw: Caseworker
    citizen: Citizen
    ob: Obligation
    slots: list[Slot] = field(default_factory=list)


def build_world(session: Session) -> World:
    """Citizen with an open conversation due in 30 days (self-booking until day 22) and slots
    on days 2-5 (in person, phone, video), day 25 (after the self-booking deadline) and one of
    another caseworker."""
    unit = factories.unit(session)
    cw = factories.caseworker(session, unit)
    other = factories.caseworker(session, unit)
    citizen = factories.citizen(session, unit, cw=cw, start=today() - timedelta(days=20))
    ob = add_obligation(session, citizen)
    slots = [
        add_slot(session, cw, at(2, 9), "in_person"),
        add_slot(session, cw, at(2, 10), "phone"),
        add_slot(session, cw, at(3, 9), "phone"),
        add_slot(session, cw, at(4, 13), "video"),
        add_slot(session, cw, at(5, 9), "in_person"),
        add_slot(session, cw, at(25, 9), "phone"),
        add_slot(session, other, at(3, 11), "phone"),
    ]
    session.commit()
    return World(unit, cw, other, citizen, ob, slots)


@pytest.fixture
def world(session) -> World:
    return build_world(session)
