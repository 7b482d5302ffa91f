"""One simulation run: a scenario, a seed and a policy, day by day.

Each day: programmes start and end and obligations become needs (`programmes`); caseworkers
report sick, today's conversations happen or are missed and group call-ins serve up to the
seats of the present pool (`attendance`); then the policy books (`bookings` is what it may do);
then rehabilitation-team meetings take their cases. At the end the rules engine judges every
obligation from the conversations actually held (`measure`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from booking.rules import RuleSet

from .attendance import WAIT_HOURS, Attendance
from .bookings import Bookings
from .floor import unit_days
from .measure import Measurement, RunResult
from .open_needs import OpenNeeds
from .policy import Policy
from .pool import window_seat
from .programmes import Programmes
from .timetable import build_meetings, build_seats, closed_days
from .types import Scenario
from .world import DAY, Citizen, CitizenSpec, Meeting, Need, Seat, Session, show_draw


class World(Bookings, Programmes, Attendance, Measurement):
    def __init__(self, scenario: Scenario, rule_set: RuleSet, seed: int, weeks: int,
                 specs: list[CitizenSpec], policy: Policy, check_plans: bool = False) -> None:
        self.scenario, self.rule_set, self.seed, self.policy = scenario, rule_set, seed, policy
        self.check_plans = check_plans
        self.booking = scenario.booking
        self.first = scenario.start
        self.measure_from = self.first + dt.timedelta(weeks=scenario.warmup_weeks)
        self.end = self.measure_from + dt.timedelta(weeks=weeks)  # exclusive
        self.weeks = weeks
        self.last_seat_day = self.end + dt.timedelta(weeks=self.booking.horizon_weeks + 1)
        self.closed = closed_days(scenario, self.first, self.last_seat_day)
        self._timetable(policy.uses_groups)
        self.citizens = [Citizen(s, list(s.history)) for s in specs]
        for rank, c in enumerate(sorted(self.citizens, key=lambda c: c.id)):
            c.rank = rank
        self.prior_mean = defaultdict(lambda: scenario.policy.prior_mean,
                                      {g.id: g.show.mean for g in scenario.groups})
        self.starting = defaultdict(list)
        for c in self.citizens:
            self.starting[max(c.spec.start, self.first)].append(c)
        self.active = {}
        self.next_check = {}
        self.wake = defaultdict(list)
        self.open_needs = OpenNeeds()
        self.cases = []
        self.earliest_held = {}
        self.group_expected, self.group_came = 0.0, 0
        self.cw_days_seen, self.sick_days_seen = 0, 0
        self.plan_slots = {}
        self.result = RunResult(policy.name, seed)
        self._week_plan = 0.0

    def _timetable(self, with_sessions: bool) -> None:
        scenario = self.scenario
        self.seats_by_cw, self.sessions = build_seats(scenario, self.first, self.last_seat_day,
                                                      self.closed, with_sessions)
        self.seats_by_day = defaultdict(list)
        self.window_seats = defaultdict(list)
        for seats in self.seats_by_cw.values():
            for s in seats:
                self.seats_by_day[s.day].append(s)
                if window_seat(s):
                    self.window_seats[(s.unit, s.day)].append(s)
        self.sessions_by_day = defaultdict(list)
        for sess in self.sessions:
            self.sessions_by_day[sess.day].append(sess)
        self.unit_of = {cw: u.id for u in scenario.units for cw in u.caseworker_ids()}
        self.unit_days = unit_days((s for seats in self.seats_by_cw.values() for s in seats),
                                   self.sessions)
        self.need_days = {}
        self.sick_rate = {u.id: u.sick_rate for u in scenario.units}
        self.meetings = build_meetings(scenario, self.first, self.last_seat_day, self.closed)

    def show(self, need: Need, attempt: int) -> bool:
        """Does the citizen come to this attempt at this conversation? (scripted, else drawn)"""
        return show_draw(self.seed, need, attempt)

    def run(self) -> RunResult:
        day = self.first
        while day < self.end:
            self._programmes(day)
            self._conversations(day)
            t0 = time.perf_counter()
            self.policy.act(self, day)
            self._week_plan += time.perf_counter() - t0
            self._meetings(day)
            day += DAY
            if (day - self.first).days % 7 == 0:
                if day > self.measure_from:
                    self.result.plan_seconds.append(self._week_plan)
                self._week_plan = 0.0
        self._measure()
        return self.result


__all__ = ["WAIT_HOURS", "Meeting", "RunResult", "Seat", "Session", "World"]
