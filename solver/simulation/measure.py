"""The figures of one run, and the verdict at its end: the rules engine judges every obligation
due in the measured weeks from the conversations actually held."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .population import fulfilment
from .state import WorldState
from .world import DAY


def _counter() -> defaultdict[str, int]:
    return defaultdict(int)


@dataclass
class RunResult:
    policy: str
    seed: int
    on_time: dict[str, int] = field(default_factory=_counter)
    due: dict[str, int] = field(default_factory=_counter)
    weekly_on_time: list[int] = field(default_factory=list)
    weekly_due: list[int] = field(default_factory=list)
    unit_on_time: dict[str, int] = field(default_factory=_counter)
    unit_due: dict[str, int] = field(default_factory=_counter)
    late_days: int = 0
    rehab_on_time: int = 0
    rehab_due: int = 0
    rehab_late_days: int = 0
    held: int = 0
    missed: int = 0
    turned_away: int = 0
    # conversations late under every policy that does not know who will come (`floor`), and
    # how many of those this run still held on time (0 unless the run knew who would come)
    floor_late: int = 0
    floor_on_time: int = 0
    sick_cancelled: int = 0
    seats: int = 0
    mean_show: float = 0.0
    expected_attempts: float = 0.0  # sum of 1/p over the conversations due: the seats needed
    plan_seconds: list[float] = field(default_factory=list)  # per simulated week
    replan_seconds: list[float] = field(default_factory=list)  # per weekly re-plan (solver)
    plans_checked: int = 0
    broken: list[str] = field(default_factory=list)
    # every measured attempt: (the estimate before it, the group's prior, the truth, came)
    calibration: list[tuple[float, float, float, bool]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["on_time"], out["due"] = dict(self.on_time), dict(self.due)
        out["unit_on_time"], out["unit_due"] = dict(self.unit_on_time), dict(self.unit_due)
        return out


class Measurement(WorldState):
    """On time per group and week (by the scenario's `on_time_against` date), lateness, the
    rehabilitation cases, and the load (mean show probability, expected attempts)."""

    def _measure(self) -> None:
        res = self.result
        res.weekly_on_time = [0] * self.weeks
        res.weekly_due = [0] * self.weeks
        against = self.scenario.on_time_against
        shows = []
        for c in self.citizens:
            if c.spec.start >= self.end:
                continue
            for ob, done in fulfilment(self.rule_set, c.spec, c.held, self.end - DAY):
                if not (ob.bookable and ob.mandatory):
                    continue
                judge = getattr(ob, against)
                if not self.measure_from <= judge < self.end:
                    continue
                ok = done is not None and done <= judge
                if (c.id, ob.key) in self.earliest_held:
                    earliest = self.earliest_held[(c.id, ob.key)]
                    if earliest is None or earliest > judge:
                        res.floor_late += 1
                        res.floor_on_time += ok
                week = (judge - self.measure_from).days // 7
                res.due[c.spec.group] += 1
                res.on_time[c.spec.group] += ok
                res.unit_due[c.spec.unit] += 1
                res.unit_on_time[c.spec.unit] += ok
                res.weekly_due[week] += 1
                res.weekly_on_time[week] += ok
                res.late_days += max(0, ((done or self.end) - judge).days)
                shows.append(c.spec.p)
        self._measure_rehab()
        res.mean_show = sum(shows) / len(shows) if shows else 1.0
        res.expected_attempts = sum(1 / max(p, 0.05) for p in shows)

    def _measure_rehab(self) -> None:
        res = self.result
        for case in self.cases:
            if self.measure_from <= case.deadline < self.end:
                res.rehab_due += 1
                res.rehab_on_time += (case.presented is not None
                                      and case.presented <= case.deadline)
                res.rehab_late_days += max(0, ((case.presented or self.end)
                                               - case.deadline).days)
