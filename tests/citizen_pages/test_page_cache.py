"""The citizen's home page and free times, kept rendered for a few seconds (issue 13, speed):
a kept rendering is used only while the citizen's own data is as it showed it, whichever
process changed it; every view is audited; form tokens are fresh in every response; flashed
messages are never kept. On SQLite and PostgreSQL (the other process is a real one)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from booking import page_versions
from booking.db import db
from booking.models import AuditEntry, Booking, BookingState, Citizen
from booking.services import read_audit, reservations
from tests import factories
from tests.booking.conftest import add_obligation, build_world
from tests.booking.test_page_queries import Statements
from tests.conftest import make_app

from .conftest import request_key

ROOT = Path(__file__).resolve().parents[2]
CSRF_ON = {"TESTING": True, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


@pytest.fixture
def app(any_db_url):
    app = make_app(any_db_url, flask=CSRF_ON)
    yield app
    with app.app_context():
        read_audit.flush()
        db.engine.dispose()


@pytest.fixture
def world(app):
    with app.app_context(), db.fresh_session() as session:
        world = build_world(session)
        session.expunge_all()
    return world


def _statements(app, client, path: str) -> tuple[str, list[str]]:
    """The page and the statements it ran besides loading the citizen."""
    with app.app_context():
        engine = db.engine
    with Statements(engine) as counted:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True), [
        s for s in counted.seen if not s.startswith("SELECT citizens.")
    ]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _page_version(app, citizen_id: int) -> int:
    with app.app_context(), db.fresh_session() as session:
        return session.scalar(select(Citizen.page_version).where(Citizen.id == citizen_id))


def _book_in_another_process(url: str, citizen_id: int, obligation_id: int, slot_id: int) -> None:
    """A booking made by another web process (or a worker): this process's own count of
    bookings does not see it."""
    script = (
        "from booking import create_app\n"
        "from booking.db import db\n"
        "from booking.services import reservations\n"
        "from tests.conftest import app_overrides\n"
        f"app = create_app(app_overrides({url!r}))\n"
        "with app.app_context(), db.fresh_session() as session:\n"
        "    reservations.book(session, citizen_id=%d, obligation_id=%d, slot_id=%d,\n"
        "        request_key='other-process', settings=app.extensions['rettidig_settings'])\n"
        % (citizen_id, obligation_id, slot_id)
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=120)


def test_a_kept_page_shows_the_citizens_own_booking_made_in_another_process(
    app, world, citizen_login, any_db_url
):
    client = citizen_login(app, world.citizen)
    path = f"/borger/samtale/{world.ob.id}"
    first, built = _statements(app, client, "/borger/")
    assert built, "the first view builds the page"
    again, kept = _statements(app, client, "/borger/")
    assert kept == []  # the kept rendering: nothing but the citizen's own row was read
    assert path in again  # still to book

    epoch = page_versions.epoch()
    version = _page_version(app, world.citizen.id)
    _book_in_another_process(any_db_url, world.citizen.id, world.ob.id, world.slots[0].id)
    assert page_versions.epoch() == epoch  # this process saw no booking of its own
    assert _page_version(app, world.citizen.id) == version + 1

    after, built = _statements(app, client, "/borger/")
    assert built, "a new page version: the page is built anew"
    assert path not in after  # booked now: no longer offered to book
    assert client.get(path).status_code == 302  # the free times lead to the booking


def test_another_citizens_kept_free_times_may_show_a_time_just_taken_and_booking_it_is_refused(
    app, world, citizen_login, any_db_url
):
    """The documented cost of keeping renderings: a booking in another process reaches this
    process's kept free times only when they expire. The booking itself is refused, with other
    times, and nothing is booked twice."""
    with app.app_context(), db.fresh_session() as session:
        other = factories.citizen(session, world.unit, cw=world.cw)
        theirs = add_obligation(session, other)
        session.commit()
        other_id, theirs_id = other.id, theirs.id
    mine = citizen_login(app, world.citizen)
    path = f"/borger/samtale/{world.ob.id}"
    slot = world.slots[0].id
    html = mine.get(path).get_data(as_text=True)
    assert f'value="{slot}"' in html
    _book_in_another_process(any_db_url, other_id, theirs_id, slot)
    html = mine.get(path).get_data(as_text=True)
    assert f'value="{slot}"' in html  # kept: the time taken a moment ago is still shown
    response = mine.post(
        f"/borger/samtale/{world.ob.id}/book",
        data={"slot": str(slot), "request_key": request_key(html), "csrf_token": _csrf(html)},
    )
    assert response.status_code == 409
    with app.app_context(), db.fresh_session() as session:
        booked = Booking.state == BookingState.booked
        live = session.scalar(select(func.count()).where(Booking.slot_id == slot, booked))
    assert live == 1


def test_every_view_of_a_kept_page_is_audited(app, world, citizen_login):
    client = citizen_login(app, world.citizen)
    for _ in range(3):
        assert client.get("/borger/").status_code == 200
        assert client.get(f"/borger/samtale/{world.ob.id}").status_code == 200
    with app.app_context():
        read_audit.flush()
        with db.fresh_session() as session:
            counts = dict(
                session.execute(
                    select(AuditEntry.action, func.count())
                    .where(AuditEntry.citizen_id == world.citizen.id)
                    .group_by(AuditEntry.action)
                ).all()
            )
    assert counts["citizen_viewed_own"] == 3
    assert counts["citizen_viewed_slots"] == 3


def test_a_settled_session_is_not_signed_again_on_every_view(app, world, citizen_login):
    """The first page after the personal link stores the form token in the session (one
    Set-Cookie); after that, views — kept or built — send no cookie: re-signing the session on
    every view costs each request a signature and the browser a new cookie."""
    client = citizen_login(app, world.citizen)
    first = client.get("/borger/")
    assert "session=" in first.headers.get("Set-Cookie", "")
    for path in ("/borger/", f"/borger/samtale/{world.ob.id}", "/borger/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, (path, response.headers["Set-Cookie"])


def test_a_kept_page_has_fresh_tokens_that_work(app, world, citizen_login):
    client = citizen_login(app, world.citizen)
    path = f"/borger/samtale/{world.ob.id}"
    first = client.get(path).get_data(as_text=True)
    kept = client.get(path).get_data(as_text=True)
    assert request_key(first) != request_key(kept)  # a booking's own key in every response
    for html in (first, kept):
        assert "\x1b" not in html  # no stand-in left
    slot = world.slots[0].id
    response = client.post(
        f"/borger/samtale/{world.ob.id}/book",
        data={"slot": str(slot), "request_key": request_key(kept), "csrf_token": _csrf(kept)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    # the citizen's own booking: their next view is built anew and shows it
    home = client.get("/borger/").get_data(as_text=True)
    assert "/borger/booking/" in home


def test_a_flashed_message_is_shown_once_and_never_kept(app, world, citizen_login):
    client = citizen_login(app, world.citizen)
    with app.app_context(), db.fresh_session() as session:
        booking = reservations.book(
            session,
            citizen_id=world.citizen.id,
            obligation_id=world.ob.id,
            slot_id=world.slots[4].id,
            request_key="k",
            settings=app.extensions["rettidig_settings"],
        ).booking
        booking_id = booking.id
    html = client.get(f"/borger/booking/{booking_id}/aflys").get_data(as_text=True)
    response = client.post(f"/borger/booking/{booking_id}/aflys", data={"csrf_token": _csrf(html)})
    assert response.status_code == 302
    flashed = client.get("/borger/").get_data(as_text=True)
    assert 'class="flash' in flashed
    assert 'class="flash' not in client.get("/borger/").get_data(as_text=True)
    assert 'class="flash' not in client.get("/borger/").get_data(as_text=True)


def test_versions_rise_with_the_transaction_that_changes_the_pages(app, world):
    citizen_id = world.citizen.id
    version = _page_version(app, citizen_id)
    epoch = page_versions.epoch()
    with app.app_context(), db.fresh_session() as session:
        session.get(Citizen, citizen_id).phone = "+4512345678"
        session.rollback()  # nothing written: nothing raised
    assert (_page_version(app, citizen_id), page_versions.epoch()) == (version, epoch)
    with app.app_context(), db.fresh_session() as session:
        session.get(Citizen, citizen_id).phone = "+4512345678"
        session.commit()  # the citizen's own row: their pages, not everyone's free times
    assert (_page_version(app, citizen_id), page_versions.epoch()) == (version + 1, epoch)
    with app.app_context(), db.fresh_session() as session:
        session.execute(update(Booking).where(Booking.id == -1).values(locked=True))
        session.commit()  # a bulk statement on bookings: everyone's free times in this process
    assert page_versions.epoch() == epoch + 1


def test_the_cache_can_be_turned_off(any_db_url, citizen_login):
    app = make_app(any_db_url, app={"citizen_page_cache_s": 0})
    try:
        with app.app_context(), db.fresh_session() as session:
            world = build_world(session)
            session.expunge_all()
        client = citizen_login(app, world.citizen)
        _html, first = _statements(app, client, "/borger/")
        _html, second = _statements(app, client, "/borger/")
        assert first and len(second) == len(first)  # built every time
        assert "rettidig_citizen_pages" not in app.extensions
    finally:
        with app.app_context():
            read_audit.flush()
            db.engine.dispose()
