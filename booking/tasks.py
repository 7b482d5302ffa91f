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
        _runtime = (settings, Database(settings.database_url, echo=settings.database.echo))
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
