"""Reads and writes through the API: CPR only masked, writes through the same services as the
pages (validation, obligations recomputed, the booking rules), every citizen read or changed
in the audit trail with the API client as actor; problem+json for 404/405/415/400."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from booking.db import db
from booking.models import ActorKind, AuditEntry, Citizen, HeldConversation
from booking.services.clock import today_local
from booking.services.security import cpr_digest
from tests.api.conftest import problem
from tests.factories import CPR_KEY

CPR = "1207854113"


def citizen_body(api, **changes):
    body = {"cpr": "120785-4113", "name": "  Karen   Blixen ", "unit_code": api.unit_code,
            "phone": "+45 11 22 33 44", "channels": ["phone", "video"], "language": "en",
            "programme": {"target_group": "cash_benefit",
                          "start_date": (today_local() - timedelta(days=3)).isoformat(),
                          "external_id": "sag-77"}}
    body.update(changes)
    return body


def audit_rows(api, citizen_id):
    with api.app.app_context(), db.fresh_session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.citizen_id == citizen_id)
                              .order_by(AuditEntry.id)))


def test_a_citizen_is_created_with_a_hashed_and_masked_cpr_and_obligations(api):
    response = api.post("/api/v1/citizens", citizen_body(api))
    assert response.status_code == 201, response.text
    made = response.json
    assert made["cpr_masked"] == "120785-xxxx" and made["name"] == "Karen Blixen"
    assert made["birth_date"] == "1985-07-12" and made["channels"] == ["phone", "video"]
    assert CPR not in response.text and "4113" not in response.text
    assert response.headers["Location"] == f"/api/v1/citizens/{made['id']}"
    with api.app.app_context(), db.fresh_session() as s:
        row = s.get(Citizen, made["id"])
        assert row.cpr_hash == cpr_digest(CPR, CPR_KEY)
        assert row.programmes[0].external_id == "sag-77"
    obligations = api.get(f"/api/v1/obligations?citizen_id={made['id']}").json["data"]
    assert obligations and obligations[0]["citizen_id"] == made["id"]
    assert all({"earliest", "deadline", "channels", "state"} <= set(o) for o in obligations)
    programmes = api.get(f"/api/v1/citizens/{made['id']}/programmes").json["data"]
    assert [p["target_group"] for p in programmes] == ["cash_benefit"]
    created = [r for r in audit_rows(api, made["id"]) if r.action == "api_citizen_created"]
    assert len(created) == 1 and created[0].actor_kind == ActorKind.api_client
    assert created[0].actor_id == api.full_id


def test_refusals_name_the_bad_fields(api):
    doc = problem(api.post("/api/v1/citizens", citizen_body(api, cpr="3102901234")), 422)
    assert [e["path"] for e in doc["errors"]] == ["$.cpr"]
    doc = problem(api.post("/api/v1/citizens", citizen_body(api, unit_code="NOPE")), 422)
    assert [e["path"] for e in doc["errors"]] == ["$.unit_code"]
    bad = citizen_body(api, channels=["fax"], extra=1)
    bad["programme"]["start_date"] = "2027-02-30"
    paths = {e["path"] for e in problem(api.post("/api/v1/citizens", bad), 422)["errors"]}
    assert paths == {"$.channels[0]", "$.extra", "$.programme.start_date"}
    assert api.post("/api/v1/citizens", citizen_body(api)).status_code == 201
    problem(api.post("/api/v1/citizens", citizen_body(api)), 409, "cpr_taken")


def test_reads_show_only_the_masked_cpr_and_are_audited(api):
    one = api.get(f"/api/v1/citizens/{api.citizen_id}")
    assert one.status_code == 200 and one.json["cpr_masked"].endswith("-xxxx")
    assert set(one.json) >= {"id", "name", "unit_code"} and "cpr" not in one.json
    listed = api.get("/api/v1/citizens").json["data"]
    assert all(set(c) == set(one.json) for c in listed)
    reads = [r for r in audit_rows(api, api.citizen_id) if r.action == "api_citizen_read"]
    assert len(reads) == 2
    assert {(r.actor_kind, r.actor_id) for r in reads} == {(ActorKind.api_client, api.full_id)}
    assert reads[0].detail["api_client"] == "Sagssystem"
    problem(api.get("/api/v1/citizens/999999"), 404, "not_found")
    problem(api.get("/api/v1/citizens/0"), 404)


def test_history_is_recorded_and_recomputes_obligations(api):
    before = api.get(f"/api/v1/obligations?citizen_id={api.citizen_id}").json["data"]
    held_on = (today_local() - timedelta(days=1)).isoformat()
    response = api.post(f"/api/v1/citizens/{api.citizen_id}/history",
                        {"held_on": held_on, "channel": "phone", "external_id": "h-1"})
    assert response.status_code == 201, response.text
    assert response.json["held_on"] == held_on and response.json["kind"] == "conversation"
    history = api.get(f"/api/v1/citizens/{api.citizen_id}/history").json["data"]
    assert [h["external_id"] for h in history] == ["h-1"]
    after = api.get(f"/api/v1/obligations?citizen_id={api.citizen_id}").json["data"]
    assert after != before  # the held conversation counts
    problem(api.post(f"/api/v1/citizens/{api.citizen_id}/history",
                     {"held_on": held_on, "external_id": "h-1"}), 409, "external_id_taken")
    doc = problem(api.post(f"/api/v1/citizens/{api.citizen_id}/history",
                           {"held_on": held_on, "joint": True,
                            "holder": "unemployment_fund"}), 422)
    assert doc["errors"][0]["path"] == "$.joint"
    future = (today_local() + timedelta(days=1)).isoformat()
    problem(api.post(f"/api/v1/citizens/{api.citizen_id}/history", {"held_on": future}), 422)
    problem(api.post("/api/v1/citizens/999999/history", {"held_on": held_on}), 404)
    with api.app.app_context(), db.fresh_session() as s:
        assert len(list(s.scalars(select(HeldConversation)))) == 1
    added = [(r.actor_kind, r.actor_id) for r in audit_rows(api, api.citizen_id)
             if r.action == "api_history_added"]
    assert added == [(ActorKind.api_client, api.full_id)]


def test_booking_and_cancelling_follow_the_citizens_booking_rules(api):
    free = api.get("/api/v1/slots?free_only=true").json["data"]
    assert {s["id"] for s in free} == set(api.slot_ids) and free[0]["free_seats"] == 1
    # slot 6 lies after the self-booking deadline, slot 7 is another caseworker's
    for slot_id in api.slot_ids[5:]:
        problem(api.post("/api/v1/bookings", {"obligation_id": api.ob_id, "slot_id": slot_id}),
                422, "not_bookable")
    made = api.post("/api/v1/bookings", {"obligation_id": api.ob_id, "slot_id": api.slot_ids[0]})
    assert made.status_code == 201, made.text
    booking = made.json
    assert booking["state"] == "booked" and booking["citizen_id"] == api.citizen_id
    assert api.get(f"/api/v1/bookings/{booking['id']}").json == booking
    listed = api.get(f"/api/v1/bookings?citizen_id={api.citizen_id}").json["data"]
    assert [b["id"] for b in listed] == [booking["id"]]
    slots = {s["id"]: s for s in api.get("/api/v1/slots").json["data"]}
    assert slots[api.slot_ids[0]]["free_seats"] == 0
    assert api.slot_ids[0] not in {s["id"] for s in
                                   api.get("/api/v1/slots?free_only=true").json["data"]}
    cancelled = api.post(f"/api/v1/bookings/{booking['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json["state"] == "cancelled"
    assert api.get("/api/v1/bookings?state=cancelled").json["data"][0]["id"] == booking["id"]
    actions = [(r.action, r.actor_kind, r.actor_id) for r in audit_rows(api, api.citizen_id)]
    assert ("booking_created", ActorKind.api_client, api.full_id) in actions
    assert ("booking_cancelled", ActorKind.api_client, api.full_id) in actions
    problem(api.post("/api/v1/bookings/999999/cancel"), 404)
    problem(api.post("/api/v1/bookings", {"obligation_id": 999999, "slot_id": 1}), 404)


def test_http_errors_are_problems_too(api):
    client = api.client()
    auth = {"Authorization": f"Bearer {api.full}", "Idempotency-Key": "e"}
    problem(api.get("/api/v1/no-such-thing"), 404)
    gone = problem(client.delete("/api/v1/citizens", headers=auth), 405)
    assert gone["status"] == 405
    assert set(client.delete("/api/v1/citizens", headers=auth).headers["Allow"].split(", ")) \
        >= {"GET", "POST"}
    problem(client.post("/api/v1/citizens", data="cpr=1", headers={
        **auth, "Content-Type": "application/x-www-form-urlencoded"}), 415,
        "unsupported_media_type")
    problem(client.post("/api/v1/citizens", data="{not json", headers={
        **auth, "Content-Type": "application/json"}), 400, "malformed_json")
    doc = problem(client.post("/api/v1/citizens", json=[1, 2], headers=auth), 422, "invalid")
    assert doc["errors"]


def test_a_citizen_is_found_by_cpr_in_the_body_and_the_look_up_is_audited(api):
    made = api.post("/api/v1/citizens", citizen_body(api)).json
    found = api.post("/api/v1/citizens/search", {"cpr": CPR})
    assert found.status_code == 200 and found.json == made
    problem(api.post("/api/v1/citizens/search", {"cpr": "0101904003"}), 404, "not_found")
    doc = problem(api.post("/api/v1/citizens/search", {"cpr": "12345"}), 422)
    assert doc["errors"][0]["path"] == "$.cpr"
    with api.app.app_context(), db.fresh_session() as s:
        rows = list(s.scalars(select(AuditEntry).where(
            AuditEntry.action.in_(["api_citizen_lookup", "api_citizen_lookup_miss"]))
            .order_by(AuditEntry.id)))
    assert [(r.action, r.citizen_id, r.actor_kind, r.actor_id) for r in rows] == [
        ("api_citizen_lookup", made["id"], "api_client", api.full_id),
        ("api_citizen_lookup_miss", None, "api_client", api.full_id)]
    assert all(CPR not in str(r.detail) for r in rows)
