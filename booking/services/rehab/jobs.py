"""Entry points for the background jobs (booking.tasks calls them with a fresh session)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

import solver

from ...database import transaction
from ...settings import Settings
from ..clock import today_local
from . import assign, scenarios, status
from .schedule import closed_between


def solver_settings(settings: Settings) -> solver.SolverSettings:
    return solver.SolverSettings(
        time_limit_s=settings.solver.time_limit_s, num_workers=settings.solver.num_workers
    )


def replan_rehab(session: Session, settings: Settings, today: date | None = None) -> dict[str, Any]:
    """Re-plan every open rehabilitation case; one transaction (read, solve about a second,
    write) under one write lock. The planner's page follows it through the audit trail
    (:mod:`.status`): started, then replanned (with the figures) or failed."""
    today = today or today_local()
    closed = closed_between(
        today - timedelta(days=60), today + timedelta(days=400), settings.calendar.optional_closed
    )
    status.mark_started(session)
    try:
        with transaction(session):
            summary = assign.replan(
                session,
                today,
                lead_days=settings.rehab.lead_days,
                closed=closed,
                settings=solver_settings(settings),
            )
    except Exception as exc:
        status.mark_failed(session, f"{type(exc).__name__}: {exc}")
        raise
    return dict(summary.__dict__)


def run_scenario(session: Session, settings: Settings, scenario_id: int) -> None:
    scenarios.run(
        session,
        scenario_id,
        settings=solver_settings(settings),
        optional_closed=settings.calendar.optional_closed,
    )
