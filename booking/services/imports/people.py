"""Citizens (keyed by the keyed hash of ``cpr``) and their programmes (keyed by ``id``, the
case system's programme id), pauses included."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from stdnum.dk import cpr as stdnum_cpr

from ... import rules
from ...models import TARGET_GROUPS, Citizen, Programme, ProgrammePause
from ..law.context import rule_set_code_for
from . import cells
from .common import Columns, Context, Row, Seen, Writer, check_columns, chunks, rows, update_by_id
from .org import caseworker_ids, unit_ids, unit_of
from .result import ImportResult
from .table import Cell, Table

CITIZENS = Columns(("cpr", "navn", "enhed"), ("sagsbehandler", "telefon", "email", "sprog"))
PROGRAMMES = Columns(("id", "cpr", "målgruppe", "start"), ("slut", "pauser"))
LANGUAGES = {"da": "da", "dansk": "da", "en": "en", "engelsk": "en", "english": "en"}
GROUP_WORDS: dict[str, str] = {
    **{g: g for g in TARGET_GROUPS},
    "forsikret ledig": "insured_unemployed", "forsikrede ledige": "insured_unemployed",
    "dagpenge": "insured_unemployed", "kontanthjælp": "cash_benefit",
    "uddannelseshjælp": "education_benefit", "ressourceforløb": "resource_programme",
    "jobafklaringsforløb": "job_clarification", "jobafklaring": "job_clarification",
    "ledighedsydelse": "flexjob_benefit",
}
GROUPS_SHOWN = ("forsikret ledig, kontanthjælp, uddannelseshjælp, ressourceforløb, "
                "jobafklaringsforløb, ledighedsydelse")
PAUSE_REASON = "Importeret"  # a pause's reason when it came from a file


def citizen_ids(ctx: Context) -> dict[str, int]:
    """Every citizen's id by CPR hash (one query)."""
    return {h: cid for cid, h in ctx.session.execute(select(Citizen.id, Citizen.cpr_hash))}


def citizen_of(row: Row, ctx: Context, citizens: dict[str, int]) -> int | None:
    number = row.take("cpr", cells.cpr_number)
    if number is None:
        return None
    found = citizens.get(ctx.digest(number))
    if found is None:
        row.fail("cpr", "unknown_citizen")
    return found


def plan_citizens(ctx: Context, table: Table, result: ImportResult) -> Writer:
    if not check_columns(table, CITIZENS, result):
        return lambda _s: set()
    units = unit_ids(ctx)
    workers = caseworker_ids(ctx)
    fields = ("unit_id", "name", "caseworker_id", "phone", "email", "language")
    existing = {r.cpr_hash: r for r in ctx.session.execute(
        select(Citizen.id, Citizen.cpr_hash, *(getattr(Citizen, f) for f in fields)))}
    seen = Seen()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in rows(table, result):
        number = row.take("cpr", cells.cpr_number)
        values: dict[str, Any] = {
            "name": row.take("navn", cells.string, 120),
            "unit_id": unit_of(row, units),
        }
        if row.has("sagsbehandler"):
            ext = row.take("sagsbehandler", cells.string, 64, needed=False)
            values["caseworker_id"] = workers.get(ext) if ext else None
            if ext and ext not in workers:
                row.fail("sagsbehandler", "unknown_caseworker", caseworker=ext)
        for column, field_name, most in (("telefon", "phone", 32), ("email", "email", 200)):
            if row.has(column):
                values[field_name] = row.take(column, cells.string, most, needed=False)
        if row.has("sprog"):
            values["language"] = row.take("sprog", cells.choice, LANGUAGES, "da, en",
                                          default="da")
        if row.bad or number is None:
            continue
        digest = ctx.digest(number)
        if seen.repeat(row, digest, "cpr"):
            continue
        old = existing.get(digest)
        if old is None:
            new.append({"caseworker_id": None, "phone": None, "email": None, "language": "da",
                        **values, "cpr_hash": digest, "cpr_masked": f"{number[:6]}-xxxx",
                        "birth_date": stdnum_cpr.get_birth_date(number)})
            continue
        diff = {k: v for k, v in values.items() if getattr(old, k) != v}
        if diff:
            changed.append({"id": old.id, **diff})
        else:
            result.unchanged += 1
    result.created, result.changed = len(new), len(changed)

    def write(session: Session) -> set[int]:
        for part in chunks(new, 5000):
            session.execute(insert(Citizen), part)
        update_by_id(session, Citizen, changed)
        return set()  # name, unit and contact details do not move an obligation

    return write


