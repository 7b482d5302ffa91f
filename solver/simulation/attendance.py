"""Today's conversations happen or are missed.

Caseworkers report sick in the morning (their bookings of the day are cancelled and rebooked).
Each booked citizen comes or not by their own show draw for this attempt; an overbooked seat
serves the first who came (earliest deadline) and turns the other away. A group call-in serves
as many arrivals as its pool has present seats; the others wait for an idle pooled caseworker
(a seat up to `WAIT_HOURS` after the window's last one that is free or whose citizen did not
come). A missed conversation can be held again `rebook_days` later.

Each arrival or no-show is what the job centre observes: it updates the citizen's attendance
counts, from which every policy estimates the show probability (`estimate`, the app's own
estimator from the group's prior), and the estimate made just before the draw is kept for the
report's calibration against the simulated truth. At group call-ins the job centre also sees
how many came against how many the estimates expected (`group_came`, `group_expected`).
"""

from __future__ import annotations

import datetime as dt

from booking.rules import HeldConversation
from solver.attendance import estimate_show_probability

from .draws import randint, uniform
from .state import WorldState
from .world import DAY, Need, Seat

WAIT_HOURS = 2  # a group call-in arrival beyond the seats waits this long for an idle seat

Waiting = tuple[Need, set[str], str, str]  # (need, pooled caseworkers, from, until)


class Attendance(WorldState):
    """The day's seats and group call-ins, and what becomes of each booked citizen."""

    def estimate(self, need: Need) -> float:
        """The show probability a job centre would estimate for the citizen: the app's
        estimator (`solver.attendance`) from the group's prior mean, weighed as
        `[policy] prior_strength` attempts, and the attempts observed so far (kept on the
        citizen, renewed by `_observe`)."""
        c = need.cit
        estimate = c.estimate
        if estimate is None:
            estimate = c.estimate = estimate_show_probability(
                c.attended, c.missed, self.prior_mean[c.spec.group],
                self.scenario.policy.prior_strength)
        return estimate

    def _observe(self, need: Need, came: bool, measured: bool) -> bool:
        """The job centre sees whether the citizen came: the estimate made before (with the
        truth it estimated) goes to the calibration, then the counts move."""
        c = need.cit
        if measured:
            self.result.calibration.append(
                (self.estimate(need), self.prior_mean[c.spec.group], c.spec.p, came))
        if came:
            c.attended += 1
        else:
            c.missed += 1
        c.estimate = None
        return came

    def _conversations(self, day: dt.date) -> None:
        measured = self.measure_from <= day < self.end
        sick = self._sick(day)
        waiting = self._sessions(day, sick, measured)
        for seat in self.seats_by_day.get(day, []):
            if seat.session is None:
                self._seat(seat, day, sick, waiting, measured)
        for need, *_ in waiting:
            self.result.turned_away += measured
            self._attend(need, day, "in_person", False, measured, came=True)

    def _sick(self, day: dt.date) -> set[str]:
        """The caseworkers with seats today who report sick (drawn per caseworker and day);
        the job centre counts the caseworker days and those lost (`absence_seen`)."""
        working = {s.cw for s in self.seats_by_day.get(day, [])}
        sick = {cw for cw in working
                if uniform(self.seed, "sick", cw, day) < self.sick_rate[self.unit_of[cw]]}
        self.cw_days_seen += len(working)
        self.sick_days_seen += len(sick)
        return sick

    def absence_seen(self) -> float:
        """The share of caseworker days lost to sickness so far (0 before the first day)."""
        return self.sick_days_seen / self.cw_days_seen if self.cw_days_seen else 0.0

    def _seat(self, seat: Seat, day: dt.date, sick: set[str], waiting: list[Waiting],
              measured: bool) -> None:
        """One individual seat: cancelled if its caseworker is sick; else its citizen(s) come
        or not, and an idle seat takes a citizen still waiting from a group call-in."""
        res = self.result
        if seat.need is None:
            booked = []
        elif seat.extra is None:
            booked = [seat.need]
        else:
            booked = sorted((seat.need, seat.extra), key=lambda n: (n.deadline, n.cit.id))
        if seat.cw in sick:
            for need in booked:
                self.unbook(need)
                need.ready, need.central = day + DAY, True
                res.sick_cancelled += measured
            return
        res.seats += measured
        served = False  # an overbooked seat serves the first who came (earliest deadline)
        for need in booked:
            came = self._observe(need, self.show(need, need.attempt), measured)
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

    def _sessions(self, day: dt.date, sick: set[str], measured: bool) -> list[Waiting]:
        """Group call-ins serve as many arrivals as the pool has present seats; the others
        wait for a pooled caseworker who is idle later in the morning (a seat up to `WAIT`
        after the window's last one that is free or whose citizen did not come)."""
        res = self.result
        waiting = []
        for sess in self.sessions_by_day.get(day, []):
            present = [s for s in sess.seats if s.cw not in sick]
            res.seats += measured * len(present)
            came = []
            expected = 0.0
            for need in sorted(sess.invitees, key=lambda n: (n.deadline, n.cit.id)):
                expected += self.estimate(need)
                if self._observe(need, self.show(need, need.attempt), measured):
                    came.append(need)
                else:
                    self._attend(need, day, "in_person", False, measured)
            self.group_expected += expected
            self.group_came += len(came)
            for need in came[len(present):]:
                until = max((s.time for s in sess.seats), default=sess.time)
                until = f"{int(until[:2]) + WAIT_HOURS:02d}{until[2:]}"
                waiting.append((need, {s.cw for s in present}, sess.time, until))
            for need in came[:len(present)]:
                self._attend(need, day, "in_person", True, measured)
        return waiting

    def _attend(self, need: Need, day: dt.date, channel: str, held: bool, measured: bool,
                came: bool = False) -> None:
        """Held: the conversation counts and the citizen's next need follows tomorrow. Not
        held (missed, or `came` but turned away): the need waits `rebook_days` (drawn)."""
        res = self.result
        self.unbook(need)
        c = need.cit
        if held:
            c.held.append(HeldConversation(day, joint=need.joint, channel=channel))
            self._set_need(c, None)
            self._check_on(c, day + DAY)
            res.held += measured
            return
        res.missed += measured and not came
        need.attempt += 1
        r = self.booking.rebook_days
        delay = randint(self.seed, r.min, r.max, "rebook", c.id, need.key, need.attempt)
        need.ready = day + dt.timedelta(days=max(1, delay))
        need.central = True

    def _meetings(self, day: dt.date) -> None:
        """Today's rehabilitation-team meetings take their cases."""
        for m in self.meetings:
            if m.day == day:
                for case in m.cases:
                    case.presented = day
