"""Personal-link tokens never reach a log: werkzeug's access log of a real server, the app's
error log with its traceback (an error raised while serving a link), gunicorn's loggers."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from flask import request
from werkzeug.serving import make_server

from booking.db import db
from booking.models import Citizen
from booking.services.accounts import citizen_link_token
from booking.settings import PROJECT_ROOT
from booking.web_logging import LOGGERS, RedactTokens, redact
from tests import factories
from tests.conftest import make_app


@pytest.fixture
def linked(sqlite_url):
    """An app that logs errors as in production (no propagation), a citizen and their token."""
    app = make_app(sqlite_url, flask={"TESTING": False, "PROPAGATE_EXCEPTIONS": False})
    with app.app_context(), db.fresh_session() as s:
        citizen = factories.citizen(s, factories.unit(s))
        s.commit()
        token = citizen_link_token(app.config["SECRET_KEY"], s.get(Citizen, citizen.id))
    yield app, token
    with app.app_context():
        db.engine.dispose()


def _everything(caplog) -> str:
    """Every captured record as a handler would write it, traceback included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_the_werkzeug_access_log_of_a_real_server_has_no_token(linked, caplog):
    app, token = linked
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(f"{base}/b/{token}") as response:  # follows to /borger/
            assert response.status == 200
        with browser.open(f"{base}/login?calendar_token={token}") as response:
            assert response.status == 200
    finally:
        server.shutdown()
        thread.join(5)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("GET /b/[redacted] HTTP/1.1" in line and " 302 " in line for line in lines), lines
    assert any("calendar_token=[redacted]" in line for line in lines), lines
    assert token not in _everything(caplog)
    assert token.split(".")[0] not in _everything(caplog)


def test_an_error_while_serving_a_link_is_logged_without_the_token(linked, caplog):
    app, token = linked

    @app.before_request
    def fail_on_links() -> None:
        if request.path.startswith("/b/"):
            raise RuntimeError(f"could not serve {request.url}")

    caplog.set_level(logging.INFO)
    response = app.test_client().get(f"/b/{token}")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, caplog.records
    text = _everything(caplog)
    assert "/b/[redacted]" in text
    assert "RuntimeError: could not serve http://localhost/b/[redacted]" in text  # traceback
    assert token not in text


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        ('"GET /b/abc.DEF-_1.x HTTP/1.1" 302 -', '"GET /b/[redacted] HTTP/1.1" 302 -'),
        ("https://x.dk/b/abc.def?next=1#top", "https://x.dk/b/[redacted]?next=1#top"),
        ("referer 'http://x/b/abc.def'", "referer 'http://x/b/[redacted]'"),
        (
            "/kalender.ics?calendar_token=s3cr3t&uge=1",
            "/kalender.ics?calendar_token=[redacted]&uge=1",
        ),
        ("/x?TOKEN=abc", "/x?TOKEN=[redacted]"),
        (
            '"GET /sprog/en?next=%2Fb%2Fabc.DEF-_1 HTTP/1.1" 302',
            '"GET /sprog/en?next=%2Fb%2F[redacted] HTTP/1.1" 302',
        ),
        ("/borger/b/", "/borger/b/"),  # nothing after the slash: nothing to hide
        ("GET /borger/ 200", "GET /borger/ 200"),
    ],
)
def test_redact(line, clean):
    assert redact(line) == clean


def test_the_filter_sits_once_on_every_request_and_error_logger(linked, sqlite_url):
    app, _ = linked
    second = make_app(sqlite_url)  # a second app adds no second filter
    for name in LOGGERS:
        assert sum(isinstance(f, RedactTokens) for f in logging.getLogger(name).filters) == 1
    for logger in (app.logger, second.logger):
        assert sum(isinstance(f, RedactTokens) for f in logger.filters) == 1
    with second.app_context():
        db.engine.dispose()


def test_gunicorns_access_record_with_its_dict_of_atoms_is_redacted(linked, caplog):
    caplog.set_level(logging.INFO, logger="gunicorn.access")
    access = logging.getLogger("gunicorn.access")
    access.propagate = True  # gunicorn turns it off; on here so that caplog sees the record
    access.info(
        '%(h)s "%(r)s" %(s)s', {"h": "127.0.0.1", "r": "GET /b/abc.def HTTP/1.1", "s": "302"}
    )
    assert caplog.records[-1].getMessage() == '127.0.0.1 "GET /b/[redacted] HTTP/1.1" 302'


def test_gunicorns_access_and_error_logs_have_no_token(linked, sqlite_url, tmp_path):
    """A real gunicorn: the access log line of a link shows ``/b/[redacted]``."""
    _, token = linked
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = {**os.environ, "DATABASE_URL": sqlite_url, "RETTIDIG_MODE": "demo"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--no-control-socket",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access),
            "--error-logfile",
            str(errors),
            "booking:create_app()",
        ],
        env=env,
        cwd=PROJECT_ROOT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/health", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, errors.read_text()
                time.sleep(0.2)
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(f"{base}/b/{token}") as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(30)
    written = access.read_text() + errors.read_text()
    assert '"GET /b/[redacted] HTTP/1.1" 302' in written, written
    assert token not in written and token.split(".")[0] not in written
