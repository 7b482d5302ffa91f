"""Call-in staff in a real browser, in Danish: plan a group session (weekends refused with the
reason, letters with notice), run the desk (check-in, undo, a board that refreshes by itself),
the caseworker's "Min kø" refreshing by itself, the phone list (a missing outcome is said at
the call) and the figures page with its charts. axe-core finds no serious or critical WCAG 2.1
AA violation on any page visited; each page is photographed at 390 px and 1280 px."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from booking.db import db
from booking.models import Caseworker, StaffUser
from booking.services.calendar_days import closed_days, is_working_day
from booking.services.callin.desk import check_in
from booking.services.callin.sessions import SessionPlan, invite, plan_session, preview
from booking.services.clock import today_local, zone
from tests.browser.conftest import assert_accessible, staff_login, start_live_server
from tests.callin.helpers import letter_day

LIVE = 15_000  # ms to wait for a screen that refreshes by itself (it polls every 5 s)


@pytest.fixture(scope="module")
def callin_server(tmp_path_factory):
    # the desk works on the session's own day, so the demo is built around the real today
    server = start_live_server(tmp_path_factory, "callin", today=today_local().isoformat())
    yield server
    server.stop()


def look(page, tmp_path, name: str) -> None:
    """axe at 1280 px and 390 px, and a full-page screenshot at each."""
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert_accessible(page, label=f"{name} at {width} px")
    page.set_viewport_size({"width": 1280, "height": 900})


def fits_at_390(page) -> bool:
    """At 390 px the page does not scroll sideways (WCAG 1.4.10 reflow)."""
    page.set_viewport_size({"width": 390, "height": 844})
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return bool(fits)


def _session_now(app, *, invitees: int = 3) -> tuple[int, list[str]]:
    """A session open now, today, with only the demo caseworker "sagsbehandler" in its pool,
    planned and invited as the demo plans its own (no calendar rules: today may be a
    Sunday). Returns its id and the invitees' names."""
    now = datetime.now(zone())
    start = max(time(0), (now - timedelta(hours=1)).time().replace(second=0, microsecond=0))
    if now.hour == 0:
        start = time(0)
    settings = app.extensions["rettidig_settings"].callin
    with app.app_context(), db.fresh_session() as s:
        own = s.scalar(
            select(Caseworker.id)
            .join(StaffUser, StaffUser.id == Caseworker.staff_user_id)
            .where(StaffUser.username == "sagsbehandler")
        )
        gs = plan_session(
            s,
            SessionPlan(
                today_local(), start, time(23, 59), "Skranken, stuen", 30, (own,), None, 0.1
            ),
            settings,
            staff_id=None,
            today=today_local(),
            optional_closed=(),
            calendar_rules=False,
        ).group_session
        count = min(invitees, len(preview(s, gs, settings).candidates))
        assert count >= 2, "the demo has citizens left to call in"
        made = invite(
            s, gs.id, count, settings, staff_id=None, municipality="Demo", sender="x@demo.invalid",
            today=today_local(), optional_closed=(), calendar_rules=False,
        )
        return gs.id, [inv.citizen.name for inv in made]


