"""Citizen self-booking in Debian's chromium: open the personal link, filter to phone, choose a
day and then a time, book, download the .ics, rebook, cancel — with an axe-core scan of every
page — on a desktop (days and times side by side, filters that apply at once), on a phone
(390 px: step 1 the days, step 2 the times, the chosen time and the Book button always in view),
without JavaScript (GET links and the "Vis tider" button), and with the keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from booking.db import db
from booking.models import Booking, BookingState, Citizen, ObligationState
from booking.services.accounts import citizen_link_token
from booking.services.clock import today_local
from booking.services.obligations import open_obligations
from booking.services.slot_search import bookable_slots, self_booking_until
from tests.browser.conftest import assert_accessible, start_live_server

CITIZENS = 200  # the 120 of the other pages leave one citizen who can book by phone


def _citizen_links(app, count: int, *, channel: str | None, skip: int = 0) -> list[str]:
    """Personal links of demo citizens whose next conversation has free times (in ``channel``,
    at least 3) on two days or more; the first ``skip`` such citizens are left for others."""
    settings = app.extensions["rettidig_settings"]
    links = []
    with app.app_context(), db.fresh_session() as s:
        for citizen in s.query(Citizen).order_by(Citizen.id):
            obs = open_obligations(s, citizen.id)
            if not obs or obs[0].state != ObligationState.open:
                continue
            ob = obs[0]
            until = self_booking_until(ob, settings)
            free = bookable_slots(
                s, citizen, ob, until=until, today=today_local(), channel=channel
            )
            if len(free) >= 3 and len({o.local_day for o in free}) >= 2:
                if skip:
                    skip -= 1
                    continue
                token = citizen_link_token(app.config["SECRET_KEY"], citizen)
                links.append(f"/b/{token}")
            if len(links) == count:
                return links
    pytest.fail(f"the demo has not {count} citizens with free times ({channel or 'any'})")


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
def live_server(tmp_path_factory):
    """The demo with more citizens than the other pages need: enough who can book by phone."""
    server = start_live_server(tmp_path_factory, "citizen", citizens=CITIZENS)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def links(live_server):
    """Two citizens who can book by phone, then two who can book on two days or more."""
    phone = _citizen_links(live_server.app, 2, channel="phone")
    others = _citizen_links(live_server.app, 4, channel=None)
    return phone + [link for link in others if link not in phone][:2]


def _in_view(page, locator) -> bool:
    """The element is inside the viewport (not scrolled away)."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def _filter_at_once(page, label: str = "Telefon") -> None:
    """With JavaScript the channel filter applies on change, in place (no button, no reload)."""
    page.evaluate("window.__same_page = true")
    expect(page.locator(".filter-submit")).to_be_hidden()
    radio = page.get_by_role("radio", name=label, exact=True)
    value = radio.get_attribute("value")
    radio.check()
    page.wait_for_url(lambda url: f"kanal={value}" in url)
    expect(page.locator(".day-list a").first).to_have_attribute("href", re.compile(value))
    assert page.evaluate("window.__same_page === true")  # the picker was swapped in place
    labels = page.locator(".slot-day label").all_inner_texts()
    assert labels and all(label in text for text in labels)


def test_citizen_books_by_phone_downloads_rebooks_and_cancels(page, live_server, links, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + links[0])
    expect(page.get_by_role("heading", name="Book din samtale")).to_be_visible()
    expect(page.get_by_text("Du skal have en samtale senest").first).to_be_visible()
    assert_accessible(page, label="citizen home")

    page.get_by_role("link", name="Vælg en tid").first.click()
    expect(page.get_by_role("heading", name="Vælg en tid", level=1)).to_be_visible()
    assert_accessible(page, label="choose a time")
    # a desktop shows the days and the first day's times side by side, the Book button beside
    days, times = page.locator(".days-pane"), page.locator(".slot-day")
    expect(days).to_be_visible() and expect(times).to_be_visible()
    assert days.bounding_box()["x"] + days.bounding_box()["width"] <= times.bounding_box()["x"]
    expect(page.locator(".back-to-days")).to_be_hidden()
    _filter_at_once(page)
    assert_accessible(page, label="phone times")
    page.screenshot(path=str(tmp_path / "choose-1280.png"), full_page=True)

    second = page.locator(".day-list a").nth(1)
    day_name = second.locator(".day-name").inner_text()
    second.click()
    page.wait_for_url(lambda url: "dag=" in url)
    expect(page.locator(".slot-day legend")).to_have_text(day_name)
    expect(page.locator('.day-list a[aria-current="true"] .day-name')).to_have_text(day_name)
    expect(page.locator("#times-title")).to_be_focused()
    slots = page.locator('input[name="slot"]')
    slots.first.check()
    chosen = page.locator("#chosen-time")
    expect(chosen).to_contain_text("Valgt tid:")
    expect(chosen).to_contain_text(day_name.split(" ")[1])  # the day of the month
    # the chosen time and the button stay in view beside the days, however far one scrolls
    page.locator(".day-list a").last.scroll_into_view_if_needed()
    assert _in_view(page, page.locator("#chosen-time"))
    assert _in_view(page, page.get_by_role("button", name="Book den valgte tid"))
    assert_accessible(page, label="a day's phone times")
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
    page.locator(".day-list a").last.click()
    page.wait_for_url(lambda url: "dag=" in url)
    page.locator('input[name="slot"]').first.check()
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


