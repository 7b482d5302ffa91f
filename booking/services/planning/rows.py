"""The rows a plan is computed from, their versions, and the calendar of usable slots.

A *version* is a short digest of the values of a row the plan depends on: the problem builder
stores one per conversation (obligation, citizen and booking) and per slot (the slot, its
caseworker, and whether it can be used at all); accepting a proposal later recomputes them from
the live rows with the same columns (:func:`conversation_versions`, :func:`slot_versions`). A
proposal whose versions differ is stale. Occupancy (who else sits in the slot that day) is not
part of a version: it is checked live when the bookings are written.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeAlias

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ...models import Absence, Booking, Caseworker, Citizen, ClosedDay, Obligation, Slot
from ..calendar_days import add_working_days, closed_days, local_datetime
from ..clock import zone

AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"  # a row of any of the column sets below

OBLIGATION_COLUMNS = (
    Obligation.id,
    Obligation.citizen_id,
    Obligation.state,
    Obligation.kind,
    Obligation.holder,
    Obligation.earliest,
    Obligation.deadline,
    Obligation.pool,
    Obligation.minutes,
    Obligation.channels,
    Obligation.mandatory,
)
CITIZEN_COLUMNS = (
    Citizen.id,
    Citizen.unit_id,
    Citizen.caseworker_id,
    Citizen.channels,
    Citizen.show_probability,
)
BOOKING_COLUMNS = (
    Booking.id,
    Booking.slot_id,
    Booking.seat,
    Booking.citizen_id,
    Booking.obligation_id,
    Booking.state,
    Booking.source,
    Booking.locked,
    Booking.ical_sequence,
)
SLOT_COLUMNS = (
    Slot.id,
    Slot.caseworker_id,
    Slot.starts_at,
    Slot.minutes,
    Slot.channel,
    Slot.capacity,
    Slot.group_session_id,
)
CASEWORKER_COLUMNS = (Caseworker.id, Caseworker.unit_id, Caseworker.max_per_day, Caseworker.active)


def digest(*parts: Any) -> str:
    """A short, stable digest of values (dates, enums and lists by their text)."""
    text = "\x1f".join(_text(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(_text(v) for v in value)
    if hasattr(value, "value"):  # an enum
        return str(value.value)
    return str(value)


def _citizen_part(citizen: AnyRow) -> tuple[Any, ...]:
    # the show probability is left out: it changes with every attendance, the plan does not
    return citizen.id, citizen.unit_id, citizen.caseworker_id, citizen.channels or ""


def conversation_version(
    ob: Sequence[Any] | None, citizen: AnyRow, booking: Sequence[Any] | None
) -> str:
    """The version of a conversation: its obligation, its citizen and its live booking (the
    values of ``OBLIGATION_COLUMNS`` and ``BOOKING_COLUMNS``, in that order)."""
    ob_part = tuple(ob) if ob is not None else ("-",)
    booking_part = tuple(booking)[: len(BOOKING_COLUMNS)] if booking is not None else ("-",)
    return digest(*ob_part, *_citizen_part(citizen), *booking_part)


def slot_version(slot: AnyRow, caseworker: AnyRow, usable: bool) -> str:
    """The version of a slot: the slot, its caseworker, and whether it can be used."""
    return digest(*tuple(slot), *tuple(caseworker), usable)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes, PostgreSQL aware ones: both as aware UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_day(value: datetime) -> date:
    return as_utc(value).astimezone(zone()).date()


def day_start_utc(day: date) -> datetime:
    return local_datetime(day, time(0, 0)).astimezone(UTC)


@dataclass(frozen=True)
class Calendar:
    """Closed days and caseworkers' absences: which slots can be used at all."""

    closed: dict[date, str]
    absences: dict[int, list[tuple[datetime, datetime]]]

    def usable(self, slot: AnyRow, caseworker: AnyRow) -> bool:
        if not caseworker.active or slot.group_session_id is not None:
            return False
        start = as_utc(slot.starts_at)
        if start.astimezone(zone()).date() in self.closed:
            return False
        end = start + timedelta(minutes=slot.minutes)
        return not any(a < end and start < b for a, b in self.absences.get(slot.caseworker_id, ()))

    def lock_until(self, today: date, lock_days: int) -> date:
        """Bookings on or before this day are locked (``lock_days`` working days ahead)."""
        return add_working_days(today, lock_days, self.closed)


