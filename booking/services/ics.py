"""iCalendar (RFC 5545) events that follow iTIP (RFC 5546), with the icalendar 7 API.

A booking keeps one UID for its life; each change raises SEQUENCE. Events carry local times and
a VTIMEZONE for the configured zone, and never a CPR number or case text (a name only as the
CN of an attendee without an e-mail address).

iTIP: every message has the job centre as ORGANIZER (the ``[mail] sender`` address). REQUEST
and CANCEL are messages *to a calendar user*: RFC 5546 (3.2.2, 3.2.5) needs at least one
ATTENDEE, and a mail client matches it to its own address to apply an update or a
cancellation. The citizen is that ATTENDEE: ``mailto:`` their e-mail address (no name). A
citizen without an e-mail address (a Digital Post letter) has no calendar address, so the
ATTENDEE names them (CN) with the URI ``invalid:nomail``, the form Outlook and Exchange write
for an attendee without an address (icalendar and vobject read it; tests/booking/test_ics.py).
A download is a PUBLISH (3.2.1: ORGANIZER, no ATTENDEE). :func:`calendar_text` refuses a
message RFC 5546 forbids.

The VTIMEZONE is built here from the tz database (zoneinfo) rather than by icalendar's
``Timezone.from_tzid`` / ``from_tzinfo`` (7.3), which write summer time's onset in the *new*
offset ("from 03:00"); RFC 5545 3.6.5 wants the local time in TZOFFSETFROM (02:00 → 03:00 in spring,
03:00 → 02:00 in autumn). An instant in the repeated autumn hour's second occurrence is
written in UTC, since a local time with TZID means the first occurrence (RFC 5545 3.3.5).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .clock import now_utc, zone

METHODS = ("PUBLISH", "REQUEST", "CANCEL")
# how many years past the calendar's own the tz database is read to see whether a yearly rule
# goes on (then the observance is an open RRULE, as Outlook and Google write them)
RULE_CHECK_YEARS = 10


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    location: str | None = None
    description: str | None = None
    organizer_email: str | None = None  # the job centre's sender address
    organizer_name: str | None = None  # e.g. "Jobcenter Demo" (CN)
    attendee_email: str | None = None  # the citizen's e-mail address (REQUEST and CANCEL)
    attendee_name: str | None = None  # the citizen's name, for one without an e-mail address


class ItipError(ValueError):
    """A calendar message RFC 5546 does not allow (a programming or configuration error)."""


# the calendar address of an attendee who has none (as Outlook and Exchange write it)
NO_ADDRESS = "invalid:nomail"


def calendar_text(event: CalendarEvent, *, method: str = "REQUEST") -> str:
    """One VCALENDAR with one VEVENT. ``method``: REQUEST, PUBLISH or CANCEL (RFC 5546)."""
    if method not in METHODS:
        raise ItipError(f"unknown METHOD {method!r}")
    if not event.organizer_email:
        raise ItipError(f"{method} needs an ORGANIZER (RFC 5546)")
    if method != "PUBLISH" and not (event.attendee_email or event.attendee_name):
        raise ItipError(f"{method} needs an ATTENDEE (RFC 5546)")
    tz = zone()
    cal = Calendar()
    cal.add("prodid", "-//Rettidig//Jobcenter booking//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    start = event.start.astimezone(tz)
    end = event.end.astimezone(tz)
    # a whole year on each side of the event
    cal.add_component(vtimezone(tz, start.year - 1, end.year + 1))
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", now_utc())
    vevent.add("dtstart", _stamp(event.start, tz))
    vevent.add("dtend", _stamp(event.end, tz))
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    organizer_params = {"CN": event.organizer_name} if event.organizer_name else {}
    vevent.add("organizer", f"mailto:{event.organizer_email}", parameters=organizer_params)
    if method != "PUBLISH":  # PUBLISH carries no ATTENDEE (RFC 5546 3.2.1)
        vevent.add("attendee", *_attendee(event))
    vevent.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    cal.add_component(vevent)
    text: str = cal.to_ical().decode("utf-8")
    return text


def _attendee(event: CalendarEvent) -> tuple[str, dict[str, str]]:
    """The citizen as ATTENDEE: their ``mailto:`` address, else their name (CN) alone."""
    params = {
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "FALSE",
    }
    if event.attendee_email:
        return f"mailto:{event.attendee_email}", params
    assert event.attendee_name
    return NO_ADDRESS, {"CN": event.attendee_name, **params}


def _stamp(instant: datetime, tz: ZoneInfo) -> datetime:
    """Local time in ``tz`` (written with TZID) unless that local time would be read as
    another instant: the second occurrence of the repeated autumn hour is written in UTC."""
    local = instant.astimezone(tz)
    if local.replace(fold=0).astimezone(UTC) != instant.astimezone(UTC):
        return instant.astimezone(UTC)
    return local


# --- VTIMEZONE from the tz database -------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One change of a zone's UTC offset (or name) at the instant ``at`` (UTC)."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def onset(self) -> datetime:
        """The onset as RFC 5545 writes it: local time in the offset before (TZOFFSETFROM)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def kind(self) -> tuple[timedelta, timedelta, str, bool]:
        return (self.offset_from, self.offset_to, self.name, self.daylight)


