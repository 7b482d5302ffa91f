"""Whose working time a staff member may see and change.

The caseworker edits their own template, absences and feed. A planner or a manager edits any
caseworker of their unit (every unit when they have none: the planning office, management);
an administrator edits any caseworker. Anyone else is refused (:class:`TimeForbidden`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Caseworker, Role, StaffUser
from ..errors import NotFound, ServiceError

EDITORS_OF_OTHERS = (Role.planner, Role.manager, Role.admin)


class TimeForbidden(ServiceError):
    """``not_yours``: the caseworker is outside the viewer's scope."""

    def __init__(self) -> None:
        super().__init__("not_yours")


@dataclass(frozen=True)
class Choice:
    """A caseworker the viewer may pick."""

    id: int
    name: str
    initials: str


@dataclass(frozen=True)
class Editor:
    """The viewer and the caseworker whose time they look at."""

    staff_id: int
    caseworker: Caseworker
    own: bool  # the caseworker's own time (the feed address is shown only to its owner)


def _viewer(session: Session, staff_id: int | None) -> StaffUser:
    staff = session.get(StaffUser, staff_id) if staff_id is not None else None
    if staff is None or not staff.active:
        raise TimeForbidden()
    return staff


def _own_id(session: Session, staff: StaffUser) -> int | None:
    found: int | None = session.scalar(
        select(Caseworker.id).where(Caseworker.staff_user_id == staff.id)
    )
    return found


def _in_scope(staff: StaffUser, caseworker: Caseworker) -> bool:
    if staff.role == Role.admin:
        return True
    if staff.role in EDITORS_OF_OTHERS:
        return staff.unit_id is None or staff.unit_id == caseworker.unit_id
    return False


def editor_for(session: Session, staff_id: int | None, asked_id: int | None) -> Editor:
    """The caseworker ``asked_id`` (None: the viewer's own) if the viewer may edit their
    time; :class:`NotFound` for no such caseworker (or none of one's own),
    :class:`TimeForbidden` for one outside the scope. Reads only."""
    staff = _viewer(session, staff_id)
    own_id = _own_id(session, staff)
    wanted = asked_id if asked_id is not None else own_id
    if wanted is None:
        raise NotFound("caseworker")
    caseworker = session.get(Caseworker, wanted)
    if caseworker is None:
        raise NotFound("caseworker")
    own = wanted == own_id
    if not own and not _in_scope(staff, caseworker):
        raise TimeForbidden()
    return Editor(staff_id=staff.id, caseworker=caseworker, own=own)


def choices(session: Session, staff_id: int | None) -> list[Choice]:
    """The active caseworkers the viewer may pick (their own only, for a caseworker)."""
    staff = _viewer(session, staff_id)
    stmt = select(Caseworker).where(Caseworker.active.is_(True)).order_by(Caseworker.name)
    if staff.role not in EDITORS_OF_OTHERS:
        stmt = stmt.where(Caseworker.staff_user_id == staff.id)
    elif staff.role != Role.admin and staff.unit_id is not None:
        stmt = stmt.where(Caseworker.unit_id == staff.unit_id)
    return [Choice(c.id, c.name, c.initials) for c in session.scalars(stmt)]
