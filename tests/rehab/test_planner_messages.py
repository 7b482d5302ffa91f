"""Every refusal a planner can meet reads in Danish, and in English after /sprog/en, on the page.

English texts of messages new in this change are checked once the translation catalogue holds
them (until then those cases are skipped with the message id as the reason)."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from babel.dates import format_date

from booking.db import db
from booking.models import RehabCase, RehabMeeting, Role
from booking.services.clock import today_local
from booking.services.rehab import notes
from tests import factories
from tests.conftest import make_app
from tests.rehab.conftest import needs_translation

USERNAME = "planlaegger-msg"


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("planner-messages") / "m.sqlite3"
    app = make_app(f"sqlite:///{path}")
    today = today_local()
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        factories.staff(s, Role.planner, username=USERNAME)
        people = [factories.citizen(s, unit, group="job_clarification") for _ in range(2)]
        full = RehabMeeting(date=today + timedelta(days=30), capacity=1)
        soon = RehabMeeting(date=today + timedelta(days=3), capacity=5)
        s.add_all([full, soon])
        s.flush()
        placed = RehabCase(
            citizen_id=people[0].id,
            ready_date=today,
            deadline=today + timedelta(days=28),
            meeting_id=full.id,
            plan_note=notes.late(full.date, 2).encode(),
        )
        waiting = RehabCase(
            citizen_id=people[1].id, ready_date=today, deadline=today + timedelta(days=28)
        )
        s.add_all([placed, waiting])
        s.commit()
        app.config["WORLD"] = SimpleNamespace(
            full=full.id, full_date=full.date, soon=soon.id, waiting=waiting.id
        )
    return app


def _accept(client, w):
    return client.post(f"/planlaegning/sager/{w.waiting}/godkend", follow_redirects=True)


def _material(client, w):
    return client.post(f"/planlaegning/sager/{w.waiting}/materiale-sendt", follow_redirects=True)


def _move(meeting):
    def act(client, w):
        target = getattr(w, meeting) if isinstance(meeting, str) else meeting
        return client.post(
            f"/planlaegning/sager/{w.waiting}/flyt",
            data={"meeting_id": str(target)},
            follow_redirects=True,
        )

    return act


def _upload(data):
    def act(client, _w):
        return client.post(
            "/planlaegning/moeder/lukning/import",
            data={"file": (io.BytesIO(data), "luk.ics")},
            content_type="multipart/form-data",
        )

    return act


def _scenario(**changes):
    def act(client, _w):
        form = {
            "name": "Prøve",
            "meetings_per_week": "2",
            "places_per_meeting": "5",
            "lead_days": "14",
            "inflow_per_week": "12",
            "weeks": "8",
            "closed_weeks": "",
            **changes,
        }
        return client.post("/planlaegning/scenarier", data=form)

    return act


# (action, status, Danish, English, msgid of the English text)
CASES = {
    "no_meeting_to_accept": (
        _accept,
        200,
        "Sagen har ikke noget møde at godkende.",
        "The case has no meeting to accept.",
        "Sagen har ikke noget møde at godkende.",
    ),
    "no_meeting_yet": (
        _material,
        200,
        "Sagen har intet møde endnu; planlæg den først.",
        "The case has no meeting yet; plan it first.",
        "Sagen har intet møde endnu; planlæg den først.",
    ),
    "choose_upcoming_meeting": (
        _move(999999),
        200,
        "Vælg et af de kommende møder.",
        "Choose one of the upcoming meetings.",
        "Vælg et af de kommende møder.",
    ),
    "meeting_full": (
        _move("full"),
        200,
        "Mødet er fuldt.",
        "The meeting is full.",
        "Mødet er fuldt.",
    ),
    "material_too_late": (
        _move("soon"),
        200,
        "Materialet kan ikke nå frem: det skal være hos regionen senest",
        "The material cannot arrive in time: it must reach the region by",
        "Materialet kan ikke nå frem: det skal være hos regionen senest %(due)s, men sagen er "
        "først klar %(ready)s.",
    ),
    "not_icalendar": (
        _upload(b"ikke en kalender"),
        422,
        "Filen er ikke en gyldig iCalendar-fil (.ics).",
        "The file is not a valid iCalendar file (.ics).",
        "Filen er ikke en gyldig iCalendar-fil (.ics).",
    ),
    "no_events": (
        _upload(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
        422,
        "Filen indeholder ingen begivenheder (VEVENT).",
        "The file contains no events (VEVENT).",
        "Filen indeholder ingen begivenheder (VEVENT).",
    ),
    "out_of_range": (
        _scenario(meetings_per_week="9"),
        422,
        "Møder pr. uge: skal være mellem 1 og 5.",
        "Meetings per week: must be between 1 and 5.",
        "%(label)s: skal være mellem %(low)s og %(high)s.",
    ),
    "not_a_number": (
        _scenario(inflow_per_week="mange"),
        422,
        "Nye sager pr. uge: skriv et tal.",
        "New cases per week: enter a number.",
        "%(label)s: skriv et tal.",
    ),
    "not_whole": (
        _scenario(lead_days="3,5"),
        422,
        "Dage før mødet, materialet skal være hos regionen: skriv et helt tal.",
        "Days before the meeting that the material must reach the region: enter a whole number.",
        "%(label)s: skriv et helt tal.",
    ),
    "closed_weeks_format": (
        _scenario(closed_weeks="uge 29"),
        422,
        "Lukkede uger: skriv ugenumre (1–53) adskilt af komma.",
        "Closed weeks: enter week numbers (1–53) separated by commas.",
        "Lukkede uger: skriv ugenumre (1–53) adskilt af komma.",
    ),
    "name_required": (
        _scenario(name=""),
        422,
        "Giv scenariet et navn (højst 120 tegn).",
        "Give the scenario a name (at most 120 characters).",
        "Giv scenariet et navn (højst %(most)s tegn).",
    ),
}


@pytest.mark.parametrize("code", list(CASES))
def test_refusal_in_danish(planner_app, login, code):
    action, status, danish, _english, _msgid = CASES[code]
    client = login(planner_app, USERNAME)
    page = action(client, planner_app.config["WORLD"])
    assert page.status_code == status
    assert danish in page.text


@pytest.mark.parametrize("code", list(CASES))
def test_refusal_in_english_after_the_language_switch(planner_app, login, code):
    action, status, _danish, english, msgid = CASES[code]
    needs_translation(msgid)
    client = login(planner_app, USERNAME)
    client.get("/sprog/en")
    page = action(client, planner_app.config["WORLD"])
    assert page.status_code == status
    assert english in page.text and 'lang="en"' in page.text


def test_a_taken_scenario_name_in_danish_and_english(planner_app, login):
    client = login(planner_app, USERNAME)
    form = _scenario(name="Navnet er taget", weeks="1")
    assert form(client, None).status_code == 302
    page = form(client, None)
    assert page.status_code == 422
    assert "Der findes allerede et scenarie med det navn." in page.text
    needs_translation("Der findes allerede et scenarie med det navn.")
    client.get("/sprog/en")
    assert "A scenario with that name already exists." in form(client, None).text


def test_the_plan_note_on_the_home_page_in_danish_and_english(planner_app, login):
    world = planner_app.config["WORLD"]
    client = login(planner_app, USERNAME)
    page = client.get("/planlaegning/").text
    day = format_date(world.full_date, "d. MMM y", locale="da")
    assert f"Ingen plads til tiden: første mulige møde er {day}, 2 dage efter fristen." in page
    assert "Tilføj et møde før fristen" in page  # the action that fixes it, as a link
    assert "(0 ledige)" in page  # the move list shows the free places per meeting
    # "Flyt" never offers the meeting three days ahead: its material was due 11 days ago
    assert f'<option value="{world.soon}"' not in page
    needs_translation(
        "Ingen plads til tiden: første mulige møde er %(meeting)s, %(days)s dage efter fristen."
    )
    client.get("/sprog/en")
    page = client.get("/planlaegning/").text
    day = format_date(world.full_date, "d MMM y", locale="en")
    assert (
        f"No place in time: the first possible meeting is {day}, 2 days after the deadline." in page
    )
    needs_translation("%(date)s (%(free)s ledige)")
    assert "(0 free)" in page and "ledige" not in page
