"""Session figures and, over time, the share of resource-programme citizens with a
conversation in the last 2 months (the local indicator of seed 001)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import GroupSession, HeldConversation, InvitationState, Programme
from ...rules.dates import months_before
from .candidates import RESOURCE, indicator_months
from .sessions import capacity, window_minutes
from .settings import CallinSettings

ARRIVED = (InvitationState.arrived, InvitationState.in_progress, InvitationState.served)


@dataclass(frozen=True)
class SessionFigures:
    capacity: int
    invited: int
    expected: float
    arrived: int
    served: int
    no_shows: int
    waiting: int
    in_progress: int
    pool_minutes: int  # pool × elapsed window minutes
    busy_minutes: int
    idle_minutes: int

    @property
    def show_rate(self) -> float | None:
        return self.arrived / self.invited if self.invited else None


def session_figures(gs: GroupSession, now: datetime) -> SessionFigures:
    """Invited, arrived, served, no-shows and the pool's idle minutes in the window so far."""
    invitations = [i for i in gs.invitations if i.state != InvitationState.cancelled]
    end = gs.ends_at if now >= gs.ends_at else max(now, gs.starts_at)
    elapsed = int((end - gs.starts_at).total_seconds() // 60)
    busy = 0
    for inv in invitations:
        if inv.started_at is None:
            continue
        stop = inv.served_at or max(now, inv.started_at)
        lo, hi = max(inv.started_at, gs.starts_at), min(stop, end)
        if hi > lo:
            busy += int((hi - lo).total_seconds() // 60)
    pool_minutes = len(gs.pool) * min(elapsed, window_minutes(gs))
    return SessionFigures(
        capacity=capacity(gs),
        invited=len(invitations),
        expected=round(sum(i.show_probability for i in invitations), 2),
        arrived=sum(1 for i in invitations if i.state in ARRIVED),
        served=sum(1 for i in invitations if i.state == InvitationState.served),
        no_shows=sum(1 for i in invitations if i.state == InvitationState.no_show),
        waiting=sum(1 for i in invitations if i.state == InvitationState.arrived),
        in_progress=sum(1 for i in invitations if i.state == InvitationState.in_progress),
        pool_minutes=pool_minutes,
        busy_minutes=min(busy, pool_minutes),
        idle_minutes=max(0, pool_minutes - busy),
    )


@dataclass(frozen=True)
class IndicatorPoint:
    day: date  # the last day of the week (or today for the running week)
    citizens: int  # in a resource programme on that day
    with_conversation: int

    @property
    def share(self) -> float | None:
        return self.with_conversation / self.citizens if self.citizens else None


def resource_indicator(
    session: Session, today: date, settings: CallinSettings, *, weeks: int | None = None
) -> list[IndicatorPoint]:
    """Week by week (oldest first, ending today): of the citizens in a resource programme,
    how many had a conversation within the indicator's months (rolling)."""
    weeks = weeks or settings.figure_weeks
    programmes = session.execute(
        select(
            Programme.citizen_id, Programme.start_date, Programme.end_date, Programme.rule_set_code
        ).where(Programme.target_group == RESOURCE, Programme.start_date <= today)
    ).all()
    ids = {p.citizen_id for p in programmes}
    held: dict[int, list[date]] = {}
    if ids:
        for citizen_id, day in session.execute(
            select(HeldConversation.citizen_id, HeldConversation.held_on)
            .where(HeldConversation.citizen_id.in_(ids))
            .order_by(HeldConversation.held_on)
        ):
            held.setdefault(citizen_id, []).append(day)
    months = {code: indicator_months(code, settings) for code in {p[3] for p in programmes}}
    sunday = today + timedelta(days=6 - today.weekday())
    days = [min(today, sunday - timedelta(weeks=k)) for k in range(weeks - 1, -1, -1)]
    points = []
    for day in days:
        total = hit = 0
        for citizen_id, start, end, code in programmes:
            if start > day or (end is not None and end < day):
                continue
            total += 1
            dates = held.get(citizen_id, [])
            i = bisect.bisect_right(dates, day)
            if i and dates[i - 1] >= months_before(day, months[code]):
                hit += 1
        points.append(IndicatorPoint(day, total, hit))
    return points
