"""Background jobs on huey: SQLite storage by default, Redis when configured.

Run a worker with ``huey_consumer booking.tasks.huey``: it loads the settings and opens the
database itself (no Flask app). The app factory hands its own settings and database to
:func:`configure`, so in tests (``[queue] backend = "immediate"``) tasks run inline against the
test's database.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab

from .config_checks import guard_worker
from .database import Database
from .services import clock
from .settings import (
    DEFAULT_INSTANCE,
    QueueSettings,
    Settings,
    SettingsError,
    load_settings,
)


def make_huey(queue: QueueSettings, instance_path: Path, name: str = "rettidig") -> Huey:
    backend = queue.backend
    if backend == "redis":
        return RedisHuey(name, url=queue.url)
    if backend == "immediate":
        return SqliteHuey(name, immediate=True)
    instance_path.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(instance_path / "queue.sqlite3"))


try:
    huey = make_huey(load_settings().queue, DEFAULT_INSTANCE)
except SettingsError as err:  # the worker stops at start with each bad key's path
    raise SystemExit(str(err)) from None
guard_worker(huey)  # and with unsafe secrets in production (booking.config_checks)

_runtime: tuple[Settings, Database] | None = None


def configure(settings: Settings, database: Database) -> None:
    """Called by create_app: the settings and database tasks use; immediate mode for tests."""
    global _runtime
    _runtime = (settings, database)
    huey.immediate = settings.queue.backend == "immediate"


def runtime() -> tuple[Settings, Database]:
    """The worker's settings and database (built once per process when no app configured it)."""
    global _runtime
    if _runtime is None:
        settings = load_settings()
        clock.use_zone(settings.zone)
        database = Database(settings.database_url, echo=settings.database.echo,
                            connect_timeout_s=settings.database.connect_timeout_s)
        _runtime = (settings, database)
    return _runtime


@huey.periodic_task(crontab(minute="*"))
def deliver_outbox() -> str:
    """Every minute: send the outbox rows that are due (see booking.services.delivery)."""
    from .services.delivery import deliver_due

    settings, database = runtime()
    with database.fresh_session() as session:
        report = deliver_due(session, settings)
    return report.summary()


@huey.task()
def replan_rehab_task(today_iso: str | None = None) -> dict[str, Any]:
    """Re-plan rehabilitation cases into meetings with the solver."""
    from .services.rehab.jobs import replan_rehab

    settings, database = runtime()
    with database.fresh_session() as session:
        today = date.fromisoformat(today_iso) if today_iso else None
        return replan_rehab(session, settings, today)


@huey.task()
def project_scenario_task(scenario_id: int) -> None:
    """Project a what-if scenario (26 weeks of seeded inflow through the solver)."""
    from .services.rehab.jobs import run_scenario

    settings, database = runtime()
    with database.fresh_session() as session:
        run_scenario(session, settings, scenario_id)


@huey.task()
def whatif_task(run_id: int) -> bool:
    """Simulate a capacity what-if for conversations, seed by seed (booking.services.whatif);
    True when its figures were stored."""
    from .services.whatif.runs import execute

    settings, database = runtime()
    return execute(database.sessions, run_id, settings) is not None


# --- the conversation planner (booking.services.planning) ------------------------------------


def schedule_plan_run(run_id: int, trigger: str) -> None:
    """Start a plan run in the background: an event run waits ``[planning] event_delay_s``
    (events arriving meanwhile join the queued run), any other starts at once."""
    settings, _ = runtime()
    delay = settings.planning.event_delay_s if trigger == "event" else 0.0
    if delay > 0:
        plan_unit_task.schedule((run_id,), delay=delay)
    else:
        plan_unit_task(run_id)


@huey.task()
def plan_unit_task(run_id: int) -> dict[str, Any]:
    """Compute a queued plan run (see booking.services.planning.runs.execute_run)."""
    from .services.planning.runs import execute_run

    settings, database = runtime()
    return execute_run(database.sessions, run_id, settings, schedule=schedule_plan_run).as_dict()


@huey.periodic_task(crontab(minute="0"))
def nightly_replan() -> list[int] | None:
    """The nightly re-plan of every unit, at ``[planning] nightly_hour`` local time.

    Huey matches a crontab against the clock of the worker in UTC (``utc=True``, huey's
    default, which make_huey keeps), not against the local time. So the task runs every hour on
    the hour and goes ahead only in the hour that is ``nightly_hour`` in the configured zone
    (``[app] timezone``): right in summer and winter time alike, whatever zone the worker's
    machine is set to. Each unit gets a run with trigger ``nightly`` (a unit with an active run
    keeps that one); locked bookings stay, and the solver moves a booking only where a higher
    objective gains (``E_KEEP`` in solver/flow/costs.py)."""
    from datetime import datetime

    from .services.planning.runs import request_nightly

    settings, database = runtime()
    if datetime.now(clock.zone()).hour != settings.planning.nightly_hour:
        return None
    with database.fresh_session() as session:
        requests = request_nightly(session, settings, schedule=schedule_plan_run)
    return [r.run.id for r in requests]


def _use_plan_scheduler() -> None:
    from .services.planning.scheduling import use_scheduler

    use_scheduler(schedule_plan_run)


_use_plan_scheduler()
