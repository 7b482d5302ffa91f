"""Citizen self-booking in Debian's chromium: open the personal link, filter to phone, book,
download the .ics, rebook, cancel — with an axe-core scan of every page — and the whole flow
once more with the keyboard only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from booking.db import db
from booking.models import Booking, BookingState, Citizen, ObligationState
from booking.services.accounts import citizen_link_token
from booking.services.clock import today_local
from booking.services.obligations import open_obligations
from booking.services.slot_search import bookable_slots, self_booking_until
from tests.browser.conftest import assert_accessible


def _phone_citizens(app, count: int = 2) -> list[str]:
    """Personal links of demo citizens whose next conversation can be booked by phone."""
    settings = app.extensions["rettidig_settings"]
    links = []
    with app.app_context(), db.fresh_session() as s:
        for citizen in s.query(Citizen).order_by(Citizen.id):
            obs = open_obligations(s, citizen.id)
            if not obs or obs[0].state != ObligationState.open:
                continue
            ob = obs[0]
            until = self_booking_until(ob, settings)
            phone = bookable_slots(
                s, citizen, ob, until=until, today=today_local(), channel="phone"
            )
            if len(phone) >= 3:
                token = citizen_link_token(app.config["SECRET_KEY"], citizen)
                links.append(f"/b/{token}")
            if len(links) == count:
                return links
    pytest.fail("the demo has no citizen who can book by phone")


def _live_bookings(app, link: str) -> int:
    from booking.services.security import read_citizen_token

    citizen_id, _ = read_citizen_token(app.config["SECRET_KEY"], link.rsplit("/", 1)[1], 60)
    with app.app_context(), db.fresh_session() as s:
        return s.scalar(
            select(func.count(Booking.id)).where(
                Booking.citizen_id == citizen_id, Booking.state == BookingState.booked
            )
        )


@pytest.fixture(scope="module")
def links(live_server):
    return _phone_citizens(live_server.app)


def test_citizen_books_by_phone_downloads_rebooks_and_cancels(page, live_server, links):
    page.goto(live_server.url + links[0])
    expect(page.get_by_role("heading", name="Book din samtale")).to_be_visible()
    expect(page.get_by_text("Du skal have en samtale senest").first).to_be_visible()
    assert_accessible(page, label="citizen home")

    page.get_by_role("link", name="Vælg en tid").first.click()
    expect(page.get_by_role("heading", name="Vælg en tid", level=1)).to_be_visible()
    assert_accessible(page, label="choose a time")
    page.get_by_role("radio", name="Telefon", exact=True).check()
    page.get_by_role("button", name="Vis tider").click()
    assert "kanal=phone" in page.url
    slots = page.locator('input[name="slot"]')
    assert slots.count() >= 3
    labels = page.locator(".slot-day label").all_inner_texts()
    assert all("Telefon" in text for text in labels)
    assert_accessible(page, label="phone times")
    slots.first.check()
    page.get_by_role("button", name="Book den valgte tid").click()

    expect(page.get_by_role("heading", name="Din samtale er booket")).to_be_visible()
    expect(page.get_by_text("Jobcentret ringer til dig")).to_be_visible()
    assert_accessible(page, label="confirmation")
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent kalenderfil (.ics)").click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    text = open(download.path(), encoding="utf-8").read()
    assert "BEGIN:VCALENDAR" in text and "TZID=Europe/Copenhagen" in text
    first_uid = next(line for line in text.splitlines() if line.startswith("UID:"))

    # back to the form and submit it again: never a second booking
    confirmation_url = page.url
    page.go_back()
    if page.locator('input[name="slot"]').count():
        page.locator('input[name="slot"]').first.check()
        page.get_by_role("button", name="Book den valgte tid").click()
    assert _live_bookings(live_server.app, links[0]) == 1
    page.goto(confirmation_url)

    page.get_by_role("link", name="Flyt tiden").click()
    expect(page.get_by_role("heading", name="Flyt din samtale")).to_be_visible()
    assert_accessible(page, label="rebook")
    page.locator('input[name="slot"]').nth(1).check()
    page.get_by_role("button", name="Flyt til den valgte tid").click()
    expect(page.get_by_role("heading", name="Din samtale er flyttet")).to_be_visible()
    assert_accessible(page, label="rebooked")
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent kalenderfil (.ics)").click()
    moved = open(info.value.path(), encoding="utf-8").read()
    assert first_uid in moved and "SEQUENCE:1" in moved

    page.get_by_role("link", name="Aflys tiden").click()
    expect(page.get_by_role("heading", name="Aflys din samtale")).to_be_visible()
    assert_accessible(page, label="cancel")
    page.get_by_role("button", name="Ja, aflys samtalen").click()
    expect(page.get_by_text("Din samtale er aflyst.")).to_be_visible()
    expect(page.get_by_role("link", name="Vælg en tid").first).to_be_visible()
    assert_accessible(page, label="home after cancel")


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_the_whole_flow_with_the_keyboard_only(page, live_server, links):
    page.goto(live_server.url + links[1])
    _tab_to(page, "a.button[href*='/borger/samtale/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vælg en tid", level=1)).to_be_visible()

    _tab_to(page, "input[name='kanal']")
    for _ in range(4):
        if page.evaluate("document.activeElement.value") == "phone":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.checked") is True
    _tab_to(page, "form.filters button")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "kanal=phone" in url)

    _tab_to(page, "input[name='slot']")
    page.keyboard.press("Space")
    _tab_to(page, "form[method='post'] button[type='submit']:not(.secondary)")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Din samtale er booket")).to_be_visible()

    _tab_to(page, "a[href$='kalender.ics']")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert "BEGIN:VEVENT" in open(info.value.path(), encoding="utf-8").read()

    _tab_to(page, "a[href$='/flyt']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Flyt din samtale")).to_be_visible()
    _tab_to(page, "input[name='slot']")
    page.keyboard.press("ArrowDown")  # the next time
    _tab_to(page, "form[method='post'] button[type='submit']:not(.secondary)")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Din samtale er flyttet")).to_be_visible()

    _tab_to(page, "a[href$='/aflys']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Aflys din samtale")).to_be_visible()
    _tab_to(page, "form button[type='submit'], form input[type='submit']")
    focused = page.evaluate("document.activeElement.value || document.activeElement.textContent")
    if "aflys" not in focused.lower():
        _tab_to(page, "input[value='Ja, aflys samtalen']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Din samtale er aflyst.")).to_be_visible()
    # focus is visible on keyboard focus (site.css :focus-visible outline)
    _tab_to(page, "a.button[href*='/borger/samtale/']")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
