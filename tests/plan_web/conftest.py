"""The conversation plan and central booking over HTTP: a planning world (one unit, two
caseworkers, four citizens due in four weeks, six slots) with a staff user of each role.

The plan blueprint is registered here when the app does not register it yet (its two lines in
booking/blueprints/__init__.py are the lead's to add).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.database import make_engine
from booking.db import db
from booking.models import AuditEntry, Booking, OutboxMessage, PlanRun, Role
from tests import factories
from tests.conftest import make_app
from tests.planning.conftest import World, add_obligation, build_world, today


def with_plan_blueprint(app):
    if "plan" not in app.blueprints:
        from booking.blueprints.plan import bp

        app.register_blueprint(bp, url_prefix="/planlaegning/samtaler")
    return app


@pytest.fixture
def app(sqlite_url):
    app = with_plan_blueprint(make_app(sqlite_url))
    yield app
    with app.app_context():
        db.engine.dispose()


@dataclass
class Staff:
    world: World
    other_unit_id: int
    other_obligation_id: int


@pytest.fixture
def staff(app) -> Staff:
    """The world, a second unit with one citizen due, and the users: ``planner``, ``indk``
    (call-in, the world's unit), ``indk2`` (call-in, the other unit), ``indk0`` (call-in, no
    unit), ``sb`` (caseworker), ``leder`` (manager), ``admin``."""
    with app.app_context(), db.fresh_session() as s:
        world = build_world(s)
        other = factories.unit(s)
        cw = factories.caseworker(s, other)
        person = factories.citizen(s, other, cw=cw, start=today() - timedelta(days=30))
        ob = add_obligation(s, person, earliest=today(), deadline=today() + timedelta(days=28))
        factories.staff(s, Role.planner, username="planner")
        factories.staff(s, Role.callin, username="indk", unit_id=world.unit.id)
        factories.staff(s, Role.callin, username="indk2", unit_id=other.id)
        factories.staff(s, Role.callin, username="indk0")
        factories.staff(s, Role.caseworker, username="sb", unit_id=world.unit.id)
        factories.staff(s, Role.manager, username="leder")
        factories.staff(s, Role.admin, username="admin")
        s.commit()
        return Staff(world, other.id, ob.id)


def fresh(app) -> Session:
    """A second session: what another request would see (the commit is real)."""
    return Session(make_engine(app.extensions["rettidig_db"].url))


def counts(app) -> tuple[int, int, int, int]:
    """(bookings, outbox messages, plan runs, audit rows)."""
    with fresh(app) as s:
        return (s.scalar(select(func.count(Booking.id))),
                s.scalar(select(func.count(OutboxMessage.id))),
                s.scalar(select(func.count(PlanRun.id))),
                s.scalar(select(func.count(AuditEntry.id))))
