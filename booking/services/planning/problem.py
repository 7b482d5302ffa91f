"""The live planning problem of one or more units, as a ``jobcenter-plan/1`` document.

What goes in (``plan-format.md`` is the model):

* **conversations**: every open obligation of the units' citizens (holder the job centre, a
  bookable kind) whose deadline lies in the horizon (today … today + ``weeks``), and every
  obligation with a live booking in the horizon;
* **bookings**: those the job centre made (source ``callin``, ``staff`` or ``solver``) that are
  not locked yet are *movable*; a citizen's own booking (source ``self``), one marked locked,
  one within ``[planning] lock_days`` working days (Danish holidays and the local closed days
  do not count), one in a slot it could not be planned into (the rules changed, or a person
  chose it by hand) and any other live booking in a planned slot are *locked*. The problem's
  ``today`` is the first day after the lock period: nothing new is placed earlier;
* **slots** of the units' caseworkers (and of the citizens' coordinating caseworkers) in the
  horizon with a free seat, not in a group call-in, not on a closed day or in an absence;
* show probabilities (the citizens' estimates) and weights (1 for a mandatory conversation,
  ``OPTIONAL_WEIGHT`` for another).

Where the format cannot say what the data says, the builder keeps the plan valid and says so
in :class:`~.assemble.Excluded` codes: see :mod:`.assemble`.

Ids: ``o-<obligation>``, ``b-<booking>`` (a live booking without an obligation), ``x-<booking>``
(a booking of someone outside the plan holding a planned slot), ``c-<citizen>``, ``w-<case-
worker>``, ``u-<unit>``, ``s-<slot>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import solver

from ...models import (
    Booking,
    BookingState,
    Caseworker,
    Citizen,
    Obligation,
    ObligationState,
    Slot,
    Unit,
)
from ...settings import Settings
from ..clock import zone
from ..obligations import BOOKABLE_KINDS
from .assemble import Assembly
from .errors import PlanningError
from .refs import ConversationRef, Excluded, SlotRef
from .rows import (
    BOOKING_COLUMNS,
    CASEWORKER_COLUMNS,
    CITIZEN_COLUMNS,
    OBLIGATION_COLUMNS,
    SLOT_COLUMNS,
    AnyRow,
    Calendar,
    chunks,
    day_start_utc,
    load_calendar,
)

MAX_WEEKS = 52  # as [planning] horizon_weeks allows


@dataclass(frozen=True)
class Horizon:
    today: date
    lock_until: date  # bookings on or before this day are locked
    plan_from: date  # the problem's `today`: the first day anything new is placed on
    end: date  # the last day of the horizon

    @property
    def rebook_days(self) -> int:
        """Days between a missed conversation and the earliest new one: the lock period."""
        return (self.plan_from - self.today).days


@dataclass
class LivePlan:
    """A planning problem built from the database, and what each of its ids stands for."""

    horizon: Horizon
    unit_ids: tuple[int, ...]
    document: dict[str, Any]
    conversations: dict[str, ConversationRef]
    slots: dict[str, SlotRef]
    excluded: list[Excluded]
    fingerprint: str
    stats: dict[str, int] = field(default_factory=dict)

    def load(self) -> solver.Problem:
        """The document as the solver's typed problem (validated as any instance is)."""
        return solver.load_problem(self.document)


def check_weeks(weeks: int) -> int:
    if not 1 <= weeks <= MAX_WEEKS:
        raise PlanningError("bad_weeks", weeks=weeks, max=MAX_WEEKS)
    return weeks


def unit_codes(session: Session) -> dict[int, str]:
    """Every unit's code by id."""
    return {u.id: u.code for u in session.execute(select(Unit.id, Unit.code))}


def unit_ids_of(session: Session, codes_or_ids: Sequence[str | int] | None) -> list[int]:
    """Units named by code or id (all units when None); an unknown one is refused."""
    units = unit_codes(session)
    if codes_or_ids is None:
        return sorted(units)
    by_code = {code: ident for ident, code in units.items()}
    out = []
    for item in codes_or_ids:
        ident = item if isinstance(item, int) else by_code.get(item)
        if ident is None and isinstance(item, str) and item.isdigit():
            ident = int(item)
        if ident is None or ident not in units:
            raise PlanningError("unknown_unit", unit=str(item))
        out.append(ident)
    return sorted(set(out))


def horizon_for(calendar: Calendar, today: date, weeks: int, lock_days: int) -> Horizon:
    lock_until = calendar.lock_until(today, lock_days)
    return Horizon(today, lock_until, lock_until + timedelta(days=1),
                   today + timedelta(weeks=weeks))


