"""Plan runs: request one per unit, execute it in the background, keep what it proposes.

* :func:`request_run` creates a queued run, or returns the unit's active one: the partial unique
  index ``uq_plan_runs_unit_active`` allows one queued-or-running run per unit, whichever
  process asks (SQLite serialises the writers; on PostgreSQL the loser of a race gets an
  ``IntegrityError``, rolls back and returns the winner's run). A new run is handed to the
  registered scheduler (:mod:`.scheduling`) after the commit.
* :func:`request_event_replan`: after a no-show, cancellation or absence; the task waits
  ``[planning] event_delay_s`` before it starts, and an event that finds a queued run joins it
  (``trigger_detail.events``). One that finds the unit's run already running is kept as a
  follow-up: when that run is done, a new event run is requested.
* :func:`execute_run` (the huey task ``plan_unit_task``): marks the run running, reports its
  ``stage`` and ``progress`` in short transactions of their own, builds the problem outside any
  write transaction, solves, and stores figures, proposals and unplanned (done), or the error
  (failed). The previous done runs of the unit are then superseded.
* :func:`request_nightly`: a nightly run for every unit (see ``booking.tasks.nightly_replan``).
  Stability needs no extra rule: locked bookings are kept, and the solver moves an unlocked
  booking only where a higher objective gains (its tier 4, ``E_KEEP`` in
  ``solver/flow/costs.py``, prefers every booking where it is over anything of tier 5).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import solver

from ...database import end_read, transaction
from ...models import PlanRun, PlanRunState, PlanTrigger, Unit
from ...settings import Settings
from ..clock import now_utc, today_local
from ..errors import NotFound
from .problem import LivePlan, build_plan, check_weeks
from .proposals import Outcome
from .resolve import solve_plan
from .scheduling import Scheduler, scheduler

ACTIVE = (PlanRunState.queued, PlanRunState.running)


@dataclass(frozen=True)
class RunRequest:
    run: PlanRun
    created: bool  # False: the unit's active run (queued or running) was returned


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    state: str
    figures: dict[str, Any] | None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "state": self.state, "figures": self.figures,
                "error": self.error}


def _active(session: Session, unit_id: int, *, lock: bool = False) -> PlanRun | None:
    stmt = select(PlanRun).where(PlanRun.unit_id == unit_id, PlanRun.state.in_(ACTIVE))
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).first()


def active_run(session: Session, unit_id: int) -> PlanRun | None:
    """The unit's queued or running run, if any (reads only)."""
    return _active(session, unit_id)


def get_run(session: Session, run_id: int, *, unit_id: int | None = None) -> PlanRun:
    """One run (its stage and progress while it runs; figures, proposals and unplanned when
    done); ``NotFound`` for no such run or another unit's. Reads only."""
    run = session.get(PlanRun, run_id, populate_existing=True)
    if run is None or (unit_id is not None and run.unit_id != unit_id):
        raise NotFound("plan_run")
    return run


def recent_runs(session: Session, unit_id: int, *, limit: int) -> list[PlanRun]:
    """The unit's latest runs, newest first. Reads only."""
    return list(session.scalars(select(PlanRun).where(PlanRun.unit_id == unit_id)
                                .order_by(PlanRun.id.desc()).limit(limit)))


def _join(run: PlanRun, trigger: PlanTrigger, detail: dict[str, Any] | None) -> None:
    """An event that finds the unit's run: queued, it joins; running, it follows up."""
    if trigger != PlanTrigger.event or detail is None:
        return
    key = "events" if run.state == PlanRunState.queued else "followup"
    data = dict(run.trigger_detail or {})
    data[key] = [*data.get(key, []), detail]
    run.trigger_detail = data


