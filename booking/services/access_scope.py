"""Which citizens a staff member reads, why they read the others, and how fast they may read.

**Scope by role** (who reads a citizen's page without giving a reason), as a Danish job centre
works:

- *caseworker* (sagsbehandler): the citizens of their own unit — their ``StaffUser.unit_id``
  and the unit of their ``Caseworker`` row. The unit, not only the own caseload: colleagues in
  a unit cover for each other (absence, the check-in desk, the phone).
- *callin* (indkaldelse) attached to a unit (``StaffUser.unit_id``): that unit; without a unit
  they are the central call-in, which books and calls in for every unit: every citizen.
- *planner* and *manager*: with a unit, that unit (a unit's own planner or team leader);
  without one (the job centre's planning office and management): every citizen.
- *admin*: none. Administrators keep accounts and read the audit trail; opening a citizen is
  support work and always needs a stated purpose.

Any other citizen needs a **purpose** ("Formål"): :func:`state_purpose` writes it to the audit
trail (``citizen_purpose_stated``, the text in ``detail``) and the web session keeps it for
``[security] citizen_purpose_minutes`` for that one citizen. :func:`check_citizen` says whether
a page about one citizen may be shown.

**Read rate**: every page about citizens that a staff member opens is one hit on a moving hour
(:class:`ReadMeter`, in the rate-limit storage: Redis when configured, so every web process
counts together). Past ``[security] citizen_reads_per_hour`` the page is refused
(:class:`ReadsBlocked`) and the refusal is audited (``citizen_reads_blocked``), which the
administrator's page lists (:func:`blocked_readers`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from limits import RateLimitItemPerHour
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..database import transaction
from ..models import (
    ActorKind,
    AuditEntry,
    Caseworker,
    Citizen,
    GroupSession,
    Obligation,
    Role,
    StaffUser,
)
from ..principal import StaffPrincipal
from . import audit
from .citizens import find_by_cpr
from .errors import NotFound, ServiceError

PURPOSE_MIN = 10  # characters: "Borgeren ringede" is a purpose, "ok" is not
PURPOSE_MAX = 300
PURPOSE_STATED = "citizen_purpose_stated"
READS_BLOCKED = "citizen_reads_blocked"
EVERY_UNIT = None


class PurposeRequired(ServiceError):
    """The citizen is outside the viewer's units and no purpose is stated for them."""

    def __init__(self) -> None:
        super().__init__("purpose_required")


class OtherUnit(ServiceError):
    """``other_unit``: a group call-in session of a unit outside the viewer's units."""

    def __init__(self) -> None:
        super().__init__("other_unit")


class ReadsBlocked(ServiceError):
    """``reads_blocked``: more pages about citizens in the last hour than ``per_hour``."""

    def __init__(self, per_hour: int) -> None:
        super().__init__("reads_blocked", per_hour=per_hour)


# --- scope -----------------------------------------------------------------------------------


def reading_units(session: Session, viewer: StaffPrincipal) -> frozenset[int] | None:
    """The units whose citizens ``viewer`` reads without a purpose; None: every unit (see the
    module docstring). Reads only."""
    if viewer.role == Role.admin:
        return frozenset()
    units = {viewer.unit_id} if viewer.unit_id is not None else set()
    if viewer.role == Role.caseworker:
        if viewer.caseworker_id is not None:
            own = session.get(Caseworker, viewer.caseworker_id)
            if own is not None:
                units.add(own.unit_id)
        return frozenset(units)
    return frozenset(units) if units else EVERY_UNIT


def in_scope(session: Session, viewer: StaffPrincipal, citizen: Citizen) -> bool:
    units = reading_units(session, viewer)
    return units is EVERY_UNIT or citizen.unit_id in units


def check_citizen(
    session: Session, viewer: StaffPrincipal, citizen_id: int, *, purpose_stated: bool
) -> None:
    """May ``viewer`` see a page about the citizen? :class:`NotFound` for no such citizen,
    :class:`PurposeRequired` for one outside their units without a stated purpose. Reads only
    (the page itself audits the view)."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound("citizen")
    if not purpose_stated and not in_scope(session, viewer, citizen):
        raise PurposeRequired()


@dataclass(frozen=True)
class Found:
    """A citizen found (by CPR number or obligation), and whether they are in the viewer's units."""

    citizen: Citizen
    in_scope: bool


def obligation_citizen(session: Session, viewer: StaffPrincipal, obligation_id: int) -> Found:
    """The citizen of an obligation (the central booking page shows them) and whether they are
    in ``viewer``'s units; :class:`NotFound` for no such obligation. Reads only."""
    obligation = session.get(Obligation, obligation_id)
    if obligation is None:
        raise NotFound("obligation")
    return Found(obligation.citizen, in_scope(session, viewer, obligation.citizen))


def check_group_session(session: Session, viewer: StaffPrincipal, session_id: int) -> None:
    """May ``viewer`` open a group call-in session (its invitees and desk)? Every unit's
    reader: any session; a reader of some units: the sessions of those units
    (:class:`OtherUnit` for another's: a session shows many citizens, so no purpose opens
    it). :class:`NotFound` for no such session. Reads only."""
    group = session.get(GroupSession, session_id)
    if group is None:
        raise NotFound("group_session")
    units = reading_units(session, viewer)
    if units is not EVERY_UNIT and group.unit_id not in units:
        raise OtherUnit()


