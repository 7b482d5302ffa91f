"""Small builders for the law tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from booking.models import Booking, BookingSource, Channel, HeldConversation, Obligation, Slot
from booking.services.obligations import refresh_citizen
from tests import factories


def citizen(s, unit, group, start, *, held=(), cw=None, law, today):
    """A citizen in ``group`` from ``start`` with conversations held on ``held``, refreshed."""
    c = factories.citizen(s, unit, cw=cw, group=group, start=start, rule_set="reform-2026-07")
    for day in held:
        c.conversations.append(HeldConversation(held_on=day))
    s.flush()
    refresh_citizen(s, c, today, law=law)
    return c


def obligation(s, citizen_id, key_part):
    return s.scalar(
        select(Obligation)
        .where(Obligation.citizen_id == citizen_id, Obligation.step_key.contains(key_part))
        .order_by(Obligation.step_key)
    )


def book(s, cw, citizen, ob, at: datetime):
    """A live booking of ``ob`` in a new slot of ``cw`` at ``at``."""
    slot = Slot(caseworker_id=cw.id, starts_at=at, minutes=30, channel=Channel.in_person)
    s.add(slot)
    s.flush()
    booking = Booking(slot_id=slot.id, citizen_id=citizen.id, obligation_id=ob.id,
                      source=BookingSource.staff, ical_uid=f"t{slot.id}@rettidig",
                      created_at=datetime.now(UTC))
    s.add(booking)
    s.flush()
    return booking


__all__ = ["book", "citizen", "date", "obligation"]
