"""Hostile input on every time page and the feed, on SQLite and PostgreSQL: a clear answer
(4xx or a page with a Danish message), never a 5xx, nothing stored from a refused form."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from booking.db import db
from booking.models import Absence, WorkTemplate

from .conftest import build

NASTY = ["\x00", "x" * 5000, "-1", "99999999999999999999", "nan", "9999-12-31", "0000-00-00",
         "25:61", "<script>alert(1)</script>", "Ærø\u202e", ""]


def _count(app, model) -> int:
    with app.app_context(), db.fresh_session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("value", NASTY)
def test_no_value_in_any_field_gives_a_server_error(db_app, login, value):
    world = build(db_app)
    client = login(db_app, world.cw_user)
    block = {"blocks-0-weekday": "1", "blocks-0-start": "09:00", "blocks-0-end": "10:00",
             "blocks-0-minutes": "30", "blocks-0-channel": "phone", "blocks-0-location": "A",
             "weeks": "2"}
    for name in [*block, "blocks-99999999999999999999-weekday"]:
        for button in ("preview", "save"):
            response = client.post("/sagsbehandler/arbejdstid",
                                   data={**block, name: value, button: "y"})
            assert response.status_code < 500, (name, value, button)
    absence = {"first_day": "2027-03-01", "first_time": "09:00", "last_day": "2027-03-01",
               "last_time": "12:00", "reason": "Kursus"}
    for name in absence:
        response = client.post("/sagsbehandler/fravaer", data={**absence, name: value})
        assert response.status_code < 500, (name, value)
    upload = client.post("/sagsbehandler/fravaer/import",
                         data={"file": (io.BytesIO(value.encode("utf-8", "replace")), "x.ics")},
                         content_type="multipart/form-data")
    assert upload.status_code < 500
    for query in (f"?caseworker={value}", f"?weeks={value}"):
        assert client.get(f"/sagsbehandler/arbejdstid{query}").status_code < 500
        assert client.get(f"/sagsbehandler/kalenderfeed{query}").status_code < 500
    anonymous = db_app.test_client()
    assert anonymous.get(f"/feed/{value[:60]}.ics").status_code in (400, 404, 405)
    if value == "\x00":  # a NUL in a place or a reason is refused, not stored
        with db_app.app_context(), db.fresh_session() as s:
            assert all("\x00" not in (t.location or "") for t in s.scalars(select(WorkTemplate)))
            assert all("\x00" not in (a.reason or "") for a in s.scalars(select(Absence)))


def test_an_ics_event_in_year_9999_is_refused(app, login):
    world = build(app)
    client = login(app, world.cw_user)
    data = (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:far\r\nDTSTART;VALUE=DATE:99991231\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    response = client.post("/sagsbehandler/fravaer/import",
                           data={"file": (io.BytesIO(data), "far.ics")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "ligger uden for de år, tjenesten arbejder med" in response.get_data(as_text=True)
    assert _count(app, Absence) == 0
