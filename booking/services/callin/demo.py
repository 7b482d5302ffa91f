"""A group session planned for the demo's today, with its invitations sent, so the whole cycle
(desk, caseworker queue, no-shows, phone list) can be tried at once.

The demo's story has the letters sent earlier and its today a working day, whatever day the
demo is built on: the session is planned and invited with ``calendar_rules=False`` (no
working-day or notice check). Sessions planned in the app keep both rules."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import Caseworker, Role, StaffUser, Unit
from .sessions import SessionPlan, invite, plan_session, preview
from .settings import CallinSettings

DEMO_UNIT = "RJ"  # Center for Ressourceforløb og Jobafklaring
DEMO_PLACE = "Jobcentret, fælles indkald, mødelokale 2"


def add_demo_session(
    session: Session, today: date, settings: CallinSettings, municipality: str, sender: str
) -> int:
    """Plan 09:00–13:00 today (the demo caseworker plus two from the resource-programme
    unit, 30 minutes a conversation) and invite the computed number, in one transaction
    (joins the caller's when there is one). Returns how many were invited."""
    with transaction(session):
        unit = session.scalar(select(Unit).where(Unit.code == DEMO_UNIT))
        staff = session.scalar(select(StaffUser).where(StaffUser.role == Role.callin))
        if unit is None:
            return 0
        pool = list(
            session.scalars(
                select(Caseworker).where(Caseworker.unit_id == unit.id).order_by(Caseworker.id)
            )
        )[:2]
        own = session.scalar(
            select(Caseworker)
            .join(StaffUser, StaffUser.id == Caseworker.staff_user_id)
            .where(StaffUser.username == "sagsbehandler")
        )
        ids = tuple(cw.id for cw in ([own] if own else []) + pool)
        gs = plan_session(
            session,
            SessionPlan(
                today, time(9), time(13), DEMO_PLACE, 30, ids, unit.id, settings.overflow_risk
            ),
            settings,
            staff_id=staff.id if staff else None,
            today=today,
            optional_closed=(),
            calendar_rules=False,
        ).group_session
        count = preview(session, gs, settings).sizing.count
        if count == 0:
            return 0
        made = invite(
            session,
            gs.id,
            count,
            settings,
            staff_id=gs.created_by_staff_id,
            municipality=municipality,
            sender=sender,
            today=today,
            optional_closed=(),
            calendar_rules=False,
        )
        return len(made)
