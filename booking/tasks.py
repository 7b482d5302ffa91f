"""Background jobs on huey: SQLite storage by default, Redis when configured.

Run a worker with ``huey_consumer booking.tasks.huey`` (settings from config.toml). Tasks build
the app once per worker process and run inside its app context. In tests the queue runs in
immediate mode (``[queue] backend = "immediate"``): tasks execute inline, in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from huey import Huey, RedisHuey, SqliteHuey

from .config import PROJECT_ROOT, load_settings

F = TypeVar("F", bound=Callable[..., Any])


def make_huey(settings: dict[str, Any], instance_path: Path, name: str = "rettidig") -> Huey:
    queue = settings.get("queue", {})
    backend = queue.get("backend", "sqlite")
    if backend == "redis":
        return RedisHuey(name, url=queue["url"])
    if backend == "immediate":
        return SqliteHuey(name, immediate=True)
    instance_path.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(instance_path / "queue.sqlite3"))


huey = make_huey(load_settings(), PROJECT_ROOT / "instance")

_app = None


def configure(app: Any) -> None:
    """Called by create_app: the app that tasks run in, and immediate mode for tests."""
    global _app
    _app = app
    huey.immediate = app.config["RETTIDIG"].get("queue", {}).get("backend") == "immediate"


def _task_app() -> Any:
    global _app
    if _app is None:
        from . import create_app

        _app = create_app()
    return _app


def in_app_context(func: F) -> F:
    """Run a task body inside the Flask app context (for db.fresh_session and config)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from flask import has_app_context

        if has_app_context():  # immediate mode: run in the app that enqueued it
            return func(*args, **kwargs)
        with _task_app().app_context():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# --- outbox delivery (appended by the self-booking work) --------------------------------------

from huey import crontab  # noqa: E402


@huey.periodic_task(crontab(minute="*"))
@in_app_context
def deliver_outbox() -> str:
    """Every minute: send the outbox rows that are due (see booking.services.delivery)."""
    from flask import current_app

    from .db import db
    from .services.delivery import deliver_due

    with db.fresh_session() as session:
        report = deliver_due(
            session, current_app.config["RETTIDIG"], instance_path=current_app.instance_path
        )
    return report.summary()


# --- rehabilitation team ---------------------------------------------------------------------


@huey.task()
@in_app_context
def replan_rehab_task(today_iso: str | None = None) -> dict[str, Any]:
    """Re-plan rehabilitation cases into meetings with the solver."""
    from datetime import date

    from flask import current_app

    from .db import db
    from .services.rehab.jobs import replan_rehab

    with db.fresh_session() as session:
        today = date.fromisoformat(today_iso) if today_iso else None
        return replan_rehab(session, current_app.config["RETTIDIG"], today)


@huey.task()
@in_app_context
def project_scenario_task(scenario_id: int) -> None:
    """Project a what-if scenario (26 weeks of seeded inflow through the solver)."""
    from flask import current_app

    from .db import db
    from .services.rehab.jobs import run_scenario

    with db.fresh_session() as session:
        run_scenario(session, current_app.config["RETTIDIG"], scenario_id)
