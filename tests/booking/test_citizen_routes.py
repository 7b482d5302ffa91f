"""The citizen's pages through the Flask test client: see, filter, book, rebook, cancel, and
clear Danish answers (never a 500) to bad input, late changes and closed self-booking."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from booking.db import db
from booking.models import AuditEntry, Booking, BookingState, Obligation, ObligationState
from booking.services.central import central_booking_list
from tests import factories
from tests.conftest import make_app, use_settings

from .catalogue import english_or_skip
from .conftest import add_obligation, build_world, today


@pytest.fixture
def session(app):
    """The test's own session, without holding an app context (the client's requests must get
    their own context and session, as in production)."""
    with app.app_context():
        s = db.database.session()
    try:
        yield s
    finally:
        s.close()


def _key(html: str) -> str:
    return re.search(r'name="request_key"[^>]*value="([^"]+)"', html).group(1)


def _bookings(session) -> int:
    session.rollback()
    return session.scalar(
        select(func.count(Booking.id)).where(Booking.state == BookingState.booked)
    )


def test_citizen_sees_deadline_and_books_a_phone_time(app, client, session, world, citizen_login):
    citizen_login(app, world.citizen, client)
    home = client.get("/borger/")
    assert "Du skal have en samtale senest" in home.text
    assert "Vælg en tid" in home.text
    page = client.get(f"/borger/samtale/{world.ob.id}?kanal=phone")
    assert page.status_code == 200
    # the days with phone times (earliest first); the first day's times are shown
    days = re.findall(r'href="[^"]*dag=(\d{4}-\d\d-\d\d)', page.text)
    assert days == [world.slots[1].starts_at.date().isoformat(),
                    world.slots[2].starts_at.date().isoformat()]
    ids = re.findall(r'name="slot" id="slot-(\d+)"', page.text)
    assert ids == [str(world.slots[1].id)]
    page = client.get(f"/borger/samtale/{world.ob.id}?kanal=phone&dag={days[1]}")
    assert re.findall(r'name="slot" id="slot-(\d+)"', page.text) == [str(world.slots[2].id)]
    key = _key(page.text)
    form = {"slot": str(world.slots[2].id), "request_key": key}
    done = client.post(f"/borger/samtale/{world.ob.id}/book", data=form)
    assert done.status_code == 302
    confirmation = client.get(done.headers["Location"])
    assert "Din samtale er booket" in confirmation.text
    assert "Jobcentret ringer til dig" in confirmation.text
    assert "Hent kalenderfil (.ics)" in confirmation.text
    # double submit, refresh or back: the same key never books twice
    again = client.post(f"/borger/samtale/{world.ob.id}/book", data=form)
    assert again.status_code == 302 and again.headers["Location"] == done.headers["Location"]
    assert _bookings(session) == 1
    booking = session.scalar(select(Booking))
    ics = client.get(f"/borger/booking/{booking.id}/kalender.ics")
    assert ics.mimetype == "text/calendar" and "attachment" in ics.headers["Content-Disposition"]
    assert "BEGIN:VEVENT" in ics.text and booking.ical_uid in ics.text
    session.refresh(world.ob)
    assert world.ob.state == ObligationState.booked


def test_rebook_and_cancel_through_the_pages(app, client, session, world, citizen_login):
    citizen_login(app, world.citizen, client)
    page = client.get(f"/borger/samtale/{world.ob.id}")
    client.post(
        f"/borger/samtale/{world.ob.id}/book",
        data={"slot": str(world.slots[1].id), "request_key": _key(page.text)},
    )
    booking = session.scalar(select(Booking))
    move = client.get(f"/borger/booking/{booking.id}/flyt")
    assert "Flyt din samtale" in move.text
    assert f'id="slot-{world.slots[1].id}"' not in move.text
    moved = client.post(
        f"/borger/booking/{booking.id}/flyt",
        data={"slot": str(world.slots[3].id), "request_key": _key(move.text)},
    )
    assert moved.status_code == 302 and "vist=flyttet" in moved.headers["Location"]
    session.rollback()  # end the test's read snapshot (WAL)
    session.refresh(booking)
    assert booking.slot_id == world.slots[3].id and booking.ical_sequence == 1
    confirm = client.get(f"/borger/booking/{booking.id}/aflys")
    assert "Ja, aflys samtalen" in confirm.text
    gone = client.post(f"/borger/booking/{booking.id}/aflys", data={})
    assert gone.status_code == 302
    home = client.get("/borger/")
    assert "Din samtale er aflyst" in home.text and "Vælg en tid" in home.text
    session.rollback()  # end the test's read snapshot (WAL)
    session.refresh(booking)
    session.refresh(world.ob)
    assert booking.state == BookingState.cancelled and world.ob.state == ObligationState.open
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"booking_created", "booking_moved", "booking_cancelled"} <= actions


def test_bad_input_gets_a_danish_message_and_changes_nothing(
    app, client, session, world, citizen_login
):
    citizen_login(app, world.citizen, client)
    url = f"/borger/samtale/{world.ob.id}/book"
    for data in ({}, {"slot": "abc"}, {"slot": str(world.slots[5].id)}, {"slot": "999999"}):
        answer = client.post(url, data=data)
        assert answer.status_code == 422, data
        assert 'role="alert"' in answer.text
        assert "Vælg en" in answer.text or "kan ikke bookes" in answer.text
    bad_filter = client.get(f"/borger/samtale/{world.ob.id}?kanal=fax&uge=nej")
    assert bad_filter.status_code == 200 and "Vælg en af de viste fremmødeformer" in bad_filter.text
    assert _bookings(session) == 0
    other = factories.citizen(session, world.unit, cw=world.cw)
    foreign = add_obligation(session, other)
    session.commit()
    assert client.get(f"/borger/samtale/{foreign.id}").status_code == 404


def test_taken_slot_says_so_with_alternatives(app, client, session, world, citizen_login):
    rival = factories.citizen(session, world.unit, cw=world.cw)
    rival_ob = add_obligation(session, rival)
    session.commit()
    citizen_login(app, world.citizen, client)
    page = client.get(f"/borger/samtale/{world.ob.id}")
    rival_client = app.test_client()
    citizen_login(app, rival, rival_client)
    rival_page = rival_client.get(f"/borger/samtale/{rival_ob.id}")
    rival_client.post(
        f"/borger/samtale/{rival_ob.id}/book",
        data={"slot": str(world.slots[2].id), "request_key": _key(rival_page.text)},
    )
    lost = client.post(
        f"/borger/samtale/{world.ob.id}/book",
        data={"slot": str(world.slots[2].id), "request_key": _key(page.text)},
    )
    assert lost.status_code == 409
    assert "Tiden er lige blevet taget" in lost.text
    assert "Nærmeste ledige tider" in lost.text
    assert _bookings(session) == 1


def test_after_the_cutoff_the_booking_cannot_be_changed(
    app, client, session, world, settings, citizen_login
):
    use_settings(app, settings.with_changes({"booking": {"cancellation_cutoff_hours": 24 * 30}}))
    citizen_login(app, world.citizen, client)
    page = client.get(f"/borger/samtale/{world.ob.id}")
    client.post(
        f"/borger/samtale/{world.ob.id}/book",
        data={"slot": str(world.slots[1].id), "request_key": _key(page.text)},
    )
    booking = session.scalar(select(Booking))
    view = client.get(f"/borger/booking/{booking.id}")
    assert "kan ikke flyttes eller aflyses her" in view.text
    assert client.post(f"/borger/booking/{booking.id}/aflys").status_code == 302
    session.rollback()  # end the test's read snapshot (WAL)
    session.refresh(booking)
    assert booking.state == BookingState.booked


def test_no_dead_ends_deadline_passed_and_no_slots(
    app, client, session, world, settings, citizen_login
):
    late = add_obligation(session, world.citizen, earliest=-20, deadline=5, sequence=1)
    world.ob.pool = "caseworker"
    session.commit()
    citizen_login(app, world.citizen, client)
    home = client.get("/borger/")
    assert "Fristen for selv at booke er overskredet" in home.text
    page = client.get(f"/borger/samtale/{late.id}")
    assert page.status_code == 200 and "Jobcentret booker en tid til dig" in page.text
    # a citizen whose caseworker has no free time before the deadline
    lonely = factories.citizen(session, world.unit, cw=world.other_cw)
    lonely.channels = ["video"]
    empty = add_obligation(session, lonely, earliest=-1, deadline=20)
    session.commit()
    lonely_client = app.test_client()
    citizen_login(app, lonely, lonely_client)
    assert "Der er ingen ledige tider, du selv kan booke" in lonely_client.get("/borger/").text
    items = central_booking_list(session, today(), local_days=8)
    reasons = {item.obligation.id: item.reason for item in items}
    assert reasons[late.id] == "deadline_passed" and reasons[empty.id] == "no_slots"
    assert world.ob.id not in reasons


def test_csrf_is_required_on_booking(tmp_path, citizen_login):
    app = make_app(
        f"sqlite:///{tmp_path / 'csrf.sqlite3'}",
        flask={"TESTING": True, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False},
    )
    with app.app_context():
        s = db.database.session()
    world = build_world(s)
    client = app.test_client()
    citizen_login(app, world.citizen, client)
    answer = client.post(
        f"/borger/samtale/{world.ob.id}/book", data={"slot": str(world.slots[1].id)}
    )
    assert answer.status_code == 400 and "Formularen var udløbet" in answer.text
    s.rollback()
    assert s.scalar(select(func.count(Booking.id))) == 0
    assert s.scalar(select(func.count(Obligation.id))) == 1
    s.close()


def test_refusals_are_shown_in_english_after_the_language_switch(
    app, client, session, world, settings, citizen_login
):
    rival = factories.citizen(session, world.unit, cw=world.cw)
    rival_ob = add_obligation(session, rival)
    session.commit()
    citizen_login(app, world.citizen, client)
    client.get("/sprog/en")
    url = f"/borger/samtale/{world.ob.id}/book"
    # filters that are not understood (citizen_view codes)
    page = client.get(f"/borger/samtale/{world.ob.id}?kanal=fax&uge=nej")
    assert 'lang="en"' in page.text
    for danish in ("Vælg en af de viste fremmødeformer.", "Vælg en af de viste uger."):
        assert english_or_skip(danish) in page.text
    # a time outside the window (not_bookable)
    answer = client.post(url, data={"slot": str(world.slots[5].id)})
    assert answer.status_code == 422
    not_bookable = "Den valgte tid kan ikke bookes. Vælg en af de viste tider."
    assert english_or_skip(not_bookable) in answer.text
    # a time someone else just took (slot_taken)
    rival_client = citizen_login(app, rival)
    rival_page = rival_client.get(f"/borger/samtale/{rival_ob.id}")
    rival_client.post(
        f"/borger/samtale/{rival_ob.id}/book",
        data={"slot": str(world.slots[2].id), "request_key": _key(rival_page.text)},
    )
    lost = client.post(url, data={"slot": str(world.slots[2].id), "request_key": "en-1"})
    assert lost.status_code == 409
    assert english_or_skip("Tiden er lige blevet taget. Vælg en anden tid.") in lost.text
    assert "Tiden er lige blevet taget" not in lost.text
    # a second booking for the same conversation (already_booked, flashed)
    first = client.post(url, data={"slot": str(world.slots[1].id), "request_key": "en-2"})
    assert first.status_code == 302
    again = client.post(url, data={"slot": str(world.slots[3].id), "request_key": "en-3"})
    assert again.status_code == 302 and again.headers["Location"] == "/borger/"
    home = client.get("/borger/")
    assert english_or_skip("Du har allerede booket en tid til denne samtale.") in home.text
    # too close to the time to move it (cutoff_passed, flashed with the hours)
    use_settings(app, settings.with_changes({"booking": {"cancellation_cutoff_hours": 24 * 30}}))
    session.rollback()
    booking = session.scalar(select(Booking).where(Booking.citizen_id == world.citizen.id))
    moved = client.get(f"/borger/booking/{booking.id}/flyt")
    assert moved.status_code == 302
    shown = client.get(moved.headers["Location"])
    cutoff = english_or_skip(
        "Tiden kan ikke flyttes eller aflyses her, når der er mindre end %(hours)s timer "
        "til samtalen. Ring til jobcentret."
    ) % {"hours": 24 * 30}
    assert cutoff in shown.text


def test_another_citizens_booking_pages_are_not_found(
    app, client, session, world, settings, citizen_login
):
    rival = factories.citizen(session, world.unit, cw=world.cw)
    rival_ob = add_obligation(session, rival)
    session.commit()
    rival_client = citizen_login(app, rival)
    rival_page = rival_client.get(f"/borger/samtale/{rival_ob.id}")
    rival_client.post(
        f"/borger/samtale/{rival_ob.id}/book",
        data={"slot": str(world.slots[2].id), "request_key": _key(rival_page.text)},
    )
    session.rollback()
    theirs = session.scalar(select(Booking).where(Booking.citizen_id == rival.id))
    citizen_login(app, world.citizen, client)
    for url in ("", "/kalender.ics", "/flyt", "/aflys"):
        assert client.get(f"/borger/booking/{theirs.id}{url}").status_code == 404, url
    for url in ("/flyt", "/aflys"):
        answer = client.post(f"/borger/booking/{theirs.id}{url}", data={"slot": "1"})
        assert answer.status_code == 404, url
    assert client.post(f"/borger/samtale/{rival_ob.id}/book", data={}).status_code == 404
    assert client.post(
        f"/borger/samtale/{rival_ob.id}/book", data={"slot": str(world.slots[3].id)}
    ).status_code == 404
    session.rollback()
    session.refresh(theirs)
    assert theirs.state == BookingState.booked and theirs.slot_id == world.slots[2].id
