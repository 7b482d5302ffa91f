"""The caseworker's calendar in a real browser: the week and the day in Danish, an outcome
button and its undo; axe-core finds no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login, start_live_server
from tests.conftest import DEMO_TODAY

CANCEL = re.compile("^Aflyst af jobcentret")


@pytest.fixture(scope="module")
def calendar_server(tmp_path_factory):
    # enough citizens that the demo caseworker has booked conversations in the coming weeks
    server = start_live_server(tmp_path_factory, "calendar", citizens=600)
    yield server
    server.stop()


def _week_with_bookings(page, base: str) -> str:
    """The first demo week (from the demo's today) with a booking in the calendar."""
    for weeks in range(8):
        monday = DEMO_TODAY + timedelta(weeks=weeks)
        page.goto(f"{base}/sagsbehandler/kalender/uge?uge={monday.isoformat()}")
        if page.get_by_role("button", name=CANCEL).count():
            return monday.isoformat()
    pytest.fail("no demo booking in the caseworker's calendar in eight weeks")


def test_the_calendar_week_day_and_an_outcome_with_undo(page, calendar_server):
    base = calendar_server.url
    staff_login(page, base, "sagsbehandler")
    page.goto(f"{base}/sagsbehandler/kalender")
    expect(page.get_by_role("heading", name=re.compile("^Kalender – "))).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page, label="calendar today")

    monday = _week_with_bookings(page, base)
    expect(page.get_by_text(re.compile(r"^Uge \d+:"))).to_be_visible()
    expect(page.get_by_role("columnheader", name="Samtale og frister").first).to_be_visible()
    expect(page.get_by_text("Lovens frist:").first).to_be_visible()
    assert_accessible(page, label="calendar week")

    page.get_by_role("button", name=CANCEL).first.click()
    expect(page.get_by_text(re.compile("er aflyst af jobcentret"))).to_be_visible()
    assert f"uge={monday}" in page.url
    assert_accessible(page, label="calendar week after a cancellation")

    page.get_by_role("button", name=re.compile("^Fortryd")).first.click()
    expect(page.get_by_text(re.compile("er fortrudt"))).to_be_visible()

    page.get_by_role("link", name="Vis én dag").click()
    expect(page.get_by_role("link", name="Vis hele ugen")).to_be_visible()
    assert_accessible(page, label="calendar day")

    page.goto(f"{base}/sagsbehandler/kalender?dag=9999-12-31")
    problem = "Datoen ligger uden for kalenderen. Kalenderen viser i dag."
    expect(page.get_by_text(problem)).to_be_visible()
    page.get_by_label("Gå til dato").fill(monday)
    page.get_by_role("button", name="Vis kalender").click()
    expect(page).to_have_url(re.compile(f"dag={monday}"))
    assert_accessible(page, label="calendar day chosen with the date field")
