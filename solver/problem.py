"""Typed problem data for the `jobcenter-plan/1` format and its validating loader.

`load_problem(data)` checks every value and reference and raises one `ProblemError` that
lists all problems as `json.path: message` lines; it never lets a raw exception escape for
malformed input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .reader import MISSING, Reader, choice, required_date
from .reader import channels as read_channels

FORMAT = "jobcenter-plan/1"
CHANNELS = ("in_person", "phone", "video")
POOLS = ("caseworker", "unit")
DEFAULT_TIMEZONE = "Europe/Copenhagen"



class ProblemError(ValueError):
    """A malformed instance; `problems` holds one `path: message` line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Settings:
    rebook_days: int = 7
    rehab_lead_days: int = 14


@dataclass(frozen=True, slots=True)
class Caseworker:
    id: str
    unit: str
    max_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class Citizen:
    id: str
    unit: str
    caseworker: str
    show_probability: float = 1.0
    channels: frozenset[str] = frozenset(CHANNELS)


@dataclass(frozen=True, slots=True)
class Slot:
    id: str
    caseworker: str
    start: str
    date: dt.date
    minutes: int
    channel: str
    capacity: int = 1


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    citizen: str
    earliest: dt.date
    deadline: dt.date
    minutes: int = 30
    pool: str = "caseworker"
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Booking:
    conversation: str
    slot: str
    locked: bool = False


@dataclass(frozen=True, slots=True)
class RehabMeeting:
    id: str
    date: dt.date
    capacity: int


@dataclass(frozen=True, slots=True)
class RehabCase:
    id: str
    citizen: str
    ready: dt.date
    deadline: dt.date
    material_sent: bool = False
    weight: float = 1.0


@dataclass(frozen=True)
class Problem:
    today: dt.date
    timezone: str = DEFAULT_TIMEZONE
    settings: Settings = field(default_factory=Settings)
    caseworkers: tuple[Caseworker, ...] = ()
    citizens: tuple[Citizen, ...] = ()
    slots: tuple[Slot, ...] = ()
    conversations: tuple[Conversation, ...] = ()
    bookings: tuple[Booking, ...] = ()
    rehab_meetings: tuple[RehabMeeting, ...] = ()
    rehab_cases: tuple[RehabCase, ...] = ()


