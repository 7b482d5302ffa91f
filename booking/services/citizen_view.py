"""What a citizen sees about themselves: due conversations and current bookings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import rules
from ..models import Booking, BookingState, Citizen, Obligation, Slot
from .clock import today_local
from .obligations import as_rule_obligation, open_obligations


@dataclass
class DueItem:
    obligation: Obligation
    self_booking_until: date
    booking: Booking | None


@dataclass
class CitizenOverview:
    today: date
    due: list[DueItem] = field(default_factory=list)


def citizen_overview(
    session: Session, citizen: Citizen, settings: dict[str, Any]
) -> CitizenOverview:
    today = today_local()
    overview = CitizenOverview(today=today)
    bookings = {
        b.obligation_id: b
        for b in session.scalars(
            select(Booking)
            .join(Slot)
            .where(Booking.citizen_id == citizen.id, Booking.state == BookingState.booked)
        )
    }
    local_days = settings["rules"]["self_booking_days"]
    for ob in open_obligations(session, citizen.id):
        rule_set = rules.load_rule_set(ob.rule_set_code)
        until = rules.self_booking_deadline(
            rule_set, as_rule_obligation(ob, ob.programme.target_group), local_days=local_days
        )
        overview.due.append(DueItem(ob, until, bookings.get(ob.id)))
    return overview
