"""``flask --app booking rehab-whatif``: compare rehabilitation-team scenarios in the terminal."""

from __future__ import annotations

import re
import sys
import time
from datetime import datetime, timedelta

import click
from flask import Flask

from .extensions import settings as current_settings
from .services.calendar_days import week_monday
from .services.clock import today_local
from .services.rehab.jobs import solver_settings
from .services.rehab.projection import ScenarioParams, project
from .services.rehab.schedule import closed_between

SPEC = re.compile(r"^(\d)x(\d+)(?:@(\d+))?$")


def register(app: Flask) -> None:
    @app.cli.command("rehab-whatif")
    @click.argument("scenarios", nargs=-1, required=True)
    @click.option("--inflow", type=float, default=12.0, help="New cases per week (mean).")
    @click.option("--weeks", type=int, default=26)
    @click.option(
        "--start",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help="First projected week (default: next Monday).",
    )
    @click.option("--closed-weeks", default="", help="ISO weeks without meetings, e.g. 29,30.")
    def rehab_whatif(
        scenarios: tuple[str, ...],
        inflow: float,
        weeks: int,
        start: datetime | None,
        closed_weeks: str,
    ) -> None:
        """Project SCENARIOS written MEETINGSxPLACES[@LEAD_DAYS], e.g. 2x5 3x5 2x5@7."""
        settings = current_settings()
        first = start.date() if start else week_monday(today_local()) + timedelta(weeks=1)
        closed = closed_between(
            first - timedelta(weeks=8),
            first + timedelta(weeks=weeks + 10),
            settings.calendar.optional_closed,
        )
        shut = tuple(int(w) for w in closed_weeks.split(",") if w.strip())
        click.echo(
            f"inflow {inflow:g}/week, {weeks} weeks from {first}, "
            f"{settings.rehab.projection_runs} seeded runs (seed "
            f"{settings.rehab.projection_seed}), closed weeks {list(shut) or '-'}"
        )
        click.echo(
            f"{'scenario':<10}{'on time':>9}{'due':>8}{'late':>8}{'backlog end':>13}{'seconds':>9}"
        )
        for spec in scenarios:
            match = SPEC.match(spec)
            if not match or not 1 <= int(match[1]) <= 5:
                click.echo(
                    f"error: {spec!r} is not MEETINGSxPLACES[@LEAD] (meetings 1-5)", err=True
                )
                sys.exit(2)
            lead = int(match[3]) if match[3] else settings.rehab.lead_days
            params = ScenarioParams(
                start=first,
                meetings_per_week=int(match[1]),
                places_per_meeting=int(match[2]),
                lead_days=lead,
                inflow_per_week=inflow,
                weeks=weeks,
                closed_weeks=shut,
                seed=settings.rehab.projection_seed,
                runs=settings.rehab.projection_runs,
            )
            t0 = time.perf_counter()
            result = project(params, closed, solver_settings(settings))
            click.echo(
                f"{spec:<10}{(result.share or 0) * 100:>8.1f}%{result.due:>8.1f}"
                f"{result.due - result.on_time:>8.1f}{result.weeks[-1].backlog:>13.1f}"
                f"{time.perf_counter() - t0:>9.2f}"
            )
