"""Flask commands: db, init-db, demo, citizen-link, create-user."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from flask import Flask, current_app, url_for
from sqlalchemy import text

from . import migrate
from .cli_outbox import register_outbox_cli
from .db import db
from .extensions import passwords, settings
from .models import Base, Role
from .services import accounts
from .services.clock import today_local
from .services.demo import DemoError, DemoOptions, build_demo, demo_today
from .services.errors import NotFound
from .services.rulesets import sync_rule_sets
from .services.security import make_citizen_token


def _url() -> str:
    return settings().database_url


def register_cli(app: Flask) -> None:
    from . import cli_plan, cli_rehab, cli_rules, cli_scenario, cli_security

    cli_security.register(app)  # check-config, cpr-rehash
    cli_rehab.register(app)
    cli_plan.register(app)
    cli_rules.register(app)
    cli_scenario.register(app)  # scenario export, scenario run (what-ifs)
    from . import cli_import

    cli_import.register(app)  # import KIND FILE [--dry-run] (docs/import.md)
    from . import cli_api

    cli_api.register(app)  # api-key issue/revoke/list/purge-idempotency (docs/api.md)

    register_outbox_cli(app)

    @app.cli.group("db", help="Database migrations (Alembic).")
    def db_group() -> None:
        pass

    @db_group.command("upgrade")
    @click.argument("revision", default="head")
    def db_upgrade(revision: str) -> None:
        """Upgrade the database to REVISION (default: head)."""
        migrate.upgrade(_url(), revision)
        click.echo(f"database at {revision}")

    @db_group.command("downgrade")
    @click.argument("revision")
    def db_downgrade(revision: str) -> None:
        """Downgrade the database to REVISION (e.g. base)."""
        migrate.downgrade(_url(), revision)
        click.echo(f"database at {revision}")

    @db_group.command("current")
    def db_current() -> None:
        from alembic import command

        command.current(migrate.alembic_config(_url()))

    @db_group.command("revision")
    @click.option("-m", "--message", required=True)
    def db_revision(message: str) -> None:
        """Autogenerate a new migration from the models."""
        from alembic import command

        command.revision(migrate.alembic_config(_url()), message=message, autogenerate=True)

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the schema and register the shipped rule sets."""
        migrate.upgrade(_url())
        with db.fresh_session() as session:
            sync_rule_sets(session)
        from . import cli_rules

        cli_rules.run_recompute(dry_run=False)
        click.echo("database ready")

    @app.cli.command("demo")
    @click.option("--reset", is_flag=True, help="Drop all data first.")
    @click.option(
        "--today",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help="Planning date of the demo (default: today, or the next working day).",
    )
    @click.option("--citizens", type=int, default=None, help="Number of citizens.")
    def demo(reset: bool, today: datetime | None, citizens: int | None) -> None:
        """Build the deterministic demo municipality and print logins and citizen links."""
        cfg = settings()
        if reset:
            _drop_all()
        migrate.upgrade(_url())
        opts = DemoOptions(
            today=(today.date() if today
                   else demo_today(today_local(), cfg.calendar.optional_closed)),
            seed=cfg.demo.seed,
            citizens=citizens or cfg.demo.citizens,
            caseworkers_per_unit=cfg.demo.caseworkers_per_unit,
            weeks=cfg.demo.weeks_of_slots,
            rule_set=cfg.rules.active,
            optional_closed=cfg.calendar.optional_closed,
        )
        with db.fresh_session() as session:
            try:
                result = build_demo(session, passwords(), cfg, opts)
            except DemoError:
                click.echo(
                    "error: the database already holds data; "
                    "run `flask --app booking demo --reset`",
                    err=True,
                )
                sys.exit(1)
        click.echo(
            "Demo municipality ready: "
            + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.counts.items())
        )
        click.echo("\nStaff logins (username / password):")
        for role, username, password in result.logins:
            click.echo(f"  {role:<11} {username} / {password}")
        click.echo("\nCitizens' personal links:")
        for citizen_id, name, version in result.showcase:
            click.echo(f"  {name}: {_link(citizen_id, version)}")
        if result.lookup:
            name, number = result.lookup
            click.echo(
                f'\nA synthetic CPR number to try in "Find borger": '
                f"{number[:6]}-{number[6:]} ({name})"
            )
        click.echo(f"Demo day: {opts.today:%A %d-%m-%Y} (the group call-in is planned for it)")

    @app.cli.command("citizen-link")
    @click.argument("citizen_id", type=int)
    def citizen_link(citizen_id: int) -> None:
        """Print a new personal link for citizen CITIZEN_ID; every older link stops working."""
        with db.fresh_session() as session:
            try:
                found, version = accounts.issue_citizen_link(session, citizen_id)
            except NotFound:
                click.echo(f"error: no citizen with id {citizen_id}", err=True)
                sys.exit(1)
        click.echo(_link(found, version))

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option(
        "--role", type=click.Choice([r.value for r in Role if r != Role.citizen]), required=True
    )
    @click.option("--name", "full_name", required=True)
    @click.password_option()
    def create_user(username: str, role: str, full_name: str, password: str) -> None:
        """Create a staff user."""
        with db.fresh_session() as session:
            try:
                accounts.add_staff_user(
                    session,
                    passwords(),
                    username=username,
                    full_name=full_name,
                    password=password,
                    role=Role(role),
                )
            except accounts.AccountError:
                click.echo(f"error: user {username} exists", err=True)
                sys.exit(1)
        click.echo(f"created {role} {username}")


def _link(citizen_id: int, link_version: int) -> str:
    token = make_citizen_token(settings().app.secret_key, citizen_id, link_version)
    with current_app.test_request_context(base_url=settings().app.public_url):
        return url_for("auth.citizen_link", token=token, _external=True)


def _drop_all() -> None:
    engine = db.engine
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
