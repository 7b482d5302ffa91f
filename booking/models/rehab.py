"""Rehabilitation-team meetings, closures and the cases presented at them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
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


class RehabClosure(Base):
    """A period without meetings (summer, Christmas, single days)."""

    __tablename__ = "rehab_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200))

    __table_args__ = (CheckConstraint("start_date <= end_date", name="start_before_end"),)


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

    citizen: Mapped[Citizen] = relationship()
    meeting: Mapped[RehabMeeting | None] = relationship(back_populates="cases")

    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint(
            "state <> 'assigned' OR meeting_id IS NOT NULL", name="assigned_has_meeting"
        ),
    )
