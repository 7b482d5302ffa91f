"""The caseworker's calendar pages: what a day and a week show, who may see whose calendar, the
audit of each citizen shown, and every refusal's message in Danish and English on the page."""

from __future__ import annotations

import html
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from flask import url_for
from sqlalchemy import select

from booking.blueprints.caseworker.messages import MESSAGES
from booking.db import db
from booking.models import (
    Booking,
    BookingSource,
    GroupSession,
    GroupSessionCaseworker,
    Obligation,
    ObligationState,
    Slot,
)
from booking.services import outcomes, reservations
from booking.services.calendar_view import AUDIT_ACTION
from booking.services.clock import local_date, now_utc

from .conftest import audit_actions, build, in_days

OUTCOME = "/sagsbehandler/kalender/aftale/{}/udfald"
UNDO = "/sagsbehandler/kalender/aftale/{}/fortryd"
MO = Path(__file__).resolve().parents[2] / "booking/translations/en/LC_MESSAGES/messages.mo"


def _slot_day(app, slot_id: int) -> str:
    with app.app_context(), db.fresh_session() as s:
        return local_date(s.get(Slot, slot_id).starts_at).isoformat()


def test_the_day_lists_the_booking_with_both_deadlines_and_audits_each_citizen(app, login):
    world = build(app)
    client = login(app, world.cw_user)
    page = client.get(f"/sagsbehandler/kalender?dag={_slot_day(app, world.slot_id)}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    with app.app_context(), db.fresh_session() as s:
        ob = s.get(Obligation, world.ob_id)
        label = ob.label_da
    assert label in text and "Lovens frist:" in text and "Planlagt senest:" in text
    for button in ("Afholdt", "Udeblevet", "Aflyst af borger", "Aflyst af jobcentret"):
        assert f">{button}<span" in page.text
    assert "Telefon" in text and "Booket" in text
    seen = audit_actions(app, AUDIT_ACTION)
    assert [(e.citizen_id, e.object_id) for e in seen] == [(world.citizen_id, world.cw_id)]
    with app.test_request_context():
        href = url_for("lookup.citizen", citizen_id=world.citizen_id)
    assert f'href="{href}"' in page.text  # each row links to the citizen's page


def test_the_week_shows_a_future_booking_with_cancellations_only_and_the_shifts(app, login):
    world = build(app, when="future")
    day = in_days(3)
    with app.app_context(), db.fresh_session() as s:
        gs = GroupSession(
            starts_at=day + timedelta(hours=3),
            ends_at=day + timedelta(hours=5),
            location="Jobcentret, sal B",
            minutes_per_conversation=30,
        )
        gs.pool = [GroupSessionCaseworker(caseworker_id=world.cw_id)]
        s.add(gs)
        s.commit()
    client = login(app, world.cw_user)
    page = client.get(f"/sagsbehandler/kalender/uge?uge={_slot_day(app, world.slot_id)}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Jobcentret, mødelokale 2" in text and "Jobcentret, sal B" in text
    assert "Fælles indkald" in text
    assert ">Aflyst af jobcentret<span" in page.text and ">Afholdt<span" not in page.text
    assert "Afholdt og udeblevet kan registreres fra kl." in text
    assert f"Uge {local_date(day).isocalendar()[1]}" in text


def test_who_may_see_whose_calendar(app, login):
    world = build(app)
    other = login(app, world.other_user)
    assert other.get(f"/sagsbehandler/kalender?caseworker={world.cw_id}").status_code == 403
    assert other.get("/sagsbehandler/kalender/uge?caseworker=987654").status_code == 404
    own = other.get(f"/sagsbehandler/kalender?caseworker={world.other_cw_id}")
    assert own.status_code == 200
    manager = login(app, world.manager_user)
    chooser = manager.get("/sagsbehandler/kalender")
    assert chooser.status_code == 200 and "Vælg en sagsbehandler" in html.unescape(chooser.text)
    day = _slot_day(app, world.slot_id)
    page = manager.get(f"/sagsbehandler/kalender?caseworker={world.cw_id}&dag={day}")
    assert page.status_code == 200 and "Borger" in page.text
    assert f'name="caseworker" value="{world.cw_id}"' in page.text
    assert len(audit_actions(app, AUDIT_ACTION)) == 1  # the manager saw the citizen


def test_every_code_has_a_message():
    assert set(MESSAGES) == set(outcomes.REASONS) | {"bad_day", "day_out_of_range"}


# --- each refusal, in Danish and in English -------------------------------------------------


def _book_directly(app, slot_id: int, citizen_id: int, ob_id: int) -> None:
    with app.app_context(), db.fresh_session() as s:
        s.add(
            Booking(
                slot_id=slot_id,
                seat=1,
                citizen_id=citizen_id,
                obligation_id=ob_id,
                source=BookingSource.staff,
                ical_uid=f"{uuid.uuid4()}@rettidig",
            )
        )
        s.get(Obligation, ob_id).state = ObligationState.booked
        s.commit()


def _scenario(code: str, app, login, monkeypatch):
    """Set the scene; returns (client, method, url, data) of the request that is refused."""
    future = code in {"too_early", "booking_cancelled", "seat_taken"}
    world = build(app, when="future" if future else "past")
    client = login(app, world.cw_user)
    out, undo = OUTCOME.format(world.booking_id), UNDO.format(world.booking_id)
    if code == "bad_day":
        return client, "get", "/sagsbehandler/kalender?dag=i-morgen", None
    if code == "day_out_of_range":
        return client, "get", "/sagsbehandler/kalender/uge?uge=9999-12-31", None
    if code == "unknown_outcome":
        return client, "post", out, {"outcome": "maybe"}
    if code == "not_yours":
        return login(app, world.other_user), "post", out, {"outcome": "held"}
    if code == "too_early":
        return client, "post", out, {"outcome": "held"}
    if code == "booking_cancelled":
        with app.app_context(), db.fresh_session() as s:
            reservations.cancel(
                s,
                citizen_id=world.citizen_id,
                booking_id=world.booking_id,
                settings=app.extensions["rettidig_settings"],
            )
        return client, "post", out, {"outcome": "cancelled_by_jobcentre"}
    if code == "nothing_to_undo":
        return client, "post", undo, {}
    first = {
        "already_recorded": "held",
        "undo_expired": "no_show",
        "seat_taken": "cancelled_by_citizen",
        "obligation_changed": "no_show",
    }[code]
    client.post(out, data={"outcome": first})
    if code == "already_recorded":
        return client, "post", out, {"outcome": "no_show"}
    if code == "undo_expired":
        later = now_utc() + timedelta(days=1)
        monkeypatch.setattr("booking.blueprints.caseworker.calendar.now_utc", lambda: later)
    elif code == "seat_taken":
        _book_directly(app, world.future_slot_id, world.rival_id, world.rival_ob_id)
    else:
        _book_directly(app, world.future_slot_id, world.citizen_id, world.ob_id)
    return client, "post", undo, {}


def _english(msgid: str) -> str | None:
    with MO.open("rb") as fh:
        catalogue = read_mo(fh)
    found = catalogue.get(msgid)
    return found.string if found is not None and found.string else None


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_refusal_reads_in_danish_and_english_and_changes_nothing(
    app, login, monkeypatch, code
):
    client, method, url, data = _scenario(code, app, login, monkeypatch)
    recorded = len(audit_actions(app, "booking_outcome_recorded"))
    send = getattr(client, method)
    kwargs = {"data": {"visning": "dag", **data}} if method == "post" else {}
    page = send(url, follow_redirects=True, **kwargs)
    assert page.status_code == 200
    with app.test_request_context():
        danish = str(MESSAGES[code])
    assert danish in html.unescape(page.text)
    assert len(audit_actions(app, "booking_outcome_recorded")) == recorded
    english = _english(danish)
    if english is None:
        pytest.fail("msgid not in the English catalogue")
    client.get("/sprog/en")
    page = send(url, follow_redirects=True, **kwargs)
    assert english in html.unescape(page.text)


def test_the_world_is_what_the_tests_assume(app):
    """Guards the fixtures: the obligation is booked and the past slot has begun."""
    world = build(app)
    with app.app_context(), db.fresh_session() as s:
        assert s.get(Obligation, world.ob_id).state == ObligationState.booked
        assert s.get(Slot, world.past_slot_id).starts_at < now_utc()
        assert s.scalars(select(Booking.id)).all() == [world.booking_id]
