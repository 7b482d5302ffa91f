"""What every booking policy shares: the `Policy` interface and the job centre's plain moves
(book the earliest free seat, give rehabilitation cases the first meetings), and the daily
check of a policy's plan by `solver.check`."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..check import check
from .plan import snapshot
from .world import Case, Meeting, Need, first_free

if TYPE_CHECKING:
    from .run import World


def working(world: World, day: dt.date) -> bool:
    return day.weekday() < 5 and day not in world.closed


def central_book(world: World, need: Need, day: dt.date) -> bool:
    """The job centre books the earliest free seat of the citizen's caseworker, with notice."""
    lo = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
    seat = first_free(world.seats_by_cw, need, lo, min(need.last_day, world.seat_horizon(day)))
    if seat is not None:
        world.book(need, seat)
        return True
    return False


def greedy_rehab(world: World, day: dt.date, key: Callable[[Case], Any]) -> None:
    """Waiting cases in `key` order, each to the first meeting its material can reach."""
    lead = dt.timedelta(days=world.scenario.rehab.lead_days)
    for case in sorted(world.waiting_cases(day), key=key):
        first = max(case.ready, day) + lead
        for m in world.meetings:
            if m.day >= first and len(m.cases) < m.capacity:
                assign_case(case, m)
                break


def assign_case(case: Case, meeting: Meeting | None) -> None:
    if case.meeting is not None:
        case.meeting.cases.remove(case)
    case.meeting = meeting
    if meeting is not None:
        meeting.cases.append(case)


class Policy(ABC):
    name = ""
    uses_groups = False
    clairvoyant = False

    @abstractmethod
    def act(self, world: World, day: dt.date) -> None:
        """Book, rebook or leave alone, for one day of the simulation."""

    def checked(self, world: World, day: dt.date) -> None:
        """With `check_plans`, every day's bookings go through `solver.check`."""
        if world.check_plans and working(world, day):
            inst, sol = snapshot(world, day)
            broken = check(inst.problem, sol)
            world.result.plans_checked += 1
            world.result.broken += [f"{self.name} {day}: {line}" for line in broken]
