"""Calendar arithmetic for statutory periods.

Conventions (documented once, used everywhere):

* A **month** is a calendar month. Adding months keeps the day of the month and clamps to the
  last day when the target month is shorter: 2017-01-31 + 1 month = 2017-02-28,
  2016-01-31 + 1 month = 2016-02-29.
* Offsets are always applied to the *anchor* (the programme start), never chained, so month ends
  do not drift: start + 2 months is computed as such, not as (start + 1 month) + 1 month.
* A **week** is 7 days; a **day** is a calendar day (no skipping of weekends or holidays: the law
  counts calendar time; planning around closures belongs to the solver).
* Periods are closed intervals: "within 6 weeks of Monday 2017-01-02" includes 2017-02-13.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta

UNITS = ("days", "weeks", "months")


def add_months(day: date, months: int) -> date:
    """Return ``day`` plus ``months`` calendar months (negative allowed), clamped to month end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True, slots=True)
class Offset:
    """A signed distance in one unit: ``Offset(6, "weeks")``, ``Offset(3, "months")``."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; expected one of {UNITS}")

    def after(self, anchor: date, times: int = 1) -> date:
        """``anchor`` + ``times`` × this offset, computed from the anchor in one step."""
        amount = self.amount * times
        if self.unit == "months":
            return add_months(anchor, amount)
        if self.unit == "weeks":
            return anchor + timedelta(weeks=amount)
        return anchor + timedelta(days=amount)

    def plus(self, other: Offset, times: int = 1) -> Offset | None:
        """``self + times·other`` as one offset when the units agree, else ``None``."""
        if self.unit != other.unit:
            return None
        return Offset(self.amount + times * other.amount, self.unit)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


ZERO = Offset(0, "days")


@dataclass(frozen=True, slots=True)
class Window:
    """A closed period ``[start, end]``.

    ``anchor``/``start_months``/``months`` are set when the period is a whole number of calendar
    months measured from the programme start (``anchor``); spreading then uses calendar months.
    """

    start: date
    end: date
    anchor: date | None = None
    start_months: int = 0
    months: int | None = None


def spread_deadlines(window: Window, count: int, *, pinned_first: bool = False) -> list[date]:
    """Planning deadlines for ``count`` events spread evenly over ``window``.

    The i-th of N (1-based) is due by ``period_start + i·(period length)/N``; the last one by the
    period end. When the period is whole calendar months and ``i·months`` is divisible by N, the
    deadline is a whole number of calendar months from the programme start (6 in 6 months from
    2017-01-02 → 02-02, 03-02, …, 07-02). Otherwise the length is counted in days and the fraction
    rounded down. Deadlines never decrease and never pass the period end.

    With ``pinned_first`` the first event has its own deadline (set by the caller) and the other
    N−1 are spread as if alone: the j-th of them by ``period_start + j·length/(N−1)``.
    """
    if pinned_first and count > 1:
        return [window.start, *spread_deadlines(window, count - 1)]
    length_days = (window.end - window.start).days
    result: list[date] = []
    for i in range(1, count + 1):
        if i == count:
            due = window.end
        elif (
            window.months is not None
            and window.anchor is not None
            and (i * window.months) % count == 0
        ):
            due = add_months(window.anchor, window.start_months + i * window.months // count)
        else:
            due = window.start + timedelta(days=(i * length_days) // count)
        if result and due < result[-1]:
            due = result[-1]
        result.append(min(due, window.end))
    return result


def months_before(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months (2017-05-31 − 2 months = 2017-03-31)."""
    return add_months(day, -months)
