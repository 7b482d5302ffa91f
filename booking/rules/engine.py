"""Turning a rule set, a programme start and a history into dated obligations.

How a requirement becomes obligations
-------------------------------------
A requirement "N events within [start + from, start + to]" becomes N obligations (slots) that all
share the period end as ``statutory_deadline`` and that get planning ``deadline``\\ s spread over
the period so they are not all crammed at its end:

* ``spread = "even"``: the i-th of N is due by period_start + i·(period length)/N (calendar months
  when that is a whole number of months), the last by the period end;
* ``spread = "even_after_first"``: the first has its own ``first_by`` deadline, the other N−1 are
  spread evenly as above;
* ``spread = "end"``: every slot is due at the period end.

``first_by_*`` makes the first slot's deadline *and* statutory deadline earlier ("the first within
2 weeks"); ``plan_by_*`` (count 1) sets an earlier local planning deadline while the statutory one
stays (flexjob: sent at 10 months, reassessed by 12). ``positions`` give one position a later
``earliest`` (copenhagen-2017: the 2nd joint conversation counts only in month 5 or 6). A
recurring requirement (``every_*``) does the same for each period
``[from + k·every, from + (k+1)·every]``, counted from the programme start and never rolling
(LAB § 9). For a ``cumulative`` requirement every date is then moved on by the programme's
pauses (:class:`booking.rules.clock.Clock`). Last, each planning deadline becomes the last
working day on or before it (:func:`booking.rules.clock.planning_date`); the statutory deadline
is never moved.

How history fulfils obligations
-------------------------------
Events (:class:`HeldConversation`) outside ``[programme start, programme end]`` do not count for
the programme; the others are taken in date order. An event may fulfil a slot of the same kind
and the same holder whose own ``earliest`` ≤ its date ≤ the period end (with ``accept_late`` any
date from ``earliest`` on, and it is then fulfilled late). Slots are filled in sequence within a
requirement and period, requirements in file order (older rule sets first). A slot planned as
joint needs a joint event — or one at which the citizen declined the fund's presence
(``fund_declined``) when the rule allows that (``citizen_may_decline``); such an event first
fills the earliest open joint slot it fits, and only otherwise an ordinary one. Events that fit
no open slot are surplus and ignored. Each event fulfils at most one obligation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .clock import Clock, planning_date
from .dates import Offset, Window, spread_deadlines
from .model import HeldConversation, Obligation, Pause, Requirement, RuleSet, TargetGroup

Closed = frozenset[date] | set[date]
#: The end of a period an open pause has stopped: not known yet, so it has not closed.
UNKNOWN_END = date.max


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def _ordinal_en(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _window(anchor: date, start: Offset, end: Offset) -> Window:
    if start.amount == 0:  # "from 0" has no unit of its own
        start = Offset(0, end.unit)
    if start.unit == end.unit == "months":
        return Window(start.after(anchor), end.after(anchor), anchor, start.amount,
                      end.amount - start.amount)
    return Window(start.after(anchor), end.after(anchor))


def _windows(req: Requirement, anchor: date) -> Iterator[tuple[int, Window]]:
    """The nominal (calendar, no pauses) periods of a requirement, 1-based; the caller stops."""
    if req.every is None:
        assert req.to is not None
        yield 1, _window(anchor, req.from_, req.to)
        return
    stop = req.to.after(anchor) if req.to is not None else None
    from_ = Offset(0, req.every.unit) if req.from_.amount == 0 else req.from_
    k = 0
    while True:
        start, end = from_.plus(req.every, k), from_.plus(req.every, k + 1)
        if start is not None and end is not None:
            window = _window(anchor, start, end)
        else:  # mixed units: step from the first period's start
            base = from_.after(anchor)
            window = Window(req.every.after(base, k), req.every.after(base, k + 1))
        if stop is not None and window.start >= stop:
            return
        yield k + 1, window
        k += 1


@dataclass
class Slot:
    order: tuple[int, int]  # (rule set, requirement) in the order slots are offered to events
    req: Requirement
    rule_set: str
    period: int
    window: Window
    earliest: date
    sequence: int
    deadline: date
    statutory: date
    joint: bool
    verified: bool
    note: str
    fulfilled_on: date | None = None

    def accepts(self, event: HeldConversation) -> bool:
        if self.fulfilled_on is not None or event.kind != self.req.kind:
            return False
        if event.holder != self.req.holder or event.date < self.earliest:
            return False
        return self.req.accept_late or event.date <= self.window.end


def _clamp(day: date, low: date, high: date) -> date:
    return min(max(day, low), high)


def _slots(order: tuple[int, int], req: Requirement, rule_set: str, anchor: date,
           horizon: date, clock: Clock, closed: Closed) -> list[Slot]:
    """The slots of one requirement whose period starts on or before ``horizon``."""
    on_clock = clock if req.cumulative else Clock(anchor)
    count = req.count
    slots: list[Slot] = []
    for period, nominal in _windows(req, anchor):
        start, end = on_clock.at(nominal.start), on_clock.at(nominal.end)
        if start is None or start > horizon:
            break  # later periods start later; an open pause hides the rest
        if req.spread == "end":
            targets = [nominal.end] * count
        else:
            targets = spread_deadlines(nominal, count,
                                       pinned_first=req.spread == "even_after_first")
        statutory = [nominal.end] * count
        earliest = [nominal.start] * count
        if req.first_by is not None:
            statutory[0] = targets[0] = _clamp(req.first_by.after(anchor), nominal.start,
                                               nominal.end)
        if req.plan_by is not None:
            targets[0] = _clamp(req.plan_by.after(anchor), nominal.start, statutory[0])
        notes: dict[int, tuple[bool, str]] = {}
        for position in req.positions:
            i = position.n - 1
            earliest[i] = _clamp(position.from_.after(anchor), nominal.start, statutory[i])
            notes[i] = (position.verified, position.note)
        # onto the programme's clock; past an open pause a date is unknown: such a slot is
        # left out, and a period whose end is unknown is still running (``UNKNOWN_END``)
        known = [on_clock.at(d) for d in statutory]
        count_known = next((i for i, d in enumerate(known) if d is None), count)
        statutory = [_known(d) for d in known[:count_known]]
        earliest = [_known(on_clock.at(d)) for d in earliest[:count_known]]
        targets = [_known(on_clock.at(d)) for d in targets[:count_known]]
        deadlines: list[date] = []
        for i in range(count_known):  # never decreasing, never past the statutory date
            target = max(targets[i], earliest[i], *deadlines[-1:])
            deadlines.append(planning_date(min(target, statutory[i]), earliest[i], closed))
        window = Window(start, UNKNOWN_END if end is None else end)
        for i in range(count_known):
            if earliest[i] > horizon:
                continue  # a position that starts later than the period (see ``positions``)
            verified, note = notes.get(i, (True, ""))
            slots.append(Slot(
                order, req, rule_set, period, window, earliest[i], i + 1, deadlines[i],
                statutory[i], joint=(i + 1) in req.joint_positions,
                verified=req.verified and verified, note="; ".join(filter(None, (req.note, note))),
            ))
    return slots


def _known(day: date | None) -> date:
    assert day is not None, "a date before a known statutory date is always on the clock"
    return day


def _match(slots: list[Slot], events: Sequence[HeldConversation]) -> None:
    """Fill slots in place (see the module docstring for the rule)."""
    ordered = sorted(slots, key=lambda s: (s.order, s.period, s.sequence))
    for event in sorted(events, key=lambda e: e.date):
        chosen = choose_slot([s for s in ordered if s.accepts(event)], event)
        if chosen is not None:
            chosen.fulfilled_on = event.date


def choose_slot(candidates: list[Slot], event: HeldConversation) -> Slot | None:
    """The slot an event fulfils among the open ones that accept it, in slot order: a joint
    event the first joint slot, one where the citizen declined the fund the first joint slot
    that allows it; else (and otherwise) the first ordinary slot."""
    chosen = None
    if event.joint:
        chosen = next((s for s in candidates if s.joint), None)
    elif event.fund_declined:
        chosen = next((s for s in candidates if s.joint and s.req.citizen_may_decline), None)
    if chosen is None:
        chosen = next((s for s in candidates if not s.joint), None)
    return chosen


def _obligation(slot: Slot, group: TargetGroup) -> Obligation:
    req = slot.req
    j = req.joint_positions.index(slot.sequence) + 1 if slot.joint else 0
    values = {"n": slot.sequence, "nth": _ordinal_en(slot.sequence), "count": req.count,
              "period": slot.period, "j": j, "jth": _ordinal_en(j)}
    first = slot.period == 1 and slot.sequence == 1
    return Obligation(
        kind=req.kind,
        group=group,
        sequence=slot.sequence,
        earliest=slot.earliest,
        deadline=slot.deadline,
        statutory_deadline=slot.statutory,
        channels=req.first_channels if first and req.first_channels else req.channels,
        pool=req.pool,
        joint=slot.joint,
        holder=req.holder,
        minutes=req.minutes,
        mandatory=req.mandatory,
        fulfilled_on=slot.fulfilled_on,
        label_da=(req.joint_label_da if slot.joint else req.label_da).format(**values),
        label_en=(req.joint_label_en if slot.joint else req.label_en).format(**values),
        requirement_id=req.id,
        period=slot.period,
        closes=None if req.accept_late or slot.window.end == UNKNOWN_END else slot.window.end,
        basis=req.basis,
        rule_set=slot.rule_set,
        source=req.source,
        verified=slot.verified,
        note=slot.note,
        min_share=req.min_share,
    )


def _requirements(rule_set: RuleSet, group: TargetGroup, programme_start: date,
                  birth_date: date | None) -> list[Requirement]:
    result = []
    for req in rule_set.group(group).requirements:
        if not req.serves(programme_start):
            continue
        if req.age_dependent:
            if birth_date is None:
                raise ValueError(
                    f"birth_date is required: requirement {req.id!r} of {group} in rule set "
                    f"{rule_set.id!r} depends on the citizen's age at programme start"
                )
            if not req.applies_to_age(age_on(birth_date, programme_start)):
                continue
        result.append(req)
    return result


def programme_slots(rule_set: RuleSet, index: int, group: TargetGroup, programme_start: date,
                    *, birth_date: date | None, horizon: date, clock: Clock,
                    closed: Closed) -> list[Slot]:
    """Every slot one rule set makes for a programme (``index`` orders sets among each other)."""
    return [
        slot
        for order, req in enumerate(_requirements(rule_set, group, programme_start, birth_date))
        for slot in _slots((index, order), req, rule_set.id, programme_start, horizon, clock,
                           closed)
    ]


def fulfil(slots: list[Slot], group: TargetGroup, held: Iterable[HeldConversation],
           programme_start: date, programme_end: date | None) -> list[Obligation]:
    """Match the programme's events to the slots and build the obligations still owed."""
    events = [e for e in held if programme_start <= e.date
              and (programme_end is None or e.date <= programme_end)]
    _match(slots, events)
    kept = [slot for slot in slots if programme_end is None or slot.fulfilled_on is not None
            or slot.statutory <= programme_end]
    kept.sort(key=lambda s: (s.deadline, s.statutory, s.order, s.period, s.sequence))
    return [_obligation(slot, group) for slot in kept]


