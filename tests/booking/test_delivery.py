"""Outbox delivery against a real SMTP server on loopback (aiosmtpd): e-mail with the .ics,
local SMS / Digital Post adapters, retries with back-off, failed rows kept."""

from __future__ import annotations

import email
import json
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from booking.models import OutboxChannel, OutboxMessage, OutboxState
from booking.services import reservations
from booking.services.clock import now_utc
from booking.services.delivery import backoff, deliver_due
from booking.services.outbox import enqueue
from tests.conftest import use_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def mail_settings(app, settings, tmp_path, smtp):
    controller, _ = smtp
    changed = settings.with_changes(
        {
            "mail": {"smtp_port": controller.port, "smtp_host": "127.0.0.1", "timeout_s": 5},
            "outbox": {
                "sms_log": str(tmp_path / "sms.log"),
                "digital_post_log": str(tmp_path / "dp.log"),
            },
        }
    )
    use_settings(app, changed)
    return changed


def test_send_outbox_command_delivers_the_booking_mail_with_calendar(
    app, runner, session, world, mail_settings, smtp, tmp_path
):
    _, inbox = smtp
    reservations.book(
        session,
        citizen_id=world.citizen.id,
        obligation_id=world.ob.id,
        slot_id=world.slots[3].id,
        request_key="k",
        settings=mail_settings,
    )
    result = runner.invoke(args=["send-outbox"])
    assert result.exit_code == 0, result.output
    assert "2 sent" in result.output  # the e-mail and the SMS; reminders wait for their time
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert msg["To"] == world.citizen.email
    assert "Din samtale er booket" in msg["Subject"]
    parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1 and parts[0].get_param("method") == "REQUEST"
    cal = Calendar.from_ical(parts[0].get_content())
    assert str(cal["METHOD"]) == "REQUEST"
    sms = [json.loads(line) for line in (tmp_path / "sms.log").read_text().splitlines()]
    assert sms[0]["recipient"] == world.citizen.phone and "booket" in sms[0]["body"]
    session.expire_all()
    states = {m.dedupe_key: m.state for m in session.scalars(select(OutboxMessage))}
    assert sorted(states.values()).count(OutboxState.sent) == 2
    assert all(s == OutboxState.pending for k, s in states.items() if k.startswith("reminder:"))
    # at the reminder's time the worker sends it
    later = world.slots[3].starts_at - timedelta(hours=47)
    report = deliver_due(session, mail_settings, now=later)
    assert len(report.sent) == 2
    assert "Påmindelse" in inbox.messages[-1]["Subject"]


def test_a_failed_delivery_is_retried_with_backoff_and_never_lost(
    session, mail_settings, smtp, tmp_path
):
    controller, inbox = smtp
    # nobody listens on the port
    mail_settings = mail_settings.with_changes(
        {"mail": {"smtp_port": _free_port(), "max_attempts": 3}}
    )
    message = enqueue(
        session,
        channel=OutboxChannel.email,
        recipient="borger@example.org",
        subject="Prøve",
        body="Hej",
    )
    session.commit()
    now = now_utc()
    report = deliver_due(session, mail_settings, now=now)
    assert report.retrying == [message.id]
    session.refresh(message)
    assert message.state == OutboxState.pending and message.attempts == 1
    assert message.last_error and "Connection" in message.last_error
    assert message.not_before == now + backoff(mail_settings, 1)
    # not due again before the back-off has passed
    assert deliver_due(session, mail_settings, now=now).retrying == []
    # the server is back: the retry delivers it
    mail_settings = mail_settings.with_changes({"mail": {"smtp_port": controller.port}})
    report = deliver_due(session, mail_settings, now=message.not_before)
    assert report.sent == [message.id]
    session.refresh(message)
    assert message.state == OutboxState.sent and message.attempts == 2
    assert inbox.messages[-1]["Subject"] == "Prøve"


def test_after_max_attempts_the_row_is_failed_but_kept(session, mail_settings, tmp_path):
    mail_settings = mail_settings.with_changes(
        {"mail": {"smtp_port": _free_port(), "max_attempts": 2}}
    )
    message = enqueue(
        session, channel=OutboxChannel.email, recipient="x@example.org", subject="s", body="b"
    )
    session.commit()
    when = now_utc()
    for _ in range(2):
        deliver_due(session, mail_settings, now=when)
        when += timedelta(days=2)
    session.refresh(message)
    assert message.state == OutboxState.failed and message.attempts == 2
    assert session.get(OutboxMessage, message.id) is not None


def test_digital_post_goes_through_the_local_adapter(session, mail_settings, tmp_path):
    enqueue(
        session,
        channel=OutboxChannel.digital_post,
        recipient="citizen:7",
        subject="Brev",
        body="Indkaldelse",
        ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    session.commit()
    report = deliver_due(session, mail_settings)
    assert len(report.sent) == 1
    line = json.loads((tmp_path / "dp.log").read_text().splitlines()[0])
    assert line["recipient"] == "citizen:7" and line["has_calendar"] is True


def test_the_periodic_huey_task_delivers(app, session, mail_settings, smtp):
    from booking.tasks import deliver_outbox, huey

    _, inbox = smtp
    assert huey.immediate  # tests run the queue inline
    enqueue(session, channel=OutboxChannel.email, recipient="a@example.org", subject="t", body="b")
    session.commit()
    deliver_outbox()  # periodic tasks keep no result; the mail is the proof
    assert inbox.messages[-1]["Subject"] == "t"
