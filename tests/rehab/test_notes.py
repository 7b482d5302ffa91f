"""The plan's verdict on a case is stored as a code (not a sentence) and read in either language."""

from __future__ import annotations

from datetime import date, timedelta

import flask
import pytest

import solver
from booking.blueprints.planner.messages import ACTIONS, NOTES, note_action
from booking.models import RehabCase, RehabMeeting
from booking.services.rehab import assign, notes
from booking.services.rehab.notes import PlanNote
from booking.services.rehab.schedule import closed_between
from tests import factories
from tests.rehab.conftest import msgid_of, needs_translation

TODAY = date(2027, 3, 1)
CLOSED = closed_between(TODAY, TODAY + timedelta(days=120))
SETTINGS = solver.SolverSettings(time_limit_s=10, num_workers=1)


def test_notes_round_trip_with_dates():
    note = notes.late(date(2027, 3, 23), 2)
    stored = note.encode()
    assert '"code": "late"' in stored and "2027-03-23" in stored
    assert notes.decode(stored) == note
    assert notes.decode(None) is None and notes.decode("") is None


def test_a_note_stored_as_free_text_before_codes_is_legacy():
    assert notes.decode("Ikke planlagt") == PlanNote("legacy", {"text": "Ikke planlagt"})


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (
            "meetings from 2026-12-15 to 2027-01-14 have 40 places for 59 cases",
            PlanNote(
                "no_capacity",
                {
                    "first_meeting": date(2026, 12, 15),
                    "last_meeting": date(2027, 1, 14),
                    "places": 40,
                    "cases": 59,
                },
            ),
        ),
        (
            "meetings from 2026-12-15 to 2027-01-14 have 40 places for 59 cases (3 taken); "
            "add a meeting or places",
            PlanNote(
                "no_capacity",
                {
                    "first_meeting": date(2026, 12, 15),
                    "last_meeting": date(2027, 1, 14),
                    "places": 40,
                    "cases": 59,
                    "taken": 3,
                },
            ),
        ),
        (
            "no rehabilitation meeting on or after 2027-04-01",
            PlanNote("no_meeting", {"first": date(2027, 4, 1)}),
        ),
        (
            "no rehabilitation meeting on or after 2027-04-01 (material can be sent from "
            "2027-03-18, lead time 14 days)",
            PlanNote(
                "no_meeting_material",
                {"first": date(2027, 4, 1), "material_from": date(2027, 3, 18), "lead_days": 14},
            ),
        ),
    ],
    ids=["capacity-old", "capacity", "no-meeting", "no-meeting-material"],
)
def test_an_english_solver_sentence_stored_before_codes_is_read_back_as_its_code(text, note):
    assert notes.decode(text) == note


def test_the_solver_sentences_read_back_are_the_ones_it_writes():
    params = {
        "first_meeting": "2027-03-23",
        "last_meeting": "2027-03-25",
        "places": 2,
        "cases": 3,
        "taken": 1,
    }
    sentence = solver.explain.reason_text("no_capacity", params)
    assert notes.decode(sentence) == PlanNote(
        "no_capacity",
        {
            "first_meeting": date(2027, 3, 23),
            "last_meeting": date(2027, 3, 25),
            "places": 2,
            "cases": 3,
            "taken": 1,
        },
    )


def test_replan_stores_every_solver_reason_as_a_known_code(session):
    """Too few places and a case whose material cannot reach any meeting: the solver's English
    reasons come back as codes with their figures, none as the general fallback."""
    unit = factories.unit(session)
    people = [factories.citizen(session, unit, group="job_clarification") for _ in range(4)]
    meetings = [RehabMeeting(date=TODAY + timedelta(days=d), capacity=1) for d in (22, 24)]
    session.add_all(meetings)
    session.flush()
    cases = [
        RehabCase(citizen_id=p.id, ready_date=TODAY, deadline=TODAY + timedelta(days=28))
        for p in people[:3]
    ] + [
        RehabCase(  # ready after the last meeting's material is due
            citizen_id=people[3].id,
            ready_date=TODAY + timedelta(days=20),
            deadline=TODAY + timedelta(days=40),
        )
    ]
    session.add_all(cases)
    session.flush()
    summary = assign.replan(session, TODAY, lead_days=14, closed=CLOSED, settings=SETTINGS)
    assert summary.unplanned == 2
    found = {c.id: notes.decode(c.plan_note) for c in cases if c.meeting_id is None}
    codes = {note.code for note in found.values()}
    assert codes == {"no_capacity", "no_meeting_material"}
    late_case = next(n for n in found.values() if n.code == "no_meeting_material")
    assert late_case.params["lead_days"] == 14
    full = next(n for n in found.values() if n.code == "no_capacity")
    assert full.params["places"] == 2 and full.params["first_meeting"] == meetings[0].date


def test_unknown_solver_reasons_become_the_general_code():
    assert notes.from_solver_reason("solver error: boom") == PlanNote("unplanned")
    assert notes.from_solver_reason(None) == PlanNote("unplanned")


