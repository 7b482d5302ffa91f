"""The planner's pages and actions, one function each: the plan, accept / move / material
sent, fixed meetings, generated meetings and closures.

Reading functions return a page's data; writing functions open their own
:func:`~booking.database.transaction` and have committed when they return. A refusal is a
:class:`~booking.services.errors.ServiceError` (nothing changed); a missing case is
:class:`~booking.services.errors.NotFound`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import RehabCase, RehabClosure, RehabMeeting, RehabSchedule
from ...settings import Settings
from ..clock import now_utc
from ..errors import NotFound
from . import assign
from .assign import MoveError
from .overview import (
    CaseLine,
    MeetingLine,
    case_lines,
    material_alerts,
    move_options,
    upcoming_meetings,
)
from .schedule import (
    GeneratedMeetings,
    cancel_meetings_in_closures,
    closed_between,
    generate_meetings,
    import_closures,
)
from .status import OutOfDate, ReplanStatus, out_of_date, record_capacity_change, replan_status


def closed_around(today: date, optional_closed: Sequence[str]) -> dict[date, str]:
    """Public holidays (and the chosen optional closing days) around ``today``."""
    return closed_between(
        today - timedelta(days=60), today + timedelta(days=400), tuple(optional_closed)
    )


# --- the plan -------------------------------------------------------------------------------

# the case list's filters, in the order the page shows them
FILTERS = ("all", "unplanned", "at_risk", "material_due")
PER_PAGE = 20
MOVE_WEEKS = 26  # how far ahead "Flyt" offers meetings


@dataclass
class PlanPage:
    today: date
    lead_days: int
    meetings: list[MeetingLine]
    lines: list[CaseLine]  # the cases the filter and page show
    alerts: list[CaseLine]
    at_risk: list[CaseLine]
    planned: datetime | None  # when the latest plan was made
    show: str = "all"  # one of FILTERS
    counts: dict[str, int] = field(default_factory=dict)  # filter -> cases
    page: int = 1
    pages: int = 1
    out_of_date: OutOfDate | None = None  # meetings changed after the latest plan
    replan: ReplanStatus | None = None  # the latest re-plan asked for


def _matches(line: CaseLine, show: str, alerts: set[int]) -> bool:
    if show == "unplanned":
        return line.unplanned
    if show == "at_risk":
        return line.at_risk
    if show == "material_due":
        return line.case.id in alerts
    return True


def plan_page(
    session: Session,
    settings: Settings,
    *,
    today: date,
    now: datetime | None = None,
    show: str = "all",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> PlanPage:
    """Upcoming meetings, the cases waiting to be presented (``show``: one of
    :data:`FILTERS`, an unknown one reads as ``all``; ``page`` from 1, clamped), the alerts,
    each case's meetings to move to, and whether the plan is out of date or being re-made."""
    lead = settings.rehab.lead_days
    closed = closed_around(today, settings.calendar.optional_closed)
    lines = case_lines(session, today, lead, closed)
    meetings = upcoming_meetings(session, today, lead, closed)
    alerts = material_alerts(lines, today, settings.rehab.material_alert_days)
    alert_ids = {line.case.id for line in alerts}
    show = show if show in FILTERS else "all"
    counts = {key: sum(_matches(line, key, alert_ids) for line in lines) for key in FILTERS}
    chosen = [line for line in lines if _matches(line, show, alert_ids)]
    pages = max(1, -(-len(chosen) // per_page))
    page = min(max(1, page), pages)
    shown = chosen[(page - 1) * per_page : page * per_page]
    # "Flyt" may offer any meeting of the coming half year, not only those the table shows
    later = upcoming_meetings(session, today, lead, closed, weeks=MOVE_WEEKS)
    for line in shown:
        line.options = move_options(line, later, today)
    return PlanPage(
        today=today,
        lead_days=lead,
        meetings=meetings,
        lines=shown,
        alerts=alerts,
        at_risk=[line for line in lines if line.at_risk],
        planned=max((line.case.planned_at for line in lines if line.case.planned_at), default=None),
        show=show,
        counts=counts,
        page=page,
        pages=pages,
        out_of_date=out_of_date(session),
        replan=replan_status(session, now or now_utc()),
    )


def _case(session: Session, case_id: int) -> RehabCase:
    case = session.get(RehabCase, case_id)
    if case is None:
        raise NotFound("rehab_case")
    return case


def accept_case(session: Session, case_id: int, *, staff_id: int) -> RehabCase:
    """Lock the proposed meeting of a case (committed); :class:`MoveError` if it has none."""
    with transaction(session):
        case = _case(session, case_id)
        assign.accept(session, case, staff_id=staff_id)
    return case


def move_case(
    session: Session,
    case_id: int,
    meeting_id: int | None,
    *,
    staff_id: int,
    settings: Settings,
    today: date,
) -> RehabMeeting:
    """Move a case to an upcoming meeting by hand (committed) and return the meeting.

    :class:`MoveError` ``choose_upcoming_meeting`` when ``meeting_id`` names no meeting from
    today on; the other refusals are :func:`assign.move`'s.
    """
    with transaction(session):
        case = _case(session, case_id)
        meeting = session.get(RehabMeeting, meeting_id) if meeting_id is not None else None
        if meeting is None or meeting.date < today:
            raise MoveError("choose_upcoming_meeting")
        assign.move(
            session,
            case,
            meeting,
            today=today,
            lead_days=settings.rehab.lead_days,
            closed=closed_around(today, settings.calendar.optional_closed),
            staff_id=staff_id,
        )
    return meeting


def mark_material_sent(session: Session, case_id: int, *, staff_id: int) -> RehabCase:
    """Record that the material went to the region (committed, audited); the case is locked
    to its meeting. :class:`assign.PlanError` ``no_meeting_yet`` if it has no meeting."""
    with transaction(session):
        case = _case(session, case_id)
        assign.mark_material_sent(session, case, staff_id=staff_id)
    return case


# --- fixed meetings, generated meetings, closures --------------------------------------------


@dataclass
class SchedulePage:
    schedules: list[RehabSchedule]
    closures: list[RehabClosure]
    out_of_date: OutOfDate | None = None  # meetings changed after the latest plan


def schedule_page(session: Session) -> SchedulePage:
    return SchedulePage(
        schedules=list(session.scalars(select(RehabSchedule).order_by(RehabSchedule.weekday))),
        closures=list(session.scalars(select(RehabClosure).order_by(RehabClosure.start_date))),
        out_of_date=out_of_date(session),
    )


def add_schedule(
    session: Session,
    *,
    weekday: int,
    capacity: int,
    location: str | None,
    valid_from: date,
    staff_id: int | None = None,
) -> RehabSchedule:
    """A fixed weekly meeting from ``valid_from`` (committed)."""
    with transaction(session):
        schedule = RehabSchedule(
            weekday=weekday, capacity=capacity, location=location or None, valid_from=valid_from
        )
        session.add(schedule)
        record_capacity_change(
            session, "rehab_schedule_added", staff_id=staff_id, detail={"capacity": capacity}
        )
    return schedule


def generate(
    session: Session,
    *,
    weeks: int,
    today: date,
    optional_closed: Sequence[str],
    staff_id: int | None = None,
) -> GeneratedMeetings:
    """Meetings from the fixed meetings for ``weeks`` weeks from today (committed); when any
    was made, the plan is out of date (:mod:`.status`)."""
    with transaction(session):
        result = generate_meetings(session, today, weeks, optional_closed=tuple(optional_closed))
        if result.created:
            record_capacity_change(
                session,
                "rehab_meetings_generated",
                staff_id=staff_id,
                detail={"meetings": len(result.created)},
            )
        return result


@dataclass
class ClosureResult:
    closures: list[RehabClosure]
    removed: list[RehabMeeting]  # empty meetings in the closed periods, now deleted


def add_closure(
    session: Session,
    *,
    start: date,
    end: date,
    reason: str,
    today: date,
    staff_id: int | None = None,
) -> ClosureResult:
    """A closure typed in; empty meetings in it are removed (committed)."""
    with transaction(session):
        closure = RehabClosure(start_date=start, end_date=end, reason=reason)
        session.add(closure)
        session.flush()
        result = ClosureResult([closure], cancel_meetings_in_closures(session, today))
        record_capacity_change(
            session,
            "rehab_closure_added",
            staff_id=staff_id,
            detail={"removed": len(result.removed)},
        )
        return result


def import_closure_file(
    session: Session, data: bytes, *, today: date, staff_id: int | None = None
) -> ClosureResult:
    """Closures from an .ics file; empty meetings in them are removed (committed).
    :class:`~.schedule.ClosureImportError` if the file cannot be used (nothing changed)."""
    with transaction(session):
        closures = import_closures(session, data)
        result = ClosureResult(closures, cancel_meetings_in_closures(session, today))
        record_capacity_change(
            session,
            "rehab_closures_imported",
            staff_id=staff_id,
            detail={"closures": len(closures), "removed": len(result.removed)},
        )
        return result
