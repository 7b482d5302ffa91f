"""What the administrator's page shows: the staff accounts, the staff refused for reading too
many citizens, and the latest audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..database import end_read
from ..models import Caseworker, StaffUser, Unit
from . import audit, read_audit
from .access_scope import BlockedReader, blocked_readers
from .audit_trail import TrailRow, named_rows
from .errors import NotFound


@dataclass(frozen=True)
class AdminOverview:
    users: list[StaffUser]
    entries: list[TrailRow]  # with the actors' names; citizens by id only (not audited)
    blocked: list[BlockedReader]
    blocked_since: datetime | None = None


def admin_overview(
    session: Session, *, entries: int, blocked_since: datetime | None = None
) -> AdminOverview:
    """Every staff account (by role, then user name), the ``entries`` latest audit entries and,
    given ``blocked_since``, who was refused for reading too many citizens since then. This
    process's buffered page views are written first, and a read begun before is ended (on
    SQLite it would not see them)."""
    read_audit.flush(session)
    end_read(session)
    users = list(session.scalars(
        select(StaffUser).options(selectinload(StaffUser.unit))
        .order_by(StaffUser.role, StaffUser.username)
    ))
    blocked = blocked_readers(session, since=blocked_since) if blocked_since is not None else []
    rows = named_rows(session, audit.recent(session, limit=entries))
    return AdminOverview(users, rows, blocked, blocked_since)


# --- the account pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitChoice:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class UserPage:
    """An account's edit page (``user`` None: the form for a new one)."""

    user: StaffUser | None
    initials: str | None  # the caseworker row's, if any
    units: list[UnitChoice]
    has_caseworker: bool


def user_page(session: Session, user_id: int | None) -> UserPage:
    """The account (NotFound when missing), its caseworker initials and every unit."""
    units = [UnitChoice(u.id, u.code, u.name)
             for u in session.scalars(select(Unit).order_by(Unit.name, Unit.id))]
    if user_id is None:
        return UserPage(None, None, units, False)
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound("staff_user")
    cw = session.scalar(select(Caseworker).where(Caseworker.staff_user_id == user.id))
    return UserPage(user, cw.initials if cw else None, units, cw is not None)
