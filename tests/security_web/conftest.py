"""Fixtures for the trust work's web tests (issue 13: log-in limits, citizen scope and read rate,
security headers): apps with the rate limits switched on, and a world of two units with one
staff member per role and scope."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from booking.db import db
from booking.extensions import limiter
from booking.models import Role
from tests import factories
from tests.conftest import make_app


@pytest.fixture(autouse=True)
def _limiter_off_afterwards():
    """Flask-Limiter is one module-level object whose ``enabled`` the latest app sets: switch
    it off again after a test that switched it on, as every other test's app expects."""
    yield
    limiter.enabled = False
    limiter._key_prefix = ""  # init_app keeps the first prefix it saw (``self._key_prefix or``)


def limited_app(url: str, **extra: object):
    """An app with the log-in limits and the citizen read rate on (CSRF off, as in tests)."""
    flask = {"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True}
    more = extra.pop("flask", {})
    assert isinstance(more, dict)
    return make_app(url, flask={**flask, **more}, **extra)


@pytest.fixture
def limited(sqlite_url):
    app = limited_app(sqlite_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@dataclass(frozen=True)
class Staff:
    username: str
    role: Role
    unit: str | None  # "A", "B" or None (no unit)


# who is who: (username, role, unit) — the caseworker's unit comes from their Caseworker row
STAFF = (
    Staff("sb_a", Role.caseworker, "A"),
    Staff("indk_a", Role.callin, "A"),
    Staff("indk_central", Role.callin, None),
    Staff("plan_a", Role.planner, "A"),
    Staff("plan_all", Role.planner, None),
    Staff("leder_a", Role.manager, "A"),
    Staff("leder_all", Role.manager, None),
    Staff("admin", Role.admin, None),
)


@dataclass(frozen=True)
class World:
    units: dict[str, int]
    citizens: dict[str, int]  # "A" / "B" -> a citizen of that unit
    staff_ids: dict[str, int]


def build_world(app) -> World:
    with app.app_context(), db.fresh_session() as s:
        units = {"A": factories.unit(s), "B": factories.unit(s)}
        ids = {}
        for who in STAFF:
            unit_id = None
            if who.unit and who.role != Role.caseworker:
                unit_id = units[who.unit].id
            user = factories.staff(s, who.role, username=who.username, unit_id=unit_id)
            if who.role == Role.caseworker:
                factories.caseworker(s, units[who.unit], user=user)
            ids[who.username] = user.id
        citizens = {code: factories.citizen(s, unit).id for code, unit in units.items()}
        s.commit()
        return World({k: u.id for k, u in units.items()}, citizens, ids)
