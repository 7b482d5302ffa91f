"""Plan a group session, size and send the invitation (one letter with an .ics per invitee).

A session is planned on a working day only, and every letter gives the minimum notice
(:mod:`.calendar`); ``calendar_rules=False`` lifts both for the demo's own session, which is
held on the demo's today (whatever day that is) with letters sent earlier in its story.

:func:`plan_session` and :func:`invite` own their transaction (they commit, or roll back on a
refusal); :func:`lock_session`, :func:`invite_citizen` and :func:`send_letter` run in the
caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, time
from email.utils import parseaddr
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from solver.sizing import Sizing, evaluate, size_invitation

from ...database import transaction
from ...models import (
    ActorKind,
    Caseworker,
    Citizen,
    GroupSession,
    GroupSessionCaseworker,
    Invitation,
    Obligation,
    OutboxChannel,
    SessionState,
)
from .. import audit, letters
from ..calendar_days import local_datetime
from ..clock import zone
from ..errors import NotFound, ServiceError
from ..ics import CalendarEvent, calendar_text
from ..outbox import enqueue
from .calendar import callin_calendar
from .candidates import Candidate, find_candidates
from .errors import CallinError
from .history import mark_booked
from .settings import CallinSettings


@dataclass(frozen=True)
class SessionPlan:
    day: date
    start: time
    end: time
    location: str
    minutes: int
    caseworker_ids: tuple[int, ...]
    unit_id: int | None  # citizens of this unit only; None: all units
    overflow_risk: float  # the [callin] overflow_risk unless the staff member chose another


def window_minutes(gs: GroupSession) -> int:
    return int((gs.ends_at - gs.starts_at).total_seconds() // 60)


def capacity(gs: GroupSession) -> int:
    """Conversations the pool can hold in the window: caseworkers × whole conversations each."""
    return len(gs.pool) * (window_minutes(gs) // gs.minutes_per_conversation)


def session_day(gs: GroupSession) -> date:
    return gs.starts_at.astimezone(zone()).date()


@dataclass(frozen=True)
class PlannedSession:
    """A stored plan."""

    group_session: GroupSession


def plan_session(
    session: Session,
    plan: SessionPlan,
    settings: CallinSettings,
    *,
    staff_id: int | None,
    today: date,
    optional_closed: Sequence[str],
    calendar_rules: bool = True,
) -> PlannedSession:
    """Check the plan and store the session with its pool (state ``planned``); commits.

    Refused (nothing stored): a day in the past; a weekend day, a public holiday (with
    ``optional_closed``, the ``[calendar]`` names) or a closed day of the job centre (the
    reason named); a day a letter sent ``today`` cannot give the minimum notice for; a window,
    place, risk or pool that does not hold."""
    with transaction(session):
        if plan.day < today:
            raise CallinError("day_past")
        if calendar_rules:
            calendar = callin_calendar(session, settings, optional_closed, today)
            calendar.check_day(plan.day)
            calendar.check_notice(plan.day, today)
        gs = _store_plan(session, plan, staff_id=staff_id)
    return PlannedSession(gs)


def _store_plan(session: Session, plan: SessionPlan, *, staff_id: int | None) -> GroupSession:
    """The checks and the insert of :func:`plan_session`; runs in the caller's transaction."""
    if plan.start >= plan.end:
        raise CallinError("window_order")
    if not 5 <= plan.minutes <= 240:
        raise CallinError("minutes_range")
    starts = local_datetime(plan.day, plan.start).astimezone(UTC)
    ends = local_datetime(plan.day, plan.end).astimezone(UTC)
    if (ends - starts).total_seconds() // 60 < plan.minutes:
        raise CallinError("window_short", minutes=plan.minutes)
    location = plan.location.strip()
    if not location:
        raise CallinError("location_missing")
    if not 0 < plan.overflow_risk < 1:
        raise CallinError("risk_range")
    ids = sorted(set(plan.caseworker_ids))
    if not ids:
        raise CallinError("no_pool")
    found = list(
        session.scalars(select(Caseworker).where(Caseworker.id.in_(ids), Caseworker.active))
    )
    if len(found) != len(ids):
        raise CallinError("unknown_caseworker")
    gs = GroupSession(
        unit_id=plan.unit_id,
        starts_at=starts,
        ends_at=ends,
        location=location[:200],
        minutes_per_conversation=plan.minutes,
        overflow_risk=plan.overflow_risk,
        state=SessionState.planned,
        created_by_staff_id=staff_id,
    )
    gs.pool = [GroupSessionCaseworker(caseworker_id=cw.id) for cw in found]
    session.add(gs)
    session.flush()
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=staff_id,
        action="callin_session_planned",
        object_type="group_session",
        object_id=gs.id,
        detail={"pool": ids, "capacity": capacity(gs)},
    )
    return gs


