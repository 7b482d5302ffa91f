"""What-if projection: seeded inflow, the real solver re-planning week by week.

No database: a scenario's parameters in, week-by-week figures out. Each run draws job-
clarification starts (Poisson per week, seeded), re-plans every Monday with the same solver and
material rules as the live plan, and commits a case to its meeting once the material has to
leave (the region prepares it then). Timeliness is counted by deadline week: of the cases whose
presentation deadline falls in a week, how many were presented on or before it.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import solver

from .assign import rehab_problem
from .schedule import material_due

WEEKDAYS_BY_COUNT = {1: (1,), 2: (1, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}
WARM_UP_WEEKS = 6


@dataclass(frozen=True)
class ScenarioParams:
    start: date  # a Monday: the first projected week
    meetings_per_week: int = 2
    places_per_meeting: int = 5
    lead_days: int = 14
    inflow_per_week: float = 10.0
    closed_weeks: tuple[int, ...] = ()  # ISO week numbers without meetings
    weeks: int = 26
    ready_days: int = 7  # from programme start until the material can be sent
    deadline_days: int = 28  # presentation deadline from programme start (rule set)
    seed: int = 1
    runs: int = 5

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["closed_weeks"] = list(self.closed_weeks)
        return data


@dataclass
class WeekFigures:
    week_start: date
    due: float = 0.0
    on_time: float = 0.0
    presented: float = 0.0
    backlog: float = 0.0
    places: float = 0.0

    @property
    def late(self) -> float:
        return self.due - self.on_time

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class Projection:
    params: ScenarioParams
    weeks: list[WeekFigures] = field(default_factory=list)
    solve_seconds: float = 0.0

    @property
    def due(self) -> float:
        return sum(w.due for w in self.weeks)

    @property
    def on_time(self) -> float:
        return sum(w.on_time for w in self.weeks)

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def to_json(self) -> dict[str, Any]:
        return {
            "params": self.params.to_json(),
            "share": self.share,
            "due": self.due,
            "on_time": self.on_time,
            "solve_seconds": round(self.solve_seconds, 3),
            "weeks": [
                {
                    "week_start": w.week_start.isoformat(),
                    "due": w.due,
                    "on_time": w.on_time,
                    "late": w.late,
                    "presented": w.presented,
                    "backlog": w.backlog,
                    "places": w.places,
                    "share": w.share,
                }
                for w in self.weeks
            ],
        }


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@dataclass
class _Case:
    id: int
    start: date
    ready: date
    deadline: date
    meeting: int | None = None  # committed meeting index
    presented_on: date | None = None


def _meetings(p: ScenarioParams, first: date, last: date, closed: dict[date, str]) -> list[date]:
    days = WEEKDAYS_BY_COUNT[p.meetings_per_week]
    out, day = [], first
    while day <= last:
        if (
            day.weekday() in days
            and day not in closed
            and day.isocalendar().week not in p.closed_weeks
        ):
            out.append(day)
        day += timedelta(days=1)
    return out


def project(
    p: ScenarioParams, closed: dict[date, str], settings: solver.SolverSettings
) -> Projection:
    """Average of ``p.runs`` seeded runs (run i uses seed ``p.seed + i``)."""
    result = Projection(p, [WeekFigures(p.start + timedelta(weeks=i)) for i in range(p.weeks)])
    for run in range(p.runs):
        _one_run(p, closed, settings, random.Random(p.seed + run), result)
    for week in result.weeks:
        for name in ("due", "on_time", "presented", "backlog", "places"):
            setattr(week, name, round(getattr(week, name) / p.runs, 2))
    return result


def _one_run(
    p: ScenarioParams,
    closed: dict[date, str],
    settings: solver.SolverSettings,
    rng: random.Random,
    out: Projection,
) -> None:
    first = p.start - timedelta(weeks=WARM_UP_WEEKS)
    horizon_end = p.start + timedelta(weeks=p.weeks + 8)
    meetings = _meetings(p, first, horizon_end, closed)
    used = [0] * len(meetings)
    cases: list[_Case] = []
    for week in range(WARM_UP_WEEKS + p.weeks):
        monday = first + timedelta(weeks=week)
        for _ in range(_poisson(rng, p.inflow_per_week)):
            start = monday + timedelta(days=rng.randint(0, 4))
            cases.append(
                _Case(
                    len(cases),
                    start,
                    start + timedelta(days=p.ready_days),
                    start + timedelta(days=p.deadline_days),
                )
            )
        _plan_week(p, closed, settings, monday, meetings, used, cases, out)
    index = {w.week_start: w for w in out.weeks}
    for i, day in enumerate(meetings):
        row = index.get(day - timedelta(days=day.weekday()))
        if row is not None:
            row.places += p.places_per_meeting
            row.presented += used[i]
    for case in cases:
        row = index.get(case.deadline - timedelta(days=case.deadline.weekday()))
        if row is not None:
            row.due += 1
            if case.presented_on is not None and case.presented_on <= case.deadline:
                row.on_time += 1
    for row in out.weeks:
        week_end = row.week_start + timedelta(days=7)
        row.backlog += sum(
            1
            for c in cases
            if c.start < week_end and (c.presented_on is None or c.presented_on >= week_end)
        )


def _plan_week(
    p: ScenarioParams,
    closed: dict[date, str],
    settings: solver.SolverSettings,
    monday: date,
    meetings: list[date],
    used: list[int],
    cases: list[_Case],
    out: Projection,
) -> None:
    """Re-plan on Monday; commit cases whose material must leave before next Monday."""
    waiting = [c for c in cases if c.meeting is None and c.start <= monday]
    future = [i for i, d in enumerate(meetings) if d >= monday]
    if waiting and future:
        problem = rehab_problem(
            [
                {
                    "id": f"m-{i}",
                    "date": meetings[i],
                    "capacity": max(0, p.places_per_meeting - used[i]),
                }
                for i in future
            ],
            [{"id": f"r-{c.id}", "ready": c.ready, "deadline": c.deadline} for c in waiting],
            today=monday,
            lead_days=p.lead_days,
            closed=closed,
        )
        solution = solver.solve(solver.load_problem(problem), settings)
        out.solve_seconds += float(solution.stats.get("solve_seconds", 0.0))
        next_monday = monday + timedelta(weeks=1)
        by_id = {f"r-{c.id}": c for c in waiting}
        for case_key, meeting_key in solution.rehab:
            i = int(meeting_key[2:])
            if material_due(meetings[i], p.lead_days, closed) < next_monday:
                case = by_id[case_key]
                case.meeting = i
                case.presented_on = meetings[i]
                used[i] += 1
