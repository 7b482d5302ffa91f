"""The needs of the active citizens, in the order the policies take them, and those a policy
may see on a day.

A policy asks every day for the needs whose call-in letter has gone out (`Need.appear` on or
before the day), or may go out early (`Need.known`), earliest deadline first (then citizen id:
`Need.order`). A need's dates never change and the days asked for only grow, so each view keeps
the needs it shows in that order and the others waiting in a heap by their date, moved over when
their day comes: a question costs the needs that came, went or became visible since the last.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
from dataclasses import dataclass

from .world import Need


class OpenNeeds:
    def __init__(self) -> None:
        self.views = {False: _View("appear"), True: _View("known")}

    def add(self, need: Need) -> None:
        for view in self.views.values():
            view.add(need)

    def remove(self, need: Need) -> None:
        for view in self.views.values():
            view.remove(need)

    def visible(self, day: dt.date, early: bool) -> list[Need]:
        """The needs whose letter has gone out by `day` (`early`: may go out), in order (a
        new list)."""
        return self.views[early].upto(day)


@dataclass
class _Waiting:
    need: Need
    open: bool = True


class _View:
    """The needs whose `attr` date is on or before `day` (`shown`, with their orders alongside)
    and the others (`waiting`, a heap by that date)."""

    def __init__(self, attr: str) -> None:
        self.attr = attr
        self.day = dt.date.min
        self.shown: list[Need] = []
        self.orders: list[int] = []
        self.waiting: list[tuple[dt.date, int, _Waiting]] = []  # (day, tie, entry)
        self.entry: dict[int, _Waiting] = {}  # id of a waiting need -> its heap entry
        self.tie = itertools.count()

    def add(self, need: Need) -> None:
        day: dt.date = getattr(need, self.attr)
        if day <= self.day:
            self._show(need)
        else:
            entry = self.entry[id(need)] = _Waiting(need)
            heapq.heappush(self.waiting, (day, next(self.tie), entry))

    def remove(self, need: Need) -> None:
        entry = self.entry.pop(id(need), None)
        if entry is not None:
            entry.open = False  # left in the heap (holding the need) until its day
            return
        i = bisect.bisect_left(self.orders, need.order)
        assert self.shown[i] is need
        del self.shown[i], self.orders[i]

    def upto(self, day: dt.date) -> list[Need]:
        if day < self.day:  # an earlier day than last asked: only shown needs can be visible
            return [n for n in self.shown if getattr(n, self.attr) <= day]
        self.day = day
        waiting = self.waiting
        while waiting and waiting[0][0] <= day:
            entry = heapq.heappop(waiting)[2]
            if entry.open:
                del self.entry[id(entry.need)]
                self._show(entry.need)
        return list(self.shown)

    def _show(self, need: Need) -> None:
        i = bisect.bisect_left(self.orders, need.order)
        self.shown.insert(i, need)
        self.orders.insert(i, need.order)
