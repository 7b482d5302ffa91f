"""The demo's self-bookings: a share of the citizens have booked their next conversation."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Booking, BookingSource, Citizen, Obligation, ObligationState, Slot
from .calendar_days import local_datetime
from .clock import zone
from .obligations import open_obligations


def book_demo_citizens(
    session: Session, rng: random.Random, citizens: list[Citizen], today: date, share: float
) -> int:
    """Book the next conversation still ahead of a ``share`` of the citizens into the earliest
    fitting free slot of their caseworker, as self-booking would (runs in the caller's
    transaction). Returns how many were booked."""
    tomorrow = local_datetime(today + timedelta(days=1), time(0, 0)).astimezone(UTC)
    slots_by_cw: dict[int, list[Slot]] = {}
    for slot in session.scalars(
        select(Slot).where(Slot.starts_at >= tomorrow).order_by(Slot.starts_at)
    ):
        slots_by_cw.setdefault(slot.caseworker_id, []).append(slot)
    taken: set[int] = set()
    count = 0
    for citizen in citizens:
        if rng.random() >= share:
            continue
        for ob in open_obligations(session, citizen.id):
            if ob.deadline < today:
                continue  # overdue: for the central list, not a self-booking
            fitting = _first_fitting(
                slots_by_cw.get(citizen.caseworker_id or -1, []), ob, citizen, taken
            )
            if fitting is None:
                continue
            taken.add(fitting.id)
            session.add(
                Booking(
                    slot_id=fitting.id,
                    seat=1,
                    citizen_id=citizen.id,
                    obligation_id=ob.id,
                    source=BookingSource.self,
                    ical_uid=f"{uuid.UUID(int=rng.getrandbits(128))}@rettidig",
                    created_at=datetime.now(UTC),
                )
            )
            ob.state = ObligationState.booked
            count += 1
            break  # one booked conversation per citizen: the next one still ahead
    session.flush()
    return count


def _first_fitting(
    slots: list[Slot], ob: Obligation, citizen: Citizen, taken: set[int]
) -> Slot | None:
    """The earliest free slot in the obligation's window, channel and length."""
    allowed = set(ob.channels) & set(citizen.channels or ("in_person", "phone", "video"))
    for slot in slots:
        day = slot.starts_at.astimezone(zone()).date()
        if slot.id in taken or slot.channel.value not in allowed or slot.minutes < ob.minutes:
            continue
        if ob.earliest <= day <= ob.deadline:
            return slot
    return None
