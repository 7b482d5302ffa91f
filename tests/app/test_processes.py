"""Past one process: two web processes and two huey workers on one PostgreSQL and one Redis.

Started for real on loopback as the README's production section runs it (gunicorn twice,
``huey_consumer`` twice, the queue and the rate limits on Redis, e-mail to an SMTP server on
loopback): two planners press "Planlæg" for the same unit at the same moment, one in each web
process. One plan run is made (the named index ``uq_plan_runs_unit_active``), both answers show
it, and one of the workers computes it. A citizen books in one web process and sees the booking
in the other, a re-plan runs, and the outbox is delivered by both workers at once (their minute
runs and extra runs queued together): every message leaves exactly once.
"""

from __future__ import annotations

import asyncio
import email
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
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


class Inbox:
    """The SMTP server's side: every e-mail received (several workers may send at once)."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.lock = asyncio.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        async with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@dataclass
class Cluster:
    bases: list[str]
    pg_url: str
    procs: list[subprocess.Popen]
    inbox: Inbox
    files: list[Path]  # the SMS and Digital Post adapters' logs
    secret: str


@pytest.fixture
def cluster(pg_url, tmp_path):
    try:
        queue = redis.Redis.from_url(REDIS_URL)
        queue.flushdb()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is required in CI: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    files = [tmp_path / "sms.log", tmp_path / "digital-post.log"]
    config = tmp_path / "production.toml"
    config.write_text(
        f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {smtp.port}\ntimeout_s = 10.0\n'
        f'[outbox]\nsms_log = "{files[0]}"\ndigital_post_log = "{files[1]}"\n'
    )
    secret = "a-test-secret-shared-by-both-web-processes"
    env = {
        **os.environ,
        "DATABASE_URL": pg_url,
        "RETTIDIG_QUEUE": "redis",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secret,
        "RETTIDIG_CONFIG": str(config),
    }
    build = subprocess.run(
        [str(BIN / "flask"), "--app", "booking", "demo", "--today", TODAY, "--citizens", "200"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    ports = [_free_port(), _free_port()]
    logs = [open(tmp_path / f"p{i}.log", "w") for i in range(4)]  # noqa: SIM115
    procs = [
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "2",
                "--threads",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "booking:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=logs[i],
            stderr=subprocess.STDOUT,
        )
        for i, port in enumerate(ports)
    ] + [
        subprocess.Popen(
            [str(BIN / "huey_consumer"), "booking.tasks.huey", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=logs[2 + i],
            stderr=subprocess.STDOUT,
        )
        for i in range(2)
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait_for(base + "/health")
        yield Cluster(bases, pg_url, procs, inbox, files, secret)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()
        smtp.stop()
        queue.flushdb()


def test_two_planners_in_two_web_processes_start_one_run_that_a_worker_computes(cluster):
    bases, pg_url, procs = cluster.bases, cluster.pg_url, cluster.procs
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
    shown = {
        urllib.parse.parse_qs(urllib.parse.urlsplit(a[2]).query)["koersel"][0] for a in answers
    }
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


def _plan_and_wait(browser: Browser, engine, unit_id: int) -> int:
    """Press "Planlæg" for ``unit_id``; the run's id once a worker has computed it."""
    token = browser.csrf("/planlaegning/samtaler/")
    status, _, location = browser.post(
        "/planlaegning/samtaler/",
        [("csrf_token", token), ("enhed", str(unit_id)), ("uger", "8")],
    )
    assert status == 302, status
    run_id = int(urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["koersel"][0])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            state = conn.scalar(text("SELECT state FROM plan_runs WHERE id = :r"), {"r": run_id})
        if state in ("done", "failed"):
            break
        time.sleep(0.5)
    assert state == "done", state
    return run_id


