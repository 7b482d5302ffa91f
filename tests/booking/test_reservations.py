"""Book, rebook, cancel: state, audit, outbox, idempotency, cutoff, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from booking.models import (
    AuditEntry,
    Booking,
    BookingState,
    ObligationState,
    OutboxChannel,
    OutboxMessage,
)
from booking.services import reservations
from booking.services.reservations import ReservationError
from tests import factories

from .conftest import add_obligation


def _book(session, world, settings, slot, key="k1", citizen=None, ob=None, **kw):
    return reservations.book(
        session,
        citizen_id=(citizen or world.citizen).id,
        obligation_id=(ob or world.ob).id,
        slot_id=slot.id,
        request_key=key,
        settings=settings,
        **kw,
    )


def _count(session, model, *where):
    return session.scalar(select(func.count(model.id)).where(*where))


def test_booking_books_audits_and_queues_mail_with_ics_and_reminders(session, world, settings):
    outcome = _book(session, world, settings, world.slots[3])
    booking = outcome.booking
    assert booking.state == BookingState.booked and booking.ical_sequence == 0
    session.refresh(world.ob)
    assert world.ob.state == ObligationState.booked
    assert _count(session, AuditEntry, AuditEntry.action == "booking_created") == 1
    mails = session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == OutboxChannel.email)
    ).all()
    confirmation = next(m for m in mails if m.ics)
    assert confirmation.ics_method == "REQUEST"
    cal = Calendar.from_ical(confirmation.ics)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(cal.events[0]["UID"]) == booking.ical_uid
    reminders = [m for m in mails if m.dedupe_key.startswith("reminder:")]
    assert len(reminders) == 1  # [booking] reminder_hours = [48]
    assert reminders[0].not_before == world.slots[3].starts_at - timedelta(hours=48)
    assert _count(session, OutboxMessage, OutboxMessage.channel == OutboxChannel.sms) == 2


def test_same_request_key_returns_the_same_booking(session, world, settings):
    first = _book(session, world, settings, world.slots[1], key="same")
    again = _book(session, world, settings, world.slots[2], key="same")
    assert again.replayed and again.booking.id == first.booking.id
    assert _count(session, Booking) == 1


def test_a_second_booking_for_the_same_obligation_is_refused(session, world, settings):
    _book(session, world, settings, world.slots[1], key="a")
    with pytest.raises(ReservationError) as err:
        _book(session, world, settings, world.slots[2], key="b")
    assert err.value.code == "already_booked"
    assert _count(session, Booking) == 1


def test_slot_taken_offers_the_nearest_alternatives(session, world, settings):
    rival = factories.citizen(session, world.unit, cw=world.cw)
    rival_ob = add_obligation(session, rival)
    session.commit()
    _book(session, world, settings, world.slots[2], key="r", citizen=rival, ob=rival_ob)
    with pytest.raises(ReservationError) as err:
        _book(session, world, settings, world.slots[2], key="me")
    assert err.value.code == "slot_taken"
    assert 1 <= len(err.value.alternatives) <= 3
    assert world.slots[2].id not in {o.slot_id for o in err.value.alternatives}
    session.refresh(world.ob)
    assert world.ob.state == ObligationState.open


def test_slot_outside_the_window_or_of_another_caseworker_is_refused(session, world, settings):
    for slot in (world.slots[5], world.slots[6]):
        with pytest.raises(ReservationError) as err:
            _book(session, world, settings, slot, key=f"x{slot.id}")
        assert err.value.code == "not_bookable"
    assert _count(session, Booking) == 0


def test_deadline_passed_is_refused(session, world, settings):
    world.ob.deadline = world.ob.statutory_deadline = world.ob.earliest + timedelta(days=5)
    session.commit()
    with pytest.raises(ReservationError) as err:
        _book(session, world, settings, world.slots[1])
    assert err.value.code == "deadline_passed"


def test_rebook_keeps_uid_raises_sequence_and_replaces_reminders(session, world, settings):
    booking = _book(session, world, settings, world.slots[2], key="b1").booking
    uid = booking.ical_uid
    moved = reservations.rebook(
        session,
        citizen_id=world.citizen.id,
        booking_id=booking.id,
        slot_id=world.slots[3].id,
        request_key="r1",
        settings=settings,
    ).booking
    assert moved.id == booking.id and moved.ical_uid == uid and moved.ical_sequence == 1
    assert moved.slot_id == world.slots[3].id
    assert _count(session, Booking, Booking.state == BookingState.booked) == 1
    reminders = session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"reminder:{booking.id}:%"))
    ).all()
    assert {m.not_before for m in reminders} == {world.slots[3].starts_at - timedelta(hours=48)}
    latest = session.scalars(
        select(OutboxMessage).where(OutboxMessage.ics.is_not(None)).order_by(OutboxMessage.id)
    ).all()[-1]
    event = Calendar.from_ical(latest.ics).events[0]
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert _count(session, AuditEntry, AuditEntry.action == "booking_moved") == 1
    # the old slot is free again, a repeated submit changes nothing
    again = reservations.rebook(
        session,
        citizen_id=world.citizen.id,
        booking_id=booking.id,
        slot_id=world.slots[4].id,
        request_key="r1",
        settings=settings,
    )
    assert again.replayed and again.booking.slot_id == world.slots[3].id


def test_cancel_sends_cancel_and_reopens_the_obligation(session, world, settings):
    booking = _book(session, world, settings, world.slots[1]).booking
    reservations.cancel(
        session, citizen_id=world.citizen.id, booking_id=booking.id, settings=settings
    )
    session.refresh(booking)
    session.refresh(world.ob)
    assert booking.state == BookingState.cancelled and booking.ical_sequence == 1
    assert world.ob.state == ObligationState.open
    cancel_mail = session.scalar(select(OutboxMessage).where(OutboxMessage.ics_method == "CANCEL"))
    cal = Calendar.from_ical(cancel_mail.ics)
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(cal.events[0]["STATUS"]) == "CANCELLED"
    assert str(cal.events[0]["UID"]) == booking.ical_uid
    assert _count(session, OutboxMessage, OutboxMessage.dedupe_key.like("reminder:%")) == 0
    assert _count(session, AuditEntry, AuditEntry.action == "booking_cancelled") == 1
    # cancelling twice is harmless; the seat can be booked again
    assert reservations.cancel(
        session, citizen_id=world.citizen.id, booking_id=booking.id, settings=settings
    ).replayed
    _book(session, world, settings, world.slots[1], key="new")
    assert _count(session, Booking, Booking.state == BookingState.booked) == 1


def test_cutoff_blocks_cancel_and_rebook(session, world, settings):
    booking = _book(session, world, settings, world.slots[1]).booking
    late = world.slots[1].starts_at - timedelta(hours=23)
    assert not reservations.changeable(booking, settings, late)
    for call in (
        lambda: reservations.cancel(
            session,
            citizen_id=world.citizen.id,
            booking_id=booking.id,
            settings=settings,
            now=late,
        ),
        lambda: reservations.rebook(
            session,
            citizen_id=world.citizen.id,
            booking_id=booking.id,
            slot_id=world.slots[3].id,
            request_key="z",
            settings=settings,
            now=late,
        ),
    ):
        with pytest.raises(ReservationError) as err:
            call()
        assert err.value.code == "cutoff_passed"
    session.refresh(booking)
    assert booking.state == BookingState.booked


def test_someone_elses_booking_is_not_found(session, world, settings):
    booking = _book(session, world, settings, world.slots[1]).booking
    stranger = factories.citizen(session, world.unit, cw=world.cw)
    session.commit()
    with pytest.raises(ReservationError) as err:
        reservations.cancel(
            session, citizen_id=stranger.id, booking_id=booking.id, settings=settings
        )
    assert err.value.code == "not_found"


def test_reminders_whose_time_has_passed_are_not_queued(session, world, settings):
    slot = world.slots[4]
    _book(session, world, settings, slot, now=slot.starts_at - timedelta(hours=47))
    assert _count(session, OutboxMessage, OutboxMessage.dedupe_key.like("reminder:%")) == 0
    assert _count(session, OutboxMessage, OutboxMessage.ics_method == "REQUEST") == 1
