"""One programme's obligations, asked for again and again as its history grows.

:func:`booking.rules.compute_obligations` builds every slot of a programme afresh on each call.
A simulation asks for the same programme's obligations after every conversation held, so
:class:`ProgrammeObligations` builds the slots once, up to a far horizon, and answers each call
from them: a slot belongs to the answer for ``until`` exactly when its period starts and its own
``earliest`` falls on or before ``horizon_of(until, programme_end)`` — the two cuts the engine
makes while building (``engine._slots``), and the only places the horizon enters. The built slots
are never changed: fulfilment is kept per call, events choose among the open slots by the
engine's own rule (``engine.choose_slot``), and an obligation is built once per slot and
fulfilment date. The answers equal ``compute_obligations`` (without pauses or closed days, which
this class does not take); a test compares them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from .clock import Clock
from .engine import Slot, _obligation, choose_slot, horizon_of, programme_slots
from .model import HeldConversation, Obligation, RuleSet, TargetGroup


class ProgrammeObligations:
    """``compute_obligations(rule_set, group, start, held, until=u, birth_date=…,
    programme_end=…)`` for every ``u`` up to ``horizon``, built once."""

    def __init__(self, rule_set: RuleSet, group: TargetGroup | str, programme_start: date, *,
                 horizon: date, birth_date: date | None = None,
                 programme_end: date | None = None) -> None:
        self.rule_set = rule_set
        self.group = TargetGroup(group)
        self.start = programme_start
        self.end = programme_end
        self.horizon = horizon_of(horizon, programme_end)
        slots = programme_slots(rule_set, 0, self.group, programme_start, birth_date=birth_date,
                                horizon=self.horizon, clock=Clock(programme_start),
                                closed=frozenset())
        # in the order events are offered slots (engine._match), each with when it may start
        self._ordered: list[tuple[Slot, date]] = [
            (s, max(s.window.start, s.earliest))
            for s in sorted(slots, key=lambda s: (s.order, s.period, s.sequence))]
        self._built: dict[tuple[int, date | None], Obligation] = {}

    def at(self, held: Sequence[HeldConversation], until: date) -> list[Obligation]:
        """The obligations ``compute_obligations`` gives for this history and ``until``."""
        cut = horizon_of(until, self.end)
        if cut > self.horizon:
            raise ValueError(f"until {until} lies past the horizon {self.horizon} built for")
        slots = [s for s, starts in self._ordered if starts <= cut]
        end = self.end
        events = sorted((e for e in held
                         if self.start <= e.date and (end is None or e.date <= end)),
                        key=lambda e: e.date)
        fulfilled: dict[int, date] = {}
        for event in events:  # the built slots are never fulfilled: `accepts` sees them open
            open_ = [s for s in slots if id(s) not in fulfilled and s.accepts(event)]
            chosen = choose_slot(open_, event)
            if chosen is not None:
                fulfilled[id(chosen)] = event.date
        kept = [s for s in slots
                if end is None or id(s) in fulfilled or s.statutory <= end]
        kept.sort(key=lambda s: (s.deadline, s.statutory, s.order, s.period, s.sequence))
        out = []
        for slot in kept:
            done = fulfilled.get(id(slot))
            key = (id(slot), done)
            built = self._built.get(key)
            if built is None:
                built = self._built[key] = _obligation(
                    dataclasses.replace(slot, fulfilled_on=done), self.group)
            out.append(built)
        return out
