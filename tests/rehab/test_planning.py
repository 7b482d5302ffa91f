"""The planner's services own their transactions: each write has committed when it returns
(seen from a second session), and a refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from booking.db import db
from booking.models import (
    AuditEntry,
    MaterialState,
    RehabCase,
    RehabCaseState,
    RehabClosure,
    RehabMeeting,
    RehabScenario,
    RehabSchedule,
    Role,
)
from booking.services.errors import NotFound
from booking.services.rehab import planning, scenarios
from booking.services.rehab.assign import MoveError, PlanError
from booking.services.rehab.schedule import ClosureImportError
from tests import factories
from tests.rehab.test_schedule import ICS

TODAY = date(2027, 3, 1)  # a Monday


@pytest.fixture
def plan(session):
    """Meetings A and B (one place each, both taken) and C (two places, empty); cases 0 and 1
    proposed for A and B, case 2 without a meeting. Committed."""
    unit = factories.unit(session)
    planner = factories.staff(session, Role.planner)
    people = [factories.citizen(session, unit, group="job_clarification") for _ in range(3)]
    a = RehabMeeting(date=TODAY + timedelta(days=22), capacity=1)  # Tue 23 March
    b = RehabMeeting(date=TODAY + timedelta(days=24), capacity=1)  # Thu 25 March
    c = RehabMeeting(date=TODAY + timedelta(days=29), capacity=2)  # Tue 30 March
    session.add_all([a, b, c])
    session.flush()
    deadline = TODAY + timedelta(days=28)
    cases = [
        RehabCase(
            citizen_id=people[0].id,
            ready_date=TODAY,
            deadline=deadline,
            meeting_id=a.id,
            state=RehabCaseState.assigned,
        ),
        RehabCase(
            citizen_id=people[1].id,
            ready_date=TODAY,
            deadline=deadline,
            meeting_id=b.id,
            state=RehabCaseState.assigned,
        ),
        RehabCase(citizen_id=people[2].id, ready_date=TODAY, deadline=deadline),
    ]
    session.add_all(cases)
    session.commit()
    return SimpleNamespace(
        staff_id=planner.id, a=a.id, b=b.id, c=c.id, cases=[case.id for case in cases]
    )


def audits(action: str) -> int:
    with db.fresh_session() as other:
        return (
            other.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action)) or 0
        )


def stored_case(case_id: int) -> RehabCase:
    with db.fresh_session() as other:
        return other.get(RehabCase, case_id)


def count(model) -> int:
    with db.fresh_session() as other:
        return other.scalar(select(func.count(model.id))) or 0


# --- accept, move, material sent --------------------------------------------------------------


def test_accept_case_commits_by_itself(session, plan):
    planning.accept_case(session, plan.cases[0], staff_id=plan.staff_id)
    assert stored_case(plan.cases[0]).locked
    assert audits("rehab_accepted") == 1


def test_accept_without_a_meeting_is_refused_and_changes_nothing(session, plan):
    with pytest.raises(MoveError) as err:
        planning.accept_case(session, plan.cases[2], staff_id=plan.staff_id)
    assert err.value.code == "no_meeting_to_accept"
    case = stored_case(plan.cases[2])
    assert not case.locked and case.state == RehabCaseState.open
    assert audits("rehab_accepted") == 0


def test_move_case_commits_by_itself(session, plan, settings):
    meeting = planning.move_case(
        session, plan.cases[2], plan.c, staff_id=plan.staff_id, settings=settings, today=TODAY
    )
    assert meeting.id == plan.c
    case = stored_case(plan.cases[2])
    assert case.meeting_id == plan.c and case.locked and case.state == RehabCaseState.assigned
    assert audits("rehab_moved") == 1


def test_a_refused_move_changes_nothing(session, plan, settings):
    with pytest.raises(MoveError) as err:
        planning.move_case(
            session, plan.cases[0], plan.b, staff_id=plan.staff_id, settings=settings, today=TODAY
        )
    assert err.value.code == "meeting_full"
    case = stored_case(plan.cases[0])
    assert case.meeting_id == plan.a and not case.locked
    assert audits("rehab_moved") == 0
    assert not session.new and not session.dirty  # the unit of work was rolled back


def test_material_that_cannot_arrive_refuses_the_move_with_the_dates(session, plan, settings):
    soon = RehabMeeting(date=TODAY + timedelta(days=8), capacity=3)  # material due 23 Feb
    session.add(soon)
    session.commit()
    with pytest.raises(MoveError) as err:
        planning.move_case(
            session, plan.cases[2], soon.id, staff_id=plan.staff_id, settings=settings, today=TODAY
        )
    assert err.value.code == "material_too_late"
    assert err.value.params == {"due": date(2027, 2, 23), "ready": TODAY}
    assert stored_case(plan.cases[2]).meeting_id is None


@pytest.mark.parametrize("meeting", [None, 999999, "past"])
def test_moving_to_no_upcoming_meeting_is_refused(session, plan, settings, meeting):
    if meeting == "past":
        held = RehabMeeting(date=TODAY - timedelta(days=1), capacity=5)
        session.add(held)
        session.commit()
        meeting = held.id
    with pytest.raises(MoveError) as err:
        planning.move_case(
            session, plan.cases[2], meeting, staff_id=plan.staff_id, settings=settings, today=TODAY
        )
    assert err.value.code == "choose_upcoming_meeting"
    assert stored_case(plan.cases[2]).meeting_id is None


def test_mark_material_sent_commits_by_itself(session, plan):
    planning.mark_material_sent(session, plan.cases[0], staff_id=plan.staff_id)
    case = stored_case(plan.cases[0])
    assert case.material_state == MaterialState.sent and case.locked
    assert case.material_sent_at is not None
    assert audits("rehab_material_sent") == 1


def test_material_sent_without_a_meeting_is_refused_and_changes_nothing(session, plan):
    with pytest.raises(PlanError) as err:
        planning.mark_material_sent(session, plan.cases[2], staff_id=plan.staff_id)
    assert err.value.code == "no_meeting_yet"
    assert stored_case(plan.cases[2]).material_state == MaterialState.preparing
    assert audits("rehab_material_sent") == 0


def test_a_missing_case_is_not_found(session, plan, settings):
    with pytest.raises(NotFound):
        planning.accept_case(session, 999999, staff_id=plan.staff_id)
    with pytest.raises(NotFound):
        planning.move_case(
            session, 999999, plan.c, staff_id=plan.staff_id, settings=settings, today=TODAY
        )
    with pytest.raises(NotFound):
        planning.mark_material_sent(session, 999999, staff_id=plan.staff_id)


def test_plan_page_shows_meetings_lines_and_alerts(session, plan, settings):
    page = planning.plan_page(session, settings, today=TODAY)
    assert [m.meeting.id for m in page.meetings] == [plan.a, plan.b, plan.c]
    assert [line.case.id for line in page.lines] == plan.cases
    assert [line.case.id for line in page.at_risk] == [plan.cases[2]]  # no meeting: at risk
    assert page.alerts == [] and page.planned is None


# --- fixed meetings, generated meetings, closures ---------------------------------------------


def test_add_schedule_and_generate_commit_by_themselves(session, plan):
    planning.add_schedule(session, weekday=1, capacity=4, location="Rådhuset", valid_from=TODAY)
    assert count(RehabSchedule) == 1
    before = count(RehabMeeting)
    result = planning.generate(session, weeks=4, today=TODAY, optional_closed=())
    assert len(result.created) == 3  # four Tuesdays, one of them (23 March) already taken
    assert count(RehabMeeting) == before + 3


def test_add_closure_commits_and_removes_empty_meetings(session, plan):
    result = planning.add_closure(
        session,
        start=TODAY + timedelta(days=22),
        end=TODAY + timedelta(days=30),
        reason="Kursus",
        today=TODAY,
    )
    assert [m.id for m in result.removed] == [plan.c]  # A and B hold cases: kept
    assert count(RehabClosure) == 1
    with db.fresh_session() as other:
        assert other.get(RehabMeeting, plan.c) is None
        assert other.get(RehabMeeting, plan.a) is not None


def test_import_closure_file_commits_by_itself(session, plan):
    result = planning.import_closure_file(session, ICS, today=TODAY)
    assert len(result.closures) == 2 and result.removed == []
    assert count(RehabClosure) == 2


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"not a calendar", "not_icalendar"), (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "no_events")],
)
def test_a_refused_import_changes_nothing(session, plan, data, code):
    with pytest.raises(ClosureImportError) as err:
        planning.import_closure_file(session, data, today=TODAY)
    assert err.value.code == code
    assert count(RehabClosure) == 0 and count(RehabMeeting) == 3


# --- scenarios -------------------------------------------------------------------------------

FORM = {
    "name": "Tre møder",
    "meetings_per_week": "3",
    "places_per_meeting": "5",
    "lead_days": "14",
    "inflow_per_week": "12,5",
    "weeks": "8",
    "closed_weeks": "30; 29, 29",
    "csrf_token": "ignored",
}


def test_new_scenario_commits_by_itself_and_enqueues_nothing(session, plan, settings):
    scenario = scenarios.new_scenario(
        session, FORM, rehab=settings.rehab, staff_id=plan.staff_id, today=TODAY
    )
    with db.fresh_session() as other:
        stored = other.get(RehabScenario, scenario.id)
        assert stored.name == "Tre møder" and stored.result is None  # not projected here
        assert stored.params["start"] == "2027-03-08"  # next week's Monday
        assert stored.params["inflow_per_week"] == 12.5
        assert stored.params["closed_weeks"] == [29, 30]
        assert stored.params["runs"] == settings.rehab.projection_runs
    assert audits("rehab_scenario_created") == 1


def test_a_bad_scenario_reports_every_field_and_stores_nothing(session, plan, settings):
    bad = {**FORM, "name": " ", "meetings_per_week": "9", "inflow_per_week": "mange"}
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.new_scenario(
            session, bad, rehab=settings.rehab, staff_id=plan.staff_id, today=TODAY
        )
    found = {field: (e.code, e.params) for field, e in err.value.fields.items()}
    assert found == {
        "name": ("name_required", {"most": 120}),
        "meetings_per_week": ("out_of_range", {"low": 1, "high": 5}),
        "inflow_per_week": ("not_a_number", {}),
    }
    assert count(RehabScenario) == 0


def test_a_taken_scenario_name_is_refused(session, plan, settings):
    scenarios.new_scenario(session, FORM, rehab=settings.rehab, staff_id=None, today=TODAY)
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.new_scenario(session, FORM, rehab=settings.rehab, staff_id=None, today=TODAY)
    assert err.value.fields["name"].code == "name_taken"
    assert count(RehabScenario) == 1


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("lead_days", "3,5", "not_whole"),
        ("weeks", "nan", "not_a_number"),
        ("inflow_per_week", "inf", "not_a_number"),
        ("places_per_meeting", "", "not_a_number"),
        ("closed_weeks", "54", "closed_weeks_format"),
        ("closed_weeks", "29 30", "closed_weeks_format"),
    ],
)
def test_scenario_input_rules(field, text, code):
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.parse_params({**FORM, field: text}, start=TODAY, seed=1, runs=1)
    assert err.value.fields[field].code == code


def test_whole_numbers_may_carry_a_zero_decimal():
    params = scenarios.parse_params({**FORM, "lead_days": "7,0"}, start=TODAY, seed=1, runs=1)
    assert params.lead_days == 7 and isinstance(params.lead_days, int)
