"""Where the rehabilitation plan stands: is a re-plan queued or running, and has anything the
plan rests on (fixed meetings, generated meetings, closures) changed since it was made?

Both are read from the audit trail, ordered by entry id (ids rise with every write, so no
clocks are compared): the web request records ``rehab_replan_requested`` before it enqueues the
job; the job records ``rehab_replan_started`` and then ``rehab_replanned`` (or
``rehab_replan_failed``); the planner's changes to meetings record the actions in
:data:`CAPACITY_ACTIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import ActorKind, AuditEntry
from .. import audit

REQUESTED = "rehab_replan_requested"
STARTED = "rehab_replan_started"
DONE = "rehab_replanned"
FAILED = "rehab_replan_failed"
CAPACITY_ACTIONS = (
    "rehab_schedule_added",
    "rehab_meetings_generated",
    "rehab_closure_added",
    "rehab_closures_imported",
)
# a request with no outcome after this long is taken as lost (the worker stopped)
GIVE_UP = timedelta(minutes=15)


def _aware(at: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back without a zone)."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _latest(session: Session, actions: tuple[str, ...]) -> AuditEntry | None:
    return session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action.in_(actions))
        .order_by(AuditEntry.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)  # the job writes in another session
    )


@dataclass(frozen=True)
class ReplanStatus:
    """The latest re-plan: ``state`` is ``idle`` (none asked for, or it ended), ``queued``,
    ``running``, ``done``, ``failed`` or ``lost``; ``summary`` holds a finished run's figures."""

    state: str
    requested_at: datetime | None
    elapsed_s: float
    summary: dict[str, int]

    @property
    def finished(self) -> bool:
        return self.state not in ("queued", "running")


def replan_status(session: Session, now: datetime) -> ReplanStatus:
    """The state of the latest re-plan asked for from the planner's page."""
    asked = _latest(session, (REQUESTED,))
    if asked is None:
        return ReplanStatus("idle", None, 0.0, {})
    outcome = _latest(session, (STARTED, DONE, FAILED))
    at = _aware(asked.at)
    elapsed = max(0.0, (now - at).total_seconds())
    if outcome is not None and outcome.id > asked.id and outcome.action != STARTED:
        detail = outcome.detail or {}
        summary = {k: int(v) for k, v in detail.items() if isinstance(v, int)}
        return ReplanStatus(
            "done" if outcome.action == DONE else "failed", at, elapsed, summary
        )
    if elapsed > GIVE_UP.total_seconds():
        return ReplanStatus("lost", at, elapsed, {})
    started = outcome is not None and outcome.id > asked.id
    return ReplanStatus("running" if started else "queued", at, elapsed, {})


def request_replan(session: Session, *, staff_id: int | None) -> None:
    """Record that the planner asked for a re-plan (committed), before the job is enqueued."""
    with transaction(session):
        audit.record(session, actor_kind=ActorKind.staff, actor_id=staff_id, action=REQUESTED)


def mark_started(session: Session) -> None:
    """The job has begun (committed, so the page can say "running")."""
    with transaction(session):
        audit.record(session, actor_kind=ActorKind.system, actor_id=None, action=STARTED)


def mark_failed(session: Session, error: str) -> None:
    """The job stopped with an error (committed, in a fresh transaction)."""
    session.rollback()
    with transaction(session):
        audit.record(
            session,
            actor_kind=ActorKind.system,
            actor_id=None,
            action=FAILED,
            detail={"error": error[:200]},
        )


def record_capacity_change(
    session: Session,
    action: str,
    *,
    staff_id: int | None,
    detail: dict[str, int | str] | None = None,
) -> None:
    """A change to the meetings the plan rests on. Runs in the caller's transaction."""
    audit.record(
        session,
        actor_kind=ActorKind.staff if staff_id is not None else ActorKind.system,
        actor_id=staff_id,
        action=action,
        detail=detail,
    )


@dataclass(frozen=True)
class OutOfDate:
    """The plan was made before the meetings last changed."""

    changed_at: datetime
    planned_at: datetime | None
    action: str  # which change came last (one of CAPACITY_ACTIONS)


def out_of_date(session: Session) -> OutOfDate | None:
    """The latest change to meetings or closures, if it came after the latest plan."""
    change = _latest(session, CAPACITY_ACTIONS)
    if change is None:
        return None
    plan = _latest(session, (DONE,))
    if plan is not None and plan.id > change.id:
        return None
    return OutOfDate(_aware(change.at), _aware(plan.at) if plan else None, change.action)
