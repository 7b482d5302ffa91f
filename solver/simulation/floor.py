"""The lateness no policy without foresight can avoid: each conversation's earliest possible
success in the simulated world.

The world draws whether a citizen comes to the k-th attempt at a conversation
(`world.show_draw`), how long a missed attempt waits before it may be held again (the `rebook`
draw of attempt k) and on which day, if ever, the citizen books themselves (`Need.sb_day`), all
fixed by the seed whatever the policy does. A policy can only
hold an attempt on a day the citizen's unit has a seat of a channel the conversation may use or
(in person) a group call-in, no earlier than the conversation's earliest date, nor than the
notice after the need is known (a central booking) or the day after the citizen books
themselves (the self-booking day the world drew for the need, if any, by the self-booking
deadline); after a miss, no earlier than the rebook delay and the notice of the new booking (a
rebooking is always central). Holding every attempt at the earliest such day therefore gives
the earliest day any policy can hold the conversation (holding an attempt later never makes a
later one earlier); if that day is after the date it is judged against, the conversation is
late under every policy that does not know who will come. The clairvoyant reference skips the
missed attempts, so it is not bound by this.

The count of such conversations is a floor under every policy's lateness, and so a ceiling on
the share of the edf → clairvoyant gap any policy can close (`report`, `library`). It ignores
capacity (other citizens' claims on the same seats), sick caseworkers and a seat's length: the
true floor can only be higher.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from .draws import randint
from .types import Booking
from .world import Need, Seat, Session, show_draw

MAX_ATTEMPTS = 200  # a citizen who never comes (p = 0 with no script) gives up the search


UnitDays = dict[tuple[str, str], list[dt.date]]


def unit_days(seats: Iterable[Seat], sessions: Iterable[Session]) -> UnitDays:
    """Per unit and channel, the days (sorted) with a seat of that channel or, in person, a
    group call-in."""
    days: defaultdict[tuple[str, str], set[dt.date]] = defaultdict(set)
    for s in seats:
        days[(s.unit, s.channel)].add(s.day)
    for sess in sessions:
        days[(sess.unit, "in_person")].add(sess.day)
    return {key: sorted(d) for key, d in days.items()}


def need_days(days: UnitDays, cache: dict[tuple[str, tuple[str, ...]], list[dt.date]],
              unit: str, channels: tuple[str, ...]) -> list[dt.date]:
    """The days (sorted) the unit has a seat or group call-in for one of `channels` (kept in
    `cache`: a run asks for few combinations)."""
    key = (unit, channels)
    out = cache.get(key)
    if out is None:
        out = cache[key] = sorted({d for ch in channels for d in days.get((unit, ch), [])})
    return out


def first_possible(booking: Booking, need: Need) -> dt.date:
    """The first day the first attempt may be held: the notice after the need is known, or the
    day after the citizen books themselves if that comes first; never before the earliest."""
    first = need.known + dt.timedelta(days=booking.notice_days)
    if need.sb_day is not None and need.sb_day <= need.sb_deadline:
        first = min(first, need.sb_day + dt.timedelta(days=1))
    return max(need.earliest, first)


def earliest_success(seed: int, booking: Booking, days: list[dt.date],
                     need: Need) -> dt.date | None:
    """The earliest day any policy can hold `need` (every attempt at the first day it may be
    held), or None when no day of `days` allows it."""
    r = booking.rebook_days
    first = first_possible(booking, need)
    attempt = 0
    while attempt < MAX_ATTEMPTS:
        i = bisect_left(days, first)
        if i == len(days):
            return None
        day = days[i]
        if show_draw(seed, need, attempt):
            return day
        attempt += 1  # as `Attendance._attend` draws the delay: with the next attempt's index
        delay = randint(seed, r.min, r.max, "rebook", need.cit.id, need.key, attempt)
        first = day + dt.timedelta(days=max(1, delay, booking.notice_days))
    return None
