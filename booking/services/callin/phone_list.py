"""After the session: the phone list (ringeliste) of no-shows and their new call-in.

Staff phone each no-show and record the outcome. A citizen *not reached* is invited again to
the first planned session before their deadline that still has room under its overflow risk;
a *new time agreed* invites them to the session the staff member chose with the citizen.
A no-show stays on the list until reached, re-invited or given a new time.

:func:`record_call` and :func:`reinvite_not_reached` own their transaction (they commit; a
refusal rolls everything back); the rest only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from solver.sizing import overflow_risk

from ...database import transaction
from ...models import (
    CallOutcome,
    Citizen,
    GroupSession,
    Invitation,
    InvitationState,
    Obligation,
    ObligationState,
    PhoneCall,
    SessionState,
)
from ..clock import zone
from ..obligations import open_obligations
from .errors import CallinError
from .sessions import capacity, invite_citizen, lock_session, session_day

FINAL = (CallOutcome.reached, CallOutcome.new_time)


@dataclass
class PhoneLine:
    invitation: Invitation
    deadline: date | None
    calls: list[PhoneCall] = field(default_factory=list)
    reinvitation: Invitation | None = None

    @property
    def citizen(self) -> Citizen:
        return self.invitation.citizen

    @property
    def pending(self) -> bool:
        return self.reinvitation is None and not any(c.outcome in FINAL for c in self.calls)

    @property
    def last_outcome(self) -> CallOutcome | None:
        return self.calls[-1].outcome if self.calls else None


def phone_list(session: Session) -> list[PhoneLine]:
    """Every no-show of a closed session, the pending ones first, earliest deadline first."""
    rows = session.scalars(
        select(Invitation)
        .join(GroupSession, GroupSession.id == Invitation.session_id)
        .options(joinedload(Invitation.citizen), joinedload(Invitation.session))
        .where(Invitation.state == InvitationState.no_show)
        .order_by(GroupSession.starts_at, Invitation.id)
    ).all()
    if not rows:
        return []
    ids = [inv.id for inv in rows]
    calls: dict[int, list[PhoneCall]] = {}
    for call in session.scalars(
        select(PhoneCall)
        .where(PhoneCall.invitation_id.in_(ids))
        .order_by(PhoneCall.called_at, PhoneCall.id)
    ):
        calls.setdefault(call.invitation_id, []).append(call)
    later = session.execute(
        select(Invitation, GroupSession.starts_at)
        .join(GroupSession, GroupSession.id == Invitation.session_id)
        .where(
            Invitation.citizen_id.in_({inv.citizen_id for inv in rows}),
            Invitation.state != InvitationState.cancelled,
        )
        .order_by(GroupSession.starts_at)
    ).all()
    lines = []
    for inv in rows:
        line = PhoneLine(inv, deadline_of(session, inv), calls.get(inv.id, []))
        line.reinvitation = next(
            (
                other
                for other, starts in later
                if other.citizen_id == inv.citizen_id and starts > inv.session.starts_at
            ),
            None,
        )
        lines.append(line)
    far = date.max
    lines.sort(key=lambda ln: (not ln.pending, ln.deadline or far, ln.invitation.id))
    return lines


def deadline_of(session: Session, inv: Invitation) -> date | None:
    """The deadline the new call-in must meet: the invitation's conversation if still open,
    else the citizen's next open conversation."""
    if inv.obligation_id is not None:
        ob = session.get(Obligation, inv.obligation_id)
        if ob is not None and ob.state != ObligationState.fulfilled:
            return ob.deadline
    nxt = open_obligations(session, inv.citizen_id)
    return nxt[0].deadline if nxt else None


@dataclass
class CallResult:
    call: PhoneCall
    reinvitation: Invitation | None
    no_session: bool = False  # not reached, and no session before the deadline had room


