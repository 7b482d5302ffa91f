"""Issue 14 item 5: reading a list of 70 citizens writes one audit entry, not 70 (the ids are
in its ``detail``), and the audit trail still finds the list when filtered by one of them,
by id or by name, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from booking.db import db
from booking.models import (
    AuditEntry,
    Booking,
    BookingSource,
    BookingState,
    Channel,
    Role,
    Slot,
)
from booking.services.audit import LIST_KEY
from booking.services.audit_trail import TrailFilter, trail_page
from tests import factories

MONDAY = date(2027, 3, 1)
CITIZENS = 70


def _calendar_world(app) -> dict:
    """A caseworker with 70 booked conversations in one week, each with another citizen."""
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        user = factories.staff(s, Role.caseworker, username="sb", unit_id=unit.id)
        cw = factories.caseworker(s, unit, user=user)
        admin = factories.staff(s, Role.admin, username="chef")
        people = [factories.citizen(s, unit, cw=cw) for _ in range(CITIZENS)]
        for i, person in enumerate(people):
            day, hour = MONDAY + timedelta(days=i // 10), 7 + i % 10
            slot = Slot(caseworker_id=cw.id, minutes=30, channel=Channel.phone,
                        starts_at=datetime.combine(day, time(hour), tzinfo=UTC))
            s.add(slot)
            s.flush()
            s.add(Booking(slot_id=slot.id, citizen_id=person.id, state=BookingState.booked,
                          source=BookingSource.staff, ical_uid=f"b{i}@test"))
        s.commit()
        return {"citizens": [(p.id, p.name) for p in people], "admin": admin.id}


def _entries(app, action: str) -> list[AuditEntry]:
    with app.app_context(), db.fresh_session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_week_of_70_citizens_is_one_audit_entry(db_app, login):
    world = _calendar_world(db_app)
    client = login(db_app, "sb")
    page = client.get(f"/sagsbehandler/kalender/uge?uge={MONDAY.isoformat()}")
    assert page.status_code == 200 and world["citizens"][69][1] in page.text
    entries = _entries(db_app, "caseworker_calendar_view")
    assert len(entries) == 1
    assert entries[0].citizen_id is None and entries[0].detail["count"] == CITIZENS
    assert sorted(entries[0].detail[LIST_KEY]) == sorted(i for i, _n in world["citizens"])
    # the trail finds the list entry by one citizen's id and by (part of) their name
    some_id, some_name = world["citizens"][36]
    with db_app.app_context(), db.fresh_session() as s:
        for text in (str(some_id), some_name.upper()):
            found = trail_page(s, TrailFilter(citizen=text, action="caseworker_calendar_view"),
                               page=1, viewer_id=world["admin"])
            assert [r.id for r in found.rows] == [entries[0].id]
            assert found.rows[0].citizen_count == CITIZENS
        other = trail_page(s, TrailFilter(citizen="999999"), page=1, viewer_id=world["admin"])
        assert other.rows == []
        # reading the trail is one entry too, whatever it showed
        views = s.scalar(select(func.count(AuditEntry.id))
                         .where(AuditEntry.action == "admin.audit_viewed"))
        assert views == 3
