"""``flask --app booking import KIND FILE [--dry-run]``: import units, caseworkers, citizens,
programmes, conversation history or absences from a CSV or XLSX file (docs/import.md).

Prints what was (or with ``--dry-run`` would be) created, changed and left alone, and every
refused row as ``række N, kolonne K: fejl``; exits 1 when a row is refused (then nothing was
written)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask_babel import force_locale

from .db import db
from .extensions import settings
from .services.imports import KINDS, Actor, ImportError_, run_import


def register(app: Flask) -> None:
    @app.cli.command("import")
    @click.argument("kind", type=click.Choice(list(KINDS)))
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check and count only; write nothing.")
    def import_command(kind: str, file: Path, dry_run: bool) -> None:
        """Import KIND (units, caseworkers, citizens, programmes, history, absences) from
        FILE (.csv or .xlsx)."""
        from .blueprints.imports.messages import message, row_message

        started = time.perf_counter()
        with db.fresh_session() as session:
            try:
                result = run_import(session, kind, file.read_bytes(), file.name,
                                    settings=settings(), actor=Actor.system(), dry_run=dry_run)
            except ImportError_ as err:
                with current_app.test_request_context(), force_locale("da"):
                    click.echo(f"error: {message(err)}", err=True)
                sys.exit(1)
        seconds = time.perf_counter() - started
        with current_app.test_request_context(), force_locale("da"):  # the messages' words
            for error in result.errors:
                where = f"række {error.row}" if error.row else "fil"
                column = f", kolonne {error.column}" if error.column else ""
                click.echo(f"{where}{column}: {row_message(error)}", err=True)
        verb = "would be" if dry_run or not result.ok else "were"
        click.echo(
            f"{kind}: {result.rows} rows read; {result.created} {verb} created, "
            f"{result.changed} changed, {result.unchanged} unchanged"
            + (f"; obligations recomputed for {result.citizens_recomputed} citizens"
               if result.written else "")
            + f" ({seconds:.1f} s)"
        )
        if result.errors:
            click.echo(f"{result.bad_rows} bad rows: nothing was written", err=True)
            sys.exit(1)
        if dry_run:
            click.echo("dry run: nothing was written")
