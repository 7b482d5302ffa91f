"""The live plan: the solver places cases, reaching its own proven bound; planners adjust."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

import solver
from booking.models import MaterialState, RehabCase, RehabCaseState, RehabMeeting
from booking.services.rehab import assign
from booking.services.rehab.schedule import closed_between
from tests import factories

TODAY = date(2027, 3, 1)  # a Monday
CLOSED = closed_between(TODAY, TODAY + timedelta(days=120))
SETTINGS = solver.SolverSettings(time_limit_s=10, num_workers=1)


@pytest.fixture
def world(session):
    unit = factories.unit(session)
    citizens = [factories.citizen(session, unit, group="job_clarification") for _ in range(12)]
    meetings = [
        RehabMeeting(date=TODAY + timedelta(days=d), capacity=2) for d in (15, 17, 22, 24, 29, 31)
    ]  # Tue/Thu from 16 March
    session.add_all(meetings)
    cases = []
    for i, citizen in enumerate(citizens):
        start = TODAY - timedelta(days=14 - i)
        cases.append(
            RehabCase(
                citizen_id=citizen.id,
                ready_date=start + timedelta(days=7),
                deadline=start + timedelta(days=28),
            )
        )
    session.add_all(cases)
    session.flush()
    return {"meetings": meetings, "cases": cases}


def _problem(session, world):
    return solver.load_problem(
        assign.rehab_problem(
            [
                {"id": f"m-{m.id}", "date": m.date, "capacity": m.capacity}
                for m in world["meetings"]
            ],
            [
                {"id": f"r-{c.id}", "ready": c.ready_date, "deadline": c.deadline}
                for c in world["cases"]
            ],
            today=TODAY,
            lead_days=14,
            closed=CLOSED,
        )
    )


def test_replan_reaches_the_solvers_proven_bound(session, world):
    summary = assign.replan(session, TODAY, lead_days=14, closed=CLOSED, settings=SETTINGS)
    bound = solver.upper_bound(_problem(session, world))["upper_bound_on_time"]
    assert summary.on_time == bound == summary.bound
    assert summary.status == "optimal"
    assert summary.on_time + summary.late + summary.unplanned == 12
    per_meeting = {}
    for case in world["cases"]:
        if case.meeting_id is not None:
            per_meeting[case.meeting_id] = per_meeting.get(case.meeting_id, 0) + 1
            meeting = session.get(RehabMeeting, case.meeting_id)
            assert meeting.date - timedelta(days=14) >= max(case.ready_date, TODAY)
            assert case.state == RehabCaseState.assigned
        else:
            assert case.plan_note  # every unplaced case says why
    assert all(v <= 2 for v in per_meeting.values())


def test_locked_cases_keep_their_place_and_capacity(session, world):
    late_case = world["cases"][-1]
    last = world["meetings"][-1]
    late_case.meeting_id, late_case.locked, late_case.state = last.id, True, RehabCaseState.assigned
    session.flush()
    assign.replan(session, TODAY, lead_days=14, closed=CLOSED, settings=SETTINGS)
    assert late_case.meeting_id == last.id
    in_last = [c for c in world["cases"] if c.meeting_id == last.id]
    assert len(in_last) <= 2


def test_move_checks_capacity_lead_time_and_the_past(session, world, in_danish):
    assign.replan(session, TODAY, lead_days=14, closed=CLOSED, settings=SETTINGS)
    case = world["cases"][0]
    first = world["meetings"][0]
    full = next(
        m
        for m in world["meetings"]
        if sum(c.meeting_id == m.id for c in world["cases"]) == 2 and m.id != case.meeting_id
    )
    with pytest.raises(assign.MoveError) as err:
        assign.move(session, case, full, today=TODAY, lead_days=14, closed=CLOSED, staff_id=1)
    assert re.search("fuldt", in_danish(err.value))
    young = world["cases"][-1]  # ready 2027-03-04: material cannot reach the 16 March meeting
    with pytest.raises(assign.MoveError) as err:
        assign.move(session, young, first, today=TODAY, lead_days=14, closed=CLOSED, staff_id=1)
    assert re.search("Materialet kan ikke nå frem", in_danish(err.value))
    extra = RehabMeeting(date=TODAY + timedelta(days=16), capacity=1)  # due 3 March
    session.add(extra)
    session.flush()
    with pytest.raises(assign.MoveError) as err:
        assign.move(session, young, extra, today=TODAY, lead_days=14, closed=CLOSED, staff_id=1)
    assert re.search("Materialet kan ikke nå frem", in_danish(err.value))
    young.material_state = MaterialState.sent  # already at the region: the lead time is met
    assign.move(session, young, extra, today=TODAY, lead_days=14, closed=CLOSED, staff_id=1)
    assert young.meeting_id == extra.id and young.locked
    past = RehabMeeting(date=TODAY - timedelta(days=2), capacity=5)
    session.add(past)
    session.flush()
    with pytest.raises(assign.MoveError) as err:
        assign.move(session, case, past, today=TODAY, lead_days=14, closed=CLOSED, staff_id=1)
    assert re.search("allerede holdt", in_danish(err.value))
