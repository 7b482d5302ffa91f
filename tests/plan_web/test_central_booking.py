"""Central booking over HTTP: staff pick a time for a citizen (the plan's seat suggested
first), a time after the statutory deadline needs a confirmation, letters with the .ics go
through the outbox; "Planlæg de valgte" hands the chosen citizens' units to the planner."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import (
    ActorKind,
    AuditEntry,
    Booking,
    BookingSource,
    Citizen,
    Obligation,
    ObligationState,
    OutboxMessage,
    PlanRun,
    PlanTrigger,
    Slot,
)
from booking.services.central_booking import book_centrally
from booking.services.reservations import ReservationError
from tests.planning.conftest import add_booking, add_obligation, today

from .conftest import fresh
from .pages import BASE, changes, run_ids, start


def text(page) -> str:
    return html.unescape(page.get_data(as_text=True))


def first_choice(body: str) -> int:
    return int(re.search(r'name="slot" id="forslag-(\d+)"', body)[1])


def tight_obligation(app, staff) -> int:
    """A second conversation of the world's first citizen, due in three days: self-booking
    has closed and every free time lies after the statutory deadline."""
    with app.app_context(), db.fresh_session() as s:
        citizen = s.get(Citizen, staff.world.citizens[0].id)
        ob = add_obligation(s, citizen, earliest=today(), deadline=today() + timedelta(days=3),
                            sequence=3)
        s.commit()
        return ob.id


def test_only_callin_staff_and_admins_book_centrally(app, staff, login):
    ob_id = staff.world.obligations[0].id
    for username in ("planner", "sb", "leder"):
        client = login(app, username)
        assert client.get(f"/indkald/central/{ob_id}").status_code == 403
        assert client.post(f"/indkald/central/{ob_id}", data={"slot": "1"}).status_code == 403
        assert client.post("/indkald/central/planlaeg", data={"valgt": [str(ob_id)]}
                           ).status_code == 403
    assert login(app, "indk").get(f"/indkald/central/{ob_id}").status_code == 200
    admin = login(app, "admin")  # reads no citizen without a stated purpose (access_scope)
    assert admin.get(f"/indkald/central/{ob_id}").status_code == 403
    citizen_id = staff.world.citizens[0].id  # the first obligation is the first citizen's
    admin.post(f"/borgere/{citizen_id}/formaal",
               data={"purpose": "Borgeren ringede og bad om en ny tid"})
    assert admin.get(f"/indkald/central/{ob_id}").status_code == 200


def test_the_central_list_offers_booking_and_planning(app, staff, login):
    ob_id = tight_obligation(app, staff)
    body = text(login(app, "indk").get("/indkald/central"))
    assert "Central booking" in body and f"/indkald/central/{ob_id}" in body
    assert f'name="valgt" value="{ob_id}"' in body and "Planlæg de valgte" in body
    assert "Planlagt senest" in body and "Lovens frist" in body
    body = text(login(app, "indk2").get("/indkald/central"))  # another unit's call-in staff
    assert f"/indkald/central/{ob_id}" in body and f'value="{ob_id}"' not in body
    assert "Planlæg de valgte" not in body and "din egen enhed" in body


def test_book_a_suggested_time(app, staff, login):
    ob = staff.world.obligations[0]
    client = login(app, "indk")
    page = client.get(f"/indkald/central/{ob.id}")
    body = text(page)
    assert "Foreslåede tider" in body and "De tidligste ledige tider." in body
    assert "Planlagt senest" in body and "Lovens frist" in body
    assert "Efter lovens frist" not in body and 'name="efter_frist"' not in body
    slot_id = first_choice(body)
    assert slot_id == staff.world.slots[0].id  # the earliest free time
    key = re.search(r'name="request_key" type="hidden" value="(\w+)"', body)[1]
    before = changes(app)
    r = client.post(f"/indkald/central/{ob.id}", data={"slot": str(slot_id), "request_key": key})
    assert r.status_code == 302 and r.location.endswith("/indkald/central")
    assert "er booket" in text(client.get(r.location))
    with fresh(app) as s:
        booking = s.scalars(select(Booking)).one()
        assert (booking.source, booking.slot_id, booking.obligation_id) == (
            BookingSource.callin, slot_id, ob.id)
        assert booking.created_by_staff_id is not None
        assert s.get(Obligation, ob.id).state == ObligationState.booked
        letters = s.scalars(select(OutboxMessage).where(OutboxMessage.ics.is_not(None))).all()
        assert len(letters) == 1 and letters[0].ics_method == "REQUEST"
        assert letters[0].citizen_id == ob.citizen_id
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking_created")).one()
        assert entry.actor_kind == ActorKind.staff and entry.detail["central"] is True
        assert s.scalars(select(AuditEntry).where(
            AuditEntry.action == "callin_central_booking_view")).first() is not None
    after = changes(app)
    assert after[0] == before[0] + 1 and after[1] > before[1]  # a booking, its messages
    # a second submit of the same page returns the booking already made
    again = client.post(f"/indkald/central/{ob.id}", data={"slot": str(slot_id),
                                                            "request_key": key})
    assert again.status_code == 302
    with fresh(app) as s:
        assert len(s.scalars(select(Booking)).all()) == 1
    body = text(client.get(f"/indkald/central/{ob.id}"))
    assert "Samtalen er booket" in body and 'name="slot"' not in body


def test_the_plans_seat_is_suggested_first(app, staff, login):
    planner = login(app, "planner")
    [run_id] = start(planner, staff.world.unit.id)
    ob = staff.world.obligations[2]
    with fresh(app) as s:
        proposal = next(p for p in s.get(PlanRun, run_id).proposals
                        if p["obligation_id"] == ob.id)
    body = text(login(app, "indk").get(f"/indkald/central/{ob.id}"))
    assert f"planlæggerens bedste tid til samtalen (plan nr. {run_id})" in body
    assert first_choice(body) == proposal["slot_id"]


def test_a_time_after_the_statutory_deadline_needs_a_confirmation(app, staff, login):
    ob_id = tight_obligation(app, staff)
    client = login(app, "indk")
    body = text(client.get(f"/indkald/central/{ob_id}"))
    assert "Efter lovens frist" in body and 'name="efter_frist"' in body
    slot_id = first_choice(body)
    before = changes(app)
    r = client.post(f"/indkald/central/{ob_id}", data={"slot": str(slot_id)})
    assert r.status_code == 422
    assert "ligger efter lovens frist" in text(r) and "Sæt kryds for at bekræfte" in text(r)
    assert 'aria-invalid="true"' in text(r) and changes(app) == before
    r = client.post(f"/indkald/central/{ob_id}", data={"slot": str(slot_id), "efter_frist": "y"})
    assert r.status_code == 302
    with fresh(app) as s:
        booking = s.scalars(select(Booking).where(Booking.obligation_id == ob_id)).one()
        assert booking.source == BookingSource.callin and booking.slot_id == slot_id
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "booking_created")).one()
        assert entry.detail["past_statutory"] is True


def test_a_taken_slot_is_refused_with_the_nearest_free_times(app, staff, login):
    ob = staff.world.obligations[0]
    other = staff.world.obligations[1]
    slot = staff.world.slots[0]
    with app.app_context(), db.fresh_session() as s:
        add_booking(s, s.get(Obligation, other.id), s.get(Slot, slot.id), BookingSource.self)
        s.commit()
    client = login(app, "indk")
    before = changes(app)
    r = client.post(f"/indkald/central/{ob.id}", data={"slot": str(slot.id)})
    assert r.status_code == 409
    body = text(r)
    assert "Tiden er lige blevet taget. Vælg en anden tid." in body
    assert "Nærmeste ledige tider" in body
    assert changes(app) == before


@pytest.mark.parametrize(
    ("slot", "status", "expected"),
    [
        ("", 422, "Vælg en tid."),
        ("abc", 422, "Vælg en af de viste tider."),
        ("99999999999", 422, "Vælg en af de viste tider."),
        ("99999", 422, "Den valgte tid kan ikke bookes til denne samtale."),
        ("{other_slot}", 422, "Den valgte tid kan ikke bookes til denne samtale."),
    ],
)
def test_bad_choices_are_refused_in_danish(app, staff, login, slot, status, expected):
    with app.app_context(), db.fresh_session() as s:
        from booking.models import Caseworker
        from tests.planning.conftest import add_slot, at, workdays

        cw = s.scalars(select(Caseworker).where(
            Caseworker.unit_id == staff.other_unit_id)).first()
        other_slot = add_slot(s, cw, at(workdays(14, 1)[0], 9)).id
        s.commit()
    client = login(app, "indk")
    before = changes(app)
    r = client.post(f"/indkald/central/{staff.world.obligations[0].id}",
                    data={"slot": slot.format(other_slot=other_slot)})
    assert r.status_code == status and expected in text(r)
    assert changes(app) == before


def test_missing_or_booked_obligations(app, staff, login):
    client = login(app, "indk")
    assert client.get("/indkald/central/99999").status_code == 404
    assert client.get("/indkald/central/99999999999").status_code == 404
    assert client.post("/indkald/central/99999", data={"slot": "1"}).status_code == 404
    ob = staff.world.obligations[0]
    with app.app_context(), db.fresh_session() as s:
        add_booking(s, s.get(Obligation, ob.id), s.get(Slot, staff.world.slots[5].id),
                    BookingSource.self)
        s.commit()
    before = changes(app)
    r = client.post(f"/indkald/central/{ob.id}", data={"slot": str(staff.world.slots[0].id)},
                    follow_redirects=True)
    assert r.status_code == 200 and "Samtalen er allerede booket." in text(r)
    assert changes(app) == before


def test_book_centrally_commits_by_itself(app, staff, settings):
    """The service's write is visible from a second session; a refusal changes nothing."""
    ob = staff.world.obligations[1]
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(ReservationError) as err:
            book_centrally(s, staff_id=None, obligation_id=ob.id, slot_id=99999,
                           confirm_late=False, request_key=None, settings=settings)
        assert err.value.code == "not_bookable"
        outcome = book_centrally(s, staff_id=None, obligation_id=ob.id,
                                 slot_id=staff.world.slots[1].id, confirm_late=False,
                                 request_key=None, settings=settings)
        assert outcome.messages
    with fresh(app) as s:
        assert s.get(Booking, outcome.booking.id).source == BookingSource.callin


