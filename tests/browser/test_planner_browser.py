"""A planner builds two scenarios and compares them, in Danish, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login, start_live_server


@pytest.fixture(scope="module")
def planner_server(tmp_path_factory):
    server = start_live_server(tmp_path_factory, "planner-live", citizens=120)
    yield server
    server.stop()


def build(page, name: str, meetings: str) -> None:
    page.get_by_label("Navn", exact=True).fill(name)
    page.get_by_label("Møder pr. uge").fill(meetings)
    page.get_by_label("Pladser pr. møde").fill("5")
    page.get_by_label("Nye sager pr. uge").fill("12")
    page.get_by_label("Uger i fremskrivningen").fill("12")
    page.get_by_role("button", name="Beregn scenarie").click()
    expect(page.get_by_text(f"Scenariet \u201d{name}\u201d er oprettet")).to_be_visible()


def test_planner_builds_two_scenarios_and_compares_them(page, planner_server):
    url = planner_server.url
    staff_login(page, url, "planlaegger")
    expect(page.get_by_role("heading", name="Rehabiliteringsteam")).to_be_visible()
    assert_accessible(page, label="planner home")
    page.get_by_role("link", name="Møder og lukninger").click()
    expect(page.get_by_role("heading", name="Faste møder")).to_be_visible()
    assert_accessible(page, label="meetings and closures")
    page.get_by_role("link", name="Scenarier").click()
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
    shares = [float(line.split(": ")[1].split(" %")[0]) for line in summary.splitlines()]
    assert shares[1] > shares[0]  # a third meeting a week buys timeliness
    assert_accessible(page, label="comparison")

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent regneark (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("link", name="Udskriftsvenlig side").click()
    expect(page.get_by_role("table", name="Antagelser")).to_be_visible()
    assert_accessible(page, label="printable comparison")
