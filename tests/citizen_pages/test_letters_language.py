"""Letters, SMS and calendar texts in the citizen's own language (``Citizen.language``), and a
moved booking that says "flyttet" with the old time and the new (issue 16). The services render
them without Flask: Babel's catalogue from booking/translations, loaded by letters.py."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from booking.models import OutboxChannel, OutboxMessage
from booking.services import booking_mail, letters, reservations
from tests.booking.catalogue import english_or_skip

NEW_MSGIDS = {
    "moved_subject": "Din samtale er flyttet – %(when)s",
    "moved_sms": "Jobcentret: Din samtale er flyttet fra %(old)s til %(when)s. %(channel)s. "
    "Flyt eller aflys via linket i dit brev.",
    "dear": "Kære %(name)s",
    "callin": "Du er indkaldt til en samtale i jobcentret.",
}


def _messages(session, citizen_id: int) -> list[OutboxMessage]:
    session.rollback()
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.citizen_id == citizen_id)
            .order_by(OutboxMessage.id)
        )
    )


def _book_and_move(session, world, settings):
    booked = reservations.book(
        session,
        citizen_id=world.citizen.id,
        obligation_id=world.ob.id,
        slot_id=world.slots[0].id,
        request_key=None,
        settings=settings,
    )
    return reservations.rebook(
        session,
        citizen_id=world.citizen.id,
        booking_id=booked.booking.id,
        slot_id=world.slots[3].id,
        request_key=None,
        settings=settings,
    )


def test_dates_are_written_in_the_letters_language():
    at = datetime(2027, 3, 2, 8, 30, tzinfo=UTC)  # 09:30 in Copenhagen
    assert letters.when(at) == "tirsdag 2. marts 2027 kl. 09:30"
    assert letters.when(at, "en") == "Tuesday 2 March 2027 at 09:30"
    assert letters.long_day(at.date(), "en") == "Tuesday 2 March 2027"
    assert letters.language("en") == "en" and letters.language("EN-gb") == "en"
    assert letters.language("de") == "da" and letters.language(None) == "da"


def test_a_moved_booking_says_flyttet_with_the_old_and_the_new_time(session, world, settings):
    moved = _book_and_move(session, world, settings)
    old = letters.when(world.slots[0].starts_at)
    new = letters.when(world.slots[3].starts_at)
    sms = [m for m in _messages(session, world.citizen.id) if m.channel == OutboxChannel.sms]
    confirmations = [m.body for m in sms if m.subject == "confirmation"]
    assert confirmations[0].startswith("Jobcentret: Din samtale er booket ")
    assert confirmations[-1] == (
        f"Jobcentret: Din samtale er flyttet fra {old} til {new}. Videosamtale. "
        "Flyt eller aflys via linket i dit brev."
    )
    key = f"booking:{moved.booking.id}:1:email"
    mails = [m for m in _messages(session, world.citizen.id) if m.dedupe_key == key]
    assert mails[0].subject == f"Din samtale er flyttet – {new}"
    assert f"Din samtale med jobcentret er flyttet fra {old} til en ny tid." in mails[0].body
    assert f"Tidligere tid: {old} (gælder ikke længere)" in mails[0].body
    assert "Ny tid: " + new in mails[0].body


def test_an_english_citizen_gets_english_letters_and_sms(session, world, settings):
    world.citizen.language = "en"
    session.commit()
    moved = _book_and_move(session, world, settings)
    messages = _messages(session, world.citizen.id)
    old = letters.when(world.slots[0].starts_at, "en")
    new = letters.when(world.slots[3].starts_at, "en")
    sms = [
        m.body for m in messages if m.channel == OutboxChannel.sms and m.subject == "confirmation"
    ]
    channel = english_or_skip("Videosamtale")
    assert sms[-1] == english_or_skip(NEW_MSGIDS["moved_sms"]) % {
        "old": old, "when": new, "channel": channel
    }
    key = f"booking:{moved.booking.id}:1:email"
    mail = next(m for m in messages if m.dedupe_key == key)
    reminders = [m for m in messages if m.dedupe_key.startswith("reminder:")]
    assert reminders and all("Kære" not in m.body and "kl." not in m.subject for m in reminders)
    assert mail.subject == english_or_skip(NEW_MSGIDS["moved_subject"]) % {"when": new}
    assert mail.body.startswith(english_or_skip(NEW_MSGIDS["dear"]) % {"name": world.citizen.name})
    for danish in ("Kære", "Venlig hilsen", "Jobcentret", "kl.", "marts", "tirsdag"):
        assert danish not in mail.body and all(danish not in body for body in sms), danish
    assert "SUMMARY:Samtale" not in (mail.ics or "")  # the calendar file in English too


def test_the_calendar_download_and_call_in_letters_follow_the_language(session, world, settings):
    booked = reservations.book(
        session,
        citizen_id=world.citizen.id,
        obligation_id=world.ob.id,
        slot_id=world.slots[1].id,
        request_key=None,
        settings=settings,
    )
    danish = booking_mail.booking_ics(booked.booking, settings, "PUBLISH")
    assert "SUMMARY:Samtale i jobcentret (telefonsamtale)" in danish
    booked.booking.citizen.language = "en"
    english = booking_mail.booking_ics(booked.booking, settings, "PUBLISH")
    assert "SUMMARY:Samtale" not in english and "telefonsamtale" not in english
    context = {
        "citizen_name": "Borger", "day": letters.long_day(world.slots[1].starts_at.date(), "en"),
        "t0": "09:00", "t1": "11:00", "location": "Jobcenter Test", "minutes": 20,
        "municipality": "Testby",
    }
    invitation = letters.render("callin_invitation.txt", locale="en", **context)
    assert english_or_skip(NEW_MSGIDS["callin"]) in invitation.body
    assert "Kære" not in invitation.body and " kl. " not in invitation.subject
    assert letters.render("callin_invitation.txt", **context).body.startswith("Kære Borger")
