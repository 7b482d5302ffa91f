"""Reading absences from an uploaded iCalendar file (an export of the caseworker's own
calendar: holiday, course, leave), every event checked before anything is written.

Like the closures import (:mod:`booking.services.ics_import`) a file is taken whole or not at
all: the first event that fails stops the import with an :class:`AbsenceImportError` naming it
(number and summary or UID). An all-day event is absent from the start of its first day to
the start of the day after its last (DTEND of a date is exclusive); a timed one is absent from
DTSTART to DTEND (or DTSTART + DURATION). A floating time is local (Europe/Copenhagen).
Cancelled events (``STATUS:CANCELLED``) and free time (``TRANSP:TRANSPARENT``) are left out; a
repeating event (RRULE/RDATE) is refused rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..bounds import within
from ..calendar_days import local_datetime
from ..clock import zone
from ..errors import ServiceError
from ..ics_import import read_vevents

UID_MAX = 255  # absences.ics_uid
REASON_MAX = 200
NAME_SHOWN = 60
MAX_EVENTS = 2000
DEFAULT_REASON = "Fravær"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class AbsenceImportError(ServiceError):
    """The file cannot be imported; nothing was changed. Codes: ``not_icalendar``,
    ``no_events``, ``too_many_events`` (``max``); for one event (``n``, ``name``):
    ``ics_no_start``, ``ics_bad_start``, ``ics_bad_end``, ``ics_end_before_start``,
    ``ics_out_of_range``, ``ics_uid_too_long`` (``max``), ``ics_control_characters``,
    ``ics_recurring``."""


@dataclass(frozen=True)
class AbsenceEvent:
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC, after starts_at
    reason: str
    uid: str | None


def read_absence_events(data: bytes) -> list[AbsenceEvent]:
    """The absences of ``data``; :class:`AbsenceImportError` on the first problem."""
    events = read_vevents(data, AbsenceImportError, most=MAX_EVENTS)
    out = []
    for n, event in enumerate(events, start=1):
        checked = _checked(n, event)
        if checked is not None:
            out.append(checked)
    if not out:
        raise AbsenceImportError("no_events")
    return out


def _text(event: Any, name: str) -> str | None:
    value = event.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0]
    return str(value)


def _checked(n: int, event: Any) -> AbsenceEvent | None:
    uid = _text(event, "UID") or None
    summary = _text(event, "SUMMARY")
    shown = _CONTROL.sub("", (summary or uid or "").strip())[:NAME_SHOWN] or "–"

    def refuse(code: str, **params: Any) -> AbsenceImportError:
        return AbsenceImportError(code, n=n, name=shown, **params)

    if any(_CONTROL.search(text) for text in (uid or "", summary or "")):
        raise refuse("ics_control_characters")
    if uid is not None and len(uid) > UID_MAX:
        raise refuse("ics_uid_too_long", max=UID_MAX)
    if (_text(event, "STATUS") or "").upper() == "CANCELLED":
        return None
    if (_text(event, "TRANSP") or "").upper() == "TRANSPARENT":
        return None
    if event.get("RRULE") is not None or event.get("RDATE") is not None:
        raise refuse("ics_recurring")
    if event.get("DTSTART") is None:
        raise refuse("ics_no_start")
    start = _instant(event, "DTSTART")
    if start is None:
        raise refuse("ics_bad_start")
    if not within(_as_day(start)):
        raise refuse("ics_out_of_range")
    end = _end(event, start, refuse)
    if not within(_as_day(end)):
        raise refuse("ics_out_of_range")
    starts_at, ends_at = _aware(start), _aware(end)
    if ends_at <= starts_at:
        raise refuse("ics_end_before_start")
    reason = (summary or "").strip()[:REASON_MAX] or DEFAULT_REASON
    return AbsenceEvent(starts_at, ends_at, reason, uid)


def _instant(event: Any, name: str) -> date | None:
    try:
        value = event.decoded(name)
    except Exception:  # noqa: BLE001 - icalendar raises several kinds for unreadable values
        return None
    return value if isinstance(value, date) else None


def _end(event: Any, start: date, refuse: Any) -> date:
    all_day = not isinstance(start, datetime)
    if event.get("DTEND") is not None:
        end = _instant(event, "DTEND")
        if end is None or isinstance(end, datetime) == all_day:
            raise refuse("ics_bad_end")
        return end
    if event.get("DURATION") is not None:
        try:
            length = event.decoded("DURATION")
        except Exception:  # noqa: BLE001
            raise refuse("ics_bad_end") from None
        if not isinstance(length, timedelta) or length <= timedelta(0):
            raise refuse("ics_bad_end")
        try:
            return start + length
        except OverflowError:
            raise refuse("ics_out_of_range") from None
    # RFC 5545 3.6.1: a date alone lasts the day; a date-time alone is an instant
    if all_day:
        return start + timedelta(days=1)
    raise refuse("ics_bad_end")


def _as_day(value: date) -> date:
    if isinstance(value, datetime):
        try:
            return (value.astimezone(zone()) if value.tzinfo else value).date()
        except (OverflowError, ValueError):
            return date.min
    return value


def _aware(value: date) -> datetime:
    """UTC instant of a date (local midnight), a floating (local) or a zoned date-time."""
    if not isinstance(value, datetime):
        return local_datetime(value, time()).astimezone(UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone()).astimezone(UTC)
    return value.astimezone(UTC)
