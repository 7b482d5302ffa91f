"""The lateness no policy without foresight can avoid: each conversation's earliest possible
success in the simulated world.

The world draws whether a citizen comes to the k-th attempt at a conversation
(`world.show_draw`) and how long a missed attempt waits before it may be held again (the
`rebook` draw of attempt k), both fixed by the seed whatever the policy does. A policy can only
hold an attempt on a day the citizen's unit has a seat or a group call-in, no earlier than the
conversation's earliest date, nor than the notice after the need is known (a central booking) or
the day after its letter (a citizen booking themselves); after a miss, no earlier than the
rebook delay and the notice of the new booking (a rebooking is always central). Holding every
attempt at the earliest such day therefore gives the earliest day any policy can hold the
conversation (holding an attempt later never makes a later one earlier); if that day is after
the date it is judged against, the conversation is late under every policy that does not know
who will come. The clairvoyant reference skips the missed
attempts, so it is not bound by this.

The count of such conversations is a floor under every policy's lateness, and so a ceiling on
the share of the edf → clairvoyant gap any policy can close (`report`, `library`). It ignores
capacity (other citizens' claims on the same seats) and the channel a conversation needs: the
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


def unit_days(seats: Iterable[Seat], sessions: Iterable[Session]) -> dict[str, list[dt.date]]:
    """Per unit, the days (sorted) with a seat or a group call-in."""
    days: defaultdict[str, set[dt.date]] = defaultdict(set)
    for s in seats:
        days[s.unit].add(s.day)
    for sess in sessions:
        days[sess.unit].add(sess.day)
    return {unit: sorted(d) for unit, d in days.items()}


def earliest_success(seed: int, booking: Booking, days: list[dt.date],
                     need: Need) -> dt.date | None:
    """The earliest day any policy can hold `need` (every attempt at the first day it may be
    held), or None when no day of `days` allows it."""
    notice = dt.timedelta(days=booking.notice_days)
    r = booking.rebook_days
    first = max(need.earliest, min(need.known + notice, need.appear + dt.timedelta(days=1)))
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
