"""The citizen's pages (issue 16): the self-booking world of tests/booking, and a session of the
test's own (no app context held: each request gets its own context and session, as in
production)."""

from __future__ import annotations

import re

import pytest

from booking.db import db
from tests.booking.conftest import World, build_world


@pytest.fixture
def session(app):
    with app.app_context():
        s = db.database.session()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def world(session) -> World:
    return build_world(session)


def request_key(html: str) -> str:
    return re.search(r'name="request_key"[^>]*value="([^"]+)"', html).group(1)


def visible_text(html: str) -> str:
    """The page's text as read (no tags, attributes, scripts or styles)."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html))
