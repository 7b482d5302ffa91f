"""Programmes start and end; each citizen's next obligation becomes a need.

The rules engine (`booking.rules`) computes a citizen's next obligation from the programme start
and the conversations held so far. It appears (call-in letter) `letter_days` before its deadline;
the citizen self-books early, late or never (drawn per citizen and obligation). A citizen of a
rehabilitation group gets a case for the team on the first day of the programme.
"""

from __future__ import annotations

import datetime as dt

from .draws import stream
from .population import next_obligation, obligations, rehab_ready
from .state import WorldState
from .world import DAY, Case, Citizen, Need


class Programmes(WorldState):
    """The day's starts and ends, and the next need of every active citizen without one."""

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
        need.sb_day = self._self_booking_day(c, need, ob.key)
        need.central = need.sb_day is None and sb_deadline < appear
        c.need = need

    def _self_booking_day(self, c: Citizen, need: Need, key: str) -> dt.date | None:
        """The day the citizen self-books: early bookers soon after the letter, late ones just
        before the self-booking deadline, never: None (also when that deadline has passed)."""
        b = self.booking
        rng = stream(self.seed, "selfbook", c.id, key)
        early, late = b.early_booker_days, b.late_booker_days
        appear, sb_deadline = need.appear, need.sb_deadline
        if sb_deadline < appear or c.spec.self_type == "never":
            return None
        if c.spec.self_type == "early":
            return min(appear + dt.timedelta(days=rng.randint(early.min, early.max)),
                       sb_deadline)
        return max(appear, sb_deadline - dt.timedelta(days=rng.randint(late.min, late.max)))

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
