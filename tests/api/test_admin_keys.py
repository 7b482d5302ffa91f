"""Admins issue (key shown once), list and revoke API keys in the admin room and with
``flask api-key``; other roles cannot."""

from __future__ import annotations

import re

from sqlalchemy import select

from booking.db import db
from booking.models import ApiClient, AuditEntry, Role
from tests import factories
from tests.api.conftest import problem

KEY = re.compile(r"rtd_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


def _admin(api, login):
    with api.app.app_context(), db.fresh_session() as s:
        factories.staff(s, Role.admin, username="admin")
        factories.staff(s, Role.manager, username="leder")
        s.commit()
    return login(api.app, "admin")


def test_an_admin_issues_a_key_that_is_shown_once_and_works(api, login):
    admin = _admin(api, login)
    home = admin.get("/admin/")
    assert 'href="/admin/api-noegler"' in home.text
    page = admin.get("/admin/api-noegler")
    assert page.status_code == 200 and "Sagssystem" in page.text and "Spærret" in page.text
    made = admin.post("/admin/api-noegler", data={
        "name": "Ydelsessystem", "scopes": ["citizens:read", "slots:read"]})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    shown = KEY.findall(made.text)
    assert len(shown) == 1 and "Nøglen vises kun her" in made.text
    key = shown[0]
    assert api.get("/api/v1/slots", key=key).status_code == 200
    problem(api.get("/api/v1/bookings", key=key), 403, "insufficient_scope")
    again = admin.get("/admin/api-noegler")
    assert key not in again.text and f"rtd_{key.split('_')[1]}_…" in again.text
    with api.app.app_context(), db.fresh_session() as s:
        row = s.scalar(select(ApiClient).where(ApiClient.name == "Ydelsessystem"))
        issued = s.scalar(select(AuditEntry).where(AuditEntry.action == "api_key_issued",
                                                   AuditEntry.object_id == row.id))
        assert row.created_by_staff_id == issued.actor_id and issued.actor_id is not None
    # revoke it
    done = admin.post(f"/admin/api-noegler/{row.id}/spaer")
    assert done.status_code == 302
    assert "er spærret" in admin.get(done.headers["Location"]).text
    problem(api.get("/api/v1/slots", key=key), 401, "unauthorized")


def test_refusals_are_shown_in_danish_and_nothing_is_issued(api, login):
    admin = _admin(api, login)
    taken = admin.post("/admin/api-noegler", data={"name": "Sagssystem",
                                                   "scopes": ["citizens:read"]})
    assert "Der er allerede en nøgle med det navn." in taken.text and not KEY.search(taken.text)
    empty = admin.post("/admin/api-noegler", data={"name": "Nyt"})
    assert "Vælg mindst én adgang." in empty.text and not KEY.search(empty.text)
    with api.app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(ApiClient).where(ApiClient.name == "Nyt")) is None


def test_only_admins_manage_keys(api, login):
    _admin(api, login)
    manager = login(api.app, "leder")
    assert manager.get("/admin/api-noegler").status_code == 403
    assert manager.post("/admin/api-noegler", data={"name": "X", "scopes": ["slots:read"]}
                        ).status_code == 403
    assert api.client().get("/admin/api-noegler").status_code == 302  # to the log-in


def test_the_cli_issues_lists_and_revokes(api):
    runner = api.app.test_cli_runner()
    issued = runner.invoke(args=["api-key", "issue", "Økonomi", "--scope", "slots:read",
                                 "--scope", "bookings:read"])
    assert issued.exit_code == 0, issued.output
    key = KEY.search(issued.stdout)[0]
    assert issued.stdout.strip() == key
    assert api.get("/api/v1/bookings", key=key).status_code == 200
    listed = runner.invoke(args=["api-key", "list"])
    assert "Økonomi" in listed.output and key not in listed.output
    assert "bookings:read,slots:read" in listed.output
    bad = runner.invoke(args=["api-key", "issue", "X", "--scope", "all"])
    assert bad.exit_code != 0 and not KEY.search(bad.output)
    revoked = runner.invoke(args=["api-key", "revoke", "Økonomi"])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    problem(api.get("/api/v1/bookings", key=key), 401)
    missing = runner.invoke(args=["api-key", "revoke", "Findes ikke"])
    assert missing.exit_code == 1
    purged = runner.invoke(args=["api-key", "purge-idempotency"])
    assert purged.exit_code == 0 and "removed 0" in purged.output