def request_run(
    session: Session,
    unit_id: int,
    *,
    trigger: PlanTrigger,
    staff_id: int | None,
    detail: dict[str, Any] | None,
    today: date,
    weeks: int | None = None,
    schedule: Scheduler | None = None,
) -> RunRequest:
    """A queued run for the unit, or its active run; commits. ``weeks``: the horizon (None:
    ``[planning] horizon_weeks`` when the run starts). A new run goes to ``schedule`` (default:
    the registered scheduler) after the commit."""
    if weeks is not None:
        check_weeks(weeks)
    end = today + timedelta(weeks=weeks) if weeks is not None else today
    try:
        with transaction(session):
            if session.get(Unit, unit_id) is None:
                raise NotFound("unit")
            found = _active(session, unit_id, lock=True)
            if found is not None:
                _join(found, trigger, detail)
                return RunRequest(found, created=False)
            if trigger == PlanTrigger.event and detail is not None:
                detail = {"events": [detail]}
            run = PlanRun(unit_id=unit_id, state=PlanRunState.queued, trigger=trigger,
                          triggered_by_staff_id=staff_id, trigger_detail=detail,
                          horizon_start=today, horizon_end=end, stage="queued",
                          progress={"stage": "queued", "elapsed_s": 0.0, "conversations": 0})
            session.add(run)
            session.flush()
    except IntegrityError:
        session.rollback()  # another process created the unit's run first
        with transaction(session):
            found = _active(session, unit_id, lock=True)
            if found is None:
                raise
            _join(found, trigger, detail)
        return RunRequest(found, created=False)
    start = schedule or scheduler()
    if start is not None:
        start(run.id, trigger.value)
    return RunRequest(run, created=True)


def request_event_replan(
    session: Session,
    unit_id: int,
    detail: dict[str, Any] | None,
    *,
    today: date | None = None,
    schedule: Scheduler | None = None,
) -> RunRequest:
    """Re-plan the unit after an event (``detail``, e.g. ``{"reason": "booking_no_show",
    "booking_id": 12}``): a queued event run, or the unit's active run with the event joined."""
    return request_run(session, unit_id, trigger=PlanTrigger.event, staff_id=None,
                       detail=detail, today=today or today_local(), schedule=schedule)


def request_nightly(
    session: Session,
    settings: Settings,
    *,
    today: date | None = None,
    schedule: Scheduler | None = None,
) -> list[RunRequest]:
    """A nightly run for every unit (a unit with an active run keeps it). Runs stuck in
    ``running`` longer than :func:`abandon_after` (a worker died) are marked failed first."""
    day = today or today_local()
    reclaim_abandoned(session, abandon_after(settings))
    units = list(session.scalars(select(Unit.id).order_by(Unit.id)))
    return [request_run(session, unit_id, trigger=PlanTrigger.nightly, staff_id=None,
                        detail={"stability": True}, today=day, schedule=schedule)
            for unit_id in units]


def abandon_after(settings: Settings) -> timedelta:
    """How long a run may stay ``running`` before it counts as abandoned: ten solver time
    limits, at least an hour."""
    return timedelta(seconds=max(3600.0, 10 * settings.solver.time_limit_s))


def reclaim_abandoned(session: Session, older_than: timedelta) -> int:
    """Mark runs running since before ``older_than`` as failed (``abandoned``); commits."""
    with transaction(session):
        result = session.execute(
            update(PlanRun)
            .where(PlanRun.state == PlanRunState.running,
                   PlanRun.started_at < now_utc() - older_than)
            .values(state=PlanRunState.failed, stage="failed", error="abandoned",
                    finished_at=now_utc())
        )
    return int(getattr(result, "rowcount", 0) or 0)


def solver_settings(settings: Settings) -> solver.SolverSettings:
    return solver.SolverSettings(time_limit_s=settings.solver.time_limit_s,
                                 num_workers=settings.solver.num_workers)


class _Progress:
    """Stage and progress of a run, each in a short transaction of its own session."""

    def __init__(self, session: Session, run_id: int) -> None:
        self.session, self.run_id, self.t0 = session, run_id, time.perf_counter()

    def elapsed(self) -> float:
        return round(time.perf_counter() - self.t0, 3)

    def __call__(self, stage: str, conversations: int) -> None:
        with transaction(self.session):
            self.session.execute(
                update(PlanRun).where(PlanRun.id == self.run_id).values(
                    stage=stage, progress={"stage": stage, "elapsed_s": self.elapsed(),
                                           "conversations": conversations}))


