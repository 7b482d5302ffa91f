"""The call-in room's pages by id keep to the viewer's units: a unit's call-in staff get the
purpose form for another unit's obligation (the central booking page) and a 403 for another
unit's group call-in session; the central call-in (no unit) reads every unit."""

from __future__ import annotations

from sqlalchemy import select

from booking.db import db
from booking.models import Obligation, Role
from tests import factories
from tests.callin.helpers import build

PURPOSE = "Borgeren ringede og bad om en tid."


def _staff(app, unit_id: int | None, name: str) -> None:
    with app.app_context(), db.fresh_session() as s:
        factories.staff(s, Role.callin, username=name, unit_id=unit_id)
        s.commit()


def _obligation_of(app, citizen_id: int) -> int:
    with app.app_context(), db.fresh_session() as s:
        found = s.scalars(select(Obligation.id).where(Obligation.citizen_id == citizen_id))
        return int(next(iter(found)))


def test_another_units_session_and_obligation_are_closed_to_a_units_callin(app, login):
    world = build(app, citizens=2)
    with app.app_context(), db.fresh_session() as s:
        elsewhere = factories.unit(s).id
        s.commit()
    _staff(app, elsewhere, "indk_b")
    _staff(app, world.unit_id, "indk_a")
    _staff(app, None, "indk_central")
    obligation = _obligation_of(app, world.citizen_ids[0])
    session_paths = [f"/indkald/{world.session_id}", f"/indkald/{world.session_id}/skranke"]

    outsider = login(app, "indk_b")
    for path in session_paths:
        page = outsider.get(path)
        assert page.status_code == 403, path
        assert "Indkaldelsen hører til en anden enhed." in page.text
        assert "Borger " not in page.text
    booking = outsider.get(f"/indkald/central/{obligation}")
    assert booking.status_code == 403 and "<h1>Formål</h1>" in booking.text
    assert "Borger " not in booking.text
    assert outsider.post(f"/indkald/central/{obligation}", data={}).status_code == 403
    # the purpose for that citizen opens their booking page in this web session
    stated = outsider.post(f"/borgere/{world.citizen_ids[0]}/formaal", data={"purpose": PURPOSE})
    assert stated.status_code == 302
    assert outsider.get(f"/indkald/central/{obligation}").status_code == 200
    assert outsider.get(session_paths[0]).status_code == 403  # a session stays closed

    for name in ("indk_a", "indk_central"):
        reader = login(app, name)
        for path in [*session_paths, f"/indkald/central/{obligation}"]:
            assert reader.get(path).status_code == 200, (name, path)
    assert login(app, "indk_b").get("/indkald/999999").status_code == 404
