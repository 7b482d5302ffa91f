"""``flask --app booking send-outbox``: deliver the outbox rows that are due now."""

from __future__ import annotations

import sys

import click
from flask import Flask

from .db import db
from .extensions import settings
from .services.delivery import deliver_due


def register_outbox_cli(app: Flask) -> None:
    @app.cli.command("send-outbox")
    @click.option("--limit", type=int, default=None, help="At most this many messages.")
    def send_outbox(limit: int | None) -> None:
        """Send due e-mails (SMTP), SMS and Digital Post; failures are kept and retried."""
        with db.fresh_session() as session:
            report = deliver_due(session, settings(), limit=limit)
        click.echo(f"outbox: {report.summary()}")
        if report.failed:
            sys.exit(2)
