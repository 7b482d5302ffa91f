"""The conversation plan over HTTP: who may enter, start → run → result, accept all / per unit /
per row, a stale plan refused, bad input in Danish, the progress JSON."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import (
    Absence,
    AuditEntry,
    Booking,
    BookingSource,
    Obligation,
    ObligationState,
    OutboxMessage,
    PlanRun,
    PlanRunState,
    PlanTrigger,
)
from booking.services.planning import runs
from tests import factories
from tests.planning.conftest import (
    add_booking,
    add_obligation,
    add_slot,
    at,
    today,
    workdays,
)

from .conftest import counts, fresh

BASE = "/planlaegning/samtaler"


def text(page) -> str:
    return html.unescape(page.get_data(as_text=True))


def run_ids(location: str) -> list[int]:
    return [int(i) for i in parse_qs(urlparse(location).query).get("koersel", [])]


def start(client, *units: int, weeks: str = "8") -> list[int]:
    r = client.post(f"{BASE}/", data={"enhed": [str(u) for u in units], "uger": weeks})
    assert r.status_code == 302, text(r)[:2000]
    return run_ids(r.location)


def page_of(client, ids: list[int]):
    return client.get(f"{BASE}/plan", query_string=[("koersel", str(i)) for i in ids])


def changes(app) -> tuple[int, int, int]:
    """(bookings, outbox messages, plan runs): what a refusal must leave as it was."""
    return counts(app)[:3]


def no_scheduler(monkeypatch) -> None:
    """Runs stay queued (as when the worker has not picked them up yet)."""
    monkeypatch.setattr(runs, "scheduler", lambda: None)


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
    assert "Planlægningen kører" not in body and "plan.js" not in body
    with fresh(app) as s:
        seen = s.scalars(select(AuditEntry.citizen_id).where(
            AuditEntry.action == "plan_run_view")).all()
    assert sorted(seen) == sorted(c.id for c in staff.world.citizens)
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


# --- a stale plan ------------------------------------------------------------------------


def test_a_stale_plan_is_marked_and_refused_with_nothing_changed(app, staff, login):
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    with app.app_context(), db.fresh_session() as s:
        run = s.get(PlanRun, run_id)
        target = next(p for p in run.proposals if p["id"] == 1)
        day = date.fromisoformat(target["day"])
        s.add(Absence(caseworker_id=target["caseworker_id"], starts_at=at(day, 0),
                      ends_at=at(day, 23)))
        s.commit()
    body = text(page_of(client, [run_id]))
    assert "Forældet" in body and "forslag er forældede" in body
    before = changes(app)
    for data in ({"godkend": "alle"}, {"godkend": f"enhed-{run_id}"},
                 {"godkend": "valgte", "valgt": [f"{run_id}:1"]}):
        r = client.post(f"{BASE}/godkend", data={"koersel": [str(run_id)], **data},
                        follow_redirects=True)
        assert r.status_code == 200
        assert "Planen er forældet" in text(r) and "Intet er godkendt" in text(r)
        assert changes(app) == before
    with fresh(app) as s:
        assert s.get(PlanRun, run_id).state == PlanRunState.done
        assert {o.state for o in s.scalars(select(Obligation))} == {ObligationState.open}
    # the proposals the change did not touch can still be accepted, row by row
    stale = [p["id"] for p in run.proposals if p["day"] == target["day"]]
    fine = [p["id"] for p in run.proposals if p["id"] not in stale]
    r = client.post(f"{BASE}/godkend", data={"koersel": [str(run_id)], "godkend": "valgte",
                                             "valgt": [f"{run_id}:{i}" for i in fine]})
    assert r.status_code == 302
    with fresh(app) as s:
        assert len(s.scalars(select(Booking)).all()) == len(fine)


def test_a_superseded_plan_points_to_the_newer_one(app, staff, login):
    client = login(app, "planner")
    [first] = start(client, staff.world.unit.id)
    [second] = start(client, staff.world.unit.id)
    assert second != first
    body = text(client.get(f"{BASE}/koersel/{first}"))
    assert "En nyere plan har erstattet denne" in body and f"koersel/{second}" in body
    assert 'name="valgt"' not in body
    before = changes(app)
    r = client.post(f"{BASE}/godkend", data={"koersel": [str(first)], "godkend": "alle"},
                    follow_redirects=True)
    assert "En nyere plan for enheden har erstattet denne" in text(r)
    assert changes(app) == before


# --- bad input ---------------------------------------------------------------------------


BAD_WEEKS = "Horisonten skal være et helt antal uger mellem 1 og 52."


@pytest.mark.parametrize(
    ("units", "weeks", "expected"),
    [
        (["{unit}"], "0", BAD_WEEKS),
        (["{unit}"], "10000", BAD_WEEKS),
        (["{unit}"], "-3", BAD_WEEKS),
        (["{unit}"], "otte", BAD_WEEKS),
        (["{unit}"], "", BAD_WEEKS),
        (["{unit}"], "99999999999999999999", BAD_WEEKS),
        (["99999"], "8", "Vælg en af de viste enheder."),
        (["x"], "8", "Vælg en af de viste enheder."),
        (["99999999999999999999"], "8", "Vælg en af de viste enheder."),
        ([], "8", "Vælg mindst én enhed."),
    ],
)
def test_bad_start_input_is_refused_in_danish(app, staff, login, units, weeks, expected):
    client = login(app, "planner")
    before = changes(app)
    data = {"enhed": [u.format(unit=staff.world.unit.id) for u in units], "uger": weeks}
    r = client.post(f"{BASE}/", data=data)
    assert r.status_code == 422 and expected in text(r)
    assert 'aria-invalid="true"' in text(r) or 'class="error"' in text(r)
    assert changes(app) == before


@pytest.mark.parametrize("query", ["koersel=abc", "koersel=99999999999", "koersel=0", "",
                                   "koersel=1%3B2", "koersel=" + "9" * 400])
def test_garbage_run_ids_in_the_page_link_read_as_a_message(app, staff, login, query):
    client = login(app, "planner")
    r = client.get(f"{BASE}/plan?{query}", follow_redirects=True)
    assert r.status_code == 200
    assert "Planen findes ikke, eller du har ikke adgang til den." in text(r)


def test_unknown_runs_are_not_found(app, staff, login):
    client = login(app, "planner")
    assert client.get(f"{BASE}/koersel/99999").status_code == 404
    assert client.get(f"{BASE}/koersel/99999.json").status_code == 404
    assert client.get(f"{BASE}/koersel/99999999999").status_code == 404
    assert client.get(f"{BASE}/plan?koersel=99999").status_code == 404


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"koersel": ["abc"], "godkend": "alle"}, "Planen findes ikke"),
        ({"koersel": ["{run}"], "godkend": "hvad"}, "Vælg mindst ét forslag."),
        ({"koersel": ["{run}"], "godkend": "valgte"}, "Vælg mindst ét forslag."),
        ({"koersel": ["{run}"], "godkend": "valgte", "valgt": ["x:y"]},
         "Et eller flere af de valgte forslag findes ikke"),
        ({"koersel": ["{run}"], "godkend": "valgte", "valgt": ["{run}:77"]},
         "Et eller flere af de valgte forslag findes ikke"),
        ({"koersel": ["{run}"], "godkend": "valgte", "valgt": ["99999999999999:1"]},
         "Et eller flere af de valgte forslag findes ikke"),
        ({"koersel": ["{run}"], "godkend": "enhed-abc"}, "Planen findes ikke"),
        ({"koersel": ["{run}"], "godkend": "enhed-99999"}, "Planen findes ikke"),
    ],
)
def test_bad_accept_input_is_refused_in_danish(app, staff, login, data, expected):
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    before = changes(app)
    form = {k: [v.format(run=run_id) for v in vs] if isinstance(vs, list) else vs
            for k, vs in data.items()}
    r = client.post(f"{BASE}/godkend", data=form, follow_redirects=True)
    assert r.status_code == 200 and expected in text(r)
    assert changes(app) == before


# --- progress ----------------------------------------------------------------------------


def test_progress_json_and_the_running_page(app, staff, login, monkeypatch):
    no_scheduler(monkeypatch)
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    data = client.get(f"{BASE}/koersel/{run_id}.json").get_json()
    assert data["state"] == "queued" and data["stage_text"] == "I kø"
    assert data["finished"] is False and data["conversations"] == 0
    body = text(page_of(client, [run_id]))
    assert "Planlægningen kører" in body and "data-progress-url" in body
    assert f"{BASE}/koersel/{run_id}.json" in body
    assert re.search(r'<script src="/static/plan\.js" defer></script>', body)
    assert "<script>" not in body and "http-equiv" not in body  # no inline script, no refresh
    assert "<noscript>" in body and ">Opdatér</a>" in body
    with app.app_context(), db.fresh_session() as s:
        run = s.get(PlanRun, run_id)
        run.state, run.stage = PlanRunState.running, "solving"
        run.progress = {"stage": "solving", "elapsed_s": 2.5, "conversations": 4}
        s.commit()
    data = client.get(f"{BASE}/koersel/{run_id}.json").get_json()
    assert (data["stage"], data["stage_text"], data["elapsed_s"], data["conversations"]) == (
        "solving", "Beregner planen", 2.5, 4)
    with app.app_context(), db.fresh_session() as s:
        s.get(PlanRun, run_id).state = PlanRunState.queued
        s.commit()
    runs.execute_run(app.extensions["rettidig_db"].sessions, run_id,
                     app.extensions["rettidig_settings"])
    data = client.get(f"{BASE}/koersel/{run_id}.json").get_json()
    assert data["finished"] is True and data["state"] == "done"
    assert data["conversations"] == 4 and data["stage_text"] == "Færdig"
    other = login(app, "indk2")
    assert other.get(f"{BASE}/koersel/{run_id}.json").status_code == 404


def test_two_clicks_on_plan_show_the_one_running_job(app, staff, login, monkeypatch):
    no_scheduler(monkeypatch)
    client = login(app, "planner")
    [first] = start(client, staff.world.unit.id)
    r = client.post(f"{BASE}/", data={"enhed": [str(staff.world.unit.id)], "uger": "8"})
    assert run_ids(r.location) == [first]
    assert "Der kørte allerede en planlægning" in text(client.get(r.location))
    with fresh(app) as s:
        assert len(s.scalars(select(PlanRun)).all()) == 1


def test_the_start_page_lists_the_latest_runs(app, staff, login):
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    body = text(client.get(f"{BASE}/"))
    assert f"Plan nr. {run_id}" in body and "Klar til godkendelse" in body


def test_a_failed_run_says_so(app, staff, login, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("database went away")

    monkeypatch.setattr(runs, "build_plan", broken)
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    body = text(client.get(f"{BASE}/koersel/{run_id}"))
    assert "Planlægningen fejlede" in body and "database went away" in body
    assert "Planlæg " in body and "igen" in body


def test_horizon_default_is_the_setting(app, staff, login, settings):
    from tests.conftest import use_settings

    use_settings(app, settings.with_changes({"planning": {"horizon_weeks": 11}}))
    body = text(login(app, "planner").get(f"{BASE}/"))
    assert 'value="11"' in body
