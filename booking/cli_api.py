"""Flask commands for the JSON API's keys: ``api-key issue NAME --scope …`` (prints the key
once), ``api-key revoke NAME``, ``api-key list`` and ``api-key purge-idempotency`` (removes
kept answers for ``Idempotency-Key`` older than 24 hours)."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from .db import db
from .services.api import idempotency, keys
from .services.errors import FormErrors, NotFound


def register(app: Flask) -> None:
    group = AppGroup("api-key", help="API keys of the systems that use /api/v1 (docs/api.md).")

    @group.command("issue")
    @click.argument("name")
    @click.option("--scope", "scopes", multiple=True, required=True,
                  type=click.Choice(list(keys.SCOPES)),
                  help="A scope the key grants; repeat for several.")
    def issue(name: str, scopes: tuple[str, ...]) -> None:
        """Issue a key for the system NAME and print it (it is shown only this once)."""
        with db.fresh_session() as session:
            try:
                made = keys.issue(session, name, list(scopes), staff_id=None)
            except FormErrors as err:
                for field, problem in err.fields.items():
                    click.echo(f"error: {field}: {problem.code}", err=True)
                sys.exit(1)
            click.echo(made.key)
            click.echo(f"issued to {made.client.name} with {', '.join(made.client.scopes)}; "
                       "the key is not shown again", err=True)

    @group.command("revoke")
    @click.argument("name")
    def revoke(name: str) -> None:
        """Revoke the key of the system NAME (at once)."""
        with db.fresh_session() as session:
            try:
                client = keys.revoke(session, keys.find_by_name(session, name).id,
                                     staff_id=None)
            except NotFound:
                click.echo(f"error: no API key named {name!r}", err=True)
                sys.exit(1)
            click.echo(f"revoked the key of {client.name} (rtd_{client.key_prefix}_…)")

    @group.command("list")
    def list_keys() -> None:
        """List the keys: name, prefix, scopes, state."""
        with db.fresh_session() as session:
            for c in keys.clients(session):
                state = f"revoked {c.revoked_at:%Y-%m-%d %H:%M}" if c.revoked_at else "live"
                click.echo(f"{c.name}\trtd_{c.key_prefix}_…\t{','.join(c.scopes)}\t{state}")

    @group.command("purge-idempotency")
    def purge() -> None:
        """Remove the answers kept for Idempotency-Key that are older than 24 hours."""
        with db.fresh_session() as session:
            click.echo(f"removed {idempotency.purge(session)} kept answers")

    app.cli.add_command(group)
