"""The planner's pages in a real browser, in Danish: filters on the case list, a reason in Danish
with the action that fixes it, progress that updates by itself while a re-plan or a scenario
runs, two scenarios compared; axe-core finds no serious or critical violation, and each page
is photographed at 390 and 1280 px wide."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from booking.db import db
from booking.extensions import settings
from booking.models import RehabCase, RehabCaseState, RehabScenario
from booking.services.rehab import jobs, status
from tests.browser.conftest import assert_accessible, staff_login, start_live_server

OLD_NOTE = "meetings from 2026-12-15 to 2027-01-14 have 40 places for 59 cases"


@pytest.fixture(scope="module")
def planner_server(tmp_path_factory):
    server = start_live_server(tmp_path_factory, "planner-live", citizens=120)
    yield server
    server.stop()


def photograph(page, tmp_path, name: str) -> None:
    """The page at a phone's and a desktop's width (the files stay in tmp_path)."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        no_overflow = page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        )
        wide = page.evaluate(
            "Array.from(document.querySelectorAll('body *')).filter(e => "
            "e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
            ".slice(0, 8).map(e => e.tagName + '.' + e.className + "
            "' ' + (e.id || '') + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert no_overflow, f"{name} is wider than the window at {width} px: {wide}"
    page.set_viewport_size({"width": 1280, "height": 900})


def unplan_one_case(app) -> str:
    """One waiting case loses its meeting and carries a note stored before notes were coded
    (the solver's English sentence); returns the citizen's name."""
    with app.app_context(), db.fresh_session() as s:
        case = s.scalars(
            select(RehabCase)
            .where(RehabCase.state.in_([RehabCaseState.open, RehabCaseState.assigned]))
            .order_by(RehabCase.id)
        ).first()
        assert case is not None
        case.meeting_id, case.locked, case.state = None, False, RehabCaseState.open
        case.plan_note = OLD_NOTE
        name = case.citizen.name
        s.commit()
        return name


def ask_for_replan(app) -> None:
    """A re-plan asked for but not yet picked up by a worker."""
    with app.app_context(), db.fresh_session() as s:
        status.request_replan(s, staff_id=None)


def run_replan(app) -> None:
    """The worker's part: the job runs (as booking.tasks would) in a session of its own."""
    with app.app_context(), db.fresh_session() as s:
        jobs.replan_rehab(s, settings())


def test_case_filters_and_a_reason_in_danish_with_its_fix(page, planner_server, tmp_path):
    url, app = planner_server.url, planner_server.app
    name = unplan_one_case(app)
    staff_login(page, url, "planlaegger")
    expect(page.get_by_role("heading", name="Rehabiliteringsteam", exact=True)).to_be_visible()
    filters = page.get_by_role("navigation", name="Vis sager")
    expect(filters.get_by_role("link", name=re.compile(r"^Alle \(\d+\)"))).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page, label="planner home")
    photograph(page, tmp_path, "planner-home")

    filters.get_by_role("link", name=re.compile(r"^Uden plads \(1\)")).click()
    expect(page.get_by_role("table", name=re.compile("^Sager: Uden plads"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text(
        "Møderne fra 15. dec. 2026 til 14. jan. 2027 har 40 pladser til 59 sager."
    )
    assert "places for" not in page.content()  # never the English sentence
    fix = row.get_by_role("link", name=re.compile("^Tilføj et møde eller flere pladser mellem"))
    expect(fix).to_be_visible()
    assert_accessible(page, label="planner home, unplanned")
    photograph(page, tmp_path, "planner-unplanned")

    filters.get_by_role("link", name=re.compile(r"^I risiko")).click()
    expect(page.get_by_role("table", name=re.compile("^Sager: I risiko"))).to_be_visible()
    filters.get_by_role("link", name=re.compile(r"^Materiale skal sendes")).click()
    material = page.get_by_role("table", name=re.compile("^Sager: Materiale skal sendes"))
    expect(material).to_be_visible()
    assert_accessible(page, label="planner home, material due")

    fix_page = page.goto(f"{url}/planlaegning/?vis=uden-plads")
    assert fix_page is not None and fix_page.ok
    page.get_by_role("link", name=re.compile("^Tilføj et møde eller flere pladser")).click()
    expect(page.get_by_role("heading", name="Faste møder")).to_be_visible()
    assert page.locator('[id="csrf_token"]').count() == 0
    assert_accessible(page, label="meetings and closures")
    photograph(page, tmp_path, "planner-meetings")


def test_a_replan_shows_progress_and_the_page_updates_itself(page, planner_server, tmp_path):
    url, app = planner_server.url, planner_server.app
    staff_login(page, url, "planlaegger")
    ask_for_replan(app)
    page.goto(f"{url}/planlaegning/")
    running = page.get_by_role("region", name="Planlægningen kører")
    expect(running).to_be_visible()
    expect(running.locator("progress")).to_be_visible()
    expect(running).to_contain_text("I kø")
    expect(page.get_by_text("Siden opdaterer sig selv")).to_be_visible()  # the poller runs
    assert "Opdatér siden om lidt" not in page.content()
    assert_accessible(page, label="planner home, re-plan running")
    photograph(page, tmp_path, "planner-replan-running")

    run_replan(app)  # the worker finishes; the test does not reload the page
    expect(page.get_by_role("region", name="Planlægningen kører")).to_have_count(0, timeout=15000)
    expect(page.get_by_text(re.compile(r"^Seneste plan: "))).to_be_visible()


def test_new_meetings_say_the_plan_is_out_of_date(page, planner_server):
    url = planner_server.url
    staff_login(page, url, "planlaegger")
    page.goto(f"{url}/planlaegning/moeder")
    page.get_by_label("Pladser pr. møde").fill("4")
    page.get_by_role("button", name="Gem fast møde").click()
    expect(page.get_by_text("Planen er forældet.")).to_be_visible()
    page.get_by_role("link", name="Plan og sager").click()
    notice = page.locator("#out-of-date")
    expect(notice).to_contain_text("Planen er forældet.")
    assert_accessible(page, label="planner home, out of date")
    notice.get_by_role("button", name="Planlæg sagerne igen nu").click()
    expect(page.get_by_text(re.compile(r"^Planen er lavet: \d+ til tiden"))).to_be_visible()
    expect(page.locator("#out-of-date")).to_have_count(0)


def build(page, name: str, meetings: str) -> None:
    page.get_by_label("Navn", exact=True).fill(name)
    page.get_by_label("Møder pr. uge").fill(meetings)
    page.get_by_label("Pladser pr. møde").fill("5")
    page.get_by_label("Nye sager pr. uge").fill("12")
    page.get_by_label("Uger i fremskrivningen").fill("12")
    page.get_by_role("button", name="Beregn scenarie").click()
    expect(page.get_by_text(f"Scenariet \u201d{name}\u201d er oprettet")).to_be_visible()


def share_of(line: str) -> float:
    """"To møder: 71,3 % af sagerne …" → 71.3"""
    found = re.search(r": (\d+(?:,\d+)?)\xa0%", line)
    assert found is not None, line
    return float(found.group(1).replace(",", "."))


def test_planner_builds_two_scenarios_and_compares_them(page, planner_server, tmp_path):
    url = planner_server.url
    staff_login(page, url, "planlaegger")
    page.goto(f"{url}/planlaegning/scenarier")
    assert_accessible(page, label="scenarios")

    page.get_by_label("Møder pr. uge").fill("9")
    page.get_by_role("button", name="Beregn scenarie").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Møder pr. uge: skal være mellem 1 og 5.")
    assert_accessible(page, label="scenario form with errors")

    build(page, "To møder om ugen", "2")
    build(page, "Tre møder om ugen", "3")
    page.get_by_label("Vælg To møder om ugen").check()
    page.get_by_label("Vælg Tre møder om ugen").check()
    page.get_by_role("button", name="Sammenlign valgte").click()

    expect(page.get_by_role("heading", name="Sammenligning af scenarier")).to_be_visible()
    expect(page.get_by_role("img", name="Andel forelagt til tiden pr. uge")).to_be_visible()
    summary = page.locator("#summary-h + ul").inner_text()
    shares = [share_of(line) for line in summary.splitlines()]
    assert shares[1] > shares[0]  # a third meeting a week buys timeliness
    weeks = page.get_by_role("table", name="Uge for uge: andel til tiden og venteliste")
    first_week = weeks.get_by_role("rowheader").first.inner_text()
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", first_week), first_week
    assumptions = page.get_by_role("table", name="Antagelser").inner_text()
    assert not re.search(r"\b0\.\d{3,}", assumptions)  # no raw shares such as 0.7576
    assert_accessible(page, label="comparison")
    photograph(page, tmp_path, "planner-compare")

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent regneark (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("link", name="Udskriftsvenlig side").click()
    expect(page.get_by_role("table", name="Antagelser")).to_be_visible()
    assert_accessible(page, label="printable comparison")


def test_a_scenario_shows_progress_until_its_figures_arrive(page, planner_server):
    url, app = planner_server.url, planner_server.app
    staff_login(page, url, "planlaegger")
    page.goto(f"{url}/planlaegning/scenarier")
    build(page, "Beregnes i baggrunden", "2")
    with app.app_context(), db.fresh_session() as s:
        scenario = s.scalar(
            select(RehabScenario).where(RehabScenario.name == "Beregnes i baggrunden")
        )
        scenario.result = None  # as if the worker had not finished yet
        s.commit()
        scenario_id = scenario.id
    page.goto(f"{url}/planlaegning/scenarier/sammenlign?id={scenario_id}")
    expect(page.get_by_role("heading", name="Scenarierne beregnes")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_count(1)
    assert_accessible(page, label="comparison, running")
    with app.app_context(), db.fresh_session() as s:
        jobs.run_scenario(s, settings(), scenario_id)  # the worker's part
    expect(page.get_by_role("img", name="Andel forelagt til tiden pr. uge")).to_be_visible(
        timeout=15000
    )