# --- "Planlæg de valgte" -----------------------------------------------------------------


def test_plan_the_chosen_starts_a_run_and_shows_the_plan(app, staff, login):
    client = login(app, "indk")
    chosen = [staff.world.obligations[0].id, staff.world.obligations[2].id]
    r = client.post("/indkald/central/planlaeg", data={"valgt": [str(i) for i in chosen]})
    assert r.status_code == 302 and r.location.startswith(f"{BASE}/plan")
    [run_id] = run_ids(r.location)
    with fresh(app) as s:
        run = s.get(PlanRun, run_id)
        assert run.unit_id == staff.world.unit.id and run.trigger == PlanTrigger.manual
        assert run.trigger_detail == {"obligations": sorted(chosen)}
        assert run.triggered_by_staff_id is not None and run.state.value == "done"
    body = text(client.get(r.location))
    assert "Forslag: nye og flyttede bookinger" in body


@pytest.mark.parametrize(
    ("user", "chosen", "expected"),
    [
        ("indk", [], "Vælg mindst én borger at planlægge."),
        ("indk", ["abc"], "En eller flere af de valgte samtaler findes ikke"),
        ("indk", ["99999"], "En eller flere af de valgte samtaler findes ikke"),
        ("indk", ["99999999999999"], "En eller flere af de valgte samtaler findes ikke"),
        ("indk", ["{other}"], "En eller flere af de valgte samtaler findes ikke"),
    ],
)
def test_plan_the_chosen_refuses_bad_input(app, staff, login, user, chosen, expected):
    client = login(app, user)
    before = changes(app)
    values = [c.format(other=staff.other_obligation_id, own=staff.world.obligations[0].id)
              for c in chosen]
    r = client.post("/indkald/central/planlaeg", data={"valgt": values}, follow_redirects=True)
    assert r.status_code == 200 and expected in text(r)
    assert changes(app) == before


