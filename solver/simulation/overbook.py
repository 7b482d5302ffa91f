"""Overbooking for the citizens least likely to come: two of them in one caseworker seat.

A seat may take a second booking when the chance that both citizens come — the product of
their show probabilities (each citizen's own prediction, never the outcome) — is at most the
policy's risk. If both come, the one with the earlier deadline is served and the other is
turned away and rebooked (counted as `turned_away`, never as held). In the planning instance
a double-booked seat is a slot of capacity 2, so `solver.check` judges it by the contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from .world import Need, Seat, first_index

if TYPE_CHECKING:
    from .run import World



def can_pair(p_need: float, p_other: float, risk: float) -> bool:
    return risk > 0 and p_need * p_other <= risk + 1e-12


def pair_seat(world: World, need: Need, view_p: Callable[[Need], float], risk: float,
              lo: dt.date, hi: dt.date, skip: Seat | None = None) -> Seat | None:
    """The earliest seat of the citizen's caseworker in [lo, hi] that holds exactly one
    booking, fits the conversation, and whose citizen and this one both come with a chance of
    at most `risk`."""
    p = view_p(need)
    if risk <= 0:
        return None
    seats = world.seats_by_cw.get(need.cit.spec.caseworker, [])
    for i in range(first_index(seats, lo), len(seats)):
        seat = seats[i]
        if seat.day > hi:
            break
        if (seat is not skip and seat.session is None and seat.need is not None
                and seat.extra is None and seat.channel in need.channels
                and seat.minutes >= need.minutes and seat.need.cit is not need.cit
                and can_pair(p, view_p(seat.need), risk)):
            return seat
    return None
