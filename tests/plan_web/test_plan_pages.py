"""The conversation plan over HTTP: who may enter, start → run → result, accept all / per unit /
per row (a stale plan, bad input and progress: `test_plan_runs`)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import (
    AuditEntry,
    Booking,
    BookingSource,
    Obligation,
    OutboxMessage,
    PlanRun,
    PlanRunState,
    PlanTrigger,
)
from tests import factories
from tests.planning.conftest import (
    add_booking,
    add_obligation,
    add_slot,
    at,
    today,
    workdays,
)

from .conftest import fresh
from .pages import BASE, changes, page_of, run_ids, start, text

# --- who may enter -----------------------------------------------------------------------


@pytest.mark.parametrize("username", ["sb", "leder"])
def test_other_roles_are_refused(app, staff, login, username):
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    other = login(app, username)
    for url in (f"{BASE}/", f"{BASE}/koersel/{run_id}", f"{BASE}/koersel/{run_id}.json",
                f"{BASE}/plan?koersel={run_id}"):
        assert other.get(url).status_code == 403, url
    before = changes(app)
    assert other.post(f"{BASE}/", data={"enhed": [str(staff.world.unit.id)],
                                        "uger": "8"}).status_code == 403
    assert other.post(f"{BASE}/godkend", data={"koersel": [str(run_id)],
                                               "godkend": "alle"}).status_code == 403
    assert changes(app) == before


def test_anonymous_is_sent_to_log_in(app, staff):
    r = app.test_client().get(f"{BASE}/")
    assert r.status_code == 302 and "/login" in r.location


@pytest.mark.parametrize("username", ["planner", "admin", "indk"])
def test_planner_admin_and_callin_see_the_start_form(app, staff, login, username):
    page = login(app, username).get(f"{BASE}/")
    assert page.status_code == 200
    body = text(page)
    assert "Planlæg samtaler" in body and 'name="uger"' in body and 'value="8"' in body
    with app.app_context(), db.fresh_session() as s:
        from booking.models import Unit

        world_name = s.get(Unit, staff.world.unit.id).name
        other_name = s.get(Unit, staff.other_unit_id).name
    assert world_name in body
    assert (other_name in body) == (username != "indk")  # call-in staff: their unit only


def test_central_callin_without_a_unit_plans_every_unit(app, staff, login):
    client = login(app, "indk0")
    body = text(client.get(f"{BASE}/"))
    assert "Du er ikke tilknyttet en enhed" not in body
    with app.app_context(), db.fresh_session() as s:
        from booking.models import Unit

        names = [s.get(Unit, i).name for i in (staff.world.unit.id, staff.other_unit_id)]
    assert all(name in body for name in names)
    r = client.post(f"{BASE}/", data={"enhed": [str(staff.other_unit_id)], "uger": "8"})
    assert r.status_code in (302, 303)


def test_callin_staff_see_and_plan_only_their_own_unit(app, staff, login):
    planner = login(app, "planner")
    [theirs] = start(planner, staff.other_unit_id)
    callin = login(app, "indk")
    before = changes(app)
    r = callin.post(f"{BASE}/", data={"enhed": [str(staff.other_unit_id)], "uger": "8"})
    assert r.status_code == 422 and "Vælg en af de viste enheder." in text(r)
    assert changes(app) == before
    assert callin.get(f"{BASE}/koersel/{theirs}").status_code == 404
    assert callin.get(f"{BASE}/koersel/{theirs}.json").status_code == 404
    assert callin.get(f"{BASE}/plan?koersel={theirs}").status_code == 404
    r = callin.post(f"{BASE}/godkend", data={"koersel": [str(theirs)], "godkend": "alle"})
    assert r.status_code == 404 and changes(app) == before
    [own] = start(callin, staff.world.unit.id)
    assert callin.get(f"{BASE}/koersel/{own}").status_code == 200


# --- start → run → result ----------------------------------------------------------------


def test_start_runs_the_plan_and_shows_figures_and_proposals(app, staff, login):
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id, weeks="6")
    with fresh(app) as s:
        run = s.get(PlanRun, run_id)
        assert run.state == PlanRunState.done and run.trigger == PlanTrigger.manual
        assert (run.horizon_end - run.horizon_start).days == 42
        assert run.triggered_by_staff_id is not None
    page = page_of(client, [run_id])
    body = text(page)
    assert page.status_code == 200
    assert "Rettidig vægt" in body and "af højst 4 (bevist øvre grænse)" in body
    assert "Forslag: nye og flyttede bookinger (4)" in body
    assert "Planlagt senest" in body and "Lovens frist" in body
    assert body.count('name="valgt"') == 4
    for label in ("Godkend alle", "Godkend for enheden", "Godkend de valgte"):
        assert label in body
    assert "Planlægningen kører" not in body and "progress.js" not in body
    with fresh(app) as s:
        entry = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "plan_run_view")).one()  # one entry for the list (issue 14)
    assert sorted(entry.detail["citizen_ids"]) == sorted(c.id for c in staff.world.citizens)
    assert client.get(f"{BASE}/koersel/{run_id}").status_code == 200


def _letters(app) -> list[OutboxMessage]:
    with fresh(app) as s:
        return list(s.scalars(select(OutboxMessage).where(OutboxMessage.ics.is_not(None))))


def test_accept_all_books_with_source_solver_and_queues_letters(app, staff, login):
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    r = client.post(f"{BASE}/godkend", data={"koersel": [str(run_id)], "godkend": "alle"})
    assert r.status_code == 302 and run_ids(r.location) == [run_id]
    body = text(client.get(r.location))
    assert "4 bookinger er oprettet eller flyttet" in body
    assert body.count("badge-ok\">Godkendt<") == 4 and 'name="valgt"' not in body
    with fresh(app) as s:
        bookings = s.scalars(select(Booking)).all()
        assert len(bookings) == 4 and {b.source for b in bookings} == {BookingSource.solver}
        assert {b.plan_run_id for b in bookings} == {run_id}
        assert s.get(PlanRun, run_id).state == PlanRunState.accepted
        actions = s.scalars(select(AuditEntry.action)).all()
        assert actions.count("booking_created") == 4 and "plan_run_accepted" in actions
    letters = _letters(app)
    assert len(letters) == 4 and {m.ics_method for m in letters} == {"REQUEST"}


def _second_unit_with_slots(app, staff) -> None:
    """The other unit's caseworker gets two slots: its citizen gets a proposal too."""
    from booking.models import Caseworker

    with app.app_context(), db.fresh_session() as s:
        cw = s.scalars(select(Caseworker).where(
            Caseworker.unit_id == staff.other_unit_id)).first()
        day = workdays(14, 1)[0]
        add_slot(s, cw, at(day, 9))
        add_slot(s, cw, at(day, 10))
        s.commit()


