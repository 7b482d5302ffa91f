"""Cases to meetings by the solver; the planner accepts or moves what it proposes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import solver

from ...models import (
    ActorKind,
    MaterialState,
    RehabCase,
    RehabCaseState,
    RehabMeeting,
)
from .. import audit
from ..clock import now_utc
from ..errors import ServiceError
from . import notes
from .schedule import effective_ready, material_due

PLANNABLE = (RehabCaseState.open, RehabCaseState.forecast, RehabCaseState.assigned)


def rehab_problem(
    meetings: list[dict[str, Any]],
    cases: list[dict[str, Any]],
    *,
    today: date,
    lead_days: int,
    closed: dict[date, str],
) -> dict[str, Any]:
    """A ``jobcenter-plan/1`` instance with only the rehabilitation part.

    ``meetings``: {id, date, capacity}; ``cases``: {id, ready, deadline, material_sent, weight}.
    Each case's ``ready`` is shifted (see ``effective_ready``) so that the solver's
    calendar-day lead rule matches the working-day material due dates exactly.
    """
    dates = [m["date"] for m in meetings]
    out_cases = []
    for case in cases:
        ready = max(case["ready"], today)
        if not case.get("material_sent"):
            ready = effective_ready(ready, dates, lead_days, closed)
        out_cases.append(
            {
                "id": case["id"],
                "citizen": "c-rehab",
                "ready": ready.isoformat(),
                "deadline": case["deadline"].isoformat(),
                "material_sent": bool(case.get("material_sent")),
                "weight": case.get("weight", 1),
            }
        )
    return {
        "format": "jobcenter-plan/1",
        "today": today.isoformat(),
        "settings": {"rehab_lead_days": lead_days},
        "caseworkers": [{"id": "cw-rehab", "unit": "u-rehab"}],
        "citizens": [{"id": "c-rehab", "unit": "u-rehab", "caseworker": "cw-rehab"}],
        "slots": [],
        "conversations": [],
        "bookings": [],
        "rehab_meetings": [
            {"id": m["id"], "date": m["date"].isoformat(), "capacity": m["capacity"]}
            for m in meetings
        ],
        "rehab_cases": out_cases,
    }


@dataclass
class PlanSummary:
    status: str
    placed: int
    on_time: int
    late: int
    unplanned: int
    bound: int
    seconds: float


def replan(
    session: Session,
    today: date,
    *,
    lead_days: int,
    closed: dict[date, str],
    settings: solver.SolverSettings,
) -> PlanSummary:
    """Re-plan every case not yet presented and not locked; locked cases keep their places.

    Runs in the caller's transaction. Each case not placed on time gets a coded
    :class:`~.notes.PlanNote` in ``plan_note``.
    """
    meetings = list(
        session.scalars(
            select(RehabMeeting).where(RehabMeeting.date >= today).order_by(RehabMeeting.date)
        )
    )
    cases = list(
        session.scalars(
            select(RehabCase).where(RehabCase.state.in_(PLANNABLE)).order_by(RehabCase.deadline)
        )
    )
    locked = [c for c in cases if c.locked and c.meeting_id is not None]
    free_cases = [c for c in cases if c not in locked]
    taken: dict[int, int] = {}
    for case in locked:
        if case.meeting_id is not None:
            taken[case.meeting_id] = taken.get(case.meeting_id, 0) + 1
    problem = rehab_problem(
        [
            {"id": f"m-{m.id}", "date": m.date, "capacity": max(0, m.capacity - taken.get(m.id, 0))}
            for m in meetings
        ],
        [
            {
                "id": f"r-{c.id}",
                "ready": c.ready_date,
                "deadline": c.deadline,
                "material_sent": c.material_state == MaterialState.sent,
                "weight": c.weight,
            }
            for c in free_cases
        ],
        today=today,
        lead_days=lead_days,
        closed=closed,
    )
    solution = solver.solve(solver.load_problem(problem), settings)
    by_id = {f"r-{c.id}": c for c in free_cases}
    meeting_by_id = {f"m-{m.id}": m for m in meetings}
    stamp = now_utc()
    on_time = late = 0
    for case_key, meeting_key in solution.rehab:
        case, meeting = by_id.pop(case_key), meeting_by_id[meeting_key]
        case.meeting_id = meeting.id
        if case.state != RehabCaseState.forecast:
            case.state = RehabCaseState.assigned
        if meeting.date <= case.deadline:
            on_time += 1
            case.plan_note = None
        else:
            late += 1
            case.plan_note = notes.late(meeting.date, (meeting.date - case.deadline).days).encode()
        case.planned_at = stamp
    reasons = {item.id: item for item in solution.unplanned}
    for key, case in by_id.items():
        case.meeting_id = None
        if case.state == RehabCaseState.assigned:
            case.state = RehabCaseState.open
        case.plan_note = notes.from_solver_reason(reasons.get(key)).encode()
        case.planned_at = stamp
    audit.record(
        session,
        actor_kind=ActorKind.system,
        actor_id=None,
        action="rehab_replanned",
        detail={
            "status": solution.status,
            "on_time": on_time,
            "late": late,
            "unplanned": len(by_id),
        },
    )
    session.flush()
    stats = solution.stats
    return PlanSummary(
        status=solution.status,
        placed=on_time + late,
        on_time=on_time,
        late=late,
        unplanned=len(by_id),
        bound=int(stats.get("upper_bound_on_time", 0)),
        seconds=float(stats.get("solve_seconds", 0.0)),
    )


class PlanError(ServiceError):
    """A planner's change to a case was refused (codes: see the planner's messages)."""


class MoveError(PlanError):
    """Accepting or moving a case was refused: ``no_meeting_to_accept``, ``meeting_held``,
    ``material_too_late`` (params ``due``, ``ready``), ``meeting_full``."""


def accept(session: Session, case: RehabCase, *, staff_id: int) -> None:
    """Lock the proposed meeting so re-planning keeps it. Runs in the caller's transaction."""
    if case.meeting_id is None:
        raise MoveError("no_meeting_to_accept")
    case.locked = True
    if case.state == RehabCaseState.open:
        case.state = RehabCaseState.assigned
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=staff_id,
        action="rehab_accepted",
        citizen_id=case.citizen_id,
        object_type="rehab_case",
        object_id=case.id,
    )


