"""Audit trail and the outbox through which every message leaves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .enums import ActorKind, OutboxChannel, OutboxState, db_enum


class AuditEntry(Base):
    """Who saw or changed which citizen, when. Never holds a CPR number."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_kind: Mapped[ActorKind] = mapped_column(db_enum(ActorKind, "actor_kind"))
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None]
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OutboxMessage(Base):
    """A message waiting to leave (e-mail, SMS, Digital Post); retried until sent."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[OutboxChannel] = mapped_column(db_enum(OutboxChannel, "outbox_channel"))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    ics: Mapped[str | None] = mapped_column(Text)
    ics_method: Mapped[str | None] = mapped_column(String(16))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    # idempotency: the same reminder for the same booking is queued once
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    state: Mapped[OutboxState] = mapped_column(
        db_enum(OutboxState, "outbox_state"), default=OutboxState.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    not_before: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_nonnegative"),)
