"""Past one process: two web processes and two huey workers on one PostgreSQL and one Redis.

Started for real on loopback (``flask run`` twice, ``huey_consumer`` twice, the queue on Redis):
two planners press "Planlæg" for the same unit at the same moment, one in each web process. One
plan run is made (the named index ``uq_plan_runs_unit_active``), both answers show it, and one
of the workers computes it.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/13"
TODAY = "2027-03-01"

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


class Browser:
    """A client with its own cookies that follows no redirects (the test reads them)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect
        )

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: list[tuple[str, str]]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), response.headers["Location"]
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(), err.headers.get("Location") or ""

    def csrf(self, path: str) -> str:
        _status, page, _ = self.get(path)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert found, page[:500]
        return found.group(1)

    def login(self, username: str, password: str) -> None:
        token = self.csrf("/login")
        status, _, _ = self.post(
            "/login", [("csrf_token", token), ("username", username), ("password", password)]
        )
        assert status == 302


@pytest.fixture
def cluster(pg_url, tmp_path):
    try:
        queue = redis.Redis.from_url(REDIS_URL)
        queue.flushdb()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is required in CI: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    env = {
        **os.environ,
        "DATABASE_URL": pg_url,
        "RETTIDIG_QUEUE": "redis",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "a-test-secret-shared-by-both-web-processes",
    }
    env.pop("RETTIDIG_CONFIG", None)
    build = subprocess.run(
        [str(BIN / "flask"), "--app", "booking", "demo", "--today", TODAY, "--citizens", "200"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    ports = [_free_port(), _free_port()]
    logs = [open(tmp_path / f"p{i}.log", "w") for i in range(4)]  # noqa: SIM115
    procs = [
        subprocess.Popen(
            [str(BIN / "flask"), "--app", "booking", "run", "--port", str(port), "--with-threads"],
            cwd=ROOT, env=env, stdout=logs[i], stderr=subprocess.STDOUT,
        )
        for i, port in enumerate(ports)
    ] + [
        subprocess.Popen(
            [str(BIN / "huey_consumer"), "booking.tasks.huey", "--workers", "1"],
            cwd=ROOT, env=env, stdout=logs[2 + i], stderr=subprocess.STDOUT,
        )
        for i in range(2)
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait_for(base + "/health")
        yield bases, pg_url, procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()
        queue.flushdb()


def test_two_planners_in_two_web_processes_start_one_run_that_a_worker_computes(cluster):
    bases, pg_url, procs = cluster
    browsers = [Browser(base) for base in bases]
    for browser in browsers:
        browser.login("planlaegger", "rettidig-demo")
    tokens = [browser.csrf("/planlaegning/samtaler/") for browser in browsers]
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        unit_id = conn.scalar(text("SELECT min(id) FROM units"))
    answers: list[tuple[int, str, str]] = []
    barrier = threading.Barrier(2)

    def press(i: int) -> None:
        barrier.wait()
        answers.append(
            browsers[i].post(
                "/planlaegning/samtaler/",
                [("csrf_token", tokens[i]), ("enhed", str(unit_id)), ("uger", "8")],
            )
        )

    threads = [threading.Thread(target=press, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a[0] for a in answers] == [302, 302], answers
    shown = {urllib.parse.parse_qs(urllib.parse.urlsplit(a[2]).query)["koersel"][0]
             for a in answers}
    assert len(shown) == 1  # both clicks show the one run
    deadline = time.monotonic() + 120
    state = None
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, state, started_at FROM plan_runs WHERE unit_id = :u"),
                {"u": unit_id},
            ).all()
        assert len(rows) == 1, rows  # one run, whoever asked
        state = rows[0].state
        if state in ("done", "failed"):
            break
        time.sleep(0.5)
    assert state == "done" and rows[0].started_at is not None
    assert str(rows[0].id) in shown
    assert all(proc.poll() is None for proc in procs)  # nobody crashed
    engine.dispose()
