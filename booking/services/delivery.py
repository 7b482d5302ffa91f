"""Deliver due outbox rows: e-mail by SMTP, SMS and Digital Post through local adapters.

A row is first *claimed* in a short write transaction (``attempts + 1`` and ``not_before``
moved ahead by the back-off, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), then sent outside any
transaction, then marked sent — or its error kept in ``last_error``. A row that failed
``[mail] max_attempts`` times is marked ``failed`` and stays in the outbox for staff; no row is
ever deleted here, and a worker that dies mid-send leaves the row to be retried.
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..database import transaction
from ..models import OutboxChannel, OutboxMessage, OutboxState
from ..settings import MailSettings, Settings
from .clock import now_utc


class Transport(Protocol):
    """One channel's way out. ``send`` returns on success and raises on failure."""

    def send(self, message: OutboxMessage) -> None: ...


class SmtpTransport:
    """E-mail by SMTP (smtplib); the ``.ics`` goes as ``text/calendar; method=…``."""

    def __init__(self, mail: MailSettings) -> None:
        self.mail = mail

    def build(self, message: OutboxMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.mail.sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(now_utc())
        mail["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain="rettidig")
        mail.set_content(message.body)
        if message.ics:
            method = message.ics_method or "REQUEST"
            mail.add_attachment(
                message.ics,
                subtype="calendar",
                filename="samtale.ics",
                params={"method": method},
            )
        return mail

    def send(self, message: OutboxMessage) -> None:
        mail = self.mail
        with smtplib.SMTP(mail.smtp_host, mail.smtp_port, timeout=mail.timeout_s) as s:
            if mail.smtp_starttls:
                s.starttls()
            if mail.username:
                s.login(mail.username, mail.password)
            s.send_message(self.build(message))


class FileTransport:
    """A local SMS / Digital Post adapter: one JSON line per message in a log file.

    A real gateway adapter implements the same ``send``; this one lets the demo and the tests
    see exactly what would have left."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message: OutboxMessage) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {
            "id": message.id,
            "channel": message.channel.value,
            "recipient": message.recipient,
            "subject": message.subject,
            "body": message.body,
            "has_calendar": bool(message.ics),
            "at": now_utc().isoformat(),
        }
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def default_transports(settings: Settings) -> dict[OutboxChannel, Transport]:
    """SMTP for e-mail; the local file adapters (in the instance folder) for SMS and Digital
    Post."""
    base = Path(settings.instance_path)
    return {
        OutboxChannel.email: SmtpTransport(settings.mail),
        OutboxChannel.sms: FileTransport(base / settings.outbox.sms_log),
        OutboxChannel.digital_post: FileTransport(base / settings.outbox.digital_post_log),
    }


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.sent)} sent, {len(self.retrying)} to retry, {len(self.failed)} failed"


def backoff(settings: Settings, attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: retry_minutes · 2^(attempts − 1), at most a day."""
    base = settings.mail.retry_minutes
    return min(timedelta(minutes=base * 2 ** max(attempts - 1, 0)), timedelta(days=1))


def _claim(session: Session, settings: Settings, now: datetime, limit: int) -> list[OutboxMessage]:
    with transaction(session):
        stmt = (
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.pending, OutboxMessage.not_before <= now)
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        rows = list(session.scalars(stmt))
        for row in rows:
            row.attempts += 1
            row.not_before = now + backoff(settings, row.attempts)
    return rows


def _settle(
    session: Session, row_id: int, error: str | None, max_attempts: int, report: DeliveryReport
) -> None:
    """Mark one claimed row sent, or keep its error (failed after ``max_attempts``)."""
    with transaction(session):
        fresh = session.get(OutboxMessage, row_id, populate_existing=True)
        if fresh is None:  # pragma: no cover - rows are never deleted once claimed
            return
        if error is None:
            fresh.state = OutboxState.sent
            fresh.sent_at = now_utc()
            fresh.last_error = None
            report.sent.append(fresh.id)
        else:
            fresh.last_error = error
            if fresh.attempts >= max_attempts:
                fresh.state = OutboxState.failed
                report.failed.append(fresh.id)
            else:
                report.retrying.append(fresh.id)


def deliver_due(
    session: Session,
    settings: Settings,
    *,
    now: datetime | None = None,
    transports: Mapping[OutboxChannel, Transport] | None = None,
    limit: int | None = None,
) -> DeliveryReport:
    """Send every pending row whose ``not_before`` has come; see the module docstring."""
    now = now or now_utc()
    transports = transports or default_transports(settings)
    report = DeliveryReport()
    for row in _claim(session, settings, now, limit or settings.outbox.batch_size):
        error: str | None = None
        try:
            transports[row.channel].send(row)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
            error = f"{type(exc).__name__}: {exc}"[:2000]
        _settle(session, row.id, error, settings.mail.max_attempts, report)
    return report
