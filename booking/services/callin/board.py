"""What the call-in screens show of a session on its day: the desk's board and the
caseworker's own queue. Reading only.

The screens refresh by themselves: :func:`board_version` and :func:`queue_version` are short
fingerprints of what the screen shows (no citizen in them), which the page polls; only when a
fingerprint changes does it fetch the screen's part again (a page about citizens, counted and
audited as one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import (
    Caseworker,
    GroupSession,
    GroupSessionCaseworker,
    Invitation,
    InvitationState,
)
from .desk import undo_until
from .sessions import session_day
from .settings import CallinSettings


@dataclass
class PoolLine:
    caseworker: Caseworker
    current: Invitation | None
    served: int


@dataclass
class Board:
    session: GroupSession
    invited: list[Invitation] = field(default_factory=list)
    waiting: list[Invitation] = field(default_factory=list)
    in_progress: list[Invitation] = field(default_factory=list)
    served: list[Invitation] = field(default_factory=list)
    no_show: list[Invitation] = field(default_factory=list)
    pool: list[PoolLine] = field(default_factory=list)
    # invitation id → until when its check-in can still be undone (only those still open)
    undo_until: dict[int, datetime] = field(default_factory=dict)


def board(
    session: Session,
    gs: GroupSession,
    settings: CallinSettings,
    *,
    now: datetime,
    name_filter: str = "",
) -> Board:
    """What the desk shows: invitees by state, each pool member's current citizen and the
    check-ins that can still be undone at ``now``."""
    result = Board(gs)
    invitations = session.scalars(
        select(Invitation)
        .options(joinedload(Invitation.citizen))
        .where(Invitation.session_id == gs.id)
        .order_by(Invitation.arrived_at, Invitation.id)
    ).all()
    needle = name_filter.strip().lower()
    current: dict[int, Invitation] = {}
    served: dict[int, int] = {}
    for inv in invitations:
        if inv.state == InvitationState.invited:
            if not needle or needle in inv.citizen.name.lower():
                result.invited.append(inv)
        elif inv.state == InvitationState.arrived:
            result.waiting.append(inv)
        elif inv.state == InvitationState.in_progress:
            result.in_progress.append(inv)
            current[inv.caseworker_id or 0] = inv
        elif inv.state == InvitationState.served:
            result.served.append(inv)
            served[inv.caseworker_id or 0] = served.get(inv.caseworker_id or 0, 0) + 1
        elif inv.state == InvitationState.no_show:
            result.no_show.append(inv)
    result.invited.sort(key=lambda i: i.citizen.name)
    for inv in (*result.waiting, *result.in_progress):
        until = undo_until(inv, settings)
        if until is not None and now <= until:
            result.undo_until[inv.id] = until
    for member in sorted(gs.pool, key=lambda m: m.caseworker.name):
        cw = member.caseworker
        result.pool.append(PoolLine(cw, current.get(cw.id), served.get(cw.id, 0)))
    return result


@dataclass
class QueueView:
    session: GroupSession
    current: Invitation | None
    waiting: int
    served_by_me: int


def queue_for(session: Session, caseworker_id: int, day: date) -> list[QueueView]:
    """The caseworker's own screen: today's sessions they serve, whom they talk to now."""
    rows = []
    sessions = session.scalars(
        select(GroupSession)
        .join(GroupSessionCaseworker, GroupSessionCaseworker.session_id == GroupSession.id)
        .where(GroupSessionCaseworker.caseworker_id == caseworker_id)
        .order_by(GroupSession.starts_at)
    )
    for gs in sessions:
        if session_day(gs) != day:
            continue
        mine = [i for i in gs.invitations if i.caseworker_id == caseworker_id]
        current = next((i for i in mine if i.state == InvitationState.in_progress), None)
        waiting = sum(1 for i in gs.invitations if i.state == InvitationState.arrived)
        served = sum(1 for i in mine if i.state == InvitationState.served)
        rows.append(QueueView(gs, current, waiting, served))
    return rows


def _fingerprint(parts: object) -> str:
    return hashlib.blake2s(repr(parts).encode(), digest_size=8).hexdigest()


def board_version(
    session: Session, session_id: int, settings: CallinSettings, *, now: datetime
) -> str | None:
    """A fingerprint of the desk's board of ``session_id`` at ``now``: it changes when an
    invitee's state or caseworker changes, check-in opens, the window ends, the session
    closes, or a check-in's undo time runs out. None: no such session."""
    gs = session.get(GroupSession, session_id)
    if gs is None:
        return None
    rows = session.execute(
        select(
            Invitation.id,
            Invitation.state,
            Invitation.caseworker_id,
            Invitation.arrived_at,
        )
        .where(Invitation.session_id == session_id)
        .order_by(Invitation.id)
    ).all()
    undo = settings.checkin_undo_minutes * 60
    opens = gs.starts_at - timedelta(minutes=settings.checkin_opens_minutes)
    parts = [gs.state.value, str(now >= opens), str(now >= gs.ends_at)]
    for inv_id, state, cw, arrived in rows:
        open_undo = (
            arrived is not None
            and state in (InvitationState.arrived, InvitationState.in_progress)
            and (now - arrived).total_seconds() <= undo
        )
        parts.append(f"{inv_id}:{state.value}:{cw}:{int(open_undo)}")
    return _fingerprint(parts)


def queue_version(session: Session, caseworker_id: int, day: date) -> str:
    """A fingerprint of a caseworker's queue screen on ``day``: whom they talk to, how many
    wait and how many they have served, per session."""
    return _fingerprint(
        [
            (v.session.id, v.session.state.value, v.current.id if v.current else None,
             v.waiting, v.served_by_me)
            for v in queue_for(session, caseworker_id, day)
        ]
    )
