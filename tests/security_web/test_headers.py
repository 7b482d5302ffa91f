"""Issue 13, finding 7: security headers (Flask-Talisman) and cookie flags on every response.

CSP without inline script, frame-ancestors 'none' + X-Frame-Options DENY (no other site frames a
page, e.g. the citizen's cancel page), nosniff, Referrer-Policy, HSTS only over https, no
redirect to https in the app itself; cookies HttpOnly, SameSite=Lax, and Secure when
``[app] public_url`` is https. The browser tests run under the same policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from booking.db import db
from booking.models import Role
from booking.web_security import HSTS_SECONDS
from tests import factories
from tests.conftest import make_app

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def assert_protected(response) -> None:
    csp = _directives(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_every_kind_of_page_carries_the_headers_over_http_without_hsts(client):
    pages = [client.get(p) for p in ("/login", "/health", "/findes-ikke", "/borger/")]
    for response in pages:
        assert_protected(response)
        assert "Strict-Transport-Security" not in response.headers
    assert pages[0].status_code == 200  # plain http is served, not redirected (tests, demo)


def test_staff_and_citizen_pages_cannot_be_framed(app, login, citizen_login):
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        factories.staff(s, Role.admin, username="chef")
        person = factories.citizen(s, unit)
        s.commit()
        staff = login(app, "chef")
        assert_protected(staff.get("/admin/"))
        citizen = citizen_login(app, person)
    for path in ("/borger/", "/borger/booking/1/aflys", "/borger/booking/1/flyt"):
        answer = citizen.get(path)
        assert answer.status_code in (200, 404), path
        assert_protected(answer)


def test_hsts_only_over_https(app, client):
    answer = client.get("/login", base_url="https://localhost")
    assert answer.status_code == 200
    assert answer.headers["Strict-Transport-Security"] == f"max-age={HSTS_SECONDS}"
    assert_protected(answer)


def _set_cookie(response, name: str) -> str:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert found, response.headers
    return found[-1]


def test_cookies_over_http_are_httponly_and_lax_but_not_secure(app, client):
    cookie = _set_cookie(client.get("/sprog/en"), "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


@pytest.fixture
def https_app(sqlite_url):
    app = make_app(sqlite_url, app={"public_url": "https://booking.example.dk"})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_behind_https_cookies_are_secure_and_hsts_is_sent(https_app):
    client = https_app.test_client()
    answer = client.get("/sprog/en")
    cookie = _set_cookie(answer, "session")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # a TLS proxy that talks plain http to the app (and [app] proxies = 0): the browser got the
    # page over https all the same, and the app does not redirect
    plain = client.get("/login", base_url="http://localhost")
    assert plain.status_code == 200
    assert plain.headers["Strict-Transport-Security"] == f"max-age={HSTS_SECONDS}"


def test_proxies_setting_trusts_forwarded_proto_and_address(sqlite_url):
    app = make_app(sqlite_url, app={"proxies": 1})
    seen = {}

    @app.get("/_probe")
    def _probe():
        from flask import request

        from booking.extensions import client_address

        seen.update(address=client_address(), secure=request.is_secure)
        return "ok"

    client = app.test_client()
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    answer = client.get("/_probe", headers=forwarded)
    assert seen == {"address": "203.0.113.7", "secure": True}
    assert "Strict-Transport-Security" in answer.headers
    with app.app_context():
        db.engine.dispose()


def test_without_proxies_forwarded_address_is_ignored(app):
    seen = {}

    @app.get("/_probe")
    def _probe():
        from booking.extensions import client_address

        seen["address"] = client_address()
        return "ok"

    app.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen["address"] == "127.0.0.1"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_need_no_inline_script_or_style():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.parent.name == "emails":
            continue  # mail, not a page: mail clients need their styles inline
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not problems, "\n".join(problems)
