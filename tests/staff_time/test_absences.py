"""Absences: entered or imported from .ics (whole or not at all, re-import updates by UID),
free time inside closed, and the booked conversations inside listed and — on request — handed
to re-planning: cancelled by the job centre, the citizen told, the obligation open, an event
re-plan queued for the unit."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest
from sqlalchemy import func, select

from booking.db import db
from booking.models import (
    Absence,
    AuditEntry,
    Booking,
    BookingState,
    CancelledBy,
    OutboxMessage,
    PlanRun,
    Slot,
)
from booking.services.calendar_days import local_datetime
from booking.services.clock import today_local
from booking.services.errors import NotFound
from booking.services.staff_time.absence_ics import AbsenceImportError
from booking.services.staff_time.absences import (
    AbsenceError,
    absence_page,
    add_absence,
    hand_over,
    import_absences,
    window,
)

from .conftest import at

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Absences//DA
BEGIN:VEVENT
UID:ferie-1@example.org
DTSTAMP:20261101T090000Z
DTSTART;VALUE=DATE:{day}
DTEND;VALUE=DATE:{next_day}
SUMMARY:Ferie
END:VEVENT
BEGIN:VEVENT
UID:kursus-1@example.org
DTSTAMP:20261101T090000Z
DTSTART:{later}T130000
DTEND:{later}T150000
SUMMARY:Kursus
END:VEVENT
BEGIN:VEVENT
UID:aflyst@example.org
DTSTAMP:20261101T090000Z
DTSTART:{later}T080000Z
DTEND:{later}T090000Z
STATUS:CANCELLED
SUMMARY:Aflyst møde
END:VEVENT
END:VCALENDAR
"""


def _ics(days: int = 3) -> bytes:
    day = today_local() + timedelta(days=days)
    later = day + timedelta(days=7)
    return ICS.format(day=f"{day:%Y%m%d}", next_day=f"{day + timedelta(days=1):%Y%m%d}",
                      later=f"{later:%Y%m%d}").replace("\n", "\r\n").encode()


def test_window_all_day_and_timed():
    day = date(2027, 3, 22)
    start, end = window(day, None, day + timedelta(days=2), None)
    assert start == local_datetime(day, time()).astimezone(UTC)
    assert end == local_datetime(day + timedelta(days=3), time()).astimezone(UTC)
    start, end = window(day, time(9), day, time(12))
    assert end - start == timedelta(hours=3)
    with pytest.raises(AbsenceError) as caught:
        window(day, time(12), day, time(9))
    assert caught.value.code == "bad_window"


def test_an_absence_closes_free_time_and_lists_the_booking_and_the_shift(app, world):
    with app.app_context(), db.fresh_session() as s:
        absence_id = add_absence(s, world.cw_id, at(2, 0), at(4, 0), "Kursus", staff_id=None)
    with app.app_context(), db.fresh_session() as s:
        assert s.get(Slot, world.free_slot_id) is None  # free 11.00 time inside: removed
        assert s.get(Slot, world.booked_slot_id) is not None
        page = absence_page(s, world.cw_id, absence_id)
        assert [b.booking_id for b in page.bookings] == [world.booking_id]
        assert page.bookings[0].citizen_name == world.citizen_name
        assert page.bookings[0].obligation_label == "2. jobsamtale"
        assert [x.session_id for x in page.shifts] == [world.session_id]
        # the booking is not touched by the absence alone
        assert s.get(Booking, world.booking_id).state == BookingState.booked
        with pytest.raises(NotFound):
            absence_page(s, world.other_cw_id, absence_id)


