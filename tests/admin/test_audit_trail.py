"""Issue 14 item 5: the audit trail page shows names (never a CPR number) and readable Danish
actions (an unknown code as itself), filters by staff member, citizen (id or name), action and
a Danish date range, pages through, and exports the same selection as CSV for Danish Excel."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import ActorKind, AuditEntry, Role
from tests import factories


def _entry(s, at: datetime, action: str, *, actor=None, citizen=None, kind=ActorKind.staff):
    s.add(AuditEntry(at=at, actor_kind=kind, actor_id=actor, action=action, citizen_id=citizen))


@pytest.fixture
def trail(db_app):
    with db_app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        admin = factories.staff(s, Role.admin, username="chef")
        sb = factories.staff(s, Role.caseworker, username="sb", unit_id=unit.id)
        sb.full_name = "Søren Bøgh"
        anna, bo = factories.citizen(s, unit), factories.citizen(s, unit)
        anna.name, bo.name = "Anna Ærø", "Bo Ibsen"
        masked = anna.cpr_masked
        s.flush()
        _entry(s, datetime(2027, 3, 1, 9, tzinfo=UTC), "citizen_lookup", actor=sb.id,
               citizen=anna.id)
        _entry(s, datetime(2027, 3, 2, 22, 30, tzinfo=UTC), "booking_created", actor=sb.id,
               citizen=bo.id)  # 23:30 local on 2 March
        _entry(s, datetime(2027, 3, 3, 9, tzinfo=UTC), "citizen_viewed_own", actor=anna.id,
               citizen=anna.id, kind=ActorKind.citizen)
        _entry(s, datetime(2027, 3, 4, 9, tzinfo=UTC), "brand_new_code", actor=None,
               kind=ActorKind.system)
        s.commit()
        return {"admin": admin.id, "sb": sb.id, "anna": anna.id, "bo": bo.id,
                "masked": masked}


def _rows(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_names_and_readable_actions(db_app, trail, login):
    admin = login(db_app, "chef")
    page = admin.get("/admin/revisionsspor")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert "Søren Bøgh" in rows and "Anna Ærø" in rows and "Bo Ibsen" in rows
    assert "Slog borger op på CPR-nummer" in rows and "Booking oprettet" in rows
    assert "Borger så sin oversigt" in rows
    assert "brand_new_code" in rows  # unknown: shown as the code
    assert trail["masked"][:6] not in page.text  # never a CPR number, not even masked
    home = admin.get("/admin/")
    assert "Slog borger op på CPR-nummer" in home.text and "Søren Bøgh" in home.text


@pytest.mark.parametrize(("query", "actions"), [
    ("staff={sb}", ["booking_created", "citizen_lookup"]),
    ("citizen={anna}", ["citizen_viewed_own", "citizen_lookup"]),
    ("citizen=ibsen", ["booking_created"]),
    ("citizen=ingen+s%C3%A5dan", []),
    ("action=citizen_lookup", ["citizen_lookup"]),
    ("first=02-03-2027&last=02-03-2027", ["booking_created"]),  # local day, not UTC
    ("first=03.03.2027", ["brand_new_code", "citizen_viewed_own"]),
    ("last=2027-03-01", ["citizen_lookup"]),
])
def test_filters(db_app, trail, login, query, actions):
    admin = login(db_app, "chef")
    page = admin.get("/admin/revisionsspor?" + query.format(**trail))
    assert page.status_code == 200
    rows = _rows(page.text)
    newest_first = ("brand_new_code", "citizen_viewed_own", "booking_created", "citizen_lookup")
    assert [c for c in newest_first if _label(c) in rows] == actions


def _label(code: str) -> str:
    return {"citizen_viewed_own": "Borger så sin oversigt", "booking_created": "Booking oprettet",
            "citizen_lookup": "Slog borger op på CPR-nummer",
            "brand_new_code": "brand_new_code"}[code]


def test_bad_filters_are_danish_messages_not_errors(db_app, trail, login):
    admin = login(db_app, "chef")
    page = admin.get("/admin/revisionsspor?first=31-02-2027&last=abc&staff=x&side=-4")
    assert page.status_code == 422
    assert "Skriv datoen som dd-mm-åååå" in page.text
    assert "Anna Ærø" in _rows(page.text)  # the usable rest of the filter still applies
    reversed_ = admin.get("/admin/revisionsspor?first=05-03-2027&last=01-03-2027")
    assert reversed_.status_code == 422 and "Til-datoen ligger før fra-datoen" in reversed_.text
    far = admin.get("/admin/revisionsspor?first=01-01-9999")
    assert far.status_code == 422 and "uden for de år" in far.text


def test_pages_and_one_audit_entry_per_view(db_app, trail, login):
    with db_app.app_context(), db.fresh_session() as s:
        for i in range(60):
            _entry(s, datetime(2027, 4, 1, 8, i, tzinfo=UTC), "login", actor=trail["sb"])
        s.commit()
    admin = login(db_app, "chef")
    first = admin.get("/admin/revisionsspor?staff={sb}".format(**trail))
    assert _rows(first.text).count("<tr>") == 50 and 'rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    second = admin.get("/admin/revisionsspor?staff={sb}&side=2".format(**trail))
    assert _rows(second.text).count("<tr>") == 12 and 'rel="next"' not in second.text
    assert "Slog borger op på CPR-nummer" in second.text  # the oldest come last
    with db_app.app_context(), db.fresh_session() as s:
        views = s.scalars(select(AuditEntry).where(AuditEntry.action == "admin.audit_viewed")
                          .order_by(AuditEntry.id)).all()
    assert len(views) == 2 and views[0].actor_id == trail["admin"]
    assert views[1].detail["citizen_ids"] == [trail["bo"], trail["anna"]]
    assert views[1].detail["filter"] == {"staff_id": trail["sb"]}


def test_csv_export_for_danish_excel(db_app, trail, login):
    admin = login(db_app, "chef")
    response = admin.get("/admin/revisionsspor/eksport.csv?citizen=anna")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and "attachment" in response.headers[
        "Content-Disposition"]
    raw = response.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Tidspunkt", "Aktørtype", "Aktør", "Aktør-id",
                           "Handling"]
    body = rows[1:]
    assert [r[5] for r in body] == ["citizen_viewed_own", "citizen_lookup"]
    assert body[1][0] == "01-03-2027 10:00"  # local time, dd-mm-åååå
    assert body[1][2] == "Søren Bøgh" and body[1][4] == "Slog borger op på CPR-nummer"
    assert body[1][7] == "Anna Ærø"
    assert trail["masked"][:6] not in raw.decode("utf-8-sig")
    with db_app.app_context(), db.fresh_session() as s:
        entry = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "admin.audit_exported")).one()
    assert entry.citizen_id == trail["anna"] and entry.detail["count"] == 1
    assert entry.detail["entries"] == 2 and entry.detail["filter"] == {"citizen": "anna"}
