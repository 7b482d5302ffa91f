"""The plan's verdict on a case is stored as a code (not a sentence) and read in either language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import solver
from booking.blueprints.planner.messages import NOTES
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


def test_a_note_stored_as_text_before_codes_is_shown_as_it_was():
    assert notes.decode("Ikke planlagt") == PlanNote("legacy", {"text": "Ikke planlagt"})


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
        "Ingen plads til tiden: første mulige møde er 23-03-2027, 2 dage efter fristen.",
        "No place in time: the first possible meeting is 23-03-2027, 2 days after the deadline.",
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
        "Intet møde den 01-04-2027 eller senere.",
        "No meeting on or after 01-04-2027.",
    ),
    (
        PlanNote(
            "no_meeting_material",
            {"first": date(2027, 4, 1), "material_from": date(2027, 3, 18), "lead_days": 14},
        ),
        "Intet møde den 01-04-2027 eller senere (materialet kan sendes fra 18-03-2027 og skal "
        "være hos regionen 14 dage før mødet).",
        "No meeting on or after 01-04-2027 (the material can be sent from 18-03-2027 and must "
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
        "Møderne fra 23-03-2027 til 25-03-2027 har 2 pladser til 3 sager (2 optaget). Tilføj et "
        "møde eller flere pladser.",
        "The meetings from 23-03-2027 to 25-03-2027 have 2 places for 3 cases (2 taken). Add a "
        "meeting or more places.",
    ),
    (PlanNote("legacy", {"text": "Ikke planlagt (gammel)"}), "Ikke planlagt (gammel)", None),
]


@pytest.mark.parametrize(
    ("note", "danish", "english"), NOTE_TEXTS, ids=[n.code for n, _da, _en in NOTE_TEXTS]
)
def test_every_note_reads_in_danish_and_english(note, danish, english, in_danish, in_english):
    assert in_danish(note) == danish
    if english is not None:
        needs_translation(msgid_of(NOTES, note.code if note.code in NOTES else "unplanned"))
        assert in_english(note) == english
