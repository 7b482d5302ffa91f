"""Citizens, their programmes and the conversations they have held."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.model import TargetGroup
from .base import Base, utcnow
from .enums import Channel, HeldKind, Holder, db_enum
from .org import Caseworker, Unit

TARGET_GROUPS = tuple(group.value for group in TargetGroup)
_GROUP_LIST = ", ".join(f"'{g}'" for g in TARGET_GROUPS)


class Citizen(Base):
    """A citizen. The CPR number is never stored: only a keyed hash and a masked form."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    cpr_hash: Mapped[str] = mapped_column(String(64), unique=True)
    cpr_masked: Mapped[str] = mapped_column(String(11))  # e.g. "010190-xxxx"
    birth_date: Mapped[date]
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="da")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("caseworkers.id"), index=True)
    # channels the citizen can use; None = all three
    channels: Mapped[list[str] | None] = mapped_column(JSON)
    # attendance history feeding the show-probability estimate (Beta prior in services)
    attended_count: Mapped[int] = mapped_column(default=0)
    missed_count: Mapped[int] = mapped_column(default=0)
    show_probability: Mapped[float] = mapped_column(default=0.85)
    # bumping this revokes every personal link issued so far
    link_version: Mapped[int] = mapped_column(default=1)
    # bumping this ends every web session of the citizen (log-out); Flask-Login's id carries it
    session_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    # raised by every transaction that changes what the citizen's own pages show
    # (booking.page_versions); a cached rendering of those pages names the version it shows
    page_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    caseworker: Mapped[Caseworker | None] = relationship()
    programmes: Mapped[list[Programme]] = relationship(
        back_populates="citizen", order_by="Programme.start_date"
    )
    conversations: Mapped[list[HeldConversation]] = relationship(
        back_populates="citizen", order_by="HeldConversation.held_on"
    )

    __table_args__ = (
        CheckConstraint(
            "show_probability >= 0 AND show_probability <= 1", name="show_probability_range"
        ),
        CheckConstraint("attended_count >= 0 AND missed_count >= 0", name="counts_nonnegative"),
    )


class Programme(Base):
    """A citizen's programme (target group) from a start date; obligations run from it."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    target_group: Mapped[str] = mapped_column(String(32))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    rule_set_code: Mapped[str] = mapped_column(ForeignKey("rule_sets.code"))
    # why it ended early, e.g. "target_group_changed" (a new programme replaced it)
    end_reason: Mapped[str | None] = mapped_column(String(32))
    # the key of the case system the programme was imported from; re-imports match on it
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    citizen: Mapped[Citizen] = relationship(back_populates="programmes")
    pauses: Mapped[list[ProgrammePause]] = relationship(
        back_populates="programme",
        order_by="ProgrammePause.start_date",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint(f"target_group IN ({_GROUP_LIST})", name="target_group_known"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )


class ProgrammePause(Base):
    """A stretch in which the programme's clock stands still (e.g. work between periods of
    unemployment: LAB § 9 stk. 1 nr. 1 counts cumulative unemployment). ``end_date`` None: the
    pause still runs."""

    __tablename__ = "programme_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    programme: Mapped[Programme] = relationship(back_populates="pauses")

    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )


class HeldConversation(Base):
    """A held event (imported history, an attended booking or a group call-in): what it was
    (``kind``), who held it (``holder``; ``joint`` with the unemployment fund present) and
    whether the citizen declined the fund's presence at a joint conversation."""

    __tablename__ = "held_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    kind: Mapped[HeldKind] = mapped_column(
        db_enum(HeldKind, "held_kind"), default=HeldKind.conversation
    )
    holder: Mapped[Holder] = mapped_column(db_enum(Holder, "held_holder"), default=Holder.jobcentre)
    joint: Mapped[bool] = mapped_column(default=False)
    fund_declined: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[Channel | None] = mapped_column(db_enum(Channel, "held_channel"))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), unique=True)
    recorded_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the key of the case system the conversation was imported from; re-imports match on it
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    citizen: Mapped[Citizen] = relationship(back_populates="conversations")

    __table_args__ = (
        CheckConstraint(
            "NOT (joint AND holder = 'unemployment_fund')", name="joint_held_by_jobcentre"
        ),
    )