def find_for_viewer(
    session: Session, viewer: StaffPrincipal, raw_cpr: str, key: str, *, previous_key: str = ""
) -> Found | None:
    """:func:`~.citizens.find_by_cpr` (validated, audited, committed) for ``viewer``; the search
    page shows a citizen outside their units only by unit until a purpose is stated."""
    citizen = find_by_cpr(
        session, raw_cpr, key, viewer_id=viewer.staff_id, previous_key=previous_key
    )
    if citizen is None:
        return None
    return Found(citizen, in_scope(session, viewer, citizen))


def clean_purpose(raw: str) -> str:
    """The purpose as stored: whitespace folded; ``purpose_too_short``/``purpose_too_long``."""
    text = " ".join(raw.split())
    if len(text) < PURPOSE_MIN:
        raise ServiceError("purpose_too_short", least=PURPOSE_MIN)
    if len(text) > PURPOSE_MAX:
        raise ServiceError("purpose_too_long", most=PURPOSE_MAX)
    return text


def state_purpose(session: Session, viewer_id: int, citizen_id: int, raw: str) -> str:
    """Record why ``viewer_id`` opens the citizen (audit ``citizen_purpose_stated`` with the
    purpose in ``detail``; committed) and return the purpose as stored. :class:`NotFound` for
    no such citizen; ``purpose_too_short``/``purpose_too_long`` for an unusable text."""
    purpose = clean_purpose(raw)
    with transaction(session):
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            raise NotFound("citizen")
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=viewer_id,
            action=PURPOSE_STATED,
            citizen_id=citizen.id,
            object_type="citizen",
            object_id=citizen.id,
            detail={"purpose": purpose, "unit_id": citizen.unit_id},
        )
    return purpose


# --- read rate -------------------------------------------------------------------------------


log = logging.getLogger(__name__)


class ReadMeter:
    """Pages about citizens per staff member in a moving hour, in a ``limits`` storage (the
    rate-limit storage: ``memory://`` counts per process, Redis across processes)."""

    NAMESPACE = "citizen-reads"

    def __init__(self, storage: Storage, prefix: str = "") -> None:
        """``prefix``: the rate limits' key prefix (Flask-Limiter's ``RATELIMIT_KEY_PREFIX``),
        so apps sharing one Redis keep their counts apart when they should."""
        self._limiter = MovingWindowRateLimiter(storage)
        # while the storage (Redis) cannot be reached, count in this process, as Flask-Limiter
        # does for the log-in limits (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED)
        self._fallback = MovingWindowRateLimiter(MemoryStorage())
        self._namespace = f"{prefix}/{self.NAMESPACE}" if prefix else self.NAMESPACE

    def hit(self, staff_id: int, per_hour: int) -> bool:
        """Count one read; False when it is one more than ``per_hour`` (then not counted)."""
        item = RateLimitItemPerHour(per_hour)
        try:
            return self._limiter.hit(item, self._namespace, str(staff_id))
        except (RedisError, StorageError, OSError) as exc:
            log.warning("citizen read counter unavailable (%s); counting in this process",
                        type(exc).__name__)
            return self._fallback.hit(item, self._namespace, str(staff_id))

    def remaining(self, staff_id: int, per_hour: int) -> int:
        stats = self._limiter.get_window_stats(
            RateLimitItemPerHour(per_hour), self._namespace, str(staff_id)
        )
        return int(stats.remaining)

    def clear(self, staff_id: int, per_hour: int) -> None:
        self._limiter.clear(RateLimitItemPerHour(per_hour), self._namespace, str(staff_id))


def note_read(
    session: Session, meter: ReadMeter, staff_id: int, *, per_hour: int, page: str
) -> None:
    """Count a page about citizens that ``staff_id`` opens (``page``: which one). Past
    ``per_hour`` in the last hour the refusal is audited (``citizen_reads_blocked``,
    committed) and :class:`ReadsBlocked` raised."""
    if meter.hit(staff_id, per_hour):
        return
    with transaction(session):
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=staff_id,
            action=READS_BLOCKED,
            object_type="page",
            detail={"per_hour": per_hour, "page": page[:64]},
        )
    raise ReadsBlocked(per_hour)


@dataclass(frozen=True)
class BlockedReader:
    staff_id: int
    username: str
    full_name: str
    role: Role
    first_at: datetime
    last_at: datetime
    refusals: int  # pages refused in the period
    per_hour: int  # the limit in force at the latest refusal


def blocked_readers(session: Session, *, since: datetime) -> list[BlockedReader]:
    """Staff refused for reading too many citizens since ``since``, the latest first. Reads
    only."""
    rows = session.execute(
        select(
            AuditEntry.actor_id,
            func.min(AuditEntry.at),
            func.max(AuditEntry.at),
            func.count(AuditEntry.id),
            func.max(AuditEntry.id),
        )
        .where(
            AuditEntry.action == READS_BLOCKED,
            AuditEntry.actor_kind == ActorKind.staff,
            AuditEntry.at >= since,
        )
        .group_by(AuditEntry.actor_id)
    ).all()
    found = []
    for staff_id, first_at, last_at, count, latest_id in rows:
        user = session.get(StaffUser, staff_id) if staff_id is not None else None
        latest = session.get(AuditEntry, latest_id)
        if user is None or latest is None:
            continue
        detail = latest.detail or {}
        found.append(
            BlockedReader(
                staff_id=user.id,
                username=user.username,
                full_name=user.full_name,
                role=user.role,
                first_at=_aware(first_at),
                last_at=_aware(last_at),
                refusals=int(count),
                per_hour=int(detail.get("per_hour", 0)),
            )
        )
    return sorted(found, key=lambda b: b.last_at, reverse=True)


def _aware(value: datetime) -> datetime:
    """An aggregate over the UTC column as an aware UTC instant."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
