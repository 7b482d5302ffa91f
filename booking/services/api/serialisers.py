"""Rows to the API's answer documents (:mod:`.schemas`). A citizen's CPR number leaves only
masked."""

from __future__ import annotations

from ...models import Booking, Citizen, HeldConversation, Obligation, Programme, Slot
from .schemas import BookingOut, CitizenOut, HeldOut, ObligationOut, ProgrammeOut, SlotOut


def citizen(row: Citizen) -> CitizenOut:
    return CitizenOut(
        id=row.id, cpr_masked=row.cpr_masked, birth_date=row.birth_date, name=row.name,
        unit_code=row.unit.code, caseworker_id=row.caseworker_id, phone=row.phone,
        email=row.email, language=row.language, channels=row.channels,
        created_at=row.created_at,
    )


def programme(row: Programme) -> ProgrammeOut:
    return ProgrammeOut.model_validate(row)


def held(row: HeldConversation) -> HeldOut:
    return HeldOut.model_validate(row)


def obligation(row: Obligation) -> ObligationOut:
    return ObligationOut.model_validate(row)


def slot(row: Slot, taken: int) -> SlotOut:
    return SlotOut(
        id=row.id, caseworker_id=row.caseworker_id, unit_id=row.caseworker.unit_id,
        starts_at=row.starts_at, minutes=row.minutes, channel=row.channel,
        capacity=row.capacity, free_seats=max(0, row.capacity - taken), location=row.location,
        self_bookable=row.self_bookable,
    )


def booking(row: Booking) -> BookingOut:
    return BookingOut(
        id=row.id, citizen_id=row.citizen_id, obligation_id=row.obligation_id,
        slot_id=row.slot_id, starts_at=row.slot.starts_at, state=row.state, source=row.source,
        ical_sequence=row.ical_sequence, created_at=row.created_at,
    )