def build_plan(
    session: Session, unit_ids: Sequence[int], *, today: date, weeks: int, settings: Settings
) -> LivePlan:
    """Read the units' live data (one read; no writes) and build the planning problem."""
    check_weeks(weeks)
    units = tuple(unit_ids_of(session, list(unit_ids)))
    end = today + timedelta(weeks=weeks)
    lo, hi = day_start_utc(today), day_start_utc(end + timedelta(days=1))
    in_units = Citizen.unit_id.in_(units)
    citizens = {r.id: r for r in session.execute(select(*CITIZEN_COLUMNS).where(in_units))}
    workers = {r.id: r for r in session.execute(
        select(*CASEWORKER_COLUMNS).where(Caseworker.unit_id.in_(units)))}
    _add_workers(session, workers, [c.caseworker_id for c in citizens.values()])
    booked_rows = session.execute(
        select(*BOOKING_COLUMNS, Slot.starts_at)
        .join(Slot, Slot.id == Booking.slot_id)
        .join(Citizen, Citizen.id == Booking.citizen_id)
        .where(in_units, Booking.state == BookingState.booked, Slot.starts_at >= lo,
               Slot.starts_at < hi)
        .order_by(Booking.id)
    ).all()
    obligations = {r.id: r for r in session.execute(
        select(*OBLIGATION_COLUMNS)
        .join(Citizen, Citizen.id == Obligation.citizen_id)
        .where(in_units, Obligation.state == ObligationState.open,
               Obligation.kind.in_(BOOKABLE_KINDS), Obligation.holder == "jobcentre",
               Obligation.deadline >= today, Obligation.deadline <= end))}
    open_ids = set(obligations)
    obligations.update((r.id, r) for r in session.execute(
        select(*OBLIGATION_COLUMNS)
        .join(Booking, Booking.obligation_id == Obligation.id)
        .join(Slot, Slot.id == Booking.slot_id)
        .join(Citizen, Citizen.id == Booking.citizen_id)
        .where(in_units, Booking.state == BookingState.booked, Slot.starts_at >= lo,
               Slot.starts_at < hi)))
    slots = _slots(session, list(workers), [b.slot_id for b in booked_rows], lo, hi)
    _add_workers(session, workers, [s.caseworker_id for s in slots.values()])
    calendar = load_calendar(session, workers, today, end, settings.calendar.optional_closed)
    horizon = horizon_for(calendar, today, weeks, settings.planning.lock_days)
    ours = {b.id for b in booked_rows}
    others = [r for part in chunks(list(slots)) for r in session.execute(
        select(Booking.id, Booking.slot_id, Booking.citizen_id).where(
            Booking.slot_id.in_(part), Booking.state != BookingState.cancelled))
        if r.id not in ours]
    assembly = Assembly(horizon, units, citizens, workers, slots, calendar)
    assembly.add_bookings(booked_rows, obligations)
    assembly.add_open(obligations[i] for i in sorted(open_ids))
    assembly.add_outside(others)
    document = assembly.document(zone().key, settings.rehab.lead_days)
    plan = LivePlan(horizon, units, document, assembly.conversations, assembly.slot_refs,
                    assembly.excluded, "", assembly.stats())
    plan.fingerprint = fingerprint(plan, settings)
    return plan


def _add_workers(session: Session, workers: dict[int, AnyRow], ids: Sequence[int | None]
                 ) -> None:
    missing = [i for i in ids if i is not None and i not in workers]
    for part in chunks(missing):
        workers.update((r.id, r) for r in session.execute(
            select(*CASEWORKER_COLUMNS).where(Caseworker.id.in_(part))))


def _slots(session: Session, worker_ids: list[int], booked_slot_ids: list[int], lo: Any,
           hi: Any) -> dict[int, AnyRow]:
    """The caseworkers' slots in the horizon, and every slot a planned booking sits in."""
    out: dict[int, AnyRow] = {}
    for part in chunks(worker_ids, 500):
        out.update((r.id, r) for r in session.execute(
            select(*SLOT_COLUMNS).where(Slot.caseworker_id.in_(part), Slot.starts_at >= lo,
                                        Slot.starts_at < hi)))
    for part in chunks([i for i in booked_slot_ids if i not in out]):
        out.update((r.id, r) for r in session.execute(
            select(*SLOT_COLUMNS).where(Slot.id.in_(part))))
    return out


def fingerprint(plan: LivePlan, settings: Settings) -> str:
    """sha256 over the ids, states and versions of every row the problem was built from."""
    h = hashlib.sha256()
    head = (plan.horizon.today, plan.horizon.end, plan.horizon.plan_from, plan.unit_ids,
            settings.planning.lock_days)
    h.update(repr(head).encode())
    for key in sorted(plan.conversations):
        ref = plan.conversations[key]
        h.update(f"\n{key}:{ref.version}:{ref.locked}:{ref.booking_id}".encode())
    for key in sorted(plan.slots):
        ref_s = plan.slots[key]
        h.update(f"\n{key}:{ref_s.version}:{ref_s.capacity}".encode())
    for item in plan.excluded:
        h.update(f"\n!{item.key}:{item.code}:{item.version}".encode())
    return h.hexdigest()


def export_plan(
    session: Session,
    unit_ids: Sequence[int] | None,
    weeks: int,
    today: date,
    *,
    settings: Settings,
) -> dict[str, Any]:
    """The ``jobcenter-plan/1`` document of the units (all units when None): what a planner
    downloads, solves elsewhere and imports back (:mod:`.imports`)."""
    units = unit_ids_of(session, None if unit_ids is None else list(unit_ids))
    plan = build_plan(session, units, today=today, weeks=weeks, settings=settings)
    return plan.document
