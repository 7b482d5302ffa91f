"""Fixtures for the law-in-force tests: an app on SQLite or PostgreSQL (``any_db_url``), a
session in it, and a second session to check what a service committed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from booking.db import db
from booking.services.law.context import BY_DUE_DATE


@pytest.fixture
def dbs(db_app) -> Iterator[Session]:
    with db_app.app_context(), db.fresh_session() as s:
        yield s


@pytest.fixture
def other(db_app):
    """``other()``: a context manager giving a second session (what is committed)."""
    return db.fresh_session


@pytest.fixture
def auto():
    """The configuration "by due date" ([rules] active = "auto"), no optional holidays."""
    return BY_DUE_DATE
