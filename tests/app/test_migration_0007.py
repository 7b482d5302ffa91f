"""Migration 0007 on SQLite and PostgreSQL: the audit trail admits the actor kind
``api_client`` (and nothing unknown), the column and its CHECK constraint are what the models
create, and a downgrade turns ``api_client`` entries back into ``system`` entries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, MetaData, Table, create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from booking import migrate
from booking.models import ActorKind
from booking.models.base import NAMING_CONVENTION
from booking.models.enums import db_enum

CHECK = "ck_audit_log_actor_kind"


def _audit(engine, entry_id: int, kind: str, actor_id: int | None) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_log (id, at, actor_kind, actor_id, action) "
                 "VALUES (:id, :at, :kind, :actor, 'api_citizen_read')"),
            {"id": entry_id, "at": datetime(2027, 3, 1, 9, tzinfo=UTC), "kind": kind,
             "actor": actor_id},
        )


def _refused(engine, entry_id: int, kind: str) -> None:
    with pytest.raises(IntegrityError, match=CHECK):
        _audit(engine, entry_id, kind, 7)


def _entries(engine) -> list[tuple[int, str, int | None]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, actor_kind, actor_id FROM audit_log ORDER BY id"))
        return [tuple(r) for r in rows]


def _length(engine) -> int:
    columns = {c["name"]: c for c in inspect(engine).get_columns("audit_log")}
    return columns["actor_kind"]["type"].length


def test_0007_admits_api_client_and_its_downgrade_makes_them_system(any_db_url):
    migrate.upgrade(any_db_url, "0006")
    engine = create_engine(any_db_url)
    try:
        _audit(engine, 1, "system", None)
        _refused(engine, 2, "api_client")
        assert _length(engine) == 11
        migrate.upgrade(any_db_url, "0007")
        assert _entries(engine) == [(1, "system", None)]  # entries written before stay
        _audit(engine, 2, "api_client", 7)
        _refused(engine, 3, "robot")
        assert _length(engine) == 14
        migrate.downgrade(any_db_url, "0006")
        assert _entries(engine) == [(1, "system", None), (2, "system", 7)]
        _refused(engine, 3, "api_client")
        assert _length(engine) == 11
    finally:
        engine.dispose()


def test_0007_constraint_is_the_one_the_models_create(any_db_url):
    """Autogenerate does not compare CHECK constraints: the migrated one is compared with the
    one the models' column type creates, reflected from the same database."""
    migrate.upgrade(any_db_url, "0007")
    model = Table("model_actor_kind", MetaData(naming_convention=NAMING_CONVENTION),
                  Column("actor_kind", db_enum(ActorKind, "actor_kind"), nullable=False))
    engine = create_engine(any_db_url)
    try:
        model.create(engine)
        checks = inspect(engine).get_check_constraints
        migrated = {c["name"]: c["sqltext"] for c in checks("audit_log")}
        made = {c["name"]: c["sqltext"] for c in checks("model_actor_kind")}
        assert "api_client" in migrated[CHECK]
        assert migrated[CHECK] == made["ck_model_actor_kind_actor_kind"]
    finally:
        engine.dispose()
