"""Log-in for each role, citizens' personal links, and who may open what."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry, Citizen, Role, StaffUser
from booking.services import accounts
from booking.services.security import LINK_SALT, LinkError, make_citizen_token
from tests import factories
from tests.booking.catalogue import english_or_skip
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
    # the limit counts per user name (issue 13): the 12th try for the same name is refused too
    assert "For mange forsøg" in login(client, "nobody", "x").text


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


# --- the personal link's refusals: codes from the service, words from the auth blueprint ---


def _expired_link(app, world, monkeypatch) -> str:
    import itsdangerous.timed

    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - 61 * 86400)
    link = citizen_link(app, world["citizen"])
    monkeypatch.setattr(itsdangerous.timed.time, "time", real)
    return link


def _malformed_link(app) -> str:
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=LINK_SALT).dumps(["x"])
    return "/b/" + token


LINK_MESSAGES = {
    "expired": "Linket er udløbet. Kontakt jobcentret, så sender vi dig et nyt link.",
    "invalid": (
        "Linket er ugyldigt. Kontrollér, at du har kopieret hele linket fra dit brev, "
        "eller kontakt jobcentret."
    ),
    "malformed": "Linket er ugyldigt. Kontakt jobcentret.",
    "revoked": (
        "Linket er ikke længere gyldigt, fordi der er sendt et nyere link. "
        "Brug linket i dit seneste brev, eller kontakt jobcentret."
    ),
}


def _refused_link(app, world, monkeypatch, code: str) -> str:
    if code == "expired":
        return _expired_link(app, world, monkeypatch)
    if code == "malformed":
        return _malformed_link(app)
    if code == "revoked":
        return citizen_link(app, world["citizen"], version=world["link_version"] + 1)
    link = citizen_link(app, world["citizen"])
    return link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")


@pytest.mark.parametrize("code", list(LINK_MESSAGES))
def test_link_refusals_are_codes(app, world, monkeypatch, code):
    link = _refused_link(app, world, monkeypatch, code)
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(LinkError) as err:
            accounts.open_citizen_link(s, app.config["SECRET_KEY"], link[3:], 60)
    assert err.value.code == code and str(err.value) == code
    assert not hasattr(err.value, "message_da")


@pytest.mark.parametrize("code", list(LINK_MESSAGES))
def test_each_link_refusal_in_danish_then_english(app, client, world, monkeypatch, code):
    link = _refused_link(app, world, monkeypatch, code)
    page = client.get(link)
    assert page.status_code == 403 and LINK_MESSAGES[code] in page.text
    assert 'role="alert"' in page.text
    client.get("/sprog/en")
    page = client.get(link)
    assert page.status_code == 403 and 'lang="en"' in page.text
    assert "The link cannot be used" in page.text
    assert english_or_skip(LINK_MESSAGES[code]) in page.text


def test_opening_a_link_commits_its_audit_entry(app, world):
    link = citizen_link(app, world["citizen"])
    with app.app_context():
        with db.fresh_session() as s:
            principal = accounts.open_citizen_link(s, app.config["SECRET_KEY"], link[3:], 60)
        assert principal.citizen_id == world["citizen"]
        with db.fresh_session() as other:
            actions = other.scalars(
                select(AuditEntry.action).where(AuditEntry.citizen_id == world["citizen"])
            ).all()
    assert actions == ["citizen_link_opened"]


def test_log_in_commits_the_log_in_itself(app, world):
    username = world["users"][Role.planner]
    with app.app_context():
        passwords = app.extensions["passwords"]
        with db.fresh_session() as s:
            assert accounts.log_in(s, passwords, username, "wrong") is None
            principal = accounts.log_in(s, passwords, username.upper(), factories.PASSWORD)
        assert principal is not None and principal.role == Role.planner
        with db.fresh_session() as other:
            user = other.scalar(select(StaffUser).where(StaffUser.username == username))
            logins = other.scalars(
                select(AuditEntry.actor_id).where(AuditEntry.action == "login")
            ).all()
    assert user.last_login_at is not None
    assert logins == [principal.staff_id]  # the wrong password left no trace


def test_health_answers_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "up", "database": "reachable"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.json == {"status": "ready", "database": "reachable"}


def test_database_reachable(app, tmp_path):
    from sqlalchemy.orm import Session

    from booking.database import make_engine
    from booking.services.health import database_reachable

    with app.app_context(), db.fresh_session() as s:
        assert database_reachable(s) is True
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite3'}")
    with Session(engine) as broken:
        assert database_reachable(broken) is False
    engine.dispose()
