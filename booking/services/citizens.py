"""Finding citizens; every look-up of a person is written to the audit trail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ActorKind, Citizen
from . import audit
from .security import parse_cpr


def find_by_cpr(session: Session, raw_cpr: str, key: str, *, viewer_id: int) -> Citizen | None:
    """Validate the number (CprError if invalid) and look it up by its keyed hash."""
    info = parse_cpr(raw_cpr, key)
    citizen = session.scalar(select(Citizen).where(Citizen.cpr_hash == info.digest))
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=viewer_id,
        action="citizen_lookup" if citizen else "citizen_lookup_miss",
        citizen_id=citizen.id if citizen else None,
    )
    return citizen
