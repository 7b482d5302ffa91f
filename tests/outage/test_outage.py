"""A database that goes away, on PostgreSQL behind a TCP proxy that refuses and cuts connections
(tests/outage/proxy.py):

* every page answers 503 with ``Retry-After``, rendered without the database (Danish, or English
  when chosen); the API answers JSON; ``/health`` says the process is up and the database
  unreachable, ``/health/ready`` answers 503; nothing is logged as an unexpected error;
* when the database is back the same app serves again, no restart;
* a connection killed in the middle of a booking (the backend terminated, or the proxy cut
  before a statement or before COMMIT) leaves no booking, no audit row, no outbox message and
  the seat free; the citizen's retry then books once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

from booking.db import db
from tests.fuzz.crawl import parse_page
from tests.fuzz.world import World, build_world

from .proxy import Proxy

pytestmark = pytest.mark.postgres


@dataclass
class Outage:
    world: World
    proxy: Proxy
    direct: Engine  # straight to PostgreSQL, not through the proxy


@pytest.fixture
def outage(pg_url) -> Iterator[Outage]:
    url = make_url(pg_url)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    world = build_world(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
    direct = create_engine(pg_url)
    try:
        yield Outage(world, proxy, direct)
    finally:
        proxy.up()
        with world.app.app_context():
            db.engine.dispose()
        direct.dispose()
        proxy.close()


@pytest.fixture
def logged_errors(outage) -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Handler(logging.ERROR)
    outage.world.app.logger.addHandler(handler)
    yield records
    outage.world.app.logger.removeHandler(handler)


def _assert_unavailable(response, lang: str = "da") -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert "503" in page
    if lang == "da":
        assert "Midlertidigt utilgængelig" in page
    assert "Log ud" not in page and "<nav" not in page  # no menu: nobody was loaded


def test_pages_answer_503_while_the_database_is_down_and_serve_again_after(outage, logged_errors):
    world, proxy = outage.world, outage.proxy
    admin, citizen = world.clients["admin"], world.clients["citizen"]
    english = world.fresh_client("planner")
    english.get("/sprog/en")
    pages = [(admin, "/admin/"), (citizen, "/borger/"), (english, "/planlaegning/")]
    for client, url in pages:
        assert client.get(url).status_code == 200, url
    assert admin.get("/health").json == {"status": "up", "database": "reachable"}

    proxy.down()
    for client, url in pages:
        _assert_unavailable(client.get(url), "en" if client is english else "da")
    login = world.app.test_client().post(
        "/login", data={"username": "admin", "password": "rettidig-demo"}
    )
    _assert_unavailable(login)
    api = admin.get("/api/v1/me")
    assert api.status_code == 503 and api.headers["Retry-After"] == "30"
    assert api.json["error"]["status"] == 503 and api.json["error"]["message"]
    health = world.app.test_client().get("/health")
    assert health.status_code == 200
    assert health.json == {"status": "up", "database": "unreachable"}
    ready = world.app.test_client().get("/health/ready")
    assert ready.status_code == 503 and ready.headers["Retry-After"] == "30"
    assert ready.json == {"status": "unavailable", "database": "unreachable"}

    proxy.up()  # the same app, the same clients: served again
    for client, url in pages:
        assert client.get(url).status_code == 200, url
    assert world.app.test_client().get("/health/ready").status_code == 200
    assert logged_errors == []  # no "unhandled error": every failure was a 503


# --- a connection killed in the middle of a booking ------------------------------------------


def _slot_form(world: World, direct: Engine) -> tuple[int, dict[str, str]]:
    """An open conversation of the citizen's and the form that books its first free time."""
    client = world.clients["citizen"]
    home = client.get("/borger/").get_data(as_text=True)
    for found in dict.fromkeys(re.findall(r"/borger/samtale/(\d+)", home)):
        obligation_id = int(found)
        with direct.connect() as conn:
            state = conn.scalar(
                text("SELECT state FROM obligations WHERE id = :o"), {"o": obligation_id}
            )
        if state != "open":
            continue
        url = f"/borger/samtale/{obligation_id}"
        forms, _links = parse_page(url, client.get(url).get_data(as_text=True))
        book = next((f for f in forms if f.action.endswith("/book")), None)
        if book is None:
            continue
        fields = {f.name: f.values for f in book.fields}
        if fields.get("slot"):
            return obligation_id, {
                "slot": fields["slot"][0],
                "request_key": fields["request_key"][0],
            }
    raise AssertionError("the demo citizen has no open conversation with a free time")


def _state(direct: Engine, obligation_id: int, slot_id: int) -> dict[str, object]:
    with direct.connect() as conn:
        return {
            "bookings": conn.scalar(
                text("SELECT count(*) FROM bookings WHERE obligation_id = :o AND state = 'booked'"),
                {"o": obligation_id},
            ),
            "seat_taken": conn.scalar(
                text("SELECT count(*) FROM bookings WHERE slot_id = :s AND state = 'booked'"),
                {"s": slot_id},
            ),
            "obligation": conn.scalar(
                text("SELECT state FROM obligations WHERE id = :o"), {"o": obligation_id}
            ),
            "audit": conn.scalar(
                text("SELECT count(*) FROM audit_log WHERE action = 'booking_created'")
            ),
            "outbox": conn.scalar(text("SELECT count(*) FROM outbox")),
        }


@pytest.mark.parametrize(
    ("how", "when"),
    [
        ("terminate", "INSERT INTO audit_log"),
        ("cut", "INSERT INTO audit_log"),
        ("cut", "INSERT INTO outbox"),
        ("cut", "COMMIT"),
    ],
)
def test_a_connection_killed_mid_booking_leaves_no_partial_booking(outage, how, when):
    world, proxy, direct = outage.world, outage.proxy, outage.direct
    obligation_id, form = _slot_form(world, direct)
    slot_id = int(form["slot"])
    before = _state(direct, obligation_id, slot_id)
    assert before["bookings"] == 0 and before["obligation"] == "open"
    engine = world.app.extensions["rettidig_db"].engine
    fired: list[str] = []

    def kill(conn) -> None:
        if fired:
            return
        fired.append(when)
        if how == "cut":
            proxy.down()
            return
        pid = conn.connection.dbapi_connection.info.backend_pid
        with direct.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})

    def before_statement(conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith(when.upper()):
            kill(conn)

    def before_commit(conn) -> None:
        if when == "COMMIT" and conn.in_transaction():
            kill(conn)

    event.listen(engine, "before_cursor_execute", before_statement)
    event.listen(engine, "commit", before_commit)
    try:
        response = world.clients["citizen"].post(f"/borger/samtale/{obligation_id}/book", data=form)
    finally:
        event.remove(engine, "before_cursor_execute", before_statement)
        event.remove(engine, "commit", before_commit)
        proxy.up()
    assert fired == [when]
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert _state(direct, obligation_id, slot_id) == before  # nothing half-done

    retry = world.clients["citizen"].post(f"/borger/samtale/{obligation_id}/book", data=form)
    assert retry.status_code == 302, retry.get_data(as_text=True)[:500]
    after = _state(direct, obligation_id, slot_id)
    assert after["bookings"] == 1 and after["obligation"] == "booked"
    assert after["seat_taken"] == before["seat_taken"] + 1
    assert after["audit"] == before["audit"] + 1
    assert after["outbox"] > before["outbox"]  # the confirmation with it
