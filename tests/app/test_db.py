"""The unit of work: ``transaction()`` commits, rolls back, nests, and on SQLite takes the write
lock first (BEGIN IMMEDIATE), which keeps read-then-write services safe."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from booking import migrate
from booking.database import in_transaction, make_engine, transaction
from booking.models import ActorKind, AuditEntry, Unit
from booking.services import audit


def _write_between(engine, first: Session) -> None:
    """Another connection commits while ``first`` holds its transaction open."""
    with Session(engine) as other, transaction(other):
        other.add(Unit(code=f"X{other.scalar(select(func.count(Unit.id)))}", name="Anden"))


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


def test_transaction_first_makes_the_same_sequence_safe(sqlite_url):
    migrate.upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    with Session(engine) as first:
        first.scalar(select(func.count(Unit.id)))  # a read snapshot, ended by transaction()
        with transaction(first):
            first.scalar(select(func.count(Unit.id)))
            other = threading.Thread(target=_write_between, args=(engine, first))
            other.start()
            time.sleep(0.3)  # the other writer now waits for the lock instead of overtaking
            audit.record(first, actor_kind=ActorKind.system, actor_id=None, action="seen")
        other.join(timeout=30)
    with Session(engine) as check:
        assert check.scalar(select(func.count(AuditEntry.id))) == 1
        assert check.scalar(select(func.count(Unit.id))) == 1
    engine.dispose()


def _units(engine) -> list[str]:
    with Session(engine) as check:
        return list(check.scalars(select(Unit.code).order_by(Unit.code)))


@pytest.fixture
def engine(any_db_url):
    migrate.upgrade(any_db_url)
    engine = make_engine(any_db_url)
    yield engine
    engine.dispose()


def test_transaction_commits_at_the_end(engine):
    with Session(engine) as session:
        with transaction(session):
            session.add(Unit(code="A", name="A"))
            assert in_transaction(session)
            assert _units(engine) == []  # not visible to others before the commit
        assert not in_transaction(session)
    assert _units(engine) == ["A"]


def test_an_error_rolls_the_whole_unit_back(engine):
    with Session(engine) as session:
        with pytest.raises(LookupError), transaction(session):
            session.add(Unit(code="A", name="A"))
            session.flush()
            raise LookupError("refused")
        assert not in_transaction(session)
    assert _units(engine) == []


def test_an_inner_transaction_joins_the_outer_one(engine):
    with Session(engine) as session:
        with pytest.raises(LookupError), transaction(session):
            with transaction(session):
                session.add(Unit(code="A", name="A"))
            assert _units(engine) == []  # the inner block did not commit
            raise LookupError("the outer step fails")
    assert _units(engine) == []
    with Session(engine) as session:
        with transaction(session):
            with transaction(session):
                session.add(Unit(code="B", name="B"))
            session.add(Unit(code="C", name="C"))
    assert _units(engine) == ["B", "C"]


def test_changes_outside_a_transaction_are_refused_on_sqlite(sqlite_url):
    migrate.upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        session.scalar(select(func.count(Unit.id)))
        session.add(Unit(code="A", name="A"))
        with pytest.raises(RuntimeError, match="outside a transaction"), transaction(session):
            pass
    engine.dispose()
