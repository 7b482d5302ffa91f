"""One simulation run: a scenario, a seed and a policy, day by day.

Each day: programmes start and end; each citizen's next obligation is computed by the rules
engine (`booking.rules`) from the programme start and the conversations held so far, and appears
(call-in letter) `letter_days` before its deadline; caseworkers report sick; today's
conversations happen or are missed (each citizen's own show draw per attempt) and group call-ins
serve up to the seats of the present pool; then the policy books; then rehabilitation-team
meetings take their cases. A missed conversation can be held again `rebook_days` later.
At the end the rules engine judges every obligation from the conversations actually held.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from booking.rules import HeldConversation

from .sim_draws import stream, uniform
from .sim_scenario import Scenario
from .sim_world import (
    DAY,
    Case,
    Citizen,
    CitizenSpec,
    Meeting,
    Need,
    Seat,
    Session,
    build_meetings,
    build_seats,
    closed_days,
    next_obligation,
    obligations,
    rehab_ready,
    show_draw,
)

WAIT_HOURS = 2  # a group call-in arrival beyond the seats waits this long for an idle seat


@dataclass
class RunResult:
    policy: str
    seed: int
    on_time: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    due: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    weekly_on_time: list[int] = field(default_factory=list)
    weekly_due: list[int] = field(default_factory=list)
    late_days: int = 0
    rehab_on_time: int = 0
    rehab_due: int = 0
    rehab_late_days: int = 0
    held: int = 0
    missed: int = 0
    turned_away: int = 0
    sick_cancelled: int = 0
    seats: int = 0
    mean_show: float = 0.0
    expected_attempts: float = 0.0  # sum of 1/p over the conversations due: the seats needed
    plan_seconds: list[float] = field(default_factory=list)  # per simulated week
    replan_seconds: list[float] = field(default_factory=list)  # per weekly re-plan (solver)
    plans_checked: int = 0
    broken: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["on_time"], out["due"] = dict(self.on_time), dict(self.due)
        return out


class World:
    def __init__(self, scenario: Scenario, rule_set: Any, seed: int, weeks: int,
                 specs: list[CitizenSpec], policy: Any, check_plans: bool = False) -> None:
        self.scenario, self.rule_set, self.seed, self.policy = scenario, rule_set, seed, policy
        self.booking = scenario.booking
        self.first = scenario.start
        self.measure_from = self.first + dt.timedelta(weeks=scenario.warmup_weeks)
        self.end = self.measure_from + dt.timedelta(weeks=weeks)  # exclusive
        self.weeks = weeks
        self.last_seat_day = self.end + dt.timedelta(weeks=self.booking.horizon_weeks + 1)
        self.closed = closed_days(scenario, self.first, self.last_seat_day)
        self.seats_by_cw, self.sessions = build_seats(scenario, self.first, self.last_seat_day,
                                                      self.closed, policy.uses_groups)
        self.seats_by_day: dict[dt.date, list[Seat]] = defaultdict(list)
        for seats in self.seats_by_cw.values():
            for s in seats:
                self.seats_by_day[s.day].append(s)
        self.sessions_by_day: dict[dt.date, list[Session]] = defaultdict(list)
        for sess in self.sessions:
            self.sessions_by_day[sess.day].append(sess)
        self.unit_of = {cw: u.id for u in scenario.units for cw in u.caseworker_ids()}
        self.sick_rate = {u.id: u.sick_rate for u in scenario.units}
        self.meetings = build_meetings(scenario, self.first, self.last_seat_day, self.closed)
        self.citizens = [Citizen(s, list(s.history)) for s in specs]
        self.starting: dict[dt.date, list[Citizen]] = defaultdict(list)
        for c in self.citizens:
            self.starting[max(c.spec.start, self.first)].append(c)
        self.active: list[Citizen] = []
        self.next_check: dict[str, dt.date] = {}
        self.cases: list[Case] = []
        self.check_plans = check_plans
        self.result = RunResult(policy.name, seed)
        self._week_plan = 0.0

    # -- booking operations used by the policies ----------------------------------------------
    def book(self, need: Need, seat: Seat) -> None:
        assert seat.need is None and seat.session is None and not need.booked
        self._clairvoyance(need)
        seat.need, need.seat = need, seat

    def overbook(self, need: Need, seat: Seat) -> None:
        """A second booking in a seat that already holds one (the solver policy's overbooking
        of two citizens unlikely to both come; if both come, one is served, one turned away)."""
        assert seat.need is not None and seat.extra is None and not need.booked
        self._clairvoyance(need)
        seat.extra, need.seat = need, seat

    def invite(self, need: Need, session: Session) -> None:
        assert not need.booked
        self._clairvoyance(need)
        session.invitees.append(need)
        need.session = session

    def unbook(self, need: Need) -> None:
        if need.seat is not None:
            seat = need.seat
            if seat.extra is need:
                seat.extra = None
            else:
                seat.need, seat.extra = seat.extra, None
            need.seat = None
        if need.session is not None:
            need.session.invitees.remove(need)
            need.session = None

    def _clairvoyance(self, need: Need) -> None:
        """The clairvoyant reference books the attempt that will succeed, skipping the misses."""
        if self.policy.clairvoyant:
            k = need.attempt
            while not show_draw(self.seed, need, k) and k < need.attempt + 500:
                k += 1
            need.attempt = k

    def needs(self, day: dt.date, early: bool = False) -> list[Need]:
        """Needs whose call-in letter has gone out (`early`: or may go out early), earliest
        deadline first."""
        out = [c.need for c in self.active if c.need is not None
               and (c.need.known if early else c.need.appear) <= day]
        out.sort(key=lambda n: (n.deadline, n.cit.id))
        return out

    def waiting_cases(self, day: dt.date) -> list[Case]:
        return [c for c in self.cases if c.presented is None and c.meeting is None
                and c.ready <= day]

    def open_sessions(self, lo: dt.date, hi: dt.date) -> list[Session]:
        return [s for d in _days(lo, hi) for s in self.sessions_by_day.get(d, [])]

    def seat_horizon(self, day: dt.date) -> dt.date:
        return day + dt.timedelta(weeks=self.booking.horizon_weeks)

    # -- the day loop ----------------------------------------------------------------------------
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

    def _programmes(self, day: dt.date) -> None:
        for c in self.starting.pop(day, []):
            self.active.append(c)
            self.next_check[c.id] = day
            if c.spec.group in self.scenario.rehab.groups:
                self._rehab_case(c)
        keep = []
        for c in self.active:
            if c.spec.end is not None and day > c.spec.end:
                if c.need is not None:
                    self.unbook(c.need)
                    c.need = None
                continue
            keep.append(c)
            need = c.need
            if need is not None and need.closes is not None and day > need.closes:
                self.unbook(need)
                c.need = None
                self.next_check[c.id] = day
            if c.need is None and self.next_check[c.id] <= day:
                self._next_need(c, day)
        self.active = keep

    def _next_need(self, c: Citizen, day: dt.date) -> None:
        ob = next_obligation(self.rule_set, c.spec, c.held, day)
        if ob is None:
            self.next_check[c.id] = day + dt.timedelta(days=28)
            return
        b = self.booking
        appear = max(day, ob.earliest, ob.deadline - dt.timedelta(days=b.letter_days))
        sb_deadline = ob.deadline - dt.timedelta(
            days=self.rule_set.group(c.spec.group).self_booking_days)
        known = max(day, ob.earliest, ob.deadline - dt.timedelta(
            days=max(b.letter_days, b.early_letter_days)))
        need = Need(c, ob.key, ob.earliest, ob.deadline, ob.closes, ob.channels, ob.minutes,
                    ob.joint, appear, known, sb_deadline, appear)
        rng = stream(self.seed, "selfbook", c.id, ob.key)
        early, late = b.early_booker_days, b.late_booker_days
        if sb_deadline < appear or c.spec.self_type == "never":
            need.sb_day = None
        elif c.spec.self_type == "early":
            need.sb_day = min(appear + dt.timedelta(days=rng.randint(early.min, early.max)),
                              sb_deadline)
        else:
            need.sb_day = max(appear, sb_deadline - dt.timedelta(
                days=rng.randint(late.min, late.max)))
        need.central = need.sb_day is None and sb_deadline < appear
        c.need = need

    def _rehab_case(self, c: Citizen) -> None:
        for ob in obligations(self.rule_set, c.spec, c.held, c.spec.start + DAY * 400):
            if ob.kind == "rehab_presentation" and ob.is_open:
                if ob.deadline < self.first:
                    return  # pre-history: presented before the simulation starts
                case = Case(f"r/{c.id}", c, rehab_ready(self.seed, self.scenario, c.spec),
                            ob.deadline)
                c.case = case
                self.cases.append(case)
                return

    def _conversations(self, day: dt.date) -> None:
        res = self.result
        measured = self.measure_from <= day < self.end
        sick = {cw for cw in {s.cw for s in self.seats_by_day.get(day, [])}
                if uniform(self.seed, "sick", cw, day) < self.sick_rate[self.unit_of[cw]]}
        waiting = self._sessions(day, sick, measured)
        for seat in self.seats_by_day.get(day, []):
            if seat.session is not None:
                continue
            booked = sorted(seat.booked, key=lambda n: (n.deadline, n.cit.id))
            if seat.cw in sick:
                for need in booked:
                    self.unbook(need)
                    need.ready, need.central = day + DAY, True
                    res.sick_cancelled += measured
                continue
            res.seats += measured
            served = False  # an overbooked seat serves the first who came (earliest deadline)
            for need in booked:
                came = show_draw(self.seed, need, need.attempt)
                if came and served:
                    res.turned_away += measured
                self._attend(need, day, seat.channel, came and not served, measured,
                             came=came and served)
                served = served or came
            if not served:  # an idle caseworker of a pool takes a citizen still waiting
                wait = next((w for w in waiting if seat.cw in w[1]
                             and w[2] < seat.time <= w[3]), None)
                if wait is not None:
                    waiting.remove(wait)
                    self._attend(wait[0], day, "in_person", True, measured)
        for need, *_ in waiting:
            res.turned_away += measured
            self._attend(need, day, "in_person", False, measured, came=True)

    def _sessions(self, day: dt.date, sick: set[str],
                  measured: bool) -> list[tuple[Need, set[str], str, str]]:
        """Group call-ins serve as many arrivals as the pool has present seats; the others
        wait for a pooled caseworker who is idle later in the morning (a seat up to `WAIT`
        after the window's last one that is free or whose citizen did not come)."""
        res = self.result
        waiting = []
        for sess in self.sessions_by_day.get(day, []):
            present = [s for s in sess.seats if s.cw not in sick]
            res.seats += measured * len(present)
            came = []
            for need in sorted(sess.invitees, key=lambda n: (n.deadline, n.cit.id)):
                if show_draw(self.seed, need, need.attempt):
                    came.append(need)
                else:
                    self._attend(need, day, "in_person", False, measured)
            for need in came[len(present):]:
                until = max((s.time for s in sess.seats), default=sess.time)
                until = f"{int(until[:2]) + WAIT_HOURS:02d}{until[2:]}"
                waiting.append((need, {s.cw for s in present}, sess.time, until))
            for need in came[:len(present)]:
                self._attend(need, day, "in_person", True, measured)
        return waiting

    def _attend(self, need: Need, day: dt.date, channel: str, held: bool, measured: bool,
                came: bool = False) -> None:
        res = self.result
        self.unbook(need)
        c = need.cit
        if held:
            c.held.append(HeldConversation(day, joint=need.joint, channel=channel))
            c.need = None
            self.next_check[c.id] = day + DAY
            res.held += measured
            return
        res.missed += measured and not came
        need.attempt += 1
        r = self.booking.rebook_days
        delay = stream(self.seed, "rebook", c.id, need.key, need.attempt).randint(r.min, r.max)
        need.ready = day + dt.timedelta(days=max(1, delay))
        need.central = True

    def _meetings(self, day: dt.date) -> None:
        for m in self.meetings:
            if m.day == day:
                for case in m.cases:
                    case.presented = day

    # -- measurement ---------------------------------------------------------------------------
    def _measure(self) -> None:
        res = self.result
        res.weekly_on_time = [0] * self.weeks
        res.weekly_due = [0] * self.weeks
        against = self.scenario.on_time_against
        shows = []
        for c in self.citizens:
            if c.spec.start >= self.end:
                continue
            for ob in obligations(self.rule_set, c.spec, c.held, self.end - DAY):
                if not (ob.bookable and ob.mandatory):
                    continue
                judge = getattr(ob, against)
                if not self.measure_from <= judge < self.end:
                    continue
                done = ob.fulfilled_on
                ok = done is not None and done <= judge
                week = (judge - self.measure_from).days // 7
                res.due[c.spec.group] += 1
                res.on_time[c.spec.group] += ok
                res.weekly_due[week] += 1
                res.weekly_on_time[week] += ok
                res.late_days += max(0, ((done or self.end) - judge).days)
                shows.append(c.spec.p)
        for case in self.cases:
            if self.measure_from <= case.deadline < self.end:
                res.rehab_due += 1
                res.rehab_on_time += (case.presented is not None
                                      and case.presented <= case.deadline)
                res.rehab_late_days += max(0, ((case.presented or self.end)
                                               - case.deadline).days)
        res.mean_show = sum(shows) / len(shows) if shows else 1.0
        res.expected_attempts = sum(1 / max(p, 0.05) for p in shows)


def _days(lo: dt.date, hi: dt.date) -> list[dt.date]:
    return [lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)]


__all__ = ["Meeting", "RunResult", "World"]