def test_handing_over_cancels_tells_the_citizen_reopens_and_queues_a_replan(app, world):
    settings = app.extensions["rettidig_settings"]
    started: list[tuple[int, str]] = []
    with app.app_context(), db.fresh_session() as s:
        absence_id = add_absence(s, world.cw_id, at(3, 8), at(3, 16), None, staff_id=None)
        done = hand_over(s, world.cw_id, absence_id, staff_id=None, settings=settings,
                         schedule=lambda run_id, trigger: started.append((run_id, trigger)))
    assert [b.booking_id for b in done.cancelled] == [world.booking_id]
    assert done.unit_ids == [world.unit_id] and not done.replan_refused
    with app.app_context(), db.fresh_session() as s:
        booking = s.get(Booking, world.booking_id)
        assert booking.state == BookingState.cancelled
        assert booking.cancelled_by == CancelledBy.jobcentre and booking.ical_sequence == 1
        assert s.get(Slot, world.booked_slot_id).self_bookable is False
        assert booking.obligation.state.value == "open"
        letters = list(s.scalars(select(OutboxMessage).where(
            OutboxMessage.citizen_id == world.citizen_id)))
        # the citizen has an e-mail address: the cancellation goes with a CANCEL .ics
        assert [m.ics_method for m in letters if m.ics_method] == ["CANCEL"]
        assert "METHOD:CANCEL" in next(m.ics for m in letters if m.ics)
        run = s.scalars(select(PlanRun).where(PlanRun.unit_id == world.unit_id)).one()
        assert run.trigger.value == "event"
        event = run.trigger_detail["events"][0]
        assert event["reason"] == "caseworker_absence" and event["absence_id"] == absence_id
        assert event["bookings"][0]["obligation_id"] == world.ob_id
        assert started == [(run.id, "event")]
        audit = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "booking_cancelled_for_absence")).one()
        assert audit.citizen_id == world.citizen_id
        # nothing left to hand over
        assert absence_page(s, world.cw_id, absence_id).bookings == []


def test_import_reads_all_day_and_timed_events_and_updates_on_reimport(app, world):
    with app.app_context(), db.fresh_session() as s:
        first = import_absences(s, world.cw_id, _ics(), staff_id=None)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert first.affected == 1  # the holiday day holds the booked conversation
    with app.app_context(), db.fresh_session() as s:
        rows = {a.ics_uid: a for a in s.scalars(select(Absence))}
        assert set(rows) == {"ferie-1@example.org", "kursus-1@example.org"}  # cancelled: out
        holiday = rows["ferie-1@example.org"]
        day = today_local() + timedelta(days=3)
        assert holiday.starts_at == local_datetime(day, time()).astimezone(UTC)
        assert holiday.ends_at == local_datetime(day + timedelta(days=1), time()).astimezone(UTC)
        course = rows["kursus-1@example.org"]
        assert course.starts_at == local_datetime(day + timedelta(days=7), time(13)).astimezone(UTC)
        assert course.reason == "Kursus"
    moved = _ics().replace(b"T150000", b"T160000")
    with app.app_context(), db.fresh_session() as s:
        again = import_absences(s, world.cw_id, moved, staff_id=None)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count()).select_from(Absence)) == 2


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"this is not a calendar", "not_icalendar"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no_events"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20270301T090000\r\n"
         b"DTEND:20270301T100000\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
         "ics_recurring"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART:20270301T090000\r\n"
         b"DTEND:20270301T080000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "ics_end_before_start"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:c\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
         b"END:VCALENDAR\r\n", "ics_no_start"),
    ],
)
def test_a_bad_file_is_refused_whole(app, world, data, code):
    good_then_bad = data
    if code == "ics_end_before_start":  # a good event first: it must not be stored either
        good_then_bad = data.replace(
            b"BEGIN:VEVENT", b"BEGIN:VEVENT\r\nUID:ok\r\nDTSTART;VALUE=DATE:20270301\r\n"
            b"END:VEVENT\r\nBEGIN:VEVENT", 1)
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(AbsenceImportError) as caught:
            import_absences(s, world.cw_id, good_then_bad, staff_id=None)
    assert caught.value.code == code
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count()).select_from(Absence)) == 0


def test_an_absence_without_bookings_hands_over_nothing(app, world):
    with app.app_context(), db.fresh_session() as s:
        absence_id = add_absence(s, world.cw_id, at(10, 8), at(10, 16), "Ferie", staff_id=None)
        done = hand_over(s, world.cw_id, absence_id, staff_id=None,
                         settings=app.extensions["rettidig_settings"], schedule=lambda *a: None)
    assert done.cancelled == [] and done.unit_ids == []
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count()).select_from(PlanRun)) == 0
        assert s.get(Booking, world.booking_id).state == BookingState.booked
