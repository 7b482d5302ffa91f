"""One import run: read, check, write (unless refused or a dry run), recompute, audit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ...database import transaction
from ...models import ActorKind
from ...settings import Settings
from .. import audit
from ..clock import today_local
from ..cpr_keys import CprKeys
from ..errors import ServiceError
from ..law.context import LawConfig
from .common import Columns, Context, Writer
from .history import HISTORY, plan_history
from .org import ABSENCES, CASEWORKERS, UNITS, plan_absences, plan_caseworkers, plan_units
from .people import CITIZENS, PROGRAMMES, plan_citizens, plan_programmes
from .recompute import recompute
from .result import ImportResult, RowError
from .table import FileError, Table, read_table

Planner = Callable[[Context, Table, ImportResult], Writer]

#: The kinds in the order a job centre is imported (each needs the ones before it).
KINDS: dict[str, Planner] = {
    "units": plan_units,
    "caseworkers": plan_caseworkers,
    "citizens": plan_citizens,
    "programmes": plan_programmes,
    "history": plan_history,
    "absences": plan_absences,
}
SQLITE_CACHE_KIB = 256 * 1024  # 256 MB of page cache during an import on SQLite
#: Each kind's columns (for the upload page; docs/import.md describes them).
COLUMNS: dict[str, Columns] = {
    "units": UNITS, "caseworkers": CASEWORKERS, "citizens": CITIZENS,
    "programmes": PROGRAMMES, "history": HISTORY, "absences": ABSENCES,
}


class ImportError_(ServiceError):
    """The run cannot start; nothing was changed. Codes: ``unknown_kind`` (``kind``),
    ``cpr_key_rotating`` (run ``flask cpr-rehash`` first, so that every citizen is found by
    the current key)."""


@dataclass(frozen=True)
class Actor:
    """Who runs the import: a staff user (web) or the system (the command line)."""

    kind: ActorKind
    id: int | None

    @classmethod
    def system(cls) -> Actor:
        return cls(ActorKind.system, None)


def run_import(
    session: Session,
    kind: str,
    data: bytes,
    filename: str = "",
    *,
    settings: Settings,
    actor: Actor,
    dry_run: bool = True,
    today: date | None = None,
) -> ImportResult:
    """Import ``data`` (a CSV or XLSX file) of ``kind`` (see :data:`KINDS`).

    Every refused row is in the result's ``errors`` and then nothing but the audit entry is
    written; a dry run writes only the audit entry too. Raises :class:`ImportError_` before
    reading when the run cannot start."""
    planner = KINDS.get(kind)
    if planner is None:
        raise ImportError_("unknown_kind", kind=kind)
    if CprKeys.from_settings(settings.security).rotating:
        raise ImportError_("cpr_key_rotating")
    result = ImportResult(kind, dry_run)
    day = today or today_local()
    with transaction(session), _large_cache(session):
        try:
            table = read_table(data, filename)
        except FileError as err:
            result.errors.append(RowError(0, "", err.code, dict(err.params)))
            table = None
        if table is not None:
            result.format = table.format
            write = planner(Context(session, settings, day), table, result)
            if result.ok and not dry_run:
                touched = write(session)
                session.flush()
                result.citizens_recomputed = recompute(
                    session, touched, day, LawConfig.from_settings(settings))
                result.written = True
        audit.record(session, actor_kind=actor.kind, actor_id=actor.id,
                     action=f"import.{kind}", detail=result.counts())
    return result


@contextmanager
def _large_cache(session: Session) -> Iterator[None]:
    """On SQLite, a page cache big enough for the whole import while it runs (the default
    2 MB spills a 100,000-row transaction to disk page by page); restored afterwards."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")
