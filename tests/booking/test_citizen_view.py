"""The services behind the citizen's pages (and the small staff read-outs): view-models, only
the citizen's own objects (NotFound otherwise), audited views (buffered, see
test_read_audit.py) and bookings committed by the service itself (checked from a second
session)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import AuditEntry, Booking, BookingState, ObligationState, Role
from booking.services import citizen_view, read_audit, reservations
from booking.services.admin import admin_overview
from booking.services.citizens import obligations_for_staff
from booking.services.errors import NotFound, ServiceError
from tests import factories

from .conftest import add_obligation


def _actions(citizen_id: int) -> list[str]:
    """The audit trail for ``citizen_id`` as a second session sees it (committed rows only),
    once this process's buffered page views are written."""
    read_audit.flush()
    with db.fresh_session() as other:
        return list(
            other.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.citizen_id == citizen_id)
                .order_by(AuditEntry.id)
            )
        )


def _book(session, world, settings, slot, key="k"):
    return reservations.book(
        session,
        citizen_id=world.citizen.id,
        obligation_id=world.ob.id,
        slot_id=slot.id,
        request_key=key,
        settings=settings,
    ).booking


@pytest.fixture
def stranger(session, world):
    other = factories.citizen(session, world.unit, cw=world.cw)
    session.commit()
    return other


def test_home_page_reads_and_audits_the_view(session, world, settings):
    page = citizen_view.home_page(session, world.citizen.id, settings)
    assert page.citizen.id == world.citizen.id
    [item] = page.overview.due
    assert item.obligation.id == world.ob.id and item.status == "bookable"
    assert item.first_free is not None and item.first_free.slot_id == world.slots[0].id
    assert _actions(world.citizen.id) == ["citizen_viewed_own"]


def test_home_page_of_a_missing_citizen_is_not_found(session, world, settings):
    with pytest.raises(NotFound):
        citizen_view.home_page(session, 999999, settings)


def test_choose_page_lists_free_times_and_audits_the_view(session, world, settings):
    page = citizen_view.open_choose_page(session, world.citizen.id, world.ob.id, settings)
    assert isinstance(page, citizen_view.ChoosePage)
    assert page.channels == ["in_person", "phone", "video"]
    assert page.problems == [] and not page.deadline_passed and not page.more
    shown = [o.slot_id for options in page.days.values() for o in options]
    assert shown == [s.id for s in world.slots[:5]]  # in the window, own caseworker, earliest first
    assert page.weeks and all(monday.weekday() == 0 for monday in page.weeks)
    assert _actions(world.citizen.id) == ["citizen_viewed_slots"]


def test_choose_page_filters_and_names_the_filters_it_ignored(session, world, settings):
    phone = citizen_view.choose_page(
        session, world.citizen.id, world.ob.id, settings, channel="phone"
    )
    assert [o.slot_id for opts in phone.days.values() for o in opts] == [
        world.slots[1].id,
        world.slots[2].id,
    ]
    bad = citizen_view.choose_page(
        session, world.citizen.id, world.ob.id, settings, channel="fax", week="nej"
    )
    assert [p.code for p in bad.problems] == ["unknown_channel", "unknown_week"]
    assert all(isinstance(p, ServiceError) for p in bad.problems)
    assert sum(len(opts) for opts in bad.days.values()) == 5  # ignored filters: all times
    day = world.slots[3].starts_at.date()
    week = citizen_view.choose_page(
        session, world.citizen.id, world.ob.id, settings, week=day.isoformat()
    )
    assert week.problems == []
    assert all(d - timedelta(days=d.weekday()) in week.weeks for d in week.days)
    assert _actions(world.citizen.id) == []  # showing the times again is not audited


def test_another_citizens_obligation_is_not_found_and_not_audited(
    session, world, settings, stranger
):
    for page in (citizen_view.open_choose_page, citizen_view.choose_page):
        with pytest.raises(NotFound):
            page(session, stranger.id, world.ob.id, settings)
    assert _actions(stranger.id) == [] and _actions(world.citizen.id) == []


def test_a_booked_conversation_answers_with_its_booking(session, world, settings):
    booking = _book(session, world, settings, world.slots[1])
    page = citizen_view.open_choose_page(session, world.citizen.id, world.ob.id, settings)
    assert page == citizen_view.AlreadyBooked(booking.id)
    assert "citizen_viewed_slots" not in _actions(world.citizen.id)


def test_booking_page_commits_its_view(session, world, settings):
    booking = _book(session, world, settings, world.slots[1])
    page = citizen_view.booking_page(session, world.citizen.id, booking.id, settings)
    assert page.booking.id == booking.id and page.changeable and not page.cancelled
    assert page.cutoff_hours == settings.booking.cancellation_cutoff_hours
    assert page.ends_at == world.slots[1].starts_at + timedelta(minutes=world.slots[1].minutes)
    assert _actions(world.citizen.id) == ["booking_created", "citizen_viewed_booking"]


