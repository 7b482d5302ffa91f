"""What a booking says to the citizen: calendar event, e-mail, SMS and reminder texts.

Plain functions over model objects (no request): the texts come from ``templates/emails/``
through :mod:`booking.services.letters`, dates in the job centre's time zone. Calendar files
and messages never carry a CPR number or case text: only time, place and how to reach the
job centre.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from ..models import Booking
from ..settings import Settings
from . import letters
from .ics import CalendarEvent, calendar_text
from .letters import Text

CHANNEL_DA = {
    "in_person": "Personligt fremmøde",
    "phone": "Telefonsamtale",
    "video": "Videosamtale",
}


def when_da(value: datetime) -> str:
    """E.g. "tirsdag 2. marts 2027 kl. 09:30" (local time)."""
    return letters.when(value)


def place_text(booking: Booking) -> str:
    """Where the conversation happens, in plain Danish."""
    slot = booking.slot
    if slot.channel.value == "phone":
        return "Telefonsamtale: jobcentret ringer til dig på dit telefonnummer"
    if slot.channel.value == "video":
        return "Videosamtale: du får et link fra jobcentret inden samtalen"
    return slot.location or "Jobcentret"


def _render(name: str, booking: Booking, settings: Settings, **extra: Any) -> Text:
    slot = booking.slot
    start = slot.starts_at
    context = {
        "citizen_name": booking.citizen.name,
        "municipality": settings.app.municipality,
        "when": when_da(start),
        "end": letters.clock_time(start + timedelta(minutes=slot.minutes)),
        "channel": CHANNEL_DA[slot.channel.value],
        "place": place_text(booking),
        "minutes": slot.minutes,
        **extra,
    }
    return letters.render(name, **context)


def confirmation(booking: Booking, settings: Settings, *, rebooked: bool) -> Text:
    return _render("booking_confirmation.txt", booking, settings, rebooked=rebooked)


def cancellation(booking: Booking, settings: Settings) -> Text:
    return _render("booking_cancelled.txt", booking, settings)


def reminder(booking: Booking, settings: Settings, hours: int) -> Text:
    return _render("booking_reminder.txt", booking, settings, hours=hours)


def sms_text(booking: Booking, settings: Settings, kind: str) -> str:
    """A short SMS (no links, no case text)."""
    return _render(f"sms_{kind}.txt", booking, settings).body.strip()


def calendar_event(booking: Booking, settings: Settings) -> CalendarEvent:
    slot = booking.slot
    municipality = settings.app.municipality
    _, organizer = parseaddr(settings.mail.sender)
    return CalendarEvent(
        uid=booking.ical_uid,
        sequence=booking.ical_sequence,
        start=slot.starts_at,
        end=slot.starts_at + timedelta(minutes=slot.minutes),
        summary=f"Samtale i jobcentret ({CHANNEL_DA[slot.channel.value].lower()})",
        location=place_text(booking),
        description=(
            f"Din samtale med jobcentret i {municipality}. "
            "Du kan flytte eller aflyse tiden via linket i dit brev."
        ),
        organizer_email=organizer or None,
    )


def booking_ics(booking: Booking, settings: Settings, method: str) -> str:
    """The booking as an iCalendar file: REQUEST (e-mail), PUBLISH (download) or CANCEL."""
    return calendar_text(calendar_event(booking, settings), method=method)
