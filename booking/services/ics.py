"""iCalendar (RFC 5545) events for bookings, with the icalendar 7 API.

A booking keeps one UID for its life; each change raises SEQUENCE. Events carry a
VTIMEZONE for the configured zone and local times, and never a CPR number or case text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from icalendar import Calendar, Event, Timezone

from .clock import now_utc, zone


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    location: str | None = None
    description: str | None = None
    organizer_email: str | None = None


def calendar_text(event: CalendarEvent, *, method: str = "REQUEST") -> str:
    """One VCALENDAR with one VEVENT. ``method``: REQUEST, PUBLISH or CANCEL."""
    tz = zone()
    cal = Calendar()
    cal.add("prodid", "-//Rettidig//Jobcenter booking//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    start = event.start.astimezone(tz)
    end = event.end.astimezone(tz)
    # a whole year on each side, so the VTIMEZONE carries real STANDARD/DAYLIGHT rules
    cal.add_component(
        Timezone.from_tzid(
            tz.key, first_date=date(start.year - 1, 1, 1), last_date=date(end.year + 1, 12, 31)
        )
    )
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", now_utc())
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    if event.organizer_email:
        vevent.add("organizer", f"mailto:{event.organizer_email}")
    if method == "CANCEL":
        vevent.add("status", "CANCELLED")
    else:
        vevent.add("status", "CONFIRMED")
    cal.add_component(vevent)
    text: str = cal.to_ical().decode("utf-8")
    return text
