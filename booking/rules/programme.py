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

A simulation runs many programmes, and runs each several times (once per booking policy), so
more is shared: the slots of every programme with the same rule set, group, start day and
requirements (``_Slots``, with the obligations built from them), the matching of the first
events of a history list with another list that began with the very same events (``_begun``),
and, for a caller that wants only the first open obligation it accepts, the fulfilled ones are
passed over unbuilt (``first_open``, ``each_fulfilled``, ``next_start``).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta

from .clock import Clock
from .engine import Slot, _obligation, _requirements, horizon_of, programme_slots
from .model import HeldConversation, Obligation, RuleSet, TargetGroup

BEGINS = 4  # beginnings of history lists kept per programme (see `_begun`)
#: the slots of a programme as it asks for them: in the order they are offered events, per
#: (kind, holder), in the order of the answer (each with the day it may start), and those days
_View = tuple[list[tuple[Slot, date]], dict[tuple[str, str], list[Slot]],
              list[tuple[Slot, date]], list[date]]


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
        # built to the horizon asked for even when the programme ends before: the next
        # programme of the same start may run longer
        shared = _Slots.of(rule_set, self.group, programme_start, birth_date,
                           max(horizon, self.horizon))
        view = shared.upto(self.horizon)
        self._ordered, self._by_kind, self._answer_order, self._starts = view
        self._built = shared.built
        self._progress: dict[int, _Progress] = {}
        # matchings of the first events of a history list, for lists that begin alike
        self._begins: list[tuple[tuple[HeldConversation, ...], dict[int, date]]] = []

    def at(self, held: Sequence[HeldConversation], until: date) -> list[Obligation]:
        """The obligations ``compute_obligations`` gives for this history and ``until``."""
        return list(self.each(held, until))

    def each(self, held: Sequence[HeldConversation], until: date) -> Iterator[Obligation]:
        """:meth:`at` one obligation at a time, in the same order: a caller that wants the
        first open one stops early instead of building them all."""
        for slot, done in self._answered(held, until):
            key = (id(slot), done)
            built = self._built.get(key)
            if built is None:
                built = self._built[key] = _obligation(
                    dataclasses.replace(slot, fulfilled_on=done), self.group)
            yield built

    def each_fulfilled(self, held: Sequence[HeldConversation],
                       until: date) -> Iterator[tuple[Obligation, date | None]]:
        """What :meth:`each` yields, as pairs: the obligation as it stands open, and the date
        it was fulfilled on (``None``: open); the obligation is built once per slot, not once
        per slot and fulfilment date."""
        for slot, done in self._answered(held, until):
            yield self._open(slot), done

    def _answered(self, held: Sequence[HeldConversation],
                  until: date) -> Iterator[tuple[Slot, date | None]]:
        """Each slot in answer order that has begun by ``until`` with the date it was fulfilled
        on (``None``: open), leaving out open ones whose statutory date is past the end."""
        cut, fulfilled = self._fulfilled(held, until)
        end = self.end
        for slot, starts in self._answer_order:
            if starts > cut:
                continue
            done = fulfilled.get(id(slot))
            if end is not None and done is None and slot.statutory > end:
                continue
            yield slot, done

    def first_open(self, held: Sequence[HeldConversation], until: date,
                   accept: Callable[[Obligation], bool]) -> Obligation | None:
        """The first open obligation of :meth:`each` that ``accept`` takes (``None``: none):
        the fulfilled ones before it are passed over without being built."""
        cut, fulfilled = self._fulfilled(held, until)
        end = self.end
        for slot, starts in self._answer_order:
            if starts > cut or id(slot) in fulfilled or (end is not None and slot.statutory > end):
                continue
            built = self._open(slot)
            if accept(built):
                return built
        return None

    def next_start(self, until: date) -> date | None:
        """The first day past the cut of ``until`` on which a slot starts (from then on an
        answer may hold one more obligation); the day after the horizon when none is built up
        to it, ``None`` when no slot can ever come (the programme's end is within the cut)."""
        cut = horizon_of(until, self.end)
        i = bisect.bisect_right(self._starts, cut)
        if i < len(self._starts):
            return self._starts[i]
        if self.end is not None and self.end <= cut:
            return None
        return self.horizon + timedelta(days=1)

    def _open(self, slot: Slot) -> Obligation:
        """The slot's obligation, open (as :meth:`each` builds it for an unfulfilled slot)."""
        key = (id(slot), None)
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = _obligation(slot, self.group)
        return built

    def _fulfilled(self, held: Sequence[HeldConversation],
                   until: date) -> tuple[date, dict[int, date]]:
        """The cut for ``until`` and the slots (by id) the history fulfils within it."""
        cut = horizon_of(until, self.end)
        if cut > self.horizon:
            raise ValueError(f"until {until} lies past the horizon {self.horizon} built for")
        fulfilled = self._matched_on_all(held, cut)
        if fulfilled is None:
            fulfilled = self._matched(held, [s for s, starts in self._ordered if starts <= cut])
        return cut, fulfilled

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
        """``engine.choose_slot`` among the open slots that accept the event, in slot order,
        looking no further than the choice needs: the first joint slot a joint event (or one
        the citizen declined) may take, else the first ordinary one."""
        plain = None
        joint, declined = event.joint, event.fund_declined
        for s in slots:
            # the built slots are never fulfilled: `accepts` sees them open
            if id(s) in fulfilled or not s.accepts(event):
                continue
            if s.joint:
                if joint or (declined and s.req.citizen_may_decline):
                    fulfilled[id(s)] = event.date
                    return
            elif plain is None:
                plain = s
                if not (joint or declined):
                    break
        if plain is not None:
            fulfilled[id(plain)] = event.date

    def _matched_on_all(self, held: Sequence[HeldConversation],
                        cut: date) -> dict[int, date] | None:
        """The matching over every built slot, carried on from the last call with the same
        history list when it only grew (a simulation appends what is held, in date order).
        Equal to the matching over the slots within ``cut`` when no event lies past ``cut``: a
        slot past it starts after every event, so no event could have taken it. ``None`` when
        that does not hold (then `at` matches afresh)."""
        progress = self._progress.get(id(held))
        fresh = progress is None or progress.held is not held or progress.count > len(held) or (
            progress.count and held[progress.count - 1] is not progress.last)
        if fresh:
            progress = self._progress[id(held)] = self._begun(held)
        assert progress is not None
        for event in held[progress.count:]:
            if progress.last is not None and event.date < progress.last.date:
                del self._progress[id(held)]
                return None  # not in date order: match afresh
            progress.count += 1
            progress.last = event
            if self._counts(event):
                self._offer(event, self._by_kind.get((event.kind, event.holder), []),
                            progress.fulfilled)
        if fresh and progress.count and len(self._begins) < BEGINS:
            self._begins.append((tuple(held[:progress.count]), dict(progress.fulfilled)))
        if progress.last is not None and progress.last.date > cut:
            return None
        return progress.fulfilled

    def _begun(self, held: Sequence[HeldConversation]) -> _Progress:
        """A new list's progress, carried on from the matching of another list that began
        with the very same events (another run of the same citizen's programme starts from
        the same history), else from nothing."""
        progress = _Progress(held)
        for events, fulfilled in self._begins:
            n = len(events)
            if n <= len(held) and n > progress.count and all(
                    a is b for a, b in zip(events, held, strict=False)):
                progress.count, progress.last = n, events[-1]
                progress.fulfilled = dict(fulfilled)
        return progress