def load_problem(data: Any) -> Problem:
    """Validate a parsed `jobcenter-plan/1` document and return typed problem data."""
    r = Reader()
    if not isinstance(data, dict):
        raise ProblemError(["$: not a JSON object"])
    fmt = data.get("format", MISSING)
    if fmt is MISSING:
        r.fail("format", "missing")
    elif fmt != FORMAT:
        r.fail("format", f"expected {FORMAT!r}, got {fmt!r}")
    tz_name = data.get("timezone", DEFAULT_TIMEZONE)
    zone: ZoneInfo | None = None
    if not isinstance(tz_name, str) or not tz_name:
        r.fail("timezone", "not an IANA time zone name")
    else:
        try:
            zone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            r.fail("timezone", f"unknown time zone {tz_name!r}")
    today_raw = r.get(data, "today", "", True)
    today = r.date(today_raw, "today") if today_raw is not MISSING else None

    settings = Settings()
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        r.fail("settings", "not an object")
    else:
        settings = Settings(
            rebook_days=r.opt(raw_settings, "rebook_days", "settings",
                              lambda v, p: r.integer(v, p, 0), 7) or 0,
            rehab_lead_days=r.opt(raw_settings, "rehab_lead_days", "settings",
                                  lambda v, p: r.integer(v, p, 0), 14) or 0,
        )

    caseworkers: dict[str, Caseworker] = {}
    units: set[str] = set()
    seen: dict[str, str] = {}
    cw_ids = seen
    for path, item in r.items(data, "caseworkers"):
        ident = r.unique_id(item, path, seen)
        unit_raw = r.get(item, "unit", path, True)
        unit = r.text(unit_raw, f"{path}.unit") if unit_raw is not MISSING else None
        mpd = r.opt(item, "max_per_day", path, lambda v, p: r.integer(v, p, 0), None)
        if ident and unit:
            caseworkers[ident] = Caseworker(ident, unit, mpd)
            units.add(unit)
    unit_index = dict.fromkeys(units, True)

    citizens: dict[str, Citizen] = {}
    seen = {}
    citizen_ids = seen
    for path, item in r.items(data, "citizens"):
        ident = r.unique_id(item, path, seen)
        unit = r.ref(item, "unit", path, unit_index, "unit")
        cw = r.ref(item, "caseworker", path, cw_ids, "caseworker")
        prob = r.opt(item, "show_probability", path,
                     lambda v, p: r.number(v, p, lambda x: 0.0 <= x <= 1.0, "in [0, 1]"), 1.0)
        channels = r.opt(item, "channels", path, read_channels(r), frozenset(CHANNELS))
        if ident and unit and cw and prob is not None and channels is not None:
            citizens[ident] = Citizen(ident, unit, cw, prob, channels)

    slots: dict[str, Slot] = {}
    seen = {}
    slot_ids = seen
    for path, item in r.items(data, "slots"):
        ident = r.unique_id(item, path, seen)
        cw = r.ref(item, "caseworker", path, cw_ids, "caseworker")
        start_raw = r.get(item, "start", path, True)
        day = r.local_date(start_raw, f"{path}.start", zone) if start_raw is not MISSING else None
        minutes_raw = r.get(item, "minutes", path, True)
        minutes = (r.integer(minutes_raw, f"{path}.minutes", 1)
                   if minutes_raw is not MISSING else None)
        channel_raw = r.get(item, "channel", path, True)
        channel = None
        if channel_raw is not MISSING:
            if channel_raw in CHANNELS:
                channel = channel_raw
            else:
                r.fail(f"{path}.channel", f"not one of {', '.join(CHANNELS)}")
        capacity = r.opt(item, "capacity", path, lambda v, p: r.integer(v, p, 1), 1)
        if ident and cw and day and minutes and channel and capacity:
            slots[ident] = Slot(ident, cw, start_raw, day, minutes, channel, capacity)

    conversations: dict[str, Conversation] = {}
    seen = {}
    conversation_ids = seen
    for path, item in r.items(data, "conversations"):
        ident = r.unique_id(item, path, seen)
        cit = r.ref(item, "citizen", path, citizen_ids, "citizen")
        earliest = required_date(r, item, "earliest", path)
        deadline = required_date(r, item, "deadline", path)
        if earliest and deadline and earliest > deadline:
            r.fail(f"{path}.earliest", f"{earliest} is after the deadline {deadline}")
            earliest = None
        minutes = r.opt(item, "minutes", path, lambda v, p: r.integer(v, p, 1), 30)
        pool = r.opt(item, "pool", path, choice(r, POOLS), "caseworker")
        weight = r.opt(item, "weight", path,
                       lambda v, p: r.number(v, p, lambda x: x > 0, "> 0"), 1.0)
        if ident and cit and earliest and deadline and minutes and pool and weight:
            conversations[ident] = Conversation(ident, cit, earliest, deadline, minutes, pool,
                                                weight)

    bookings: list[Booking] = []
    booked: dict[str, str] = {}
    for path, item in r.items(data, "bookings"):
        conv = r.ref(item, "conversation", path, conversation_ids, "conversation")
        slot = r.ref(item, "slot", path, slot_ids, "slot")
        locked = r.opt(item, "locked", path, r.boolean, False)
        if conv and conv in booked:
            r.fail(f"{path}.conversation", f"{conv!r} is already booked in {booked[conv]}")
            conv = None
        if conv:
            booked[conv] = path
        if conv and slot and locked is not None:
            bookings.append(Booking(conv, slot, locked))

    meetings: dict[str, RehabMeeting] = {}
    seen = {}
    for path, item in r.items(data, "rehab_meetings"):
        ident = r.unique_id(item, path, seen)
        day = required_date(r, item, "date", path)
        cap_raw = r.get(item, "capacity", path, True)
        capacity = r.integer(cap_raw, f"{path}.capacity", 0) if cap_raw is not MISSING else None
        if ident and day and capacity is not None:
            meetings[ident] = RehabMeeting(ident, day, capacity)

    cases: dict[str, RehabCase] = {}
    seen = {}
    for path, item in r.items(data, "rehab_cases"):
        ident = r.unique_id(item, path, seen)
        cit = r.ref(item, "citizen", path, citizen_ids, "citizen")
        ready = required_date(r, item, "ready", path)
        deadline = required_date(r, item, "deadline", path)
        sent = r.opt(item, "material_sent", path, r.boolean, False)
        weight = r.opt(item, "weight", path,
                       lambda v, p: r.number(v, p, lambda x: x > 0, "> 0"), 1.0)
        if ident and cit and ready and deadline and sent is not None and weight:
            cases[ident] = RehabCase(ident, cit, ready, deadline, sent, weight)

    if r.problems:
        raise ProblemError(r.problems)
    assert today is not None
    return Problem(
        today=today,
        timezone=tz_name,
        settings=settings,
        caseworkers=tuple(caseworkers.values()),
        citizens=tuple(citizens.values()),
        slots=tuple(slots.values()),
        conversations=tuple(conversations.values()),
        bookings=tuple(bookings),
        rehab_meetings=tuple(meetings.values()),
        rehab_cases=tuple(cases.values()),
    )
