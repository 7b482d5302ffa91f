"""A planner checks a file with a dry run, sees the bad rows, then imports a good file, in
Danish, in a real browser (axe on every page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login, start_live_server
from tests.imports.helpers import sample

BAD = "enhed;navn\r\nVEST;Jobcenter Vest\r\nØST;\r\nVEST;Jobcenter Vest igen\r\n".encode()


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    server = start_live_server(tmp_path_factory, "import-live", citizens=60)
    yield server
    server.stop()


def choose(page, data: bytes, name: str) -> None:
    page.get_by_label("Dataart").select_option(label="Enheder")
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def test_planner_dry_runs_a_bad_file_then_imports_a_good_one(page, import_server):
    url = import_server.url
    staff_login(page, url, "planlaegger")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import af data")).to_be_visible()
    expect(page.get_by_label("Kun prøvekørsel (intet gemmes)")).to_be_checked()
    assert_accessible(page, label="import form")

    page.get_by_role("button", name="Læs filen").click()
    expect(page.get_by_role("alert")).to_contain_text("Vælg en fil.")
    assert_accessible(page, label="import form with errors")

    choose(page, BAD, "enheder.csv")
    page.get_by_role("button", name="Læs filen").click()
    expect(page.get_by_role("heading", name="Prøvekørsel: Enheder")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Filen har 2 fejl i 2 rækker. Intet er gemt.")
    table = page.get_by_role("table", name="Rækker med fejl")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("row").nth(1)).to_contain_text("3navnFeltet skal udfyldes.")
    expect(table.get_by_role("row").nth(2)).to_contain_text("Samme nøgle står også i række 2.")
    expect(page.get_by_role("button", name="Importér nu")).to_have_count(0)
    assert_accessible(page, label="dry run with bad rows")

    page.get_by_role("link", name="Importér en anden fil").click()
    choose(page, sample("units"), "enheder.csv")
    page.get_by_role("button", name="Læs filen").click()
    expect(page.get_by_role("status")).to_contain_text("Prøvekørsel: intet er gemt endnu.")
    expect(page.locator("#created")).to_have_text("2")
    assert_accessible(page, label="good dry run")

    page.get_by_role("button", name="Importér nu").click()
    expect(page.get_by_role("heading", name="Import: Enheder")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Importen er gemt.")
    expect(page.locator("#created")).to_have_text("2")
    assert_accessible(page, label="import done")
