"""The day of the session: check-in desk, the pool's queue, end-of-window no-shows.

Each arrival goes to the next free caseworker of the pool (the one free the longest); when none
is free the citizen waits, first come first served, and is handed over as soon as a caseworker
marks their conversation done.

Race-free by the database, not by Python locks: every change takes the session row first
(``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL), so two desks checking in
at once are serialised; the partial unique index ``uq_invitations_caseworker_busy`` (one citizen
in progress per caseworker per session) is the last guard — a violation rolls back a savepoint
and the next free caseworker is tried.

:func:`check_in`, :func:`undo_check_in`, :func:`finish` and :func:`close_window` own their
transaction: they commit, and a refusal (:class:`CallinError`) rolls everything back.

:func:`assign_waiting` and the private helpers run in the caller's transaction. What the
screens show is in :mod:`.board`.

Check-in opens ``[callin] checkin_opens_minutes`` before the window; a check-in made by mistake
can be undone for ``checkin_undo_minutes`` (audited), after which the arrival stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from ...database import transaction
from ...models import (
    ActorKind,
    Caseworker,
    GroupSession,
    Invitation,
    InvitationState,
    Obligation,
    SessionState,
)
from .. import audit
from ..clock import zone
from ..errors import NotFound
from ..law.context import LawConfig
from .errors import CallinError
from .history import (
    hold_conversation,
    reestimate,
    register_attended,
    register_missed,
    release,
)
from .sessions import lock_session, session_day
from .settings import CallinSettings

BUSY_INDEX = "uq_invitations_caseworker_busy"


@dataclass
class Assignment:
    invitation: Invitation
    caseworker: Caseworker


@dataclass
class CheckIn:
    invitation: Invitation
    caseworker: Caseworker | None  # None: waiting for the next free caseworker
    waiting_ahead: int = 0


def _locked_invitation(
    session: Session, invitation_id: int, session_id: int | None = None
) -> tuple[GroupSession, Invitation]:
    """The invitation and its session, both locked. With ``session_id`` (the page the staff
    member is on) that session must exist (else :class:`NotFound`) and hold the invitation
    (else the code ``no_invitation``). Runs in the caller's transaction."""
    owner = session.scalar(select(Invitation.session_id).where(Invitation.id == invitation_id))
    if session_id is not None:
        if session.get(GroupSession, session_id) is None:
            raise NotFound("group_session")
        if owner != session_id:
            raise CallinError("no_invitation")
    if owner is None:
        raise CallinError("no_invitation")
    gs = lock_session(session, owner)
    inv = session.scalar(
        select(Invitation)
        .where(Invitation.id == invitation_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert inv is not None
    return gs, inv


def check_in(
    session: Session,
    invitation_id: int,
    settings: CallinSettings,
    *,
    now: datetime,
    staff_id: int | None,
    session_id: int | None = None,
) -> CheckIn:
    """Register an arrival and hand the citizen to the next free caseworker (or the queue);
    commits. ``session_id``: the session the desk is working (see :func:`_locked_invitation`)."""
    with transaction(session):
        gs, inv = _locked_invitation(session, invitation_id, session_id)
        if gs.state == SessionState.closed:
            raise CallinError("session_closed")
        opens = checkin_opens(gs, settings)
        if now < opens:
            raise CallinError(
                "checkin_not_open", opens=opens, minutes=settings.checkin_opens_minutes
            )
        if inv.state != InvitationState.invited:
            raise CallinError("not_invited_state", name=inv.citizen.name, state=inv.state.value)
        inv.state = InvitationState.arrived
        inv.arrived_at = now
        if gs.state == SessionState.planned:
            gs.state = SessionState.running
        register_attended(inv.citizen, settings)
        session.flush()
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=staff_id,
            action="callin_checked_in",
            citizen_id=inv.citizen_id,
            object_type="invitation",
            object_id=inv.id,
        )
        assign_waiting(session, gs, now)
        if inv.state == InvitationState.in_progress:
            return CheckIn(inv, session.get(Caseworker, inv.caseworker_id))
        ahead = sum(
            1
            for other in _waiting(session, gs.id)
            if (other.arrived_at, other.id) < (inv.arrived_at, inv.id)
        )
        return CheckIn(inv, None, ahead)


def checkin_opens(gs: GroupSession, settings: CallinSettings) -> datetime:
    """When the desk starts registering arrivals for ``gs``."""
    return gs.starts_at - timedelta(minutes=settings.checkin_opens_minutes)


def undo_until(inv: Invitation, settings: CallinSettings) -> datetime | None:
    """Until when the check-in of ``inv`` can be undone (None: it is not checked in, or its
    conversation is over)."""
    if inv.arrived_at is None or inv.state not in UNDOABLE:
        return None
    return inv.arrived_at + timedelta(minutes=settings.checkin_undo_minutes)


UNDOABLE = (InvitationState.arrived, InvitationState.in_progress)


@dataclass
class Undone:
    invitation: Invitation
    handed_over: Assignment | None  # the freed caseworker's next citizen, if any


def undo_check_in(
    session: Session,
    invitation_id: int,
    settings: CallinSettings,
    *,
    now: datetime,
    staff_id: int | None,
    session_id: int | None = None,
) -> Undone:
    """Take back a check-in made by mistake, within ``checkin_undo_minutes`` of it: the
    citizen is invited again (not arrived), the attendance it counted is taken back, and a
    caseworker it was handed to takes the next waiting citizen. Audited
    (``callin_checkin_undone``); commits. Later, or once the conversation is done, refused."""
    with transaction(session):
        gs, inv = _locked_invitation(session, invitation_id, session_id)
        if gs.state == SessionState.closed:
            raise CallinError("session_closed")
        if inv.state == InvitationState.served:
            raise CallinError("undo_served", name=inv.citizen.name)
        until = undo_until(inv, settings)
        if until is None:
            raise CallinError("undo_not_arrived", name=inv.citizen.name)
        if now > until:
            raise CallinError(
                "undo_expired",
                name=inv.citizen.name,
                minutes=settings.checkin_undo_minutes,
                arrived=inv.arrived_at,
            )
        freed = inv.caseworker_id if inv.state == InvitationState.in_progress else None
        arrived = inv.arrived_at
        inv.state = InvitationState.invited
        inv.arrived_at = None
        inv.caseworker_id = None
        inv.started_at = None
        citizen = inv.citizen
        citizen.attended_count = max(0, citizen.attended_count - 1)
        reestimate(citizen, settings)
        session.flush()
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=staff_id,
            action="callin_checkin_undone",
            citizen_id=inv.citizen_id,
            object_type="invitation",
            object_id=inv.id,
            detail={
                "arrived_at": arrived.isoformat() if arrived else None,
                "caseworker": freed,
            },
        )
        handed = None
        if freed is not None:
            assigned = assign_waiting(session, gs, now)
            handed = next((a for a in assigned if a.caseworker.id == freed), None)
        return Undone(inv, handed)


