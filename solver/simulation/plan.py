"""The simulated job centre as a `jobcenter-plan/1` instance, and plans read back into it.

`plan_instance` is what the solver policy re-plans each week: locked bookings (letters already
out, the next `lock_days`), group call-in invitations as locked bookings in one slot per session
(a unit-pool caseworker `grp:<unit>`, capacity = invitations), free caseworker seats up to
`plan_horizon_days` ahead, every conversation need whose letter has gone out (with its previous,
unlocked booking), rehabilitation cases whose material has not gone to the region yet.
`snapshot` writes the current bookings of any policy as an instance and a solution, so that
`solver.check` can judge every policy's plan by the contract's hard rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..problem import FORMAT
from ..solution import Solution
from .world import Case, Meeting, Need, Seat, Session

if TYPE_CHECKING:
    from .run import World

LATE_WEIGHT = 0.01  # a need that can no longer be met on time: placed, as early as possible


@dataclass
class Instance:
    data: dict[str, Any]
    needs: dict[str, Need] = field(default_factory=dict)
    seats: dict[str, Seat] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)


def _start(day: dt.date, time: str) -> str:
    return f"{day.isoformat()}T{time}"


def _conv_id(need: Need) -> str:
    return f"{need.cit.id}#{need.key}#{need.attempt}"


class _Builder:
    def __init__(self, world: World, today: dt.date) -> None:
        self.world = world
        self.today = today
        r = world.booking.rebook_days
        self.data: dict[str, Any] = {
            "format": FORMAT, "timezone": "Europe/Copenhagen", "today": today.isoformat(),
            "settings": {"rebook_days": round((r.min + r.max) / 2),
                         "rehab_lead_days": world.scenario.rehab.lead_days},
            "caseworkers": [{"id": cw, "unit": unit} for cw, unit in world.unit_of.items()],
            "citizens": [], "slots": [], "conversations": [], "bookings": [],
            "rehab_meetings": [], "rehab_cases": []}
        self.inst = Instance(self.data)
        self.citizens: set[str] = set()
        self.group_units: set[str] = set()

    def seat(self, seat: Seat) -> str:
        if seat.id not in self.inst.seats:
            self.inst.seats[seat.id] = seat
            self.data["slots"].append({"id": seat.id, "caseworker": seat.cw,
                                       "start": _start(seat.day, seat.time),
                                       "minutes": seat.minutes, "channel": seat.channel,
                                       "capacity": 2 if seat.extra is not None else 1})
        return seat.id

    def session(self, sess: Session, capacity: int) -> str:
        if sess.unit not in self.group_units:
            self.group_units.add(sess.unit)
            self.data["caseworkers"].append({"id": f"grp:{sess.unit}", "unit": sess.unit})
        self.data["slots"].append({"id": sess.id, "caseworker": f"grp:{sess.unit}",
                                   "start": _start(sess.day, sess.time), "minutes": sess.minutes,
                                   "channel": "in_person", "capacity": max(1, capacity)})
        return sess.id

    def need(self, need: Need, p: float, earliest: dt.date, pool: str = "caseworker",
             target: dt.date | None = None) -> str:
        spec = need.cit.spec
        if spec.id not in self.citizens:
            self.citizens.add(spec.id)
            self.data["citizens"].append({"id": spec.id, "unit": spec.unit,
                                          "caseworker": spec.caseworker,
                                          "show_probability": p,
                                          "channels": list(need.channels)})
        cid = _conv_id(need)
        weight = 1.0
        deadline = need.deadline
        if earliest > deadline:
            deadline, weight = earliest, LATE_WEIGHT
        elif target is not None:
            deadline = max(earliest, min(deadline, target))
        self.data["conversations"].append({"id": cid, "citizen": spec.id,
                                           "earliest": earliest.isoformat(),
                                           "deadline": deadline.isoformat(),
                                           "minutes": need.minutes, "pool": pool,
                                           "weight": weight})
        self.inst.needs[cid] = need
        return cid

    def booking(self, conv: str, slot: str, locked: bool) -> None:
        self.data["bookings"].append({"conversation": conv, "slot": slot, "locked": locked})

    def rehab(self, day: dt.date, horizon_days: int, cases: list[Case],
              sent: dict[Meeting, int], shift: int = 0) -> None:
        """Meetings from `day` on and the open cases. `shift`: the instance's `today` is this
        many days after `day` (the call-in notice of the conversations); the material needs no
        notice, so a case's `ready` moves `shift` days later and the lead `shift` days shorter:
        max(ready + shift, day + shift) + (lead - shift) = max(ready, day) + lead, as in the
        job centre."""
        if shift:
            self.data["settings"]["rehab_lead_days"] -= shift
        last = day + dt.timedelta(days=horizon_days)
        for m in self.world.meetings:
            if day <= m.day <= last:
                self.inst.meetings[m.id] = m
                self.data["rehab_meetings"].append(
                    {"id": m.id, "date": m.day.isoformat(),
                     "capacity": max(0, m.capacity - sent.get(m, 0))})
        for case in cases:
            self.inst.cases[case.id] = case
            self.need_citizen(case)
            self.data["rehab_cases"].append({"id": case.id, "citizen": case.cit.id,
                                             "ready": (case.ready + dt.timedelta(
                                                 days=shift)).isoformat(),
                                             "deadline": case.deadline.isoformat()})

    def need_citizen(self, case: Case) -> None:
        spec = case.cit.spec
        if spec.id not in self.citizens:
            self.citizens.add(spec.id)
            self.data["citizens"].append({"id": spec.id, "unit": spec.unit,
                                          "caseworker": spec.caseworker})


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
        for seat in seats:
            if today <= seat.day <= hi and seat.need is None and seat.session is None:
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
    return bld.inst


def snapshot(world: World, day: dt.date) -> tuple[Instance, Solution]:
    """Every booking from `day` on, as an instance (bookings unlocked) and its solution."""
    bld = _Builder(world, day)
    sol = Solution(status="feasible")
    needs = [c.need for c in world.active if c.need is not None and c.need.booked]
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
    return bld.inst, sol
