"""What the call-in screens show of a session on its day: the desk's board and the
caseworker's own queue. Reading only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import (
    Caseworker,
    GroupSession,
    GroupSessionCaseworker,
    Invitation,
    InvitationState,
)
from .sessions import session_day


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


def board(session: Session, gs: GroupSession, *, name_filter: str = "") -> Board:
    """What the desk shows: invitees by state and each pool member's current citizen."""
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
