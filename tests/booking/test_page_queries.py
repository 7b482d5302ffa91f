"""The citizen's pages run a bounded number of SQL statements (issue 13: slow pages), counted
with SQLAlchemy's ``before_cursor_execute`` event on SQLite and PostgreSQL: no commit and no
audit INSERT in the request (views are audited in batches, see test_read_audit.py), and no
statement per booking, per slot or per conversation (no N+1): the first free time of every
conversation still to book comes from one query, the same times as asking for each alone."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event

from booking.db import db
from booking.services import read_audit, reservations
from booking.services.slot_search import bookable_slots, first_free, self_booking_until
from tests import factories
from tests.conftest import make_app

from .conftest import add_obligation, add_slot, at, build_world, today

# statements of one page view besides loading the citizen (at most twice: the log-in reads it
# from the session cookie, the page again unless it is still in the session's identity map)
HOME = 2  # bookings with their slots, obligations with their programme
SLOTS = 3  # obligation with its programme, days already booked, the free times
BOOKING = 3  # booking, slot, caseworker


class Statements:
    """SQL statements this thread sends (the audit buffer's own thread is not the page)."""

    def __init__(self, engine) -> None:
        self.engine, self.seen = engine, []
        self.thread = threading.get_ident()

    def _count(self, _conn, _cursor, statement, *_args) -> None:
        # SQLite's BEGIN is sent as a statement (booking.database), PostgreSQL's by the driver
        if threading.get_ident() == self.thread and statement != "BEGIN":
            self.seen.append(" ".join(statement.split())[:120])

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


def _page(app, client, path: str, *, kept: bool = False) -> list[str]:
    """The statements of one view of ``path`` but those loading the citizen (at most two);
    ``kept``: the view the citizen's page cache answers (else the page is built anew)."""
    with app.app_context():
        engine = db.engine
    client.get(path)  # a first view: caches and prepared statements warm
    if not kept:
        app.extensions["rettidig_citizen_pages"].clear()
    with Statements(engine) as counted:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    citizen = [s for s in counted.seen if s.startswith("SELECT citizens.")]
    assert 1 <= len(citizen) <= 2, counted.seen
    return [s for s in counted.seen if not s.startswith("SELECT citizens.")]


@pytest.fixture
def app(any_db_url):
    app = make_app(any_db_url)
    yield app
    with app.app_context():
        read_audit.flush()
        db.engine.dispose()


def test_each_citizen_page_runs_a_bounded_number_of_statements(app, citizen_login):
    """(The test's own setup runs in app contexts of its own: a request then has its own
    session, as under a real server.)"""
    settings = app.extensions["rettidig_settings"]
    with app.app_context(), db.fresh_session() as session:
        world = build_world(session)
        booking = reservations.book(
            session,
            citizen_id=world.citizen.id,
            obligation_id=world.ob.id,
            slot_id=world.slots[0].id,
            request_key="q1",
            settings=settings,
        ).booking
        second = add_obligation(session, world.citizen, sequence=3, deadline=40)
        session.commit()
        client = citizen_login(app, world.citizen)
    home = _page(app, client, "/borger/")
    assert len(home) == HOME + 1, home  # + the first free time of the one still to book
    slots = _page(app, client, f"/borger/samtale/{second.id}")
    assert len(slots) == SLOTS, slots
    shown = _page(app, client, f"/borger/booking/{booking.id}")
    assert len(shown) <= BOOKING, shown
    for statements in (home, slots, shown):
        assert not any(s.startswith(("INSERT", "UPDATE", "DELETE", "COMMIT")) for s in statements)
    # shown again while nothing changed: the kept rendering, after the one statement that
    # loads the citizen (with their page version)
    assert _page(app, client, "/borger/", kept=True) == []
    assert _page(app, client, f"/borger/samtale/{second.id}", kept=True) == []

    # more bookings, more slots and more conversations: only the one query per conversation
    # still to book is added
    with app.app_context(), db.fresh_session() as session:
        citizen = session.get(type(world.citizen), world.citizen.id)
        for sequence in (4, 5, 6):
            extra = add_obligation(session, citizen, sequence=sequence, deadline=50)
            day = at(6 + sequence, 9)
            for hour in range(5):
                add_slot(session, world.cw, day.replace(hour=day.hour + hour))
            if sequence == 4:
                session.commit()
                reservations.book(
                    session,
                    citizen_id=citizen.id,
                    obligation_id=extra.id,
                    slot_id=add_slot(session, world.cw, at(30, 9)).id,
                    request_key="q2",
                    settings=settings,
                )
        factories.citizen(session, world.unit, cw=world.cw)  # somebody else's data, too
        session.commit()
    home = _page(app, client, "/borger/")
    assert len(home) == HOME + 1, home  # the first free times of all three: one query
    assert len(_page(app, client, f"/borger/samtale/{second.id}")) == SLOTS


def test_the_first_free_times_at_once_are_those_asked_one_by_one(session, world, settings):
    """Conversations with other windows and channels than the first: each gets the slot that
    ``bookable_slots(…, limit=1)`` gives it alone (also past the rows read at once)."""
    from booking.services import slot_search

    obligations = [
        world.ob,
        add_obligation(session, world.citizen, sequence=3, channels=("phone",), deadline=40),
        add_obligation(session, world.citizen, sequence=4, earliest=4, deadline=45),
        add_obligation(session, world.citizen, sequence=5, channels=("video",), deadline=20),
        add_obligation(session, world.citizen, sequence=6, earliest=30, deadline=31),
    ]
    for day in range(6, 12):
        add_slot(session, world.cw, at(day, 13), "in_person")
    add_slot(session, world.cw, at(15, 10), "video")
    session.commit()
    wanted = [(ob, self_booking_until(ob, settings)) for ob in obligations]
    busy = slot_search.busy_days(session, world.citizen.id, None)
    alone = {}
    for ob, until in wanted:
        found = bookable_slots(
            session, world.citizen, ob, until=until, today=today(), limit=1, busy=busy
        )
        alone[ob.id] = found[0] if found else None
    assert first_free(session, world.citizen, wanted, today=today(), busy=busy) == alone
    assert sum(v is not None for v in alone.values()) >= 3
    rows = slot_search.FIRST_FREE_ROWS
    try:
        slot_search.FIRST_FREE_ROWS = 1  # the earliest row serves one: the others alone
        assert first_free(session, world.citizen, wanted, today=today(), busy=busy) == alone
    finally:
        slot_search.FIRST_FREE_ROWS = rows
