"""Rehabilitation-team meetings, closures and the cases presented at them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .citizen import Citizen
from .enums import MaterialState, RehabCaseState, db_enum


class RehabMeeting(Base):
    __tablename__ = "rehab_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(unique=True)
    capacity: Mapped[int]
    location: Mapped[str | None] = mapped_column(String(200))

    cases: Mapped[list[RehabCase]] = relationship(back_populates="meeting")

    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity_nonnegative"),)


class RehabSchedule(Base):
    """A recurring meeting: weekday, places, from a date (until another date or for good)."""

    __tablename__ = "rehab_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int]  # 0 = Monday
    capacity: Mapped[int]
    location: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 4", name="weekday_workday"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("valid_to IS NULL OR valid_from <= valid_to", name="valid_range"),
    )


class RehabClosure(Base):
    """A period without meetings (summer, Christmas, single days); importable from .ics."""

    __tablename__ = "rehab_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200))
    ics_uid: Mapped[str | None] = mapped_column(String(255), unique=True)

    __table_args__ = (CheckConstraint("start_date <= end_date", name="start_before_end"),)


class RehabScenario(Base):
    """A what-if scenario for the negotiation with the region, and its projection."""

    __tablename__ = "rehab_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("name", name="uq_rehab_scenarios_name"),)


class RehabCase(Base):
    __tablename__ = "rehab_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    ready_date: Mapped[date]
    deadline: Mapped[date]
    material_state: Mapped[MaterialState] = mapped_column(
        db_enum(MaterialState, "material_state"), default=MaterialState.preparing
    )
    material_sent_at: Mapped[datetime | None]
    state: Mapped[RehabCaseState] = mapped_column(
        db_enum(RehabCaseState, "rehab_case_state"), default=RehabCaseState.open
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("rehab_meetings.id"))
    locked: Mapped[bool] = mapped_column(default=False)
    weight: Mapped[float] = mapped_column(default=1.0)
    # the latest plan's verdict: why a case could not be placed on time (empty when on time)
    plan_note: Mapped[str | None] = mapped_column(Text)
    planned_at: Mapped[datetime | None]

    citizen: Mapped[Citizen] = relationship()
    meeting: Mapped[RehabMeeting | None] = relationship(back_populates="cases")

    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint(
            "state <> 'assigned' OR meeting_id IS NOT NULL", name="assigned_has_meeting"
        ),
    )
