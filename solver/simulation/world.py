"""The simulated job centre's things: caseworker seats, group call-ins, rehabilitation-team
meetings and cases, citizens and their current conversation need; and the two questions the
world asks of them (the first free seat, does the citizen come).

Everything random is drawn from `draws.stream(seed, purpose, entity, ...)`, so two worlds built
from one scenario and seed are identical whatever policy later acts in them. How the calendar is
built is in `calendar`, who the citizens are in `population`, the day loop in `run`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from booking.rules import HeldConversation

from .draws import uniform

DAY = dt.timedelta(days=1)
RANKS = 1 << 24  # more citizens than a run ever has (`Citizen.rank`)


@dataclass(eq=False, slots=True)
class Seat:
    """One bookable caseworker slot (one conversation; `extra`: a second, overbooked citizen
    when the solver policy double-books two citizens unlikely to both come)."""

    id: str
    cw: str
    unit: str
    day: dt.date
    time: str
    minutes: int
    channel: str
    need: Need | None = None
    session: Session | None = None  # part of a group call-in (only in group policies)
    extra: Need | None = None  # overbooked: a second booking (only with `need` set)

    @property
    def booked(self) -> list[Need]:
        return [n for n in (self.need, self.extra) if n is not None]


@dataclass(eq=False, slots=True)
class Session:
    """A group call-in: seats of a pool of the unit's caseworkers, one window, many invitees."""

    id: str
    unit: str
    day: dt.date
    time: str
    minutes: int
    seats: list[Seat]
    invitees: list[Need] = field(default_factory=list)
    made: bool = False  # a pooled window the solver policy made of individual seats


@dataclass(eq=False, slots=True)
class Meeting:
    id: str
    day: dt.date
    capacity: int
    cases: list[Case] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Case:
    """A rehabilitation-team presentation; material must reach the region `lead_days` before."""

    id: str
    cit: Citizen
    ready: dt.date
    deadline: dt.date
    meeting: Meeting | None = None
    presented: dt.date | None = None

    def sent(self, day: dt.date, lead: int) -> bool:
        return self.meeting is not None and (self.meeting.day - day).days <= lead


@dataclass(frozen=True)
class CitizenSpec:
    id: str
    group: str
    unit: str
    caseworker: str
    start: dt.date
    end: dt.date | None
    p: float
    birth_date: dt.date
    self_type: str
    outcomes: tuple[bool, ...] = ()
    history: tuple[HeldConversation, ...] = ()


@dataclass(eq=False, slots=True)
class Citizen:
    spec: CitizenSpec
    held: list[HeldConversation]
    need: Need | None = None
    case: Case | None = None
    active: bool = True
    attended: int = 0  # attempts the job centre saw the citizen come to (the estimate's input)
    missed: int = 0  # ... and not come to
    estimate: float | None = None  # the show estimate from these counts (None: to compute)
    rank: int = 0  # the place of the id among the run's citizens' ids (sorted)
    quiet: tuple[int, dt.date] | None = None  # no next need with this many held until then
    id: str = field(init=False)  # the spec's

    def __post_init__(self) -> None:
        self.id = self.spec.id


@dataclass(eq=False, slots=True)
class Need:
    """The citizen's next open conversation obligation, as the booking side sees it."""

    cit: Citizen
    key: str
    earliest: dt.date
    deadline: dt.date
    closes: dt.date | None
    channels: tuple[str, ...]
    minutes: int
    joint: bool
    appear: dt.date  # the call-in letter: from this day it may be booked
    known: dt.date  # from this day a policy may call the citizen in early (early_letter_days)
    sb_deadline: dt.date  # last day the citizen may self-book
    ready: dt.date  # first date it may be held (appear, or the rebook date after a miss)
    attempt: int = 0
    seat: Seat | None = None
    session: Session | None = None
    central: bool = False  # today's practice: the job centre books it (not the citizen)
    sb_day: dt.date | None = None  # the day this citizen self-books (None: never)
    order: int = field(init=False)  # policies take needs in this order: deadline, citizen id

    def __post_init__(self) -> None:
        self.order = self.deadline.toordinal() * RANKS + self.cit.rank

    @property
    def booked(self) -> bool:
        return self.seat is not None or self.session is not None

    @property
    def booked_day(self) -> dt.date | None:
        if self.seat is not None:
            return self.seat.day
        return self.session.day if self.session is not None else None

    @property
    def last_day(self) -> dt.date:
        return self.closes or dt.date.max


class Seats(list[Seat]):
    """One caseworker's seats in time order, with their days alongside (`days`, for bisection);
    built once (`timetable.build_seats`) and never reordered."""

    def __init__(self, seats: list[Seat]) -> None:
        super().__init__(seats)
        self.days = [s.day for s in seats]


def first_index(seats: list[Seat], day: dt.date) -> int:
    """The index of the first seat on or after `day` in time-ordered `seats`."""
    if isinstance(seats, Seats):
        return bisect.bisect_left(seats.days, day)
    return bisect.bisect_left(seats, day, key=lambda s: s.day)


def first_free(seats_by_cw: dict[str, list[Seat]], need: Need, lo: dt.date,
               hi: dt.date) -> Seat | None:
    """The earliest free individual seat of the citizen's caseworker in [lo, hi] that fits."""
    seats = seats_by_cw.get(need.cit.spec.caseworker, [])
    channels, minutes = need.channels, need.minutes
    for i in range(first_index(seats, lo), len(seats)):
        seat = seats[i]
        if seat.day > hi:
            break
        if (seat.need is None and seat.session is None and seat.channel in channels
                and seat.minutes >= minutes):
            return seat
    return None


def show_draw(seed: int, need: Need, attempt: int) -> bool:
    """Does the citizen come to this attempt at this conversation? (scripted, else drawn)"""
    script = need.cit.spec.outcomes
    if attempt < len(script):
        return script[attempt]
    return uniform(seed, "show", need.cit.id, need.key, attempt) < need.cit.spec.p
