"""The obligation recompute after an import, in bulk.

It stores exactly what :func:`booking.services.obligations.refresh` stores, but for thousands
of citizens at once: each batch is read with a handful of queries and written with
``executemany`` inserts, updates and deletes. A citizen who holds a live booking or group
call-in invitation, or an exemption, takes :func:`~booking.services.obligations.refresh`
itself (orphaned steps, rehomed bookings and waived rows are its business); a freshly imported
citizen has none, so the bulk path is the common one. Runs in the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from ... import rules
from ...models import (
    Booking,
    BookingState,
    Citizen,
    HeldConversation,
    Invitation,
    Obligation,
    ObligationExemption,
    ObligationState,
    Programme,
    ProgrammePause,
)
from ..law.context import LawConfig, LawContext, law_context
from ..obligations import HORIZON_DAYS, PENDING_INVITATION, refresh, rule_set_of
from .common import bulk_insert, bulk_update, chunks

BATCH = 900

#: the columns a refresh copies from the engine (besides state)
COPIED = ("rule_set_code", "kind", "sequence", "earliest", "deadline", "statutory_deadline",
          "channels", "pool", "joint", "holder", "minutes", "mandatory", "fulfilled_on",
          "label_da", "label_en")


def values_of(ob: rules.Obligation) -> dict[str, Any]:
    """The stored columns of a computed obligation (as ``obligations._copy`` sets them)."""
    return {
        "rule_set_code": rule_set_of(ob), "kind": ob.kind, "sequence": ob.sequence,
        "earliest": ob.earliest, "deadline": ob.deadline,
        "statutory_deadline": ob.statutory_deadline, "channels": list(ob.channels),
        "pool": ob.pool, "joint": ob.joint, "holder": ob.holder,
        "minutes": max(ob.minutes, 1), "mandatory": ob.mandatory,
        "fulfilled_on": ob.fulfilled_on, "label_da": ob.label_da, "label_en": ob.label_en,
    }


def recompute(session: Session, citizen_ids: set[int], today: date, config: LawConfig) -> int:
    """Recompute and store these citizens' obligations as of ``today``; returns how many."""
    if not citizen_ids:
        return 0
    context = law_context(session, config, around=today)
    for part in chunks(sorted(citizen_ids), BATCH):
        special = _special(session, part)
        _bulk(session, [c for c in part if c not in special], today, context)
        _one_by_one(session, sorted(special), today, context)
    return len(citizen_ids)


def _special(session: Session, ids: list[int]) -> set[int]:
    """Citizens with a live booking or invitation holding an obligation, or an exemption."""
    booked = session.scalars(select(Booking.citizen_id).where(
        Booking.citizen_id.in_(ids), Booking.state == BookingState.booked,
        Booking.obligation_id.is_not(None)))
    invited = session.scalars(select(Invitation.citizen_id).where(
        Invitation.citizen_id.in_(ids), Invitation.state.in_(PENDING_INVITATION),
        Invitation.obligation_id.is_not(None)))
    exempt = session.scalars(select(ObligationExemption.citizen_id).where(
        ObligationExemption.citizen_id.in_(ids), ObligationExemption.revoked_at.is_(None)))
    return {*booked, *invited, *exempt}


def _one_by_one(session: Session, ids: list[int], today: date, context: LawContext) -> None:
    if not ids:
        return
    for citizen in session.scalars(select(Citizen).where(Citizen.id.in_(ids)).options(
            selectinload(Citizen.programmes).selectinload(Programme.pauses),
            selectinload(Citizen.conversations))):
        refresh(session, citizen, today, law=context)
    session.flush()


def _bulk(session: Session, ids: list[int], today: date, context: LawContext) -> None:
    if not ids:
        return
    births = dict(session.execute(select(Citizen.id, Citizen.birth_date)
                                  .where(Citizen.id.in_(ids))).all())
    programmes = session.execute(
        select(Programme.id, Programme.citizen_id, Programme.target_group, Programme.start_date,
               Programme.end_date, Programme.rule_set_code)
        .where(Programme.citizen_id.in_(ids)).order_by(Programme.start_date, Programme.id)).all()
    pauses: dict[int, list[rules.Pause]] = defaultdict(list)
    for pid, start, end, reason in session.execute(
            select(ProgrammePause.programme_id, ProgrammePause.start_date,
                   ProgrammePause.end_date, ProgrammePause.reason)
            .join(Programme).where(Programme.citizen_id.in_(ids))
            .order_by(ProgrammePause.start_date, ProgrammePause.id)):
        pauses[pid].append(rules.Pause(start, end, reason))
    held: dict[int, list[rules.HeldConversation]] = defaultdict(list)
    for h in session.execute(
            select(HeldConversation.citizen_id, HeldConversation.held_on,
                   HeldConversation.joint, HeldConversation.channel, HeldConversation.kind,
                   HeldConversation.holder, HeldConversation.fund_declined)
            .where(HeldConversation.citizen_id.in_(ids))
            .order_by(HeldConversation.held_on, HeldConversation.id)):
        held[h.citizen_id].append(rules.HeldConversation(
            date=h.held_on, joint=h.joint, channel=h.channel.value if h.channel else None,
            kind=h.kind.value, holder=h.holder.value, fund_declined=h.fund_declined))
    existing: dict[tuple[int, str], Any] = {
        (r.programme_id, r.step_key): r for r in session.execute(
            select(Obligation.id, Obligation.programme_id, Obligation.step_key,
                   Obligation.state, *(getattr(Obligation, c) for c in COPIED))
            .where(Obligation.citizen_id.in_(ids)))}
    until = today + timedelta(days=HORIZON_DAYS)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for p in programmes:
        seen: set[str] = set()
        for ob in rules.obligations_in_force(
                p.target_group, p.start_date, held[p.citizen_id], until=until,
                birth_date=births[p.citizen_id], programme_end=p.end_date,
                pauses=tuple(pauses[p.id]), closed=context.closed,
                rule_set=context.rule_set_for(p.rule_set_code)):
            if ob.key in seen:
                continue
            seen.add(ob.key)
            values = values_of(ob)
            values["state"] = (ObligationState.fulfilled if ob.fulfilled_on is not None
                               else ObligationState.open)
            row = existing.pop((p.id, ob.key), None)
            if row is None:
                inserts.append({"citizen_id": p.citizen_id, "programme_id": p.id,
                                "step_key": ob.key, **values})
            elif any(getattr(row, k) != v for k, v in values.items()):
                updates.append({"id": row.id, **values})
    gone = [row.id for row in existing.values()]
    for part in chunks(gone):
        session.execute(update(Booking).where(Booking.obligation_id.in_(part))
                        .values(obligation_id=None),
                        execution_options={"synchronize_session": False})
        session.execute(update(Invitation).where(Invitation.obligation_id.in_(part))
                        .values(obligation_id=None),
                        execution_options={"synchronize_session": False})
        session.execute(delete(Obligation).where(Obligation.id.in_(part)),
                        execution_options={"synchronize_session": False})
    bulk_insert(session, Obligation.metadata.tables["obligations"], inserts)
    bulk_update(session, Obligation.metadata.tables["obligations"], updates)
