"""Calendar files real calendars accept: RFC 5545 parsed back by icalendar and by vobject,
VTIMEZONE Europe/Copenhagen, correct local times across the 2027 DST changes, no CPR or case
text."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from booking.services import booking_mail, reservations
from booking.services.calendar_days import local_datetime
from booking.services.ics import CalendarEvent, calendar_text
from tests import factories

from .conftest import add_obligation, add_slot

CPH = ZoneInfo("Europe/Copenhagen")

# (local day, expected UTC hour of a 09:00 local start): the clocks change on 2027-03-28 and
# 2027-10-31.
DST_CASES = [
    (datetime(2027, 3, 26), 8),  # CET, UTC+1
    (datetime(2027, 3, 29), 7),  # CEST, UTC+2
    (datetime(2027, 10, 29), 7),  # CEST
    (datetime(2027, 11, 1), 8),  # CET again
]


@pytest.mark.parametrize(("day", "utc_hour"), DST_CASES)
def test_local_times_survive_the_daylight_saving_changes(day, utc_hour):
    start = local_datetime(day.date(), time(9, 0)).astimezone(UTC)
    assert start.hour == utc_hour
    text = calendar_text(
        CalendarEvent(
            uid="abc@rettidig",
            sequence=2,
            start=start,
            end=start + timedelta(minutes=30),
            summary="Samtale i jobcentret",
        ),
        method="REQUEST",
    )
    cal = Calendar.from_ical(text)
    event = cal.events[0]
    dtstart = event.decoded("DTSTART")
    assert (dtstart.hour, dtstart.minute) == (9, 0)
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert dtstart.astimezone(UTC) == start
    # VTIMEZONE with both rules, as Outlook and Google expect
    tz = next(c for c in cal.walk("VTIMEZONE"))
    assert str(tz["TZID"]) == "Europe/Copenhagen"
    assert tz.walk("STANDARD") and tz.walk("DAYLIGHT")
    # a second, independent parser agrees
    parsed = vobject.readOne(text)
    v_start = parsed.vevent.dtstart.value
    assert (v_start.hour, v_start.minute) == (9, 0)
    assert v_start.astimezone(UTC) == start
    assert int(parsed.vevent.sequence.value) == 2
    assert parsed.method.value == "REQUEST"


def test_required_rfc5545_properties_and_line_endings():
    start = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    text = calendar_text(
        CalendarEvent("u1@rettidig", 0, start, start + timedelta(minutes=45), "Samtale"),
        method="PUBLISH",
    )
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    event = cal.events[0]
    for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY"):
        assert prop in event


def test_booking_calendar_has_no_cpr_or_case_text(session, world, settings):
    citizen = world.citizen
    outcome = reservations.book(
        session,
        citizen_id=citizen.id,
        obligation_id=world.ob.id,
        slot_id=world.slots[0].id,
        request_key="k",
        settings=settings,
    )
    booking = outcome.booking
    for method in ("REQUEST", "PUBLISH", "CANCEL"):
        text = booking_mail.booking_ics(booking, settings, method)
        unfolded = text.replace("\r\n ", "")
        assert citizen.cpr_masked[:6] not in unfolded
        assert citizen.name not in unfolded
        assert world.ob.label_da not in unfolded and "cash_benefit" not in unfolded
        assert "kontanthjælp" not in unfolded.lower()
        event = vobject.readOne(text).vevent
        assert event.uid.value == booking.ical_uid
        assert event.location.value == "Jobcenter Test, Testvej 1"  # the place
    cancel = Calendar.from_ical(booking_mail.booking_ics(booking, settings, "CANCEL"))
    assert str(cancel.events[0]["STATUS"]) == "CANCELLED"


def test_phone_booking_says_the_job_centre_calls(session, world, settings):
    other = factories.citizen(session, world.unit, cw=world.cw)
    ob = add_obligation(session, other)
    start = local_datetime(ob.earliest + timedelta(days=6), time(11)).astimezone(UTC)
    slot = add_slot(session, world.cw, start, "phone")
    session.commit()
    booking = reservations.book(
        session,
        citizen_id=other.id,
        obligation_id=ob.id,
        slot_id=slot.id,
        request_key="p",
        settings=settings,
    ).booking
    event = Calendar.from_ical(booking_mail.booking_ics(booking, settings, "REQUEST")).events[0]
    assert "ringer til dig" in str(event["LOCATION"])
    assert event.decoded("DTSTART").astimezone(CPH).hour == 11
