"""The engine, the session factory and the unit of work: Flask-free.

SQLite is the embedded default: one file in WAL mode, foreign keys on, and every write
transaction opened with ``BEGIN IMMEDIATE`` so two writers queue up instead of failing half-way.
PostgreSQL (psycopg 3) is the production database; there services lock the rows they change
with ``SELECT … FOR UPDATE``.

Services own their transactions: a service function that writes wraps its work in
:func:`transaction` (commit at the end, rollback on any exception, the write lock taken first on
SQLite). Transactions nest: an inner ``transaction`` joins the outer one, which alone commits.
Reading services need no context: the session's read transaction ends when the caller closes
the session (the web layer at the end of each request, the CLI and worker with
:meth:`Database.fresh_session`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from . import page_versions

_IMMEDIATE = "rettidig_sqlite_immediate"
_DEPTH = "rettidig_transaction_depth"


def make_engine(url: str, *, echo: bool = False, connect_timeout_s: int = 5) -> Engine:
    """Create an engine with the settings Rettidig relies on for each backend.

    ``connect_timeout_s``: PostgreSQL only; a server that does not answer (rather than refuse)
    fails a connection after this long, so pages answer 503 instead of waiting on TCP."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": 30, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True,
                         connect_args={"connect_timeout": connect_timeout_s})


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, emit BEGIN so we can choose IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(_IMMEDIATE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


class Database:
    """One engine and its session factory (one per app, CLI run or worker process)."""

    def __init__(self, url: str, *, echo: bool = False, connect_timeout_s: int = 5) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo, connect_timeout_s=connect_timeout_s)
        self.sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        page_versions.watch(self.sessions)

    def session(self) -> Session:
        return self.sessions()

    @contextmanager
    def fresh_session(self) -> Iterator[Session]:
        """A session for work outside a web request (CLI, background jobs), closed after."""
        session = self.sessions()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _open_write(session: Session) -> None:
    """Open the session's transaction as a write transaction.

    On SQLite this is ``BEGIN IMMEDIATE``: the write lock is taken at the start, so a
    read-then-write service cannot be overtaken between its check and its insert. A read
    transaction already open is ended first (it holds no changes; objects loaded in it stay
    usable, as the factory does not expire them). On PostgreSQL the transaction begins as usual.
    """
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if session.in_transaction():
        conn = session.connection()
        if conn.get_execution_options().get(_IMMEDIATE):
            return
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("changes made outside a transaction() block")
        session.commit()
    session.connection(execution_options={_IMMEDIATE: True})


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """One unit of work: write lock first (SQLite), commit at the end, rollback on error.

    Inside an outer ``transaction`` on the same session this joins it: nothing is committed
    until the outermost block ends, and an error anywhere rolls the whole unit back.
    """
    depth = session.info.get(_DEPTH, 0)
    if depth:
        session.info[_DEPTH] = depth + 1
        try:
            yield session
        finally:
            session.info[_DEPTH] = depth
        return
    _open_write(session)
    session.info[_DEPTH] = 1
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info[_DEPTH] = 0


def in_transaction(session: Session) -> bool:
    """True inside a :func:`transaction` block on this session."""
    return bool(session.info.get(_DEPTH, 0))


def end_read(session: Session) -> None:
    """End a read transaction (nothing to keep): after a long computation, before writing."""
    if not in_transaction(session):
        session.rollback()

