"""What a citizen sees about themselves: due conversations and current bookings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import rules
from ..models import Booking, BookingState, Citizen, Obligation, Slot
from ..settings import Settings
from .clock import now_utc, zone
from .obligations import as_rule_obligation, open_obligations
from .slot_search import SlotOption, bookable_slots


@dataclass
class DueItem:
    obligation: Obligation
    self_booking_until: date
    booking: Booking | None
    # "booked", "bookable", "deadline_passed" (the job centre books) or "no_slots" (none left
    # before the self-booking deadline: the job centre books too)
    status: str = "bookable"
    first_free: SlotOption | None = None
    changeable: bool = False


@dataclass
class CitizenOverview:
    today: date
    due: list[DueItem] = field(default_factory=list)


def citizen_overview(
    session: Session, citizen: Citizen, settings: Settings, *, now: datetime | None = None
) -> CitizenOverview:
    from .reservations import changeable

    now = now or now_utc()
    today = now.astimezone(zone()).date()
    overview = CitizenOverview(today=today)
    bookings = {
        b.obligation_id: b
        for b in session.scalars(
            select(Booking)
            .join(Slot)
            .where(Booking.citizen_id == citizen.id, Booking.state == BookingState.booked)
        )
    }
    local_days = settings.rules.self_booking_days
    for ob in open_obligations(session, citizen.id):
        rule_set = rules.load_rule_set(ob.rule_set_code)
        until = rules.self_booking_deadline(
            rule_set, as_rule_obligation(ob, ob.programme.target_group), local_days=local_days
        )
        item = DueItem(ob, until, bookings.get(ob.id))
        if item.booking is not None:
            item.status = "booked"
            item.changeable = changeable(item.booking, settings, now)
        elif until < today or until < ob.earliest:
            item.status = "deadline_passed"
        else:
            found = bookable_slots(session, citizen, ob, until=until, today=today, limit=1)
            item.first_free = found[0] if found else None
            item.status = "bookable" if found else "no_slots"
        overview.due.append(item)
    return overview
