"""The planner's overview of rehabilitation-team meetings and material due dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import RehabCase, RehabCaseState, RehabMeeting


@dataclass
class MeetingLine:
    meeting: RehabMeeting
    assigned: int
    material_due: date

    @property
    def free(self) -> int:
        return max(0, self.meeting.capacity - self.assigned)


def material_due(meeting_date: date, lead_days: int) -> date:
    """The day the meeting material must reach the region (meeting − lead days)."""
    return meeting_date - timedelta(days=lead_days)


def upcoming_meetings(session: Session, today: date, lead_days: int) -> list[MeetingLine]:
    counts = dict(
        session.execute(
            select(RehabCase.meeting_id, func.count(RehabCase.id))
            .where(RehabCase.meeting_id.is_not(None))
            .group_by(RehabCase.meeting_id)
        ).all()
    )
    meetings = session.scalars(
        select(RehabMeeting).where(RehabMeeting.date >= today).order_by(RehabMeeting.date)
    )
    return [MeetingLine(m, counts.get(m.id, 0), material_due(m.date, lead_days)) for m in meetings]


def waiting_cases(session: Session) -> list[RehabCase]:
    return list(
        session.scalars(
            select(RehabCase)
            .where(RehabCase.state.in_([RehabCaseState.open, RehabCaseState.forecast]))
            .order_by(RehabCase.deadline)
        )
    )