def _state(tz: ZoneInfo, t: int) -> tuple[timedelta | None, timedelta | None, str | None]:
    local = datetime.fromtimestamp(t, tz)
    return local.utcoffset(), local.dst(), local.tzname()


def transitions(tz: ZoneInfo, first_year: int, last_year: int) -> list[Transition]:
    """Every transition of ``tz`` from 1 January ``first_year`` to 31 December ``last_year``,
    found in the tz database (six-hour steps, then to the second)."""
    step = 6 * 3600
    t = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    stop = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
    found: list[Transition] = []
    before = _state(tz, t)
    while t < stop:
        after = _state(tz, t + step)
        if after != before:
            lo, hi = t, t + step  # before at lo, changed at hi
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _state(tz, mid) == before:
                    lo = mid
                else:
                    hi = mid
            offset_from, offset_to, name = before[0], after[0], after[2]
            assert offset_from is not None and offset_to is not None
            found.append(
                Transition(
                    datetime.fromtimestamp(hi, UTC),
                    offset_from,
                    offset_to,
                    name or _offset_text(offset_to),
                    bool(after[1]),
                )
            )
        before = after
        t += step
    return found


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _yearly_rule(onsets: list[datetime]) -> dict[str, Any] | None:
    """FREQ=YEARLY;BYMONTH;BYDAY for onsets one a year on the same weekday (n-th or last in
    the month) at the same local time; None when they follow no such rule."""
    first = onsets[0]
    years = [o.year for o in onsets]
    if years != list(range(years[0], years[0] + len(years))):
        return None
    if any(
        (o.month, o.weekday(), o.time()) != (first.month, first.weekday(), first.time())
        for o in onsets
    ):
        return None
    day = calendar.day_abbr[first.weekday()][:2].upper()
    if all(o.day + 7 > calendar.monthrange(o.year, o.month)[1] for o in onsets):
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"-1{day}"}
    nth = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(nth) == 1:
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"{nth.pop()}{day}"}
    return None


def _groups(found: list[Transition]) -> Iterator[tuple[Transition, list[Transition]]]:
    by_kind: dict[tuple[timedelta, timedelta, str, bool], list[Transition]] = {}
    for tr in found:
        by_kind.setdefault(tr.kind, []).append(tr)
    for group in sorted(by_kind.values(), key=lambda g: g[0].at):
        yield group[0], group


@lru_cache(maxsize=64)
def _vtimezone_text(key: str, first_year: int, last_year: int) -> bytes:
    tz = ZoneInfo(key)
    window = transitions(tz, first_year, last_year)
    ahead = transitions(tz, first_year, last_year + RULE_CHECK_YEARS)
    vtz = Timezone()
    vtz.add("tzid", key)
    if not window:  # no change in the window: one observance from its first day
        offset = datetime(first_year, 1, 1, tzinfo=tz).utcoffset() or timedelta()
        name = datetime(first_year, 1, 1, tzinfo=tz).tzname() or _offset_text(offset)
        vtz.add_component(
            _observance(False, offset, offset, name, datetime(first_year, 1, 1), None, [])
        )
        return bytes(vtz.to_ical())
    ahead_by_kind: dict[tuple[timedelta, timedelta, str, bool], list[datetime]] = {}
    for tr in ahead:
        ahead_by_kind.setdefault(tr.kind, []).append(tr.onset)
    for head, group in _groups(window):
        onsets = [tr.onset for tr in group]
        # an open yearly rule only where the tz database goes on that way every year
        longer = ahead_by_kind[head.kind]
        rule = _yearly_rule(longer) if longer[-1].year == last_year + RULE_CHECK_YEARS else None
        rdates = [] if rule is not None else onsets[1:]
        vtz.add_component(
            _observance(
                head.daylight, head.offset_from, head.offset_to, head.name, onsets[0], rule, rdates
            )
        )
    return bytes(vtz.to_ical())


def _observance(
    daylight: bool,
    offset_from: timedelta,
    offset_to: timedelta,
    name: str,
    dtstart: datetime,
    rule: dict[str, Any] | None,
    rdates: list[datetime],
) -> TimezoneStandard | TimezoneDaylight:
    part = TimezoneDaylight() if daylight else TimezoneStandard()
    part.add("dtstart", dtstart)
    if rule is not None:
        part.add("rrule", rule)
    for rdate in rdates:
        part.add("rdate", rdate)
    part.add("tzoffsetfrom", offset_from)
    part.add("tzoffsetto", offset_to)
    part.add("tzname", name)
    return part


def vtimezone(tz: ZoneInfo, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``tz`` that is right from ``first_year`` to ``last_year`` (cached)."""
    component = Timezone.from_ical(_vtimezone_text(tz.key, first_year, last_year))
    assert isinstance(component, Timezone)
    return component
