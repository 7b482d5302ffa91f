"""The weekly template becomes slots: the preview and the save are the same computation, minus
Danish public holidays, the job centre's closed days and the caseworker's absences; saving
publishes exactly what was previewed and leaves booked times alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from booking.db import db
from booking.models import Absence, AuditEntry, Booking, Channel, ClosedDay, Slot, WorkTemplate
from booking.services.calendar_days import local_datetime
from booking.services.errors import FormErrors
from booking.services.staff_time.week_plan import (
    TemplateError,
    TemplateRow,
    current_rows,
    plan_weeks,
    save_template,
)

from .conftest import at

OPTIONAL = ("Grundlovsdag", "Juleaftensdag", "Nytårsaften")
EASTER_WEEK = date(2027, 3, 22)  # Monday; Skærtorsdag 25th, Langfredag 26th, 2. påskedag 29th


def _weekdays(start: time = time(9), end: time = time(12), minutes: int = 45,
              channel: Channel = Channel.in_person) -> list[TemplateRow]:
    return [TemplateRow(d, start, end, minutes, channel, "Jobcentret", True) for d in range(5)]


def _slots(s, cw_id: int, first: date | None = None) -> list[Slot]:
    stmt = select(Slot).where(Slot.caseworker_id == cw_id).order_by(Slot.starts_at)
    if first is not None:
        stmt = stmt.where(Slot.starts_at >= local_datetime(first, time()))
    return list(s.scalars(stmt))


def test_the_preview_leaves_out_easter_and_names_the_holidays(app, world):
    with app.app_context(), db.fresh_session() as s:
        plan = plan_weeks(s, world.cw_id, _weekdays(), EASTER_WEEK, 2, OPTIONAL)
    closed = {d.day: d.closed for w in plan.weeks for d in w.days if d.closed}
    assert closed == {date(2027, 3, 25): "Skærtorsdag", date(2027, 3, 26): "Langfredag",
                      date(2027, 3, 29): "Anden påskedag"}
    # 4 times a day (9.00, 9.45, 10.30, 11.15), 10 weekdays, 3 of them holidays
    assert plan.count == 7 * 4 and plan.lost_closed == 3 * 4 and plan.lost_absent == 0
    assert [w.week for w in plan.weeks] == [12, 13]
    first = plan.weeks[0].days[0]
    assert [s.starts_at.astimezone(local_datetime(first.day, time()).tzinfo).time()
            for s in first.slots] == [time(9), time(9, 45), time(10, 30), time(11, 15)]
    assert plan.new == plan.count and plan.removed == 0


def test_closed_days_and_absences_take_their_times(app, world):
    with app.app_context(), db.fresh_session() as s:
        s.add(ClosedDay(day=date(2027, 3, 23), reason="Personaledag"))
        # absent Wednesday 24 March from 9.30 to 11.00: 9.00, 9.45 and 10.30 overlap it
        s.add(Absence(caseworker_id=world.cw_id,
                      starts_at=local_datetime(date(2027, 3, 24), time(9, 30)).astimezone(UTC),
                      ends_at=local_datetime(date(2027, 3, 24), time(11)).astimezone(UTC)))
        s.commit()
        plan = plan_weeks(s, world.cw_id, _weekdays(), EASTER_WEEK, 1, OPTIONAL)
    days = {d.day: d for d in plan.weeks[0].days}
    assert days[date(2027, 3, 23)].closed == "Personaledag"
    assert days[date(2027, 3, 24)].absent == 3 and len(days[date(2027, 3, 24)].slots) == 1
    assert plan.count == 4 + 1  # Monday whole, Wednesday one; Tue closed, Thu/Fri holidays
    assert plan.lost_absent == 3 and plan.lost_closed == 12


def test_saving_publishes_what_the_preview_showed_and_a_second_save_changes_nothing(app, world):
    with app.app_context(), db.fresh_session() as s:
        preview = plan_weeks(s, world.cw_id, _weekdays(), EASTER_WEEK, 2, OPTIONAL)
        saved = save_template(s, world.cw_id, _weekdays(), start=EASTER_WEEK, weeks=2,
                              optional_closed=OPTIONAL, staff_id=None)
    assert saved.specs == preview.specs
    with app.app_context(), db.fresh_session() as s:
        published = _slots(s, world.cw_id, EASTER_WEEK)
        assert [x.starts_at for x in published] == [x.starts_at for x in preview.specs]
        assert {x.location for x in published} == {"Jobcentret"}
        assert len(current_rows(s, world.cw_id)) == 5
        again = plan_weeks(s, world.cw_id, _weekdays(), EASTER_WEEK, 2, OPTIONAL)
        assert (again.new, again.unchanged, again.removed) == (0, preview.count, 0)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "work_template_saved"))
        assert audit.one().detail["created"] == preview.count


def test_a_changed_template_updates_free_times_removes_others_and_keeps_booked(app, world):
    first = date.fromordinal(at(3, 0).date().toordinal())
    monday = first.fromordinal(first.toordinal() - first.weekday())
    with app.app_context(), db.fresh_session() as s:
        save_template(s, world.cw_id, _weekdays(), start=monday, weeks=1, optional_closed=(),
                      staff_id=None)
    with app.app_context(), db.fresh_session() as s:
        before = s.scalar(select(func.count()).select_from(Slot).where(
            Slot.caseworker_id == world.cw_id))
        # mornings only 9-10.30 by phone now: 9.00 and 9.45 change, 10.30 and 11.15 go
        rows = _weekdays(end=time(10, 30), channel=Channel.phone)
        plan = plan_weeks(s, world.cw_id, rows, monday, 1, ())
        assert plan.changed > 0 and plan.removed > 0
        save_template(s, world.cw_id, rows, start=monday, weeks=1, optional_closed=(),
                      staff_id=None)
    with app.app_context(), db.fresh_session() as s:
        booked = s.get(Slot, world.booked_slot_id)
        assert booked is not None and booked.channel == Channel.in_person  # booked: untouched
        assert s.get(Booking, world.booking_id).slot_id == world.booked_slot_id
        # the free 11.00 phone time is not in the template: gone (SQLite may reuse its id)
        assert at(3, 11) not in {x.starts_at for x in _slots(s, world.cw_id)}
        after = s.scalar(select(func.count()).select_from(Slot).where(
            Slot.caseworker_id == world.cw_id))
        assert after == before - plan.removed
        remaining = [x for x in _slots(s, world.cw_id, monday) if x.id != world.booked_slot_id]
        assert remaining and {x.channel for x in remaining} == {Channel.phone}


@pytest.mark.parametrize(
    ("rows", "code", "block"),
    [
        ([TemplateRow(0, time(12), time(9), 45, Channel.phone, None, True)], "end_before_start", 1),
        ([TemplateRow(0, time(9), time(9, 30), 45, Channel.phone, None, True)],
         "block_too_short", 1),
        ([TemplateRow(0, time(9), time(12), 45, Channel.phone, None, True),
          TemplateRow(0, time(11), time(13), 30, Channel.video, None, True)], "overlap", 2),
        ([TemplateRow(1, time(9), time(12), 4, Channel.phone, None, True)], "minutes_range", 1),
    ],
)
def test_refused_templates_name_the_block_and_change_nothing(app, world, rows, code, block):
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(FormErrors) as caught:
            save_template(s, world.cw_id, rows, start=EASTER_WEEK, weeks=1, optional_closed=(),
                          staff_id=None)
        problem = caught.value.fields[f"row-{block}"]
        assert isinstance(problem, TemplateError) and problem.code == code
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count()).select_from(WorkTemplate)) == 0
        assert _slots(s, world.cw_id, EASTER_WEEK) == []


def test_weeks_outside_one_to_twelve_are_refused(app, world):
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(TemplateError) as caught:
            plan_weeks(s, world.cw_id, _weekdays(), EASTER_WEEK, 13, ())
    assert caught.value.code == "weeks_range"


def test_a_dst_week_keeps_local_times(app, world):
    """The week summer time begins (28 March 2027): 9.00 stays 9.00 local on both sides."""
    with app.app_context(), db.fresh_session() as s:
        plan = plan_weeks(s, world.cw_id, _weekdays(), date(2027, 3, 22), 2, ())
    tz = local_datetime(date(2027, 3, 22), time()).tzinfo
    firsts = {d.day: d.slots[0].starts_at.astimezone(tz).time() for w in plan.weeks
              for d in w.days if d.slots}
    assert set(firsts.values()) == {time(9)}
    utc_hours = {d.slots[0].starts_at.hour for w in plan.weeks for d in w.days if d.slots}
    assert utc_hours == {8, 7} and datetime(2027, 3, 30, 7, tzinfo=UTC) in [
        d.slots[0].starts_at for w in plan.weeks for d in w.days if d.slots]
