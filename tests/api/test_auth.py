"""Every operation of the API needs a live key (401) with the operation's scope (403); keys
are stored hashed and can be revoked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import ApiClient
from booking.services.api import keys
from tests.api.conftest import problem

# (method, path, scope) of each operation; ids are filled in from the world
OPERATIONS = [
    ("GET", "/api/v1/citizens", "citizens:read"),
    ("POST", "/api/v1/citizens", "citizens:write"),
    ("GET", "/api/v1/citizens/{citizen}", "citizens:read"),
    ("POST", "/api/v1/citizens/search", "citizens:read"),
    ("GET", "/api/v1/citizens/{citizen}/programmes", "programmes:read"),
    ("GET", "/api/v1/citizens/{citizen}/history", "history:read"),
    ("POST", "/api/v1/citizens/{citizen}/history", "history:write"),
    ("GET", "/api/v1/obligations", "obligations:read"),
    ("GET", "/api/v1/slots", "slots:read"),
    ("GET", "/api/v1/bookings", "bookings:read"),
    ("GET", "/api/v1/bookings/1", "bookings:read"),
    ("POST", "/api/v1/bookings", "bookings:write"),
    ("POST", "/api/v1/bookings/1/cancel", "bookings:write"),
]


def _call(api, method, path, key):
    path = path.format(citizen=api.citizen_id)
    if method == "GET":
        return api.get(path, key=key)
    return api.post(path, {}, key=key)


def test_the_list_covers_every_operation_of_the_document(api):
    document = api.client().get("/api/v1/openapi.json").json
    documented = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    listed = {(m, p.replace("{citizen}", "{citizen_id}").replace("/1", "/{booking_id}"))
              for m, p, _ in OPERATIONS}
    assert documented == listed
    for method, path, scope in OPERATIONS:
        doc_path = path.replace("{citizen}", "{citizen_id}").replace("/1", "/{booking_id}")
        assert document["paths"][doc_path][method.lower()]["security"] == [{"apiKey": [scope]}]


def test_without_a_live_key_every_operation_is_401(api):
    for method, path, _scope in OPERATIONS:
        for key in ("", "rtd_000000000000_" + "x" * 43, "not-a-key", api.revoked):
            response = _call(api, method, path, key)
            problem(response, 401, "unauthorized")
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), (method, path)


def test_each_operation_needs_its_scope(api):
    for scope in keys.SCOPES:
        without = api.key(*[s for s in keys.SCOPES if s != scope])
        only = api.key(scope)
        for method, path, needed in OPERATIONS:
            response = _call(api, method, path, without if needed == scope else only)
            if needed == scope:
                doc = problem(response, 403, "insufficient_scope")
                assert doc["scope"] == scope
            else:
                problem(response, 403, "insufficient_scope")
        for method, path, needed in OPERATIONS:
            if needed == scope:
                allowed = _call(api, method, path, only)
                assert allowed.status_code not in (401, 403), (path, allowed.text)


def test_keys_are_stored_hashed_and_shown_once(api):
    key = api.key("citizens:read", name="Ydelsessystem")
    assert key.startswith("rtd_")
    with api.app.app_context(), db.fresh_session() as s:
        row = s.scalar(select(ApiClient).where(ApiClient.name == "Ydelsessystem"))
        assert row.key_prefix == key.split("_")[1]
        assert row.key_hash.startswith("sha256$") and key not in row.key_hash
        assert key.split("_", 2)[2] not in row.key_hash
        assert row.key_hash == keys.key_hash(key)
        assert row.scopes == ["citizens:read"] and row.last_used_at is None
    assert api.get("/api/v1/citizens", key=key).status_code == 200
    with api.app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(ApiClient.last_used_at).where(ApiClient.name == "Ydelsessystem"))


def test_a_tampered_secret_is_refused(api):
    key = api.key("citizens:read")
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    problem(api.get("/api/v1/citizens", key=tampered), 401, "unauthorized")


def test_a_revoked_key_stops_working_at_once(api):
    key = api.key("citizens:read", name="Udfases")
    assert api.get("/api/v1/citizens", key=key).status_code == 200
    with api.app.app_context(), db.fresh_session() as s:
        keys.revoke(s, keys.find_by_name(s, "Udfases").id, staff_id=None)
    problem(api.get("/api/v1/citizens", key=key), 401, "unauthorized")


def test_issuing_refuses_unknown_scopes_and_taken_names(api):
    from booking.services.errors import FormErrors

    with api.app.app_context(), db.fresh_session() as s:
        with pytest.raises(FormErrors) as err:
            keys.issue(s, "X", ["citizens:read", "everything"], staff_id=None)
        assert err.value.fields["scopes"].code == "unknown_scope"
        with pytest.raises(FormErrors) as err:
            keys.issue(s, "Sagssystem", ["citizens:read"], staff_id=None)
        assert err.value.fields["name"].code == "name_taken"
        with pytest.raises(FormErrors) as err:
            keys.issue(s, "  ", [], staff_id=None)
        assert set(err.value.fields) == {"name", "scopes"}


def test_the_openapi_document_needs_no_key(api):
    response = api.client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json["openapi"].startswith("3.1")


def test_the_session_routes_keep_working_beside_the_keyed_api(api, login):
    from booking.models import Role
    from tests import factories

    with api.app.app_context(), db.fresh_session() as s:
        factories.staff(s, Role.admin, username="chef")
        s.commit()
    staff = login(api.app, "chef")
    assert staff.get("/api/v1/me").json["username"] == "chef"
    # outside the admin's units: the session route's own refusal, now as problem+json too
    doc = problem(staff.get(f"/api/v1/citizens/{api.citizen_id}/obligations"), 403)
    assert doc["code"] == doc["error"]["code"] == "purpose_required"
    # a staff session is no API key
    problem(staff.get("/api/v1/citizens"), 401, "unauthorized")


def test_each_key_has_its_own_rate_limit(sqlite_url):
    from tests.conftest import make_app

    app = make_app(sqlite_url, flask={"RATELIMIT_ENABLED": True},
                   security={"api_rate_limit": "3 per minute"})
    with app.app_context(), db.fresh_session() as s:
        first = keys.issue(s, "Første", ["slots:read"], staff_id=None).key
        second = keys.issue(s, "Anden", ["slots:read"], staff_id=None).key
    client = app.test_client()

    def get(key):
        return client.get("/api/v1/slots", headers={"Authorization": f"Bearer {key}"})

    assert [get(first).status_code for _ in range(3)] == [200, 200, 200]
    refused = get(first)
    problem(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) > 0
    assert get(second).status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_csrf_does_not_apply_to_the_keyed_api_but_still_to_the_pages(sqlite_url):
    from tests.conftest import make_app

    app = make_app(sqlite_url, flask={"WTF_CSRF_ENABLED": True})
    with app.app_context(), db.fresh_session() as s:
        key = keys.issue(s, "Sagssystem", ["history:write"], staff_id=None).key
    client = app.test_client()
    response = client.post("/api/v1/citizens/999/history", json={"held_on": "2026-01-05"},
                           headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "a"})
    problem(response, 404, "not_found")  # reached the route: no CSRF refusal
    page = client.post("/admin/api-noegler", data={"name": "X", "scopes": ["slots:read"]})
    assert page.status_code == 400 and "Formularen var udløbet" in page.text  # CSRF
    with app.app_context(), db.fresh_session() as s:
        assert [c.name for c in keys.clients(s)] == ["Sagssystem"]
        db.engine.dispose()
