"""The API's writes on SQLite and PostgreSQL alike: a citizen created and replayed under its
Idempotency-Key, a booking made once, a race on one key decided by the unique constraint."""

from __future__ import annotations

from sqlalchemy import func, select

from booking.db import db
from booking.models import ApiIdempotentRequest, Booking
from booking.services.api import idempotency
from tests.api.conftest import problem


def test_writes_and_replays_on_each_database(any_db_api):
    api = any_db_api
    body = {"cpr": "120785-4113", "name": "Karen Blixen", "unit_code": api.unit_code,
            "programme": {"target_group": "cash_benefit", "start_date": "2026-10-05"}}
    first = api.post("/api/v1/citizens", body, idem="c-1")
    assert first.status_code == 201, first.text
    again = api.post("/api/v1/citizens", body, idem="c-1")
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    problem(api.post("/api/v1/citizens", body, idem="c-2"), 409, "cpr_taken")
    booking = {"obligation_id": api.ob_id, "slot_id": api.slot_ids[0]}
    assert api.post("/api/v1/bookings", booking, idem="b-1").status_code == 201
    assert api.post("/api/v1/bookings", booking, idem="b-1").status_code == 201
    with api.app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(Booking.id))) == 1
    citizens = api.get("/api/v1/citizens?limit=1")
    assert citizens.status_code == 200 and citizens.json["next"]


def test_the_second_claim_of_a_key_loses_the_race(any_db_api):
    api = any_db_api
    with api.app.app_context(), db.fresh_session() as a, db.fresh_session() as b:
        first = idempotency.claim(a, api.full_id, "race", method="POST", path="/p",
                                  fingerprint="f")
        second = idempotency.claim(b, api.full_id, "race", method="POST", path="/p",
                                   fingerprint="f")
        assert (first.outcome, second.outcome) == ("claimed", "in_progress")
        idempotency.finish(a, first.row_id, status=201, body="{}", headers={})
        third = idempotency.claim(b, api.full_id, "race", method="POST", path="/p",
                                  fingerprint="f")
        assert (third.outcome, third.status, third.body) == ("replay", 201, "{}")
        assert b.scalar(select(func.count(ApiIdempotentRequest.id))) == 1
