"""The shell in a real browser: log-in, navigation per role, language switch, accessibility."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login


def test_front_page_and_login_are_accessible(page, live_server):
    page.goto(live_server.url + "/")
    expect(page).to_have_title("Velkommen – Demo Kommune")
    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page, label="front page")
    page.get_by_role("link", name="Log ind som medarbejder").click()
    assert_accessible(page, label="login")


def test_wrong_password_shows_a_labelled_error(page, live_server):
    staff_login(page, live_server.url, "leder", "forkert")
    expect(page.get_by_text("Forkert brugernavn eller adgangskode.")).to_be_visible()
    assert page.get_by_label("Adgangskode").get_attribute("aria-invalid") == "true"
    assert_accessible(page, label="login with error")


def test_manager_sees_the_indicator_and_switches_to_english(page, live_server):
    staff_login(page, live_server.url, "leder")
    expect(page.get_by_role("heading", name="Rettidighed pr. uge")).to_be_visible()
    nav = page.get_by_role("navigation", name="Hovedmenu")
    expect(nav.get_by_role("link", name="Rettidighed")).to_have_attribute("aria-current", "page")
    assert_accessible(page, label="manager home")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Timeliness per week")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"


def test_keyboard_user_reaches_main_content_with_the_skip_link(page, live_server):
    staff_login(page, live_server.url, "sagsbehandler")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Spring til indhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert_accessible(page, label="caseworker weekly list")
