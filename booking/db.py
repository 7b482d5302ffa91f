"""Database engine and sessions.

SQLite is the embedded default: one file in WAL mode, foreign keys on, and every write
transaction opened with ``BEGIN IMMEDIATE`` (see :func:`begin_write`) so two writers queue up
instead of failing half-way. PostgreSQL (psycopg 3) is the production database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

_IMMEDIATE = "rettidig_sqlite_immediate"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine with the settings Rettidig relies on for each backend."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": 30, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


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


def begin_write(session: Session) -> None:
    """Open the session's transaction as a write transaction.

    On SQLite this is ``BEGIN IMMEDIATE``: the write lock is taken at the start, so a
    read-then-write service cannot be overtaken between its check and its insert. A read
    transaction already open is committed first (it holds no changes). On PostgreSQL it does
    nothing; services lock the rows they change with ``SELECT … FOR UPDATE``.
    """
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if session.in_transaction():
        conn = session.connection()
        if conn.get_execution_options().get(_IMMEDIATE):
            return
        if session.new or session.dirty or session.deleted:
            session.flush()
        session.commit()
    session.connection(execution_options={_IMMEDIATE: True})


class Database:
    """Holds the engine and a session factory per app; one session per app context."""

    def __init__(self) -> None:
        self.engines: dict[int, Engine] = {}
        self.factories: dict[int, sessionmaker[Session]] = {}

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False))
        self.engines[id(app)] = engine
        self.factories[id(app)] = sessionmaker(bind=engine, expire_on_commit=False)
        app.extensions["rettidig_db"] = self
        app.teardown_appcontext(self._close_session)

    @property
    def engine(self) -> Engine:
        return self.engines[id(current_app._get_current_object())]  # type: ignore[attr-defined]

    def new_session(self) -> Session:
        factory = self.factories[id(current_app._get_current_object())]  # type: ignore[attr-defined]
        return factory()

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = self.new_session()
        return g.db_session

    @contextmanager
    def fresh_session(self) -> Iterator[Session]:
        """A separate session for work outside the request (CLI, background jobs)."""
        session = self.new_session()
        try:
            yield session
        finally:
            session.close()

    def _close_session(self, _exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
