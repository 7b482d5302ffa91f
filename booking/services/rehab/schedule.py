"""Meeting schedules, closures (also from .ics) and material due dates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import RehabClosure, RehabMeeting, RehabSchedule
from ..calendar_days import closed_days, is_working_day
from ..ics_import import ClosureImportError as ClosureImportError  # raised here
from ..ics_import import read_closure_events


def material_due(meeting_date: date, lead_days: int, closed: dict[date, str]) -> date:
    """The day the material must reach the region: meeting − lead days (calendar days),
    moved back to the previous working day when that falls on a weekend or holiday."""
    due = meeting_date - timedelta(days=lead_days)
    while not is_working_day(due, closed):
        due -= timedelta(days=1)
    return due


def effective_ready(
    ready: date, meeting_dates: Sequence[date], lead_days: int, closed: dict[date, str]
) -> date:
    """The ``ready`` to give the solver so that its rule ``meeting − lead ≥ ready`` admits
    exactly the meetings whose (working-day) material due date is on or after ``ready``.

    Due dates rise with meeting dates, so the admissible meetings are those from the first one
    whose due date is ≥ ready; its date − lead is the equivalent threshold.
    """
    ordered = sorted(meeting_dates)
    for meeting_date in ordered:
        if material_due(meeting_date, lead_days, closed) >= ready:
            return max(ready, meeting_date - timedelta(days=lead_days))
    if not ordered:
        return ready
    # no meeting can receive the material in time: a threshold after the last one
    return max(ready, ordered[-1] - timedelta(days=lead_days - 1))


def closed_between(start: date, end: date, optional: Sequence[str] = ()) -> dict[date, str]:
    return closed_days(range(start.year - 1, end.year + 2), optional)


def in_closure(day: date, closures: Iterable[RehabClosure]) -> RehabClosure | None:
    return next((c for c in closures if c.start_date <= day <= c.end_date), None)


@dataclass
class GeneratedMeetings:
    created: list[RehabMeeting]
    skipped: list[tuple[date, str]]  # (date, reason in Danish)


def generate_meetings(
    session: Session, start: date, weeks: int, *, optional_closed: Sequence[str] = ()
) -> GeneratedMeetings:
    """Create meetings from the schedules for ``weeks`` weeks from ``start``; existing dates
    are kept; public holidays and closures are skipped (and reported). Runs in the caller's
    transaction."""
    end = start + timedelta(weeks=weeks)
    holidays = closed_between(start, end, optional_closed)
    closures = list(session.scalars(select(RehabClosure)))
    schedules = list(session.scalars(select(RehabSchedule)))
    existing = set(
        session.scalars(
            select(RehabMeeting.date).where(RehabMeeting.date >= start, RehabMeeting.date < end)
        )
    )
    result = GeneratedMeetings([], [])
    day = start
    while day < end:
        for sch in schedules:
            if sch.weekday != day.weekday() or day < sch.valid_from:
                continue
            if sch.valid_to is not None and day > sch.valid_to:
                continue
            if day in existing:
                continue
            if day in holidays:
                result.skipped.append((day, holidays[day]))
                continue
            closure = in_closure(day, closures)
            if closure is not None:
                result.skipped.append((day, closure.reason))
                continue
            meeting = RehabMeeting(date=day, capacity=sch.capacity, location=sch.location)
            session.add(meeting)
            existing.add(day)
            result.created.append(meeting)
        day += timedelta(days=1)
    session.flush()
    return result


def import_closures(session: Session, data: bytes) -> list[RehabClosure]:
    """Closures from the VEVENTs of an .ics file (all-day DTEND is exclusive); re-importing
    the same UID updates the closure instead of adding another. Every event is checked before
    the first is written (:func:`~booking.services.ics_import.read_closure_events`); a file
    with one bad event raises :class:`ClosureImportError` and changes nothing. Runs in the
    caller's transaction."""
    events = read_closure_events(data)
    imported = []
    for event in events:
        closure = None
        if event.uid:
            closure = session.scalar(select(RehabClosure).where(RehabClosure.ics_uid == event.uid))
        if closure is None:
            closure = RehabClosure(
                ics_uid=event.uid, start_date=event.start, end_date=event.end, reason=event.reason
            )
            session.add(closure)
        else:
            closure.start_date, closure.end_date = event.start, event.end
            closure.reason = event.reason
        imported.append(closure)
    session.flush()
    return imported


def cancel_meetings_in_closures(session: Session, today: date) -> list[RehabMeeting]:
    """Meetings from today on that fall in a closure and hold no case are removed. Runs in
    the caller's transaction."""
    closures = list(session.scalars(select(RehabClosure)))
    removed = []
    for meeting in session.scalars(select(RehabMeeting).where(RehabMeeting.date >= today)):
        if in_closure(meeting.date, closures) and not meeting.cases:
            session.delete(meeting)
            removed.append(meeting)
    session.flush()
    return removed
