"""The administrator issues an API key in a real browser (CSRF on), copies it from the page
that shows it once, the key works against /api/v1 (no cookies, no CSRF token), and the
administrator revokes it. axe finds nothing serious on the pages visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login, start_live_server


@pytest.fixture(scope="module")
def keys_server(tmp_path_factory):
    server = start_live_server(tmp_path_factory, "apikeys", citizens=10)
    yield server
    server.stop()


def test_issue_use_and_revoke_a_key(page, playwright, keys_server):
    base = keys_server.url
    staff_login(page, base, "admin")
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="API-nøgler").click()
    expect(page.get_by_role("heading", name="API-nøgler", level=1)).to_be_visible()
    assert_accessible(page, label="API keys")
    page.get_by_role("button", name="Udsted nøgle").click()
    expect(page.get_by_text("Vælg mindst én adgang.")).to_be_visible()
    assert_accessible(page, label="API keys with an error")
    page.get_by_label("Systemets navn").fill("Sagssystemet")
    page.get_by_label("Læse ledige tider").check()
    page.get_by_role("button", name="Udsted nøgle").click()
    expect(page.get_by_role("heading", name="Ny nøgle til Sagssystemet")).to_be_visible()
    assert_accessible(page, label="issued key")
    key = page.get_by_label("Nøgle", exact=True).input_value()
    assert key.startswith("rtd_")

    system = playwright.request.new_context(base_url=base)  # no cookies: another system
    answer = system.get("/api/v1/slots", headers={"Authorization": f"Bearer {key}"})
    assert answer.status == 200 and "data" in answer.json()
    refused = system.post("/api/v1/bookings", headers={
        "Authorization": f"Bearer {key}", "Idempotency-Key": "b-1"}, data={})
    assert refused.status == 403 and refused.json()["code"] == "insufficient_scope"

    page.goto(f"{base}/admin/api-noegler")
    page.get_by_role("button", name="Spær nøglen til Sagssystemet").click()
    expect(page.get_by_text("Nøglen til Sagssystemet er spærret.")).to_be_visible()
    assert_accessible(page, label="revoked key")
    assert system.get("/api/v1/slots", headers={"Authorization": f"Bearer {key}"}).status == 401
    system.dispose()
