"""The working-hour template editor in a real browser: add a block, see the preview change
("Vis forslag", no script), save, and the form on a phone-sized screen; axe-core finds no
serious or critical WCAG 2.1 AA violation on any page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login, start_live_server

TOTAL = re.compile(r"^(\d+) tider i alt$")


@pytest.fixture(scope="module")
def time_server(tmp_path_factory):
    server = start_live_server(tmp_path_factory, "template_editor", citizens=60)
    yield server
    server.stop()


def _total(page) -> int:
    text = page.get_by_text(TOTAL).inner_text()
    found = TOTAL.match(text.strip())
    assert found, text
    return int(found.group(1))


def test_edit_the_template_see_the_preview_change_and_save(page, time_server):
    base = time_server.url
    staff_login(page, base, "sagsbehandler")
    page.get_by_role("link", name="Arbejdstid").click()
    expect(page.get_by_role("heading", name=re.compile("^Arbejdstid – "))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Forslag: tiderne fra"))).to_be_visible()
    assert_accessible(page, label="template editor")
    before = _total(page)

    new = page.locator("fieldset").filter(has=page.locator("legend", has_text="(ny)"))
    new.get_by_label("Ugedag").select_option(label="Lørdag")
    new.get_by_label("Fra kl.").fill("10:00")
    new.get_by_label("Til kl.").fill("11:00")
    new.get_by_label("Minutter pr. samtale").fill("30")
    new.get_by_label("Fremmødeform").select_option(label="Telefonisk")
    page.get_by_label("Vis uger frem").fill("2")
    page.get_by_role("button", name="Vis forslag").click()

    expect(page.get_by_text(re.compile(r"^lørdag ")).first).to_be_visible()
    after_preview = _total(page)
    assert after_preview != before
    assert_accessible(page, label="template editor with a preview")

    page.get_by_role("button", name="Gem og udgiv tiderne").click()
    expect(page.get_by_text(re.compile(r"^Arbejdstiden er gemt: \d+ nye tider"))).to_be_visible()
    saved = page.locator("fieldset").filter(has=page.locator("legend", has_text="(ny)"))
    expect(saved).to_have_count(1)
    weekdays = [page.locator("fieldset").nth(i).get_by_label("Ugedag").input_value()
                for i in range(page.locator("fieldset").count())]
    assert "5" in weekdays  # the Saturday block is part of the saved template
    assert_accessible(page, label="template editor after saving")

    # a refused block: named beside the block and in the summary, nothing saved
    blank = page.locator("fieldset").filter(has=page.locator("legend", has_text="(ny)"))
    blank.get_by_label("Ugedag").select_option(label="Lørdag")
    blank.get_by_label("Fra kl.").fill("10:30")
    blank.get_by_label("Til kl.").fill("12:00")
    blank.get_by_label("Minutter pr. samtale").fill("30")
    page.get_by_role("button", name="Vis forslag").click()
    expect(page.get_by_role("heading", name="Skabelonen blev ikke gemt")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("overlapper blok"))).to_be_visible()
    assert_accessible(page, label="template editor with a refused block")


def test_the_editor_and_the_absence_page_fit_a_phone(page, time_server):
    base = time_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    staff_login(page, base, "sagsbehandler")
    for path in ("/sagsbehandler/arbejdstid", "/sagsbehandler/fravaer",
                 "/sagsbehandler/kalenderfeed"):
        page.goto(f"{base}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone ({overflow}px)"
        assert_accessible(page, label=f"{path} on a phone")
    expect(page.get_by_label("Din hemmelige adresse")).to_have_value(re.compile(r"/feed/.+\.ics$"))