def _pauses(cell: Cell) -> list[tuple[date, date | None]]:
    """``start..slut`` pauses separated by ``|`` (an open pause: ``start..``)."""
    raw = cells.text(cell)
    found: list[tuple[date, date | None]] = []
    for part in filter(None, (p.strip() for p in raw.split("|"))):
        first, dots, last = part.partition("..")
        if not dots:
            raise cells.CellError("bad_pause", value=part[:40])
        start = cells.day(first.strip())
        end = cells.day(last.strip(), needed=False)
        if start is None or (end is not None and end < start):
            raise cells.CellError("bad_pause", value=part[:40])
        found.append((start, end))
    return found


def plan_programmes(ctx: Context, table: Table, result: ImportResult) -> Writer:
    if not check_columns(table, PROGRAMMES, result):
        return lambda _s: set()
    citizens = citizen_ids(ctx)
    session = ctx.session
    existing = {r.external_id: r for r in session.execute(
        select(Programme.id, Programme.external_id, Programme.citizen_id,
               Programme.target_group, Programme.start_date, Programme.end_date)
        .where(Programme.external_id.is_not(None)))}
    paused: dict[int, dict[date, tuple[int, date | None]]] = {}
    for pid, pause_id, first, last in session.execute(
            select(ProgrammePause.programme_id, ProgrammePause.id, ProgrammePause.start_date,
                   ProgrammePause.end_date)):
        paused.setdefault(pid, {})[first] = (pause_id, last)
    rule_sets: dict[date, str] = {}
    seen = Seen()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    new_pauses: list[tuple[str, date, date | None]] = []  # (programme id in file, start, end)
    pause_ends: list[dict[str, Any]] = []
    touched: set[int] = set()
    for row in rows(table, result):
        ext = row.take("id", cells.string, 64)
        citizen = citizen_of(row, ctx, citizens)
        group = row.take("målgruppe", cells.choice, GROUP_WORDS, GROUPS_SHOWN)
        start = row.take("start", cells.day)
        end = row.take("slut", cells.day, needed=False) if row.has("slut") else None
        pauses = row.take("pauser", _pauses) if row.has("pauser") else []
        if start is not None and end is not None and end < start:
            row.fail("slut", "end_before_start")
        if start is not None and pauses and any(p < start for p, _e in pauses):
            row.fail("pauser", "pause_before_start")
        if start is not None and start not in rule_sets and not row.bad:
            try:
                rule_sets[start] = rule_set_code_for(ctx.law, start, ctx.today)
            except rules.RuleSetError:
                row.fail("start", "no_rule_set")
        if row.bad or ext is None or citizen is None or start is None or group is None:
            continue
        if seen.repeat(row, ext, "id"):
            continue
        old = existing.get(ext)
        if old is not None and old.citizen_id != citizen:
            row.fail("cpr", "other_citizen")
            continue
        values: dict[str, Any] = {"target_group": group, "start_date": start}
        if row.has("slut"):
            values["end_date"] = end
        known = paused.get(old.id, {}) if old is not None else {}
        adds = [(s, e) for s, e in pauses or [] if s not in known]
        ends = [{"id": known[s][0], "end_date": e} for s, e in pauses or []
                if s in known and known[s][1] != e]
        new_pauses.extend((ext, s, e) for s, e in adds)
        pause_ends.extend(ends)
        if old is None:
            new.append({"end_date": None, **values, "citizen_id": citizen, "external_id": ext,
                        "rule_set_code": rule_sets[start]})
            touched.add(citizen)
            continue
        diff = {k: v for k, v in values.items() if getattr(old, k) != v}
        if diff:
            changed.append({"id": old.id, **diff})
        if diff or adds or ends:
            result.changed += 1
            touched.add(citizen)
        else:
            result.unchanged += 1
    result.created = len(new)

    def write(session: Session) -> set[int]:
        for part in chunks(new, 5000):
            session.execute(insert(Programme), part)
        update_by_id(session, Programme, changed)
        if pause_ends:
            session.execute(update(ProgrammePause), pause_ends)
        if new_pauses:
            ids: dict[str | None, int] = {}
            for names in chunks(sorted({ext for ext, _s, _e in new_pauses})):
                ids.update(session.execute(select(Programme.external_id, Programme.id)
                                           .where(Programme.external_id.in_(names))).all())
            session.execute(insert(ProgrammePause), [
                {"programme_id": ids[ext], "start_date": s, "end_date": e,
                 "reason": PAUSE_REASON, "created_by_staff_id": None}
                for ext, s, e in new_pauses])
        return touched

    return write
