"""Working days: Danish public holidays (holidays package, Danish names) and closures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from .clock import zone


@lru_cache(maxsize=64)
def _closed_for_year(year: int, optional: tuple[str, ...]) -> dict[date, str]:
    public = holidays.country_holidays("DK", years=year, language="da")
    closed: dict[date, str] = dict(public.items())
    if optional:
        extra = holidays.country_holidays("DK", years=year, language="da", categories=("optional",))
        closed.update({d: n for d, n in extra.items() if n in optional})
    return closed


def closed_days(years: Iterable[int], optional: Sequence[str] = ()) -> dict[date, str]:
    """Dates the job centre is closed, with their Danish names."""
    out: dict[date, str] = {}
    for year in years:
        out.update(_closed_for_year(year, tuple(optional)))
    return out


def is_working_day(day: date, closed: dict[date, str]) -> bool:
    return day.weekday() < 5 and day not in closed


def next_working_day(day: date, closed: dict[date, str]) -> date:
    """``day`` itself when the job centre is open that day, else the next day it is."""
    while not is_working_day(day, closed):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int, closed: dict[date, str]) -> date:
    """Move ``count`` working days from ``day`` (negative: backwards)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, closed):
            remaining -= 1
    return day


def local_datetime(day: date, at: time, tz: ZoneInfo | None = None) -> datetime:
    """An aware datetime for a wall-clock time on a date (DST handled by zoneinfo)."""
    return datetime.combine(day, at, tzinfo=tz or zone())


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
