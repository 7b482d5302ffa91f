"""The solver policy, and the clairvoyant reference built on it.

* `solver` re-plans weekly with the solver: bookings of the next `lock_days` are kept, the rest
  may move; show probabilities (estimated as the app does, from the group's prior and the
  attendance observed so far: `Attendance.estimate`; never the simulated truth) drive the
  solver's robustness objective and the planning target (room for the rebookings a citizen
  will probably need); group call-ins take the citizens least likely to come, sized with
  their estimates scaled by the arrivals seen against those expected so far (`size_p`). New
  needs are added on the other working days by the same rules. Overbooking (`overbook`),
  pooled windows (`pool`) and the choice between a seat and a group call-in (`sessions`,
  with cover for a citizen on their last chance) are its own moves; so are kept seats for
  conversations due within days and the seats released at the last moment (`reserve`). A
  citizen called before the usual letter may be seen from the call on (`needs`).
* `clairvoyant` is the solver policy that knows who will not come: it books each conversation at
  the attempt that will succeed and fills group call-ins with anyone of the unit.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from functools import lru_cache
from typing import TYPE_CHECKING

from ..api import SolverSettings, solve
from ..check import check
from .bookings import days_between
from .overbook import pair_seat
from .plan import plan_instance
from .policy import Policy, assign_case, central_book, greedy_rehab, working
from .reserve import Reserve, pull_in
from .sessions import SessionChoice
from .world import Need, Seat, Session, first_free

if TYPE_CHECKING:
    from .run import World

RISK = 0.05  # the solver policy leaves room for rebookings until this risk of missing is left
MAX_EXTRA = 3  # ... but for at most this many rebookings
ARRIVALS_PRIOR = 20.0  # `size_p`: the group call-in arrivals "the estimates are right" weighs


class SolverPolicy(SessionChoice, Policy):
    name = "solver"
    overbook_risk: float | None = None  # None: the scenario's `[policy] overbook_risk`

    def __init__(self) -> None:
        self.planned_week: int | None = None
        self._threshold = 0.0  # group call-in first at or below this show probability (`act`)
        self._arrivals = 1.0  # arrivals seen / expected at group call-ins (`act`, `size_p`)
        self._absent = 0.0  # the share of caseworker days lost to sickness so far (`act`)
        self._sized: dict[Need, float] = {}  # `size_p` of the day (estimates move overnight)
        self._world: World | None = None
        self._call_days: dict[Need, tuple[float, dt.date]] = {}  # `call_day`, with its p
        self._called: tuple[World, dt.date, list[Need]] | None = None  # `needs` of the day
        self.reserve = Reserve()

    def view_p(self, need: Need) -> float:
        """The show probability the policy plans with: the world's estimate (`act` binds it)."""
        if self._world is None:
            raise RuntimeError("view_p before act: the policy has no world yet")
        return self._world.estimate(need)

    def size_p(self, need: Need) -> float:
        """The show probability a group call-in is sized with: the estimate, scaled by how many
        came to the group call-ins so far against how many the estimates expected (those
        invited are the least likely to come by their estimates, which therefore run low)."""
        p = self._sized.get(need)
        if p is None:
            p = self._sized[need] = min(1.0, self.view_p(need) * self._arrivals)
        return p

    def target(self, world: World, need: Need) -> dt.date:
        """The planning target: the deadline less room for the rebookings the citizen is
        likely to need (see `extra`), one `cycle` (rebook delay + notice) each."""
        return need.deadline - dt.timedelta(days=self.extra(need) * self.cycle(world))

    def extra(self, need: Need) -> int:
        """Rebookings to leave room for: until the risk of never coming is below `RISK`."""
        return rebookings(self.view_p(need))

    def cycle(self, world: World) -> int:
        r = world.booking.rebook_days
        return (r.min + r.max) // 2 + world.booking.notice_days

    def call_day(self, world: World, need: Need) -> dt.date:
        """The day the citizen is called in: the usual letter, or earlier (never before the
        need is known) when the citizen will probably need rebooking."""
        p = self.view_p(need)
        known = self._call_days.get(need)
        if known is not None and known[0] == p:  # asked every day: kept while p stays
            return known[1]
        days = (rebookings(p) + 1) * self.cycle(world) + world.booking.notice_days
        day = min(need.appear, need.deadline - dt.timedelta(days=days))
        self._call_days[need] = (p, day)
        return day

    def needs(self, world: World, day: dt.date) -> list[Need]:
        """The needs the policy has called in by today. A citizen called before the usual
        letter may be seen from the call on (`[booking] early_letter_days`): the world makes a
        need ready at its letter, so the first call moves `ready` back to the call day. Kept
        for the day (a new list each time): while the policy acts, neither the open needs nor
        the estimates change."""
        if self._called is not None and self._called[0] is world and self._called[1] == day:
            return list(self._called[2])
        out = []
        for n in world.needs(day, early=True):
            call = self.call_day(world, n)
            if call > day:
                continue
            if n.attempt == 0 and n.ready == n.appear and call < n.appear:
                n.ready = max(call, n.known)
            out.append(n)
        self._called = (world, day, out)
        return list(out)

    def act(self, world: World, day: dt.date) -> None:
        self._world = world
        if not working(world, day):
            return
        pol = world.scenario.policy
        self._threshold = world.booking.group_max_probability
        if self.pooling(world) and pol.pool_max_probability is not None:
            self._threshold = pol.pool_max_probability
        self._arrivals = round((world.group_came + ARRIVALS_PRIOR)
                               / (world.group_expected + ARRIVALS_PRIOR), 2)
        self._absent = round(world.absence_seen(), 3)
        self._sized = {}
        week = (day - world.first).days // 7
        self.reserve.keep(world, day)
        try:
            if week != self.planned_week:
                self.planned_week = week
                t0 = time.perf_counter()
                self.replan(world, day)
                world.result.replan_seconds.append(time.perf_counter() - t0)
            self.top_up(world, day)
        finally:
            self.reserve.release()
        pull_in(world, day, self.needs(world, day), lambda n, s: self.rank(world, n, s))
        greedy_rehab(world, day, key=lambda c: (c.deadline, c.id))
        self.checked(world, day)

    def hopeless(self, world: World, need: Need, day: dt.date) -> bool:
        first = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
        return need.deadline < first

    def top_up(self, world: World, day: dt.date) -> None:
        """Unbooked needs, urgent ones first (they may take kept seats), those that can no
        longer be on time last."""
        todo = [n for n in self.needs(world, day) if not n.booked]
        urgent = {id(n) for n in todo
                  if self.reserve.urgent(world, n, day, self.target(world, n))}
        todo.sort(key=lambda n: (id(n) not in urgent, self.hopeless(world, n, day),
                                 n.deadline, n.cit.id))
        for need in todo:
            if id(need) in urgent:
                self.reserve.note(world, need, day)
            sess = self.session_choice(world, need, day)
            if id(need) in urgent and (sess is None or sess.day > need.deadline) \
                    and self.reserve.take(world, need, max(need.ready, day + dt.timedelta(
                        days=world.booking.notice_days)), need.last_day):
                if sess is not None:
                    self.fit(world, sess)  # a new window not taken is dissolved
                continue
            if sess is not None:
                self.invite(world, need, sess)
            elif not self.overbook(world, need, day):
                central_book(world, need, day)

    def rank(self, world: World, need: Need, seat: Seat) -> tuple[float, ...]:
        """Who gets a released seat first: a citizen booked too late who would be on time
        in it, then one booked after the planning target, then the least likely to come."""
        booked = need.seat.day if need.seat is not None else seat.day
        return (0 if booked > need.deadline >= seat.day else 1,
                0 if booked > self.target(world, need) else 1,
                self.view_p(need), need.deadline.toordinal())

    def overbook(self, world: World, need: Need, day: dt.date, skip: Seat | None = None) -> bool:
        """Double-book the citizen into a seat of their caseworker that holds one citizen
        unlikely to come, if that seat is no later than both the earliest free seat and the
        planning target allow (never later than the citizen would get a seat of their own)."""
        risk = world.scenario.policy.overbook_risk if self.overbook_risk is None \
            else self.overbook_risk
        if risk <= 0:
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
        seat = pair_seat(world, need, self.view_p, risk, lo, hi, skip)
        if seat is None:
            return False
        world.unbook(need)
        world.overbook(need, seat)
        return True

    def pull_forward(self, world: World, day: dt.date, needs: list[Need]) -> None:
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

    def replan(self, world: World, day: dt.date) -> None:
        b = world.booking
        lock_until = day + dt.timedelta(days=max(b.lock_days, b.notice_days))
        needs = self.needs(world, day)
        locked = [n for n in needs if (d := n.booked_day) is not None
                  and (d < lock_until or d <= self.target(world, n))]
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
                sess = self.session_choice(world, n, day, cover=False)
                if sess is not None and sess.day > n.deadline and self.reserve.urgent(
                        world, n, day, self.target(world, n)):
                    self.fit(world, sess)  # late: `top_up` may have a kept seat on time
                elif sess is not None:
                    self.invite(world, n, sess)
            for d in days_between(day, day + dt.timedelta(days=b.plan_horizon_days)):
                for sess in list(world.sessions_by_day.get(d, [])):
                    self.fit(world, sess)  # the fewest seats for the invitations
            locked += [n for n in free if n.session is not None]
            free = [n for n in free if n.session is None]
        lead = world.scenario.rehab.lead_days
        for case in world.cases:
            if case.presented is None and case.meeting is not None \
                    and not case.sent(day, lead):
                assign_case(case, None)
        inst = plan_instance(world, day, locked, free, previous, self.view_p,
                             lambda n: self.target(world, n))
        problem = inst.problem
        sol = solve(problem, SolverSettings(time_limit_s=10.0, num_workers=1, bounds=False))
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
        for need in free:  # an urgent need the plan put after its deadline: `top_up` may
            # give it a kept seat
            if (need.booked_day is not None and need.booked_day > need.deadline
                    and self.reserve.urgent(world, need, day, self.target(world, need))):
                world.unbook(need)
        for need in sorted(free, key=lambda n: (self.view_p(n), n.deadline, n.cit.id)):
            if need.seat is not None and need.seat.extra is None and need.seat.need is need:
                self.overbook(world, need, day, skip=need.seat)
        self.pull_forward(world, day, free)
        self.cover(world, day, free)
        for case_id, meeting_id in sol.rehab:
            assign_case(inst.cases[case_id], inst.meetings[meeting_id])


@lru_cache(maxsize=4096)
def rebookings(p: float) -> int:
    """`SolverPolicy.extra` for show probability `p` (kept: few distinct estimates)."""
    if p >= 1 - RISK:
        return 0
    if p <= 0:
        return MAX_EXTRA
    return min(MAX_EXTRA, math.ceil(math.log(RISK) / math.log(1 - p)) - 1)


class Clairvoyant(SolverPolicy):
    name = "clairvoyant"
    clairvoyant = True
    overbook_risk = 0.0  # everyone it books comes

    def view_p(self, need: Need) -> float:
        return 1.0

    def group_ok(self, need: Need) -> bool:
        return True

    makes_windows = False  # the reference keeps the job centre's own group call-ins only

    def room(self, world: World, sess: Session, need: Need) -> bool:
        return len(sess.invitees) < len(sess.seats)  # everyone invited will come

    def prefer(self, need: Need, sess: Session, seat: Seat | None, target: dt.date) -> bool:
        return seat is None or sess.day < seat.day

    def last_preferred(self, seat: Seat | None, target: dt.date) -> dt.date | None:
        return None if seat is None else seat.day - dt.timedelta(days=1)
