"""Proposals become bookings: the one way an accepted run and an imported plan write.

:func:`apply_proposals` runs in the caller's transaction (``accept_run``, ``import_solution``):
it first re-checks staleness (the versions of the rows each proposal touches), then writes the
new bookings (source ``solver``, the run's id, the staff user) and moves the moved ones (same
iCalendar UID, SEQUENCE + 1, reminders for the old time withdrawn, as
``reservations.rebook`` does), queues the letters with the ``.ics`` through
``booking_notices`` exactly as a self-booking does, and writes the audit rows. Then it checks
the live data once more: a free seat for each (the partial unique index
``uq_bookings_slot_seat_active`` is the last word: a lost race raises ``IntegrityError``, which
the callers turn into ``seat_taken``), one conversation per citizen and day, and no
caseworker-day pushed over ``max_per_day``. Any refusal raises :class:`PlanningError`; the
caller's transaction then rolls everything back.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import (
    ActorKind,
    Booking,
    BookingSource,
    BookingState,
    Caseworker,
    Citizen,
    Obligation,
    ObligationState,
    Slot,
)
from ...settings import Settings
from .. import audit
from ..booking_notices import drop_reminders, notify_booked
from .errors import PlanningError
from .rows import (
    chunks,
    conversation_versions,
    day_start_utc,
    load_calendar,
    local_day,
    slot_versions,
)

TEMP_SEAT = 1_000_000  # a moving booking parks on seat TEMP_SEAT + id while seats are handed out


@dataclass
class Applied:
    created: list[int] = field(default_factory=list)  # booking ids
    moved: list[int] = field(default_factory=list)
    messages: int = 0


def stale_proposals(session: Session, proposals: Sequence[dict[str, Any]],
                    settings: Settings) -> list[int]:
    """Ids of the proposals whose obligation, citizen, booking or slot changed since the plan
    was made (or no longer exists). Reads only."""
    triples = [(p["obligation_id"], p["citizen_id"], p["booking_id"]) for p in proposals]
    conv = conversation_versions(session, triples)
    slots = slot_versions(session, [p["slot_id"] for p in proposals],
                          settings.calendar.optional_closed)
    return [p["id"] for p, t in zip(proposals, triples, strict=True)
            if conv[t] != p["versions"]["conversation"]
            or slots[p["slot_id"]] != p["versions"]["slot"]]


def integrity_code(exc: IntegrityError) -> str:
    """The refusal a unique index raised: a seat, or an obligation booked meanwhile."""
    return "already_booked" if "obligation" in str(exc.orig).lower() else "seat_taken"


def _lock_rows(session: Session, proposals: Sequence[dict[str, Any]]) -> None:
    """On PostgreSQL, lock obligations, moved bookings and target slots (in the order
    ``reservations`` uses: obligation, then slot), so a concurrent booking waits."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the write transaction (BEGIN IMMEDIATE) already excludes writers
    for model, ids in (
        (Obligation, [p["obligation_id"] for p in proposals if p["obligation_id"]]),
        (Booking, [p["booking_id"] for p in proposals if p["booking_id"]]),
        (Slot, [p["slot_id"] for p in proposals]),
    ):
        for part in chunks(ids):
            session.execute(select(model.id).where(model.id.in_(part))
                            .order_by(model.id).with_for_update())


