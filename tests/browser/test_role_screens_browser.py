"""Every role's main pages at phone and desktop widths (issue 16): each page reachable from
the role's main menu renders without a horizontal scroll bar, passes axe and is photographed
(the screenshots land in the test's tmp_path for a reviewer; the test asserts they exist)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, staff_login

WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
ROLES = ("sagsbehandler", "indkald", "planlaegger", "leder", "admin")


def _menu_links(page) -> list[str]:
    nav = page.get_by_role("navigation", name="Hovedmenu")
    hrefs = nav.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if h and h.startswith("/")))


def _check(page, tmp_path, label: str) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{label} scrolls sideways by {overflow}px"
    assert_accessible(page, label=label)
    shot = tmp_path / f"{label.replace('/', '_')}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 5_000, f"{label}: empty screenshot"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("username", ROLES)
def test_each_staff_role_pages_fit_and_pass_axe(page, live_server, tmp_path, username, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    staff_login(page, live_server.url, username)
    links = _menu_links(page)
    assert links, f"{username} has no main menu"
    for href in links:
        response = page.goto(live_server.url + href)
        assert response is not None and response.status < 400, f"{href}: {response}"
        _check(page, tmp_path, f"{username}-{width}-{href}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_citizen_pages_fit_and_pass_axe(page, live_server, tmp_path, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    link = next(
        line for line in live_server.app.config["DEMO_OUTPUT"].splitlines() if "/b/" in line
    ).split("5000", 1)[1]
    page.goto(live_server.url + link)
    _check(page, tmp_path, f"citizen-{width}-home")
    # the printed citizens have an open conversation due soon: they choose a time for it
    page.get_by_role("link", name="Vælg en tid").first.click()
    page.wait_for_load_state()
    assert "/borger/samtale/" in page.url
    _check(page, tmp_path, f"citizen-{width}-times")
