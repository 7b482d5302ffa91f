"""The messages a booking change queues in the outbox: confirmation or cancellation by e-mail
(with the ``.ics``), SMS, Digital Post when there is neither, and reminders before the time.

A moved booking's confirmation (e-mail, SMS, letter) says "flyttet" with the old time and the
new: the old time is the slot the move's audit entry (``booking_moved``, ``from_slot_id``, written
by every service that moves a booking just before it calls :func:`notify_booked`) names, unless
the caller gives it. Every text is in the citizen's language (:mod:`.booking_mail`).

Reminders carry the dedupe key ``reminder:<booking>:<sequence>:<hours>:<channel>``; those not
yet attempted are withdrawn when the booking moves or is cancelled.

Every function here runs in the caller's transaction (the booking change it announces).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import AuditEntry, Booking, OutboxChannel, OutboxMessage, OutboxState, Slot
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


def moved_from(session: Session, booking: Booking) -> datetime | None:
    """When a moved booking was before its last move: the start of the slot its newest
    ``booking_moved`` audit entry came from (None when no such entry or slot is found)."""
    detail = session.scalar(
        select(AuditEntry.detail)
        .where(
            AuditEntry.citizen_id == booking.citizen_id,
            AuditEntry.action == "booking_moved",
            AuditEntry.object_type == "booking",
            AuditEntry.object_id == booking.id,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    slot_id = (detail or {}).get("from_slot_id")
    if not isinstance(slot_id, int):
        return None
    return session.scalar(select(Slot.starts_at).where(Slot.id == slot_id))


def notify_booked(
    session: Session,
    booking: Booking,
    settings: Settings,
    now: datetime,
    *,
    rebooked: bool,
    old_start: datetime | None = None,
) -> list[OutboxMessage]:
    """Queue the confirmation and the reminders of a new or moved booking (runs in the
    caller's transaction). A moved one (``rebooked``) says "flyttet" from ``old_start`` (else
    the time its move's audit entry names) to the new time."""
    citizen, seq = booking.citizen, booking.ical_sequence
    if rebooked and old_start is None:
        old_start = moved_from(session, booking)
    out = []
    if citizen.email:
        text = booking_mail.confirmation(
            booking, settings, rebooked=rebooked, moved_from=old_start
        )
        out.append(
            _letter(session, booking, settings, OutboxChannel.email, citizen.email, text, "REQUEST")
        )
    if citizen.phone:
        key = f"booking:{booking.id}:{seq}"
        sms = _sms(
            session, booking, settings, "confirmation", key, rebooked=rebooked, moved_from=old_start
        )
        out.append(sms)
    if not citizen.email and not citizen.phone:
        text = booking_mail.confirmation(
            booking, settings, rebooked=rebooked, moved_from=old_start
        )
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
    rebooked: bool = False,
    moved_from: datetime | None = None,
) -> OutboxMessage:
    citizen = booking.citizen
    body = booking_mail.sms_text(booking, settings, kind, rebooked=rebooked, moved_from=moved_from)
    return enqueue(
        session,
        channel=OutboxChannel.sms,
        recipient=citizen.phone or "",
        subject=kind,
        body=body,
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
