"""SQLite write transactions: BEGIN IMMEDIATE keeps read-then-write services safe."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from booking import migrate
from booking.database import begin_write, make_engine
from booking.models import ActorKind, AuditEntry, Unit
from booking.services import audit


def _write_between(engine, first: Session) -> None:
    """Another connection commits while ``first`` holds its transaction open."""
    with Session(engine) as other:
        begin_write(other)
        other.add(Unit(code=f"X{other.scalar(select(func.count(Unit.id)))}", name="Anden"))
        other.commit()


def test_deferred_read_then_write_fails_when_overtaken(sqlite_url):
    migrate.upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    with Session(engine) as first:
        first.scalar(select(func.count(Unit.id)))  # a read transaction with a WAL snapshot
        _write_between(engine, first)
        audit.record(first, actor_kind=ActorKind.system, actor_id=None, action="seen")
        with pytest.raises(OperationalError, match="locked"):
            first.commit()
    engine.dispose()


def test_begin_write_first_makes_the_same_sequence_safe(sqlite_url):
    migrate.upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    with Session(engine) as first:
        begin_write(first)
        first.scalar(select(func.count(Unit.id)))
        other = threading.Thread(target=_write_between, args=(engine, first))
        other.start()
        time.sleep(0.3)  # the other writer now waits for the lock instead of overtaking
        audit.record(first, actor_kind=ActorKind.system, actor_id=None, action="seen")
        first.commit()
        other.join(timeout=30)
    with Session(engine) as check:
        assert check.scalar(select(func.count(AuditEntry.id))) == 1
        assert check.scalar(select(func.count(Unit.id))) == 1
    engine.dispose()
