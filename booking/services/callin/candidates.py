"""Who may be called in to a group session on a given day, in the order they are invited.

A candidate is a citizen who can come in person and either

* has an open conversation the job centre must hold (earliest ≤ the session day), or
* is in a resource programme without a conversation in the last 2 months (the local
  indicator "samtale inden for de seneste 2 måneder", months taken from the rule set),

and is not already called in to a session that is still open, nor has a booked conversation.

Order: resource-programme citizens first, then the earliest deadline, then the *lowest* show
probability — the citizens with unstable attendance, for whom the group call-in is meant (seed
001), are called in early enough that a no-show can still be called in again before the
deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ... import rules
from ...models import (
    Citizen,
    GroupSession,
    HeldConversation,
    Invitation,
    InvitationState,
    Obligation,
    ObligationState,
    Programme,
    SessionState,
)
from ...rules.dates import add_months, months_before
from ..obligations import BOOKABLE_KINDS
from .settings import CallinSettings

RESOURCE = rules.TargetGroup.RESOURCE_PROGRAMME.value
LIVE_STATES = (InvitationState.invited, InvitationState.arrived, InvitationState.in_progress)


@dataclass
class Candidate:
    citizen: Citizen
    target_group: str
    obligation: Obligation | None
    deadline: date
    last_conversation: date | None
    reason: str  # "due" (an open conversation) or "indicator" (none in the last 2 months)

    @property
    def show_probability(self) -> float:
        return self.citizen.show_probability

    @property
    def resource_programme(self) -> bool:
        return self.target_group == RESOURCE

    def sort_key(self) -> tuple[int, date, float, int]:
        return (
            0 if self.resource_programme else 1,
            self.deadline,
            self.show_probability,
            self.citizen.id,
        )


def indicator_months(code: str, settings: CallinSettings) -> int:
    """The indicator's months from the programme's rule set, else the configured default."""
    try:
        group = rules.load_rule_set(code).group(RESOURCE)
    except (KeyError, rules.RuleSetError):
        return settings.indicator_months
    return group.indicator.months if group.indicator else settings.indicator_months


def busy_citizen_ids(session: Session, *, exclude_session_id: int | None = None) -> set[int]:
    """Citizens already called in to a session that is not closed."""
    stmt = (
        select(Invitation.citizen_id)
        .join(GroupSession, GroupSession.id == Invitation.session_id)
        .where(GroupSession.state != SessionState.closed, Invitation.state.in_(LIVE_STATES))
    )
    if exclude_session_id is not None:
        stmt = stmt.where(GroupSession.id != exclude_session_id)
    return set(session.scalars(stmt))


def find_candidates(
    session: Session,
    day: date,
    settings: CallinSettings,
    *,
    unit_id: int | None = None,
    group_session_id: int | None = None,
) -> list[Candidate]:
    """Candidates for a session on ``day`` (local date), in invitation order."""
    excluded = busy_citizen_ids(session)
    if group_session_id is not None:
        excluded |= set(
            session.scalars(
                select(Invitation.citizen_id).where(Invitation.session_id == group_session_id)
            )
        )
    excluded |= set(
        session.scalars(
            select(Obligation.citizen_id).where(Obligation.state == ObligationState.booked)
        )
    )
    last_held = dict(
        session.execute(
            select(HeldConversation.citizen_id, func.max(HeldConversation.held_on)).group_by(
                HeldConversation.citizen_id
            )
        ).all()
    )
    found: dict[int, Candidate] = {}
    stmt = (
        select(Obligation, Programme.target_group)
        .join(Programme, Programme.id == Obligation.programme_id)
        .options(joinedload(Obligation.citizen))
        .where(
            Obligation.state == ObligationState.open,
            Obligation.kind.in_(BOOKABLE_KINDS),
            Obligation.holder == "jobcentre",
            Obligation.earliest <= day,
        )
        .order_by(Obligation.deadline, Obligation.id)
    )
    for ob, group in session.execute(stmt):
        citizen = ob.citizen
        if citizen.id in excluded or citizen.id in found or not _in_person(citizen, ob):
            continue
        if unit_id is not None and citizen.unit_id != unit_id:
            continue
        found[citizen.id] = Candidate(
            citizen, group, ob, ob.deadline, last_held.get(citizen.id), "due"
        )
    _add_indicator_candidates(session, day, settings, unit_id, excluded, last_held, found)
    return sorted(found.values(), key=Candidate.sort_key)


def _add_indicator_candidates(
    session: Session,
    day: date,
    settings: CallinSettings,
    unit_id: int | None,
    excluded: set[int],
    last_held: dict[int, date],
    found: dict[int, Candidate],
) -> None:
    stmt = (
        select(Programme)
        .options(joinedload(Programme.citizen))
        .where(
            Programme.target_group == RESOURCE,
            Programme.start_date <= day,
            (Programme.end_date.is_(None)) | (Programme.end_date >= day),
        )
    )
    for programme in session.scalars(stmt):
        citizen = programme.citizen
        if citizen.id in excluded or citizen.id in found or not _in_person(citizen, None):
            continue
        if unit_id is not None and citizen.unit_id != unit_id:
            continue
        months = indicator_months(programme.rule_set_code, settings)
        last = last_held.get(citizen.id)
        if last is not None and last >= months_before(day, months):
            continue
        lapsed = indicator_lapse(programme, last, settings)
        found[citizen.id] = Candidate(citizen, RESOURCE, None, lapsed, last, "indicator")


def indicator_lapse(programme: Programme, last: date | None, settings: CallinSettings) -> date:
    """The day a resource programme's citizen falls out of the indicator ("a conversation
    within the last N months"): N months after the last conversation (or the start)."""
    months = indicator_months(programme.rule_set_code, settings)
    return add_months(max(last or programme.start_date, programme.start_date), months)


def indicator_deadline(
    session: Session, citizen_id: int, day: date, settings: CallinSettings
) -> date | None:
    """:func:`indicator_lapse` of the citizen's resource programme running on ``day`` (None:
    none runs)."""
    programme = session.scalar(
        select(Programme)
        .where(
            Programme.citizen_id == citizen_id,
            Programme.target_group == RESOURCE,
            Programme.start_date <= day,
            (Programme.end_date.is_(None)) | (Programme.end_date >= day),
        )
        .order_by(Programme.start_date.desc(), Programme.id.desc())
        .limit(1)
    )
    if programme is None:
        return None
    last = session.scalar(
        select(func.max(HeldConversation.held_on)).where(
            HeldConversation.citizen_id == citizen_id, HeldConversation.held_on <= day
        )
    )
    return indicator_lapse(programme, last, settings)


def _in_person(citizen: Citizen, obligation: Obligation | None) -> bool:
    if citizen.channels is not None and "in_person" not in citizen.channels:
        return False
    return obligation is None or "in_person" in obligation.channels
