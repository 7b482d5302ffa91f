"""What the law lets the municipality decide per citizen, and the job centre's own closed days.

* :class:`ObligationExemption`: from 2026-07-01 (lov nr. 1750 af 29/12/2025) the municipality
  may exempt up to 25 % of a target group from the flexible contact course by a concrete
  assessment that the citizen will find work on their own. One row per citizen and obligation
  (keyed by programme and the engine's stable step key, so it survives a recompute); revoked,
  never deleted. ``uq_obligation_exemptions_active``: at most one live exemption per obligation.
* :class:`ClosedDay`: a local closed day (besides weekends and Danish public holidays) on which
  no conversation can be planned.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .citizen import Citizen, Programme

LIVE_EXEMPTION = text("revoked_at IS NULL")


class ObligationExemption(Base):
    __tablename__ = "obligation_exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    step_key: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))

    citizen: Mapped[Citizen] = relationship()
    programme: Mapped[Programme] = relationship()

    __table_args__ = (
        CheckConstraint("length(reason) > 0", name="reason_given"),
        Index(
            "uq_obligation_exemptions_active",
            "programme_id",
            "step_key",
            unique=True,
            sqlite_where=LIVE_EXEMPTION,
            postgresql_where=LIVE_EXEMPTION,
        ),
    )


class ClosedDay(Base):
    __tablename__ = "closed_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    reason: Mapped[str] = mapped_column(String(200))
