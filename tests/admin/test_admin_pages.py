"""Issue 14 item 5 on the web: the administrator creates, edits, deactivates and re-activates
accounts and hands over a one-time password link; the link's page sets a password once and is
rate-limited like the log-in. Refusals read in Danish and change nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from booking.db import db
from booking.extensions import limiter
from booking.models import AuditEntry, Caseworker, Role, StaffUser
from tests import factories
from tests.conftest import make_app


@pytest.fixture
def world(app):
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        admin = factories.staff(s, Role.admin, username="chef")
        planner = factories.staff(s, Role.planner, username="plan")
        s.commit()
        return {"unit": unit.id, "unit_name": unit.name, "admin": admin.id,
                "planner": planner.id}


def _user(app, username: str) -> StaffUser | None:
    with app.app_context(), db.fresh_session() as s:
        return s.scalars(select(StaffUser).where(StaffUser.username == username)).one_or_none()


def _token(page: str) -> str:
    found = re.search(r'value="https?://[^"]*/adgangskode/([^"]+)"', page)
    assert found, page[:2000]
    return found[1]


def _new(client, world, **data):
    form = {"username": "mette.sb", "full_name": "Mette Sørensen", "email": "",
            "role": "caseworker", "unit": str(world["unit"]), "initials": ""}
    return client.post("/admin/brugere/ny", data={**form, **data})


def test_only_an_admin_enters(app, world, login):
    planner = login(app, "plan")
    for url in ("/admin/brugere/ny", f"/admin/brugere/{world['planner']}", "/admin/revisionsspor"):
        assert planner.get(url).status_code == 403
    assert planner.post(f"/admin/brugere/{world['admin']}/deaktiver").status_code == 403
    assert app.test_client().get("/admin/brugere/ny").status_code == 302  # to the log-in


def test_create_hand_over_the_link_and_log_in(app, world, login):
    admin = login(app, "chef")
    home = admin.get("/admin/")
    assert "Opret bruger" in home.text and "Hele revisionssporet" in home.text
    form = admin.get("/admin/brugere/ny")
    assert form.status_code == 200 and world["unit_name"] in form.text
    page = _new(admin, world)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Engangslink til Mette Sørensen" in page.text and "ingen e-mailadresse" in page.text
    token = _token(page.text)
    user = _user(app, "mette.sb")
    assert user is not None and user.role == Role.caseworker and user.unit_id == world["unit"]
    with app.app_context(), db.fresh_session() as s:
        cw = s.scalars(select(Caseworker).where(Caseworker.staff_user_id == user.id)).one()
        assert cw.initials == "MS" and cw.unit_id == world["unit"]

    newcomer = app.test_client()
    greeting = newcomer.get(f"/adgangskode/{token}")
    assert greeting.status_code == 200 and "mette.sb" in greeting.text
    mismatch = newcomer.post(f"/adgangskode/{token}",
                             data={"password": "en lang god sætning", "repeat": "noget andet"})
    assert mismatch.status_code == 422 and "ikke ens" in mismatch.text
    short = newcomer.post(f"/adgangskode/{token}", data={"password": "kort", "repeat": "kort"})
    assert short.status_code == 422 and "mindst 12 tegn" in short.text
    done = newcomer.post(f"/adgangskode/{token}", data={"password": "en lang god sætning",
                                                        "repeat": "en lang god sætning"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    again = newcomer.get(f"/adgangskode/{token}")
    assert again.status_code == 403 and "allerede brugt" in again.text
    assert login(app, "mette.sb", "en lang god sætning").get("/sagsbehandler/").status_code == 200
    assert newcomer.get("/adgangskode/noget-helt-forkert").status_code == 403


def test_creation_refusals_are_danish_and_change_nothing(app, world, login):
    admin = login(app, "chef")
    taken = _new(admin, world, username="plan", unit="", email="nope")
    assert taken.status_code == 422
    assert "Brugernavnet plan er optaget" in taken.text
    assert "En sagsbehandler skal høre til en enhed" in taken.text
    assert "gyldig e-mailadresse" in taken.text
    assert _user(app, "mette.sb") is None
    bad_unit = _new(admin, world, unit="abc")
    assert bad_unit.status_code == 422 and "Vælg en enhed på listen" in bad_unit.text
    bad_role = _new(admin, world, role="citizen")
    assert bad_role.status_code == 422 and _user(app, "mette.sb") is None


def test_edit_role_and_unit_deactivate_and_reactivate(app, world, login):
    admin = login(app, "chef")
    planner = login(app, "plan")
    edit = admin.get(f"/admin/brugere/{world['planner']}")
    assert edit.status_code == 200 and '<option selected value="planner">' in edit.text
    saved = admin.post(f"/admin/brugere/{world['planner']}", data={
        "full_name": "Pia Planlægger", "email": "pia@kommune.dk", "role": "manager",
        "unit": str(world["unit"]), "initials": ""})
    assert saved.status_code == 302
    user = _user(app, "plan")
    assert (user.role, user.unit_id, user.full_name) == (Role.manager, world["unit"],
                                                         "Pia Planlægger")
    assert planner.get("/ledelse/").status_code == 302  # a new role ends the session
    planner = login(app, "plan")
    off = admin.post(f"/admin/brugere/{world['planner']}/deaktiver", follow_redirects=True)
    assert "Pia Planlægger er deaktiveret" in off.text and "Aktivér bruger igen" in off.text
    assert planner.get("/ledelse/").status_code == 302  # logged out at once
    refused = app.test_client().post("/login", data={"username": "plan",
                                                     "password": factories.PASSWORD})
    assert refused.status_code == 422
    on = admin.post(f"/admin/brugere/{world['planner']}/aktiver", follow_redirects=True)
    assert "Pia Planlægger er aktiv igen" in on.text
    assert login(app, "plan").get("/ledelse/").status_code == 200
    assert admin.get("/admin/brugere/999999").status_code == 404
    assert admin.post("/admin/brugere/999999/deaktiver").status_code == 404


def test_an_admin_cannot_lock_themselves_out(app, world, login):
    admin = login(app, "chef")
    own = admin.post(f"/admin/brugere/{world['admin']}/deaktiver", follow_redirects=True)
    assert "Du kan ikke deaktivere dig selv" in own.text
    demote = admin.post(f"/admin/brugere/{world['admin']}", data={
        "full_name": "Chef", "email": "", "role": "planner", "unit": "", "initials": ""})
    assert demote.status_code == 422 and "ændre din egen rolle" in demote.text
    user = _user(app, "chef")
    assert user.active and user.role == Role.admin


def test_a_reset_link_for_a_user_with_email_is_queued_and_older_links_die(app, world, login):
    admin = login(app, "chef")
    with app.app_context(), db.fresh_session() as s:
        s.get(StaffUser, world["planner"]).email = "pia@kommune.dk"
        s.commit()
    first = _token(admin.post(f"/admin/brugere/{world['planner']}/adgangskode").text)
    page = admin.post(f"/admin/brugere/{world['planner']}/adgangskode")
    assert "også sendt til pia@kommune.dk" in page.text
    second = _token(page.text)
    client = app.test_client()
    assert client.get(f"/adgangskode/{first}").status_code == 403
    assert client.get(f"/adgangskode/{second}").status_code == 200
    with app.app_context(), db.fresh_session() as s:
        actions = s.scalars(select(AuditEntry.action).where(
            AuditEntry.object_id == world["planner"])).all()
    assert actions.count("admin.password_link_issued") == 2


@pytest.fixture
def limited(sqlite_url):
    app = make_app(sqlite_url, flask={"TESTING": True, "WTF_CSRF_ENABLED": False,
                                      "RATELIMIT_ENABLED": True})
    yield app
    limiter.enabled = False  # one module-level limiter: the next test's app expects it off
    limiter._key_prefix = ""
    with app.app_context():
        db.engine.dispose()


def test_the_reset_page_is_rate_limited_like_the_log_in(limited):
    client = limited.test_client()
    codes = [client.post("/adgangskode/gaet-et-link", data={"password": "x", "repeat": "x"})
             .status_code for _ in range(11)]
    assert codes[:10] == [403] * 10 and codes[10] == 429
    assert client.get("/adgangskode/gaet-et-link").status_code == 403  # reading is not counted
