"""The manager's timeliness page as a view-model: the indicator week by week for a chosen
period (the current week too, so far), per unit or caseworker and for the whole municipality,
against the targets, with the series the trend charts draw.

The targets (see PRODUCT.md and LAW.md):

* **interim** and **goal** (``[targets]``, 80 % then 90 %): the municipality's own targets for
  the share of conversations held on or before the statutory deadline;
* **law** (75 %): from lov nr. 1750/2025 (the flexible contact course, in force 2026-07-01)
  the conversations are required for at least 75 % of a target group; the line applies from
  the first day of the earliest packaged rule set that has such a share rule.

A week's figure counts the conversations whose statutory deadline falls in it and before today
(a deadline still ahead cannot be judged), as :func:`.timeliness.indicator` does.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from .. import rules
from ..settings import TargetSettings
from .law.indicator import GroupIndicator, group_indicators, share_rules
from .timeliness import Grouping, Indicator, daily_counts

PERIODS = (4, 8, 13, 26, 52)  # the period picker's choices, in weeks
DEFAULT_WEEKS = 13
MAX_WEEKS = 52
MAX_COLUMNS = 8  # the caseworker table groups weeks so that it has at most this many

Level = Literal["goal", "interim", "below", "none"]


@dataclass(frozen=True)
class Count:
    due: int = 0
    on_time: int = 0

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def __add__(self, other: Count) -> Count:
        return Count(self.due + other.due, self.on_time + other.on_time)


@dataclass(frozen=True)
class Targets:
    interim: float
    goal: float
    law: float | None  # the law's share (75 %), where a share rule exists
    law_from: date | None  # the first day the law's share applies

    def level(self, share: float | None) -> Level:
        """How a share stands: the goal reached, the interim target reached, below it."""
        if share is None:
            return "none"
        if share >= self.goal:
            return "goal"
        return "interim" if share >= self.interim else "below"

    def law_applies(self, end: date) -> bool:
        """Does the law's share apply to (part of) a period ending (exclusive) on ``end``?"""
        return self.law is not None and self.law_from is not None and end > self.law_from


@dataclass(frozen=True)
class Entity:
    key: int
    name: str


@dataclass(frozen=True)
class Week:
    start: date  # Monday
    end: date  # the next Monday (exclusive)
    year: int  # ISO year and week
    number: int
    current: bool  # today's week, counted up to yesterday
    cells: dict[int, Count]  # by unit or caseworker id
    total: Count  # the municipality


@dataclass(frozen=True)
class Block:
    """A column of the caseworker table: one or more consecutive weeks."""

    weeks: list[Week]
    cells: dict[int, Count]

    @property
    def first(self) -> Week:
        return self.weeks[0]

    @property
    def last(self) -> Week:
        return self.weeks[-1]

    @property
    def current(self) -> bool:
        return any(w.current for w in self.weeks)


@dataclass(frozen=True)
class Trend:
    """One trend chart: a unit (or the municipality, key 0) week by week."""

    key: int
    name: str
    counts: list[Count]  # one per week, as ``ManagerView.rows``
    total: Count

    @property
    def shares(self) -> list[float | None]:
        return [c.share for c in self.counts]


@dataclass
class ManagerView:
    today: date
    weeks: int  # whole weeks before the current one
    by: Grouping
    targets: Targets
    rows: list[Week]  # oldest first; the last is the current week
    entities: list[Entity]  # the table's units or caseworkers, by name
    totals: dict[int, Count]  # the whole period per entity
    municipality: Count  # the whole period, all units
    trends: list[Trend]  # the municipality first, then each unit
    blocks: list[Block]  # the weeks grouped for the caseworker table
    groups: list[GroupIndicator] = field(default_factory=list)
    periods: tuple[int, ...] = PERIODS

    @property
    def first_day(self) -> date:
        return self.rows[0].start

    @property
    def last_day(self) -> date:
        """The last day counted: yesterday (the current week so far)."""
        return self.today - timedelta(days=1)

    @property
    def current(self) -> Week:
        return self.rows[-1]

    @property
    def choices(self) -> list[int]:
        """The period picker's choices, with the period shown when it is not one of them."""
        return sorted({*self.periods, self.weeks})


