"""Files and runs for the import tests: the documented samples (docs/import/) and variants."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from booking.db import db
from booking.models import (
    Absence,
    AuditEntry,
    Caseworker,
    Citizen,
    HeldConversation,
    Obligation,
    Programme,
    ProgrammePause,
    Unit,
)
from booking.services.imports import Actor, run_import

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"
ORDER = ("units", "caseworkers", "citizens", "programmes", "history", "absences")
TODAY = date(2026, 11, 2)
TABLES = (Unit, Caseworker, Citizen, Programme, ProgrammePause, HeldConversation, Absence,
          Obligation)


def sample(kind: str) -> bytes:
    return (SAMPLES / f"{kind}.csv").read_bytes()


def run(app, kind: str, data: bytes, filename: str = "file.csv", *, dry_run: bool = False,
        today: date = TODAY):
    with app.app_context(), db.fresh_session() as session:
        return run_import(session, kind, data, filename, settings=app.extensions[
            "rettidig_settings"], actor=Actor.system(), dry_run=dry_run, today=today)


def import_samples(app, upto: str = "absences") -> None:
    """Import the sample files in order, up to and including ``upto``."""
    for kind in ORDER:
        result = run(app, kind, sample(kind))
        assert result.ok and result.written, (kind, result.errors)
        if kind == upto:
            return


def counts(app) -> dict[str, int]:
    """Rows per table (what an import may change)."""
    with app.app_context(), db.fresh_session() as session:
        return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
                for m in TABLES}


def audit_details(app, action: str) -> list[dict]:
    with app.app_context(), db.fresh_session() as session:
        return [e.detail for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def csv_bytes(lines: list[str], *, separator: str = ";", bom: bool = False,
              encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(line.replace(";", separator) for line in lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
