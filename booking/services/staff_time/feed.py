"""The caseworker's personal calendar feed: ``/feed/<token>.ics``, no log-in.

The token (``Caseworker.calendar_token``) is the only key: whoever has the address reads the
feed, so it carries no CPR number, and a citizen appears by initials unless ``[calendar]
feed_full_names`` allows the full name (plus what the conversation is, its channel and place).
:func:`rotate_token` gives a new address and the old one answers 404 from then on.

The feed holds the caseworker's bookings (not cancelled ones) and group call-in shifts from
:data:`PAST_DAYS` ago to :data:`AHEAD_DAYS` ahead, as one VCALENDAR with a VTIMEZONE
(:func:`booking.services.ics.vtimezone`), ``METHOD:PUBLISH`` with the job centre as ORGANIZER,
``X-WR-CALNAME``/``NAME`` and a refresh interval of an hour (``REFRESH-INTERVAL``,
``X-PUBLISHED-TTL``). The text depends only on the data (DTSTAMP is each event's last change),
so its hash is a stable ETag; Last-Modified is the latest change of a booking in the window
(cancelled ones included: their leaving changes the feed) or a shift, and never earlier than
today's start (the window moves daily).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import (
    ActorKind,
    Booking,
    BookingState,
    Caseworker,
    Channel,
    GroupSession,
    GroupSessionCaseworker,
    Obligation,
    Slot,
)
from .. import audit
from ..accounts import new_calendar_token
from ..calendar_days import local_datetime
from ..clock import zone
from ..errors import NotFound
from ..ics import vtimezone

PAST_DAYS = 30
AHEAD_DAYS = 180
REFRESH = timedelta(hours=1)
UID_DOMAIN = "feed.rettidig"
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

CHANNEL_DA = {
    Channel.in_person: "personligt fremmøde",
    Channel.phone: "telefonisk",
    Channel.video: "video",
}
STATE_DA = {BookingState.attended: "afholdt", BookingState.no_show: "udeblevet"}


@dataclass(frozen=True)
class Feed:
    text: str
    etag: str  # without quotes
    last_modified: datetime  # aware, UTC, whole seconds


@dataclass(frozen=True)
class FeedPage:
    caseworker_name: str
    token: str | None  # shown to the owner only
    bookings: int
    shifts: int


def initials(name: str) -> str:
    """"Anne Marie Jensen" → "A.M.J." (the citizen as the feed shows them by default)."""
    return "".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha()) or "–"


def _caseworker(session: Session, token: str) -> Caseworker:
    if not _TOKEN_SHAPE.match(token or ""):
        raise NotFound("feed")
    found = session.scalar(select(Caseworker).where(Caseworker.calendar_token == token))
    if found is None or not found.active:
        raise NotFound("feed")
    return found


def _window(today: date) -> tuple[datetime, datetime]:
    return (local_datetime(today - timedelta(days=PAST_DAYS), time()).astimezone(UTC),
            local_datetime(today + timedelta(days=AHEAD_DAYS), time()).astimezone(UTC))


def _bookings(session: Session, caseworker_id: int, lo: datetime, hi: datetime
              ) -> list[tuple[Booking, Slot]]:
    rows = session.execute(
        select(Booking, Slot).join(Slot, Booking.slot_id == Slot.id)
        .where(Slot.caseworker_id == caseworker_id, Slot.starts_at >= lo, Slot.starts_at < hi)
        .order_by(Slot.starts_at, Booking.id)
    )
    return [(b, s) for b, s in rows]


def _shifts(session: Session, caseworker_id: int, lo: datetime, hi: datetime
            ) -> list[GroupSession]:
    return list(session.scalars(
        select(GroupSession).join(GroupSessionCaseworker,
                                  GroupSessionCaseworker.session_id == GroupSession.id)
        .where(GroupSessionCaseworker.caseworker_id == caseworker_id,
               GroupSession.ends_at > lo, GroupSession.starts_at < hi)
        .order_by(GroupSession.starts_at, GroupSession.id)
    ))


def _stamp(instant: datetime, tz: ZoneInfo) -> datetime:
    """Local time (with TZID), or UTC for the second occurrence of the repeated autumn hour
    (as :mod:`booking.services.ics` writes it)."""
    local = instant.astimezone(tz)
    if local.replace(fold=0).astimezone(UTC) != instant.astimezone(UTC):
        return instant.astimezone(UTC)
    return local


def build_feed(session: Session, token: str, *, full_names: bool, organizer: str,
               today: date) -> Feed:
    """The feed of the caseworker holding ``token``; :class:`NotFound` for an unknown or
    revoked token or an inactive caseworker. Reads only."""
    caseworker = _caseworker(session, token)
    lo, hi = _window(today)
    tz = zone()
    pairs = _bookings(session, caseworker.id, lo, hi)
    shifts = _shifts(session, caseworker.id, lo, hi)
    changed = [b.updated_at for b, _ in pairs] + [g.created_at for g in shifts]
    last_modified = max([lo + timedelta(days=PAST_DAYS), *changed]).replace(microsecond=0)
    wanted = [b.obligation_id for b, _ in pairs if b.obligation_id is not None]
    labels: dict[int, str] = dict(session.execute(
        select(Obligation.id, Obligation.label_da).where(Obligation.id.in_(wanted))
    ).all()) if wanted else {}
    name, address = parseaddr(organizer)
    cal = Calendar()
    cal.add("prodid", "-//Rettidig//Kalenderfeed//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = f"Rettidig – {caseworker.initials}"
    cal.add("x-wr-calname", title)
    cal.add("name", title)
    cal.add("x-wr-timezone", tz.key)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    cal.add_component(vtimezone(tz, lo.year - 1, hi.year + 1))
    for booking, slot in pairs:
        if booking.state == BookingState.cancelled:
            continue
        who = booking.citizen.name if full_names else initials(booking.citizen.name)
        what = labels.get(booking.obligation_id or 0) or "Samtale"
        channel = CHANNEL_DA[slot.channel]
        lines = [f"Fremmødeform: {channel}"]
        if booking.state in STATE_DA:
            lines.append(f"Registreret: {STATE_DA[booking.state]}")
        event = Event()
        event.add("uid", f"booking-{booking.id}@{UID_DOMAIN}")
        event.add("sequence", booking.ical_sequence)
        event.add("dtstamp", booking.updated_at.astimezone(UTC).replace(microsecond=0))
        event.add("dtstart", _stamp(slot.starts_at, tz))
        event.add("dtend", _stamp(slot.starts_at + timedelta(minutes=slot.minutes), tz))
        event.add("summary", f"{what} – {who} ({channel})")
        if slot.location:
            event.add("location", slot.location)
        event.add("description", "\n".join(lines))
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        _organizer(event, name, address)
        cal.add_component(event)
    for shift in shifts:
        event = Event()
        event.add("uid", f"group-{shift.id}-cw-{caseworker.id}@{UID_DOMAIN}")
        event.add("sequence", 0)
        event.add("dtstamp", shift.created_at.astimezone(UTC).replace(microsecond=0))
        event.add("dtstart", _stamp(shift.starts_at, tz))
        event.add("dtend", _stamp(shift.ends_at, tz))
        event.add("summary", "Fælles indkald – vagt")
        event.add("location", shift.location)
        event.add("description",
                  f"Samtaler à {shift.minutes_per_conversation} minutter i puljen.")
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        _organizer(event, name, address)
        cal.add_component(event)
    text = cal.to_ical().decode("utf-8")
    return Feed(text, hashlib.sha256(text.encode()).hexdigest()[:32], last_modified)


def _organizer(event: Event, name: str, address: str) -> None:
    if address:
        event.add("organizer", f"mailto:{address}",
                  parameters={"CN": name} if name else {})


def feed_page(session: Session, caseworker: Caseworker, *, own: bool, today: date
              ) -> FeedPage:
    """What the feed page shows: the address to its owner, and how many events it holds."""
    lo, hi = _window(today)
    pairs = _bookings(session, caseworker.id, lo, hi)
    return FeedPage(
        caseworker.name,
        caseworker.calendar_token if own else None,
        sum(1 for b, _ in pairs if b.state != BookingState.cancelled),
        len(_shifts(session, caseworker.id, lo, hi)),
    )


def rotate_token(session: Session, caseworker_id: int, *, staff_id: int | None) -> str:
    """A new feed address; the old one stops working at once. Audited
    (``calendar_feed_rotated``), commits; :class:`NotFound`."""
    with transaction(session):
        caseworker = session.get(Caseworker, caseworker_id)
        if caseworker is None:
            raise NotFound("caseworker")
        caseworker.calendar_token = new_calendar_token()
        audit.record(session, actor_kind=ActorKind.staff, actor_id=staff_id,
                     action="calendar_feed_rotated", object_type="caseworker",
                     object_id=caseworker_id)
        session.flush()
        return caseworker.calendar_token
