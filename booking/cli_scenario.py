"""``flask --app booking scenario``: the live state as a simulation scenario.

* ``scenario export FILE``: write the live state as a scenario TOML that
  ``python -m solver.simulate FILE`` runs (``-`` writes to standard output).
* ``scenario run``: the app's what-if without changes, timed: export the live state and simulate
  ``[whatif] seeds`` × ``[whatif] weeks`` with the same code as the background job (the figure
  for issue 15's "20-seed what-if ≤ 2 minutes").
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

import click
from flask import Flask

from .db import db
from .extensions import settings as current_settings
from .services.clock import today_local
from .services.whatif import runs
from .services.whatif.figures import summarise


def _today(today: datetime | None) -> datetime:
    return today or datetime.combine(today_local(), datetime.min.time())


def register(app: Flask) -> None:
    @app.cli.group("scenario", help="The live state as a simulation scenario (what-ifs).")
    def scenario_group() -> None:
        pass

    @scenario_group.command("export")
    @click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
    @click.option(
        "--today",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help="The day of the live state (default: today).",
    )
    def export(file: str, today: datetime | None) -> None:
        """Write the live state as a scenario file (TOML) for python -m solver.simulate."""
        with db.fresh_session() as session:
            text = runs.scenario_text(session, current_settings(), _today(today).date())
        runs.check_scenario(text)
        if file == "-":
            sys.stdout.write(text)
            return
        with open(file, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"scenario written to {file} ({text.count('[[citizens]]')} citizens)")

    @scenario_group.command("run")
    @click.option("--seeds", type=int, default=None, help="Default: [whatif] seeds.")
    @click.option("--weeks", type=int, default=None, help="Default: [whatif] weeks.")
    @click.option("--jobs", type=int, default=None, help="Processes (default: [whatif] jobs).")
    @click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None)
    def run(seeds: int | None, weeks: int | None, jobs: int | None, today: datetime | None) -> None:
        """Time the app's what-if on the live state (export + simulation, no changes)."""
        settings = current_settings()
        seeds = seeds or settings.whatif.seeds
        weeks = weeks or settings.whatif.weeks
        jobs = jobs or runs.jobs_for(settings)
        t0 = time.perf_counter()
        with db.fresh_session() as session:
            text = runs.scenario_text(session, settings, _today(today).date())
        scenario = runs.check_scenario(text)
        t1 = time.perf_counter()
        per_seed = []
        for result in runs.simulate(scenario, seeds, weeks, jobs):
            per_seed.append(result)
            click.echo(f"  seed {len(per_seed)}/{seeds} done at {time.perf_counter() - t0:.1f} s")
        figures = summarise(per_seed, weeks)
        t2 = time.perf_counter()
        for name, fig in figures["policies"].items():
            c = fig["all"]
            click.echo(
                f"{name:>7}: {100 * c['mean']:.1f} % on time "
                f"[{100 * c['lo']:.1f}, {100 * c['hi']:.1f}]"
            )
        cpu = sum(r["cpu"]["seconds"] for r in per_seed)
        click.echo(
            f"{len(scenario.citizens)} citizens, {seeds} seeds x {weeks} weeks, "
            f"{jobs} processes: export {t1 - t0:.1f} s, simulation {t2 - t1:.1f} s, "
            f"total {t2 - t0:.1f} s (wall clock); processor time in the seeds "
            f"{cpu:.1f} s, {cpu / jobs:.1f} s per process"
        )
