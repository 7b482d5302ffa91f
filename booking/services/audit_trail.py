"""The audit trail as the administrator reads it: entries with names instead of ids (the staff
member's full name, the citizen's name, the API client's name, never a CPR number), filtered
by staff member, citizen (an id or part of a name, also inside list entries), action and local
date range, a page at a time or all of them for an export.

Reading the trail is itself audited as one entry (``admin.audit_viewed`` /
``admin.audit_exported``) holding the ids of the citizens it showed, like any list of citizens
(:func:`booking.services.audit.record_list`). This process's buffered page views are written
first, so the trail never misses its own recent views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, cast, exists, false, func, or_, select
from sqlalchemy.orm import Session

from ..database import end_read, transaction
from ..models import ActorKind, ApiClient, AuditEntry, Citizen, StaffUser
from . import audit, read_audit
from .clock import zone

PER_PAGE = 50
EXPORT_MAX = 50_000  # rows in one export; the page says so when a filter finds more
NAME_MATCHES = 500  # citizens a name search may match
NAMES_SHOWN = 5  # citizens named in one list entry's row


@dataclass(frozen=True)
class TrailFilter:
    """``citizen``: a citizen id, or part of a name (case does not matter)."""

    staff_id: int | None = None
    citizen: str = ""
    action: str = ""
    first: date | None = None
    last: date | None = None

    def as_detail(self) -> dict[str, Any]:
        values = {
            "staff_id": self.staff_id,
            "citizen": self.citizen.strip()[:64] or None,
            "action": self.action or None,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }
        return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class CitizenName:
    id: int
    name: str


@dataclass(frozen=True)
class TrailRow:
    id: int
    at: datetime
    actor_kind: ActorKind
    actor_id: int | None
    actor_name: str  # "" when unknown (system, or a deleted account); an API client's name
    action: str
    citizens: list[CitizenName]  # the first NAMES_SHOWN citizens the entry is about
    citizen_count: int  # all of them (a list entry names many)
    object_type: str | None
    object_id: int | None
    detail: dict[str, Any] | None


@dataclass(frozen=True)
class StaffChoice:
    id: int
    full_name: str
    username: str


@dataclass
class TrailPage:
    rows: list[TrailRow]
    page: int
    has_next: bool
    staff: list[StaffChoice]
    actions: list[str]  # every action code in the trail, for the filter
    filter: TrailFilter = field(default_factory=TrailFilter)


def trail_page(
    session: Session, flt: TrailFilter, *, page: int, viewer_id: int, per_page: int = PER_PAGE
) -> TrailPage:
    """One page (1, 2, …) of the entries the filter finds, newest first. Audited
    (``admin.audit_viewed``, one entry with the citizens shown); committed."""
    _fresh(session)
    stmt = _filtered(session, flt)
    entries = list(session.scalars(stmt.offset((page - 1) * per_page).limit(per_page + 1)))
    has_next = len(entries) > per_page
    rows = named_rows(session, entries[:per_page])
    staff = [
        StaffChoice(u.id, u.full_name, u.username)
        for u in session.scalars(select(StaffUser).order_by(StaffUser.full_name, StaffUser.id))
    ]
    actions = list(
        session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )
    _audit_read(session, "admin.audit_viewed", viewer_id, rows, flt, page=page)
    return TrailPage(rows, page, has_next, staff, actions, flt)


@dataclass(frozen=True)
class TrailExport:
    rows: list[TrailRow]
    truncated: bool  # more than EXPORT_MAX entries matched; the newest are in rows


def trail_export(
    session: Session, flt: TrailFilter, *, viewer_id: int, limit: int = EXPORT_MAX
) -> TrailExport:
    """Every entry the filter finds (newest first, at most ``limit``). Audited
    (``admin.audit_exported``, one entry); committed."""
    _fresh(session)
    entries = list(session.scalars(_filtered(session, flt).limit(limit + 1)))
    rows = named_rows(session, entries[:limit])
    _audit_read(session, "admin.audit_exported", viewer_id, rows, flt, entries=len(rows))
    return TrailExport(rows, len(entries) > limit)


def _fresh(session: Session) -> None:
    read_audit.flush(session)
    end_read(session)  # a read begun before would not see what was just written (SQLite)


def _audit_read(
    session: Session, action: str, viewer_id: int, rows: list[TrailRow], flt: TrailFilter,
    **extra: int,
) -> None:
    ids = list(dict.fromkeys(c.id for r in rows for c in r.citizens))
    with transaction(session):
        audit.record(session, actor_kind=ActorKind.staff, actor_id=viewer_id, action=action,
                     object_type="audit_trail", citizen_id=ids[0] if len(ids) == 1 else None,
                     detail={"filter": flt.as_detail(), audit.LIST_KEY: ids, "count": len(ids),
                             **extra})


# --- the query ---------------------------------------------------------------------------------


def _filtered(session: Session, flt: TrailFilter) -> Select[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if flt.staff_id is not None:
        stmt = stmt.where(AuditEntry.actor_kind == ActorKind.staff,
                          AuditEntry.actor_id == flt.staff_id)
    if flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.first is not None:
        stmt = stmt.where(AuditEntry.at >= _day_start(flt.first))
    if flt.last is not None:
        stmt = stmt.where(AuditEntry.at < _day_start(flt.last + timedelta(days=1)))
    if flt.citizen.strip():
        stmt = stmt.where(_about(session, _citizen_ids(session, flt.citizen.strip())))
    return stmt


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone()).astimezone(UTC)


def _citizen_ids(session: Session, text: str) -> list[int]:
    if text.isascii() and text.isdigit():
        return [int(text)] if 1 <= int(text) <= 2**31 - 1 else []
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(session.scalars(
        select(Citizen.id).where(func.lower(Citizen.name).like(pattern, escape="\\"))
        .order_by(Citizen.id).limit(NAME_MATCHES)
    ))


def _about(session: Session, ids: list[int]) -> ColumnElement[bool]:
    """Entries about one of ``ids``: as their citizen, or in their list of citizens."""
    if not ids:
        return false()
    if session.get_bind().dialect.name == "postgresql":
        items = func.json_array_elements_text(AuditEntry.detail[audit.LIST_KEY]).table_valued(
            "value")
        listed = exists(select(1).select_from(items).where(
            items.c.value.in_([str(i) for i in ids])))
    else:
        items = func.json_each(AuditEntry.detail, f"$.{audit.LIST_KEY}").table_valued("value")
        listed = exists(select(1).select_from(items).where(
            cast(items.c.value, Integer).in_(ids)))
    return or_(AuditEntry.citizen_id.in_(ids), AuditEntry.citizen_id.is_(None) & listed)


# --- names -------------------------------------------------------------------------------------


def _listed(entry: AuditEntry) -> list[int]:
    ids: list[int] = []
    if entry.citizen_id is not None:
        ids.append(entry.citizen_id)
    raw = (entry.detail or {}).get(audit.LIST_KEY) if isinstance(entry.detail, dict) else None
    if isinstance(raw, list):
        ids.extend(i for i in raw if isinstance(i, int) and i not in ids)
    return ids


def named_rows(session: Session, entries: Sequence[AuditEntry]) -> list[TrailRow]:
    """The entries with the names of their actors and (the first few) citizens."""
    staff_ids = {e.actor_id for e in entries if e.actor_kind == ActorKind.staff and e.actor_id}
    listed = {e.id: _listed(e) for e in entries}
    citizen_ids = {e.actor_id for e in entries if e.actor_kind == ActorKind.citizen and e.actor_id}
    for ids in listed.values():
        citizen_ids.update(ids[:NAMES_SHOWN])
    client_ids = {e.actor_id for e in entries
                  if e.actor_kind == ActorKind.api_client and e.actor_id}
    citizens = _names(session, Citizen.id, Citizen.name, citizen_ids)
    actors = {
        ActorKind.staff: _names(session, StaffUser.id, StaffUser.full_name, staff_ids),
        ActorKind.citizen: citizens,
        ActorKind.api_client: _names(session, ApiClient.id, ApiClient.name, client_ids),
    }
    rows = []
    for e in entries:
        names = actors.get(e.actor_kind, {})
        actor = names.get(e.actor_id, "") if e.actor_id is not None else ""
        ids = listed[e.id]
        rows.append(TrailRow(
            id=e.id, at=e.at, actor_kind=e.actor_kind, actor_id=e.actor_id, actor_name=actor,
            action=e.action,
            citizens=[CitizenName(i, citizens.get(i, "")) for i in ids[:NAMES_SHOWN]],
            citizen_count=len(ids), object_type=e.object_type, object_id=e.object_id,
            detail=e.detail,
        ))
    return rows


def _names(
    session: Session, key: Any, name: Any, ids: set[int]
) -> dict[int, str]:
    found: dict[int, str] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        found.update((i, n) for i, n in session.execute(select(key, name).where(key.in_(part))))
    return found
