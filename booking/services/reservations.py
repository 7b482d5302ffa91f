"""Book, rebook and cancel a conversation: one seat, one booking, whatever the race.

Each of :func:`book`, :func:`rebook` and :func:`cancel` is one unit of work of its own (not to
be called inside another ``transaction``): it opens a write transaction (``BEGIN IMMEDIATE`` on
SQLite; ``SELECT … FOR UPDATE`` on the obligation and the slot on PostgreSQL), checks, writes
and commits; any refusal rolls it back. The named partial unique indexes stay the last word:
losing a race on ``uq_bookings_slot_seat_active`` becomes :class:`ReservationError`
``slot_taken`` with the nearest free alternatives, looked up after the rollback. A repeated
submit of the same form (same ``request_key``) returns the booking it already made.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..database import transaction
from ..models import (
    ActorKind,
    Booking,
    BookingSource,
    BookingState,
    Citizen,
    Obligation,
    ObligationState,
    OutboxMessage,
    Slot,
)
from ..settings import Settings
from . import audit
from .booking_notices import drop_reminders, notify_booked, notify_cancelled
from .clock import now_utc, zone
from .errors import ServiceError
from .slot_search import SlotOption, bookable_slots, nearest_alternatives, self_booking_until

REASONS = (
    "slot_taken",
    "not_bookable",
    "already_booked",
    "cutoff_passed",
    "deadline_passed",
    "not_found",
)


class ReservationError(ServiceError):
    """A refused booking change; ``code`` is one of :data:`REASONS` (``cutoff_passed`` carries
    ``hours``); ``alternatives`` are the nearest free times after ``slot_taken``."""

    def __init__(
        self, code: str, alternatives: list[SlotOption] | None = None, **params: Any
    ) -> None:
        super().__init__(code, **params)
        self.alternatives = alternatives or []


@dataclass
class Outcome:
    booking: Booking
    replayed: bool = False
    messages: list[OutboxMessage] = field(default_factory=list)


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: int | None


def _actor(actor: Actor | None, citizen_id: int) -> Actor:
    return actor or Actor(ActorKind.citizen, citizen_id)


def cutoff_hours(settings: Settings) -> int:
    return int(settings.booking.cancellation_cutoff_hours)


def changeable(booking: Booking, settings: Settings, now: datetime | None = None) -> bool:
    """Can the citizen still move or cancel this booking (before the cutoff)?"""
    now = now or now_utc()
    return booking.state == BookingState.booked and booking.slot.starts_at - now >= timedelta(
        hours=cutoff_hours(settings)
    )


_Row = TypeVar("_Row", Booking, Obligation, Slot)


def _locked(session: Session, model: type[_Row], ident: int) -> _Row | None:
    stmt = select(model).where(model.id == ident)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).first()


def _cutoff_passed(settings: Settings) -> ReservationError:
    return ReservationError("cutoff_passed", hours=cutoff_hours(settings))


def _replay(session: Session, citizen_id: int, request_key: str | None) -> Booking | None:
    if not request_key:
        return None
    found = session.scalar(select(Booking).where(Booking.request_key == request_key))
    if found is not None and found.citizen_id == citizen_id:
        return found
    return None


def _free_seat(session: Session, slot: Slot) -> int | None:
    used = set(
        session.scalars(
            select(Booking.seat).where(
                Booking.slot_id == slot.id, Booking.state != BookingState.cancelled
            )
        )
    )
    free = [s for s in range(1, slot.capacity + 1) if s not in used]
    return free[0] if free else None


def _check_slot(
    session: Session,
    citizen: Citizen,
    ob: Obligation,
    slot_id: int,
    settings: Settings,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> Slot:
    today = now.astimezone(zone()).date()
    until = self_booking_until(ob, settings)
    if until < today:
        raise ReservationError("deadline_passed")
    slot = _locked(session, Slot, slot_id)
    if slot is None:
        raise ReservationError("not_bookable")
    ok = bookable_slots(
        session,
        citizen,
        ob,
        until=until,
        today=today,
        slot_ids=[slot_id],
        ignore_booking_id=ignore_booking_id,
    )
    if not ok:
        if _free_seat(session, slot) is None:
            raise ReservationError("slot_taken")
        raise ReservationError("not_bookable")
    return slot


def _taken(
    session: Session,
    citizen_id: int,
    obligation_id: int,
    slot_id: int,
    settings: Settings,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> ReservationError:
    """After a rollback: the refusal with the nearest alternatives to the slot just lost."""
    citizen = session.get(Citizen, citizen_id)
    ob = session.get(Obligation, obligation_id)
    slot = session.get(Slot, slot_id)
    if citizen is None or ob is None or slot is None:
        return ReservationError("slot_taken")
    alternatives = nearest_alternatives(
        session,
        citizen,
        ob,
        slot.starts_at,
        until=self_booking_until(ob, settings),
        today=now.astimezone(zone()).date(),
        ignore_booking_id=ignore_booking_id,
    )
    session.rollback()
    return ReservationError("slot_taken", alternatives)


def _integrity_code(exc: IntegrityError) -> str:
    text = str(exc.orig).lower()
    if "request_key" in text:
        return "replay"
    if "obligation" in text:
        return "already_booked"
    return "slot_taken"


def book(
    session: Session,
    *,
    citizen_id: int,
    obligation_id: int,
    slot_id: int,
    request_key: str | None,
    settings: Settings,
    now: datetime | None = None,
    actor: Actor | None = None,
    source: BookingSource = BookingSource.self,
) -> Outcome:
    """Book ``slot_id`` for the citizen's obligation; commits, or raises ReservationError."""
    now = now or now_utc()
    try:
        with transaction(session):
            ob = _locked(session, Obligation, obligation_id)
            if ob is None or ob.citizen_id != citizen_id:
                raise ReservationError("not_found")
            replay = _replay(session, citizen_id, request_key)
            if replay is not None:
                return Outcome(replay, replayed=True)
            if ob.state != ObligationState.open:
                raise ReservationError("already_booked")
            citizen = ob.citizen
            slot = _check_slot(session, citizen, ob, slot_id, settings, now)
            seat = _free_seat(session, slot)
            if seat is None:
                raise ReservationError("slot_taken")
            booking = Booking(
                slot_id=slot.id,
                seat=seat,
                citizen_id=citizen.id,
                obligation_id=ob.id,
                state=BookingState.booked,
                source=source,
                ical_uid=f"{uuid.uuid4()}@rettidig",
                ical_sequence=0,
                request_key=request_key or None,
                created_by_staff_id=actor.id if actor and actor.kind == ActorKind.staff else None,
            )
            session.add(booking)
            session.flush()
            ob.state = ObligationState.booked
            who = _actor(actor, citizen.id)
            audit.record(
                session,
                actor_kind=who.kind,
                actor_id=who.id,
                action="booking_created",
                citizen_id=citizen.id,
                object_type="booking",
                object_id=booking.id,
                detail={"slot_id": slot.id, "obligation_id": ob.id, "seat": seat},
            )
            messages = notify_booked(session, booking, settings, now, rebooked=False)
        return Outcome(booking, messages=messages)
    except ReservationError as exc:
        if exc.code == "slot_taken" and not exc.alternatives:
            raise _taken(session, citizen_id, obligation_id, slot_id, settings, now) from None
        raise
    except IntegrityError as exc:
        code = _integrity_code(exc)
        if code == "replay":
            replay = _replay(session, citizen_id, request_key)
            session.rollback()
            if replay is not None:
                return Outcome(replay, replayed=True)
            raise ReservationError("already_booked") from None
        if code == "already_booked":
            raise ReservationError("already_booked") from None
        raise _taken(session, citizen_id, obligation_id, slot_id, settings, now) from None