class _Slots:
    """The slots of every programme of one rule set, group, start day and set of requirements
    (those of the citizen's age), built up to the furthest horizon asked for and shared: the
    slots for an earlier horizon are those whose period and own ``earliest`` start on or
    before it (the two cuts of ``engine._slots``), in the same orders. Slots are never
    changed, so programmes may share them."""

    _kept: dict[tuple[str, TargetGroup, date, tuple[str, ...]], _Slots] = {}
    KEPT = 20_000  # at most this many kept (per process)

    def __init__(self, rule_set: RuleSet, group: TargetGroup, start: date,
                 birth_date: date | None, horizon: date) -> None:
        self.rule_set, self.horizon = rule_set, horizon
        slots = programme_slots(rule_set, 0, group, start, birth_date=birth_date,
                                horizon=horizon, clock=Clock(start), closed=frozenset())
        self.ordered: list[tuple[Slot, date]] = [
            (s, max(s.window.start, s.earliest))
            for s in sorted(slots, key=lambda s: (s.order, s.period, s.sequence))]
        self.answer_order = sorted(self.ordered, key=lambda p: (
            p[0].deadline, p[0].statutory, p[0].order, p[0].period, p[0].sequence))
        # (slot, fulfilment date) -> its obligation (one slot, one group: the same for all)
        self.built: dict[tuple[int, date | None], Obligation] = {}
        self.starts = sorted(starts for _s, starts in self.ordered)
        self.views: dict[int, _View] = {}

    def upto(self, cut: date) -> _View:
        """The slots of a programme built to ``cut``: those whose period and own ``earliest``
        start on or before it (both within ``starts``), kept per how many they are."""
        count = bisect.bisect_right(self.starts, cut)
        view = self.views.get(count)
        if view is None:
            # in the order events are offered slots (engine._match), with when they may start
            ordered = [p for p in self.ordered if p[1] <= cut]
            # the same, per (kind, holder): an event is offered only the slots of its own
            by_kind: dict[tuple[str, str], list[Slot]] = {}
            for s, _starts in ordered:
                by_kind.setdefault((s.req.kind, s.req.holder), []).append(s)
            # the order of the answer (engine.fulfil sorts by it; it is total within a set)
            answer = [p for p in self.answer_order if p[1] <= cut]
            view = self.views[count] = (ordered, by_kind, answer, self.starts[:count])
        return view

    @classmethod
    def of(cls, rule_set: RuleSet, group: TargetGroup, start: date, birth_date: date | None,
           horizon: date) -> _Slots:
        reqs = tuple(r.id for r in _requirements(rule_set, group, start, birth_date))
        key = (rule_set.id, group, start, reqs)
        kept = cls._kept.get(key)
        if kept is None or kept.rule_set is not rule_set or kept.horizon < horizon:
            if len(cls._kept) >= cls.KEPT:
                cls._kept.clear()
            kept = cls._kept[key] = cls(rule_set, group, start, birth_date, horizon)
        return kept


class _Progress:
    """How far one history list has been matched over every built slot."""

    __slots__ = ("count", "fulfilled", "held", "last")

    def __init__(self, held: Sequence[HeldConversation]) -> None:
        self.held = held
        self.count = 0
        self.last: HeldConversation | None = None
        self.fulfilled: dict[int, date] = {}
