"""Absences (holiday, course, sickness) and the booked conversations they fall over.

An absence closes the caseworker's time: free slots inside it are removed (a slot with
cancelled bookings in its history, which cannot be removed, stops being self-bookable), and
the plan core leaves the caseworker out for its span (``load_calendar``). Booked conversations
inside it are **not** cancelled silently: :func:`absence_page` lists them to the caseworker or
planner, who then hands them over in one step (:func:`hand_over`): each booking is cancelled by
the job centre (the citizen gets the cancellation with its ``CANCEL`` ``.ics`` through the
usual notices), its obligation is open again, and the unit's plan is redone by an event re-plan
(``reason: caseworker_absence``) that proposes new times before the deadlines. A colleague who
covers instead simply leaves them (the list stays on the absence's page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import (
    Absence,
    ActorKind,
    Booking,
    BookingState,
    CancelledBy,
    Channel,
    GroupSession,
    GroupSessionCaseworker,
    Obligation,
    ObligationState,
    Slot,
)
from ...settings import Settings
from .. import audit
from ..booking_notices import drop_reminders, notify_cancelled
from ..bounds import within
from ..calendar_days import local_datetime
from ..errors import NotFound, ServiceError
from ..planning.runs import request_event_replan
from ..planning.scheduling import Scheduler
from .absence_ics import AbsenceEvent, read_absence_events
from .week_plan import CONTROL

REASON_MAX = 200
LONGEST_SLOT = timedelta(minutes=480)
SHOWN_PAST = timedelta(days=14)  # absences that ended this long ago still listed


class AbsenceError(ServiceError):
    """A refused absence: ``bad_window`` (end not after start), ``out_of_range``,
    ``reason_too_long`` (``max``), ``reason_control_characters``."""


@dataclass(frozen=True)
class AffectedBooking:
    booking_id: int
    starts_at: datetime
    minutes: int
    channel: Channel
    citizen_name: str
    obligation_label: str | None


@dataclass(frozen=True)
class AffectedShift:
    session_id: int
    starts_at: datetime
    ends_at: datetime
    location: str


@dataclass(frozen=True)
class AbsenceView:
    id: int
    starts_at: datetime
    ends_at: datetime
    reason: str | None
    imported: bool
    bookings: list[AffectedBooking]
    shifts: list[AffectedShift]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    absence_ids: list[int]
    affected: int  # booked conversations inside the imported absences


@dataclass(frozen=True)
class HandOver:
    cancelled: list[AffectedBooking]
    unit_ids: list[int]  # units whose plan is redone
    replan_refused: bool  # the cancellations stand; the nightly re-plan takes them


def window(first: date, first_time: time | None, last: date, last_time: time | None
           ) -> tuple[datetime, datetime]:
    """An absence from ``first`` (at ``first_time``, else the day's start) to ``last`` (at
    ``last_time``, else the end of that day), as UTC instants; :class:`AbsenceError`."""
    if not (within(first) and within(last)):
        raise AbsenceError("out_of_range")
    start = local_datetime(first, first_time or time())
    end = (local_datetime(last, last_time) if last_time is not None
           else local_datetime(last + timedelta(days=1), time()))
    if end <= start:
        raise AbsenceError("bad_window")
    return start.astimezone(UTC), end.astimezone(UTC)


def _affected(session: Session, caseworker_id: int, start: datetime, end: datetime
              ) -> list[tuple[Booking, Slot]]:
    rows = session.execute(
        select(Booking, Slot).join(Slot, Booking.slot_id == Slot.id).where(
            Slot.caseworker_id == caseworker_id,
            Booking.state == BookingState.booked,
            Slot.starts_at < end,
            Slot.starts_at > start - LONGEST_SLOT,
        ).order_by(Slot.starts_at, Booking.id)
    )
    return [(b, s) for b, s in rows
            if s.starts_at + timedelta(minutes=s.minutes) > start]


def _view(booking: Booking, slot: Slot, labels: dict[int, str]) -> AffectedBooking:
    return AffectedBooking(
        booking.id, slot.starts_at, slot.minutes, slot.channel, booking.citizen.name,
        labels.get(booking.obligation_id) if booking.obligation_id is not None else None)


def _labels(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {i: label for i, label in session.execute(
        select(Obligation.id, Obligation.label_da).where(Obligation.id.in_(wanted)))}


def affected_bookings(session: Session, caseworker_id: int, start: datetime, end: datetime
                      ) -> list[AffectedBooking]:
    """Booked conversations of the caseworker that overlap ``start`` … ``end``. Reads only."""
    pairs = _affected(session, caseworker_id, start, end)
    labels = _labels(session, [b.obligation_id for b, _ in pairs])
    return [_view(b, s, labels) for b, s in pairs]


def _shifts(session: Session, caseworker_id: int, start: datetime, end: datetime
            ) -> list[AffectedShift]:
    found = session.scalars(
        select(GroupSession).join(GroupSessionCaseworker,
                                  GroupSessionCaseworker.session_id == GroupSession.id)
        .where(GroupSessionCaseworker.caseworker_id == caseworker_id,
               GroupSession.starts_at < end, GroupSession.ends_at > start)
        .order_by(GroupSession.starts_at)
    )
    return [AffectedShift(g.id, g.starts_at, g.ends_at, g.location) for g in found]


def _absence(session: Session, caseworker_id: int, absence_id: int) -> Absence:
    found = session.get(Absence, absence_id)
    if found is None or found.caseworker_id != caseworker_id:
        raise NotFound("absence")
    return found


def absence_page(session: Session, caseworker_id: int, absence_id: int) -> AbsenceView:
    """One absence with the booked conversations and call-in shifts inside it. Reads only."""
    a = _absence(session, caseworker_id, absence_id)
    return AbsenceView(a.id, a.starts_at, a.ends_at, a.reason, a.ics_uid is not None,
                       affected_bookings(session, caseworker_id, a.starts_at, a.ends_at),
                       _shifts(session, caseworker_id, a.starts_at, a.ends_at))


def list_absences(session: Session, caseworker_id: int, now: datetime) -> list[AbsenceView]:
    """Current and coming absences (and those ended within two weeks), earliest first."""
    found = session.scalars(
        select(Absence).where(Absence.caseworker_id == caseworker_id,
                              Absence.ends_at > now - SHOWN_PAST)
        .order_by(Absence.starts_at, Absence.id)
    )
    return [AbsenceView(a.id, a.starts_at, a.ends_at, a.reason, a.ics_uid is not None,
                        affected_bookings(session, caseworker_id, a.starts_at, a.ends_at),
                        _shifts(session, caseworker_id, a.starts_at, a.ends_at))
            for a in found]


def close_free_slots(session: Session, caseworker_id: int, start: datetime, end: datetime
                      ) -> None:
    """Free slots inside the absence go; one with past bookings stops being self-bookable."""
    slots = [s for s in session.scalars(
        select(Slot).where(Slot.caseworker_id == caseworker_id,
                           Slot.group_session_id.is_(None),
                           Slot.starts_at < end, Slot.starts_at > start - LONGEST_SLOT))
        if s.starts_at + timedelta(minutes=s.minutes) > start]
    if not slots:
        return
    states: dict[int, set[BookingState]] = {}
    for slot_id, state in session.execute(
        select(Booking.slot_id, Booking.state).where(Booking.slot_id.in_([s.id for s in slots]))
    ):
        states.setdefault(slot_id, set()).add(state)
    for slot in slots:
        held = states.get(slot.id)
        if held is None:
            session.delete(slot)
        elif held == {BookingState.cancelled}:
            slot.self_bookable = False


def _check_reason(reason: str | None) -> str | None:
    text = (reason or "").strip() or None
    if text is not None and len(text) > REASON_MAX:
        raise AbsenceError("reason_too_long", max=REASON_MAX)
    if text is not None and CONTROL.search(text):
        raise AbsenceError("reason_control_characters")
    return text


def add_absence(session: Session, caseworker_id: int, start: datetime, end: datetime,
                reason: str | None, *, staff_id: int | None) -> int:
    """Store an absence and close the free time inside it; audited, commits. Returns its id."""
    if end <= start:
        raise AbsenceError("bad_window")
    text = _check_reason(reason)
    with transaction(session):
        absence = Absence(caseworker_id=caseworker_id, starts_at=start, ends_at=end,
                          reason=text)
        session.add(absence)
        session.flush()
        close_free_slots(session, caseworker_id, start, end)
        audit.record(session, actor_kind=ActorKind.staff, actor_id=staff_id,
                     action="absence_added", object_type="absence", object_id=absence.id,
                     detail={"caseworker_id": caseworker_id})
        session.flush()
        return absence.id


def import_absences(session: Session, caseworker_id: int, data: bytes, *,
                    staff_id: int | None) -> ImportResult:
    """Absences from an ``.ics`` file: an event already imported (same UID) is updated, one
    without a UID that matches an absence exactly is kept; the free time inside is closed.
    Audited, commits; :class:`AbsenceImportError` and nothing changed on a bad file."""
    events = read_absence_events(data)
    created = updated = unchanged = 0
    ids: list[int] = []
    with transaction(session):
        for event in events:
            found = _existing(session, caseworker_id, event)
            if found is None:
                found = Absence(caseworker_id=caseworker_id, starts_at=event.starts_at,
                                ends_at=event.ends_at, reason=event.reason, ics_uid=event.uid)
                session.add(found)
                created += 1
            elif (found.starts_at, found.ends_at, found.reason) == (
                    event.starts_at, event.ends_at, event.reason):
                unchanged += 1
            else:
                found.starts_at, found.ends_at = event.starts_at, event.ends_at
                found.reason = event.reason
                updated += 1
            session.flush()
            ids.append(found.id)
            close_free_slots(session, caseworker_id, event.starts_at, event.ends_at)
        affected = sum(len(_affected(session, caseworker_id, e.starts_at, e.ends_at))
                       for e in events)
        audit.record(session, actor_kind=ActorKind.staff, actor_id=staff_id,
                     action="absences_imported", object_type="caseworker",
                     object_id=caseworker_id,
                     detail={"created": created, "updated": updated, "unchanged": unchanged})
        session.flush()
    return ImportResult(created, updated, unchanged, ids, affected)


def _existing(session: Session, caseworker_id: int, event: AbsenceEvent) -> Absence | None:
    stmt = select(Absence).where(Absence.caseworker_id == caseworker_id)
    if event.uid is not None:
        found: Absence | None = session.scalar(stmt.where(Absence.ics_uid == event.uid))
        return found
    found = session.scalar(stmt.where(Absence.starts_at == event.starts_at,
                                      Absence.ends_at == event.ends_at))
    return found


def delete_absence(session: Session, caseworker_id: int, absence_id: int, *,
                   staff_id: int | None) -> None:
    """Remove an absence (the template's slots come back when it is saved again); audited,
    commits; :class:`NotFound`."""
    with transaction(session):
        absence = _absence(session, caseworker_id, absence_id)
        session.delete(absence)
        audit.record(session, actor_kind=ActorKind.staff, actor_id=staff_id,
                     action="absence_removed", object_type="absence", object_id=absence_id,
                     detail={"caseworker_id": caseworker_id})


def hand_over(session: Session, caseworker_id: int, absence_id: int, *, staff_id: int | None,
              settings: Settings, schedule: Scheduler | None = None) -> HandOver:
    """Cancel the booked conversations inside the absence on the job centre's behalf (the
    citizen is told; the obligation is open again; the slot is no longer self-bookable),
    then ask for an event re-plan of each citizen's unit. Audited per booking
    (``booking_cancelled_for_absence``); commits. :class:`NotFound` for no such absence."""
    with transaction(session):
        absence = _absence(session, caseworker_id, absence_id)
        pairs = _affected(session, caseworker_id, absence.starts_at, absence.ends_at)
        labels = _labels(session, [b.obligation_id for b, _ in pairs])
        cancelled = [_view(b, s, labels) for b, s in pairs]
        units: dict[int, list[dict[str, int | None]]] = {}
        for booking, slot in pairs:
            drop_reminders(session, booking)
            booking.state = BookingState.cancelled
            booking.cancelled_by = CancelledBy.jobcentre
            booking.ical_sequence += 1
            slot.self_bookable = False
            ob = session.get(Obligation, booking.obligation_id) if booking.obligation_id else None
            if ob is not None and ob.state == ObligationState.booked:
                ob.state = ObligationState.open
            session.flush()
            notify_cancelled(session, booking, settings)
            audit.record(session, actor_kind=ActorKind.staff, actor_id=staff_id,
                         action="booking_cancelled_for_absence", citizen_id=booking.citizen_id,
                         object_type="booking", object_id=booking.id,
                         detail={"absence_id": absence.id, "obligation_id": booking.obligation_id})
            units.setdefault(booking.citizen.unit_id, []).append(
                {"booking_id": booking.id, "citizen_id": booking.citizen_id,
                 "obligation_id": booking.obligation_id})
        session.flush()
    refused = False
    for unit_id, items in sorted(units.items()):
        detail = {"reason": "caseworker_absence", "absence_id": absence_id,
                  "caseworker_id": caseworker_id, "bookings": items}
        try:
            request_event_replan(session, unit_id, detail, schedule=schedule)
        except ServiceError:
            refused = True  # the cancellations stand; the nightly re-plan picks them up
    return HandOver(cancelled, sorted(units), refused)