def _load(session: Session, proposals: Sequence[dict[str, Any]]) -> dict[str, dict[int, Any]]:
    """The rows the writing touches, in the identity map (so letters load nothing more)."""
    out: dict[str, dict[int, Any]] = {}
    wanted: dict[str, tuple[Any, list[int]]] = {
        "obligations": (Obligation, [p["obligation_id"] for p in proposals]),
        "bookings": (Booking, [p["booking_id"] for p in proposals if p["booking_id"]]),
        "citizens": (Citizen, [p["citizen_id"] for p in proposals]),
        "slots": (Slot, [p["slot_id"] for p in proposals]
                  + [p["from_slot_id"] for p in proposals if p["from_slot_id"]]),
    }
    for name, (model, ids) in wanted.items():
        found: dict[int, Any] = {}
        for part in chunks([i for i in ids if i is not None]):
            found.update((row.id, row) for row in session.scalars(
                select(model).where(model.id.in_(part))
                .execution_options(populate_existing=True)))
        out[name] = found
    workers = {s.caseworker_id for s in out["slots"].values()}
    out["caseworkers"] = {}
    for part in chunks(list(workers)):
        out["caseworkers"].update((w.id, w) for w in session.scalars(
            select(Caseworker).where(Caseworker.id.in_(part))))
    return out


def apply_proposals(
    session: Session,
    proposals: Sequence[dict[str, Any]],
    *,
    run_ids: dict[int, int],
    staff_id: int | None,
    settings: Settings,
    now: datetime,
    today: date,
) -> Applied:
    """Write the proposals (see the module docstring); ``run_ids`` maps each proposal id to
    the plan run it belongs to. Runs in the caller's transaction."""
    if not proposals:
        return Applied()
    _lock_rows(session, proposals)
    stale = stale_proposals(session, proposals, settings)
    if stale:
        raise PlanningError("stale", proposals=stale)
    days = [date.fromisoformat(p["day"]) for p in proposals]
    calendar = load_calendar(session, [], today, max(days), settings.calendar.optional_closed)
    lock_until = calendar.lock_until(today, settings.planning.lock_days)
    soon = [p["id"] for p, d in zip(proposals, days, strict=True) if d <= lock_until]
    if soon:
        raise PlanningError("too_soon", proposals=soon, lock_until=lock_until.isoformat())
    rows = _load(session, proposals)
    seats = _seats(session, proposals, rows)
    actor = (ActorKind.staff, staff_id) if staff_id is not None else (ActorKind.system, None)
    result = Applied()
    written: list[tuple[Booking, dict[str, Any]]] = []
    for p in sorted(proposals, key=lambda p: p["id"]):
        slot = rows["slots"][p["slot_id"]]
        if p["kind"] == "move":
            booking = rows["bookings"][p["booking_id"]]
            booking.slot = slot
            booking.ical_sequence += 1
            booking.plan_run_id = run_ids[p["id"]]
            result.moved.append(booking.id)
        else:
            ob = rows["obligations"][p["obligation_id"]]
            if ob.state != ObligationState.open:
                raise PlanningError("already_booked", proposals=[p["id"]])
            ob.state = ObligationState.booked
            booking = Booking(slot=slot, citizen=rows["citizens"][p["citizen_id"]],
                              obligation=ob, state=BookingState.booked,
                              source=BookingSource.solver, ical_uid=f"{uuid.uuid4()}@rettidig",
                              ical_sequence=0, created_by_staff_id=staff_id,
                              plan_run_id=run_ids[p["id"]])
            session.add(booking)
        booking.seat = seats[p["id"]]
        written.append((booking, p))
    session.flush()
    _check_days(session, proposals, rows)
    for booking, p in written:
        moved = p["kind"] == "move"
        if not moved:
            result.created.append(booking.id)
        detail: dict[str, Any] = {"slot_id": p["slot_id"], "obligation_id": p["obligation_id"],
                                  "seat": booking.seat, "plan_run_id": run_ids[p["id"]],
                                  "proposal": p["id"]}
        if moved:
            detail.update(from_slot_id=p["from_slot_id"], to_slot_id=p["slot_id"],
                          reason=(p.get("reason") or {}).get("code"))
        audit.record(session, actor_kind=actor[0], actor_id=actor[1],
                     action="booking_moved" if moved else "booking_created",
                     citizen_id=booking.citizen_id, object_type="booking",
                     object_id=booking.id, detail=detail)
        result.messages += len(notify_booked(session, booking, settings, now, rebooked=moved))
    return result


