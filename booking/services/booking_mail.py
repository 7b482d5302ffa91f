"""What a booking says to the citizen: calendar event, e-mail, SMS and reminder texts.

Plain functions over model objects (no request): every word comes from ``templates/emails/``
(``_booking_words.txt`` names the channel and the place; ``booking_calendar.txt`` is the
calendar event's summary and description) through :mod:`booking.services.letters`, in the
citizen's own language (``Citizen.language``), dates in the job centre's time zone. A moved
booking says so ("flyttet"), with the old time and the new. Calendar files and messages never
carry a CPR number or case text: only time, place and how to reach the job centre.
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

WORDS = "_booking_words.txt"


def locale_of(booking: Booking) -> str:
    """The language the citizen reads (their ``language``; Danish unless one we write)."""
    return letters.language(booking.citizen.language)


def channel_name(booking: Booking) -> str:
    """How the conversation is held, as the letters say it (e.g. "Telefonsamtale")."""
    return letters.phrase(
        WORDS, "channel_name", booking.slot.channel.value, locale=locale_of(booking)
    )


def place_text(booking: Booking) -> str:
    """Where the conversation happens, as the letters and the calendar file say it."""
    slot = booking.slot
    return letters.phrase(
        WORDS, "place", slot.channel.value, slot.location, locale=locale_of(booking)
    )


def _render(name: str, booking: Booking, settings: Settings, **extra: Any) -> Text:
    slot = booking.slot
    start = slot.starts_at
    locale = locale_of(booking)
    context = {
        "citizen_name": booking.citizen.name,
        "municipality": settings.app.municipality,
        "when": letters.when(start, locale),
        "end": letters.clock_time(start + timedelta(minutes=slot.minutes), locale),
        "channel": channel_name(booking),
        "place": place_text(booking),
        "minutes": slot.minutes,
        **extra,
    }
    return letters.render(name, locale=locale, **context)


def _moved(booking: Booking, rebooked: bool, moved_from: datetime | None) -> dict[str, Any]:
    """A moved booking's words: "flyttet", and the old time when it is known."""
    old = letters.when(moved_from, locale_of(booking)) if moved_from is not None else None
    return {"rebooked": rebooked, "moved_from": old}


def confirmation(
    booking: Booking, settings: Settings, *, rebooked: bool, moved_from: datetime | None = None
) -> Text:
    """The e-mail (or letter) of a new booking, or of a moved one (``rebooked``: "flyttet",
    from ``moved_from``, the old start, to the new time)."""
    return _render(
        "booking_confirmation.txt", booking, settings, **_moved(booking, rebooked, moved_from)
    )


def cancellation(booking: Booking, settings: Settings) -> Text:
    return _render("booking_cancelled.txt", booking, settings)


def reminder(booking: Booking, settings: Settings, hours: int) -> Text:
    return _render("booking_reminder.txt", booking, settings, hours=hours)


def sms_text(
    booking: Booking,
    settings: Settings,
    kind: str,
    *,
    rebooked: bool = False,
    moved_from: datetime | None = None,
) -> str:
    """A short SMS (no links, no case text); a moved booking's confirmation says "flyttet"."""
    extra = _moved(booking, rebooked, moved_from)
    return _render(f"sms_{kind}.txt", booking, settings, **extra).body.strip()


def calendar_event(booking: Booking, settings: Settings) -> CalendarEvent:
    """The booking as a calendar event: the job centre (``[mail] sender``) is the ORGANIZER,
    the citizen the ATTENDEE (their e-mail address, else their name); no CPR number or case
    text."""
    slot = booking.slot
    words = letters.render(
        "booking_calendar.txt",
        locale=locale_of(booking),
        channel=slot.channel.value,
        municipality=settings.app.municipality,
    )
    name, organizer = parseaddr(settings.mail.sender)
    return CalendarEvent(
        uid=booking.ical_uid,
        sequence=booking.ical_sequence,
        start=slot.starts_at,
        end=slot.starts_at + timedelta(minutes=slot.minutes),
        summary=words.subject,
        location=place_text(booking),
        description=words.body.strip(),
        organizer_email=organizer or None,
        organizer_name=name or None,
        attendee_email=booking.citizen.email or None,
        attendee_name=booking.citizen.name,
    )


def booking_ics(booking: Booking, settings: Settings, method: str) -> str:
    """The booking as an iCalendar file: REQUEST (a letter), PUBLISH (download) or CANCEL."""
    return calendar_text(calendar_event(booking, settings), method=method)