def _citizen_with_free_times(bases: list[str], engine, secret: str) -> tuple[Browser, int]:
    """A citizen with an e-mail address and a conversation to book, logged in through their
    personal link in the first web process; the obligation's id."""
    from booking.services.security import make_citizen_token

    with engine.connect() as conn:
        citizens = conn.execute(
            text("SELECT id, link_version FROM citizens WHERE email IS NOT NULL ORDER BY id")
        ).all()
    for citizen_id, version in citizens:
        browser = Browser(bases[0])
        status, _, _ = browser.get(f"/b/{make_citizen_token(secret, citizen_id, version)}")
        assert status == 302
        _, home, _ = browser.get("/borger/")
        for ob in re.findall(r'href="/borger/samtale/(\d+)"', home):
            _, page, _ = browser.get(f"/borger/samtale/{ob}")
            if 'name="slot"' in page:
                return browser, int(ob)
    raise AssertionError("no citizen with free times in the demo")


def _delivered(cluster: Cluster) -> list[int]:
    """The outbox ids that reached the SMTP server and the SMS / Digital Post adapters, one
    entry per delivery (a message delivered twice is listed twice)."""
    ids = []
    for message in list(cluster.inbox.messages):
        found = re.search(r"\.outbox(\d+)@", message["Message-ID"] or "")
        assert found, message["Message-ID"]
        ids.append(int(found.group(1)))
    for path in cluster.files:
        if path.exists():
            ids += [json.loads(line)["id"] for line in path.read_text().splitlines() if line]
    return ids


def test_a_booking_a_replan_and_the_outbox_across_two_web_processes_and_two_workers(cluster):
    from huey import RedisHuey

    from booking import tasks

    engine = create_engine(cluster.pg_url)
    # a citizen books in one web process and finds the booking in the other
    citizen, ob = _citizen_with_free_times(cluster.bases, engine, cluster.secret)
    _, page, _ = citizen.get(f"/borger/samtale/{ob}")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    slot = re.search(r'name="slot" id="slot-\d+" value="(\d+)"', page).group(1)
    status, _, location = citizen.post(
        f"/borger/samtale/{ob}/book",
        [("csrf_token", token), ("slot", slot), ("request_key", "two-machines")],
    )
    assert status == 302 and "/borger/booking/" in location, (status, location)
    booking_path = urllib.parse.urlsplit(location).path
    citizen.base = cluster.bases[1]
    status, shown, _ = citizen.get(booking_path)
    assert status == 200 and "kalender.ics" in shown
    with engine.connect() as conn:
        booking_id, unit_id = conn.execute(
            text(
                "SELECT b.id, c.unit_id FROM bookings b JOIN citizens c ON c.id = b.citizen_id "
                "WHERE b.request_key = 'two-machines' AND b.state = 'booked'"
            )
        ).one()
        confirmation = conn.scalar(
            text("SELECT id FROM outbox WHERE dedupe_key LIKE :k AND channel = 'email'"),
            {"k": f"booking:{booking_id}:%"},
        )
    assert confirmation is not None
    # a re-plan of the citizen's unit, asked in the second web process, computed by a worker
    planner = Browser(cluster.bases[1])
    planner.login("planlaegger", "rettidig-demo")
    _plan_and_wait(planner, engine, unit_id)
    # the outbox: both workers deliver at once (extra runs queued beside their minute runs)
    queue = RedisHuey(tasks.huey.name, url=REDIS_URL)
    deliver = queue.task()(tasks.deliver_outbox.func)  # the workers' booking.tasks.deliver_outbox
    deadline = time.monotonic() + 150
    while True:
        for _ in range(4):
            deliver()
        time.sleep(2)
        with engine.connect() as conn:
            due = conn.scalar(
                text("SELECT count(*) FROM outbox WHERE state = 'pending' AND not_before <= now()")
            )
        if due == 0:
            break
        assert time.monotonic() < deadline, f"{due} messages still due"
    time.sleep(2)  # a run that claimed the last rows has settled them
    delivered = _delivered(cluster)
    with engine.connect() as conn:
        sent = set(conn.scalars(text("SELECT id FROM outbox WHERE state = 'sent'")))
    assert confirmation in sent and confirmation in delivered
    doubles = sorted({i for i in delivered if delivered.count(i) > 1})
    assert doubles == []  # each message delivered exactly once
    assert set(delivered) == sent and len(delivered) == len(sent) > 1
    mail = next(m for m in cluster.inbox.messages if f".outbox{confirmation}@" in m["Message-ID"])
    calendar = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert all(proc.poll() is None for proc in cluster.procs)  # nobody crashed
    engine.dispose()