def test_another_citizens_booking_is_not_found(session, world, settings, stranger):
    booking = _book(session, world, settings, world.slots[1])
    for page in (
        citizen_view.booking_page,
        citizen_view.cancel_page,
        citizen_view.rebook_page,
        citizen_view.calendar_file,
    ):
        with pytest.raises(NotFound):
            page(session, stranger.id, booking.id, settings)
    assert _actions(stranger.id) == []
    assert _actions(world.citizen.id) == ["booking_created"]


def test_rebook_page_leaves_out_the_current_time_and_ends_with_the_booking(
    session, world, settings
):
    booking = _book(session, world, settings, world.slots[1])
    page = citizen_view.rebook_page(session, world.citizen.id, booking.id, settings)
    assert page.booking is not None and page.booking.id == booking.id and page.changeable
    assert world.slots[1].id not in {o.slot_id for opts in page.days.values() for o in opts}
    late = world.slots[1].starts_at - timedelta(hours=1)
    assert not citizen_view.rebook_page(
        session, world.citizen.id, booking.id, settings, now=late
    ).changeable
    assert citizen_view.calendar_file(session, world.citizen.id, booking.id, settings).count(
        "METHOD:PUBLISH"
    )
    reservations.cancel(
        session, citizen_id=world.citizen.id, booking_id=booking.id, settings=settings
    )
    with pytest.raises(NotFound):
        citizen_view.rebook_page(session, world.citizen.id, booking.id, settings)
    assert citizen_view.cancel_page(session, world.citizen.id, booking.id, settings).cancelled
    ics = citizen_view.calendar_file(session, world.citizen.id, booking.id, settings)
    assert "METHOD:CANCEL" in ics


def test_book_rebook_and_cancel_commit_on_their_own(session, world, settings):
    def seen() -> tuple[int, BookingState, ObligationState]:
        with db.fresh_session() as other:
            b = other.scalars(select(Booking)).one()
            return b.slot_id, b.state, b.obligation.state

    booking = _book(session, world, settings, world.slots[1])
    assert seen() == (world.slots[1].id, BookingState.booked, ObligationState.booked)
    reservations.rebook(
        session,
        citizen_id=world.citizen.id,
        booking_id=booking.id,
        slot_id=world.slots[3].id,
        request_key="move",
        settings=settings,
    )
    assert seen() == (world.slots[3].id, BookingState.booked, ObligationState.booked)
    reservations.cancel(
        session, citizen_id=world.citizen.id, booking_id=booking.id, settings=settings
    )
    assert seen() == (world.slots[3].id, BookingState.cancelled, ObligationState.open)
    # the move form sent again after the cancel moves nothing back
    with pytest.raises(reservations.ReservationError) as err:
        reservations.rebook(
            session,
            citizen_id=world.citizen.id,
            booking_id=booking.id,
            slot_id=world.slots[3].id,
            request_key="move",
            settings=settings,
        )
    assert err.value.code == "not_found"
    assert seen()[1] == BookingState.cancelled


def test_refusals_are_service_errors_with_codes(session, world, settings):
    booking = _book(session, world, settings, world.slots[1])
    late = world.slots[1].starts_at - timedelta(hours=1)
    with pytest.raises(ServiceError) as err:
        reservations.cancel(
            session,
            citizen_id=world.citizen.id,
            booking_id=booking.id,
            settings=settings,
            now=late,
        )
    assert isinstance(err.value, reservations.ReservationError)
    assert err.value.code == "cutoff_passed"
    assert err.value.params == {"hours": settings.booking.cancellation_cutoff_hours}


def test_staff_obligations_read_out_commits_its_audit_entry(session, world):
    viewer = factories.staff(session, Role.caseworker, unit_id=world.unit.id)
    later = add_obligation(session, world.citizen, sequence=3, deadline=60)
    session.commit()
    found = obligations_for_staff(session, world.citizen.id, viewer_id=viewer.id)
    assert found.citizen.id == world.citizen.id
    assert [o.id for o in found.obligations] == [world.ob.id, later.id]
    assert _actions(world.citizen.id) == ["api_obligations_viewed"]
    with pytest.raises(NotFound):
        obligations_for_staff(session, 999999, viewer_id=viewer.id)


def test_admin_overview_lists_staff_and_the_latest_entries(session, world, settings):
    admin = factories.staff(session, Role.admin, unit_id=world.unit.id)
    helper = factories.staff(session, Role.caseworker, unit_id=world.unit.id)
    session.commit()
    for _ in range(3):
        citizen_view.home_page(session, world.citizen.id, settings)
    overview = admin_overview(session, entries=2)
    assert {u.id for u in overview.users} >= {admin.id, helper.id}
    assert [e.action for e in overview.entries] == ["citizen_viewed_own"] * 2
