"""One seat, one booking: ≥ 20 threads, each with its own engine and connection, race for the
last seat, on SQLite (WAL, BEGIN IMMEDIATE) and on PostgreSQL (SELECT … FOR UPDATE); the rows
are counted afterwards."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.database import make_engine
from booking.db import db
from booking.models import Booking, BookingState, Obligation, ObligationState
from booking.services import reservations
from booking.services.reservations import ReservationError
from tests import factories
from tests.conftest import make_app

from .conftest import add_obligation, add_slot, at

THREADS = 24


def _race(url: str, settings: dict, jobs: list[dict]) -> list[object]:
    """Run one reservations.book per job at the same moment; return ids or error codes."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int, job: dict) -> None:
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                session.execute(select(1))  # connect before the start signal
                session.rollback()
                barrier.wait()
                try:
                    results[i] = reservations.book(session, settings=settings, **job).booking.id
                except ReservationError as exc:
                    results[i] = exc.code
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = f"crash: {type(exc).__name__}: {exc}"
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _setup(url: str):
    app = make_app(url)
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        cw = factories.caseworker(s, unit)
        slot = add_slot(s, cw, at(3, 10), "phone")
        spare = add_slot(s, cw, at(4, 10), "phone")
        people = []
        for _ in range(THREADS):
            citizen = factories.citizen(s, unit, cw=cw)
            people.append((citizen.id, add_obligation(s, citizen).id))
        s.commit()
        return app, slot.id, spare.id, people


def _count(app, *where) -> int:
    with app.app_context(), db.fresh_session() as s:
        return s.scalar(select(func.count(Booking.id)).where(*where))


def test_many_citizens_race_for_the_last_seat(any_db_url):
    app, slot_id, _spare, people = _setup(any_db_url)
    settings = app.extensions["rettidig_settings"]
    jobs = [
        {"citizen_id": c, "obligation_id": o, "slot_id": slot_id, "request_key": f"k{i}"}
        for i, (c, o) in enumerate(people)
    ]
    results = _race(any_db_url, settings, jobs)
    kinds = Counter("won" if isinstance(r, int) else r for r in results)
    assert kinds == {"won": 1, "slot_taken": THREADS - 1}, results
    assert _count(app, Booking.slot_id == slot_id) == 1
    assert _count(app, Booking.slot_id == slot_id, Booking.state == BookingState.booked) == 1
    with app.app_context(), db.fresh_session() as s:
        booked = s.scalar(
            select(func.count(Obligation.id)).where(Obligation.state == ObligationState.booked)
        )
    assert booked == 1
    app_engine_dispose(app)


def test_one_citizen_submitting_twenty_times_gets_one_booking(any_db_url):
    app, slot_id, spare_id, people = _setup(any_db_url)
    settings = app.extensions["rettidig_settings"]
    citizen_id, obligation_id = people[0]
    same_key = {
        "citizen_id": citizen_id,
        "obligation_id": obligation_id,
        "slot_id": slot_id,
        "request_key": "one-form",
    }
    results = _race(any_db_url, settings, [same_key] * THREADS)
    assert len({r for r in results}) == 1 and isinstance(results[0], int), results
    # a second tab (another form, another key) cannot book the same obligation twice
    other_tabs = [
        {**same_key, "slot_id": spare_id, "request_key": f"tab{i}"} for i in range(THREADS)
    ]
    results = _race(any_db_url, settings, other_tabs)
    assert set(results) == {"already_booked"}, results
    assert _count(app) == 1
    app_engine_dispose(app)


def app_engine_dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()
