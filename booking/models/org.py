"""Units, staff users and caseworkers with their working-hour templates and absences."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .enums import Channel, Role, db_enum


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    caseworkers: Mapped[list[Caseworker]] = relationship(back_populates="unit")


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(db_enum(Role, "staff_role"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # bumping this ends every web session of the user (log-out); Flask-Login's id carries it
    session_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    unit: Mapped[Unit | None] = relationship()
    caseworker: Mapped[Caseworker | None] = relationship(back_populates="staff_user")

    __table_args__ = (CheckConstraint("role <> 'citizen'", name="staff_not_citizen"),)


class Caseworker(Base):
    __tablename__ = "caseworkers"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    initials: Mapped[str] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(32))
    max_per_day: Mapped[int | None]
    # secret part of the personal calendar-feed URL; rotate to revoke
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # the key of the municipality's own HR/case system; re-imports match on it
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    unit: Mapped[Unit] = relationship(back_populates="caseworkers")
    staff_user: Mapped[StaffUser | None] = relationship(back_populates="caseworker")
    templates: Mapped[list[WorkTemplate]] = relationship(
        back_populates="caseworker", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("max_per_day IS NULL OR max_per_day >= 1", name="max_per_day_positive"),
    )


class WorkTemplate(Base):
    """A weekly block of bookable time that becomes slots (minus holidays and absences)."""

    __tablename__ = "work_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworkers.id", ondelete="CASCADE"))
    weekday: Mapped[int]  # 0 = Monday … 6 = Sunday
    start_time: Mapped[time]
    end_time: Mapped[time]
    slot_minutes: Mapped[int]
    channel: Mapped[Channel] = mapped_column(db_enum(Channel, "template_channel"))
    location: Mapped[str | None] = mapped_column(String(200))
    self_bookable: Mapped[bool] = mapped_column(default=True)

    caseworker: Mapped[Caseworker] = relationship(back_populates="templates")

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_time < end_time", name="start_before_end"),
        CheckConstraint("slot_minutes BETWEEN 5 AND 480", name="slot_minutes_range"),
    )


class Absence(Base):
    """Caseworker absence (holiday, course, sickness); importable from .ics."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworkers.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)
    ics_uid: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="start_before_end"),
        UniqueConstraint("caseworker_id", "ics_uid", name="uq_absences_caseworker_ics_uid"),
    )
