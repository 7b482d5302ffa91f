"""The planner's pages: plan, accept, move, material sent, meetings, closures, scenarios."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from booking.db import db
from booking.models import RehabCase, RehabClosure, RehabScenario, RehabSchedule
from tests.conftest import DEMO_PASSWORD, DEMO_TODAY, make_app


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("planner") / "p.sqlite3"
    app = make_app(f"sqlite:///{path}", demo={"citizens": 200})
    result = app.test_cli_runner().invoke(args=["demo", "--today", DEMO_TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def planner(planner_app, login):
    return login(planner_app, "planlaegger", DEMO_PASSWORD)


def count(app, model) -> int:
    with app.app_context(), db.fresh_session() as s:
        return s.scalar(select(func.count(model.id))) or 0


def test_only_planners_may_plan(planner_app, login):
    client = login(planner_app, "sagsbehandler", DEMO_PASSWORD)
    assert client.get("/planlaegning/").status_code == 403
    assert client.post("/planlaegning/planlaeg").status_code == 403


def test_demo_has_a_plan_with_meetings_cases_and_forecasts(planner):
    page = planner.get("/planlaegning/").text
    assert "Kommende møder" in page and "Materiale senest" in page
    assert "Forventet" in page  # forecast cases (sickness benefit nearing transition)
    assert "Seneste plan" in page


def test_replan_runs_as_a_job_and_reports(planner):
    response = planner.post("/planlaegning/planlaeg", follow_redirects=True)
    assert re.search(r"Planen er lavet: \d+ til tiden, \d+ for sent, \d+ uden plads", response.text)


def test_accept_move_and_material_sent(planner, planner_app):
    with planner_app.app_context(), db.fresh_session() as s:
        case = s.scalars(
            select(RehabCase).where(RehabCase.meeting_id.is_not(None), RehabCase.locked.is_(False))
        ).first()
        case_id = case.id
    planner.post(f"/planlaegning/sager/{case_id}/godkend")
    planner.post(f"/planlaegning/sager/{case_id}/materiale-sendt")
    with planner_app.app_context(), db.fresh_session() as s:
        case = s.get(RehabCase, case_id)
        assert case.locked and case.material_state.value == "sent"
    bad = planner.post(
        f"/planlaegning/sager/{case_id}/flyt", data={"meeting_id": "999999"}, follow_redirects=True
    )
    assert "Vælg et af de kommende møder." in bad.text
    assert planner.post("/planlaegning/sager/999999/godkend").status_code == 404


def test_schedule_and_closures(planner, planner_app):
    before = count(planner_app, RehabSchedule)
    bad = planner.post(
        "/planlaegning/moeder/fast-moede",
        data={"weekday": "2", "capacity": "0", "valid_from": "2027-03-01"},
    )
    assert bad.status_code == 422 and "mellem 1 og 30" in bad.text
    assert count(planner_app, RehabSchedule) == before
    ok = planner.post(
        "/planlaegning/moeder/fast-moede",
        data={"weekday": "2", "capacity": "4", "valid_from": "2027-03-01"},
        follow_redirects=True,
    )
    assert "Det faste møde er gemt" in ok.text
    backwards = planner.post(
        "/planlaegning/moeder/lukning",
        data={"start_date": "2027-07-30", "end_date": "2027-07-01", "reason": "Sommer"},
    )
    assert backwards.status_code == 422 and "før den første" in backwards.text
    assert count(planner_app, RehabClosure) == 0
    upload = planner.post(
        "/planlaegning/moeder/lukning/import",
        data={"file": (io.BytesIO(b"ikke en kalender"), "luk.ics")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 422 and "ikke en gyldig iCalendar-fil" in upload.text


def test_two_scenarios_compared_and_exported(planner, planner_app):
    base = {
        "meetings_per_week": "2",
        "places_per_meeting": "5",
        "lead_days": "14",
        "inflow_per_week": "12",
        "weeks": "8",
        "closed_weeks": "",
    }
    planner.post("/planlaegning/scenarier", data={**base, "name": "Nu: 2 møder"})
    planner.post(
        "/planlaegning/scenarier",
        data={**base, "name": "Forslag: 3 møder", "meetings_per_week": "3"},
    )
    with planner_app.app_context(), db.fresh_session() as s:
        ids = [sc.id for sc in s.scalars(select(RehabScenario).order_by(RehabScenario.id))]
        assert all(sc.result for sc in s.scalars(select(RehabScenario)))
    query = "&".join(f"id={i}" for i in ids)
    page = planner.get(f"/planlaegning/scenarier/sammenlign?{query}")
    # a line per scenario and per target (80 % and 90 %, named in the legend)
    assert page.status_code == 200 and page.text.count("<polyline") == 2 + 2
    assert "Antagelser" in page.text and 'role="img"' in page.text
    book = load_workbook(
        io.BytesIO(planner.get(f"/planlaegning/scenarier/sammenligning.xlsx?{query}").data)
    )
    assert len(list(book["Uge for uge"].values)) == 1 + 8 * len(ids)
    assert planner.get("/planlaegning/scenarier/sammenlign?id=424242").status_code == 404


def test_bad_scenario_changes_nothing(planner, planner_app):
    before = count(planner_app, RehabScenario)
    page = planner.post(
        "/planlaegning/scenarier",
        data={
            "name": "",
            "meetings_per_week": "9",
            "places_per_meeting": "5",
            "lead_days": "14",
            "inflow_per_week": "mange",
            "weeks": "26",
        },
    )
    assert page.status_code == 422
    assert "Møder pr. uge: skal være mellem 1 og 5." in page.text
    assert "Nye sager pr. uge: skriv et tal." in page.text
    assert count(planner_app, RehabScenario) == before
