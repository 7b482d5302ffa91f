"""The manager's timeliness page in a real browser at a phone's and a laptop's width: no
horizontal overflow, the 26-week table fits a 1280 px screen without scrolling, the charts
are drawn, axe finds nothing serious, and a screenshot is taken of each."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
TABLE_SCROLLS = """() => [...document.querySelectorAll('.table-scroll')]
  .filter(box => box.offsetParent !== null)
  .map(box => box.scrollWidth - box.clientWidth)"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("by", ["enhed", "sagsbehandler"])
def test_manager_page_fits_the_screen(page, live_server, tmp_path, width, by):
    page.set_viewport_size({"width": width, "height": 900})
    staff_login(page, live_server.url, "leder")
    page.goto(f"{live_server.url}/ledelse/?uger=26&pr={by}")
    expect(page.get_by_role("heading", name="Rettidighed pr. uge")).to_be_visible()
    charts = page.locator(".trend-grid svg[role=img]")
    assert charts.count() >= 2  # the municipality and at least one unit
    box = charts.first.bounding_box()
    assert box is not None and 0 < box["width"] <= width
    expect(page.locator('[aria-current="date"]').first).to_be_attached()
    assert page.evaluate(OVERFLOW) <= 0, "the page scrolls sideways"
    if width >= 1280:
        assert all(extra <= 0 for extra in page.evaluate(TABLE_SCROLLS)), \
            "a table needs a scrollbar at 1280 px"
    assert_accessible(page, label=f"manager page at {width} px per {by}")
    shot = tmp_path / f"manager-{by}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


def test_the_period_picker_changes_the_period(page, live_server):
    staff_login(page, live_server.url, "leder")
    page.goto(f"{live_server.url}/ledelse/")
    page.get_by_label("Periode").select_option("26")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis", exact=True).click()
    assert "uger=26" in page.url
    rows = page.locator("table.indicator tbody tr")
    expect(rows).to_have_count(27)
    assert_accessible(page, label="manager page, 26 weeks")
