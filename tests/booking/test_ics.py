"""Calendar files real calendars accept: RFC 5545 parsed back by icalendar and by vobject,
VTIMEZONE Europe/Copenhagen with its transitions where RFC 5545 puts them (read by both as a
time zone of its own), correct local times across the 2027 DST changes, iTIP (RFC 5546)
ORGANIZER and ATTENDEE, no CPR or case text."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import select

from booking.db import db
from booking.models import OutboxChannel, OutboxMessage
from booking.services import booking_mail, reservations
from booking.services.calendar_days import local_datetime
from booking.services.ics import NO_ADDRESS, CalendarEvent, ItipError, calendar_text
from tests import factories

from .conftest import add_obligation, add_slot

CPH = ZoneInfo("Europe/Copenhagen")
ORGANIZER = "jobcenter@demo.invalid"

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
            organizer_email=ORGANIZER,
            attendee_email="borger@example.org",
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
        CalendarEvent(
            "u1@rettidig",
            0,
            start,
            start + timedelta(minutes=45),
            "Samtale",
            organizer_email=ORGANIZER,
        ),
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


# --- the VTIMEZONE's transitions, read by two other parsers -----------------------------------

H = timedelta(hours=1)
# (instant in UTC, local wall time, UTC offset there): both sides of each 2027 change; the
# autumn hour 02:00-03:00 comes twice (first in summer time, then in standard time)
AROUND_CHANGES = [
    (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), datetime(2027, 3, 28, 1, 30), 1 * H),
    (datetime(2027, 3, 28, 1, 30, tzinfo=UTC), datetime(2027, 3, 28, 3, 30), 2 * H),
    (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 10, 31, 2, 30), 2 * H),
    (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), datetime(2027, 10, 31, 2, 30), 1 * H),
]


def _event(start: datetime, **extra) -> CalendarEvent:
    return CalendarEvent(
        "dst@rettidig",
        1,
        start,
        start + timedelta(minutes=30),
        "Samtale",
        organizer_email=ORGANIZER,
        **extra,
    )


def test_vtimezone_onsets_are_local_time_before_the_change():
    """RFC 5545 3.6.5: DTSTART of an observance is the local time in TZOFFSETFROM: summer time
    begins at 02:00 standard time (→ 03:00), standard time at 03:00 summer time (→ 02:00)."""
    cal = Calendar.from_ical(calendar_text(_event(AROUND_CHANGES[0][0]), method="PUBLISH"))
    tz = cal.walk("VTIMEZONE")[0]
    daylight, standard = tz.walk("DAYLIGHT"), tz.walk("STANDARD")
    assert len(daylight) == 1 and len(standard) == 1
    assert daylight[0].decoded("DTSTART").time() == time(2, 0)
    assert daylight[0]["TZOFFSETFROM"].to_ical() == "+0100"
    assert daylight[0]["TZOFFSETTO"].to_ical() == "+0200"
    assert standard[0].decoded("DTSTART").time() == time(3, 0)
    assert standard[0]["TZOFFSETFROM"].to_ical() == "+0200"
    assert standard[0]["TZOFFSETTO"].to_ical() == "+0100"
    assert str(daylight[0]["TZNAME"]) == "CEST" and str(standard[0]["TZNAME"]) == "CET"
    # a yearly rule, as the tz database has it: the last Sunday of March and of October
    assert daylight[0]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert standard[0]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"


@pytest.mark.parametrize(("instant", "wall", "offset"), AROUND_CHANGES)
def test_the_vtimezone_places_instants_around_each_change(instant, wall, offset):
    """The VTIMEZONE alone (not the TZID looked up in a tz database) as a time zone, in
    icalendar's and vobject's readings: UTC → local and local → UTC on both sides of each
    change, the repeated autumn hour by its fold."""
    text = calendar_text(_event(instant), method="PUBLISH")
    fold = 1 if (wall.month, wall.hour, offset) == (10, 2, H) else 0
    assert wall.replace(tzinfo=CPH, fold=fold).astimezone(UTC) == instant  # the tz database
    readings = [
        Calendar.from_ical(text).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False),
        vobject.readOne(text).vtimezone.gettzinfo(),
    ]
    for tz in readings:
        local = instant.astimezone(tz)
        assert local.replace(tzinfo=None) == wall
        assert local.utcoffset() == offset
        assert wall.replace(tzinfo=tz, fold=fold).astimezone(UTC) == instant


@pytest.mark.parametrize(("instant", "wall", "offset"), AROUND_CHANGES)
def test_events_around_each_change_are_read_back_at_their_instant(instant, wall, offset):
    """The event's own DTSTART as icalendar and vobject read it (vobject through the file's
    VTIMEZONE); the second 02:30 of the autumn night is written in UTC (a local time with
    TZID means the first occurrence, RFC 5545 3.3.5)."""
    text = calendar_text(_event(instant, attendee_email="b@example.org"), method="REQUEST")
    ical_start = Calendar.from_ical(text).events[0].decoded("DTSTART")
    v_start = vobject.readOne(text).vevent.dtstart.value
    for start in (ical_start, v_start):
        assert start.astimezone(UTC) == instant
    second = wall.hour == 2 and offset == H
    vevent = text[text.index("BEGIN:VEVENT") :]
    line = next(ln for ln in vevent.split("\r\n") if ln.startswith("DTSTART"))
    assert line == (
        f"DTSTART:{instant:%Y%m%dT%H%M%S}Z"
        if second
        else f"DTSTART;TZID=Europe/Copenhagen:{wall:%Y%m%dT%H%M%S}"
    )


# --- iTIP (RFC 5546): ORGANIZER always, ATTENDEE on REQUEST and CANCEL ------------------------


def _vevent(text: str):
    return vobject.readOne(text).vevent


def test_calendar_text_refuses_what_rfc5546_forbids():
    start = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    with pytest.raises(ItipError):
        calendar_text(CalendarEvent("u", 0, start, start + H, "S"), method="PUBLISH")
    for method in ("REQUEST", "CANCEL"):
        with pytest.raises(ItipError):
            calendar_text(_event(start), method=method)
    with pytest.raises(ItipError):
        calendar_text(_event(start, attendee_email="b@example.org"), method="REPLY")
    published = _vevent(calendar_text(_event(start, attendee_email="b@x.org"), method="PUBLISH"))
    assert "attendee" not in published.contents  # RFC 5546 3.2.1: no ATTENDEE in PUBLISH


def test_booking_mails_name_the_job_centre_and_the_citizen(session, world, settings):
    booking = reservations.book(
        session,
        citizen_id=world.citizen.id,
        obligation_id=world.ob.id,
        slot_id=world.slots[0].id,
        request_key="itip",
        settings=settings,
    ).booking
    reservations.cancel(
        session, citizen_id=world.citizen.id, booking_id=booking.id, settings=settings
    )
    mails = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel == OutboxChannel.email, OutboxMessage.ics.is_not(None))
        .order_by(OutboxMessage.id)
    ).all()
    assert [m.ics_method for m in mails] == ["REQUEST", "CANCEL"]
    name, address = parseaddr(settings.mail.sender)
    for mail in mails:
        cal = vobject.readOne(mail.ics)
        assert cal.method.value == mail.ics_method
        event = cal.vevent
        assert event.organizer.value == f"mailto:{address}"
        assert event.organizer.params["CN"] == [name]
        attendees = event.contents["attendee"]
        assert [a.value for a in attendees] == [f"mailto:{world.citizen.email}"]
        assert mail.recipient == world.citizen.email
        assert "CN" not in attendees[0].params  # no name in a calendar file
        assert event.uid.value == booking.ical_uid
    request, cancel = _vevent(mails[0].ics), _vevent(mails[1].ics)
    assert cancel.status.value == "CANCELLED"
    assert int(cancel.sequence.value) > int(request.sequence.value)


def test_a_moved_booking_keeps_its_uid_and_raises_sequence(session, world, settings):
    """An update (RFC 5546 3.2.2.1) has the same UID and a higher SEQUENCE, then a CANCEL
    higher again: a mail client applies each over the one before."""
    booking = reservations.book(
        session,
        citizen_id=world.citizen.id,
        obligation_id=world.ob.id,
        slot_id=world.slots[0].id,
        request_key="seq-1",
        settings=settings,
    ).booking
    reservations.rebook(
        session,
        citizen_id=world.citizen.id,
        booking_id=booking.id,
        slot_id=world.slots[1].id,
        request_key="seq-2",
        settings=settings,
    )
    reservations.cancel(
        session, citizen_id=world.citizen.id, booking_id=booking.id, settings=settings
    )
    mails = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel == OutboxChannel.email, OutboxMessage.ics.is_not(None))
        .order_by(OutboxMessage.id)
    ).all()
    assert [m.ics_method for m in mails] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [vobject.readOne(m.ics).vevent for m in mails]
    assert {e.uid.value for e in events} == {booking.ical_uid}
    sequences = [int(e.sequence.value) for e in events]
    assert sequences == sorted(set(sequences)), sequences
    starts = [e.dtstart.value.astimezone(UTC) for e in events]
    assert starts[0] == world.slots[0].starts_at.astimezone(UTC)
    assert starts[1] == starts[2] == world.slots[1].starts_at.astimezone(UTC)
    for event in events:
        assert [a.value for a in event.contents["attendee"]] == [f"mailto:{world.citizen.email}"]


def test_a_citizen_without_e_mail_is_named_as_attendee_by_digital_post(session, world, settings):
    """No e-mail address: the Digital Post letter is still a REQUEST (and a CANCEL), the
    ATTENDEE the citizen's name with ``invalid:nomail``, which both parsers read."""
    citizen = world.citizen
    citizen.email = None
    citizen.phone = None
    session.commit()
    booking = reservations.book(
        session,
        citizen_id=citizen.id,
        obligation_id=world.ob.id,
        slot_id=world.slots[0].id,
        request_key="dp",
        settings=settings,
    ).booking
    reservations.cancel(session, citizen_id=citizen.id, booking_id=booking.id, settings=settings)
    letters = session.scalars(
        select(OutboxMessage).where(OutboxMessage.ics.is_not(None)).order_by(OutboxMessage.id)
    ).all()
    assert [(m.channel, m.ics_method) for m in letters] == [
        (OutboxChannel.digital_post, "REQUEST"),
        (OutboxChannel.digital_post, "CANCEL"),
    ]
    for letter in letters:
        cal = vobject.readOne(letter.ics)
        assert cal.method.value == letter.ics_method
        assert cal.vevent.organizer.value.startswith("mailto:")
        (attendee,) = cal.vevent.contents["attendee"]
        assert attendee.value == NO_ADDRESS and attendee.params["CN"] == [citizen.name]
        other = Calendar.from_ical(letter.ics).events[0]
        assert str(other["ATTENDEE"]) == NO_ADDRESS
        assert other["ATTENDEE"].params["CN"] == citizen.name
        assert other["UID"] == booking.ical_uid
    assert vobject.readOne(letters[1].ics).vevent.status.value == "CANCELLED"
    download = vobject.readOne(booking_mail.booking_ics(booking, settings, "PUBLISH"))
    assert download.method.value == "PUBLISH" and "attendee" not in download.vevent.contents


def test_call_in_letters_carry_organizer_and_attendee(app):
    from tests.callin.helpers import build

    world = build(app, citizens=2)
    sender = app.extensions["rettidig_settings"].mail.sender
    with app.app_context(), db.fresh_session() as s:
        letters = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert len(letters) == 2 and {m.citizen_id for m in letters} == set(world.citizen_ids)
        for letter in letters:
            cal = vobject.readOne(letter.ics)
            assert cal.method.value == letter.ics_method == "REQUEST"
            assert cal.vevent.organizer.value == f"mailto:{parseaddr(sender)[1]}"
            assert [a.value for a in cal.vevent.contents["attendee"]] == [
                f"mailto:{letter.recipient}"
            ]
