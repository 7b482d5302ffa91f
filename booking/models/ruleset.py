"""Rule sets known to the database, and the obligations computed from them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .citizen import Citizen, Programme
from .enums import ObligationState, db_enum


class RuleSetRecord(Base):
    """A rule set file (booking/rules/sets/*.toml) registered with its period and checksum."""

    __tablename__ = "rule_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    checksum: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Obligation(Base):
    """A dated duty computed by the rules engine: a conversation (or case step) due."""

    __tablename__ = "obligations"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    rule_set_code: Mapped[str] = mapped_column(ForeignKey("rule_sets.code"))
    # the rules engine's stable key: "<group>:<requirement>:<period>:<sequence>"
    step_key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int]
    earliest: Mapped[date]
    deadline: Mapped[date] = mapped_column(index=True)
    statutory_deadline: Mapped[date]
    channels: Mapped[list[str]] = mapped_column(JSON)
    pool: Mapped[str] = mapped_column(String(16))
    joint: Mapped[bool] = mapped_column(default=False)
    holder: Mapped[str] = mapped_column(String(32), default="jobcentre")
    minutes: Mapped[int] = mapped_column(default=30)
    mandatory: Mapped[bool] = mapped_column(default=True)
    state: Mapped[ObligationState] = mapped_column(
        db_enum(ObligationState, "obligation_state"), default=ObligationState.open
    )
    fulfilled_on: Mapped[date | None]
    label_da: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))

    citizen: Mapped[Citizen] = relationship()
    programme: Mapped[Programme] = relationship()

    __table_args__ = (
        UniqueConstraint("programme_id", "step_key", name="uq_obligations_step"),
        CheckConstraint("earliest <= deadline", name="earliest_before_deadline"),
        CheckConstraint("pool IN ('caseworker', 'unit')", name="pool_known"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
    )
