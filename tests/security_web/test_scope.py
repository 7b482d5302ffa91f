"""Issue 13, finding 6: staff read the citizens of their own units; another unit's citizen
needs a stated purpose ("Formål"), which is audited and kept in the web session for a while.
Applied to the pages that show one citizen by id: the citizen page (lookup.citizen and its
changes) and the API's citizen obligations."""

from __future__ import annotations

import time

import pytest
from markupsafe import escape
from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry, Role
from booking.services.access_scope import (
    PURPOSE_STATED,
    PurposeRequired,
    check_citizen,
    reading_units,
    state_purpose,
)
from booking.services.accounts import staff_principal
from booking.services.errors import NotFound, ServiceError
from tests.booking.catalogue import english_or_skip
from tests.conftest import make_app
from tests.security_web.conftest import STAFF, build_world

PURPOSE = "Borgeren ringede om sin samtale; sagsbehandleren er syg."
NEEDS_PURPOSE = "Borgeren hører ikke til din enhed. Skriv formålet, før du åbner borgerens side."


@pytest.fixture
def world(app):
    return build_world(app)


# who reads which unit's citizen without a purpose (see services/access_scope.py)
READS = {
    "sb_a": {"A"},
    "indk_a": {"A"},
    "indk_central": {"A", "B"},
    "plan_a": {"A"},
    "plan_all": {"A", "B"},
    "leder_a": {"A"},
    "leder_all": {"A", "B"},
    "admin": set(),
}


@pytest.mark.parametrize("who", [s.username for s in STAFF])
def test_each_role_reads_its_own_units_and_is_asked_why_for_the_others(app, world, login, who):
    client = login(app, who)
    for unit, citizen_id in world.citizens.items():
        page = client.get(f"/borgere/{citizen_id}")
        api = client.get(f"/api/v1/citizens/{citizen_id}/obligations")
        if unit in READS[who]:
            assert page.status_code == 200, (who, unit)
            assert "Forløb" in page.text and "Formål" not in page.text
            assert api.status_code == 200 and api.json["citizen"]["id"] == citizen_id
        else:
            assert page.status_code == 403, (who, unit)
            assert "<h1>Formål</h1>" in page.text and NEEDS_PURPOSE in page.text
            assert "Borger " not in page.text and "xxxx" not in page.text  # nothing about them
            assert api.status_code == 403
            assert api.json["error"]["code"] == "purpose_required"


def test_the_purpose_opens_the_page_and_is_audited(app, world, login):
    client = login(app, "sb_a")
    other = world.citizens["B"]
    stated = client.post(f"/borgere/{other}/formaal", data={"purpose": f"  {PURPOSE}  "})
    assert stated.status_code == 302 and stated.headers["Location"] == f"/borgere/{other}"
    page = client.get(f"/borgere/{other}")
    assert page.status_code == 200 and "Forløb" in page.text
    assert client.get(f"/api/v1/citizens/{other}/obligations").status_code == 200
    with app.app_context(), db.fresh_session() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.citizen_id == other)))
    purposes = [r for r in rows if r.action == PURPOSE_STATED]
    assert len(purposes) == 1
    assert purposes[0].actor_id == world.staff_ids["sb_a"]
    assert purposes[0].detail == {"purpose": PURPOSE, "unit_id": world.units["B"]}
    assert "citizen_viewed" in {r.action for r in rows}
    # the purpose is for that one citizen and that web session only
    assert login(app, "sb_a").get(f"/borgere/{other}").status_code == 403


def test_changes_to_another_units_citizen_need_the_purpose_too(app, world, login):
    client = login(app, "sb_a")
    other = world.citizens["B"]
    assert client.post(f"/borgere/{other}/pauser", data={}).status_code == 403
    client.post(f"/borgere/{other}/formaal", data={"purpose": PURPOSE})
    assert client.post(f"/borgere/{other}/pauser", data={}).status_code == 302  # the form's own


