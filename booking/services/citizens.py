"""Finding citizens; every look-up of a person is written to the audit trail.

Each function here is a unit of work of its own: the audit entry is committed with the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..database import transaction
from ..models import ActorKind, Citizen, Obligation
from . import audit
from .cpr_keys import CprKeys, find_citizen
from .errors import NotFound
from .obligations import open_obligations
from .security import parse_cpr


def find_by_cpr(
    session: Session, raw_cpr: str, key: str, *, viewer_id: int, previous_key: str = ""
) -> Citizen | None:
    """Validate the number (:class:`~.security.CprError` if invalid), look it up by its keyed
    hash and record the look-up, found or not (committed). During a key rotation
    (``previous_key``) a row found by the previous key is re-hashed to ``key``."""
    parse_cpr(raw_cpr, key)
    with transaction(session):
        citizen = find_citizen(session, raw_cpr, CprKeys(key, previous_key)).citizen
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=viewer_id,
            action="citizen_lookup" if citizen else "citizen_lookup_miss",
            citizen_id=citizen.id if citizen else None,
        )
    return citizen


@dataclass(frozen=True)
class CitizenObligations:
    citizen: Citizen
    obligations: list[Obligation]


def obligations_for_staff(
    session: Session, citizen_id: int, *, viewer_id: int
) -> CitizenObligations:
    """A citizen's open obligations as a staff member sees them; the view is audited
    (``api_obligations_viewed``, committed). :class:`NotFound` when there is no such citizen."""
    with transaction(session):
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            raise NotFound("citizen")
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=viewer_id,
            action="api_obligations_viewed",
            citizen_id=citizen.id,
        )
        obligations = open_obligations(session, citizen.id)
    return CitizenObligations(citizen, obligations)
