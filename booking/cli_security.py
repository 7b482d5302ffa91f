"""Flask commands for the operator: check-config (every unsafe setting) and cpr-rehash (moves
every citizen to a rotated CPR hash key; booking.services.cpr_keys)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from .config_checks import findings
from .db import db
from .extensions import settings
from .services.cpr_keys import CprKeys, rehash_all


def register(app: Flask) -> None:
    @app.cli.command("check-config")
    @click.option(
        "--processes",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        envvar="WEB_CONCURRENCY",
        help="Web processes that will share the rate-limit storage (gunicorn -w; WEB_CONCURRENCY).",
    )
    def check_config(processes: int) -> None:
        """List every unsafe setting (secrets, mode, database, rate limits, debug, mail, https,
        cookies) and warnings; exit 1 when a setting is unsafe (warnings alone exit 0)."""
        cfg = settings()
        found = findings(cfg, current_app.config, processes=processes)
        unsafe = [f for f in found if not f.warning]
        for finding in found:
            click.echo(f"{'warning' if finding.warning else 'unsafe'}: {finding}")
        warnings = len(found) - len(unsafe)
        if unsafe:
            click.echo(
                f"{len(unsafe)} unsafe setting(s), {warnings} warning(s) (mode {cfg.app.mode})"
            )
            sys.exit(1)
        click.echo(f"no unsafe setting found, {warnings} warning(s) (mode {cfg.app.mode})")

    @app.cli.command("cpr-rehash")
    @click.option("--dry-run", is_flag=True, help="Only count the rows; change nothing.")
    def cpr_rehash(dry_run: bool) -> None:
        """Move every citizen still hashed with CPR_HASH_KEY_PREVIOUS to CPR_HASH_KEY (after a
        rotation; prints only counts). Exit 1 when CPR_HASH_KEY_PREVIOUS is not set."""
        keys = CprKeys.from_settings(settings().security)
        if not keys.rotating:
            click.echo(
                "error: CPR_HASH_KEY_PREVIOUS is not set (or equals CPR_HASH_KEY): nothing to "
                "re-hash from",
                err=True,
            )
            sys.exit(1)
        with db.fresh_session() as session:
            report = rehash_all(session, keys, dry_run=dry_run)
        click.echo(report.summary())