def rebook(
    session: Session,
    *,
    citizen_id: int,
    booking_id: int,
    slot_id: int,
    request_key: str | None,
    settings: Settings,
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Outcome:
    """Move a booking to another slot: same UID, SEQUENCE + 1; the old seat is freed.

    Only a live booking moves (``not_found`` otherwise, also for a repeated submit once the
    booking has been cancelled)."""
    now = now or now_utc()
    obligation_id = 0
    try:
        with transaction(session):
            booking = _locked(session, Booking, booking_id)
            if (
                booking is None
                or booking.citizen_id != citizen_id
                or booking.obligation_id is None
                or booking.state != BookingState.booked
            ):
                raise ReservationError("not_found")
            obligation_id = booking.obligation_id
            replay = _replay(session, citizen_id, request_key)
            if replay is not None:
                return Outcome(replay, replayed=True)
            if not changeable(booking, settings, now):
                raise _cutoff_passed(settings)
            ob = _locked(session, Obligation, obligation_id)
            if ob is None:
                raise ReservationError("not_found")
            if slot_id == booking.slot_id:
                raise ReservationError("not_bookable")
            slot = _check_slot(session, booking.citizen, ob, slot_id, settings, now, booking.id)
            seat = _free_seat(session, slot)
            if seat is None:
                raise ReservationError("slot_taken")
            old_slot_id = booking.slot_id
            drop_reminders(session, booking)
            booking.slot = slot
            booking.seat = seat
            booking.ical_sequence += 1
            booking.request_key = request_key or booking.request_key
            session.flush()
            who = _actor(actor, citizen_id)
            audit.record(
                session,
                actor_kind=who.kind,
                actor_id=who.id,
                action="booking_moved",
                citizen_id=citizen_id,
                object_type="booking",
                object_id=booking.id,
                detail={"from_slot_id": old_slot_id, "to_slot_id": slot.id, "seat": seat},
            )
            messages = notify_booked(session, booking, settings, now, rebooked=True)
        return Outcome(booking, messages=messages)
    except ReservationError as exc:
        if exc.code == "slot_taken" and not exc.alternatives:
            raise _taken(
                session, citizen_id, obligation_id, slot_id, settings, now, booking_id
            ) from None
        raise
    except IntegrityError as exc:
        if _integrity_code(exc) == "replay":
            raise ReservationError("already_booked") from None
        raise _taken(
            session, citizen_id, obligation_id, slot_id, settings, now, booking_id
        ) from None


def cancel(
    session: Session,
    *,
    citizen_id: int,
    booking_id: int,
    settings: Settings,
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Outcome:
    """Cancel before the cutoff: the seat is freed, the obligation is open again, CANCEL sent.

    Cancelling an already cancelled booking changes nothing (a repeated submit)."""
    now = now or now_utc()
    with transaction(session):
        booking = _locked(session, Booking, booking_id)
        if booking is None or booking.citizen_id != citizen_id:
            raise ReservationError("not_found")
        if booking.state == BookingState.cancelled:
            return Outcome(booking, replayed=True)
        if not changeable(booking, settings, now):
            raise _cutoff_passed(settings)
        if booking.obligation_id is not None:
            ob = _locked(session, Obligation, booking.obligation_id)
            if ob is not None and ob.state == ObligationState.booked:
                ob.state = ObligationState.open
        drop_reminders(session, booking)
        booking.state = BookingState.cancelled
        booking.ical_sequence += 1
        who = _actor(actor, citizen_id)
        audit.record(
            session,
            actor_kind=who.kind,
            actor_id=who.id,
            action="booking_cancelled",
            citizen_id=citizen_id,
            object_type="booking",
            object_id=booking.id,
            detail={"slot_id": booking.slot_id},
        )
        messages = notify_cancelled(session, booking, settings)
    return Outcome(booking, messages=messages)


def live_bookings_count(session: Session, slot_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Booking.id)).where(
                Booking.slot_id == slot_id, Booking.state != BookingState.cancelled
            )
        )
        or 0
    )
