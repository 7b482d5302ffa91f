"""Keep each citizen's stored obligations in step with the rules engine.

Obligations are computed by due date (:func:`booking.rules.obligations_in_force`) unless
``[rules] active`` pins one set (:mod:`booking.services.law.context`), from the citizen's held
conversations (kind, holder, joint, fund declined), each programme's pauses and end, and the
closed days. Each stored row names the set whose rule made it.

Nothing a citizen booked is lost: a row with a live booking or a pending group call-in
invitation is kept even when its step is no longer computed (it is then reported as
*orphaned*). A row under a live exemption (:class:`~booking.models.ObligationExemption`) is
``waived``: not planned, not counted as due.

The writing functions here (``refresh``, ``refresh_citizen``) run in the caller's transaction:
they are steps of a larger unit of work (a held conversation, a change of programme, an import,
the demo, a recompute), never alone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import (
    Booking,
    BookingState,
    Citizen,
    Invitation,
    InvitationState,
    Obligation,
    ObligationExemption,
    ObligationState,
    Programme,
)
from .clock import local_date
from .law.context import LawConfig, LawContext, law_context

BOOKABLE_KINDS = frozenset({"conversation"})
# an invitation to a group call-in holds the obligation like a booking does
PENDING_INVITATION = (InvitationState.invited, InvitationState.arrived, InvitationState.in_progress)
HORIZON_DAYS = 182


def held_for(citizen: Citizen) -> list[rules.HeldConversation]:
    """The citizen's held events in the engine's type."""
    return [
        rules.HeldConversation(
            date=h.held_on,
            joint=h.joint,
            channel=h.channel.value if h.channel else None,
            kind=h.kind.value,
            holder=h.holder.value,
            fund_declined=h.fund_declined,
        )
        for h in citizen.conversations
    ]


def pauses_for(programme: Programme) -> tuple[rules.Pause, ...]:
    return tuple(rules.Pause(p.start_date, p.end_date, p.reason) for p in programme.pauses)


def computed_for(
    programme: Programme,
    citizen: Citizen,
    held: list[rules.HeldConversation],
    until: date,
    context: LawContext,
) -> list[rules.Obligation]:
    """The programme's obligations whose period starts by ``until`` (pure computation)."""
    return list(
        rules.obligations_in_force(
            programme.target_group,
            programme.start_date,
            held,
            until=until,
            birth_date=citizen.birth_date,
            programme_end=programme.end_date,
            pauses=pauses_for(programme),
            closed=context.closed,
            rule_set=context.rule_set_for(programme.rule_set_code),
        )
    )


def rule_set_of(ob: rules.Obligation) -> str:
    """The id of the set whose rule made ``ob``."""
    return ob.rule_set


@functools.lru_cache(maxsize=512)
def _requirement(rule_set_code: str, group: str, requirement_id: str) -> rules.Requirement | None:
    try:
        rule_set = rules.load_rule_set(rule_set_code)
        if not rule_set.has_group(group):
            return None
        return next((r for r in rule_set.group(group).requirements if r.id == requirement_id),
                    None)
    except rules.RuleSetError:
        return None


def requirement_of(rule_set_code: str, group: str, step_key: str) -> rules.Requirement | None:
    """The requirement that made a stored obligation (its step key is
    ``group:requirement:period:sequence``), or ``None`` when the set no longer has it."""
    parts = step_key.split(":")
    return _requirement(rule_set_code, group, parts[1]) if len(parts) >= 4 else None


@dataclass
class Refresh:
    """What one refresh did to a citizen's stored obligations."""

    current: list[Obligation] = field(default_factory=list)
    added: list[Obligation] = field(default_factory=list)
    moved: list[tuple[Obligation, tuple[date, date]]] = field(default_factory=list)
    removed: list[tuple[int, str, date, date]] = field(default_factory=list)  # programme, key,
    # deadline, statutory deadline of each deleted row
    orphaned: list[Obligation] = field(default_factory=list)  # booked, no longer computed


