"""The administrator's rooms in a real browser (CSRF on): create a caseworker, hand the
one-time link to them, they choose a password and log in; edit and deactivate; the audit trail
filtered with a Danish date and exported. axe finds nothing serious on any page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login, start_live_server


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    server = start_live_server(tmp_path_factory, "admin", citizens=20)
    yield server
    server.stop()


def test_create_hand_over_log_in_deactivate_and_read_the_trail(browser, page, admin_server):
    base = admin_server.url
    staff_login(page, base, "admin")
    page.goto(f"{base}/admin/")
    assert_accessible(page, label="admin home")
    page.get_by_role("link", name="Opret bruger").click()
    expect(page.get_by_role("heading", name="Opret bruger")).to_be_visible()
    assert_accessible(page, label="new user form")
    page.get_by_label("Brugernavn").fill("nina.nielsen")
    page.get_by_label("Fulde navn").fill("Nina Nielsen")
    page.get_by_label("Rolle").select_option(label="Sagsbehandler")
    page.get_by_label("Enhed").select_option(index=1)
    page.get_by_role("button", name="Opret bruger").click()
    expect(page.get_by_role("heading", name="Engangslink til Nina Nielsen")).to_be_visible()
    assert_accessible(page, label="password link")
    link = page.get_by_label("Link").input_value()
    assert "/adgangskode/" in link

    newcomer = browser.new_context()
    other = newcomer.new_page()
    other.goto(link)
    expect(other.get_by_role("heading", name="Vælg ny adgangskode")).to_be_visible()
    assert_accessible(other, label="reset page")
    other.get_by_label("Ny adgangskode").fill("kort")
    other.get_by_label("Gentag adgangskoden").fill("kort")
    other.get_by_role("button", name="Gem adgangskode").click()
    expect(other.get_by_text("Adgangskoden skal være mindst 12 tegn.")).to_be_visible()
    assert_accessible(other, label="reset page with an error")
    other.get_by_label("Ny adgangskode").fill("nina vælger en god sætning")
    other.get_by_label("Gentag adgangskoden").fill("nina vælger en god sætning")
    other.get_by_role("button", name="Gem adgangskode").click()
    expect(other.get_by_text("Din nye adgangskode er gemt")).to_be_visible()
    staff_login(other, base, "nina.nielsen", "nina vælger en god sætning")
    other.goto(f"{base}/sagsbehandler/")
    expect(other.get_by_role("heading", level=1)).to_be_visible()
    assert "/login" not in other.url

    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="nina.nielsen").click()
    assert_accessible(page, label="edit user")
    page.get_by_role("button", name="Deaktivér bruger").click()
    expect(page.get_by_text("Nina Nielsen er deaktiveret.")).to_be_visible()
    other.goto(f"{base}/sagsbehandler/")
    assert "/login" in other.url  # her session ended at once
    newcomer.close()

    page.goto(f"{base}/admin/revisionsspor")
    assert_accessible(page, label="audit trail")
    page.get_by_label("Fra dato (dd-mm-åååå)").fill("31-02-2027")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_text("Skriv datoen som dd-mm-åååå")).to_be_visible()
    assert_accessible(page, label="audit trail with a bad date")
    page.get_by_label("Fra dato (dd-mm-åååå)").fill("")
    page.get_by_label("Handling").select_option(label="Deaktiverede bruger")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("cell", name="Deaktiverede bruger admin.user_deactivated")
           ).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Eksportér udvalget som CSV (Excel)").click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith("\ufeff".encode()) and b"Deaktiverede bruger" in data
