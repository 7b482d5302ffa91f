"""The whole round on SQLite and PostgreSQL: a template saved, an absence over the booked
conversation handed to re-planning, the feed without it and with the shift."""

from __future__ import annotations

from datetime import time, timedelta

from icalendar import Calendar
from sqlalchemy import select

from booking.db import db
from booking.models import Booking, BookingState, Channel, PlanRun, Slot
from booking.services.clock import today_local
from booking.services.staff_time.absences import add_absence, hand_over
from booking.services.staff_time.week_plan import TemplateRow, save_template

from .conftest import at, build


def test_template_absence_hand_over_and_feed(db_app):
    world = build(db_app)
    settings = db_app.extensions["rettidig_settings"]
    rows = [TemplateRow(d, time(13), time(15), 60, Channel.video, None, False) for d in range(5)]
    with db_app.app_context(), db.fresh_session() as s:
        plan = save_template(s, world.cw_id, rows, start=today_local() + timedelta(days=1),
                             weeks=2, optional_closed=settings.calendar.optional_closed,
                             staff_id=None)
        published = list(s.scalars(select(Slot).where(Slot.caseworker_id == world.cw_id,
                                                      Slot.channel == Channel.video)))
        assert len(published) == plan.count > 0
        assert not any(x.self_bookable for x in published)
        absence_id = add_absence(s, world.cw_id, at(3, 0), at(4, 0), "Syg", staff_id=None)
        done = hand_over(s, world.cw_id, absence_id, staff_id=None, settings=settings,
                         schedule=lambda *a: None)
    assert [b.booking_id for b in done.cancelled] == [world.booking_id]
    with db_app.app_context(), db.fresh_session() as s:
        assert s.get(Booking, world.booking_id).state == BookingState.cancelled
        assert s.scalars(select(PlanRun)).one().trigger_detail["events"][0]["reason"] == (
            "caseworker_absence")
        # the absence closed the day's template times too
        day_slots = [x for x in s.scalars(select(Slot).where(Slot.caseworker_id == world.cw_id))
                     if at(3, 0) <= x.starts_at < at(4, 0) and x.id != world.booked_slot_id]
        assert day_slots == []
    text = db_app.test_client().get(f"/feed/{world.token}.ics").get_data(as_text=True)
    uids = {str(e["UID"]) for e in Calendar.from_ical(text).walk("VEVENT")}
    assert uids == {f"group-{world.session_id}-cw-{world.cw_id}@feed.rettidig"}
