"""The outbox: every message to a citizen is a row first, delivered later and retried.

Channels are adapters: e-mail goes by SMTP (see ``booking.services.delivery``); SMS and Digital
Post have local implementations that keep the message in the outbox until a real gateway
adapter is configured.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import OutboxChannel, OutboxMessage, OutboxState
from .clock import now_utc


def enqueue(
    session: Session,
    *,
    channel: OutboxChannel,
    recipient: str,
    subject: str,
    body: str,
    citizen_id: int | None = None,
    ics: str | None = None,
    ics_method: str | None = None,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue a message in the caller's transaction; a repeated ``dedupe_key`` queues nothing."""
    if dedupe_key is not None:
        existing = session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return existing
    message = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        citizen_id=citizen_id,
        ics=ics,
        ics_method=ics_method,
        dedupe_key=dedupe_key,
        state=OutboxState.pending,
        attempts=0,
        not_before=not_before or now_utc(),
    )
    session.add(message)
    session.flush()
    return message


def due_messages(session: Session, now: datetime, *, limit: int = 100) -> list[OutboxMessage]:
    """Pending messages whose time has come, oldest first."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.pending, OutboxMessage.not_before <= now)
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit)
        )
    )
