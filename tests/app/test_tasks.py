"""The task queue is huey: SQLite storage by default, Redis when configured."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from booking.settings import QueueSettings
from booking.tasks import huey, make_huey


def _roundtrip(queue) -> int:
    @queue.task()
    def add(a: int, b: int) -> int:
        return a + b

    result = add(2, 3)
    task = queue.dequeue()
    assert task is not None, "the task was not stored in the queue"
    queue.execute(task)
    return result.get()


def test_sqlite_queue_stores_and_runs_a_task(tmp_path):
    queue = make_huey(QueueSettings(backend="sqlite", url=""), tmp_path)
    assert _roundtrip(queue) == 5
    assert (tmp_path / "queue.sqlite3").exists()


def test_redis_queue_stores_and_runs_a_task():
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {url} is required in CI: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    queue = make_huey(
        QueueSettings(backend="redis", url=url),
        None,  # type: ignore[arg-type]
        name=f"rettidig-test-{uuid.uuid4().hex[:8]}",
    )
    try:
        assert _roundtrip(queue) == 5
    finally:
        queue.flush()


def test_tests_run_the_queue_in_immediate_mode(app):
    assert huey.immediate is True
