"""What the administrator's page shows: the staff accounts, the staff refused for reading too
many citizens, and the latest audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..database import end_read
from ..models import AuditEntry, StaffUser
from . import audit, read_audit
from .access_scope import BlockedReader, blocked_readers


@dataclass(frozen=True)
class AdminOverview:
    users: list[StaffUser]
    entries: list[AuditEntry]
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
    users = list(session.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.username)))
    blocked = blocked_readers(session, since=blocked_since) if blocked_since is not None else []
    return AdminOverview(users, audit.recent(session, limit=entries), blocked, blocked_since)
