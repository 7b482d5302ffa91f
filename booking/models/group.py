"""Group call-ins (fælles indkald): a window served by a pool of caseworkers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .citizen import Citizen
from .enums import CallOutcome, InvitationState, SessionState, db_enum
from .org import Caseworker


class GroupSession(Base):
    __tablename__ = "group_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(200))
    minutes_per_conversation: Mapped[int]
    overflow_risk: Mapped[float] = mapped_column(default=0.10)
    state: Mapped[SessionState] = mapped_column(
        db_enum(SessionState, "session_state"), default=SessionState.planned
    )
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pool: Mapped[list[GroupSessionCaseworker]] = relationship(cascade="all, delete-orphan")
    invitations: Mapped[list[Invitation]] = relationship(back_populates="session")

    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="start_before_end"),
        CheckConstraint("minutes_per_conversation BETWEEN 5 AND 240", name="minutes_range"),
        CheckConstraint("overflow_risk > 0 AND overflow_risk < 1", name="risk_range"),
    )


class GroupSessionCaseworker(Base):
    __tablename__ = "group_session_caseworkers"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("group_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworkers.id"), primary_key=True)

    caseworker: Mapped[Caseworker] = relationship()


IN_PROGRESS = text("state = 'in_progress'")


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("obligations.id"))
    state: Mapped[InvitationState] = mapped_column(
        db_enum(InvitationState, "invitation_state"), default=InvitationState.invited
    )
    show_probability: Mapped[float]
    arrived_at: Mapped[datetime | None]
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("caseworkers.id"))
    started_at: Mapped[datetime | None]
    served_at: Mapped[datetime | None]
    ical_uid: Mapped[str] = mapped_column(String(255))

    session: Mapped[GroupSession] = relationship(back_populates="invitations")
    citizen: Mapped[Citizen] = relationship()

    __table_args__ = (
        UniqueConstraint("session_id", "citizen_id", name="uq_invitations_session_citizen"),
        # a caseworker of the pool serves one citizen at a time, whichever desk assigned
        Index(
            "uq_invitations_caseworker_busy",
            "session_id",
            "caseworker_id",
            unique=True,
            sqlite_where=IN_PROGRESS,
            postgresql_where=IN_PROGRESS,
        ),
    )


class PhoneCall(Base):
    """One attempt on the phone list (ringeliste) after a no-show."""

    __tablename__ = "phone_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"))
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    outcome: Mapped[CallOutcome] = mapped_column(db_enum(CallOutcome, "call_outcome"))
    note: Mapped[str | None] = mapped_column(Text)
    called_at: Mapped[datetime] = mapped_column(default=utcnow)
