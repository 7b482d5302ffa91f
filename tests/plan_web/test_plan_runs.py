"""The conversation plan over HTTP, the runs: a stale plan refused, bad input in Danish, the
progress JSON and the running page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import (
    Absence,
    Booking,
    Obligation,
    ObligationState,
    PlanRun,
    PlanRunState,
)
from booking.services.planning import runs
from tests.planning.conftest import at

from .conftest import fresh
from .pages import BASE, changes, no_scheduler, page_of, run_ids, start, text

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
    assert re.search(r'<script src="/static/progress\.js" defer></script>', body)
    assert "<progress data-progress" in body
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


def test_the_start_page_links_to_a_running_plan(app, staff, login, monkeypatch):
    no_scheduler(monkeypatch)
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)
    page = client.get(f"{BASE}/").text
    assert f'href="{BASE}/koersel/{run_id}">Følg planlægningen af' in page


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
