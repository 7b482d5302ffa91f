"""Typed problem data for the `jobcenter-plan/1` format and its validating loader.

`load_problem(data)` checks every value (`solver.schema`, pydantic) and every relation between
the lists (unique ids, references, `earliest ≤ deadline`, one booking per conversation), and
raises one `ProblemError` that lists all problems as `json.path: message` lines in the order of
the document; it never lets a raw exception escape for malformed input. The result is frozen
dataclasses, the allocation's own data (it never sees pydantic).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .schema import (
    CHANNELS,
    DEFAULT_TIMEZONE,
    FORMAT,
    POOLS,
    WORDING,
    BookingIn,
    CaseworkerIn,
    CitizenIn,
    ConversationIn,
    PlanDocument,
    RehabCaseIn,
    RehabMeetingIn,
    SlotIn,
    zone_of,
)
from .validation import Issue, field_adapter, part, salvage, sorted_issues
from .validation import issues as worded

__all__ = ["CHANNELS", "DEFAULT_TIMEZONE", "FORMAT", "POOLS", "Booking", "Caseworker",
           "Citizen", "Conversation", "Problem", "ProblemError", "RehabCase", "RehabMeeting",
           "Settings", "Slot", "load_problem", "related"]


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


BATCH = 4096  # items validated at a time (see `_validate`)
SECTIONS = ("caseworkers", "citizens", "slots", "conversations", "bookings", "rehab_meetings",
            "rehab_cases")


def load_problem(data: Any) -> Problem:
    """Validate a parsed `jobcenter-plan/1` document and return typed problem data."""
    if not isinstance(data, dict):
        raise ProblemError(["$: not a JSON object"])
    context = {"zone": zone_of(data.get("timezone", DEFAULT_TIMEZONE))}
    with no_cycle_collection():
        try:
            head, sections = _validate(data, context)
        except ValidationError:
            raise ProblemError(_problems(data, context)) from None
        found = _relations(sections)
        if found:
            raise ProblemError([str(i) for i in sorted_issues(PlanDocument, found)])
        return Problem(today=head.today, timezone=head.timezone,
                       settings=Settings(head.settings.rebook_days,
                                         head.settings.rehab_lead_days), **sections)


def related(problem: Problem) -> Problem:
    """`problem` itself if its lists relate as `load_problem` requires (unique ids, references,
    `earliest ≤ deadline`, one booking per conversation), else the `ProblemError` that
    `load_problem` raises. For problems a program makes from typed values, whose single values
    hold by construction: then it equals `load_problem` of the same document, without
    validating every value again."""
    found = _relations({name: getattr(problem, name) for name in SECTIONS})
    if found:
        raise ProblemError([str(i) for i in sorted_issues(PlanDocument, found)])
    return problem


def _validate(data: dict[str, Any], context: dict[str, Any]) -> tuple[PlanDocument,
                                                                      dict[str, Any]]:
    """The document validated by `PlanDocument`: first its head, then each list, a batch of
    items at a time, each batch turned into frozen values before the next (so that a few
    thousand models, not a city's, live next to the result). Any problem raises; the caller
    then validates the whole document again for the complete, located list of problems."""
    head = PlanDocument.model_validate({k: v for k, v in data.items() if k not in SECTIONS},
                                       context=context)
    values = _Values()
    sections: dict[str, Any] = {}
    for name in SECTIONS:
        adapter, convert = field_adapter(PlanDocument, name), getattr(values, name)
        raw = data.get(name, [])
        batches = [raw[i:i + BATCH] for i in range(0, len(raw), BATCH)] \
            if isinstance(raw, list) else [raw]
        out: list[Any] = []
        for batch in batches:
            out += map(convert, adapter.validate_python(batch, context=context))
        sections[name] = tuple(out)
    return head, sections


def _problems(data: dict[str, Any], context: dict[str, Any]) -> list[str]:
    """Every problem of a document that did not validate: pydantic's, and the relations
    between lists on what of it did validate (`salvage`), in the order of the document."""
    try:
        PlanDocument.model_validate(data, context=context)
        found: list[Issue] = []
    except ValidationError as exc:
        found = worded(exc, WORDING)
    found += _relations(salvage(PlanDocument, data, context))
    return [str(i) for i in sorted_issues(PlanDocument, found)]


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector waits until the block is done: loading an instance makes
    a few hundred thousand objects and no reference cycles, a simulated seed millions (the
    collector would walk them again and again: about half the time of loading a city-sized
    instance, a tenth of a seed's). Results do not depend on it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _column(view: dict[str, Any], section: str, name: str) -> list[Any]:
    """Field `name` of every item of a section (None where it did not validate)."""
    items = view.get(section)
    if isinstance(items, tuple):  # frozen values: every item validated
        return [getattr(item, name) for item in items]
    if isinstance(items, list):  # salvaged: models, dicts of the valid fields, or None
        return [part(item, name) for item in items]
    return []


def _unique(found: list[Issue], section: str, ids: list[Any]) -> dict[str, int]:
    """The ids of a section (id -> index of its first item); a repeated id is an issue."""
    first: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident is None:
            continue
        if ident in first:
            found.append(Issue((section, i, "id"),
                               f"duplicate id {ident!r} (first in {section}[{first[ident]}])"))
        else:
            first[ident] = i
    return first


def _refer(found: list[Issue], section: str, key: str, refs: list[Any], known: Container[Any],
           what: str) -> list[Any]:
    """The references of a section to `known` ids; one that names nothing is an issue (and
    None in the result)."""
    out = list(refs)
    for i, ident in enumerate(refs):
        if ident is not None and ident not in known:
            found.append(Issue((section, i, key), f"unknown {what} {ident!r}"))
            out[i] = None
    return out


def _relations(view: dict[str, Any]) -> list[Issue]:
    """Unique ids, references between the lists, `earliest ≤ deadline`, one booking per
    conversation; on a document that validated, or on what of it did (`salvage`)."""
    found: list[Issue] = []

    def ids(section: str) -> dict[str, int]:
        return _unique(found, section, _column(view, section, "id"))

    def refer(section: str, key: str, known: Container[Any], what: str) -> list[Any]:
        return _refer(found, section, key, _column(view, section, key), known, what)

    cw_ids = _column(view, "caseworkers", "id")
    caseworkers = _unique(found, "caseworkers", cw_ids)
    units = {unit for i, (ident, unit) in enumerate(zip(cw_ids, _column(view, "caseworkers",
                                                                         "unit"), strict=True))
             if unit is not None and ident is not None and caseworkers[ident] == i}
    citizens = ids("citizens")
    refer("citizens", "unit", units, "unit")
    refer("citizens", "caseworker", caseworkers, "caseworker")
    slots = ids("slots")
    refer("slots", "caseworker", caseworkers, "caseworker")
    conversations = ids("conversations")
    refer("conversations", "citizen", citizens, "citizen")
    earliest = _column(view, "conversations", "earliest")
    deadline = _column(view, "conversations", "deadline")
    for i, (first, last) in enumerate(zip(earliest, deadline, strict=True)):
        if first is not None and last is not None and first > last:
            found.append(Issue(("conversations", i, "earliest"),
                               f"{first} is after the deadline {last}"))
    booked: dict[str, int] = {}
    convs = refer("bookings", "conversation", conversations, "conversation")
    refer("bookings", "slot", slots, "slot")
    for i, conv in enumerate(convs):
        if conv is not None and conv in booked:
            found.append(Issue(("bookings", i, "conversation"),
                               f"{conv!r} is already booked in bookings[{booked[conv]}]"))
        elif conv is not None:
            booked[conv] = i
    ids("rehab_meetings")
    ids("rehab_cases")
    refer("rehab_cases", "citizen", citizens, "citizen")
    return found


class _Values:
    """The frozen value of each kind of item, one method per list of the document."""

    def __init__(self) -> None:
        self._channel_sets: dict[tuple[str, ...] | None, frozenset[str]] = {
            None: frozenset(CHANNELS)}

    def caseworkers(self, w: CaseworkerIn) -> Caseworker:
        return Caseworker(w.id, w.unit, w.max_per_day)

    def citizens(self, c: CitizenIn) -> Citizen:
        key = None if c.channels is None else tuple(c.channels)  # None: all three
        channels = self._channel_sets.get(key)
        if channels is None:
            channels = self._channel_sets[key] = frozenset(c.channels or ())
        return Citizen(c.id, c.unit, c.caseworker, c.show_probability, channels)

    def slots(self, s: SlotIn) -> Slot:
        return Slot(s.id, s.caseworker, s.start.text, s.start.date, s.minutes, s.channel,
                    s.capacity)

    def conversations(self, c: ConversationIn) -> Conversation:
        return Conversation(c.id, c.citizen, c.earliest, c.deadline, c.minutes, c.pool,
                            c.weight)

    def bookings(self, b: BookingIn) -> Booking:
        return Booking(b.conversation, b.slot, b.locked)

    def rehab_meetings(self, m: RehabMeetingIn) -> RehabMeeting:
        return RehabMeeting(m.id, m.date, m.capacity)

    def rehab_cases(self, r: RehabCaseIn) -> RehabCase:
        return RehabCase(r.id, r.citizen, r.ready, r.deadline, r.material_sent, r.weight)
