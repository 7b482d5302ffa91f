"""The day picker of the citizen's free times: which day is shown, the days with their count,
and the filters read from the address (``?uge=``, ``?dag=``, ISO dates) that were not
understood (then not applied, and named to the citizen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .bounds import within
from .errors import ServiceError
from .slot_search import SlotOption


class FilterProblem(ServiceError):
    """A filter on the free times that was ignored: ``unknown_channel``, ``unknown_week`` or
    ``unknown_day`` (a day with no free time after the other filters)."""


@dataclass(frozen=True)
class DayChoice:
    """A day with free times (after the filters): the day picker's entry."""

    day: date
    count: int  # free times that day
    first: SlotOption  # the earliest of them


def week_of(raw: str) -> date:
    """The Monday of the week ``raw`` (an ISO date) falls in; ``ValueError`` for text that is
    no date or a day outside the service's calendar (``?uge=9999-12-31`` has no whole week)."""
    monday = date.fromisoformat(raw)
    if not within(monday):
        raise ValueError(raw)
    return monday - timedelta(days=monday.weekday())


def chosen_day(
    raw: str | None, days: dict[date, list[SlotOption]], problems: list[FilterProblem]
) -> tuple[date | None, bool]:
    """The day asked for (an ISO date with free times), else the first day with free times;
    and whether the citizen chose it. A day that is no date or has no free time (after the
    filters) is named in ``problems`` and the first day is shown."""
    first = next(iter(days), None)
    if not raw:
        return first, False
    try:
        asked = date.fromisoformat(raw)
    except ValueError:
        asked = None
    if asked is None or asked not in days:
        problems.append(FilterProblem("unknown_day"))
        return first, False
    return asked, True
