"""Which group call-in a need goes to: the solver policy's choice between a seat of the
citizen's caseworker and a group call-in (the job centre's own, or a pooled window it makes:
`pool`).

* A citizen **unlikely to come** (estimate at or below the threshold, `group_ok`) takes the
  earliest session of the unit with room if it meets the planning target, or is no later than
  the seat.
* Anyone else takes a session only when no seat of their caseworker meets the planning target
  but the session does; or for **cover**: when the seat is their last chance
  (`last_chance`: lost to a caseworker away that day, no new call-in could reach them by the
  deadline), the earliest group call-in no later than the seat that has seats of two
  caseworkers or more (`covered`), so that one caseworker away does not take the
  conversation. A pooled window with such an invitee keeps a second caseworker's seat
  (`pool.fit`). Cover is asked for a new need (`top_up`) and, after the weekly plan, for the
  needs the plan left on their last chance (`cover`): the plan first, as it may find an
  earlier seat by moving others.

The seat is looked at first: sessions the choice could not take are never asked (each question
may open and dissolve a pooled window).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from .bookings import days_between
from .policy import working
from .pool import fit, has_room, open_window, window_groups, window_on, within_share
from .world import Need, Seat, Session, first_free

if TYPE_CHECKING:
    from .run import World


class SessionChoice(ABC):
    """The group call-in half of the solver policy (`SolverPolicy`)."""

    uses_groups = True
    makes_windows = True  # pooled windows (`pool`) when `[policy] pool_risk` > 0
    _threshold = 0.0  # group call-in first at or below this show probability
    _absent = 0.0  # the share of caseworker days lost to sickness so far

    @abstractmethod
    def view_p(self, need: Need) -> float:
        """The show probability the policy plans with."""

    @abstractmethod
    def size_p(self, need: Need) -> float:
        """The show probability a group call-in is sized with."""

    @abstractmethod
    def target(self, world: World, need: Need) -> dt.date:
        """The planning target of the need."""

    def group_ok(self, need: Need) -> bool:
        return self.view_p(need) <= self._threshold

    def room(self, world: World, sess: Session, need: Need) -> bool:
        """A fixed group call-in: expected arrivals up to `group_fill` of the seats; a pooled
        window: P(arrivals > present seats) at most `pool_risk` (exact, `pool.has_room`)."""
        if sess.made:
            pol = world.scenario.policy
            return has_room(world, sess, need, self.size_p, pol.pool_risk, pol.pool_seats,
                            self._absent)
        invited = tuple(self.size_p(n) for n in sess.invitees)
        expected = sum(invited) + self.size_p(need)
        return (expected <= world.booking.group_fill * len(sess.seats) + 1e-9
                and within_share(invited, self.size_p(need), len(sess.seats)))

    def pooling(self, world: World) -> bool:
        return self.makes_windows and world.scenario.policy.pool_risk > 0

    def fit(self, world: World, sess: Session) -> None:
        if sess.made:
            pol = world.scenario.policy
            fit(world, sess, self.size_p, pol.pool_risk, pol.pool_seats, self._absent,
                cover=any(last_chance(world, n, sess.day) and not self.group_ok(n)
                          for n in sess.invitees))

    def invite(self, world: World, need: Need, sess: Session) -> None:
        world.invite(need, sess)
        self.fit(world, sess)

    def session_choice(self, world: World, need: Need, day: dt.date,
                       cover: bool = True) -> Session | None:
        """A group call-in instead of a seat: for a citizen unlikely to come, the earliest
        session of the unit with room if it is on time (or no seat is); for anyone else, only
        when no seat of their caseworker meets the planning target but the session does, or
        (with `cover`) the seat is their last chance and a covering session is no later. The
        seat is looked at first: sessions the choice could not take are never asked."""
        if not self.uses_groups or "in_person" not in need.channels:
            return None
        lo = max(need.ready, day + dt.timedelta(days=world.booking.notice_days))
        hi = min(need.last_day, day + dt.timedelta(days=world.booking.plan_horizon_days))
        seat = first_free(world.seats_by_cw, need, lo, min(need.last_day,
                                                           world.seat_horizon(day)))
        target = self.target(world, need)
        covering = False
        if self.group_ok(need):
            last = self.last_preferred(seat, target)
            if last is not None:
                hi = min(hi, last)
        else:
            if target < lo:  # the planning target has passed: the deadline is what is left
                target = need.deadline
            if seat is not None and seat.day <= target:
                if not cover or not last_chance(world, need, seat.day):
                    return None
                hi, covering = min(hi, seat.day), True
            else:
                hi = min(hi, target)
        sess, made = self.earliest_session(world, need, lo, hi, covering)
        choice = None
        if sess is not None and (not self.group_ok(need) or self.prefer(need, sess, seat, target)):
            choice = sess
        if made is not None and choice is not made:
            self.fit(world, made)  # the new window was not taken: dissolve it
        return choice

    def earliest_session(self, world: World, need: Need, lo: dt.date, hi: dt.date,
                         cover: bool = False) -> tuple[Session | None, Session | None]:
        """The earliest group call-in of the unit with room on [lo, hi]: a fixed one, a pooled
        window, or a new pooled window on a day that has none (returned second, too). With
        `cover`, only sessions of two caseworkers or more (`covered`)."""
        unit = need.cit.spec.unit
        pool = self.pooling(world)
        for d in days_between(lo, hi):
            for s in world.sessions_by_day.get(d, []):
                if s.unit == unit and s.minutes >= need.minutes and self.room(world, s, need) \
                        and (not cover or covered(world, s)):
                    return s, None
            if pool and working(world, d) and window_on(world, unit, d) is None:
                made = open_window(world, unit, d, world.scenario.policy.pool_seats)
                if made is not None:
                    if made.minutes >= need.minutes and self.room(world, made, need) \
                            and (not cover or covered(world, made)):
                        return made, made
                    self.fit(world, made)
        return None, None

    def cover(self, world: World, day: dt.date, needs: list[Need]) -> None:
        """After the weekly plan: a need it left alone in a seat on their last chance
        (`last_chance`) moves to a covering session no later than that seat, if one has room
        (the plan first: it may find an earlier seat by moving others)."""
        if not self.uses_groups:
            return
        lo0 = day + dt.timedelta(days=world.booking.notice_days)
        for need in sorted(needs, key=lambda n: (n.deadline, n.cit.id)):
            seat = need.seat
            if seat is None or seat.need is not need or seat.extra is not None \
                    or "in_person" not in need.channels or self.group_ok(need) \
                    or not last_chance(world, need, seat.day):
                continue
            sess, _ = self.earliest_session(world, need, max(need.ready, lo0), seat.day,
                                            cover=True)
            if sess is not None:
                world.unbook(need)
                self.invite(world, need, sess)

    def prefer(self, need: Need, sess: Session, seat: Seat | None, target: dt.date) -> bool:
        """For a citizen unlikely to come: the session if on time, or no later than the seat."""
        return sess.day <= target or seat is None or sess.day <= seat.day

    def last_preferred(self, seat: Seat | None, target: dt.date) -> dt.date | None:
        """The last day a session may be on for `prefer` to take it (None: any day)."""
        return None if seat is None else max(target, seat.day)


def last_chance(world: World, need: Need, day: dt.date) -> bool:
    """Lost on `day` (a caseworker away), the conversation could not be booked again by its
    deadline: a new call-in needs the notice."""
    return day + dt.timedelta(days=world.booking.notice_days) > need.deadline


def covered(world: World, sess: Session) -> bool:
    """A group call-in with seats of two caseworkers or more (a pooled window: that has or can
    take them), so one caseworker away does not take it."""
    if sess.made:
        return len(window_groups(world, sess, world.scenario.policy.pool_seats)) >= 2
    return len({s.cw for s in sess.seats}) >= 2
