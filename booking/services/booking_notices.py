"""The messages a booking change queues in the outbox: confirmation or cancellation by e-mail
(with the ``.ics``), SMS, Digital Post when there is neither, and reminders before the time.

Reminders carry the dedupe key ``reminder:<booking>:<sequence>:<hours>:<channel>``; those not
yet attempted are withdrawn when the booking moves or is cancelled.

Every function here runs in the caller's transaction (the booking change it announces).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..models import Booking, OutboxChannel, OutboxMessage, OutboxState
from ..settings import Settings
from . import booking_mail
from .outbox import enqueue


def drop_reminders(session: Session, booking: Booking) -> None:
    """Reminders not yet sent for the old time are withdrawn (they would be wrong); runs in
    the caller's transaction."""
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.dedupe_key.like(f"reminder:{booking.id}:%"),
            OutboxMessage.state == OutboxState.pending,
            OutboxMessage.attempts == 0,
        )
    )


def notify_booked(
    session: Session, booking: Booking, settings: Settings, now: datetime, *, rebooked: bool
) -> list[OutboxMessage]:
    """Queue the confirmation and the reminders of a new or moved booking (runs in the
    caller's transaction)."""
    citizen, seq = booking.citizen, booking.ical_sequence
    out = []
    if citizen.email:
        text = booking_mail.confirmation(booking, settings, rebooked=rebooked)
        out.append(
            _letter(session, booking, settings, OutboxChannel.email, citizen.email, text, "REQUEST")
        )
    if citizen.phone:
        out.append(_sms(session, booking, settings, "confirmation", f"booking:{booking.id}:{seq}"))
    if not citizen.email and not citizen.phone:
        text = booking_mail.confirmation(booking, settings, rebooked=rebooked)
        out.append(
            _letter(
                session,
                booking,
                settings,
                OutboxChannel.digital_post,
                f"citizen:{citizen.id}",
                text,
                "REQUEST",
            )
        )
    start = booking.slot.starts_at
    for hours in settings.booking.reminder_hours:
        at = start - timedelta(hours=int(hours))
        if at <= now:
            continue
        key = f"reminder:{booking.id}:{seq}:{hours}"
        if citizen.email:
            text = booking_mail.reminder(booking, settings, int(hours))
            out.append(
                enqueue(
                    session,
                    channel=OutboxChannel.email,
                    recipient=citizen.email,
                    subject=text.subject,
                    body=text.body,
                    citizen_id=citizen.id,
                    dedupe_key=f"{key}:email",
                    not_before=at,
                )
            )
        if citizen.phone:
            out.append(_sms(session, booking, settings, "reminder", key, not_before=at))
    return out


def _letter(
    session: Session,
    booking: Booking,
    settings: Settings,
    channel: OutboxChannel,
    recipient: str,
    text: Any,
    method: str,
) -> OutboxMessage:
    """An e-mail or Digital Post letter with the booking's ``.ics`` (METHOD ``method``)."""
    return enqueue(
        session,
        channel=channel,
        recipient=recipient,
        subject=text.subject,
        body=text.body,
        citizen_id=booking.citizen_id,
        ics=booking_mail.booking_ics(booking, settings, method),
        ics_method=method,
        dedupe_key=f"booking:{booking.id}:{booking.ical_sequence}:{channel.value}",
    )


def _sms(
    session: Session,
    booking: Booking,
    settings: Settings,
    kind: str,
    key: str,
    *,
    not_before: datetime | None = None,
) -> OutboxMessage:
    citizen = booking.citizen
    return enqueue(
        session,
        channel=OutboxChannel.sms,
        recipient=citizen.phone or "",
        subject=kind,
        body=booking_mail.sms_text(booking, settings, kind),
        citizen_id=citizen.id,
        dedupe_key=f"{key}:sms",
        not_before=not_before,
    )


def notify_cancelled(session: Session, booking: Booking, settings: Settings) -> list[OutboxMessage]:
    """Queue the cancellation (with the CANCEL ``.ics``); runs in the caller's transaction."""
    citizen, seq = booking.citizen, booking.ical_sequence
    out = []
    if citizen.email:
        text = booking_mail.cancellation(booking, settings)
        out.append(
            _letter(session, booking, settings, OutboxChannel.email, citizen.email, text, "CANCEL")
        )
    if citizen.phone:
        out.append(_sms(session, booking, settings, "cancelled", f"booking:{booking.id}:{seq}"))
    if not citizen.email and not citizen.phone:  # as the confirmation went: by Digital Post
        text = booking_mail.cancellation(booking, settings)
        out.append(
            _letter(
                session,
                booking,
                settings,
                OutboxChannel.digital_post,
                f"citizen:{citizen.id}",
                text,
                "CANCEL",
            )
        )
    return out