def test_the_purpose_runs_out(app, world, login, monkeypatch, settings):
    client = login(app, "sb_a")
    other = world.citizens["B"]
    client.post(f"/borgere/{other}/formaal", data={"purpose": PURPOSE})
    assert client.get(f"/borgere/{other}").status_code == 200
    minutes = settings.security.citizen_purpose_minutes
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + minutes * 60 + 1)
    assert client.get(f"/borgere/{other}").status_code == 403


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("", 422, "Skriv formålet."),
        ("kort", 422, "Skriv formålet med mindst 10 tegn."),
        ("x" * 301, 422, "Formålet må højst være 300 tegn."),
    ],
)
def test_an_unusable_purpose_is_refused_in_danish(app, world, login, text, status, message):
    client = login(app, "sb_a")
    other = world.citizens["B"]
    answer = client.post(f"/borgere/{other}/formaal", data={"purpose": text})
    assert answer.status_code == status
    assert "<h1>Formål</h1>" in answer.text
    assert message in answer.text
    assert client.get(f"/borgere/{other}").status_code == 403


def test_a_missing_citizen_is_404_not_a_purpose_form(app, world, login):
    client = login(app, "sb_a")
    assert client.get("/borgere/999999").status_code == 404
    assert client.post("/borgere/999999/formaal", data={"purpose": PURPOSE}).status_code == 404
    assert client.get("/api/v1/citizens/999999/obligations").status_code == 404


def test_the_purpose_notice_in_english(app, world, login):
    english = english_or_skip(NEEDS_PURPOSE)
    client = login(app, "sb_a")
    client.get("/sprog/en")
    page = client.get(f"/borgere/{world.citizens['B']}").text
    assert str(escape(english)) in page  # as the template writes it (' is &#39;)


# --- the service ---------------------------------------------------------------------------


def test_reading_units_per_role(app, world, session):
    expected = {
        "sb_a": frozenset({world.units["A"]}),
        "indk_a": frozenset({world.units["A"]}),
        "indk_central": None,
        "plan_a": frozenset({world.units["A"]}),
        "plan_all": None,
        "leder_a": frozenset({world.units["A"]}),
        "leder_all": None,
        "admin": frozenset(),
    }
    for who, units in expected.items():
        viewer = staff_principal(session, world.staff_ids[who])
        assert reading_units(session, viewer) == units, who


def test_check_citizen_answers(app, world, session):
    viewer = staff_principal(session, world.staff_ids["sb_a"])
    assert viewer.role == Role.caseworker
    check_citizen(session, viewer, world.citizens["A"], purpose_stated=False)
    with pytest.raises(PurposeRequired):
        check_citizen(session, viewer, world.citizens["B"], purpose_stated=False)
    check_citizen(session, viewer, world.citizens["B"], purpose_stated=True)
    with pytest.raises(NotFound):
        check_citizen(session, viewer, 999999, purpose_stated=True)


def test_state_purpose_commits_by_itself(app, world, session):
    stored = state_purpose(
        session, world.staff_ids["sb_a"], world.citizens["B"], "  Borgeren   ringede\n om tid "
    )
    assert stored == "Borgeren ringede om tid"
    with app.app_context(), db.fresh_session() as other:
        row = other.scalar(select(AuditEntry).where(AuditEntry.action == PURPOSE_STATED))
        assert row is not None and row.detail["purpose"] == stored
    with pytest.raises(ServiceError) as short:
        state_purpose(session, world.staff_ids["sb_a"], world.citizens["B"], "for kort")
    assert short.value.code == "purpose_too_short"
    with pytest.raises(NotFound):
        state_purpose(session, world.staff_ids["sb_a"], 999999, PURPOSE)


def test_scope_and_purpose_on_both_databases(any_db_url, login):
    app = make_app(any_db_url)
    try:
        world = build_world(app)
        client = login(app, "leder_a")
        other = world.citizens["B"]
        assert client.get(f"/borgere/{world.citizens['A']}").status_code == 200
        assert client.get(f"/borgere/{other}").status_code == 403
        assert client.get(f"/api/v1/citizens/{other}/obligations").status_code == 403
        client.post(f"/borgere/{other}/formaal", data={"purpose": PURPOSE})
        assert client.get(f"/borgere/{other}").status_code == 200
        assert client.get(f"/api/v1/citizens/{other}/obligations").status_code == 200
        with app.app_context(), db.fresh_session() as s:
            stated = s.scalar(select(AuditEntry).where(AuditEntry.action == PURPOSE_STATED))
            assert stated is not None and stated.detail["purpose"] == PURPOSE
        assert login(app, "leder_all").get(f"/borgere/{other}").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()
