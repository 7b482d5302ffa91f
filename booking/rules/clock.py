"""The programme's clock (pauses) and working days (planning dates).

Cumulative unemployment
-----------------------
For the insured unemployed the law counts periods as *cumulative unemployment* (LAB § 9 stk. 1
nr. 1: "sammenlagt ledighed"). A :class:`~booking.rules.model.Pause` stops the clock: every
paused day pushes the dates after it one day later. An offset is first computed in calendar
terms from the programme start (2 months from 2024-01-10 is 2024-03-10, see
:mod:`booking.rules.dates`); the number of days it spans is then counted on the clock, i.e. the
date is moved on by the paused days met on the way. With no pause the clock is the calendar.
An open pause (``end`` ``None``) stops the clock for good: a date it would have to pass is
unknown (:meth:`Clock.at` returns ``None``). The engine leaves out the obligations whose
statutory deadline would fall after the pause began, until the pause gets an end; an obligation
due before it whose period would end after it stays, and its period has not closed
(``closes`` ``None``).

Planning dates
--------------
A conversation cannot be held on a Saturday, a Sunday, a Danish public holiday or a local
closed day. The law moves no deadline for that (no rule found, see README), so the statutory
deadline stays and the *planning* deadline is the last working day on or before the target,
never before the obligation's earliest day; if the window has no working day at all, the
earliest day. The engine knows weekends; public holidays and local closed days are given by the
caller (``closed``) — booking/rules imports no holiday calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .model import Pause

_DAY = timedelta(days=1)


def is_working_day(day: date, closed: frozenset[date] | set[date] = frozenset()) -> bool:
    """Monday to Friday and not in ``closed``."""
    return day.weekday() < 5 and day not in closed


def planning_date(target: date, earliest: date,
                  closed: frozenset[date] | set[date] = frozenset()) -> date:
    """The last working day on or before ``target`` and not before ``earliest``; ``earliest``
    itself when ``[earliest, target]`` holds no working day (or ``target < earliest``)."""
    day = target
    while day >= earliest:
        if is_working_day(day, closed):
            return day
        day -= _DAY
    return earliest


@dataclass(frozen=True, slots=True)
class _Stop:
    first: date  # first paused day
    last: date | None  # last paused day; None: still paused


class Clock:
    """Calendar dates of a programme's clock, given its pauses (see the module docstring)."""

    def __init__(self, start: date, pauses: Iterable[Pause] = ()) -> None:
        self.start = start
        self._stops = _merged(start, pauses)

    @property
    def stopped(self) -> bool:
        return bool(self._stops)

    def at(self, nominal: date) -> date | None:
        """The date the clock reaches the span ``nominal − start``; ``None`` if an open pause
        is met first."""
        if not self._stops:  # no pause: the calendar
            return nominal
        remaining = (nominal - self.start).days
        if remaining <= 0:
            return nominal
        day = self.start
        for stop in self._stops:
            if day + timedelta(days=remaining) < stop.first:
                break
            remaining -= (stop.first - _DAY - day).days
            if stop.last is None:
                return None
            day = stop.last
        return day + timedelta(days=remaining)


def _merged(start: date, pauses: Iterable[Pause]) -> list[_Stop]:
    """Pauses after the start day, sorted, overlapping or adjacent ones merged; the start day
    itself is day 0 of the clock and never paused."""
    stops: list[_Stop] = []
    for pause in sorted(pauses, key=lambda p: p.start):
        first = max(pause.start, start + _DAY)
        if pause.end is not None and pause.end < first:
            continue
        if stops and (stops[-1].last is None or first <= stops[-1].last + _DAY):
            previous = stops[-1]
            last = None if previous.last is None or pause.end is None \
                else max(previous.last, pause.end)
            stops[-1] = _Stop(previous.first, last)
        else:
            stops.append(_Stop(first, pause.end))
    return stops
