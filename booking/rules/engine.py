"""Turning a rule set, a programme start and a history into dated obligations.

How a requirement becomes obligations
-------------------------------------
A requirement "N events within [start + from, start + to]" becomes N obligations (slots) that all
share ``earliest`` = the period start and ``statutory_deadline`` = the period end, and that get
planning ``deadline``\\ s spread over the period so they are not all crammed at its end:

* ``spread = "even"``: the i-th of N is due by period_start + i·(period length)/N (calendar months
  when that is a whole number of months), the last by the period end;
* ``spread = "even_after_first"``: the first has its own ``first_by`` deadline, the other N−1 are
  spread evenly as above;
* ``spread = "end"``: every slot is due at the period end.

``first_by_*`` makes the first slot's deadline *and* statutory deadline earlier ("the first within
2 weeks"); ``plan_by_*`` (count 1) sets an earlier local planning deadline while the statutory one
stays (flexjob: sent at 10 months, reassessed by 12). A recurring requirement (``every_*``) does
the same for each period ``[from + k·every, from + (k+1)·every]``, counted from the programme start
and never rolling (LAB § 9).

How history fulfils obligations
-------------------------------
Events (:class:`HeldConversation`) are taken in date order. An event may fulfil a slot of the same
kind whose period contains its date (``earliest`` ≤ date ≤ period end; with ``accept_late`` any date
from ``earliest`` on, and it is then fulfilled late), and whose holder matches when the event names
one. Slots are filled in sequence within a requirement and period. A joint requirement needs a
joint event: a non-joint event never fills a slot marked joint; a joint event first fills the
earliest open joint slot (requirements in file order), and only otherwise an ordinary one. This
greedy rule fulfils as many slots as any assignment could. Events that fit no open slot are
surplus and ignored.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import Offset, Window, spread_deadlines
from .model import HeldConversation, Obligation, Requirement, RuleSet, TargetGroup


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


def _windows(req: Requirement, anchor: date, horizon: date) -> Iterator[tuple[int, Window]]:
    """Periods of a requirement (1-based) whose start is on or before ``horizon``."""
    if req.every is None:
        assert req.to is not None
        window = _window(anchor, req.from_, req.to)
        if window.start <= horizon:
            yield 1, window
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
        if window.start > horizon or (stop is not None and window.start >= stop):
            return
        yield k + 1, window
        k += 1


@dataclass
class _Slot:
    order: int
    req: Requirement
    period: int
    window: Window
    sequence: int
    deadline: date
    statutory: date
    joint: bool
    fulfilled_on: date | None = None

    def accepts(self, event: HeldConversation) -> bool:
        if self.fulfilled_on is not None or event.kind != self.req.kind:
            return False
        if event.holder is not None and event.holder != self.req.holder:
            return False
        if event.date < self.window.start:
            return False
        return self.req.accept_late or event.date <= self.window.end


def _slots(order: int, req: Requirement, anchor: date, horizon: date) -> list[_Slot]:
    slots: list[_Slot] = []
    for period, window in _windows(req, anchor, horizon):
        if req.spread == "end":
            deadlines = [window.end] * req.count
        else:
            deadlines = spread_deadlines(
                window, req.count, pinned_first=req.spread == "even_after_first"
            )
        statutory = [window.end] * req.count
        if req.first_by is not None:
            first = min(max(req.first_by.after(anchor), window.start), window.end)
            statutory[0] = deadlines[0] = first
        if req.plan_by is not None:
            deadlines[0] = min(max(req.plan_by.after(anchor), window.start), statutory[0])
        for i in range(1, req.count):  # never decreasing, never past the statutory date
            deadlines[i] = min(max(deadlines[i], deadlines[i - 1]), statutory[i])
        slots.extend(
            _Slot(order, req, period, window, i + 1, deadlines[i], statutory[i],
                  joint=(i + 1) in req.joint_positions)
            for i in range(req.count)
        )
    return slots


def _match(slots: list[_Slot], events: Sequence[HeldConversation]) -> None:
    """Fill slots in place (see the module docstring for the rule)."""
    for event in sorted(events, key=lambda e: e.date):
        candidates = [s for s in slots if s.accepts(event)]
        chosen = None
        if event.joint:
            chosen = next((s for s in candidates if s.joint), None)
        if chosen is None:
            chosen = next((s for s in candidates if not s.joint), None)
        if chosen is not None:
            chosen.fulfilled_on = event.date


def _obligation(slot: _Slot, group: TargetGroup) -> Obligation:
    req = slot.req
    j = req.joint_positions.index(slot.sequence) + 1 if slot.joint else 0
    values = {"n": slot.sequence, "nth": _ordinal_en(slot.sequence), "count": req.count,
              "period": slot.period, "j": j, "jth": _ordinal_en(j)}
    first = slot.period == 1 and slot.sequence == 1
    return Obligation(
        kind=req.kind,
        group=group,
        sequence=slot.sequence,
        earliest=slot.window.start,
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
        closes=None if req.accept_late else slot.window.end,
        basis=req.basis,
    )


def _requirements(rule_set: RuleSet, group: TargetGroup, programme_start: date,
                  birth_date: date | None) -> list[Requirement]:
    result = []
    for req in rule_set.group(group).requirements:
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


def compute_obligations(
    rule_set: RuleSet,
    group: TargetGroup | str,
    programme_start: date,
    held: Sequence[HeldConversation],
    *,
    until: date,
    birth_date: date | None = None,
    programme_end: date | None = None,
) -> list[Obligation]:
    """Dated obligations of one programme, fulfilled ones carrying ``fulfilled_on``.

    Only obligations whose ``earliest`` is on or before ``until`` (and on or before
    ``programme_end``) are returned, earliest deadline first. When the programme has ended, open
    obligations whose statutory deadline falls after the end are no longer owed and are left out;
    events after the end are ignored. ``birth_date`` is required when the group has age-dependent
    requirements (the offer deadline under copenhagen-2017): a :class:`ValueError` otherwise.
    """
    group = TargetGroup(group)
    requirements = _requirements(rule_set, group, programme_start, birth_date)
    horizon = until if programme_end is None else min(until, programme_end)
    slots = [
        slot
        for order, req in enumerate(requirements)
        for slot in _slots(order, req, programme_start, horizon)
    ]
    events = [e for e in held if programme_end is None or e.date <= programme_end]
    _match(slots, events)
    obligations = [
        (slot, _obligation(slot, group))
        for slot in slots
        if programme_end is None
        or slot.fulfilled_on is not None
        or slot.statutory <= programme_end
    ]
    obligations.sort(key=lambda pair: (pair[1].deadline, pair[1].statutory_deadline,
                                       pair[0].order, pair[0].period, pair[0].sequence))
    return [obligation for _, obligation in obligations]


def rehab_presentation_deadline(
    rule_set: RuleSet, group: TargetGroup | str, programme_start: date
) -> date | None:
    """Deadline for presenting the case to the rehabilitation team, or ``None`` if the group has
    no such rule. Also returned when the rule is not mandatory (``Obligation.mandatory`` tells)."""
    if not rule_set.has_group(group):
        return None
    for order, req in enumerate(rule_set.group(group).requirements):
        if req.kind == "rehab_presentation":
            slots = _slots(order, req, programme_start, req.from_.after(programme_start))
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