def lock_session(
    session: Session, session_id: int, *, missing: ServiceError | None = None
) -> GroupSession:
    """Lock the session row: every change to a session's invitations is serialised by the
    database (the write transaction's ``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE``
    on PostgreSQL). Raises ``missing`` (default: the code ``no_session``) when there is no
    such session. Runs in the caller's transaction."""
    gs = session.scalar(
        select(GroupSession)
        .where(GroupSession.id == session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if gs is None:
        raise missing or CallinError("no_session")
    return gs


@dataclass
class InvitePreview:
    candidates: list[Candidate]
    sizing: Sizing
    chosen: int  # how many the staff member asked for (the suggestion unless adjusted)
    expected: float
    risk: float


def preview(
    session: Session, gs: GroupSession, settings: CallinSettings, *, count: int | None = None
) -> InvitePreview:
    """Candidates in order, the computed number to invite and the figures for ``count``."""
    candidates = find_candidates(
        session, session_day(gs), settings, unit_id=gs.unit_id, group_session_id=gs.id
    )
    invited = [i.show_probability for i in gs.invitations if i.state.value != "cancelled"]
    probs = [c.show_probability for c in candidates]
    sizing = size_invitation(probs, capacity(gs), gs.overflow_risk, invited=invited)
    chosen = sizing.count if count is None else max(0, min(count, len(candidates)))
    expected, risk = evaluate([*invited, *probs[:chosen]], capacity(gs))
    return InvitePreview(candidates, sizing, chosen, float(expected), float(risk))


def invite(
    session: Session,
    session_id: int,
    count: int,
    settings: CallinSettings,
    *,
    staff_id: int | None,
    municipality: str,
    sender: str,
    today: date,
    optional_closed: Sequence[str],
    calendar_rules: bool = True,
) -> list[Invitation]:
    """Invite the first ``count`` candidates and queue their letters (sent ``today``), in one
    transaction (commits). A session that does not exist is :class:`NotFound`; one the
    letters cannot give the minimum notice for is refused (the code ``notice``). ``sender``:
    the ``[mail] sender`` (the letters' calendar ORGANIZER)."""
    with transaction(session):
        gs = lock_session(session, session_id, missing=NotFound("group_session"))
        if gs.state == SessionState.closed:
            raise CallinError("session_closed")
        if calendar_rules:
            calendar = callin_calendar(session, settings, optional_closed, today)
            calendar.check_notice(session_day(gs), today)
        candidates = find_candidates(
            session, session_day(gs), settings, unit_id=gs.unit_id, group_session_id=gs.id
        )
        if not 1 <= count <= len(candidates):
            raise CallinError("count_range", most=len(candidates))
        return [
            invite_citizen(
                session,
                gs,
                c.citizen,
                c.obligation,
                staff_id=staff_id,
                municipality=municipality,
                sender=sender,
            )
            for c in candidates[:count]
        ]


def invite_citizen(
    session: Session,
    gs: GroupSession,
    citizen: Citizen,
    obligation: Obligation | None,
    *,
    staff_id: int | None,
    municipality: str,
    sender: str,
) -> Invitation:
    """One invitation and its letter. Runs in the caller's transaction (which holds the
    session lock)."""
    invitation = Invitation(
        session=gs,
        citizen_id=citizen.id,
        obligation_id=obligation.id if obligation else None,
        show_probability=citizen.show_probability,
        ical_uid=f"callin-{uuid.uuid4()}@rettidig",
    )
    session.add(invitation)
    mark_booked(obligation)
    session.flush()
    send_letter(session, gs, invitation, citizen, municipality=municipality, sender=sender)
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=staff_id,
        action="callin_invited",
        citizen_id=citizen.id,
        object_type="invitation",
        object_id=invitation.id,
        detail={"session": gs.id},
    )
    return invitation


def send_letter(
    session: Session,
    gs: GroupSession,
    invitation: Invitation,
    citizen: Citizen,
    *,
    municipality: str,
    sender: str,
) -> None:
    """The call-in letter through the outbox: window, place and an .ics (queued once). The
    .ics is a REQUEST from the job centre (ORGANIZER: the address in ``sender``, the
    ``[mail] sender``) to the citizen (ATTENDEE: their e-mail address, else their name; see
    :mod:`booking.services.ics`). Runs in the caller's transaction."""
    locale = letters.language(citizen.language)  # the letter in the citizen's own language
    context: dict[str, Any] = {
        "citizen_name": citizen.name,
        "day": letters.long_day(session_day(gs), locale),
        "t0": letters.clock_time(gs.starts_at, locale),
        "t1": letters.clock_time(gs.ends_at, locale),
        "location": gs.location,
        "minutes": gs.minutes_per_conversation,
        "municipality": municipality,
    }
    letter = letters.render("callin_invitation.txt", locale=locale, **context)
    event = letters.render("callin_calendar.txt", locale=locale, **context)
    organizer_name, organizer = parseaddr(sender)
    ics = calendar_text(
        CalendarEvent(
            uid=invitation.ical_uid,
            sequence=0,
            start=gs.starts_at,
            end=gs.ends_at,
            summary=event.subject,
            location=gs.location,
            description=event.body.strip(),
            organizer_email=organizer or None,
            organizer_name=organizer_name or None,
            attendee_email=citizen.email or None,
            attendee_name=citizen.name,
        ),
        method="REQUEST",
    )
    channel = OutboxChannel.email if citizen.email else OutboxChannel.digital_post
    enqueue(
        session,
        channel=channel,
        recipient=citizen.email or f"citizen:{citizen.id}",
        subject=letter.subject,
        body=letter.body,
        citizen_id=citizen.id,
        ics=ics,
        ics_method="REQUEST",
        dedupe_key=f"callin-letter:{invitation.id}",
    )


def list_sessions(session: Session, *, limit: int = 100) -> list[GroupSession]:
    """Sessions, the latest window first."""
    return list(
        session.scalars(
            select(GroupSession)
            .order_by(GroupSession.starts_at.desc(), GroupSession.id.desc())
            .limit(limit)
        )
    )
