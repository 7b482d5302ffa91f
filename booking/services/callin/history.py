"""Attendance at a group session feeds the citizen's record.

Arrival or no-show updates ``attended_count`` / ``missed_count`` and re-estimates the show
probability (Beta prior, :func:`booking.services.attendance.estimate_show_probability`); a
finished conversation becomes a :class:`HeldConversation` and fulfils the obligation through
:func:`booking.services.obligations.refresh_citizen`.

Every function here changes objects or adds rows and runs in the caller's transaction; none
commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from ...models import (
    ActorKind,
    Channel,
    Citizen,
    HeldConversation,
    HeldKind,
    Holder,
    Obligation,
    ObligationState,
)
from .. import audit
from ..attendance import estimate_show_probability
from ..law.context import LawConfig
from ..obligations import refresh_citizen
from .settings import CallinSettings


def target_group(citizen: Citizen) -> str | None:
    """The citizen's current programme's target group (latest start)."""
    return citizen.programmes[-1].target_group if citizen.programmes else None


def reestimate(citizen: Citizen, settings: CallinSettings) -> float:
    citizen.show_probability = round(
        estimate_show_probability(
            citizen.attended_count,
            citizen.missed_count,
            settings.prior_for(target_group(citizen)),
            settings.prior_strength,
        ),
        4,
    )
    return citizen.show_probability


def register_attended(citizen: Citizen, settings: CallinSettings) -> float:
    citizen.attended_count += 1
    return reestimate(citizen, settings)


def register_missed(citizen: Citizen, settings: CallinSettings) -> float:
    citizen.missed_count += 1
    return reestimate(citizen, settings)


def hold_conversation(
    session: Session, citizen: Citizen, day: date, *, law: LawConfig | None = None
) -> HeldConversation:
    """Record an in-person conversation held by the job centre on ``day`` and refresh the
    obligations under ``law`` (the app's ``[rules]``; None: each programme under the set its
    record names). Runs in the caller's transaction."""
    held = HeldConversation(
        citizen_id=citizen.id,
        held_on=day,
        kind=HeldKind.conversation,
        holder=Holder.jobcentre,
        channel=Channel.in_person,
    )
    session.add(held)
    session.flush()
    session.refresh(citizen, ["conversations"])
    refresh_citizen(session, citizen, day, law=law)
    return held


def mark_booked(obligation: Obligation | None) -> None:
    if obligation is not None and obligation.state == ObligationState.open:
        obligation.state = ObligationState.booked


def release(obligation: Obligation | None) -> None:
    """The invitation no longer covers the obligation: it is open again for booking."""
    if obligation is not None and obligation.state == ObligationState.booked:
        obligation.state = ObligationState.open


def record_seen(
    session: Session,
    staff_id: int | None,
    action: str,
    citizen_ids: Iterable[int],
    *,
    object_type: str,
    object_id: int | None,
) -> None:
    """Audit a view: one entry for the whole list (who saw which citizens, where), the ids in
    its ``detail`` (:func:`~booking.services.audit.record_list`): a list of 70 citizens is one
    row, not 70. Runs in the caller's transaction."""
    audit.record_list(
        session,
        actor_kind=ActorKind.staff,
        actor_id=staff_id,
        action=action,
        citizen_ids=citizen_ids,
        object_type=object_type,
        object_id=object_id,
    )
