"""Entry points for the background jobs (called by booking.tasks inside the app context)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import solver

from ...db import begin_write
from ..clock import today_local
from . import assign, scenarios
from .schedule import closed_between


def solver_settings(settings: dict[str, Any]) -> solver.SolverSettings:
    cfg = settings["solver"]
    return solver.SolverSettings(
        time_limit_s=float(cfg["time_limit_s"]), num_workers=int(cfg["num_workers"])
    )


def replan_rehab(session: Any, settings: dict[str, Any], today: date | None = None) -> dict:
    today = today or today_local()
    begin_write(session)  # read, solve (about a second) and write under one write lock
    closed = closed_between(
        today - timedelta(days=60),
        today + timedelta(days=400),
        settings["calendar"]["optional_closed"],
    )
    summary = assign.replan(
        session,
        today,
        lead_days=settings["rehab"]["lead_days"],
        closed=closed,
        settings=solver_settings(settings),
    )
    session.commit()
    return summary.__dict__


def run_scenario(session: Any, settings: dict[str, Any], scenario_id: int) -> None:
    scenarios.run(
        session,
        scenario_id,
        settings=solver_settings(settings),
        optional_closed=tuple(settings["calendar"]["optional_closed"]),
    )
    session.commit()
