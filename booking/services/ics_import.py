"""Reading closures from an uploaded iCalendar file: every event checked before anything is
written.

Each VEVENT must have a readable DTSTART (a date or a date-time, not a duration), an end that is
readable too (DTEND, or DURATION, or neither: one day), no end before its start, dates within
:data:`~booking.services.bounds.FIRST_DAY` … :data:`~booking.services.bounds.LAST_DAY`, a UID
the column can hold and no control characters in UID or SUMMARY. The first event that fails
stops the import with a :class:`ClosureImportError` naming it (number and summary or UID), so a
file is imported whole or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Calendar

from .bounds import FIRST_DAY, LAST_DAY
from .clock import zone
from .errors import ServiceError

UID_MAX = 255  # rehab_closures.ics_uid
REASON_MAX = 200  # rehab_closures.reason
NAME_SHOWN = 60  # characters of an event's name in a message
MAX_EVENTS = 2000
DEFAULT_REASON = "Lukket"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ClosureImportError(ServiceError):
    """The file cannot be imported; nothing was changed. Codes: ``not_icalendar``,
    ``no_events``, ``too_many_events`` (``max``); for one event (``n``: its number in the
    file, ``name``: its summary or UID): ``ics_no_start``, ``ics_bad_start``,
    ``ics_bad_end``, ``ics_bad_duration``, ``ics_end_before_start`` (``start``, ``end``),
    ``ics_out_of_range`` (``first``, ``last``), ``ics_uid_too_long`` (``max``),
    ``ics_control_characters``."""


@dataclass(frozen=True)
class ClosureEvent:
    """One checked event: inclusive first and last closed day."""

    start: date
    end: date
    reason: str
    uid: str | None


def read_closure_events(data: bytes) -> list[ClosureEvent]:
    """Every VEVENT of ``data``, checked; :class:`ClosureImportError` on the first problem."""
    events = read_vevents(data, ClosureImportError, most=MAX_EVENTS)
    return [_checked(n, event) for n, event in enumerate(events, start=1)]


def read_vevents(data: bytes, refuse: type[ServiceError], *, most: int) -> list[Any]:
    """The VEVENTs of an uploaded iCalendar file (closures here, absences in
    ``staff_time.absence_ics``): ``refuse`` raised with ``not_icalendar``, ``no_events`` or
    ``too_many_events`` (``max``) when the file is no calendar, empty or too long."""
    try:
        calendar = Calendar.from_ical(data)
    except Exception:  # noqa: BLE001 - whatever the parser trips over, the file is unreadable
        raise refuse("not_icalendar") from None
    if not isinstance(calendar, Calendar):
        raise refuse("not_icalendar")
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise refuse("no_events")
    if len(events) > most:
        raise refuse("too_many_events", max=most)
    return events


def _text(event: Any, name: str) -> str | None:
    value = event.get(name)
    if value is None:
        return None
    if isinstance(value, list):  # the property given twice: the first counts
        value = value[0]
    return str(value)


def _checked(n: int, event: Any) -> ClosureEvent:
    uid = _text(event, "UID") or None
    summary = _text(event, "SUMMARY")
    shown = _CONTROL.sub("", (summary or uid or "").strip())[:NAME_SHOWN] or "–"

    def refuse(code: str, **params: Any) -> ClosureImportError:
        return ClosureImportError(code, n=n, name=shown, **params)

    if any(_CONTROL.search(text) for text in (uid or "", summary or "")):
        raise refuse("ics_control_characters")
    if uid is not None and len(uid) > UID_MAX:
        raise refuse("ics_uid_too_long", max=UID_MAX)
    if event.get("DTSTART") is None:
        raise refuse("ics_no_start")
    raw_start = _instant(event, "DTSTART")
    if raw_start is None:
        raise refuse("ics_bad_start")
    start = _day(raw_start)
    if start is None or not FIRST_DAY <= start <= LAST_DAY:
        raise refuse("ics_out_of_range", first=FIRST_DAY.year, last=LAST_DAY.year)
    end = _end(event, raw_start, start, refuse)
    if not FIRST_DAY <= end <= LAST_DAY:
        raise refuse("ics_out_of_range", first=FIRST_DAY.year, last=LAST_DAY.year)
    if end < start:
        raise refuse("ics_end_before_start", start=start.isoformat(), end=end.isoformat())
    reason = (summary or "").strip()[:REASON_MAX] or DEFAULT_REASON
    return ClosureEvent(start=start, end=end, reason=reason, uid=uid)


def _end(event: Any, raw_start: date, start: date, refuse: Any) -> date:
    """The last closed day: an all-day DTEND (or DURATION) is exclusive, a timed one is not."""
    all_day = not isinstance(raw_start, datetime)
    if event.get("DTEND") is not None:
        raw_end = _instant(event, "DTEND")
        if raw_end is None:
            raise refuse("ics_bad_end")
        end = _day(raw_end)
        if end is None:
            raise refuse("ics_out_of_range", first=FIRST_DAY.year, last=LAST_DAY.year)
        if not isinstance(raw_end, datetime) and end > start:
            end -= timedelta(days=1)  # all-day DTEND is the day after
        return end
    if event.get("DURATION") is not None:
        try:
            length = event.decoded("DURATION")
        except Exception:  # noqa: BLE001 - an unreadable value is the file's problem
            raise refuse("ics_bad_duration") from None
        if not isinstance(length, timedelta) or length < timedelta(0):
            raise refuse("ics_bad_duration")
        if length > LAST_DAY - FIRST_DAY:
            raise refuse("ics_out_of_range", first=FIRST_DAY.year, last=LAST_DAY.year)
        try:
            finish = raw_start + length
        except OverflowError:
            raise refuse("ics_out_of_range", first=FIRST_DAY.year, last=LAST_DAY.year) from None
        day = _day(finish)
        if day is None:
            raise refuse("ics_out_of_range", first=FIRST_DAY.year, last=LAST_DAY.year)
        if all_day and length >= timedelta(days=1):
            day -= timedelta(days=1)
        return day
    return start


def _instant(event: Any, name: str) -> date | None:
    """The property's date or date-time; None when unreadable or of another kind (a duration,
    a time of day, a period)."""
    try:
        value = event.decoded(name)
    except Exception:  # noqa: BLE001 - icalendar raises several kinds for unreadable values
        return None
    return value if isinstance(value, date) else None


def _day(value: date) -> date | None:
    """The Copenhagen date of a date-time (a floating one as written); None out of range."""
    if not isinstance(value, datetime):
        return value
    try:
        return (value.astimezone(zone()) if value.tzinfo else value).date()
    except (OverflowError, ValueError):
        return None
