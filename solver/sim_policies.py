"""Booking policies compared by the simulation, all on the same world and the same draws.

* `today`      — today's practice: each citizen self-books first-come from the slots open before
                 their deadline (early, late or never, as drawn for the citizen); the job centre
                 books centrally only after the self-booking deadline, and after a no-show.
* `edf`        — earliest-deadline-first greedy: every working day the job centre books every
                 waiting conversation, earliest deadline first, into the earliest free seat.
* `solver`     — the solver, re-planning weekly: bookings of the next `lock_days` are kept, the
                 rest may move; show probabilities (each citizen's own, from the scenario's
                 distribution, never the outcomes) drive the solver's robustness objective; group
                 call-ins take the citizens least likely to come, invited until the expected
                 arrivals fill the pool's seats (`group_fill`). New needs are added on the other
                 working days by the same rules (group call-in first for the unlikely, else the
                 earliest free seat). Overbooking (`sim_overbook`): a citizen may be double-booked
                 into a seat that holds one other when both come with a chance of at most
                 `sim_overbook.RISK` (if both come, one is turned away and rebooked); seats freed
                 so go, at the re-plan, to needs placed after their planning target.
* `clairvoyant` — a reference, not a policy: the solver policy that knows who will not come.
                 It books each conversation at the attempt that will succeed (the misses before
                 it cost nothing) and fills group call-ins with anyone of the unit.

Central bookings are made at least `notice_days` ahead (the call-in letter); self-bookers may
take any free seat from tomorrow. Rehabilitation cases: `today` books the first meeting that
the material can reach once it is ready (first ready, first served); `edf` the same, earliest
deadline first; `solver` and `clairvoyant` plan them with the solver every week.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any

from .api import SolverSettings, solve
from .check import check
from .problem import load_problem
from .sim_draws import uniform
from .sim_overbook import RISK as OVERBOOK_RISK
from .sim_overbook import pair_seat
from .sim_plan import plan_instance, snapshot
from .sim_world import Case, Need, Seat, Session, first_free

RISK = 0.05  # the solver policy leaves room for rebookings until this risk of missing is left
MAX_EXTRA = 3  # ... but for at most this many rebookings


def working(world: Any, day: dt.date) -> bool:
    return day.weekday() < 5 and day not in world.closed


def central_book(world: Any, need: Need, day: dt.date) -> bool:
    lo = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
    seat = first_free(world.seats_by_cw, need, lo, min(need.last_day, world.seat_horizon(day)))
    if seat is not None:
        world.book(need, seat)
        return True
    return False


def greedy_rehab(world: Any, day: dt.date, key: Any) -> None:
    lead = dt.timedelta(days=world.scenario.rehab.lead_days)
    for case in sorted(world.waiting_cases(day), key=key):
        first = max(case.ready, day) + lead
        for m in world.meetings:
            if m.day >= first and len(m.cases) < m.capacity:
                assign_case(case, m)
                break


def assign_case(case: Case, meeting: Any) -> None:
    if case.meeting is not None:
        case.meeting.cases.remove(case)
    case.meeting = meeting
    if meeting is not None:
        meeting.cases.append(case)


class Policy:
    name = ""
    uses_groups = False
    clairvoyant = False

    def act(self, world: Any, day: dt.date) -> None:
        raise NotImplementedError

    def checked(self, world: Any, day: dt.date) -> None:
        """With `check_plans`, every day's bookings go through `solver.check`."""
        if world.check_plans and working(world, day):
            inst, sol = snapshot(world, day)
            broken = check(load_problem(inst.data), sol)
            world.result.plans_checked += 1
            world.result.broken += [f"{self.name} {day}: {line}" for line in broken]


class TodayPractice(Policy):
    name = "today"

    def act(self, world: Any, day: dt.date) -> None:
        work = working(world, day)
        for need in world.needs(day):
            if need.booked:
                continue
            if not need.central and need.sb_day is not None and need.sb_day <= day:
                if day <= need.sb_deadline and self_book(world, need, day):
                    continue
                need.sb_day = None  # no slot before the deadline, or too late: central later
            if work and (need.central or day > need.sb_deadline):
                need.central = True
                central_book(world, need, day)
        if work:
            greedy_rehab(world, day, key=lambda c: (c.ready, c.id))
        self.checked(world, day)


