"""The data of a simulation scenario: immutable values that `scenario` parses TOML into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from booking.rules import HeldConversation

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNELS = ("in_person", "phone", "video")
SELF_TYPES = ("early", "late", "never")


class ScenarioError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Range:
    min: int
    max: int


@dataclass(frozen=True)
class Pattern:
    days: tuple[int, ...]  # weekday numbers, Monday = 0
    times: tuple[str, ...]
    minutes: int
    channel: str


@dataclass(frozen=True)
class GroupCallin:
    day: int
    times: tuple[str, ...]
    caseworkers: int  # pool size; rotates through the unit week by week


@dataclass(frozen=True)
class Unit:
    id: str
    caseworkers: int
    sick_rate: float
    patterns: tuple[Pattern, ...]
    group_callins: tuple[GroupCallin, ...] = ()

    def caseworker_ids(self) -> tuple[str, ...]:
        return _caseworker_ids(self.id, self.caseworkers)


@lru_cache(maxsize=1024)
def _caseworker_ids(unit: str, count: int) -> tuple[str, ...]:
    return tuple(f"{unit}-{i + 1}" for i in range(count))


@dataclass(frozen=True)
class Show:
    alpha: float = 0.0
    beta: float = 0.0
    fixed: float | None = None

    @property
    def mean(self) -> float:
        return self.fixed if self.fixed is not None else self.alpha / (self.alpha + self.beta)


@dataclass(frozen=True)
class Group:
    id: str
    starts_per_week: float
    show: Show
    self_booking: dict[str, float]
    units: dict[str, float]  # share of starts per unit (empty: by number of caseworkers)
    duration_weeks: float | None  # mean programme length (exponential); None: no end
    age: Range
    history_weeks: int


@dataclass(frozen=True)
class FixedCitizen:
    id: str
    group: str
    unit: str
    caseworker: str
    start: dt.date
    show: float
    self_booking: str
    outcomes: tuple[bool, ...]  # scripted show outcomes per attempt (then `show` applies)
    birth_date: dt.date
    held: tuple[HeldConversation, ...] = ()  # conversations held before the scenario's start
    end: dt.date | None = None  # programme end (obligations end with it); None: no end


@dataclass(frozen=True)
class Booking:
    notice_days: int = 3
    letter_days: int = 28
    early_letter_days: int = 0
    horizon_weeks: int = 8
    lock_days: int = 7
    plan_horizon_days: int = 21
    self_booking_choices: int = 5
    early_booker_days: Range = Range(0, 3)
    late_booker_days: Range = Range(0, 2)
    rebook_days: Range = Range(7, 7)
    group_fill: float = 1.0
    group_max_probability: float = 0.7


@dataclass(frozen=True)
class PolicyParams:
    """`[policy]`: parameters of the solver policy (not of the job centre)."""

    overbook_risk: float = 0.1  # pairwise overbooking: at most this chance that both come
    pool_risk: float = 0.0  # pooled windows: P(arrivals > seats) at most this; 0: none made
    pool_seats: int = 9  # at most this many morning seats of a unit pooled into one window
    pool_max_probability: float | None = None  # with windows: replaces group_max_probability
    prior_strength: float = 4.0  # the show estimate's prior weighs this many attempts (the app's)
    prior_mean: float = 0.8  # the prior of a group not drawn by `[[groups]]` (the app's default)


@dataclass(frozen=True)
class Rehab:
    groups: tuple[str, ...] = ()
    lead_days: int = 14
    ready_days: Range = Range(0, 0)
    meetings: tuple[tuple[int, int], ...] = ()  # (weekday, capacity)


@dataclass(frozen=True)
class Absence:
    caseworker: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    start: dt.date
    warmup_weeks: int
    rule_set: str
    public_holidays: str
    closed_days: frozenset[dt.date]
    on_time_against: str
    assignment: str
    booking: Booking
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    citizens: tuple[FixedCitizen, ...] = ()
    absences: tuple[Absence, ...] = ()
    rehab: Rehab = field(default_factory=Rehab)
    policy: PolicyParams = field(default_factory=PolicyParams)
    source: str = ""
