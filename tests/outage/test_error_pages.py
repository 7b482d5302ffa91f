"""The error handlers on their own (no proxy needed, SQLite): a database error raised anywhere in
a view is a 503 page built without the database; a value the database refused is a 400."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from tests.conftest import make_app

FAILURES = {
    "operational": OperationalError("SELECT 1", {}, ConnectionRefusedError("refused")),
    "interface": InterfaceError("SELECT 1", {}, Exception("connection already closed")),
    "pool": PoolTimeout("QueuePool limit of size 5 overflow 10 reached"),
}


@pytest.fixture
def app(sqlite_url):
    app = make_app(sqlite_url)

    def fail(kind: str):
        if kind == "data":
            raise DataError("SELECT %(x)s", {"x": 2**40}, Exception("integer out of range"))
        raise FAILURES[kind]

    app.add_url_rule("/test/fail/<kind>", "test_fail", fail)
    app.add_url_rule("/api/v1/test/fail/<kind>", "test_api_fail", fail)
    return app


@pytest.mark.parametrize("kind", list(FAILURES))
def test_a_database_failure_is_a_503_page_without_the_database(app, kind, caplog):
    client = app.test_client()
    response = client.get(f"/test/fail/{kind}")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert '<html lang="da">' in page and "Midlertidigt utilgængelig" in page
    assert "Prøv igen om 30 sekunder." in page
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_503_page_follows_the_chosen_language(app):
    client = app.test_client()
    client.get("/sprog/en")
    response = client.get("/test/fail/operational")
    assert response.status_code == 503 and '<html lang="en">' in response.get_data(as_text=True)


def test_the_api_answers_json_503(app):
    response = app.test_client().get("/api/v1/test/fail/operational")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.json["error"]["status"] == 503
    assert "Databasen kan ikke nås" in response.json["error"]["message"]


def test_a_value_the_database_refused_is_a_400_logged_as_a_warning(app, caplog):
    caplog.set_level(logging.WARNING)
    response = app.test_client().get("/test/fail/data")
    assert response.status_code == 400
    assert "for stort" in response.get_data(as_text=True)
    warned = [r for r in caplog.records if r.levelno == logging.WARNING and r.exc_info]
    assert len(warned) == 1 and "reached the database unchecked" in warned[0].getMessage()
