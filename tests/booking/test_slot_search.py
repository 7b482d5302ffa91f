"""Which slots a citizen may self-book: window, deadline, channels, pool, seats, filters."""

from __future__ import annotations

from datetime import timedelta

from booking.models import Booking, BookingSource, BookingState, Citizen
from booking.services.calendar_days import week_monday
from booking.services.slot_search import (
    allowed_channels,
    bookable_slots,
    nearest_alternatives,
    obligations_without_slots,
    self_booking_until,
    weeks_with_slots,
)
from tests import factories

from .conftest import add_obligation, add_slot, at, today


def _search(session, world, settings, **kw):
    until = self_booking_until(world.ob, settings)
    return bookable_slots(session, world.citizen, world.ob, until=until, today=today(), **kw)


def test_self_booking_deadline_is_eight_days_before(session, world, settings):
    assert self_booking_until(world.ob, settings) == world.ob.deadline - timedelta(days=8)


def test_only_own_caseworkers_slots_inside_the_window_earliest_first(session, world, settings):
    found = _search(session, world, settings)
    ids = [o.slot_id for o in found]
    assert ids == [s.id for s in world.slots[:5]]  # not day 25, not the other caseworker
    assert [o.starts_at for o in found] == sorted(o.starts_at for o in found)


def test_unit_pool_includes_every_caseworker_of_the_unit(session, world, settings):
    world.ob.pool = "unit"
    session.commit()
    ids = {o.slot_id for o in _search(session, world, settings)}
    assert world.slots[6].id in ids


def test_channels_are_the_obligations_and_the_citizens(session, world, settings):
    world.ob.channels = ["in_person"]  # the first conversation: in person only
    session.commit()
    assert {o.channel for o in _search(session, world, settings)} == {"in_person"}
    world.ob.channels = ["in_person", "phone", "video"]
    world.citizen.channels = ["phone", "video"]
    session.commit()
    assert allowed_channels(world.ob, world.citizen) == ["phone", "video"]
    assert {o.channel for o in _search(session, world, settings)} == {"phone", "video"}


def test_a_slot_shorter_than_the_conversation_is_not_offered(session, world, settings):
    before = {o.slot_id for o in _search(session, world, settings)}
    world.ob.minutes = 45  # e.g. a joint conversation; the world's slots are 30 minutes
    long_slot = add_slot(session, world.cw, at(4, 14), "in_person", minutes=45)
    session.commit()
    assert {o.slot_id for o in _search(session, world, settings)} == {long_slot.id}
    world.ob.minutes = 30
    session.commit()
    assert {o.slot_id for o in _search(session, world, settings)} == before | {long_slot.id}


def test_filters_by_channel_and_week(session, world, settings):
    phone = _search(session, world, settings, channel="phone")
    assert [o.slot_id for o in phone] == [world.slots[1].id, world.slots[2].id]
    monday = week_monday(today() + timedelta(days=2))
    in_week = _search(session, world, settings, week=monday)
    assert all(week_monday(o.local_day) == monday for o in in_week)
    assert (
        weeks_with_slots(
            session,
            world.citizen,
            world.ob,
            until=self_booking_until(world.ob, settings),
            today=today(),
        )[0]
        == monday
    )


def test_full_slots_slots_today_and_non_self_bookable_are_hidden(session, world, settings):
    other = factories.citizen(session, world.unit, cw=world.cw)
    session.add(
        Booking(
            slot_id=world.slots[0].id,
            citizen_id=other.id,
            source=BookingSource.staff,
            ical_uid="x@rettidig",
        )
    )
    add_slot(session, world.cw, at(0, 23, 30), "phone")  # today: too soon
    add_slot(session, world.cw, at(6, 9), "phone", self_bookable=False)
    session.commit()
    ids = [o.slot_id for o in _search(session, world, settings)]
    assert world.slots[0].id not in ids
    assert len(ids) == 4


def test_a_day_with_another_booking_of_the_citizen_is_skipped(session, world, settings):
    second = add_obligation(session, world.citizen, sequence=3, deadline=60)
    session.add(
        Booking(
            slot_id=world.slots[2].id,  # day 3
            citizen_id=world.citizen.id,
            obligation_id=second.id,
            source=BookingSource.self,
            ical_uid="y@rettidig",
            state=BookingState.booked,
        )
    )
    session.commit()
    days = {o.local_day for o in _search(session, world, settings)}
    assert today() + timedelta(days=3) not in days


def test_nearest_alternatives_are_close_in_time(session, world, settings):
    until = self_booking_until(world.ob, settings)
    near = nearest_alternatives(
        session,
        world.citizen,
        world.ob,
        world.slots[2].starts_at,
        until=until,
        today=today(),
        count=2,
    )
    assert {o.slot_id for o in near} == {world.slots[2].id, world.slots[1].id}


def test_obligations_without_slots(session, world, settings):
    lonely = factories.citizen(session, world.unit, cw=world.other_cw)
    lonely.channels = ["video"]
    ob = add_obligation(session, lonely)
    session.commit()
    pairs = [
        (world.ob, self_booking_until(world.ob, settings)),
        (ob, self_booking_until(ob, settings)),
    ]
    assert obligations_without_slots(session, pairs, today()) == [ob]
    assert isinstance(ob.citizen, Citizen)