def test_on_a_phone_the_day_comes_first_then_the_time(browser, live_server, links, tmp_path):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    try:
        page.goto(live_server.url + links[2])
        assert_accessible(page, label="phone: home")
        page.get_by_role("link", name="Vælg en tid").first.click()
        # step 1: the days (no times, no Book button yet)
        expect(page.get_by_role("heading", name="1. Vælg en dag")).to_be_visible()
        expect(page.locator(".times-pane")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_accessible(page, label="phone: step 1, the days")
        page.screenshot(path=str(tmp_path / "choose-390-days.png"), full_page=True)
        page.locator(".day-list a").first.click()
        page.wait_for_url(lambda url: "dag=" in url)
        # step 2: the day's times, a way back, the choice and the button in view
        expect(page.get_by_role("heading", name="2. Vælg en tid")).to_be_visible()
        expect(page.locator(".days-pane")).to_be_hidden()
        expect(page.get_by_role("link", name="Tilbage til dage")).to_be_visible()
        button = page.get_by_role("button", name="Book den valgte tid")
        assert _in_view(page, button)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 2500, height  # one day's times, not the whole list (was 5,759 px)
        assert_accessible(page, label="phone: step 2, the times")
        page.get_by_role("link", name="Tilbage til dage").click()
        expect(page.get_by_role("heading", name="1. Vælg en dag")).to_be_visible()
        expect(page.locator(".times-pane")).to_be_hidden()
        page.locator(".day-list a").nth(1).click()
        page.wait_for_url(lambda url: "dag=" in url)
        page.locator('input[name="slot"]').last.check()
        expect(page.locator("#chosen-time")).to_contain_text("Valgt tid:")
        assert _in_view(page, page.locator("#chosen-time")) and _in_view(page, button)
        page.screenshot(path=str(tmp_path / "choose-390-times.png"), full_page=False)
        button.click()
        expect(page.get_by_role("heading", name="Din samtale er booket")).to_be_visible()
        assert_accessible(page, label="phone: confirmation")
        page.screenshot(path=str(tmp_path / "booked-390.png"), full_page=True)
    finally:
        context.close()
    assert not refused, refused
    assert _live_bookings(live_server.app, links[2]) == 1


def test_without_javascript_the_filters_days_and_booking_still_work(
    browser, live_server, links, tmp_path
):
    context = browser.new_context(
        java_script_enabled=False, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    # axe needs script (and timers, which a page without JavaScript never runs): each page is
    # checked again in a second browser with the same log-in and every page script refused
    checker_context = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    checker_context.route("**/*.js", lambda route: route.abort())

    def accessible(page, label: str) -> None:
        checker_context.add_cookies(context.cookies())
        checker = checker_context.new_page()
        checker.goto(page.url)
        assert checker.evaluate("document.documentElement.classList.contains('js')") is False
        assert_accessible(checker, label=label)
        checker.close()

    page = context.new_page()
    try:
        page.goto(live_server.url + links[3])
        accessible(page, "no JS: home")
        page.get_by_role("link", name="Vælg en tid").first.click()
        expect(page.get_by_role("button", name="Vis tider")).to_be_visible()
        # the channel of the first free time, chosen with the filter and the button
        channel = page.locator(".slot-day label").first.inner_text().split(", ")[1]
        radio = page.get_by_role("radio", name=channel, exact=True)
        value = radio.get_attribute("value")
        radio.check()
        assert "kanal=" not in page.url  # nothing happens before the button
        page.get_by_role("button", name="Vis tider").click()
        page.wait_for_url(lambda url: f"kanal={value}" in url)
        accessible(page, "no JS: days of one channel")
        page.locator(".day-list a").last.click()
        page.wait_for_url(lambda url: "dag=" in url and f"kanal={value}" in url)
        labels = page.locator(".slot-day label").all_inner_texts()
        assert labels and all(channel in text for text in labels)
        page.locator('input[name="slot"]').first.check()
        expect(page.locator("#chosen-time")).to_have_text("Du har ikke valgt en tid endnu.")
        accessible(page, "no JS: times")
        page.screenshot(path=str(tmp_path / "choose-nojs-1280.png"), full_page=True)
        page.get_by_role("button", name="Book den valgte tid").click()
        expect(page.get_by_role("heading", name="Din samtale er booket")).to_be_visible()
        accessible(page, "no JS: confirmation")
    finally:
        context.close()
        checker_context.close()
    assert _live_bookings(live_server.app, links[3]) == 1


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
    for _ in range(4):  # each arrow applies the filter at once; the focus stays on the radio
        if page.evaluate("document.activeElement.value") == "phone":
            break
        before = page.url
        page.keyboard.press("ArrowDown")
        page.wait_for_url(lambda url, before=before: url != before)
        page.wait_for_function("document.activeElement.name === 'kanal'")
    assert page.evaluate("document.activeElement.checked") is True
    assert "kanal=phone" in page.url

    _tab_to(page, ".day-list a")
    page.keyboard.press("Enter")  # the day's times; the focus moves to their heading
    page.wait_for_url(lambda url: "dag=" in url)
    page.wait_for_function("document.activeElement.id === 'times-title'")
    _tab_to(page, "input[name='slot']")
    page.keyboard.press("Space")
    expect(page.locator("#chosen-time")).to_contain_text("Valgt tid:")
    _tab_to(page, ".choice-bar button[type='submit']")
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
    page.keyboard.press("Space")
    _tab_to(page, ".choice-bar button[type='submit']")
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