def finish(
    session: Session,
    invitation_id: int,
    *,
    now: datetime,
    staff_id: int | None,
    caseworker_id: int | None = None,
    session_id: int | None = None,
    law: LawConfig | None = None,
) -> Assignment | None:
    """The conversation is done: it is held (fulfilling the obligation under ``law``, the
    app's ``[rules]``), and the caseworker takes the next waiting citizen. Returns that next
    assignment, if any; commits.

    ``caseworker_id`` (from the caseworker's own screen) must be an existing caseworker (else
    :class:`NotFound`) and the one holding it. ``session_id``: see :func:`_locked_invitation`.
    """
    with transaction(session):
        if caseworker_id is not None and session.get(Caseworker, caseworker_id) is None:
            raise NotFound("caseworker")
        gs, inv = _locked_invitation(session, invitation_id, session_id)
        if inv.state != InvitationState.in_progress:
            raise CallinError("not_in_progress", name=inv.citizen.name)
        if caseworker_id is not None and inv.caseworker_id != caseworker_id:
            raise CallinError("not_yours")
        inv.state = InvitationState.served
        inv.served_at = now
        freed = inv.caseworker_id
        session.flush()
        hold_conversation(session, inv.citizen, now.astimezone(zone()).date(), law=law)
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=staff_id,
            action="callin_served",
            citizen_id=inv.citizen_id,
            object_type="invitation",
            object_id=inv.id,
            detail={"caseworker": freed},
        )
        assigned = assign_waiting(session, gs, now)
        return next((a for a in assigned if a.caseworker.id == freed), None)


