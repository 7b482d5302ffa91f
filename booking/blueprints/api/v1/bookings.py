"""Obligations (conversations due), slots and bookings."""

from __future__ import annotations

from ....db import db
from ....extensions import settings
from ....services.api import reads, writes
from ....services.api.schemas import (
    BookingIn,
    BookingOut,
    BookingPage,
    BookingQuery,
    ObligationPage,
    ObligationQuery,
    PostHeaders,
    SlotPage,
    SlotQuery,
)
from . import bp
from .spec import (
    Answer,
    body,
    caller,
    paged,
    post_responses,
    query,
    requires,
    responses,
    security,
    spec,
)


@bp.get("/obligations")
@requires("obligations:read")
@spec.validate(query=ObligationQuery, resp=responses(HTTP_200=ObligationPage),
               tags=["obligations"], security=security("obligations:read"),
               operation_id="listObligations")
def list_obligations() -> Answer:
    """Obligations: the conversations due, with earliest day and deadline."""
    q = query()
    found = reads.obligations(db.session, caller(), cursor=q.cursor, limit=q.limit,
                              citizen_id=q.citizen_id, state=q.state)
    return paged(ObligationPage, found)


@bp.get("/slots")
@requires("slots:read")
@spec.validate(query=SlotQuery, resp=responses(HTTP_200=SlotPage),
               tags=["slots"], security=security("slots:read"), operation_id="listSlots")
def list_slots() -> Answer:
    """Caseworkers' slots from a day on, with their free seats."""
    q = query()
    found = reads.slots(db.session, cursor=q.cursor, limit=q.limit, from_date=q.from_date,
                        to_date=q.to_date, channel=q.channel, caseworker_id=q.caseworker_id,
                        free_only=q.free_only)
    return paged(SlotPage, found)


@bp.get("/bookings")
@requires("bookings:read")
@spec.validate(query=BookingQuery, resp=responses(HTTP_200=BookingPage),
               tags=["bookings"], security=security("bookings:read"),
               operation_id="listBookings")
def list_bookings() -> Answer:
    """Bookings, optionally of one citizen or in one state."""
    q = query()
    found = reads.bookings(db.session, caller(), cursor=q.cursor, limit=q.limit,
                           citizen_id=q.citizen_id, state=q.state)
    return paged(BookingPage, found)


@bp.get("/bookings/<int:booking_id>")
@requires("bookings:read")
@spec.validate(resp=responses(HTTP_200=BookingOut), tags=["bookings"],
               security=security("bookings:read"), operation_id="getBooking")
def get_booking(booking_id: int) -> Answer:
    """One booking."""
    return reads.booking(db.session, caller(), booking_id)


@bp.post("/bookings")
@requires("bookings:write")
@spec.validate(json=BookingIn, headers=PostHeaders, resp=post_responses(HTTP_201=BookingOut),
               tags=["bookings"], security=security("bookings:write"),
               operation_id="createBooking")
def create_booking() -> Answer:
    """Book a slot for an obligation by the citizen's own booking rules (window, channels,
    caseworker, one seat). Refusals: 409 ``slot_taken`` (with nearest ``alternatives``) or
    ``already_booked``; 422 ``not_bookable``, ``deadline_passed``."""
    made = writes.book(db.session, caller(), body().obligation_id, body().slot_id,
                       settings=settings())
    return made, 201, {"Location": f"/api/v1/bookings/{made.id}"}


@bp.post("/bookings/<int:booking_id>/cancel")
@requires("bookings:write")
@spec.validate(headers=PostHeaders, resp=post_responses(HTTP_200=BookingOut),
               tags=["bookings"], security=security("bookings:write"),
               operation_id="cancelBooking")
def cancel_booking(booking_id: int) -> Answer:
    """Cancel a booking before the cancellation cutoff (422 ``cutoff_passed`` after it)."""
    return writes.cancel(db.session, caller(), booking_id, settings=settings())