NOTE_TEXTS = [
    (
        notes.late(date(2027, 3, 23), 2),
        "Ingen plads til tiden: første mulige møde er 23. mar. 2027, 2 dage efter fristen.",
        "No place in time: the first possible meeting is 23 Mar 2027, 2 days after the deadline.",
    ),
    (
        notes.MOVED_LATE,
        "Flyttet til et møde efter fristen.",
        "Moved to a meeting after the deadline.",
    ),
    (PlanNote("unplanned"), "Ikke planlagt", "Not planned"),
    (PlanNote("no_such_code"), "Ikke planlagt", "Not planned"),
    (
        PlanNote("no_meeting", {"first": date(2027, 4, 1)}),
        "Intet møde den 1. apr. 2027 eller senere.",
        "No meeting on or after 1 Apr 2027.",
    ),
    (
        PlanNote(
            "no_meeting_material",
            {"first": date(2027, 4, 1), "material_from": date(2027, 3, 18), "lead_days": 14},
        ),
        "Intet møde den 1. apr. 2027 eller senere (materialet kan sendes fra 18. mar. 2027 og "
        "skal være hos regionen 14 dage før mødet).",
        "No meeting on or after 1 Apr 2027 (the material can be sent from 18 Mar 2027 and must "
        "reach the region 14 days before the meeting).",
    ),
    (
        PlanNote(
            "no_capacity",
            {
                "first_meeting": date(2027, 3, 23),
                "last_meeting": date(2027, 3, 25),
                "places": 2,
                "cases": 3,
                "taken": 2,
            },
        ),
        "Møderne fra 23. mar. 2027 til 25. mar. 2027 har 2 pladser til 3 sager (2 optaget).",
        "The meetings from 23 Mar 2027 to 25 Mar 2027 have 2 places for 3 cases (2 taken).",
    ),
    (
        PlanNote(
            "no_capacity",
            {
                "first_meeting": date(2026, 12, 15),
                "last_meeting": date(2027, 1, 14),
                "places": 40,
                "cases": 59,
            },
        ),
        "Møderne fra 15. dec. 2026 til 14. jan. 2027 har 40 pladser til 59 sager.",
        "The meetings from 15 Dec 2026 to 14 Jan 2027 have 40 places for 59 cases.",
    ),
    # free text stored before codes is never shown raw (it may be English)
    (PlanNote("legacy", {"text": "no idea why"}), "Ikke planlagt", "Not planned"),
]

ACTION_TEXTS = [
    (
        notes.late(date(2027, 3, 23), 2),
        "Tilføj et møde før fristen 21. mar. 2027.",
        "Add a meeting before the deadline 21 Mar 2027.",
        "schedule",
    ),
    (
        notes.MOVED_LATE,
        "Flyt sagen til et møde før fristen 21. mar. 2027.",
        "Move the case to a meeting before the deadline 21 Mar 2027.",
        "move",
    ),
    (
        PlanNote("legacy", {"text": "no idea why"}),
        "Planlæg igen for at få sagen placeret.",
        "Plan again to place the case.",
        "replan",
    ),
    (
        PlanNote("no_meeting", {"first": date(2027, 4, 1)}),
        "Dan møder fra 1. apr. 2027.",
        "Create meetings from 1 Apr 2027.",
        "schedule",
    ),
    (
        PlanNote(
            "no_meeting_material",
            {"first": date(2027, 4, 1), "material_from": date(2027, 3, 18), "lead_days": 14},
        ),
        "Dan møder, der ligger mindst 14 dage efter 18. mar. 2027.",
        "Create meetings at least 14 days after 18 Mar 2027.",
        "schedule",
    ),
    (
        PlanNote(
            "no_capacity",
            {
                "first_meeting": date(2026, 12, 15),
                "last_meeting": date(2027, 1, 14),
                "places": 40,
                "cases": 59,
            },
        ),
        "Tilføj et møde eller flere pladser mellem 15. dec. 2026 og 14. jan. 2027.",
        "Add a meeting or more places between 15 Dec 2026 and 14 Jan 2027.",
        "schedule",
    ),
]


@pytest.mark.parametrize(
    ("note", "danish", "english", "target"),
    ACTION_TEXTS,
    ids=[n.code for n, _da, _en, _t in ACTION_TEXTS],
)
def test_every_note_has_the_action_that_fixes_it(app, note, danish, english, target):
    for lang, text in (("da", danish), ("en", english)):
        if lang == "en":
            code = note.code if note.code in ACTIONS else "unplanned"
            needs_translation(msgid_of({code: ACTIONS[code][0]}, code))
        with app.test_request_context():
            flask.session["lang"] = lang
            fix = note_action(note, date(2027, 3, 21))
        assert (fix.text, fix.target) == (text, target)


@pytest.mark.parametrize(
    ("note", "danish", "english"), NOTE_TEXTS, ids=[n.code for n, _da, _en in NOTE_TEXTS]
)
def test_every_note_reads_in_danish_and_english(note, danish, english, in_danish, in_english):
    assert in_danish(note) == danish
    if english is not None:
        shown = note.code if note.code in NOTES else "unplanned"
        if note.code == "no_capacity" and "taken" not in note.params:
            shown = "no_capacity_untold"
        needs_translation(msgid_of(NOTES, shown))
        assert in_english(note) == english
