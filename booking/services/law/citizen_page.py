"""The staff's page about one citizen: programmes with pauses, obligations with both deadlines
and the rule behind each, exemptions, bookings, attendance and letters sent.

One call reads it all and writes one audit entry (``citizen_viewed``) in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ... import rules
from ...database import transaction
from ...models import (
    ActorKind,
    Booking,
    BookingState,
    Citizen,
    GroupSession,
    HeldConversation,
    Invitation,
    InvitationState,
    Obligation,
    ObligationExemption,
    ObligationState,
    OutboxMessage,
    Programme,
    ProgrammePause,
    Slot,
)
from .. import audit
from ..errors import NotFound
from ..obligations import (
    HORIZON_DAYS,
    computed_for,
    held_for,
    live_obligation_ids,
    requirement_of,
)
from .context import LawConfig, LawContext, law_context

LETTERS_SHOWN = 50


@dataclass(frozen=True)
class ObligationView:
    row: Obligation
    requirement: rules.Requirement | None  # the rule of the set that made it
    computed: bool  # the engine still computes it (else: kept because it is booked)
    exemption: ObligationExemption | None  # the live one
    exemptable: bool  # under the 75 % rule, open, not booked
    booked_at: datetime | None

    @property
    def orphaned(self) -> bool:
        return not self.computed

    @property
    def verified(self) -> bool | None:
        return None if self.requirement is None else self.requirement.verified

    @property
    def source(self) -> str:
        if self.requirement is None:
            return ""
        return self.requirement.source or self.requirement.basis


@dataclass(frozen=True)
class ProgrammeView:
    programme: Programme
    pauses: list[ProgrammePause]
    obligations: list[ObligationView]
    running: bool

    @property
    def open_pause(self) -> ProgrammePause | None:
        return next((p for p in self.pauses if p.end_date is None), None)


@dataclass(frozen=True)
class NoShow:
    at: datetime
    what: str  # "booking" or "callin"


@dataclass(frozen=True)
class CitizenPage:
    citizen: Citizen
    today: date
    programmes: list[ProgrammeView] = field(default_factory=list)
    exemptions: list[ObligationExemption] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    held: list[HeldConversation] = field(default_factory=list)
    no_shows: list[NoShow] = field(default_factory=list)
    letters: list[OutboxMessage] = field(default_factory=list)

    @property
    def current(self) -> ProgrammeView | None:
        running = [p for p in self.programmes if p.running]
        return running[-1] if running else None


def _computed(programme: Programme, citizen: Citizen, held: list[rules.HeldConversation],
              until: date, context: LawContext) -> set[str]:
    try:
        return {o.key for o in computed_for(programme, citizen, held, until, context)}
    except (rules.RuleSetError, ValueError):
        return set()


def _booked_at(session: Session, citizen_id: int) -> dict[int, datetime]:
    found: dict[int, datetime] = {}
    for ob_id, at in session.execute(
        select(Booking.obligation_id, Slot.starts_at).join(Slot, Slot.id == Booking.slot_id)
        .where(Booking.citizen_id == citizen_id, Booking.state == BookingState.booked)
    ):
        if ob_id is not None:
            found[ob_id] = at
    return found


def _programmes(session: Session, citizen: Citizen, today: date,
                context: LawContext) -> list[ProgrammeView]:
    held = held_for(citizen)
    until = today + timedelta(days=HORIZON_DAYS)
    rows = list(session.scalars(
        select(Obligation).where(Obligation.citizen_id == citizen.id)
        .order_by(Obligation.deadline, Obligation.id)
    ))
    exemptions = {
        (e.programme_id, e.step_key): e
        for e in session.scalars(select(ObligationExemption).where(
            ObligationExemption.citizen_id == citizen.id,
            ObligationExemption.revoked_at.is_(None)))
    }
    live = live_obligation_ids(session, [citizen.id])
    booked = _booked_at(session, citizen.id)
    views = []
    for programme in citizen.programmes:
        computed = _computed(programme, citizen, held, until, context)
        obligations = []
        for row in (r for r in rows if r.programme_id == programme.id):
            exemption = exemptions.get((programme.id, row.step_key))
            requirement = requirement_of(row.rule_set_code, programme.target_group,
                                         row.step_key)
            exemptable = (
                exemption is None
                and row.state == ObligationState.open
                and row.id not in live
                and requirement is not None
                and requirement.min_share is not None
            )
            obligations.append(ObligationView(row, requirement, row.step_key in computed,
                                              exemption, exemptable, booked.get(row.id)))
        running = programme.start_date <= today and (
            programme.end_date is None or programme.end_date >= today)
        views.append(ProgrammeView(programme, list(programme.pauses), obligations, running))
    return views


def _no_shows(session: Session, citizen_id: int) -> list[NoShow]:
    found = [
        NoShow(at, "booking")
        for at in session.scalars(
            select(Slot.starts_at).join(Booking, Booking.slot_id == Slot.id)
            .where(Booking.citizen_id == citizen_id, Booking.state == BookingState.no_show))
    ] + [
        NoShow(at, "callin")
        for at in session.scalars(
            select(GroupSession.starts_at).join(Invitation, Invitation.session_id ==
                                                GroupSession.id)
            .where(Invitation.citizen_id == citizen_id,
                   Invitation.state == InvitationState.no_show))
    ]
    return sorted(found, key=lambda n: n.at, reverse=True)


def citizen_page(
    session: Session,
    citizen_id: int,
    *,
    viewer_id: int | None,
    today: date,
    config: LawConfig | None = None,
) -> CitizenPage:
    """Everything the page shows about the citizen; the view is audited (committed).
    :class:`NotFound` when there is no such citizen."""
    with transaction(session):
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            raise NotFound("citizen")
        context = law_context(session, config, around=today)
        page = CitizenPage(
            citizen=citizen,
            today=today,
            programmes=_programmes(session, citizen, today, context),
            exemptions=list(session.scalars(
                select(ObligationExemption).where(ObligationExemption.citizen_id == citizen.id)
                .order_by(ObligationExemption.created_at.desc(), ObligationExemption.id.desc())
            )),
            bookings=list(session.scalars(
                select(Booking).options(joinedload(Booking.slot).joinedload(Slot.caseworker),
                                        joinedload(Booking.obligation))
                .join(Slot, Slot.id == Booking.slot_id)
                .where(Booking.citizen_id == citizen.id)
                .order_by(Slot.starts_at.desc(), Booking.id.desc())
            ).unique()),
            held=sorted(citizen.conversations, key=lambda h: (h.held_on, h.id), reverse=True),
            no_shows=_no_shows(session, citizen.id),
            letters=list(session.scalars(
                select(OutboxMessage).where(OutboxMessage.citizen_id == citizen.id)
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
                .limit(LETTERS_SHOWN)
            )),
        )
        audit.record(
            session, actor_kind=ActorKind.staff, actor_id=viewer_id, action="citizen_viewed",
            citizen_id=citizen.id, object_type="citizen", object_id=citizen.id,
        )
    return page