def _scenario(code: str, app, staff) -> tuple[str, dict]:
    """(url, form) that makes the page show the refusal ``code``."""
    world = staff.world
    if code == "slot_taken":
        with app.app_context(), db.fresh_session() as s:
            add_booking(s, s.get(Obligation, world.obligations[1].id),
                        s.get(Slot, world.slots[0].id), BookingSource.self)
            s.commit()
        return f"/indkald/central/{world.obligations[0].id}", {"slot": str(world.slots[0].id)}
    if code == "not_bookable":
        return f"/indkald/central/{world.obligations[0].id}", {"slot": "99999"}
    if code == "past_statutory":
        ob_id = tight_obligation(app, staff)
        return f"/indkald/central/{ob_id}", {"slot": str(world.slots[0].id)}
    if code == "already_booked":
        with app.app_context(), db.fresh_session() as s:
            add_booking(s, s.get(Obligation, world.obligations[0].id),
                        s.get(Slot, world.slots[5].id), BookingSource.self)
            s.commit()
        return f"/indkald/central/{world.obligations[0].id}", {"slot": str(world.slots[0].id)}
    if code == "no_selection":
        return "/indkald/central/planlaeg", {}
    return "/indkald/central/planlaeg", {"valgt": [str(staff.other_obligation_id)]}


@pytest.mark.parametrize("code", ["slot_taken", "not_bookable", "past_statutory",
                                  "already_booked", "no_selection", "unknown_obligations"])
def test_each_central_refusal_reads_in_danish_and_english(app, staff, login, code):
    from pathlib import Path

    from babel.messages.mofile import read_mo

    from booking.blueprints.callin.messages import CENTRAL_MESSAGES

    url, data = _scenario(code, app, staff)
    client = login(app, "indk")
    before = changes(app)
    page = client.post(url, data=data, follow_redirects=True)
    source = str(CENTRAL_MESSAGES[code])
    danish = source.split("%(")[0].strip()
    assert danish in text(page) and changes(app) == before
    mo = Path(__file__).resolve().parents[2] / "booking/translations/en/LC_MESSAGES/messages.mo"
    with mo.open("rb") as fh:
        found = read_mo(fh).get(source)
    if found is None or not found.string:
        pytest.fail("msgid not in the English catalogue")
    client.get("/sprog/en")
    page = client.post(url, data=data, follow_redirects=True)
    assert found.string.split("%(")[0].strip() in text(page)