def execute_run(
    sessions: Callable[[], Session],
    run_id: int,
    settings: Settings,
    *,
    schedule: Scheduler | None = None,
) -> RunSummary:
    """Compute a queued run (see the module docstring); a run that is not queued any more
    (done by another worker, a repeated task) is left as it is. Never raises for a failure of
    the computation: the run is marked failed with the error kept."""
    with sessions() as work, sessions() as side:
        with transaction(side):
            run = side.scalars(select(PlanRun).where(PlanRun.id == run_id)
                               .execution_options(populate_existing=True)).first()
            if run is None:
                raise NotFound("plan_run")
            if run.state != PlanRunState.queued:
                return RunSummary(run.id, run.state.value, run.figures, run.error)
            run.state, run.started_at, run.stage = PlanRunState.running, now_utc(), "loading"
            run.progress = {"stage": "loading", "elapsed_s": 0.0, "conversations": 0}
            unit_id, today = run.unit_id, run.horizon_start
            weeks = ((run.horizon_end - run.horizon_start).days // 7
                     or settings.planning.horizon_weeks)
        progress = _Progress(side, run_id)
        try:
            plan, result = compute(work, unit_id, today, weeks, settings, progress)
            progress("storing", result.figures["conversations"])
            followup = _store(work, run_id, plan, result, progress.elapsed())
        except Exception as exc:  # noqa: BLE001 - kept on the run for the planner to see
            with transaction(side):
                side.execute(update(PlanRun).where(PlanRun.id == run_id).values(
                    state=PlanRunState.failed, stage="failed", finished_at=now_utc(),
                    error=f"{type(exc).__name__}: {exc}"[:2000]))
            return RunSummary(run_id, PlanRunState.failed.value, None,
                              f"{type(exc).__name__}: {exc}")
        if followup:
            request_run(work, unit_id, trigger=PlanTrigger.event, staff_id=None,
                        detail={"after_run": run_id, "events": followup},
                        today=today_local(), schedule=schedule)
        return RunSummary(run_id, PlanRunState.done.value, result.figures)


def compute(
    session: Session,
    unit_id: int,
    today: date,
    weeks: int,
    settings: Settings,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[LivePlan, Outcome]:
    """Build the unit's problem (one read, then the read is ended), solve it and turn the
    solution into proposals (:func:`.resolve.solve_plan`: no booking is left without a
    place)."""
    t0 = time.perf_counter()
    plan = build_plan(session, [unit_id], today=today, weeks=weeks, settings=settings)
    end_read(session)
    built = time.perf_counter() - t0
    _, result = solve_plan(plan, solver_settings(settings), progress)
    result.figures["build_seconds"] = round(built, 3)
    return plan, result


def _store(session: Session, run_id: int, plan: LivePlan, result: Outcome,
           elapsed: float) -> list[Any]:
    """Keep the result on the run (done) and supersede the unit's older done runs; returns
    the events that arrived while it ran."""
    with transaction(session):
        run = session.scalars(select(PlanRun).where(PlanRun.id == run_id)
                              .execution_options(populate_existing=True)).one()
        run.state, run.stage, run.finished_at = PlanRunState.done, "done", now_utc()
        run.horizon_start, run.horizon_end = plan.horizon.today, plan.horizon.end
        run.fingerprint = plan.fingerprint
        result.figures["run_seconds"] = round(elapsed, 3)
        run.figures = dict(result.figures)
        run.proposals = result.proposals
        run.unplanned = result.unplanned
        run.progress = {"stage": "done", "elapsed_s": round(elapsed, 3),
                        "conversations": result.figures["conversations"]}
        session.execute(
            update(PlanRun)
            .where(PlanRun.unit_id == run.unit_id, PlanRun.state == PlanRunState.done,
                   PlanRun.id != run.id)
            .values(state=PlanRunState.superseded))
        followup = list((run.trigger_detail or {}).get("followup", []))
    return followup
