# ruff: noqa: F811 - the "plan" fixture is imported from test_planning and used by name
"""The planner's case list as the service builds it: filters with counts, pages, the meetings
"Flyt" may offer (only those whose material can still reach the region), whether the plan is
out of date, and where the latest re-plan stands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from booking.models import MaterialState, RehabCase
from booking.services.rehab import jobs, planning, status
from tests.rehab.test_planning import TODAY, plan  # noqa: F401 - the fixture, used by name

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _page(session, settings, **kwargs):
    return planning.plan_page(session, settings, today=TODAY, now=NOW, **kwargs)


def test_filters_count_the_cases_and_show_only_theirs(session, plan, settings):
    page = _page(session, settings)
    assert page.show == "all" and page.counts["all"] == 3
    assert page.counts["unplanned"] == 1 and page.counts["at_risk"] == 1
    assert page.counts["material_due"] == len(page.alerts)
    unplanned = _page(session, settings, show="unplanned")
    assert [line.case.id for line in unplanned.lines] == [plan.cases[2]]
    assert unplanned.counts == page.counts  # the counts do not depend on the filter shown
    at_risk = _page(session, settings, show="at_risk")
    assert [line.case.id for line in at_risk.lines] == [plan.cases[2]]


def test_material_due_lists_the_cases_whose_material_is_due_within_the_alert_days(
    session, plan, settings
):
    # 12 March: meeting A (23 March) has its material due 9 March (passed), B 11 March (passed)
    page = planning.plan_page(
        session, settings, today=TODAY + timedelta(days=11), now=NOW, show="material_due"
    )
    assert [line.case.id for line in page.lines] == plan.cases[:2]
    assert all(line.material_overdue for line in page.lines)
    assert page.counts["material_due"] == 2


def test_an_unknown_filter_shows_all(session, plan, settings):
    assert _page(session, settings, show="<script>").show == "all"


def test_pages_split_the_list_and_clamp(session, plan, settings):
    first = _page(session, settings, per_page=2)
    assert first.pages == 2 and [line.case.id for line in first.lines] == plan.cases[:2]
    second = _page(session, settings, per_page=2, page=2)
    assert [line.case.id for line in second.lines] == plan.cases[2:]
    assert _page(session, settings, per_page=2, page=99).page == 2
    assert _page(session, settings, per_page=2, page=0).page == 1


def test_move_offers_only_meetings_with_a_place_whose_material_can_still_arrive(
    session, plan, settings
):
    page = _page(session, settings)
    options = {line.case.id: [m.meeting.id for m in line.options] for line in page.lines}
    assert options[plan.cases[0]] == [plan.a, plan.c]  # its own meeting (full) and C
    assert options[plan.cases[2]] == [plan.c]  # A and B are full
    # 12 March: A's material was due 9 March and B's 11 March; C's is due 16 March
    later = planning.plan_page(session, settings, today=TODAY + timedelta(days=11), now=NOW)
    options = {line.case.id: [m.meeting.id for m in line.options] for line in later.lines}
    assert options[plan.cases[0]] == [plan.c]
    assert all(line.deadline_passed is False for line in later.lines)


def test_move_offers_any_meeting_with_a_place_once_the_material_is_sent(
    session, plan, settings
):
    session.execute(
        update(RehabCase)
        .where(RehabCase.id == plan.cases[0])
        .values(material_state=MaterialState.sent)
    )
    session.commit()
    later = planning.plan_page(session, settings, today=TODAY + timedelta(days=11), now=NOW)
    options = {line.case.id: [m.meeting.id for m in line.options] for line in later.lines}
    assert options[plan.cases[0]] == [plan.a, plan.c]


def test_a_passed_deadline_is_flagged(session, plan, settings):
    page = planning.plan_page(session, settings, today=TODAY + timedelta(days=29), now=NOW)
    assert all(line.deadline_passed for line in page.lines)


def test_the_plan_is_out_of_date_after_meetings_change_until_it_is_re_made(
    session, plan, settings
):
    assert _page(session, settings).out_of_date is None
    planning.add_schedule(
        session, weekday=1, capacity=4, location=None, valid_from=TODAY, staff_id=plan.staff_id
    )
    stale = _page(session, settings).out_of_date
    assert stale is not None and stale.action == "rehab_schedule_added"
    assert stale.planned_at is None
    jobs.replan_rehab(session, settings, TODAY)
    assert _page(session, settings).out_of_date is None
    planning.generate(session, weeks=4, today=TODAY, optional_closed=(), staff_id=plan.staff_id)
    stale = _page(session, settings).out_of_date
    assert stale is not None and stale.action == "rehab_meetings_generated"
    assert stale.planned_at is not None and stale.changed_at >= stale.planned_at
    assert planning.schedule_page(session).out_of_date == stale


def test_generating_no_new_meeting_leaves_the_plan_current(session, plan, settings):
    planning.generate(session, weeks=4, today=TODAY, optional_closed=())  # no fixed meetings
    assert _page(session, settings).out_of_date is None


def test_a_closure_makes_the_plan_out_of_date(session, plan, settings):
    planning.add_closure(
        session, start=TODAY, end=TODAY + timedelta(days=40), reason="Ferie", today=TODAY
    )
    stale = _page(session, settings).out_of_date
    assert stale is not None and stale.action == "rehab_closure_added"


def test_replan_status_follows_the_job(session, plan, settings):
    assert status.replan_status(session, NOW).state == "idle"
    status.request_replan(session, staff_id=plan.staff_id)
    queued = status.replan_status(session, datetime.now(UTC))
    assert queued.state == "queued" and not queued.finished
    status.mark_started(session)
    assert status.replan_status(session, datetime.now(UTC)).state == "running"
    jobs.replan_rehab(session, settings, TODAY)
    done = status.replan_status(session, datetime.now(UTC))
    assert done.state == "done" and done.finished
    assert done.summary["on_time"] + done.summary["late"] + done.summary["unplanned"] == 3


def test_a_failed_or_lost_replan_is_reported(session, plan):
    status.request_replan(session, staff_id=plan.staff_id)
    later = datetime.now(UTC) + status.GIVE_UP + timedelta(minutes=1)
    assert status.replan_status(session, later).state == "lost"
    status.mark_failed(session, "RuntimeError: boom")
    failed = status.replan_status(session, datetime.now(UTC))
    assert failed.state == "failed" and failed.finished


def test_a_job_that_raises_records_the_failure(session, plan, settings):
    # a lead time the plan format refuses: the solver's problem check raises inside the job
    broken = settings.model_copy(
        update={"rehab": settings.rehab.model_copy(update={"lead_days": -5})}
    )
    status.request_replan(session, staff_id=plan.staff_id)
    with pytest.raises(Exception):  # noqa: B017,PT011 - whatever the solver raises
        jobs.replan_rehab(session, broken, TODAY)
    found = status.replan_status(session, datetime.now(UTC))
    assert found.state == "failed" and found.finished


def test_the_plan_page_carries_the_replan_state(session, plan, settings):
    status.request_replan(session, staff_id=plan.staff_id)
    page = planning.plan_page(session, settings, today=TODAY, now=datetime.now(UTC))
    assert page.replan is not None and page.replan.state == "queued"
    assert isinstance(page.today, date)
