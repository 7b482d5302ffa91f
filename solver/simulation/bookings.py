"""What a policy may do in the world: book a seat, double-book one, invite to a group call-in,
cancel; and what it may ask: the needs whose letter has gone out, the cases waiting for a
meeting, the group call-ins of some days."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from .state import WorldState
from .world import Case, Need, Seat, Session


class Bookings(WorldState):
    """Booking operations and queries used by the policies."""

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
            while not self.show(need, k) and k < need.attempt + 500:
                k += 1
            need.attempt = k

    def needs(self, day: dt.date, early: bool = False) -> list[Need]:
        """Needs whose call-in letter has gone out (`early`: or may go out early), earliest
        deadline first."""
        return self.open_needs.visible(day, early)

    def waiting_cases(self, day: dt.date) -> list[Case]:
        return [c for c in self.cases if c.presented is None and c.meeting is None
                and c.ready <= day]

    def open_sessions(self, lo: dt.date, hi: dt.date) -> list[Session]:
        return [s for d in days_between(lo, hi) for s in self.sessions_by_day.get(d, [])]

    def seat_horizon(self, day: dt.date) -> dt.date:
        return day + dt.timedelta(weeks=self.booking.horizon_weeks)


@lru_cache(maxsize=4096)
def days_between(lo: dt.date, hi: dt.date) -> tuple[dt.date, ...]:
    """Every date from `lo` to `hi`, both included (kept: the policies ask for the same spans
    again and again)."""
    return tuple(lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1))