def record_call(
    session: Session,
    invitation_id: int,
    outcome: CallOutcome,
    *,
    staff_id: int,
    now: datetime,
    note: str | None = None,
    target_session_id: int | None = None,
    municipality: str,
    sender: str,
) -> CallResult:
    """Record one call; re-invite when not reached or when a new time was agreed. Commits."""
    with transaction(session):
        inv = session.get(Invitation, invitation_id)
        if inv is None:
            raise CallinError("no_invitation")
        if inv.state != InvitationState.no_show:
            raise CallinError("not_no_show")
        target: GroupSession | None = None
        if outcome == CallOutcome.new_time:
            if target_session_id is None:
                raise CallinError("session_required")
            target = lock_session(session, target_session_id)
            if target.state == SessionState.closed or target.ends_at <= now:
                raise CallinError("session_closed")
            if _already_invited(session, target.id, inv.citizen_id):
                raise CallinError("already_invited", name=inv.citizen.name)
        deadline = deadline_of(session, inv)
        if outcome == CallOutcome.not_reached:
            target = next_session_with_room(session, inv.citizen, deadline, now)
            if target is not None:
                target = lock_session(session, target.id)
        call = PhoneCall(
            invitation_id=inv.id,
            staff_user_id=staff_id,
            outcome=outcome,
            note=(note or "").strip()[:2000] or None,
            called_at=now,
        )
        session.add(call)
        session.flush()
        reinvitation = None
        if target is not None:
            reinvitation = invite_citizen(
                session,
                target,
                inv.citizen,
                _obligation_for(session, inv, target),
                staff_id=staff_id,
                municipality=municipality,
                sender=sender,
            )
        no_session = outcome == CallOutcome.not_reached and target is None
        return CallResult(call, reinvitation, no_session)


def next_session_with_room(
    session: Session, citizen: Citizen, deadline: date | None, now: datetime
) -> GroupSession | None:
    """The first planned session after ``now``, on or before ``deadline``, in the citizen's
    unit (or for all units), without them, whose overflow risk stays under its level with
    the citizen added. A deadline already passed bounds nothing: the first session will do."""
    if deadline is not None and deadline < now.astimezone(zone()).date():
        deadline = None
    for gs in session.scalars(
        select(GroupSession)
        .where(GroupSession.state == SessionState.planned, GroupSession.starts_at > now)
        .order_by(GroupSession.starts_at, GroupSession.id)
    ):
        if deadline is not None and session_day(gs) > deadline:
            break
        if gs.unit_id is not None and gs.unit_id != citizen.unit_id:
            continue
        if _already_invited(session, gs.id, citizen.id):
            continue
        probs = [i.show_probability for i in gs.invitations if i.state != InvitationState.cancelled]
        if overflow_risk([*probs, citizen.show_probability], capacity(gs)) <= gs.overflow_risk:
            return gs
    return None


def reinvite_not_reached(
    session: Session, *, staff_id: int, now: datetime, municipality: str, sender: str
) -> list[Invitation]:
    """Try again for every pending no-show whose last call did not reach them (e.g. after a
    new session was planned), in one transaction (commits)."""
    made = []
    with transaction(session):
        for line in phone_list(session):
            if not line.pending or line.last_outcome != CallOutcome.not_reached:
                continue
            target = next_session_with_room(session, line.citizen, line.deadline, now)
            if target is None:
                continue
            target = lock_session(session, target.id)
            made.append(
                invite_citizen(
                    session,
                    target,
                    line.citizen,
                    _obligation_for(session, line.invitation, target),
                    staff_id=staff_id,
                    municipality=municipality,
                    sender=sender,
                )
            )
    return made


def upcoming_targets(session: Session, now: datetime) -> list[GroupSession]:
    """Sessions a new time can be agreed in (not closed, window not over)."""
    return list(
        session.scalars(
            select(GroupSession)
            .where(GroupSession.state != SessionState.closed, GroupSession.ends_at > now)
            .order_by(GroupSession.starts_at)
        )
    )


def _already_invited(session: Session, session_id: int, citizen_id: int) -> bool:
    return (
        session.scalar(
            select(Invitation.id).where(
                Invitation.session_id == session_id, Invitation.citizen_id == citizen_id
            )
        )
        is not None
    )


def _obligation_for(session: Session, inv: Invitation, target: GroupSession) -> Obligation | None:
    day = session_day(target)
    for ob in open_obligations(session, inv.citizen_id):
        if ob.state == ObligationState.open and ob.earliest <= day:
            return ob
    return None