def test_plan_refuses_a_weekend_and_invites_with_notice(page, callin_server, tmp_path):
    base = callin_server.url
    staff_login(page, base, "indkald")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Central indkaldelse"
    ).click()
    expect(page.get_by_role("heading", name="Fælles indkald", exact=True)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "da"
    look(page, tmp_path, "callin-home")

    page.get_by_role("link", name="Planlæg fælles indkald").click()
    day = letter_day(today_local())
    saturday = day + timedelta(days=(5 - day.weekday()) % 7 or 7)
    page.get_by_label("Dato").fill(saturday.isoformat())
    page.get_by_label("Fra kl.").fill("09:00")
    page.get_by_label("Til kl.").fill("12:00")
    page.get_by_label("Sted").fill("Jobcentret, mødelokale 3")
    page.get_by_label("Minutter pr. samtale").fill("30")
    boxes = page.locator("input[name=pool]")
    boxes.nth(3).check()
    boxes.nth(4).check()
    page.get_by_role("button", name="Planlæg indkaldet").click()
    expect(
        page.get_by_text(re.compile("er en weekenddag. Fælles indkald holdes på hverdage"))
    ).to_be_visible()
    expect(page.get_by_label("Dato")).to_have_attribute("aria-invalid", "true")
    look(page, tmp_path, "callin-plan-refused")

    # a working day too soon for a letter's notice is refused with the first possible day
    soon = today_local() + timedelta(days=1)
    optional = tuple(callin_server.app.extensions["rettidig_settings"].calendar.optional_closed)
    closed = closed_days([soon.year, soon.year + 1], optional)
    while not is_working_day(soon, closed):
        soon += timedelta(days=1)
    if soon < day:
        page.get_by_label("Dato").fill(soon.isoformat())
        page.get_by_role("button", name="Planlæg indkaldet").click()
        notice = re.compile("Brevene skal give mindst 3 arbejdsdages varsel")
        expect(page.get_by_text(notice)).to_be_visible()
    page.get_by_label("Dato").fill(day.isoformat())
    page.get_by_role("button", name="Planlæg indkaldet").click()
    expect(page.get_by_text("Det fælles indkald er planlagt.")).to_be_visible()
    expect(page.get_by_text("Foreslået antal")).to_be_visible()
    page.get_by_label("Justér antal").fill("3")
    page.get_by_role("button", name="Beregn risiko").click()
    expect(page.locator("#sizing")).to_contain_text("Valgt antal")
    expected = page.locator("#sizing .card").nth(2).locator(".figure").inner_text()
    assert re.fullmatch(r"\d+,\d", expected), expected  # "2,1": a decimal comma
    page.get_by_role("button", name="Indkald 3 borgere og send breve").click()
    expect(page.get_by_text("3 borgere er indkaldt, og brevene er lagt i")).to_be_visible()
    look(page, tmp_path, "callin-session")


def test_desk_undo_and_screens_that_refresh_by_themselves(browser, page, callin_server, tmp_path):
    base = callin_server.url
    app = callin_server.app
    session_id, names = _session_now(app)
    staff_login(page, base, "indkald")
    page.goto(f"{base}/indkald/{session_id}/skranke")
    expect(page.get_by_role("heading", name=re.compile("^Skranke"))).to_be_visible()
    expect(page.locator("#board-note")).to_be_visible()  # live.js runs (no inline script)
    look(page, tmp_path, "callin-desk")

    # check-in, then undo it (within the minutes)
    page.get_by_role("button", name=f"Mødt – {names[0]}").click()
    expect(page.get_by_text(re.compile(f"{names[0]} er mødt. Send borgeren til"))).to_be_visible()
    undo = page.get_by_role("button", name=f"Fortryd fremmøde – {names[0]}")
    expect(undo).to_be_visible()
    look(page, tmp_path, "callin-desk-arrived")
    assert fits_at_390(page), "the desk scrolls sideways at 390 px"
    undo.click()
    expect(page.get_by_text(f"Fremmødet for {names[0]} er fortrudt.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Mødt – {names[0]}")).to_be_visible()

    # the caseworker's "Min kø" in another window, free for now
    other = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    queue = other.new_page()
    staff_login(queue, base, "sagsbehandler")
    queue.goto(f"{base}/sagsbehandler/koe")
    mine = queue.locator("#queue section").filter(has_text="Skranken, stuen")
    expect(mine).to_contain_text("Skranken sender den næste borger til dig.")
    look(queue, tmp_path, "caseworker-queue")

    # another desk checks a citizen in: both screens show it without a reload
    page.evaluate("window.__stillHere = true")
    queue.evaluate("window.__stillHere = true")
    with app.app_context(), db.fresh_session() as s:
        settings = app.extensions["rettidig_settings"].callin
        # another invitee than names[0], who must stay a no-show for the phone list below
        # (the board lists invitees by name, so "the last form" could be names[0]'s)
        action = page.get_by_role("button", name=f"Mødt – {names[1]}").evaluate(
            "button => button.form.action"
        )
        invitation_id = int(action.rstrip("/").split("/")[-2])
        arrived = check_in(s, invitation_id, settings, now=datetime.now(UTC), staff_id=None)
        name = arrived.invitation.citizen.name
    expect(page.locator("#board")).to_contain_text(f"Fortryd fremmøde – {name}", timeout=LIVE)
    expect(page.locator("#board-note")).to_contain_text("Sidst opdateret kl.")
    expect(mine).to_contain_text(f"Du taler med {name}", timeout=LIVE)
    assert page.evaluate("window.__stillHere") and queue.evaluate("window.__stillHere")
    look(queue, tmp_path, "caseworker-queue-busy")
    assert fits_at_390(queue), "Min kø scrolls sideways at 390 px"
    other.close()

    # close early: the others go to the phone list, with real deadlines
    page.get_by_label("Ja, luk før tidsrummet er slut").check()
    page.get_by_role("button", name="Luk indkaldet").click()
    expect(page.get_by_role("heading", name="Ringeliste")).to_be_visible()
    call = page.locator("section.call").filter(has_text=names[0])
    expect(call).not_to_contain_text("Ingen åben samtale")
    look(page, tmp_path, "callin-phone-list")
    call.get_by_role("button", name="Gem opkald").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Opkaldet til {names[0]} er ikke gemt")
    expect(page.get_by_role("alert")).to_contain_text("Vælg resultatet af opkaldet.")
    look(page, tmp_path, "callin-phone-missing-outcome")
    call = page.locator("section.call").filter(has_text=names[0])
    call.get_by_label("Ikke truffet (indkaldes igen)").check()
    call.get_by_role("button", name="Gem opkald").click()
    expect(page.get_by_text(re.compile("^Opkaldet er registreret"))).to_be_visible()

    page.goto(base + "/indkald/tal")
    expect(page.get_by_role("img", name="Fremmøde pr. afsluttet fælles indkald")).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("^Ressourceforløbsborgere med en samtale"))
    ).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Borgere i ressourceforløb")
    look(page, tmp_path, "callin-figures")


def test_caseworker_sees_the_queue(page, callin_server, tmp_path):
    staff_login(page, callin_server.url, "sagsbehandler")
    page.get_by_role("link", name="Min kø").click()
    expect(page.get_by_role("heading", name=re.compile("^Min kø i dag"))).to_be_visible()
    expect(page.get_by_text(re.compile("Fælles indkald kl. 09:00–13:00"))).to_be_visible()
    look(page, tmp_path, "caseworker-queue-demo")
