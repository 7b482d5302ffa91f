"""Capacity what-ifs for conversations: a scenario made from the live state with the planner's
changes, simulated in the background seed by seed, and its figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

WHATIF_STATES = ("queued", "running", "done", "failed")


class WhatIfRun(Base):
    """One what-if: the changes asked for, the scenario they made (the simulation TOML),
    progress (seeds done of seeds total) and the figures once every seed has run."""

    __tablename__ = "whatif_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    # the simulation scenario file (TOML), written by the job; loaded only when read
    scenario: Mapped[str] = mapped_column(Text, deferred=True)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    seeds_total: Mapped[int]
    seeds_done: Mapped[int] = mapped_column(default=0)
    weeks: Mapped[int]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name="whatif_state_known"
        ),
        CheckConstraint("seeds_done >= 0 AND seeds_done <= seeds_total", name="whatif_seeds_range"),
    )
