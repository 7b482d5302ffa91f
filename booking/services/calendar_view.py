"""The caseworker's calendar: a day or a (Monday-based ISO) week of their slots with the
bookings in them, and the group call-in sessions they serve (shifts).

:func:`day_page` and :func:`week_page` read the calendar and record who saw which citizen (one
audit entry per citizen shown, ``caseworker_calendar_view``) in one transaction, which they
commit, and return a view-model. A caseworker sees their own calendar only
(:class:`Forbidden`); a manager (or admin) any caseworker's, and without one named gets the
list to choose from. A caseworker that does not exist is :class:`NotFound`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..database import transaction
from ..models import (
    Booking,
    BookingState,
    Caseworker,
    GroupSession,
    GroupSessionCaseworker,
    Obligation,
    Slot,
    StaffUser,
)
from .calendar_days import local_datetime, week_monday
from .callin.history import record_seen
from .clock import local_date, now_utc
from .errors import NotFound, ServiceError
from .outcomes import (
    SEES_EVERY_CALENDAR,
    BookingOutcome,
    allowed_outcomes,
    outcome_of,
    undo_allowed,
)
from .timeliness import Forbidden

MAX_ID = 2**31 - 1  # ids beyond a 32-bit integer never reach the database
FIRST_DAY = date(2000, 1, 3)  # a Monday: every week shown starts inside the calendar
LAST_DAY = date(2099, 12, 31)
AUDIT_ACTION = "caseworker_calendar_view"

__all__ = [
    "AUDIT_ACTION",
    "BookingRow",
    "CalendarDay",
    "CalendarPage",
    "CalendarProblem",
    "DayChoice",
    "Forbidden",
    "SlotRow",
    "day_page",
    "read_day",
    "week_page",
]


# --- the day asked for ----------------------------------------------------------------------


class CalendarProblem(ServiceError):
    """A day asked for that was not understood (``bad_day``) or lies outside the calendar
    (``day_out_of_range``); today is shown instead."""


@dataclass(frozen=True)
class DayChoice:
    day: date
    problem: CalendarProblem | None = None


def read_day(raw: str | None, *, today: date) -> DayChoice:
    """The day in ``raw`` (ISO ``YYYY-MM-DD``); empty: today; anything else: today with the
    problem named."""
    text = (raw or "").strip()
    if not text:
        return DayChoice(today)
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return DayChoice(today, CalendarProblem("bad_day"))
    if not FIRST_DAY <= day <= LAST_DAY:
        return DayChoice(today, CalendarProblem("day_out_of_range"))
    return DayChoice(day)


# --- the view-model -------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingRow:
    booking: Booking
    obligation: Obligation | None
    outcome: BookingOutcome | None  # recorded by a caseworker
    allowed: tuple[BookingOutcome, ...]  # outcomes that may be recorded now
    can_undo: bool
    waits_for_start: bool  # held / no-show can be recorded once the conversation has begun

    @property
    def citizen_id(self) -> int:
        return self.booking.citizen_id

    @property
    def citizen_name(self) -> str:
        return self.booking.citizen.name

    @property
    def state(self) -> str:
        return self.booking.state.value


@dataclass(frozen=True)
class SlotRow:
    slot: Slot
    bookings: list[BookingRow]
    free_seats: int

    @property
    def ends_at(self) -> datetime:
        return self.slot.starts_at + timedelta(minutes=self.slot.minutes)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    slots: list[SlotRow] = field(default_factory=list)
    shifts: list[GroupSession] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.slots and not self.shifts

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass(frozen=True)
class CalendarPage:
    caseworker: Caseworker | None  # None: a manager who has not chosen one yet
    days: list[CalendarDay]
    today: date
    first: date
    previous: date | None  # the day (or the Monday) before, inside the calendar
    following: date | None
    choices: list[Caseworker]  # for a manager: the caseworkers to choose between
    now: datetime

    @property
    def day(self) -> CalendarDay:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1].day if self.days else self.first

    @property
    def week_number(self) -> int:
        return self.first.isocalendar()[1]

    @property
    def bookings(self) -> int:
        return sum(len(s.bookings) for d in self.days for s in d.slots)


# --- reading --------------------------------------------------------------------------------


def _whose(
    session: Session, caseworker_id: int | None, viewer_staff_id: int | None
) -> tuple[Caseworker | None, list[Caseworker]]:
    """The caseworker whose calendar is shown and, for a manager, the ones to choose from."""
    viewer = session.get(StaffUser, viewer_staff_id) if viewer_staff_id is not None else None
    if viewer is None:
        raise Forbidden("calendar")
    manager = viewer.role in SEES_EVERY_CALENDAR
    own = session.scalar(select(Caseworker).where(Caseworker.staff_user_id == viewer.id))
    choices: list[Caseworker] = []
    if manager:
        choices = list(
            session.scalars(select(Caseworker).where(Caseworker.active).order_by(Caseworker.name))
        )
    if caseworker_id is None:
        if own is None and not manager:
            raise NotFound("caseworker")
        return own, choices
    if not 1 <= caseworker_id <= MAX_ID:
        raise NotFound("caseworker")
    caseworker = session.get(Caseworker, caseworker_id)
    if caseworker is None:
        raise NotFound("caseworker")
    if not manager and (own is None or own.id != caseworker.id):
        raise Forbidden("calendar")
    return caseworker, choices


def _instant(day: date) -> datetime:
    return local_datetime(day, time(0)).astimezone(UTC)


def _booking_row(booking: Booking, now: datetime) -> BookingRow:
    allowed = allowed_outcomes(booking, now)
    return BookingRow(
        booking=booking,
        obligation=booking.obligation,
        outcome=outcome_of(booking),
        allowed=allowed,
        can_undo=undo_allowed(booking, now),
        waits_for_start=booking.state == BookingState.booked
        and BookingOutcome.held not in allowed,
    )


def _slot_row(slot: Slot, now: datetime) -> SlotRow:
    bookings = sorted(
        slot.bookings, key=lambda b: (b.state == BookingState.cancelled, b.seat, b.id)
    )
    active = sum(1 for b in bookings if b.state != BookingState.cancelled)
    return SlotRow(slot, [_booking_row(b, now) for b in bookings], max(0, slot.capacity - active))


def _days(
    session: Session, caseworker: Caseworker | None, first: date, count: int, now: datetime
) -> list[CalendarDay]:
    wanted = [first + timedelta(days=i) for i in range(count)]
    days = {d: CalendarDay(d) for d in wanted}
    if caseworker is None:
        return list(days.values())
    start, end = _instant(first), _instant(first + timedelta(days=count))
    slots = session.scalars(
        select(Slot)
        .where(Slot.caseworker_id == caseworker.id, Slot.starts_at >= start, Slot.starts_at < end)
        .options(
            selectinload(Slot.bookings).selectinload(Booking.citizen),
            selectinload(Slot.bookings).selectinload(Booking.obligation),
        )
        .order_by(Slot.starts_at)
    )
    for slot in slots:
        days[local_date(slot.starts_at)].slots.append(_slot_row(slot, now))
    shifts = session.scalars(
        select(GroupSession)
        .join(GroupSessionCaseworker, GroupSessionCaseworker.session_id == GroupSession.id)
        .where(
            GroupSessionCaseworker.caseworker_id == caseworker.id,
            GroupSession.starts_at >= start,
            GroupSession.starts_at < end,
        )
        .order_by(GroupSession.starts_at)
    )
    for gs in shifts:
        days[local_date(gs.starts_at)].shifts.append(gs)
    return list(days.values())


def _page(
    session: Session,
    *,
    caseworker_id: int | None,
    first: date,
    count: int,
    step: int,
    viewer_staff_id: int | None,
    now: datetime,
) -> CalendarPage:
    with transaction(session):
        caseworker, choices = _whose(session, caseworker_id, viewer_staff_id)
        days = _days(session, caseworker, first, count, now)
        if caseworker is not None:
            record_seen(
                session,
                viewer_staff_id,
                AUDIT_ACTION,
                [row.citizen_id for d in days for s in d.slots for row in s.bookings],
                object_type="caseworker_calendar",
                object_id=caseworker.id,
            )
        before, after = first - timedelta(days=step), first + timedelta(days=step)
        return CalendarPage(
            caseworker=caseworker,
            days=days,
            today=local_date(now),
            first=first,
            previous=before if before >= FIRST_DAY else None,
            following=after if after <= LAST_DAY else None,
            choices=choices,
            now=now,
        )


def _checked(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CalendarProblem("day_out_of_range")
    return day


def day_page(
    session: Session,
    *,
    caseworker_id: int | None,
    day: date,
    viewer_staff_id: int | None,
    now: datetime | None = None,
) -> CalendarPage:
    """One day of the caseworker's calendar (``caseworker_id`` None: the viewer's own);
    audits the citizens shown and commits. :class:`CalendarProblem` for a day outside the
    calendar (:func:`read_day` never gives one)."""
    return _page(
        session,
        caseworker_id=caseworker_id,
        first=_checked(day),
        count=1,
        step=1,
        viewer_staff_id=viewer_staff_id,
        now=now or now_utc(),
    )


def week_page(
    session: Session,
    *,
    caseworker_id: int | None,
    day: date,
    viewer_staff_id: int | None,
    now: datetime | None = None,
) -> CalendarPage:
    """The ISO week (Monday to Sunday) holding ``day``; as :func:`day_page` otherwise."""
    monday = week_monday(_checked(day))
    return _page(
        session,
        caseworker_id=caseworker_id,
        first=monday,
        count=7,
        step=7,
        viewer_staff_id=viewer_staff_id,
        now=now or now_utc(),
    )
