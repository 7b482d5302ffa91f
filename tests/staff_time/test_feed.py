"""The personal calendar feed: valid for two strict parsers (icalendar and vobject), no CPR
and initials only by default, ETag / Last-Modified with 304, 404 for an unknown or revoked
token, and the token kept out of the logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import vobject
from icalendar import Calendar
from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry, Booking, BookingState
from booking.services.staff_time.feed import initials
from booking.web_logging import redact
from tests.conftest import use_settings

from .conftest import at


def _feed(client, token: str, **headers):
    return client.get(f"/feed/{token}.ics", headers=headers)


def test_the_feed_parses_in_icalendar_and_vobject_and_holds_bookings_and_shifts(app, world):
    client = app.test_client()  # no log-in: the token is the key
    response = _feed(client, world.token)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.get_data(as_text=True)

    cal = Calendar.from_ical(text)
    assert str(cal["X-WR-CALNAME"]).startswith("Rettidig – SB")
    assert str(cal["METHOD"]) == "PUBLISH"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text and "X-PUBLISHED-TTL:PT1H" in text
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    booking = events[f"booking-{world.booking_id}@feed.rettidig"]
    assert str(booking["SUMMARY"]) == "2. jobsamtale – A.M.J. (personligt fremmøde)"
    assert str(booking["LOCATION"]) == "Jobcentret, lokale 2"
    assert booking.decoded("DTSTART") == at(3, 10)
    shift = events[f"group-{world.session_id}-cw-{world.cw_id}@feed.rettidig"]
    assert str(shift["SUMMARY"]) == "Fælles indkald – vagt"
    assert shift.decoded("DTEND") == at(2, 12)
    assert len(cal.walk("VTIMEZONE")) == 1

    parsed = vobject.readOne(text, validate=True)
    assert {str(e.uid.value) for e in parsed.vevent_list} == set(events)
    shown = next(e for e in parsed.vevent_list if e.uid.value.startswith("booking-"))
    assert shown.dtstart.value.astimezone(UTC) == at(3, 10)

    # no CPR number, no full name
    assert world.cpr_masked[:6] not in text and world.citizen_name not in text


def test_full_names_when_the_setting_allows(app, world, settings):
    calendar = settings.calendar.model_copy(update={"feed_full_names": True})
    use_settings(app, settings.model_copy(update={"calendar": calendar}))
    text = _feed(app.test_client(), world.token).get_data(as_text=True)
    assert "2. jobsamtale – Anne Marie Jensen (personligt fremmøde)" in text
    assert world.cpr_masked[:6] not in text


def test_etag_and_last_modified_answer_304_until_something_changes(app, world):
    client = app.test_client()
    first = _feed(client, world.token)
    etag = first.headers["ETag"]
    modified = first.headers["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert _feed(client, world.token, **{"If-None-Match": etag}).status_code == 304
    assert _feed(client, world.token, **{"If-Modified-Since": modified}).status_code == 304
    # the same text twice: the ETag is a hash of the content, not of the moment
    assert _feed(client, world.token).headers["ETag"] == etag

    with app.app_context(), db.fresh_session() as s:
        booking = s.get(Booking, world.booking_id)
        booking.state = BookingState.cancelled
        booking.updated_at = datetime.now(UTC).replace(microsecond=0)
        s.commit()
    changed = _feed(client, world.token, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    text = changed.get_data(as_text=True)
    assert f"booking-{world.booking_id}@" not in text  # cancelled: left out
    assert f"group-{world.session_id}-" in text


def test_unknown_and_revoked_tokens_are_404_and_the_new_one_works(app, world, login):
    client = app.test_client()
    assert _feed(client, "x" * 32).status_code == 404
    assert _feed(client, "short").status_code == 404
    staff = login(app, world.cw_user)
    page = staff.get("/sagsbehandler/kalenderfeed")
    assert page.status_code == 200 and f"/feed/{world.token}.ics" in page.get_data(as_text=True)
    assert staff.post("/sagsbehandler/kalenderfeed/ny").status_code == 302
    assert _feed(client, world.token).status_code == 404
    after = staff.get("/sagsbehandler/kalenderfeed").get_data(as_text=True)
    assert "Den gamle adresse virker ikke længere" in after
    new_token = after.split("/feed/")[1].split(".ics")[0]
    assert new_token != world.token and _feed(client, new_token).status_code == 200
    with app.app_context(), db.fresh_session() as s:
        assert s.scalars(select(AuditEntry).where(
            AuditEntry.action == "calendar_feed_rotated")).one().object_id == world.cw_id


def test_a_planner_may_revoke_but_not_read_anothers_address(app, world, login):
    planner = login(app, world.planner_user)
    page = planner.get(f"/sagsbehandler/kalenderfeed?caseworker={world.cw_id}")
    assert page.status_code == 200
    assert world.token not in page.get_data(as_text=True)
    revoke = planner.post(f"/sagsbehandler/kalenderfeed/ny?caseworker={world.cw_id}")
    assert revoke.status_code == 302
    assert _feed(app.test_client(), world.token).status_code == 404
    far = login(app, world.far_planner_user)
    assert far.get(f"/sagsbehandler/kalenderfeed?caseworker={world.cw_id}").status_code == 403
    colleague = login(app, world.other_user)
    assert colleague.post(
        f"/sagsbehandler/kalenderfeed/ny?caseworker={world.cw_id}").status_code == 403


def test_the_token_never_reaches_a_log(app, world, caplog):
    line = f'127.0.0.1 - - "GET /feed/{world.token}.ics HTTP/1.1" 200 -'
    assert world.token not in redact(line) and "/feed/[redacted].ics" in redact(line)
    assert "booking/blueprints/feed/__init__.py" in redact("booking/blueprints/feed/__init__.py")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info(line)
    assert world.token not in caplog.text


def test_initials():
    assert initials("Anne Marie Jensen") == "A.M.J."
    assert initials("  ") == "–"
