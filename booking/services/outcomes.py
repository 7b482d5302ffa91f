"""The outcome of a booked conversation, recorded from the caseworker's calendar; its undo.

* ``held``: booking attended, a :class:`HeldConversation` stored (a conversation held by the
  job centre, joint as the obligation says, the slot's channel), obligations recomputed so the
  obligation is fulfilled; the show probability rises (:func:`register_attended`).
* ``no_show``: the show probability falls (:func:`register_missed`), the obligation is open
  again and goes straight back into planning (:attr:`OutcomeResult.event_replan_detail`).
* ``cancelled_by_citizen`` / ``_by_jobcentre``: booking cancelled (the seat is free: the partial
  unique index ignores cancelled bookings), obligation open; the job centre's sends CANCEL.

:func:`record_outcome` and :func:`undo_outcome` own their transaction: they commit, and a refusal
(:class:`OutcomeError`; :class:`NotFound` for no booking) leaves nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..database import transaction
from ..models import (
    ActorKind,
    Booking,
    BookingState,
    CancelledBy,
    Caseworker,
    Citizen,
    HeldConversation,
    HeldKind,
    Holder,
    Obligation,
    ObligationState,
    OutboxMessage,
    OutboxState,
    Role,
    StaffUser,
)
from ..settings import Settings
from . import audit
from .booking_notices import drop_reminders, notify_booked, notify_cancelled
from .callin.history import reestimate, register_attended, register_missed
from .clock import local_date
from .errors import NotFound, ServiceError
from .law.context import LawConfig
from .obligations import refresh_citizen


class BookingOutcome(StrEnum):
    held = "held"
    no_show = "no_show"
    cancelled_by_citizen = "cancelled_by_citizen"
    cancelled_by_jobcentre = "cancelled_by_jobcentre"


CANCELLATIONS = (BookingOutcome.cancelled_by_citizen, BookingOutcome.cancelled_by_jobcentre)
SEES_EVERY_CALENDAR = (Role.manager, Role.admin)

REASONS = (
    *("unknown_outcome", "not_yours", "too_early", "already_recorded", "booking_cancelled"),
    *("nothing_to_undo", "undo_expired", "seat_taken", "obligation_changed"),
)


class OutcomeError(ServiceError):
    """A refused outcome or undo; ``code`` is one of :data:`REASONS`. Nothing was changed."""


@dataclass(frozen=True)
class OutcomeResult:
    """What :func:`record_outcome` (or :func:`undo_outcome`, ``undone``) did."""

    booking_id: int
    outcome: BookingOutcome
    citizen_id: int
    citizen_name: str
    unit_id: int  # the citizen's unit: the plan to redo after a reopening
    obligation_id: int | None
    obligation_reopened: bool  # the obligation is open again and must be planned anew
    show_probability: float
    undone: bool = False

    @property
    def event_replan_detail(self) -> dict[str, Any] | None:
        """The integration point for the plan core: after the commit, the caller hands this to
        ``request_event_replan(session, self.unit_id, detail)``; None: nothing to re-plan."""
        if not self.obligation_reopened:
            return None
        return {
            "reason": f"booking_{self.outcome.value}",
            "booking_id": self.booking_id,
            "citizen_id": self.citizen_id,
            "obligation_id": self.obligation_id,
        }


# --- what the calendar may offer ----------------------------------------------------------


def outcome_of(booking: Booking) -> BookingOutcome | None:
    """The outcome a caseworker recorded on the booking, if any (a citizen's own cancellation
    on the web is not a recorded outcome)."""
    if booking.state == BookingState.attended:
        return BookingOutcome.held
    if booking.state == BookingState.no_show:
        return BookingOutcome.no_show
    if booking.state == BookingState.cancelled and booking.outcome_at is not None:
        if booking.cancelled_by == CancelledBy.jobcentre:
            return BookingOutcome.cancelled_by_jobcentre
        return BookingOutcome.cancelled_by_citizen
    return None


def allowed_outcomes(booking: Booking, now: datetime) -> tuple[BookingOutcome, ...]:
    """The outcomes that may be recorded now: none once recorded or cancelled; held and
    no-show from the conversation's start, cancellations at any time."""
    if booking.state != BookingState.booked:
        return ()
    started = now >= booking.slot.starts_at
    return tuple(o for o in BookingOutcome if started or o in CANCELLATIONS)


def undo_allowed(booking: Booking, now: datetime) -> bool:
    """A recorded outcome may be undone on the (local) day it was recorded."""
    return (
        outcome_of(booking) is not None
        and booking.outcome_at is not None
        and local_date(booking.outcome_at) == local_date(now)
    )


def may_act_for(session: Session, staff_id: int | None, caseworker_id: int) -> bool:
    """May this staff member record outcomes in (and see) the caseworker's calendar? A
    manager (or admin) may for everyone, a caseworker for their own only."""
    staff = session.get(StaffUser, staff_id) if staff_id is not None else None
    if staff is None:
        return False
    if staff.role in SEES_EVERY_CALENDAR:
        return True
    own = session.scalar(select(Caseworker.id).where(Caseworker.staff_user_id == staff.id))
    return staff.role == Role.caseworker and own == caseworker_id


