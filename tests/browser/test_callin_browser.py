"""A call-in staff member plans a group session and runs the check-in desk, in Danish, in a
real browser; axe-core finds no serious or critical WCAG 2.1 AA violation on any page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from booking.services.clock import today_local
from tests.browser.conftest import assert_accessible, staff_login, start_live_server


@pytest.fixture(scope="module")
def callin_server(tmp_path_factory):
    # the desk works on the session's own day, so the demo is built around the real today
    server = start_live_server(tmp_path_factory, "callin", today=today_local().isoformat())
    yield server
    server.stop()


def test_plan_a_session_and_run_the_desk(page, callin_server):
    base = callin_server.url
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet in landscape
    staff_login(page, base, "indkald")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Central indkaldelse"
    ).click()
    expect(page.get_by_role("heading", name="Fælles indkald", exact=True)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page, label="call-in home")

    page.get_by_role("link", name="Planlæg fælles indkald").click()
    assert_accessible(page, label="plan form")
    page.get_by_label("Dato").fill(today_local().isoformat())
    page.get_by_label("Fra kl.").fill("08:00")
    page.get_by_label("Til kl.").fill("23:30")
    page.get_by_label("Sted").fill("Jobcentret, mødelokale 3")
    page.get_by_label("Minutter pr. samtale").fill("30")
    boxes = page.locator("input[name=pool]")
    boxes.nth(3).check()
    boxes.nth(4).check()
    page.get_by_role("button", name="Planlæg indkaldet").click()
    expect(page.get_by_text("Det fælles indkald er planlagt.")).to_be_visible()
    expect(page.get_by_text("Foreslået antal")).to_be_visible()
    assert_accessible(page, label="session: choose invitees")

    page.get_by_label("Justér antal").fill("3")
    page.get_by_role("button", name="Beregn risiko").click()
    expect(page.locator("#sizing")).to_contain_text("Valgt antal")
    page.get_by_role("button", name="Indkald 3 borgere og send breve").click()
    expect(page.get_by_text("3 borgere er indkaldt, og brevene er lagt i")).to_be_visible()

    page.get_by_role("link", name="Åbn skranken").click()
    expect(page.get_by_role("heading", name=re.compile("^Skranke"))).to_be_visible()
    assert_accessible(page, label="check-in desk")
    page.get_by_role("button", name=re.compile("^Mødt")).first.click()
    expect(page.get_by_text(re.compile("er mødt. Send borgeren til"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Mødt")).first.click()
    expect(page.get_by_text(re.compile("er mødt. Send borgeren til"))).to_be_visible()
    assert_accessible(page, label="desk after check-in")
    # every Mødt/Færdig button is a large touch target
    for button in page.get_by_role("button", name=re.compile("^(Mødt|Færdig)")).all():
        box = button.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
    page.get_by_role("button", name=re.compile("^Færdig")).first.click()
    expect(page.get_by_text("Samtalen er registreret som afholdt.")).to_be_visible()

    early = page.get_by_label("Ja, luk før tidsrummet er slut")
    if early.count():
        early.check()
    page.get_by_role("button", name="Luk indkaldet").click()
    expect(page.get_by_role("heading", name="Ringeliste")).to_be_visible()
    expect(page.get_by_text(re.compile("1 udeblevne er sat på ringelisten"))).to_be_visible()
    assert_accessible(page, label="phone list")
    call = page.locator("section.call").first
    call.get_by_label("Ikke truffet (indkaldes igen)").check()
    call.get_by_role("button", name="Gem opkald").click()
    expect(page.get_by_text(re.compile("^Opkaldet er registreret"))).to_be_visible()

    page.goto(base + "/indkald/tal")
    expect(page.get_by_role("table").first).to_contain_text("Borgere i ressourceforløb")
    assert_accessible(page, label="call-in figures")


def test_caseworker_sees_the_queue(page, callin_server):
    staff_login(page, callin_server.url, "sagsbehandler")
    page.get_by_role("link", name="Min kø").click()
    expect(page.get_by_role("heading", name=re.compile("^Min kø i dag"))).to_be_visible()
    expect(page.get_by_text(re.compile("Fælles indkald kl. 09:00–13:00"))).to_be_visible()
    assert_accessible(page, label="caseworker queue")
