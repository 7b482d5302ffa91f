"""The planner's pages as issue 16 asks: filters with counts, no ISO dates, unique ids, an
"out of date" notice with a re-plan button, and progress a page can poll (JSON) for the
re-plan and the scenarios."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import RehabScenario
from tests.conftest import DEMO_PASSWORD, DEMO_TODAY, make_app

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{2}-\d{2}-\d{4}\b")


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("planner-pages") / "p.sqlite3"
    app = make_app(f"sqlite:///{path}", demo={"citizens": 200})
    result = app.test_cli_runner().invoke(args=["demo", "--today", DEMO_TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def planner(planner_app, login):
    return login(planner_app, "planlaegger", DEMO_PASSWORD)


def scenario_form(name: str) -> dict[str, str]:
    return {
        "name": name,
        "meetings_per_week": "3",
        "places_per_meeting": "5",
        "lead_days": "14",
        "inflow_per_week": "12",
        "weeks": "4",
        "closed_weeks": "",
    }


def visible(html: str) -> str:
    """The page's text without tags, attributes, scripts and styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def ids(html: str) -> Counter[str]:
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def test_the_case_list_has_filters_with_counts(planner):
    page = planner.get("/planlaegning/").text
    for label in ("Alle", "Uden plads", "I risiko", "Materiale skal sendes"):
        assert re.search(rf">{label} <span class=\"count\">\(\d+\)</span>", page), label
    assert re.search(r'href="/planlaegning/#sager" aria-current="page">Alle', page)
    chosen = planner.get("/planlaegning/?vis=uden-plads").text
    assert re.search(r'vis=uden-plads#sager" aria-current="page">Uden plads', chosen)
    assert "Sager: Uden plads" in chosen


@pytest.mark.parametrize("query", ["?vis=<script>", "?side=abc", "?side=99999999", "?side=-1"])
def test_odd_filters_and_pages_show_the_list(planner, query):
    response = planner.get(f"/planlaegning/{query}")
    assert response.status_code == 200
    assert "<script>" not in response.text.split("<main", 1)[-1].split("</main>")[0]


@pytest.mark.parametrize(
    "url", ["/planlaegning/", "/planlaegning/moeder", "/planlaegning/scenarier"]
)
def test_planner_pages_have_unique_ids_and_no_iso_dates(planner, url):
    page = planner.get(url).text
    assert 'id="csrf_token"' not in page
    doubles = [name for name, n in ids(page).items() if n > 1]
    assert doubles == []
    assert ISO.findall(visible(page)) == []


def test_flyt_offers_no_meeting_whose_material_is_overdue(planner):
    page = planner.get("/planlaegning/").text
    selects = re.findall(r'<select id="move-\d+" name="meeting_id">(.*?)</select>', page, re.S)
    assert selects
    for options in selects:
        first = re.search(r"<option([^>]*)>", options)
        assert first is not None
        # either the case's own meeting is chosen, or nothing is until the planner picks one
        assert "selected" in options


def test_new_meetings_make_the_plan_out_of_date_until_it_is_re_made(planner):
    assert "Planen er forældet." not in planner.get("/planlaegning/").text
    response = planner.post(
        "/planlaegning/moeder/fast-moede",
        data={"weekday": "2", "capacity": "6", "valid_from": DEMO_TODAY.isoformat()},
    )
    assert response.status_code == 302
    home = planner.get("/planlaegning/").text
    assert "Planen er forældet." in home and "Planlæg sagerne igen nu" in home
    assert "Planen er forældet." in planner.get("/planlaegning/moeder").text
    assert ISO.findall(visible(home)) == []
    done = planner.post("/planlaegning/planlaeg", follow_redirects=True).text
    assert re.search(r"Planen er lavet: \d+ til tiden, \d+ for sent, \d+ uden plads", done)
    assert "Planen er forældet." not in done


def test_the_replan_state_is_json_for_the_poller(planner):
    planner.post("/planlaegning/planlaeg")
    response = planner.get("/planlaegning/planlaeg.json")
    assert response.status_code == 200 and response.is_json
    data = response.get_json()
    assert data["state"] == "done" and data["finished"] is True
    assert data["state_text"] == "Færdig"


def test_a_scenario_being_projected_shows_live_progress(planner, planner_app):
    created = planner.post("/planlaegning/scenarier", data=scenario_form("Beregnes endnu"))
    assert created.status_code == 302
    with planner_app.app_context(), db.fresh_session() as s:
        pending = s.scalar(select(RehabScenario).where(RehabScenario.name == "Beregnes endnu"))
        pending.result = None  # as if the worker had not finished yet
        s.commit()
        pending_id = pending.id
    data = planner.get(f"/planlaegning/scenarier/{pending_id}.json").get_json()
    assert data["finished"] is False and data["state"] == "running"
    page = planner.get(f"/planlaegning/scenarier/sammenlign?id={pending_id}").text
    assert f'data-progress-url="/planlaegning/scenarier/{pending_id}.json"' in page
    assert "<progress" in page and "progress.js" in page and "Opdatér" in page
    assert "Opdatér siden om lidt" not in page and "http-equiv" not in page
    listing = planner.get("/planlaegning/scenarier").text
    assert f'data-progress-url="/planlaegning/scenarier/{pending_id}.json"' in listing
    assert planner.get("/planlaegning/scenarier/999999.json").status_code == 404


def test_the_comparison_shows_dates_numbers_and_headers_in_danish(planner):
    created = planner.post("/planlaegning/scenarier", data=scenario_form("Tre møder"))
    assert created.status_code == 302
    listing = planner.get("/planlaegning/scenarier").text
    found = re.search(r'value="(\d+)" id="pick-\d+" aria-label="Vælg Tre møder"', listing)
    assert found is not None
    scenario_id = found.group(1)
    data = planner.get(f"/planlaegning/scenarier/{scenario_id}.json").get_json()
    assert data["finished"] is True
    page = planner.get(f"/planlaegning/scenarier/sammenlign?id={scenario_id}").text
    text = visible(page)
    assert ISO.findall(text) == []
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", text)  # weeks as 17.11.2026
    assert not re.search(r"\b0\.\d{3,}", text)  # no raw shares such as 0.7576
    assert re.search(r"\d+,\d\xa0%", text)  # shares as 75,8 %
    assert "Materiale til regionen, dage før mødet" in text
    # the two-level header: every cell names its week, its scenario and its column
    assert f'id="sc-{scenario_id}" ' in page or f'id="sc-{scenario_id}">' in page
    assert re.search(rf'<td headers="wk-1 sc-{scenario_id} sc-{scenario_id}-share">', page)
