"""After the session: the phone list (ringeliste) of no-shows and their new call-in.

Staff phone each no-show and record the outcome. A citizen *not reached* is invited again to
the first planned session that the letter gives the minimum notice for (:mod:`.calendar`), on
or before their deadline, that still has room under its overflow risk; a *new time agreed*
invites them to the session the staff member chose with the citizen (with the same notice).
A no-show stays on the list until reached, re-invited or given a new time.

Each line's deadline is the obligation behind the invitation while it is not fulfilled, else the
citizen's next open conversation; a citizen called in on the resource-programme indicator (no
obligation behind the invitation) has the day they fell, or fall, out of "a conversation within
the last N months". The pending lines come first, the earliest deadline first.

:func:`record_call` and :func:`reinvite_not_reached` own their transaction (they commit; a
refusal rolls everything back); the rest only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from .calendar import CallinCalendar, callin_calendar
from .candidates import indicator_deadline
from .errors import CallinError
from .sessions import capacity, invite_citizen, lock_session, session_day
from .settings import CallinSettings

FINAL = (CallOutcome.reached, CallOutcome.new_time)
CONVERSATION, INDICATOR = "conversation", "indicator"  # what a line's deadline is


@dataclass(frozen=True)
class Deadline:
    day: date
    kind: str  # CONVERSATION (an obligation) or INDICATOR (the resource-programme indicator)


@dataclass
class PhoneLine:
    invitation: Invitation
    due: Deadline | None
    calls: list[PhoneCall] = field(default_factory=list)
    reinvitation: Invitation | None = None
    overdue: bool = False  # the deadline has passed

    @property
    def deadline(self) -> date | None:
        return self.due.day if self.due else None

    @property
    def citizen(self) -> Citizen:
        return self.invitation.citizen

    @property
    def pending(self) -> bool:
        return self.reinvitation is None and not any(c.outcome in FINAL for c in self.calls)

    @property
    def last_outcome(self) -> CallOutcome | None:
        return self.calls[-1].outcome if self.calls else None


def phone_list(session: Session, settings: CallinSettings, today: date) -> list[PhoneLine]:
    """Every no-show of a closed session, the pending ones first, earliest deadline first
    (lines without any deadline last)."""
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
        due = deadline_of(session, inv, settings, today)
        overdue = due is not None and due.day < today
        line = PhoneLine(inv, due, calls.get(inv.id, []), overdue=overdue)
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


def deadline_of(
    session: Session, inv: Invitation, settings: CallinSettings, today: date
) -> Deadline | None:
    """The deadline the new call-in must meet: the invitation's conversation if still open,
    else the citizen's next open conversation, else (a resource programme running ``today``)
    the day the indicator lapses."""
    if inv.obligation_id is not None:
        ob = session.get(Obligation, inv.obligation_id)
        if ob is not None and ob.state in (ObligationState.open, ObligationState.booked):
            return Deadline(ob.deadline, CONVERSATION)
    nxt = open_obligations(session, inv.citizen_id)
    if nxt:
        return Deadline(nxt[0].deadline, CONVERSATION)
    lapse = indicator_deadline(session, inv.citizen_id, today, settings)
    return Deadline(lapse, INDICATOR) if lapse is not None else None


@dataclass
class CallResult:
    call: PhoneCall
    reinvitation: Invitation | None
    no_session: bool = False  # not reached, and no session from first_day to deadline had room
    first_day: date | None = None  # the first day the re-invitation's letter gives notice for
    deadline: date | None = None  # the deadline it had to meet (None: none, or passed)


def record_call(
    session: Session,
    invitation_id: int,
    outcome: CallOutcome,
    settings: CallinSettings,
    *,
    staff_id: int,
    now: datetime,
    note: str | None = None,
    target_session_id: int | None = None,
    municipality: str,
    sender: str,
    optional_closed: Sequence[str],
) -> CallResult:
    """Record one call; re-invite when not reached or when a new time was agreed, each letter
    with the minimum notice (a new time in a session it cannot give notice for is refused,
    the code ``notice``). Commits."""
    today = now.astimezone(zone()).date()
    with transaction(session):
        inv = session.get(Invitation, invitation_id)
        if inv is None:
            raise CallinError("no_invitation")
        if inv.state != InvitationState.no_show:
            raise CallinError("not_no_show")
        calendar = callin_calendar(session, settings, optional_closed, today)
        target: GroupSession | None = None
        if outcome == CallOutcome.new_time:
            if target_session_id is None:
                raise CallinError("session_required")
            target = lock_session(session, target_session_id)
            if target.state == SessionState.closed or target.ends_at <= now:
                raise CallinError("session_closed")
            calendar.check_notice(session_day(target), today)
            if _already_invited(session, target.id, inv.citizen_id):
                raise CallinError("already_invited", name=inv.citizen.name)
        due = deadline_of(session, inv, settings, today)
        deadline = due.day if due is not None and due.day >= today else None
        if outcome == CallOutcome.not_reached:
            target = next_session_with_room(session, inv.citizen, deadline, now, calendar)
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
        return CallResult(
            call, reinvitation, no_session, calendar.first_letter_day(today), deadline
        )


def next_session_with_room(
    session: Session,
    citizen: Citizen,
    deadline: date | None,
    now: datetime,
    calendar: CallinCalendar,
) -> GroupSession | None:
    """The first planned session from the first day a letter sent now gives the minimum
    notice for, on or before ``deadline``, in the citizen's unit (or for all units), without
    them, whose overflow risk stays under its level with the citizen added. A deadline already
    passed (or None) bounds nothing: the first such session will do."""
    today = now.astimezone(zone()).date()
    if deadline is not None and deadline < today:
        deadline = None
    first = calendar.first_letter_day(today)
    for gs in session.scalars(
        select(GroupSession)
        .where(GroupSession.state == SessionState.planned, GroupSession.starts_at > now)
        .order_by(GroupSession.starts_at, GroupSession.id)
    ):
        day = session_day(gs)
        if day < first:
            continue
        if deadline is not None and day > deadline:
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
    session: Session,
    settings: CallinSettings,
    *,
    staff_id: int,
    now: datetime,
    municipality: str,
    sender: str,
    optional_closed: Sequence[str],
) -> list[Invitation]:
    """Try again for every pending no-show whose last call did not reach them (e.g. after a
    new session was planned), with the minimum notice, in one transaction (commits)."""
    today = now.astimezone(zone()).date()
    made = []
    with transaction(session):
        calendar = callin_calendar(session, settings, optional_closed, today)
        for line in phone_list(session, settings, today):
            if not line.pending or line.last_outcome != CallOutcome.not_reached:
                continue
            target = next_session_with_room(
                session, line.citizen, line.deadline, now, calendar
            )
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


def upcoming_targets(session: Session, now: datetime, first_day: date) -> list[GroupSession]:
    """Sessions a new time can be agreed in: not closed, window not over, on or after
    ``first_day`` (the first day a letter sent now gives the minimum notice for)."""
    return [
        gs
        for gs in session.scalars(
            select(GroupSession)
            .where(GroupSession.state != SessionState.closed, GroupSession.ends_at > now)
            .order_by(GroupSession.starts_at)
        )
        if session_day(gs) >= first_day
    ]


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
