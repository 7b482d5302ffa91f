"""Programmes start and end; each citizen's next obligation becomes a need.

The rules engine (`booking.rules`) computes a citizen's next obligation from the programme start
and the conversations held so far. It appears (call-in letter) `letter_days` before its deadline;
the citizen self-books early, late or never (drawn per citizen and obligation). A citizen of a
rehabilitation group gets a case for the team on the first day of the programme.

A citizen is looked at only on the days something can happen to them (`wake`): the day the
programme starts or ends, the day after their need closes, and the day their next need is due to
be asked for (`next_check`). The needs of the active citizens are kept in the order the policies
ask for them (`open_needs`: deadline, then citizen id).
"""

from __future__ import annotations

import datetime as dt

from .draws import randint
from .floor import earliest_success, need_days
from .population import next_obligation, obligations, quiet_until, rehab_ready
from .state import WorldState
from .world import DAY, Case, Citizen, Need


class Programmes(WorldState):
    """The day's starts and ends, and the next need of every active citizen without one."""

    def _programmes(self, day: dt.date) -> None:
        for c in self.starting.pop(day, []):
            self.active[c.id] = c
            self._check_on(c, day)
            if c.spec.end is not None:
                self.wake[c.spec.end + DAY].append(c)
            if c.spec.group in self.scenario.rehab.groups:
                self._rehab_case(c)
        # each citizen's day is independent of the others' (own draws, own seats)
        for c in self.wake.pop(day, []):
            if c.id not in self.active:
                continue  # the programme has ended
            if c.spec.end is not None and day > c.spec.end:
                if c.need is not None:
                    self.unbook(c.need)
                    self._set_need(c, None)
                del self.active[c.id]
                continue
            need = c.need
            if need is not None and need.closes is not None and day > need.closes:
                self.unbook(need)
                self._set_need(c, None)
                self.next_check[c.id] = day
            if c.need is None and self.next_check[c.id] <= day:
                self._next_need(c, day)

    def _check_on(self, c: Citizen, day: dt.date) -> None:
        """Ask for the citizen's next need on `day` (when they have none then)."""
        self.next_check[c.id] = day
        self.wake[day].append(c)

    def _set_need(self, c: Citizen, need: Need | None) -> None:
        """The citizen's current need (None: none), kept in `open_needs` in policy order."""
        if c.need is not None:
            self.open_needs.remove(c.need)
        c.need = need
        if need is not None:
            self.open_needs.add(need)
            if need.closes is not None:
                self.wake[need.closes + DAY].append(c)

    def _next_need(self, c: Citizen, day: dt.date) -> None:
        quiet = c.quiet
        if quiet is not None and quiet[0] == len(c.held) and day < quiet[1]:
            ob = None  # nothing new can have come since it was last asked
        else:
            ob = next_obligation(self.rule_set, c.spec, c.held, day)
            if ob is None:
                c.quiet = (len(c.held), quiet_until(self.rule_set, c.spec, day))
        if ob is None:
            self._check_on(c, day + dt.timedelta(days=28))
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
        days = need_days(self.unit_days, self.need_days, c.spec.unit, ob.channels)
        self.earliest_held[(c.id, ob.key)] = earliest_success(self.seed, b, days, need)
        self._set_need(c, need)

    def _self_booking_day(self, c: Citizen, need: Need, key: str) -> dt.date | None:
        """The day the citizen self-books: early bookers soon after the letter, late ones just
        before the self-booking deadline, never: None (also when that deadline has passed)."""
        b = self.booking
        early, late = b.early_booker_days, b.late_booker_days
        appear, sb_deadline = need.appear, need.sb_deadline
        if sb_deadline < appear or c.spec.self_type == "never":
            return None
        if c.spec.self_type == "early":
            days = randint(self.seed, early.min, early.max, "selfbook", c.id, key)
            return min(appear + dt.timedelta(days=days), sb_deadline)
        days = randint(self.seed, late.min, late.max, "selfbook", c.id, key)
        return max(appear, sb_deadline - dt.timedelta(days=days))

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
