"""A planner accepts a run's proposals (all, or some): they become bookings in one transaction.

The staleness check comes first: the versions of the rows each chosen proposal touches are
recomputed from the live data, and if any changed the whole acceptance is refused (``stale``)
and nothing is applied. Otherwise :func:`~.apply.apply_proposals` writes the bookings, moves,
letters and audit rows, and the run is marked accepted; proposals not chosen stay proposed
and can be accepted later (unless a newer run of the unit superseded this one). A lost race
for a seat is the refusal ``seat_taken``: nothing is half-applied.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import ActorKind, PlanRun, PlanRunState
from ...settings import Settings
from .. import audit
from ..clock import now_utc, today_local
from ..errors import NotFound
from .apply import apply_proposals, integrity_code, stale_proposals
from .errors import PlanningError

ACCEPTABLE = (PlanRunState.done, PlanRunState.accepted)


@dataclass(frozen=True)
class AcceptResult:
    run_id: int
    accepted: list[int]  # proposal ids
    created: list[int]  # booking ids
    moved: list[int]  # booking ids
    messages: int  # outbox rows queued
    remaining: int  # proposals still proposed


def _run(session: Session, run_id: int, unit_id: int | None, *, lock: bool) -> PlanRun:
    stmt = select(PlanRun).where(PlanRun.id == run_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    run = session.scalars(stmt.execution_options(populate_existing=True)).first()
    if run is None or (unit_id is not None and run.unit_id != unit_id):
        raise NotFound("plan_run")
    return run


def _chosen(run: PlanRun, proposal_ids: Collection[int] | None) -> list[dict[str, Any]]:
    proposals = run.proposals or []
    open_ids = {p["id"] for p in proposals if p["status"] == "proposed"}
    if proposal_ids is not None:
        unknown = sorted(set(proposal_ids) - open_ids)
        if unknown:
            raise PlanningError("unknown_proposals", proposals=unknown)
    wanted = open_ids if proposal_ids is None else set(proposal_ids)
    chosen = [p for p in proposals if p["id"] in wanted]
    accepted = {p["id"] for p in proposals if p["status"] == "accepted"}
    for p in chosen:
        missing = sorted(set(p.get("needs", [])) - wanted - accepted)
        if missing:
            raise PlanningError("depends_on", proposals=[p["id"]], needs=missing)
    return chosen


def _check_run(session: Session, run: PlanRun) -> None:
    if run.state == PlanRunState.superseded:
        raise PlanningError("superseded")
    if run.state not in ACCEPTABLE:
        raise PlanningError("not_ready", state=run.state.value)
    newer = session.scalar(select(func.count(PlanRun.id)).where(
        PlanRun.unit_id == run.unit_id, PlanRun.id > run.id, PlanRun.state.in_(ACCEPTABLE)))
    if newer:
        raise PlanningError("superseded")


def stale_proposal_ids(session: Session, run_id: int, *, settings: Settings,
                       unit_id: int | None = None) -> list[int]:
    """The run's proposals (still proposed) whose rows changed since it was computed: what
    accepting them now would refuse as ``stale``. Reads only."""
    run = _run(session, run_id, unit_id, lock=False)
    pending = [p for p in run.proposals or [] if p["status"] == "proposed"]
    return stale_proposals(session, pending, settings)


def check_acceptance(session: Session, run_id: int, *, settings: Settings,
                     unit_id: int | None = None,
                     proposal_ids: Collection[int] | None = None) -> list[int]:
    """What :func:`accept_run` checks before it writes, without writing: the same refusals
    (``superseded``, ``not_ready``, ``unknown_proposals``, ``depends_on``, ``stale``); returns
    the ids of the proposals it would accept. Reads only."""
    run = _run(session, run_id, unit_id, lock=False)
    _check_run(session, run)
    chosen = _chosen(run, proposal_ids)
    stale = stale_proposals(session, chosen, settings)
    if stale:
        raise PlanningError("stale", proposals=stale)
    return sorted(int(p["id"]) for p in chosen)


def accept_run(
    session: Session,
    run_id: int,
    *,
    staff_id: int | None,
    unit_id: int | None = None,
    proposal_ids: Collection[int] | None = None,
    settings: Settings,
    now: datetime | None = None,
    today: date | None = None,
) -> AcceptResult:
    """Accept the run's proposals (``proposal_ids``; None: every one still proposed); commits.

    ``unit_id``: the unit the planner is looking at (another unit's run is ``NotFound``).
    Refusals: :class:`PlanningError` (codes in :mod:`.errors`); nothing is changed then."""
    now = now or now_utc()
    today = today or today_local()
    run = _run(session, run_id, unit_id, lock=False)
    _check_run(session, run)
    chosen = _chosen(run, proposal_ids)
    stale = stale_proposals(session, chosen, settings)  # first, before anything is written
    if stale:
        raise PlanningError("stale", proposals=stale)
    try:
        with transaction(session):
            run = _run(session, run_id, unit_id, lock=True)
            _check_run(session, run)
            chosen = _chosen(run, proposal_ids)
            ids = {int(p["id"]) for p in chosen}
            applied = apply_proposals(session, chosen, run_ids=dict.fromkeys(ids, run.id),
                                      staff_id=staff_id, settings=settings, now=now,
                                      today=today)
            proposals = [dict(p, status="accepted") if p["id"] in ids else p
                         for p in run.proposals or []]
            run.proposals = proposals
            if ids:
                run.state = PlanRunState.accepted
                run.accepted_at = now
                run.accepted_by_staff_id = staff_id
            audit.record(session, actor_kind=ActorKind.staff if staff_id else ActorKind.system,
                         actor_id=staff_id, action="plan_run_accepted", object_type="plan_run",
                         object_id=run.id,
                         detail={"proposals": sorted(ids), "created": len(applied.created),
                                 "moved": len(applied.moved)})
    except IntegrityError as exc:
        raise PlanningError(integrity_code(exc), proposals=sorted(
            int(p["id"]) for p in chosen)) from None
    remaining = sum(1 for p in proposals if p["status"] == "proposed")
    return AcceptResult(run.id, sorted(ids), applied.created, applied.moved, applied.messages,
                        remaining)
