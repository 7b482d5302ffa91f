"""Log-in for each role, citizens' personal links, and who may open what."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeTimedSerializer

from booking.db import db
from booking.models import Citizen, Role
from booking.services.security import LINK_SALT, make_citizen_token
from tests import factories
from tests.conftest import log_in, make_app

HOMES = {
    Role.caseworker: "/sagsbehandler/",
    Role.callin: "/indkald/",
    Role.planner: "/planlaegning/",
    Role.manager: "/ledelse/",
    Role.admin: "/admin/",
}
STAFF_PAGES = list(HOMES.values()) + ["/api/v1/me"]


@pytest.fixture
def world(app):
    """One unit, one staff user per role (the caseworker with a caseworker record), a citizen."""
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        users = {role: factories.staff(s, role, unit_id=unit.id) for role in HOMES}
        cw = factories.caseworker(s, unit, user=users[Role.caseworker])
        citizen = factories.citizen(s, unit, cw=cw)
        s.commit()
        return {
            "users": {r: u.username for r, u in users.items()},
            "citizen": citizen.id,
            "link_version": citizen.link_version,
        }


login = log_in


def citizen_link(app, citizen_id, version=1):
    return "/b/" + make_citizen_token(app.config["SECRET_KEY"], citizen_id, version)


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_logs_in_and_lands_on_its_home(client, world, role):
    response = login(client, world["users"][role])
    assert response.status_code == 302
    assert response.headers["Location"] == HOMES[role]
    page = client.get(HOMES[role])
    assert page.status_code == 200
    assert 'lang="da"' in page.text and "Log ud" in page.text


def test_wrong_password_is_refused_in_danish(client, world):
    response = login(client, world["users"][Role.planner], "wrong")
    assert response.status_code == 422
    assert "Forkert brugernavn eller adgangskode." in response.text
    assert client.get("/planlaegning/").status_code == 302  # still not logged in


@pytest.mark.parametrize(
    ("role", "forbidden"),
    [
        (Role.caseworker, "/planlaegning/"),
        (Role.caseworker, "/admin/"),
        (Role.callin, "/ledelse/"),
        (Role.planner, "/indkald/"),
        (Role.manager, "/admin/"),
    ],
)
def test_roles_are_enforced_per_blueprint(client, world, role, forbidden):
    login(client, world["users"][role])
    response = client.get(forbidden)
    assert response.status_code == 403
    assert "Ingen adgang" in response.text


def test_admin_may_open_every_staff_page(client, world):
    login(client, world["users"][Role.admin])
    for page in ["/indkald/", "/planlaegning/", "/ledelse/", "/admin/"]:
        assert client.get(page).status_code == 200, page


def test_anonymous_staff_page_redirects_to_login(client):
    response = client.get("/planlaegning/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_citizen_link_opens_own_page_and_no_staff_page(app, client, world):
    response = client.get(citizen_link(app, world["citizen"]))
    assert response.status_code == 302 and response.headers["Location"] == "/borger/"
    page = client.get("/borger/")
    assert page.status_code == 200 and "Book din samtale" in page.text
    for staff_page in STAFF_PAGES:
        assert client.get(staff_page).status_code == 403, staff_page


def test_staff_cannot_open_the_citizen_page(client, world):
    login(client, world["users"][Role.admin])
    assert client.get("/borger/").status_code == 403


def test_citizen_page_needs_a_link(client):
    response = client.get("/borger/")
    assert response.status_code == 401


def test_expired_link_is_refused_with_a_danish_message(app, client, world, monkeypatch):
    import itsdangerous.timed

    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - 61 * 86400)
    link = citizen_link(app, world["citizen"])
    monkeypatch.setattr(itsdangerous.timed.time, "time", real)
    response = client.get(link)
    assert response.status_code == 403
    assert "Linket er udløbet" in response.text
    assert client.get("/borger/").status_code == 401


def test_tampered_link_is_refused_with_a_danish_message(app, client, world):
    link = citizen_link(app, world["citizen"])
    response = client.get(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    assert response.status_code == 403
    assert "Linket er ugyldigt" in response.text


def test_link_for_another_citizen_needs_another_signature(app, client, world):
    forged = URLSafeTimedSerializer("not-the-secret", salt=LINK_SALT).dumps({"c": 1, "v": 1})
    response = client.get("/b/" + forged)
    assert response.status_code == 403 and "Linket er ugyldigt" in response.text


def test_revoked_link_is_refused_and_ends_open_sessions(app, client, world):
    link = citizen_link(app, world["citizen"])
    assert client.get(link).status_code == 302
    with app.app_context(), db.fresh_session() as s:
        s.get(Citizen, world["citizen"]).link_version += 1
        s.commit()
    assert client.get("/borger/").status_code == 401  # the open session is gone
    response = client.get(link)
    assert response.status_code == 403 and "nyere link" in response.text


def test_login_is_rate_limited(sqlite_url, world):
    app = make_app(
        sqlite_url, flask={"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True}
    )
    client = app.test_client()
    codes = [login(client, "nobody", "x").status_code for _ in range(11)]
    assert codes[:10] == [422] * 10
    assert codes[10] == 429
    assert "For mange forsøg" in client.post("/login", data={}).text


def test_login_form_needs_a_csrf_token(sqlite_url, world):
    app = make_app(
        sqlite_url, flask={"TESTING": True, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}
    )
    response = app.test_client().post(
        "/login", data={"username": world["users"][Role.admin], "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert "Formularen var udløbet" in response.text


def test_open_redirect_is_not_followed(client, world):
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": world["users"][Role.admin], "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/admin/"