def close_window(
    session: Session,
    session_id: int,
    settings: CallinSettings,
    *,
    now: datetime,
    staff_id: int | None,
    early: bool = False,
) -> list[Invitation]:
    """End of the window: everyone still only invited is a no-show. Before the window's end
    only with ``early`` (the desk confirms closing early). Commits; a session that does not
    exist is :class:`NotFound`."""
    with transaction(session):
        gs = lock_session(session, session_id, missing=NotFound("group_session"))
        if gs.state == SessionState.closed:
            raise CallinError("session_closed")
        if now.astimezone(zone()).date() < session_day(gs):
            raise CallinError("too_early")
        if now < gs.ends_at and not early:
            raise CallinError("window_open")
        missing = list(
            session.scalars(
                select(Invitation)
                .options(joinedload(Invitation.citizen))
                .where(
                    Invitation.session_id == gs.id, Invitation.state == InvitationState.invited
                )
                .with_for_update(of=Invitation)
            )
        )
        for inv in missing:
            inv.state = InvitationState.no_show
            register_missed(inv.citizen, settings)
            if inv.obligation_id is not None:
                release(session.get(Obligation, inv.obligation_id))
            audit.record(
                session,
                actor_kind=ActorKind.staff,
                actor_id=staff_id,
                action="callin_no_show",
                citizen_id=inv.citizen_id,
                object_type="invitation",
                object_id=inv.id,
            )
        gs.state = SessionState.closed
        session.flush()
        return missing


def assign_waiting(session: Session, gs: GroupSession, now: datetime) -> list[Assignment]:
    """Hand waiting citizens (first arrived first) to free caseworkers (free longest first).
    Runs in the caller's transaction (which holds the session lock)."""
    waiting = _waiting(session, gs.id)
    free = free_caseworkers(session, gs)
    done: list[Assignment] = []
    for inv in waiting:
        if not free:
            break
        cw_id = _start(session, inv, free, now)
        if cw_id is None:
            break
        caseworker = session.get(Caseworker, cw_id)
        assert caseworker is not None  # a pool member (foreign key)
        done.append(Assignment(inv, caseworker))
    return done


def free_caseworkers(session: Session, gs: GroupSession) -> list[int]:
    """Pool members with nobody in progress, the one idle the longest first."""
    rows = session.execute(
        select(Invitation.caseworker_id, Invitation.state, Invitation.served_at).where(
            Invitation.session_id == gs.id, Invitation.caseworker_id.is_not(None)
        )
    ).all()
    busy = {cw for cw, state, _ in rows if state == InvitationState.in_progress}
    last_done: dict[int, datetime] = {}
    for cw, state, served_at in rows:
        if cw is not None and state == InvitationState.served and served_at is not None:
            last_done[cw] = max(served_at, last_done.get(cw, served_at))
    pool = sorted(m.caseworker_id for m in gs.pool)
    free = [cw for cw in pool if cw not in busy]
    return sorted(free, key=lambda cw: (cw in last_done, last_done.get(cw, gs.starts_at), cw))


def _start(session: Session, inv: Invitation, free: list[int], now: datetime) -> int | None:
    """Give ``inv`` to the first caseworker in ``free`` the database accepts (a savepoint
    each). Runs in the caller's transaction."""
    for cw_id in list(free):
        free.remove(cw_id)
        try:
            with session.begin_nested():
                inv.caseworker_id = cw_id
                inv.state = InvitationState.in_progress
                inv.started_at = now
                session.flush()
        except IntegrityError as exc:
            if BUSY_INDEX not in str(exc.orig) and "caseworker_id" not in str(exc.orig):
                raise
            session.refresh(inv)
            continue  # busy after all: try the next free caseworker
        return cw_id
    return None


def _waiting(session: Session, session_id: int) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.session_id == session_id, Invitation.state == InvitationState.arrived)
            .order_by(Invitation.arrived_at, Invitation.id)
            .with_for_update()
        )
    )
