"""The two baselines: today's practice (citizens self-book first come, the job centre books
centrally after the self-booking deadline and after a no-show) and earliest-deadline-first."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .draws import uniform
from .policy import Policy, central_book, greedy_rehab, working
from .world import Need, Seat, first_free

if TYPE_CHECKING:
    from .run import World


class TodayPractice(Policy):
    name = "today"

    def act(self, world: World, day: dt.date) -> None:
        work = working(world, day)
        for need in world.needs(day):
            if need.booked:
                continue
            if not need.central and need.sb_day is not None and need.sb_day <= day:
                if day <= need.sb_deadline and self_book(world, need, day):
                    continue
                need.sb_day = None  # no slot before the deadline, or too late: central later
            if work and (need.central or day > need.sb_deadline):
                need.central = True
                central_book(world, need, day)
        if work:
            greedy_rehab(world, day, key=lambda c: (c.ready, c.id))
        self.checked(world, day)


def self_book(world: World, need: Need, day: dt.date) -> bool:
    """First come: the citizen takes one of the first free seats before the deadline."""
    seats: list[Seat] = []
    lo = max(need.ready, day + dt.timedelta(days=1))
    hi = min(need.deadline, need.last_day, world.seat_horizon(day))
    while len(seats) < world.booking.self_booking_choices:
        seat = first_free(world.seats_by_cw, need, lo, hi)
        if seat is None:
            break
        seats.append(seat)
        seat.need = need  # reserve while looking further
    for seat in seats:
        seat.need = None
    if not seats:
        return False
    u = uniform(world.seed, "pick", need.cit.id, need.key, need.attempt)
    world.book(need, seats[int(u * len(seats))])
    return True


class EarliestDeadline(Policy):
    name = "edf"

    def act(self, world: World, day: dt.date) -> None:
        if not working(world, day):
            return
        for need in world.needs(day):
            if not need.booked:
                central_book(world, need, day)
        greedy_rehab(world, day, key=lambda c: (c.deadline, c.id))
        self.checked(world, day)