def test_accept_per_unit_leaves_the_other_unit_proposed(app, staff, login):
    _second_unit_with_slots(app, staff)
    client = login(app, "planner")
    ids = start(client, staff.world.unit.id, staff.other_unit_id)
    assert len(ids) == 2
    body = text(page_of(client, ids))
    assert body.count("Godkend for enheden") == 2 and "Godkend alle" in body
    world_run = next(i for i in ids if _unit_of(app, i) == staff.world.unit.id)
    r = client.post(f"{BASE}/godkend", data={"koersel": [str(i) for i in ids],
                                             "godkend": f"enhed-{world_run}"})
    assert r.status_code == 302 and sorted(run_ids(r.location)) == sorted(ids)
    with fresh(app) as s:
        booked = s.scalars(select(Booking)).all()
        assert len(booked) == 4 and {b.plan_run_id for b in booked} == {world_run}
    other_run = next(i for i in ids if i != world_run)
    r = client.post(f"{BASE}/godkend", data={"koersel": [str(i) for i in ids],
                                             "godkend": "alle"})
    assert r.status_code == 302
    with fresh(app) as s:
        assert {b.plan_run_id for b in s.scalars(select(Booking))} == {world_run, other_run}
    assert len(_letters(app)) == 5


def _unit_of(app, run_id: int) -> int:
    with fresh(app) as s:
        return s.get(PlanRun, run_id).unit_id


