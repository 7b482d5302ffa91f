"""The outcome buttons of the caseworker's calendar, over HTTP on SQLite and PostgreSQL: each
outcome commits by itself (checked from a second session), undo the same day restores
everything, the next day it is refused; another caseworker may not, a manager may."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from booking.db import db
from booking.models import (
    ActorKind,
    Booking,
    BookingState,
    CancelledBy,
    Citizen,
    HeldConversation,
    HeldKind,
    Holder,
    ObligationState,
    OutboxMessage,
    PlanRun,
    PlanTrigger,
)
from booking.services import reservations
from booking.services.clock import now_utc
from booking.services.reservations import Actor

from .conftest import audit_actions, build, obligation_state

OUTCOME = "/sagsbehandler/kalender/aftale/{}/udfald"
UNDO = "/sagsbehandler/kalender/aftale/{}/fortryd"


def _post(client, url: str, **data):
    return client.post(url, data={"visning": "dag", **data}, follow_redirects=True)


def _snapshot(app, world):
    """Everything an outcome changes, read from a second session."""
    with app.app_context(), db.fresh_session() as s:
        booking = s.get(Booking, world.booking_id)
        citizen = s.get(Citizen, world.citizen_id)
        held = s.scalars(
            select(HeldConversation).where(HeldConversation.booking_id == world.booking_id)
        ).all()
        return {
            "state": booking.state,
            "seat": booking.seat,
            "slot": booking.slot_id,
            "cancelled_by": booking.cancelled_by,
            "outcome_at": booking.outcome_at,
            "outcome_by": booking.outcome_by_staff_id,
            "attended": citizen.attended_count,
            "missed": citizen.missed_count,
            "p": citizen.show_probability,
            "held": len(held),
            "ob": obligation_state(app, world.ob_id),
        }


def test_held_fulfils_the_obligation_and_raises_the_show_probability(cw_app, login):
    world = build(cw_app)
    before = _snapshot(cw_app, world)
    client = login(cw_app, world.cw_user)
    page = _post(client, OUTCOME.format(world.booking_id), outcome="held")
    assert page.status_code == 200
    assert "er registreret som afholdt" in page.text
    after = _snapshot(cw_app, world)
    assert after["state"] == BookingState.attended and after["outcome_at"] is not None
    assert after["ob"] == ObligationState.fulfilled
    assert after["attended"] == before["attended"] + 1 and after["p"] > before["p"]
    with cw_app.app_context(), db.fresh_session() as s:
        held = s.scalars(
            select(HeldConversation).where(HeldConversation.booking_id == world.booking_id)
        ).one()
        assert held.kind == HeldKind.conversation and held.holder == Holder.jobcentre
        assert held.channel.value == "phone" and held.recorded_by_staff_id is not None
    recorded = audit_actions(cw_app, "booking_outcome_recorded")
    assert [(e.citizen_id, e.detail["outcome"]) for e in recorded] == [(world.citizen_id, "held")]
    with cw_app.app_context(), db.fresh_session() as s:
        assert s.scalars(select(PlanRun)).all() == []  # nothing reopened, nothing to re-plan


def test_no_show_reopens_the_obligation_and_lowers_the_show_probability(cw_app, login):
    world = build(cw_app)
    before = _snapshot(cw_app, world)
    client = login(cw_app, world.cw_user)
    page = _post(client, OUTCOME.format(world.booking_id), outcome="no_show")
    assert "registreret som udeblevet" in page.text
    after = _snapshot(cw_app, world)
    assert after["state"] == BookingState.no_show and after["held"] == 0
    assert after["ob"] == ObligationState.open
    assert after["missed"] == before["missed"] + 1 and after["p"] < before["p"]
    # the reopened obligation goes straight into re-planning: an event run for the unit
    with cw_app.app_context(), db.fresh_session() as s:
        runs = s.scalars(select(PlanRun).where(PlanRun.unit_id == world.unit_id)).all()
        assert [r.trigger for r in runs] == [PlanTrigger.event]
        events = runs[0].trigger_detail["events"]
        assert events[0]["reason"] == "booking_no_show"
        assert events[0]["booking_id"] == world.booking_id


@pytest.mark.parametrize("who", ["citizen", "jobcentre"])
def test_a_cancellation_frees_the_seat_for_a_second_citizen(cw_app, login, who):
    world = build(cw_app, when="future")
    client = login(cw_app, world.cw_user)
    page = _post(client, OUTCOME.format(world.booking_id), outcome=f"cancelled_by_{who}")
    assert "ledig igen" in page.text
    after = _snapshot(cw_app, world)
    assert after["state"] == BookingState.cancelled
    assert after["cancelled_by"] == CancelledBy(who)
    assert after["ob"] == ObligationState.open
    with cw_app.app_context(), db.fresh_session() as s:
        cancel_letters = s.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.ics_method == "CANCEL")
        )
        assert cancel_letters == (1 if who == "jobcentre" else 0)
        second = reservations.book(
            s,
            citizen_id=world.rival_id,
            obligation_id=world.rival_ob_id,
            slot_id=world.future_slot_id,
            request_key=None,
            settings=cw_app.extensions["rettidig_settings"],
            actor=Actor(ActorKind.staff, None),
        )
        assert second.booking.slot_id == world.future_slot_id and second.booking.seat == 1


@pytest.mark.parametrize("outcome", ["held", "no_show", "cancelled_by_jobcentre"])
def test_undo_the_same_day_restores_everything_and_is_audited(cw_app, login, outcome):
    world = build(cw_app, when="future" if outcome.startswith("cancelled") else "past")
    before = _snapshot(cw_app, world)
    client = login(cw_app, world.cw_user)
    _post(client, OUTCOME.format(world.booking_id), outcome=outcome)
    assert _snapshot(cw_app, world) != before
    page = _post(client, UNDO.format(world.booking_id))
    assert "er fortrudt" in page.text
    assert _snapshot(cw_app, world) == before
    undone = audit_actions(cw_app, "booking_outcome_undone")
    assert [(e.citizen_id, e.object_id, e.detail["outcome"]) for e in undone] == [
        (world.citizen_id, world.booking_id, outcome)
    ]
    # and it can be recorded again
    again = _post(client, OUTCOME.format(world.booking_id), outcome=outcome)
    assert "flash-error" not in again.text


def test_undo_the_next_day_is_refused(cw_app, login, monkeypatch):
    world = build(cw_app)
    client = login(cw_app, world.cw_user)
    _post(client, OUTCOME.format(world.booking_id), outcome="no_show")
    recorded = _snapshot(cw_app, world)
    tomorrow = now_utc() + timedelta(days=1)
    monkeypatch.setattr("booking.blueprints.caseworker.calendar.now_utc", lambda: tomorrow)
    page = _post(client, UNDO.format(world.booking_id))
    assert "kun fortrydes samme dag" in page.text
    assert _snapshot(cw_app, world) == recorded
    assert audit_actions(cw_app, "booking_outcome_undone") == []


def test_a_caseworker_cannot_record_another_caseworkers_booking(cw_app, login):
    world = build(cw_app)
    before = _snapshot(cw_app, world)
    other = login(cw_app, world.other_user)
    page = _post(other, OUTCOME.format(world.booking_id), outcome="held")
    assert "en anden sagsbehandlers kalender" in page.text
    assert _snapshot(cw_app, world) == before
    assert other.get(f"/sagsbehandler/kalender?caseworker={world.cw_id}").status_code == 403
    manager = login(cw_app, world.manager_user)
    page = _post(manager, OUTCOME.format(world.booking_id), outcome="held", caseworker=world.cw_id)
    assert "registreret som afholdt" in page.text
    assert _snapshot(cw_app, world)["state"] == BookingState.attended


def test_bad_input_never_500(cw_app, login):
    world = build(cw_app)
    client = login(cw_app, world.cw_user)
    for url in (
        "/sagsbehandler/kalender?dag=9999-12-31",
        "/sagsbehandler/kalender?dag=2027-02-30",
        "/sagsbehandler/kalender?dag=%ff;drop",
        "/sagsbehandler/kalender?dag=" + "9" * 5000,
        "/sagsbehandler/kalender/uge?uge=0001-01-01",
        "/sagsbehandler/kalender/uge?uge=uge-12",
        "/sagsbehandler/kalender?caseworker=abc",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Kalenderen viser i dag" in page.text or "caseworker=abc" in url
    nul = client.get("/sagsbehandler/kalender?dag=%00%ff;drop")  # refused before any view
    assert nul.status_code == 400 and "kontroltegn" in nul.text
    for url in (
        "/sagsbehandler/kalender?caseworker=99999999999999",
        "/sagsbehandler/kalender?caseworker=2147483647",
        "/sagsbehandler/kalender/uge?caseworker=-5",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(OUTCOME.format(99999999999999), data={"outcome": "held"}).status_code == 404
    assert client.post(UNDO.format(2**31)).status_code == 404
    assert client.post(OUTCOME.format(2**31 - 1), data={"outcome": "held"}).status_code == 404
    assert client.post(OUTCOME.format(0), data={"outcome": "held"}).status_code == 404
    before = _snapshot(cw_app, world)
    for data in (
        {"outcome": "maybe"},
        {},
        {"outcome": "held", "caseworker": "99999999999"},
        {"outcome": "held", "dato": "9999-12-31", "visning": "uge"},
    ):
        page = client.post(OUTCOME.format(world.booking_id), data=data, follow_redirects=True)
        assert page.status_code == 200, data
        if data.get("outcome") != "held":
            assert _snapshot(cw_app, world) == before
    assert client.get("/sagsbehandler/kalender/aftale/1/udfald").status_code == 405
