"""Shared fixtures: app/client/runner on a fresh SQLite file, PostgreSQL when reachable.

PostgreSQL tests use ``pg_url``: a throw-away database on 127.0.0.1:5432 (user postgres). When
the server cannot be reached they are skipped locally, but with ``CI=true`` that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from booking import create_app, migrate
from booking.db import db

PG_ADMIN_URL = os.environ.get(
    "RETTIDIG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FAST_HASH = {"argon2_time_cost": 1, "argon2_memory_kib": 8192}


def app_overrides(url: str, **extra: object) -> dict:
    overrides: dict = {
        "database": {"url": url},
        "security": dict(FAST_HASH),
        "queue": {"backend": "immediate"},
        "flask": {"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False},
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(overrides.get(key), dict):
            overrides[key] = {**overrides[key], **value}
        else:
            overrides[key] = value
    return overrides


def _pg_reachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


@pytest.fixture(scope="session")
def pg_server() -> str:
    problem = _pg_reachable()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required in CI: {problem}")
        pytest.skip(f"PostgreSQL not reachable ({problem})")
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    name = f"rettidig_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_server.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'rettidig.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


def use_settings(app, settings) -> None:
    """Run ``app`` with changed settings from now on (the settings object itself is frozen)."""
    app.extensions["rettidig_settings"] = settings
    from booking import tasks

    tasks.configure(settings, app.extensions["rettidig_db"])


def make_app(url: str, **extra: object):
    app = create_app(app_overrides(url, **extra))
    migrate.upgrade(url)
    with app.app_context():
        from booking.services.rulesets import sync_rule_sets

        with db.fresh_session() as session:
            sync_rule_sets(session)
    return app


@pytest.fixture
def app(sqlite_url):
    app = make_app(sqlite_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def db_app(any_db_url):
    """An app on SQLite and on PostgreSQL: a test using it runs once on each."""
    app = make_app(any_db_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def settings(app):
    """The app's typed settings (frozen; change them with ``use_settings``)."""
    return app.extensions["rettidig_settings"]


@pytest.fixture
def client(app):
    return app.test_client()


DEMO_PASSWORD = "rettidig-demo"


def log_in(client, username: str, password: str | None = None):
    """Post the staff log-in form; returns the response (302 on success)."""
    from tests.factories import PASSWORD

    return client.post("/login", data={"username": username, "password": password or PASSWORD})


@pytest.fixture
def login():
    """``login(app_or_client, username, password=None)``: a client logged in as staff.

    Given an app, a new client is made; the log-in must succeed (302)."""

    def _login(target, username: str, password: str | None = None):
        client = target.test_client() if hasattr(target, "test_client") else target
        response = log_in(client, username, password)
        assert response.status_code == 302, response.text[:300]
        return client

    return _login


@pytest.fixture
def citizen_login():
    """``citizen_login(app, citizen, client=None)``: a client logged in by the personal link."""
    from booking.services.accounts import citizen_link_token

    def _login(app, citizen, client=None):
        client = client or app.test_client()
        token = citizen_link_token(app.config["SECRET_KEY"], citizen)
        assert client.get(f"/b/{token}").status_code == 302
        return client

    return _login


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app) -> Iterator[Session]:
    with app.app_context(), db.fresh_session() as s:
        yield s


DEMO_TODAY = date(2027, 3, 1)


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """One small demo municipality (150 citizens) shared by read-only page tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    app = make_app(f"sqlite:///{path}", demo={"citizens": 150})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--today", DEMO_TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    app.config["DEMO_OUTPUT"] = result.output
    return app


# --- PostgreSQL accounting -------------------------------------------------------------------

_PG_FIXTURES = {"pg_url", "pg_server"}
_pg_outcomes: dict[str, int] = {"passed": 0, "failed": 0, "skipped": 0}


def _uses_postgres(item) -> bool:
    if _PG_FIXTURES & set(getattr(item, "fixturenames", ())):
        callspec = getattr(item, "callspec", None)
        if callspec is None or callspec.params.get("any_db_url", "postgres") == "postgres":
            return True
    return item.get_closest_marker("postgres") is not None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _uses_postgres(item) and item.get_closest_marker("postgres") is None:
            item.add_marker(pytest.mark.postgres)


def pytest_runtest_logreport(report):
    if "postgres" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _pg_outcomes[report.outcome] = _pg_outcomes.get(report.outcome, 0) + 1


def pytest_terminal_summary(terminalreporter):
    o = _pg_outcomes
    terminalreporter.write_line(
        f"PostgreSQL tests: {o['passed']} passed, {o['failed']} failed, {o['skipped']} skipped "
        f"(server {PG_ADMIN_URL.rsplit('@', 1)[-1]})"
    )