def test_accept_per_row(app, staff, login):
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    r = client.post(f"{BASE}/godkend", data={"koersel": [str(run_id)], "godkend": "valgte",
                                             "valgt": [f"{run_id}:1", f"{run_id}:3"]})
    assert r.status_code == 302
    body = text(client.get(r.location))
    assert "2 bookinger er oprettet eller flyttet" in body
    assert body.count('name="valgt"') == 2
    with fresh(app) as s:
        run = s.get(PlanRun, run_id)
        assert {p["id"]: p["status"] for p in run.proposals} == {
            1: "accepted", 2: "proposed", 3: "accepted", 4: "proposed"}
        assert len(s.scalars(select(Booking)).all()) == 2
    assert len(_letters(app)) == 2


def test_a_move_shows_its_reason_and_its_dependency(app, login):
    """A staff booking moves to free the only seat another citizen can have on time."""
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        cw = factories.caseworker(s, unit)
        a, b = factories.citizen(s, unit, cw=cw), factories.citizen(s, unit, cw=cw)
        early, later = workdays(14, 5)[0], workdays(14, 5)[4]
        s_early = add_slot(s, cw, at(early))
        add_slot(s, cw, at(later))
        ob_a = add_obligation(s, a, earliest=today(), deadline=later)
        add_obligation(s, b, earliest=today(), deadline=early)
        add_booking(s, ob_a, s_early, BookingSource.callin)
        factories.staff(s, factories.Role.planner, username="p2")
        s.commit()
        unit_id, b_name = unit.id, b.name
    client = login(app, "p2")
    [run_id] = start(client, unit_id)
    body = text(page_of(client, [run_id]))
    assert f"Giver plads til {b_name}, som ellers ikke får samtalen inden planlagt senest." in body
    with fresh(app) as s:
        proposals = s.get(PlanRun, run_id).proposals
    move = next(p for p in proposals if p["kind"] == "move")
    new = next(p for p in proposals if p["kind"] == "new")
    assert f"Kræver forslag {move['id']}" in body
    before = changes(app)
    r = client.post(f"{BASE}/godkend", data={"koersel": [str(run_id)], "godkend": "valgte",
                                             "valgt": [f"{run_id}:{new['id']}"]},
                    follow_redirects=True)
    assert f"Forslag {new['id']} kræver også forslag {move['id']}" in text(r)
    assert changes(app) == before


def test_an_unplaceable_conversation_is_explained_with_the_fix(app, staff, login):
    """The other unit's caseworker has only in-person time; its citizen can only talk by
    phone: no phone time with the coordinating caseworker."""
    from booking.models import Caseworker, Citizen

    with app.app_context(), db.fresh_session() as s:
        cw = s.scalars(select(Caseworker).where(
            Caseworker.unit_id == staff.other_unit_id)).first()
        add_slot(s, cw, at(workdays(14, 1)[0], 9))
        ob = s.get(Obligation, staff.other_obligation_id)
        ob.channels = ["phone"]
        person = s.get(Citizen, ob.citizen_id)
        s.commit()
        cw_name, person_name = cw.name, person.name
    client = login(app, "planner")
    [run_id] = start(client, staff.other_unit_id)
    body = text(page_of(client, [run_id]))
    assert "Samtaler uden plads (1)" in body and person_name in body
    assert re.search(rf"Ingen telefontider hos den koordinerende sagsbehandler {cw_name} "
                     r"mellem \d+\. \w+( \d{4})? og \d+\. \w+( \d{4})?\.", body), body
    assert "Åbn telefontider, eller flyt borgeren til puljen." in body