def self_book(world: Any, need: Need, day: dt.date) -> bool:
    """First come: the citizen takes one of the first free seats before the deadline."""
    seats: list[Seat] = []
    lo = max(need.ready, day + dt.timedelta(days=1))
    hi = min(need.deadline, need.last_day, world.seat_horizon(day))
    while len(seats) < world.booking.self_booking_choices:
        seat = first_free(world.seats_by_cw, need, lo, hi)
        if seat is None:
            break
        seats.append(seat)
        seat.need = need  # reserve while looking further
    for seat in seats:
        seat.need = None
    if not seats:
        return False
    u = uniform(world.seed, "pick", need.cit.id, need.key, need.attempt)
    world.book(need, seats[int(u * len(seats))])
    return True


class EarliestDeadline(Policy):
    name = "edf"

    def act(self, world: Any, day: dt.date) -> None:
        if not working(world, day):
            return
        for need in world.needs(day):
            if not need.booked:
                central_book(world, need, day)
        greedy_rehab(world, day, key=lambda c: (c.deadline, c.id))
        self.checked(world, day)


class SolverPolicy(Policy):
    name = "solver"
    uses_groups = True
    overbook_risk = OVERBOOK_RISK

    def __init__(self) -> None:
        self.planned_week: int | None = None

    def view_p(self, need: Need) -> float:
        return need.cit.spec.p

    def target(self, world: Any, need: Need) -> dt.date:
        """The planning target: the deadline less room for the rebookings the citizen is
        likely to need (see `extra`), one `cycle` (rebook delay + notice) each."""
        return need.deadline - dt.timedelta(days=self.extra(need) * self.cycle(world))

    def extra(self, need: Need) -> int:
        """Rebookings to leave room for: until the risk of never coming is below `RISK`."""
        p = self.view_p(need)
        if p >= 1 - RISK:
            return 0
        if p <= 0:
            return MAX_EXTRA
        return min(MAX_EXTRA, math.ceil(math.log(RISK) / math.log(1 - p)) - 1)

    def cycle(self, world: Any) -> int:
        r = world.booking.rebook_days
        return (r.min + r.max) // 2 + world.booking.notice_days

    def call_day(self, world: Any, need: Need) -> dt.date:
        """The day the citizen is called in: the usual letter, or earlier (never before the
        need is known) when the citizen will probably need rebooking."""
        days = (self.extra(need) + 1) * self.cycle(world) + world.booking.notice_days
        return min(need.appear, need.deadline - dt.timedelta(days=days))

    def needs(self, world: Any, day: dt.date) -> list[Need]:
        return [n for n in world.needs(day, early=True) if self.call_day(world, n) <= day]

    def group_ok(self, need: Need) -> bool:
        return need.cit.spec.p <= self._threshold

    def room(self, sess: Session, need: Need, fill: float) -> bool:
        expected = sum(self.view_p(n) for n in sess.invitees) + self.view_p(need)
        return expected <= fill * len(sess.seats) + 1e-9

    def act(self, world: Any, day: dt.date) -> None:
        if not working(world, day):
            return
        self._threshold = world.booking.group_max_probability
        week = (day - world.first).days // 7
        if week != self.planned_week:
            self.planned_week = week
            t0 = time.perf_counter()
            self.replan(world, day)
            world.result.replan_seconds.append(time.perf_counter() - t0)
        self.top_up(world, day)
        greedy_rehab(world, day, key=lambda c: (c.deadline, c.id))
        self.checked(world, day)

    def top_up(self, world: Any, day: dt.date) -> None:
        for need in self.needs(world, day):
            if need.booked:
                continue
            sess = self.session_choice(world, need, day)
            if sess is not None:
                world.invite(need, sess)
            elif not self.overbook(world, need, day):
                central_book(world, need, day)

    def overbook(self, world: Any, need: Need, day: dt.date, skip: Seat | None = None) -> bool:
        """Double-book the citizen into a seat of their caseworker that holds one citizen
        unlikely to come, if that seat is no later than both the earliest free seat and the
        planning target allow (never later than the citizen would get a seat of their own)."""
        if self.overbook_risk <= 0:
            return False
        lo = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
        top = min(need.last_day, world.seat_horizon(day))
        if skip is not None:
            free_day = skip.day
        else:
            free = first_free(world.seats_by_cw, need, lo, top)
            free_day = free.day if free is not None else top
        hi = min(top, max(free_day, self.target(world, need)))
        if skip is not None:
            hi = min(hi, skip.day)
        seat = pair_seat(world, need, self.view_p, self.overbook_risk, lo, hi, skip)
        if seat is None:
            return False
        world.unbook(need)
        world.overbook(need, seat)
        return True

    def session_choice(self, world: Any, need: Need, day: dt.date) -> Session | None:
        """A group call-in instead of a seat: for a citizen unlikely to come, the earliest
        session of the unit with room if it is on time (or no seat is); for anyone else, only
        when no seat of their caseworker meets the planning target but the session does."""
        if not self.uses_groups or "in_person" not in need.channels:
            return None
        lo = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
        hi = min(need.last_day, day + dt.timedelta(days=world.booking.plan_horizon_days))
        sess = next((s for s in world.open_sessions(lo, hi)
                     if s.unit == need.cit.spec.unit and s.minutes >= need.minutes
                     and self.room(s, need, world.booking.group_fill)), None)
        if sess is None:
            return None
        seat = first_free(world.seats_by_cw, need, lo, min(need.last_day,
                                                           world.seat_horizon(day)))
        target = self.target(world, need)
        if self.group_ok(need):
            return sess if self.prefer(need, sess, seat, target) else None
        if sess.day <= target and (seat is None or seat.day > target):
            return sess
        return None

    def prefer(self, need: Need, sess: Session, seat: Seat | None, target: dt.date) -> bool:
        return sess.day <= target or seat is None or sess.day <= seat.day

    def pull_forward(self, world: Any, day: dt.date, needs: list[Need]) -> None:
        """Seats freed by overbooking go to the needs the plan had to place after their
        planning target: each moves to its caseworker's earliest free seat, if earlier."""
        lo0 = day + dt.timedelta(days=world.booking.notice_days)
        for need in sorted(needs, key=lambda n: (n.deadline, n.cit.id)):
            seat = need.seat
            if seat is None or seat.need is not need or seat.extra is not None \
                    or seat.day <= self.target(world, need):
                continue
            lo = max(need.ready, lo0)
            better = first_free(world.seats_by_cw, need, lo, seat.day - dt.timedelta(days=1))
            if better is not None:
                world.unbook(need)
                world.book(need, better)

    def replan(self, world: Any, day: dt.date) -> None:
        b = world.booking
        lock_until = day + dt.timedelta(days=max(b.lock_days, b.notice_days))
        needs = self.needs(world, day)
        locked = [n for n in needs if n.booked and (n.booked_day < lock_until
                                                     or n.booked_day <= self.target(world, n))]
        keep = {id(n) for n in locked}
        previous: dict[Need, Seat] = {}
        free = []
        for n in needs:
            if id(n) in keep:
                continue
            if n.seat is not None:
                previous[n] = n.seat
            world.unbook(n)
            free.append(n)
        if self.uses_groups:
            for n in free:
                sess = self.session_choice(world, n, day)
                if sess is not None:
                    world.invite(n, sess)
            locked += [n for n in free if n.session is not None]
            free = [n for n in free if n.session is None]
        lead = world.scenario.rehab.lead_days
        for case in world.cases:
            if case.presented is None and case.meeting is not None \
                    and not case.sent(day, lead):
                assign_case(case, None)
        inst = plan_instance(world, day, locked, free, previous, self.view_p,
                             lambda n: self.target(world, n))
        problem = load_problem(inst.data)
        sol = solve(problem, SolverSettings(time_limit_s=10.0, num_workers=1))
        if world.check_plans:
            world.result.plans_checked += 1
            world.result.broken += [f"{self.name} re-plan {day}: {line}"
                                    for line in check(problem, sol)]
        locked_ids = {id(n) for n in locked}
        for conv, slot in sol.conversations:
            need = inst.needs[conv]
            seat = inst.seats.get(slot)
            if id(need) in locked_ids or seat is None or seat.day > need.last_day:
                continue
            if seat.need is None:
                world.book(need, seat)
        for need in sorted(free, key=lambda n: (self.view_p(n), n.deadline, n.cit.id)):
            if need.seat is not None and need.seat.extra is None and need.seat.need is need:
                self.overbook(world, need, day, skip=need.seat)
        self.pull_forward(world, day, free)
        for case_id, meeting_id in sol.rehab:
            assign_case(inst.cases[case_id], inst.meetings[meeting_id])


class Clairvoyant(SolverPolicy):
    name = "clairvoyant"
    clairvoyant = True
    overbook_risk = 0.0  # everyone it books comes

    def view_p(self, need: Need) -> float:
        return 1.0

    def group_ok(self, need: Need) -> bool:
        return True

    def room(self, sess: Session, need: Need, fill: float) -> bool:
        return len(sess.invitees) < len(sess.seats)  # everyone invited will come

    def prefer(self, need: Need, sess: Session, seat: Seat | None, target: dt.date) -> bool:
        return seat is None or sess.day < seat.day


POLICIES = {p.name: p for p in (TodayPractice, EarliestDeadline, SolverPolicy, Clairvoyant)}
