"""The caseworker's weekly list names citizens: opening it writes one audit entry for the whole
list (issue 14: a 70-row list is one entry, not 70)."""

from __future__ import annotations

from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry, Caseworker, StaffUser
from booking.services.audit import LIST_KEY


def test_weekly_list_is_audited_as_one_entry(demo_app):
    client = demo_app.test_client()
    client.post("/login", data={"username": "sagsbehandler", "password": "rettidig-demo"})
    with demo_app.app_context(), db.fresh_session() as s:
        before = len(s.scalars(select(AuditEntry).where(
            AuditEntry.action == "weekly_list_view")).all())
        staff = s.scalar(select(StaffUser).where(StaffUser.username == "sagsbehandler"))
        cw = s.scalar(select(Caseworker).where(Caseworker.staff_user_id == staff.id))
        cw_id = cw.id
    page = client.get("/sagsbehandler/")
    assert page.status_code == 200
    with demo_app.app_context(), db.fresh_session() as s:
        entries = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "weekly_list_view").order_by(AuditEntry.id)).all()
    assert len(entries) == before + 1
    entry = entries[-1]
    assert entry.object_id == cw_id
    shown = entry.detail[LIST_KEY]
    assert len(shown) >= 2 and len(shown) == len(set(shown))
