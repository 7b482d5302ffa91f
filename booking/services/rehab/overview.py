"""The planner's day-to-day view: meetings, material due dates, alerts, cases at risk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...models import MaterialState, RehabCase, RehabCaseState, RehabMeeting
from .notes import PlanNote, decode
from .schedule import material_due


@dataclass
class MeetingLine:
    meeting: RehabMeeting
    assigned: int
    material_due: date

    @property
    def free(self) -> int:
        return max(0, self.meeting.capacity - self.assigned)


def upcoming_meetings(
    session: Session, today: date, lead_days: int, closed: dict[date, str], *, weeks: int = 10
) -> list[MeetingLine]:
    counts = dict(
        session.execute(
            select(RehabCase.meeting_id, func.count(RehabCase.id))
            .where(RehabCase.meeting_id.is_not(None))
            .group_by(RehabCase.meeting_id)
        ).all()
    )
    meetings = session.scalars(
        select(RehabMeeting)
        .where(RehabMeeting.date >= today, RehabMeeting.date < today + timedelta(weeks=weeks))
        .order_by(RehabMeeting.date)
    )
    return [
        MeetingLine(m, counts.get(m.id, 0), material_due(m.date, lead_days, closed))
        for m in meetings
    ]


@dataclass
class CaseLine:
    case: RehabCase
    material_due: date | None
    late: bool
    at_risk: bool
    note: PlanNote | None = None  # the latest plan's verdict, when not on time
    deadline_passed: bool = False  # the presentation deadline lies before today
    material_overdue: bool = False  # the material is still in preparation after its due date
    options: list[MeetingLine] = field(default_factory=list)  # meetings "Flyt" may offer

    @property
    def unplanned(self) -> bool:
        return self.case.meeting_id is None


def move_options(
    line: CaseLine, meetings: list[MeetingLine], today: date
) -> list[MeetingLine]:
    """The upcoming meetings the case can be moved to: a free place (or its own meeting) and,
    unless the material is already at the region, a material due date the case can still
    make (on or after the later of today and the day the case is ready)."""
    case = line.case
    ready = max(case.ready_date, today)
    sent = case.material_state == MaterialState.sent
    return [
        m
        for m in meetings
        if (m.free > 0 or m.meeting.id == case.meeting_id)
        and (sent or m.material_due >= ready)
    ]


def case_lines(
    session: Session, today: date, lead_days: int, closed: dict[date, str]
) -> list[CaseLine]:
    """Cases not yet presented, with their proposed meeting and whether they are at risk."""
    cases = session.scalars(
        select(RehabCase)
        .options(joinedload(RehabCase.meeting), joinedload(RehabCase.citizen))
        .where(
            RehabCase.state.in_(
                [RehabCaseState.open, RehabCaseState.assigned, RehabCaseState.forecast]
            )
        )
        .order_by(RehabCase.deadline, RehabCase.id)
    )
    lines = []
    for case in cases:
        due = material_due(case.meeting.date, lead_days, closed) if case.meeting else None
        late = case.meeting is None or case.meeting.date > case.deadline
        missed_material = (
            due is not None and due < today and case.material_state == MaterialState.preparing
        )
        lines.append(
            CaseLine(
                case,
                due,
                late,
                late or missed_material,
                decode(case.plan_note),
                deadline_passed=case.deadline < today,
                material_overdue=missed_material,
            )
        )
    return lines


def material_alerts(lines: list[CaseLine], today: date, alert_days: int) -> list[CaseLine]:
    """Assigned cases whose material is still in preparation and due within ``alert_days``,
    soonest first."""
    due = [
        line
        for line in lines
        if line.material_due is not None
        and line.case.material_state == MaterialState.preparing
        and line.material_due <= today + timedelta(days=alert_days)
    ]
    return sorted(due, key=lambda line: (line.material_due, line.case.id))
