"""The loop on SQLite and on PostgreSQL: plan → accept over HTTP; a central booking; a second
booking of the same seat refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import Booking, BookingSource, Role
from tests import factories
from tests.conftest import make_app
from tests.planning.conftest import build_world

from .conftest import fresh, with_plan_blueprint

BASE = "/planlaegning/samtaler"


@pytest.fixture
def both_app(any_db_url):
    app = with_plan_blueprint(make_app(any_db_url))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_plan_accept_and_book_centrally(both_app, login):
    app = both_app
    with app.app_context(), db.fresh_session() as s:
        world = build_world(s, citizens=5)
        factories.staff(s, Role.planner, username="planner")
        factories.staff(s, Role.callin, username="indk", unit_id=world.unit.id)
        s.commit()
        obligations = [ob.id for ob in world.obligations]
        slots = [slot.id for slot in world.slots]
    planner = login(app, "planner")
    r = planner.post(f"{BASE}/", data={"enhed": [str(world.unit.id)], "uger": "8"})
    assert r.status_code == 302
    r = planner.post(f"{BASE}/godkend", data={"koersel": r.location.split("koersel=")[1],
                                              "godkend": "valgte", "valgt": ["1:1", "1:2"]})
    assert r.status_code == 302
    with fresh(app) as s:
        booked = s.scalars(select(Booking)).all()
        assert len(booked) == 2 and {b.source for b in booked} == {BookingSource.solver}
        taken = {b.slot_id for b in booked}
        free = [i for i in obligations if i not in {b.obligation_id for b in booked}]
    callin = login(app, "indk")
    slot = next(i for i in slots if i not in taken)
    assert callin.post(f"/indkald/central/{free[0]}", data={"slot": str(slot)}).status_code == 302
    r = callin.post(f"/indkald/central/{free[1]}", data={"slot": str(slot)})
    assert r.status_code == 409 and "Tiden er lige blevet taget" in r.text
    with fresh(app) as s:
        assert s.scalars(select(Booking.source).where(Booking.slot_id == slot)).all() == [
            BookingSource.callin]
