"""What a simulated world holds while it runs, declared once for the parts that act on it.

`run.World` is put together from small parts, one per seam of a simulated day: `bookings`
(what a policy may do), `programmes` (citizens start and end; obligations become needs),
`attendance` (today's conversations happen or are missed) and `measure` (the verdict at the end).
Each part is a class over this state; `World.__init__` fills it in.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from booking.rules import RuleSet

from ..problem import Slot
from .open_needs import OpenNeeds
from .types import Booking, Scenario
from .world import Case, Citizen, Meeting, Need, Seat, Session

if TYPE_CHECKING:
    from .floor import UnitDays
    from .measure import RunResult
    from .policy import Policy


class WorldState(ABC):
    """The state of one run (scenario, seed, policy), shared by the parts of `run.World`."""

    scenario: Scenario
    rule_set: RuleSet
    seed: int
    policy: Policy
    check_plans: bool
    booking: Booking
    # the calendar: from `first` to `end` (exclusive), measured from `measure_from`
    first: dt.date
    measure_from: dt.date
    end: dt.date
    weeks: int
    last_seat_day: dt.date
    closed: set[dt.date]
    # the timetable
    seats_by_cw: dict[str, list[Seat]]
    sessions: list[Session]
    seats_by_day: dict[dt.date, list[Seat]]
    # per unit and day, the seats a pooled window may take (`pool.window_seat`)
    window_seats: dict[tuple[str, dt.date], list[Seat]]
    sessions_by_day: dict[dt.date, list[Session]]
    meetings: list[Meeting]
    unit_of: dict[str, str]
    unit_days: UnitDays  # per unit and channel, the days with a seat or group call-in
    need_days: dict[tuple[str, tuple[str, ...]], list[dt.date]]  # ... per unit and channels
    sick_rate: dict[str, float]
    # the people
    citizens: list[Citizen]
    prior_mean: dict[str, float]  # per group: the prior of the show-probability estimate
    #   (a `[[groups]]` group's mean show probability; others `[policy] prior_mean`)
    starting: dict[dt.date, list[Citizen]]
    active: dict[str, Citizen]  # by id, in the order they started
    next_check: dict[str, dt.date]  # the day to ask for a citizen's next need
    wake: dict[dt.date, list[Citizen]]  # the citizens to look at on a day (`programmes`)
    open_needs: OpenNeeds  # the active citizens' needs, in the policies' order
    cases: list[Case]
    # at group call-ins so far: the arrivals the estimates expected, and those that came
    group_expected: float
    group_came: int
    # caseworker days with seats so far, and those lost to sickness (`absence_seen`)
    cw_days_seen: int
    sick_days_seen: int
    # per (citizen, obligation key): the earliest day any policy could hold it (`floor`)
    earliest_held: dict[tuple[str, str], dt.date | None]
    plan_slots: dict[tuple[str, int], Slot]  # a seat's slot in the re-plan (`plan`), by capacity
    # the figures
    result: RunResult

    @abstractmethod
    def show(self, need: Need, attempt: int) -> bool:
        """Does the citizen come to this attempt at this conversation? (`run.World.show`)"""

    @abstractmethod
    def unbook(self, need: Need) -> None:
        """Cancel the need's booking, if any (`bookings.Bookings.unbook`)."""

    @abstractmethod
    def _set_need(self, c: Citizen, need: Need | None) -> None:
        """The citizen's current need (`programmes.Programmes._set_need`)."""

    @abstractmethod
    def _check_on(self, c: Citizen, day: dt.date) -> None:
        """Ask for the citizen's next need on `day` (`programmes.Programmes._check_on`)."""
