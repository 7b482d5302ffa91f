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
        with _task_app().app_context():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
