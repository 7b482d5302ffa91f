"""Bookable caseworker time and the bookings in it.

The rule "a seat is never booked twice" lives in the database: the partial unique index
``uq_bookings_slot_seat_active`` allows one non-cancelled booking per (slot, seat), and
``uq_bookings_obligation_active`` one live booking per obligation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .citizen import Citizen
from .enums import BookingSource, BookingState, CancelledBy, Channel, db_enum
from .org import Caseworker
from .ruleset import Obligation


class Slot(Base):
    __tablename__ = "slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworkers.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    minutes: Mapped[int]
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, "slot_channel"))
    capacity: Mapped[int] = mapped_column(default=1)
    location: Mapped[str | None] = mapped_column(String(200))
    self_bookable: Mapped[bool] = mapped_column(default=True)
    group_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("group_sessions.id", ondelete="SET NULL")
    )

    caseworker: Mapped[Caseworker] = relationship()
    bookings: Mapped[list[Booking]] = relationship(back_populates="slot")

    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("minutes BETWEEN 5 AND 480", name="minutes_range"),
        UniqueConstraint("caseworker_id", "starts_at", name="uq_slots_caseworker_start"),
    )


ACTIVE_BOOKING = text("state <> 'cancelled'")
LIVE_BOOKING = text("state = 'booked'")


class Booking(Base):
    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id"), index=True)
    seat: Mapped[int] = mapped_column(default=1)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("obligations.id"))
    state: Mapped[BookingState] = mapped_column(
        db_enum(BookingState, "booking_state"), default=BookingState.booked
    )
    source: Mapped[BookingSource] = mapped_column(db_enum(BookingSource, "booking_source"))
    locked: Mapped[bool] = mapped_column(default=False)
    # iCalendar identity: the UID stays across rebooking, SEQUENCE rises with each change
    ical_uid: Mapped[str] = mapped_column(String(255))
    ical_sequence: Mapped[int] = mapped_column(default=0)
    # a client-supplied key that makes a repeated submit return the same booking
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # the outcome a caseworker recorded (attended / no_show / cancelled), by whom and when
    cancelled_by: Mapped[CancelledBy | None] = mapped_column(db_enum(CancelledBy, "cancelled_by"))
    outcome_at: Mapped[datetime | None]
    outcome_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # the plan run that proposed this booking (source "solver")
    plan_run_id: Mapped[int | None] = mapped_column(ForeignKey("plan_runs.id", ondelete="SET NULL"))

    slot: Mapped[Slot] = relationship(back_populates="bookings")
    citizen: Mapped[Citizen] = relationship()
    obligation: Mapped[Obligation | None] = relationship()

    __table_args__ = (
        CheckConstraint("seat >= 1", name="seat_positive"),
        CheckConstraint("ical_sequence >= 0", name="sequence_nonnegative"),
        Index(
            "uq_bookings_slot_seat_active",
            "slot_id",
            "seat",
            unique=True,
            sqlite_where=ACTIVE_BOOKING,
            postgresql_where=ACTIVE_BOOKING,
        ),
        Index(
            "uq_bookings_obligation_active",
            "obligation_id",
            unique=True,
            sqlite_where=LIVE_BOOKING,
            postgresql_where=LIVE_BOOKING,
        ),
    )