# --- recording ------------------------------------------------------------------------------


_Row = TypeVar("_Row", Booking, Citizen, Obligation)


def _locked(session: Session, model: type[_Row], ident: int | None) -> _Row | None:
    """The row, locked (``FOR UPDATE`` on PostgreSQL; SQLite holds the write lock) and read
    afresh. Runs in the caller's transaction."""
    if ident is None:
        return None
    stmt = select(model).where(model.id == ident).with_for_update()
    return session.scalar(stmt.execution_options(populate_existing=True))


def _locked_booking(session: Session, booking_id: int) -> Booking:
    """The booking and its citizen (whose counts change), locked; :class:`NotFound`."""
    booking = _locked(session, Booking, booking_id)
    if booking is None:
        raise NotFound("booking")
    _locked(session, Citizen, booking.citizen_id)
    return booking


def _reopen(ob: Obligation | None) -> None:
    if ob is not None and ob.state == ObligationState.booked:
        ob.state = ObligationState.open


def _hold(
    session: Session, booking: Booking, ob: Obligation | None, staff_id: int | None, *,
    now: datetime, settings: Settings,
) -> None:
    """Held: a held conversation for the booking, obligations recomputed; runs in the
    caller's transaction."""
    citizen = booking.citizen
    booking.state = BookingState.attended
    held = HeldConversation(
        citizen_id=citizen.id,
        held_on=local_date(booking.slot.starts_at),
        kind=HeldKind.conversation,
        holder=Holder.jobcentre,
        joint=ob.joint if ob is not None else False,
        channel=booking.slot.channel,
        booking_id=booking.id,
        recorded_by_staff_id=staff_id,
    )
    session.add(held)
    session.flush()
    session.refresh(citizen, ["conversations"])
    refresh_citizen(session, citizen, local_date(now), law=LawConfig.from_settings(settings))


def _cancel(
    session: Session, booking: Booking, ob: Obligation | None, by: CancelledBy, settings: Settings
) -> None:
    """Cancelled: the seat is freed, reminders withdrawn, the obligation open again; the job
    centre's cancellation is sent to the citizen. Runs in the caller's transaction."""
    drop_reminders(session, booking)
    booking.state = BookingState.cancelled
    booking.cancelled_by = by
    booking.ical_sequence += 1
    _reopen(ob)
    session.flush()
    if by == CancelledBy.jobcentre:
        notify_cancelled(session, booking, settings)


def _result(
    booking: Booking, outcome: BookingOutcome, ob: Obligation | None, *, reopened: bool
) -> OutcomeResult:
    citizen = booking.citizen
    return OutcomeResult(
        booking_id=booking.id,
        outcome=outcome,
        citizen_id=citizen.id,
        citizen_name=citizen.name,
        unit_id=citizen.unit_id,
        obligation_id=ob.id if ob is not None else None,
        obligation_reopened=reopened,
        show_probability=citizen.show_probability,
    )


def record_outcome(
    session: Session, booking_id: int, outcome: BookingOutcome | str, *,
    staff_id: int | None, now: datetime, settings: Settings,
) -> OutcomeResult:
    """Record what became of a booked conversation (see the module); commits. Refusals:
    ``unknown_outcome``, ``not_yours``, ``already_recorded``, ``booking_cancelled``,
    ``too_early`` (held or no-show before the start); :class:`NotFound` for no booking."""
    if outcome not in set(BookingOutcome):
        raise OutcomeError("unknown_outcome")
    chosen = BookingOutcome(outcome)
    with transaction(session):
        booking = _locked_booking(session, booking_id)
        if not may_act_for(session, staff_id, booking.slot.caseworker_id):
            raise OutcomeError("not_yours")
        if outcome_of(booking) is not None:
            raise OutcomeError("already_recorded")
        if booking.state == BookingState.cancelled:
            raise OutcomeError("booking_cancelled")
        if chosen not in allowed_outcomes(booking, now):
            raise OutcomeError("too_early")
        ob = _locked(session, Obligation, booking.obligation_id)
        was_booked = ob is not None and ob.state == ObligationState.booked
        booking.outcome_at = now
        booking.outcome_by_staff_id = staff_id
        if chosen == BookingOutcome.held:
            _hold(session, booking, ob, staff_id, now=now, settings=settings)
            register_attended(booking.citizen, settings.callin)
        elif chosen == BookingOutcome.no_show:
            drop_reminders(session, booking)
            booking.state = BookingState.no_show
            register_missed(booking.citizen, settings.callin)
            _reopen(ob)
        else:
            by = CancelledBy(chosen.value.removeprefix("cancelled_by_"))
            _cancel(session, booking, ob, by, settings)
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=staff_id,
            action="booking_outcome_recorded",
            citizen_id=booking.citizen_id,
            object_type="booking",
            object_id=booking.id,
            detail={"outcome": chosen.value, "obligation_id": booking.obligation_id},
        )
        session.flush()
        reopened = was_booked and ob is not None and ob.state == ObligationState.open
        return _result(booking, chosen, ob, reopened=reopened)