def _seats(session: Session, proposals: Sequence[dict[str, Any]],
           rows: dict[str, dict[int, Any]]) -> dict[int, int]:
    """A free seat for each proposal (moving bookings first leave their seats); a slot
    without one refuses with ``seat_taken``."""
    moving = {p["booking_id"] for p in proposals if p["kind"] == "move"}
    for booking_id in sorted(moving):
        booking = rows["bookings"][booking_id]
        drop_reminders(session, booking)
        booking.seat = TEMP_SEAT + booking.id
    session.flush()
    used: dict[int, set[int]] = defaultdict(set)
    for part in chunks([p["slot_id"] for p in proposals]):
        for booking_id, slot_id, seat in session.execute(
                select(Booking.id, Booking.slot_id, Booking.seat).where(
                    Booking.slot_id.in_(part), Booking.state != BookingState.cancelled)):
            if booking_id not in moving:
                used[slot_id].add(seat)
    out = {}
    for p in sorted(proposals, key=lambda p: p["id"]):
        slot = rows["slots"][p["slot_id"]]
        free = next((s for s in range(1, slot.capacity + 1) if s not in used[slot.id]), None)
        if free is None:
            raise PlanningError("seat_taken", proposals=[p["id"]], slot=slot.id)
        used[slot.id].add(free)
        out[p["id"]] = free
    return out


def _check_days(session: Session, proposals: Sequence[dict[str, Any]],
                rows: dict[str, dict[int, Any]]) -> None:
    """After writing: one conversation per citizen and day, and no caseworker-day the
    proposals pushed over ``max_per_day``."""
    days = [date.fromisoformat(p["day"]) for p in proposals]
    lo, hi = day_start_utc(min(days)), day_start_utc(max(days) + timedelta(days=1))
    per_citizen: dict[tuple[int, date], int] = defaultdict(int)
    for part in chunks([p["citizen_id"] for p in proposals]):
        for citizen_id, starts_at in session.execute(
                select(Booking.citizen_id, Slot.starts_at).join(Slot, Slot.id == Booking.slot_id)
                .where(Booking.citizen_id.in_(part), Booking.state != BookingState.cancelled,
                       Slot.starts_at >= lo, Slot.starts_at < hi)):
            per_citizen[(citizen_id, local_day(starts_at))] += 1
    for p, day in zip(proposals, days, strict=True):
        if per_citizen[(p["citizen_id"], day)] > 1:
            raise PlanningError("citizen_day_taken", proposals=[p["id"]], day=day.isoformat())
    change: dict[tuple[int, date], int] = defaultdict(int)
    for p, day in zip(proposals, days, strict=True):
        change[(p["caseworker_id"], day)] += 1
        if p["kind"] == "move" and p["from_slot_id"] in rows["slots"]:
            old = rows["slots"][p["from_slot_id"]]
            change[(old.caseworker_id, local_day(old.starts_at))] -= 1
    grown = {key for key, delta in change.items() if delta > 0}
    limits = {w.id: w.max_per_day for w in rows["caseworkers"].values()}
    per_day: dict[tuple[int, date], int] = defaultdict(int)
    for part in chunks([cw for cw, _ in grown if limits.get(cw) is not None]):
        for cw_id, starts_at in session.execute(
                select(Slot.caseworker_id, Slot.starts_at).join(Booking, Booking.slot_id == Slot.id)
                .where(Slot.caseworker_id.in_(part), Booking.state != BookingState.cancelled,
                       Slot.starts_at >= lo, Slot.starts_at < hi)):
            per_day[(cw_id, local_day(starts_at))] += 1
    for cw_id, day in sorted(grown):
        limit = limits.get(cw_id)
        if limit is not None and per_day[(cw_id, day)] > limit:
            ids = [p["id"] for p, d in zip(proposals, days, strict=True)
                   if p["caseworker_id"] == cw_id and d == day]
            raise PlanningError("day_full", proposals=ids, caseworker=cw_id, day=day.isoformat())
