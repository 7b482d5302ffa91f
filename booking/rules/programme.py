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
from collections.abc import Iterator, Sequence
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
        # the order of the answer (engine.fulfil sorts by this key; it is total within a set)
        self._answer_order = sorted(self._ordered, key=lambda p: (
            p[0].deadline, p[0].statutory, p[0].order, p[0].period, p[0].sequence))
        self._built: dict[tuple[int, date | None], Obligation] = {}
        self._progress: dict[int, _Progress] = {}

    def at(self, held: Sequence[HeldConversation], until: date) -> list[Obligation]:
        """The obligations ``compute_obligations`` gives for this history and ``until``."""
        return list(self.each(held, until))

    def each(self, held: Sequence[HeldConversation], until: date) -> Iterator[Obligation]:
        """:meth:`at` one obligation at a time, in the same order: a caller that wants the
        first open one stops early instead of building them all."""
        cut = horizon_of(until, self.end)
        if cut > self.horizon:
            raise ValueError(f"until {until} lies past the horizon {self.horizon} built for")
        fulfilled = self._matched_on_all(held, cut)
        if fulfilled is None:
            fulfilled = self._matched(held, [s for s, starts in self._ordered if starts <= cut])
        end = self.end
        for slot, starts in self._answer_order:
            if starts > cut:
                continue
            done = fulfilled.get(id(slot))
            if end is not None and done is None and slot.statutory > end:
                continue
            key = (id(slot), done)
            built = self._built.get(key)
            if built is None:
                built = self._built[key] = _obligation(
                    dataclasses.replace(slot, fulfilled_on=done), self.group)
            yield built

    def _counts(self, event: HeldConversation) -> bool:
        return self.start <= event.date and (self.end is None or event.date <= self.end)

    def _matched(self, held: Sequence[HeldConversation], slots: list[Slot]) -> dict[int, date]:
        """Slot (by id) → the date of the event that fulfils it: the engine's rule."""
        events = sorted((e for e in held if self._counts(e)), key=lambda e: e.date)
        fulfilled: dict[int, date] = {}
        for event in events:
            self._offer(event, slots, fulfilled)
        return fulfilled

    @staticmethod
    def _offer(event: HeldConversation, slots: list[Slot], fulfilled: dict[int, date]) -> None:
        # the built slots are never fulfilled: `accepts` sees them open
        chosen = choose_slot([s for s in slots if id(s) not in fulfilled and s.accepts(event)],
                             event)
        if chosen is not None:
            fulfilled[id(chosen)] = event.date

    def _matched_on_all(self, held: Sequence[HeldConversation],
                        cut: date) -> dict[int, date] | None:
        """The matching over every built slot, carried on from the last call with the same
        history list when it only grew (a simulation appends what is held, in date order).
        Equal to the matching over the slots within ``cut`` when no event lies past ``cut``: a
        slot past it starts after every event, so no event could have taken it. ``None`` when
        that does not hold (then `at` matches afresh)."""
        progress = self._progress.get(id(held))
        if progress is None or progress.held is not held or progress.count > len(held) or (
                progress.count and held[progress.count - 1] is not progress.last):
            progress = self._progress[id(held)] = _Progress(held)
        slots = [s for s, _starts in self._ordered]
        for event in held[progress.count:]:
            if progress.last is not None and event.date < progress.last.date:
                del self._progress[id(held)]
                return None  # not in date order: match afresh
            progress.count += 1
            progress.last = event
            if self._counts(event):
                self._offer(event, slots, progress.fulfilled)
        if progress.last is not None and progress.last.date > cut:
            return None
        return progress.fulfilled


class _Progress:
    """How far one history list has been matched over every built slot."""

    __slots__ = ("count", "fulfilled", "held", "last")

    def __init__(self, held: Sequence[HeldConversation]) -> None:
        self.held = held
        self.count = 0
        self.last: HeldConversation | None = None
        self.fulfilled: dict[int, date] = {}