def horizon_of(until: date, programme_end: date | None) -> date:
    return until if programme_end is None else min(until, programme_end)


def compute_obligations(
    rule_set: RuleSet,
    group: TargetGroup | str,
    programme_start: date,
    held: Sequence[HeldConversation],
    *,
    until: date,
    birth_date: date | None = None,
    programme_end: date | None = None,
    pauses: Iterable[Pause] = (),
    closed: Closed = frozenset(),
) -> list[Obligation]:
    """Dated obligations of one programme under ONE rule set (pinned: its dates are not
    checked), fulfilled ones carrying ``fulfilled_on``.

    Only obligations whose ``earliest`` is on or before ``until`` (and on or before
    ``programme_end``) are returned, earliest deadline first. When the programme has ended, open
    obligations whose statutory deadline falls after the end are no longer owed and are left out;
    events outside ``[programme_start, programme_end]`` are ignored. ``pauses`` stop the clock of
    cumulative requirements; ``closed``: non-working days besides weekends (public holidays,
    local closed days) for the planning deadlines. ``birth_date`` is required when the group has
    age-dependent requirements: a :class:`ValueError` otherwise. To follow the law in force on
    each obligation's due date, use :func:`booking.rules.obligations_in_force`.
    """
    group = TargetGroup(group)
    slots = programme_slots(rule_set, 0, group, programme_start, birth_date=birth_date,
                            horizon=horizon_of(until, programme_end),
                            clock=Clock(programme_start, pauses), closed=closed)
    return fulfil(slots, group, held, programme_start, programme_end)


