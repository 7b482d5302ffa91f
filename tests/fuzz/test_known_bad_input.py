"""The bad input the probe of issue 13 sent, on SQLite and PostgreSQL: each one a 4xx with a
message (Danish first), none a 5xx, and nothing stored.

One demo municipality per database serves the whole module (it is read, and the few writes
tried here are refused).
"""

from __future__ import annotations

import io
import logging
import re
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text

from booking.db import db
from booking.models import (
    GroupSession,
    ProgrammePause,
    RehabCase,
    RehabClosure,
    RehabScenario,
)

from .world import World, build_world


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request, tmp_path_factory):
    if request.param == "sqlite":
        world = build_world(f"sqlite:///{tmp_path_factory.mktemp('bad') / 'bad.sqlite3'}")
        yield world
        with world.app.app_context():
            db.engine.dispose()
        return
    server = request.getfixturevalue("pg_server")
    name = f"rettidig_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        world = build_world(server.rsplit("/", 1)[0] + f"/{name}")
        yield world
        with world.app.app_context():
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def warnings_logged(world):
    """The app's warnings and errors while the test runs (a value the database refused is
    logged as a warning: it must not happen)."""
    records: list[logging.LogRecord] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Handler(logging.WARNING)
    world.app.logger.addHandler(handler)
    yield records
    world.app.logger.removeHandler(handler)


def count(world: World, model) -> int:
    with world.app.app_context(), db.fresh_session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# --- control characters ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["adm\x00in", "\x00", "a\x1bb", "x\x7f"])
def test_a_control_character_in_the_login_form_is_a_400_with_a_message(world, username):
    response = world.app.test_client().post("/login", data={"username": username, "password": "x"})
    assert response.status_code == 400
    assert "kontroltegn" in page_text(response)


def test_the_message_follows_the_chosen_language(world):
    client = world.app.test_client()
    client.get("/sprog/en")
    response = client.post("/login", data={"username": "a\x00", "password": "x"})
    assert response.status_code == 400 and '<html lang="en">' in response.get_data(as_text=True)


def test_control_characters_in_a_query_string_and_in_the_api(world, warnings_logged):
    staff = world.clients["admin"]
    assert staff.get("/borgere/", query_string={"q": "a\x00b"}).status_code == 400
    api = staff.get("/api/v1/me", query_string={"x": "\x01"})
    assert api.status_code == 400 and api.is_json
    assert "kontroltegn" in api.json["error"]["message"]
    assert staff.get("/borgere/", query_string={"q": "tab\tand\nline"}).status_code < 500
    assert warnings_logged == []


# --- numbers -----------------------------------------------------------------------------------

SCENARIO = {
    "name": "Ikke et tal",
    "meetings_per_week": "3",
    "places_per_meeting": "5",
    "lead_days": "14",
    "inflow_per_week": "12",
    "weeks": "8",
    "closed_weeks": "",
}


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e309"])
@pytest.mark.parametrize("field", ["inflow_per_week", "places_per_meeting", "lead_days"])
def test_the_scenario_form_refuses_non_finite_numbers(world, field, value):
    before = count(world, RehabScenario)
    response = world.clients["planner"].post(
        "/planlaegning/scenarier", data={**SCENARIO, "name": f"{field} {value}", field: value}
    )
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True) or "fejl" in page_text(response)
    assert count(world, RehabScenario) == before


def _case_id(world: World) -> int:
    with world.app.app_context(), db.fresh_session() as s:
        return int(s.scalars(select(RehabCase.id).order_by(RehabCase.id)).first() or 1)


def test_ids_too_large_for_the_database_in_query_strings_and_forms(world, warnings_logged):
    huge, big = "9" * 20, str(2**31)
    staff = world.clients["admin"]
    for value in (huge, big, "-" + big, "0"):
        assert staff.get("/sagsbehandler/", query_string={"caseworker": value}).status_code < 500
        assert staff.get("/sagsbehandler/koe", query_string={"caseworker": value}).status_code < 500
        compare = staff.get("/planlaegning/scenarier/sammenlign", query_string={"id": value})
        assert compare.status_code < 500
        move = world.clients["planner"].post(
            f"/planlaegning/sager/{_case_id(world)}/flyt", data={"meeting_id": value}
        )
        assert move.status_code < 500
    assert warnings_logged == []


# --- dates -------------------------------------------------------------------------------------


def _slot_page(world: World) -> str:
    client = world.clients["citizen"]
    found = re.search(r"/borger/samtale/\d+", client.get("/borger/").get_data(as_text=True))
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize(
    "week", ["9999-12-31", "9999-12-27", "0001-01-01", "2100-01-04", "99991231", "x", "2027-02-30"]
)
def test_a_week_the_slot_page_cannot_use_is_ignored_with_a_message(world, week, warnings_logged):
    response = world.clients["citizen"].get(_slot_page(world), query_string={"uge": week})
    assert response.status_code == 200
    assert "Vælg en af de viste uger." in page_text(response)
    assert warnings_logged == []


