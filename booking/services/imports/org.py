"""Units (keyed by ``enhed``), caseworkers (keyed by ``id``, their external id) and their
absences (keyed by ``id`` when given, else by caseworker, start and end; the free slots inside
a new or moved absence are closed as when one is typed in)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ...models import Absence, Caseworker, Unit
from ..accounts import new_calendar_token
from ..calendar_days import local_datetime
from ..staff_time.absences import close_free_slots
from . import cells
from .common import Columns, Context, Row, Seen, Writer, check_columns, rows, update_by_id
from .result import ImportResult
from .table import Table

UNITS = Columns(("enhed", "navn"))
CASEWORKERS = Columns(
    ("id", "enhed", "navn", "initialer"), ("telefon", "maks_pr_dag", "aktiv")
)
ABSENCES = Columns(("sagsbehandler", "start", "slut"), ("årsag", "id"))
ABSENCE_ID_PREFIX = "import:"
REASON_MAX = 200


def _nothing(_session: Session) -> set[int]:
    return set()


def plan_units(ctx: Context, table: Table, result: ImportResult) -> Writer:
    if not check_columns(table, UNITS, result):
        return _nothing
    existing = {code: (uid, name) for uid, code, name in
                ctx.session.execute(select(Unit.id, Unit.code, Unit.name))}
    seen = Seen()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in rows(table, result):
        code = row.take("enhed", cells.string, 32)
        name = row.take("navn", cells.string, 120)
        if row.bad or code is None or seen.repeat(row, code, "enhed"):
            continue
        if code not in existing:
            new.append({"code": code, "name": name})
        elif existing[code][1] != name:
            changed.append({"id": existing[code][0], "name": name})
        else:
            result.unchanged += 1
    result.created, result.changed = len(new), len(changed)

    def write(session: Session) -> set[int]:
        if new:
            session.execute(insert(Unit), new)
        if changed:
            session.execute(update(Unit), changed)
        return set()

    return write


def unit_ids(ctx: Context) -> dict[str, int]:
    return {code: uid for uid, code in ctx.session.execute(select(Unit.id, Unit.code))}


def caseworker_ids(ctx: Context) -> dict[str, int]:
    return {
        ext: cid for cid, ext in ctx.session.execute(
            select(Caseworker.id, Caseworker.external_id).where(
                Caseworker.external_id.is_not(None))
        ) if ext is not None
    }


def unit_of(row: Row, units: dict[str, int]) -> int | None:
    code = row.take("enhed", cells.string, 32)
    if code is None:
        return None
    if code not in units:
        row.fail("enhed", "unknown_unit", unit=code)
        return None
    return units[code]


def plan_caseworkers(ctx: Context, table: Table, result: ImportResult) -> Writer:
    if not check_columns(table, CASEWORKERS, result):
        return _nothing
    units = unit_ids(ctx)
    fields = ("unit_id", "name", "initials", "phone", "max_per_day", "active")
    existing = {
        r.external_id: r for r in ctx.session.execute(
            select(Caseworker.id, Caseworker.external_id,
                   *(getattr(Caseworker, f) for f in fields))
            .where(Caseworker.external_id.is_not(None)))
    }
    seen = Seen()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in rows(table, result):
        ext = row.take("id", cells.string, 64)
        values: dict[str, Any] = {
            "unit_id": unit_of(row, units),
            "name": row.take("navn", cells.string, 120),
            "initials": row.take("initialer", cells.string, 8),
        }
        if row.has("telefon"):
            values["phone"] = row.take("telefon", cells.string, 32, needed=False)
        if row.has("maks_pr_dag"):
            values["max_per_day"] = row.take("maks_pr_dag", cells.number, 1, 100)
        if row.has("aktiv"):
            values["active"] = row.take("aktiv", cells.yes_no, True)
        if row.bad or ext is None or seen.repeat(row, ext, "id"):
            continue
        old = existing.get(ext)
        if old is None:
            new.append({"phone": None, "max_per_day": None, "active": True, **values,
                        "external_id": ext, "calendar_token": new_calendar_token()})
            continue
        diff = {k: v for k, v in values.items() if getattr(old, k) != v}
        if diff:
            changed.append({"id": old.id, **diff})
        else:
            result.unchanged += 1
    result.created, result.changed = len(new), len(changed)

    def write(session: Session) -> set[int]:
        if new:
            session.execute(insert(Caseworker), new)
        update_by_id(session, Caseworker, changed)
        return set()

    return write


def _span(row: Row) -> tuple[datetime, datetime] | None:
    """The absence's start and end instants: a date alone is the whole day (the end date
    included)."""
    start = row.take("start", cells.moment)
    end = row.take("slut", cells.moment)
    if start is None or end is None:
        return None
    first = local_datetime(start[0], start[1] or time(0, 0))
    end_day: date = end[0] if end[1] is not None else end[0] + timedelta(days=1)
    last = local_datetime(end_day, end[1] or time(0, 0))
    if last <= first:
        row.fail("slut", "end_before_start")
        return None
    return first, last


def plan_absences(ctx: Context, table: Table, result: ImportResult) -> Writer:
    if not check_columns(table, ABSENCES, result):
        return _nothing
    workers = caseworker_ids(ctx)
    by_uid: dict[tuple[int, str], Any] = {}
    by_span: dict[tuple[int, datetime, datetime], Any] = {}
    for r in ctx.session.execute(select(Absence.id, Absence.caseworker_id, Absence.starts_at,
                                        Absence.ends_at, Absence.reason, Absence.ics_uid)):
        if r.ics_uid is not None:
            by_uid[(r.caseworker_id, r.ics_uid)] = r
        by_span.setdefault((r.caseworker_id, r.starts_at, r.ends_at), r)
    seen = Seen()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    closing: list[tuple[int, datetime, datetime]] = []
    for row in rows(table, result):
        ext = row.take("sagsbehandler", cells.string, 64)
        worker = None
        if ext is not None:
            worker = workers.get(ext)
            if worker is None:
                row.fail("sagsbehandler", "unknown_caseworker", caseworker=ext)
        span = _span(row)
        reason = row.take("årsag", cells.string, REASON_MAX, needed=False)
        absence_id = row.take("id", cells.string, 64, needed=False)
        if row.bad or worker is None or span is None:
            continue
        uid = ABSENCE_ID_PREFIX + absence_id if absence_id else None
        key: object = (worker, uid) if uid else (worker, *span)
        if seen.repeat(row, key, "id" if uid else "start"):
            continue
        old = by_uid.get((worker, uid)) if uid else by_span.get((worker, *span))
        if old is None or (old.starts_at, old.ends_at) != span:
            closing.append((worker, *span))
        if old is None:
            new.append({"caseworker_id": worker, "starts_at": span[0], "ends_at": span[1],
                        "reason": reason, "ics_uid": uid})
        elif (old.starts_at, old.ends_at, old.reason) != (span[0], span[1], reason):
            changed.append({"id": old.id, "starts_at": span[0], "ends_at": span[1],
                            "reason": reason})
        else:
            result.unchanged += 1
    result.created, result.changed = len(new), len(changed)

    def write(session: Session) -> set[int]:
        if new:
            session.execute(insert(Absence), new)
        if changed:
            session.execute(update(Absence), changed)
        for worker_id, first, last in closing:  # as an absence typed in: free time goes
            close_free_slots(session, worker_id, first, last)
        return set()

    return write
