"""The audit trail: who saw or changed which citizen.

:func:`record` runs in the caller's transaction: the entry is committed with the view or the
change it describes, or not at all. A citizen's page views go through
:mod:`booking.services.read_audit` (buffered, written in batches); :func:`recent` writes this
process's buffer first (call it, or :func:`read_audit.flush`, before the session's first read:
a SQLite read transaction sees what was committed when it began).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ActorKind, AuditEntry
from . import read_audit


def record(
    session: Session,
    *,
    actor_kind: ActorKind,
    actor_id: int | None,
    action: str,
    citizen_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (runs in the caller's transaction)."""
    entry = AuditEntry(
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        citizen_id=citizen_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    session.add(entry)
    return entry


def recent(
    session: Session, *, limit: int = 100, citizen_id: int | None = None
) -> list[AuditEntry]:
    read_audit.flush(session)
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if citizen_id is not None:
        stmt = stmt.where(AuditEntry.citizen_id == citizen_id)
    return list(session.scalars(stmt))


# the key of a list entry's ``detail`` that holds the ids of the citizens a list showed
LIST_KEY = "citizen_ids"


def record_list(
    session: Session,
    *,
    actor_kind: ActorKind,
    actor_id: int | None,
    action: str,
    citizen_ids: Iterable[int],
    object_type: str | None = None,
    object_id: int | None = None,
) -> AuditEntry | None:
    """Audit a list of citizens as one entry (runs in the caller's transaction): a list of 70
    is one row, not 70. The ids shown, in order and once each, are in ``detail[LIST_KEY]``;
    one citizen alone is the entry's ``citizen_id`` too. An empty list writes nothing."""
    ids = list(dict.fromkeys(citizen_ids))
    if not ids:
        return None
    return record(
        session,
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        citizen_id=ids[0] if len(ids) == 1 else None,
        object_type=object_type,
        object_id=object_id,
        detail={LIST_KEY: ids, "count": len(ids)},
    )
