"""The simulated job centre as a `jobcenter-plan/1` instance, and plans read back into it.

`plan_instance` is what the solver policy re-plans each week: locked bookings (letters already
out, the next `lock_days`), group call-in invitations as locked bookings in one slot per session
(a unit-pool caseworker `grp:<unit>`, capacity = invitations), free caseworker seats up to
`plan_horizon_days` ahead, every conversation need whose letter has gone out (with its previous,
unlocked booking), rehabilitation cases whose material has not gone to the region yet.
`snapshot` writes the current bookings of any policy as an instance and a solution, so that
`solver.check` can judge every policy's plan by the contract's hard rules.

An instance is built as the solver's typed `Problem` (`Instance.problem`), checked for the
relations between its lists (`solver.problem.related`); its values hold by construction, so it
equals `load_problem` of its document (`Instance.data`, `document`), which a test compares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..problem import (
    FORMAT,
    Booking,
    Caseworker,
    Citizen,
    Conversation,
    Problem,
    RehabCase,
    RehabMeeting,
    Settings,
    Slot,
    related,
)
from ..solution import Solution
from .world import Case, Meeting, Need, Seat, Session, first_index

if TYPE_CHECKING:
    from .run import World

LATE_WEIGHT = 0.01  # a need that can no longer be met on time: placed, as early as possible


@dataclass
class Instance:
    problem: Problem
    needs: dict[str, Need] = field(default_factory=dict)
    seats: dict[str, Seat] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:
        """The instance as a `jobcenter-plan/1` document (`load_problem` of it is `problem`)."""
        return document(self.problem)


def document(problem: Problem) -> dict[str, Any]:
    """A problem as the `jobcenter-plan/1` document it reads from."""
    s = problem.settings
    return {
        "format": FORMAT, "timezone": problem.timezone, "today": problem.today.isoformat(),
        "settings": {"rebook_days": s.rebook_days, "rehab_lead_days": s.rehab_lead_days},
        "caseworkers": [{"id": w.id, "unit": w.unit, "max_per_day": w.max_per_day}
                        for w in problem.caseworkers],
        "citizens": [{"id": c.id, "unit": c.unit, "caseworker": c.caseworker,
                      "show_probability": c.show_probability, "channels": sorted(c.channels)}
                     for c in problem.citizens],
        "slots": [{"id": x.id, "caseworker": x.caseworker, "start": x.start,
                   "minutes": x.minutes, "channel": x.channel, "capacity": x.capacity}
                  for x in problem.slots],
        "conversations": [{"id": c.id, "citizen": c.citizen, "earliest": c.earliest.isoformat(),
                           "deadline": c.deadline.isoformat(), "minutes": c.minutes,
                           "pool": c.pool, "weight": c.weight}
                          for c in problem.conversations],
        "bookings": [{"conversation": b.conversation, "slot": b.slot, "locked": b.locked}
                     for b in problem.bookings],
        "rehab_meetings": [{"id": m.id, "date": m.date.isoformat(), "capacity": m.capacity}
                           for m in problem.rehab_meetings],
        "rehab_cases": [{"id": r.id, "citizen": r.citizen, "ready": r.ready.isoformat(),
                         "deadline": r.deadline.isoformat(), "material_sent": r.material_sent,
                         "weight": r.weight} for r in problem.rehab_cases]}


def _start(day: dt.date, time: str) -> str:
    return f"{day.isoformat()}T{time}"


def _conv_id(need: Need) -> str:
    return f"{need.cit.id}#{need.key}#{need.attempt}"


class _Builder:
    """The instance's typed values, list by list, in the order they are added (the order is
    part of the result: ties in the allocation are broken by it)."""

    def __init__(self, world: World, today: dt.date) -> None:
        self.world = world
        self.today = today
        r = world.booking.rebook_days
        self.rebook_days = round((r.min + r.max) / 2)
        self.rehab_lead_days = world.scenario.rehab.lead_days
        self.caseworkers = [Caseworker(cw, unit) for cw, unit in world.unit_of.items()]
        self.citizens: list[Citizen] = []
        self.slots: list[Slot] = []
        self.conversations: list[Conversation] = []
        self.bookings: list[Booking] = []
        self.rehab_meetings: list[RehabMeeting] = []
        self.rehab_cases: list[RehabCase] = []
        self.inst = Instance(Problem(today))
        self.cit_ids: set[str] = set()
        self.group_units: set[str] = set()

    def problem(self) -> Problem:
        return related(Problem(
            today=self.today, timezone="Europe/Copenhagen",
            settings=Settings(self.rebook_days, self.rehab_lead_days),
            caseworkers=tuple(self.caseworkers), citizens=tuple(self.citizens),
            slots=tuple(self.slots), conversations=tuple(self.conversations),
            bookings=tuple(self.bookings), rehab_meetings=tuple(self.rehab_meetings),
            rehab_cases=tuple(self.rehab_cases)))

    def instance(self) -> Instance:
        self.inst.problem = self.problem()
        return self.inst

    @property
    def data(self) -> dict[str, Any]:
        return document(self.problem())

    def seat(self, seat: Seat) -> str:
        if seat.id not in self.inst.seats:
            self.inst.seats[seat.id] = seat
            capacity = 2 if seat.extra is not None else 1
            known = self.world.plan_slots  # a seat's slot is asked for week after week
            slot = known.get((seat.id, capacity))
            if slot is None:
                slot = known[(seat.id, capacity)] = Slot(
                    seat.id, seat.cw, _start(seat.day, seat.time), seat.day, seat.minutes,
                    seat.channel, capacity)
            self.slots.append(slot)
        return seat.id

    def session(self, sess: Session, capacity: int) -> str:
        if sess.unit not in self.group_units:
            self.group_units.add(sess.unit)
            self.caseworkers.append(Caseworker(f"grp:{sess.unit}", sess.unit))
        self.slots.append(Slot(sess.id, f"grp:{sess.unit}", _start(sess.day, sess.time),
                               sess.day, sess.minutes, "in_person", max(1, capacity)))
        return sess.id

    def need(self, need: Need, p: float, earliest: dt.date, pool: str = "caseworker",
             target: dt.date | None = None) -> str:
        spec = need.cit.spec
        if spec.id not in self.cit_ids:
            self.cit_ids.add(spec.id)
            self.citizens.append(Citizen(spec.id, spec.unit, spec.caseworker, float(p),
                                         _channel_set(need.channels)))
        cid = _conv_id(need)
        weight = 1.0
        deadline = need.deadline
        if earliest > deadline:
            deadline, weight = earliest, LATE_WEIGHT
        elif target is not None:
            deadline = max(earliest, min(deadline, target))
        self.conversations.append(Conversation(cid, spec.id, earliest, deadline, need.minutes,
                                               pool, weight))
        self.inst.needs[cid] = need
        return cid

    def booking(self, conv: str, slot: str, locked: bool) -> None:
        self.bookings.append(Booking(conv, slot, locked))

    def rehab(self, day: dt.date, horizon_days: int, cases: list[Case],
              sent: dict[Meeting, int], shift: int = 0) -> None:
        """Meetings from `day` on and the open cases. `shift`: the instance's `today` is this
        many days after `day` (the call-in notice of the conversations); the material needs no
        notice, so a case's `ready` moves `shift` days later and the lead `shift` days shorter:
        max(ready + shift, day + shift) + (lead - shift) = max(ready, day) + lead, as in the
        job centre."""
        self.rehab_lead_days -= shift
        last = day + dt.timedelta(days=horizon_days)
        for m in self.world.meetings:
            if day <= m.day <= last:
                self.inst.meetings[m.id] = m
                self.rehab_meetings.append(
                    RehabMeeting(m.id, m.day, max(0, m.capacity - sent.get(m, 0))))
        for case in cases:
            self.inst.cases[case.id] = case
            self.need_citizen(case)
            self.rehab_cases.append(RehabCase(case.id, case.cit.id,
                                              case.ready + dt.timedelta(days=shift),
                                              case.deadline))

    def need_citizen(self, case: Case) -> None:
        spec = case.cit.spec
        if spec.id not in self.cit_ids:
            self.cit_ids.add(spec.id)
            self.citizens.append(Citizen(spec.id, spec.unit, spec.caseworker))


@lru_cache(maxsize=64)
def _channel_set(channels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(channels)


def plan_instance(world: World, day: dt.date, locked: list[Need], free: list[Need],
                  previous: dict[Need, Seat], view_p: Callable[[Need], float],
                  target: Callable[[Need], dt.date]) -> Instance:
    """The weekly re-plan. `locked` needs keep their seat or invitation; `free` needs are to be
    placed (their `previous` seat, if any, is an unlocked booking)."""
    b = world.booking
    today = day + dt.timedelta(days=b.notice_days)
    hi = day + dt.timedelta(days=b.plan_horizon_days)
    bld = _Builder(world, today)
    sessions: dict[Session, list[Need]] = {}
    for need in locked:
        if need.session is not None:
            sessions.setdefault(need.session, []).append(need)
    for sess, invitees in sessions.items():
        slot = bld.session(sess, len(invitees))
        for need in invitees:
            conv = bld.need(need, view_p(need), min(need.earliest, need.deadline), "unit")
            bld.booking(conv, slot, True)
    for need in locked:
        if need.seat is not None:
            conv = bld.need(need, view_p(need), min(need.earliest, need.deadline))
            bld.booking(conv, bld.seat(need.seat), True)
    for seats in world.seats_by_cw.values():
        for i in range(first_index(seats, today), len(seats)):
            seat = seats[i]
            if seat.day > hi:
                break
            if seat.need is None and seat.session is None:
                bld.seat(seat)
    for need in free:
        earliest = max(need.earliest, need.ready, today)
        if need.closes is not None and earliest > need.closes:
            continue
        conv = bld.need(need, view_p(need), earliest, target=target(need))
        prev = previous.get(need)
        if prev is not None and prev.id in bld.inst.seats:
            bld.booking(conv, prev.id, False)
    lead = world.scenario.rehab.lead_days
    sent: dict[Meeting, int] = {}
    open_cases = []
    for case in world.cases:
        if case.presented is not None or case.ready > hi:
            continue
        if case.meeting is not None and case.sent(day, lead):
            sent[case.meeting] = sent.get(case.meeting, 0) + 1
        else:
            open_cases.append(case)
    bld.rehab(day, b.plan_horizon_days + lead + 28, open_cases, sent,
              shift=min(b.notice_days, lead))
    return bld.instance()


def snapshot(world: World, day: dt.date) -> tuple[Instance, Solution]:
    """Every booking from `day` on, as an instance (bookings unlocked) and its solution."""
    bld = _Builder(world, day)
    sol = Solution(status="feasible")
    needs = [c.need for c in world.active.values() if c.need is not None and c.need.booked]
    by_session: dict[Session, list[Need]] = {}
    for need in needs:
        if need.session is not None:
            by_session.setdefault(need.session, []).append(need)
    for sess, invitees in by_session.items():
        slot = bld.session(sess, len(invitees))
        for need in invitees:
            conv = bld.need(need, world.estimate(need), need.earliest, "unit")
            sol.conversations.append((conv, slot))
    for need in needs:
        if need.seat is not None:
            conv = bld.need(need, world.estimate(need), need.earliest)
            sol.conversations.append((conv, bld.seat(need.seat)))
    lead = world.scenario.rehab.lead_days
    booked = [(c, c.meeting) for c in world.cases if c.meeting is not None and c.presented is None]
    sent: dict[Meeting, int] = {}
    for case, meeting in booked:
        if case.sent(day, lead):
            sent[meeting] = sent.get(meeting, 0) + 1
    bld.rehab(day, 10_000, [c for c, _ in booked if not c.sent(day, lead)], sent)
    for case, meeting in booked:
        if not case.sent(day, lead):
            sol.rehab.append((case.id, meeting.id))
    return bld.instance(), sol
