"""Seats kept for the citizens who will need them within days, and given out at the last moment.

Some conversations are due within a week of the day the job centre hears of them (the first
conversation of a cash-benefit claim: LAB § 31 stk. 3, "senest 1 uge efter første
henvendelse"). With the call-in notice such a citizen can only use seats of the next few days;
if those went to citizens whose deadline is weeks away, the conversation is late whatever the
plan. Where that happens, the solver policy keeps some of each caseworker's seats free for them:

* **urgent** — a need that can still be met and whose planning target is within
  `URGENT_DAYS`; urgent needs may take a kept seat on or before their deadline (`take`);
* **where** — only in a unit where at least one urgent need of the last `RATE_DAYS` days found
  no free seat by its deadline among the seats that were not kept (`note`): with room enough,
  nothing is kept;
* **how many** — per caseworker, `FACTOR` seats for every need of the last `RATE_DAYS` days
  that was urgent at its first attempt (a newcomer due within days), spread over the in-person
  seat days of the next `RATE_DAYS` and kept through the booking horizon (at most `MOST` of a
  day's in-person seats; the latest seats of a day, so morning windows stay possible). Nothing
  is kept before the policy has seen `RATE_DAYS` days;
* **released** — a seat at today + notice (the last day a call-in letter still reaches) is
  never kept; a free one goes to a citizen of its caseworker booked later (`pull_in`).

During the policy's turn a kept seat carries the `KEPT` marker session, so the plain moves
(earliest free seat, pooled windows, the weekly plan) pass it by; `release` takes the markers
off before anything else happens. Only dates, deadlines and what the job centre has seen are
used, never show outcomes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from .world import Need, Seat, Session, first_free, first_index

if TYPE_CHECKING:
    from .run import World

URGENT_DAYS = 7  # a need whose planning target is this near is urgent (may take kept seats)
RATE_DAYS = 28  # the urgent needs of this many past days give the rate
FACTOR = 3.0  # kept seats per newcomer expected (per caseworker)
MOST = 0.5  # at most this share of a caseworker's in-person seats of a day is kept
KEPT = Session("kept", "", dt.date.min, "00:00", 0, [])  # the marker of a kept seat


class Reserve:
    """The kept seats of one run (the solver policy holds one per world)."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str, int]] = set()
        # per caseworker: (day, found no free seat that was not kept) of each urgent need
        self.arrivals: dict[str, deque[tuple[dt.date, bool]]] = defaultdict(deque)
        self.first_seen: dict[str, deque[dt.date]] = defaultdict(deque)  # ... at attempt 0
        self.kept: list[Seat] = []
        self.since: dt.date | None = None  # the first day seen

    def urgent(self, world: World, need: Need, day: dt.date, target: dt.date) -> bool:
        """Can still be met, and its planning target is within `URGENT_DAYS`."""
        first = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
        return first <= need.deadline and target <= day + dt.timedelta(days=URGENT_DAYS)

    def note(self, world: World, need: Need, day: dt.date) -> None:
        """An urgent need seen for the first time (this attempt), counted for its caseworker
        with whether a free seat that is not kept would meet its deadline."""
        key = (need.cit.id, need.key, need.attempt)
        if key in self.seen:
            return
        self.seen.add(key)
        if need.attempt == 0:
            self.first_seen[need.cit.spec.caseworker].append(day)
        lo = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
        blocked = first_free(world.seats_by_cw, need, lo, need.deadline) is None
        self.arrivals[need.cit.spec.caseworker].append((day, blocked))

    def keep(self, world: World, day: dt.date) -> None:
        """Mark the kept seats of every caseworker (see the module docstring)."""
        since = day - dt.timedelta(days=RATE_DAYS)
        if self.since is None:
            self.since = day
        if self.since > since:
            return  # not yet `RATE_DAYS` of what the job centre saw
        blocked_units = set()
        for cw, arrivals in self.arrivals.items():
            while arrivals and arrivals[0][0] <= since:
                arrivals.popleft()
            if any(blocked for _, blocked in arrivals):
                blocked_units.add(world.unit_of[cw])
        for days in self.first_seen.values():
            while days and days[0] <= since:
                days.popleft()
        for cw, days in self.first_seen.items():
            if days and world.unit_of[cw] in blocked_units:
                self._keep_for(world, day, cw, len(days))

    def _keep_for(self, world: World, day: dt.date, cw: str, newcomers: int) -> None:
        seats = world.seats_by_cw.get(cw, [])
        start = first_index(seats, day)
        ahead = first_index(seats, day + dt.timedelta(days=RATE_DAYS))
        seat_days = len({s.day for s in seats[start:ahead] if s.channel == "in_person"})
        per_day = FACTOR * newcomers / max(1, seat_days)
        first = day + dt.timedelta(days=world.booking.notice_days + 1)
        last = world.seat_horizon(day)
        by_day: dict[dt.date, list[Seat]] = defaultdict(list)
        for seat in seats[first_index(seats, first):]:
            if seat.day > last:
                break
            if seat.channel == "in_person":
                by_day[seat.day].append(seat)
        carry = 0.0
        for day_seats in by_day.values():  # in date order
            carry += per_day
            count = round(carry)
            carry -= count
            count = min(count, int(MOST * len(day_seats)))
            for seat in reversed(day_seats):  # the latest seats of the day first
                if count <= 0:
                    break
                if seat.need is None and seat.session is None:
                    seat.session = KEPT
                    self.kept.append(seat)
                    count -= 1

    def release(self) -> None:
        for seat in self.kept:
            if seat.session is KEPT:
                seat.session = None
        self.kept = []

    def take(self, world: World, need: Need, lo: dt.date, hi: dt.date) -> bool:
        """Book an urgent need into its caseworker's earliest free or kept seat in [lo, hi] on
        or before its deadline (False: none; a kept seat never goes to a late conversation)."""
        hi = min(hi, need.deadline)
        seats = world.seats_by_cw.get(need.cit.spec.caseworker, [])
        i = first_index(seats, lo)
        for seat in seats[i:]:
            if seat.day > hi:
                break
            if (seat.need is None and (seat.session is None or seat.session is KEPT)
                    and seat.channel in need.channels and seat.minutes >= need.minutes):
                seat.session = None
                world.book(need, seat)
                return True
        return False


def pull_in(world: World, day: dt.date, needs: list[Need],
            rank: Callable[[Need, Seat], tuple[float, ...]]) -> int:
    """Free seats on the first bookable day (today + notice) go to citizens of the same
    caseworker who are booked later and may be seen then, lowest `rank` first; returns how
    many moved."""
    seat_day = day + dt.timedelta(days=world.booking.notice_days)
    free = [s for s in world.seats_by_day.get(seat_day, [])
            if s.need is None and s.session is None]
    if not free:
        return 0
    by_cw: dict[str, list[Need]] = defaultdict(list)
    for need in needs:
        seat = need.seat
        if (seat is not None and seat.need is need and seat.extra is None
                and seat.day > seat_day and need.ready <= seat_day):
            by_cw[need.cit.spec.caseworker].append(need)
    moved = 0
    for seat in sorted(free, key=lambda s: (s.time, s.cw)):
        fits = [n for n in by_cw.get(seat.cw, []) if n.seat is not None
                and n.seat.day > seat_day and seat.channel in n.channels
                and seat.minutes >= n.minutes]
        if not fits:
            continue
        need = min(fits, key=lambda n: rank(n, seat))
        world.unbook(need)
        world.book(need, seat)
        moved += 1
    return moved