def rehab_presentation_deadline(
    rule_set: RuleSet, group: TargetGroup | str, programme_start: date,
    *, closed: Closed = frozenset(),
) -> date | None:
    """Planning deadline for presenting the case to the rehabilitation team, or ``None`` if the
    group has no such rule. Also returned when the rule is not mandatory (``Obligation.mandatory``
    tells)."""
    if not rule_set.has_group(group):
        return None
    for order, req in enumerate(rule_set.group(group).requirements):
        if req.kind == "rehab_presentation" and req.serves(programme_start):
            slots = _slots((0, order), req, rule_set.id, programme_start,
                           req.from_.after(programme_start), Clock(programme_start), closed)
            if slots:
                return slots[0].deadline
    return None


def self_booking_deadline(
    rule_set: RuleSet, obligation: Obligation, *, local_days: int | None = None
) -> date:
    """Last day the citizen may self-book: ``deadline − max(rule days, local days)``.

    The rule set's ``self_booking_days`` (at least 8) is a floor a local setting may raise but
    never lower. The result may fall before ``earliest`` for a tight obligation; the caller then
    books for the citizen.
    """
    days = rule_set.group(obligation.group).self_booking_days
    if local_days is not None:
        if local_days < 0:
            raise ValueError("local_days must not be negative")
        days = max(days, local_days)
    return obligation.deadline - timedelta(days=days)


__all__ = [
    "age_on",
    "compute_obligations",
    "rehab_presentation_deadline",
    "self_booking_deadline",
]
