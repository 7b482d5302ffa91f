"""What the administrator's page shows: the staff accounts and the latest audit entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditEntry, StaffUser
from . import audit


@dataclass(frozen=True)
class AdminOverview:
    users: list[StaffUser]
    entries: list[AuditEntry]


def admin_overview(session: Session, *, entries: int) -> AdminOverview:
    """Every staff account (by role, then user name) and the ``entries`` latest audit entries."""
    users = list(session.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.username)))
    return AdminOverview(users, audit.recent(session, limit=entries))