# --- undo -----------------------------------------------------------------------------------


def _other_booking(session: Session, booking: Booking, *where: ColumnElement[bool]) -> bool:
    return session.scalar(select(Booking.id).where(Booking.id != booking.id, *where)) is not None


def _seat_taken(session: Session, booking: Booking) -> bool:
    """Has another booking taken the seat since the cancellation?"""
    return _other_booking(
        session,
        booking,
        Booking.slot_id == booking.slot_id,
        Booking.seat == booking.seat,
        Booking.state != BookingState.cancelled,
    )


def _obligation_changed(
    session: Session, booking: Booking, ob: Obligation | None, done: BookingOutcome
) -> bool:
    """Has the obligation moved on since the outcome (booked anew, or fulfilled otherwise)?"""
    if ob is None:
        return False
    live = Booking.state == BookingState.booked
    if _other_booking(session, booking, Booking.obligation_id == ob.id, live):
        return True
    return done != BookingOutcome.held and ob.state != ObligationState.open


def _withdraw_unsent(session: Session, booking: Booking) -> None:
    """The cancellation's letters not yet attempted are withdrawn; runs in the caller's
    transaction."""
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.dedupe_key.like(f"booking:{booking.id}:{booking.ical_sequence}:%"),
            OutboxMessage.state == OutboxState.pending,
            OutboxMessage.attempts == 0,
        )
    )


def _revert(
    session: Session, booking: Booking, ob: Obligation | None, done: BookingOutcome, *,
    now: datetime, settings: Settings,
) -> None:
    """Put the booking back as it was before ``done``; runs in the caller's transaction."""
    citizen = booking.citizen
    booking.state = BookingState.booked
    booking.cancelled_by = None
    booking.outcome_at = None
    booking.outcome_by_staff_id = None
    if done == BookingOutcome.held:
        session.execute(delete(HeldConversation).where(HeldConversation.booking_id == booking.id))
        citizen.attended_count = max(0, citizen.attended_count - 1)
        reestimate(citizen, settings.callin)
        session.flush()
        session.refresh(citizen, ["conversations"])
        refresh_citizen(session, citizen, local_date(now), law=LawConfig.from_settings(settings))
        return
    if ob is not None and ob.state == ObligationState.open:
        ob.state = ObligationState.booked
    if done == BookingOutcome.no_show:
        citizen.missed_count = max(0, citizen.missed_count - 1)
        reestimate(citizen, settings.callin)
        session.flush()
        return
    # a cancellation: the citizen is told the time stands (a new sequence of the same event)
    _withdraw_unsent(session, booking)
    booking.ical_sequence += 1
    session.flush()
    notify_booked(session, booking, settings, now, rebooked=False)


def undo_outcome(
    session: Session, booking_id: int, *, staff_id: int | None, now: datetime, settings: Settings
) -> OutcomeResult:
    """Undo the recorded outcome on the day it was recorded: the booking is booked again on
    its seat, a held conversation is removed, the attendance counts and the show probability
    are restored and the obligation is booked again; audited (``booking_outcome_undone``),
    commits. Refusals: ``not_yours``, ``nothing_to_undo``, ``undo_expired``, ``seat_taken``
    (the seat was booked meanwhile), ``obligation_changed``; :class:`NotFound`."""
    try:
        with transaction(session):
            booking = _locked_booking(session, booking_id)
            if not may_act_for(session, staff_id, booking.slot.caseworker_id):
                raise OutcomeError("not_yours")
            done = outcome_of(booking)
            if done is None or booking.outcome_at is None:
                raise OutcomeError("nothing_to_undo")
            if not undo_allowed(booking, now):
                raise OutcomeError("undo_expired")
            ob = _locked(session, Obligation, booking.obligation_id)
            if done in CANCELLATIONS and _seat_taken(session, booking):
                raise OutcomeError("seat_taken")
            if _obligation_changed(session, booking, ob, done):
                raise OutcomeError("obligation_changed")
            recorded_at, recorded_by = booking.outcome_at.isoformat(), booking.outcome_by_staff_id
            _revert(session, booking, ob, done, now=now, settings=settings)
            audit.record(
                session,
                actor_kind=ActorKind.staff,
                actor_id=staff_id,
                action="booking_outcome_undone",
                citizen_id=booking.citizen_id,
                object_type="booking",
                object_id=booking.id,
                detail={"outcome": done.value, "recorded_at": recorded_at, "by": recorded_by},
            )
            session.flush()
            result = _result(booking, done, ob, reopened=False)
    except IntegrityError as exc:  # lost a race for the seat or the obligation
        code = "obligation_changed" if "obligation" in str(exc.orig).lower() else "seat_taken"
        raise OutcomeError(code) from None
    return replace(result, undone=True)