def law_target() -> tuple[float | None, date | None]:
    """The law's share and the first day of the earliest packaged set that has one."""
    found = share_rules()
    if not found:
        return None, None
    since = min(rules.load_rule_set(r.rule_set).effective_from for r in found)
    return max(r.min_share for r in found), since


def week_starts(today: date, weeks: int) -> list[date]:
    """The Mondays of the last ``weeks`` whole weeks and of today's week, oldest first."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=i) for i in range(weeks, -1, -1)]


def _sum(counts: list[Count]) -> Count:
    total = Count()
    for c in counts:
        total = total + c
    return total


def _weeks(session: Session, starts: list[date], today: date, by: Grouping
           ) -> tuple[list[dict[int, Count]], dict[int, str]]:
    """Per week (``starts``), the counts by unit or caseworker; and their names."""
    index = {start: i for i, start in enumerate(starts)}
    out: list[dict[int, Count]] = [defaultdict(Count) for _ in starts]
    names: dict[int, str] = {}
    for row in daily_counts(session, starts[0], starts[-1] + timedelta(weeks=1), today, by=by):
        i = index[row.day - timedelta(days=row.day.weekday())]
        out[i][row.key] = out[i][row.key] + Count(row.due, row.on_time)
        names[row.key] = row.name
    return [dict(d) for d in out], names


def blocks_of(rows: list[Week], keys: list[int]) -> list[Block]:
    """The weeks grouped newest-last into at most ``MAX_COLUMNS`` columns of equal size (the
    oldest may be shorter)."""
    size = max(1, math.ceil(len(rows) / MAX_COLUMNS))
    chunks: list[list[Week]] = []
    end = len(rows)
    while end > 0:
        chunks.insert(0, rows[max(0, end - size):end])
        end -= size
    return [Block(chunk, {k: _sum([w.cells.get(k, Count()) for w in chunk]) for k in keys})
            for chunk in chunks]


def manager_view(
    session: Session,
    targets: TargetSettings,
    today: date,
    *,
    weeks: int,
    by: Grouping,
    exemption_warn_share: float,
) -> ManagerView:
    """The page for the last ``weeks`` whole weeks (1–52) and the current week so far."""
    weeks = min(max(weeks, 1), MAX_WEEKS)
    starts = week_starts(today, weeks)
    unit_weeks, unit_names = _weeks(session, starts, today, "unit")
    if by == "unit":
        table_weeks, names = unit_weeks, unit_names
    else:
        table_weeks, names = _weeks(session, starts, today, "caseworker")
    rows = []
    for start, cells, per_unit in zip(starts, table_weeks, unit_weeks, strict=True):
        iso = start.isocalendar()
        rows.append(Week(start, start + timedelta(weeks=1), iso.year, iso.week,
                         start == starts[-1], cells, _sum(list(per_unit.values()))))
    entities = sorted((Entity(k, n) for k, n in names.items()), key=lambda e: (e.name, e.key))
    keys = [e.key for e in entities]
    totals = {k: _sum([w.cells.get(k, Count()) for w in rows]) for k in keys}
    municipality = _sum([w.total for w in rows])
    units = sorted(unit_names.items(), key=lambda kv: (kv[1], kv[0]))
    trends = [Trend(0, "", [w.total for w in rows], municipality)]
    for key, name in units:
        counts = [week.get(key, Count()) for week in unit_weeks]
        trends.append(Trend(key, name, counts, _sum(counts)))
    law, law_from = law_target()
    groups = group_indicators(session, starts[0], starts[-1] + timedelta(weeks=1), today,
                              warn_at=exemption_warn_share)
    return ManagerView(
        today, weeks, by, Targets(targets.interim, targets.goal, law, law_from), rows, entities,
        totals, municipality, trends, blocks_of(rows, keys), groups,
    )


__all__ = ["PERIODS", "Block", "Count", "Entity", "Indicator", "ManagerView", "Targets",
           "Trend", "Week", "manager_view"]
