"""The web layer's handle on the database: one :class:`~booking.database.Database` per app and
one session per app context, closed when the request ends.

Views hand ``db.session`` to a service; the service owns the transaction
(:func:`booking.database.transaction`). Nothing below ``booking/blueprints`` imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from .database import Database


class FlaskDatabase:
    """Finds the current app's :class:`Database`; keeps the request's session in ``g``."""

    def init_app(self, app: Flask, database: Database) -> None:
        app.extensions["rettidig_db"] = database
        app.teardown_appcontext(self._close_session)

    @property
    def database(self) -> Database:
        database: Database = current_app.extensions["rettidig_db"]
        return database

    @property
    def engine(self) -> Engine:
        return self.database.engine

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = self.database.session()
        session: Session = g.db_session
        return session

    @contextmanager
    def fresh_session(self) -> Iterator[Session]:
        """A separate session for work outside the request (CLI, background jobs)."""
        with self.database.fresh_session() as session:
            yield session

    def _close_session(self, _exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = FlaskDatabase()
