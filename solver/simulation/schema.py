"""The shape of a scenario file (TOML) as pydantic models, one per table, documented key by key
in `scenarios/README.md`: types, defaults, the checks on each value (worded as the problem
lines say them) and within a table. Unknown keys are errors. Each table knows the immutable
value (`types`) it stands for; `scenario` checks what relates tables and builds the `Scenario`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    model_validator,
)

from booking.rules import HOLDERS, KINDS, HeldConversation

from ..validation import invalid, problem_at
from .types import (
    CHANNELS,
    SELF_TYPES,
    WEEKDAYS,
    Booking,
    FixedCitizen,
    Group,
    GroupCallin,
    Pattern,
    PolicyParams,
    Range,
    Rehab,
    Show,
    Unit,
)

#: wording of pydantic's own error types in scenario files
WORDING = {
    "missing": "missing",
    "extra_forbidden": "unknown key",
    "model_type": "not a table",
    "model_attributes_type": "not a table",
    "dict_type": "not a table",
    "list_type": "expected an array",
}


# -- checks of one value ---------------------------------------------------------------------
def _integer(check: Callable[[int], bool], what: str) -> Callable[[Any], int]:
    def read(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid("expected an integer")
        if not check(value):
            raise invalid(f"must be {what}")
        return value

    return read


def _number(check: Callable[[float], bool], what: str) -> Callable[[Any], float]:
    def read(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise invalid("expected a number")
        if not check(float(value)):
            raise invalid(f"must be {what}")
        return float(value)

    return read


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid("expected a string")
    return value


def _date(value: Any) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise invalid("expected a date")
    return value


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if not isinstance(value, str) or value not in options:
            raise invalid(f"must be {' or '.join(options)}")
        return value

    return read


def _each(check: Callable[[Any], str | None], expected: str) -> Callable[[Any], tuple[Any, ...]]:
    """A list whose items `check` answers (None: fine, else the problem); problems at the
    list's path, one line for all of them (`'9' is not a time HH:MM`)."""
    def read(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise invalid(f"expected an array of {expected}")
        bad = [text for text in map(check, value) if text is not None]
        if bad:
            raise invalid("; ".join(bad))
        return tuple(value)

    return read


def _weekday_problem(value: Any) -> str | None:
    return None if value in WEEKDAYS else f"{value!r} is not one of {', '.join(WEEKDAYS)}"


def _time_problem(value: Any) -> str | None:
    try:
        dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        return f"{value!r} is not a time HH:MM"
    return None if len(value) == 5 else f"{value!r} is not a time HH:MM"


def _weekday(value: Any) -> int:
    problem = _weekday_problem(value)
    if problem is not None:
        raise invalid(problem)
    return WEEKDAYS.index(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise invalid("expected true or false")
    return value


def _int_range(value: Any) -> Any:
    """`rebook_days = 7` is `{min = 7, max = 7}`."""
    if isinstance(value, bool):
        raise invalid("expected an integer >= 0 or a table {min, max}")
    if isinstance(value, int):
        if value < 0:
            raise invalid("must be an integer >= 0")
        return {"min": value, "max": value}
    return value


def _shares_not_all_zero(shares: dict[str, float]) -> dict[str, float]:
    if shares and not sum(shares.values()) > 0:
        raise invalid("shares must not all be zero")
    return shares


Text = Annotated[str, PlainValidator(_string)]
Day = Annotated[dt.date, PlainValidator(_date)]
NonNegative = Annotated[int, PlainValidator(_integer(lambda v: v >= 0, "an integer >= 0"))]
AtLeastOne = Annotated[int, PlainValidator(_integer(lambda v: v >= 1, ">= 1"))]
Probability = Annotated[float, PlainValidator(_number(lambda v: 0 <= v <= 1, "in [0, 1]"))]
Risk = Annotated[float, PlainValidator(_number(lambda v: 0 <= v < 1, "in [0, 1)"))]
Share = Annotated[float, PlainValidator(_number(lambda v: v >= 0, "a number >= 0"))]
Flag = Annotated[bool, PlainValidator(_flag)]
Weekday = Annotated[int, PlainValidator(_weekday)]
Weekdays = Annotated[tuple[int, ...], PlainValidator(_each(_weekday_problem, "weekdays")),
                     AfterValidator(lambda days: tuple(WEEKDAYS.index(d) for d in days))]
Times = Annotated[tuple[str, ...], PlainValidator(_each(_time_problem, "times HH:MM"))]


class Table(BaseModel):
    """A TOML table: no unknown keys, immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RangeTable(Table):
    min: NonNegative
    max: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.max < self.min:
            raise invalid("max is below min")
        return self

    def value(self) -> Range:
        return Range(self.min, self.max)


DayRange = Annotated[RangeTable, BeforeValidator(_int_range)]


class ScenarioTable(Table):
    name: Text | None = None  # None: the file's name
    description: Text = ""
    start: Day = dt.date(2025, 1, 6)
    warmup_weeks: Annotated[int, PlainValidator(_integer(lambda v: v >= 0, ">= 0"))] = 4
    rule_set: Text
    public_holidays: Text = "DK"
    closed_days: list[Day] = []
    on_time_against: Annotated[
        str, PlainValidator(_choice(("deadline", "statutory_deadline")))] = "deadline"
    assignment: Annotated[str, PlainValidator(_choice(("balanced", "random")))] = "balanced"

    @model_validator(mode="after")
    def _monday(self) -> Self:
        if self.start.weekday() != 0:
            raise problem_at("start", "must be a Monday")
        return self


class BookingTable(Table):
    notice_days: NonNegative = 3
    letter_days: NonNegative = 28
    early_letter_days: NonNegative = 0
    horizon_weeks: AtLeastOne = 8
    lock_days: NonNegative = 7
    plan_horizon_days: AtLeastOne = 21
    self_booking_choices: AtLeastOne = 5
    early_booker_days: DayRange = RangeTable(min=0, max=3)
    late_booker_days: DayRange = RangeTable(min=0, max=2)
    rebook_days: DayRange = RangeTable(min=7, max=7)
    group_fill: Annotated[float, PlainValidator(_number(lambda v: 0 < v <= 3, "in (0, 3]"))] = 1.0
    group_max_probability: Probability = 0.7

    def value(self) -> Booking:
        return Booking(self.notice_days, self.letter_days, self.early_letter_days,
                       self.horizon_weeks, self.lock_days, self.plan_horizon_days,
                       self.self_booking_choices, self.early_booker_days.value(),
                       self.late_booker_days.value(), self.rebook_days.value(), self.group_fill,
                       self.group_max_probability)


class PatternTable(Table):
    days: Weekdays = ()
    times: Times = ()
    minutes: Annotated[int, PlainValidator(_integer(lambda v: v > 0, "> 0"))] = 45
    channel: Annotated[str, PlainValidator(_choice(CHANNELS))] = "in_person"


class CallinTable(Table):
    day: Weekday = WEEKDAYS.index("tue")
    times: Times = ()
    caseworkers: AtLeastOne = 1


class UnitTable(Table):
    id: Text
    caseworkers: AtLeastOne = 1
    sick_rate: Risk = 0.0
    patterns: list[PatternTable] = []
    group_callins: list[CallinTable] = []

    @model_validator(mode="after")
    def _pools_fit(self) -> Self:
        if any(g.caseworkers > self.caseworkers for g in self.group_callins):
            raise problem_at("group_callins", "pool larger than the unit")
        return self

    def value(self) -> Unit:
        return Unit(self.id, self.caseworkers, self.sick_rate,
                    tuple(Pattern(p.days, p.times, p.minutes, p.channel) for p in self.patterns),
                    tuple(GroupCallin(g.day, g.times, g.caseworkers)
                          for g in self.group_callins))


class ShowTable(Table):
    fixed: Probability | None = None
    alpha: Annotated[float, PlainValidator(_number(lambda v: v > 0, "> 0"))] = 0.0
    beta: Annotated[float, PlainValidator(_number(lambda v: v > 0, "> 0"))] = 0.0

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.fixed is None and not (self.alpha and self.beta):
            raise invalid("give either fixed, or alpha and beta of a Beta distribution")
        return self


class SelfBookingTable(Table):
    """Shares of the self-booking types; only the types given take part."""

    early: Share = 0.0
    late: Share = 0.0
    never: Share = 0.0

    @model_validator(mode="after")
    def _some(self) -> Self:
        _shares_not_all_zero(self.shares())
        return self

    def shares(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in SELF_TYPES
                if name in self.model_fields_set}


class GroupTable(Table):
    id: Text
    starts_per_week: Share = 0.0
    show: ShowTable = Field(default_factory=dict, validate_default=True)
    self_booking: SelfBookingTable = SelfBookingTable()
    units: Annotated[dict[str, Share], AfterValidator(_shares_not_all_zero)] = {}
    duration_weeks: Annotated[float, PlainValidator(_number(lambda v: v > 0, "> 0"))] | None = None
    age: DayRange = RangeTable(min=25, max=60)
    history_weeks: NonNegative = 0

    def value(self) -> Group:
        show = self.show
        return Group(self.id, self.starts_per_week, Show(show.alpha, show.beta, show.fixed),
                     self.self_booking.shares() or {"early": 1.0}, dict(self.units),
                     self.duration_weeks, self.age.value(), self.history_weeks)


def _held_item(value: Any) -> Any:  # `held = [2025-01-02]` is `[{date = 2025-01-02}]`
    return {"date": value} if isinstance(value, dt.date) else value


class HeldTable(Table):
    """A conversation a fixed citizen held before the scenario's start (`booking.rules`)."""

    date: Day
    joint: Flag = False
    kind: Annotated[str, PlainValidator(_choice(KINDS))] = "conversation"
    holder: Annotated[str, PlainValidator(_choice(HOLDERS))] = "jobcentre"

    def value(self) -> HeldConversation:
        return HeldConversation(self.date, joint=self.joint, kind=self.kind, holder=self.holder)


class CitizenTable(Table):
    id: Text
    group: Text
    unit: Text
    caseworker: Text
    start: Day | None = None  # None: the scenario's start
    show: Probability = 1.0
    self_booking: Annotated[str, PlainValidator(_choice(SELF_TYPES))] = "early"
    outcomes: list[Flag] = []  # scripted show outcomes per attempt
    birth_date: Day = dt.date(1980, 1, 1)
    held: list[Annotated[HeldTable, BeforeValidator(_held_item)]] = []
    end: Day | None = None  # programme end; None: no end

    def value(self, start: dt.date) -> FixedCitizen:
        return FixedCitizen(self.id, self.group, self.unit, self.caseworker, self.start or start,
                            self.show, self.self_booking, tuple(self.outcomes), self.birth_date,
                            tuple(sorted((h.value() for h in self.held), key=lambda h: h.date)),
                            self.end)


class AbsenceTable(Table):
    caseworker: Text
    from_: Day | None = Field(default=None, alias="from")  # None: the scenario's start
    to: Day | None = None  # inclusive; None: the scenario's start


class MeetingTable(Table):
    day: Weekday = WEEKDAYS.index("thu")
    capacity: NonNegative = 1


class RehabTable(Table):
    groups: list[Text] = []
    lead_days: NonNegative = 14
    ready_days: DayRange = RangeTable(min=0, max=0)
    meetings: list[MeetingTable] = []

    def value(self) -> Rehab:
        return Rehab(tuple(self.groups), self.lead_days, self.ready_days.value(),
                     tuple((m.day, m.capacity) for m in self.meetings))


class PolicyTable(Table):
    overbook_risk: Risk = 0.1
    pool_risk: Risk = 0.0
    pool_seats: AtLeastOne = 9
    pool_max_probability: Probability | None = None
    prior_strength: Annotated[float, PlainValidator(_number(lambda v: v > 0, "> 0"))] = 4.0
    prior_mean: Probability = 0.8

    def value(self) -> PolicyParams:
        return PolicyParams(self.overbook_risk, self.pool_risk, self.pool_seats,
                            self.pool_max_probability, self.prior_strength, self.prior_mean)


def _some_unit(units: list[UnitTable]) -> list[UnitTable]:
    if not units:
        raise invalid("at least one unit is needed")
    return units


class ScenarioFile(Table):
    """A whole scenario file, tables in the order of `scenarios/README.md`."""

    scenario: ScenarioTable = Field(default_factory=dict, validate_default=True)
    booking: BookingTable = BookingTable()
    policy: PolicyTable = PolicyTable()
    units: Annotated[list[UnitTable], AfterValidator(_some_unit)] = Field(
        default_factory=list, validate_default=True)
    absences: list[AbsenceTable] = []
    groups: list[GroupTable] = []
    citizens: list[CitizenTable] = []
    rehab: RehabTable = RehabTable()
