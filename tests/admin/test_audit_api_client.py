"""An audit entry written for an API client reads as one: actor kind ``API-klient`` (English
``API client``) and the client's name, on the audit trail, the admin home page and the CSV
export; the name comes from the API clients, never from a citizen with the same id."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from booking.blueprints.admin.messages import ACTOR_KINDS
from booking.db import db
from booking.models import ActorKind, ApiClient, AuditEntry, Role
from tests import factories
from tests.admin.test_audit_trail import _rows


@pytest.fixture
def client_entry(db_app):
    """An ``api_client`` entry about Anna, by a client whose id is also Anna's citizen id."""
    with db_app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        factories.staff(s, Role.admin, username="chef")
        anna = factories.citizen(s, unit)
        anna.name = "Anna Ærø"
        s.flush()
        s.add(ApiClient(id=anna.id, name="Sagssystem", key_prefix="testprefix01",
                        key_hash="not-a-key", scopes=["citizens:read"]))
        s.flush()
        s.add(AuditEntry(at=datetime(2027, 3, 1, 9, tzinfo=UTC), actor_kind=ActorKind.api_client,
                         actor_id=anna.id, action="api_citizen_read", citizen_id=anna.id))
        s.commit()
        return anna.id


def test_every_actor_kind_has_a_label():
    assert set(ACTOR_KINDS) == set(ActorKind)


def test_the_trail_names_the_api_client_in_danish_and_english(db_app, client_entry, login):
    admin = login(db_app, "chef")
    rows = _rows(admin.get("/admin/revisionsspor").text)
    assert f'<td>Sagssystem <span class="muted">(api-klient #{client_entry})</span></td>' in rows
    home = admin.get("/admin/").text
    assert f'<td>Sagssystem <span class="muted">(#{client_entry})</span></td>' in home
    admin.get("/sprog/en")
    english = _rows(admin.get("/admin/revisionsspor").text)
    assert f'<td>Sagssystem <span class="muted">(api client #{client_entry})</span></td>' \
        in english


def test_the_export_gives_the_actor_kind_and_the_client_name(db_app, client_entry, login):
    admin = login(db_app, "chef")
    response = admin.get("/admin/revisionsspor/eksport.csv?action=api_citizen_read")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [r[1:4] for r in rows[1:]] == [["API-klient", "Sagssystem", str(client_entry)]]