def _resolve(session: Session, law: LawContext | LawConfig | None, today: date) -> LawContext:
    if isinstance(law, LawContext):
        return law
    return law_context(session, law, around=today)


def live_obligation_ids(session: Session, citizen_ids: Iterable[int]) -> set[int]:
    """Obligations held by a live booking or a pending group call-in invitation."""
    ids = list(citizen_ids)
    booked = session.scalars(
        select(Booking.obligation_id).where(
            Booking.citizen_id.in_(ids),
            Booking.state == BookingState.booked,
            Booking.obligation_id.is_not(None),
        )
    )
    invited = session.scalars(
        select(Invitation.obligation_id).where(
            Invitation.citizen_id.in_(ids),
            Invitation.state.in_(PENDING_INVITATION),
            Invitation.obligation_id.is_not(None),
        )
    )
    return {i for i in (*booked, *invited) if i is not None}


def exempted_keys(session: Session, citizen_id: int) -> set[tuple[int, str]]:
    """(programme, step key) of the citizen's live exemptions."""
    rows = session.execute(
        select(ObligationExemption.programme_id, ObligationExemption.step_key).where(
            ObligationExemption.citizen_id == citizen_id,
            ObligationExemption.revoked_at.is_(None),
        )
    )
    return {(programme_id, key) for programme_id, key in rows}


