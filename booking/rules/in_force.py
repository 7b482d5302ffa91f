"""The law in force on each obligation's due date, and what a law change changes.

A programme is not tied to the rule set in force when it started: the law that applies to an
obligation is the law in force on the day it falls due. :func:`obligations_in_force` computes
the programme under every packaged rule set that has rules for its target group and keeps an
obligation of set S iff its statutory deadline lies in S's ``[effective_from, effective_to]``;
the kept obligations of all sets are then fulfilled together, so each held conversation counts
once. A programme that spans 2026-07-01 thus keeps what fell due under LAB 2024/2025 and gets
what falls due later from the 2026 reform, on the same clock and history.

For that to work, a requirement id shared by two packaged sets must describe the same periods
(from, to, every, first_by, cumulative): then an obligation (group, id, period, sequence) has
the same statutory deadline under both and exactly one set keeps it (tests/rules check this for
the shipped sets). A rule whose periods change gets a new id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .clock import Clock
from .engine import Closed, Slot, compute_obligations, fulfil, horizon_of, programme_slots
from .loader import available_rule_sets, load_rule_set, rule_set_for_date
from .model import HeldConversation, Obligation, ObligationChange, Pause, RuleSet, TargetGroup


def packaged_rule_sets() -> list[RuleSet]:
    """Every packaged rule set, oldest ``effective_from`` first."""
    return [load_rule_set(name) for name in available_rule_sets()]


def obligations_in_force(
    group: TargetGroup | str,
    start: date,
    held: Sequence[HeldConversation],
    *,
    until: date,
    birth_date: date | None = None,
    programme_end: date | None = None,
    pauses: Iterable[Pause] = (),
    closed: Closed = frozenset(),
    rule_set: RuleSet | str | None = None,
) -> list[Obligation]:
    """Dated obligations of one programme, each from the rule set in force on its due date.

    ``rule_set=None``: by due date (see the module docstring). A :class:`RuleSet` or a packaged
    set's id pins that one set for everything, whatever its dates (the calculator's
    ``--rule-set``). Held conversations outside ``[start, programme_end]`` do not count (after a
    change of target group the app ends the old programme the day before the new one starts, so
    each conversation counts once). ``pauses`` stop the clock of requirements that count
    cumulative unemployment; ``closed``: non-working days besides weekends. Each obligation
    carries ``rule_set``, ``source`` and ``verified``; ``deadline`` is the planning date (a
    working day), ``statutory_deadline`` the law's. Otherwise as
    :func:`booking.rules.compute_obligations`.
    """
    group = TargetGroup(group)
    pause_list = list(pauses)
    if rule_set is not None:
        pinned = load_rule_set(rule_set) if isinstance(rule_set, str) else rule_set
        return compute_obligations(pinned, group, start, held, until=until,
                                   birth_date=birth_date, programme_end=programme_end,
                                   pauses=pause_list, closed=closed)
    clock = Clock(start, pause_list)
    horizon = horizon_of(until, programme_end)
    slots: list[Slot] = []
    for index, candidate in enumerate(packaged_rule_sets()):
        if not candidate.has_group(group):
            continue
        if candidate.effective_to is not None and candidate.effective_to < start:
            continue  # every statutory deadline is on or after the start
        slots.extend(
            slot
            for slot in programme_slots(candidate, index, group, start, birth_date=birth_date,
                                        horizon=horizon, clock=clock, closed=closed)
            if candidate.in_force(slot.statutory)
        )
    return fulfil(slots, group, held, start, programme_end)


def _terms(obligation: Obligation) -> tuple[object, ...]:
    return (obligation.earliest, obligation.deadline, obligation.statutory_deadline,
            obligation.mandatory, obligation.joint, obligation.holder, obligation.kind)


def law_changes_on(
    day: date,
    group: TargetGroup | str,
    start: date,
    held: Sequence[HeldConversation],
    *,
    until: date,
    birth_date: date | None = None,
    programme_end: date | None = None,
    pauses: Iterable[Pause] = (),
    closed: Closed = frozenset(),
) -> list[ObligationChange]:
    """What the law in force from ``day`` changes for one programme (the manager's "what changes
    on 2026-07-01").

    Compares the obligations falling due (statutory deadline) on or after ``day`` computed with
    the set in force the day before ``day`` for everything, against the same computed by due
    date (:func:`obligations_in_force`). Matched on :attr:`Obligation.key`: ``added`` (only
    after), ``removed`` (only before), ``moved`` (both, with other dates or terms: earliest,
    deadline, statutory deadline, mandatory, joint, holder). Ordered by statutory deadline, then
    key. Raises :class:`RuleSetError` when no set is in force the day before.
    """
    previous = rule_set_for_date(day - timedelta(days=1))
    pause_list = list(pauses)

    def due_from_day(rule_set: RuleSet | None) -> dict[str, Obligation]:
        obligations = obligations_in_force(
            group, start, held, until=until, birth_date=birth_date,
            programme_end=programme_end, pauses=pause_list, closed=closed, rule_set=rule_set)
        return {o.key: o for o in obligations if o.statutory_deadline >= day}

    before, after = due_from_day(previous), due_from_day(None)
    changes: list[ObligationChange] = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None:
            changes.append(ObligationChange("added", None, new))
        elif new is None:
            changes.append(ObligationChange("removed", old, None))
        elif _terms(old) != _terms(new):
            changes.append(ObligationChange("moved", old, new))

    def order(change: ObligationChange) -> tuple[date, str]:
        obligation = change.after if change.after is not None else change.before
        assert obligation is not None
        return obligation.statutory_deadline, obligation.key

    return sorted(changes, key=order)


__all__ = ["law_changes_on", "obligations_in_force", "packaged_rule_sets"]