def move(
    session: Session,
    case: RehabCase,
    meeting: RehabMeeting,
    *,
    today: date,
    lead_days: int,
    closed: dict[date, str],
    staff_id: int,
) -> None:
    """Move a case to another meeting by hand (then locked), if capacity and lead time allow.
    Runs in the caller's transaction."""
    if meeting.date < today:
        raise MoveError("meeting_held")
    if case.material_state != MaterialState.sent:
        due = material_due(meeting.date, lead_days, closed)
        ready = max(case.ready_date, today)
        if due < ready:
            raise MoveError("material_too_late", due=due, ready=ready)
    used = (
        session.scalar(
            select(func.count(RehabCase.id)).where(
                RehabCase.meeting_id == meeting.id, RehabCase.id != case.id
            )
        )
        or 0
    )
    if used >= meeting.capacity:
        raise MoveError("meeting_full")
    case.meeting_id = meeting.id
    case.locked = True
    if case.state == RehabCaseState.open:
        case.state = RehabCaseState.assigned
    case.plan_note = None if meeting.date <= case.deadline else notes.MOVED_LATE.encode()
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=staff_id,
        action="rehab_moved",
        citizen_id=case.citizen_id,
        object_type="rehab_case",
        object_id=case.id,
        detail={"meeting": meeting.date.isoformat()},
    )


def mark_material_sent(session: Session, case: RehabCase, *, staff_id: int) -> None:
    """The material is at the region: the case keeps its meeting (locked). Runs in the
    caller's transaction."""
    if case.meeting_id is None:
        raise PlanError("no_meeting_yet")
    case.material_state = MaterialState.sent
    case.material_sent_at = now_utc()
    case.locked = True  # the region prepares this meeting now
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=staff_id,
        action="rehab_material_sent",
        citizen_id=case.citizen_id,
        object_type="rehab_case",
        object_id=case.id,
    )