def test_a_law_change_date_outside_the_calendar_is_a_message(world):
    response = world.clients["manager"].get(
        "/ledelse/lovaendringer", query_string={"dato": "9999-12-31"}
    )
    assert response.status_code == 422
    assert "Datoen 9999-12-31 ligger uden for de år, tjenesten arbejder med" in page_text(response)


def _citizen_with_pause(world: World) -> tuple[int, int]:
    with world.app.app_context(), db.fresh_session() as s:
        pause = s.scalars(select(ProgrammePause).order_by(ProgrammePause.id)).first()
        assert pause is not None  # the world's caseworker added one
        return pause.programme.citizen_id, pause.id


def _pause_end(world: World, pause_id: int):
    with world.app.app_context(), db.fresh_session() as s:
        return s.get(ProgrammePause, pause_id).end_date


def test_a_date_outside_the_calendar_in_a_form_is_refused_and_changes_nothing(
    world, warnings_logged
):
    citizen_id, pause_id = _citizen_with_pause(world)
    before = (count(world, ProgrammePause), count(world, GroupSession))
    end_before = _pause_end(world, pause_id)
    for client, url, data in (
        (
            world.clients["caseworker"],
            f"/borgere/{citizen_id}/pauser/{pause_id}/slut",
            {"end": "9999-12-31"},
        ),
        (
            world.clients["callin"],
            "/indkald/ny",
            {"day": "0001-01-01", "start": "09:00", "end": "12:00"},
        ),
    ):
        response = client.post(url, data=data, follow_redirects=True)
        assert response.status_code < 500, url
        assert "ligger uden for de år, tjenesten arbejder med" in page_text(response), url
    assert (count(world, ProgrammePause), count(world, GroupSession)) == before
    assert _pause_end(world, pause_id) == end_before
    assert warnings_logged == []


# --- the closure .ics import --------------------------------------------------------------------

GOOD = (
    "UID:sommer-2027\r\nDTSTART;VALUE=DATE:20270712\r\nDTEND;VALUE=DATE:20270731\r\n"
    "SUMMARY:Sommer\r\n"
)

BAD_EVENTS = {
    "unreadable DTSTART": ("UID:b\r\nDTSTART:2027XX01\r\nSUMMARY:Jul\r\n", "startdato (DTSTART)"),
    "empty DTSTART": ("UID:b\r\nDTSTART:\r\nSUMMARY:Jul\r\n", "startdato (DTSTART)"),
    "DTSTART:P1D": ("UID:b\r\nDTSTART:P1D\r\nSUMMARY:Jul\r\n", "startdato (DTSTART)"),
    "unreadable DTEND": (
        "UID:b\r\nDTSTART;VALUE=DATE:20271223\r\nDTEND:juleaften\r\nSUMMARY:Jul\r\n",
        "slutdato (DTEND)",
    ),
    "DTEND before DTSTART": (
        "UID:b\r\nDTSTART;VALUE=DATE:20271223\r\nDTEND;VALUE=DATE:20271201\r\nSUMMARY:Jul\r\n",
        "slutter 2027-12-01, før den begynder 2027-12-23",
    ),
    "no DTSTART": ("UID:b\r\nDTEND;VALUE=DATE:20271224\r\nSUMMARY:Jul\r\n", "mangler en startdato"),
    "300-character UID": (
        "UID:" + "u" * 300 + "\r\nDTSTART;VALUE=DATE:20271223\r\nSUMMARY:Jul\r\n",
        "UID på mere end 255 tegn",
    ),
    "year 9999": ("UID:b\r\nDTSTART;VALUE=DATE:99991223\r\nSUMMARY:Jul\r\n", "uden for årene"),
    "NUL in UID": ("UID:b\x00c\r\nDTSTART;VALUE=DATE:20271223\r\nSUMMARY:Jul\r\n", "kontroltegn"),
    "bad DURATION": (
        "UID:b\r\nDTSTART;VALUE=DATE:20271223\r\nDURATION:lang\r\nSUMMARY:Jul\r\n",
        "varighed (DURATION)",
    ),
}


def _ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\n{body}END:VCALENDAR\r\n".encode()


@pytest.mark.parametrize("case", list(BAD_EVENTS))
def test_a_closure_file_with_one_bad_event_is_refused_whole(world, case, warnings_logged):
    event, words = BAD_EVENTS[case]
    before = count(world, RehabClosure)
    response = world.clients["planner"].post(
        "/planlaegning/moeder/lukning/import",
        data={"file": (io.BytesIO(_ics(GOOD, event)), "lukket.ics")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    shown = page_text(response)
    assert "Begivenhed nr. 2 (Jul)" in shown or "Begivenhed nr. 2 (b" in shown, shown[-2000:]
    assert words in shown and "Intet er importeret." in shown
    assert count(world, RehabClosure) == before  # the good first event was not written either
    assert warnings_logged == []
