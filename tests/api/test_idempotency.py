"""``Idempotency-Key`` on every POST: the same key and body give the same answer (and do the
work once); the same key with another body is a 422; keys are per API client."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from booking.db import db
from booking.models import ApiIdempotentRequest, Booking, Citizen
from booking.services.api import idempotency
from booking.services.clock import now_utc
from tests.api.conftest import problem


def new_citizen(unit_code: str, cpr: str = "0101904003", name: str = "Ida Idempotent") -> dict:
    return {"cpr": cpr, "name": name, "unit_code": unit_code,
            "programme": {"target_group": "cash_benefit", "start_date": "2026-10-05"}}


def count(api, model) -> int:
    with api.app.app_context(), db.fresh_session() as s:
        return s.scalar(select(func.count(model.id)))


def test_the_same_key_and_body_give_the_same_answer_once(api):
    before = count(api, Citizen)
    body = new_citizen(api.unit_code)
    first = api.post("/api/v1/citizens", body, idem="opret-ida")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    again = api.post("/api/v1/citizens", body, idem="opret-ida")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    assert count(api, Citizen) == before + 1
    # the same document written otherwise (key order, whitespace) is the same request
    import json

    text = json.dumps(dict(reversed(list(body.items()))), indent=2)
    reordered = api.client().post("/api/v1/citizens", data=text, headers={
        "Authorization": f"Bearer {api.full}", "Idempotency-Key": "opret-ida",
        "Content-Type": "application/json"})
    assert reordered.status_code == 201 and reordered.json == first.json


def test_the_same_key_with_another_body_is_422_and_changes_nothing(api):
    before = count(api, Citizen)
    assert api.post("/api/v1/citizens", new_citizen(api.unit_code), idem="k").status_code == 201
    other = api.post("/api/v1/citizens", new_citizen(api.unit_code, "0202904005", "Anden"),
                     idem="k")
    problem(other, 422, "idempotency_key_reused")
    assert count(api, Citizen) == before + 1
    # and on another path
    problem(api.post("/api/v1/bookings", {"obligation_id": api.ob_id,
                                          "slot_id": api.slot_ids[0]}, idem="k"),
            422, "idempotency_key_reused")


def test_a_refusal_is_kept_too(api):
    body = new_citizen(api.unit_code, cpr="3102901234")  # 31 February
    first = problem(api.post("/api/v1/citizens", body, idem="bad-cpr"), 422, "invalid")
    assert first["errors"][0]["path"] == "$.cpr"
    again = api.post("/api/v1/citizens", body, idem="bad-cpr")
    assert again.status_code == 422 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first and again.mimetype == "application/problem+json"


def test_a_booking_posted_twice_is_booked_once(api):
    body = {"obligation_id": api.ob_id, "slot_id": api.slot_ids[0]}
    first = api.post("/api/v1/bookings", body, idem="book-1")
    second = api.post("/api/v1/bookings", body, idem="book-1")
    assert first.status_code == second.status_code == 201 and first.json == second.json
    assert count(api, Booking) == 1
    # a new key for the same booking is a new request: the obligation is booked already
    problem(api.post("/api/v1/bookings", body, idem="book-2"), 409, "already_booked")


def test_keys_are_per_client(api):
    other = api.key("citizens:write")
    assert api.post("/api/v1/citizens", new_citizen(api.unit_code), idem="fælles").status_code \
        == 400  # not visible ASCII
    a = api.post("/api/v1/citizens", new_citizen(api.unit_code), idem="shared")
    b = api.post("/api/v1/citizens", new_citizen(api.unit_code, "0202904005", "Bo"),
                 key=other, idem="shared")
    assert a.status_code == 201 and b.status_code == 201 and a.json["id"] != b.json["id"]


def test_every_post_needs_a_key(api):
    client = api.client()
    auth = {"Authorization": f"Bearer {api.full}"}
    for path in ("/api/v1/citizens", f"/api/v1/citizens/{api.citizen_id}/history",
                 "/api/v1/bookings", "/api/v1/bookings/1/cancel"):
        doc = problem(client.post(path, json={}, headers=auth), 400, "idempotency_key_required")
        assert doc["errors"][0]["path"] == "header.Idempotency-Key"
    too_long = {**auth, "Idempotency-Key": "x" * 201}
    problem(client.post("/api/v1/bookings", json={}, headers=too_long), 400,
            "idempotency_key_invalid")


def test_a_request_still_running_under_the_key_is_a_409(api):
    with api.app.app_context(), db.fresh_session() as s:
        found = idempotency.claim(s, api.full_id, "running", method="POST",
                                  path="/api/v1/bookings", fingerprint=idempotency.request_hash(
                                      "POST", "/api/v1/bookings", b'{"a": 1}'))
        assert found.outcome == "claimed"
    response = api.post("/api/v1/bookings", {"a": 1}, idem="running")
    problem(response, 409, "idempotency_in_progress")
    assert response.headers["Retry-After"] == "1"


def test_a_released_key_may_be_used_again_and_old_answers_are_purged(api):
    with api.app.app_context(), db.fresh_session() as s:
        claim = idempotency.claim(s, api.full_id, "again", method="POST", path="/p",
                                  fingerprint="f")
        idempotency.release(s, claim.row_id)
        assert idempotency.claim(s, api.full_id, "again", method="POST", path="/p",
                                 fingerprint="g").outcome == "claimed"
        assert idempotency.purge(s, now=now_utc()) == 0
        assert idempotency.purge(s, now=now_utc() + timedelta(days=2)) == 1
        assert s.scalar(select(func.count(ApiIdempotentRequest.id))) == 0


def test_the_fingerprint_ignores_layout_but_not_content():
    a = idempotency.request_hash("POST", "/p", b'{"a": 1, "b": [1, 2]}')
    assert a == idempotency.request_hash("post", "/p", b'{ "b":[1,2],"a":1 }')
    assert a != idempotency.request_hash("POST", "/p", b'{"a": 1, "b": [2, 1]}')
    assert a != idempotency.request_hash("POST", "/q", b'{"a": 1, "b": [1, 2]}')
    assert idempotency.request_hash("POST", "/p", b"not json") != a
