"""The audit of page views, written in batches instead of one commit per view.

A citizen's page view (their overview, their free times, one booking) is read-only work; its
audit entry used to be committed with it, so every view waited for the database to flush its
log to disk, and under load the views queued behind each other's commits. Now :func:`record`
stamps the entry (time of the view, who, what) and hands it to this process's buffer; a
background thread writes everything buffered in one INSERT and one commit every
``[audit] read_flush_seconds`` (and at once when ``[audit] read_batch`` entries wait), and the
process writes the rest when it exits (``atexit``: gunicorn's graceful stop of a worker, the
CLI, the test run).

Every view is still audited, in the database within ``read_flush_seconds``; :func:`flush`
writes at once (the audit trail's own pages call it, so this process never shows a trail
missing its own recent views). What a process killed outright (SIGKILL, power loss) held in
its buffer in the last ``read_flush_seconds`` is lost; changes (bookings, cancellations, staff
reads of a citizen's file) are audited in their own transaction as before. While the database
cannot be reached the entries stay buffered and are tried again; after ``GIVE_UP_SECONDS`` of
failures (a database that is gone) they are written to the error log instead, one line each.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.orm import Session

from ..database import transaction
from ..models import ActorKind, AuditEntry
from .clock import now_utc

log = logging.getLogger(__name__)
# how long entries that cannot be written are tried again before they go to the error log
GIVE_UP_SECONDS = 600.0


@dataclass
class _Buffer:
    """The entries waiting for one database (engine) in this process."""

    engine: Engine
    rows: list[dict[str, Any]] = field(default_factory=list)
    failing_since: float | None = None  # monotonic time of the first failure in a row


class ReadAudit:
    """This process's buffered audit entries of page views, one buffer per database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # one flush at a time: a flush that finds the rows taken by the thread's flush waits
        # until they are written, so "flush, then read" always sees this process's views
        self._writing = threading.Lock()
        self._buffers: dict[Engine, _Buffer] = {}
        self._pid = os.getpid()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.flush_seconds = 1.0
        self.batch = 500

    def add(self, engine: Engine, row: dict[str, Any], *, seconds: float, batch: int) -> None:
        with self._lock:
            self._after_fork()
            self.flush_seconds, self.batch = seconds, batch
            buffer = self._buffers.setdefault(engine, _Buffer(engine))
            buffer.rows.append(row)
            full = len(buffer.rows) >= batch
            self._start()
        if full:
            self._wake.set()

    def pending(self) -> int:
        with self._lock:
            self._after_fork()
            return sum(len(b.rows) for b in self._buffers.values())

    def flush(self, engine: Engine | None = None) -> int:
        """Write what is buffered (for ``engine``, or for every database); the entries
        written. An entry that could not be written stays buffered for the next flush.
        Returns only once every entry buffered before the call is written (or put back)."""
        with self._writing:
            return self._flush(engine)

    def _flush(self, engine: Engine | None) -> int:
        with self._lock:
            self._after_fork()
            buffers = [b for b in self._buffers.values() if engine is None or b.engine is engine]
            taken = [(b, b.rows) for b in buffers if b.rows]
            for b in buffers:
                b.rows = []
                if b.failing_since is None:  # nothing held: the engine is not kept alive
                    self._buffers.pop(b.engine, None)
        written = 0
        for buffer, rows in taken:
            try:
                with Session(buffer.engine) as session, transaction(session):
                    session.execute(insert(AuditEntry), rows)
            except Exception as exc:  # noqa: BLE001 - kept and tried again
                self._failed(buffer, rows, exc)
            else:
                written += len(rows)
                buffer.failing_since = None
        return written

    def _failed(self, buffer: _Buffer, rows: list[dict[str, Any]], exc: Exception) -> None:
        """Put ``rows`` back in front of the engine's buffer (a new one if views came in
        meanwhile), or log them once the database has failed for ``GIVE_UP_SECONDS``."""
        now = time.monotonic()
        since = buffer.failing_since or now
        if buffer.failing_since is None:
            log.warning("audit of page views: %s entries not written yet (%s)", len(rows), exc)
        if now - since < GIVE_UP_SECONDS:
            with self._lock:
                current = self._buffers.setdefault(buffer.engine, buffer)
                current.rows[:0] = rows
                current.failing_since = since
            return
        for row in rows:
            log.error("audit of page view not written to the database: %s", _line(row))

    def _after_fork(self) -> None:
        """A forked child (a gunicorn worker) starts empty, with its own thread."""
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._writing = threading.Lock()  # held by no thread of this process
            self._buffers = {}
            self._thread = None
            self._wake = threading.Event()

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._run, name="rettidig-read-audit", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        wake = self._wake
        while True:
            wake.wait(self.flush_seconds)
            wake.clear()
            self.flush()


def _line(row: dict[str, Any]) -> str:
    values = {k: (v.isoformat() if isinstance(v, datetime) else str(v)) for k, v in row.items()}
    return json.dumps(values, sort_keys=True)


BUFFER = ReadAudit()
atexit.register(BUFFER.flush)


def record(
    session: Session,
    *,
    actor_kind: ActorKind,
    actor_id: int | None,
    action: str,
    citizen_id: int | None,
    object_type: str | None = None,
    object_id: int | None = None,
    seconds: float,
    batch: int,
    at: datetime | None = None,
) -> None:
    """Buffer the audit entry of a page view on ``session``'s database (no transaction and
    no commit of the caller's: the view stays a read)."""
    row = {
        "at": at or now_utc(),
        "actor_kind": actor_kind,
        "actor_id": actor_id,
        "action": action,
        "citizen_id": citizen_id,
        "object_type": object_type,
        "object_id": object_id,
        "detail": None,
    }
    BUFFER.add(_engine(session), row, seconds=seconds, batch=batch)


def flush(session: Session | None = None) -> int:
    """Write the buffered views now (of ``session``'s database, or of every database)."""
    return BUFFER.flush(None if session is None else _engine(session))


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind
