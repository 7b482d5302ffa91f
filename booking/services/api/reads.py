"""What the API reads. Every citizen a system is shown is written to the audit trail
(``api_citizen_read``, actor kind ``api_client``, actor id the API client's id), committed
with the answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ...database import transaction
from ...models import (
    ActorKind,
    Booking,
    BookingState,
    Caseworker,
    Channel,
    Citizen,
    HeldConversation,
    Obligation,
    ObligationState,
    Programme,
    Slot,
    Unit,
)
from .. import audit
from ..clock import today_local, zone
from ..cpr_keys import CprKeys, find_citizen
from ..errors import FormErrors, NotFound
from ..security import CprError, parse_cpr
from . import serialisers
from .pagination import Page, page

READ_ACTION = "api_citizen_read"


@dataclass(frozen=True)
class Caller:
    """The API client a request came from (for the audit trail)."""

    client_id: int
    name: str


def _audit_reads(session: Session, caller: Caller, citizen_ids: Iterable[int],
                 what: str) -> None:
    for citizen_id in sorted(set(citizen_ids)):
        audit.record(session, actor_kind=ActorKind.api_client, actor_id=caller.client_id,
                     action=READ_ACTION, citizen_id=citizen_id,
                     detail={"api_client": caller.name, "read": what})


def _citizen(session: Session, citizen_id: int) -> Citizen:
    found = session.get(Citizen, citizen_id)
    if found is None:
        raise NotFound("citizen")
    return found


def citizens(session: Session, caller: Caller, *, cursor: str | None, limit: int,
             unit_code: str | None = None) -> Page[Any]:
    stmt = select(Citizen).options(selectinload(Citizen.unit))
    if unit_code is not None:
        stmt = stmt.join(Unit, Unit.id == Citizen.unit_id).where(Unit.code == unit_code)
    with transaction(session):
        found = page(session, stmt, Citizen.id, cursor, limit)
        _audit_reads(session, caller, (c.id for c in found.rows), "citizen")
        return Page([serialisers.citizen(c) for c in found.rows], found.next_cursor)


def citizen(session: Session, caller: Caller, citizen_id: int) -> Any:
    with transaction(session):
        row = _citizen(session, citizen_id)
        _audit_reads(session, caller, [row.id], "citizen")
        return serialisers.citizen(row)


def citizen_by_cpr(session: Session, caller: Caller, raw_cpr: str, keys: CprKeys) -> Any:
    """The citizen with this CPR number (FormErrors ``$.cpr`` when it is not valid;
    :class:`NotFound` when unknown); the look-up is audited, found or not."""
    try:
        parse_cpr(raw_cpr, keys.current)
    except CprError as err:
        raise FormErrors({"$.cpr": err}) from None
    with transaction(session):
        found = find_citizen(session, raw_cpr, keys).citizen
        audit.record(session, actor_kind=ActorKind.api_client, actor_id=caller.client_id,
                     action="api_citizen_lookup" if found else "api_citizen_lookup_miss",
                     citizen_id=found.id if found else None,
                     detail={"api_client": caller.name})
        answer = serialisers.citizen(found) if found else None
    if answer is None:  # after the commit: the miss stays in the audit trail
        raise NotFound("citizen")
    return answer


def programmes(session: Session, caller: Caller, citizen_id: int, *, cursor: str | None,
               limit: int) -> Page[Any]:
    with transaction(session):
        _citizen(session, citizen_id)
        found = page(session, select(Programme).where(Programme.citizen_id == citizen_id),
                     Programme.id, cursor, limit)
        _audit_reads(session, caller, [citizen_id], "programmes")
        return Page([serialisers.programme(p) for p in found.rows], found.next_cursor)


def history(session: Session, caller: Caller, citizen_id: int, *, cursor: str | None,
            limit: int) -> Page[Any]:
    with transaction(session):
        _citizen(session, citizen_id)
        stmt = select(HeldConversation).where(HeldConversation.citizen_id == citizen_id)
        found = page(session, stmt, HeldConversation.id, cursor, limit)
        _audit_reads(session, caller, [citizen_id], "history")
        return Page([serialisers.held(h) for h in found.rows], found.next_cursor)


def obligations(session: Session, caller: Caller, *, cursor: str | None, limit: int,
                citizen_id: int | None = None,
                state: ObligationState | None = None) -> Page[Any]:
    stmt = select(Obligation)
    if citizen_id is not None:
        stmt = stmt.where(Obligation.citizen_id == citizen_id)
    if state is not None:
        stmt = stmt.where(Obligation.state == state)
    with transaction(session):
        if citizen_id is not None:
            _citizen(session, citizen_id)
        found = page(session, stmt, Obligation.id, cursor, limit)
        _audit_reads(session, caller, (o.citizen_id for o in found.rows), "obligations")
        return Page([serialisers.obligation(o) for o in found.rows], found.next_cursor)


def bookings(session: Session, caller: Caller, *, cursor: str | None, limit: int,
             citizen_id: int | None = None, state: BookingState | None = None) -> Page[Any]:
    stmt = select(Booking).options(selectinload(Booking.slot))
    if citizen_id is not None:
        stmt = stmt.where(Booking.citizen_id == citizen_id)
    if state is not None:
        stmt = stmt.where(Booking.state == state)
    with transaction(session):
        if citizen_id is not None:
            _citizen(session, citizen_id)
        found = page(session, stmt, Booking.id, cursor, limit)
        _audit_reads(session, caller, (b.citizen_id for b in found.rows), "bookings")
        return Page([serialisers.booking(b) for b in found.rows], found.next_cursor)


def booking(session: Session, caller: Caller, booking_id: int) -> Any:
    with transaction(session):
        row = session.get(Booking, booking_id)
        if row is None:
            raise NotFound("booking")
        _audit_reads(session, caller, [row.citizen_id], "bookings")
        return serialisers.booking(row)


def _taken_seats() -> Any:
    return (select(func.count(Booking.id))
            .where(Booking.slot_id == Slot.id, Booking.state != BookingState.cancelled)
            .correlate(Slot).scalar_subquery())


def slots(session: Session, *, cursor: str | None, limit: int, from_date: date | None = None,
          to_date: date | None = None, channel: Channel | None = None,
          caseworker_id: int | None = None, free_only: bool = False) -> Page[Any]:
    """Slots from ``from_date`` (default today) to ``to_date`` (local days), with their free
    seats; no citizen is shown."""
    first = from_date or today_local()
    stmt = select(Slot).options(selectinload(Slot.caseworker)).where(
        Slot.starts_at >= _local_midnight(first))
    if to_date is not None:
        stmt = stmt.where(Slot.starts_at < _local_midnight(to_date + timedelta(days=1)))
    if channel is not None:
        stmt = stmt.where(Slot.channel == channel)
    if caseworker_id is not None:
        stmt = stmt.where(Slot.caseworker_id == caseworker_id)
    if free_only:
        stmt = stmt.where(_taken_seats() < Slot.capacity)
    stmt = stmt.join(Caseworker, Caseworker.id == Slot.caseworker_id)
    with transaction(session):
        found = page(session, stmt, Slot.id, cursor, limit)
        ids = [s.id for s in found.rows]
        taken: dict[int, int] = {}
        if ids:
            for slot_id, count in session.execute(
                select(Booking.slot_id, func.count(Booking.id))
                .where(Booking.slot_id.in_(ids), Booking.state != BookingState.cancelled)
                .group_by(Booking.slot_id)
            ):
                taken[slot_id] = count
        return Page([serialisers.slot(s, taken.get(s.id, 0)) for s in found.rows],
                    found.next_cursor)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(min(day, date(9998, 12, 31)), time(0), tzinfo=zone())
