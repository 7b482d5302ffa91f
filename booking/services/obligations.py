"""Keep each citizen's stored obligations in step with the rules engine.

The writing functions here (``refresh_citizen``) run in the caller's transaction: they are
steps of a larger unit of work (a held conversation, an import, the demo), never alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import rules
from ..models import (
    Booking,
    BookingState,
    Citizen,
    Invitation,
    InvitationState,
    Obligation,
    ObligationState,
    Programme,
)

BOOKABLE_KINDS = frozenset({"conversation"})
# an invitation to a group call-in holds the obligation like a booking does
PENDING_INVITATION = (InvitationState.invited, InvitationState.arrived, InvitationState.in_progress)
HORIZON_DAYS = 182


def held_for(citizen: Citizen) -> list[rules.HeldConversation]:
    return [
        rules.HeldConversation(
            date=h.held_on, joint=h.joint, channel=h.channel.value if h.channel else None
        )
        for h in citizen.conversations
    ]


def computed_for(
    programme: Programme, citizen: Citizen, held: list[rules.HeldConversation], until: date
) -> list[rules.Obligation]:
    rule_set = rules.load_rule_set(programme.rule_set_code)
    return rules.compute_obligations(
        rule_set,
        rules.TargetGroup(programme.target_group),
        programme.start_date,
        held,
        until=until,
        birth_date=citizen.birth_date,
        programme_end=programme.end_date,
    )


def refresh_citizen(
    session: Session, citizen: Citizen, today: date, *, horizon_days: int = HORIZON_DAYS
) -> list[Obligation]:
    """Recompute the citizen's obligations up to ``today + horizon_days`` and store them.

    Rows are matched on (programme, the engine's step key); a row with a live booking keeps
    it, a row no longer computed is removed unless it is booked.
    """
    held = held_for(citizen)
    until = today + timedelta(days=horizon_days)
    live = set(
        session.scalars(
            select(Booking.obligation_id).where(
                Booking.citizen_id == citizen.id, Booking.state == BookingState.booked
            )
        )
    ) | set(
        session.scalars(
            select(Invitation.obligation_id).where(
                Invitation.citizen_id == citizen.id,
                Invitation.state.in_(PENDING_INVITATION),
            )
        )
    )
    existing = {
        (o.programme_id, o.step_key): o
        for o in session.scalars(select(Obligation).where(Obligation.citizen_id == citizen.id))
    }
    kept: list[Obligation] = []
    for programme in citizen.programmes:
        for ob in computed_for(programme, citizen, held, until):
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
            _copy(row, ob, programme.rule_set_code)
            if ob.fulfilled_on is not None:
                row.state = ObligationState.fulfilled
            elif row.id is not None and row.id in live:
                row.state = ObligationState.booked
            else:
                row.state = ObligationState.open
            kept.append(row)
    for row in existing.values():
        if row.id not in live:
            session.delete(row)
    session.flush()
    return kept


def _copy(row: Obligation, ob: rules.Obligation, rule_set_code: str) -> None:
    row.rule_set_code = rule_set_code
    row.earliest = ob.earliest
    row.deadline = ob.deadline
    row.statutory_deadline = ob.statutory_deadline
    row.channels = list(ob.channels)
    row.pool = ob.pool
    row.joint = ob.joint
    row.holder = ob.holder
    row.minutes = ob.minutes
    row.mandatory = ob.mandatory
    row.fulfilled_on = ob.fulfilled_on
    row.label_da = ob.label_da
    row.label_en = ob.label_en


def as_rule_obligation(row: Obligation, group: str) -> rules.Obligation:
    """A stored obligation in the rules engine's own type (for status functions)."""
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
    )


def open_obligations(session: Session, citizen_id: int) -> list[Obligation]:
    """The citizen's obligations the job centre must still book, earliest deadline first."""
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
        )
    )