def load_calendar(
    session: Session,
    caseworker_ids: Iterable[int],
    first: date,
    last: date,
    optional_closed: Sequence[str],
) -> Calendar:
    """Public holidays (with the optional ones), the local closed days and the absences of the
    caseworkers that touch ``first`` … ``last``."""
    closed = closed_days(range(first.year - 1, last.year + 2), optional_closed)
    closed.update({row.day: row.reason for row in session.scalars(select(ClosedDay))})
    ids = sorted(set(caseworker_ids))
    absences: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    lo, hi = day_start_utc(first), day_start_utc(last + timedelta(days=1))
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Absence.caseworker_id, Absence.starts_at, Absence.ends_at).where(
                Absence.caseworker_id.in_(ids[start : start + 500]),
                Absence.ends_at > lo,
                Absence.starts_at < hi,
            )
        )
        for cw_id, a, b in rows:
            absences[cw_id].append((as_utc(a), as_utc(b)))
    return Calendar(closed, dict(absences))


def chunks(ids: Sequence[int], size: int = 2000) -> Iterable[list[int]]:
    """An IN list at a time (SQLite limits the number of bound parameters)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def conversation_versions(
    session: Session, items: Sequence[tuple[int | None, int, int | None]]
) -> dict[tuple[int | None, int, int | None], str]:
    """Live versions of (obligation id, citizen id, booking id) triples; a row that no longer
    exists gives a version that matches nothing."""
    obs: dict[int, AnyRow] = {}
    citizens: dict[int, AnyRow] = {}
    bookings: dict[int, AnyRow] = {}
    for part in chunks([o for o, _, _ in items if o is not None]):
        obs.update((r.id, r) for r in session.execute(
            select(*OBLIGATION_COLUMNS).where(Obligation.id.in_(part))))
    for part in chunks([c for _, c, _ in items]):
        citizens.update((r.id, r) for r in session.execute(
            select(*CITIZEN_COLUMNS).where(Citizen.id.in_(part))))
    for part in chunks([b for _, _, b in items if b is not None]):
        bookings.update((r.id, r) for r in session.execute(
            select(*BOOKING_COLUMNS).where(Booking.id.in_(part))))
    out = {}
    for key in items:
        ob_id, citizen_id, booking_id = key
        citizen = citizens.get(citizen_id)
        ob = obs.get(ob_id) if ob_id is not None else None
        booking = bookings.get(booking_id) if booking_id is not None else None
        gone = (
            citizen is None
            or (ob_id is not None and ob is None)
            or (booking_id is not None and booking is None)
        )
        out[key] = "gone" if gone or citizen is None else conversation_version(ob, citizen,
                                                                              booking)
    return out


def slot_versions(
    session: Session, slot_ids: Sequence[int], optional_closed: Sequence[str]
) -> dict[int, str]:
    """Live versions of slots ("gone" for a slot that no longer exists)."""
    slots: dict[int, AnyRow] = {}
    for part in chunks(slot_ids):
        slots.update((r.id, r) for r in session.execute(
            select(*SLOT_COLUMNS).where(Slot.id.in_(part))))
    workers: dict[int, AnyRow] = {}
    for part in chunks([s.caseworker_id for s in slots.values()]):
        workers.update((r.id, r) for r in session.execute(
            select(*CASEWORKER_COLUMNS).where(Caseworker.id.in_(part))))
    days = [local_day(s.starts_at) for s in slots.values()]
    out = {ident: "gone" for ident in slot_ids}
    if not days:
        return out
    calendar = load_calendar(session, workers, min(days), max(days), optional_closed)
    for ident, slot in slots.items():
        worker = workers[slot.caseworker_id]
        out[ident] = slot_version(slot, worker, calendar.usable(slot, worker))
    return out