def refresh(
    session: Session,
    citizen: Citizen,
    today: date,
    *,
    law: LawContext | LawConfig | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> Refresh:
    """Recompute the citizen's obligations up to ``today + horizon_days`` and store them.

    Rows are matched on (programme, the engine's step key). ``law`` is the context (or the
    configuration to make one from); ``None``: each programme under the set its record names
    (:data:`~booking.services.law.context.LEGACY`), with the public holidays and the local
    closed days. Runs in the caller's transaction.
    """
    context = _resolve(session, law, today)
    held = held_for(citizen)
    until = today + timedelta(days=horizon_days)
    live = live_obligation_ids(session, [citizen.id])
    exempt = exempted_keys(session, citizen.id)
    existing = {
        (o.programme_id, o.step_key): o
        for o in session.scalars(select(Obligation).where(Obligation.citizen_id == citizen.id))
    }
    result = Refresh()
    for programme in citizen.programmes:
        seen: set[str] = set()
        for ob in computed_for(programme, citizen, held, until, context):
            if ob.key in seen:  # one row per step, whichever set computed it first
                continue
            seen.add(ob.key)
            row = existing.pop((programme.id, ob.key), None)
            if row is None:
                row = Obligation(
                    citizen_id=citizen.id,
                    programme_id=programme.id,
                    step_key=ob.key,
                    kind=ob.kind,
                    sequence=ob.sequence,
                )
                session.add(row)
                result.added.append(row)
            else:
                before = (row.deadline, row.statutory_deadline)
                if before != (ob.deadline, ob.statutory_deadline):
                    result.moved.append((row, before))
            _copy(row, ob)
            if ob.fulfilled_on is not None:
                row.state = ObligationState.fulfilled
            elif row.id is not None and row.id in live:
                row.state = ObligationState.booked
            elif (programme.id, ob.key) in exempt:
                row.state = ObligationState.waived
            else:
                row.state = ObligationState.open
            result.current.append(row)
    gone = []
    for row in existing.values():
        if row.id in live:
            result.orphaned.append(row)
            result.current.append(row)
        else:
            gone.append(row)
    _delete(session, gone, result)
    session.flush()
    return result


def _delete(session: Session, rows: list[Obligation], result: Refresh) -> None:
    """Delete rows no longer computed; past bookings and invitations that named one keep
    their own history and lose only the link."""
    if not rows:
        return
    ids = [row.id for row in rows]
    session.execute(
        update(Booking).where(Booking.obligation_id.in_(ids)).values(obligation_id=None),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        update(Invitation).where(Invitation.obligation_id.in_(ids)).values(obligation_id=None),
        execution_options={"synchronize_session": False},
    )
    for row in rows:
        result.removed.append((row.programme_id, row.step_key, row.deadline,
                               row.statutory_deadline))
        session.delete(row)


def rehome_bookings(session: Session, result: Refresh, *, into: int | None = None) -> int:
    """Move each live booking of an orphaned row (booked, no longer computed) to a fitting
    open row: same kind and holder, the booked day within its earliest and statutory deadline,
    in programme ``into`` (``None``: the orphan's own). Returns how many moved; refresh again
    afterwards to drop the emptied rows. Runs in the caller's transaction."""
    moved = 0
    for orphan in result.orphaned:
        programme_id = orphan.programme_id if into is None else into
        free = [o for o in result.current
                if o.programme_id == programme_id and o.state == ObligationState.open]
        for booking in session.scalars(
            select(Booking).where(Booking.obligation_id == orphan.id,
                                  Booking.state == BookingState.booked)
        ):
            day = local_date(booking.slot.starts_at)
            target = next((o for o in free if o.kind == orphan.kind and o.holder == orphan.holder
                           and o.earliest <= day <= o.statutory_deadline), None)
            if target is None:
                continue
            free.remove(target)
            booking.obligation_id = target.id
            target.state = ObligationState.booked
            moved += 1
    session.flush()
    return moved


def refresh_citizen(
    session: Session,
    citizen: Citizen,
    today: date,
    *,
    law: LawContext | LawConfig | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> list[Obligation]:
    """:func:`refresh`, returning the citizen's current rows. Runs in the caller's
    transaction."""
    return refresh(session, citizen, today, law=law, horizon_days=horizon_days).current


def _copy(row: Obligation, ob: rules.Obligation) -> None:
    row.rule_set_code = rule_set_of(ob)
    row.kind = ob.kind
    row.sequence = ob.sequence
    row.earliest = ob.earliest
    row.deadline = ob.deadline
    row.statutory_deadline = ob.statutory_deadline
    row.channels = list(ob.channels)
    row.pool = ob.pool
    row.joint = ob.joint
    row.holder = ob.holder
    row.minutes = max(ob.minutes, 1)  # case events (offers, …) have no length; the row needs >0
    row.mandatory = ob.mandatory
    row.fulfilled_on = ob.fulfilled_on
    row.label_da = ob.label_da
    row.label_en = ob.label_en


def as_rule_obligation(
    row: Obligation, group: str, *, closes: date | None = None
) -> rules.Obligation:
    """A stored obligation in the rules engine's own type (for status functions); ``closes``:
    the last day an event can still fulfil it (``None``: a late event still does)."""
    return rules.Obligation(
        kind=row.kind,
        group=rules.TargetGroup(group),
        sequence=row.sequence,
        earliest=row.earliest,
        deadline=row.deadline,
        statutory_deadline=row.statutory_deadline,
        channels=tuple(row.channels),
        pool=row.pool,
        joint=row.joint,
        holder=row.holder,
        minutes=row.minutes,
        mandatory=row.mandatory,
        fulfilled_on=row.fulfilled_on,
        label_da=row.label_da,
        label_en=row.label_en,
        requirement_id=row.step_key.split(":")[1],
        period=int(row.step_key.split(":")[2]),
        closes=closes,
        rule_set=row.rule_set_code,
    )


def open_obligations(session: Session, citizen_id: int) -> list[Obligation]:
    """The citizen's obligations the job centre must still book, earliest deadline first
    (exempted ones are ``waived`` and left out)."""
    return list(
        session.scalars(
            select(Obligation)
            .where(
                Obligation.citizen_id == citizen_id,
                Obligation.kind.in_(BOOKABLE_KINDS),
                Obligation.holder == "jobcentre",
                Obligation.state.in_([ObligationState.open, ObligationState.booked]),
            )
            .order_by(Obligation.deadline, Obligation.id)
            .options(joinedload(Obligation.programme))  # each is read with its programme
        )
    )
