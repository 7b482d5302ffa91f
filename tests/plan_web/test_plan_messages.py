"""Every refusal, move reason and unplanned code of the plan pages has its own Danish text
(and English once the catalogue has it), with its parameters filled in."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from booking.blueprints.plan import messages as texts
from booking.services.clock import today_local
from booking.services.planning import staff_actions
from booking.services.planning.errors import PlanningError
from booking.services.planning.pages import Conversation, ProposalRow, UnplannedRow

from .pages import BASE, start

MO = Path(__file__).resolve().parents[2] / "booking/translations/en/LC_MESSAGES/messages.mo"
YEAR = today_local().year  # a day of this year is shown without the year
DAY = f"{YEAR}-03-01"


def english(msgid: str) -> str | None:
    with MO.open("rb") as fh:
        found = read_mo(fh).get(msgid)
    return found.string if found is not None and found.string else None


PARAMS = {
    "not_ready": {"state": "queued"},
    "superseded": {},
    "unknown_proposals": {"proposals": [3]},
    "depends_on": {"proposals": [2], "needs": [1]},
    "stale": {"proposals": [1, 3]},
    "too_soon": {"proposals": [2], "lock_until": DAY},
    "seat_taken": {"proposals": [2], "slot": 9},
    "citizen_day_taken": {"proposals": [2], "day": DAY},
    "day_full": {"proposals": [2], "caseworker": 1, "day": DAY},
    "already_booked": {"proposals": [2]},
    "no_selection": {},
    "unknown_runs": {},
    "not_found": {"what": "plan_run"},
    "no_units": {},
    "unknown_unit": {"unit": "x"},
    "bad_weeks": {"weeks": "0", "max": 52},
}


def test_every_planning_code_has_a_message():
    assert set(PARAMS) == set(texts.MESSAGES)


@pytest.mark.parametrize("code", sorted(PARAMS))
def test_each_refusal_reads_in_danish_and_english_on_the_page(
    app, staff, login, monkeypatch, code
):
    client = login(app, "planner")
    [run_id] = start(client, staff.world.unit.id)

    def refuse(*_a, **_k):
        raise PlanningError(code, **PARAMS[code])

    monkeypatch.setattr(staff_actions, "accept_run", refuse)
    data = {"koersel": [str(run_id)], "godkend": "alle"}
    page = client.post(f"{BASE}/godkend", data=data, follow_redirects=True)
    assert page.status_code == 200
    with app.test_request_context():
        danish = texts.message(PlanningError(code, **PARAMS[code]))
        source = str(texts.MESSAGES[code])
    assert "%(" not in danish and danish in html.unescape(page.text)
    if code in ("stale", "too_soon", "citizen_day_taken"):
        assert "1. marts" in danish or "nr. 1, 3" in danish
    translated = english(source)
    if translated is None:
        pytest.fail("msgid not in the English catalogue")
    client.get("/sprog/en")
    page = client.post(f"{BASE}/godkend", data=data, follow_redirects=True)
    with app.test_request_context("/", headers={}):
        from flask import session

        session["lang"] = "en"
        shown = texts.message(PlanningError(code, **PARAMS[code]))
    assert shown != danish and shown in html.unescape(page.text)


WHO = {"pool": "caseworker", "caseworker": "w-3", "caseworker_id": 3,
       "caseworker_name": "Anne Hansen"}
UNIT = {"pool": "unit", "unit": "u-2", "unit_id": 2, "unit_name": "Jobcenter Nord"}
UNPLANNED = {
    "no_slot": [WHO, UNIT],
    "no_slot_from": [{**WHO, "from": DAY}, {**UNIT, "from": DAY}],
    "no_channel_slot": [{**WHO, "from": DAY, "channels": ["phone"]},
                        {**UNIT, "from": DAY, "channels": ["phone", "video"]}],
    "no_long_slot": [{**WHO, "from": DAY, "channels": ["in_person"], "minutes": 60},
                     {**UNIT, "from": DAY, "channels": ["in_person"], "minutes": 60}],
    "slots_used": [{**WHO, "channels": ["phone"], "minutes": 30, "slots": 7, "first": DAY,
                    "last": f"{YEAR}-03-12", "after_deadline": True, "taken": 5,
                    "day_limit": 2, "own": 0},
                   {**UNIT, "channels": ["phone"], "minutes": 30, "slots": 3, "first": DAY,
                    "last": f"{YEAR}-03-12", "after_deadline": False, "taken": 3,
                    "day_limit": 0, "own": 0}],
    "no_caseworker": [{"unit": 2, "unit_name": "Jobcenter Nord"}],
    "no_channel": [{"channels": ["in_person"]}],
    "channel_conflict": [{"channels": ["phone", "video"]}],
    "solver_error": [{"error": "MemoryError", "message": "out of memory"}],
    "unplanned": [{"text": "not placed"}],
}


def _who() -> Conversation:
    return Conversation(1, 2, "Borger Et", "010190-xxxx", "2. jobsamtale", "Job conversation 2",
                        date(YEAR, 3, 12), date(YEAR, 3, 12))


def test_every_unplanned_code_has_its_own_explanation_and_fix(app):
    from booking.services.planning.proposals import EXCLUDED_TEXT
    from solver.explain import CONVERSATION_CODES, ERROR_CODE, GENERAL_CODE

    assert set(UNPLANNED) == {*CONVERSATION_CODES, ERROR_CODE, GENERAL_CODE, *EXCLUDED_TEXT}
    seen = set()
    with app.test_request_context():
        for code, cases in UNPLANNED.items():
            for params in cases:
                why, action = texts.unplanned_texts(UnplannedRow(
                    _who(), code, {**params, "horizon_end": f"{YEAR}-04-26"}))
                assert why and action and "%(" not in why + action, code
                assert (why, action) not in seen, code
                seen.add((why, action))
        why, action = texts.unplanned_texts(UnplannedRow(_who(), "no_channel_slot", {
            **WHO, "from": DAY, "channels": ["phone"], "horizon_end": f"{YEAR}-03-12"}))
    assert why == ("Ingen telefontider hos den koordinerende sagsbehandler Anne Hansen mellem "
                   "1. marts og 12. marts.")
    assert action == "Åbn telefontider, eller flyt borgeren til puljen."


def _move(code: str, **params) -> ProposalRow:
    span = {"from": DAY, "to": f"{YEAR}-03-05", "deadline": f"{YEAR}-03-08"}
    return ProposalRow(1, "move", "proposed", _who(), None, None, True, code,
                       {**span, **params}, [], False)


MOVES = {
    "slot_unavailable": {},
    "on_time": {},
    "frees_seat": {"for_obligation": 4, "for_citizen": 2, "for_citizen_name": "Borger To",
                   "at_risk": False},
    "day_limit": {"max_per_day": 6},
    "citizen_day": {},
    "earlier": {"days": 4},
    "no_show_margin": {"show_probability": 0.7},
    "objective": {},
}


def test_every_move_reason_has_its_own_text(app):
    from booking.services.planning import proposals

    documented = {"slot_unavailable", "on_time", "frees_seat", "day_limit", "citizen_day",
                  "earlier", "no_show_margin", "objective"}
    assert set(MOVES) == documented and all(f"``{c}``" in proposals.__doc__ for c in documented)
    with app.test_request_context():
        shown = {code: texts.reason_text(_move(code, **params)) for code, params in MOVES.items()}
        at_risk = texts.reason_text(_move("frees_seat", **{**MOVES["frees_seat"],
                                                           "at_risk": True}))
    assert len(set(shown.values())) == len(MOVES)
    assert all(t and "%(" not in t for t in shown.values())
    assert shown["no_show_margin"].endswith("(sandsynlighed for fremmøde 70 %).")
    assert at_risk == (
        "Giver plads til Borger To, som ellers ikke får samtalen inden planlagt senest.")
    assert "1. marts" in shown["on_time"] and "5. marts" in shown["on_time"]


def test_stages_and_states_have_texts(app):
    with app.test_request_context():
        for stage in ("queued", "loading", "solving", "storing", "done", "failed"):
            assert texts.stage_text(stage) != stage
        for state in ("queued", "running", "done", "failed", "accepted", "superseded"):
            assert texts.state_text(state) != state
