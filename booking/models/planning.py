"""Runs of the conversation planner (the solver over a unit's open obligations).

A run is computed in the background and kept with what it proposes; a planner accepts it (all,
or per row), or it is superseded by a newer run. ``fingerprint`` is a digest of the live data
the run was computed from: a run whose fingerprint no longer matches is stale and must be
re-checked before it is accepted. ``uq_plan_runs_unit_active``: at most one queued or running
run per unit, whichever web process or worker asks.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .enums import PlanRunState, PlanTrigger, db_enum
from .org import Unit

ACTIVE_RUN = text("state IN ('queued', 'running')")


class PlanRun(Base):
    __tablename__ = "plan_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    state: Mapped[PlanRunState] = mapped_column(
        db_enum(PlanRunState, "plan_run_state"), default=PlanRunState.queued
    )
    trigger: Mapped[PlanTrigger] = mapped_column(db_enum(PlanTrigger, "plan_trigger"))
    # who or what asked: a staff user, or the event (e.g. {"booking": 12, "outcome": "no_show"})
    triggered_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    trigger_detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    horizon_start: Mapped[date]
    horizon_end: Mapped[date]
    # live progress while it runs: stage, elapsed seconds, conversations so far
    stage: Mapped[str] = mapped_column(String(32), default="queued")
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    # on-time weight against the proven bound, counts, solve seconds
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # proposed new and moved bookings (with the reason for each move) and the unplaceable
    proposals: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    unplanned: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    accepted_at: Mapped[datetime | None]
    accepted_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    error: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        Index(
            "uq_plan_runs_unit_active",
            "unit_id",
            unique=True,
            sqlite_where=ACTIVE_RUN,
            postgresql_where=ACTIVE_RUN,
        ),
    )
