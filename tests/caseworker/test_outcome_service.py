"""The outcome service called directly: it commits by itself (checked from a second session),
tells the plan core what to re-plan, sends and withdraws the right letters, and judges "the
same day" by the local calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import Booking, BookingState, Citizen, OutboxMessage, Role, Slot, StaffUser
from booking.services.calendar_days import local_datetime
from booking.services.clock import now_utc, zone
from booking.services.errors import NotFound
from booking.services.outcomes import (
    BookingOutcome,
    OutcomeError,
    allowed_outcomes,
    record_outcome,
    undo_allowed,
    undo_outcome,
)
from tests import factories

from .conftest import build, obligation_state


def _staff_id(app, username: str) -> int:
    with app.app_context(), db.fresh_session() as s:
        return s.scalars(select(StaffUser.id).where(StaffUser.username == username)).one()


def test_no_show_commits_and_names_what_to_replan(app):
    world = build(app)
    staff = _staff_id(app, world.cw_user)
    with app.app_context(), db.fresh_session() as s:
        result = record_outcome(
            s,
            world.booking_id,
            "no_show",
            staff_id=staff,
            now=now_utc(),
            settings=app.extensions["rettidig_settings"],
        )
    assert result.obligation_reopened and result.unit_id == world.unit_id
    assert result.event_replan_detail == {
        "reason": "booking_no_show",
        "booking_id": world.booking_id,
        "citizen_id": world.citizen_id,
        "obligation_id": world.ob_id,
    }
    with app.app_context(), db.fresh_session() as s:
        assert s.get(Booking, world.booking_id).state == BookingState.no_show
        assert s.get(Citizen, world.citizen_id).missed_count == 1
    assert obligation_state(app, world.ob_id).value == "open"


def test_held_reopens_nothing(app):
    world = build(app)
    with app.app_context(), db.fresh_session() as s:
        result = record_outcome(
            s,
            world.booking_id,
            BookingOutcome.held,
            staff_id=_staff_id(app, world.manager_user),
            now=now_utc(),
            settings=app.extensions["rettidig_settings"],
        )
    assert not result.obligation_reopened and result.event_replan_detail is None


def test_undoing_the_jobcentres_cancellation_withdraws_the_letter_and_confirms_anew(app):
    world = build(app, when="future")
    staff = _staff_id(app, world.cw_user)
    settings = app.extensions["rettidig_settings"]
    now = now_utc()
    with app.app_context(), db.fresh_session() as s:
        record_outcome(
            s,
            world.booking_id,
            "cancelled_by_jobcentre",
            staff_id=staff,
            now=now,
            settings=settings,
        )
        cancel = s.scalars(select(OutboxMessage).where(OutboxMessage.ics_method == "CANCEL"))
        assert len(cancel.all()) == 1
        result = undo_outcome(s, world.booking_id, staff_id=staff, now=now, settings=settings)
    assert result.undone and not result.obligation_reopened
    with app.app_context(), db.fresh_session() as s:
        booking = s.get(Booking, world.booking_id)
        assert booking.state == BookingState.booked and booking.ical_sequence == 2
        methods = s.scalars(
            select(OutboxMessage.ics_method).where(
                OutboxMessage.dedupe_key.like(f"booking:{booking.id}:%")
            )
        ).all()
        assert "CANCEL" not in methods and methods.count("REQUEST") == 1
        reminders = s.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("reminder:%"))
        ).all()
        assert reminders and all(f":{booking.ical_sequence}:" in key for key in reminders)


def test_refusals_change_nothing(app):
    world = build(app, when="future")
    settings = app.extensions["rettidig_settings"]
    staff = _staff_id(app, world.cw_user)
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(OutcomeError) as err:
            record_outcome(
                s, world.booking_id, "held", staff_id=staff, now=now_utc(), settings=settings
            )
        assert err.value.code == "too_early"
        with pytest.raises(OutcomeError) as err:
            record_outcome(
                s, world.booking_id, "later", staff_id=staff, now=now_utc(), settings=settings
            )
        assert err.value.code == "unknown_outcome"
        with pytest.raises(NotFound):
            record_outcome(s, 10**6, "held", staff_id=staff, now=now_utc(), settings=settings)
        with pytest.raises(OutcomeError) as err:
            undo_outcome(s, world.booking_id, staff_id=staff, now=now_utc(), settings=settings)
        assert err.value.code == "nothing_to_undo"
        planner = factories.staff(s, Role.planner)
        s.commit()
        with pytest.raises(OutcomeError) as err:
            record_outcome(
                s,
                world.booking_id,
                "cancelled_by_citizen",
                staff_id=planner.id,
                now=now_utc(),
                settings=settings,
            )
        assert err.value.code == "not_yours"
    with app.app_context(), db.fresh_session() as s:
        assert s.get(Booking, world.booking_id).state == BookingState.booked


def _local(day_offset: int, hh: int, mm: int) -> datetime:
    day = datetime.now(zone()).date() + timedelta(days=day_offset)
    return local_datetime(day, time(hh, mm)).astimezone(UTC)


def test_the_same_day_is_the_local_day():
    booking = Booking(state=BookingState.no_show, outcome_at=_local(0, 0, 30))
    assert undo_allowed(booking, _local(0, 23, 59))
    assert not undo_allowed(booking, _local(1, 0, 1))
    late = Booking(state=BookingState.attended, outcome_at=_local(0, 23, 50))
    assert not undo_allowed(late, _local(1, 0, 5))  # ten minutes later, but the next day
    assert not undo_allowed(Booking(state=BookingState.booked), _local(0, 12, 0))


def test_cancellations_are_offered_before_the_start_held_and_no_show_after():
    slot = Slot(starts_at=_local(0, 10, 0), minutes=30)
    booking = Booking(state=BookingState.booked, slot=slot)
    assert allowed_outcomes(booking, _local(0, 9, 59)) == (
        BookingOutcome.cancelled_by_citizen,
        BookingOutcome.cancelled_by_jobcentre,
    )
    assert allowed_outcomes(booking, _local(0, 10, 0)) == tuple(BookingOutcome)
