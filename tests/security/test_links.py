"""Personal links: a new link revokes the older ones, staff revoke them from the citizen page,
the payload is strictly typed (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry, Citizen, Role
from booking.services import accounts
from booking.services.security import LINK_SALT, LinkError, make_citizen_token, read_citizen_token
from tests.conftest import make_app

LINK = re.compile(r"http://127\.0\.0\.1:5000(/b/\S+)")


def _issue(app, citizen_id: int) -> str:
    """``flask citizen-link ID``: the path of the new link."""
    result = app.test_cli_runner().invoke(args=["citizen-link", str(citizen_id)])
    assert result.exit_code == 0, result.output
    match = LINK.search(result.output)
    assert match, result.output
    return match.group(1)


def _audit(app) -> list[tuple[str, int | None, int | None, dict | None]]:
    with app.app_context(), db.fresh_session() as s:
        return [
            (e.action, e.actor_id, e.citizen_id, e.detail)
            for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if e.action in {"citizen_link_issued", "citizen_links_revoked"}
        ]


def test_a_new_link_revokes_the_older_ones_and_their_sessions(db_app, people):
    cid = people["citizen"]
    first = _issue(db_app, cid)
    browser = db_app.test_client()
    assert browser.get(first).status_code == 302
    assert browser.get("/borger/").status_code == 200
    second = _issue(db_app, cid)
    assert first != second
    assert browser.get("/borger/").status_code == 401  # the session of the old link ended
    refused = db_app.test_client().get(first)
    assert refused.status_code == 403 and "nyere link" in refused.text
    assert db_app.test_client().get(second).status_code == 302
    assert [(a, c, d) for a, _, c, d in _audit(db_app)] == [
        ("citizen_link_issued", cid, {"link_version": 2}),
        ("citizen_link_issued", cid, {"link_version": 3}),
    ]


def test_citizen_link_for_no_such_citizen_fails_cleanly(db_app):
    result = db_app.test_cli_runner().invoke(args=["citizen-link", "999999"])
    assert result.exit_code == 1 and "no citizen with id 999999" in result.output


def test_staff_revoke_the_links_from_the_citizen_page(db_app, people, login, citizen_login):
    cid = people["citizen"]
    with db_app.app_context(), db.fresh_session() as s:
        citizen_browser = citizen_login(db_app, s.get(Citizen, cid))
        old_token = accounts.citizen_link_token(db_app.config["SECRET_KEY"], s.get(Citizen, cid))
    staff = login(db_app, people["users"][Role.caseworker])
    page = staff.get(f"/borgere/{cid}")
    assert page.status_code == 200 and "Tilbagekald borgerens links" in page.text
    assert f'action="/borgere/{cid}/links/tilbagekald"' in page.text
    done = staff.post(f"/borgere/{cid}/links/tilbagekald")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/borgere/{cid}")
    assert "Borgerens personlige links er tilbagekaldt" in staff.get(f"/borgere/{cid}").text
    assert citizen_browser.get("/borger/").status_code == 401
    assert db_app.test_client().get(f"/b/{old_token}").status_code == 403
    assert _audit(db_app) == [
        ("citizen_links_revoked", people["staff_ids"][Role.caseworker], cid, {"link_version": 2}),
    ]
    assert db_app.test_client().get(_issue(db_app, cid)).status_code == 302  # a new link works


def test_only_staff_who_change_citizens_may_revoke(db_app, people, login):
    cid = people["citizen"]
    callin = login(db_app, people["users"][Role.callin])
    assert "Tilbagekald borgerens links" not in callin.get(f"/borgere/{cid}").text
    assert callin.post(f"/borgere/{cid}/links/tilbagekald").status_code == 403
    manager = login(db_app, people["users"][Role.manager])
    assert manager.post("/borgere/99999/links/tilbagekald").status_code == 404
    assert _audit(db_app) == []


def test_revoking_needs_the_csrf_token(sqlite_url, people_csrf):
    app, cid, username = people_csrf
    staff = app.test_client()
    form = staff.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form) or re.search(
        r'name="csrf_token" value="([^"]+)"', form
    )
    assert (
        staff.post(
            "/login",
            data={"username": username, "password": _password(), "csrf_token": token.group(1)},
        ).status_code
        == 302
    )
    assert staff.post(f"/borgere/{cid}/links/tilbagekald").status_code == 400
    assert _audit(app) == []
    page = staff.get(f"/borgere/{cid}").text
    csrf = re.search(r'links/tilbagekald".*?name="csrf_token" value="([^"]+)"', page, re.S).group(1)
    done = staff.post(f"/borgere/{cid}/links/tilbagekald", data={"csrf_token": csrf})
    assert done.status_code == 302
    assert [a for a, *_ in _audit(app)] == ["citizen_links_revoked"]


def _password() -> str:
    from tests.factories import PASSWORD

    return PASSWORD


@pytest.fixture
def people_csrf(sqlite_url):
    """An app with CSRF on, a caseworker and their citizen: (app, citizen id, username)."""
    from tests import factories

    app = make_app(sqlite_url, flask={"WTF_CSRF_ENABLED": True})
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        user = factories.staff(s, Role.caseworker, unit_id=unit.id)
        cw = factories.caseworker(s, unit, user=user)
        citizen = factories.citizen(s, unit, cw=cw)
        s.commit()
        found = (app, citizen.id, user.username)
    yield found
    with app.app_context():
        db.engine.dispose()


# --- strictly typed payloads -----------------------------------------------------------------

FORGED = [
    {"c": True, "v": 1},  # bool is not int: citizen 1 in the attack
    {"c": 1, "v": True},
    {"c": "1", "v": 1},
    {"c": 1.0, "v": 1},
    {"c": 1},  # no version
    {"v": 1},
    {"c": 1, "v": 1, "x": 1},  # nothing else
    {"c": 0, "v": 1},
    {"c": -1, "v": 1},
    {"c": 2**31, "v": 1},  # past a PostgreSQL integer
    {"c": 1, "v": 2**63},
    [1, 1],
    "1",
    None,
]


@pytest.mark.parametrize("payload", FORGED, ids=repr)
def test_a_signed_payload_of_another_shape_is_refused(payload):
    token = URLSafeTimedSerializer("k" * 40, salt=LINK_SALT).dumps(payload)
    with pytest.raises(LinkError) as err:
        read_citizen_token("k" * 40, token, 60)
    assert err.value.code == "malformed"


def test_the_exact_payload_is_read():
    assert read_citizen_token("k" * 40, make_citizen_token("k" * 40, 7, 3), 60) == (7, 3)
    with pytest.raises(ValueError):
        make_citizen_token("k" * 40, True, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "payload", [{"c": True, "v": 1}, {"c": 1, "v": 1, "x": 1}, {"c": 2**40, "v": 1}], ids=repr
)
def test_a_forged_link_logs_no_one_in(db_app, people, payload):
    secret = db_app.config["SECRET_KEY"]
    token = URLSafeTimedSerializer(secret, salt=LINK_SALT).dumps(payload)
    client = db_app.test_client()
    assert client.get(f"/b/{token}").status_code == 403
    assert client.get("/borger/").status_code == 401


def test_a_refused_link_page_does_not_carry_its_token_in_the_language_links(db_app, people):
    """The refusal page at /b/<token> keeps the token out of its own links (the language
    switch's ``next``), so a click cannot put it in a request line."""
    token = URLSafeTimedSerializer(db_app.config["SECRET_KEY"], salt=LINK_SALT).dumps(
        {"c": True, "v": 1})
    page = db_app.test_client().get(f"/b/{token}")
    assert page.status_code == 403
    body = page.get_data(as_text=True)
    assert "/sprog/en" in body
    assert token not in body and token.split(".")[0] not in body
